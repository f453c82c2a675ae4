// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Socket.IO on the port of an application's QHttpServer (QSocketIoServer::attach()) and on a QTcpServer the
// application owns (bind()), with socket.io-client 4.8: every transport, the application's own HTTP routes and
// WebSocket endpoint next to it, and what becomes of bad Socket.IO WebSockets once QHttpServer has said 101.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { useServer } from '../lib/server.mjs';

const clients = new Set();
function connect(server, options) {
    const socket = io(server.url(''), { forceNew: true, reconnection: false, timeout: 5000, ...options });
    clients.add(socket);
    return socket;
}
function once(emitter, event, ms = 5000) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
        emitter.once(event, (...args) => { clearTimeout(timer); resolve(args); });
    });
}
async function connected(socket) {
    const failed = once(socket, 'connect_error').then(([error]) => { throw error; });
    await Promise.race([once(socket, 'connect'), failed]);
}
function rawWebSocket(url) {
    const ws = new WebSocket(url);
    const events = { opened: false, messages: [], close: null, status: null };
    ws.on('upgrade', (response) => { events.status = response.statusCode; });
    ws.on('open', () => { events.opened = true; });
    ws.on('message', (data) => events.messages.push(data.toString()));
    const closed = new Promise((resolve) => ws.on('close', (code, reason) => {
        events.close = { code, reason: reason.toString() };
        resolve(events.close);
    }));
    ws.on('error', () => {});
    return { ws, events, closed };
}
function withTimeout(promise, ms, what) {
    return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))]);
}

const VARIANTS = [
    { name: 'polling then upgrade', options: {}, final: 'websocket' },
    { name: 'polling only', options: { transports: ['polling'] }, final: 'polling' },
    { name: 'websocket only', options: { transports: ['websocket'] }, final: 'websocket' },
];

describe('attach(QHttpServer): Socket.IO and the application share a port', () => {
    const ctx = useServer('HTTPSERVER_APP', ['--serve-client']);
    afterEach(() => { for (const socket of clients) socket.disconnect(); clients.clear(); });

    for (const variant of VARIANTS) {
        it(`${variant.name}: connects, acks, and the app's routes answer meanwhile`, async () => {
            const socket = connect(ctx.server, variant.options);
            await connected(socket);
            if (variant.final === 'websocket' && socket.io.engine.transport.name !== 'websocket')
                await once(socket.io.engine, 'upgrade');
            assert.equal(socket.io.engine.transport.name, variant.final);
            const payload = { text: 'ü€😀', list: [1, null, true], bytes: Buffer.from([0, 1, 255]) };
            for (let i = 0; i < 20; ++i) {
                const echoed = await socket.timeout(5000).emitWithAck('echo', { ...payload, i });
                assert.equal(echoed.i, i);
                assert.equal(echoed.text, payload.text);
                assert.deepEqual([...echoed.bytes], [0, 1, 255]);
                const response = await fetch(ctx.server.url('/api/sum/' + i + '/2'));
                assert.equal(await response.text(), String(i + 2));
            }
            const hello = await fetch(ctx.server.url('/api/hello'));
            assert.equal(hello.status, 200);
            assert.equal(await hello.text(), 'hello from QHttpServer');
            await ctx.server.waitForLine(new RegExp(`^CONNECT ${socket.id} `), 5000);
        });
    }

    it('the client bundle is served too; the path without its slash is not (addTrailingSlash, as Node)', async () => {
        const handshake = await fetch(ctx.server.url('/socket.io/?EIO=4&transport=polling'));
        assert.equal(handshake.status, 200);
        assert.match(await handshake.text(), /^0\{"sid":"[^"]+"/);
        const noSlash = await fetch(ctx.server.url('/socket.io?EIO=4&transport=polling'));
        assert.equal(noSlash.status, 404);
        const bundle = await fetch(ctx.server.url('/socket.io/socket.io.min.js'));
        assert.equal(bundle.status, 200);
        assert.match(bundle.headers.get('content-type'), /javascript/);
        assert.ok((await bundle.text()).length > 10000);
        const unknown = await fetch(ctx.server.url('/api/nothing-here'));
        assert.equal(unknown.status, 404);
    });

    it('Engine.IO errors keep their codes over QHttpServer (unknown sid, bad version)', async () => {
        const unknownSid = await fetch(ctx.server.url('/socket.io/?EIO=4&transport=polling&sid=nope'));
        assert.equal(unknownSid.status, 400);
        assert.deepEqual(await unknownSid.json(), { code: 1, message: 'Session ID unknown' });
        const badVersion = await fetch(ctx.server.url('/socket.io/?EIO=9&transport=polling'));
        assert.equal(badVersion.status, 400);
        assert.equal((await badVersion.json()).code, 5);
    });

    it('a Socket.IO WebSocket with an unknown sid is closed with 1008 after the 101 of QHttpServer', async () => {
        const { events, closed } = rawWebSocket(ctx.server.wsUrl('/socket.io/?EIO=4&transport=websocket&sid=nope'));
        const close = await withTimeout(closed, 5000, 'close');
        assert.equal(close.code, 1008);
        assert.equal(close.reason, 'Session ID unknown');
        assert.equal(events.messages.length, 0);
    });

    it('a second WebSocket for an upgraded session is closed at once (code 1000), as engine.io does', async () => {
        const socket = connect(ctx.server, { transports: ['websocket'] });
        await connected(socket);
        const sid = socket.io.engine.id;
        const { events, closed } = rawWebSocket(ctx.server.wsUrl(`/socket.io/?EIO=4&transport=websocket&sid=${sid}`));
        const close = await withTimeout(closed, 5000, 'close');
        assert.equal(events.status, 101);
        assert.equal(close.code, 1000);
        const echoed = await socket.timeout(5000).emitWithAck('echo', 'still here');
        assert.equal(echoed, 'still here', 'the first WebSocket is untouched');
    });

    it("the application's own WebSocket endpoint on the same port still works (unhandledWebSocket)", async () => {
        const { ws, events, closed } = rawWebSocket(ctx.server.wsUrl('/app/ws'));
        await withTimeout(new Promise((resolve) => ws.on('open', resolve)), 5000, 'open');
        ws.send('ping');
        await withTimeout(new Promise((resolve) => ws.on('message', resolve)), 5000, 'message');
        assert.deepEqual(events.messages, ['/app/ws: ping']);
        ws.close(1000);
        assert.equal((await withTimeout(closed, 5000, 'close')).code, 1000);
    });

    it('a polling connection taken from QHttpServer is closed after each answer (a browser will not reuse it for the app)', async () => {
        const response = await fetch(ctx.server.url('/socket.io/?EIO=4&transport=polling'));
        assert.equal(response.headers.get('connection'), 'close');
        await response.text();
    });
});

describe('bind(QTcpServer): Socket.IO on a QTcpServer the application owns', () => {
    const ctx = useServer('HTTPSERVER_APP', ['--bind']);
    afterEach(() => { for (const socket of clients) socket.disconnect(); clients.clear(); });

    for (const variant of VARIANTS) {
        it(`${variant.name}: connects and acks`, async () => {
            const socket = connect(ctx.server, variant.options);
            await connected(socket);
            if (variant.final === 'websocket' && socket.io.engine.transport.name !== 'websocket')
                await once(socket.io.engine, 'upgrade');
            assert.equal(socket.io.engine.transport.name, variant.final);
            const echoed = await socket.timeout(5000).emitWithAck('echo', 'over bind');
            assert.equal(echoed, 'over bind');
        });
    }
});
