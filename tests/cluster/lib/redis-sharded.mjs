// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The sharded Redis backend of the cluster tests: a Redis Cluster of three masters of our own (redis-server
// --cluster-enabled yes on loopback ports whose bus ports, +10000, are free too; slots assigned by redis-cli
// --cluster create), QtSocketIo nodes (qtnode --adapter redis-sharded) and Node.js socket.io nodes with
// createShardedAdapter of @socket.io/redis-adapter 8.3 on a node-redis cluster client. Every wait is bounded.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import { createCluster } from 'redis';
import { startServer } from '../../interop/lib/server.mjs';
import { HOST, controlChannel, quietPeriod } from './client.mjs';
import { startRedis } from './redis.mjs';

const run = promisify(execFile);

function isFree(port) {
    return new Promise((resolve) => {
        const probe = createNetServer();
        probe.once('error', () => resolve(false));
        probe.listen(port, HOST, () => probe.close(() => resolve(true)));
    });
}

/** A port whose cluster bus port (+10000) is free too. */
async function pickPort() {
    for (let attempt = 0; attempt < 200; attempt++) {
        const port = 20000 + Math.floor(Math.random() * 20000);
        if (await isFree(port) && await isFree(port + 10000)) {
            return port;
        }
    }
    throw new Error('no free port pair for a Redis Cluster node');
}

/** Three masters, slots assigned, cluster_state:ok on each. Returns { ports, url, stop() }. */
export async function startRedisCluster() {
    const dir = mkdtempSync(path.join(tmpdir(), 'qtsocketio-rcluster-'));
    const cli = path.join(path.dirname(process.env.REDIS_SERVER || '/usr/bin/redis-server'), 'redis-cli');
    const servers = [];
    try {
        for (let i = 0; i < 3; i++) {
            const port = await pickPort();
            servers.push(await startRedis(port, ['--cluster-enabled', 'yes',
                '--cluster-config-file', path.join(dir, `nodes-${port}.conf`), '--dir', dir]));
        }
        await run(cli, ['--cluster', 'create', ...servers.map((s) => `${HOST}:${s.port}`),
            '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30000 });
        for (const s of servers) {
            for (let i = 0; ; i++) {
                const { stdout } = await run(cli, ['-p', String(s.port), 'cluster', 'info'], { timeout: 5000 });
                if (stdout.includes('cluster_state:ok')) {
                    break;
                }
                if (i === 200) {
                    throw new Error(`the cluster never became ok: ${stdout}`);
                }
                await quietPeriod(100);
            }
        }
    } catch (e) {
        await Promise.allSettled(servers.map((s) => s.stop()));
        rmSync(dir, { recursive: true, force: true });
        throw e;
    }
    return {
        ports: servers.map((s) => s.port),
        url: `redis://${HOST}:${servers[0].port}`,
        async stop() {
            await Promise.allSettled(servers.map((s) => s.stop()));
            rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** A QtSocketIo node with the sharded adapter on the cluster; waits for REDIS UP unless waitUp is false. */
export async function startQtNode(cluster, args = [], { waitUp = true } = {}) {
    if (!process.env.QT_NODE) {
        throw new Error('QT_NODE is not set: point it at build/tests/cluster/qtnode');
    }
    const node = await startServer(process.env.QT_NODE,
        ['--adapter', 'redis-sharded', '--port', '0', '--redis-url', cluster.url, ...args]);
    if (waitUp) {
        await node.waitForLine(/^REDIS UP$/, 15000);
    }
    return node;
}

/**
 * A Node.js socket.io 4.8 server with createShardedAdapter (@socket.io/redis-adapter 8.3) on a node-redis 4.7
 * cluster client, with the same control events as qtnode. Returns { port, io, close() }.
 */
export async function startNodeNode(cluster, { name = 'node', subscriptionMode = 'dynamic' } = {}) {
    const pubClient = createCluster({ rootNodes: [{ url: cluster.url }] });
    const subClient = pubClient.duplicate();
    pubClient.on('error', () => {});
    subClient.on('error', () => {});
    await Promise.all([pubClient.connect(), subClient.connect()]);
    const httpServer = createServer();
    const server = new Server(httpServer, { adapter: createShardedAdapter(pubClient, subClient, { subscriptionMode }) });
    for (const nsp of [server.of('/'), server.of('/chat')]) {
        nsp.on('serverSide', () => {});
        nsp.on('connection', (socket) => controlChannel(nsp, socket));
    }
    server.on('hello', (...args) => server.local.emit('serverSide', 'hello', args));
    server.on('ping', (...args) => {
        const ack = args.pop();
        ack({ node: name, event: 'ping', args });
    });
    await new Promise((resolve) => httpServer.listen(0, HOST, resolve));
    // The adapter subscribes without waiting: wait (bounded) until Redis counts this node on both namespaces.
    for (let i = 0; ; i++) {
        const counts = await Promise.all([server.of('/').adapter.serverCount(), server.of('/chat').adapter.serverCount()]);
        if (counts.every((n) => Number(n) >= 1)) {
            break;
        }
        if (i === 200) {
            throw new Error('the Node.js sharded adapter never subscribed');
        }
        await quietPeriod(20);
    }
    return {
        port: httpServer.address().port,
        io: server,
        // Dynamic modes: Node's adapter subscribes to a room's channel after join() has returned, so a broadcast
        // sent at once can precede the subscription and be lost (between two Node.js nodes too). Waits (bounded)
        // until Redis counts a subscriber on the room's channel; static mode has no room channels.
        async waitForRoomChannel(room, nsp = '/') {
            if (subscriptionMode === 'static') {
                return;
            }
            const channel = `socket.io#${nsp}#${room}#`;
            for (let i = 0; i < 250; i++) {
                const reply = await pubClient.sendCommand(channel, true, ['PUBSUB', 'SHARDNUMSUB', channel]);
                if (Number(reply?.[1]) >= 1) {
                    return;
                }
                await quietPeriod(20);
            }
            throw new Error(`no subscriber on ${channel} after 5 s`);
        },
        async close() {
            server.close();
            await Promise.allSettled([pubClient.quit(), subClient.quit()]);
        },
    };
}
