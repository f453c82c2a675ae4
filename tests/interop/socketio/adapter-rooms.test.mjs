// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Node's nsp.adapter: the room list with its members, and the adapter events create-room, delete-room,
// join-room and leave-room (QSocketIoNamespace::rooms(), roomMembers(), roomCreated(), roomDeleted(),
// roomJoined(), roomLeft()), driven by real socket.io-client sockets. A watcher socket asks the server to relay
// the namespace's room signals to it ("room" [kind, room, id]); the sequence must be Node's, in order.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VARIANTS, clientTracker, connect, emitAck, freshDynNamespace, useSioServer } from './lib/sio.mjs';

describe('namespace adapter: rooms and room events', () => {
    const ctx = useSioServer();
    const tracker = clientTracker();
    after(() => tracker.closeAll());

    for (const variant of [VARIANTS[0], VARIANTS[1]]) {
        it(`reports create/join/leave/delete in Node's order (${variant.name})`, async () => {
            const nsp = freshDynNamespace();
            const watcher = await connect(ctx.server, nsp, VARIANTS[1], {}, { tracker });
            assert.deepEqual(await emitAck(watcher.socket, 'watchRooms'), [true]);
            const rooms = () => watcher.inbox.ofEvent('room').map((e) => e.args);
            const until = (n, what) => watcher.inbox.waitFor(() => (rooms().length >= n ? true : null), 3000, what);

            const a = await connect(ctx.server, nsp, variant, {}, { tracker });
            const aid = a.socket.id;
            await until(2, "a's own room");
            assert.deepEqual(rooms(), [['create', aid, ''], ['join', aid, aid]]);

            await emitAck(a.socket, 'join', 'r');
            await until(4, 'a joins r');
            assert.deepEqual(rooms().slice(2), [['create', 'r', ''], ['join', 'r', aid]]);

            // Joining again changes nothing and says nothing.
            await emitAck(a.socket, 'join', 'r');

            const b = await connect(ctx.server, nsp, variant, {}, { tracker });
            const bid = b.socket.id;
            await emitAck(b.socket, 'join', 'r');
            await until(7, 'b connects and joins r');
            assert.deepEqual(rooms().slice(4), [['create', bid, ''], ['join', bid, bid], ['join', 'r', bid]]);

            const [members] = await emitAck(watcher.socket, 'roomMembers');
            assert.deepEqual(members.r, [aid, bid].sort());
            assert.deepEqual(members[aid], [aid]);
            assert.deepEqual(members[watcher.socket.id], [watcher.socket.id]);

            // a leaves r: the room still has b, so no delete-room.
            await emitAck(a.socket, 'leave', 'r');
            await until(8, 'a leaves r');
            assert.deepEqual(rooms().slice(7), [['leave', 'r', aid]]);

            // b goes: it leaves its own room and r, both deleted (leave-room before delete-room, as Node).
            b.socket.disconnect();
            await until(12, 'b disconnects');
            const gone = rooms().slice(8);
            assert.deepEqual(gone.filter((e) => e[1] === bid), [['leave', bid, bid], ['delete', bid, '']]);
            assert.deepEqual(gone.filter((e) => e[1] === 'r'), [['leave', 'r', bid], ['delete', 'r', '']]);

            const [after] = await emitAck(watcher.socket, 'roomMembers');
            assert.equal(after.r, undefined);
            assert.deepEqual(Object.keys(after).sort(), [aid, watcher.socket.id].sort());
            assert.equal(rooms().length, 12, `no more room events: ${JSON.stringify(rooms())}`);
        });
    }

    it('reports socketsJoin and socketsLeave from the server side', async () => {
        const nsp = freshDynNamespace();
        const watcher = await connect(ctx.server, nsp, VARIANTS[1], {}, { tracker });
        await emitAck(watcher.socket, 'watchRooms');
        const a = await connect(ctx.server, nsp, VARIANTS[1], {}, { tracker });
        const rooms = () => watcher.inbox.ofEvent('room').map((e) => e.args);
        await emitAck(a.socket, 'socketsJoin', [], 'all');
        await watcher.inbox.waitFor(() => (rooms().filter((e) => e[1] === 'all').length >= 3 ? true : null), 3000,
            'both sockets join "all"');
        const joined = rooms().filter((e) => e[1] === 'all');
        assert.deepEqual(joined[0], ['create', 'all', '']);
        assert.deepEqual(joined.slice(1).map((e) => e[2]).sort(), [watcher.socket.id, a.socket.id].sort());
        await emitAck(a.socket, 'socketsLeave', [], 'all');
        await watcher.inbox.waitFor(() => (rooms().filter((e) => e[1] === 'all').length >= 6 ? true : null), 3000,
            'both sockets leave "all"');
        assert.deepEqual(rooms().filter((e) => e[1] === 'all').at(-1), ['delete', 'all', '']);
    });
});
