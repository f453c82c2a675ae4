// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Helpers for the Socket.IO interop tests: the three transport variants, connecting the real
// socket.io-client with bounded waits, an event inbox, acks with a bounded wait, the server's
// CONNECT / DISCONNECT / ERROR lines, and a raw Socket.IO client over a bare engine.io-client Socket.

import { before } from 'node:test';
import { io, Manager } from 'socket.io-client';
import { Socket as EngineSocket } from 'engine.io-client';
import { startServer, serverBinaryFromEnv, useServer, escapeRegExp } from '../../lib/server.mjs';
import { EventInbox, awaitConnect, nextEvent, waitOnWake, withTimeout } from '../../../shared/js/helpers.mjs';

export { io, Manager, EngineSocket, escapeRegExp };
// The bounded waits and the connect wait are those of every Node.js suite (tests/shared/js/helpers.mjs).
export { awaitConnect, nextEvent, quietPeriod, withTimeout } from '../../../shared/js/helpers.mjs';

export const SIO_ENV = 'SIO_SERVER';
export const SIO_PATH = '/socket.io/';

/** The reasons the server may print in a DISCONNECT line. */
export const SERVER_REASONS = [
    'client namespace disconnect', 'server namespace disconnect', 'transport close', 'transport error',
    'ping timeout', 'parse error', 'server shutting down', 'forced close',
];

/**
 * The three ways the client reaches the server: polling only, WebSocket only, and the default
 * (polling first, then the upgrade to WebSocket, which connect() waits for).
 */
export const VARIANTS = [
    { name: 'polling', opts: { transports: ['polling'], upgrade: false }, final: 'polling' },
    { name: 'websocket', opts: { transports: ['websocket'] }, final: 'websocket' },
    { name: 'polling+upgrade', opts: {}, final: 'websocket', upgrade: true },
];

/** Throws a clear error unless $SIO_SERVER names an executable; returns the path. */
export function sioServerPath() {
    if (!process.env[SIO_ENV]) {
        throw new Error(`${SIO_ENV} is not set: point it at the Socket.IO test server, e.g. ` +
            `${SIO_ENV}=/path/to/build/tests/interop/sioserver/sioserver ` +
            'node --test --test-concurrency=1 tests/interop/socketio/');
    }
    return serverBinaryFromEnv(SIO_ENV);
}

/** Registers before/after hooks that run the server ($SIO_SERVER --port 0 ...args) for the describe(). */
export function useSioServer(args = []) {
    before(() => { sioServerPath(); });
    return useServer(SIO_ENV, ['--port', '0', ...args]);
}

/** Starts a server of its own (for tests that stop it); the caller must stop() it. */
export function startSioServer(args = []) {
    return startServer(sioServerPath(), ['--port', '0', ...args]);
}

let dynCounter = 1000 + Math.floor(Math.random() * 1000) * 1000;
/** A dynamic namespace nobody used yet in this process: keeps tests that count receivers apart. */
export function freshDynNamespace() {
    dynCounter += 1;
    return `/dyn-${dynCounter}`;
}

/** Keeps every client made through it so that afterEach can close what is left. */
export function clientTracker() {
    const items = new Set();
    return {
        add(x) {
            items.add(x);
            return x;
        },
        closeAll() {
            for (const x of items) {
                try {
                    if (x instanceof EngineSocket) {
                        x.close();
                    } else if (x instanceof Manager) {
                        x._close();
                    } else {
                        // a socket.io-client Socket: leave the namespace, then make sure its Manager
                        // (and so the engine connection) is closed as well
                        x.disconnect();
                        x.io?._close();
                    }
                } catch {
                    // already closed
                }
            }
            items.clear();
        },
    };
}

/**
 * Records every event a socket.io-client Socket receives (through onAny) and its disconnect.
 * waitFor(predicate) re-evaluates on every event.
 */
export class SioInbox extends EventInbox {
    waitFor(predicate, ms, what, { failOnDisconnect = true } = {}) {
        return waitOnWake(this._waiters, predicate, ms, {
            abort: () => (failOnDisconnect && this.disconnectInfo
                ? `socket disconnected (${this.disconnectInfo.reason}) while waiting for ${what}; ` +
                    `${this.events.length} event(s) received`
                : null),
            timedOut: () => `timed out after ${ms} ms waiting for ${what}; ${this.events.length} ` +
                `event(s) received, last: ${preview(this.events.at(-1))}`,
        });
    }

    /** Resolves with the args of the `n`-th (1-based, default first) received `event`. */
    async nth(event, n = 1, ms = 3000) {
        const list = await this.waitFor(() => {
            const l = this.ofEvent(event);
            return l.length >= n ? l : null;
        }, ms, `${n} '${event}' event(s)`);
        return list[n - 1].args;
    }

    /** Resolves with { reason, description } once the socket emitted 'disconnect'. */
    disconnected(ms = 3000) {
        return this.waitFor(() => this.disconnectInfo, ms, "'disconnect'", { failOnDisconnect: false });
    }
}

function preview(x) {
    if (x === undefined) {
        return '(none)';
    }
    try {
        const s = JSON.stringify(x);
        return s.length > 120 ? `${s.slice(0, 120)}...` : s;
    } catch {
        return String(x);
    }
}

/**
 * Connects a socket.io-client Socket to `nsp` of `server` and resolves with { socket, inbox } once
 * 'connect' fired (and, for the upgrade variant, once the engine runs on WebSocket). Defaults:
 * forceNew (own Manager and engine connection), no reconnection. Rejects on connect_error.
 */
export async function connect(server, nsp = '/', variant = VARIANTS[1], opts = {}, { tracker, ms = 5000 } = {}) {
    const socket = io(server.url(nsp), {
        path: SIO_PATH,
        forceNew: true,
        reconnection: false,
        ...variant.opts,
        ...opts,
    });
    tracker?.add(socket);
    const inbox = new SioInbox(socket);
    await awaitConnect(socket, ms, `connect to ${nsp} (${variant.name})`);
    if (variant.upgrade) {
        await awaitUpgrade(socket, ms);
    }
    return { socket, inbox };
}

/** Waits (bounded) until the engine of `socket` runs on WebSocket. */
export async function awaitUpgrade(socket, ms = 5000) {
    const engine = socket.io.engine;
    if (engine.transport?.name === 'websocket') {
        return;
    }
    await nextEvent(engine, 'upgrade', ms, 'the engine upgrade to websocket');
    if (engine.transport.name !== 'websocket') {
        throw new Error(`upgraded to ${engine.transport.name}, expected websocket`);
    }
}

/** Creates a socket and resolves with the Error of its connect_error (rejects if it connects). */
export async function connectError(server, nsp, variant = VARIANTS[1], opts = {}, { tracker, ms = 5000 } = {}) {
    const socket = io(server.url(nsp), {
        path: SIO_PATH,
        forceNew: true,
        reconnection: false,
        ...variant.opts,
        ...opts,
    });
    tracker?.add(socket);
    let onConnect;
    const connected = new Promise((_, reject) => {
        onConnect = () => reject(new Error(`${nsp}: connected, but a connect_error was expected`));
        socket.once('connect', onConnect);
    });
    try {
        const [err] = await withTimeout(Promise.race([nextEvent(socket, 'connect_error', ms + 1000), connected]),
            ms, `connect_error on ${nsp}`);
        return { socket, err };
    } finally {
        socket.off('connect', onConnect);
    }
}

/** Emits `event` with `args` and an ack callback; resolves with ALL the ack's arguments (bounded). */
export function emitAck(socket, event, ...args) {
    return withTimeout(new Promise((resolve) => {
        socket.emit(event, ...args, (...ackArgs) => resolve(ackArgs));
    }), 3000, `the ack of '${event}'`);
}

/** Same as emitAck with its own bound. */
export function emitAckWithin(ms, socket, event, ...args) {
    return withTimeout(new Promise((resolve) => {
        socket.emit(event, ...args, (...ackArgs) => resolve(ackArgs));
    }), ms, `the ack of '${event}'`);
}

/** Resolves once the server printed `CONNECT <nsp> <id>`. */
export async function waitConnectLine(server, nsp, id, ms = 3000) {
    await server.waitForLine(new RegExp(`^CONNECT ${escapeRegExp(nsp)} ${escapeRegExp(id)}$`), ms);
}

/** Resolves with the reason of the server's `DISCONNECT <nsp> <id> <reason>` line. */
export async function waitDisconnectLine(server, nsp, id, ms = 3000) {
    const m = await server.waitForLine(new RegExp(`^DISCONNECT ${escapeRegExp(nsp)} ${escapeRegExp(id)} (.+)$`), ms);
    return m[1];
}

/** Resolves with the message of the server's `ERROR <nsp> <id> <message>` line. */
export async function waitErrorLine(server, nsp, id, ms = 3000, from = 0) {
    const m = await server.waitForLine(new RegExp(`^ERROR ${escapeRegExp(nsp)} ${escapeRegExp(id)} (.+)$`), ms, from);
    return m[1];
}

export function disconnectLines(server, nsp, id) {
    return server.linesMatching(new RegExp(`^DISCONNECT ${escapeRegExp(nsp)} ${escapeRegExp(id)} (.+)$`))
        .map((m) => m[1]);
}

/** Byte i = (i * 7 + seed) % 256. */
export function bytes(n, seed = 0) {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
        b[i] = (i * 7 + seed) % 256;
    }
    return b;
}

/** Deep copy where every binary value (Buffer, ArrayBuffer, typed array) becomes a Buffer. */
export function normalize(value) {
    if (Buffer.isBuffer(value)) {
        return Buffer.from(value);
    }
    if (value instanceof ArrayBuffer) {
        return Buffer.from(value);
    }
    if (ArrayBuffer.isView(value)) {
        return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
    if (Array.isArray(value)) {
        return value.map(normalize);
    }
    if (value && typeof value === 'object') {
        const out = {};
        for (const [k, v] of Object.entries(value)) {
            out[k] = normalize(v);
        }
        return out;
    }
    return value;
}

// ---------------------------------------------------------------------------------------------
// A raw Socket.IO client: a bare engine.io-client Socket on /socket.io/; the test writes the
// Socket.IO packets itself (the Engine.IO "4" message prefix is added by engine.io-client).

/**
 * Opens an engine.io-client Socket on the Socket.IO path. Resolves with
 * { engine, messages, closeInfo, next(ms), waitMessage(pred, ms), closed(ms), send(data) }.
 */
export async function rawEngine(server, transports = ['websocket'], { tracker, ms = 5000 } = {}) {
    const engine = new EngineSocket(server.url(), { path: SIO_PATH, transports, upgrade: false });
    tracker?.add(engine);
    const messages = [];
    const waiters = new Set();
    let closeInfo = null;
    const wake = () => { for (const w of [...waiters]) w(); };
    engine.on('message', (data) => {
        messages.push(typeof data === 'string' ? data : Buffer.from(data));
        wake();
    });
    engine.on('close', (reason, description) => {
        closeInfo = { reason, description, at: Date.now() };
        wake();
    });
    engine.on('error', () => { /* surfaces as 'close' */ });
    await withTimeout(new Promise((resolve, reject) => {
        engine.once('open', resolve);
        engine.once('close', (reason) => reject(new Error(`raw engine closed before open: ${reason}`)));
    }), ms, `raw engine.io open (${transports})`);

    const waitUntil = (pred, timeoutMs, what, failOnClose = true) => new Promise((resolve, reject) => {
        const check = () => {
            const v = pred();
            if (v) {
                cleanup();
                resolve(v);
            } else if (failOnClose && closeInfo) {
                cleanup();
                reject(new Error(`raw engine closed (${closeInfo.reason}) while waiting for ${what}; ` +
                    `messages: ${preview(messages.slice(-5))}`));
            }
        };
        const timer = setTimeout(() => {
            cleanup();
            reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; messages: ` +
                `${preview(messages.slice(-5))}`));
        }, timeoutMs);
        const cleanup = () => {
            clearTimeout(timer);
            waiters.delete(check);
        };
        waiters.add(check);
        check();
    });

    return {
        engine,
        messages,
        get closeInfo() { return closeInfo; },
        waitMessage: (pred, timeoutMs = 3000, what = 'a matching message') =>
            waitUntil(() => messages.find(pred), timeoutMs, what),
        closed: (timeoutMs = 3000) => waitUntil(() => closeInfo, timeoutMs, "the engine 'close'", false),
        send: (data) => engine.send(data),
    };
}

/** Sends CONNECT for `nsp` over a raw engine and resolves with the Socket.IO socket id. */
export async function rawConnectNamespace(raw, nsp = '/', auth = undefined) {
    const prefix = nsp === '/' ? '' : `${nsp},`;
    raw.send(`0${prefix}${auth === undefined ? '' : JSON.stringify(auth)}`);
    const reply = await raw.waitMessage((m) => typeof m === 'string' && m.startsWith(`0${prefix}{`), 3000,
        `the CONNECT reply for ${nsp}`);
    return JSON.parse(reply.slice(1 + prefix.length)).sid;
}
