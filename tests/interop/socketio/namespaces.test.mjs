// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Group 4: several namespaces multiplexed over one engine connection (io() caches one Manager per
// server), dynamic namespaces (/^\/dyn-\d+$/), and unknown namespaces (connect_error).

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
    SIO_PATH, SioInbox, VARIANTS, awaitConnect, awaitUpgrade, clientTracker, connect, connectError, emitAck,
    io, quietPeriod, useSioServer, withTimeout, waitConnectLine, waitDisconnectLine,
} from './lib/sio.mjs';

// io() keeps one Manager per server address in a module-wide cache, whatever the options of later
// calls: so each variant gets a server (and port) of its own.
for (const variant of VARIANTS) {
    describe(`namespaces over ${variant.name}`, () => {
        const ctx = useSioServer();
        const tracker = clientTracker();
        afterEach(() => tracker.closeAll());

        it('io(url) and io(url + "/chat") share one Manager and one engine connection', async () => {
            const opts = { path: SIO_PATH, reconnection: false, ...variant.opts };
            const root = tracker.add(io(ctx.server.url('/'), opts));
            const chat = tracker.add(io(ctx.server.url('/chat'), opts));
            const rootInbox = new SioInbox(root);
            const chatInbox = new SioInbox(chat);
            await awaitConnect(root, 5000, 'connect to /');
            await awaitConnect(chat, 5000, 'connect to /chat');
            assert.equal(root.io, chat.io, 'the two sockets must share their Manager');
            assert.ok(root.io.engine.id, 'engine id');
            assert.equal(root.io.engine.id, chat.io.engine.id);
            if (variant.upgrade) {
                await awaitUpgrade(root);
            }
            assert.equal(root.io.engine.transport.name, variant.final);
            assert.notEqual(root.id, chat.id);
            await waitConnectLine(ctx.server, '/', root.id);
            await waitConnectLine(ctx.server, '/chat', chat.id);

            root.emit('echo', 'to root');
            chat.emit('echo', 'to chat');
            assert.deepEqual(await rootInbox.nth('echo'), ['to root']);
            assert.deepEqual(await chatInbox.nth('echo'), ['to chat']);
            assert.deepEqual(await emitAck(root, 'echo', 'sync'), ['sync']);
            assert.equal(rootInbox.ofEvent('echo').length, 1);
            assert.equal(chatInbox.ofEvent('echo').length, 1);

            // leaving /chat keeps / (and the engine connection) alive
            const chatId = chat.id;
            const engineId = root.io.engine.id;
            chat.disconnect();
            assert.equal(await waitDisconnectLine(ctx.server, '/chat', chatId), 'client namespace disconnect');
            assert.deepEqual(await emitAck(root, 'echo', 'still'), ['still']);
            assert.equal(root.io.engine.id, engineId);
            assert.equal(rootInbox.disconnectInfo, null);
        });

        it('with forceNew every socket has its own engine connection', async () => {
            const a = await connect(ctx.server, '/', variant, {}, { tracker });
            const b = await connect(ctx.server, '/chat', variant, {}, { tracker });
            assert.notEqual(a.socket.io, b.socket.io);
            assert.notEqual(a.socket.io.engine.id, b.socket.io.engine.id);
        });

        it('dynamic namespaces /dyn-1 and /dyn-42 connect, on one connection, and stay apart', async () => {
            const d1 = await connect(ctx.server, '/dyn-1', variant, {}, { tracker });
            const d42 = tracker.add(d1.socket.io.socket('/dyn-42'));
            const d42Inbox = new SioInbox(d42);
            await awaitConnect(d42, 3000, 'connect to /dyn-42');
            assert.equal(d1.socket.io.engine.id, d42.io.engine.id);
            await waitConnectLine(ctx.server, '/dyn-1', d1.socket.id);
            await waitConnectLine(ctx.server, '/dyn-42', d42.id);
            const other1 = await connect(ctx.server, '/dyn-1', variant, {}, { tracker });
            const root = await connect(ctx.server, '/', variant, {}, { tracker });

            assert.deepEqual(await emitAck(d42, 'echo', 'in 42'), ['in 42']);
            // to everybody in /dyn-1: the two /dyn-1 sockets, not /dyn-42, not /
            d1.socket.emit('toExcept', [], [], 'hello', 'dyn-1 marker');
            assert.deepEqual(await d1.inbox.nth('hello'), ['dyn-1 marker']);
            assert.deepEqual(await other1.inbox.nth('hello'), ['dyn-1 marker']);
            await quietPeriod(200);
            assert.deepEqual(d42Inbox.ofEvent('hello'), []);
            assert.deepEqual(root.inbox.ofEvent('hello'), []);
            assert.equal(d1.inbox.ofEvent('hello').length, 1);
        });

        for (const nsp of ['/nope', '/dyn-abc', '/dyn-', '/dyn-1x', '/chat/sub', '/Chat']) {
            it(`unknown namespace ${nsp} -> connect_error "Invalid namespace"`, async () => {
                const { err } = await connectError(ctx.server, nsp, variant, {}, { tracker });
                assert.equal(err.message, 'Invalid namespace');
            });
        }

        it('an invalid namespace on a shared Manager leaves the connected namespace working', async () => {
            const root = await connect(ctx.server, '/', variant, {}, { tracker });
            const bad = root.socket.io.socket('/unknown');
            const [err] = await withTimeout(new Promise((resolve, reject) => {
                bad.once('connect_error', (...a) => resolve(a));
                bad.once('connect', () => reject(new Error('/unknown connected')));
            }), 3000, 'connect_error on /unknown');
            assert.equal(err.message, 'Invalid namespace');
            assert.deepEqual(await emitAck(root.socket, 'echo', 'fine'), ['fine']);
            assert.equal(root.inbox.disconnectInfo, null);
        });
    });
}
