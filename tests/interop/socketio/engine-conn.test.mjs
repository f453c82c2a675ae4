// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// socket.conn (QSocketIoSocket::conn(), a QEngineIoSocket) and io.engine (QSocketIoServer::engine()) driven by
// socket.io-client 4.8: the test server counts what every connection's QEngineIoSocket signals (upgrading,
// upgraded, packet, packetCreate, flush, drain, heartbeat) and answers "connStats" with the counts and the
// connection's facts. --engine-hooks adds generateId, the header hooks and connectionError lines.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import {
    Manager, VARIANTS, awaitConnect, awaitUpgrade, clientTracker, connect, emitAck, useSioServer, withTimeout,
} from './lib/sio.mjs';

const UPGRADE = VARIANTS[2];

async function stats(socket) {
    const [answer] = await emitAck(socket, 'connStats');
    return answer;
}

/** Polls connStats (bounded) until pred holds; returns the last answer. */
async function statsUntil(socket, pred, ms = 5000) {
    const deadline = Date.now() + ms;
    let last;
    while (Date.now() < deadline) {
        last = await stats(socket);
        if (pred(last)) {
            return last;
        }
        await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`connStats never matched: ${JSON.stringify(last)}`);
}

// The same with the transports on I/O threads (the *_io2 runs, QTSOCKETIO_IO_THREADS=2): the per-packet signals
// come back from the I/O threads once connected, generateId and connectionError run in the server's thread.

describe('socket.conn', () => {
    const ctx = useSioServer(['--ping-interval', '200', '--ping-timeout', '2000']);
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    it('polling+upgrade: id, transport, readyState, upgrading/upgraded, packets both ways, flush, drain', async () => {
        const { socket } = await connect(ctx.server, '/', UPGRADE, {}, { tracker });
        assert.equal(socket.io.engine.transport.name, 'websocket');
        const s = await stats(socket);
        assert.equal(s.id, socket.io.engine.id, 'conn.id is the engine id the client got');
        assert.equal(s.transport, 'websocket');
        assert.equal(s.readyState, 'Open');
        assert.equal(s.upgraded, true);
        assert.equal(s.protocol, 4);
        assert.equal(s.remoteAddress, '127.0.0.1');
        assert.equal(s.sameAsEngine, true, 'engine().client(id) is the same object as socket.conn');
        assert.ok(s.clientsCount >= 1);
        assert.equal(s.stats.connection, 1);
        assert.equal(s.stats.upgrading, 1, JSON.stringify(s.stats));
        assert.equal(s.stats.upgraded, 1, JSON.stringify(s.stats));
        // The CONNECT ("40") and "connStats" came in as Engine.IO messages; the CONNECT answer went out as one.
        assert.ok(s.stats['in:Message'] >= 2, JSON.stringify(s.stats));
        assert.ok(s.stats['out:Message'] >= 1, JSON.stringify(s.stats));
        assert.ok(s.stats.flush >= 1 && s.stats.drain === s.stats.flush, JSON.stringify(s.stats));
    });

    it('websocket only: no upgrade signals; every message out is a packetCreate, flushed and drained', async () => {
        const { socket } = await connect(ctx.server, '/', VARIANTS[1], {}, { tracker });
        const before = await stats(socket);
        assert.equal(before.transport, 'websocket');
        assert.equal(before.upgraded, false);
        assert.equal(before.stats.upgrading, undefined);
        await emitAck(socket, 'echo', 'x');   // one message in, the ack out
        const after = await stats(socket);
        assert.equal(after.stats['in:Message'] - before.stats['in:Message'], 2, 'echo and connStats in');
        // Between the two snapshots: the ack of echo and the ack of the first connStats went out.
        assert.equal(after.stats['out:Message'] - before.stats['out:Message'], 2);
        // Heartbeats may be flushed in between too (pingInterval 200 ms).
        assert.ok(after.stats.flush - before.stats.flush >= 2, JSON.stringify(after.stats));
        assert.equal(after.stats.drain, after.stats.flush);
    });

    for (const variant of [VARIANTS[0], VARIANTS[1]]) {
        it(`${variant.name}: heartbeat, ping out and pong in, every pingInterval (200 ms)`, async () => {
            const { socket } = await connect(ctx.server, '/', variant, {}, { tracker });
            const s = await statsUntil(socket, (x) => (x.stats.heartbeat ?? 0) >= 3, 5000);
            assert.ok(s.stats['out:Ping'] >= 3, JSON.stringify(s.stats));
            assert.ok(s.stats['in:Pong'] >= 3, JSON.stringify(s.stats));
            assert.equal(s.transport, variant.final);
        });
    }

    it('one connection under two namespaces: the same conn, and the client knows both sockets', async () => {
        const manager = new Manager(ctx.server.url(), { path: '/socket.io/', forceNew: true, reconnection: false,
                                                        transports: ['websocket'] });
        const main = manager.socket('/');
        const chat = manager.socket('/chat');
        tracker.add(main);
        tracker.add(chat);
        await awaitConnect(main, 5000, 'connect to /');
        await awaitConnect(chat, 5000, 'connect to /chat');
        const a = await stats(main);
        const b = await stats(chat);
        assert.equal(a.id, b.id);
        assert.equal(a.id, manager.engine.id);
        assert.deepEqual(a.namespaces, ['/', '/chat']);
        assert.deepEqual(b.namespaces, ['/', '/chat']);
        assert.equal(b.stats.connection, 1, 'one QEngineIoSocket for the connection');
    });

    it('the connection closes: closed(reason) on the conn', async () => {
        const { socket } = await connect(ctx.server, '/', VARIANTS[1], {}, { tracker });
        const id = socket.io.engine.id;
        socket.disconnect();
        const m = await ctx.server.waitForLine(new RegExp(`^CONN_CLOSED ${id} (.+)$`), 3000);
        assert.equal(m[1], 'transport close');
    });
});

describe('io.engine hooks (--engine-hooks)', () => {
    const ctx = useSioServer(['--engine-hooks']);
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    it('generateId names the connection; a bad id is replaced by a generated one', async () => {
        const { socket } = await connect(ctx.server, '/', UPGRADE, {}, { tracker });
        assert.match(socket.io.engine.id, /^custom-\d+$/);
        assert.equal((await stats(socket)).id, socket.io.engine.id);
        const bad = await connect(ctx.server, '/', VARIANTS[0], { query: { badId: 'true' } }, { tracker });
        assert.doesNotMatch(bad.socket.io.engine.id, /^custom-|not an id/);
        assert.deepEqual(await emitAck(bad.socket, 'echo', 1), [1]);
    });

    it('polling only with custom ids: every request finds its session, whatever connection it comes on', async () => {
        // With I/O threads a custom id names no thread: the server's table keeps the polling sessions sticky.
        const clients = [];
        for (let i = 0; i < 4; i++) {
            clients.push((await connect(ctx.server, '/', VARIANTS[0], {}, { tracker })).socket);
        }
        const ids = clients.map((socket) => socket.io.engine.id);
        assert.equal(new Set(ids).size, ids.length);
        for (const id of ids) {
            assert.match(id, /^custom-\d+$/);
        }
        for (let round = 0; round < 5; round++) {
            const answers = await Promise.all(clients.map((socket, i) => emitAck(socket, 'echo', `${round}:${i}`)));
            assert.deepEqual(answers, clients.map((_, i) => [`${round}:${i}`]));
        }
        for (const socket of clients) {
            assert.equal(socket.io.engine.transport.name, 'polling');
            assert.equal((await stats(socket)).id, socket.io.engine.id);
        }
    });

    it('initial_headers on the handshake only, headers on every response', async () => {
        const handshake = await fetch(ctx.server.url('/socket.io/?EIO=4&transport=polling'));
        assert.equal(handshake.status, 200);
        assert.equal(handshake.headers.get('x-initial'), '1');
        assert.equal(handshake.headers.get('x-every'), '1');
        const sid = JSON.parse((await handshake.text()).slice(1)).sid;
        const post = await fetch(ctx.server.url(`/socket.io/?EIO=4&transport=polling&sid=${sid}`), {
            method: 'POST', body: '1',
        });
        assert.equal(post.status, 200);
        assert.equal(post.headers.get('x-initial'), null);
        assert.equal(post.headers.get('x-every'), '1');
    });

    const refusals = [
        ['unknown transport', '/socket.io/?EIO=4&transport=carrier-pigeon', {}, 0, 'Transport unknown', { transport: 'carrier-pigeon' }],
        ['unknown sid', '/socket.io/?EIO=4&transport=polling&sid=nope', {}, 1, 'Session ID unknown', { sid: 'nope' }],
        ['bad handshake method', '/socket.io/?EIO=4&transport=polling', { method: 'PUT', body: 'x' }, 2, 'Bad handshake method', { method: 'PUT' }],
        ['unsupported protocol version', '/socket.io/?EIO=2&transport=polling', {}, 5, 'Unsupported protocol version', { protocol: '2' }],
    ];
    for (const [name, url, init, code, message, context] of refusals) {
        it(`connectionError: ${name} (code ${code})`, async () => {
            const res = await fetch(ctx.server.url(url), init);
            assert.equal(res.status, 400);
            assert.deepEqual(await res.json(), { code, message });
            const m = await ctx.server.waitForLine(
                new RegExp(`^CONNECTION_ERROR ${code} ${message} (\\S+) (.+)$`), 3000);
            assert.deepEqual(JSON.parse(m[1]), context);
            assert.equal(m[2], url);
        });
    }

    it('connectionError: bad request (a WebSocket handshake without a key)', async () => {
        const res = await fetch(ctx.server.url('/socket.io/?EIO=4&transport=websocket'));
        assert.equal(res.status, 400);
        assert.deepEqual(await res.json(), { code: 3, message: 'Bad request' });
        await ctx.server.waitForLine(/^CONNECTION_ERROR 3 Bad request \{\} \/socket\.io\/\?EIO=4&transport=websocket$/, 3000);
    });
});

describe('a second WebSocket for an upgraded session (issue 14, item 6)', () => {
    const ctx = useSioServer([]);
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    it('gets 101 Switching Protocols and an immediate close; the first one keeps working', async () => {
        const { socket } = await connect(ctx.server, '/', UPGRADE, {}, { tracker });
        await awaitUpgrade(socket);
        const sid = socket.io.engine.id;
        const ws = new WebSocket(ctx.server.wsUrl(`/socket.io/?EIO=4&transport=websocket&sid=${sid}`));
        let status = null;
        ws.on('upgrade', (res) => { status = res.statusCode; });
        const unexpected = new Promise((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode)));
        const closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
        const outcome = await withTimeout(Promise.race([closed.then((code) => ({ code })),
                                                        unexpected.then((s) => ({ unexpected: s }))]),
                                          5000, 'the second WebSocket to close');
        assert.equal(outcome.unexpected, undefined, `refused with HTTP ${outcome.unexpected}`);
        assert.equal(status, 101);
        assert.equal(outcome.code, 1000);
        assert.deepEqual(await emitAck(socket, 'echo', 'still'), ['still']);
        assert.equal(socket.io.engine.transport.name, 'websocket');
    });
});
