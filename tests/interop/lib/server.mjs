// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Test harness: spawns a QtSocketIo test server executable, follows its stdout event lines
// ("LISTENING <port>", "OPEN <sid> <transport>", "UPGRADE <sid> websocket", "CLOSE <sid> <reason>")
// and stops it again. Every wait is bounded.

import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import readline from 'node:readline';
import { after, before } from 'node:test';
import { killOnExit } from '../../shared/js/helpers.mjs';

const HOST = '127.0.0.1';
const STOP_GRACE_MS = 3000;

/**
 * Returns the path of the server executable named by the environment variable `envName`,
 * or throws an error that says clearly what is missing.
 */
export function serverBinaryFromEnv(envName) {
    const path = process.env[envName];
    if (!path) {
        throw new Error(`${envName} is not set: point it at the test server executable, e.g. ` +
            `${envName}=/path/to/build/tests/interop/eioserver/eioserver node --test --test-concurrency=1 engineio/`);
    }
    try {
        accessSync(path, fsConstants.X_OK);
    } catch {
        throw new Error(`${envName}=${path} is not an executable file`);
    }
    return path;
}

export function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Registers node:test before/after hooks that start the server named by `envName` with `args` for the
 * enclosing describe() and stop it afterwards. The after hook fails if the server died during the
 * suite or did not shut down cleanly on SIGTERM. Returns a holder whose `server` is set once started.
 */
export function useServer(envName, args = []) {
    const holder = { server: null };
    before(async () => {
        holder.server = await startServer(serverBinaryFromEnv(envName), args);
    });
    after(async () => {
        const server = holder.server;
        if (!server) {
            return;
        }
        const diedEarly = server.exited;
        const result = await server.stop();
        if (diedEarly) {
            throw new Error(`the server (${args.join(' ')}) died during the suite: ${server.describeExit()}`);
        }
        const clean = (result.code === 0 && result.signal === null) ||
            (result.code === null && result.signal === 'SIGTERM');
        if (!clean) {
            throw new Error(`the server (${args.join(' ')}) did not shut down cleanly on SIGTERM: ` +
                server.describeExit());
        }
    });
    return holder;
}

/**
 * Spawns `binaryPath args...` and resolves once it printed `LISTENING <port>` (rejects after
 * `startTimeoutMs`, default 10 s, or if the process exits first).
 *
 * The returned object has:
 *   port, host          where the server listens
 *   url(path)           'http://127.0.0.1:<port>' + path (path defaults to '')
 *   wsUrl(path)         'ws://127.0.0.1:<port>' + path
 *   lines               every stdout line so far (array, grows)
 *   stderr()            everything the server wrote on stderr so far
 *   exited              null while running, else { code, signal }
 *   mark()              current number of lines, to pass as `from` to waitForLine
 *   waitForLine(regex, timeoutMs = 5000, from = 0)
 *                       resolves with the match of the first line (index >= from) matching regex,
 *                       rejects on timeout or when the server exits before such a line appears
 *   linesMatching(regex) all current matches
 *   stop()              SIGTERM to the server's own PID, SIGKILL after 3 s; resolves with { code, signal }
 */
export function startServer(binaryPath, args = [], { startTimeoutMs = 10000, env } = {}) {
    const child = spawn(binaryPath, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: env ?? process.env,
    });
    killOnExit(child);
    // A server the test forgot to stop must not keep the test process alive; killOnExit kills it at the end.
    child.unref();
    child.stdout.unref?.();
    child.stderr.unref?.();

    const lines = [];
    const waiters = new Set();
    let stderrText = '';
    let exited = null;
    let exitPromiseResolve;
    const exitPromise = new Promise((resolve) => { exitPromiseResolve = resolve; });

    const describeExit = () => exited
        ? `server exited (code ${exited.code}, signal ${exited.signal})` +
          (stderrText ? `; stderr:\n${stderrText.slice(-4000)}` : '')
        : 'server still running';

    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => { stderrText += chunk; });

    const rl = readline.createInterface({ input: child.stdout, crlfDelay: Infinity });
    rl.on('line', (line) => {
        lines.push(line);
        const index = lines.length - 1;
        for (const waiter of [...waiters]) {
            if (index < waiter.from) {
                continue;
            }
            const match = waiter.regex.exec(line);
            if (match) {
                waiter.settle(null, match);
            }
        }
    });

    child.on('exit', (code, signal) => {
        exited = { code, signal };
        // Let stdout drain into `lines` before failing pending waits.
        const finish = () => {
            failAllWaiters();
            exitPromiseResolve(exited);
        };
        if (child.stdout.readableEnded) {
            finish();
        } else {
            rl.once('close', finish);
            // Bounded in case the pipe stays open (e.g. a grandchild inherited it).
            setTimeout(finish, 500);
        }
    });

    function failAllWaiters() {
        for (const waiter of [...waiters]) {
            waiter.settle(new Error(`waitForLine(${waiter.regex}): ${describeExit()}; ` +
                `lines so far:\n${lines.slice(-30).join('\n')}`));
        }
    }

    function waitForLine(regex, timeoutMs = 5000, from = 0) {
        for (let i = from; i < lines.length; i++) {
            const match = regex.exec(lines[i]);
            if (match) {
                return Promise.resolve(match);
            }
        }
        if (exited) {
            return Promise.reject(new Error(`waitForLine(${regex}): ${describeExit()}`));
        }
        return new Promise((resolve, reject) => {
            const waiter = {
                regex,
                from,
                settle(err, match) {
                    if (!waiters.delete(waiter)) {
                        return;
                    }
                    clearTimeout(timer);
                    if (err) {
                        reject(err);
                    } else {
                        resolve(match);
                    }
                },
            };
            const timer = setTimeout(() => {
                waiter.settle(new Error(`waitForLine(${regex}) timed out after ${timeoutMs} ms; ` +
                    `last lines:\n${lines.slice(-30).join('\n')}`));
            }, timeoutMs);
            waiters.add(waiter);
        });
    }

    async function stop() {
        if (!exited) {
            child.ref(); // keep the event loop alive until the 'exit' event
            try {
                process.kill(child.pid, 'SIGTERM');
            } catch {
                // exited meanwhile
            }
            const killTimer = setTimeout(() => {
                try {
                    process.kill(child.pid, 'SIGKILL');
                } catch {
                    // exited meanwhile
                }
            }, STOP_GRACE_MS);
            await exitPromise;
            clearTimeout(killTimer);
        }
        return exited;
    }

    const server = {
        host: HOST,
        port: 0,
        lines,
        pid: child.pid,
        args,
        get exited() { return exited; },
        stderr: () => stderrText,
        describeExit,
        mark: () => lines.length,
        url: (path = '') => `http://${HOST}:${server.port}${path}`,
        wsUrl: (path = '') => `ws://${HOST}:${server.port}${path}`,
        waitForLine,
        linesMatching: (regex) => lines.map((l) => regex.exec(l)).filter(Boolean),
        // waitForEvent('CLOSE', sid) resolves with the rest of the line (e.g. the close reason).
        waitForEvent: async (kind, sid, timeoutMs = 5000, from = 0) =>
            (await waitForLine(new RegExp(`^${kind} ${escapeRegExp(sid)}(?: (.*))?$`), timeoutMs, from))[1] ?? '',
        eventsFor: (kind, sid) =>
            lines.filter((l) => l === `${kind} ${sid}` || l.startsWith(`${kind} ${sid} `)),
        stop,
    };

    return new Promise((resolve, reject) => {
        child.once('error', (err) => {
            // Spawning failed (e.g. ENOENT): no 'exit' may follow, so settle everything here.
                if (!exited) {
                exited = { code: null, signal: null, error: err.message };
                exitPromiseResolve(exited);
            }
            failAllWaiters();
            reject(new Error(`cannot start ${binaryPath}: ${err.message}`));
        });
        waitForLine(/^LISTENING (\d+)$/, startTimeoutMs).then((match) => {
            server.port = Number(match[1]);
            resolve(server);
        }, async (err) => {
            await stop();
            reject(new Error(`${binaryPath} ${args.join(' ')} did not print LISTENING <port>: ${err.message}` +
                (stderrText ? `\nstderr:\n${stderrText.slice(-4000)}` : '')));
        });
    });
}
