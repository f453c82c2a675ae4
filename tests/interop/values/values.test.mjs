// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Every value round-trips exactly: thousands of generated argument lists (strings over all planes with U+FEFF,
// U+2028, lone surrogates and NUL anywhere; numbers at the edges of double precision and integers beyond 2^53;
// deep and wide objects and arrays; Buffers anywhere) go from socket.io-client through the Qt test server's
// "echo" (as an ack, and as an emitted event) and back, polling-only and WebSocket-only, and must come back as
// what a Node.js socket.io server would give back: deep strict equality after JSON's own changes (-0 -> 0,
// NaN / Infinity -> null), and object keys in the order the README documents (QVariantMap: sorted by UTF-16 code
// units, then JavaScript puts integer-like keys first, as for any object).
//
// Deterministic: every case has its own PRNG seeded from the run's seed and its index. A failure prints both;
// replay with VALUES_SEED=<seed> (and VALUES_CASE=<index> for that case alone). VALUES_CASES sets the count.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VARIANTS, clientTracker, connect, normalize, useSioServer, withTimeout } from '../socketio/lib/sio.mjs';

const SEED = (process.env.VALUES_SEED ? Number(process.env.VALUES_SEED) : 0x20261207) >>> 0;
const CASES = Number(process.env.VALUES_CASES ?? 4000);
const ONLY = process.env.VALUES_CASE !== undefined ? Number(process.env.VALUES_CASE) : null;
const IN_FLIGHT = 32;

// mulberry32: small, fast, and the same everywhere.
function prng(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

function caseSeed(seed, index) {
    return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

const SPECIAL_UNITS = [
    '\uFEFF', '\uFEFF', '\uFEFF', '\u2028', '\u2029', '\0', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D',
    '\uDE00', '"', '\\', '\n', '\r', '\t', '\b', '\f', '\u0001', '\u001e', '\u001f', '\u007f', '\u0080', '\u00e9',
    '\u07ff', '\u0800', '\uFEFE', '\uFF01', '\uFFFE', '\uFFFF', '/', '<', '\u200b', '\u00a0',
];

const EDGE_NUMBERS = [
    0, -0, 1, -1, 5e-324, -5e-324, 1.7976931348623157e308, -1.7976931348623157e308, 2.2250738585072014e-308,
    2.225073858507201e-308, Number.EPSILON, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53 - 1), -(2 ** 53),
    2 ** 53 + 1 /* == 2^53 */, 2 ** 63, 2 ** 63 - 1024, -(2 ** 63), 2 ** 64, 2 ** 64 + 4096, 2 ** 70, 1e21, 1e21 - 65536,
    123456789012345680000, 1e-7, 1e-6, 0.1, 0.3, 0.1 + 0.2, 1 / 3, 2 ** 31, 2 ** 32, -(2 ** 31) - 1, 1e308, 1e-308,
    4294967295, 4294967296, 9007199254740993, 18446744073709551615, NaN, Infinity, -Infinity,
];

function generator(rand) {
    const int = (n) => Math.floor(rand() * n);
    const pick = (list) => list[int(list.length)];
    const chance = (p) => rand() < p;

    function unit() {
        const r = rand();
        if (r < 0.35) {
            return String.fromCharCode(0x20 + int(0x5f));   // printable ASCII
        }
        if (r < 0.6) {
            return pick(SPECIAL_UNITS);
        }
        if (r < 0.8) {
            // Any code point of any plane; a surrogate code point is a lone surrogate.
            const plane = int(17);
            return String.fromCodePoint(plane * 0x10000 + int(0x10000));
        }
        if (r < 0.9) {
            return String.fromCharCode(int(0x10000));       // any UTF-16 code unit
        }
        return String.fromCodePoint(0x10000 + int(0x100000)); // a supplementary character (a surrogate pair)
    }

    function string(maxLength = 16) {
        let s = chance(0.3) ? '\uFEFF' : '';
        const length = int(maxLength + 1);
        for (let i = 0; i < length; i++) {
            s += unit();
        }
        if (chance(0.1)) {
            s += '\uFEFF';
        }
        return s;
    }

    function key() {
        const r = rand();
        if (r < 0.15) {
            return String(pick([0, 1, 2, 10, 42, 4294967294, 4294967295, 4294967296]));   // integer-like
        }
        if (r < 0.2) {
            return pick(['-1', '01', '1.5', '', ' ', '\uFEFF', '\uFEFFk', 'k', '_', 'constructor', 'toString']);
        }
        for (;;) {
            const k = string(8);
            if (k !== '__proto__' && k !== '_placeholder') {
                return k;
            }
        }
    }

    function number() {
        const r = rand();
        if (r < 0.4) {
            return pick(EDGE_NUMBERS);
        }
        if (r < 0.6) {
            // Any double, from random bits (NaN and the infinities turn up rarely).
            const view = new DataView(new ArrayBuffer(8));
            view.setUint32(0, int(2 ** 32));
            view.setUint32(4, int(2 ** 32));
            return view.getFloat64(0);
        }
        if (r < 0.8) {
            // An integer of any size up to 2^80, either sign.
            const magnitude = Math.floor(rand() * 2 ** int(81));
            return chance(0.5) ? -magnitude : magnitude;
        }
        if (r < 0.9) {
            return (rand() - 0.5) * 10 ** (int(40) - 20);
        }
        return int(1000) - 500;
    }

    // The server, like socket.io-parser, takes at most 10 attachments per packet.
    let buffers = 0;
    function buffer() {
        if (++buffers > 10) {
            return string();
        }
        const length = chance(0.1) ? 0 : int(chance(0.05) ? 5000 : 40);
        const b = Buffer.alloc(length);
        for (let i = 0; i < length; i++) {
            b[i] = int(256);
        }
        return b;
    }

    function value(depth) {
        const r = rand();
        const leaf = depth <= 0;
        if (r < 0.3 || (leaf && r < 0.55)) {
            return string();
        }
        if (r < 0.5 || (leaf && r < 0.8)) {
            return number();
        }
        if (r < 0.55 || (leaf && r < 0.86)) {
            return chance(0.5);
        }
        if (r < 0.6 || (leaf && r < 0.92)) {
            return null;
        }
        if (r < 0.68 || leaf) {
            return buffer();
        }
        if (r < 0.84) {
            const wide = chance(0.03);
            const length = wide ? 100 + int(200) : int(6);
            return Array.from({ length }, () => value(wide ? 0 : depth - 1));
        }
        const wide = chance(0.03);
        const count = wide ? 50 + int(150) : int(6);
        const object = {};
        for (let i = 0; i < count; i++) {
            object[key()] = value(wide ? 0 : depth - 1);
        }
        return object;
    }

    function deep() {
        const depth = 50 + int(200);
        let v = chance(0.5) ? string() : buffer();
        for (let i = 0; i < depth; i++) {
            v = chance(0.5) ? [v] : { [key()]: v };
        }
        return v;
    }

    return {
        args() {
            buffers = 0;
            if (chance(0.02)) {
                return [deep()];
            }
            return Array.from({ length: 1 + int(4) }, () => value(1 + int(4)));
        },
    };
}

// What a Node.js socket.io server would echo: JSON's changes, binary kept, object keys as QVariantMap orders them.
function expected(value) {
    if (typeof value === 'number') {
        if (!Number.isFinite(value)) {
            return null;
        }
        return Object.is(value, -0) ? 0 : value;
    }
    if (Buffer.isBuffer(value)) {
        return Buffer.from(value);
    }
    if (Array.isArray(value)) {
        return value.map(expected);
    }
    if (value && typeof value === 'object') {
        const out = {};
        for (const k of Object.keys(value).sort()) {
            out[k] = expected(value[k]);
        }
        return out;
    }
    return value;
}

// Object.keys() of every object, in place: deepStrictEqual ignores the order of keys.
function keyOrders(value, path = '$', out = []) {
    if (Buffer.isBuffer(value) || value === null || typeof value !== 'object') {
        return out;
    }
    if (Array.isArray(value)) {
        value.forEach((v, i) => keyOrders(v, `${path}[${i}]`, out));
        return out;
    }
    const keys = Object.keys(value);
    out.push([path, keys]);
    for (const k of keys) {
        keyOrders(value[k], `${path}[${JSON.stringify(k)}]`, out);
    }
    return out;
}

// A readable, unambiguous rendering: every non-ASCII or invisible code unit escaped.
function show(value) {
    const text = JSON.stringify(value, (_, v) => (v && v.type === 'Buffer' && Array.isArray(v.data)
        ? `<Buffer ${Buffer.from(v.data).toString('hex')}>` : (typeof v === 'number' && Object.is(v, -0) ? '-0' : v)));
    return (text ?? String(value)).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
        .slice(0, 1500);
}

// How many values a value holds, itself included.
function countValues(value) {
    if (Array.isArray(value)) {
        return value.reduce((n, v) => n + countValues(v), 1);
    }
    if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
        return Object.values(value).reduce((n, v) => n + countValues(v), 1);
    }
    return 1;
}

// The values first found lost, before any generated one.
const FIXED = [
    ['\uFEFF'], [{ bom: '\uFEFF' }], ['\uFEFFx', 'x\uFEFF', 'x\uFEFFy', '\uFEFF\uFEFF'], [{ '\uFEFF': 1, '': 2, '\uFEFFk': 3, k: 4 }],
    ['\u2028\u2029', '\0', 'a\0b', '\uD800', '\uDFFF', '\uDE00\uD83D', 'x\uDBFF'], [{ '\uD800': '\uDC00' }],
    [2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 2 ** 63, -(2 ** 63), -(2 ** 63) - 2048, 2 ** 64, 1e21, 5e-324,
        1.7976931348623157e308, -0, NaN, Infinity],
    [Buffer.from([0xef, 0xbb, 0xbf]), { '\uFEFF': Buffer.alloc(0) }, ['\uFEFF', Buffer.from('\uFEFF')]],
];

function cases() {
    const list = FIXED.map((args, i) => ({ index: `fixed-${i}`, args, want: args.map(expected), viaEvent: i % 2 === 1 }));
    for (let index = 0; index < CASES; index++) {
        if (ONLY !== null && index !== ONLY) {
            continue;
        }
        const args = generator(prng(caseSeed(SEED, index))).args();
        list.push({ index, args, want: args.map(expected), viaEvent: index % 4 === 3 });
    }
    return list;
}

function check(got, c, variant) {
    const replay = typeof c.index === 'number' ? `replay: VALUES_SEED=${SEED} VALUES_CASE=${c.index}`
        : 'a fixed case, run every time';
    const where = `case ${c.index} of seed ${SEED} (${variant.name}, ${c.viaEvent ? 'event' : 'ack'}); ${replay}`;
    const actual = normalize(got);
    try {
        assert.deepStrictEqual(actual, c.want);
        assert.deepStrictEqual(keyOrders(actual), keyOrders(c.want), 'object key order');
    } catch (e) {
        throw new Error(`${where}\n  sent:     ${show(c.args)}\n  expected: ${show(c.want)}\n` +
            `  got:      ${show(actual)}\n${e.message.slice(0, 1500)}`);
    }
}

describe('every value round-trips exactly', () => {
    const ctx = useSioServer();
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    for (const variant of VARIANTS.filter((v) => !v.upgrade)) {
        it(`${variant.name}: generated argument lists come back exactly (seed ${SEED})`, async (t) => {
            t.diagnostic(`seed ${SEED}, ${CASES} cases; replay: VALUES_SEED=${SEED} [VALUES_CASE=<index>]`);
            const list = cases();
            const { socket } = await connect(ctx.server, '/', variant, {}, { tracker });
            const pendingEvents = new Map();
            socket.on('echo', (tag, ...args) => {
                const settle = pendingEvents.get(tag);
                pendingEvents.delete(tag);
                settle?.(args);
            });
            let failure = null;
            const inFlight = new Set();
            const gone = new Promise((_, reject) => {
                socket.once('disconnect', (reason) => reject(new Error(`disconnected (${reason}) with cases ` +
                    `${[...inFlight].join(', ')} of seed ${SEED} in flight (${variant.name}); replay one with ` +
                    `VALUES_SEED=${SEED} VALUES_CASE=<index>`)));
            });
            gone.catch(() => {});
            const run = async (c) => {
                inFlight.add(c.index);
                const got = await withTimeout(Promise.race([gone, new Promise((resolve) => {
                    if (c.viaEvent) {
                        pendingEvents.set(`#${c.index}`, resolve);
                        socket.emit('echo', `#${c.index}`, ...c.args);
                    } else {
                        socket.emit('echo', ...c.args, (...ackArgs) => resolve(ackArgs));
                    }
                })]), 10000, `the echo of case ${c.index} (seed ${SEED}, ${variant.name})`);
                inFlight.delete(c.index);
                check(got, c, variant);
            };
            let next = 0;
            let values = 0;
            const worker = async () => {
                while (next < list.length && !failure) {
                    const c = list[next++];
                    try {
                        await run(c);
                        values += countValues(c.args) - 1;
                    } catch (e) {
                        failure ??= e;
                    }
                }
            };
            const started = Date.now();
            await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
            if (failure) {
                throw failure;
            }
            assert.ok(socket.connected, 'still connected after every case');
            t.diagnostic(`${list.length} argument lists, ${values} values (nested ones included), in ${Date.now() - started} ms`);
        });
    }
});
