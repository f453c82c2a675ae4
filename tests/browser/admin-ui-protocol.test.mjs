// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// QSocketIoAdminUi on the wire, as @socket.io/admin-ui 0.5's UI sees it, with socket.io-client 4.8 as the UI and
// as the application's clients: authentication (Node's refusal, sessions), the config, all sockets, the live
// socket and room events, the stats, the commands, and the commands that must be ignored with a warning.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ask, bcrypt, connect, startAdminServer } from './lib/admin.mjs';

const PASSWORD = 'correct horse';
const HASH = bcrypt.hashSync(PASSWORD, 8);
const FULL = ['EMIT', 'JOIN', 'LEAVE', 'DISCONNECT', 'MJOIN', 'MLEAVE', 'MDISCONNECT', 'AGGREGATED_EVENTS', 'ALL_EVENTS'];

const quiet = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Admin UI protocol: development mode with basic auth', { timeout: 60000 }, () => {
    let server;
    const open = [];
    const track = (c) => { open.push(c.socket); return c; };
    const admin = (auth = { username: 'admin', password: PASSWORD }) =>
        connect(server.url('/admin'), { auth }).then(track);

    before(async () => {
        server = await startAdminServer(['--auth', `admin:${HASH}`, '--server-id', 'qt-test', '--stats-interval', '300']);
    });
    after(async () => {
        for (const s of open) s.close();
        await server?.stop();
    });

    for (const [what, auth] of [
        ['a wrong password', { username: 'admin', password: 'wrong' }],
        ['a wrong user name', { username: 'root', password: PASSWORD }],
        ['no credentials', {}],
        ['a password that is not a string', { username: 'admin', password: 12345 }],
        ['an unknown session id', { sessionId: 'deadbeefdeadbeef' }],
    ]) {
        it(`refuses ${what} with Node's error`, async () => {
            await assert.rejects(admin(auth), (err) => {
                assert.equal(err.message, 'invalid credentials');
                return true;
            });
        });
    }

    it('lets the UI in, gives it a session, its features and every socket', async () => {
        const app = track(await connect(server.url('/chat'), { transports: ['websocket'] }));
        assert.deepEqual(await ask(app.socket, 'join', 'lobby'), [app.socket.id, 'lobby']);
        const ui = await admin();
        const [session] = await ui.recorder.waitFor('session');
        assert.match(session, /^[0-9a-f]{16}$/);
        const [config] = await ui.recorder.waitFor('config');
        assert.deepEqual(config.supportedFeatures, FULL);
        const [sockets] = await ui.recorder.waitFor('all_sockets');
        const mine = sockets.find((s) => s.id === app.socket.id);
        assert.ok(mine, `the /chat socket is listed: ${JSON.stringify(sockets.map((s) => s.id))}`);
        assert.equal(mine.nsp, '/chat');
        assert.equal(mine.transport, 'websocket');
        assert.equal(mine.clientId, app.socket.io.engine.id.slice(0, 12));
        assert.deepEqual(mine.rooms, [app.socket.id, 'lobby']);
        assert.deepEqual(mine.data, {}, 'the _admin data is not shown');
        assert.equal(mine.handshake.address, '127.0.0.1');
        assert.equal(typeof mine.handshake.issued, 'number');
        assert.ok(sockets.some((s) => s.id === ui.socket.id && s.nsp === '/admin'), 'the UI itself is listed');

        // The session id is enough to come back (the UI does so on reload).
        const again = await admin({ sessionId: session });
        assert.ok(again.socket.connected);
    });

    it('reports stats with the namespaces and the engine traffic', async () => {
        const ui = await admin();
        const [stats] = await ui.recorder.waitFor('server_stats', ([s]) => s.aggregatedEvents.length > 0);
        assert.equal(stats.serverId, 'qt-test');
        assert.equal(typeof stats.hostname, 'string');
        assert.equal(typeof stats.pid, 'number');
        assert.ok(stats.uptime > 0);
        assert.ok(stats.clientsCount >= 1);
        assert.equal(typeof stats.pollingClientsCount, 'number');
        assert.deepEqual(stats.namespaces.map((n) => n.name).sort(), ['/', '/admin', '/chat']);
        for (const e of stats.aggregatedEvents) {
            assert.ok(['rawConnection', 'rawDisconnection', 'packetsIn', 'packetsOut', 'bytesIn', 'bytesOut'].includes(e.type));
            assert.equal(e.timestamp % 1000, 0);
            assert.ok(e.count > 0);
        }
        // A polling client counts as polling until it upgrades.
        const polling = track(await connect(server.url('/'), { transports: ['polling'] }));
        await ui.recorder.waitFor('server_stats', ([s]) => s.pollingClientsCount >= 1, 5000, ui.recorder.events.length);
        polling.socket.close();
        await ui.recorder.waitFor('server_stats', ([s]) => s.aggregatedEvents.some((e) => e.type === 'rawDisconnection'),
            5000, ui.recorder.events.length);
    });

    it('reports connections, rooms, events and disconnections as they happen', async () => {
        const ui = await admin();
        await ui.recorder.waitFor('config');
        const from = ui.recorder.events.length;
        const app = track(await connect(server.url('/chat'), { transports: ['polling'] }));
        const id = app.socket.id;
        const [connected, at] = await ui.recorder.waitFor('socket_connected', ([s]) => s.id === id, 5000, from);
        assert.equal(connected.nsp, '/chat');
        assert.equal(connected.transport, 'polling');
        assert.ok(!Number.isNaN(Date.parse(at)));
        await ui.recorder.waitFor('room_joined', ([nsp, room, sid]) => nsp === '/chat' && room === id && sid === id, 5000, from);
        await ask(app.socket, 'join', 'kitchen');
        await ui.recorder.waitFor('room_joined', ([nsp, room, sid]) => room === 'kitchen' && sid === id, 5000, from);
        const [, , received] = await ui.recorder.waitFor('event_received', ([nsp, sid, args]) => sid === id && args[0] === 'join', 5000, from);
        assert.deepEqual(received, ['join', 'kitchen']);
        app.socket.emit('chat', { text: 'hi' });
        await ui.recorder.waitFor('event_sent', ([nsp, sid, args]) => sid === id && args[0] === 'chat' && args[1].text === 'hi', 5000, from);
        await ask(app.socket, 'setName', 'alice');
        const [updated] = await ui.recorder.waitFor('socket_updated', ([s]) => s.id === id && s.data, 5000, from);
        assert.deepEqual(updated, { id, nsp: '/chat', data: { name: 'alice' } });
        app.socket.disconnect();
        const [, , reason] = await ui.recorder.waitFor('socket_disconnected', ([nsp, sid]) => sid === id, 5000, from);
        assert.equal(reason, 'client namespace disconnect');
        await ui.recorder.waitFor('room_left', ([nsp, room, sid]) => room === 'kitchen' && sid === id, 5000, from);
    });

    it('reports an upgrade to WebSocket', async () => {
        const ui = await admin();
        await ui.recorder.waitFor('config');
        const from = ui.recorder.events.length;
        const app = track(await connect(server.url('/chat')));   // polling, then the upgrade
        const id = app.socket.id;
        const [connected] = await ui.recorder.waitFor('socket_connected', ([s]) => s.id === id, 5000, from);
        assert.equal(connected.transport, 'polling');
        const [updated] = await ui.recorder.waitFor('socket_updated', ([s]) => s.id === id && s.transport, 5000, from);
        assert.deepEqual(updated, { id, nsp: '/chat', transport: 'websocket' });
    });

    it('runs the UI commands: join, leave, emit, disconnect (by socket id and by room)', async () => {
        const ui = await admin();
        await ui.recorder.waitFor('config');
        const a = track(await connect(server.url('/chat')));
        const b = track(await connect(server.url('/chat')));
        ui.socket.emit('join', '/chat', 'vip', a.socket.id);
        await ui.recorder.waitFor('room_joined', ([, room, sid]) => room === 'vip' && sid === a.socket.id);
        assert.deepEqual(await ask(a.socket, 'rooms'), [a.socket.id, 'vip']);
        assert.deepEqual(await ask(b.socket, 'rooms'), [b.socket.id], 'only the socket named');

        ui.socket.emit('emit', '/chat', 'vip', 'notice', 'for vips', 2);
        const [text, n] = await a.recorder.waitFor('notice');
        assert.deepEqual([text, n], ['for vips', 2]);
        ui.socket.emit('emit', '/chat', null, 'notice', 'for all');
        await b.recorder.waitFor('notice', ([t]) => t === 'for all');

        ui.socket.emit('leave', '/chat', 'vip', a.socket.id);
        await ui.recorder.waitFor('room_left', ([, room, sid]) => room === 'vip' && sid === a.socket.id);
        assert.deepEqual(await ask(a.socket, 'rooms'), [a.socket.id]);

        ui.socket.emit('join', '/chat', 'everyone');   // no filter: every socket of the namespace
        await ui.recorder.waitFor('room_joined', ([, room, sid]) => room === 'everyone' && sid === b.socket.id);
        assert.ok((await ask(a.socket, 'rooms')).includes('everyone'));

        const gone = new Promise((resolve) => a.socket.once('disconnect', resolve));
        ui.socket.emit('_disconnect', '/chat', false, a.socket.id);
        assert.equal(await gone, 'io server disconnect');
        assert.ok(b.socket.connected, 'the other socket stays');
    });

    it('ignores malformed commands and unknown targets with a warning', async () => {
        const ui = await admin();
        await ui.recorder.waitFor('config');
        const a = track(await connect(server.url('/chat')));
        const from = server.mark();
        const cases = [
            [['join', '/chat', 42, a.socket.id], /malformed join command/],
            [['join', '/chat', '', a.socket.id], /malformed join command/],
            [['leave', { nsp: '/chat' }, 'x'], /malformed leave command/],
            [['emit', '/chat', null, 7], /malformed emit command/],
            [['_disconnect', '/chat', 'yes', a.socket.id], /malformed _disconnect command/],
            [['join'], /malformed join command/],
            [['join', '/nowhere', 'r', a.socket.id], /unknown namespace \/nowhere/],
            [['_disconnect', '/chat', true, 'no-such-socket'], /no socket or room no-such-socket in \/chat/],
        ];
        for (const [args, warning] of cases) {
            const mark = server.mark();
            ui.socket.emit(...args);
            await server.waitForLine(new RegExp(`^WARNING qtsocketio\\.adminui: .*${warning.source}`), 5000, mark);
        }
        assert.ok(server.mark() > from);
        assert.deepEqual(await ask(a.socket, 'rooms'), [a.socket.id], 'nothing changed');
        assert.ok(a.socket.connected);
        assert.ok(ui.socket.connected, 'the UI stays connected');
    });
});

describe('Admin UI protocol: readonly, production, bad hash', { timeout: 60000 }, () => {
    it('readonly: no commands offered, and one sent anyway is ignored with a warning', async () => {
        const server = await startAdminServer(['--readonly']);
        try {
            const ui = await connect(server.url('/admin'));
            const [config] = await ui.recorder.waitFor('config');
            assert.deepEqual(config.supportedFeatures, ['AGGREGATED_EVENTS', 'ALL_EVENTS']);
            const app = await connect(server.url('/chat'));
            const mark = server.mark();
            ui.socket.emit('join', '/chat', 'r', app.socket.id);
            await server.waitForLine(/^WARNING qtsocketio\.adminui: .*ignored the join command \(readonly\)/, 5000, mark);
            assert.deepEqual(await ask(app.socket, 'rooms'), [app.socket.id]);
            ui.socket.close();
            app.socket.close();
        } finally {
            await server.stop();
        }
    });

    it('production: commands and stats, no sockets and no events', async () => {
        const server = await startAdminServer(['--mode', 'production', '--stats-interval', '200']);
        try {
            const app = await connect(server.url('/chat'));
            const ui = await connect(server.url('/admin'));
            const [config] = await ui.recorder.waitFor('config');
            assert.deepEqual(config.supportedFeatures, FULL.filter((f) => f !== 'ALL_EVENTS'));
            const [stats] = await ui.recorder.waitFor('server_stats');
            assert.ok(stats.namespaces.some((n) => n.name === '/chat' && n.socketsCount === 1));
            await ask(app.socket, 'join', 'quiet');
            await quiet(500);
            for (const e of ['all_sockets', 'socket_connected', 'room_joined', 'event_received', 'event_sent']) {
                assert.equal(ui.recorder.of(e).length, 0, `no ${e} in production mode`);
            }
            ui.socket.close();
            app.socket.close();
        } finally {
            await server.stop();
        }
    });

    it('refuses to start with a password that is not a bcrypt hash (Node\'s message)', async () => {
        await assert.rejects(startAdminServer(['--auth', 'admin:plaintext']), /the `password` field must be a valid bcrypt hash/);
    });
});
