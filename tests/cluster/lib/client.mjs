// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// What the cluster tests of every backend (lib/redis.mjs, lib/postgres.mjs) share: socket.io-client 4.8
// connections with an event inbox, bounded waits, free ports, and the control channel of their Node.js socket.io
// nodes (the same events as the QtSocketIo nodes' tests/shared/clusternode.h). The waits, the free port and the
// inbox's base come from tests/shared/js/helpers.mjs; socket.io-client resolves from tests/cluster/node_modules.

import { io } from 'socket.io-client';
import { EventInbox, HOST, awaitConnect, withTimeout } from '../../shared/js/helpers.mjs';

export { HOST, freePort, quietPeriod, withTimeout } from '../../shared/js/helpers.mjs';

/** Records every event a client socket receives; waits on them with a bound. */
export class Inbox extends EventInbox {
    /** The reason of the disconnect, or null. */
    get disconnected() {
        return this.disconnectInfo?.reason ?? null;
    }

    /** The args of the first `event` matching `predicate`. */
    waitFor(event, ms = 5000, predicate = () => true) {
        return this.until(() => this.events.find((e) => e.event === event && predicate(e.args))?.args,
            ms, `'${event}' on ${this.socket.id}`);
    }

    waitForDisconnect(ms = 5000) {
        return this.until(() => this.disconnected ?? undefined, ms, `disconnect of ${this.socket.id}`);
    }
}

/** Connects a socket.io-client socket (WebSocket) to port/nsp; returns { socket, inbox }. */
export async function connectClient(port, nsp = '/', opts = {}) {
    const socket = io(`http://${HOST}:${port}${nsp}`, { transports: ['websocket'], reconnection: false, ...opts });
    const inbox = new Inbox(socket);
    await awaitConnect(socket, 5000, `connect to ${port}${nsp}`);
    return { socket, inbox };
}

/** socket.emitWithAck with a bounded wait. */
export function ask(socket, ms, event, ...args) {
    return withTimeout(socket.emitWithAck(event, ...args), ms, `ack of '${event}'`);
}

/**
 * Drives a Node.js socket.io node from a test client (socket) on namespace nsp. fetchSockets waits at most
 * requestsTimeout ms when given (the adapter's own timeout otherwise).
 */
export function controlChannel(nsp, socket, requestsTimeout) {
    socket.on('to', (rooms, event, ...args) => nsp.to(rooms).emit(event, ...args));
    socket.on('toExcept', (rooms, except, event, ...args) => {
        let op = nsp.except(except);
        if (rooms.length) {
            op = op.to(rooms);
        }
        op.emit(event, ...args);
    });
    socket.on('join', (room, ack) => {
        socket.join(room);
        ack([...socket.rooms]);
    });
    socket.on('rooms', (ack) => ack([...socket.rooms]));
    socket.on('allRooms', async (ack) => {
        try {
            ack({ rooms: [...await nsp.adapter.allRooms()], error: '' });
        } catch (err) {
            ack({ rooms: [], error: err.message });
        }
    });
    socket.on('setData', (key, value, ack) => {
        socket.data[key] = value;
        ack();
    });
    socket.on('fetch', async (rooms, ack) => {
        try {
            let op = rooms.length ? nsp.in(rooms) : nsp;
            if (requestsTimeout !== undefined) {
                op = op.timeout(requestsTimeout);
            }
            const sockets = await op.fetchSockets();
            ack({ sockets: sockets.map((s) => ({ id: s.id, rooms: [...s.rooms], data: s.data, handshake: s.handshake })),
                error: '' });
        } catch (err) {
            ack({ sockets: [], error: err.message });
        }
    });
    // Node's RemoteSocket: fetch the socket `id` wherever it is, then emit / join / leave / disconnect it.
    socket.on('remoteOp', async (id, op, arg, ack) => {
        try {
            const sockets = await nsp.in(id).fetchSockets();
            if (op === 'ask' && sockets.length === 1) {
                try {
                    const answers = await sockets[0].timeout(arg).emitWithAck('question');
                    ack({ timedOut: false, answers, error: '' });
                } catch {
                    ack({ timedOut: true, answers: [], error: '' });
                }
                return;
            }
            for (const s of sockets) {
                if (op === 'emit') {
                    s.emit(arg, 'from-remote');
                } else if (op === 'join') {
                    s.join(arg);
                } else if (op === 'leave') {
                    s.leave(arg);
                } else if (op === 'disconnect') {
                    s.disconnect(arg);
                }
            }
            ack({ count: sockets.length, local: false, error: '' });
        } catch (err) {
            ack({ count: 0, local: false, error: err.message });
        }
    });
    socket.on('socketsJoin', (rooms, room, ack) => {
        nsp.in(rooms).socketsJoin(room);
        ack();
    });
    socket.on('socketsLeave', (rooms, room, ack) => {
        nsp.in(rooms).socketsLeave(room);
        ack();
    });
    socket.on('disconnectSockets', (rooms, close, ack) => {
        ack();
        nsp.in(rooms).disconnectSockets(close);
    });
    socket.on('serverSideEmit', (event, ...rest) => {
        const ack = rest.pop();
        nsp.serverSideEmit(event, ...rest);
        ack();
    });
    socket.on('serverSideEmitWithAck', async (event, ...rest) => {
        const ack = rest.pop();
        try {
            const responses = await nsp.serverSideEmitWithAck(event, ...rest);
            ack({ responses, error: '' });
        } catch (err) {
            ack({ responses: [], error: err.message });
        }
    });
    socket.on('askAll', async (rooms, event, timeout, ack) => {
        let op = nsp.timeout(timeout);
        if (rooms.length) {
            op = op.to(rooms);
        }
        try {
            const responses = await op.emitWithAck(event);
            ack({ responses, timedOut: false, error: '' });
        } catch (err) {
            ack({ responses: [], timedOut: true, error: err.message });
        }
    });
    socket.on('serverCount', async (ack) => ack(await nsp.adapter.serverCount()));
}
