// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Group 3: polling -> websocket upgrade with engine.io-client, and no upgrade with --no-upgrades.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../lib/server.mjs';
import { openClient, socketTracker } from '../lib/eio-client.mjs';

describe('upgrade polling -> websocket', () => {
    const ctx = useServer('EIO_SERVER', ['--port', '0']);
    const tracker = socketTracker();
    afterEach(() => tracker.closeAll());
    const open = () => openClient(ctx.server, { transports: ['polling', 'websocket'] }, { tracker });

    it("upgrades: client 'upgrade' event with websocket, server prints UPGRADE, echo works afterwards", async () => {
        const { socket, inbox } = await open();
        const sid = socket.id;
        assert.deepEqual(inbox.handshake.upgrades, ['websocket']);
        assert.equal(await ctx.server.waitForEvent('OPEN', sid, 3000), 'polling');
        assert.equal(await inbox.upgraded(5000), 'websocket');
        assert.equal(socket.transport.name, 'websocket');
        assert.equal(await ctx.server.waitForEvent('UPGRADE', sid, 3000), 'websocket');
        socket.send('after upgrade');
        socket.send(Buffer.from([1, 2, 3]));
        const [text, bin] = await inbox.take(2);
        assert.equal(text, 'after upgrade');
        assert.deepEqual(Buffer.from(bin), Buffer.from([1, 2, 3]));
        assert.deepEqual(ctx.server.eventsFor('CLOSE', sid), []);
    });

    it('1000 messages sent right after open, while upgrading and after it come back in order exactly once', async () => {
        const { socket, inbox } = await open();
        const sent = [];
        const sendBatch = (phase, n) => {
            for (let i = 0; i < n; i++) {
                const m = `${phase}-${sent.length}`;
                sent.push(m);
                socket.send(m);
            }
        };
        let sawUpgrading = false;
        socket.once('upgrading', () => {
            sawUpgrading = true;
            sendBatch('upgrading', 250);
        });
        socket.once('upgrade', () => sendBatch('upgraded', 250));
        sendBatch('open', 500); // before the probe can have completed: it needs network round trips

        await inbox.upgraded(5000);
        assert.ok(sawUpgrading, "no 'upgrading' event before 'upgrade'");
        assert.equal(sent.length, 1000);
        const got = await inbox.take(1000, 10000);
        for (let i = 0; i < got.length; i++) {
            if (got[i] !== sent[i]) {
                assert.fail(`message ${i}: expected ${sent[i]}, got ${got[i]} ` +
                    `(neighbourhood: ${JSON.stringify(got.slice(Math.max(0, i - 3), i + 4))})`);
            }
        }
        // Exactly once: the echo of a sentinel must be the very next message.
        socket.send('sentinel');
        assert.equal(await inbox.next(3000), 'sentinel');
        assert.equal(socket.transport.name, 'websocket');
        assert.equal(await ctx.server.waitForEvent('UPGRADE', socket.id, 3000), 'websocket');
    });

    it('a server burst in flight during the upgrade arrives in order exactly once', async () => {
        const { socket, inbox } = await open();
        socket.send('cmd:burst 300');
        await inbox.upgraded(5000);
        socket.send('cmd:burst 300');
        const expected = [];
        for (let round = 0; round < 2; round++) {
            for (let i = 0; i < 300; i++) {
                expected.push(`burst:${i}`);
            }
        }
        assert.deepEqual(await inbox.take(600, 10000), expected);
        socket.send('sentinel');
        assert.equal(await inbox.next(3000), 'sentinel');
    });
});

describe('--no-upgrades', () => {
    const ctx = useServer('EIO_SERVER', ['--port', '0', '--no-upgrades']);
    const tracker = socketTracker();
    afterEach(() => tracker.closeAll());

    it('the polling handshake offers no upgrade and the client stays on polling', async () => {
        const { socket, inbox } = await openClient(ctx.server, { transports: ['polling', 'websocket'] }, { tracker });
        let probed = false;
        socket.on('upgrading', () => { probed = true; });
        assert.deepEqual(inbox.handshake.upgrades, []);
        for (let i = 0; i < 5; i++) {
            socket.send(`m${i}`);
        }
        assert.deepEqual(await inbox.take(5), ['m0', 'm1', 'm2', 'm3', 'm4']);
        assert.equal(socket.transport.name, 'polling');
        assert.equal(probed, false);
        assert.equal(inbox.upgradedTo, null);
        assert.deepEqual(ctx.server.eventsFor('UPGRADE', socket.id), []);
    });

    it('a websocket-only client can still connect directly', async () => {
        const { socket, inbox } = await openClient(ctx.server, { transports: ['websocket'] }, { tracker });
        assert.deepEqual(inbox.handshake.upgrades, []);
        socket.send('x');
        assert.equal(await inbox.next(), 'x');
        assert.equal(await ctx.server.waitForEvent('OPEN', socket.id, 3000), 'websocket');
    });
});
