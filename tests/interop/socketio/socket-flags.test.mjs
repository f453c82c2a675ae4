// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The flags of Node's Socket on what the server sends to one client, from QSocketIoSocket::asVolatile(),
// compress() and timeout() ("flagged" on the test server): a volatile event reaches an idle client,
// compress(false) is accepted, and socket->timeout(ms).emitWithAck() times out like Node's
// socket.timeout(ms).emit(ev, cb) when socket.io-client 4.8 never calls the ack (and resolves when it does).

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VARIANTS, bytes, clientTracker, connect, emitAck, nextEvent, normalize, useSioServer } from './lib/sio.mjs';

describe('socket flags (asVolatile, compress, timeout)', () => {
    const ctx = useSioServer();
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    for (const variant of VARIANTS) {
        it(`${variant.name}: socket->timeout(200).emitWithAck that the client never answers -> timeout`, async () => {
            const { socket } = await connect(ctx.server, '/', variant, {}, { tracker });
            let asked = 0;
            socket.on('silent', (x, ack) => { asked++; assert.equal(typeof ack, 'function'); });
            const t0 = Date.now();
            const [result] = await emitAck(socket, 'flagged', { timeout: 200 }, 'silent', 1);
            const elapsed = Date.now() - t0;
            assert.deepEqual(result, { ok: false, error: 'timeout' });
            assert.equal(asked, 1);
            assert.ok(elapsed >= 150, `timed out after only ${elapsed} ms (timeout 200 ms)`);
            assert.ok(elapsed < 2500, `timed out only after ${elapsed} ms (timeout 200 ms)`);
        });

        it(`${variant.name}: socket->timeout(2000).emitWithAck answered in time -> the client's arguments`, async () => {
            const { socket } = await connect(ctx.server, '/', variant, {}, { tracker });
            socket.on('question', (x, buf, ack) => ack(x + 1, buf));
            const [result] = await emitAck(socket, 'flagged', { timeout: 2000 }, 'question', 41, bytes(3));
            assert.deepEqual(normalize(result), { ok: true, args: [42, bytes(3)] });
        });

        it(`${variant.name}: socket->compress(false) is accepted and the event arrives`, async () => {
            const { socket } = await connect(ctx.server, '/', variant, {}, { tracker });
            const got = nextEvent(socket, 'packed');
            const [result] = await emitAck(socket, 'flagged', { compress: false }, 'packed', 'x', { y: [1] });
            assert.deepEqual(result, { ok: true });
            assert.deepEqual(await got, ['x', { y: [1] }]);
        });
    }

    it('websocket: socket->asVolatile() reaches an idle client', async () => {
        const { socket } = await connect(ctx.server, '/', VARIANTS[1], {}, { tracker });
        const got = nextEvent(socket, 'fleeting');
        const [result] = await emitAck(socket, 'flagged', { volatile: true }, 'fleeting', 7);
        assert.deepEqual(result, { ok: true });
        assert.deepEqual(await got, [7]);
    });

    it('websocket: volatile and timeout together, answered', async () => {
        const { socket } = await connect(ctx.server, '/', VARIANTS[1], {}, { tracker });
        socket.on('both', (ack) => ack('done'));
        const [result] = await emitAck(socket, 'flagged', { volatile: true, timeout: 2000, compress: false }, 'both');
        assert.deepEqual(result, { ok: true, args: ['done'] });
    });
});
