// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// A mixed cluster: a QtSocketIo node (qtnode --adapter postgres) and a Node.js socket.io 4.8 node with
// @socket.io/postgres-adapter 0.5 on one PostgreSQL server, driven in both directions.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ask, connectClient, quietPeriod, startNodeNode, startPostgres, startQtNode, waitForRooms }
    from '../lib/postgres.mjs';

describe('QtSocketIo and Node.js socket.io nodes on PostgreSQL', () => {
    let postgres;
    let qt;
    let node;
    const clients = [];
    const client = async (port, nsp = '/') => {
        const c = await connectClient(port, nsp);
        clients.push(c);
        return c;
    };

    before(async () => {
        postgres = await startPostgres();
        node = await startNodeNode(postgres, { name: 'N', requestsTimeout: 3000 });
        qt = await startQtNode(postgres, ['--name', 'Q', '--requests-timeout', '3000', '--heartbeat-interval', '1000']);
    });
    after(async () => {
        for (const c of clients) {
            c.socket.disconnect();
        }
        await qt?.stop();
        await node?.close();
        await postgres?.destroy();
    });

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

    for (const [from, to] of [['node', 'qt'], ['qt', 'node']]) {
        it(`broadcasts from ${from} reach clients of ${to}: all, room, except, binary, over 8000 bytes`, async () => {
            const ports = { qt: qt.port, node: node.port };
            const sender = await client(ports[from]);
            const inRoom = await client(ports[to]);
            const outside = await client(ports[to]);
            await ask(inRoom.socket, 3000, 'join', 'blue');
            sender.socket.emit('to', [], 'all', 1, { a: [true, null, 'x'] }, 2.5);
            assert.deepEqual(await inRoom.inbox.waitFor('all'), [1, { a: [true, null, 'x'] }, 2.5]);
            assert.deepEqual(await outside.inbox.waitFor('all'), [1, { a: [true, null, 'x'] }, 2.5]);
            sender.socket.emit('to', ['blue'], 'blue', 'b');
            assert.deepEqual(await inRoom.inbox.waitFor('blue'), ['b']);
            sender.socket.emit('toExcept', [], ['blue'], 'notBlue');
            await outside.inbox.waitFor('notBlue');
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
        });

        it(`fetchSockets, socketsJoin, socketsLeave, disconnectSockets from ${from} reach ${to}`, async () => {
            const ports = { qt: qt.port, node: node.port };
            const driver = await client(ports[from]);
            const target = await client(ports[to]);
            const room = `f-${from}`;
            await ask(target.socket, 3000, 'join', room);
            await ask(target.socket, 3000, 'setData', 'who', to);
            const fetched = await ask(driver.socket, 5000, 'fetch', [room]);
            assert.equal(fetched.error, '');
            assert.equal(fetched.sockets.length, 1);
            assert.equal(fetched.sockets[0].id, target.socket.id);
            assert.deepEqual(fetched.sockets[0].data, { who: to });
            assert.ok(fetched.sockets[0].rooms.includes(room));
            assert.equal(fetched.sockets[0].handshake.address !== undefined, true);

            await ask(driver.socket, 3000, 'socketsJoin', [room], `${room}-joined`);
            await waitForRooms(target.socket, (rooms) => rooms.includes(`${room}-joined`), ask);
            await ask(driver.socket, 3000, 'socketsLeave', [room], room);
            await waitForRooms(target.socket, (rooms) => !rooms.includes(room), ask);
            await ask(driver.socket, 3000, 'disconnectSockets', [`${room}-joined`], true);
            assert.equal(await target.inbox.waitForDisconnect(), 'io server disconnect');
            assert.ok(driver.socket.connected);
        });

        it(`serverSideEmit with and without acks from ${from}`, async () => {
            const ports = { qt: qt.port, node: node.port };
            const names = { qt: 'Q', node: 'N' };
            const driver = await client(ports[from]);
            const watcher = await client(ports[to]);
            await ask(driver.socket, 3000, 'serverSideEmit', 'hello', 'w', 3);
            assert.deepEqual(await watcher.inbox.waitFor('serverSide'), ['hello', ['w', 3]]);
            const result = await ask(driver.socket, 5000, 'serverSideEmitWithAck', 'ping', { n: 1 });
            assert.equal(result.error, '');
            assert.deepEqual(result.responses, [{ node: names[to], event: 'ping', args: [{ n: 1 }] }]);
        });

        it(`broadcast with acks from ${from} counts and collects the answers of ${to}'s clients`, async () => {
            const ports = { qt: qt.port, node: node.port };
            const driver = await client(ports[from]);
            const local = await client(ports[from]);
            const remote = await client(ports[to]);
            const room = `ask-${from}`;
            await ask(local.socket, 3000, 'join', room);
            await ask(remote.socket, 3000, 'join', room);
            local.socket.on('question', (ack) => ack('local'));
            remote.socket.on('question', (ack) => ack(Buffer.from([5])));
            const result = await ask(driver.socket, 6000, 'askAll', [room], 'question', 3000);
            assert.equal(result.timedOut, false, result.error);
            assert.equal(result.responses.length, 2);
            assert.ok(result.responses.includes('local'));
            assert.deepEqual([...result.responses.find((r) => typeof r !== 'string')], [5]);
        });
    }
});
