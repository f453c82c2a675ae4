// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Group 3: polling -> websocket upgrade with engine.io-client, the upgrade handshake on the wire
// (raw fetch + ws), the upgrade timeout, and no upgrade with --no-upgrades.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../lib/server.mjs';
import {
    eioUrl, fetchBounded, openClient, rawPollingHandshake, rawWebSocket, socketTracker, splitPayload,
} from '../lib/eio-client.mjs';

describe('upgrade polling -> websocket', () => {
    const ctx = useServer('EIO_SERVER', ['--port', '0']);
    const tracker = socketTracker();
    afterEach(() => tracker.closeAll());
    const open = () => openClient(ctx.server, { transports: ['polling', 'websocket'] }, { tracker });

    it("upgrades: client 'upgrade' event with websocket, server prints UPGRADE, echo works afterwards", async () => {
        const { socket, inbox } = await open();
        const sid = socket.id;
        assert.deepEqual(inbox.handshake.upgrades, ['websocket']);
        assert.equal(await ctx.server.waitForEvent('OPEN', sid, 3000), 'polling');
        assert.equal(await inbox.upgraded(5000), 'websocket');
        assert.equal(socket.transport.name, 'websocket');
        assert.equal(await ctx.server.waitForEvent('UPGRADE', sid, 3000), 'websocket');
        socket.send('after upgrade');
        socket.send(Buffer.from([1, 2, 3]));
        const [text, bin] = await inbox.take(2);
        assert.equal(text, 'after upgrade');
        assert.deepEqual(Buffer.from(bin), Buffer.from([1, 2, 3]));
        assert.deepEqual(ctx.server.eventsFor('CLOSE', sid), []);
    });

    it('1000 messages sent right after open, while upgrading and after it come back in order exactly once', async () => {
        const { socket, inbox } = await open();
        const sent = [];
        const sendBatch = (phase, n) => {
            for (let i = 0; i < n; i++) {
                const m = `${phase}-${sent.length}`;
                sent.push(m);
                socket.send(m);
            }
        };
        let sawUpgrading = false;
        socket.once('upgrading', () => {
            sawUpgrading = true;
            sendBatch('upgrading', 250);
        });
        socket.once('upgrade', () => sendBatch('upgraded', 250));
        sendBatch('open', 500); // before the probe can have completed: it needs network round trips

        await inbox.upgraded(5000);
        assert.ok(sawUpgrading, "no 'upgrading' event before 'upgrade'");
        assert.equal(sent.length, 1000);
        const got = await inbox.take(1000, 10000);
        for (let i = 0; i < got.length; i++) {
            if (got[i] !== sent[i]) {
                assert.fail(`message ${i}: expected ${sent[i]}, got ${got[i]} ` +
                    `(neighbourhood: ${JSON.stringify(got.slice(Math.max(0, i - 3), i + 4))})`);
            }
        }
        // Exactly once: the echo of a sentinel must be the very next message.
        socket.send('sentinel');
        assert.equal(await inbox.next(3000), 'sentinel');
        assert.equal(socket.transport.name, 'websocket');
        assert.equal(await ctx.server.waitForEvent('UPGRADE', socket.id, 3000), 'websocket');
    });

    it('a server burst in flight during the upgrade arrives in order exactly once', async () => {
        const { socket, inbox } = await open();
        socket.send('cmd:burst 300');
        await inbox.upgraded(5000);
        socket.send('cmd:burst 300');
        const expected = [];
        for (let round = 0; round < 2; round++) {
            for (let i = 0; i < 300; i++) {
                expected.push(`burst:${i}`);
            }
        }
        assert.deepEqual(await inbox.take(600, 10000), expected);
        socket.send('sentinel');
        assert.equal(await inbox.next(3000), 'sentinel');
    });
});

describe('--no-upgrades', () => {
    const ctx = useServer('EIO_SERVER', ['--port', '0', '--no-upgrades']);
    const tracker = socketTracker();
    afterEach(() => tracker.closeAll());

    it('the polling handshake offers no upgrade and the client stays on polling', async () => {
        const { socket, inbox } = await openClient(ctx.server, { transports: ['polling', 'websocket'] }, { tracker });
        let probed = false;
        socket.on('upgrading', () => { probed = true; });
        assert.deepEqual(inbox.handshake.upgrades, []);
        for (let i = 0; i < 5; i++) {
            socket.send(`m${i}`);
        }
        assert.deepEqual(await inbox.take(5), ['m0', 'm1', 'm2', 'm3', 'm4']);
        assert.equal(socket.transport.name, 'polling');
        assert.equal(probed, false);
        assert.equal(inbox.upgradedTo, null);
        assert.deepEqual(ctx.server.eventsFor('UPGRADE', socket.id), []);
    });

    it('a websocket-only client can still connect directly', async () => {
        const { socket, inbox } = await openClient(ctx.server, { transports: ['websocket'] }, { tracker });
        assert.deepEqual(inbox.handshake.upgrades, []);
        socket.send('x');
        assert.equal(await inbox.next(), 'x');
        assert.equal(await ctx.server.waitForEvent('OPEN', socket.id, 3000), 'websocket');
    });
});

const UPGRADE_TIMEOUT = 300;

describe(`upgrade on the wire (raw polling + raw ws, --upgrade-timeout ${UPGRADE_TIMEOUT})`, () => {
    const ctx = useServer('EIO_SERVER', ['--port', '0', '--upgrade-timeout', String(UPGRADE_TIMEOUT)]);
    const tracker = socketTracker();
    afterEach(() => tracker.closeAll());
    const wsUrlFor = (sid) => ctx.server.wsUrl(`/engine.io/?EIO=4&transport=websocket&sid=${encodeURIComponent(sid)}`);
    const post = (url, body) => fetchBounded(url, {
        method: 'POST', body, headers: { 'content-type': 'text/plain;charset=UTF-8' },
    });

    it('2probe -> 3probe, the pending poll is released with a noop, 5 completes the upgrade', async () => {
        const { sid } = await rawPollingHandshake(ctx.server);
        const pollUrl = eioUrl(ctx.server, { EIO: '4', transport: 'polling', sid });
        const pendingPoll = fetchBounded(pollUrl, {}, 5000); // parked: nothing to send yet
        const raw = await rawWebSocket(wsUrlFor(sid), { tracker });
        raw.send('2probe');
        assert.deepEqual(await raw.next(3000), { data: '3probe', isBinary: false });
        const released = await pendingPoll;
        assert.equal(released.status, 200);
        assert.deepEqual(splitPayload(released.body), ['6'], `pending poll released with ${JSON.stringify(released.body)}`);
        raw.send('5');
        assert.equal(await ctx.server.waitForEvent('UPGRADE', sid, 3000), 'websocket');
        raw.send('4over ws');
        assert.deepEqual(await raw.next(3000), { data: '4over ws', isBinary: false });
        // Polling is no longer the session's transport.
        const late = await fetchBounded(pollUrl, {}, 3000);
        assert.equal(late.status, 400, `polling after the upgrade: ${late.status} ${late.body}`);
    });

    it('messages posted over polling before the upgrade reach the client over the new transport', async () => {
        const { sid } = await rawPollingHandshake(ctx.server);
        const pollUrl = eioUrl(ctx.server, { EIO: '4', transport: 'polling', sid });
        const raw = await rawWebSocket(wsUrlFor(sid), { tracker });
        raw.send('2probe');
        assert.deepEqual(await raw.next(3000), { data: '3probe', isBinary: false });
        // The client has not sent "5" yet: the echoes are queued for whichever transport is active next.
        const res = await post(pollUrl, '4one\x1e4two');
        assert.equal(res.status, 200);
        const fromPoll = [];
        // Before "5", echoes may still go out over polling; collect until the server parks or releases the poll.
        const poll = await fetchBounded(pollUrl, {}, 3000);
        assert.equal(poll.status, 200);
        fromPoll.push(...splitPayload(poll.body).filter((p) => p !== '6'));
        raw.send('5');
        assert.equal(await ctx.server.waitForEvent('UPGRADE', sid, 3000), 'websocket');
        raw.send('4three');
        const fromWs = [];
        while (fromPoll.length + fromWs.length < 3) {
            fromWs.push((await raw.next(3000)).data);
        }
        assert.deepEqual([...fromPoll, ...fromWs], ['4one', '4two', '4three']);
    });

    it('a probe without "5" is abandoned after the upgrade timeout; the polling session goes on', async () => {
        const { sid } = await rawPollingHandshake(ctx.server);
        const pollUrl = eioUrl(ctx.server, { EIO: '4', transport: 'polling', sid });
        const raw = await rawWebSocket(wsUrlFor(sid), { tracker });
        raw.send('2probe');
        assert.deepEqual(await raw.next(3000), { data: '3probe', isBinary: false });
        const t0 = Date.now();
        await raw.closed(UPGRADE_TIMEOUT + 2000);
        const elapsed = Date.now() - t0;
        assert.ok(elapsed >= UPGRADE_TIMEOUT - 50, `probe WebSocket closed after ${elapsed} ms, before the timeout`);
        assert.deepEqual(ctx.server.eventsFor('UPGRADE', sid), []);
        assert.deepEqual(ctx.server.eventsFor('CLOSE', sid), []);
        // The session is still alive on polling.
        assert.equal((await post(pollUrl, '4still polling')).status, 200);
        let got = [];
        while (!got.includes('4still polling')) {
            const poll = await fetchBounded(pollUrl, {}, 3000);
            assert.equal(poll.status, 200, poll.body);
            got = got.concat(splitPayload(poll.body));
        }
        assert.deepEqual(got.filter((p) => p !== '6'), ['4still polling']);
    });

    it('a WebSocket upgrade for an unknown sid is refused', async () => {
        await assert.rejects(rawWebSocket(wsUrlFor('no-such-session'), { tracker, ms: 3000 }),
            /unexpected HTTP 400|socket hang up|closed|ECONNRESET/);
    });
});
