// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The official Socket.IO Admin UI (@socket.io/admin-ui 0.5.1's static build, tests/browser/node_modules) in
// headless chromium against a QtSocketIo server instrumented with QSocketIoAdminUi (adminserver, which serves the
// UI as its document root), with live socket.io-client clients: the UI logs in, shows the server, the sockets,
// the rooms and the events, then makes a socket join and leave a room and disconnects it, which the clients see.
// A screenshot of the dashboard is saved as build/artifacts/admin-ui.png (README: doc/images/admin-ui.png).

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { artifactsDir, launchChromium } from './lib/harness.mjs';
import { UI_DIST, ask, bcrypt, connect, startAdminServer } from './lib/admin.mjs';

const PASSWORD = 'changeit';

/** Polls check() (bounded) until it returns a truthy value. */
async function until(check, ms, what) {
    const end = Date.now() + ms;
    for (;;) {
        const value = await check();
        if (value) return value;
        if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

describe('the Socket.IO Admin UI drives a QtSocketIo server', { timeout: 120000 }, () => {
    let server;
    let browser;
    let page;
    const clients = [];

    before(async () => {
        server = await startAdminServer(['--document-root', UI_DIST, '--server-id', 'qtsocketio-demo',
            '--auth', `admin:${bcrypt.hashSync(PASSWORD, 10)}`, '--stats-interval', '1000']);
        for (const [name, opts] of [['alice', { transports: ['websocket'] }], ['bob', {}], ['carol', { transports: ['polling'] }]]) {
            const c = await connect(server.url('/chat'), opts);
            c.name = name;
            clients.push(c);
        }
        await ask(clients[0].socket, 'join', 'lobby');
        await ask(clients[1].socket, 'join', 'lobby');
        await ask(clients[2].socket, 'join', 'kitchen');
        browser = await launchChromium();
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        // The UI's web fonts and icons come from CDNs: nothing leaves the machine (the UI works without them).
        await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
        page = await context.newPage();
    });
    after(async () => {
        for (const c of clients) c.socket.close();
        await browser?.close();
        await server?.stop();
    });

    const goTo = async (section, nsp) => {
        await page.locator('nav').getByText(section, { exact: true }).click();
        if (nsp) {
            await page.waitForTimeout(400);   // the page transition (the old page's selector goes away)
            await page.getByLabel('Select namespace').last().click({ force: true });
            await page.locator('.v-menu__content.menuable__content__active .v-list-item', { hasText: nsp }).click();
        }
    };
    const mainText = () => page.textContent('main');

    it('refuses a wrong password, then logs in', async () => {
        await page.goto(server.url('/'), { timeout: 15000 });
        await page.getByLabel('Server URL').fill(server.url(''));
        await page.getByLabel('Username').fill('admin');
        await page.getByLabel('Password').fill('wrong');
        await page.getByRole('button', { name: 'Connect' }).click();
        await page.getByText('Invalid credentials', { exact: false }).first().waitFor({ timeout: 10000 });
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Connect' }).click();
        await page.locator('header').getByText('connected', { exact: true }).first().waitFor({ timeout: 10000 });
    });

    it('lists the server, the sockets, the rooms and the events', async () => {
        await goTo('Servers');
        await until(async () => (await mainText()).includes('qtsocketio-demo'), 10000, 'the server in the Servers page');
        await goTo('Sockets', '/chat');
        for (const c of clients) {
            await until(async () => (await mainText()).includes(c.socket.id), 10000, `socket ${c.name} in the Sockets page`);
        }
        await goTo('Rooms', '/chat');
        await until(async () => {
            const text = await mainText();
            return text.includes('lobby') && text.includes('kitchen');
        }, 10000, 'the rooms lobby and kitchen');
        clients[1].socket.emit('chat', 'hello from bob');
        await goTo('Events', '/chat');
        await until(async () => (await page.locator('main tbody tr').count()) > 0, 10000, 'events in the Events page');
    });

    it('makes a socket join and leave a room, and disconnects it, from the UI', async () => {
        const alice = clients[0];
        const openAlice = async () => {
            await goTo('Sockets', '/chat');
            await page.getByText(alice.socket.id).click();
            await page.getByText('Socket details').first().waitFor({ timeout: 10000 });
        };
        await openAlice();

        await page.getByLabel('Join a room').fill('vip');
        await page.locator('main form button[type=submit]').click();
        await until(async () => (await ask(alice.socket, 'rooms')).includes('vip'), 10000, 'alice in vip');
        await page.locator('main tr', { hasText: 'vip' }).waitFor({ timeout: 10000 });

        await page.locator('main tr', { hasText: 'lobby' }).locator('button').click();
        await until(async () => !(await ask(alice.socket, 'rooms')).includes('lobby'), 10000, 'alice out of lobby');
        assert.ok((await ask(clients[1].socket, 'rooms')).includes('lobby'), 'bob is still in lobby');

        // (A click in a room's row also opens that room's page: back to alice.)
        await openAlice();

        const gone = new Promise((resolve) => alice.socket.once('disconnect', resolve));
        // The socket's Status row has the UI's "disconnect this socket" button (_disconnect nsp false id).
        await page.locator('main tr', { hasText: 'Status' }).locator('button').last().click();
        assert.equal(await Promise.race([gone, new Promise((r) => setTimeout(() => r('timeout'), 10000))]),
            'io server disconnect');
        assert.ok(clients[1].socket.connected && clients[2].socket.connected, 'the others stay');
    });

    it('shows the dashboard (screenshot)', async () => {
        for (let i = 0; i < 5; i++) clients[1].socket.emit('chat', `message ${i}`);
        await goTo('Dashboard');
        await until(async () => (await mainText()).includes('/chat'), 10000, 'the namespaces on the dashboard');
        await page.waitForTimeout(2500);   // one more stats period for the charts
        const file = path.resolve(artifactsDir(), 'admin-ui.png');
        await page.screenshot({ path: file });
        console.log(`screenshot: ${file}`);
    });
});
