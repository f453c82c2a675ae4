// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Group 1: connecting with auth and query, the handshake the server saw, socket ids, and the
// disconnects initiated by the client and by the server (disconnectMe(false / true)).

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
    SioInbox, VARIANTS, awaitConnect, clientTracker, connect, disconnectLines, emitAck, useSioServer,
    waitConnectLine, waitDisconnectLine,
} from './lib/sio.mjs';

const HEADERS = {
    origin: 'http://interop.example',
    'user-agent': 'qtsocketio-interop/1.0',
    'x-test': 'x-test-value',
};

/** Opens /chat on the Manager (engine connection) of `socket`. */
async function joinChat(socket) {
    const chat = socket.io.socket('/chat'); // connects by itself (autoConnect): no connect() call
    const inbox = new SioInbox(chat);
    await awaitConnect(chat, 3000, 'connect to /chat on the same Manager');
    return { socket: chat, inbox };
}

describe('connect, handshake and disconnect', () => {
    const ctx = useSioServer();
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    for (const variant of VARIANTS) {
        it(`${variant.name}: auth, query and headers reach the handshake`, async (t) => {
            const auth = { token: 'abc', nested: { n: 1, list: [true, null, 'ü'] } };
            const before = Date.now();
            const { socket } = await connect(ctx.server, '/', variant, {
                auth,
                query: { foo: 'bar', 'sp ace': 'a&b=c' },
                extraHeaders: HEADERS,
            }, { tracker });
            assert.equal(socket.io.engine.transport.name, variant.final);
            const [hs] = await emitAck(socket, 'handshake');
            t.diagnostic(`handshake: ${JSON.stringify(hs)}`);
            assert.deepEqual(hs.auth, auth);
            assert.equal(hs.query.foo, 'bar');
            assert.equal(hs.query['sp ace'], 'a&b=c');
            assert.equal(hs.query.EIO, '4');
            assert.equal(hs.query.transport, variant.name === 'websocket' ? 'websocket' : 'polling',
                'the handshake query is the one of the first request');
            assert.equal(hs.headers['x-test'], HEADERS['x-test']);
            assert.equal(hs.headers['user-agent'], HEADERS['user-agent']);
            assert.equal(hs.headers.origin, HEADERS.origin);
            assert.match(String(hs.address), /^(::ffff:)?127\.0\.0\.1$/);
            assert.equal(hs.secure, false);
            assert.equal(hs.xdomain, true, 'xdomain must be true when an Origin header was sent');
            assert.equal(typeof hs.url, 'string');
            assert.ok(hs.url.startsWith('/socket.io/?'), `url: ${hs.url}`);
            assert.match(hs.url, /[?&]foo=bar(&|$)/);
            assert.match(hs.url, /[?&]EIO=4(&|$)/);
            assert.equal(typeof hs.issued, 'number');
            assert.ok(hs.issued >= before - 2000 && hs.issued <= Date.now() + 2000,
                `issued ${hs.issued} is not a ms timestamp around now (${Date.now()})`);
        });

        it(`${variant.name}: without auth the handshake auth is an empty object`, async () => {
            const { socket } = await connect(ctx.server, '/', variant, {}, { tracker });
            const [hs] = await emitAck(socket, 'handshake');
            assert.deepEqual(hs.auth, {});
            assert.equal(hs.query.foo, undefined);
            assert.equal(hs.xdomain, false, 'xdomain must be false without an Origin header');
        });

        it(`${variant.name}: socket.id is the id of the server's CONNECT line; ids are unique`, async () => {
            const a = await connect(ctx.server, '/', variant, {}, { tracker });
            const b = await connect(ctx.server, '/', variant, {}, { tracker });
            assert.equal(typeof a.socket.id, 'string');
            assert.ok(a.socket.id.length > 0);
            assert.notEqual(a.socket.id, b.socket.id);
            assert.notEqual(a.socket.id, a.socket.io.engine.id, 'the Socket.IO id must differ from the Engine.IO sid');
            await waitConnectLine(ctx.server, '/', a.socket.id);
            await waitConnectLine(ctx.server, '/', b.socket.id);
        });

        it(`${variant.name}: client disconnect() -> server DISCONNECT "client namespace disconnect"`, async () => {
            const { socket, inbox } = await connect(ctx.server, '/', variant, {}, { tracker });
            const id = socket.id;
            await waitConnectLine(ctx.server, '/', id);
            socket.disconnect();
            assert.equal((await inbox.disconnected(1000)).reason, 'io client disconnect');
            assert.equal(await waitDisconnectLine(ctx.server, '/', id), 'client namespace disconnect');
            assert.equal(disconnectLines(ctx.server, '/', id).length, 1, 'DISCONNECT printed more than once');
        });

        it(`${variant.name}: disconnectMe(false) -> client "io server disconnect", server "server namespace disconnect"; ` +
            'the connection stays up for the other namespace', async () => {
            const { socket, inbox } = await connect(ctx.server, '/', variant, {}, { tracker });
            const chat = await joinChat(socket);
            const id = socket.id;
            socket.emit('disconnectMe', false);
            const { reason } = await inbox.disconnected(3000);
            assert.equal(reason, 'io server disconnect');
            assert.equal(socket.connected, false);
            assert.equal(await waitDisconnectLine(ctx.server, '/', id), 'server namespace disconnect');
            // Only the namespace was left: /chat on the same engine connection still works.
            assert.equal(chat.socket.connected, true);
            assert.deepEqual(await emitAck(chat.socket, 'echo', 'still here'), ['still here']);
            assert.equal(chat.inbox.disconnectInfo, null);
            assert.deepEqual(disconnectLines(ctx.server, '/chat', chat.socket.id), []);
        });

        it(`${variant.name}: disconnectMe(true) -> client "io server disconnect" and the connection closes`,
            async (t) => {
                // Two namespaces on one connection: close=true must end both.
                const { socket, inbox } = await connect(ctx.server, '/', variant, {}, { tracker });
                const { socket: chat, inbox: chatInbox } = await joinChat(socket);
                const id = socket.id;
                const chatId = chat.id;
                const engineClosed = new Promise((resolve) => socket.io.engine.once('close', resolve));
                socket.emit('disconnectMe', true);
                const { reason } = await inbox.disconnected(3000);
                t.diagnostic(`client reason on "/" after disconnectMe(true): ${reason}`);
                assert.equal(reason, 'io server disconnect');
                const chatReason = (await chatInbox.disconnected(3000)).reason;
                t.diagnostic(`client reason on "/chat": ${chatReason}`);
                assert.ok(['io server disconnect', 'transport close'].includes(chatReason),
                    `the other namespace on that connection: unexpected reason ${chatReason}`);
                const serverReason = await waitDisconnectLine(ctx.server, '/', id);
                t.diagnostic(`server DISCONNECT reason for disconnectMe(true): ${serverReason}`);
                assert.ok(['server namespace disconnect', 'forced close'].includes(serverReason),
                    `server reason: ${serverReason}`);
                const chatServerReason = await waitDisconnectLine(ctx.server, '/chat', chatId);
                assert.ok(['server namespace disconnect', 'forced close', 'transport close']
                    .includes(chatServerReason), `server reason on /chat: ${chatServerReason}`);
                await Promise.race([engineClosed, new Promise((_, reject) => setTimeout(
                    () => reject(new Error('the engine connection was not closed within 3 s')), 3000))]);
            });
    }
});
