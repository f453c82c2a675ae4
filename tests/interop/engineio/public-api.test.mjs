// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The public QEngineIoServer / QEngineIoSocket on their own (the eioserver uses nothing else), seen through
// engine.io-client 6.6: the per-connection signals (upgrading, upgraded, packet, packetCreate, flush, drain,
// heartbeat) counted by the server and read back with "cmd:stats", the request info, and connectionError.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../lib/server.mjs';
import { eioUrl, fetchBounded, openClient, socketTracker } from '../lib/eio-client.mjs';

async function stats(socket, inbox) {
    socket.send('cmd:stats');
    for (;;) {
        const [message] = await inbox.take(1);
        if (typeof message === 'string' && message.startsWith('stats:')) {
            return JSON.parse(message.slice(6));
        }
    }
}

describe('QEngineIoSocket signals (bare QEngineIoServer)', () => {
    const ctx = useServer('EIO_SERVER', ['--port', '0', '--ping-interval', '150', '--ping-timeout', '2000']);
    const tracker = socketTracker();
    afterEach(() => tracker.closeAll());

    it('polling -> websocket: upgrading then upgraded, packets both ways, flush = drain', async () => {
        const { socket, inbox } = await openClient(ctx.server, { transports: ['polling', 'websocket'],
                                                                 query: { who: 'me' } }, { tracker });
        const sid = socket.id;
        assert.equal(await inbox.upgraded(5000), 'websocket');
        await ctx.server.waitForEvent('UPGRADE', sid, 3000);
        const lines = ctx.server.linesMatching(new RegExp(`^(UPGRADING|UPGRADE) ${sid}`)).map((m) => m[1]);
        assert.deepEqual(lines, ['UPGRADING', 'UPGRADE']);
        socket.send('hello');
        assert.equal((await inbox.take(1))[0], 'hello');
        const s = await stats(socket, inbox);
        assert.equal(s.id, sid);
        assert.equal(s.transport, 'websocket');
        assert.equal(s.upgraded, true);
        assert.equal(s.protocol, 4);
        assert.equal(s.remoteAddress, '127.0.0.1');
        assert.equal(s.query.who, 'me');
        assert.ok(s.clientsCount >= 1);
        assert.equal(s['in:message'], 2, JSON.stringify(s));       // "hello" and "cmd:stats"
        assert.equal(s['out:message'], 1, JSON.stringify(s));      // the echo (the stats answer comes after)
        assert.ok(s.flush >= 1 && s.drain === s.flush, JSON.stringify(s));
    });

    for (const transports of [['polling'], ['websocket']]) {
        it(`${transports[0]}: heartbeat on every pong, a ping created for each`, async () => {
            const { socket, inbox } = await openClient(ctx.server, { transports }, { tracker });
            const deadline = Date.now() + 5000;
            let s;
            for (;;) {
                s = await stats(socket, inbox);
                if ((s.heartbeat ?? 0) >= 3 || Date.now() >= deadline) {
                    break;
                }
                await new Promise((r) => setTimeout(r, 50));
            }
            assert.ok(s.heartbeat >= 3, JSON.stringify(s));
            assert.ok(s['out:ping'] >= s.heartbeat, JSON.stringify(s));
            assert.ok(s['in:pong'] === s.heartbeat, JSON.stringify(s));
            assert.equal(s.transport, transports[0]);
        });
    }

    it('connectionError with Node\'s code and message', async () => {
        const res = await fetchBounded(eioUrl(ctx.server, { EIO: '4', transport: 'polling', sid: 'nope' }));
        assert.equal(res.status, 400);
        assert.deepEqual(JSON.parse(res.body), { code: 1, message: 'Session ID unknown' });
        await ctx.server.waitForLine(/^CONNECTION_ERROR 1 Session ID unknown$/, 3000);
    });
});
