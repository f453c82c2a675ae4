// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// socket.io-client 4.8 connections with an event inbox, and bounded waits, for the PostgreSQL cluster tests.

import net from 'node:net';
import { io } from 'socket.io-client';

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

/** Records every event a client socket receives; waits on them with a bound. */
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
        for (const waiter of [...this._waiters]) {
            waiter();
        }
    }

    count(event) {
        return this.events.filter((e) => e.event === event).length;
    }

    _until(check, ms, what) {
        const now = check();
        if (now !== undefined) {
            return Promise.resolve(now);
        }
        let waiter;
        const p = new Promise((resolve) => {
            waiter = () => {
                const value = check();
                if (value !== undefined) {
                    resolve(value);
                }
            };
            this._waiters.add(waiter);
        });
        return withTimeout(p, ms, what).finally(() => this._waiters.delete(waiter));
    }

    /** The args of the first `event` matching `predicate`. */
    waitFor(event, ms = 5000, predicate = () => true) {
        return this._until(() => this.events.find((e) => e.event === event && predicate(e.args))?.args,
            ms, `'${event}' on ${this.socket.id}`);
    }

    waitForDisconnect(ms = 5000) {
        return this._until(() => this.disconnected ?? undefined, ms, `disconnect of ${this.socket.id}`);
    }
}

/** Connects a socket.io-client socket (WebSocket) to port/nsp; returns { socket, inbox }. */
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
