// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Helpers for the browser tests: child processes followed line by line (the demo, the qml tool, Xvfb),
// each stopped by its own PID (SIGTERM, then SIGKILL after a grace period), and Debian's chromium driven
// by playwright-core. Every wait is bounded.
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, mkdirSync } from 'node:fs';
import readline from 'node:readline';

const STOP_GRACE_MS = 3000;
const live = new Set();
process.on('exit', () => {
    for (const child of live) {
        try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ }
    }
});

export function requireEnv(name, hint) {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set (${hint}); CTest sets it`);
    return value;
}

export function requireExecutable(path, hint) {
    try {
        accessSync(path, fsConstants.X_OK);
    } catch {
        throw new Error(`${path} is missing or not executable: ${hint}`);
    }
    return path;
}

export function artifactsDir() {
    const dir = process.env.QTSOCKETIO_ARTIFACTS_DIR || 'artifacts';
    mkdirSync(dir, { recursive: true });
    return dir;
}

// The environment without any display (so that the demo picks its headless mode), plus extra.
export function envWithoutDisplay(extra = {}) {
    const env = { ...process.env };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    delete env.QT_QPA_PLATFORM;
    return { ...env, ...extra };
}

/**
 * Spawns a process whose stdout (and stderr, with mergeStderr) lines are collected. Returns
 * { pid, lines, waitForLine(regex, timeoutMs, from), mark(), send(line), stop(), exited, output() }.
 */
export function startProcess(binary, args = [], { env = process.env, mergeStderr = false, stdio } = {}) {
    const child = spawn(binary, args, { env, stdio: stdio ?? ['pipe', 'pipe', 'pipe'] });
    live.add(child);
    const lines = [];
    const waiters = new Set();
    let stderr = '';
    let exited = null;
    let resolveExit;
    const exitPromise = new Promise((resolve) => { resolveExit = resolve; });

    const onLine = (line) => {
        lines.push(line);
        for (const w of [...waiters]) {
            const m = lines.length - 1 >= w.from ? w.regex.exec(line) : null;
            if (m) w.settle(null, m);
        }
    };
    readline.createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', onLine);
    if (child.stderr) {
        if (mergeStderr) {
            readline.createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (l) => { stderr += l + '\n'; onLine(l); });
        } else {
            child.stderr.setEncoding('utf8');
            child.stderr.on('data', (d) => { stderr += d; });
        }
    }
    child.stdin?.on('error', () => { /* the process exited */ });
    child.on('exit', (code, signal) => {
        exited = { code, signal };
        live.delete(child);
        setTimeout(() => {
            for (const w of [...waiters]) w.settle(new Error(`${binary} exited (${code}, ${signal}) while waiting for ${w.regex}; output:\n${output()}`));
            resolveExit(exited);
        }, 100);
    });
    child.on('error', (err) => {
        exited = { code: null, signal: null, error: err.message };
        live.delete(child);
        for (const w of [...waiters]) w.settle(new Error(`cannot start ${binary}: ${err.message}`));
        resolveExit(exited);
    });

    const output = () => lines.slice(-40).join('\n') + (stderr && !mergeStderr ? `\nstderr:\n${stderr.slice(-3000)}` : '');

    function waitForLine(regex, timeoutMs = 10000, from = 0) {
        for (let i = from; i < lines.length; i++) {
            const m = regex.exec(lines[i]);
            if (m) return Promise.resolve(m);
        }
        if (exited) return Promise.reject(new Error(`${binary} already exited; waiting for ${regex}; output:\n${output()}`));
        return new Promise((resolve, reject) => {
            const w = {
                regex, from,
                settle(err, m) {
                    if (!waiters.delete(w)) return;
                    clearTimeout(timer);
                    err ? reject(err) : resolve(m);
                },
            };
            const timer = setTimeout(() => w.settle(new Error(`timed out after ${timeoutMs} ms waiting for ${regex}; output:\n${output()}`)), timeoutMs);
            waiters.add(w);
        });
    }

    async function stop() {
        if (!exited) {
            try { process.kill(child.pid, 'SIGTERM'); } catch { /* gone */ }
            const killer = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }, STOP_GRACE_MS);
            await exitPromise;
            clearTimeout(killer);
        }
        return exited;
    }

    return {
        pid: child.pid,
        child,
        lines,
        get exited() { return exited; },
        output,
        mark: () => lines.length,
        waitForLine,
        send: (line) => child.stdin.write(line + '\n'),
        stop,
    };
}

/**
 * Starts the demo (QUICKDEMO) on a free port, serving webRoot when given (else its own web folder); resolves
 * once it printed LISTENING <port>.
 */
export async function startDemo({ env, webRoot } = {}) {
    const binary = requireExecutable(requireEnv('QUICKDEMO', 'the quickdemo executable'), 'build examples/quickdemo');
    const demo = startProcess(binary, webRoot ? ['0', webRoot] : ['0'], { env });
    const [, port] = await demo.waitForLine(/^LISTENING (\d+)$/, 20000);
    demo.port = Number(port);
    demo.url = `http://127.0.0.1:${port}/`;
    return demo;
}

/** Starts Xvfb on a free display number (it writes the number to fd 3); resolves with { display, stop }. */
export async function startXvfb() {
    const binary = requireExecutable(process.env.XVFB || '/usr/bin/Xvfb', 'apt-get install xvfb xauth');
    const xvfb = startProcess(binary, ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp', '-noreset'],
        { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    const display = await new Promise((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error('Xvfb did not report its display within 10 s')), 10000);
        xvfb.child.stdio[3].on('data', (d) => {
            text += d;
            if (text.includes('\n')) {
                clearTimeout(timer);
                resolve(`:${text.trim()}`);
            }
        });
        xvfb.child.once('exit', () => { clearTimeout(timer); reject(new Error(`Xvfb exited: ${xvfb.output()}`)); });
    });
    return { display, stop: xvfb.stop, pid: xvfb.pid };
}

/**
 * Debian's chromium, headless, driven by playwright-core. Each browser.newContext() is a separate
 * profile (like a separate browser); launch() itself runs on a fresh temporary --user-data-dir that
 * playwright-core creates and deletes.
 */
export async function launchChromium() {
    const executablePath = requireExecutable(process.env.CHROMIUM || '/usr/bin/chromium', 'apt-get install chromium');
    const { chromium } = await import('playwright-core');
    return chromium.launch({
        executablePath,
        headless: true,
        timeout: 30000,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
}

/** Opens the demo's chat page in a new browser context; resolves with { page, id } once connected. */
export async function openChat(browser, url) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url, { timeout: 15000 });
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('connected as '),
        null, { timeout: 15000 });
    const id = (await page.textContent('#status')).replace('connected as ', '').trim();
    return { context, page, id };
}

/** The texts of the chat page's log lines. */
export function logLines(page) {
    return page.$$eval('#log div', (divs) => divs.map((d) => d.textContent));
}
