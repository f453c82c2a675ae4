// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Two QtSocketIo nodes (qtnode --adapter $CLUSTER_BACKEND) on one Redis / PostgreSQL server: clients of node A see
// what node B does, and the cluster-wide operations reach across. On PostgreSQL, binary and large payloads go
// through the attachment table, which is cleaned up. Also measures the cross-node broadcast latency.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BACKEND, LABEL, ask, connectClient, quietPeriod, startBackend, waitForRooms } from './lib/backend.mjs';
import { query } from './lib/postgres.mjs';

const onRedis = BACKEND === 'redis';

describe(`two QtSocketIo nodes on ${LABEL}`, () => {
    let backend;
    let a;
    let b;
    const clients = [];
    const client = async (node, nsp = '/') => {
        const c = await connectClient(node.port, nsp);
        clients.push(c);
        return c;
    };
    const attachments = async () =>
        (await query(backend.server, 'SELECT count(*)::int AS n FROM socket_io_attachments')).rows[0].n;

    before(async () => {
        backend = await startBackend();
        a = await backend.startQtNode(['--name', 'A', '--requests-timeout', '1500',
            ...(onRedis ? [] : ['--cleanup-interval', '1000'])]);
        // Redis: B answers on the requester's own response channel (publishOnSpecificResponseChannel), A on the
        // common one.
        b = await backend.startQtNode(['--name', 'B', '--requests-timeout', '1500',
            ...(onRedis ? ['--specific-response-channel'] : [])]);
    });
    after(async () => {
        for (const c of clients) {
            c.socket.disconnect();
        }
        await a?.stop();
        await b?.stop();
        await backend?.stop();
    });

    it(onRedis ? 'counts two nodes (PUBSUB NUMSUB of the request channel)' : 'counts two nodes from the heartbeats',
        async () => {
            const { socket } = await client(a);
            const other = await client(b);
            // Redis counts at once; PostgreSQL once the heartbeats went round.
            for (let i = 0; i < 100 && await ask(socket, 3000, 'serverCount') !== 2; i++) {
                await quietPeriod(20);
            }
            assert.equal(await ask(socket, 3000, 'serverCount'), 2);
            assert.equal(await ask(other.socket, 3000, 'serverCount'), 2);
            socket.disconnect();
        });

    it('broadcasts from B reach clients of A: all, to a room, except a room, binary, over 8000 bytes', async () => {
        const a1 = await client(a);
        const a2 = await client(a);
        const b1 = await client(b);
        await ask(a1.socket, 3000, 'join', 'red');
        b1.socket.emit('to', [], 'all', 1, { x: 'y' });
        assert.deepEqual(await a1.inbox.waitFor('all'), [1, { x: 'y' }]);
        assert.deepEqual(await a2.inbox.waitFor('all'), [1, { x: 'y' }]);
        b1.socket.emit('to', ['red'], 'red', 'only');
        assert.deepEqual(await a1.inbox.waitFor('red'), ['only']);
        b1.socket.emit('toExcept', [], ['red'], 'notRed', 2);
        assert.deepEqual(await a2.inbox.waitFor('notRed'), [2]);
        b1.socket.emit('to', [], 'bin', Buffer.from([1, 2, 3]), 'text');
        const [bin, text] = await a1.inbox.waitFor('bin');
        assert.deepEqual([...bin], [1, 2, 3]);
        assert.equal(text, 'text');
        const big = 'x'.repeat(20000);
        b1.socket.emit('to', [], 'big', big);
        assert.equal((await a2.inbox.waitFor('big'))[0], big);
        b1.socket.emit('to', [], 'marker');
        await a1.inbox.waitFor('marker');
        await a2.inbox.waitFor('marker');
        assert.equal(a2.inbox.count('red'), 0);
        assert.equal(a1.inbox.count('notRed'), 0);
        assert.equal(b1.inbox.count('all'), 1);   // once: not echoed back through the backend
        if (!onRedis) {
            // The binary and the big message went through the attachment table.
            const n = await attachments();
            assert.ok(n >= 2, `attachments: ${n}`);
        }
    });

    it('namespaces are separate channels', async () => {
        const chatA = await client(a, '/chat');
        const mainA = await client(a, '/');
        const chatB = await client(b, '/chat');
        chatB.socket.emit('to', [], 'inChat', 'hi');
        assert.deepEqual(await chatA.inbox.waitFor('inChat'), ['hi']);
        chatB.socket.emit('to', [], 'chatMarker');
        await chatA.inbox.waitFor('chatMarker');
        assert.equal(mainA.inbox.count('inChat'), 0);
    });

    it('fetchSockets, socketsJoin, socketsLeave and disconnectSockets across nodes', async () => {
        const a1 = await client(a);
        const b1 = await client(b);
        await ask(a1.socket, 3000, 'join', 'fetchme');
        await ask(a1.socket, 3000, 'setData', 'name', 'alice');
        const fetched = await ask(b1.socket, 5000, 'fetch', ['fetchme']);
        assert.equal(fetched.error, '');
        assert.equal(fetched.sockets.length, 1);
        const [remote] = fetched.sockets;
        assert.equal(remote.id, a1.socket.id);
        assert.equal(remote.local, false);
        assert.deepEqual(remote.data, { name: 'alice' });
        assert.ok(remote.rooms.includes('fetchme'));
        assert.ok(remote.handshake.url.startsWith('/socket.io/'));

        // The other way (Redis: B answers A on A's specific response channel).
        await ask(b1.socket, 3000, 'join', 'fetchme');
        const fromA = await ask(a1.socket, 5000, 'fetch', ['fetchme']);
        assert.equal(fromA.error, '');
        assert.deepEqual(fromA.sockets.map((s) => s.id).sort(), [a1.socket.id, b1.socket.id].sort());

        await ask(b1.socket, 3000, 'socketsJoin', [a1.socket.id], 'joined');
        await waitForRooms(a1.socket, (rooms) => rooms.includes('joined'));
        await ask(b1.socket, 3000, 'socketsLeave', ['fetchme'], 'fetchme');
        await waitForRooms(a1.socket, (rooms) => !rooms.includes('fetchme'));
        await ask(b1.socket, 3000, 'disconnectSockets', ['joined'], false);
        assert.equal(await a1.inbox.waitForDisconnect(), 'io server disconnect');
        assert.ok(b1.socket.connected);
    });

    // The classic Redis adapter answers a server-side emit in JSON (as Node's does): binary travels on PostgreSQL.
    it(onRedis ? 'serverSideEmit with and without acks' : 'serverSideEmit with and without acks, binary included',
        async () => {
            const a1 = await client(a);
            const b1 = await client(b);
            await ask(b1.socket, 3000, 'serverSideEmit', 'hello', 1, 'two');
            assert.deepEqual(await a1.inbox.waitFor('serverSide'), ['hello', [1, 'two']]);
            const result = await ask(b1.socket, 5000, 'serverSideEmitWithAck', 'ping', 42);
            assert.deepEqual(result, { responses: [{ node: 'A', event: 'ping', args: [42] }], error: '' });
            if (onRedis) {
                return;
            }
            const binary = await ask(b1.socket, 5000, 'serverSideEmitWithAck', 'ping', Buffer.from([9, 8]));
            assert.equal(binary.error, '');
            assert.deepEqual([...binary.responses[0].args[0]], [9, 8]);
        });

    it('broadcast with acks counts the clients of every node, and times out', async () => {
        const a1 = await client(a);
        const b1 = await client(b);
        await ask(a1.socket, 3000, 'join', 'askme');
        await ask(b1.socket, 3000, 'join', 'askme');
        a1.socket.on('question', (ack) => ack('from a1'));
        b1.socket.on('question', (ack) => ack('from b1'));
        const result = await ask(b1.socket, 5000, 'askAll', ['askme'], 'question', 3000);
        assert.equal(result.timedOut, false);
        assert.equal(result.expected, 2);
        assert.deepEqual(result.responses.sort(), ['from a1', 'from b1']);

        const silent = await client(a);
        await ask(silent.socket, 3000, 'join', 'askme');   // never answers
        const late = await ask(b1.socket, 5000, 'askAll', ['askme'], 'question', 500);
        assert.equal(late.timedOut, true);
        assert.equal(late.error, 'operation has timed out');
        assert.deepEqual(late.responses.sort(), ['from a1', 'from b1']);
    });

    it('drops broken and unknown messages on its channels and keeps going', async () => {
        if (onRedis) {
            const { createClient } = await import('redis');
            const pub = createClient({ url: backend.server.url });
            await pub.connect();
            try {
                await pub.publish('socket.io#/#', Buffer.from([0xc1, 0xff, 0x00]));
                await pub.publish('socket.io-request#/#', '{"type": 99}');
                await pub.publish('socket.io-request#/#', '{not json');
                await pub.publish('socket.io-response#/#', Buffer.from([0x93, 0x01]));
            } finally {
                await pub.quit();
            }
        } else {
            const notify = (payload) => query(backend.server, 'SELECT pg_notify($1, $2)', ['socket.io#/', payload]);
            await notify('{not json');
            await notify('{"uid":"x","nsp":"/","type":99}');
            await notify('{"uid":"x","nsp":"/","type":3,"data":{}}');
            await notify('{"uid":"x","type":3,"attachmentId":"999999"}');
            await notify('[1,2]');
        }
        const a1 = await client(a);
        const b1 = await client(b);
        b1.socket.emit('to', [], 'stillFine');
        await a1.inbox.waitFor('stillFine');
        assert.equal(a.exited, null);
        assert.equal(b.exited, null);
        if (!onRedis) {
            for (let i = 0; i < 250 && !/dropped/.test(a.stderr()); i++) {
                await quietPeriod(20);
            }
            assert.match(a.stderr(), /dropped a broken message/);
        }
    });

    it('cleans up old attachments (cleanupInterval)', { skip: onRedis && 'PostgreSQL only' }, async () => {
        const b1 = await client(b);
        b1.socket.emit('to', [], 'bin2', Buffer.from([7]));
        let n = -1;
        for (let i = 0; i < 100; i++) {
            n = await attachments();
            if (n === 0) {
                break;
            }
            await quietPeriod(100);
        }
        assert.equal(n, 0);
    });

    it(`measures the cross-node broadcast latency (client on A -> node A -> ${LABEL} -> node B -> client on B)`,
        async () => {
            const sender = await client(a);
            const receiver = await client(b);
            const samples = [];
            for (let i = 0; i < 200; i++) {
                const t0 = process.hrtime.bigint();
                sender.socket.emit('to', [], 'lat', i);
                await receiver.inbox.waitFor('lat', 3000, (args) => args[0] === i);
                samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
            }
            samples.sort((x, y) => x - y);
            const pct = (p) => samples[Math.min(samples.length - 1, Math.floor(samples.length * p))].toFixed(2);
            console.log(`cross-node broadcast latency through ${LABEL} over ${samples.length} round trips: ` +
                `median ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms`);
            assert.equal(samples.length, 200);
        });
});
