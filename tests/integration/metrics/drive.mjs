// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Traffic for tst_metrics: one real socket.io-client drives a known amount of traffic against the server of
// the test, counts the Engine.IO packets and bytes it sent and received (engine.io-client's packetCreate and
// packet events), prints them as one JSON line, and waits for a line on stdin before it disconnects, so that
// the test scrapes the metrics endpoint while it is still connected.
//
//   node drive.mjs '{"url":"http://127.0.0.1:PORT","transport":"websocket","namespaces":["/","/chat"],
//                    "echoes":3,"rooms":2,"answered":2,"held":1,"volatileBurst":5,"flood":false}'
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';

const modules = process.env.QTSOCKETIO_NODE_MODULES;
if (!modules) {
    process.stderr.write('QTSOCKETIO_NODE_MODULES is not set: point it at tests/interop/node_modules\n');
    process.exit(2);
}
const require = createRequire(path.join(modules, 'noop.js'));
const { Manager } = require('socket.io-client');

const plan = JSON.parse(process.argv[2]);
const counts = { sentPackets: 0, sentBytes: 0, receivedPackets: 0, receivedBytes: 0, volatileReceived: 0,
    disconnectReason: '' };
// An Engine.IO packet's size as the server counts it: the type byte and the data (UTF-8) of a text packet,
// the data of a binary one.
const size = (packet) => {
    if (packet.data === undefined) return 1;
    if (typeof packet.data === 'string') return 1 + Buffer.byteLength(packet.data, 'utf8');
    return packet.data.byteLength ?? packet.data.length;
};

const manager = new Manager(plan.url, { transports: [plan.transport], upgrade: false, reconnection: false,
    forceNew: true, autoConnect: false });
const withTimeout = (promise, ms, what) => Promise.race([promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`timeout: ${what}`)), ms))]);

async function main() {
    const opened = new Promise((resolve, reject) => {
        manager.open((err) => (err ? reject(err) : resolve()));
    });
    // open() made the engine; nothing has arrived yet (the open packet comes in a later event-loop turn).
    manager.engine.on('packetCreate', (p) => { counts.sentPackets += 1; counts.sentBytes += size(p); });
    manager.engine.on('packet', (p) => { counts.receivedPackets += 1; counts.receivedBytes += size(p); });
    await withTimeout(opened, 10000, 'engine open');

    const sockets = [];
    for (const nsp of plan.namespaces) {
        const socket = manager.socket(nsp);
        socket.on('q', (n, ack) => ack(n + 1));
        socket.on('hold', () => { /* never answered: stays pending on the server */ });
        socket.on('big', () => { counts.volatileReceived += 1; });
        socket.on('flood', () => {});
        socket.on('disconnect', (reason) => { counts.disconnectReason = reason; });
        const connected = new Promise((resolve, reject) => {
            socket.once('connect', resolve);
            socket.once('connect_error', reject);
        });
        socket.connect();
        await withTimeout(connected, 10000, `connect ${nsp}`);
        sockets.push(socket);
    }
    const main = sockets[0];
    for (let i = 0; i < plan.echoes; i++) {
        const answer = await main.timeout(10000).emitWithAck('echo', { i, text: 'héllo' });
        if (answer.i !== i) throw new Error('bad echo');
    }
    for (let i = 0; i < plan.rooms; i++)
        await main.timeout(10000).emitWithAck('join', `room-${i}`);
    if (plan.answered || plan.held) {
        // The server asks `answered` questions (answered by the 'q' listener) and sends `held` that are not.
        const answered = new Promise((resolve) => {
            let n = 0;
            if (!plan.answered) resolve();
            main.on('q', () => { if (++n === plan.answered) setImmediate(resolve); });
        });
        await main.timeout(10000).emitWithAck('ask', plan.answered, plan.held);
        await withTimeout(answered, 10000, 'questions');
        // The answers were written; one more round trip makes sure the server read them.
        await main.timeout(10000).emitWithAck('echo', { i: -1 });
    }
    if (plan.volatileBurst)
        await main.timeout(10000).emitWithAck('burst', plan.volatileBurst);
    if (plan.flood) {
        const gone = new Promise((resolve) => main.once('disconnect', resolve));
        main.emit('flood');
        await withTimeout(gone, 10000, 'slow-consumer close');
    }
    process.stdout.write(JSON.stringify(counts) + '\n');
    const lines = readline.createInterface({ input: process.stdin });
    await new Promise((resolve) => { lines.once('line', resolve); lines.once('close', resolve); });
    lines.close();
    for (const socket of sockets)
        socket.disconnect();
    manager.engine?.close();
    setTimeout(() => process.exit(0), 100);
}

main().catch((err) => {
    process.stderr.write(`drive.mjs: ${err.stack || err}\n`);
    process.exit(1);
});
