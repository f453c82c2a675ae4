// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The PostgreSQL backend of the cluster tests: a PostgreSQL server of our own (initdb in a temporary
// directory, then postgres on a free loopback port, as an unprivileged user, stopped by its PID),
// QtSocketIo nodes (qtnode --adapter postgres, $QT_NODE) and Node.js socket.io nodes with
// @socket.io/postgres-adapter. The clients, the inbox and the bounded waits come from client.mjs.

import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import { Emitter } from '@socket.io/postgres-emitter';
import pg from 'pg';
import { startServer } from '../../interop/lib/server.mjs';
import { HOST, controlChannel, freePort, withTimeout } from './client.mjs';
import { killOnExit } from '../../shared/js/helpers.mjs';

export { HOST, Inbox, ask, connectClient, freePort, quietPeriod, withTimeout } from './client.mjs';

// initdb refuses to run as root: then the server runs as the "postgres" system user.
function unprivilegedUser() {
    if (process.getuid() !== 0) {
        return null;
    }
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
}

function bin(name) {
    return path.join(process.env.PG_BINDIR || '/usr/lib/postgresql/15/bin', name);
}

/**
 * Initialises a cluster in a new temporary directory and starts PostgreSQL on a free loopback port, with
 * the attachment table of @socket.io/postgres-adapter. Returns { port, url, conninfo, stop(), start(),
 * restart(), kill(), destroy() }: kill() is a crash (SIGKILL to the postmaster and every backend), start() then
 * brings it back on the same port and data directory.
 */
export async function startPostgres() {
    const user = unprivilegedUser();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtsocketio-pg-'));
    const data = path.join(dir, 'data');
    if (user) {
        fs.chownSync(dir, user.uid, user.gid);
    }
    const as = user ? { uid: user.uid, gid: user.gid } : {};
    execFileSync(bin('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync',
        '--locale=C'], { ...as, stdio: 'pipe', cwd: dir });
    const port = await freePort();
    let child = null;
    let exitPromise = null;

    const start = async () => {
        let output = '';
        child = spawn(bin('postgres'), ['-D', data, '-c', 'listen_addresses=127.0.0.1', '-p', String(port),
            '-k', dir, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
        { ...as, stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
        const current = child;
        killOnExit(current);
        current.unref();
        exitPromise = new Promise((resolve) => current.on('exit', (code, signal) => {
            resolve({ code, signal });
        }));
        const ready = new Promise((resolve, reject) => {
            const onData = (chunk) => {
                output += chunk;
                if (/database system is ready to accept connections/.test(output)) {
                    resolve();
                }
            };
            current.stdout.on('data', onData);
            current.stderr.on('data', onData);
            current.on('error', reject);
            exitPromise.then(() => reject(new Error(`postgres exited: ${output}`)));
        });
        await withTimeout(ready, 15000, `postgres on port ${port}`);
    };
    const stop = async () => {
        if (!child || child.exitCode !== null || child.signalCode !== null) {
            return;
        }
        child.ref();
        process.kill(child.pid, 'SIGINT');   // fast shutdown: clients are disconnected at once
        await withTimeout(exitPromise, 10000, 'postgres to exit');
    };
    // A crash: the postmaster stopped first (so that it forks no new backend), its children listed, then every
    // one of them killed with SIGKILL by its PID; waits (bounded) until they are all gone, so that a new postmaster
    // finds no process still attached to the old shared memory and starts with crash recovery.
    const kill = async () => {
        if (!child || child.exitCode !== null || child.signalCode !== null) {
            return;
        }
        child.ref();
        const postmaster = child.pid;
        process.kill(postmaster, 'SIGSTOP');
        const children = childPids(postmaster);
        process.kill(postmaster, 'SIGKILL');
        for (const pid of children) {
            try {
                process.kill(pid, 'SIGKILL');
            } catch {
                // gone already
            }
        }
        await withTimeout(exitPromise, 10000, 'postgres to die');
        for (let i = 0; children.some(isAlive); i++) {
            if (i === 500) {
                throw new Error(`PostgreSQL processes ${children.filter(isAlive).join(' ')} outlived SIGKILL`);
            }
            await new Promise((resolve) => setTimeout(resolve, 10));
        }
    };
    await start();
    const conninfo = `host=${HOST} port=${port} dbname=postgres user=postgres connect_timeout=5`;
    const url = `postgresql://postgres@${HOST}:${port}/postgres`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE TABLE IF NOT EXISTS socket_io_attachments (
        id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`);
    await admin.end();
    return {
        port,
        url,
        conninfo,
        start,
        stop,
        kill,
        async restart() {
            await stop();
            await start();
        },
        async destroy() {
            await stop();
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** The PIDs of the children of `pid` (from /proc: Linux). */
function childPids(pid) {
    const out = [];
    for (const entry of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) {
            continue;
        }
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
            // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after its last ')'.
            const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
            if (ppid === pid) {
                out.push(Number(entry));
            }
        } catch {
            // exited meanwhile
        }
    }
    return out;
}

/** Whether process `pid` still runs (a zombie that nobody reaps yet does not count: it holds nothing). */
function isAlive(pid) {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
    } catch {
        return false;
    }
}

/** Runs one SQL statement on a short-lived connection. */
export async function query(postgres, sql, params = []) {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
        return await client.query(sql, params);
    } finally {
        await client.end();
    }
}

/** A QtSocketIo node ($QT_NODE) on a free port with the PostgreSQL adapter; waits for PG UP. */
export async function startQtNode(postgres, args = [], { waitUp = true } = {}) {
    if (!process.env.QT_NODE) {
        throw new Error('QT_NODE is not set: point it at build/tests/cluster/qtnode');
    }
    const node = await startServer(process.env.QT_NODE,
        ['--adapter', 'postgres', '--port', '0', '--pg', postgres.conninfo, ...args]);
    if (waitUp) {
        await node.waitForLine(/^PG UP$/, 10000);
    }
    return node;
}

/**
 * A Node.js socket.io 4.8 server with @socket.io/postgres-adapter 0.5 in this process, with the same
 * control events as qtnode. Returns { port, io, close() }.
 */
export async function startNodeNode(postgres, { name = 'node', requestsTimeout = 5000 } = {}) {
    const pool = new pg.Pool({ connectionString: postgres.url, max: 4 });
    pool.on('error', () => {});
    const httpServer = createServer();
    const server = new Server(httpServer, {
        adapter: createAdapter(pool, { heartbeatInterval: 1000, errorHandler: () => {} }),
    });
    for (const nsp of [server.of('/'), server.of('/chat')]) {
        nsp.on('connection', (socket) => controlChannel(nsp, socket, requestsTimeout));
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
        async close() {
            await new Promise((resolve) => server.close(() => resolve()));
            await pool.end();
        },
    };
}

/** A @socket.io/postgres-emitter 0.1 in this process on postgres. Returns { emitter, close() }. */
export async function startEmitter(postgres) {
    const pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
    pool.on('error', () => {});   // an idle client told of the server's shutdown at the end
    return { emitter: new Emitter(pool), close: () => pool.end() };
}
