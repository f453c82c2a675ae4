// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The backend a cluster suite runs against, as tests/cluster/CMakeLists.txt sets it per ctest:
// CLUSTER_BACKEND=redis (lib/redis.mjs) or postgres (lib/postgres.mjs). A suite written once drives both through
// startBackend(); what only one backend has (Redis's specific response channel, PostgreSQL's attachment table)
// is asked with BACKEND.

import * as redis from './redis.mjs';
import * as redisSharded from './redis-sharded.mjs';
import * as postgres from './postgres.mjs';
import { ask, quietPeriod } from './client.mjs';

export { HOST, Inbox, ask, connectClient, freePort, quietPeriod, withTimeout } from './client.mjs';

export const BACKEND = process.env.CLUSTER_BACKEND || 'redis';
if (BACKEND !== 'redis' && BACKEND !== 'redis-sharded' && BACKEND !== 'postgres') {
    throw new Error(`CLUSTER_BACKEND=${BACKEND}: redis, redis-sharded or postgres`);
}
/** The backend's name in test titles and messages. */
export const LABEL = { redis: 'Redis', 'redis-sharded': 'a Redis Cluster (sharded pub/sub)' }[BACKEND] ?? 'PostgreSQL';
/** The line prefix of qtnode's connection reports (REDIS UP, PG DOWN, ...). */
export const TAG = BACKEND === 'postgres' ? 'PG' : 'REDIS';

/**
 * Starts the backend's server on a free loopback port. Returns { server, startQtNode(args, { waitUp }),
 * startNodeNode(options), startEmitter(), down(), crash(), up(), stop() }: down() takes the server away under the
 * nodes, crash() kills it with SIGKILL (on Redis the same as down()), up() brings it back on the same port.
 * server is what lib/<backend>.mjs returns (Redis:
 * { port, url, ... }, PostgreSQL: { port, url, conninfo, ... }).
 */
export async function startBackend() {
    if (BACKEND === 'redis') {
        let server = await redis.startRedis();
        return {
            get server() {
                return server;
            },
            startQtNode: (args = [], options) => redis.startQtNode(server.port, args, options),
            startNodeNode: (options) => redis.startNodeNode(server.port, options),
            startEmitter: () => redis.startEmitter(server),
            // Killed (SIGKILL), then a new redis-server on the same port.
            down: () => server.kill(),
            crash: () => server.kill(),
            up: async () => {
                server = await redis.startRedis(server.port);
            },
            stop: () => server.stop(),
        };
    }
    if (BACKEND === 'redis-sharded') {
        // Three masters; no down/crash/up (the chaos and restart suites run on the other backends).
        // CLUSTER_SUBSCRIPTION_MODE: static, dynamic (the default) or dynamic-private, on both sides.
        const subscriptionMode = process.env.CLUSTER_SUBSCRIPTION_MODE || 'dynamic';
        const server = await redisSharded.startRedisCluster();
        return {
            server,
            startQtNode: (args = [], options) => redisSharded.startQtNode(server,
                ['--subscription-mode', subscriptionMode, ...args], options),
            startNodeNode: (options) => redisSharded.startNodeNode(server, { subscriptionMode, ...options }),
            stop: () => server.stop(),
        };
    }
    const server = await postgres.startPostgres();
    return {
        server,
        startQtNode: (args = [], options) => postgres.startQtNode(server, args, options),
        startNodeNode: (options) => postgres.startNodeNode(server, options),
        startEmitter: () => postgres.startEmitter(server),
        // A fast shutdown (SIGINT), then the same data directory again.
        down: () => server.stop(),
        // SIGKILL to the postmaster and every backend, as in a crash; up() then starts with crash recovery.
        crash: () => server.kill(),
        up: () => server.start(),
        stop: () => server.destroy(),
    };
}

/** Polls the rooms of a client's socket on its node until predicate holds (bounded). */
export async function waitForRooms(socket, predicate) {
    for (let i = 0; i < 100; i++) {
        const rooms = await ask(socket, 3000, 'rooms');
        if (predicate(rooms)) {
            return rooms;
        }
        await quietPeriod(20);
    }
    throw new Error(`the rooms of ${socket.id} never matched`);
}
