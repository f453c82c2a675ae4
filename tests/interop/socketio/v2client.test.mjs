// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// socket.io-client 2.5 (Engine.IO v3, Socket.IO protocol v4: npm alias socket.io-client-v2) against the server
// with allowEIO3 (sioserver --allow-eio3), over polling (binary and base64), WebSocket and the upgrade: connect,
// namespaces (query as auth, refusals in the v2 shape), events and acks both ways, binary, rooms and
// broadcasts reaching v2 and v4 clients together, disconnects. Without allowEIO3 a v2 client gets Node's 400.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ioV2 from 'socket.io-client-v2';
import {
    SIO_PATH, bytes, connect as connectV4, emitAck, freshDynNamespace, nextEvent, normalize, quietPeriod,
    startSioServer, useSioServer, waitDisconnectLine, withTimeout, clientTracker,
} from './lib/sio.mjs';

const V2_VARIANTS = [
    { name: 'polling', opts: { transports: ['polling'], upgrade: false }, final: 'polling' },
    // forceBase64 (b64=1); in Node.js socket.io-client 2.x sends b64=1 anyway (its XMLHttpRequest has no
    // responseType), so the binary payload format is checked in engineio/eio3.test.mjs with engine.io-parser 2.x.
    { name: 'polling (base64)', opts: { transports: ['polling'], upgrade: false, forceBase64: true }, final: 'polling' },
    { name: 'websocket', opts: { transports: ['websocket'] }, final: 'websocket' },
    { name: 'polling+upgrade', opts: {}, final: 'websocket', upgrade: true },
];

/** A socket.io-client 2.x socket, connected (and upgraded for that variant); rejects on 'error'. */
async function connectV2(server, nsp, variant, opts = {}, tracked = []) {
    const socket = ioV2(server.url(nsp), {
        path: SIO_PATH, forceNew: true, reconnection: false, ...variant.opts, ...opts,
    });
    tracked.push(socket);
    const events = [];
    socket.onevent = ((orig) => function onevent(packet) {
        events.push([...(packet.data || [])]);
        return orig.call(this, packet);
    })(socket.onevent);
    socket.events = events;
    await withTimeout(new Promise((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', (err) => reject(new Error(`${nsp}: error ${JSON.stringify(err)}`)));
        socket.once('connect_error', (err) => reject(new Error(`${nsp}: connect_error ${err.message ?? err}`)));
    }), 5000, `v2 connect to ${nsp} (${variant.name})`);
    if (variant.upgrade && socket.io.engine.transport.name !== 'websocket') {
        await nextEvent(socket.io.engine, 'upgrade', 5000, 'the v3 engine upgrade');
    }
    assert.equal(socket.io.engine.transport.name, variant.final);
    return socket;
}

function ackV2(socket, event, ...args) {
    return withTimeout(new Promise((resolve) => socket.emit(event, ...args, (...answer) => resolve(answer))),
        3000, `the ack of '${event}'`);
}

/** Resolves with the first 'error' of a v2 socket (the refusal of its namespace). */
function refusalV2(server, nsp, variant, opts, tracked) {
    const socket = ioV2(server.url(nsp), { path: SIO_PATH, forceNew: true, reconnection: false, ...variant.opts, ...opts });
    tracked.push(socket);
    return withTimeout(new Promise((resolve, reject) => {
        socket.once('error', resolve);
        socket.once('connect', () => reject(new Error(`${nsp}: connected, but a refusal was expected`)));
    }), 5000, `the refusal of ${nsp}`);
}

function waitEvent(socket, name, predicate = () => true, ms = 3000) {
    return withTimeout(new Promise((resolve) => {
        const check = () => {
            const hit = socket.events.find((e) => e[0] === name && predicate(e));
            if (hit) {
                resolve(hit.slice(1));
                return true;
            }
            return false;
        };
        if (!check()) {
            socket.on(name, function retry() {
                if (check()) {
                    socket.off(name, retry);
                }
            });
        }
    }), ms, `'${name}' on a v2 client`);
}

describe('socket.io-client 2.x with allowEIO3', () => {
    const ctx = useSioServer(['--allow-eio3']);
    let tracked = [];
    afterEach(() => {
        for (const s of tracked) {
            try { s.close(); } catch { /* closed */ }
        }
        tracked = [];
    });

    for (const variant of V2_VARIANTS) {
        describe(variant.name, () => {
            it('connects to "/" without asking, and the server sees it', async () => {
                const from = ctx.server.mark();
                const socket = await connectV2(ctx.server, '/', variant, {}, tracked);
                assert.ok(socket.connected);
                await ctx.server.waitForLine(/^CONNECT \/ \S+$/, 3000, from);
            });

            it('events and acks both ways, nested JSON and unicode', async () => {
                const socket = await connectV2(ctx.server, '/', variant, {}, tracked);
                const value = { a: [1, 2.5, null, true], s: 'h\u00e9llo \u{1F600} "q" \\ \n', n: { deep: ['x'] } };
                assert.deepEqual(await ackV2(socket, 'echo', value, 'two'), [value, 'two']);
                // Without an ack the server emits 'echo' back.
                socket.emit('echo', 'plain', 42);
                assert.deepEqual(await waitEvent(socket, 'echo', (e) => e[1] === 'plain'), ['plain', 42]);
                // The server asks this client (emitWithAck) and reports the client's answer in its own ack.
                socket.on('question', (x, reply) => reply(`answer to ${x}`, { n: x }));
                const [res] = await ackV2(socket, 'ask', 'question', 3000, 7);
                assert.deepEqual(res, { ok: true, args: ['answer to 7', { n: 7 }] });
            });

            it('binary both ways (events and acks)', async () => {
                const socket = await connectV2(ctx.server, '/', variant, {}, tracked);
                for (const size of [0, 1, 300, 70000]) {
                    const data = bytes(size, size);
                    const [echoed, nested] = await ackV2(socket, 'echo', data, { inner: [bytes(3, 1)] });
                    assert.deepEqual(normalize(echoed), data, `${size} bytes`);
                    assert.deepEqual(normalize(nested), { inner: [bytes(3, 1)] });
                }
                socket.emit('echo', bytes(10, 5), 'bin');
                const [got] = await waitEvent(socket, 'echo', (e) => e[2] === 'bin');
                assert.deepEqual(normalize(got), bytes(10, 5));
                // A binary answer to the server's ack request.
                socket.on('binq', (reply) => reply(bytes(17, 3)));
                const [res] = await ackV2(socket, 'ask', 'binq', 3000);
                assert.equal(res.ok, true);
                assert.deepEqual(normalize(res.args), [bytes(17, 3)]);
            });

            it('namespaces: /chat, query as auth, refusals in the v2 shape', async () => {
                const chat = await connectV2(ctx.server, '/chat', variant, {}, tracked);
                assert.deepEqual(await ackV2(chat, 'echo', 'in chat'), ['in chat']);
                const priv = await connectV2(ctx.server, '/private', variant, { query: { token: 'secret', x: 'a b' } }, tracked);
                const [hs] = await ackV2(priv, 'handshake');
                assert.deepEqual(hs.auth, { token: 'secret', x: 'a b' });
                // The middleware refuses: the v2 client gets the data the middleware gave, as Node sends it.
                assert.deepEqual(await refusalV2(ctx.server, '/private', variant, { query: { token: 'nope' } }, tracked),
                    { reason: 'bad token' });
                assert.equal(await refusalV2(ctx.server, '/nope', variant, {}, tracked), 'Invalid namespace');
            });

            it('client and server disconnects', async () => {
                const a = await connectV2(ctx.server, '/chat', variant, {}, tracked);
                const [me] = await ackV2(a, 'whoami');
                a.close();
                // The client sends DISCONNECT for /chat, then closes its connection.
                assert.equal(await waitDisconnectLine(ctx.server, '/chat', me.id), 'client namespace disconnect');
                const b = await connectV2(ctx.server, '/', variant, {}, tracked);
                const gone = nextEvent(b, 'disconnect', 3000);
                b.emit('disconnectMe', true);
                assert.deepEqual(await gone, ['io server disconnect']);
            });
        });
    }

    describe('rooms and broadcasts reach v2 and v4 clients together', () => {
        const tracker = clientTracker();
        after(() => tracker.closeAll());

        for (const variant of V2_VARIANTS) {
            it(`v2 over ${variant.name} with v4 clients`, async () => {
                const nsp = freshDynNamespace();
                const v2 = await connectV2(ctx.server, nsp, variant, {}, tracked);
                const v2out = await connectV2(ctx.server, nsp, variant, {}, tracked);
                const v4 = await connectV4(ctx.server, nsp, undefined, {}, { tracker });
                const v4out = await connectV4(ctx.server, nsp, undefined, {}, { tracker });
                await ackV2(v2, 'join', 'r');
                await emitAck(v4.socket, 'join', 'r');
                // From a v4 client to room r, with binary: the one encoding reaches both dialects.
                const payload = bytes(40, 9);
                v4out.socket.emit('to', ['r'], 'evt', 'm1', payload, { k: 'v' });
                const [m1v2, b1v2, o1v2] = await waitEvent(v2, 'evt', (e) => e[1] === 'm1');
                assert.equal(m1v2, 'm1');
                assert.deepEqual(normalize(b1v2), payload);
                assert.deepEqual(o1v2, { k: 'v' });
                const [m1v4, b1v4] = await v4.inbox.nth('evt');
                assert.equal(m1v4, 'm1');
                assert.deepEqual(normalize(b1v4), payload);
                // From a v2 client: a broadcast to everybody else in the namespace.
                v2.emit('broadcast', 'evt2', 'm2');
                assert.deepEqual(await v4.inbox.nth('evt2'), ['m2']);
                assert.deepEqual(await v4out.inbox.nth('evt2'), ['m2']);
                assert.deepEqual(await waitEvent(v2out, 'evt2'), ['m2']);
                await quietPeriod(150);
                assert.equal(v2.events.filter((e) => e[0] === 'evt2').length, 0, 'the sender is left out');
                assert.equal(v2out.events.filter((e) => e[0] === 'evt').length, 0, 'not in room r');
                assert.equal(v4out.inbox.ofEvent('evt').length, 0, 'not in room r');
            });
        }
    });
});

describe('without allowEIO3', () => {
    let server;
    before(async () => { server = await startSioServer(); });
    after(async () => { await server?.stop(); });

    it('a v3 handshake gets 400 "Unsupported protocol version", as from Node', async () => {
        const res = await fetch(server.url(`${SIO_PATH}?EIO=3&transport=polling`));
        assert.equal(res.status, 400);
        assert.deepEqual(await res.json(), { code: 5, message: 'Unsupported protocol version' });
    });

    it('socket.io-client 2.x fails to connect', async () => {
        const socket = ioV2(server.url('/'), { path: SIO_PATH, forceNew: true, reconnection: false, transports: ['polling'] });
        try {
            await withTimeout(new Promise((resolve, reject) => {
                socket.once('connect_error', resolve);
                socket.once('connect', () => reject(new Error('connected')));
            }), 5000, 'connect_error');
        } finally {
            socket.close();
        }
    });
});
