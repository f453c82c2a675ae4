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

/**
 * A redis-server of the test's own ($REDIS_SERVER, else redis-server on PATH) on a free loopback port, without
 * persistence; resolves with { port, stop() } once it accepts connections. Stopped by its own PID.
 */
export async function startRedis() {
    const { spawn } = await import('node:child_process');
    const net = await import('node:net');
    const port = await new Promise((resolve, reject) => {
        const probe = net.createServer();
        probe.once('error', reject);
        probe.listen(0, '127.0.0.1', () => {
            const { port: p } = probe.address();
            probe.close(() => resolve(p));
        });
    });
    const binary = process.env.REDIS_SERVER || 'redis-server';
    const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: ['ignore', 'pipe', 'pipe'] });
    const stop = () => new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => { try { child.kill('SIGKILL'); } catch { /* gone */ } }, 3000).unref();
    });
    process.once('exit', () => { try { child.kill('SIGKILL'); } catch { /* gone */ } });
    await new Promise((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10000);
        child.once('error', (err) => { clearTimeout(timer); reject(err); });
        child.stdout.on('data', (chunk) => {
            out += chunk;
            if (out.includes('Ready to accept connections')) {
                clearTimeout(timer);
                resolve();
            }
        });
    });
    return { port, stop };
}
