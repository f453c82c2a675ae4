// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// A mixed cluster: one QtSocketIo node (qtnode --adapter redis) and one Node.js socket.io 4.8 server with
// @socket.io/redis-adapter 8.3 on one redis-server. Every check runs in both directions.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ask, connectClient, quietPeriod, startNodeNode, startQtNode, startRedis } from '../lib/redis.mjs';

describe('QtSocketIo and Node.js socket.io in one Redis cluster', () => {
    let redis;
    let qt;
    let node;
    const clients = [];
    const client = async (port, nsp = '/') => {
        const c = await connectClient(port, nsp);
        clients.push(c);
        return c;
    };

    before(async () => {
        redis = await startRedis();
        qt = await startQtNode(redis.port, ['--name', 'qt', '--requests-timeout', '1500']);
        node = await startNodeNode(redis.port, { name: 'node', requestsTimeout: 1500 });
    });
    after(async () => {
        for (const c of clients) {
            c.socket.disconnect();
        }
        await node?.close();
        await qt?.stop();
        await redis?.stop();
    });

    // [from, to]: the node whose client asks, the node whose clients are checked.
    const directions = [['node', 'qt'], ['qt', 'node']];
    const portOf = (name) => (name === 'qt' ? qt.port : node.port);

    for (const [from, to] of directions) {
        it(`broadcasts from ${from} reach clients of ${to}: all, room, except, binary, /chat`, async () => {
            const t1 = await client(portOf(to));
            const t2 = await client(portOf(to));
            const f = await client(portOf(from));
            await ask(t1.socket, 3000, 'join', 'red');
            f.socket.emit('to', [], 'all', 1, { nested: [true, null, 'x'] });
            assert.deepEqual(await t1.inbox.waitFor('all'), [1, { nested: [true, null, 'x'] }]);
            assert.deepEqual(await t2.inbox.waitFor('all'), [1, { nested: [true, null, 'x'] }]);
            f.socket.emit('to', ['red'], 'red', 'only');
            assert.deepEqual(await t1.inbox.waitFor('red'), ['only']);
            f.socket.emit('toExcept', [], ['red'], 'notRed', 2.5);
            assert.deepEqual(await t2.inbox.waitFor('notRed'), [2.5]);
            f.socket.emit('to', [], 'bin', Buffer.from([0, 255, 7]), { deep: Buffer.from('hi') });
            const [bin, obj] = await t1.inbox.waitFor('bin');
            assert.deepEqual([...bin], [0, 255, 7]);
            assert.equal(Buffer.from(obj.deep).toString(), 'hi');
            f.socket.emit('to', [], 'marker');
            await t1.inbox.waitFor('marker');
            await t2.inbox.waitFor('marker');
            assert.equal(t2.inbox.count('red'), 0);
            assert.equal(t1.inbox.count('notRed'), 0);

            const c1 = await client(portOf(to), '/chat');
            const fc = await client(portOf(from), '/chat');
            fc.socket.emit('to', [], 'inChat', 'yes');
            assert.deepEqual(await c1.inbox.waitFor('inChat'), ['yes']);
        });

        it(`fetchSockets, socketsJoin, socketsLeave, disconnectSockets from ${from} on clients of ${to}`, async () => {
            const t1 = await client(portOf(to));
            const f = await client(portOf(from));
            const room = `fetch-${from}`;
            await ask(t1.socket, 3000, 'join', room);
            await ask(t1.socket, 3000, 'setData', 'name', 'alice');
            const fetched = await ask(f.socket, 5000, 'fetch', [room]);
            assert.equal(fetched.error, '');
            assert.equal(fetched.sockets.length, 1);
            const [remote] = fetched.sockets;
            assert.equal(remote.id, t1.socket.id);
            assert.deepEqual(remote.data, { name: 'alice' });
            assert.ok(remote.rooms.includes(room));
            assert.ok(remote.rooms.includes(t1.socket.id));
            assert.equal(typeof remote.handshake.issued, 'number');
            assert.ok(remote.handshake.url.startsWith('/socket.io/'));
            assert.equal(typeof remote.handshake.headers, 'object');

            await ask(f.socket, 3000, 'socketsJoin', [t1.socket.id], `joined-${from}`);
            await waitForRooms(t1.socket, (rooms) => rooms.includes(`joined-${from}`));
            await ask(f.socket, 3000, 'socketsLeave', [room], room);
            await waitForRooms(t1.socket, (rooms) => !rooms.includes(room));
            await ask(f.socket, 3000, 'disconnectSockets', [`joined-${from}`], false);
            assert.equal(await t1.inbox.waitForDisconnect(), 'io server disconnect');
            assert.ok(f.socket.connected);
        });

        it(`serverSideEmit with and without acks from ${from} to ${to}`, async () => {
            const t1 = await client(portOf(to));
            const f = await client(portOf(from));
            await ask(f.socket, 3000, 'serverSideEmit', 'hello', 1, 'two');
            assert.deepEqual(await t1.inbox.waitFor('serverSide'), ['hello', [1, 'two']]);
            const result = await ask(f.socket, 5000, 'serverSideEmitWithAck', 'ping', 42);
            assert.deepEqual(result, { responses: [{ node: to, event: 'ping', args: [42] }], error: '' });
        });

        it(`broadcast with acks from ${from} counts the clients of ${to}, binary answers included`, async () => {
            const room = `ask-${from}`;
            const t1 = await client(portOf(to));
            const f1 = await client(portOf(from));
            await ask(t1.socket, 3000, 'join', room);
            await ask(f1.socket, 3000, 'join', room);
            t1.socket.on('question', (ack) => ack(Buffer.from([9, 9])));
            f1.socket.on('question', (ack) => ack('local'));
            const result = await ask(f1.socket, 5000, 'askAll', [room], 'question', 3000);
            assert.equal(result.timedOut, false);
            assert.equal(result.responses.length, 2);
            const binary = result.responses.find((r) => typeof r !== 'string');
            assert.deepEqual([...Buffer.from(binary)], [9, 9]);
            assert.ok(result.responses.includes('local'));

            const silent = await client(portOf(to));
            await ask(silent.socket, 3000, 'join', room);
            const late = await ask(f1.socket, 5000, 'askAll', [room], 'question', 500);
            assert.equal(late.timedOut, true);
        });
    }

    it('answers the Node adapter\'s allRooms request with the rooms of the Qt node', async () => {
        const q = await client(qt.port);
        const n = await client(node.port);
        await ask(q.socket, 3000, 'join', 'qt-only-room');
        const result = await ask(n.socket, 5000, 'allRooms');
        assert.equal(result.error, '');
        assert.ok(result.rooms.includes('qt-only-room'));
        assert.ok(result.rooms.includes(q.socket.id));
        assert.ok(result.rooms.includes(n.socket.id));
    });

    it('fetchSockets times out with a clear error when a node does not answer', async () => {
        // A third "node" that subscribes to the request channel (so it is counted) but never answers.
        const { createClient } = await import('redis');
        const mute = createClient({ url: redis.url });
        await mute.connect();
        await mute.subscribe('socket.io-request#/#', () => {});
        try {
            const f = await client(qt.port);
            const started = Date.now();
            const fetched = await ask(f.socket, 5000, 'fetch', []);
            assert.equal(fetched.error, 'timeout reached while waiting for fetchSockets response');
            assert.ok(Date.now() - started >= 1400);
            const emitted = await ask(f.socket, 5000, 'serverSideEmitWithAck', 'ping');
            assert.equal(emitted.error, 'timeout reached: only 1 responses received out of 2');
            assert.deepEqual(emitted.responses, [{ node: 'node', event: 'ping', args: [] }]);
        } finally {
            await mute.quit();
        }
    });
});

async function waitForRooms(socket, predicate) {
    for (let i = 0; i < 50; i++) {
        const rooms = await ask(socket, 3000, 'rooms');
        if (predicate(rooms)) {
            return rooms;
        }
        await quietPeriod(20);
    }
    throw new Error(`the rooms of ${socket.id} never matched`);
}
