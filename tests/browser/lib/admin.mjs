// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Helpers of the Admin UI tests: the adminserver ($ADMIN_SERVER), socket.io-client from tests/interop, the
// UI's static build from @socket.io/admin-ui (tests/browser/node_modules), bcrypt hashes made by bcryptjs (the
// hashing library of Node's admin-ui, so that the server's libcrypt check is checked against another
// implementation), and bounded waits on a client's events.

import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startServer } from '../../interop/lib/server.mjs';
import { requireEnv, requireExecutable } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const requireInterop = createRequire(path.join(
    requireEnv('QTSOCKETIO_NODE_MODULES', 'tests/interop/node_modules'), 'noop.js'));
const requireHere = createRequire(import.meta.url);

export const { io } = requireInterop('socket.io-client');
export const bcrypt = requireHere('bcryptjs');
export const UI_DIST = path.join(here, '..', 'node_modules', '@socket.io', 'admin-ui', 'ui', 'dist');

export function adminServerPath() {
    return requireExecutable(requireEnv('ADMIN_SERVER', 'the adminserver test executable'), 'build adminserver');
}

/** Starts adminserver with args; resolves with the server object of tests/interop/lib/server.mjs. */
export function startAdminServer(args = []) {
    return startServer(adminServerPath(), ['--port', '0', ...args]);
}

/** Every event a socket.io-client socket receives, with bounded waits. */
export class Recorder {
    constructor(socket) {
        this.socket = socket;
        this.events = [];
        this.waiters = new Set();
        socket.onAny((event, ...args) => {
            this.events.push({ event, args });
            for (const w of [...this.waiters]) w();
        });
    }

    of(event) {
        return this.events.filter((e) => e.event === event);
    }

    /** Resolves with the args of the first event `event` (received from index `from` on) for which match(args). */
    waitFor(event, match = () => true, ms = 5000, from = 0) {
        return new Promise((resolve, reject) => {
            const check = () => {
                const hit = this.events.slice(from).find((e) => e.event === event && match(e.args));
                if (hit) {
                    this.waiters.delete(check);
                    clearTimeout(timer);
                    resolve(hit.args);
                }
            };
            const timer = setTimeout(() => {
                this.waiters.delete(check);
                reject(new Error(`timed out after ${ms} ms waiting for '${event}'; got: ` +
                    this.events.map((e) => e.event).join(', ')));
            }, ms);
            this.waiters.add(check);
            check();
        });
    }
}

/** Connects a socket.io-client socket; resolves once connected (rejects on connect_error, bounded). */
export function connect(url, opts = {}, ms = 5000) {
    const socket = io(url, { forceNew: true, reconnection: false, ...opts });
    const recorder = new Recorder(socket);
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no connect to ${url} within ${ms} ms`)), ms);
        socket.once('connect', () => {
            clearTimeout(timer);
            resolve({ socket, recorder });
        });
        socket.once('connect_error', (err) => {
            clearTimeout(timer);
            socket.close();
            reject(err);
        });
    });
}

/** Emits with an ack; resolves with the ack's first argument (bounded). */
export function ask(socket, event, ...args) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ack for '${event}'`)), 5000);
        socket.emit(event, ...args, (answer) => {
            clearTimeout(timer);
            resolve(answer);
        });
    });
}
