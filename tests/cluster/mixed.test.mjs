// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// A mixed cluster: one QtSocketIo node (qtnode --adapter $CLUSTER_BACKEND) and one Node.js socket.io 4.8 node with
// @socket.io/redis-adapter 8.3 (classic, or createShardedAdapter on a Redis Cluster of three masters for
// redis-sharded) / @socket.io/postgres-adapter 0.5 on one Redis / PostgreSQL server. Every check runs in both
// directions.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BACKEND, LABEL, ask, connectClient, quietPeriod, startBackend, waitForRooms } from './lib/backend.mjs';

const onRedis = BACKEND === 'redis';
const redisOnly = { skip: !onRedis && 'the classic Redis adapter only' };

describe(`QtSocketIo and Node.js socket.io nodes on ${LABEL}`, () => {
    let backend;
    let qt;
    let node;
    const clients = [];
    const client = async (port, nsp = '/') => {
        const c = await connectClient(port, nsp);
        clients.push(c);
        return c;
    };

    before(async () => {
        backend = await startBackend();
        // Redis: short requests so that the timeout case below stays short.
        const requestsTimeout = onRedis ? 1500 : 3000;
        const qtArgs = ['--name', 'qt', '--requests-timeout', String(requestsTimeout),
            ...(onRedis ? [] : ['--heartbeat-interval', '1000'])];
        if (onRedis) {
            qt = await backend.startQtNode(qtArgs);
            node = await backend.startNodeNode({ name: 'node', requestsTimeout });
        } else {
            node = await backend.startNodeNode({ name: 'node', requestsTimeout });
            qt = await backend.startQtNode(qtArgs);
        }
    });
    after(async () => {
        for (const c of clients) {
            c.socket.disconnect();
        }
        await qt?.stop();
        await node?.close();
        await backend?.stop();
    });

    const portOf = (name) => (name === 'qt' ? qt.port : node.port);
    // A client of `side` joins `room`; on a Node.js node in a dynamic sharded mode, also until Redis counts the
    // node's subscription to the room's channel (see waitForRoomChannel in lib/redis-sharded.mjs).
    const joinRoom = async (c, side, room) => {
        await ask(c.socket, 3000, 'join', room);
        if (side === 'node') {
            await node.waitForRoomChannel?.(room);
        }
    };

    it('each side counts two nodes', async () => {
        const q1 = await client(qt.port);
        const n1 = await client(node.port);
        for (let i = 0; i < 100; i++) {
            if (await ask(q1.socket, 3000, 'serverCount') === 2 && await ask(n1.socket, 3000, 'serverCount') === 2) {
                break;
            }
            await quietPeriod(20);
        }
        assert.equal(await ask(q1.socket, 3000, 'serverCount'), 2);
        assert.equal(await ask(n1.socket, 3000, 'serverCount'), 2);
    });

    // [from, to]: the node whose client asks, the node whose clients are checked.
    for (const [from, to] of [['node', 'qt'], ['qt', 'node']]) {
        it(`broadcasts from ${from} reach clients of ${to}: all, room, except, binary, over 8000 bytes, /chat`,
            async () => {
                const sender = await client(portOf(from));
                const inRoom = await client(portOf(to));
                const outside = await client(portOf(to));
                await joinRoom(inRoom, to, 'blue');
                sender.socket.emit('to', [], 'all', 1, { a: [true, null, 'x'] }, 2.5);
                assert.deepEqual(await inRoom.inbox.waitFor('all'), [1, { a: [true, null, 'x'] }, 2.5]);
                assert.deepEqual(await outside.inbox.waitFor('all'), [1, { a: [true, null, 'x'] }, 2.5]);
                sender.socket.emit('to', ['blue'], 'blue', 'b');
                assert.deepEqual(await inRoom.inbox.waitFor('blue'), ['b']);
                sender.socket.emit('toExcept', [], ['blue'], 'notBlue', 2.5);
                assert.deepEqual(await outside.inbox.waitFor('notBlue'), [2.5]);
                sender.socket.emit('to', [], 'bin', Buffer.from([0, 255, 7]), { nested: Buffer.from('hi') });
                const [bin, nested] = await inRoom.inbox.waitFor('bin');
                assert.deepEqual([...bin], [0, 255, 7]);
                assert.equal(Buffer.from(nested.nested).toString(), 'hi');
                const big = 'é'.repeat(9000);
                sender.socket.emit('to', [], 'big', { big });
                assert.equal((await outside.inbox.waitFor('big'))[0].big, big);
                sender.socket.emit('to', [], 'marker');
                await inRoom.inbox.waitFor('marker');
                await outside.inbox.waitFor('marker');
                assert.equal(outside.inbox.count('blue'), 0);
                assert.equal(inRoom.inbox.count('notBlue'), 0);

                const chat = await client(portOf(to), '/chat');
                const chatSender = await client(portOf(from), '/chat');
                chatSender.socket.emit('to', [], 'inChat', 'yes');
                assert.deepEqual(await chat.inbox.waitFor('inChat'), ['yes']);
            });

        // Exact values: a leading U+FEFF is a character, in a string, a key, nested, a room name, next to binary
        // and in a payload over 8000 bytes (PostgreSQL's attachment table); through MessagePack and JSON.
        it(`values from ${from} reach clients of ${to} exactly: U+FEFF in strings, keys, rooms, nested`, async () => {
            const B = '\uFEFF';
            const sender = await client(portOf(from));
            const inRoom = await client(portOf(to));
            const outside = await client(portOf(to));
            const room = `${B}room-${from}`;
            await joinRoom(inRoom, to, room);
            await joinRoom(inRoom, to, B);
            const values = [B, `${B}x`, `${B}${B}two`, `x${B}`,
                { [`${B}k`]: `${B}v`, n: [{ [B]: [`${B}deep`, { [`${B}${B}`]: B }] }], [B]: 1 }];
            sender.socket.emit('to', [], 'bomAll', ...values);
            assert.deepStrictEqual(await inRoom.inbox.waitFor('bomAll'), values);
            assert.deepStrictEqual(await outside.inbox.waitFor('bomAll'), values);
            sender.socket.emit('to', [room], 'bomRoom', `${B}r`);
            assert.deepStrictEqual(await inRoom.inbox.waitFor('bomRoom'), [`${B}r`]);
            sender.socket.emit('to', [B], 'bomOnlyRoom', { [B]: B });
            assert.deepStrictEqual(await inRoom.inbox.waitFor('bomOnlyRoom'), [{ [B]: B }]);
            sender.socket.emit('to', [room, `${B}${B}nobody`], 'bomRooms', B);
            assert.deepStrictEqual(await inRoom.inbox.waitFor('bomRooms'), [B]);
            sender.socket.emit('toExcept', [], [room], 'bomExcept', `${B}e`);
            assert.deepStrictEqual(await outside.inbox.waitFor('bomExcept'), [`${B}e`]);
            sender.socket.emit('to', [], 'bomBin', Buffer.from([0xef, 0xbb, 0xbf]), { [`${B}k`]: [B] });
            const [bin, withKey] = await inRoom.inbox.waitFor('bomBin');
            assert.deepStrictEqual([...Buffer.from(bin)], [0xef, 0xbb, 0xbf]);
            assert.deepStrictEqual(withKey, { [`${B}k`]: [B] });
            const big = { [`${B}big`]: `${B}${'é'.repeat(9000)}` };
            sender.socket.emit('to', [], 'bomBig', big);
            // A Node.js node reading PostgreSQL's attachment table drops the leading U+FEFF itself, whoever wrote
            // it: @msgpack/msgpack 2.8 decodes a string over 200 bytes with a TextDecoder, which strips it (from
            // another Node.js node the same). The Qt node reads it exactly (the other direction).
            const nodeLoses = BACKEND === 'postgres' && to === 'node';
            const bigSeen = nodeLoses ? { [`${B}big`]: big[`${B}big`].slice(1) } : big;
            assert.deepStrictEqual(await outside.inbox.waitFor('bomBig'), [bigSeen]);
            sender.socket.emit('to', [], 'marker');
            await inRoom.inbox.waitFor('marker');
            await outside.inbox.waitFor('marker');
            assert.equal(outside.inbox.count('bomRoom'), 0);
            assert.equal(outside.inbox.count('bomRooms'), 0);
            assert.equal(inRoom.inbox.count('bomExcept'), 0);

            // A server-side emit (JSON requests on both backends).
            const watcher = await client(portOf(to));
            await ask(sender.socket, 3000, 'serverSideEmit', 'hello', ...values);
            assert.deepStrictEqual(await watcher.inbox.waitFor('serverSide'), ['hello', values]);
        });

        it(`fetchSockets, socketsJoin, socketsLeave, disconnectSockets from ${from} on clients of ${to}`, async () => {
            const driver = await client(portOf(from));
            const target = await client(portOf(to));
            const room = `fetch-${from}`;
            await joinRoom(target, to, room);
            await ask(target.socket, 3000, 'setData', 'who', to);
            const fetched = await ask(driver.socket, 5000, 'fetch', [room]);
            assert.equal(fetched.error, '');
            assert.equal(fetched.sockets.length, 1);
            const [remote] = fetched.sockets;
            assert.equal(remote.id, target.socket.id);
            assert.deepEqual(remote.data, { who: to });
            assert.ok(remote.rooms.includes(room));
            assert.ok(remote.rooms.includes(target.socket.id));
            assert.equal(typeof remote.handshake.issued, 'number');
            assert.ok(remote.handshake.url.startsWith('/socket.io/'));
            assert.equal(typeof remote.handshake.headers, 'object');
            assert.notEqual(remote.handshake.address, undefined);

            // By id and by room.
            await ask(driver.socket, 3000, 'socketsJoin', [target.socket.id], `joined-${from}`);
            await waitForRooms(target.socket, (rooms) => rooms.includes(`joined-${from}`));
            await ask(driver.socket, 3000, 'socketsJoin', [room], `${room}-joined`);
            await waitForRooms(target.socket, (rooms) => rooms.includes(`${room}-joined`));
            await ask(driver.socket, 3000, 'socketsLeave', [room], room);
            await waitForRooms(target.socket, (rooms) => !rooms.includes(room));
            // Both forms of disconnectSockets: without closing the connection (Redis), closing it (PostgreSQL).
            await ask(driver.socket, 3000, 'disconnectSockets', [`${room}-joined`], !onRedis);
            assert.equal(await target.inbox.waitForDisconnect(), 'io server disconnect');
            assert.ok(driver.socket.connected);
        });

        it(`RemoteSocket emit, join, leave and disconnect from ${from} on a client of ${to}`, async () => {
            // On the Qt node: QSocketIoRemoteSocket::emitEvent(), join(), leave(), disconnectSocket(); on the Node
            // node: RemoteSocket.emit(), join(), leave(), disconnect(). Either way through the adapter.
            const driver = await client(portOf(from));
            const target = await client(portOf(to));
            const id = target.socket.id;
            const room = `remote-${from}`;
            const emitted = await ask(driver.socket, 5000, 'remoteOp', id, 'emit', 'poke');
            assert.equal(emitted.error, '');
            assert.equal(emitted.count, 1);
            assert.equal(emitted.local, false);
            assert.deepEqual(await target.inbox.waitFor('poke'), ['from-remote']);
            await ask(driver.socket, 5000, 'remoteOp', id, 'join', room);
            await waitForRooms(target.socket, (rooms) => rooms.includes(room));
            await ask(driver.socket, 5000, 'remoteOp', id, 'leave', room);
            await waitForRooms(target.socket, (rooms) => !rooms.includes(room));
            // timeout(ms).emitWithAck(): the answer, then a timeout when the client does not answer.
            target.socket.once('question', (callback) => callback('answer'));
            const answered = await ask(driver.socket, 5000, 'remoteOp', id, 'ask', 2000);
            assert.equal(answered.timedOut, false);
            // Node resolves with the one response (expectSingleResponse); QtSocketIo answers with its arguments.
            assert.deepEqual(answered.answers, from === 'qt' ? ['answer'] : 'answer');
            target.socket.once('question', () => {});
            const silent = await ask(driver.socket, 5000, 'remoteOp', id, 'ask', 300);
            assert.equal(silent.timedOut, true);
            await ask(driver.socket, 5000, 'remoteOp', id, 'disconnect', false);
            assert.equal(await target.inbox.waitForDisconnect(), 'io server disconnect');
            assert.ok(driver.socket.connected);
        });

        it(`serverSideEmit with and without acks from ${from} to ${to}`, async () => {
            const driver = await client(portOf(from));
            const watcher = await client(portOf(to));
            await ask(driver.socket, 3000, 'serverSideEmit', 'hello', 1, 'two');
            assert.deepEqual(await watcher.inbox.waitFor('serverSide'), ['hello', [1, 'two']]);
            const result = await ask(driver.socket, 5000, 'serverSideEmitWithAck', 'ping', 42);
            assert.deepEqual(result, { responses: [{ node: to, event: 'ping', args: [42] }], error: '' });
            const withObject = await ask(driver.socket, 5000, 'serverSideEmitWithAck', 'ping', { n: 1 });
            assert.equal(withObject.error, '');
            assert.deepEqual(withObject.responses, [{ node: to, event: 'ping', args: [{ n: 1 }] }]);
        });

        it(`broadcast with acks from ${from} counts and collects the answers of ${to}'s clients, binary included`,
            async () => {
                const room = `ask-${from}`;
                const driver = await client(portOf(from));
                const local = await client(portOf(from));
                const remote = await client(portOf(to));
                await joinRoom(local, from, room);
                await joinRoom(remote, to, room);
                local.socket.on('question', (ack) => ack('local'));
                remote.socket.on('question', (ack) => ack(Buffer.from([9, 9])));
                const result = await ask(driver.socket, 6000, 'askAll', [room], 'question', 3000);
                assert.equal(result.timedOut, false, result.error);
                assert.equal(result.responses.length, 2);
                assert.ok(result.responses.includes('local'));
                assert.deepEqual([...Buffer.from(result.responses.find((r) => typeof r !== 'string'))], [9, 9]);

                const silent = await client(portOf(to));
                await joinRoom(silent, to, room);
                const late = await ask(driver.socket, 5000, 'askAll', [room], 'question', 500);
                assert.equal(late.timedOut, true);
            });
    }

    it('answers the Node adapter\'s allRooms request with the rooms of the Qt node', redisOnly, async () => {
        const q = await client(qt.port);
        const n = await client(node.port);
        await ask(q.socket, 3000, 'join', 'qt-only-room');
        const result = await ask(n.socket, 5000, 'allRooms');
        assert.equal(result.error, '');
        assert.ok(result.rooms.includes('qt-only-room'));
        assert.ok(result.rooms.includes(q.socket.id));
        assert.ok(result.rooms.includes(n.socket.id));
    });

    it('fetchSockets times out with a clear error when a node does not answer', redisOnly, async () => {
        // A third "node" that subscribes to the request channel (so it is counted) but never answers.
        const { createClient } = await import('redis');
        const mute = createClient({ url: backend.server.url });
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
