// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Helpers for the cluster tests: a redis-server of our own on a free loopback port (stopped by its PID),
// QtSocketIo nodes (the qtnode test server, $QT_NODE), Node.js socket.io nodes with
// @socket.io/redis-adapter, socket.io-client connections and an event inbox. Every wait is bounded.

import { spawn } from 'node:child_process';
import net from 'node:net';
import readline from 'node:readline';
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { io } from 'socket.io-client';
import { startServer } from '../../interop/lib/server.mjs';

export const HOST = '127.0.0.1';

/** Rejects with a descriptive error if `promise` does not settle within `ms`. */
export function withTimeout(promise, ms, what) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Only for proving that something does NOT happen within a short time. */
export function quietPeriod(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A TCP port nobody listens on right now (bound once on port 0, then released). */
export function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.on('error', reject);
        server.listen(0, HOST, () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

const liveRedis = new Set();
process.on('exit', () => {
    for (const child of liveRedis) {
        try {
            process.kill(child.pid, 'SIGKILL');
        } catch {
            // gone
        }
    }
});

/**
 * Starts redis-server on `port` (a free one when not given), without persistence, and waits until it
 * accepts connections. Returns { port, pid, stop(), kill() }.
 */
export async function startRedis(port) {
    const binary = process.env.REDIS_SERVER || 'redis-server';
    port = port ?? await freePort();
    const child = spawn(binary, ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no'],
        { stdio: ['ignore', 'pipe', 'pipe'] });
    liveRedis.add(child);
    child.unref();
    let output = '';
    let exited = null;
    const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => {
        exited = { code, signal };
        liveRedis.delete(child);
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

/** A QtSocketIo node ($QT_NODE) on a free port, with the Redis adapter on redisPort; waits for REDIS UP. */
export async function startQtNode(redisPort, args = []) {
    if (!process.env.QT_NODE) {
        throw new Error('QT_NODE is not set: point it at build/tests/cluster/qtnode');
    }
    const node = await startServer(process.env.QT_NODE, ['--port', '0', '--redis-port', String(redisPort), ...args]);
    await node.waitForLine(/^REDIS UP$/, 10000);
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
    // Let the subscriptions settle before counting nodes.
    await quietPeriod(100);
    return {
        port: httpServer.address().port,
        io: server,
        async close() {
            server.close();
            await Promise.allSettled([pubClient.quit(), subClient.quit()]);
        },
    };
}

function controlChannel(nsp, socket) {
    socket.on('to', (rooms, event, ...args) => nsp.to(rooms).emit(event, ...args));
    socket.on('toExcept', (rooms, except, event, ...args) => {
        let op = nsp.except(except);
        if (rooms.length) {
            op = op.to(rooms);
        }
        op.emit(event, ...args);
    });
    socket.on('join', (room, ack) => {
        socket.join(room);
        ack([...socket.rooms]);
    });
    socket.on('rooms', (ack) => ack([...socket.rooms]));
    socket.on('setData', (key, value, ack) => {
        socket.data[key] = value;
        ack();
    });
    socket.on('fetch', async (rooms, ack) => {
        try {
            const sockets = await (rooms.length ? nsp.in(rooms) : nsp).fetchSockets();
            ack({ sockets: sockets.map((s) => ({ id: s.id, rooms: [...s.rooms], data: s.data, handshake: s.handshake })),
                error: '' });
        } catch (err) {
            ack({ sockets: [], error: err.message });
        }
    });
    socket.on('socketsJoin', (rooms, room, ack) => {
        nsp.in(rooms).socketsJoin(room);
        ack();
    });
    socket.on('socketsLeave', (rooms, room, ack) => {
        nsp.in(rooms).socketsLeave(room);
        ack();
    });
    socket.on('disconnectSockets', (rooms, close, ack) => {
        ack();
        nsp.in(rooms).disconnectSockets(close);
    });
    socket.on('serverSideEmit', (event, ...rest) => {
        const ack = rest.pop();
        nsp.serverSideEmit(event, ...rest);
        ack();
    });
    socket.on('serverSideEmitWithAck', async (event, ...rest) => {
        const ack = rest.pop();
        try {
            const responses = await nsp.serverSideEmitWithAck(event, ...rest);
            ack({ responses, error: '' });
        } catch (err) {
            ack({ responses: [], error: err.message });
        }
    });
    socket.on('askAll', async (rooms, event, timeout, ack) => {
        let op = nsp.timeout(timeout);
        if (rooms.length) {
            op = op.to(rooms);
        }
        try {
            const responses = await op.emitWithAck(event);
            ack({ responses, timedOut: false, error: '' });
        } catch (err) {
            ack({ responses: [], timedOut: true, error: err.message });
        }
    });
}

/** Records every event a socket.io-client socket receives. */
export class Inbox {
    constructor(socket) {
        this.socket = socket;
        this.events = [];
        this.disconnected = null;
        this._waiters = new Set();
        socket.onAny((event, ...args) => {
            this.events.push({ event, args });
            this._wake();
        });
        socket.on('disconnect', (reason) => {
            this.disconnected = reason;
            this._wake();
        });
    }

    _wake() {
        for (const w of [...this._waiters]) {
            w();
        }
    }

    count(event) {
        return this.events.filter((e) => e.event === event).length;
    }

    /** Resolves with the args of the first received `event` matching `predicate` (bounded). */
    waitFor(event, ms = 5000, predicate = () => true) {
        const find = () => this.events.find((e) => e.event === event && predicate(e.args));
        const found = find();
        if (found) {
            return Promise.resolve(found.args);
        }
        let waiter;
        const p = new Promise((resolve) => {
            waiter = () => {
                const hit = find();
                if (hit) {
                    resolve(hit.args);
                }
            };
            this._waiters.add(waiter);
        });
        return withTimeout(p, ms, `'${event}' on ${this.socket.id}`).finally(() => this._waiters.delete(waiter));
    }

    waitForDisconnect(ms = 5000) {
        if (this.disconnected) {
            return Promise.resolve(this.disconnected);
        }
        let waiter;
        const p = new Promise((resolve) => {
            waiter = () => {
                if (this.disconnected) {
                    resolve(this.disconnected);
                }
            };
            this._waiters.add(waiter);
        });
        return withTimeout(p, ms, `disconnect of ${this.socket.id}`).finally(() => this._waiters.delete(waiter));
    }
}

/** Connects a socket.io-client 4.8.4 socket (WebSocket) to port/nsp; returns { socket, inbox }. */
export async function connectClient(port, nsp = '/', opts = {}) {
    const socket = io(`http://${HOST}:${port}${nsp}`, { transports: ['websocket'], reconnection: false, ...opts });
    const inbox = new Inbox(socket);
    await withTimeout(new Promise((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
    }), 5000, `connect to ${port}${nsp}`);
    return { socket, inbox };
}

/** socket.emitWithAck with a bounded wait. */
export function ask(socket, ms, event, ...args) {
    return withTimeout(socket.emitWithAck(event, ...args), ms, `ack of '${event}'`);
}
