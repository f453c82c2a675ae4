// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Faults: Redis unreachable at start (the node serves its clients and connects once Redis is there), and
// Redis killed and restarted mid-run (both nodes reconnect, re-subscribe, and broadcasts flow again).

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../interop/lib/server.mjs';
import { ask, connectClient, freePort, quietPeriod, startQtNode, startRedis } from '../lib/redis.mjs';

// stderr arrives on its own pipe: poll it (bounded).
async function eventually(predicate, what) {
    for (let i = 0; i < 100; i++) {
        if (predicate()) {
            return;
        }
        await quietPeriod(20);
    }
    throw new Error(`never saw ${what}`);
}

describe('Redis faults', () => {
    const cleanup = [];
    after(async () => {
        for (const f of cleanup.reverse()) {
            await f();
        }
    });

    it('starts without Redis, serves local clients, and connects when Redis comes', async () => {
        const port = await freePort();
        const node = await startServer(process.env.QT_NODE, ['--adapter', 'redis', '--port', '0', '--redis-port', String(port)]);
        cleanup.push(() => node.stop());
        const [, message] = await node.waitForLine(/^REDIS ERROR (.*)$/, 5000);
        assert.match(message, new RegExp(`cannot connect to Redis at 127\\.0\\.0\\.1:${port}`));
        await eventually(() => /retrying with a backoff; local clients are still served/.test(node.stderr()),
            'the warning on stderr');
        const c = await connectClient(node.port);
        cleanup.push(() => c.socket.disconnect());
        // Still serving its own clients: a broadcast from itself, and the cluster operations fall back to it.
        c.socket.emit('to', [], 'local', 1);
        assert.deepEqual(await c.inbox.waitFor('local'), [1]);
        const fetched = await ask(c.socket, 3000, 'fetch', []);
        assert.equal(fetched.sockets.length, 1);
        const redis = await startRedis(port);
        cleanup.push(() => redis.stop());
        await node.waitForLine(/^REDIS UP$/, 10000);
    });

    it('authenticates with a password, and says clearly when Redis refuses it', async () => {
        const redis = await startRedis(undefined, ['--requirepass', 'secret']);
        cleanup.push(() => redis.stop());
        const wrong = await startServer(process.env.QT_NODE,
            ['--adapter', 'redis', '--port', '0', '--redis-port', String(redis.port), '--redis-password', 'wrong']);
        cleanup.push(() => wrong.stop());
        const [, message] = await wrong.waitForLine(/^REDIS ERROR (.*)$/, 5000);
        assert.match(message, /refused the credentials/);
        const a = await startQtNode(redis.port, ['--redis-password', 'secret']);
        cleanup.push(() => a.stop());
        const b = await startQtNode(redis.port, ['--redis-password', 'secret']);
        cleanup.push(() => b.stop());
        const ca = await connectClient(a.port);
        const cb = await connectClient(b.port);
        cleanup.push(() => ca.socket.disconnect(), () => cb.socket.disconnect());
        cb.socket.emit('to', [], 'authed');
        await ca.inbox.waitFor('authed');
        assert.equal(wrong.linesMatching(/^REDIS UP$/).length, 0);
    });

    it('reconnects after Redis is killed and restarted; broadcasts flow again; nothing crashes', async () => {
        const redis = await startRedis();
        let restarted = null;
        cleanup.push(() => (restarted ?? redis).stop());
        const a = await startQtNode(redis.port, ['--name', 'A']);
        cleanup.push(() => a.stop());
        const b = await startQtNode(redis.port, ['--name', 'B']);
        cleanup.push(() => b.stop());
        const ca = await connectClient(a.port);
        const cb = await connectClient(b.port);
        cleanup.push(() => ca.socket.disconnect(), () => cb.socket.disconnect());
        cb.socket.emit('to', [], 'before');
        await ca.inbox.waitFor('before');

        const markA = a.mark();
        const markB = b.mark();
        await redis.kill();
        await a.waitForLine(/^REDIS DOWN$/, 5000, markA);
        await b.waitForLine(/^REDIS DOWN$/, 5000, markB);
        // Meanwhile the nodes keep serving their own clients.
        cb.socket.emit('to', [], 'whileDown');
        await cb.inbox.waitFor('whileDown');

        restarted = await startRedis(redis.port);
        await a.waitForLine(/^REDIS UP$/, 10000, markA);
        await b.waitForLine(/^REDIS UP$/, 10000, markB);
        await eventually(() => /lost the (publish|subscribe) connection to Redis/.test(a.stderr()), 'the loss logged');
        await eventually(() => /reconnected the (publish|subscribe) connection/.test(a.stderr()), 'the reconnection logged');
        // Re-subscribed: the other node's broadcasts arrive again, in both directions.
        cb.socket.emit('to', [], 'after', 'b');
        assert.deepEqual(await ca.inbox.waitFor('after'), ['b']);
        ca.socket.emit('to', [], 'after2', 'a');
        assert.deepEqual(await cb.inbox.waitFor('after2'), ['a']);
        assert.equal(await ask(ca.socket, 3000, 'serverCount'), 2);
        assert.equal(a.exited, null);
        assert.equal(b.exited, null);
    });
});
