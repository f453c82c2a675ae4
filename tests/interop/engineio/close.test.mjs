// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Group 6: closing from the client (socket.close()) and from the server (cmd:close), and server shutdown.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serverBinaryFromEnv, startServer, useServer } from '../lib/server.mjs';
import { openClient, socketTracker } from '../lib/eio-client.mjs';

const variants = [
    { name: 'polling', opts: { transports: ['polling'] } },
    { name: 'websocket', opts: { transports: ['websocket'] } },
    { name: 'websocket after upgrade from polling', opts: { transports: ['polling', 'websocket'] }, upgrade: true },
];

describe('close', () => {
    const ctx = useServer('EIO_SERVER', ['--port', '0']);
    const tracker = socketTracker();
    afterEach(() => tracker.closeAll());

    for (const { name, opts, upgrade } of variants) {
        const open = async () => {
            const client = await openClient(ctx.server, opts, { tracker });
            if (upgrade) {
                assert.equal(await client.inbox.upgraded(5000), 'websocket');
                await ctx.server.waitForEvent('UPGRADE', client.socket.id, 3000);
            }
            return client;
        };

        it(`${name}: client socket.close() -> server prints CLOSE <sid> transport close`, async () => {
            const { socket, inbox } = await open();
            const sid = socket.id;
            socket.send('before close');
            assert.equal(await inbox.next(), 'before close');
            socket.close();
            assert.equal((await inbox.closed(1000)).reason, 'forced close');
            assert.equal(await ctx.server.waitForEvent('CLOSE', sid, 3000), 'transport close');
            assert.equal(ctx.server.eventsFor('CLOSE', sid).length, 1, 'CLOSE printed more than once');
        });

        it(`${name}: cmd:close -> client 'close' with "transport close" after everything sent before`, async () => {
            const { socket, inbox } = await open();
            const sid = socket.id;
            socket.send('a');
            socket.send(Buffer.from([7]));
            socket.send('cmd:burst 20');
            socket.send('cmd:binary 5');
            socket.send('cmd:close');
            const { reason } = await inbox.closed(3000);
            assert.equal(reason, 'transport close');
            const expected = ['a', '<bin 07>', ...Array.from({ length: 20 }, (_, i) => `burst:${i}`), '<bin 0001020304>'];
            const got = inbox.messages.map((m) => (typeof m === 'string' ? m : `<bin ${Buffer.from(m).toString('hex')}>`));
            assert.deepEqual(got, expected);
            const serverReason = await ctx.server.waitForEvent('CLOSE', sid, 3000);
            assert.equal(serverReason, 'forced close');
        });
    }
});

describe('server shutdown (SIGTERM) with open sessions', () => {
    const tracker = socketTracker();
    afterEach(() => tracker.closeAll());

    it('prints CLOSE <sid> server shutting down for each session, clients see the close, exit is clean', async () => {
        const server = await startServer(serverBinaryFromEnv('EIO_SERVER'), ['--port', '0']);
        try {
            const a = await openClient(server, { transports: ['polling'] }, { tracker });
            const b = await openClient(server, { transports: ['websocket'] }, { tracker });
            const sids = [a.socket.id, b.socket.id];
            const result = await server.stop();
            assert.ok((result.code === 0 && result.signal === null) || result.signal === 'SIGTERM',
                `unclean exit: ${server.describeExit()}`);
            for (const sid of sids) {
                assert.deepEqual(server.eventsFor('CLOSE', sid), [`CLOSE ${sid} server shutting down`]);
            }
            const [ca, cb] = await Promise.all([a.inbox.closed(3000), b.inbox.closed(3000)]);
            assert.equal(ca.reason, 'transport close');
            assert.equal(cb.reason, 'transport close');
        } finally {
            await server.stop();
        }
    });
});
