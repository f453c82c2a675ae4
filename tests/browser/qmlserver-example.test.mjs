// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// examples/qmlserver/main.qml under the qml tool with the built module (-I <build>/qml), offscreen,
// used by the real socket.io-client from npm (tests/interop/node_modules).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { requireEnv, requireExecutable, startProcess } from './lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(requireEnv('QTSOCKETIO_NODE_MODULES', 'tests/interop/node_modules'), 'noop.js'));
const { io } = require('socket.io-client');

describe('examples/qmlserver with the qml tool', { timeout: 60000 }, () => {
    let qml;
    let url;
    const clients = [];

    before(async () => {
        const tool = requireExecutable(requireEnv('QML_TOOL', 'the qml tool'), 'apt-get install qml-qt6');
        const example = path.resolve(here, '../../examples/qmlserver/main.qml');
        qml = startProcess(tool, ['-I', requireEnv('QTSOCKETIO_QML_IMPORT', 'the build\'s qml folder'), example, '--', '0'],
            { env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' }, mergeStderr: true });
        const [, port] = await qml.waitForLine(/LISTENING (\d+)$/, 20000);
        url = `http://127.0.0.1:${port}`;
    });
    after(async () => {
        for (const c of clients) c.disconnect();
        await qml?.stop();
    });

    const connect = (name) => new Promise((resolve, reject) => {
        const socket = io(url, { forceNew: true, reconnection: false, timeout: 5000 });
        clients.push(socket);
        socket.once('welcome', (text, count) => resolve({ socket, text, count }));
        socket.once('connect_error', reject);
    });

    it('welcomes, relays chat with acks, and reverses binary', async () => {
        const a = await connect('a');
        assert.equal(a.text, 'Hello ' + a.socket.id);
        assert.equal(a.count, 1);
        const b = await connect('b');
        assert.equal(b.count, 2);

        a.socket.emit('name', 'Ada');
        const got = new Promise((resolve) => b.socket.once('chat', resolve));
        const delivered = await a.socket.timeout(5000).emitWithAck('chat', 'hi there');
        assert.equal(delivered, 1);
        assert.deepEqual(await got, { from: 'Ada', text: 'hi there' });

        const reversed = await a.socket.timeout(5000).emitWithAck('reverse', Buffer.from([1, 2, 3, 250]));
        assert.ok(Buffer.isBuffer(reversed));
        assert.deepEqual([...reversed], [250, 3, 2, 1]);

        const id = b.socket.id;
        b.socket.disconnect();
        await qml.waitForLine(new RegExp(`disconnected ${id} client namespace disconnect$`), 10000);
    });
});
