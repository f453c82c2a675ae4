// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Group 11: malformed or out-of-place Socket.IO packets, written by hand over a bare engine.io-client
// Socket (engine.io-client adds the Engine.IO "4" message prefix, so '7' goes out as the frame '47').
// Each one either makes the server close the connection (DISCONNECT "parse error" or "forced close")
// or is ignored (the connection stays usable). Either way the server must go on serving new clients.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
    VARIANTS, clientTracker, connect, emitAck, escapeRegExp, quietPeriod, rawConnectNamespace, rawEngine,
    useSioServer, waitDisconnectLine,
} from './lib/sio.mjs';

const CLOSE_REASONS = ['parse error', 'forced close'];
const PROBE_ID = 7001;
const PROBE = `2${PROBE_ID}["echo","probe"]`;
const PROBE_ANSWER = `3${PROBE_ID}["probe"]`;
const placeholder = (num) => ({ _placeholder: true, num });

/**
 * name, packets to send after connecting "/" (strings, or Buffers for binary attachments), and
 * `expect`: 'either' (closed with a documented reason, or ignored) or 'ignored' (must stay usable).
 */
const CASES = [
    { name: 'unknown packet type "47"', packets: ['7'], expect: 'either' },
    { name: 'unknown packet type "49" with data', packets: ['9["echo"]'], expect: 'either' },
    { name: 'non-array event payload 42{"a":1}', packets: ['2{"a":1}'], expect: 'either' },
    { name: 'event payload that is not JSON 42["echo"', packets: ['2["echo"'], expect: 'either' },
    { name: 'event with an empty array 42[]', packets: ['2[]'], expect: 'either' },
    { name: 'event whose name is not a string 42[{}]', packets: ['2[{"a":1}]'], expect: 'either' },
    { name: 'non-numeric ack id 42abc["echo"]', packets: ['2abc["echo"]'], expect: 'either' },
    { name: 'ack id beyond 2^53 4299999999999999999999["echo"]', packets: ['299999999999999999999["echo","x"]'],
        expect: 'either' },
    { name: 'ACK with an unknown id 43999[] (ignored)', packets: ['3999[]'], expect: 'ignored' },
    { name: 'ACK with a non-array payload 43999{}', packets: ['3999{}'], expect: 'either' },
    {
        name: 'too many attachments 4511-[...]',
        packets: [`511-${JSON.stringify(['echo', placeholder(0)])}`],
        expect: 'either',
    },
    {
        name: 'attachment count that is not a number 45x-[...]',
        packets: [`5x-${JSON.stringify(['echo', placeholder(0)])}`],
        expect: 'either',
    },
    {
        name: 'zero attachments 450-[...]',
        packets: [`50-${JSON.stringify(['echo', 'x'])}`],
        expect: 'either',
    },
    {
        name: 'too few attachments: placeholder num 1 with 1 attachment',
        packets: [`51-${JSON.stringify(['echo', placeholder(1)])}`, Buffer.from([1, 2, 3])],
        expect: 'either',
    },
    {
        name: 'placeholder with a negative num',
        packets: [`51-${JSON.stringify(['echo', placeholder(-1)])}`, Buffer.from([1])],
        expect: 'either',
    },
    {
        name: 'a text packet while attachments are still expected',
        packets: [`52-${JSON.stringify(['echo', placeholder(0), placeholder(1)])}`, Buffer.from([1]), '2["echo","x"]'],
        expect: 'either',
    },
    { name: 'a binary frame with no binary packet pending', packets: [Buffer.from([9, 9, 9])], expect: 'either' },
    { name: 'an event on a namespace never joined 42/chat,["echo"]', packets: ['2/chat,["echo","x"]'], expect: 'either' },
    { name: 'DISCONNECT for a namespace never joined 41/chat,', packets: ['1/chat,'], expect: 'either' },
    { name: 'a second CONNECT for the connected namespace', packets: ['0'], expect: 'either' },
    { name: 'CONNECT_ERROR sent by the client 44{"message":"x"}', packets: ['4{"message":"x"}'], expect: 'either' },
    { name: 'CONNECT with a non-object payload 40/chat,"str"', packets: ['0/chat,"str"'], expect: 'either' },
    { name: 'an empty Socket.IO packet', packets: [''], expect: 'either' },
    { name: 'the reserved event name "disconnect"', packets: ['2["disconnect"]'], expect: 'either' },
];

describe('bad input from a raw client', () => {
    const ctx = useSioServer();
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());
    const outcomes = [];

    /** After the bad packets and the probe: 'closed' or 'ignored'. */
    async function outcomeOf(raw) {
        const settled = await Promise.race([
            raw.closed(3000).then(() => 'closed'),
            raw.waitMessage((m) => m === PROBE_ANSWER, 3000, 'the probe answer').then(() => 'answered', () => 'closed'),
        ]).catch(() => 'neither');
        if (settled === 'answered') {
            await quietPeriod(150); // a close that follows right after still counts as closed
            return raw.closeInfo ? 'closed' : 'ignored';
        }
        return settled;
    }

    for (const transport of ['websocket', 'polling']) {
        for (const c of CASES) {
            it(`${transport}: ${c.name}`, async (t) => {
                const raw = await rawEngine(ctx.server, [transport], { tracker });
                const sid = await rawConnectNamespace(raw, '/');
                const from = ctx.server.mark();
                for (const p of c.packets) {
                    raw.send(p);
                }
                raw.send(PROBE);
                const outcome = await outcomeOf(raw);
                let detail = outcome;
                if (outcome === 'closed') {
                    const reason = await waitDisconnectLine(ctx.server, '/', sid, 3000);
                    detail += ` (server: ${reason})`;
                    assert.ok(CLOSE_REASONS.includes(reason), `server DISCONNECT reason "${reason}"`);
                } else {
                    assert.equal(outcome, 'ignored', 'the connection neither closed nor answered the probe');
                    assert.ok(raw.messages.includes(PROBE_ANSWER));
                }
                const errors = ctx.server.lines.slice(from).filter((l) => l.startsWith('ERROR '));
                if (errors.length) {
                    detail += `; ${errors.join(' | ')}`;
                }
                t.diagnostic(detail);
                outcomes.push(`${transport}: ${c.name}: ${detail}`);
                if (c.expect === 'ignored') {
                    assert.equal(outcome, 'ignored');
                }
                // the echo of the unjoined namespace must never have been answered
                assert.ok(!raw.messages.some((m) => typeof m === 'string' && m.startsWith('2/chat,')));
                assert.equal(ctx.server.exited, null, `the server died: ${ctx.server.describeExit()}`);
                // and the server keeps serving a new client
                const fresh = await connect(ctx.server, '/', VARIANTS[transport === 'websocket' ? 1 : 0], {}, { tracker });
                assert.deepEqual(await emitAck(fresh.socket, 'echo', c.name), [c.name]);
            });
        }

        it(`${transport}: CONNECT to an unknown namespace gets CONNECT_ERROR; the connection stays usable`, async () => {
            const raw = await rawEngine(ctx.server, [transport], { tracker });
            await rawConnectNamespace(raw, '/');
            raw.send('0/nope,');
            const reply = await raw.waitMessage((m) => typeof m === 'string' && m.startsWith('4/nope,'), 3000,
                'CONNECT_ERROR for /nope');
            assert.deepEqual(JSON.parse(reply.slice('4/nope,'.length)), { message: 'Invalid namespace' });
            raw.send(PROBE);
            await raw.waitMessage((m) => m === PROBE_ANSWER, 3000, 'the probe answer');
        });

        it(`${transport}: CONNECT of /chat on the raw connection, then an event on it, works`, async () => {
            const raw = await rawEngine(ctx.server, [transport], { tracker });
            const sid = await rawConnectNamespace(raw, '/chat', { any: 'thing' });
            assert.equal(typeof sid, 'string');
            raw.send('2/chat,12["echo","in chat"]');
            await raw.waitMessage((m) => m === '3/chat,12["in chat"]', 3000, 'the /chat ack');
            raw.send('2/chat,["echo",1]');
            await raw.waitMessage((m) => m === '2/chat,["echo",1]', 3000, 'the /chat echo event');
        });

        it(`${transport}: an event before any CONNECT is not handled`, async (t) => {
            const raw = await rawEngine(ctx.server, [transport], { tracker });
            raw.send('2["echo","early"]');
            raw.send('21["echo","early"]');
            await Promise.race([raw.closed(300), quietPeriod(300)]);
            t.diagnostic(raw.closeInfo ? `closed (${raw.closeInfo.reason})` : 'ignored');
            assert.deepEqual(raw.messages.filter((m) => typeof m === 'string' && /^[23]/.test(m)), [],
                'the server answered an event of a socket that never connected');
            const fresh = await connect(ctx.server, '/', VARIANTS[1], {}, { tracker });
            assert.deepEqual(await emitAck(fresh.socket, 'echo', 'after'), ['after']);
        });
    }

    it('summary of what the server did with each bad input', (t) => {
        for (const line of outcomes) {
            t.diagnostic(line);
        }
        assert.equal(ctx.server.exited, null);
        const disconnects = ctx.server.lines.filter((l) => l.startsWith('DISCONNECT '));
        for (const l of disconnects) {
            assert.match(l, new RegExp(`^DISCONNECT \\S+ \\S+ (${[
                'client namespace disconnect', 'server namespace disconnect', 'transport close', 'transport error',
                'ping timeout', 'parse error', 'server shutting down', 'forced close',
            ].map(escapeRegExp).join('|')})$`));
        }
    });
});
