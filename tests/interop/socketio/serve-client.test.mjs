// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// serveClient and httpCompression, as Node's socket.io offers them:
// - GET <path>socket.io.js and its siblings give the bytes of the pinned socket.io-client release
//   (tests/interop/node_modules), with its version as a quoted ETag, 304 for a matching If-None-Match, and gzip or
//   deflate as Accept-Encoding allows; --no-serve-client turns them into 404.
// - a polling response of 1024 bytes or more is compressed as the request allows, a smaller one is not, and
//   --no-http-compression sends everything as it is; socket.io-client on the fetch() transport (which accepts
//   gzip) round-trips big events through compressed responses.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import { Fetch } from 'engine.io-client';
import { SIO_PATH, clientTracker, connect, emitAck, useSioServer, withTimeout } from './lib/sio.mjs';

const require = createRequire(import.meta.url);
const clientPackage = require.resolve('socket.io-client/package.json');
const DIST = path.join(path.dirname(clientPackage), 'dist');
const VERSION = JSON.parse(readFileSync(clientPackage, 'utf8')).version;
const FILES = ['socket.io.js', 'socket.io.min.js', 'socket.io.msgpack.min.js', 'socket.io.esm.min.js'];

/** A plain HTTP/1.1 request (no automatic decompression); resolves with { status, headers, body: Buffer }. */
function request(server, method, target, { headers = {}, body } = {}) {
    return withTimeout(new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: server.port, method, path: target, headers, agent: false },
            (res) => {
                const chunks = [];
                res.on('data', (c) => chunks.push(c));
                res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
                res.on('error', reject);
            });
        req.on('error', reject);
        req.end(body);
    }), 5000, `${method} ${target}`);
}

function decode(response) {
    switch (response.headers['content-encoding']) {
    case 'gzip': return zlib.gunzipSync(response.body);
    case 'deflate': return zlib.inflateSync(response.body);   // the zlib format, as HTTP's "deflate" means
    case undefined: return response.body;
    default: throw new Error(`unexpected Content-Encoding ${response.headers['content-encoding']}`);
    }
}

describe('serveClient (default on)', () => {
    const ctx = useSioServer();

    for (const file of FILES) {
        for (const name of [file, `${file}.map`]) {
            it(`GET ${SIO_PATH}${name} gives the pinned socket.io-client ${VERSION} file`, async () => {
                const r = await request(ctx.server, 'GET', `${SIO_PATH}${name}`);
                assert.equal(r.status, 200);
                assert.equal(r.headers.etag, `"${VERSION}"`);
                assert.equal(r.headers['cache-control'], 'public, max-age=0');
                assert.match(r.headers['content-type'],
                    name.endsWith('.map') ? /^application\/json/ : /^application\/javascript/);
                assert.equal(r.headers['content-encoding'], undefined, 'no Accept-Encoding: sent as it is');
                assert.ok(r.body.equals(readFileSync(path.join(DIST, name))), `${name}: the bytes of the release`);
            });
        }
    }

    for (const encoding of ['gzip', 'deflate', 'br;q=1, deflate;q=0.5', 'gzip;q=0, deflate']) {
        it(`Accept-Encoding: ${encoding} gets the bundle compressed, and the same bytes once decoded`, async () => {
            const r = await request(ctx.server, 'GET', `${SIO_PATH}socket.io.min.js`,
                { headers: { 'Accept-Encoding': encoding } });
            assert.equal(r.status, 200);
            assert.equal(r.headers['content-encoding'], encoding.startsWith('gzip;q=0') || encoding.startsWith('br')
                ? 'deflate' : encoding);
            assert.ok(r.body.length < readFileSync(path.join(DIST, 'socket.io.min.js')).length);
            assert.ok(decode(r).equals(readFileSync(path.join(DIST, 'socket.io.min.js'))));
        });
    }

    for (const etag of [`"${VERSION}"`, `W/"${VERSION}"`, `"0.0.1", "${VERSION}"`, '*']) {
        it(`If-None-Match: ${etag} gets 304 without a body`, async () => {
            const r = await request(ctx.server, 'GET', `${SIO_PATH}socket.io.js?v=1`, { headers: { 'If-None-Match': etag } });
            assert.equal(r.status, 304);
            assert.equal(r.body.length, 0);
            assert.equal(r.headers.etag, `"${VERSION}"`);
        });
    }

    it('a stale ETag gets the file again', async () => {
        const r = await request(ctx.server, 'GET', `${SIO_PATH}socket.io.js`, { headers: { 'If-None-Match': '"1.0.0"' } });
        assert.equal(r.status, 200);
        assert.ok(r.body.equals(readFileSync(path.join(DIST, 'socket.io.js'))));
    });

    for (const target of [`${SIO_PATH}socket.io.msgpack.js`, `${SIO_PATH}socket.io.min.js.map.map`,
        `${SIO_PATH}../socket.io.js`, `${SIO_PATH}socket.io.jsx`]) {
        it(`GET ${target} is not a bundle`, async () => {
            const r = await request(ctx.server, 'GET', target);
            assert.ok(r.status >= 400, `status ${r.status}`);
        });
    }

    it('POST to a bundle URL is not served', async () => {
        const r = await request(ctx.server, 'POST', `${SIO_PATH}socket.io.js`, { body: 'x' });
        assert.notEqual(r.status, 200);
    });
});

describe('--no-serve-client', () => {
    const ctx = useSioServer(['--no-serve-client']);

    it(`GET ${SIO_PATH}socket.io.min.js is 404`, async () => {
        const r = await request(ctx.server, 'GET', `${SIO_PATH}socket.io.min.js`);
        assert.equal(r.status, 404);
    });
});

/** Opens an Engine.IO polling session and joins "/"; resolves with the sid. */
async function openPolling(server) {
    const open = await request(server, 'GET', `${SIO_PATH}?EIO=4&transport=polling`);
    assert.equal(open.status, 200);
    const sid = JSON.parse(open.body.toString().slice(1)).sid;
    const post = await request(server, 'POST', `${SIO_PATH}?EIO=4&transport=polling&sid=${sid}`, { body: '40' });
    assert.equal(post.status, 200);
    const connected = await request(server, 'GET', `${SIO_PATH}?EIO=4&transport=polling&sid=${sid}`);
    assert.match(connected.body.toString(), /^40\{"sid":/);
    return sid;
}

/** Has the test server echo one event of `size` characters, then polls it with `acceptEncoding`. */
async function pollEcho(server, size, acceptEncoding) {
    const sid = await openPolling(server);
    const text = 'x'.repeat(size);
    const packet = `42${JSON.stringify(['echo', text])}`;
    await request(server, 'POST', `${SIO_PATH}?EIO=4&transport=polling&sid=${sid}`, { body: packet });
    const headers = acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding };
    const r = await request(server, 'GET', `${SIO_PATH}?EIO=4&transport=polling&sid=${sid}`, { headers });
    assert.equal(r.status, 200);
    assert.equal(decode(r).toString(), packet);
    await request(server, 'POST', `${SIO_PATH}?EIO=4&transport=polling&sid=${sid}`, { body: '1' });
    return r;
}

describe('httpCompression (default on, threshold 1024)', () => {
    const ctx = useSioServer();
    const tracker = clientTracker();
    afterEach(() => tracker.closeAll());

    for (const [size, acceptEncoding, expected] of [
        [4000, 'gzip, deflate', 'gzip'],
        [4000, 'deflate', 'deflate'],
        [4000, 'identity', undefined],
        [4000, undefined, undefined],
        [4000, 'gzip;q=0', undefined],
        [100, 'gzip', undefined],       // under the threshold
    ]) {
        it(`a ${size}-character event polled with Accept-Encoding ${acceptEncoding} comes ${expected ?? 'uncompressed'}`,
            async () => {
                const r = await pollEcho(ctx.server, size, acceptEncoding);
                assert.equal(r.headers['content-encoding'], expected);
                if (expected)
                    assert.ok(r.body.length < size / 4, `compressed to ${r.body.length} bytes`);
            });
    }

    it('socket.io-client over fetch() (which asks for gzip) round-trips big events and binary', async () => {
        const { socket } = await connect(ctx.server, '/', { name: 'fetch', opts: { transports: [Fetch], upgrade: false } },
            {}, { tracker });
        assert.equal(socket.io.engine.transport.name, 'polling');
        const big = 'é'.repeat(50000);
        assert.deepEqual(await emitAck(socket, 'echo', big, { n: 1 }), [big, { n: 1 }]);
        const bin = Buffer.alloc(20000, 7);
        const [back] = await emitAck(socket, 'echo', bin);
        assert.ok(Buffer.from(back).equals(bin));
    });
});

describe('--no-http-compression', () => {
    const ctx = useSioServer(['--no-http-compression']);

    it('a 4000-character event polled with Accept-Encoding gzip comes uncompressed', async () => {
        const r = await pollEcho(ctx.server, 4000, 'gzip');
        assert.equal(r.headers['content-encoding'], undefined);
    });
});
