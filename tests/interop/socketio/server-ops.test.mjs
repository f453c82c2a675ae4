// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Group 7: the server-wide operations on matching sockets: fetchSockets (with socket.data set by
// "setData"), socketsJoin, socketsLeave and disconnectSockets (close false / true), plus
// serverSideEmit (a no-op with a single node).

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
    SERVER_REASONS, SioInbox, VARIANTS, awaitConnect, clientTracker, connect, emitAck, freshDynNamespace,
    quietPeriod, useSioServer,
    waitDisconnectLine, withTimeout,
} from './lib/sio.mjs';

const sortedRooms = (rooms) => [...rooms].sort();

describe('fetchSockets, socketsJoin, socketsLeave, disconnectSockets', () => {
    const ctx = useSioServer();
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    for (const variant of VARIANTS) {
        /** c0: no room; c1, c2: a; c3: b; c4: a and b. */
        async function setup() {
            const nsp = freshDynNamespace();
            const c = [];
            for (let i = 0; i < 5; i++) {
                c.push(await connect(ctx.server, nsp, variant, {}, { tracker }));
            }
            const plan = [[], ['a'], ['a'], ['b'], ['a', 'b']];
            for (let i = 0; i < 5; i++) {
                for (const room of plan[i]) {
                    await emitAck(c[i].socket, 'join', room);
                }
            }
            return { nsp, c, s: (i) => c[i].socket, id: (i) => c[i].socket.id };
        }

        /** fetch(rooms) from c0 as a map id -> { rooms (sorted), data }; checks there are no duplicates. */
        async function fetchMap(requester, rooms) {
            const [list] = await emitAck(requester, 'fetch', rooms);
            assert.ok(Array.isArray(list), `fetch answered ${JSON.stringify(list)}`);
            const map = new Map(list.map((e) => [e.id, { rooms: sortedRooms(e.rooms), data: e.data }]));
            assert.equal(map.size, list.length, `duplicate sockets in ${JSON.stringify(list)}`);
            return map;
        }

        it(`${variant.name}: fetch returns ids, rooms and data (setData) of the matching sockets`, async () => {
            const { s, id } = await setup();
            await emitAck(s(1), 'setData', 'name', 'one');
            await emitAck(s(1), 'setData', 'nested', { x: [1, 2, { y: null }], ok: true });
            await emitAck(s(3), 'setData', 'name', 'three');
            await emitAck(s(3), 'setData', 'name', 'THREE'); // overwrite

            const all = await fetchMap(s(0), []);
            assert.deepEqual([...all.keys()].sort(), [0, 1, 2, 3, 4].map(id).sort());
            assert.deepEqual(all.get(id(0)).rooms, [id(0)]);
            assert.deepEqual(all.get(id(1)).rooms, sortedRooms([id(1), 'a']));
            assert.deepEqual(all.get(id(3)).rooms, sortedRooms([id(3), 'b']));
            assert.deepEqual(all.get(id(4)).rooms, sortedRooms([id(4), 'a', 'b']));
            assert.deepEqual(all.get(id(1)).data, { name: 'one', nested: { x: [1, 2, { y: null }], ok: true } });
            assert.deepEqual(all.get(id(3)).data, { name: 'THREE' });
            assert.deepEqual(all.get(id(0)).data ?? {}, {});

            assert.deepEqual([...(await fetchMap(s(0), ['a'])).keys()].sort(), [1, 2, 4].map(id).sort());
            assert.deepEqual([...(await fetchMap(s(0), ['a', 'b'])).keys()].sort(), [1, 2, 3, 4].map(id).sort());
            assert.deepEqual([...(await fetchMap(s(0), [id(2)])).keys()], [id(2)]);
            assert.deepEqual([...(await fetchMap(s(0), ['nobody'])).keys()], []);
        });

        it(`${variant.name}: fetch only sees its own namespace`, async () => {
            const { s } = await setup();
            const elsewhere = await connect(ctx.server, freshDynNamespace(), variant, {}, { tracker });
            await emitAck(elsewhere.socket, 'join', 'a');
            const [list] = await emitAck(elsewhere.socket, 'fetch', []);
            assert.deepEqual(list.map((e) => e.id), [elsewhere.socket.id]);
            assert.equal((await fetchMap(s(0), ['a'])).size, 3);
        });

        it(`${variant.name}: socketsJoin / socketsLeave change the rooms of the matching sockets`, async () => {
            const { c, s, id } = await setup();
            await emitAck(s(0), 'socketsJoin', ['a'], 'x');
            let all = await fetchMap(s(0), []);
            for (const i of [1, 2, 4]) {
                assert.ok(all.get(id(i)).rooms.includes('x'), `client ${i} should be in x`);
            }
            for (const i of [0, 3]) {
                assert.ok(!all.get(id(i)).rooms.includes('x'), `client ${i} should not be in x`);
            }
            // events to the new room reach exactly those
            s(0).emit('to', ['x'], 'evt', 'to-x');
            await Promise.all([1, 2, 4].map((i) => c[i].inbox.nth('evt')));
            await quietPeriod(150);
            assert.deepEqual([0, 1, 2, 3, 4].map((i) => c[i].inbox.ofEvent('evt').length), [0, 1, 1, 0, 1]);

            await emitAck(s(0), 'socketsJoin', [], 'everyone');
            all = await fetchMap(s(0), ['everyone']);
            assert.equal(all.size, 5);

            await emitAck(s(0), 'socketsLeave', ['b'], 'everyone');
            assert.deepEqual([...(await fetchMap(s(0), ['everyone'])).keys()].sort(), [0, 1, 2].map(id).sort());

            await emitAck(s(0), 'socketsLeave', [], 'x');
            assert.deepEqual([...(await fetchMap(s(0), ['x'])).keys()], []);
            // the own-id room cannot be lost by leaving other rooms
            all = await fetchMap(s(0), []);
            for (let i = 0; i < 5; i++) {
                assert.ok(all.get(id(i)).rooms.includes(id(i)));
            }
        });

        it(`${variant.name}: disconnectSockets(rooms, false) disconnects the namespace sockets only`, async () => {
            const { nsp, c, s, id } = await setup();
            const ids = [0, 1, 2, 3, 4].map(id);
            await emitAck(s(0), 'disconnectSockets', ['b'], false);
            for (const i of [3, 4]) {
                assert.equal((await c[i].inbox.disconnected(3000)).reason, 'io server disconnect');
                assert.equal(await waitDisconnectLine(ctx.server, nsp, ids[i]), 'server namespace disconnect');
            }
            assert.deepEqual([...(await fetchMap(s(0), [])).keys()].sort(), [0, 1, 2].map(id).sort());
            for (const i of [0, 1, 2]) {
                assert.equal(c[i].inbox.disconnectInfo, null);
            }
            // close=false: the engine connection of client 3 stays up as far as the server is concerned;
            // the client may close its Manager itself once no namespace is left, which is fine.

            // all of the rest, the requester included: its own ack may not come, so wait for the disconnects
            s(0).emit('disconnectSockets', [], false, () => {});
            for (const i of [0, 1, 2]) {
                assert.equal((await c[i].inbox.disconnected(3000)).reason, 'io server disconnect');
                assert.equal(await waitDisconnectLine(ctx.server, nsp, ids[i]), 'server namespace disconnect');
            }
        });

        it(`${variant.name}: disconnectSockets(rooms, true) also closes the connections`, async (t) => {
            const { nsp, c, s, id } = await setup();
            const ids = [0, 1, 2, 3, 4].map(id); // socket.id is gone once disconnected
            const target = [1, 2];
            // client 1 also has /chat open on the same engine connection: closing the connection must end
            // that one too (the client alone would keep its Manager open while /chat is active)
            const chat = c[1].socket.io.socket('/chat');
            const chatInbox = new SioInbox(chat);
            await awaitConnect(chat, 3000, 'client 1: /chat on the same connection');
            const chatId = chat.id;
            const engineClosed = target.map((i) => withTimeout(new Promise((resolve) =>
                c[i].socket.io.engine.once('close', resolve)), 3000, `client ${i}: engine close`));
            await emitAck(s(0), 'disconnectSockets', [ids[1], ids[2]], true);
            for (const i of target) {
                const { reason } = await c[i].inbox.disconnected(3000);
                t.diagnostic(`client ${i} reason: ${reason}`);
                assert.ok(['io server disconnect', 'transport close'].includes(reason), `client reason ${reason}`);
                const serverReason = await waitDisconnectLine(ctx.server, nsp, ids[i]);
                t.diagnostic(`server reason: ${serverReason}`);
                assert.ok(SERVER_REASONS.includes(serverReason), `server reason ${serverReason}`);
            }
            await Promise.all(engineClosed);
            const chatReason = (await chatInbox.disconnected(3000)).reason;
            assert.ok(['io server disconnect', 'transport close'].includes(chatReason), `/chat reason ${chatReason}`);
            assert.ok(SERVER_REASONS.includes(await waitDisconnectLine(ctx.server, '/chat', chatId)));
            assert.deepEqual([...(await fetchMap(s(0), [])).keys()].sort(), [0, 3, 4].map((i) => ids[i]).sort());
        });

        it(`${variant.name}: serverSideEmit is a no-op with one node and acks "done"`, async () => {
            const { socket, inbox } = await connect(ctx.server, '/', variant, {}, { tracker });
            assert.deepEqual(await emitAck(socket, 'serverSideEmit'), ['done']);
            assert.deepEqual(inbox.events.filter((e) => e.event === 'x'), []);
        });
    }
});
