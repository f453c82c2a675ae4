// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Group 5: the asynchronous namespace middleware of /private (auth.token must be "secret") and the
// per-socket packet middleware that rejects "rejectMe".

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
    SIO_PATH, VARIANTS, awaitConnect, clientTracker, connect, connectError, emitAck, escapeRegExp, io,
    quietPeriod, useSioServer, waitConnectLine, waitErrorLine, withTimeout,
} from './lib/sio.mjs';

describe('middleware', () => {
    const ctx = useSioServer();
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    for (const variant of VARIANTS) {
        for (const [what, opts] of [
            ['a wrong token', { auth: { token: 'wrong' } }],
            ['no auth at all', {}],
            ['a token of the wrong type', { auth: { token: ['secret'] } }],
        ]) {
            it(`${variant.name}: /private with ${what} -> connect_error "not authorized" {reason:"bad token"}`,
                async () => {
                    const from = ctx.server.mark();
                    const { socket, err } = await connectError(ctx.server, '/private', variant, opts, { tracker });
                    assert.equal(err.message, 'not authorized');
                    assert.deepEqual(err.data, { reason: 'bad token' });
                    assert.equal(socket.connected, false);
                    assert.equal(socket.id, undefined);
                    assert.deepEqual(ctx.server.lines.slice(from).filter((l) => l.startsWith('CONNECT /private ')), [],
                        'the server printed a CONNECT for a rejected socket');
                });
        }

        it(`${variant.name}: /private with the right token connects (after the async middleware)`, async () => {
            const t0 = Date.now();
            const { socket } = await connect(ctx.server, '/private', variant, { auth: { token: 'secret' } },
                { tracker });
            assert.ok(Date.now() - t0 >= 40, 'connected faster than the ~50 ms middleware');
            await waitConnectLine(ctx.server, '/private', socket.id);
            assert.deepEqual(await emitAck(socket, 'echo', 'private'), ['private']);
            const [hs] = await emitAck(socket, 'handshake');
            assert.deepEqual(hs.auth, { token: 'secret' });
        });

        it(`${variant.name}: a refused /private on a shared Manager leaves "/" working`, async () => {
            const root = await connect(ctx.server, '/', variant, {}, { tracker });
            const priv = root.socket.io.socket('/private', { auth: { token: 'nope' } });
            const [err] = await withTimeout(new Promise((resolve, reject) => {
                priv.once('connect_error', (...a) => resolve(a));
                priv.once('connect', () => reject(new Error('/private connected with a bad token')));
            }), 3000, 'connect_error on /private');
            assert.equal(err.message, 'not authorized');
            assert.deepEqual(err.data, { reason: 'bad token' });
            assert.deepEqual(await emitAck(root.socket, 'echo', 'root ok'), ['root ok']);
            // then retry the same namespace socket with the right token (the documented way)
            priv.auth = { token: 'secret' };
            priv.connect();
            await awaitConnect(priv, 3000, 'connect to /private with the right token');
            assert.equal(priv.io.engine.id, root.socket.io.engine.id);
            assert.deepEqual(await emitAck(priv, 'echo', 'good'), ['good']);
            assert.equal(root.inbox.disconnectInfo, null);
        });

        it(`${variant.name}: 10 concurrent /private connections, alternating tokens, get the right outcome`,
            async () => {
                const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => {
                    const token = i % 2 === 0 ? 'secret' : `bad-${i}`;
                    const socket = tracker.add(io(ctx.server.url('/private'), {
                        path: SIO_PATH, forceNew: true, reconnection: false, ...variant.opts, auth: { token },
                    }));
                    return withTimeout(new Promise((resolve) => {
                        socket.once('connect', () => resolve('connected'));
                        socket.once('connect_error', (e) => resolve(`error:${e.message}`));
                    }), 5000, `outcome of client ${i}`);
                }));
                assert.deepEqual(outcomes, Array.from({ length: 10 },
                    (_, i) => (i % 2 === 0 ? 'connected' : 'error:not authorized')));
            });

        for (const nsp of ['/', '/chat']) {
            it(`${variant.name}: "rejectMe" on ${nsp} is refused by the packet middleware: no handler, ERROR line`,
                async () => {
                    const { socket, inbox } = await connect(ctx.server, nsp, variant, {}, { tracker });
                    const id = socket.id;
                    const from = ctx.server.mark();
                    // with an ack: the handler would ack; the middleware refuses, so the ack never comes
                    await assert.rejects(socket.timeout(300).emitWithAck('rejectMe', 'x'), /operation has timed out/);
                    assert.equal(await waitErrorLine(ctx.server, nsp, id, 3000, from), 'rejected');
                    // and events before / after it are handled normally, in order
                    socket.emit('echo', 'before');
                    socket.emit('rejectMe');
                    socket.emit('echo', 'after');
                    assert.deepEqual(await inbox.nth('echo', 2), ['after']);
                    assert.deepEqual(inbox.ofEvent('echo').map((e) => e.args), [['before'], ['after']]);
                    await quietPeriod(100);
                    const errors = ctx.server.linesMatching(
                        new RegExp(`^ERROR ${escapeRegExp(nsp)} ${escapeRegExp(id)} (.*)$`));
                    assert.deepEqual(errors.map((m) => m[1]), ['rejected', 'rejected']);
                    assert.equal(inbox.disconnectInfo, null, 'the socket must stay connected');
                    assert.equal(inbox.ofEvent('rejectMe').length, 0);
                    // the test server prints "HANDLED <nsp> <id> rejectMe" if the handler ever runs
                    assert.deepEqual(ctx.server.linesMatching(
                        new RegExp(`^HANDLED \\S+ ${escapeRegExp(id)} rejectMe$`)), []);
                });
        }
    }
});
