// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The Redis backend of the cluster tests: a redis-server of our own on a free loopback port (stopped by its PID),
// QtSocketIo nodes (qtnode --adapter redis, $QT_NODE), Node.js socket.io nodes with
// @socket.io/redis-adapter; the clients, the inbox and the control channel come from client.mjs. Every wait is
// bounded.

import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Emitter } from '@socket.io/redis-emitter';
import { createClient } from 'redis';
import { startServer } from '../../interop/lib/server.mjs';
import { HOST, controlChannel, freePort, quietPeriod, withTimeout } from './client.mjs';
import { killOnExit } from '../../shared/js/helpers.mjs';

export { HOST, Inbox, ask, connectClient, freePort, quietPeriod, withTimeout } from './client.mjs';

/**
 * Starts redis-server on `port` (a free one when not given), without persistence, and waits until it
 * accepts connections. Returns { port, pid, stop(), kill() }.
 */
export async function startRedis(port, extraArgs = []) {
    const binary = process.env.REDIS_SERVER || 'redis-server';
    port = port ?? await freePort();
    const child = spawn(binary,
        ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', ...extraArgs],
        { stdio: ['ignore', 'pipe', 'pipe'] });
    killOnExit(child);
    child.unref();
    let output = '';
    let exited = null;
    const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => {
        exited = { code, signal };
        resolve(exited);
    }));
    const ready = new Promise((resolve, reject) => {
        const rl = readline.createInterface({ input: child.stdout });
        rl.on('line', (line) => {
            output += line + '\n';
            if (/Ready to accept connections/.test(line)) {
                resolve();
            }
        });
        child.stderr.on('data', (chunk) => { output += chunk; });
        child.on('error', reject);
        exitPromise.then(() => reject(new Error(`redis-server exited: ${output}`)));
    });
    await withTimeout(ready, 10000, `redis-server on port ${port}`);
    const stopWith = async (signal) => {
        if (!exited) {
            child.ref();
            try {
                process.kill(child.pid, signal);
            } catch {
                // gone
            }
            await withTimeout(exitPromise, 5000, 'redis-server to exit');
        }
    };
    return {
        port,
        pid: child.pid,
        url: `redis://${HOST}:${port}`,
        stop: () => stopWith('SIGTERM'),
        kill: () => stopWith('SIGKILL'),
    };
}

/**
 * A QtSocketIo node ($QT_NODE) on a free port, with the Redis adapter on redisPort; waits for REDIS UP unless
 * waitUp is false.
 */
export async function startQtNode(redisPort, args = [], { waitUp = true } = {}) {
    if (!process.env.QT_NODE) {
        throw new Error('QT_NODE is not set: point it at build/tests/cluster/qtnode');
    }
    const node = await startServer(process.env.QT_NODE,
        ['--adapter', 'redis', '--port', '0', '--redis-port', String(redisPort), ...args]);
    if (waitUp) {
        await node.waitForLine(/^REDIS UP$/, 10000);
    }
    return node;
}

/**
 * A Node.js socket.io 4.8 server with @socket.io/redis-adapter 8.3 in this process, with the same control
 * events as qtnode. Returns { port, io, close() }.
 */
export async function startNodeNode(redisPort, { name = 'node', requestsTimeout = 5000 } = {}) {
    const pubClient = createClient({ url: `redis://${HOST}:${redisPort}` });
    const subClient = pubClient.duplicate();
    pubClient.on('error', () => {});
    subClient.on('error', () => {});
    await Promise.all([pubClient.connect(), subClient.connect()]);
    const channels = ['socket.io-request#/#', 'socket.io-request#/chat#'];
    const numSub = async () => (await pubClient.sendCommand(['PUBSUB', 'NUMSUB', ...channels]))
        .filter((_, i) => i % 2 === 1).map(Number);
    const before = await numSub();
    const httpServer = createServer();
    const server = new Server(httpServer, { adapter: createAdapter(pubClient, subClient, { requestsTimeout }) });
    for (const nsp of [server.of('/'), server.of('/chat')]) {
        nsp.on('serverSide', () => {});
        nsp.on('connection', (socket) => controlChannel(nsp, socket));
    }
    // Server-side events from other nodes: passed on to this node's clients, or answered.
    server.on('hello', (...args) => server.local.emit('serverSide', 'hello', args));
    server.on('ping', (...args) => {
        const ack = args.pop();
        ack({ node: name, event: 'ping', args });
    });
    await new Promise((resolve) => httpServer.listen(0, HOST, resolve));
    // The adapter subscribes without waiting: wait (bounded) until Redis counts this node on both namespaces.
    for (let i = 0; ; i++) {
        const now = await numSub();
        if (now.every((n, k) => n > before[k])) {
            break;
        }
        if (i === 100) {
            throw new Error('the Node.js adapter never subscribed');
        }
        await quietPeriod(10);
    }
    return {
        port: httpServer.address().port,
        io: server,
        async close() {
            server.close();
            await Promise.allSettled([pubClient.quit(), subClient.quit()]);
        },
    };
}

/** A @socket.io/redis-emitter 5.1 in this process on redis. Returns { emitter, close() }. */
export async function startEmitter(redis) {
    const client = createClient({ url: redis.url });
    await client.connect();
    return { emitter: new Emitter(client), close: () => client.quit() };
}
