// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Group 4: text and binary payloads in both directions and of several sizes, on both transports.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../lib/server.mjs';
import {
    eioUrl, fetchBounded, isBinary, openClient, patternBytes, rawPollingHandshake, rawWebSocket, socketTracker,
    splitPayload, toBuffer,
} from '../lib/eio-client.mjs';

const BINARY_SIZES = [0, 1, 65536, 100000];

// engine.io-parser decodes the bare message packet "4" (an empty text message) as a message whose
// data is undefined, so through engine.io-client an empty string comes back as undefined.
function assertTextEqual(actual, expected, what) {
    if (expected === '' && actual === undefined) {
        return;
    }
    assert.equal(typeof actual, 'string', `${what}: came back as ${typeof actual}`);
    assert.equal(actual.length, expected.length, `${what}: length`);
    assert.ok(actual === expected, `${what}: content differs`);
}

function assertBinaryEqual(actual, expected, what) {
    assert.ok(isBinary(actual), `${what}: expected binary, got ${typeof actual}`);
    const got = toBuffer(actual);
    assert.equal(got.length, expected.length, `${what}: length`);
    const diff = got.findIndex((b, i) => b !== expected[i]);
    assert.equal(diff, -1, `${what}: first differing byte at ${diff}`);
}

for (const transport of ['polling', 'websocket']) {
    describe(`payloads over ${transport}`, () => {
        const ctx = useServer('EIO_SERVER', ['--port', '0']);
        const tracker = socketTracker();
        afterEach(() => tracker.closeAll());
        const open = () => openClient(ctx.server, { transports: [transport] }, { tracker });

        it(`client -> server -> client binary of ${BINARY_SIZES.join(', ')} bytes`, async () => {
            const { socket, inbox } = await open();
            for (const n of BINARY_SIZES) {
                socket.send(patternBytes(n));
            }
            const got = await inbox.take(BINARY_SIZES.length, 8000);
            BINARY_SIZES.forEach((n, i) => assertBinaryEqual(got[i], patternBytes(n), `echo of ${n} bytes`));
        });

        it(`server-generated binary (cmd:binary N) of ${BINARY_SIZES.join(', ')} bytes`, async () => {
            const { socket, inbox } = await open();
            for (const n of BINARY_SIZES) {
                socket.send(`cmd:binary ${n}`);
            }
            const got = await inbox.take(BINARY_SIZES.length, 8000);
            BINARY_SIZES.forEach((n, i) => assertBinaryEqual(got[i], patternBytes(n), `cmd:binary ${n}`));
        });

        it('text of 0, 1, 65536 and 100000 characters, ASCII and multi-byte UTF-8', async () => {
            const { socket, inbox } = await open();
            const texts = [
                '',
                'x',
                'a'.repeat(65536),
                'é'.repeat(100000), // 2 bytes per character in UTF-8
                '😀'.repeat(30000), // surrogate pairs, 4 bytes each in UTF-8
                'mixed ✓ 日本語 😀 '.repeat(2000),
            ];
            for (const t of texts) {
                socket.send(t);
            }
            const got = await inbox.take(texts.length, 8000);
            got.forEach((m, i) => assertTextEqual(m, texts[i], `text ${i}`));
        });

        it('interleaved text and binary keep their order and their kinds', async () => {
            const { socket, inbox } = await open();
            const sent = ['t0', Buffer.from([1]), '', Buffer.alloc(0), 't1', patternBytes(300), 'cmd:binary 3', 't2'];
            for (const m of sent) {
                socket.send(m);
            }
            const got = await inbox.take(sent.length);
            const expected = [...sent];
            expected[6] = patternBytes(3);
            got.forEach((m, i) => {
                if (typeof expected[i] === 'string') {
                    assertTextEqual(m, expected[i], `message ${i}`);
                } else {
                    assertBinaryEqual(m, expected[i], `message ${i}`);
                }
            });
        });

        it('raw: an empty text message "4" and an empty binary message are echoed as such on the wire', async () => {
            if (transport === 'websocket') {
                const raw = await rawWebSocket(ctx.server.wsUrl('/engine.io/?EIO=4&transport=websocket'), { tracker });
                assert.match((await raw.next(3000)).data, /^0\{/);
                raw.send('4');
                raw.send(Buffer.alloc(0));
                raw.send('4after');
                assert.deepEqual(await raw.next(3000), { data: '4', isBinary: false });
                const bin = await raw.next(3000);
                assert.equal(bin.isBinary, true);
                assert.equal(bin.data.length, 0);
                assert.deepEqual(await raw.next(3000), { data: '4after', isBinary: false });
            } else {
                const { sid } = await rawPollingHandshake(ctx.server);
                const url = eioUrl(ctx.server, { EIO: '4', transport: 'polling', sid });
                // Polling payload: packets separated by \x1e; a binary packet is "b" + base64 (here empty).
                const post = await fetchBounded(url, {
                    method: 'POST',
                    body: '4\x1eb\x1e4after',
                    headers: { 'content-type': 'text/plain;charset=UTF-8' },
                });
                assert.equal(post.status, 200, post.body);
                const packets = [];
                while (packets.length < 3) {
                    const poll = await fetchBounded(url, {}, 3000);
                    assert.equal(poll.status, 200, poll.body);
                    packets.push(...splitPayload(poll.body).filter((p) => p !== '6')); // ignore noop
                }
                assert.deepEqual(packets, ['4', 'b', '4after']);
            }
        });
    });
}
