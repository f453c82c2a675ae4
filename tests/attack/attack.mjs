#!/usr/bin/env node
// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Attack suite: hostile clients (raw `net` sockets, and the pinned socket.io-client) against the Socket.IO test
// server (tests/interop/sioserver) run as a child process with its DEFAULT options, on loopback only. Each attack
// is bounded in count and time. For each one it checks that
//   - the server stayed up,
//   - a well-behaved client (socket.io-client on WebSocket, an echo loop with acknowledgements) kept its
//     service while the attack ran (its p99 is recorded), and
//   - the server's RSS (/proc/<pid>/status) came back within a margin of what it was before the attacks,
// plus what the attack itself expects (how the server closed it). It prints one table row per attack:
// attack, outcome, peak RSS, RSS after, echo p99, and fails (exit 1) when a check failed.
//
//   node tests/attack/attack.mjs --server build/tests/interop/sioserver/sioserver [--full] [--only a,b]
//
// The short form (default, registered in CTest with the label "attack") takes under 3 minutes; --full (./dev
// attack) uses longer durations and larger counts.

import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import crypto from 'node:crypto';
import os from 'node:os';
import readline from 'node:readline';
import { parseArgs } from 'node:util';

const require = createRequire(new URL('../interop/package.json', import.meta.url));
let io;
try {
    ({ io } = require('socket.io-client'));
} catch (error) {
    console.error(`attack: cannot load socket.io-client from tests/interop/node_modules (${error.message}).\n`
        + 'Install it with ./dev deps (npm ci --prefix tests/interop).');
    process.exit(2);
}

const { values: options } = parseArgs({
    options: {
        server: { type: 'string' },
        full: { type: 'boolean', default: false },
        only: { type: 'string', default: '' },
        'margin-mb': { type: 'string', default: '24' },
        verbose: { type: 'boolean', default: false },
        // Internal: run as the event flooder of the fairness attack (a process of its own).
        'flood-port': { type: 'string', default: '' },
        'flood-ms': { type: 'string', default: '0' },
    },
});
if (!options.server && !options['flood-port']) {
    console.error('attack: --server <path of tests/interop/sioserver/sioserver> is required');
    process.exit(2);
}
try {
    accessSync(options.server ?? process.execPath, fsConstants.X_OK);
} catch {
    console.error(`attack: ${options.server} is not an executable file (build first: ./dev build)`);
    process.exit(2);
}

const HOST = '127.0.0.1';
const FULL = options.full;
const MARGIN = Number(options['margin-mb']) * 1024 * 1024;
// Short form / full form sizes.
const SIZE = FULL
    ? { slow: 1000, floodSeconds: 20, windows: 10, resets: 10000, namespaces: 20000, big: 8 }
    : { slow: 200, floodSeconds: 6, windows: 5, resets: 2000, namespaces: 5000, big: 3 };
// The server's defaults (QSocketIoServer): what the attacks expect to meet.
const HEADERS_TIMEOUT = 10000;
const REQUEST_TIMEOUT = 30000;
const MAX_HTTP_BUFFER = 1000000;
const MAX_BUFFERED = 32 * 1024 * 1024;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (...args) => { if (options.verbose) console.log('   ', ...args); };
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function withDeadline(promise, ms, what) {
    let timer;
    const deadline = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
    });
    return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

// --- the server -----------------------------------------------------------------------------------------------

function startServer(extraArgs = []) {
    const child = spawn(options.server, ['--port', '0', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    const server = { child, pid: child.pid, port: 0, exited: null, stderr: '', lines: [] };
    let listening;
    const ready = new Promise((resolve, reject) => { listening = { resolve, reject }; });
    const rl = readline.createInterface({ input: child.stdout, crlfDelay: Infinity });
    rl.on('line', (line) => {
        if (line.startsWith('LISTENING ')) {
            server.port = Number(line.split(' ')[1]);
            listening.resolve();
        } else if (line.startsWith('DISCONNECT ') && server.lines.length < 200000) {
            server.lines.push(line);
        }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => { server.stderr = (server.stderr + chunk).slice(-200000); });
    server.exitPromise = new Promise((resolve) => {
        child.on('exit', (code, signal) => {
            server.exited = { code, signal };
            listening.reject(new Error(`the server exited (code ${code}, signal ${signal})`));
            resolve(server.exited);
        });
    });
    server.ready = withDeadline(ready, 15000, 'waiting for the server to listen');
    server.alive = () => server.exited === null;
    server.stop = async () => {
        if (!server.exited) {
            try { process.kill(server.pid, 'SIGTERM'); } catch { /* gone */ }
            const timer = setTimeout(() => { try { process.kill(server.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
            await server.exitPromise;
            clearTimeout(timer);
        }
        return server.exited;
    };
    return server;
}

function rss(pid) {
    try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        return Number((/^VmRSS:\s+(\d+) kB/m.exec(status) ?? [0, 0])[1]) * 1024;
    } catch {
        return 0;
    }
}

// Samples the RSS every 50 ms until stopped; returns the peak.
function rssSampler(pid) {
    let peak = rss(pid);
    const timer = setInterval(() => { peak = Math.max(peak, rss(pid)); }, 50);
    return { stop: () => { clearInterval(timer); return Math.max(peak, rss(pid)); } };
}

// --- the well-behaved client ---------------------------------------------------------------------------------

// socket.io-client on WebSocket, one "echo" with an acknowledgement in flight at a time; latencies are collected
// into the current bucket.
function startEcho(port) {
    const echo = { latencies: [], answered: 0, stalls: 0, errors: [], running: true, connected: false };
    const socket = io(`http://${HOST}:${port}`, { transports: ['websocket'], reconnection: true, timeout: 10000 });
    echo.socket = socket;
    socket.on('connect', () => { echo.connected = true; });
    socket.on('disconnect', (reason) => { echo.connected = false; echo.errors.push(`disconnect: ${reason}`); });
    socket.on('connect_error', (error) => { echo.errors.push(`connect_error: ${error.message}`); });
    const payload = { s: 'abcdefghijklmnopqrstuvwxyz012345' };
    echo.loop = (async () => {
        let n = 0;
        while (echo.running) {
            if (!socket.connected) {
                await sleep(20);
                continue;
            }
            const started = process.hrtime.bigint();
            try {
                const answer = await socket.timeout(10000).emitWithAck('echo', { n, ...payload });
                if (!answer || answer.n !== n)
                    echo.errors.push(`echo ${n}: wrong answer`);
                echo.latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
                echo.answered++;
            } catch (error) {
                echo.stalls++;
                echo.errors.push(`echo ${n}: ${error.message}`);
            }
            n++;
            // A client that talks, not a flood: about 500 round trips per second at most.
            await sleep(2);
        }
    })();
    // Resolves once `count` more echoes were answered (false after `ms`).
    echo.probe = async (count, ms) => {
        const until = Date.now() + ms;
        const start = echo.answered;
        while (Date.now() < until) {
            if (echo.answered - start >= count)
                return true;
            await sleep(20);
        }
        return false;
    };
    echo.take = () => { const l = echo.latencies; echo.latencies = []; return l; };
    echo.stop = async () => { echo.running = false; await echo.loop; socket.close(); };
    return echo;
}

function percentile(values, p) {
    if (values.length === 0)
        return NaN;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))];
}
const median = (values) => percentile(values, 50);

// --- raw HTTP and WebSocket clients ---------------------------------------------------------------------------

// Opens a TCP connection; collects what the server sends; resolves `closed` when the server closes (or resets).
function rawConnect(port) {
    return new Promise((resolve, reject) => {
        const socket = net.connect({ host: HOST, port });
        const conn = { socket, data: Buffer.alloc(0), closedBy: null };
        conn.closed = new Promise((done) => {
            socket.on('close', () => done(conn));
        });
        socket.on('data', (chunk) => {
            if (conn.data.length < 4 * 1024 * 1024)
                conn.data = Buffer.concat([conn.data, chunk]);
            conn.onData?.();
        });
        socket.on('error', (error) => { conn.error = error.code ?? error.message; });
        socket.once('connect', () => resolve(conn));
        socket.once('error', reject);
    });
}

const statusOf = (conn) => {
    const m = /^HTTP\/1\.1 (\d{3})/.exec(conn.data.toString('latin1'));
    return m ? Number(m[1]) : null;
};
// How a connection the client kept writing to ended: the server's answers, then a close or a reset (the server
// closing with unread bytes resets the connection, and the client may then lose the answer).
const ended = (conn, closed) => `${responsesOf(conn).join(',') || 'no answer'} + ${closed ? (conn.error === 'ECONNRESET' ? 'RST' : 'close') : 'still open'}`;
const responsesOf = (conn) => (conn.data.toString('latin1').match(/HTTP\/1\.1 \d{3}/g) ?? []).map((s) => Number(s.slice(9)));

// Sends raw bytes and waits for the server to close the connection (or the deadline); returns the statuses seen.
async function rawExchange(port, bytes, waitMs = 5000) {
    const conn = await rawConnect(port);
    conn.socket.write(bytes);
    const closed = await Promise.race([conn.closed.then(() => true), sleep(waitMs).then(() => false)]);
    conn.socket.destroy();
    return { statuses: responsesOf(conn), closed, error: conn.error, text: conn.data.toString('latin1') };
}

async function pollingHandshake(port) {
    const r = await rawExchange(port, 'GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const m = /"sid":"([^"]+)"/.exec(r.text);
    if (!m)
        throw new Error(`no polling handshake: ${r.text.slice(0, 200)}`);
    return m[1];
}

// A WebSocket client written on `net`, so that it can send what a browser never would.
function wsFrame(opcode, payload, { fin = true, rsv = 0, mask = true, lengthOverride } = {}) {
    const data = Buffer.isBuffer(payload) ? payload : Buffer.from(payload ?? '');
    const length = lengthOverride ?? data.length;
    let header;
    if (length < 126) {
        header = Buffer.from([(fin ? 0x80 : 0) | (rsv << 4) | opcode, (mask ? 0x80 : 0) | length]);
    } else if (length < 65536) {
        header = Buffer.from([(fin ? 0x80 : 0) | (rsv << 4) | opcode, (mask ? 0x80 : 0) | 126, length >> 8, length & 0xff]);
    } else {
        header = Buffer.alloc(10);
        header[0] = (fin ? 0x80 : 0) | (rsv << 4) | opcode;
        header[1] = (mask ? 0x80 : 0) | 127;
        header.writeBigUInt64BE(BigInt(length), 2);
    }
    if (!mask)
        return Buffer.concat([header, data]);
    const key = crypto.randomBytes(4);
    const masked = Buffer.alloc(data.length);
    for (let i = 0; i < data.length; i++)
        masked[i] = data[i] ^ key[i & 3];
    return Buffer.concat([header, key, masked]);
}

// Parses the server's frames out of conn.data (after the 101 head). Returns [{opcode, payload}].
function wsFrames(buffer) {
    const frames = [];
    let at = 0;
    while (at + 2 <= buffer.length) {
        const opcode = buffer[at] & 0x0f;
        let length = buffer[at + 1] & 0x7f;
        let offset = at + 2;
        if (length === 126) {
            if (offset + 2 > buffer.length) break;
            length = buffer.readUInt16BE(offset);
            offset += 2;
        } else if (length === 127) {
            if (offset + 8 > buffer.length) break;
            length = Number(buffer.readBigUInt64BE(offset));
            offset += 8;
        }
        if (offset + length > buffer.length)
            break;
        frames.push({ opcode, payload: buffer.subarray(offset, offset + length) });
        at = offset + length;
    }
    return frames;
}

// Opens an Engine.IO WebSocket (no Socket.IO namespace yet) on a raw socket.
async function rawWebSocket(port, { sid } = {}) {
    const conn = await rawConnect(port);
    const key = crypto.randomBytes(16).toString('base64');
    const query = sid ? `&sid=${sid}` : '';
    conn.socket.write(`GET /socket.io/?EIO=4&transport=websocket${query} HTTP/1.1\r\nHost: ${HOST}\r\n`
        + `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    await withDeadline(new Promise((resolve, reject) => {
        const check = () => {
            const text = conn.data.toString('latin1');
            const end = text.indexOf('\r\n\r\n');
            if (end >= 0) {
                if (!text.startsWith('HTTP/1.1 101'))
                    reject(new Error(`no upgrade: ${text.slice(0, 80)}`));
                conn.headLength = end + 4;
                const frames = wsFrames(conn.data.subarray(conn.headLength));
                if (frames.length > 0) {
                    conn.onData = null;
                    resolve();
                }
            }
        };
        conn.onData = check;
        check();
        conn.closed.then(() => reject(new Error('closed during the WebSocket handshake')));
    }), 10000, 'WebSocket handshake');
    conn.frames = () => wsFrames(conn.data.subarray(conn.headLength));
    conn.send = (text) => conn.socket.write(wsFrame(0x1, text));
    // The close code of the server's close frame, if one came.
    conn.closeCode = () => {
        const close = conn.frames().find((f) => f.opcode === 0x8);
        return close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : (close ? 1005 : null);
    };
    return conn;
}

// Waits until the server closed the connection; returns how: "close 1002", "close 1002 + FIN", "RST", "open".
async function closedHow(conn, waitMs) {
    const closed = await Promise.race([conn.closed.then(() => true), sleep(waitMs).then(() => false)]);
    const code = conn.closeCode?.();
    conn.socket.destroy();
    if (!closed && code == null)
        return 'open';
    return code != null ? `ws close ${code}` : (conn.error ? `closed (${conn.error})` : 'closed');
}

// Writes as fast as the socket takes it for `ms`, building each chunk with make(); respects backpressure.
async function floodFor(socket, ms, make) {
    const until = Date.now() + ms;
    let sent = 0;
    while (Date.now() < until && !socket.destroyed) {
        const chunk = make();
        sent += chunk.length;
        if (!socket.write(chunk)) {
            let onDrain;
            let onClose;
            const drained = await Promise.race([
                new Promise((resolve) => { onDrain = () => resolve(true); socket.once('drain', onDrain); }),
                new Promise((resolve) => { onClose = () => resolve(false); socket.once('close', onClose); }),
                sleep(Math.max(1, until - Date.now())).then(() => true),
            ]);
            socket.off('drain', onDrain);
            socket.off('close', onClose);
            if (!drained)
                break;
        }
    }
    return sent;
}

// --- the attacks ----------------------------------------------------------------------------------------------
// Each returns { outcome, ok, detail }: ok false when the server did not behave as expected.

const attacks = [];
const attack = (name, fn, opts = {}) => attacks.push({ name, fn, ...opts });

attack('slowloris on the head', async ({ port }) => {
    // Many connections that send a request head one header line at a time, never finishing it.
    const conns = await Promise.all(Array.from({ length: SIZE.slow }, () => rawConnect(port)));
    for (const c of conns)
        c.socket.write('GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n');
    const started = Date.now();
    const drip = setInterval(() => {
        for (const c of conns)
            if (!c.socket.destroyed) c.socket.write(`X-Drip-${Date.now() % 1000}: a\r\n`);
    }, 1000);
    await Promise.race([Promise.all(conns.map((c) => c.closed)), sleep(HEADERS_TIMEOUT + 25000)]);
    clearInterval(drip);
    const s408 = conns.filter((c) => statusOf(c) === 408).length;
    // The server closes with the client's drip unread, so some connections get a reset instead of the 408.
    const reset = conns.filter((c) => statusOf(c) !== 408 && c.error === 'ECONNRESET').length;
    const closed = await Promise.race([Promise.all(conns.map((c) => c.closed)).then(() => true), sleep(1000).then(() => false)]);
    conns.forEach((c) => c.socket.destroy());
    return {
        outcome: `${s408}/${conns.length} got 408${reset ? `, ${reset} a reset,` : ''} and were closed after ${((Date.now() - started) / 1000).toFixed(0)} s`,
        ok: closed && s408 + reset === conns.length,
    };
});

attack('slowloris on the body', async ({ port }) => {
    const sid = await pollingHandshake(port);
    const conns = await Promise.all(Array.from({ length: SIZE.slow }, () => rawConnect(port)));
    for (const c of conns)
        c.socket.write(`POST /socket.io/?EIO=4&transport=polling&sid=${sid} HTTP/1.1\r\nHost: x\r\n`
            + 'Content-Type: text/plain\r\nContent-Length: 100000\r\n\r\n4');
    const started = Date.now();
    const drip = setInterval(() => {
        for (const c of conns)
            if (!c.socket.destroyed) c.socket.write('x');
    }, 1000);
    await Promise.race([Promise.all(conns.map((c) => c.closed)), sleep(REQUEST_TIMEOUT + 25000)]);
    clearInterval(drip);
    const s408 = conns.filter((c) => statusOf(c) === 408).length;
    const reset = conns.filter((c) => statusOf(c) !== 408 && c.error === 'ECONNRESET').length;
    const closed = await Promise.race([Promise.all(conns.map((c) => c.closed)).then(() => true), sleep(1000).then(() => false)]);
    conns.forEach((c) => c.socket.destroy());
    return {
        outcome: `${s408}/${conns.length} got 408${reset ? `, ${reset} a reset,` : ''} and were closed after ${((Date.now() - started) / 1000).toFixed(0)} s`,
        ok: closed && s408 + reset === conns.length,
    };
});

attack('header limits', async ({ port }) => {
    const big = await rawExchange(port, `GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
    let many = 'GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n';
    for (let i = 0; i < 500; i++)
        many += `X-H${i}: v\r\n`;
    const count = await rawExchange(port, `${many}\r\n`);
    // A head that never ends, streamed: the socket must not buffer it all.
    const conn = await rawConnect(port);
    conn.socket.write('GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nX-Endless: ');
    const sent = await floodFor(conn.socket, 1500, () => Buffer.alloc(64 * 1024, 'a'));
    const endless = await Promise.race([conn.closed.then(() => true), sleep(3000).then(() => false)]);
    conn.socket.destroy();
    const outcome = `64 KiB header: ${big.statuses.join(',') || 'none'}${big.closed ? ' + close' : ''}; `
        + `500 headers: ${count.statuses.join(',') || 'none'}${count.closed ? ' + close' : ''}; `
        + `endless head (${mib(sent)} sent): ${ended(conn, endless)}`;
    return { outcome, ok: big.statuses[0] === 431 && big.closed && count.statuses[0] === 431 && count.closed
        && endless && [undefined, 431].includes(responsesOf(conn)[0]) };
});

attack('body limits', async ({ port }) => {
    const sid = await pollingHandshake(port);
    const size = MAX_HTTP_BUFFER * 2;
    const post = await rawExchange(port, `POST /socket.io/?EIO=4&transport=polling&sid=${sid} HTTP/1.1\r\nHost: x\r\n`
        + `Content-Type: text/plain\r\nContent-Length: ${size}\r\n\r\n4${'a'.repeat(size - 1)}`);
    // A chunked body that never ends.
    const sid2 = await pollingHandshake(port);
    const conn = await rawConnect(port);
    conn.socket.write(`POST /socket.io/?EIO=4&transport=polling&sid=${sid2} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const sent = await floodFor(conn.socket, 1500, () => Buffer.from(`10000\r\n${'a'.repeat(0x10000)}\r\n`));
    const endless = await Promise.race([conn.closed.then(() => true), sleep(3000).then(() => false)]);
    conn.socket.destroy();
    // A WebSocket message over maxHttpBufferSize.
    const ws = await rawWebSocket(port);
    ws.socket.write(wsFrame(0x1, `4${'a'.repeat(MAX_HTTP_BUFFER + 10)}`));
    const how = await closedHow(ws, 5000);
    // The server answers once it has read 1 MB and closes with the rest unread: the client may see a reset
    // instead of the 413 (it was still writing).
    const postEnd = `${post.statuses.join(',') || 'no answer'} + ${post.closed ? (post.error === 'ECONNRESET' ? 'RST' : 'close') : 'still open'}`;
    const outcome = `POST of 2 MB: ${postEnd}; endless chunked `
        + `(${mib(sent)} sent): ${ended(conn, endless)}; WebSocket 1 MB message: ${how}`;
    return { outcome, ok: (post.statuses[0] === 413 || (post.statuses.length === 0 && post.error === 'ECONNRESET'))
        && post.closed && endless
        && [undefined, 413].includes(responsesOf(conn)[0])
        // close 1009, or a reset that lost it (the server closes with the rest of the message unread)
        && (how === 'ws close 1009' || how === 'closed (ECONNRESET)') };
});

attack('request smuggling shapes', async ({ port }) => {
    const sid = await pollingHandshake(port);
    const target = `/socket.io/?EIO=4&transport=polling&sid=${sid}`;
    const smuggled = `GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n`;
    const shapes = {
        'CL+TE': `POST ${target} HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`,
        'double CL': `POST ${target} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n40${smuggled}`,
        'obs-fold': `POST ${target} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nX-Fold: a\r\n b\r\n\r\n40${smuggled}`,
        'bad chunk size': `POST ${target} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n40\r\n0\r\n\r\n${smuggled}`,
        'chunk size overflow': `POST ${target} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n40\r\n0\r\n\r\n`,
        'TE not chunked': `POST ${target} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n40${smuggled}`,
    };
    const seen = [];
    let ok = true;
    for (const [name, bytes] of Object.entries(shapes)) {
        const r = await rawExchange(port, bytes);
        seen.push(`${name}: ${r.statuses.join(',') || 'none'}${r.closed ? '' : ' (open)'}`);
        // A 400 and a close. Only an obs-fold may instead be unfolded (RFC 9112 5.2 allows either): then the
        // body is the declared 2 bytes and the request behind it is a second, well-framed request.
        const refused = r.statuses.length === 1 && r.statuses[0] === 400 && r.closed;
        const unfolded = name === 'obs-fold' && r.statuses.join(',') === '200,200';
        if (!refused && !unfolded)
            ok = false;
    }
    return { outcome: seen.join('; '), ok };
});

attack('pipelined garbage', async ({ port }) => {
    // A valid request followed by garbage, and megabytes of it: one answer, then 400 and a close.
    const r = await rawExchange(port, `GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n`
        + `\x00\x01\x02 garbage \xff\xfe\r\n\r\n`);
    const conn = await rawConnect(port);
    conn.socket.write('GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n');
    const sent = await floodFor(conn.socket, 1500, () => crypto.randomBytes(64 * 1024));
    const endless = await Promise.race([conn.closed.then(() => true), sleep(3000).then(() => false)]);
    conn.socket.destroy();
    const outcome = `request + garbage: ${r.statuses.join(',')}${r.closed ? ' + close' : ''}; `
        + `request + ${mib(sent)} random: ${ended(conn, endless)}`;
    // The flood's answers may be lost in the reset that closing with unread bytes causes: only the close counts.
    return { outcome, ok: r.statuses.join(',') === '200,400' && r.closed && endless
        && ['', '200', '200,400'].includes(responsesOf(conn).join(',')) };
});

attack('WebSocket frame violations', async ({ port }) => {
    const cases = {
        'unmasked': [wsFrame(0x1, '40', { mask: false }), 1002],
        'reserved bits': [wsFrame(0x1, '40', { rsv: 0b100 }), 1002],
        'reserved opcode': [wsFrame(0x3, '40'), 1002],
        'oversized control': [wsFrame(0x9, 'a'.repeat(200)), 1002],
        'fragmented control': [wsFrame(0x9, 'ping', { fin: false }), 1002],
        'bad UTF-8': [wsFrame(0x1, Buffer.from([0x34, 0x32, 0xc3, 0x28, 0xff])), 1007],
        'lone continuation': [wsFrame(0x0, '40'), 1002],
        'close code 1005 sent': [wsFrame(0x8, Buffer.from([0x03, 0xed])), 1002],
    };
    const seen = [];
    const failed = [];
    for (const [name, [frame, expected]] of Object.entries(cases)) {
        const ws = await rawWebSocket(port);
        ws.socket.write(frame);
        const how = await closedHow(ws, 5000);
        seen.push(`${name}: ${how.replace('ws close ', '')}`);
        if (how !== `ws close ${expected}`)
            failed.push(name);
    }
    return { outcome: seen.join('; '), ok: failed.length === 0, detail: failed.length ? `expected other close codes for: ${failed.join(', ')}` : '' };
});

attack('Engine.IO ping flood', async ({ port }) => {
    // Engine.IO v4 clients never send pings (the server does): Node closes such a client.
    const ws = await rawWebSocket(port);
    ws.send('40');
    const frame = wsFrame(0x1, '2');
    const batch = Buffer.concat(Array.from({ length: 512 }, () => frame));
    const sent = await floodFor(ws.socket, SIZE.floodSeconds * 500, () => batch);
    const how = await closedHow(ws, 3000);
    return { outcome: `${(sent / frame.length).toFixed(0)} pings sent: ${how}`, ok: how !== 'open' };
});

attack('Engine.IO ping flood with large data', async ({ port }) => {
    // Pings carrying 512 KiB each, read by a client that never reads the answers.
    const ws = await rawWebSocket(port);
    ws.send('40');
    ws.socket.pause();
    const frame = wsFrame(0x1, `2${'p'.repeat(512 * 1024)}`);
    let sent = 0;
    const until = Date.now() + SIZE.floodSeconds * 500;
    while (Date.now() < until && !ws.socket.destroyed) {
        sent++;
        if (!ws.socket.write(frame))
            await floodFor(ws.socket, 200, () => Buffer.alloc(0));
    }
    ws.socket.resume();
    const how = await closedHow(ws, 5000);
    return { outcome: `${sent} pings of 512 KiB sent: ${how}`, ok: how !== 'open' };
});

// The event flood: a second client sends small events at full speed; the echo client's p99 must stay within
// 3x of its quiet p99 (medians over several windows, so that one scheduler hiccup does not decide).
// The event flood: a second client sends small events at full speed; the echo client's p99 must stay within
// 3x of its quiet p99. Quiet and flooded 1-second windows alternate (so that the machine's load, which other
// work changes from second to second, weighs on both alike) and the medians of their p99s are compared.
// On a machine loaded by other work (load average over twice the cores) a CPU-bound server waits for the
// scheduler whatever it does, so the bound is then reported and not asserted. The echo client must be answered
// in every flooded second in any case (before the fairness budget, a flood starved it for seconds).
attack('event flood (fairness)', async ({ port, echo }) => {
    const windowMs = 1000;
    // The flooder is a process of its own, niced (a load generator; the echo client's process must not be what
    // waits): "on" makes it write small events as fast as the server takes them, "off" pauses it.
    const flooder = spawn(process.execPath, [new URL(import.meta.url).pathname, '--flood-port', String(port)],
        { stdio: ['pipe', 'pipe', 'inherit'] });
    try { os.setPriority(flooder.pid, 19); } catch { /* not allowed: run as it is */ }
    let report = '';
    flooder.stdout.setEncoding('utf8');
    flooder.stdout.on('data', (chunk) => { report += chunk; });
    const exited = new Promise((resolve) => flooder.on('exit', resolve));
    await withDeadline(new Promise((resolve) => { const t = setInterval(() => { if (report.includes('ready')) { clearInterval(t); resolve(); } }, 20); }),
        10000, 'flooder connect');
    const load = os.loadavg()[0];
    const quiet = [];
    const loud = [];
    const counts = [];   // echoes answered in each flooded window
    for (let i = 0; i < SIZE.windows; i++) {
        flooder.stdin.write('off\n');
        await sleep(300);   // what the server still had in its buffers
        echo.take();
        await sleep(windowMs);
        quiet.push(percentile(echo.take(), 99));
        flooder.stdin.write('on\n');
        await sleep(300);
        echo.take();
        await sleep(windowMs);
        const answered = echo.take();
        counts.push(answered.length);
        loud.push(answered.length ? percentile(answered, 99) : Infinity);
    }
    flooder.stdin.write('quit\n');
    await withDeadline(exited, 10000, 'flooder exit');
    const { events, seconds, how } = JSON.parse(report.slice(report.indexOf('{')) || '{}');
    const q = median(quiet);
    const l = median(loud);
    const ratio = l / q;
    const cores = os.cpus().length;
    const asserted = load <= 2 * cores;
    // Whatever the load, the echo client is never starved: it is answered in every flooded window.
    const starved = counts.filter((n) => n < 5).length;
    return {
        outcome: `${(events / seconds).toFixed(0)} events/s written, ${how}; echo p99 quiet ${q.toFixed(2)} ms, `
            + `flooded ${l.toFixed(2)} ms: ${ratio.toFixed(1)}x (windows quiet ${quiet.map((x) => x.toFixed(1)).join('/')}, `
            + `flooded ${loud.map((x) => x.toFixed(1)).join('/')}; load ${load.toFixed(1)} on ${cores} cores`
            + `${asserted ? '' : ': 3x bound not asserted'}; echoes per flooded second ${counts.join('/')})`,
        // 3x, with 2 ms of slack: a quiet p99 of a fraction of a millisecond is within one event-loop turn and
        // the scheduler's noise of the flooded one.
        ok: starved === 0 && (!asserted || ratio <= 3 || l - q <= 2),
        detail: starved ? `the echo client was starved (under 5 answers) in ${starved} of ${counts.length} flooded windows`
            : (ratio > 3 ? `echo p99 under the flood is ${ratio.toFixed(1)}x the quiet one (bound 3x)` : ''),
    };
});

attack('acks for unknown ids', async ({ port }) => {
    const ws = await rawWebSocket(port);
    ws.send('40');
    let id = 1000;
    const sent = await floodFor(ws.socket, SIZE.floodSeconds * 500,
        () => Buffer.concat(Array.from({ length: 256 }, () => wsFrame(0x1, `43${id++}["x"]`))));
    const how = await closedHow(ws, 1000);
    return { outcome: `${id - 1000} acks sent: ${how === 'open' ? 'ignored, connection kept' : how}`, ok: true };
});

attack('CONNECT to dynamic namespaces', async ({ port }) => {
    // One connection asks for ever new namespaces matching the server's pattern (^/dyn-\d+$).
    const ws = await rawWebSocket(port);
    let n = 0;
    const sent = await floodFor(ws.socket, SIZE.floodSeconds * 500, () => {
        const frames = [];
        for (let i = 0; i < 64 && n < SIZE.namespaces; i++)
            frames.push(wsFrame(0x1, `40/dyn-${n++},`));
        return frames.length ? Buffer.concat(frames) : Buffer.alloc(0);
    });
    await sleep(500);
    const connected = ws.frames().filter((f) => f.payload.toString().startsWith('40/dyn-')).length;
    const how = await closedHow(ws, 1000);
    return { outcome: `${n} CONNECTs (${(sent / 1024).toFixed(0)} KiB): ${connected} answered; then ${how === 'open' ? 'closed by the client' : how}`,
        // The children go with their last socket (cleanupEmptyChildNamespaces, on by default): the RSS must come back.
        ok: true };
});

attack('reader that stops reading', async ({ port }) => {
    // Asks the server for 64 MiB of events and never reads them: closed as a slow consumer at maxBufferedBytes.
    const ws = await rawWebSocket(port);
    ws.send('40');
    await sleep(200);
    ws.socket.pause();
    ws.send(`42["flood",${64 * SIZE.big},1048576]`);
    // A paused socket does not read, so it only learns of the server's reset when it writes: a WebSocket ping
    // every 500 ms (a reset connection fails the write and closes).
    const probe = (async () => {
        for (let i = 0; i < 30 && !ws.socket.destroyed; i++) {
            await sleep(500);
            if (!ws.socket.destroyed)
                ws.socket.write(wsFrame(0x9, ''));
        }
    })();
    const closed = await Promise.race([ws.closed.then(() => true), sleep(15000).then(() => false)]);
    await Promise.race([probe, sleep(600)]);
    ws.socket.destroy();
    return { outcome: closed ? 'closed by the server (slow consumer)' : 'still open after 15 s', ok: closed };
});

attack('connections that vanish with RST', async ({ port }) => {
    // Connections that open a session (polling, WebSocket, or nothing) and reset (SO_LINGER 0).
    let done = 0;
    let failed = 0;
    const batch = 100;
    for (let i = 0; i < SIZE.resets; i += batch) {
        await Promise.all(Array.from({ length: Math.min(batch, SIZE.resets - i) }, async (_, j) => {
            try {
                const kind = (i + j) % 3;
                let conn;
                if (kind === 0) {
                    conn = await rawWebSocket(port);
                    conn.send('40');
                } else if (kind === 1) {
                    conn = await rawConnect(port);
                    conn.socket.write('GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n');
                    await withDeadline(new Promise((r) => { conn.onData = r; }), 10000, 'polling handshake');
                } else {
                    conn = await rawConnect(port);
                    conn.socket.write('GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n');
                }
                conn.socket.resetAndDestroy();
                done++;
            } catch {
                failed++;
            }
        }));
    }
    return { outcome: `${done} reset (${failed} failed to open)`, ok: failed === 0 };
});

attack('event rate limit (option on)', async () => {
    // The optional per-connection rate limit, on a server of its own: --event-rate-limit 200 --event-rate-burst 400.
    const limited = startServer(['--event-rate-limit', '200', '--event-rate-burst', '400']);
    await limited.ready;
    const socket = io(`http://${HOST}:${limited.port}`, { transports: ['websocket'], reconnection: false });
    await withDeadline(new Promise((r) => socket.once('connect', r)), 10000, 'rate-limited connect');
    const gone = new Promise((r) => socket.once('disconnect', (reason, details) => r({ reason, details })));
    // Well within the rate: kept.
    for (let i = 0; i < 50; i++)
        await socket.timeout(5000).emitWithAck('echo', i);
    let sent = 0;
    const flood = setInterval(() => { for (let i = 0; i < 200 && socket.connected; i++, sent++) socket.emit('noop', i); }, 5);
    const result = await withDeadline(gone, 10000, 'rate-limited disconnect');
    clearInterval(flood);
    socket.close();
    await sleep(300);
    const code = result.details?.context?.code;
    const why = result.details?.context?.reason?.toString?.() ?? '';
    // The same on HTTP long-polling: the POST that goes over the limit is answered 429.
    const polling = io(`http://${HOST}:${limited.port}`, { transports: ['polling'], reconnection: false });
    await withDeadline(new Promise((r) => polling.once('connect', r)), 10000, 'rate-limited polling connect');
    const pollingGone = new Promise((r) => polling.once('disconnect', (reason, details) => r({ reason, details })));
    const pollingFlood = setInterval(() => { for (let i = 0; i < 100 && polling.connected; i++) polling.emit('noop', i); }, 5);
    const pollingResult = await withDeadline(pollingGone, 10000, 'rate-limited polling disconnect');
    clearInterval(pollingFlood);
    polling.close();
    const pollingStatus = pollingResult.details?.description;
    await sleep(300);
    const logged = /event rate limit exceeded/.test(limited.stderr);
    const serverSaw = limited.lines.filter((l) => / forced close$/.test(l)).length >= 2;
    await limited.stop();
    return {
        outcome: `50 paced echoes kept; flood closed after ${sent} events: client "${result.reason}", ws ${code} "${why}"; `
            + `polling flood: client "${pollingResult.reason}" (POST ${pollingStatus}); server: forced close${logged ? ', logged' : ''}`,
        ok: code === 1008 && /rate limit/.test(why) && pollingStatus === 429 && logged && serverSaw,
        ownServer: true,
    };
});

// --- the run --------------------------------------------------------------------------------------------------

async function settle(pid, baseline, ms) {
    // The RSS after an attack: the lowest seen while idling up to `ms` (stops early once within the margin).
    let low = rss(pid);
    const until = Date.now() + ms;
    while (Date.now() < until && low > baseline + MARGIN / 2) {
        await sleep(250);
        low = Math.min(low, rss(pid));
    }
    return low;
}

async function floodChild() {
    const ws = await rawWebSocket(Number(options['flood-port']));
    ws.send('40');
    await sleep(200);
    const frame = wsFrame(0x1, '42["noop",1]');
    const batch = Buffer.concat(Array.from({ length: 1024 }, () => frame));
    let on = false;
    let quit = false;
    readline.createInterface({ input: process.stdin }).on('line', (line) => {
        on = line === 'on';
        quit = line === 'quit';
    });
    process.stdout.write('ready\n');
    let sent = 0;
    let floodedMs = 0;
    while (!quit && !ws.socket.destroyed) {
        if (!on) {
            await sleep(10);
            continue;
        }
        const started = Date.now();
        sent += await floodFor(ws.socket, 50, () => batch);
        floodedMs += Date.now() - started;
    }
    const how = ws.socket.destroyed ? 'closed by the server' : 'kept';
    ws.socket.destroy();
    process.stdout.write(JSON.stringify({ events: Math.round(sent / frame.length), seconds: floodedMs / 1000, how }));
    process.exit(0);
}

async function main() {
    const only = options.only ? options.only.split(',').map((s) => s.trim().toLowerCase()) : [];
    const chosen = attacks.filter((a) => only.length === 0 || only.some((o) => a.name.toLowerCase().includes(o)));
    const server = startServer();
    await server.ready;
    console.log(`attack: server pid ${server.pid} on port ${server.port}, ${FULL ? 'full' : 'short'} form, ${chosen.length} attacks`);
    const echo = startEcho(server.port);
    await withDeadline(new Promise((r) => { const t = setInterval(() => { if (echo.connected) { clearInterval(t); r(); } }, 20); }), 10000, 'echo client connect');
    await sleep(1500);   // warm-up
    echo.take();
    let baseline = rss(server.pid);
    console.log(`attack: baseline RSS ${mib(baseline)}, margin ${mib(MARGIN)}`);
    const rows = [];
    let failures = 0;
    for (const a of chosen) {
        const started = Date.now();
        const sampler = rssSampler(server.pid);
        const stallsBefore = echo.stalls;
        echo.take();
        let result;
        try {
            result = await a.fn({ port: server.port, echo, server });
        } catch (error) {
            result = { outcome: `attack failed: ${error.message}`, ok: false };
        }
        // The well-behaved client is served right after the attack too.
        const served = await echo.probe(5, 10000);
        const latencies = echo.take();
        const peak = sampler.stop();
        const after = await settle(server.pid, baseline, 10000);
        const p99 = percentile(latencies, 99);
        const problems = [];
        if (!result.ok)
            problems.push(result.detail || 'unexpected outcome');
        if (!server.alive())
            problems.push(`server died: ${JSON.stringify(server.exited)}`);
        if (echo.stalls > stallsBefore || !served)
            problems.push(`echo client lost its service (${echo.stalls - stallsBefore} timed out, ${latencies.length} answered)`);
        const known = [];
        if (after > baseline + MARGIN) {
            const text = `RSS after ${mib(after)} > baseline ${mib(baseline)} + ${mib(MARGIN)}`;
            if (result.knownRss) {
                known.push(`KNOWN: ${text}: ${result.knownRss}`);
                baseline = after;   // the next attacks are measured from here
            }
            else
                problems.push(text);
        }
        if (problems.length)
            failures++;
        rows.push({ name: a.name, outcome: result.outcome, peak, after, p99, n: latencies.length,
            seconds: (Date.now() - started) / 1000, problems, known });
        console.log(`${problems.length ? 'FAIL' : 'ok  '} ${a.name} (${((Date.now() - started) / 1000).toFixed(1)} s): ${result.outcome}; `
            + `peak RSS ${mib(peak)}, after ${mib(after)}, echo p99 ${p99.toFixed(2)} ms over ${latencies.length}`
            + (problems.length ? `\n     -> ${problems.join('; ')}` : '') + (known.length ? `\n     -> ${known.join('; ')}` : ''));
        if (!server.alive())
            break;
    }
    await echo.stop();
    const exited = await server.stop();
    if (exited.code !== 0 && !(exited.signal === 'SIGTERM')) {
        console.log(`attack: the server did not stop cleanly: ${JSON.stringify(exited)}`);
        failures++;
    }
    console.log('\n| attack | outcome | peak RSS | RSS after | echo p99 |');
    console.log('|---|---|---|---|---|');
    for (const r of rows)
        console.log(`| ${r.name}${r.problems.length ? ' **(FAIL)**' : ''}${r.known.length ? ' (known)' : ''} | ${r.outcome} | ${mib(r.peak)} | ${mib(r.after)} | ${r.p99.toFixed(2)} ms |`);
    console.log(`\nbaseline RSS ${mib(baseline)}; echo errors: ${echo.errors.slice(0, 5).join('; ') || 'none'}`);
    const passed = rows.length - rows.filter((r) => r.problems.length).length;
    console.log(`\n${passed} passed, ${chosen.length - passed} failed`);
    process.exit(failures || passed !== chosen.length ? 1 : 0);
}

(options['flood-port'] ? floodChild() : main()).catch((error) => {
    console.error(`attack: ${error.stack ?? error}`);
    process.exit(1);
});
