// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The demo as a person uses it, headless: chromium loads the chat page the demo serves, chats with the Qt
// side and with a second browser, and the test checks both ends (the page and the demo's own output).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { envWithoutDisplay, launchChromium, logLines, openChat, startDemo } from './lib/harness.mjs';

describe('quickdemo chat in chromium (headless demo)', { timeout: 90000 }, () => {
    let demo;
    let browser;

    before(async () => {
        demo = await startDemo({ env: envWithoutDisplay() });
        browser = await launchChromium();
    });
    after(async () => {
        await browser?.close();
        const result = await demo?.stop();
        if (result) assert.ok(result.code === 0 || result.signal === 'SIGTERM', `the demo stopped cleanly: ${demo.output()}`);
    });

    it('says that it runs headless without a display', () => {
        assert.match(demo.lines[0], /No display found .*running headless on the offscreen platform/);
    });

    it('serves the chat page with its socket.io-client bundle', async () => {
        const response = await fetch(demo.url + 'socket.io.min.js');
        assert.equal(response.status, 200);
        assert.match(await response.text(), /Socket\.IO v4\.\d+\.\d+/);
    });

    it('chats between a browser, the Qt window and a second browser', async () => {
        const first = await openChat(browser, demo.url);
        await demo.waitForLine(/^SOCKETS 1$/);

        // Server -> browser: the Qt side's welcome.
        await first.page.waitForFunction((id) => [...document.querySelectorAll('#log div.qt')]
            .some((d) => d.textContent.includes('Welcome! You are ' + id)), first.id, { timeout: 10000 });

        // Browser -> Qt: the demo's handler logs it in the window and prints it.
        const second = await openChat(browser, demo.url);
        await demo.waitForLine(/^SOCKETS 2$/);
        await first.page.fill('#name', 'Alice');
        await first.page.fill('#text', 'hello from chromium');
        await first.page.click('#send');
        await demo.waitForLine(/^CHAT Alice: hello from chromium$/);
        // The sender's ack: delivered to the other browser in the lobby.
        await first.page.waitForFunction(() => [...document.querySelectorAll('#log div.me')]
            .some((d) => d.textContent === 'me: hello from chromium  (delivered to 1)'), null, { timeout: 10000 });
        // ... which got it; the sender's page shows its own line once.
        await second.page.waitForFunction(() => [...document.querySelectorAll('#log div')]
            .some((d) => d.textContent === 'Alice: hello from chromium'), null, { timeout: 10000 });
        assert.ok(!(await logLines(first.page)).includes('Alice: hello from chromium'));

        // Qt -> browsers: a line typed for the window (stdin goes through the Send button's function).
        const mark = demo.mark();
        demo.send('hello from the Qt window');
        await demo.waitForLine(/^SENT hello from the Qt window$/, 10000, mark);
        for (const { page } of [first, second]) {
            await page.waitForFunction(() => [...document.querySelectorAll('#log div.qt')]
                .some((d) => d.textContent === 'Qt: hello from the Qt window'), null, { timeout: 10000 });
        }
        assert.ok((await logLines(second.page)).includes('Qt: hello from the Qt window'));

        // Leaving: the window's list follows.
        await second.context.close();
        await demo.waitForLine(/^SOCKETS 1$/, 10000, mark);
        await first.context.close();
        await demo.waitForLine(/^SOCKETS 0$/, 10000, mark);
    });
});
