// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Connection state recovery (issue #8) with the real socket.io-client 4.8: the client's transport is
// dropped (the server aborts its TCP connection, or the client stops answering pings), events are broadcast
// while it is away, and it reconnects with its pid and offset. Also the failure modes of Node's version
// (a reconnection before the old connection was seen to die, a client that had received nothing yet, a
// second recovery), expiry, recovery off, bad input, and the SQLite store across a server restart.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
    VARIANTS, clientTracker, connect, emitAck, io, rawConnectNamespace, rawEngine, startSioServer, useSioServer,
    awaitConnect, waitDisconnectLine, withTimeout, SIO_PATH, escapeRegExp,
} from './lib/sio.mjs';

const PING = ['--ping-interval', '200', '--ping-timeout', '300'];
const MAX_DISCONNECTION = 1500;
const RECOVERY = ['--recovery', '--max-disconnection-duration', String(MAX_DISCONNECTION), ...PING];
const WS = VARIANTS[1];
const POLLING = VARIANTS[0];

/** The events received after index `from`, without the engine's own. */
function eventsSince(inbox, from) {
    return inbox.events.slice(from).map((e) => ({ event: e.event, args: e.args }));
}

/** The local TCP port of a WebSocket-transport client (the server's peer port). */
function localPort(socket) {
    const port = socket.io.engine.transport.ws?._socket?.localPort;
    assert.ok(port, 'the client runs on WebSocket with a TCP socket');
    return port;
}

/** Has `helper` ask the server to abort the TCP connection of `socket`; waits for both sides to see it. */
async function dropTransport(server, helper, socket, inbox, nsp = '/') {
    const id = socket.id;
    const [count] = await emitAck(helper, 'dropPeer', localPort(socket));
    assert.equal(count, 1, 'one server-side TCP connection has that peer port');
    const { reason } = await inbox.disconnected(3000);
    assert.equal(reason, 'transport close');
    assert.equal(await waitDisconnectLine(server, nsp, id), 'transport close');
}

/** Makes the client's engine stop answering pings; resolves once the server timed it out. */
async function stopPongs(server, socket, inbox, nsp = '/') {
    const id = socket.id;
    const engine = socket.io.engine;
    const original = engine._sendPacket;
    engine._sendPacket = function (type, ...rest) {
        return type === 'pong' ? undefined : original.call(this, type, ...rest);
    };
    assert.equal(await waitDisconnectLine(server, nsp, id, 3000), 'ping timeout');
    await inbox.disconnected(3000);
}

/** Reconnects a socket whose transport was dropped (same Socket object: it sends its pid and offset). */
async function reconnect(socket, inbox, ms = 5000) {
    if (inbox) {
        inbox.disconnectInfo = null;
    }
    socket.connect();
    await awaitConnect(socket, ms, 'the reconnection');
}

/** A round trip through `helper`: every event it sent before has been handled by the server. */
async function settle(helper) {
    assert.deepEqual(await emitAck(helper, 'echo', 'sync'), ['sync']);
}

function names(events) {
    return events.map((e) => e.event);
}

describe('connection state recovery', () => {
    const ctx = useSioServer(RECOVERY);
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    it('CONNECT carries pid; broadcasts and direct emits carry an offset; acks and volatile do not', async () => {
        const { socket, inbox } = await connect(ctx.server, '/', WS, {}, { tracker });
        assert.equal(typeof socket._pid, 'string');
        assert.ok(socket._pid.length > 10);
        assert.equal(socket.recovered, false);
        socket.emit('echo', 'direct');
        const direct = await inbox.nth('echo', 1);
        assert.equal(direct[0], 'direct');
        assert.match(direct[1], /^\d+$/, 'a direct emit ends with its offset');
        assert.deepEqual(await emitAck(socket, 'echo', 'acked'), ['acked'], 'an ack carries no offset');
        socket.emit('to', [socket.id], 'own', 1);
        const own = await inbox.nth('own', 1);
        assert.equal(own[0], 1);
        assert.ok(BigInt(own[1]) > BigInt(direct[1]), 'offsets increase');
        assert.equal(socket._lastOffset, own[1]);
    });

    it('websocket: the server aborts the TCP connection; missed packets filtered by rooms and except sets, in order', async () => {
        const { socket, inbox } = await connect(ctx.server, '/', WS, {}, { tracker });
        const { socket: helper } = await connect(ctx.server, '/', WS, {}, { tracker });
        const id = socket.id;
        await emitAck(socket, 'join', 'r1');
        await emitAck(socket, 'setData', 'name', 'alice');
        helper.emit('to', ['r1'], 'before', 0);
        await inbox.nth('before', 1);
        const pid = socket._pid;

        await dropTransport(ctx.server, helper, socket, inbox);
        const from = inbox.events.length;
        helper.emit('to', ['r1'], 'm1', 1);                 // in r1: missed
        helper.emit('to', ['r2'], 'm2', 2);                 // not in r2
        helper.emit('toExcept', [], ['r1'], 'm3', 3);       // everyone but r1
        helper.emit('toExcept', ['r1'], ['r2'], 'm4', 4);   // r1 except r2: missed
        helper.emit('to', [id], 'm5', 5);                   // its own room: missed
        helper.emit('broadcast', 'm6', 6);                  // everyone but the helper: missed
        helper.emit('toExcept', ['r1'], [id], 'm7', 7);     // except its own room
        await settle(helper);

        const mark = ctx.server.mark();
        await reconnect(socket, inbox);
        assert.equal(socket.recovered, true);
        assert.equal(socket.id, id);
        assert.equal(socket._pid, pid);
        await ctx.server.waitForLine(new RegExp(`^RECOVERED / ${escapeRegExp(id)}$`), 3000, mark);
        const missed = eventsSince(inbox, from);
        assert.deepEqual(names(missed), ['m1', 'm4', 'm5', 'm6']);
        assert.deepEqual(missed.map((e) => e.args[0]), [1, 4, 5, 6]);
        const offsets = missed.map((e) => BigInt(e.args[1]));
        assert.deepEqual([...offsets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), offsets, 'in offset order');
        assert.equal(socket._lastOffset, missed.at(-1).args[1]);
        const [me] = await emitAck(socket, 'whoami');
        assert.deepEqual(me.rooms, [id, 'r1']);
        assert.deepEqual(me.data, { name: 'alice' });
        assert.equal(me.recovered, true);
        assert.equal(me.id, id);
        // And it is live again in its rooms.
        helper.emit('to', ['r1'], 'after', 8);
        assert.deepEqual((await inbox.nth('after', 1))[0], 8);
    });

    for (const variant of [WS, POLLING]) {
        it(`${variant.name}: the client stops answering pings; it recovers after the ping timeout`, async () => {
            const { socket, inbox } = await connect(ctx.server, '/chat', variant, {}, { tracker });
            const { socket: helper } = await connect(ctx.server, '/chat', WS, {}, { tracker });
            const id = socket.id;
            await emitAck(socket, 'join', 'room-p');
            helper.emit('to', ['room-p'], 'first', 0);
            await inbox.nth('first', 1);
            await stopPongs(ctx.server, socket, inbox, '/chat');
            const from = inbox.events.length;
            helper.emit('to', ['room-p'], 'm1', 1);
            helper.emit('to', ['elsewhere'], 'm2', 2);
            helper.emit('to', ['room-p'], 'm3', 3);
            await settle(helper);
            await reconnect(socket, inbox);
            assert.equal(socket.recovered, true);
            assert.equal(socket.id, id);
            assert.deepEqual(names(eventsSince(inbox, from)), ['m1', 'm3']);
        });
    }

    it('a client that reconnects before the server noticed its old connection died', async () => {
        const { socket: old, inbox: oldInbox } = await connect(ctx.server, '/', WS, {}, { tracker });
        const { socket: helper } = await connect(ctx.server, '/', WS, {}, { tracker });
        const id = old.id;
        await emitAck(old, 'join', 'r-stale');
        helper.emit('to', ['r-stale'], 'seen', 0);
        await oldInbox.nth('seen', 1);
        // The old connection goes deaf (its TCP socket is no longer read): the server cannot tell yet.
        old.io.engine.transport.ws._socket.pause();
        helper.emit('to', ['r-stale'], 'lost', 1);
        await settle(helper);
        // The same client, on a new connection, presents the old pid and offset.
        const fresh = tracker.add(io(ctx.server.url('/'), {
            path: SIO_PATH, forceNew: true, reconnection: false, autoConnect: false, transports: ['websocket'],
        }));
        fresh._pid = old._pid;
        fresh._lastOffset = old._lastOffset;
        const events = [];
        fresh.onAny((event, ...args) => events.push({ event, args }));
        fresh.connect();
        await awaitConnect(fresh, 5000, 'the replacing connection');
        assert.equal(fresh.recovered, true);
        assert.equal(fresh.id, id);
        assert.deepEqual(names(events), ['lost']);
        assert.equal(await waitDisconnectLine(ctx.server, '/', id), 'forced close');
        const [me] = await emitAck(fresh, 'whoami');
        assert.deepEqual(me.rooms, [id, 'r-stale']);
    });

    it('a client that had not received any packet yet still recovers', async () => {
        const { socket, inbox } = await connect(ctx.server, '/', WS, {}, { tracker });
        const { socket: helper } = await connect(ctx.server, '/', WS, {}, { tracker });
        const id = socket.id;
        await emitAck(socket, 'join', 'r-new');
        assert.equal(socket._lastOffset, undefined, 'no offset yet: the CONNECT will carry none');
        await dropTransport(ctx.server, helper, socket, inbox);
        const from = inbox.events.length;
        helper.emit('to', ['r-new'], 'm1', 1);
        await settle(helper);
        await reconnect(socket, inbox);
        assert.equal(socket.recovered, true);
        assert.equal(socket.id, id);
        assert.deepEqual(names(eventsSince(inbox, from)), ['m1']);
    });

    it('recovers again after a first recovery, with nothing replayed twice', async () => {
        const { socket, inbox } = await connect(ctx.server, '/', WS, {}, { tracker });
        const { socket: helper } = await connect(ctx.server, '/', WS, {}, { tracker });
        const id = socket.id;
        await emitAck(socket, 'join', 'r-again');
        for (let round = 1; round <= 3; round++) {
            await dropTransport(ctx.server, helper, socket, inbox);
            const from = inbox.events.length;
            if (round !== 2) {   // round 2: nothing is missed
                helper.emit('to', ['r-again'], `m${round}`, round);
            }
            await settle(helper);
            await reconnect(socket, inbox);
            assert.equal(socket.recovered, true, `round ${round}`);
            assert.equal(socket.id, id);
            assert.deepEqual(names(eventsSince(inbox, from)), round === 2 ? [] : [`m${round}`], `round ${round}`);
        }
    });

    it('a voluntary disconnect is not kept', async () => {
        const { socket, inbox } = await connect(ctx.server, '/', WS, {}, { tracker });
        const id = socket.id;
        socket.disconnect();
        assert.equal(await waitDisconnectLine(ctx.server, '/', id), 'client namespace disconnect');
        await reconnect(socket, inbox);
        assert.equal(socket.recovered, false);
        assert.notEqual(socket.id, id);
    });

    it('bad input (forged pid or offset, wrong types) gets a fresh session', async () => {
        const { socket, inbox } = await connect(ctx.server, '/', WS, {}, { tracker });
        const { socket: helper } = await connect(ctx.server, '/', WS, {}, { tracker });
        const pid = socket._pid;
        socket.emit('echo', 'x');   // an offset to forge from
        const auths = [
            { pid: 5, offset: {} },
            { pid: 'nope', offset: '1' },
            { pid: [pid], offset: '1' },
            { pid: 'x'.repeat(10000), offset: 'y' },
            { pid: null, offset: null },
        ];
        for (const auth of auths) {
            const raw = await rawEngine(ctx.server, ['websocket'], { tracker });
            const sid = await rawConnectNamespace(raw, '/', auth);
            assert.ok(sid && sid !== socket.id, JSON.stringify(auth).slice(0, 60));
            const reply = raw.messages.find((m) => typeof m === 'string' && m.startsWith('0{'));
            assert.equal(typeof JSON.parse(reply.slice(1)).pid, 'string');
        }
        // A real pid with an offset the server never gave out, while its socket is connected elsewhere.
        await dropTransport(ctx.server, helper, socket, inbox);
        for (const offset of ['99999999999999999999', '-1', 'abc', '1e3']) {
            const raw = await rawEngine(ctx.server, ['websocket'], { tracker });
            const sid = await rawConnectNamespace(raw, '/', { pid, offset });
            assert.notEqual(sid, socket.id, `offset ${offset}`);
        }
        assert.equal(ctx.server.exited, null);
    });

    it('the missed packets come before the CONNECT reply on the wire', async () => {
        const { socket, inbox } = await connect(ctx.server, '/', WS, {}, { tracker });
        const { socket: helper } = await connect(ctx.server, '/', WS, {}, { tracker });
        await emitAck(socket, 'join', 'r-wire');
        helper.emit('to', ['r-wire'], 'm0', 0);
        const offset = (await inbox.nth('m0', 1))[1];
        const { _pid: pid, id } = socket;
        await dropTransport(ctx.server, helper, socket, inbox);
        helper.emit('to', ['r-wire'], 'm1', 1);
        helper.emit('to', ['r-wire'], 'm2', 2);
        await settle(helper);
        const raw = await rawEngine(ctx.server, ['websocket'], { tracker });
        assert.equal(await rawConnectNamespace(raw, '/', { pid, offset }), id);
        const texts = raw.messages.filter((m) => typeof m === 'string');
        assert.equal(texts.length, 3);
        assert.match(texts[0], /^2\["m1",1,"\d+"\]$/);
        assert.match(texts[1], /^2\["m2",2,"\d+"\]$/);
        assert.deepEqual(JSON.parse(texts[2].slice(1)), { sid: id, pid });
    });
});

describe('connection state recovery: expiry', () => {
    const ctx = useSioServer(['--recovery', '--max-disconnection-duration', '600', ...PING]);
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    it('a kept session expires after maxDisconnectionDuration (signal), then the client gets a fresh one', async () => {
        const { socket, inbox } = await connect(ctx.server, '/', WS, {}, { tracker });
        const { socket: helper } = await connect(ctx.server, '/', WS, {}, { tracker });
        const id = socket.id;
        await emitAck(socket, 'join', 'r-exp');
        const mark = ctx.server.mark();
        await dropTransport(ctx.server, helper, socket, inbox);
        const t0 = Date.now();
        await ctx.server.waitForLine(new RegExp(`^EXPIRED / ${escapeRegExp(id)}$`), 3000, mark);
        assert.ok(Date.now() - t0 >= 400, 'not before maxDisconnectionDuration');
        await reconnect(socket, inbox);
        assert.equal(socket.recovered, false);
        assert.notEqual(socket.id, id);
        const [me] = await emitAck(socket, 'whoami');
        assert.deepEqual(me.rooms, [socket.id]);
    });
});

describe('connection state recovery: off', () => {
    const ctx = useSioServer(PING);
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    it('no pid, no offsets, and a fresh session after a drop', async () => {
        const { socket, inbox } = await connect(ctx.server, '/', WS, {}, { tracker });
        const { socket: helper } = await connect(ctx.server, '/', WS, {}, { tracker });
        assert.equal(socket._pid, undefined);
        const id = socket.id;
        await emitAck(socket, 'join', 'r-off');
        helper.emit('to', ['r-off'], 'm0', 0);
        assert.deepEqual(await inbox.nth('m0', 1), [0], 'no offset argument');
        await dropTransport(ctx.server, helper, socket, inbox);
        helper.emit('to', ['r-off'], 'm1', 1);
        await settle(helper);
        const from = inbox.events.length;
        await reconnect(socket, inbox);
        assert.ok(!socket.recovered);
        assert.notEqual(socket.id, id);
        assert.deepEqual(eventsSince(inbox, from), []);
    });
});

describe('connection state recovery: SQLite store across a server restart', () => {
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    it('sessions and missed packets survive the restart; the client recovers from the new process', async () => {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'qtsocketio-recovery-'));
        const store = path.join(dir, 'sessions.sqlite');
        const args = ['--recovery', '--max-disconnection-duration', '10000', ...PING, '--session-store', store];
        let server = await startSioServer(args);
        try {
            const port = server.port;
            const { socket, inbox } = await connect(server, '/', WS, {}, { tracker });
            let { socket: helper } = await connect(server, '/', WS, {}, { tracker });
            const id = socket.id;
            await emitAck(socket, 'join', 'r-db');
            await emitAck(socket, 'setData', 'user', { n: 7, tags: ['a', 'b'] });
            helper.emit('to', ['r-db'], 'm0', 0);
            await inbox.nth('m0', 1);
            await dropTransport(server, helper, socket, inbox);
            const from = inbox.events.length;
            helper.emit('to', ['r-db'], 'm1', 'before restart');
            helper.emit('to', ['other'], 'mx', 'not for it');
            await settle(helper);
            await server.stop();

            server = await startSioServer([...args, '--port', String(port)]);
            assert.equal(server.port, port);
            ({ socket: helper } = await connect(server, '/', WS, {}, { tracker }));
            helper.emit('to', ['r-db'], 'm2', 'after restart');
            await settle(helper);
            await reconnect(socket, inbox);
            assert.equal(socket.recovered, true);
            assert.equal(socket.id, id);
            const missed = eventsSince(inbox, from);
            assert.deepEqual(names(missed), ['m1', 'm2']);
            assert.deepEqual(missed.map((e) => e.args[0]), ['before restart', 'after restart']);
            const [me] = await emitAck(socket, 'whoami');
            assert.deepEqual(me.rooms, [id, 'r-db']);
            assert.deepEqual(me.data, { user: { n: 7, tags: ['a', 'b'] } });
        } finally {
            tracker.closeAll();
            await server.stop();
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it('the server process is killed (SIGKILL): the connected client recovers from the restarted one', async () => {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'qtsocketio-recovery-'));
        const store = path.join(dir, 'sessions.sqlite');
        const args = ['--recovery', '--max-disconnection-duration', '10000', ...PING, '--session-store', store];
        let server = await startSioServer(args);
        try {
            const port = server.port;
            const { socket, inbox } = await connect(server, '/chat', WS, {}, { tracker });
            let { socket: helper } = await connect(server, '/chat', WS, {}, { tracker });
            const id = socket.id;
            await emitAck(socket, 'join', 'r-crash');
            await emitAck(socket, 'setData', 'k', 'v');
            helper.emit('to', ['r-crash'], 'm0', 0);
            await inbox.nth('m0', 1);
            process.kill(server.pid, 'SIGKILL');
            await server.stop();
            await inbox.disconnected(3000);
            const from = inbox.events.length;

            server = await startSioServer([...args, '--port', String(port)]);
            ({ socket: helper } = await connect(server, '/chat', WS, {}, { tracker }));
            helper.emit('to', ['r-crash'], 'm1', 1);
            await settle(helper);
            await reconnect(socket, inbox);
            assert.equal(socket.recovered, true);
            assert.equal(socket.id, id);
            assert.deepEqual(names(eventsSince(inbox, from)), ['m1']);
            const [me] = await emitAck(socket, 'whoami');
            assert.deepEqual(me.rooms, [id, 'r-crash']);
            assert.deepEqual(me.data, { k: 'v' });
        } finally {
            tracker.closeAll();
            await server.stop();
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
