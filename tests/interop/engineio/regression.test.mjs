// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Group 8: 200 sequential connect/disconnect cycles (polling and websocket alternately), then a
// final client that exchanges messages and survives heartbeats. Also checks the server's file
// descriptors do not grow with the number of past sessions.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { useServer } from '../lib/server.mjs';
import { openClient, socketTracker } from '../lib/eio-client.mjs';

const CYCLES = 200;

function openFdCount(pid) {
    try {
        return readdirSync(`/proc/${pid}/fd`).length;
    } catch {
        return null; // no procfs: skip that check
    }
}

describe(`${CYCLES} sequential connect/disconnect cycles, then a long-lived client`, () => {
    const ctx = useServer('EIO_SERVER', ['--port', '0', '--ping-interval', '200', '--ping-timeout', '400']);
    const tracker = socketTracker();
    afterEach(() => tracker.closeAll());

    it(`${CYCLES} clients connect, echo once and disconnect, one after another`, { timeout: 30000 }, async () => {
        const server = ctx.server;
        // Warm-up cycle, so lazily allocated descriptors do not count as growth.
        {
            const { socket, inbox } = await openClient(server, { transports: ['websocket'] }, { tracker });
            socket.send('warm-up');
            await inbox.next();
            socket.close();
            await server.waitForEvent('CLOSE', inbox.handshake.sid, 3000);
        }
        const fdsBefore = openFdCount(server.pid);
        const sids = new Set();
        for (let i = 0; i < CYCLES; i++) {
            const transport = i % 2 === 0 ? 'polling' : 'websocket';
            const { socket, inbox } = await openClient(server, { transports: [transport] }, { tracker });
            const sid = socket.id;
            assert.ok(!sids.has(sid), `cycle ${i}: sid ${sid} reused`);
            sids.add(sid);
            socket.send(`cycle ${i}`);
            assert.equal(await inbox.next(3000), `cycle ${i}`, `cycle ${i} (${transport})`);
            socket.close();
            await inbox.closed(1000);
            const reason = await server.waitForEvent('CLOSE', sid, 3000);
            assert.equal(reason, 'transport close', `cycle ${i} (${transport}): CLOSE reason`);
        }
        assert.equal(sids.size, CYCLES);

        if (fdsBefore !== null) {
            // Closed connections may take a moment to be released; poll a bounded time.
            const limit = fdsBefore + 20;
            const deadline = Date.now() + 3000;
            let fds = openFdCount(server.pid);
            while (fds > limit && Date.now() < deadline) {
                await new Promise((r) => setTimeout(r, 50));
                fds = openFdCount(server.pid);
            }
            assert.ok(fds <= limit, `server holds ${fds} fds after ${CYCLES} closed sessions (was ${fdsBefore})`);
        }
    });

    it('then a client (polling upgraded to websocket) exchanges messages and survives two heartbeats', async () => {
        const server = ctx.server;
        const { socket, inbox } = await openClient(server, { transports: ['polling', 'websocket'] }, { tracker });
        socket.send('first');
        assert.equal(await inbox.next(), 'first');
        assert.equal(await inbox.upgraded(5000), 'websocket');
        const pingsAtStart = inbox.pings;
        await inbox.pingsAtLeast(pingsAtStart + 3, 3000);
        socket.send('second');
        socket.send(Buffer.from([2]));
        const [text, bin] = await inbox.take(2);
        assert.equal(text, 'second');
        assert.deepEqual(Buffer.from(bin), Buffer.from([2]));
        assert.equal(inbox.closeInfo, null);
        assert.deepEqual(server.eventsFor('CLOSE', socket.id), []);
    });
});
