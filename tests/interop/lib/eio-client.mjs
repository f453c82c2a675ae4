// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Helpers for the Engine.IO interop tests: bounded waits around the real engine.io-client Socket,
// a message inbox, and small raw Engine.IO v4 clients (HTTP long-polling via fetch, WebSocket via ws).

import { Socket } from 'engine.io-client';
import WebSocket from 'ws';
import { nextEvent, waitOnWake, withTimeout } from '../../shared/js/helpers.mjs';

// The bounded waits are those of every Node.js suite (tests/shared/js/helpers.mjs).
export { nextEvent, withTimeout };

export const EIO_PATH = '/engine.io/';
const RECORD_SEPARATOR = '\x1e';

/**
 * Keeps every socket made through it, so that a test's afterEach can close what is left open.
 * Works for engine.io-client sockets and ws WebSockets.
 */
export function socketTracker() {
    const sockets = new Set();
    return {
        add(s) {
            sockets.add(s);
            return s;
        },
        closeAll() {
            for (const s of sockets) {
                try {
                    if (s instanceof WebSocket) {
                        s.terminate();
                    } else {
                        s.close();
                    }
                } catch {
                    // ignore
                }
            }
            sockets.clear();
        },
    };
}

/**
 * Records everything an engine.io-client Socket emits that the tests look at: messages (in order),
 * 'close' (reason, description), 'ping' count, and whether 'upgrade' happened.
 */
export class Inbox {
    constructor(socket) {
        this.socket = socket;
        this.messages = [];
        this.closeInfo = null;
        this.pings = 0;
        this.handshake = null;
        this.upgradedTo = null;
        this._waiters = new Set();
        socket.on('handshake', (data) => { this.handshake = data; });
        socket.on('message', (data) => {
            this.messages.push(data);
            this._wake();
        });
        socket.on('ping', () => {
            this.pings++;
            this._wake();
        });
        socket.on('upgrade', (transport) => {
            this.upgradedTo = transport.name;
            this._wake();
        });
        socket.on('close', (reason, description) => {
            this.closeInfo = { reason, description };
            this._wake();
        });
        this._cursor = 0;
    }

    _wake() {
        for (const w of [...this._waiters]) {
            w();
        }
    }

    /** Waits (bounded) until predicate() is true; rejects early if the socket closes and failOnClose. */
    waitUntil(predicate, ms, what, { failOnClose = true } = {}) {
        return waitOnWake(this._waiters, predicate, ms, {
            abort: () => (failOnClose && this.closeInfo
                ? `socket closed (${this.closeInfo.reason}` +
                    `${this.closeInfo.description ? `: ${describe(this.closeInfo.description)}` : ''})` +
                    ` while waiting for ${what}; ${this.messages.length} message(s) received`
                : null),
            timedOut: () => `timed out after ${ms} ms waiting for ${what}; ` +
                `${this.messages.length} message(s) received, last: ${preview(this.messages.at(-1))}`,
        });
    }

    /** Resolves with the next `n` messages not yet taken. */
    async take(n, ms = 5000) {
        const start = this._cursor;
        await this.waitUntil(() => this.messages.length >= start + n, ms,
            `${n} message(s) (after ${start} already taken)`);
        this._cursor = start + n;
        return this.messages.slice(start, start + n);
    }

    /** Resolves with the next message not yet taken. */
    async next(ms = 5000) {
        return (await this.take(1, ms))[0];
    }

    /** Resolves with { reason, description } once the socket emitted 'close'. */
    closed(ms = 5000) {
        return this.waitUntil(() => this.closeInfo, ms, "'close' event", { failOnClose: false });
    }

    /** Resolves once at least `count` pings were received since the inbox was made. */
    pingsAtLeast(count, ms) {
        return this.waitUntil(() => this.pings >= count, ms, `${count} ping(s) (got ${this.pings})`);
    }

    /** Resolves once the socket emitted 'upgrade'. */
    upgraded(ms = 5000) {
        return this.waitUntil(() => this.upgradedTo, ms, "'upgrade' event");
    }
}

function describe(x) {
    if (x instanceof Error) {
        return x.message;
    }
    if (x && typeof x === 'object') {
        if (x.description instanceof Error) {
            return x.description.message;
        }
        try {
            return JSON.stringify(x);
        } catch {
            return String(x);
        }
    }
    return String(x);
}

function preview(m) {
    if (m === undefined) {
        return '(none)';
    }
    if (typeof m === 'string') {
        return JSON.stringify(m.length > 80 ? `${m.slice(0, 80)}...` : m);
    }
    return `<binary ${m.byteLength ?? m.length} bytes>`;
}

/**
 * Opens an engine.io-client Socket to `server` (a startServer() result) and resolves with
 * { socket, inbox } once it emitted 'open'. Rejects on 'error' / 'close' before open, or after `ms`.
 */
export async function openClient(server, opts = {}, { ms = 5000, tracker } = {}) {
    const socket = new Socket(server.url(), { path: EIO_PATH, ...opts });
    tracker?.add(socket);
    const inbox = new Inbox(socket);
    let onError;
    let onClose;
    const failed = new Promise((_, reject) => {
        onError = (err) => reject(new Error(`engine.io-client error before open: ${describe(err)}`));
        onClose = (reason, description) =>
            reject(new Error(`engine.io-client closed before open: ${reason} ${describe(description)}`));
        socket.once('error', onError);
        socket.once('close', onClose);
    });
    try {
        await withTimeout(Promise.race([nextEvent(socket, 'open', ms + 1000), failed]), ms,
            `engine.io-client 'open' (${JSON.stringify(opts.transports ?? 'default transports')})`);
    } catch (err) {
        socket.close();
        throw err;
    } finally {
        socket.off('error', onError);
        socket.off('close', onClose);
    }
    return { socket, inbox };
}

/** Byte i = i % 256, as the server's "cmd:binary N" produces. */
export function patternBytes(n) {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
        b[i] = i % 256;
    }
    return b;
}

/** Normalises a received binary message (Buffer, ArrayBuffer, typed array) to a Buffer. */
export function toBuffer(data) {
    if (Buffer.isBuffer(data)) {
        return data;
    }
    if (data instanceof ArrayBuffer) {
        return Buffer.from(data);
    }
    if (ArrayBuffer.isView(data)) {
        return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    }
    throw new TypeError(`expected binary data, got ${typeof data}: ${preview(data)}`);
}

export function isBinary(data) {
    return Buffer.isBuffer(data) || data instanceof ArrayBuffer || ArrayBuffer.isView(data);
}

// ---------------------------------------------------------------------------------------------
// Raw Engine.IO v4 over HTTP long-polling (fetch)

/** Splits a v4 polling payload into packets (strings; binary packets stay as 'b<base64>'). */
export function splitPayload(text) {
    return text.length === 0 ? [] : text.split(RECORD_SEPARATOR);
}

export function joinPayload(packets) {
    return packets.join(RECORD_SEPARATOR);
}

/** Builds an Engine.IO URL for `server` with the given query (object) and path. */
export function eioUrl(server, query = {}, path = EIO_PATH) {
    const qs = new URLSearchParams(query).toString();
    return server.url(path) + (qs ? `?${qs}` : '');
}

/** fetch() with a bounded time. */
export async function fetchBounded(url, init = {}, ms = 5000) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`fetch ${init.method ?? 'GET'} ${url} ` +
        `timed out after ${ms} ms`)), ms);
    try {
        const res = await fetch(url, { ...init, signal: controller.signal });
        const body = await res.text();
        return { status: res.status, headers: res.headers, body };
    } finally {
        clearTimeout(timer);
    }
}

/**
 * Raw polling handshake: GET ?EIO=4&transport=polling. Resolves with { sid, handshake, response }.
 */
export async function rawPollingHandshake(server, { headers = {}, ms = 5000 } = {}) {
    const response = await fetchBounded(eioUrl(server, { EIO: '4', transport: 'polling' }), { headers }, ms);
    if (response.status !== 200) {
        throw new Error(`polling handshake: HTTP ${response.status}: ${response.body}`);
    }
    const packets = splitPayload(response.body);
    if (packets.length < 1 || packets[0][0] !== '0') {
        throw new Error(`polling handshake: expected an open packet, got ${JSON.stringify(response.body)}`);
    }
    const handshake = JSON.parse(packets[0].slice(1));
    return { sid: handshake.sid, handshake, response };
}

// ---------------------------------------------------------------------------------------------
// Raw Engine.IO v4 over WebSocket (ws)

/**
 * Opens a raw WebSocket and queues its frames. Resolves with an object:
 *   ws, frames (array of { data, isBinary }), next(ms) -> next frame, closed(ms) -> { code, reason }
 */
export async function rawWebSocket(url, { headers = {}, ms = 5000, tracker } = {}) {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    tracker?.add(ws);
    const frames = [];
    const waiters = new Set();
    let closeInfo = null;
    const wake = () => { for (const w of [...waiters]) w(); };
    ws.on('message', (data, isBinary) => {
        frames.push({ data: isBinary ? data : data.toString('utf8'), isBinary });
        wake();
    });
    ws.on('close', (code, reason) => {
        closeInfo = { code, reason: reason.toString() };
        wake();
    });
    ws.on('error', () => { /* surfaced through 'close' / open failure */ });

    await withTimeout(new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('unexpected-response', (_req, res) =>
            reject(new Error(`WebSocket ${url}: unexpected HTTP ${res.statusCode}`)));
        ws.once('error', (err) => reject(new Error(`WebSocket ${url}: ${err.message}`)));
    }), ms, `WebSocket open ${url}`).catch((err) => {
        ws.terminate();
        throw err;
    });

    let cursor = 0;
    const waitUntil = (pred, timeoutMs, what) => new Promise((resolve, reject) => {
        const check = () => {
            const v = pred();
            if (v) {
                cleanup();
                resolve(v);
            }
        };
        const timer = setTimeout(() => {
            cleanup();
            reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; frames: ` +
                JSON.stringify(frames.slice(-10).map((f) => (f.isBinary ? `<binary ${f.data.length}>` : f.data)))));
        }, timeoutMs);
        const cleanup = () => {
            clearTimeout(timer);
            waiters.delete(check);
        };
        waiters.add(check);
        check();
    });

    return {
        ws,
        frames,
        get closeInfo() { return closeInfo; },
        async next(timeoutMs = 5000) {
            const i = cursor;
            await waitUntil(() => frames.length > i || closeInfo, timeoutMs, 'a WebSocket frame');
            if (frames.length <= i) {
                throw new Error(`WebSocket closed (${closeInfo.code}) while waiting for a frame`);
            }
            cursor = i + 1;
            return frames[i];
        },
        closed(timeoutMs = 5000) {
            return waitUntil(() => closeInfo, timeoutMs, 'the WebSocket to close');
        },
        send(data) {
            ws.send(data);
        },
    };
}
