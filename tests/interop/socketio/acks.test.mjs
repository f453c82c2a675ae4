// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Group 3: acknowledgements in both directions: client emitWithAck / callbacks, the server's
// emitWithAck answered (or not) by the client ("ask"), client-side timeouts, and the broadcast
// emitWithAck with a timeout ("askAll").

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
    VARIANTS, bytes, clientTracker, connect, emitAck, emitAckWithin, freshDynNamespace, normalize, useSioServer,
} from './lib/sio.mjs';

describe('acknowledgements', () => {
    const ctx = useSioServer();
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    for (const variant of VARIANTS) {
        it(`${variant.name}: client emitWithAck resolves with the server's first ack argument`, async () => {
            const { socket } = await connect(ctx.server, '/', variant, {}, { tracker });
            assert.equal(await socket.emitWithAck('echo', 'first', { second: 2 }), 'first');
            assert.deepEqual(await socket.timeout(2000).emitWithAck('echo', { n: [1, 2] }), { n: [1, 2] });
            // a callback sees every argument of the ack
            assert.deepEqual(normalize(await emitAck(socket, 'echo', 1, null, 'x', [bytes(4)])),
                [1, null, 'x', [bytes(4)]]);
        });

        it(`${variant.name}: 200 concurrent acks each resolve with their own value`, async () => {
            const { socket } = await connect(ctx.server, '/', variant, {}, { tracker });
            const results = await Promise.all(Array.from({ length: 200 },
                (_, i) => socket.timeout(5000).emitWithAck('echo', { i, b: i % 10 === 0 ? bytes(i) : null })));
            results.forEach((r, i) => assert.deepEqual(normalize(r), { i, b: i % 10 === 0 ? bytes(i) : null }));
        });

        it(`${variant.name}: server "ask" -> client answers with nested binary -> {ok:true,args}`, async () => {
            const { socket } = await connect(ctx.server, '/', variant, {}, { tracker });
            const seen = [];
            socket.on('question', (x, y, buf, ack) => {
                seen.push(normalize([x, y, buf]));
                ack({ sum: x + y, back: buf, list: [bytes(2, 1)] });
            });
            const [result] = await emitAck(socket, 'ask', 'question', 2000, 2, 3, bytes(6));
            assert.deepEqual(seen, [[2, 3, bytes(6)]]);
            assert.deepEqual(normalize(result), { ok: true, args: [{ sum: 5, back: bytes(6), list: [bytes(2, 1)] }] });
        });

        it(`${variant.name}: server "ask" with a client ack of several arguments`, async (t) => {
            const { socket } = await connect(ctx.server, '/', variant, {}, { tracker });
            socket.on('multi', (ack) => ack('a', 2, { c: true }));
            const [result] = await emitAck(socket, 'ask', 'multi', 2000);
            t.diagnostic(`server ack for a 3-argument client ack: ${JSON.stringify(result)}`);
            assert.equal(result.ok, true);
            assert.deepEqual(result.args, ['a', 2, { c: true }]);
        });

        it(`${variant.name}: server "ask" that the client never answers -> {ok:false,error:"timeout"}`, async () => {
            const { socket } = await connect(ctx.server, '/', variant, {}, { tracker });
            let asked = 0;
            socket.on('silent', () => { asked++; }); // takes the ack callback but never calls it
            const t0 = Date.now();
            const [result] = await emitAck(socket, 'ask', 'silent', 200, 'arg');
            const elapsed = Date.now() - t0;
            assert.deepEqual(result, { ok: false, error: 'timeout' });
            assert.equal(asked, 1);
            assert.ok(elapsed >= 150, `timed out after only ${elapsed} ms (timeout 200 ms)`);
            // and for an event the client has no handler for at all
            const [result2] = await emitAck(socket, 'ask', 'nobodyListens', 100);
            assert.deepEqual(result2, { ok: false, error: 'timeout' });
        });

        it(`${variant.name}: a client ack arriving after the server's timeout is ignored`, async () => {
            const { socket, inbox } = await connect(ctx.server, '/', variant, {}, { tracker });
            let lateAckSent;
            const lateAck = new Promise((resolve) => { lateAckSent = resolve; });
            socket.on('slow', (ack) => setTimeout(() => {
                ack('too late');
                lateAckSent();
            }, 300));
            const [result] = await emitAck(socket, 'ask', 'slow', 100);
            assert.deepEqual(result, { ok: false, error: 'timeout' });
            await lateAck;
            // the late ack is dropped and the socket keeps working
            assert.deepEqual(await emitAck(socket, 'echo', 'after late ack'), ['after late ack']);
            assert.equal(inbox.disconnectInfo, null);
        });

        it(`${variant.name}: client socket.timeout(100).emitWithAck on an event the server does not ack rejects`,
            async () => {
                const { socket, inbox } = await connect(ctx.server, '/', variant, {}, { tracker });
                const t0 = Date.now();
                await assert.rejects(socket.timeout(100).emitWithAck('noack', 1), /operation has timed out/);
                assert.ok(Date.now() - t0 >= 90);
                // the callback form gets the error as its first argument
                const [err] = await new Promise((resolve) => socket.timeout(100).emit('noack', (...a) => resolve(a)));
                assert.match(err?.message ?? '', /operation has timed out/);
                assert.deepEqual(await emitAck(socket, 'echo', 'ok'), ['ok']);
                assert.equal(inbox.disconnectInfo, null);
            });

        it(`${variant.name}: the ackTimeout option applies to every emitWithAck`, async () => {
            const { socket } = await connect(ctx.server, '/', variant, { ackTimeout: 100 }, { tracker });
            await assert.rejects(socket.emitWithAck('noack'), /operation has timed out/);
            assert.equal(await socket.emitWithAck('echo', 'in time'), 'in time');
        });

        it(`${variant.name}: "askAll" collects the acks of all sockets and counts the ones that timed out`,
            async () => {
                const nsp = freshDynNamespace();
                const clients = [];
                for (let i = 0; i < 4; i++) {
                    clients.push(await connect(ctx.server, nsp, variant, {}, { tracker }));
                }
                // clients 0..2 answer, client 3 never does
                clients.forEach(({ socket }, i) => socket.on('poll', (ack) => {
                    if (i < 3) {
                        ack({ from: i, bin: bytes(i + 1, i) });
                    }
                }));
                const t0 = Date.now();
                const [all] = await emitAck(clients[0].socket, 'askAll', [], 'poll', 300);
                assert.ok(Date.now() - t0 >= 250, 'askAll answered before the timeout despite a silent client');
                assert.equal(all.timedOut, 1);
                const sorted = normalize(all.responses).sort((a, b) => a.from - b.from);
                assert.deepEqual(sorted, [0, 1, 2].map((i) => ({ from: i, bin: bytes(i + 1, i) })));

                // only the answering ones in a room: nothing times out, and it does not wait for the timeout
                for (const i of [1, 2]) {
                    await emitAck(clients[i].socket, 'join', 'answering');
                }
                const t1 = Date.now();
                const [some] = await emitAckWithin(6000, clients[3].socket, 'askAll', ['answering'], 'poll', 4000);
                assert.ok(Date.now() - t1 < 3000, 'askAll waited for the timeout although everybody answered');
                assert.equal(some.timedOut, 0);
                assert.deepEqual(normalize(some.responses).map((r) => r.from).sort(), [1, 2]);
            });
    }
});
