// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Group 5: heartbeat with short intervals. engine.io-client answers the server's pings and stays
// open; raw clients that never answer are closed by the server with "ping timeout".

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../lib/server.mjs';
import {
    eioUrl, fetchBounded, openClient, rawPollingHandshake, rawWebSocket, socketTracker, splitPayload,
} from '../lib/eio-client.mjs';

const PING_INTERVAL = 200;
const PING_TIMEOUT = 300;
const SLACK = 700;

describe(`heartbeat (--ping-interval ${PING_INTERVAL} --ping-timeout ${PING_TIMEOUT})`, () => {
    const ctx = useServer('EIO_SERVER',
        ['--port', '0', '--ping-interval', String(PING_INTERVAL), '--ping-timeout', String(PING_TIMEOUT)]);
    const tracker = socketTracker();
    afterEach(() => tracker.closeAll());

    for (const transport of ['polling', 'websocket']) {
        it(`engine.io-client over ${transport} answers pings and stays open for several cycles`, async () => {
            const { socket, inbox } = await openClient(ctx.server, { transports: [transport] }, { tracker });
            assert.equal(inbox.handshake.pingInterval, PING_INTERVAL);
            assert.equal(inbox.handshake.pingTimeout, PING_TIMEOUT);
            const started = Date.now();
            // 7 pings at 200 ms: ~1.4 s, several full ping/pong cycles.
            await inbox.pingsAtLeast(7, 7 * PING_INTERVAL + 2000);
            const elapsed = Date.now() - started;
            assert.ok(elapsed >= 5 * PING_INTERVAL, `7 pings came in only ${elapsed} ms: pings too frequent`);
            assert.equal(inbox.closeInfo, null);
            socket.send('still alive');
            assert.equal(await inbox.next(2000), 'still alive');
            assert.deepEqual(ctx.server.eventsFor('CLOSE', socket.id), []);
        });
    }

    it('a raw WebSocket client that never answers pings is closed with "ping timeout"', async () => {
        const raw = await rawWebSocket(ctx.server.wsUrl('/engine.io/?EIO=4&transport=websocket'), { tracker });
        const open = await raw.next(3000);
        const t0 = Date.now();
        assert.equal(open.data[0], '0');
        const sid = JSON.parse(open.data.slice(1)).sid;
        const reason = await ctx.server.waitForEvent('CLOSE', sid, PING_INTERVAL + PING_TIMEOUT + SLACK);
        const elapsed = Date.now() - t0;
        assert.equal(reason, 'ping timeout');
        assert.ok(elapsed >= PING_TIMEOUT, `closed after ${elapsed} ms, sooner than pingTimeout`);
        const pings = raw.frames.filter((f) => f.data === '2');
        assert.ok(pings.length >= 1, `expected a ping frame "2", got ${JSON.stringify(raw.frames.map((f) => f.data))}`);
        await raw.closed(2000); // the server also closes the WebSocket itself
    });

    it('a raw polling client that never answers pings is closed with "ping timeout"', async () => {
        const { sid } = await rawPollingHandshake(ctx.server);
        const t0 = Date.now();
        // One long-poll: it should return the server's ping after ~pingInterval. Then go silent.
        const poll = await fetchBounded(eioUrl(ctx.server, { EIO: '4', transport: 'polling', sid }), {}, 3000);
        assert.equal(poll.status, 200);
        assert.ok(splitPayload(poll.body).includes('2'), `expected a ping packet "2", got ${JSON.stringify(poll.body)}`);
        const reason = await ctx.server.waitForEvent('CLOSE', sid, PING_INTERVAL + PING_TIMEOUT + SLACK);
        const elapsed = Date.now() - t0;
        assert.equal(reason, 'ping timeout');
        assert.ok(elapsed >= PING_TIMEOUT, `closed after ${elapsed} ms, sooner than pingTimeout`);
        assert.ok(elapsed <= PING_INTERVAL + PING_TIMEOUT + SLACK, `closed only after ${elapsed} ms`);
        // The session is gone: polling it again is "Session ID unknown".
        const after = await fetchBounded(eioUrl(ctx.server, { EIO: '4', transport: 'polling', sid }), {}, 3000);
        assert.equal(after.status, 400);
        assert.deepEqual(JSON.parse(after.body), { code: 1, message: 'Session ID unknown' });
    });

    it('a raw WebSocket client that answers pings with "3" stays open', async () => {
        const raw = await rawWebSocket(ctx.server.wsUrl('/engine.io/?EIO=4&transport=websocket'), { tracker });
        const open = await raw.next(3000);
        const sid = JSON.parse(open.data.slice(1)).sid;
        let pings = 0;
        while (pings < 4) {
            const f = await raw.next(PING_INTERVAL + 1000);
            if (f.data === '2') {
                pings++;
                raw.send('3');
            }
        }
        raw.send('4ok');
        let f;
        do {
            f = await raw.next(2000);
        } while (f.data === '2');
        assert.equal(f.data, '4ok');
        assert.deepEqual(ctx.server.eventsFor('CLOSE', sid), []);
    });
});
