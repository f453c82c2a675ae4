// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// A bare QEngineIoServer attached to an application's QHttpServer (QEngineIoServer::attach()), with
// engine.io-client 6.6: polling, the upgrade to WebSocket (through QHttpServer's WebSocket hand-over), text and
// binary echo, and the application's own route on the same port.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Socket } from 'engine.io-client';
import { useServer } from '../lib/server.mjs';

const sockets = new Set();
function once(emitter, event, ms = 5000) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
        emitter.once(event, (...args) => { clearTimeout(timer); resolve(args); });
    });
}

describe('QEngineIoServer::attach(QHttpServer)', () => {
    const ctx = useServer('HTTPSERVER_APP', ['--engine']);
    afterEach(() => {
        for (const socket of sockets) {
            socket.close();
        }
        sockets.clear();
    });

    it('polling, then the upgrade to WebSocket; text and binary echo; the app route still answers', async () => {
        const socket = new Socket(ctx.server.url(''), { path: '/engine.io/', transports: ['polling', 'websocket'] });
        sockets.add(socket);
        await once(socket, 'open');
        assert.equal(socket.transport.name, 'polling');
        await ctx.server.waitForLine(new RegExp(`^CONNECT ${socket.id} polling$`), 3000);
        const [transport] = await once(socket, 'upgrade');
        assert.equal(transport.name, 'websocket');
        await ctx.server.waitForLine(new RegExp(`^UPGRADE ${socket.id} websocket$`), 3000);
        socket.send('hello');
        assert.deepEqual(await once(socket, 'message'), ['hello']);
        socket.send(Buffer.from([1, 2, 3]));
        const [binary] = await once(socket, 'message');
        assert.deepEqual(Buffer.from(binary), Buffer.from([1, 2, 3]));
        const res = await fetch(ctx.server.url('/api/hello'));
        assert.equal(await res.text(), 'hello from QHttpServer');
    });

    it('a WebSocket-only client', async () => {
        const socket = new Socket(ctx.server.url(''), { path: '/engine.io/', transports: ['websocket'] });
        sockets.add(socket);
        await once(socket, 'open');
        assert.equal(socket.transport.name, 'websocket');
        socket.send('ws');
        assert.deepEqual(await once(socket, 'message'), ['ws']);
    });
});
