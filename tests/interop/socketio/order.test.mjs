// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Group 10: 10,000 events on one socket arrive complete and in order ("seq" 0..9999, then
// "seqResult" -> {count: 10000, inOrder: true}), and 2,000 server-to-client events do too.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VARIANTS, clientTracker, connect, emitAckWithin, useSioServer } from './lib/sio.mjs';

const COUNT = 10000;

describe(`${COUNT} events in order`, () => {
    const ctx = useSioServer();
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    for (const variant of VARIANTS) {
        it(`${variant.name}: "seq" 0..${COUNT - 1} then "seqResult"`, { timeout: 30000 }, async (t) => {
            const { socket, inbox } = await connect(ctx.server, '/', variant, {}, { tracker });
            const t0 = Date.now();
            for (let i = 0; i < COUNT; i++) {
                socket.emit('seq', i);
            }
            const [result] = await emitAckWithin(20000, socket, 'seqResult');
            t.diagnostic(`${COUNT} events + result in ${Date.now() - t0} ms`);
            assert.deepEqual(result, { count: COUNT, inOrder: true });
            assert.equal(inbox.disconnectInfo, null);
            // the counter is per socket: a second socket starts at 0
            const other = await connect(ctx.server, '/', variant, {}, { tracker });
            other.socket.emit('seq', 0);
            other.socket.emit('seq', 1);
            assert.deepEqual((await emitAckWithin(3000, other.socket, 'seqResult'))[0], { count: 2, inOrder: true });
        });

        it(`${variant.name}: an out-of-order sequence is reported as such`, async () => {
            const { socket } = await connect(ctx.server, '/', variant, {}, { tracker });
            socket.emit('seq', 0);
            socket.emit('seq', 2);
            assert.deepEqual((await emitAckWithin(3000, socket, 'seqResult'))[0], { count: 2, inOrder: false });
        });

        it(`${variant.name}: 2000 server-to-client events ("echo" without ack) arrive in order`,
            { timeout: 20000 }, async () => {
                const { socket, inbox } = await connect(ctx.server, '/', variant, {}, { tracker });
                for (let i = 0; i < 2000; i++) {
                    socket.emit('echo', i);
                }
                await inbox.nth('echo', 2000, 15000);
                const got = inbox.ofEvent('echo').map((e) => e.args[0]);
                assert.equal(got.length, 2000);
                assert.ok(got.every((v, i) => v === i), 'echoes out of order');
            });
    }
});
