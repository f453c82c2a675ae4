// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Group 9: disconnect reasons as both sides report them: client disconnect(), server
// disconnect(false / true), the client dropping the connection, the server process stopping, and a
// ping timeout (a client whose engine stops answering pings).

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
    SERVER_REASONS, VARIANTS, clientTracker, connect, disconnectLines, emitAck, startSioServer, useSioServer,
    nextEvent, quietPeriod, waitConnectLine, waitDisconnectLine, withTimeout,
} from './lib/sio.mjs';

const PING_INTERVAL = 200;
const PING_TIMEOUT = 300;

describe('disconnect reasons', () => {
    const ctx = useSioServer(['--ping-interval', String(PING_INTERVAL), '--ping-timeout', String(PING_TIMEOUT)]);
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    for (const variant of VARIANTS) {
        it(`${variant.name}: client disconnect(): "io client disconnect" / "client namespace disconnect"`, async () => {
            const { socket, inbox } = await connect(ctx.server, '/chat', variant, {}, { tracker });
            const id = socket.id;
            socket.disconnect();
            assert.equal((await inbox.disconnected()).reason, 'io client disconnect');
            assert.equal(await waitDisconnectLine(ctx.server, '/chat', id), 'client namespace disconnect');
        });

        it(`${variant.name}: server disconnect(false): "io server disconnect" / "server namespace disconnect"`,
            async () => {
                const { socket, inbox } = await connect(ctx.server, '/chat', variant, {}, { tracker });
                const id = socket.id;
                socket.emit('disconnectMe', false);
                assert.equal((await inbox.disconnected()).reason, 'io server disconnect');
                assert.equal(await waitDisconnectLine(ctx.server, '/chat', id), 'server namespace disconnect');
                assert.equal(socket.active, false, 'the client must not reconnect after a server disconnect');
            });

        it(`${variant.name}: server disconnect(true): "io server disconnect" on the client`, async (t) => {
            const { socket, inbox } = await connect(ctx.server, '/chat', variant, {}, { tracker });
            const id = socket.id;
            socket.emit('disconnectMe', true);
            assert.equal((await inbox.disconnected()).reason, 'io server disconnect');
            const reason = await waitDisconnectLine(ctx.server, '/chat', id);
            t.diagnostic(`server reason: ${reason}`);
            assert.ok(['server namespace disconnect', 'forced close'].includes(reason), `server reason ${reason}`);
        });

        it(`${variant.name}: the client closes its engine connection: server "transport close"`, async (t) => {
            const { socket, inbox } = await connect(ctx.server, '/', variant, {}, { tracker });
            const id = socket.id;
            socket.io.engine.close(); // the Engine.IO close packet, without a Socket.IO DISCONNECT
            const clientReason = (await inbox.disconnected()).reason;
            t.diagnostic(`client reason: ${clientReason}`);
            assert.ok(['forced close', 'transport close', 'io client disconnect'].includes(clientReason));
            assert.equal(await waitDisconnectLine(ctx.server, '/', id), 'transport close');
        });

        it(`${variant.name}: ping timeout: a client that stops answering pings`, async (t) => {
            const { socket, inbox } = await connect(ctx.server, '/', variant, {}, { tracker });
            const id = socket.id;
            const engine = socket.io.engine;
            assert.equal(await emitAck(socket, 'echo', 'x').then((a) => a[0]), 'x');
            // from now on the engine receives pings but never sends a pong
            const original = engine._sendPacket;
            let dropped = 0;
            engine._sendPacket = function (type, ...rest) {
                if (type === 'pong') {
                    dropped++;
                    return undefined;
                }
                return original.call(this, type, ...rest);
            };
            const t0 = Date.now();
            const serverReason = await waitDisconnectLine(ctx.server, '/', id, PING_INTERVAL + PING_TIMEOUT + 1500);
            const elapsed = Date.now() - t0;
            assert.equal(serverReason, 'ping timeout');
            assert.ok(dropped >= 1, 'no ping arrived before the timeout');
            const { reason } = await inbox.disconnected(3000);
            t.diagnostic(`after ${elapsed} ms; client reason: ${reason}; pongs dropped: ${dropped}`);
            assert.ok(['transport close', 'ping timeout', 'transport error'].includes(reason), `client reason ${reason}`);
        });

        it(`${variant.name}: a client answering pings survives several ping intervals`, async () => {
            const { socket, inbox } = await connect(ctx.server, '/', variant, {}, { tracker });
            let pings = 0;
            await withTimeout(new Promise((resolve) => socket.io.on('ping', () => {
                if (++pings === 4) {
                    resolve();
                }
            })), 4 * PING_INTERVAL + 2000, '4 pings');
            assert.equal(inbox.disconnectInfo, null);
            assert.deepEqual(await emitAck(socket, 'echo', 'alive'), ['alive']);
            assert.deepEqual(disconnectLines(ctx.server, '/', socket.id), []);
        });
    }

    for (const variant of VARIANTS) {
        it(`${variant.name}: after the connection drops, socket.io-client reconnects by itself with a new id`,
            async () => {
                const { socket, inbox } = await connect(ctx.server, '/', variant,
                    { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100 }, { tracker });
                const firstId = socket.id;
                const firstEngine = socket.io.engine.id;
                const reconnected = nextEvent(socket, 'connect', 5000, 'the reconnect');
                socket.io.engine.close(); // looks like a lost connection to the Manager: it reconnects
                await reconnected;
                assert.notEqual(socket.id, firstId);
                assert.notEqual(socket.io.engine.id, firstEngine);
                assert.equal(inbox.disconnectInfo.reason, 'forced close');
                assert.equal(await waitDisconnectLine(ctx.server, '/', firstId), 'transport close');
                await waitConnectLine(ctx.server, '/', socket.id);
                assert.deepEqual(await emitAck(socket, 'echo', 'again'), ['again']);
            });
    }

    it('websocket: the TCP connection drops without a close frame: server "transport close" or "transport error"',
        async (t) => {
            const { socket } = await connect(ctx.server, '/', VARIANTS[1], {}, { tracker });
            const id = socket.id;
            socket.io.engine.transport.ws.terminate();
            const reason = await waitDisconnectLine(ctx.server, '/', id, 3000);
            t.diagnostic(`server reason: ${reason}`);
            assert.ok(['transport close', 'transport error'].includes(reason), `server reason ${reason}`);
        });

    for (const variant of VARIANTS) {
        it(`${variant.name}: the server process stops: the client sees "transport close"`, async (t) => {
            const server = await startSioServer();
            try {
                const a = await connect(server, '/', variant, {}, { tracker });
                const b = await connect(server, '/chat', variant, {}, { tracker });
                const ids = [['/', a.socket.id], ['/chat', b.socket.id]];
                await waitConnectLine(server, '/chat', ids[1][1]);
                const result = await server.stop();
                t.diagnostic(`server exit: ${JSON.stringify(result)}`);
                const reasons = [(await a.inbox.disconnected(3000)).reason, (await b.inbox.disconnected(3000)).reason];
                t.diagnostic(`client reasons: ${reasons.join(', ')}`);
                // Over WebSocket the end of the connection is "transport close". Over polling it depends
                // on whether a long-poll was pending at that moment: if not, the next request fails and
                // socket.io-client says "transport error" (the reference server does that too).
                const allowed = variant.final === 'websocket' ? ['transport close']
                    : ['transport close', 'transport error'];
                for (const r of reasons) {
                    assert.ok(allowed.includes(r), `client reason "${r}", expected one of ${allowed}`);
                }
                for (const [nsp, id] of ids) {
                    const printed = disconnectLines(server, nsp, id);
                    t.diagnostic(`server printed for ${nsp}: ${JSON.stringify(printed)}`);
                    assert.ok(printed.length <= 1, `DISCONNECT printed ${printed.length} times`);
                    for (const r of printed) {
                        assert.ok(SERVER_REASONS.includes(r), `undocumented reason ${r}`);
                    }
                }
            } finally {
                await server.stop();
            }
        });
    }

    it('graceful shutdown on SIGTERM: "server shutting down" for every socket, ' +
        'the pending long-poll gets the close packet',
        async (t) => {
            const server = await startSioServer();
            try {
                const ws = await connect(server, '/chat', VARIANTS[1], {}, { tracker });
                const wsId = ws.socket.id;
                // a raw polling session with a long-poll pending when the server stops
                const base = server.url('/socket.io/?EIO=4&transport=polling');
                const bounded = { signal: AbortSignal.timeout(3000) };
                const hs = await (await fetch(base, bounded)).text();
                const sid = JSON.parse(hs.slice(1)).sid;
                const url = `${base}&sid=${sid}`;
                await (await fetch(url, { method: 'POST', body: '40', ...bounded })).text();
                const connected = await (await fetch(url, bounded)).text();
                const pollId = JSON.parse(connected.slice(2)).sid;
                const pending = fetch(url, { signal: AbortSignal.timeout(5000) }).then(
                    async (r) => `HTTP ${r.status} ${JSON.stringify(await r.text())}`,
                    (e) => `request failed: ${e.cause?.code ?? e.message}`);
                await quietPeriod(100); // let the long-poll reach the server
                const result = await server.stop();
                const pendingOutcome = await withTimeout(pending, 3000, 'the pending long-poll');
                const printed = {
                    ws: disconnectLines(server, '/chat', wsId),
                    poll: disconnectLines(server, '/', pollId),
                };
                t.diagnostic(`exit ${JSON.stringify(result)}; pending long-poll: ${pendingOutcome}; ` +
                    `DISCONNECT lines: ${JSON.stringify(printed)}`);
                if (result.signal === 'SIGTERM') {
                    t.todo('the test server has no SIGTERM handler (it is killed by the signal): no graceful close');
                }
                assert.deepEqual(result, { code: 0, signal: null }, 'graceful exit');
                assert.deepEqual(printed, { ws: ['server shutting down'], poll: ['server shutting down'] });
                assert.match(pendingOutcome, /^HTTP 200 "(.*\\u001e)?1"$/, 'the long-poll ends with the close packet');
                assert.equal((await ws.inbox.disconnected(3000)).reason, 'transport close');
            } finally {
                await server.stop();
            }
        });
});
