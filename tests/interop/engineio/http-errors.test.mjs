// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Group 9: error answers over raw HTTP (fetch), as the Engine.IO v4 protocol defines them:
// HTTP 400 with a JSON body { code, message }, 404 outside the Engine.IO path, 413 for too large a POST.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../lib/server.mjs';
import { eioUrl, fetchBounded, rawPollingHandshake, rawWebSocket, socketTracker } from '../lib/eio-client.mjs';

const MAX_BUFFER = 10000;

async function assertEioError(res, code, message) {
    assert.equal(res.status, 400, `expected HTTP 400, got ${res.status}: ${res.body}`);
    let body;
    try {
        body = JSON.parse(res.body);
    } catch {
        assert.fail(`the 400 body is not JSON: ${JSON.stringify(res.body)}`);
    }
    assert.deepEqual(body, { code, message });
}

describe(`HTTP errors (--max-http-buffer-size ${MAX_BUFFER})`, () => {
    const ctx = useServer('EIO_SERVER', ['--port', '0', '--max-http-buffer-size', String(MAX_BUFFER)]);

    it('unknown transport -> 400 {"code":0,"message":"Transport unknown"}', async () => {
        const res = await fetchBounded(eioUrl(ctx.server, { EIO: '4', transport: 'carrier-pigeon' }));
        await assertEioError(res, 0, 'Transport unknown');
    });

    it('missing transport -> 400 {"code":0,"message":"Transport unknown"}', async () => {
        const res = await fetchBounded(eioUrl(ctx.server, { EIO: '4' }));
        await assertEioError(res, 0, 'Transport unknown');
    });

    it('unknown sid -> 400 {"code":1,"message":"Session ID unknown"} (GET and POST)', async () => {
        const url = eioUrl(ctx.server, { EIO: '4', transport: 'polling', sid: 'no-such-session' });
        await assertEioError(await fetchBounded(url), 1, 'Session ID unknown');
        await assertEioError(await fetchBounded(url, { method: 'POST', body: '4hello' }), 1, 'Session ID unknown');
    });

    it('POST without sid (handshake with POST) -> 400 {"code":2,"message":"Bad handshake method"}', async () => {
        const res = await fetchBounded(eioUrl(ctx.server, { EIO: '4', transport: 'polling' }),
            { method: 'POST', body: '4hello', headers: { 'content-type': 'text/plain;charset=UTF-8' } });
        await assertEioError(res, 2, 'Bad handshake method');
    });

    it('EIO=3 -> 400 {"code":5,"message":"Unsupported protocol version"}', async () => {
        const res = await fetchBounded(eioUrl(ctx.server, { EIO: '3', transport: 'polling' }));
        await assertEioError(res, 5, 'Unsupported protocol version');
    });

    it('no EIO parameter -> 400 {"code":5,"message":"Unsupported protocol version"}', async () => {
        const res = await fetchBounded(eioUrl(ctx.server, { transport: 'polling' }));
        await assertEioError(res, 5, 'Unsupported protocol version');
    });

    it('a path outside /engine.io/ -> 404', async () => {
        for (const path of ['/', '/socket.io/', '/engine.iox/', '/other/engine.io/']) {
            const res = await fetchBounded(eioUrl(ctx.server, { EIO: '4', transport: 'polling' }, path));
            assert.equal(res.status, 404, `GET ${path}: expected 404, got ${res.status}: ${res.body}`);
        }
    });

    it(`the handshake announces maxPayload ${MAX_BUFFER}; a POST within it is accepted`, async () => {
        const { sid, handshake } = await rawPollingHandshake(ctx.server);
        assert.equal(handshake.maxPayload, MAX_BUFFER);
        const res = await fetchBounded(eioUrl(ctx.server, { EIO: '4', transport: 'polling', sid }), {
            method: 'POST',
            body: `4${'x'.repeat(MAX_BUFFER - 100)}`,
            headers: { 'content-type': 'text/plain;charset=UTF-8' },
        });
        assert.equal(res.status, 200, `POST within maxPayload: ${res.status} ${res.body}`);
        // The echo comes back on the next poll.
        const poll = await fetchBounded(eioUrl(ctx.server, { EIO: '4', transport: 'polling', sid }), {}, 3000);
        assert.equal(poll.status, 200);
        assert.equal(poll.body, `4${'x'.repeat(MAX_BUFFER - 100)}`);
    });

    it(`POST larger than --max-http-buffer-size ${MAX_BUFFER} -> 413`, async () => {
        const { sid } = await rawPollingHandshake(ctx.server);
        const res = await fetchBounded(eioUrl(ctx.server, { EIO: '4', transport: 'polling', sid }), {
            method: 'POST',
            body: `4${'x'.repeat(MAX_BUFFER * 2)}`,
            headers: { 'content-type': 'text/plain;charset=UTF-8' },
        });
        assert.equal(res.status, 413, `expected 413, got ${res.status}: ${res.body}`);
    });
});

describe(`message limits over websocket (--max-http-buffer-size ${MAX_BUFFER})`, () => {
    const ctx = useServer('EIO_SERVER', ['--port', '0', '--max-http-buffer-size', String(MAX_BUFFER)]);

    it('a frame within maxPayload is echoed; a frame larger than maxPayload ends the session', async () => {
        const tracker = socketTracker();
        try {
            const raw = await rawWebSocket(ctx.server.wsUrl('/engine.io/?EIO=4&transport=websocket'), { tracker });
            const open = await raw.next(3000);
            const sid = JSON.parse(open.data.slice(1)).sid;
            const within = `4${'y'.repeat(MAX_BUFFER - 100)}`;
            raw.send(within);
            assert.equal((await raw.next(3000)).data, within);
            raw.send(`4${'z'.repeat(MAX_BUFFER * 2)}`);
            await raw.closed(3000);
            await ctx.server.waitForEvent('CLOSE', sid, 3000);
        } finally {
            tracker.closeAll();
        }
    });
});

describe('--transports websocket', () => {
    const ctx = useServer('EIO_SERVER', ['--port', '0', '--transports', 'websocket']);

    it('a polling handshake -> 400 {"code":0,"message":"Transport unknown"}', async () => {
        const res = await fetchBounded(eioUrl(ctx.server, { EIO: '4', transport: 'polling' }));
        await assertEioError(res, 0, 'Transport unknown');
    });

    it('a WebSocket handshake still works', async () => {
        const tracker = socketTracker();
        try {
            const raw = await rawWebSocket(ctx.server.wsUrl('/engine.io/?EIO=4&transport=websocket'), { tracker });
            const open = await raw.next(3000);
            assert.match(open.data, /^0\{/);
            assert.deepEqual(JSON.parse(open.data.slice(1)).upgrades, []);
        } finally {
            tracker.closeAll();
        }
    });
});
