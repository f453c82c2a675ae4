// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Driver for the QML tests (NodeClient): runs real socket.io-client instances, one per id, on commands
// read from stdin as JSON lines, and reports what they see on stdout as JSON lines. Binary values travel
// as {"$bin": base64}. Exits when stdin closes (the test ended or died).
//
// Commands:
//   {op:"connect", id, url, nsp?, options?, answers?}   answers: {event: [args]} answers server acks;
//                                                      options.msgpack: true uses socket.io-msgpack-parser
//   {op:"emit", id, event, args, ack?, timeout?}          ack: reports {type:"ack", id, reqId, err, args}
//   {op:"reply", ackId, args}                             answers a server emitWithAck by hand
//   {op:"disconnect", id}
// Reports: connect {id, sid, transport}, upgrade {id, transport}, connect_error {id, message, data},
//   disconnect {id, reason}, event {id, event, args, ackId?}, ack {id, reqId, err, args}.
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';

const modules = process.env.QTSOCKETIO_NODE_MODULES;
if (!modules) {
    process.stderr.write('QTSOCKETIO_NODE_MODULES is not set: point it at tests/interop/node_modules\n');
    process.exit(2);
}
const require = createRequire(path.join(modules, 'noop.js'));
const { io } = require('socket.io-client');

const out = (message) => process.stdout.write(JSON.stringify(encode(message)) + '\n');

function encode(value) {
    if (Buffer.isBuffer(value) || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
        const buf = Buffer.isBuffer(value) ? value
            : value instanceof ArrayBuffer ? Buffer.from(value)
                : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
        return { $bin: buf.toString('base64') };
    }
    if (Array.isArray(value)) return value.map(encode);
    if (value && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
    }
    return value === undefined ? null : value;
}

function decode(value) {
    if (Array.isArray(value)) return value.map(decode);
    if (value && typeof value === 'object') {
        const keys = Object.keys(value);
        if (keys.length === 1 && keys[0] === '$bin') return Buffer.from(value.$bin, 'base64');
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
    }
    return value;
}

const clients = new Map();
const pendingAcks = new Map();
let nextAckId = 1;
let nextReqId = 1;

function connect({ id, url, nsp = '/', options = {}, answers = {} }) {
    const { msgpack, ...rest } = options;
    const socket = io(url + (nsp === '/' ? '' : nsp), {
        forceNew: true, reconnection: false, timeout: 5000, ...decode(rest),
        ...(msgpack ? { parser: require('socket.io-msgpack-parser') } : {}),
    });
    clients.set(id, socket);
    // The upgrade may finish before 'connect' (the probe starts as soon as the engine opens): listen from the
    // engine's 'open', which comes before any probe.
    socket.io.once('open', () => {
        socket.io.engine.once('upgrade', (t) => out({ type: 'upgrade', id, transport: t.name }));
    });
    socket.on('connect', () => {
        const engine = socket.io.engine;
        out({ type: 'connect', id, sid: socket.id, transport: engine.transport.name });
    });
    socket.on('connect_error', (err) => out({ type: 'connect_error', id, message: err.message, data: err.data ?? null }));
    socket.on('disconnect', (reason) => out({ type: 'disconnect', id, reason }));
    socket.onAny((event, ...args) => {
        const message = { type: 'event', id, event };
        if (typeof args[args.length - 1] === 'function') {
            const callback = args.pop();
            if (answers[event] !== undefined) {
                callback(...decode(answers[event]));
            } else {
                message.ackId = nextAckId++;
                pendingAcks.set(message.ackId, callback);
            }
        }
        message.args = args;
        out(message);
    });
}

function emit({ id, event, args = [], ack = false, timeout = 5000 }) {
    const socket = clients.get(id);
    if (!socket) return out({ type: 'error', message: `no client ${id}` });
    const values = decode(args);
    if (!ack) return socket.emit(event, ...values);
    const reqId = nextReqId++;
    socket.timeout(timeout).emit(event, ...values, (err, ...answer) => {
        out({ type: 'ack', id, reqId, event, err: err ? err.message : null, args: answer });
    });
    out({ type: 'sent', id, reqId, event });
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
    if (!line.trim()) return;
    let command;
    try {
        command = JSON.parse(line);
    } catch (e) {
        return out({ type: 'error', message: `bad command: ${e.message}` });
    }
    try {
        switch (command.op) {
        case 'connect': connect(command); break;
        case 'emit': emit(command); break;
        case 'reply': {
            const callback = pendingAcks.get(command.ackId);
            pendingAcks.delete(command.ackId);
            if (callback) callback(...decode(command.args ?? []));
            break;
        }
        case 'disconnect': clients.get(command.id)?.disconnect(); break;
        default: out({ type: 'error', message: `unknown op ${command.op}` });
        }
    } catch (e) {
        out({ type: 'error', message: String(e && e.stack || e) });
    }
});
rl.on('close', () => {
    for (const socket of clients.values()) socket.disconnect();
    setTimeout(() => process.exit(0), 50).unref();
    setTimeout(() => process.exit(0), 1000);
});
out({ type: 'ready' });
