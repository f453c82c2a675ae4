// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// QEngineIoServer::setGenerateId() (Node's generateId) seen through engine.io-client 6.6, on every transport. The
// eioserver's generator (--generate-id) gives "custom-<n>", or "wrong-thread-<n>" when it is not called in the
// server's thread. With the transports on I/O threads (interop_engineio_io2) a custom id names no thread: the
// polling sessions stay sticky through the server's table of custom ids.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../lib/server.mjs';
import { openClient, socketTracker } from '../lib/eio-client.mjs';

describe('generateId (--generate-id)', () => {
    const ctx = useServer('EIO_SERVER', ['--port', '0', '--generate-id']);
    const tracker = socketTracker();
    afterEach(() => tracker.closeAll());

    it('polling only: custom ids, and every request of every session reaches it', async () => {
        const clients = [];
        for (let i = 0; i < 4; i++) {
            clients.push(await openClient(ctx.server, { transports: ['polling'] }, { tracker }));
        }
        const ids = clients.map(({ socket }) => socket.id);
        for (const id of ids) {
            assert.match(id, /^custom-\d+$/);
        }
        assert.equal(new Set(ids).size, ids.length);
        // Long polls held while POSTs go out: several connections per client, spread over the I/O threads.
        for (let round = 0; round < 5; round++) {
            clients.forEach(({ socket }, i) => socket.send(`m${round}-${i}`));
        }
        for (const [i, { inbox }] of clients.entries()) {
            assert.deepEqual(await inbox.take(5, 10000), [0, 1, 2, 3, 4].map((round) => `m${round}-${i}`));
        }
        for (const { socket, inbox } of clients) {
            assert.equal(inbox.closeInfo, null);
            assert.equal(socket.transport.name, 'polling');
        }
        for (const id of ids) {
            await ctx.server.waitForEvent('OPEN', id, 3000);
        }
    });

    for (const transports of [['websocket'], ['polling', 'websocket']]) {
        it(`${transports.join(' -> ')}: the custom id stays the session's`, async () => {
            const { socket, inbox } = await openClient(ctx.server, { transports }, { tracker });
            assert.match(socket.id, /^custom-\d+$/);
            if (transports.length > 1) {
                assert.equal(await inbox.upgraded(5000), 'websocket');
            }
            socket.send('hello');
            assert.equal(await inbox.next(), 'hello');
            socket.send('cmd:stats');
            const stats = JSON.parse((await inbox.next()).slice('stats:'.length));
            assert.equal(stats.id, socket.id);
            assert.equal(stats.transport, 'websocket');
        });
    }
});
