// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The test server's options seen through socket.io-client: --transports restricts the transports
// (and the upgrades offered), --max-http-buffer-size ends a connection that sends a bigger message.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
    SERVER_REASONS, VARIANTS, bytes, clientTracker, connect, connectError, emitAck, normalize, useSioServer,
    waitDisconnectLine,
} from './lib/sio.mjs';

describe('--transports websocket', () => {
    const ctx = useSioServer(['--transports', 'websocket']);
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    it('a WebSocket-only client connects', async () => {
        const { socket } = await connect(ctx.server, '/', VARIANTS[1], {}, { tracker });
        assert.deepEqual(await emitAck(socket, 'echo', 1), [1]);
    });

    it('a polling-only client gets connect_error', async () => {
        const { err } = await connectError(ctx.server, '/', VARIANTS[0], {}, { tracker });
        assert.ok(err instanceof Error);
    });
});

describe('--transports polling', () => {
    const ctx = useSioServer(['--transports', 'polling']);
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    it('the default client connects over polling, is offered no upgrade and stays on polling', async () => {
        const { socket } = await connect(ctx.server, '/', { name: 'default', opts: {} }, {}, { tracker });
        assert.deepEqual(await emitAck(socket, 'echo', 'p'), ['p']);
        assert.equal(socket.io.engine.transport.name, 'polling');
        assert.deepEqual(socket.io.engine._upgrades ?? [], []);
    });

    it('a WebSocket-only client gets connect_error', async () => {
        const { err } = await connectError(ctx.server, '/', VARIANTS[1], {}, { tracker });
        assert.ok(err instanceof Error);
    });
});

describe('--max-http-buffer-size 10000', () => {
    const ctx = useSioServer(['--max-http-buffer-size', '10000']);
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    for (const variant of VARIANTS) {
        it(`${variant.name}: a 5000-byte attachment passes`, async () => {
            const { socket } = await connect(ctx.server, '/', variant, {}, { tracker });
            assert.deepEqual(normalize(await emitAck(socket, 'echo', bytes(5000))), [bytes(5000)]);
        });

        it(`${variant.name}: a 20000-byte message ends the connection; the server keeps serving`, async (t) => {
            const { socket, inbox } = await connect(ctx.server, '/', variant, {}, { tracker });
            const id = socket.id;
            socket.emit('echo', 'x'.repeat(20000));
            const { reason } = await inbox.disconnected(3000);
            const serverReason = await waitDisconnectLine(ctx.server, '/', id, 3000);
            t.diagnostic(`client reason: ${reason}; server reason: ${serverReason}`);
            assert.ok(['transport close', 'transport error'].includes(reason), `client reason ${reason}`);
            assert.ok(SERVER_REASONS.includes(serverReason), `server reason ${serverReason}`);
            assert.deepEqual(inbox.ofEvent('echo'), [], 'the oversized message was handled');
            const fresh = await connect(ctx.server, '/', variant, {}, { tracker });
            assert.deepEqual(await emitAck(fresh.socket, 'echo', 'small'), ['small']);
        });
    }
});
