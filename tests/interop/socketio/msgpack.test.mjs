// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// socket.io-client 4.8 with socket.io-msgpack-parser 3 (its `parser` option) against the test server run
// with --parser msgpack: every packet is one MessagePack binary message, binary values travel inside it.
// Over polling, WebSocket and the upgrade: events and acks both ways with binary, namespaces on one
// Manager, rooms and broadcasts, connect_error with data from a middleware; then malformed messages over a
// bare engine.io-client, each of which must close the connection with "parse error".

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import parser from 'socket.io-msgpack-parser';
import {
    Manager, SIO_PATH, VARIANTS, awaitConnect, awaitUpgrade, bytes, clientTracker, connect, connectError, emitAck,
    freshDynNamespace, normalize, quietPeriod, rawEngine, useSioServer, waitDisconnectLine, withTimeout,
} from './lib/sio.mjs';

const encoder = new parser.Encoder();
const encode = (packet) => encoder.encode(packet)[0];
function decode(buffer) {
    const decoder = new parser.Decoder();
    let packet;
    decoder.on('decoded', (p) => { packet = p; });
    decoder.add(buffer);
    return packet;
}

const NESTED = {
    s: 'héllo', n: 42, neg: -7, f: 1.25, big: 2 ** 40, t: true, nil: null, list: [1, 'two', [3]],
    empty: Buffer.alloc(0), one: bytes(1), large: bytes(100000, 3), inner: { deeper: [bytes(3, 9)] },
};

describe('socket.io-msgpack-parser clients (--parser msgpack)', () => {
    const ctx = useSioServer(['--parser', 'msgpack']);
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    for (const variant of VARIANTS) {
        describe(variant.name, () => {
            const open = (nsp = '/', opts = {}) => connect(ctx.server, nsp, variant, { parser, ...opts }, { tracker });

            it('events and binary both ways, acked and not', async () => {
                const { socket, inbox } = await open();
                const acked = await emitAck(socket, 'echo', NESTED, bytes(5));
                assert.deepEqual(normalize(acked), [NESTED, bytes(5)]);
                socket.emit('echo', 'plain', bytes(70000, 1));
                const echoed = await inbox.nth('echo');
                assert.deepEqual(normalize(echoed), ['plain', bytes(70000, 1)]);
                assert.ok(Buffer.isBuffer(echoed[1]), 'binary arrives as binary');
                // an event named by a number, as the JSON parser allows
                const [n] = await emitAck(socket, 'echo', 7);
                assert.equal(n, 7);
            });

            it('server emitWithAck answered by the client with binary', async () => {
                const { socket } = await open();
                const seen = [];
                socket.on('question', (x, buf, ack) => {
                    seen.push(normalize([x, buf]));
                    ack({ back: buf, list: [bytes(2, 1)] }, 'second');
                });
                const [result] = await emitAck(socket, 'ask', 'question', 2000, 2, bytes(6));
                assert.deepEqual(seen, [[2, bytes(6)]]);
                assert.deepEqual(normalize(result), { ok: true, args: [{ back: bytes(6), list: [bytes(2, 1)] }, 'second'] });
            });

            it('two namespaces over one Manager', async () => {
                const manager = tracker.add(new Manager(ctx.server.url(), {
                    path: SIO_PATH, parser, reconnection: false, ...variant.opts,
                }));
                const root = manager.socket('/');
                const chat = manager.socket('/chat');
                await Promise.all([awaitConnect(root, 5000, '/'), awaitConnect(chat, 5000, '/chat')]);
                if (variant.upgrade) {
                    await awaitUpgrade(root);
                }
                const [[a], [b]] = await Promise.all([emitAck(root, 'echo', 'root', bytes(3)), emitAck(chat, 'echo', 'chat')]);
                assert.equal(a, 'root');
                assert.equal(b, 'chat');
                assert.equal(manager.engine.transport.name, variant.final);
            });

            it('rooms and broadcasts reach exactly their members', async () => {
                const nsp = freshDynNamespace();
                const clients = [];
                for (let i = 0; i < 4; i++) {
                    clients.push(await open(nsp));
                }
                for (const c of clients.slice(0, 2)) {
                    await emitAck(c.socket, 'join', 'r');
                }
                clients[3].socket.emit('to', ['r'], 'evt', 'to-r', bytes(9));
                for (const c of clients.slice(0, 2)) {
                    assert.deepEqual(normalize(await c.inbox.nth('evt')), ['to-r', bytes(9)]);
                }
                clients[0].socket.emit('broadcast', 'evt', 'all-but-0');
                for (const c of clients.slice(1)) {
                    await c.inbox.waitFor(() => c.inbox.ofEvent('evt').find((e) => e.args[0] === 'all-but-0'), 3000,
                        'the broadcast');
                }
                await quietPeriod(200);
                assert.deepEqual(clients.map((c) => c.inbox.ofEvent('evt').length), [1, 2, 1, 1]);
            });

            it('connect_error with data from a middleware', async () => {
                const { err } = await connectError(ctx.server, '/private', variant, { parser, auth: { token: 'nope' } },
                    { tracker });
                assert.equal(err.message, 'not authorized');
                assert.deepEqual(err.data, { reason: 'bad token' });
                const { socket } = await open('/private', { auth: { token: 'secret' } });
                assert.ok(socket.connected);
            });
        });
    }

    describe('malformed messages close the connection with "parse error"', () => {
        const connectPacket = encode({ type: 0, nsp: '/' });
        const lying = (header) => Buffer.concat([
            Buffer.from('83a47479706502a464617461', 'hex'), Buffer.from(header, 'hex'), Buffer.from('a36e7370a12f', 'hex'),
        ]);
        const CASES = [
            { name: 'a text message', data: '2["echo","text"]' },
            { name: 'truncated MessagePack', data: encode({ type: 2, data: ['echo', 'abc'], nsp: '/' }).subarray(0, 12) },
            { name: 'an array header claiming 4G elements', data: lying('ddffffffff') },
            { name: 'a bin header claiming 4 GB', data: lying('92a178c6ffffffff') },
            { name: 'nesting 10000 deep', data: lying(`92a178${'91'.repeat(9999)}90`) },
            { name: 'a string type', data: encode({ type: '2', data: ['echo'], nsp: '/' }) },
            { name: 'no namespace', data: encode({ type: 2, data: ['echo'] }) },
            { name: 'a BINARY_EVENT type', data: encode({ type: 5, data: ['echo'], nsp: '/' }) },
        ];
        for (const transport of ['websocket', 'polling']) {
            for (const c of CASES) {
                it(`${transport}: ${c.name}`, async () => {
                    const raw = await rawEngine(ctx.server, [transport], { tracker });
                    raw.send(connectPacket);
                    const reply = await raw.waitMessage((m) => Buffer.isBuffer(m), 3000, 'the CONNECT reply');
                    const { type, nsp, data } = decode(reply);
                    assert.equal(type, 0);
                    assert.equal(nsp, '/');
                    raw.send(c.data);
                    assert.equal(await waitDisconnectLine(ctx.server, '/', data.sid), 'parse error');
                    await raw.closed();
                    // the server goes on serving
                    const { socket } = await connect(ctx.server, '/', VARIANTS[1], { parser }, { tracker });
                    assert.deepEqual(await emitAck(socket, 'echo', 'still'), ['still']);
                });
            }
        }

        it('a client with the default JSON parser cannot connect', async () => {
            const raw = await rawEngine(ctx.server, ['websocket'], { tracker });
            raw.send('0');
            const info = await raw.closed();
            assert.ok(info.reason, 'closed');
            assert.equal(raw.messages.length, 0, 'no CONNECT reply');
        });
    });
});

describe('the JSON server refuses MessagePack packets', () => {
    const ctx = useSioServer();
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    it('a MessagePack CONNECT closes the connection', async () => {
        const raw = await rawEngine(ctx.server, ['websocket'], { tracker });
        raw.send(encode({ type: 0, nsp: '/' }));
        await withTimeout(raw.closed(), 3000, 'the close');
        assert.equal(raw.messages.length, 0);
    });
});
