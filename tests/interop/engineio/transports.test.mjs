// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Groups 1 and 2: engine.io-client restricted to one transport (polling only, websocket only):
// handshake, text and binary echo, ordered server burst; plus a raw ws handshake.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../lib/server.mjs';
import { openClient, patternBytes, rawWebSocket, socketTracker, toBuffer, isBinary } from '../lib/eio-client.mjs';

const cases = [
    {
        transport: 'polling',
        // Non-default values, so the handshake has to reflect the configuration.
        args: ['--port', '0', '--ping-interval', '10000', '--ping-timeout', '5000', '--max-http-buffer-size', '200000'],
        expected: { upgrades: ['websocket'], pingInterval: 10000, pingTimeout: 5000, maxPayload: 200000 },
    },
    {
        transport: 'websocket',
        // Defaults: pingInterval 25000, pingTimeout 20000, maxHttpBufferSize 1e6. No upgrade from websocket.
        args: ['--port', '0'],
        expected: { upgrades: [], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1000000 },
    },
];

for (const { transport, args, expected } of cases) {
    describe(`engine.io-client with transports ['${transport}']`, () => {
        const ctx = useServer('EIO_SERVER', args);
        const tracker = socketTracker();
        afterEach(() => tracker.closeAll());
        const open = () => openClient(ctx.server, { transports: [transport] }, { tracker });

        it('opens; the handshake has the configured sid, upgrades, pingInterval, pingTimeout, maxPayload', async () => {
            const { socket, inbox } = await open();
            const hs = inbox.handshake;
            assert.ok(hs, 'no handshake event');
            assert.equal(typeof hs.sid, 'string');
            assert.ok(hs.sid.length > 0, 'empty sid');
            assert.equal(socket.id, hs.sid);
            assert.deepEqual(hs.upgrades, expected.upgrades);
            assert.equal(hs.pingInterval, expected.pingInterval);
            assert.equal(hs.pingTimeout, expected.pingTimeout);
            assert.equal(hs.maxPayload, expected.maxPayload);
            assert.equal(socket.transport.name, transport);
            assert.equal(await ctx.server.waitForEvent('OPEN', hs.sid, 3000), transport);
        });

        it('two clients get different sids', async () => {
            const a = await open();
            const b = await open();
            assert.notEqual(a.socket.id, b.socket.id);
        });

        it('echoes text messages unchanged', async () => {
            const { socket, inbox } = await open();
            const texts = ['hello', 'with spaces and "quotes" and \\ backslash', 'héllo wörld ✓ 日本語 😀', '4', '0{}',
                'b64 looks like a binary prefix'];
            for (const t of texts) {
                socket.send(t);
            }
            assert.deepEqual(await inbox.take(texts.length), texts);
        });

        it('echoes binary messages (Buffer, ArrayBuffer, Uint8Array view) unchanged, as binary', async () => {
            const { socket, inbox } = await open();
            const buf = Buffer.from([0, 1, 2, 3, 127, 128, 253, 254, 255]);
            socket.send(buf);
            const ab = new Uint8Array([9, 8, 7, 0, 255]).buffer;
            socket.send(ab);
            const backing = new Uint8Array([100, 101, 102, 103, 104, 105]);
            socket.send(new Uint8Array(backing.buffer, 2, 3)); // 102, 103, 104
            const [m1, m2, m3] = await inbox.take(3);
            for (const m of [m1, m2, m3]) {
                assert.ok(isBinary(m), `expected a binary message, got ${typeof m}: ${JSON.stringify(m)}`);
            }
            assert.deepEqual(toBuffer(m1), buf);
            assert.deepEqual(toBuffer(m2), Buffer.from([9, 8, 7, 0, 255]));
            assert.deepEqual(toBuffer(m3), Buffer.from([102, 103, 104]));
        });

        it('many messages sent at once are echoed in order', async () => {
            const { socket, inbox } = await open();
            const sent = [];
            for (let i = 0; i < 100; i++) {
                const m = i % 3 === 2 ? patternBytes(i) : `m${i}`;
                sent.push(m);
                socket.send(m);
            }
            const got = await inbox.take(sent.length);
            got.forEach((m, i) => {
                if (typeof sent[i] === 'string') {
                    assert.equal(m, sent[i], `message ${i}`);
                } else {
                    assert.ok(isBinary(m), `message ${i} should be binary`);
                    assert.deepEqual(toBuffer(m), sent[i], `message ${i}`);
                }
            });
        });

        it('cmd:burst 50 delivers burst:0 .. burst:49 in order', async () => {
            const { socket, inbox } = await open();
            socket.send('cmd:burst 50');
            const expectedBurst = Array.from({ length: 50 }, (_, i) => `burst:${i}`);
            assert.deepEqual(await inbox.take(50), expectedBurst);
            // Nothing extra: the next message is the echo of what we send now.
            socket.send('after-burst');
            assert.equal(await inbox.next(), 'after-burst');
        });

        if (transport === 'websocket') {
            it('raw ws: the first frame is the open packet 0{...} with upgrades [] and the configured values', async () => {
                const raw = await rawWebSocket(ctx.server.wsUrl('/engine.io/?EIO=4&transport=websocket'), { tracker });
                const first = await raw.next(3000);
                assert.equal(first.isBinary, false, 'the open packet must be a text frame');
                assert.equal(first.data[0], '0', `expected an open packet, got ${JSON.stringify(first.data)}`);
                const hs = JSON.parse(first.data.slice(1));
                assert.equal(typeof hs.sid, 'string');
                assert.ok(hs.sid.length > 0);
                assert.deepEqual(hs.upgrades, []);
                assert.equal(hs.pingInterval, expected.pingInterval);
                assert.equal(hs.pingTimeout, expected.pingTimeout);
                assert.equal(hs.maxPayload, expected.maxPayload);
                assert.equal(await ctx.server.waitForEvent('OPEN', hs.sid, 3000), 'websocket');

                // Text messages are "4<data>" text frames; binary messages are bare binary frames.
                raw.send('4raw text');
                assert.deepEqual(await raw.next(3000), { data: '4raw text', isBinary: false });
                raw.send(Buffer.from([1, 2, 3]));
                const bin = await raw.next(3000);
                assert.equal(bin.isBinary, true);
                assert.deepEqual(bin.data, Buffer.from([1, 2, 3]));

                const mark = ctx.server.mark();
                raw.ws.close(1000);
                assert.equal(await ctx.server.waitForEvent('CLOSE', hs.sid, 3000, mark), 'transport close');
            });
        }
    });
}

describe('--path /custom/', () => {
    const ctx = useServer('EIO_SERVER', ['--port', '0', '--path', '/custom/']);
    const tracker = socketTracker();
    afterEach(() => tracker.closeAll());

    for (const transport of ['polling', 'websocket']) {
        it(`engine.io-client with path /custom/ over ${transport} connects and echoes`, async () => {
            const { socket, inbox } = await openClient(ctx.server, { transports: [transport], path: '/custom/' },
                { tracker });
            socket.send('custom path');
            assert.equal(await inbox.next(), 'custom path');
        });
    }

    it('the default path /engine.io/ is not served then', async () => {
        const res = await fetch(ctx.server.url('/engine.io/?EIO=4&transport=polling'), { signal: AbortSignal.timeout(3000) });
        await res.arrayBuffer();
        assert.equal(res.status, 404);
    });
});
