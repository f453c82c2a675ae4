// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Group 2: events in both directions with nested JSON and binary attachments (nested Buffers in
// objects and arrays; 0, 1 and 100000 bytes), as plain events (the server emits "echo" back) and
// as acks (the server acks with the same arguments), plus socket.send() / "message".

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
    SIO_PATH, SioInbox, VARIANTS, awaitConnect, awaitUpgrade, bytes, clientTracker, connect, emitAck, io,
    normalize, useSioServer,
} from './lib/sio.mjs';

const NESTED_JSON = {
    a: 1,
    b: [1, 2, { c: 'x', d: null, e: true, f: false }],
    text: 'ünïcødé ✓ 😀 "quotes" \\ back\nslash\t',
    neg: -1.5,
    big: Number.MAX_SAFE_INTEGER,
    small: 1e-7,
    empty: {},
    emptyList: [],
    deep: { l1: { l2: { l3: { l4: ['bottom'] } } } },
};

/** Argument lists to echo: name -> args. */
function payloads() {
    return {
        'no arguments': [],
        'scalars': [1, 'two', 3.5, true, false, null, ''],
        'nested JSON': [NESTED_JSON, [NESTED_JSON, [[]]]],
        'one 0-byte buffer': [Buffer.alloc(0)],
        'one 1-byte buffer': [Buffer.from([0xff])],
        'one 100000-byte buffer': [bytes(100000, 3)],
        'several nested buffers': [
            'head',
            { bin: bytes(1, 9), list: [bytes(0), 42, { deeper: bytes(100000, 5) }], text: 'x' },
            [bytes(10, 1), [bytes(1, 2), { z: bytes(3, 4) }]],
            bytes(100000, 7),
            'tail',
        ],
        'buffers mixed with nested JSON': [NESTED_JSON, { payload: bytes(17), meta: NESTED_JSON }],
        'a 300 KB string of multi-byte characters': ['x'.repeat(1000) + 'ü😀\u001e'.repeat(50000)],
    };
}

describe('events and binary payloads', () => {
    const ctx = useSioServer();
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    for (const variant of VARIANTS) {
        for (const [name, args] of Object.entries(payloads())) {
            it(`${variant.name}: "echo" event round trip: ${name}`, async () => {
                const { socket, inbox } = await connect(ctx.server, '/', variant, {}, { tracker });
                socket.emit('echo', ...args);
                const got = await inbox.nth('echo', 1, 5000);
                assert.deepEqual(normalize(got), normalize(args));
            });
        }

        it(`${variant.name}: "echo" with ack: the ack carries the same nested binary arguments`, async () => {
            const { socket } = await connect(ctx.server, '/', variant, {}, { tracker });
            const args = payloads()['several nested buffers'];
            const got = await emitAck(socket, 'echo', ...args);
            assert.deepEqual(normalize(got), normalize(args));
        });

        it(`${variant.name}: 30 events of mixed kinds come back in order`, async () => {
            const { socket, inbox } = await connect(ctx.server, '/', variant, {}, { tracker });
            const sent = [];
            for (let i = 0; i < 30; i++) {
                const args = i % 3 === 0 ? [i, bytes(i * 50, i)] : i % 3 === 1 ? [i, { n: i, s: 'x'.repeat(i) }]
                    : [i, [bytes(1, i), { b: bytes(2, i) }]];
                sent.push(args);
                socket.emit('echo', ...args);
            }
            await inbox.nth('echo', 30, 5000);
            assert.deepEqual(normalize(inbox.ofEvent('echo').map((e) => e.args)), normalize(sent));
        });

        it(`${variant.name}: socket.send() -> "message" -> server socket.send() back`, async () => {
            const { socket, inbox } = await connect(ctx.server, '/', variant, {}, { tracker });
            const args = ['hello', { n: 1 }, bytes(5)];
            socket.send(...args);
            const got = await inbox.nth('message');
            assert.deepEqual(normalize(got), normalize(args));
        });

        it(`${variant.name}: events on /chat are answered on /chat only`, async () => {
            const root = await connect(ctx.server, '/', variant, {}, { tracker });
            const chat = await connect(ctx.server, '/chat', variant, {}, { tracker });
            chat.socket.emit('echo', 'for chat', bytes(3));
            const got = await chat.inbox.nth('echo');
            assert.deepEqual(normalize(got), ['for chat', bytes(3)]);
            assert.deepEqual(await emitAck(root.socket, 'echo', 'sync'), ['sync']);
            assert.deepEqual(root.inbox.ofEvent('echo'), []);
        });
    }

    it('polling+upgrade: 50 events emitted before connect and during the upgrade arrive in order', async () => {
        const socket = tracker.add(io(ctx.server.url('/'), { path: SIO_PATH, forceNew: true, reconnection: false }));
        const inbox = new SioInbox(socket);
        const expected = [];
        for (let i = 0; i < 25; i++) {
            expected.push([i, bytes(i * 10, i)]);
            socket.emit('echo', i, bytes(i * 10, i)); // buffered by the client until connected
        }
        await awaitConnect(socket, 5000, 'connect');
        for (let i = 25; i < 50; i++) {
            expected.push([i, bytes(i * 10, i)]);
            socket.emit('echo', i, bytes(i * 10, i)); // most likely while polling -> websocket is under way
        }
        await inbox.nth('echo', 50, 5000);
        assert.deepEqual(normalize(inbox.ofEvent('echo').map((e) => e.args)), expected);
        await awaitUpgrade(socket, 5000);
        assert.deepEqual(await emitAck(socket, 'echo', 'after upgrade'), ['after upgrade']);
    });
});
