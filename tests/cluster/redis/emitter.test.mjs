// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// @socket.io/redis-emitter 5.1 from this process reaches the clients of a QtSocketIo node: emit (binary
// included), to a room, except a room, another namespace, socketsJoin, socketsLeave, disconnectSockets and
// serverSideEmit.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '@socket.io/redis-emitter';
import { createClient } from 'redis';
import { ask, connectClient, quietPeriod, startQtNode, startRedis } from '../lib/redis.mjs';

describe('@socket.io/redis-emitter to a QtSocketIo node', () => {
    let redis;
    let qt;
    let redisClient;
    let emitter;
    const clients = [];
    const client = async (nsp = '/') => {
        const c = await connectClient(qt.port, nsp);
        clients.push(c);
        return c;
    };

    before(async () => {
        redis = await startRedis();
        qt = await startQtNode(redis.port);
        redisClient = createClient({ url: redis.url });
        await redisClient.connect();
        emitter = new Emitter(redisClient);
    });
    after(async () => {
        for (const c of clients) {
            c.socket.disconnect();
        }
        await redisClient?.quit();
        await qt?.stop();
        await redis?.stop();
    });

    it('emit, to a room, except a room, binary, another namespace', async () => {
        const a = await client();
        const b = await client();
        const chat = await client('/chat');
        await ask(a.socket, 3000, 'join', 'red');
        emitter.emit('all', 1, 'two', { three: [3] });
        assert.deepEqual(await a.inbox.waitFor('all'), [1, 'two', { three: [3] }]);
        assert.deepEqual(await b.inbox.waitFor('all'), [1, 'two', { three: [3] }]);
        emitter.to('red').emit('red', 'only');
        assert.deepEqual(await a.inbox.waitFor('red'), ['only']);
        emitter.except('red').emit('notRed');
        await b.inbox.waitFor('notRed');
        emitter.emit('bin', Buffer.from([1, 2, 3]));
        const [bin] = await a.inbox.waitFor('bin');
        assert.deepEqual([...bin], [1, 2, 3]);
        emitter.of('/chat').emit('chat', 'hi');
        assert.deepEqual(await chat.inbox.waitFor('chat'), ['hi']);
        emitter.emit('marker');
        await a.inbox.waitFor('marker');
        await b.inbox.waitFor('marker');
        assert.equal(b.inbox.count('red'), 0);
        assert.equal(a.inbox.count('notRed'), 0);
        assert.equal(a.inbox.count('chat'), 0);
    });

    it('socketsJoin, socketsLeave, disconnectSockets', async () => {
        const a = await client();
        const b = await client();
        emitter.in(a.socket.id).socketsJoin('joined');
        await waitForRooms(a.socket, (rooms) => rooms.includes('joined'));
        emitter.in('joined').socketsLeave('joined');
        await waitForRooms(a.socket, (rooms) => !rooms.includes('joined'));
        const bId = b.socket.id;
        emitter.in(bId).disconnectSockets(true);
        // The DISCONNECT packet goes out before the connection closes, as with Node.
        assert.equal(await b.inbox.waitForDisconnect(), 'io server disconnect');
        await qt.waitForLine(new RegExp(`^DISCONNECT / ${bId} server namespace disconnect$`));
        assert.ok(a.socket.connected);
    });

    it('serverSideEmit', async () => {
        const a = await client();
        emitter.serverSideEmit('hello', 'from the emitter');
        assert.deepEqual(await a.inbox.waitFor('serverSide'), ['hello', ['from the emitter']]);
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
