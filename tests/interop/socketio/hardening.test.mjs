// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// TLS (HTTPS and WSS with a certificate made at test time), connection caps and the slow-consumer bound,
// seen through socket.io-client and raw sockets.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import WebSocket from 'ws';
import {
    VARIANTS, bytes, clientTracker, connect, emitAck, normalize, startSioServer, useSioServer, waitDisconnectLine,
    withTimeout,
} from './lib/sio.mjs';

function makeCertificate() {
    const dir = mkdtempSync(join(tmpdir(), 'qtsocketio-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
        '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    { stdio: 'ignore' });
    return { dir, cert, key, pem: readFileSync(cert) };
}

describe('TLS: HTTPS long-polling, WSS and the upgrade', () => {
    const tls = makeCertificate();
    let server;
    const tracker = clientTracker();
    before(async () => { server = await startSioServer(['--tls-cert', tls.cert, '--tls-key', tls.key]); });
    after(async () => {
        await server?.stop();
        rmSync(tls.dir, { recursive: true, force: true });
    });
    afterEach(() => tracker.closeAll());

    for (const variant of VARIANTS) {
        it(`${variant.name}: connects with the CA, events and binary round-trip, handshake says secure`, async () => {
            const https = { url: (path = '') => `https://127.0.0.1:${server.port}${path}` };
            const { socket } = await connect(https, '/', variant, { ca: tls.pem }, { tracker });
            assert.deepEqual(normalize(await emitAck(socket, 'echo', 'tls', bytes(1000))), ['tls', bytes(1000)]);
            const [handshake] = await emitAck(socket, 'handshake');
            assert.equal(handshake.secure, true);
            assert.equal(socket.io.engine.transport.name, variant.name === 'polling' ? 'polling' : 'websocket');
        });
    }

    it('a client that does not trust the certificate cannot connect', async () => {
        const https = { url: (path = '') => `https://127.0.0.1:${server.port}${path}` };
        await assert.rejects(connect(https, '/', VARIANTS[1], {}, { tracker, ms: 2000 }));
    });
});

// Sends one HTTP request on a fresh TCP connection and resolves with the raw response (bounded).
function rawRequest(port, text, ms = 3000) {
    return withTimeout(new Promise((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
        let data = '';
        socket.on('data', (chunk) => { data += chunk; });
        socket.on('close', () => resolve(data));
        socket.on('error', reject);
    }), ms, 'raw HTTP request');
}

describe('--max-connections-per-address 3', () => {
    const ctx = useSioServer(['--max-connections-per-address', '3']);
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    it('a fourth concurrent connection gets 503; after one closes, a new one is served', async () => {
        const open = [];
        for (let i = 0; i < 3; i++) {
            open.push((await connect(ctx.server, '/', VARIANTS[1], {}, { tracker })).socket);
        }
        const refused = await rawRequest(ctx.server.port, 'GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n');
        assert.match(refused, /^HTTP\/1\.1 503 /);
        open[0].disconnect();
        let served = '';
        for (let i = 0; i < 50 && !/^HTTP\/1\.1 200 /.test(served); i++) {
            served = await rawRequest(ctx.server.port,
                'GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
            if (!/^HTTP\/1\.1 200 /.test(served)) {
                await new Promise((r) => setTimeout(r, 20));
            }
        }
        assert.match(served, /^HTTP\/1\.1 200 /);
    });
});

describe('--max-connections 2', () => {
    const ctx = useSioServer(['--max-connections', '2']);
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    it('a third connection from anywhere gets 503', async () => {
        await connect(ctx.server, '/', VARIANTS[1], {}, { tracker });
        await connect(ctx.server, '/', VARIANTS[1], {}, { tracker });
        const refused = await rawRequest(ctx.server.port, 'GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n');
        assert.match(refused, /^HTTP\/1\.1 503 /);
    });
});

describe('--max-buffered-bytes 1000000: a client that stops reading', () => {
    const ctx = useSioServer(['--max-buffered-bytes', '1000000']);
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    it('is closed with "transport error" once 1 MB waits for it; others are served meanwhile', async () => {
        const ws = new WebSocket(`ws://127.0.0.1:${ctx.server.port}/socket.io/?EIO=4&transport=websocket`);
        const sid = await withTimeout(new Promise((resolve, reject) => {
            ws.on('error', reject);
            ws.on('message', (data) => {
                const text = data.toString();
                if (text.startsWith('0')) {
                    ws.send('40');
                } else if (text.startsWith('40')) {
                    resolve(JSON.parse(text.slice(2)).sid);
                }
            });
        }), 3000, 'raw socket connects');
        // Stop reading: the kernel buffers fill up, then the server's queue grows.
        ws._socket.pause();
        ws.send('42["flood",400,10000]');   // 4 MB
        const reason = await waitDisconnectLine(ctx.server, "/", sid, 5000);
        assert.equal(reason, 'transport error');
        const { socket } = await connect(ctx.server, '/', VARIANTS[1], {}, { tracker });
        assert.deepEqual(await emitAck(socket, 'echo', 'still here'), ['still here']);
        ws.terminate();
    });
});
