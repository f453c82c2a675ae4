// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Faults: PostgreSQL stopped and started again under two QtSocketIo nodes, and a node started while
// PostgreSQL is down. Local clients keep working throughout; the nodes reconnect, LISTEN again and count
// each other again.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ask, connectClient, quietPeriod, startPostgres, startQtNode } from '../lib/postgres.mjs';

describe('PostgreSQL restarted under QtSocketIo nodes', () => {
    let postgres;
    let a;
    let b;
    let c;
    const clients = [];
    const client = async (node) => {
        const x = await connectClient(node.port);
        clients.push(x);
        return x;
    };
    const crossNode = async (from, to, tag) => {
        from.socket.emit('to', [], 'cross', tag);
        await to.inbox.waitFor('cross', 5000, (args) => args[0] === tag);
    };

    before(async () => {
        postgres = await startPostgres();
        const fast = ['--heartbeat-interval', '500', '--heartbeat-timeout', '1500', '--requests-timeout', '1500'];
        a = await startQtNode(postgres, ['--name', 'A', ...fast]);
        b = await startQtNode(postgres, ['--name', 'B', ...fast]);
    });
    after(async () => {
        for (const x of clients) {
            x.socket.disconnect();
        }
        await a?.stop();
        await b?.stop();
        await c?.stop();
        await postgres?.destroy();
    });

    it('serves local clients while PostgreSQL is down, and recovers when it is back', async () => {
        const a1 = await client(a);
        const b1 = await client(b);
        await crossNode(a1, b1, 'before');

        const markA = a.mark();
        const markB = b.mark();
        await postgres.stop();
        await a.waitForLine(/^PG DOWN$/, 5000, markA);
        await b.waitForLine(/^PG DOWN$/, 5000, markB);
        await waitForStderr(a, /lost the connection to PostgreSQL/);

        // Local work goes on: a broadcast on A reaches A's clients, acks work, new clients connect.
        const a2 = await client(a);
        a1.socket.emit('to', [], 'localOnly', 1);
        await a2.inbox.waitFor('localOnly');
        await a1.inbox.waitFor('localOnly');
        assert.ok((await ask(a2.socket, 3000, "join", "r")).includes("r"));
        const fetched = await ask(a2.socket, 5000, 'fetch', []);
        assert.ok(fetched.sockets.some((s) => s.id === a1.socket.id));

        await postgres.start();
        await a.waitForLine(/^PG UP$/, 15000, markA);
        await b.waitForLine(/^PG UP$/, 15000, markB);
        await crossNode(b1, a2, 'after');
        await crossNode(a1, b1, 'after2');
        for (let i = 0; i < 100 && await ask(a1.socket, 3000, 'serverCount') !== 2; i++) {
            await quietPeriod(20);
        }
        assert.equal(await ask(a1.socket, 3000, 'serverCount'), 2);
        assert.equal(a.exited, null);
        assert.equal(b.exited, null);
    });

    it('a node started while PostgreSQL is unreachable serves its clients and joins once it is up', async () => {
        await postgres.stop();
        c = await startQtNode(postgres, ['--name', 'C', '--heartbeat-interval', '500'], { waitUp: false });
        await c.waitForLine(/^PG ERROR /, 5000);
        await waitForStderr(c, /cannot connect to PostgreSQL/);
        const c1 = await client(c);
        const c2 = await client(c);
        c1.socket.emit('to', [], 'alone', 'ok');
        await c2.inbox.waitFor('alone');

        await postgres.start();
        await c.waitForLine(/^PG UP$/, 15000);
        const a1 = await client(a);
        for (let i = 0; i < 300; i++) {
            if (await ask(c1.socket, 3000, 'serverCount') === 3) {
                break;
            }
            await quietPeriod(20);
        }
        assert.equal(await ask(c1.socket, 3000, 'serverCount'), 3);
        await crossNode(a1, c1, 'toC');
        await crossNode(c1, a1, 'fromC');
    });
});

// stderr arrives on its own pipe, after or before stdout: poll it (bounded).
async function waitForStderr(server, regex) {
    for (let i = 0; i < 250 && !regex.test(server.stderr()); i++) {
        await quietPeriod(20);
    }
    assert.match(server.stderr(), regex);
}
