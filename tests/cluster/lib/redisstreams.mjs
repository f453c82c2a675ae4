// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The Redis Streams nodes of the cluster tests (on the redis-server of lib/redis.mjs): QtSocketIo nodes with
// qtnode --adapter redis-streams, and Node.js socket.io 4.8 nodes with @socket.io/redis-streams-adapter 0.3 (the pin
// of package.json) or 0.2 (the alias redis-streams-adapter-0.2: they differ on the wire), both with connection state
// recovery when asked. Every wait is bounded.

import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { createAdapter as createAdapter03 } from '@socket.io/redis-streams-adapter';
import { createAdapter as createAdapter02 } from 'redis-streams-adapter-0.2';
import { createClient } from 'redis';
import { startQtNode } from './redis.mjs';
import { HOST, controlChannel } from './client.mjs';

/** A QtSocketIo node on the stream; recovery: maxDisconnectionDuration in ms (0: none). */
export function startQtStreamsNode(redisPort, { name = 'qt', recovery = 0, heartbeatInterval = 500,
    heartbeatTimeout = 3000, requestsTimeout = 3000, stream = 'socket.io' } = {}) {
    return startQtNode(redisPort, ['--adapter', 'redis-streams', '--name', name, '--recovery', String(recovery),
        '--stream', stream,
        '--heartbeat-interval', String(heartbeatInterval), '--heartbeat-timeout', String(heartbeatTimeout),
        '--requests-timeout', String(requestsTimeout)]);
}

/** The versions of @socket.io/redis-streams-adapter the tests run against. */
export const STREAMS_VERSIONS = ['0.3', '0.2'];

/** A Node.js node with @socket.io/redis-streams-adapter of version (one of STREAMS_VERSIONS). Returns
 * { port, io, redis, close() }. */
export async function startNodeStreamsNode(redisPort, { name = 'node', recovery = 0, heartbeatInterval = 500,
    heartbeatTimeout = 3000, requestsTimeout = 3000, version = '0.3' } = {}) {
    const redis = createClient({ url: `redis://${HOST}:${redisPort}` });
    redis.on('error', () => {});
    await redis.connect();
    const httpServer = createServer();
    const options = {
        // 0.3 counts the nodes by their subscriptions (it takes no heartbeat options); blockTimeInMs: its reading
        // loop ends within a second of close().
        adapter: version === '0.2'
            ? createAdapter02(redis, { heartbeatInterval, heartbeatTimeout, requestsTimeout })
            : createAdapter03(redis, { requestsTimeout, blockTimeInMs: 1000 }),
    };
    if (recovery > 0) {
        options.connectionStateRecovery = { maxDisconnectionDuration: recovery, skipMiddlewares: true };
    }
    const server = new Server(httpServer, options);
    for (const nsp of [server.of('/'), server.of('/chat')]) {
        nsp.on('connection', (socket) => controlChannel(nsp, socket));
    }
    server.on('hello', (...args) => server.local.emit('serverSide', 'hello', args));
    server.on('ping', (...args) => {
        const ack = args.pop();
        ack({ node: name, event: 'ping', args });
    });
    await new Promise((resolve) => httpServer.listen(0, HOST, resolve));
    return {
        port: httpServer.address().port,
        io: server,
        redis,
        async close() {
            server.close();
            await Promise.allSettled([redis.quit()]);
        },
    };
}
