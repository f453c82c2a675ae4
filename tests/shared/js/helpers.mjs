// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// What the Node.js suites share (tests/interop, tests/cluster): child processes that never outlive the tests,
// bounded waits, a free loopback port, an event inbox for a socket.io-client Socket and a bounded connect. No npm package is imported here (each suite has its
// own npm root, and Node resolves bare imports from the importing file's folder upward): the socket.io-client
// Socket is made by the suite and handed in.

import net from 'node:net';
import os from 'node:os';

export const HOST = '127.0.0.1';

// Every child process a suite started that has not exited yet: none may outlive the test process.
const liveChildren = new Set();
function killAllChildren() {
    for (const child of liveChildren) {
        try {
            process.kill(child.pid, 'SIGKILL');
        } catch {
            // already gone
        }
    }
}
process.on('exit', killAllChildren);
// A signal ends the process without 'exit': kill the children first, then end as the signal would have,
// unless someone else (e.g. the test runner) also handles it and decides.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
        killAllChildren();
        if (process.listenerCount(sig) === 0) {
            process.exit(128 + os.constants.signals[sig]);
        }
    });
}

/** Kills `child` (SIGKILL) if it is still running when the test process ends. Returns child. */
export function killOnExit(child) {
    liveChildren.add(child);
    const forget = () => liveChildren.delete(child);
    child.once('exit', forget);
    child.once('error', forget);   // spawning failed: no 'exit' may follow
    return child;
}

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

/** Resolves with the argument list of the next `event` from `emitter`, bounded by `ms`. */
export function nextEvent(emitter, event, ms = 3000, what = `'${event}' event`) {
    let handler;
    const p = new Promise((resolve) => {
        handler = (...args) => resolve(args);
        emitter.once(event, handler);
    });
    return withTimeout(p, ms, what).finally(() => emitter.off(event, handler));
}

/** A TCP port nobody listens on right now (bound once on port 0 of `host`, then released). */
export function freePort(host = HOST) {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.on('error', reject);
        server.listen(0, host, () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

/** Waits (bounded) for 'connect' of a socket.io-client `socket`; rejects with the connect_error message otherwise. */
export async function awaitConnect(socket, ms, what) {
    if (socket.connected) {
        return;
    }
    let onErr;
    const failed = new Promise((_, reject) => {
        onErr = (err) => reject(new Error(`${what}: connect_error: ${err.message}` +
            (err.data !== undefined ? ` ${JSON.stringify(err.data)}` : '') +
            (err.description ? ` (${err.description.message ?? err.description})` : '')));
        socket.once('connect_error', onErr);
    });
    try {
        await withTimeout(Promise.race([nextEvent(socket, 'connect', ms + 1000), failed]), ms, what);
    } finally {
        socket.off('connect_error', onErr);
    }
}

/**
 * Waits (bounded) until predicate() returns a truthy value and resolves with it. predicate is tried at once and
 * again whenever the owner calls the waiters it keeps (the set `waiters`, one function per wait). Rejects early
 * with abort()'s message when it returns one (e.g. the socket closed), with timedOut()'s message after ms, and
 * with what predicate throws.
 */
export function waitOnWake(waiters, predicate, ms, { abort = () => null, timedOut }) {
    return new Promise((resolve, reject) => {
        const check = () => {
            let value;
            try {
                value = predicate();
            } catch (err) {
                done();
                reject(err);
                return;
            }
            if (value) {
                done();
                resolve(value);
                return;
            }
            const reason = abort();
            if (reason) {
                done();
                reject(new Error(reason));
            }
        };
        const timer = setTimeout(() => {
            done();
            reject(new Error(timedOut()));
        }, ms);
        const done = () => {
            clearTimeout(timer);
            waiters.delete(check);
        };
        waiters.add(check);
        check();
    });
}

/**
 * Records every event a socket.io-client Socket receives (through onAny) and its disconnect
 * (disconnectInfo: { reason, description }); until() waits on them with a bound. The suites add their own
 * waitFor() on top.
 */
export class EventInbox {
    constructor(socket) {
        this.socket = socket;
        this.events = []; // { event, args }
        this.disconnectInfo = null;
        this._waiters = new Set();
        socket.onAny((event, ...args) => {
            this.events.push({ event, args });
            this._wake();
        });
        socket.on('disconnect', (reason, description) => {
            this.disconnectInfo = { reason, description };
            this._wake();
        });
    }

    _wake() {
        for (const waiter of [...this._waiters]) {
            waiter();
        }
    }

    ofEvent(event) {
        return this.events.filter((e) => e.event === event);
    }

    count(event) {
        return this.ofEvent(event).length;
    }

    /** Resolves with the first value of check() that is not undefined, tried again on every event, within ms. */
    until(check, ms, what) {
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
}
