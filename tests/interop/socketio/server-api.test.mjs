// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The members of Node's server API that issue 14 added, each driven by socket.io-client 4.8:
// - QSocketIoServer::use() (io.use): a main-namespace middleware refuses with a message and data;
// - write() on a socket, a namespace, the server and a broadcast ("message" events, as send());
// - QSocketIoSocket::once(); onAny / prependAny / onAnyOutgoing / prependAnyOutgoing run in Node's order, and
//   listenersAny(), listenersAnyOutgoing(), off() and offAny() / offAnyOutgoing() report and remove them;
// - compress(false) over polling with httpCompression on: a poll response made only of compress(false) packets
//   comes uncompressed, one with any packet that asks for compression comes gzipped (engine.io's rule); the
//   client is socket.io-client on the fetch() transport, whose responses the test watches;
// - addTrailingSlash: by default only "/socket.io/" answers; --no-trailing-slash answers "/socket.io" too;
// - QSocketIoRemoteSocket emitEvent / join / leave / disconnectSocket on one node (tests/cluster/mixed.test.mjs
//   does it across a Qt + Node cluster);
// - handshake.issued (milliseconds since the epoch).
import { afterEach, before, after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Fetch } from 'engine.io-client';
import {
    SIO_PATH, VARIANTS, clientTracker, connect, connectError, emitAck, emitAckWithin, escapeRegExp, freshDynNamespace, quietPeriod,
    useSioServer, withTimeout,
} from './lib/sio.mjs';

/** A plain GET (no automatic decompression); resolves with { status, headers, body }. */
function get(server, target) {
    return request(server, 'GET', target);
}

function request(server, method, target, body) {
    return withTimeout(new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: server.port, method, path: target, agent: false },
            (res) => {
                const chunks = [];
                res.on('data', (c) => chunks.push(c));
                res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
                    body: Buffer.concat(chunks).toString() }));
                res.on('error', reject);
            });
        req.on('error', reject);
        req.end(body);
    }), 5000, `${method} ${target}`);
}

describe('Node server API parity (issue 14)', () => {
    const ctx = useSioServer();
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    for (const variant of [VARIANTS[0], VARIANTS[1]]) {
        it(`${variant.name}: io.use() refuses with its message and data, and lets others in`, async () => {
            const { err } = await connectError(ctx.server, '/', variant, { auth: { refuseMain: true } }, { tracker });
            assert.equal(err.message, 'main refused');
            assert.deepEqual(err.data, { by: 'io.use' });
            const { socket } = await connect(ctx.server, '/', variant, { auth: { refuseMain: false } }, { tracker });
            assert.ok(socket.connected);
            // Only the main namespace runs it.
            const chat = await connect(ctx.server, '/chat', variant, { auth: { refuseMain: true } }, { tracker });
            assert.ok(chat.socket.connected);
        });

        it(`${variant.name}: write() on a socket, the server, a namespace and a room sends "message"`, async () => {
            const a = await connect(ctx.server, '/', variant, {}, { tracker });
            const b = await connect(ctx.server, '/chat', variant, {}, { tracker });
            a.socket.emit('write', 1, { two: [2] });
            assert.deepEqual(await a.inbox.nth('message', 1), [1, { two: [2] }]);
            a.socket.emit('nspWrite', [], 'server');          // QSocketIoServer::write()
            assert.deepEqual(await a.inbox.nth('message', 2), ['server']);
            b.socket.emit('nspWrite', [], 'nsp');             // QSocketIoNamespace::write()
            assert.deepEqual(await b.inbox.nth('message', 1), ['nsp']);
            b.socket.emit('nspWrite', [b.socket.id], 'room'); // QSocketIoBroadcast::write()
            assert.deepEqual(await b.inbox.nth('message', 2), ['room']);
        });

        it(`${variant.name}: once() handles the first event only`, async () => {
            const { socket, inbox } = await connect(ctx.server, '/', variant, {}, { tracker });
            await emitAck(socket, 'armOnce');
            socket.emit('onceEvt', 'first');
            socket.emit('onceEvt', 'second');
            assert.deepEqual(await inbox.nth('onceFired', 1), ['first']);
            await emitAck(socket, 'echo', 'barrier');
            await quietPeriod(100);
            assert.equal(inbox.count('onceFired'), 1);
        });

        it(`${variant.name}: catch-all listeners run in Node's order and are listed and removed`, async () => {
            const { socket } = await connect(ctx.server, '/', variant, {}, { tracker });
            assert.deepEqual(await emitAck(socket, 'armAny'), [3, 2]);
            socket.emit('write', 'hi');   // incoming "write", outgoing "message"
            const [log] = await emitAck(socket, 'anyLog');
            assert.deepEqual(log.slice(0, 5), ['pre2:write', 'pre:write', 'on:write', 'outPre:message', 'out:message']);
            assert.deepEqual(log.slice(5), ['pre2:anyLog', 'pre:anyLog', 'on:anyLog']);
            // off() on the first listed (pre2), then offAny() for the rest.
            assert.deepEqual(await emitAck(socket, 'offOne'), [2, 2]);
            const [afterOne] = await emitAck(socket, 'anyLog');
            assert.deepEqual(afterOne.slice(8), ['pre2:offOne', 'pre:offOne', 'on:offOne', 'pre:anyLog', 'on:anyLog']);
            assert.deepEqual(await emitAck(socket, 'offAll'), [0, 0]);
            socket.emit('write', 'quiet');
            const [last] = await emitAck(socket, 'anyLog');
            assert.deepEqual(last.slice(13), ['pre:offAll', 'on:offAll']);
        });

        it(`${variant.name}: QSocketIoRemoteSocket emits, joins, leaves and disconnects a local socket`, async () => {
            const driver = await connect(ctx.server, '/', variant, {}, { tracker });
            const target = await connect(ctx.server, '/', variant, {}, { tracker });
            const id = target.socket.id;
            assert.deepEqual(await emitAck(driver.socket, 'remoteOp', id, 'emit', 'poke'), [{ count: 1, local: true }]);
            assert.deepEqual(await target.inbox.nth('poke'), ['from-remote']);
            await emitAck(driver.socket, 'remoteOp', id, 'join', 'remote-room');
            const [joined] = await emitAck(target.socket, 'whoami');
            assert.ok(joined.rooms.includes('remote-room'));
            await emitAck(driver.socket, 'remoteOp', id, 'leave', 'remote-room');
            const [left] = await emitAck(target.socket, 'whoami');
            assert.ok(!left.rooms.includes('remote-room'));
            // timeout(ms).emitWithAck(): the client's answer, then a timeout when it does not answer.
            target.socket.once('question', (callback) => callback('answer', 2));
            assert.deepEqual(await emitAckWithin(5000, driver.socket, 'remoteOp', id, 'ask', 2000),
                [{ timedOut: false, answers: ['answer', 2] }]);
            target.socket.once('question', () => {});
            const [silent] = await emitAckWithin(5000, driver.socket, 'remoteOp', id, 'ask', 200);
            assert.equal(silent.timedOut, true);
            await emitAck(driver.socket, 'remoteOp', id, 'disconnect', false);
            assert.equal((await target.inbox.disconnected()).reason, 'io server disconnect');
            assert.ok(driver.socket.connected);
        });
    }

    it('handshake.issued is the connection time in ms since the epoch', async () => {
        const before = Date.now();
        const { socket } = await connect(ctx.server, '/', VARIANTS[1], {}, { tracker });
        const [h] = await emitAck(socket, 'handshake');
        assert.equal(typeof h.issued, 'number');
        assert.ok(h.issued >= before - 1000 && h.issued <= Date.now() + 1000, `issued ${h.issued}`);
    });
});

describe('Server hooks and signals with a real client', () => {
    const ctx = useSioServer();
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    it('namespaceCreated: a new dynamic child is announced once', async () => {
        const nsp = freshDynNamespace();
        const { socket } = await connect(ctx.server, nsp, VARIANTS[1], {}, { tracker });
        assert.ok(socket.connected);
        await ctx.server.waitForLine(new RegExp(`^NAMESPACE ${escapeRegExp(nsp)}$`), 3000);
    });

    it('allowRequest refuses later with its status and message; other requests open', async () => {
        const refused = await get(ctx.server, `${SIO_PATH}?EIO=4&transport=polling&refuse=1`);
        assert.equal(refused.status, 403);
        assert.deepEqual(JSON.parse(refused.body), { code: 4, message: 'refused by allowRequest' });
        const { err } = await connectError(ctx.server, '/', VARIANTS[0], { query: { refuse: '1' } }, { tracker });
        assert.ok(err);
        const { socket } = await connect(ctx.server, '/', VARIANTS[0], { query: { refuse: '0' } }, { tracker });
        assert.ok(socket.connected);
    });

    it('the handshake and response header hooks (initial_headers / headers)', async () => {
        const open = await get(ctx.server, `${SIO_PATH}?EIO=4&transport=polling`);
        assert.equal(open.headers['x-handshake'], '1');
        assert.equal(open.headers['x-response'], '1');
        const sid = JSON.parse(open.body.slice(1)).sid;
        const post = await request(ctx.server, 'POST', `${SIO_PATH}?EIO=4&transport=polling&sid=${sid}`, '40');
        assert.equal(post.headers['x-response'], '1');
        const poll = await get(ctx.server, `${SIO_PATH}?EIO=4&transport=polling&sid=${sid}`);
        assert.match(poll.body, /^40\{"sid":/);
        assert.equal(poll.status, 200);
        assert.equal(poll.headers['x-handshake'], undefined);
        assert.equal(poll.headers['x-response'], '1');
        await request(ctx.server, 'POST', `${SIO_PATH}?EIO=4&transport=polling&sid=${sid}`, '1');
    });

    for (const variant of [VARIANTS[0], VARIANTS[1]]) {
        it(`${variant.name}: disconnecting is emitted while the socket is still in its rooms`, async () => {
            const { socket } = await connect(ctx.server, '/', variant, {}, { tracker });
            const id = socket.id;
            await emitAck(socket, 'join', 'leaving-room');
            socket.disconnect();
            const m = await ctx.server.waitForLine(
                new RegExp(`^DISCONNECTING / ${escapeRegExp(id)} client namespace disconnect (.*)$`), 3000);
            assert.deepEqual(m[1].split(',').sort(), [id, 'leaving-room'].sort());
        });
    }
});

describe('path', () => {
    const ctx = useSioServer(['--path', '/custom/']);
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    it('a custom path answers, the default one does not', async () => {
        for (const variant of VARIANTS) {
            const { socket } = await connect(ctx.server, '/', variant, { path: '/custom/' }, { tracker });
            assert.ok(socket.connected, variant.name);
        }
        assert.equal((await get(ctx.server, `${SIO_PATH}?EIO=4&transport=polling`)).status, 404);
    });
});

describe('compress(false) over polling (httpCompression on, socket.io-client on fetch())', () => {
    const ctx = useSioServer();
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    // Every GET response the client's fetch() receives: its Content-Encoding and its (decoded) text.
    const responses = [];
    let realFetch;
    before(() => {
        realFetch = globalThis.fetch;
        globalThis.fetch = async (url, init) => {
            const res = await realFetch(url, init);
            if ((init?.method ?? 'GET') === 'GET') {
                const text = await res.clone().text();
                responses.push({ encoding: res.headers.get('content-encoding'), text });
            }
            return res;
        };
    });
    after(() => { globalThis.fetch = realFetch; });

    /** The response that carried the `marker` text. */
    const carrying = (marker) => responses.find((r) => r.text.includes(marker));

    const cases = [
        ['compressed', true, 'gzip', 'socket->compress(true)'],
        ['compressed', false, null, 'socket->compress(false)'],
        ['nspCompressed', true, 'gzip', 'nsp->to(id).compress(true)'],
        ['nspCompressed', false, null, 'nsp->to(id).compress(false)'],
    ];
    for (const [event, flag, expected, what] of cases) {
        it(`${what}: a 4000-character event comes ${expected ?? 'uncompressed'}`, async () => {
            const { socket, inbox } = await connect(ctx.server, '/',
                { name: 'fetch', opts: { transports: [Fetch], upgrade: false } }, {}, { tracker });
            assert.equal(socket.io.engine.transport.name, 'polling');
            const size = 4000 + Math.floor(Math.random() * 1000);
            socket.emit(event, flag, size);
            const [text] = await inbox.nth('big');
            assert.equal(text.length, size);
            const r = carrying(`"${'y'.repeat(size)}"`);
            assert.ok(r, 'the response carrying the event was seen');
            if (expected) {
                assert.ok(['gzip', 'deflate'].includes(r.encoding), `compressed (${r.encoding})`);
            } else {
                assert.equal(r.encoding, null);
            }
        });
    }

    it('a response with one packet that asks for compression is compressed (engine.io: packets.some)', async () => {
        const { socket, inbox } = await connect(ctx.server, '/',
            { name: 'fetch', opts: { transports: [Fetch], upgrade: false } }, {}, { tracker });
        const size = 5000 + Math.floor(Math.random() * 1000);
        socket.emit('compressMix', size);
        await inbox.nth('big');
        await inbox.nth('small');
        const r = carrying(`"${'y'.repeat(size)}"`);
        assert.ok(r.text.includes('["small",1]'), 'both packets went in one response');
        assert.ok(['gzip', 'deflate'].includes(r.encoding), `compressed (${r.encoding})`);
    });
});

describe('addTrailingSlash', () => {
    describe('default (true)', () => {
        const ctx = useSioServer();
        const tracker = clientTracker();
        afterEach(() => tracker.closeAll());

        it('"/socket.io/" answers, "/socket.io" does not', async () => {
            assert.equal((await get(ctx.server, `${SIO_PATH}?EIO=4&transport=polling`)).status, 200);
            assert.equal((await get(ctx.server, '/socket.io?EIO=4&transport=polling')).status, 404);
            const { err } = await connectError(ctx.server, '/', VARIANTS[0], { path: '/socket.io', addTrailingSlash: false },
                { tracker });
            assert.ok(err);
        });
    });

    describe('--no-trailing-slash (false)', () => {
        const ctx = useSioServer(['--no-trailing-slash']);
        const tracker = clientTracker();
        afterEach(() => tracker.closeAll());

        it('"/socket.io" answers too, and a client that leaves the slash out connects', async () => {
            const open = await get(ctx.server, '/socket.io?EIO=4&transport=polling');
            assert.equal(open.status, 200);
            assert.match(open.body, /^0\{"sid":/);
            assert.equal((await get(ctx.server, `${SIO_PATH}?EIO=4&transport=polling`)).status, 200);
            for (const variant of VARIANTS) {
                const { socket } = await connect(ctx.server, '/', variant, { path: '/socket.io', addTrailingSlash: false },
                    { tracker });
                assert.ok(socket.connected, variant.name);
            }
        });
    });
});
