// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Group 8: connectTimeout. With --connect-timeout 300, an Engine.IO connection that never sends a
// Socket.IO CONNECT is closed by the server within about a second; one that connects in time is not.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
    VARIANTS, clientTracker, connect, emitAck, quietPeriod, rawConnectNamespace, rawEngine, useSioServer,
} from './lib/sio.mjs';

const CONNECT_TIMEOUT = 300;

describe(`connect timeout (--connect-timeout ${CONNECT_TIMEOUT})`, () => {
    const ctx = useSioServer(['--connect-timeout', String(CONNECT_TIMEOUT)]);
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    for (const transport of ['polling', 'websocket']) {
        it(`${transport}: an engine connection without a Socket.IO CONNECT is closed within ~1 s`, async (t) => {
            const t0 = Date.now();
            const raw = await rawEngine(ctx.server, [transport], { tracker });
            const opened = Date.now();
            const { reason } = await raw.closed(2000);
            const elapsed = raw.closeInfo.at - opened;
            t.diagnostic(`closed after ${elapsed} ms (${Date.now() - t0} ms from the start), client reason "${reason}"`);
            assert.ok(elapsed >= CONNECT_TIMEOUT - 100, `closed after only ${elapsed} ms`);
            assert.ok(elapsed <= 1000 + 200, `closed after ${elapsed} ms, expected about ${CONNECT_TIMEOUT} ms`);
            assert.ok(['transport close', 'transport error'].includes(reason), `engine.io-client reason "${reason}"`);
            assert.deepEqual(raw.messages, [], 'the server sent something to a socket that never connected');
        });

        it(`${transport}: a raw client sending CONNECT after 100 ms stays connected past the timeout`, async () => {
            const raw = await rawEngine(ctx.server, [transport], { tracker });
            await quietPeriod(100);
            const sid = await rawConnectNamespace(raw, '/');
            assert.equal(typeof sid, 'string');
            await quietPeriod(CONNECT_TIMEOUT + 300);
            assert.equal(raw.closeInfo, null, 'closed although it connected in time');
            raw.send('21["echo","alive"]');
            await raw.waitMessage((m) => m === '31["alive"]', 2000, 'the ack 31["alive"]');
        });
    }

    for (const variant of VARIANTS) {
        it(`${variant.name}: socket.io-client is not affected by the connect timeout`, async () => {
            const { socket, inbox } = await connect(ctx.server, '/', variant, {}, { tracker });
            await quietPeriod(CONNECT_TIMEOUT + 200);
            assert.deepEqual(await emitAck(socket, 'echo', 'alive'), ['alive']);
            assert.equal(inbox.disconnectInfo, null);
        });
    }
});
