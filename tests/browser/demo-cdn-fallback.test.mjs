// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The demo's chat page built without the npm bundle (examples/webclient.cmake): the page, served without
// socket.io.min.js next to it, loads the client from the CDN URL written in it. Nothing leaves the machine:
// chromium's requests to that host are answered by the test with the locally installed bundle.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { envWithoutDisplay, launchChromium, requireEnv, startDemo } from './lib/harness.mjs';

describe('quickdemo chat page without an embedded socket.io-client bundle', { timeout: 90000 }, () => {
    let webRoot;
    let demo;
    let browser;
    let cdnUrl;
    const bundle = path.join(requireEnv('QTSOCKETIO_NODE_MODULES', 'tests/interop/node_modules'),
        'socket.io-client', 'dist', 'socket.io.min.js');

    before(async () => {
        // The page as the build copies it, alone in a folder.
        const page = path.join(path.dirname(requireEnv('QUICKDEMO', 'the quickdemo executable')), 'web', 'index.html');
        webRoot = mkdtempSync(path.join(tmpdir(), 'quickdemo-web-'));
        copyFileSync(page, path.join(webRoot, 'index.html'));
        cdnUrl = readFileSync(page, 'utf8').match(/https:\/\/[^'"]*\/socket\.io\.min\.js/)?.[0];
        demo = await startDemo({ env: envWithoutDisplay(), webRoot });
        browser = await launchChromium();
    });
    after(async () => {
        await browser?.close();
        await demo?.stop();
        if (webRoot) rmSync(webRoot, { recursive: true, force: true });
    });

    it('names a fallback URL of the same version as the bundle', () => {
        assert.ok(cdnUrl, 'the page has a fallback URL');
        const version = readFileSync(bundle, 'utf8').match(/Socket\.IO v(\d+\.\d+\.\d+)/)[1];
        assert.ok(cdnUrl.includes(`/${version}/`), `${cdnUrl} is for ${version}`);
    });

    it('is served without the bundle, loads the client from the fallback URL and connects', async () => {
        const missing = await fetch(demo.url + 'socket.io.min.js');
        assert.equal(missing.status, 404);

        const context = await browser.newContext();
        const fallbackRequests = [];
        await context.route(cdnUrl, (route) => {
            fallbackRequests.push(route.request().url());
            return route.fulfill({ status: 200, contentType: 'application/javascript', body: readFileSync(bundle) });
        });
        const page = await context.newPage();
        await page.goto(demo.url, { timeout: 15000 });
        await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('connected as '),
            null, { timeout: 15000 });
        assert.deepEqual(fallbackRequests, [cdnUrl]);
        await demo.waitForLine(/^SOCKETS 1$/);
        // Closed in the middle of the upgrade (probe done, polling paused, no poll pending), the session would
        // only end at the heartbeat timeout, as in Node: close once it runs on the WebSocket.
        await page.waitForFunction(() => document.getElementById('transport').textContent === '(websocket)',
            null, { timeout: 15000 });
        await context.close();
        await demo.waitForLine(/^SOCKETS 0$/, 10000);
    });
});
