// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Engine.IO v3: engine.io-client 3.5 (npm alias engine.io-client-v3) against the echo server with allowEIO3
// (eioserver --allow-eio3) over polling (binary and base64), WebSocket and the upgrade; the v3 heartbeat (the
// client pings); and raw HTTP: the v3 handshake, "<length>:<packet>" framing, bad payloads closing the session,
// and 400 for EIO=3 without allowEIO3.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import eioV3 from 'engine.io-client-v3';
import { startServer, serverBinaryFromEnv, useServer } from '../lib/server.mjs';
import { EIO_PATH, eioUrl, fetchBounded, nextEvent, patternBytes, toBuffer, withTimeout } from '../lib/eio-client.mjs';

// engine.io-parser 2.x, the one engine.io-client 3.5 uses: the reference for the binary payload format, which
// engine.io-client 3.x in Node.js never uses itself (its XMLHttpRequest has no responseType, so it sends b64=1).
const EioV3 = eioV3.Socket ?? eioV3;
const parserV2 = createRequire(import.meta.url)('engine.io-client-v3/node_modules/engine.io-parser');

const PING_INTERVAL = 300;
const PING_TIMEOUT = 400;

const VARIANTS = [
    { name: 'polling', opts: { transports: ['polling'], upgrade: false }, final: 'polling' },
    { name: 'polling (base64)', opts: { transports: ['polling'], upgrade: false, forceBase64: true }, final: 'polling' },
    { name: 'websocket', opts: { transports: ['websocket'] }, final: 'websocket' },
    { name: 'polling+upgrade', opts: {}, final: 'websocket', upgrade: true },
];

/** Opens an engine.io-client 3.x socket; resolves with it and its received messages. */
async function openV3(server, variant, tracked) {
    const socket = new EioV3(server.url(''), { path: EIO_PATH, ...variant.opts });
    tracked.push(socket);
    const messages = [];
    const waiters = new Set();
    socket.on('message', (data) => {
        messages.push(data);
        for (const w of [...waiters]) w();
    });
    await withTimeout(new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', (err) => reject(new Error(`engine.io-client 3: ${err.message ?? err}`)));
    }), 5000, `open (${variant.name})`);
    if (variant.upgrade && socket.transport.name !== 'websocket') {
        await nextEvent(socket, 'upgrade', 5000, 'the upgrade');
    }
    assert.equal(socket.transport.name, variant.final);
    const nth = (n, ms = 3000) => withTimeout(new Promise((resolve) => {
        const check = () => {
            if (messages.length >= n) {
                waiters.delete(check);
                resolve(messages[n - 1]);
            }
        };
        waiters.add(check);
        check();
    }), ms, `message ${n}`);
    return { socket, messages, nth };
}

/** POSTs a body to a polling session, then reads (GET) the responses the server has. */
async function rawV3Session(server) {
    const res = await fetchBounded(eioUrl(server, { EIO: '3', transport: 'polling' }));
    assert.equal(res.status, 200);
    const m = /^(\d+):0(\{.*\})$/.exec(res.body);
    assert.ok(m, `a v3 open payload "<length>:0{...}", got ${JSON.stringify(res.body)}`);
    assert.equal(Number(m[1]), m[2].length + 1, 'the length counts the packet');
    return JSON.parse(m[2]);
}

describe(`engine.io-client 3.x with allowEIO3 (--ping-interval ${PING_INTERVAL} --ping-timeout ${PING_TIMEOUT})`, () => {
    const ctx = useServer('EIO_SERVER', ['--port', '0', '--allow-eio3', '--ping-interval', String(PING_INTERVAL),
        '--ping-timeout', String(PING_TIMEOUT)]);
    let tracked = [];
    afterEach(() => {
        for (const s of tracked) {
            try { s.close(); } catch { /* closed */ }
        }
        tracked = [];
    });

    for (const variant of VARIANTS) {
        describe(variant.name, () => {
            it('opens a v3 session and echoes text (UTF-16 lengths), a burst and binary', async () => {
                const from = ctx.server.mark();
                const c = await openV3(ctx.server, variant, tracked);
                await ctx.server.waitForLine(new RegExp(`^OPEN ${c.socket.id} \\S+ v3$`), 3000, from);
                const text = 'h\u00e9llo \u{1F600}\u{1F600} \u20ac 1:2:3';
                c.socket.send(text);
                assert.equal(await c.nth(1), text);
                c.socket.send('cmd:burst 5');
                for (let i = 0; i < 5; i++) {
                    assert.equal(await c.nth(2 + i), `burst:${i}`);
                }
                const bin = patternBytes(1000);
                c.socket.send(bin);
                assert.deepEqual(toBuffer(await c.nth(7)), bin);
                // Text and binary in one payload (the binary payload format unless base64).
                c.socket.send('cmd:binary 300');
                c.socket.send('after');
                assert.deepEqual(toBuffer(await c.nth(8)), patternBytes(300));
                assert.equal(await c.nth(9), 'after');
            });

            it('the client pings, the server answers, the session outlives several intervals', async () => {
                const c = await openV3(ctx.server, variant, tracked);
                let pongs = 0;
                c.socket.on('pong', () => { pongs += 1; });
                await withTimeout(new Promise((resolve) => {
                    const timer = setInterval(() => {
                        if (pongs >= 4) {
                            clearInterval(timer);
                            resolve();
                        }
                    }, 20);
                }), 4 * PING_INTERVAL + 3000, '4 pongs');
                assert.equal(c.socket.readyState, 'open');
                assert.deepEqual(ctx.server.eventsFor('CLOSE', c.socket.id), []);
            });

            it('a close from the client ends the session', async () => {
                const c = await openV3(ctx.server, variant, tracked);
                const sid = c.socket.id;
                c.socket.close();
                assert.equal(await ctx.server.waitForEvent('CLOSE', sid, 3000), 'transport close');
            });
        });
    }

    it('the server closes a session that never pings within pingInterval + pingTimeout', async () => {
        const open = await rawV3Session(ctx.server);
        assert.deepEqual(Object.keys(open).sort(), ['pingInterval', 'pingTimeout', 'sid', 'upgrades']);
        assert.deepEqual(open.upgrades, ['websocket']);
        const t0 = Date.now();
        const reason = await ctx.server.waitForEvent('CLOSE', open.sid, PING_INTERVAL + PING_TIMEOUT + 1500);
        const elapsed = Date.now() - t0;
        assert.equal(reason, 'ping timeout');
        assert.ok(elapsed >= PING_INTERVAL + PING_TIMEOUT - 100, `closed after ${elapsed} ms, too soon`);
    });

    it('a raw ping is answered with "1:3", and v3 payloads are length-framed', async () => {
        const open = await rawV3Session(ctx.server);
        const url = eioUrl(ctx.server, { EIO: '3', transport: 'polling', sid: open.sid });
        const post = await fetchBounded(url, { method: 'POST', body: '1:23:4hi' });
        assert.equal(post.status, 200);
        const poll = await fetchBounded(url, {}, 3000);
        assert.equal(poll.body, '1:33:4hi');
    });

    it('the binary payload format, both ways, as engine.io-parser 2.x writes and reads it', async () => {
        const open = await rawV3Session(ctx.server);   // no b64: the client supports binary
        const url = eioUrl(ctx.server, { EIO: '3', transport: 'polling', sid: open.sid });
        const sent = [
            { type: 'message', data: Buffer.from([0, 1, 2, 255]) },
            { type: 'message', data: 'h\u00e9llo \u{1F600}' },
            { type: 'message', data: patternBytes(300) },
        ];
        const body = await new Promise((resolve) => parserV2.encodePayloadAsBinary(sent, resolve));
        const post = await fetchBounded(url, {
            method: 'POST', body, headers: { 'Content-Type': 'application/octet-stream' },
        });
        assert.equal(post.status, 200);
        // The echoes come back in one binary payload.
        const res = await withTimeout(fetch(url), 3000, 'the poll');
        assert.equal(res.headers.get('content-type'), 'application/octet-stream');
        const payload = Buffer.from(await res.arrayBuffer());
        const got = [];
        parserV2.decodePayload(payload, (packet) => { got.push(packet); });
        assert.equal(got.length, 3, `decoded ${JSON.stringify(got)}`);
        assert.equal(got[0].type, 'message');
        assert.deepEqual(Buffer.from(got[0].data), sent[0].data);
        assert.equal(got[1].data, sent[1].data);
        assert.deepEqual(Buffer.from(got[2].data), sent[2].data);
        // And a text-only reply to the same client is the text format, with UTF-16 lengths.
        await fetchBounded(url, { method: 'POST', body: '4:4\u00e9\u{1F600}' });
        const text = await fetchBounded(url, {}, 3000);
        assert.equal(text.body, '4:4\u00e9\u{1F600}');
        const decoded = [];
        parserV2.decodePayload(text.body, (packet) => { decoded.push(packet); });
        assert.deepEqual(decoded, [{ type: 'message', data: '\u00e9\u{1F600}' }]);
    });

    it('JSONP polling (a "j" in the query) is refused with "Transport unknown"', async () => {
        const res = await fetchBounded(eioUrl(ctx.server, { EIO: '3', transport: 'polling', j: '0' }));
        assert.equal(res.status, 400);
        assert.deepEqual(JSON.parse(res.body), { code: 0, message: 'Transport unknown' });
    });

    const bad = [
        ['a lying length', '9:4hi'],
        ['a non-digit length', 'x:4hi'],
        ['a v4 payload', '4hello\x1e4world'],
        ['an unknown packet type', '1:9'],
    ];
    for (const [what, body] of bad) {
        it(`a payload with ${what} closes the session with "parse error"`, async () => {
            const open = await rawV3Session(ctx.server);
            const url = eioUrl(ctx.server, { EIO: '3', transport: 'polling', sid: open.sid });
            await fetchBounded(url, { method: 'POST', body });
            assert.equal(await ctx.server.waitForEvent('CLOSE', open.sid, 3000), 'parse error');
            const after = await fetchBounded(url, {}, 3000);
            assert.equal(after.status, 400, 'the sid is gone');
        });
    }

    it('a v4 request to a v3 session is refused and the session goes on', async () => {
        const open = await rawV3Session(ctx.server);
        const v4 = await fetchBounded(eioUrl(ctx.server, { EIO: '4', transport: 'polling', sid: open.sid }));
        assert.equal(v4.status, 400);
        const url = eioUrl(ctx.server, { EIO: '3', transport: 'polling', sid: open.sid });
        await fetchBounded(url, { method: 'POST', body: '1:2' });
        assert.equal((await fetchBounded(url, {}, 3000)).body, '1:3');
    });
});

describe('EIO=3 without allowEIO3', () => {
    let server;
    before(async () => { server = await startServer(serverBinaryFromEnv('EIO_SERVER'), ['--port', '0']); });
    after(async () => { await server?.stop(); });

    it('gets 400 {"code":5,"message":"Unsupported protocol version"}', async () => {
        for (const transport of ['polling', 'websocket']) {
            const res = await fetchBounded(eioUrl(server, { EIO: '3', transport }));
            assert.equal(res.status, 400, transport);
            assert.deepEqual(JSON.parse(res.body), { code: 5, message: 'Unsupported protocol version' });
        }
    });

    it('engine.io-client 3.x fails to open', async () => {
        const socket = new EioV3(server.url(''), { path: EIO_PATH, transports: ['polling'] });
        try {
            await withTimeout(new Promise((resolve, reject) => {
                socket.once('error', resolve);
                socket.once('open', () => reject(new Error('opened')));
            }), 5000, 'an error');
        } finally {
            socket.close();
        }
    });
});
