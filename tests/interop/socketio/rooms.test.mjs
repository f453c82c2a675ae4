// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Group 6: rooms and the broadcast operators with 24 clients in one (fresh, dynamic) namespace.
// Every client checks exactly which marked events it must and must not receive: once the expected
// ones arrived, a bounded quiet period proves nothing else (and no duplicate) came.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
    VARIANTS, bytes, clientTracker, connect, emitAck, freshDynNamespace, normalize, quietPeriod, useSioServer,
    withTimeout,
} from './lib/sio.mjs';

const N = 24;
const QUIET_MS = 200;
const ALL = Array.from({ length: N }, (_, i) => i);
const inR1 = (i) => i % 2 === 0; // 12 clients
const inR2 = (i) => i % 3 === 0; // 8 clients
const inR3 = (i) => i % 4 === 1; // 6 clients, disjoint from r1
const ROOMS_OF = (i) => [inR1(i) && 'r1', inR2(i) && 'r2', inR3(i) && 'r3'].filter(Boolean);
const S = 6; // in r1 and r2, not in r3
const T = 9; // in r2 and r3, not in r1
const U = 5; // in r3 only

describe('rooms and broadcast operators', () => {
    const ctx = useSioServer();

    for (const variant of VARIANTS) {
        describe(`${N} clients over ${variant.name}`, () => {
            const tracker = clientTracker();
            const clients = [];
            let nsp;
            let markerCounter = 0;

            before(async () => {
                nsp = freshDynNamespace();
                for (let i = 0; i < N; i++) {
                    const c = await connect(ctx.server, nsp, variant, {}, { tracker });
                    c.index = i;
                    clients.push(c);
                }
                for (const c of clients) {
                    for (const room of ROOMS_OF(c.index)) {
                        const [rooms] = await emitAck(c.socket, 'join', room);
                        assert.ok(rooms.includes(room) && rooms.includes(c.socket.id),
                            `join ${room} acked rooms ${JSON.stringify(rooms)}`);
                    }
                }
            });
            after(() => tracker.closeAll());
            afterEach(() => {
                for (const c of clients) {
                    assert.equal(c.inbox.disconnectInfo, null, `client ${c.index} got disconnected`);
                }
            });

            /** How many times client c received an 'evt' with this marker. */
            const countOf = (c, marker) => c.inbox.ofEvent('evt').filter((e) => e.args[0] === marker).length;

            const expectations = new Map(); // marker -> Set of client indexes

            function wrongReceivers(marker) {
                const expectedSet = expectations.get(marker);
                const wrong = [];
                for (const c of clients) {
                    const n = countOf(c, marker);
                    const want = expectedSet.has(c.index) ? 1 : 0;
                    if (n !== want) {
                        wrong.push(`client ${c.index} (rooms ${ROOMS_OF(c.index).join(',') || '-'}) got ${n}, want ${want}`);
                    }
                }
                return wrong;
            }

            /**
             * Runs `emit(marker)` from `sender` and checks that exactly the clients in `expected` get one
             * 'evt' with the marker, and the others none. To know when "nothing else" can still come, the
             * sender then emits a 'fence' event to everybody: the server handles a socket's packets in
             * order and each connection delivers in order, so once every client has the fence, the
             * operation's events are all in. (The last test also rechecks everything after a quiet period.)
             * Returns the args each receiver saw.
             */
            async function check(expected, sender, emit) {
                markerCounter += 1;
                const marker = `m${markerCounter}-${variant.name}`;
                const expectedSet = new Set(expected);
                expectations.set(marker, expectedSet);
                emit(sock(sender), marker);
                sock(sender).emit('toExcept', [], [], 'fence', marker);
                await withTimeout(Promise.all(clients.map((c) => c.inbox.waitFor(
                    () => c.inbox.ofEvent('fence').some((e) => e.args[0] === marker), 3000,
                    `client ${c.index}: fence after ${marker}`))), 3500, `the fence after ${marker}`);
                assert.deepEqual(wrongReceivers(marker), [], `receivers of ${marker}`);
                return clients.filter((c) => expectedSet.has(c.index)).map((c) =>
                    c.inbox.ofEvent('evt').find((e) => e.args[0] === marker).args);
            }

            const sock = (i) => clients[i].socket;

            it('to one room: every member, the sender included', async () => {
                await check(ALL.filter(inR1), S, (s, m) => s.emit('to', ['r1'], 'evt', m));
            });

            it('to one room the sender is not in', async () => {
                await check(ALL.filter(inR3), S, (s, m) => s.emit('to', ['r3'], 'evt', m));
            });

            it('to several rooms: the union, once per client even if in two of them', async () => {
                await check(ALL.filter((i) => inR1(i) || inR2(i)), S, (s, m) => s.emit('to', ['r1', 'r2'], 'evt', m));
                await check(ALL.filter((i) => inR1(i) || inR2(i) || inR3(i)),
                    T, (s, m) => s.emit('to', ['r1', 'r2', 'r3', 'r2'], 'evt', m));
            });

            it('to a socket id (its own room): that socket only', async () => {
                const target = 17;
                await check([target], S, (s, m) => s.emit('to', [sock(target).id], 'evt', m));
            });

            it('to a room nobody is in: nobody', async () => {
                await check([], S, (s, m) => s.emit('to', ['empty-room'], 'evt', m));
            });

            it('broadcast from a sender: everybody else', async () => {
                await check(ALL.filter((i) => i !== S), S, (s, m) => s.emit('broadcast', 'evt', m));
            });

            it('toExcept: room minus room', async () => {
                await check(ALL.filter((i) => inR1(i) && !inR2(i)), S, (s, m) => s.emit('toExcept', ['r1'], ['r2'], 'evt', m));
            });

            it('toExcept: several rooms minus a room, sender included when it matches', async () => {
                await check(ALL.filter((i) => (inR1(i) || inR3(i)) && !inR2(i)),
                    U, (s, m) => s.emit('toExcept', ['r1', 'r3'], ['r2'], 'evt', m));
            });

            it('toExcept with no rooms: all sockets but the excepted rooms', async () => {
                await check(ALL.filter((i) => !inR3(i)), S, (s, m) => s.emit('toExcept', [], ['r3'], 'evt', m));
                await check(ALL.filter((i) => i !== 3), S, (s, m) => s.emit('toExcept', [], [sock(3).id], 'evt', m));
            });

            it('toExcept with no rooms and no exceptions: everybody, the sender included', async () => {
                await check(ALL, S, (s, m) => s.emit('toExcept', [], [], 'evt', m));
            });

            it('socketToExcept: the rooms minus the exceptions, never the sender', async () => {
                await check(ALL.filter((i) => (inR1(i) || inR3(i)) && !inR2(i) && i !== U),
                    U, (s, m) => s.emit('socketToExcept', ['r1', 'r3'], ['r2'], 'evt', m));
                await check(ALL.filter((i) => inR1(i) && i !== S), S, (s, m) => s.emit('socketToExcept', ['r1'], [], 'evt', m));
            });

            it('socketToExcept with no rooms: everybody but the exceptions and the sender', async () => {
                await check(ALL.filter((i) => !inR1(i) && i !== U), U, (s, m) => s.emit('socketToExcept', [], ['r1'], 'evt', m));
            });

            it('room broadcasts carry nested binary arguments to every receiver', async () => {
                const payload = { list: [bytes(0), bytes(1, 1)], big: bytes(50000, 2), n: 7 };
                const got = await check(ALL.filter(inR2), S, (s, m) => s.emit('to', ['r2'], 'evt', m, payload, bytes(3, 3)));
                for (const args of got) {
                    assert.deepEqual(normalize(args.slice(1)), [payload, bytes(3, 3)]);
                }
            });

            it('leave: a socket that left a room no longer gets its events; rejoining brings it back', async () => {
                const [rooms] = await emitAck(sock(0), 'leave', 'r1');
                assert.ok(!rooms.includes('r1'), `rooms after leave: ${JSON.stringify(rooms)}`);
                assert.ok(rooms.includes(sock(0).id) && rooms.includes('r2'));
                await check(ALL.filter((i) => inR1(i) && i !== 0), S, (s, m) => s.emit('to', ['r1'], 'evt', m));
                await emitAck(sock(0), 'join', 'r1');
                await check(ALL.filter(inR1), S, (s, m) => s.emit('to', ['r1'], 'evt', m));
            });

            it('a room is per namespace: the same room name elsewhere gets nothing', async () => {
                const other = await connect(ctx.server, '/', variant, {}, { tracker });
                await emitAck(other.socket, 'join', 'r1');
                const got = await check(ALL.filter(inR1), S, (s, m) => s.emit('to', ['r1'], 'evt', m));
                assert.ok(got.length > 0);
                assert.deepEqual(other.inbox.ofEvent('evt'), []);
                assert.deepEqual(other.inbox.ofEvent('fence'), []);
            });

            it(`after a ${QUIET_MS} ms quiet period every client still has exactly its expected events`, async () => {
                await quietPeriod(QUIET_MS);
                const wrong = [...expectations.keys()].flatMap((marker) =>
                    wrongReceivers(marker).map((w) => `${marker}: ${w}`));
                assert.deepEqual(wrong, []);
                const total = clients.reduce((n, c) => n + c.inbox.ofEvent('evt').length, 0);
                const expectedTotal = [...expectations.values()].reduce((n, set) => n + set.size, 0);
                assert.equal(total, expectedTotal);
            });
        });
    }
});
