#!/usr/bin/env node
// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Soak test: for a set time, connects and disconnects thousands of clients against the Socket.IO test server
// (tests/interop/sioserver) on loopback, a bounded number at a time, with a mix of behaviours:
//
//   polling     socket.io-client on HTTP long-polling: join, echo with a binary attachment, disconnect
//   websocket   socket.io-client on WebSocket only: the same
//   upgrade     socket.io-client polling first, upgraded to WebSocket, then the same
//   drop-ws     raw WebSocket client: join, send an event, then destroy the TCP socket (no close frame)
//   drop-poll   raw polling client: join, start a long poll, then destroy its TCP socket
//   drop-probe  raw client: polling session, WebSocket upgrade probe answered, then both connections destroyed
//   no-pong     raw WebSocket client that joins and never answers a ping: the server must close it
//   silent      raw WebSocket client that opens Engine.IO and never joins a namespace: closed at connect timeout
//
// It reads the server's RSS (/proc/<pid>/status) after a warm-up once the server idled with no client left,
// and again at the end the same way, and checks the server's own account (every CONNECT line has its
// DISCONNECT line). Exit status 1 when the RSS grew by more than the margin, when a client met an error the
// scenario does not expect, or when the server died or did not stop cleanly on SIGTERM.
//
//   node tests/soak/soak.mjs --server build/tests/interop/sioserver/sioserver [--seconds 60]
//        [--concurrency 200] [--warmup 8] [--margin-mb 10] [--margin-percent 20]

import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import readline from 'node:readline';
import { parseArgs } from 'node:util';

// The clients pinned for the interop tests (tests/interop/package-lock.json).
const require = createRequire(new URL('../interop/package.json', import.meta.url));
let io;
let WebSocket;
try {
    ({ io } = require('socket.io-client'));
    WebSocket = require('ws');
} catch (error) {
    console.error(`soak: cannot load socket.io-client / ws from tests/interop/node_modules (${error.message}).\n` +
        'Install them with ./dev deps (npm ci --prefix tests/interop).');
    process.exit(2);
}

const { values: options } = parseArgs({
    options: {
        server: { type: 'string' },
        seconds: { type: 'string', default: '60' },
        concurrency: { type: 'string', default: '200' },
        warmup: { type: 'string', default: '' },
        'margin-mb': { type: 'string', default: '10' },
        'margin-percent': { type: 'string', default: '20' },
        verbose: { type: 'boolean', default: false },
    },
});

const HOST = '127.0.0.1';
// Short heartbeats, so that silent clients go within the run, yet long enough for a loaded CI machine.
const PING_INTERVAL = 2500;
const PING_TIMEOUT = 5000;
const CONNECT_TIMEOUT = 5000;
const CLIENT_DEADLINE = 30000;   // no scenario may take longer
const IDLE_MS = 2000;            // the server idles this long with no client before its RSS is read

const seconds = Number(options.seconds);
const concurrency = Number(options.concurrency);
const warmupSeconds = options.warmup ? Number(options.warmup) : Math.min(10, Math.max(3, Math.round(seconds / 6)));
const marginBytes = Number(options['margin-mb']) * 1024 * 1024;
const marginPercent = Number(options['margin-percent']);
for (const [name, value] of [['seconds', seconds], ['concurrency', concurrency], ['warmup', warmupSeconds]]) {
    if (!Number.isFinite(value) || value <= 0) {
        console.error(`soak: --${name} must be a positive number`);
        process.exit(2);
    }
}
if (!options.server) {
    console.error('soak: --server <path of tests/interop/sioserver/sioserver> is required');
    process.exit(2);
}
try {
    accessSync(options.server, fsConstants.X_OK);
} catch {
    console.error(`soak: ${options.server} is not an executable file (build first: ./dev build)`);
    process.exit(2);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function withDeadline(promise, ms, what) {
    let timer;
    const deadline = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no progress after ${ms} ms`)), ms);
    });
    return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

// --- the server ---------------------------------------------------------------------------------------------

function startServer(path) {
    const args = ['--port', '0', '--ping-interval', String(PING_INTERVAL), '--ping-timeout', String(PING_TIMEOUT),
        '--connect-timeout', String(CONNECT_TIMEOUT)];
    const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const server = {
        child,
        pid: child.pid,
        port: 0,
        connects: 0,
        disconnects: 0,
        reasons: new Map(),
        errorLines: 0,
        stderr: '',
        exited: null,
    };
    let listening;
    const ready = new Promise((resolve, reject) => { listening = { resolve, reject }; });
    const rl = readline.createInterface({ input: child.stdout, crlfDelay: Infinity });
    rl.on('line', (line) => {
        if (line.startsWith('CONNECT ')) {
            server.connects++;
        } else if (line.startsWith('DISCONNECT ')) {
            server.disconnects++;
            const reason = line.split(' ').slice(3).join(' ');
            server.reasons.set(reason, (server.reasons.get(reason) ?? 0) + 1);
        } else if (line.startsWith('ERROR ')) {
            server.errorLines++;
        } else if (line.startsWith('LISTENING ')) {
            server.port = Number(line.split(' ')[1]);
            listening.resolve();
        }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
        // Keep the end only: a debug build may log a lot.
        server.stderr = (server.stderr + chunk).slice(-20000);
    });
    server.exitPromise = new Promise((resolve) => {
        child.on('exit', (code, signal) => {
            server.exited = { code, signal };
            listening.reject(new Error(`the server exited before listening (code ${code}, signal ${signal})`));
            resolve(server.exited);
        });
    });
    server.ready = withDeadline(ready, 10000, 'waiting for the server to listen');
    // Stopped by its PID: SIGTERM (it closes its sessions and exits), SIGKILL after 5 s.
    server.stop = async () => {
        if (!server.exited) {
            try { process.kill(server.pid, 'SIGTERM'); } catch { /* gone */ }
            const timer = setTimeout(() => {
                try { process.kill(server.pid, 'SIGKILL'); } catch { /* gone */ }
            }, 5000);
            await server.exitPromise;
            clearTimeout(timer);
        }
        return server.exited;
    };
    return server;
}

function rssBytes(pid) {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number((new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status) ?? [0, 0])[1]);
    return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
}

const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

// --- statistics ---------------------------------------------------------------------------------------------

const stats = {
    started: new Map(),
    completed: new Map(),
    expected: new Map(),     // expected outcomes worth counting (e.g. "no-pong: closed by the server")
    errors: new Map(),       // unexpected: make the run fail
    errorSamples: [],
};
const bump = (map, key, n = 1) => map.set(key, (map.get(key) ?? 0) + n);
function unexpected(kind, message) {
    const key = `${kind}: ${message}`.replace(/\d{4,}/g, 'N').slice(0, 160);
    bump(stats.errors, key);
    if (stats.errorSamples.length < 20) {
        stats.errorSamples.push(`${kind}: ${message}`);
    }
}

// --- raw Engine.IO helpers ----------------------------------------------------------------------------------

function rawRequest(port, method, path, body, { hold } = {}) {
    return new Promise((resolve, reject) => {
        const req = http.request({
            host: HOST, port, method, path, agent: false,
            headers: body !== undefined ? { 'Content-Type': 'text/plain;charset=UTF-8' } : {},
        }, (res) => {
            let data = '';
            res.setEncoding('utf8');
            res.on('data', (chunk) => { data += chunk; });
            res.on('end', () => resolve({ status: res.statusCode, body: data }));
            res.on('error', reject);
        });
        req.on('error', reject);
        if (hold) {
            hold(req);
        }
        req.end(body);
    });
}

async function pollingHandshake(port) {
    const res = await rawRequest(port, 'GET', '/socket.io/?EIO=4&transport=polling');
    if (res.status !== 200 || !res.body.startsWith('0')) {
        throw new Error(`polling handshake: HTTP ${res.status} ${res.body.slice(0, 80)}`);
    }
    return JSON.parse(res.body.slice(1)).sid;
}

// Polls until a packet starts with `prefix` (a payload holds packets separated by \x1e), answering pings.
async function pollFor(port, path, prefix) {
    for (let round = 0; round < 10; round++) {
        const res = await rawRequest(port, 'GET', path);
        if (res.status !== 200) {
            throw new Error(`poll: HTTP ${res.status} ${res.body.slice(0, 80)}`);
        }
        const packets = res.body.split('\x1e');
        if (packets.includes('2')) {
            await rawRequest(port, 'POST', path, '3');
        }
        if (packets.some((p) => p.startsWith(prefix))) {
            return;
        }
        if (packets.some((p) => p.startsWith('1'))) {
            throw new Error('poll: the server closed the session');
        }
    }
    throw new Error(`poll: no packet starting with ${prefix} in 10 polls`);
}

// A polling session joined to "/"; returns its request path.
async function pollingJoin(port) {
    const sid = await pollingHandshake(port);
    const path = `/socket.io/?EIO=4&transport=polling&sid=${sid}`;
    const posted = await rawRequest(port, 'POST', path, '40');
    if (posted.status !== 200) {
        throw new Error(`POST 40: HTTP ${posted.status} ${posted.body.slice(0, 80)}`);
    }
    await pollFor(port, path, '40');
    return { sid, path };
}

// A raw WebSocket client: resolves once it joined "/" (or, with join false, once Engine.IO opened).
function rawWebSocket(port, { answerPings = true, join = true, sid } = {}) {
    const query = sid ? `&sid=${sid}` : '';
    const ws = new WebSocket(`ws://${HOST}:${port}/socket.io/?EIO=4&transport=websocket${query}`);
    const state = { ws, closed: false, closeCode: 0, pings: 0 };
    state.closedPromise = new Promise((resolve) => {
        ws.on('close', (code) => {
            state.closed = true;
            state.closeCode = code;
            resolve();
        });
    });
    state.errors = [];
    ws.on('error', (error) => state.errors.push(error.message));
    state.opened = new Promise((resolve, reject) => {
        ws.on('message', (data) => {
            const text = data.toString();
            if (text === '2') {
                state.pings++;
                if (answerPings) {
                    ws.send('3');
                }
            } else if (text.startsWith('0') && !sid) {
                if (join) {
                    ws.send('40');
                } else {
                    resolve();
                }
            } else if (text.startsWith('40')) {
                resolve();
            } else if (text === '3probe') {
                resolve();
            } else if (text.startsWith('44')) {
                reject(new Error(`CONNECT_ERROR ${text}`));
            }
        });
        ws.on('open', () => {
            if (sid) {
                ws.send('2probe');
            }
        });
        ws.on('close', () => reject(new Error('closed before it opened')));
    });
    return state;
}

// --- scenarios ----------------------------------------------------------------------------------------------

async function sioClient(port, kind, transports, upgrade) {
    const socket = io(`http://${HOST}:${port}`, {
        transports, upgrade, forceNew: true, reconnection: false, timeout: 5000,
    });
    try {
        const upgraded = upgrade
            ? new Promise((resolve) => socket.io.on('open', () => socket.io.engine.once('upgrade', resolve)))
            : null;
        await new Promise((resolve, reject) => {
            socket.once('connect', resolve);
            socket.once('connect_error', (error) => reject(new Error(`connect_error: ${error.message}`)));
        });
        if (upgraded) {
            await withDeadline(upgraded, 5000, 'waiting for the upgrade');
            if (socket.io.engine.transport.name !== 'websocket') {
                throw new Error(`upgraded to ${socket.io.engine.transport.name}`);
            }
        }
        const payload = Buffer.from([0, 1, 2, 3, 250, 251, 252, 253]);
        // emitWithAck() resolves with the first argument only: take them all through a callback.
        const answer = await new Promise((resolve, reject) => {
            socket.timeout(5000).emit('echo', kind, { n: 42 }, payload, (error, ...args) => {
                if (error) {
                    reject(new Error(`echo: ${error.message}`));
                } else {
                    resolve(args);
                }
            });
        });
        if (!Array.isArray(answer) || answer[0] !== kind || answer[1]?.n !== 42 ||
            !Buffer.isBuffer(answer[2]) || !answer[2].equals(payload)) {
            throw new Error(`echo came back wrong: ${JSON.stringify(answer).slice(0, 100)}`);
        }
        let lost = null;
        const disconnected = new Promise((resolve) => socket.once('disconnect', (reason, details) => {
            lost = `${reason}${details?.description ? ` (${details.description.message ?? details.description})` : ''}`;
            resolve(reason);
        }));
        await sleep(100 + Math.random() * 400);
        if (!socket.connected) {
            throw new Error(`disconnected before it said goodbye: ${lost} on ${socket.io.engine?.transport?.name}`);
        }
        socket.disconnect();
        const reason = await disconnected;
        if (reason !== 'io client disconnect') {
            throw new Error(`disconnect reason ${reason}`);
        }
    } finally {
        socket.disconnect();
        socket.io.engine?.close();
    }
}

async function dropWebSocket(port) {
    const client = rawWebSocket(port);
    await client.opened;
    client.ws.send('42["echo","dropped"]');
    await sleep(Math.random() * 200);
    client.ws.terminate();   // destroys the TCP socket: no close frame, no Engine.IO close packet
}

async function dropPolling(port) {
    const { path } = await pollingJoin(port);
    // A long poll, then its TCP connection destroyed while the server holds it.
    let request;
    const poll = rawRequest(port, 'GET', path, undefined, { hold: (req) => { request = req; } }).catch(() => {});
    await sleep(50 + Math.random() * 150);
    request.destroy();
    await poll;
}

async function dropProbe(port) {
    const { sid, path } = await pollingJoin(port);
    let request;
    const poll = rawRequest(port, 'GET', path, undefined, { hold: (req) => { request = req; } }).catch(() => {});
    const probe = rawWebSocket(port, { sid });
    await probe.opened;   // "3probe" came back: the upgrade is half done
    probe.ws.terminate();
    request.destroy();
    await poll;
}

async function noPong(port, kind) {
    const client = rawWebSocket(port, { answerPings: false });
    await client.opened;
    // The server must give up after pingInterval + pingTimeout (the ping may come up to an interval late).
    await withDeadline(client.closedPromise, PING_INTERVAL * 2 + PING_TIMEOUT + 3000, 'waiting for the ping timeout');
    bump(stats.expected, `${kind}: closed by the server`);
}

async function silent(port, kind) {
    const client = rawWebSocket(port, { join: false });
    await client.opened;
    await withDeadline(client.closedPromise, CONNECT_TIMEOUT + 3000, 'waiting for the connect timeout');
    bump(stats.expected, `${kind}: closed by the server`);
}

const scenarios = [
    { kind: 'polling', weight: 3, run: (port) => sioClient(port, 'polling', ['polling'], false) },
    { kind: 'websocket', weight: 3, run: (port) => sioClient(port, 'websocket', ['websocket'], false) },
    { kind: 'upgrade', weight: 3, run: (port) => sioClient(port, 'upgrade', ['polling', 'websocket'], true) },
    { kind: 'drop-ws', weight: 2, run: dropWebSocket },
    { kind: 'drop-poll', weight: 2, run: dropPolling },
    { kind: 'drop-probe', weight: 1, run: dropProbe },
    { kind: 'no-pong', weight: 1, run: noPong },
    { kind: 'silent', weight: 1, run: silent },
];
const deck = scenarios.flatMap((s) => Array(s.weight).fill(s));

// --- the load -----------------------------------------------------------------------------------------------

async function runLoad(server, durationMs, label) {
    const end = Date.now() + durationMs;
    let next = 0;
    let inFlight = 0;
    let served = 0;
    const workers = [];
    const worker = async () => {
        while (Date.now() < end && !server.exited) {
            const scenario = deck[next++ % deck.length];
            bump(stats.started, scenario.kind);
            inFlight++;
            try {
                await withDeadline(scenario.run(server.port, scenario.kind), CLIENT_DEADLINE, scenario.kind);
                bump(stats.completed, scenario.kind);
                served++;
            } catch (error) {
                unexpected(scenario.kind, error.message);
            } finally {
                inFlight--;
            }
        }
    };
    const progress = setInterval(() => {
        if (options.verbose) {
            const { rss } = rssBytes(server.pid);
            console.log(`  ${label}: ${served} clients done, ${inFlight} in flight, server RSS ${mib(rss)}`);
        }
    }, 5000);
    for (let i = 0; i < concurrency; i++) {
        workers.push(worker());
        await sleep(Math.max(2, 2000 / concurrency));   // ramp up over ~2 s rather than all handshakes at once
    }
    await Promise.all(workers);
    clearInterval(progress);
    return served;
}

// Waits until the server reports as many DISCONNECTs as CONNECTs (no socket left), then lets it idle.
async function settle(server) {
    const deadline = Date.now() + PING_INTERVAL * 2 + PING_TIMEOUT + CONNECT_TIMEOUT + 10000;
    while (server.connects !== server.disconnects && Date.now() < deadline && !server.exited) {
        await sleep(100);
    }
    await sleep(IDLE_MS);
    return server.connects === server.disconnects;
}

function table(map) {
    return [...map.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `    ${String(v).padStart(7)}  ${k}`);
}

async function main() {
    const server = startServer(options.server);
    const cleanup = () => { try { process.kill(server.pid, 'SIGKILL'); } catch { /* gone */ } };
    process.on('exit', cleanup);
    for (const sig of ['SIGINT', 'SIGTERM']) {
        process.once(sig, () => { cleanup(); process.exit(130); });
    }
    await server.ready;
    console.log(`soak: server PID ${server.pid} on ${HOST}:${server.port} (ping ${PING_INTERVAL}/${PING_TIMEOUT} ms, ` +
        `connect timeout ${CONNECT_TIMEOUT} ms); ${concurrency} clients at a time`);
    const launch = rssBytes(server.pid);

    console.log(`soak: warm-up ${warmupSeconds} s`);
    const warmServed = await runLoad(server, warmupSeconds * 1000, 'warm-up');
    await settle(server);
    const start = rssBytes(server.pid);
    const errorsAfterWarmup = [...stats.errors.values()].reduce((a, b) => a + b, 0);
    console.log(`soak: ${warmServed} clients in the warm-up; server RSS ${mib(start.rss)} (at launch ${mib(launch.rss)})`);

    console.log(`soak: load for ${seconds} s`);
    const t0 = Date.now();
    const samples = [];
    const sampler = setInterval(() => { if (!server.exited) samples.push(rssBytes(server.pid).rss); }, 1000);
    const served = await runLoad(server, seconds * 1000, 'load');
    const loadMs = Date.now() - t0;
    clearInterval(sampler);
    const balanced = await settle(server);
    const end = server.exited ? { rss: NaN, peak: NaN } : rssBytes(server.pid);
    const stopped = await server.stop();

    const growth = end.rss - start.rss;
    const allowed = Math.max(marginBytes, start.rss * marginPercent / 100);
    const errorCount = [...stats.errors.values()].reduce((a, b) => a + b, 0);
    const cleanStop = stopped.code === 0 && stopped.signal === null;

    console.log('');
    console.log('== soak report');
    console.log(`  load time            ${(loadMs / 1000).toFixed(1)} s (+ ${warmupSeconds} s warm-up)`);
    console.log(`  clients served       ${served} (${(served / (loadMs / 1000)).toFixed(0)}/s), ${warmServed} more in the warm-up`);
    console.log(`  server sockets       ${server.connects} CONNECT, ${server.disconnects} DISCONNECT` +
        `${balanced ? '' : '  << unbalanced'}`);
    console.log(`  server RSS           start ${mib(start.rss)}, end ${mib(end.rss)}, growth ${mib(growth)} ` +
        `(allowed ${mib(allowed)}); peak during load ${mib(Math.max(0, ...samples))}, VmHWM ${mib(end.peak)}`);
    console.log('  clients completed by kind:');
    console.log(table(stats.completed).join('\n'));
    if (stats.expected.size) {
        console.log('  expected server-side closes:');
        console.log(table(stats.expected).join('\n'));
    }
    console.log('  server disconnect reasons:');
    console.log(table(server.reasons).join('\n'));
    console.log(`  unexpected errors    ${errorCount}${errorsAfterWarmup ? ` (${errorsAfterWarmup} in the warm-up)` : ''}`);
    if (errorCount) {
        console.log(table(stats.errors).join('\n'));
    }
    console.log(`  server stop          ${cleanStop ? 'clean (SIGTERM, exit 0)' : `code ${stopped.code}, signal ${stopped.signal}`}`);

    const failures = [];
    if (!(growth <= allowed)) {
        failures.push(`the server's RSS grew by ${mib(growth)}, more than ${mib(allowed)}`);
    }
    if (errorCount) {
        failures.push(`${errorCount} unexpected client errors`);
    }
    if (!balanced) {
        failures.push(`the server still has sockets: ${server.connects} CONNECT vs ${server.disconnects} DISCONNECT`);
    }
    if (server.errorLines) {
        failures.push(`the server printed ${server.errorLines} ERROR lines`);
    }
    if (!cleanStop) {
        failures.push('the server did not stop cleanly on SIGTERM');
    }
    if (/AddressSanitizer|LeakSanitizer|runtime error:/.test(server.stderr)) {
        failures.push('the server reported a sanitizer error');
    }
    if (failures.length) {
        console.log('');
        for (const f of failures) {
            console.log(`soak: FAILED: ${f}`);
        }
        if (server.stderr.trim()) {
            console.log(`soak: end of the server's stderr:\n${server.stderr.slice(-3000)}`);
        }
        process.exitCode = 1;
    } else {
        console.log('soak: PASSED');
    }
}

main().catch((error) => {
    console.error(`soak: ${error.stack ?? error}`);
    process.exitCode = 1;
}).finally(() => {
    // Open handles (a client's timer) must not keep the process alive past the report.
    setTimeout(() => process.exit(), 200).unref();
});
