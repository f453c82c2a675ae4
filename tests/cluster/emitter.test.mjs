// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The backend's emitter (@socket.io/redis-emitter 5.1 / @socket.io/postgres-emitter 0.1) from this process, a
// process that is not a socket.io server, reaches the clients of a QtSocketIo node: emit (binary and over 8000
// bytes included), to a room, except a room, another namespace, socketsJoin, socketsLeave, disconnectSockets and
// serverSideEmit.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BACKEND, ask, connectClient, startBackend, waitForRooms } from './lib/backend.mjs';

describe(`@socket.io/${BACKEND}-emitter to a QtSocketIo node`, () => {
    let backend;
    let qt;
    let emitter;
    let emitterHandle;
    const clients = [];
    const client = async (nsp = '/') => {
        const c = await connectClient(qt.port, nsp);
        clients.push(c);
        return c;
    };

    before(async () => {
        backend = await startBackend();
        qt = await backend.startQtNode(['--name', 'Q']);
        emitterHandle = await backend.startEmitter();
        emitter = emitterHandle.emitter;
    });
    after(async () => {
        for (const c of clients) {
            c.socket.disconnect();
        }
        await qt?.stop();
        await emitterHandle?.close();
        await backend?.stop();
    });

    it('emits to all, to a room, except a room, binary, over 8000 bytes and another namespace', async () => {
        const inRoom = await client();
        const outside = await client();
        const chat = await client('/chat');
        await ask(inRoom.socket, 3000, 'join', 'green');
        emitter.emit('all', 1, 'two', { three: [3] });
        assert.deepEqual(await inRoom.inbox.waitFor('all'), [1, 'two', { three: [3] }]);
        assert.deepEqual(await outside.inbox.waitFor('all'), [1, 'two', { three: [3] }]);
        emitter.to('green').emit('green', true);
        assert.deepEqual(await inRoom.inbox.waitFor('green'), [true]);
        emitter.except('green').emit('notGreen');
        await outside.inbox.waitFor('notGreen');
        emitter.emit('bin', Buffer.from([1, 2, 3]));
        const [bin] = await inRoom.inbox.waitFor('bin');
        assert.deepEqual([...bin], [1, 2, 3]);
        const [bin2] = await outside.inbox.waitFor('bin');
        assert.deepEqual([...bin2], [1, 2, 3]);
        const big = 'z'.repeat(12000);
        emitter.to('green').emit('big', big);
        assert.deepEqual(await inRoom.inbox.waitFor('big'), [big]);
        emitter.of('/chat').emit('chat', 'hi');
        assert.deepEqual(await chat.inbox.waitFor('chat'), ['hi']);
        emitter.emit('marker');
        await inRoom.inbox.waitFor('marker');
        await outside.inbox.waitFor('marker');
        assert.equal(outside.inbox.count('green'), 0);
        assert.equal(outside.inbox.count('big'), 0);
        assert.equal(inRoom.inbox.count('notGreen'), 0);
        assert.equal(inRoom.inbox.count('chat'), 0);
        assert.equal(await ask(inRoom.socket, 3000, 'serverCount'), 1);
    });

    it('reaches another namespace', async () => {
        const chat = await client('/chat');
        emitter.of('/chat').emit('inChat', 'hello');
        assert.deepEqual(await chat.inbox.waitFor('inChat'), ['hello']);
    });

    it('socketsJoin, socketsLeave and disconnectSockets', async () => {
        const a = await client();
        const b = await client();
        await ask(a.socket, 3000, 'join', 'e1');
        emitter.in('e1').socketsJoin('e2');
        await waitForRooms(a.socket, (rooms) => rooms.includes('e2'));
        emitter.in(a.socket.id).socketsJoin('joined');
        await waitForRooms(a.socket, (rooms) => rooms.includes('joined'));
        emitter.in('e2').socketsLeave('e1');
        await waitForRooms(a.socket, (rooms) => !rooms.includes('e1'));
        emitter.in('joined').socketsLeave('joined');
        await waitForRooms(a.socket, (rooms) => !rooms.includes('joined'));
        const bId = b.socket.id;
        emitter.in(bId).disconnectSockets(true);
        // The DISCONNECT packet goes out before the connection closes, as with Node.
        assert.equal(await b.inbox.waitForDisconnect(), 'io server disconnect');
        await qt.waitForLine(new RegExp(`^DISCONNECT / ${bId} server namespace disconnect$`));
        assert.ok(a.socket.connected);
        emitter.in('e2').disconnectSockets();
        assert.equal(await a.inbox.waitForDisconnect(), 'io server disconnect');
    });

    it('serverSideEmit', async () => {
        const watcher = await client();
        emitter.serverSideEmit('hello', 'from the emitter');
        assert.deepEqual(await watcher.inbox.waitFor('serverSide'), ['hello', ['from the emitter']]);
    });
});
