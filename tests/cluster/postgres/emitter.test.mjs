// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// @socket.io/postgres-emitter 0.1 (a process that is not a socket.io server) reaching the clients of a
// QtSocketIo node (qtnode --adapter postgres): emits (rooms, except, binary, over 8000 bytes, another namespace), socketsJoin,
// socketsLeave, disconnectSockets and serverSideEmit. The emitter does not count as a node.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { Emitter } from '@socket.io/postgres-emitter';
import { ask, connectClient, startPostgres, startQtNode, waitForRooms } from '../lib/postgres.mjs';

describe('@socket.io/postgres-emitter to a QtSocketIo node', () => {
    let postgres;
    let qt;
    let pool;
    let emitter;
    const clients = [];
    const client = async (nsp = '/') => {
        const c = await connectClient(qt.port, nsp);
        clients.push(c);
        return c;
    };

    before(async () => {
        postgres = await startPostgres();
        qt = await startQtNode(postgres, ['--name', 'Q']);
        pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
        pool.on('error', () => {});   // an idle client told of the server's shutdown at the end
        emitter = new Emitter(pool);
    });
    after(async () => {
        for (const c of clients) {
            c.socket.disconnect();
        }
        await qt?.stop();
        await pool?.end();
        await postgres?.destroy();
    });

    it('emits to all, to a room, except a room, binary and over 8000 bytes', async () => {
        const inRoom = await client();
        const outside = await client();
        await ask(inRoom.socket, 3000, 'join', 'green');
        emitter.emit('all', 'x', 1);
        assert.deepEqual(await inRoom.inbox.waitFor('all'), ['x', 1]);
        assert.deepEqual(await outside.inbox.waitFor('all'), ['x', 1]);
        emitter.to('green').emit('green', true);
        assert.deepEqual(await inRoom.inbox.waitFor('green'), [true]);
        emitter.except('green').emit('notGreen');
        await outside.inbox.waitFor('notGreen');
        emitter.emit('bin', Buffer.from([4, 2]));
        const [bin] = await outside.inbox.waitFor('bin');
        assert.deepEqual([...bin], [4, 2]);
        const big = 'z'.repeat(12000);
        emitter.to('green').emit('big', big);
        assert.deepEqual(await inRoom.inbox.waitFor('big'), [big]);
        emitter.emit('marker');
        await inRoom.inbox.waitFor('marker');
        await outside.inbox.waitFor('marker');
        assert.equal(outside.inbox.count('green'), 0);
        assert.equal(inRoom.inbox.count('notGreen'), 0);
        assert.equal(await ask(inRoom.socket, 3000, 'serverCount'), 1);
    });

    it('reaches another namespace', async () => {
        const chat = await client('/chat');
        emitter.of('/chat').emit('inChat', 'hello');
        assert.deepEqual(await chat.inbox.waitFor('inChat'), ['hello']);
    });

    it('socketsJoin, socketsLeave and disconnectSockets', async () => {
        const target = await client();
        await ask(target.socket, 3000, 'join', 'e1');
        emitter.in('e1').socketsJoin('e2');
        await waitForRooms(target.socket, (rooms) => rooms.includes('e2'), ask);
        emitter.in('e2').socketsLeave('e1');
        await waitForRooms(target.socket, (rooms) => !rooms.includes('e1'), ask);
        emitter.in('e2').disconnectSockets();
        assert.equal(await target.inbox.waitForDisconnect(), 'io server disconnect');
    });

    it('serverSideEmit', async () => {
        const watcher = await client();
        emitter.serverSideEmit('hello', 'from emitter');
        assert.deepEqual(await watcher.inbox.waitFor('serverSide'), ['hello', ['from emitter']]);
    });
});
