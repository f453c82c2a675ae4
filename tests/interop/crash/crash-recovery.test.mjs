// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Crash recovery with the SQLite session store: the Socket.IO test server ($SIO_SERVER, tests/interop/sioserver,
// --session-store) is killed with SIGKILL in the middle of broadcast traffic, three times, and restarted each time
// on the same port with the same database file. The clients are socket.io-client 4.8 with its own reconnection:
// each one must come back with socket.recovered true, the same id, its rooms and data, and get the broadcasts it
// missed. A sender broadcasts a numbered event to a room every few ms and, every few events, an "echo" with an
// ack: the ack proves that the server handled every event the sender had sent before it on that connection.
// Counted per crash and printed: what the server handled before the kill, what each client had live, what it got
// replayed after the restart, what it lost (handled but never arrived), duplicates, out of order; and what the
// server never handled (sent into the dead connection). Asserted: recovery, no loss, no duplicates, in order.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
    VARIANTS, awaitConnect, clientTracker, connect, emitAck, quietPeriod, startSioServer,
} from '../socketio/lib/sio.mjs';

const CRASHES = 3;
const RECEIVERS = 3;
const PERIOD_MS = 2;            // one broadcast every 2 ms
const CHECKPOINT_EVERY = 10;    // an acked echo after every 10 broadcasts
const TRAFFIC_MS = 500;         // traffic before each kill
const PAUSE_MS = 150;           // client 0 reads nothing for the last 150 ms before each kill
const WS = VARIANTS[1];
const RECONNECT = { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 300, randomizationFactor: 0 };

/** Records the numbered 'tick' events of a receiver, with the connection (1, 2, ...) each arrived on. */
function recorder(socket) {
    const r = { got: new Map(), connection: 0, duplicates: 0, outOfOrder: 0, max: -1 };
    // Counted when the engine opens: the replayed events come before the CONNECT reply, and socket.io-client
    // emits them before 'connect'.
    socket.io.on('open', () => { r.connection++; });
    socket.on('tick', (seq) => {
        if (r.got.has(seq)) {
            r.duplicates++;
        } else {
            r.got.set(seq, r.connection);
        }
        if (seq < r.max) {
            r.outOfOrder++;
        }
        r.max = Math.max(r.max, seq);
    });
    return r;
}

/** Polls (bounded) until predicate() holds; fails with `what` otherwise. */
async function until(predicate, ms, what) {
    for (let waited = 0; waited < ms; waited += 10) {
        if (predicate()) {
            return;
        }
        await quietPeriod(10);
    }
    assert.ok(predicate(), `timed out after ${ms} ms waiting for ${what}`);
}

describe('crash recovery with the SQLite session store', () => {
    const tracker = clientTracker();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'qtsocketio-crash-'));
    let server = null;
    let timer = null;
    after(async () => {
        clearInterval(timer);
        tracker.closeAll();
        await server?.stop();
        rmSync(dir, { recursive: true, force: true });
    });

    it(`${CRASHES} kills (SIGKILL) under traffic: every client recovers its session and misses nothing handled`,
        async (t) => {
            const store = path.join(dir, 'sessions.sqlite');
            const args = ['--recovery', '--max-disconnection-duration', '20000', '--ping-interval', '300',
                '--ping-timeout', '400', '--session-store', store];
            server = await startSioServer(args);
            const port = server.port;

            const receivers = [];
            for (let i = 0; i < RECEIVERS; i++) {
                const { socket } = await connect(server, '/', WS, RECONNECT, { tracker });
                const r = recorder(socket);
                r.connection = 1;   // its engine opened before the recorder existed
                await emitAck(socket, 'join', 'crash');
                await emitAck(socket, 'join', `own-${i}`);
                await emitAck(socket, 'setData', 'n', i);
                receivers.push({ socket, r, id: socket.id, rooms: [socket.id, 'crash', `own-${i}`].sort() });
            }
            const { socket: sender } = await connect(server, '/', WS, RECONNECT, { tracker });

            // The sender: seq -> the server process (epoch) it was sent to; per epoch, the highest seq that an
            // acked echo proves handled.
            let epoch = 0;
            sender.on('connect', () => { epoch++; });   // a reconnection reaches the next process
            let next = 0;
            const epochOf = [];
            const provenUpTo = new Map();
            const tick = () => {
                if (!sender.connected) {
                    return;
                }
                const seq = next++;
                epochOf[seq] = epoch;
                sender.emit('to', ['crash'], 'tick', seq);
                if (seq % CHECKPOINT_EVERY === CHECKPOINT_EVERY - 1) {
                    const sentIn = epoch;
                    sender.emit('echo', seq, () => {
                        provenUpTo.set(sentIn, Math.max(provenUpTo.get(sentIn) ?? -1, seq));
                    });
                }
            };
            timer = setInterval(tick, PERIOD_MS);

            const report = (killed, { crashed = true } = {}) => {
                const seqs = epochOf.map((e, seq) => (e === killed ? seq : -1)).filter((s) => s >= 0);
                const received = (seq) => receivers.some(({ r }) => r.got.has(seq));
                const handled = seqs.filter((seq) => seq <= (provenUpTo.get(killed) ?? -1) || received(seq));
                const stats = receivers.map(({ r }, i) => {
                    let live = 0;
                    let replayed = 0;
                    for (const seq of handled) {
                        const on = r.got.get(seq);
                        if (on === killed + 1) {
                            live++;
                        } else if (on !== undefined) {
                            replayed++;
                        }
                    }
                    return { i, live, replayed, lost: handled.length - live - replayed };
                });
                const lines = stats.map((s) => `client ${s.i}: ${s.live} live, ${s.replayed} replayed, ${s.lost} lost`);
                t.diagnostic(`process ${killed + 1}${crashed ? ' (killed)' : ' (the last one, not killed)'}: `
                    + `the sender sent ${seqs.length}, the server handled ${handled.length} `
                    + `(${seqs.length - handled.length} never handled: still in transit when it died); `
                    + `${lines.join('; ')}`);
                return stats;
            };

            for (let crash = 1; crash <= CRASHES; crash++) {
                await quietPeriod(TRAFFIC_MS - PAUSE_MS);
                // Client 0 stops reading its TCP socket for a while, and its connection is then dropped unread
                // with the server's: what the server sent it meanwhile was in flight, and never arrives.
                const ws = receivers[0].socket.io.engine.transport.ws;
                assert.ok(ws?._socket, 'client 0 runs on WebSocket with a TCP socket');
                ws.pause();   // the ws library's own pause: its receiver does not resume the socket behind it
                await quietPeriod(PAUSE_MS);
                const killed = crash - 1;
                process.kill(server.pid, 'SIGKILL');
                const exit = await server.stop();
                // Thrown away unread (ws would hand what is buffered to the client when the socket closes).
                ws._socket.removeAllListeners('data');
                while (ws._socket.read() !== null) {
                    // discarded
                }
                ws._socket.destroy();
                assert.equal(exit.signal, 'SIGKILL');
                assert.doesNotMatch(server.stderr(), /session store/, 'no session store error before the kill');
                await until(() => receivers.every(({ socket }) => !socket.connected), 5000, 'the disconnects');

                server = await startSioServer([...args, '--port', String(port)]);
                assert.equal(server.port, port);
                await until(() => receivers.every(({ socket, r }) => socket.connected && r.connection > crash),
                    10000, `the reconnections after crash ${crash}`);
                receivers.forEach(({ r }, i) => assert.equal(r.connection, crash + 1, `client ${i} reconnected once`));
                await awaitConnect(sender, 10000, 'the sender\'s reconnection');
                for (const { socket, id, rooms } of receivers) {
                    assert.equal(socket.recovered, true, `client ${id} recovered after crash ${crash}`);
                    assert.equal(socket.id, id);
                    const [me] = await emitAck(socket, 'whoami');
                    assert.equal(me.recovered, true);
                    assert.deepEqual([...me.rooms].sort(), rooms, 'rooms kept');
                    assert.equal(me.data.n, receivers.findIndex((x) => x.id === id), 'data kept');
                }
                // The replayed packets arrive right after 'connect'; one round trip later they are all in.
                await Promise.all(receivers.map(({ socket }) => emitAck(socket, 'echo', 'sync')));
                const stats = report(killed);
                for (const s of stats) {
                    assert.equal(s.lost, 0, `client ${s.i} lost nothing the server handled before crash ${crash}`);
                }
                assert.ok(stats[0].replayed > 0, 'what client 0 had not read came back from the store');
            }

            // The last process: traffic stops, one last checkpoint, then everything is in.
            await quietPeriod(TRAFFIC_MS);
            clearInterval(timer);
            const [last] = await emitAck(sender, 'echo', 'last');
            assert.equal(last, 'last');
            const lastSeq = next - 1;
            await until(() => receivers.every(({ r }) => r.got.has(lastSeq)), 5000, 'the last broadcast');
            for (const s of report(CRASHES, { crashed: false })) {
                assert.equal(s.lost, 0);
                assert.equal(s.replayed, 0);
            }
            for (const { r } of receivers) {
                assert.equal(r.duplicates, 0, 'no duplicates');
                assert.equal(r.outOfOrder, 0, 'in order');
            }
            assert.doesNotMatch(server.stderr(), /session store/, 'no session store error');
            assert.equal(server.exited, null);
        });
});
