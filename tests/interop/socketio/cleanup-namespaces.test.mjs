// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// cleanupEmptyChildNamespaces (on by default): a dynamic child namespace goes once its last socket is gone,
// whether the socket left, its connection dropped or the child's middleware refused it; so a client that CONNECTs
// to endless new names cannot make the server keep a namespace for each. --keep-empty-child-namespaces turns it
// off (Node's default), and the children then stay.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VARIANTS, clientTracker, connect, connectError, emitAck, freshDynNamespace, useSioServer, withTimeout } from './lib/sio.mjs';

async function names(socket) {
    const [list] = await emitAck(socket, 'namespace-names');
    return list;
}

/** Polls the server's namespace names (bounded) until `predicate` holds; returns them. */
async function namesUntil(socket, predicate, what) {
    return withTimeout((async () => {
        for (;;) {
            const list = await names(socket);
            if (predicate(list)) return list;
            await new Promise((r) => setTimeout(r, 20));
        }
    })(), 5000, what);
}

describe('cleanupEmptyChildNamespaces (default on)', () => {
    const ctx = useSioServer();
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    it('a child goes when its last socket leaves, and comes back on the next CONNECT', async () => {
        const { socket: main } = await connect(ctx.server, '/', VARIANTS[1], {}, { tracker });
        const nsp = freshDynNamespace();
        const { socket: a } = await connect(ctx.server, nsp, VARIANTS[1], {}, { tracker });
        const { socket: b } = await connect(ctx.server, nsp, VARIANTS[0], {}, { tracker });
        assert.ok((await names(main)).includes(nsp));
        a.disconnect();
        // One socket left: the child stays.
        await new Promise((r) => setTimeout(r, 100));
        assert.ok((await names(main)).includes(nsp));
        b.close();   // its whole connection goes
        await namesUntil(main, (list) => !list.includes(nsp), `${nsp} removed`);
        const { socket: c } = await connect(ctx.server, nsp, VARIANTS[1], {}, { tracker });
        assert.deepEqual(await emitAck(c, 'echo', 'again'), ['again']);
        assert.ok((await names(main)).includes(nsp));
    });

    it('1000 CONNECTs to new names that the middleware refuses leave no namespace behind', async () => {
        const { socket: main } = await connect(ctx.server, '/', VARIANTS[1], {}, { tracker });
        const before = await names(main);
        const base = 100000 + Math.floor(Math.random() * 100000) * 1000;
        const refused = clientTracker();
        try {
            for (let i = 0; i < 1000; i += 100) {
                await Promise.all(Array.from({ length: 100 }, async (_, j) => {
                    const { err } = await connectError(ctx.server, `/refused-${base + i + j}`, VARIANTS[1], {},
                        { tracker: refused });
                    assert.equal(err.message, 'refused');
                }));
                refused.closeAll();
            }
        } finally {
            refused.closeAll();
        }
        const after = await namesUntil(main, (list) => !list.some((n) => n.startsWith('/refused-')),
            'the refused children removed');
        assert.deepEqual(after, before);
    });
});

describe('--keep-empty-child-namespaces (Node\'s default)', () => {
    const ctx = useSioServer(['--keep-empty-child-namespaces']);
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    it('an empty child stays', async () => {
        const { socket: main } = await connect(ctx.server, '/', VARIANTS[1], {}, { tracker });
        const nsp = freshDynNamespace();
        const { socket: a } = await connect(ctx.server, nsp, VARIANTS[1], {}, { tracker });
        a.disconnect();
        await new Promise((r) => setTimeout(r, 200));
        assert.ok((await names(main)).includes(nsp));
    });
});
