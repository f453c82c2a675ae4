// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Chaos: the backend ($CLUSTER_BACKEND) killed with SIGKILL in the middle of broadcast traffic, three times, and
// restarted on the same port each time (PostgreSQL: the postmaster and every backend, then crash recovery on the
// same data directory). A socket.io-client on QtSocketIo node A broadcasts a numbered event every few ms; two
// clients on node B count what arrives. The adapters reconnect by themselves. Asserted: both nodes stay up, A's own
// clients get everything throughout, every broadcast sent once both nodes are connected again reaches B, in order,
// without duplicates. What is lost while the backend is down (and what was in flight when it died) is counted and
// printed per outage. The adapters' outage queue (well within its bounds here) keeps what A publishes while the
// backend is down and sends it in order once B listens again: zero loss is asserted.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BACKEND, LABEL, TAG, connectClient, quietPeriod, startBackend } from './lib/backend.mjs';

const onRedis = BACKEND === 'redis';
const OUTAGES = 3;
const PERIOD_MS = 5;          // one broadcast every 5 ms from A's client
const STEADY_MS = 300;        // traffic before each kill
const DOWN_MS = 300;          // traffic while the backend is dead, before it is started again
const AFTER_UP_MS = 700;      // traffic after both nodes reconnected, all of which must reach B

/** Counts the numbered 'chaos' events a client receives: each seq, duplicates, and those arriving out of order. */
function recorder(socket) {
    const r = { seen: new Set(), duplicates: 0, outOfOrder: 0, max: -1 };
    socket.on('chaos', (seq) => {
        if (r.seen.has(seq)) {
            r.duplicates++;
        }
        r.seen.add(seq);
        if (seq < r.max) {
            r.outOfOrder++;
        }
        r.max = Math.max(r.max, seq);
    });
    return r;
}

/** How many of the seqs in [from, to) r has. */
function countIn(r, from, to) {
    let n = 0;
    for (let s = from; s < to; s++) {
        n += r.seen.has(s) ? 1 : 0;
    }
    return n;
}

/** Waits (bounded) until every recorder has every seq in [from, to); returns whether they all did. */
async function waitAll(recorders, from, to, ms) {
    for (let waited = 0; waited < ms; waited += 20) {
        if (recorders.every((r) => countIn(r, from, to) === to - from)) {
            return true;
        }
        await quietPeriod(20);
    }
    return recorders.every((r) => countIn(r, from, to) === to - from);
}

describe(`${LABEL} killed (SIGKILL) under broadcast traffic between two QtSocketIo nodes`, () => {
    let backend;
    let a;
    let b;
    const clients = [];
    let timer = null;

    before(async () => {
        backend = await startBackend();
        const fast = onRedis ? ['--requests-timeout', '1500']
            : ['--heartbeat-interval', '500', '--heartbeat-timeout', '1500', '--requests-timeout', '1500'];
        a = await backend.startQtNode(['--name', 'A', ...fast]);
        b = await backend.startQtNode(['--name', 'B', ...fast]);
    });
    after(async () => {
        clearInterval(timer);
        for (const x of clients) {
            x.socket.disconnect();
        }
        await a?.stop();
        await b?.stop();
        await backend?.stop();
    });

    it(`${OUTAGES} outages: nodes stay up, traffic resumes in order without duplicates; loss is counted`, async (t) => {
        const sender = await connectClient(a.port);
        const b1 = await connectClient(b.port);
        const b2 = await connectClient(b.port);
        clients.push(sender, b1, b2);
        const local = recorder(sender.socket);   // A's own client: the broadcast was emitted on A
        const remote = [recorder(b1.socket), recorder(b2.socket)];

        // Cross-node path checked once before any traffic.
        sender.socket.emit('to', [], 'chaos', -1);
        assert.ok(await waitAll(remote, -1, 0, 5000), 'the first broadcast reaches B');

        // A node holds its outage queue until as many nodes listen as it last counted (every 500 ms).
        await quietPeriod(1000);
        let next = 0;
        timer = setInterval(() => sender.socket.emit('to', [], 'chaos', next++), PERIOD_MS);
        const down = new RegExp(`^${TAG} DOWN$`);
        const up = new RegExp(`^${TAG} UP$`);
        const totals = { sent: 0, delivered: 0, lost: 0 };
        let segmentStart = 0;
        for (let outage = 1; outage <= OUTAGES; outage++) {
            await quietPeriod(STEADY_MS);
            const before = remote.map((r) => ({ duplicates: r.duplicates, outOfOrder: r.outOfOrder }));
            const markA = a.mark();
            const markB = b.mark();
            const killSeq = next;
            const killedAt = Date.now();
            await backend.crash();
            await a.waitForLine(down, 10000, markA);
            await b.waitForLine(down, 10000, markB);
            const downSeq = next;   // from here on A knows Redis is down: what it publishes goes to its queue
            await quietPeriod(DOWN_MS);
            await backend.up();
            await a.waitForLine(up, 20000, markA);
            await b.waitForLine(up, 20000, markB);
            const upSeq = next;
            const outageMs = Date.now() - killedAt;
            await quietPeriod(AFTER_UP_MS);
            const endSeq = next;

            // Everything arrives on B, the outage included; A's client had everything. PostgreSQL: what was in flight
            // at the kill itself may be lost (a NOTIFY committed and acknowledged to A reaches the listening
            // backends after the commit: the kill may come between), what was published once A saw the outage
            // may not.
            const resumed = await waitAll(remote, onRedis ? segmentStart : downSeq, endSeq, 10000);
            assert.ok(await waitAll([local], segmentStart, endSeq, 5000), `A's client got all of outage ${outage}`);
            assert.equal(a.exited, null, `node A is up after outage ${outage}`);
            assert.equal(b.exited, null, `node B is up after outage ${outage}`);

            const sent = endSeq - segmentStart;
            remote.forEach((r, i) => {
                const delivered = countIn(r, segmentStart, endSeq);
                const inFlight = (killSeq - segmentStart) - countIn(r, segmentStart, killSeq);
                const whileDown = (upSeq - killSeq) - countIn(r, killSeq, upSeq);
                const afterUp = (endSeq - upSeq) - countIn(r, upSeq, endSeq);
                const duplicates = r.duplicates - before[i].duplicates;
                const outOfOrder = r.outOfOrder - before[i].outOfOrder;
                t.diagnostic(`${LABEL} outage ${outage} (${outageMs} ms from kill to both nodes up), client B${i + 1}: `
                    + `sent ${sent}, delivered ${delivered}, lost ${sent - delivered} (${inFlight} sent before the `
                    + `kill, ${whileDown} while down, ${afterUp} after reconnection), duplicates ${duplicates}, `
                    + `out of order ${outOfOrder}`);
                totals.sent += sent;
                totals.delivered += delivered;
                totals.lost += sent - delivered;
                assert.equal(afterUp, 0, `B${i + 1} got every broadcast sent after reconnection ${outage}`);
                {
                    // Published once both nodes saw the outage: queued, then delivered. What was in flight at the
                    // kill is sent again unless Redis acknowledged it (the wait for "traffic resumed" below checks
                    // the whole segment).
                    assert.equal(countIn(r, downSeq, upSeq), upSeq - downSeq,
                        `B${i + 1} lost nothing published during outage ${outage}`);
                }
                assert.equal(duplicates, 0, `no duplicates at B${i + 1} in outage ${outage}`);
                assert.equal(outOfOrder, 0, `nothing out of order at B${i + 1} in outage ${outage}`);
            });
            assert.ok(resumed, `traffic resumed after outage ${outage}`);
            segmentStart = endSeq;
        }
        clearInterval(timer);
        t.diagnostic(`${LABEL} total over ${OUTAGES} outages and 2 clients on B: sent ${totals.sent}, `
            + `delivered ${totals.delivered}, lost ${totals.lost}`);
        // Nothing was sent twice over the whole run either.
        for (const r of [local, ...remote]) {
            assert.equal(r.duplicates, 0);
            assert.equal(r.outOfOrder, 0);
        }
        assert.equal(a.exited, null);
        assert.equal(b.exited, null);
    });
});
