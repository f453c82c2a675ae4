// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Faults of the backend under running QtSocketIo nodes (qtnode --adapter $CLUSTER_BACKEND): the Redis server killed
// and restarted, PostgreSQL stopped and started; a node started while the backend is unreachable; on Redis, a
// password refused. Nodes keep serving their own clients meanwhile and rejoin the cluster; nothing crashes.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../interop/lib/server.mjs';
import { BACKEND, LABEL, TAG, ask, connectClient, quietPeriod, startBackend } from './lib/backend.mjs';
import { startQtNode as startRedisQtNode, startRedis } from './lib/redis.mjs';

const onRedis = BACKEND === 'redis';

// What the adapters log on stderr.
const logs = onRedis
    ? {
        lost: /lost the (publish|subscribe) connection to Redis/,
        reconnected: /reconnected the (publish|subscribe) connection/,
        unreachable: /retrying with a backoff; local clients are still served/,
    }
    : {
        lost: /lost the connection to PostgreSQL/,
        reconnected: null,
        unreachable: /cannot connect to PostgreSQL/,
    };

describe(`${LABEL} faults under QtSocketIo nodes`, () => {
    let backend;
    let a;
    let b;
    let c;
    const clients = [];
    const cleanup = [];
    const client = async (node) => {
        const x = await connectClient(node.port);
        clients.push(x);
        return x;
    };
    const crossNode = async (from, to, tag) => {
        from.socket.emit('to', [], 'cross', tag);
        await to.inbox.waitFor('cross', 5000, (args) => args[0] === tag);
    };

    before(async () => {
        backend = await startBackend();
        const fast = onRedis ? ['--requests-timeout', '1500']
            : ['--heartbeat-interval', '500', '--heartbeat-timeout', '1500', '--requests-timeout', '1500'];
        a = await backend.startQtNode(['--name', 'A', ...fast]);
        b = await backend.startQtNode(['--name', 'B', ...fast]);
    });
    after(async () => {
        for (const x of clients) {
            x.socket.disconnect();
        }
        for (const f of cleanup.reverse()) {
            await f();
        }
        await a?.stop();
        await b?.stop();
        await c?.stop();
        await backend?.stop();
    });

    it(`serves local clients while ${LABEL} is down, and recovers when it is back; nothing crashes`, async () => {
        const a1 = await client(a);
        const b1 = await client(b);
        await crossNode(a1, b1, 'before');

        const markA = a.mark();
        const markB = b.mark();
        await backend.down();
        await a.waitForLine(new RegExp(`^${TAG} DOWN$`), 5000, markA);
        await b.waitForLine(new RegExp(`^${TAG} DOWN$`), 5000, markB);
        await waitForStderr(a, logs.lost);

        // Local work goes on: a broadcast on A reaches A's clients, acks work, new clients connect.
        const a2 = await client(a);
        a1.socket.emit('to', [], 'localOnly', 1);
        await a2.inbox.waitFor('localOnly');
        await a1.inbox.waitFor('localOnly');
        b1.socket.emit('to', [], 'whileDown');
        await b1.inbox.waitFor('whileDown');
        assert.ok((await ask(a2.socket, 3000, 'join', 'r')).includes('r'));
        const fetched = await ask(a2.socket, 5000, 'fetch', []);
        assert.ok(fetched.sockets.some((s) => s.id === a1.socket.id));

        await backend.up();
        await a.waitForLine(new RegExp(`^${TAG} UP$`), 15000, markA);
        await b.waitForLine(new RegExp(`^${TAG} UP$`), 15000, markB);
        if (logs.reconnected) {
            await waitForStderr(a, logs.reconnected);
        }
        // Re-subscribed: the other node's broadcasts arrive again, in both directions.
        await crossNode(b1, a2, 'after');
        await crossNode(a1, b1, 'after2');
        for (let i = 0; i < 100 && await ask(a1.socket, 3000, 'serverCount') !== 2; i++) {
            await quietPeriod(20);
        }
        assert.equal(await ask(a1.socket, 3000, 'serverCount'), 2);
        assert.equal(a.exited, null);
        assert.equal(b.exited, null);
    });

    it(`a node started while ${LABEL} is unreachable serves its clients and joins once it is up`, async () => {
        await backend.down();
        c = await backend.startQtNode(['--name', 'C', ...(onRedis ? [] : ['--heartbeat-interval', '500'])],
            { waitUp: false });
        const [, message] = await c.waitForLine(new RegExp(`^${TAG} ERROR (.*)$`), 5000);
        if (onRedis) {
            assert.match(message, new RegExp(`cannot connect to Redis at 127\\.0\\.0\\.1:${backend.server.port}`));
        }
        await waitForStderr(c, logs.unreachable);
        const c1 = await client(c);
        // Still serving its own clients: a broadcast from itself, and the cluster operations fall back to it.
        const fetched = await ask(c1.socket, 3000, 'fetch', []);
        assert.equal(fetched.sockets.length, 1);
        const c2 = await client(c);
        c1.socket.emit('to', [], 'alone', 'ok');
        await c2.inbox.waitFor('alone');
        await c1.inbox.waitFor('alone');

        await backend.up();
        await c.waitForLine(new RegExp(`^${TAG} UP$`), 15000);
        const a1 = await client(a);
        for (let i = 0; i < 300; i++) {
            if (await ask(c1.socket, 3000, 'serverCount') === 3) {
                break;
            }
            await quietPeriod(20);
        }
        assert.equal(await ask(c1.socket, 3000, 'serverCount'), 3);
        await crossNode(a1, c1, 'toC');
        await crossNode(c1, a1, 'fromC');
    });

    it('authenticates with a password, and says clearly when Redis refuses it', { skip: !onRedis && 'Redis only' },
        async () => {
            const redis = await startRedis(undefined, ['--requirepass', 'secret']);
            cleanup.push(() => redis.stop());
            const wrong = await startServer(process.env.QT_NODE,
                ['--adapter', 'redis', '--port', '0', '--redis-port', String(redis.port), '--redis-password', 'wrong']);
            cleanup.push(() => wrong.stop());
            const [, message] = await wrong.waitForLine(/^REDIS ERROR (.*)$/, 5000);
            assert.match(message, /refused the credentials/);
            const p = await startRedisQtNode(redis.port, ['--redis-password', 'secret']);
            cleanup.push(() => p.stop());
            const q = await startRedisQtNode(redis.port, ['--redis-password', 'secret']);
            cleanup.push(() => q.stop());
            const cp = await client(p);
            const cq = await client(q);
            cq.socket.emit('to', [], 'authed');
            await cp.inbox.waitFor('authed');
            assert.equal(wrong.linesMatching(/^REDIS UP$/).length, 0);
        });
});

// stderr arrives on its own pipe, after or before stdout: poll it (bounded).
async function waitForStderr(server, regex) {
    for (let i = 0; i < 250 && !regex.test(server.stderr()); i++) {
        await quietPeriod(20);
    }
    assert.match(server.stderr(), regex);
}
