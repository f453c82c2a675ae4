// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The Admin UI over a two-node QtSocketIo cluster (the Redis adapter, on a redis-server of the test's own): the
// UI connected to node A sees both nodes' stats, the sockets of node B (fetched through the adapter, with their
// client id and transport), node B's socket events, and its commands reach node B's sockets; then the official
// UI in headless chromium lists both servers and every socket (screenshot build/artifacts/admin-ui-cluster.png).

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { artifactsDir, launchChromium } from './lib/harness.mjs';
import { UI_DIST, ask, connect, startAdminServer, startRedis } from './lib/admin.mjs';

async function until(check, ms, what) {
    const end = Date.now() + ms;
    for (;;) {
        const value = await check();
        if (value) return value;
        if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

describe('the Admin UI over a two-node Redis cluster', { timeout: 120000 }, () => {
    let redis;
    let nodeA;
    let nodeB;
    const open = [];
    const track = (c) => { open.push(c.socket); return c; };

    before(async () => {
        redis = await startRedis();
        const common = ['--redis-port', String(redis.port), '--stats-interval', '500'];
        nodeA = await startAdminServer([...common, '--server-id', 'qt-a', '--document-root', UI_DIST]);
        nodeB = await startAdminServer([...common, '--server-id', 'qt-b']);
        await nodeA.waitForLine(/^REDIS connected$/, 10000);
        await nodeB.waitForLine(/^REDIS connected$/, 10000);
    });
    after(async () => {
        for (const s of open) s.close();
        await nodeA?.stop();
        await nodeB?.stop();
        await redis?.stop();
    });

    it('shows both nodes, node B\'s sockets and events, and drives node B\'s sockets', async () => {
        const a1 = track(await connect(nodeA.url('/chat')));
        const b1 = track(await connect(nodeB.url('/chat'), { transports: ['websocket'] }));
        await ask(b1.socket, 'join', 'lobby');
        const ui = track(await connect(nodeA.url('/admin')));
        await ui.recorder.waitFor('server_stats', ([s]) => s.serverId === 'qt-a', 5000);
        await ui.recorder.waitFor('server_stats', ([s]) => s.serverId === 'qt-b', 5000);

        const [sockets] = await ui.recorder.waitFor('all_sockets');
        const remote = sockets.find((s) => s.id === b1.socket.id);
        assert.ok(remote, `node B's socket is listed: ${JSON.stringify(sockets.map((s) => s.id))}`);
        assert.equal(remote.nsp, '/chat');
        assert.equal(remote.transport, 'websocket');
        assert.equal(remote.clientId, b1.socket.io.engine.id.slice(0, 12));
        assert.deepEqual(remote.rooms.sort(), [b1.socket.id, 'lobby'].sort());
        assert.ok(sockets.some((s) => s.id === a1.socket.id), 'and node A\'s');

        const from = ui.recorder.events.length;
        const b2 = track(await connect(nodeB.url('/chat')));
        await ui.recorder.waitFor('socket_connected', ([s]) => s.id === b2.socket.id, 5000, from);
        b2.socket.emit('chat', 'from b2');
        await ui.recorder.waitFor('event_received', ([nsp, id, args]) => id === b2.socket.id && args[1] === 'from b2', 5000, from);

        ui.socket.emit('join', '/chat', 'vip', b1.socket.id);
        await until(async () => (await ask(b1.socket, 'rooms')).includes('vip'), 5000, 'node B\'s socket in vip');
        await ui.recorder.waitFor('room_joined', ([nsp, room, id]) => room === 'vip' && id === b1.socket.id, 5000, from);
        ui.socket.emit('leave', '/chat', 'lobby', b1.socket.id);
        await until(async () => !(await ask(b1.socket, 'rooms')).includes('lobby'), 5000, 'node B\'s socket out of lobby');
        ui.socket.emit('emit', '/chat', 'vip', 'notice', 'to vips everywhere');
        await b1.recorder.waitFor('notice', ([t]) => t === 'to vips everywhere');
        const b1id = b1.socket.id;   // socket.io-client forgets it once disconnected
        const gone = new Promise((resolve) => b1.socket.once('disconnect', resolve));
        ui.socket.emit('_disconnect', '/chat', false, b1id);
        assert.equal(await gone, 'io server disconnect');
        const [, , reason] = await ui.recorder.waitFor('socket_disconnected', ([nsp, id]) => id === b1id, 5000, from);
        assert.equal(reason, 'server namespace disconnect');
    });

    it('the official UI lists both servers and their sockets', async () => {
        const b3 = track(await connect(nodeB.url('/chat')));
        const a3 = track(await connect(nodeA.url('/chat')));
        const browser = await launchChromium();
        try {
            const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
            await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
            const page = await context.newPage();
            await page.goto(nodeA.url('/'), { timeout: 15000 });
            await page.getByLabel('Server URL').fill(nodeA.url(''));
            await page.getByRole('button', { name: 'Connect' }).click();
            await page.locator('header').getByText('connected', { exact: true }).first().waitFor({ timeout: 10000 });
            await page.locator('nav').getByText('Servers', { exact: true }).click();
            await until(async () => {
                const text = await page.textContent('main');
                return text.includes('qt-a') && text.includes('qt-b');
            }, 10000, 'both servers in the Servers page');
            await page.waitForTimeout(800);   // the page transition's fade
            await page.screenshot({ path: path.resolve(artifactsDir(), 'admin-ui-cluster.png') });
            await page.locator('nav').getByText('Sockets', { exact: true }).click();
            await page.waitForTimeout(400);
            await page.getByLabel('Select namespace').last().click({ force: true });
            await page.locator('.v-menu__content.menuable__content__active .v-list-item', { hasText: '/chat' }).click();
            await until(async () => {
                const text = await page.textContent('main');
                return text.includes(b3.socket.id) && text.includes(a3.socket.id);
            }, 10000, 'the sockets of both nodes in the Sockets page');
        } finally {
            await browser.close();
        }
    });
});
