// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The demo's real window on an X display (Xvfb) with two chromium clients connected: the socket list
// shows both of them (the ids its ListView delegates show), and a screenshot of the window is saved as a
// test artifact (${build}/artifacts/demo.png).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { artifactsDir, envWithoutDisplay, launchChromium, openChat, startDemo, startXvfb } from './lib/harness.mjs';

describe('quickdemo window under Xvfb', { timeout: 90000 }, () => {
    let xvfb;
    let demo;
    let browser;

    before(async () => {
        xvfb = await startXvfb();
        demo = await startDemo({ env: envWithoutDisplay({ DISPLAY: xvfb.display }) });
        browser = await launchChromium();
    });
    after(async () => {
        await browser?.close();
        await demo?.stop();
        await xvfb?.stop();
    });

    it('runs on the X display, not headless', () => {
        assert.ok(!demo.lines.some((l) => l.startsWith('No display found')), demo.output());
    });

    it('lists two browsers and saves a screenshot', async () => {
        const first = await openChat(browser, demo.url);
        const second = await openChat(browser, demo.url);
        await demo.waitForLine(/^SOCKETS 2$/, 15000);
        // Something to see in the log and in the rooms.
        await first.page.fill('#name', 'Alice');
        await first.page.fill('#text', 'hello from browser one');
        await first.page.click('#send');
        await demo.waitForLine(/^CHAT Alice: hello from browser one$/);
        await second.page.fill('#room', 'blue');
        await second.page.click('#join button');
        await second.page.waitForFunction(() => document.getElementById('rooms').textContent.includes('blue'), null, { timeout: 10000 });
        demo.send('hello from the Qt window');
        await demo.waitForLine(/^SENT hello from the Qt window$/);
        await second.page.waitForFunction(() => document.getElementById('transport').textContent === '(websocket)', null, { timeout: 10000 });

        // The socket list (ListView delegates) shows exactly the two browsers.
        let mark = demo.mark();
        demo.send('/list');
        const [, listed] = await demo.waitForLine(/^LIST ?(.*)$/, 10000, mark);
        assert.deepEqual(listed.split(' ').sort(), [first.id, second.id].sort());

        // The inspector's totals and rates move on its rate tick (every second): wait for the tick that
        // counted the three events of the browsers (name, chat, join), so that the picture shows them
        // (bounded: 50 polls).
        for (let attempt = 0; ; ++attempt) {
            mark = demo.mark();
            demo.send('/stats');
            const [, received] = await demo.waitForLine(/^STATS (\d+) \d+$/, 10000, mark);
            if (Number(received) >= 3) break;
            assert.ok(attempt < 50, `the inspector counted ${received} events in, not 3`);
            await new Promise((resolve) => setTimeout(resolve, 100));
        }

        const file = path.resolve(artifactsDir(), 'demo.png');
        rmSync(file, { force: true });
        mark = demo.mark();
        demo.send('/screenshot ' + file);
        const [, size] = await demo.waitForLine(/^SCREENSHOT \S+ (\d+x\d+)$/, 15000, mark);
        assert.equal(size, '1240x720');
        assert.ok(existsSync(file));
        const png = readFileSync(file);
        assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
        assert.ok(png.length > 20000, `a real picture, not a blank one (${png.length} bytes)`);
        console.log(`screenshot: ${file}`);
    });
});
