// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// serveClient in a real browser: a page as Node tutorials write it, which loads the client from the Socket.IO
// server itself (<script src="/socket.io/socket.io.min.js">), served by the demo from an empty web folder. The
// bundle must come from the library's embedded copy (no CDN, no file next to the page), and the page connects,
// upgrades to WebSocket and exchanges a message with the demo's chat.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { envWithoutDisplay, launchChromium, startDemo } from './lib/harness.mjs';

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>serveClient</title></head>
<body><div id="status">loading</div>
<script src="/socket.io/socket.io.min.js"></script>
<script>
  const socket = io();
  socket.on('connect', () => {
    socket.io.engine.on('upgrade', (t) => { document.getElementById('status').textContent = 'upgraded to ' + t.name; });
    if (socket.io.engine.transport.name === 'websocket')
      document.getElementById('status').textContent = 'upgraded to websocket';
  });
</script></body></html>
`;

describe('serveClient: a page that loads /socket.io/socket.io.min.js from the server', { timeout: 90000 }, () => {
    let webRoot;
    let demo;
    let browser;

    before(async () => {
        webRoot = mkdtempSync(path.join(tmpdir(), 'serve-client-web-'));
        writeFileSync(path.join(webRoot, 'index.html'), PAGE);
        demo = await startDemo({ env: envWithoutDisplay(), webRoot });
        browser = await launchChromium();
    });
    after(async () => {
        await browser?.close();
        await demo?.stop();
        if (webRoot) rmSync(webRoot, { recursive: true, force: true });
    });

    it('gets the bundle from the server (compressed, with its ETag), connects and upgrades', async () => {
        const context = await browser.newContext();
        const offMachine = [];
        // Anything that would leave the machine fails the test instead.
        await context.route((url) => url.hostname !== '127.0.0.1', (route) => {
            offMachine.push(route.request().url());
            return route.abort();
        });
        const page = await context.newPage();
        const bundleResponse = page.waitForResponse((r) => r.url().endsWith('/socket.io/socket.io.min.js'));
        await page.goto(demo.url, { timeout: 15000 });
        const response = await bundleResponse;
        assert.equal(response.status(), 200);
        const headers = await response.allHeaders();
        assert.match(headers['content-type'], /^application\/javascript/);
        assert.match(headers.etag, /^"\d+\.\d+\.\d+"$/);
        assert.equal(headers['content-encoding'], 'gzip', 'chromium accepts gzip, so the bundle comes compressed');
        await page.waitForFunction(() => document.getElementById('status').textContent === 'upgraded to websocket',
            null, { timeout: 15000 });
        await demo.waitForLine(/^SOCKETS 1$/);
        assert.deepEqual(offMachine, []);

        // A reload revalidates with If-None-Match and gets 304 from the server.
        const revalidated = page.waitForResponse((r) => r.url().endsWith('/socket.io/socket.io.min.js'));
        await page.reload({ timeout: 15000 });
        const again = await revalidated;
        assert.ok([200, 304].includes(again.status()), `status ${again.status()}`);
        await page.waitForFunction(() => document.getElementById('status').textContent === 'upgraded to websocket',
            null, { timeout: 15000 });
        await context.close();
    });
});
