// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Group 7: CORS on the polling transport (preflight and actual requests), and WebSocket
// connections carrying an Origin header while CORS is configured.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../lib/server.mjs';
import { eioUrl, fetchBounded, openClient, socketTracker } from '../lib/eio-client.mjs';

const ORIGIN = 'http://example.com';
const SECOND_ORIGIN = 'http://second.example.org';
const OTHER_ORIGIN = 'http://evil.example.net';

function listHeader(headers, name) {
    return (headers.get(name) ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
}

function preflight(server, origin) {
    return fetchBounded(eioUrl(server, { EIO: '4', transport: 'polling' }), {
        method: 'OPTIONS',
        headers: {
            Origin: origin,
            'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'content-type',
        },
    });
}

function handshakeFrom(server, origin) {
    return fetchBounded(eioUrl(server, { EIO: '4', transport: 'polling' }), { headers: { Origin: origin } });
}

describe(`CORS: --cors-origin ${ORIGIN} --cors-origin ${SECOND_ORIGIN} --cors-credentials`, () => {
    const ctx = useServer('EIO_SERVER',
        ['--port', '0', '--cors-origin', ORIGIN, '--cors-origin', SECOND_ORIGIN, '--cors-credentials']);
    const tracker = socketTracker();
    afterEach(() => tracker.closeAll());

    it('OPTIONS preflight: 204, Allow-Origin, Allow-Credentials, Allow-Methods GET and POST, Vary: Origin', async () => {
        const res = await preflight(ctx.server, ORIGIN);
        assert.equal(res.status, 204);
        assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
        assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
        const methods = listHeader(res.headers, 'access-control-allow-methods');
        assert.ok(methods.includes('get') && methods.includes('post'), `Allow-Methods: ${methods}`);
        assert.ok(listHeader(res.headers, 'vary').includes('origin'), `Vary: ${res.headers.get('vary')}`);
    });

    it('OPTIONS preflight allows the requested content-type header', async () => {
        const res = await preflight(ctx.server, ORIGIN);
        const allowed = listHeader(res.headers, 'access-control-allow-headers');
        assert.ok(allowed.includes('content-type'),
            `Access-Control-Allow-Headers: ${res.headers.get('access-control-allow-headers')}`);
    });

    it('a repeated --cors-origin is honoured too', async () => {
        const res = await preflight(ctx.server, SECOND_ORIGIN);
        assert.equal(res.status, 204);
        assert.equal(res.headers.get('access-control-allow-origin'), SECOND_ORIGIN);
        const hs = await handshakeFrom(ctx.server, SECOND_ORIGIN);
        assert.equal(hs.status, 200);
        assert.equal(hs.headers.get('access-control-allow-origin'), SECOND_ORIGIN);
    });

    it('a handshake GET from the allowed origin carries Access-Control-Allow-Origin and -Credentials', async () => {
        const res = await handshakeFrom(ctx.server, ORIGIN);
        assert.equal(res.status, 200);
        assert.match(res.body, /^0\{/);
        assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
        assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    });

    it('a handshake GET from another origin has no Access-Control-Allow-Origin', async () => {
        const res = await handshakeFrom(ctx.server, OTHER_ORIGIN);
        assert.equal(res.headers.get('access-control-allow-origin'), null,
            `unexpected Access-Control-Allow-Origin: ${res.headers.get('access-control-allow-origin')}`);
    });

    it('a preflight from another origin has no Access-Control-Allow-Origin', async () => {
        const res = await preflight(ctx.server, OTHER_ORIGIN);
        assert.equal(res.headers.get('access-control-allow-origin'), null);
    });

    it('engine.io-client over websocket with an Origin header works while CORS is configured', async () => {
        const { socket, inbox } = await openClient(ctx.server,
            { transports: ['websocket'], extraHeaders: { origin: ORIGIN } }, { tracker });
        assert.equal(socket.transport.name, 'websocket');
        socket.send('through websocket');
        socket.send(Buffer.from([42]));
        const [text, bin] = await inbox.take(2);
        assert.equal(text, 'through websocket');
        assert.deepEqual(Buffer.from(bin), Buffer.from([42]));
        assert.equal(await ctx.server.waitForEvent('OPEN', socket.id, 3000), 'websocket');
    });

    it('engine.io-client polling -> websocket upgrade with an Origin header works while CORS is configured', async () => {
        const { socket, inbox } = await openClient(ctx.server,
            { transports: ['polling', 'websocket'], extraHeaders: { origin: ORIGIN } }, { tracker });
        socket.send('over polling');
        assert.equal(await inbox.next(), 'over polling');
        assert.equal(await inbox.upgraded(5000), 'websocket');
        socket.send('over websocket');
        assert.equal(await inbox.next(), 'over websocket');
    });
});

describe('CORS: --cors-origin "*"', () => {
    const ctx = useServer('EIO_SERVER', ['--port', '0', '--cors-origin', '*']);

    it('any origin is allowed on the preflight and on the handshake', async () => {
        const pre = await preflight(ctx.server, OTHER_ORIGIN);
        assert.equal(pre.status, 204);
        const allow = pre.headers.get('access-control-allow-origin');
        assert.ok(allow === '*' || allow === OTHER_ORIGIN, `Access-Control-Allow-Origin: ${allow}`);
        const hs = await handshakeFrom(ctx.server, OTHER_ORIGIN);
        assert.equal(hs.status, 200);
        const allowHs = hs.headers.get('access-control-allow-origin');
        assert.ok(allowHs === '*' || allowHs === OTHER_ORIGIN, `Access-Control-Allow-Origin: ${allowHs}`);
    });
});
