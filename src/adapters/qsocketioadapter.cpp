// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "adapters/qsocketioadapter_p.h"
#include "server/qsocketioserver_p.h"
#include "qtsocketiologging_p.h"

#include <QtCore/qpointer.h>

using namespace QSocketIoProtocol;

QSocketIoAdapter::~QSocketIoAdapter() = default;

QStringList QSocketIoAdapter::broadcast(const Packet &packet, const QSocketIoBroadcastOptions &options)
{
    return localBroadcast(packet, options);
}

QStringList QSocketIoAdapter::localBroadcast(const Packet &packet, const QSocketIoBroadcastOptions &options)
{
    const QStringList recipients = selectSockets(options);
    if (recipients.isEmpty() || !m_deliver)
        return recipients;
    const EncodedPacket encoded = encode(packet);
    for (const QString &id : recipients)
        m_deliver(id, encoded, options.isVolatile);
    return recipients;
}

void QSocketIoAdapter::broadcastWithAck(const Packet &packet, const QSocketIoBroadcastOptions &options,
                                        QObject *lifetime, const ClientCountCallback &clientCount,
                                        const AckCallback &ack)
{
    localBroadcastWithAck(packet, options, lifetime, clientCount, ack);
}

void QSocketIoAdapter::localBroadcastWithAck(const Packet &packet, const QSocketIoBroadcastOptions &options,
                                             QObject *lifetime, const ClientCountCallback &clientCount,
                                             const AckCallback &ack)
{
    QSocketIoNamespacePrivate *nd = QSocketIoNamespacePrivate::get(m_nsp);
    const QStringList recipients = selectSockets(options);
    QStringList expected;
    int refused = 0;   // recipients at their maxPendingAcksPerSocket
    if (!recipients.isEmpty()) {
        // One id for every recipient, as Node does, so the packet is encoded once.
        Packet withId = packet;
        withId.nsp = m_nsp->name();
        withId.id = nd->nextAckId();
        const EncodedPacket encoded = encode(withId);
        const QVariantList data = packet.data.toList();
        for (const QString &id : recipients) {
            QSocketIoSocket *socket = nd->sockets.value(id);
            if (!socket)
                continue;
            QSocketIoSocketPrivate *sd = QSocketIoSocketPrivate::get(socket);
            if (options.isVolatile && !(sd->client && sd->client->session && sd->client->session->isWritable()))
                continue;
            if (sd->atAckLimit()) {
                ++refused;
                continue;
            }
            const QString socketId = socket->id();
            sd->registerAck(withId.id, lifetime, [ack, socketId](const QVariantList &answer) {
                if (ack)
                    ack(socketId, answer);
            });
            expected.append(socketId);
            sd->notifyOutgoing(data);
            sd->deliver(encoded, false);
        }
    }
    if (refused > 0) {
        qCWarning(lcServer) << "emitWithAck skipped" << refused
                            << "socket(s) whose pending acknowledgements reached maxPendingAcksPerSocket";
    }
    if (clientCount)
        clientCount(int(expected.size()), expected);
}

void QSocketIoAdapter::addSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms)
{
    localAddSockets(options, rooms);
}

void QSocketIoAdapter::delSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms)
{
    localDelSockets(options, rooms);
}

void QSocketIoAdapter::disconnectSockets(const QSocketIoBroadcastOptions &options, bool close)
{
    localDisconnectSockets(options, close);
}

void QSocketIoAdapter::fetchSockets(const QSocketIoBroadcastOptions &options, const SocketsCallback &done)
{
    // Asynchronous like a cluster adapter; the selection is made when the result is delivered.
    QPointer<QSocketIoNamespace> nsp(m_nsp);
    QMetaObject::invokeMethod(m_nsp, [this, nsp, options, done] {
        if (nsp)
            done(localSockets(options), QString());
    }, Qt::QueuedConnection);
}

void QSocketIoAdapter::serverSideEmit(const QVariantList &packet)
{
    Q_UNUSED(packet);
}

void QSocketIoAdapter::serverSideEmitWithAck(const QVariantList &packet, const ServerSideAckCallback &done)
{
    Q_UNUSED(packet);
    // No other node: every one of them answered.
    QMetaObject::invokeMethod(m_nsp, [done] { done(QString(), QVariantList()); }, Qt::QueuedConnection);
}

void QSocketIoAdapter::serverCount(const std::function<void(int)> &done) const
{
    done(1);
}

static QList<QSocketIoSocket *> qtsocketio_selectLocal(const QSocketIoAdapter *adapter, QSocketIoNamespace *nsp,
                                                       const QSocketIoBroadcastOptions &options)
{
    QSocketIoNamespacePrivate *nd = QSocketIoNamespacePrivate::get(nsp);
    QList<QSocketIoSocket *> out;
    for (const QString &id : adapter->selectSockets(options)) {
        if (QSocketIoSocket *socket = nd->sockets.value(id))
            out.append(socket);
    }
    return out;
}

QVariantMap qtsocketio_handshakeToNode(const QSocketIoHandshake &handshake)
{
    // The fields of Node's socket.handshake, so a Node.js node reads ours as its own.
    const QDateTime time = handshake.time();
    return QVariantMap{
        {QStringLiteral("headers"), handshake.headers()},
        {QStringLiteral("time"), time.toUTC().toString(Qt::RFC2822Date)},
        {QStringLiteral("address"), handshake.address()},
        {QStringLiteral("xdomain"), handshake.isCrossDomain()},
        {QStringLiteral("secure"), handshake.isSecure()},
        {QStringLiteral("issued"), time.toMSecsSinceEpoch()},
        {QStringLiteral("url"), handshake.url()},
        {QStringLiteral("query"), handshake.query()},
        {QStringLiteral("auth"), handshake.auth()},
    };
}

QList<QSocketIoRemoteSocket> QSocketIoAdapter::localSockets(const QSocketIoBroadcastOptions &options) const
{
    QList<QSocketIoRemoteSocket> out;
    for (QSocketIoSocket *socket : qtsocketio_selectLocal(this, m_nsp, options)) {
        if (!socket->isConnected())
            continue;
        out.append(QSocketIoRemoteSocket(socket->id(), qtsocketio_handshakeToNode(socket->handshake()),
                                         socket->rooms(), socket->data(), true));
    }
    return out;
}

void QSocketIoAdapter::localAddSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms)
{
    for (QSocketIoSocket *socket : qtsocketio_selectLocal(this, m_nsp, options))
        socket->join(rooms);
}

void QSocketIoAdapter::localDelSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms)
{
    for (QSocketIoSocket *socket : qtsocketio_selectLocal(this, m_nsp, options)) {
        for (const QString &room : rooms)
            socket->leave(room);
    }
}

void QSocketIoAdapter::localDisconnectSockets(const QSocketIoBroadcastOptions &options, bool close)
{
    const QList<QSocketIoSocket *> selected = qtsocketio_selectLocal(this, m_nsp, options);
    const QList<QPointer<QSocketIoSocket>> guarded(selected.cbegin(), selected.cend());
    for (const QPointer<QSocketIoSocket> &socket : guarded) {
        if (socket)
            socket->disconnectSocket(close);
    }
}

QSocketIoAckCallback qtsocketio_makeAckCallback(const std::function<void(const QVariantList &)> &send);

void QSocketIoAdapter::localServerSideEvent(const QVariantList &packet,
                                            const std::function<void(const QVariantList &)> &reply)
{
    if (packet.isEmpty() || packet.first().typeId() != QMetaType::QString) {
        qCWarning(lcAdapter) << "dropped a server-side event without an event name from another node";
        return;
    }
    const QString event = packet.first().toString();
    const QVariantList args = packet.mid(1);
    if (reply)
        Q_EMIT m_nsp->serverSideEventWithAckReceived(event, args, qtsocketio_makeAckCallback(reply));
    else
        Q_EMIT m_nsp->serverSideEventReceived(event, args);
}

void QSocketIoInMemoryAdapter::addAll(const QString &socketId, const QStringList &rooms)
{
    QStringList &mine = m_socketRooms[socketId];
    for (const QString &room : rooms) {
        if (mine.contains(room))
            continue;
        mine.append(room);
        m_rooms[room].insert(socketId);
    }
}

void QSocketIoInMemoryAdapter::del(const QString &socketId, const QString &room)
{
    auto it = m_socketRooms.find(socketId);
    if (it == m_socketRooms.end())
        return;
    it->removeOne(room);
    auto roomIt = m_rooms.find(room);
    if (roomIt != m_rooms.end()) {
        roomIt->remove(socketId);
        if (roomIt->isEmpty())
            m_rooms.erase(roomIt);   // an empty room costs nothing
    }
}

void QSocketIoInMemoryAdapter::delAll(const QString &socketId)
{
    const QStringList rooms = m_socketRooms.take(socketId);
    for (const QString &room : rooms) {
        auto roomIt = m_rooms.find(room);
        if (roomIt == m_rooms.end())
            continue;
        roomIt->remove(socketId);
        if (roomIt->isEmpty())
            m_rooms.erase(roomIt);
    }
}

QStringList QSocketIoInMemoryAdapter::socketRooms(const QString &socketId) const
{
    return m_socketRooms.value(socketId);
}

QStringList QSocketIoInMemoryAdapter::rooms() const
{
    return m_rooms.keys();
}

bool QSocketIoInMemoryAdapter::hasRoom(const QString &room) const
{
    return m_rooms.contains(room);
}

QStringList QSocketIoInMemoryAdapter::selectSockets(const QSocketIoBroadcastOptions &options) const
{
    QSet<QString> excluded;
    for (const QString &room : options.except) {
        const auto it = m_rooms.constFind(room);
        if (it != m_rooms.constEnd())
            excluded.unite(*it);
    }
    QStringList out;
    if (options.rooms.isEmpty()) {
        out.reserve(m_socketRooms.size());
        for (auto it = m_socketRooms.constBegin(); it != m_socketRooms.constEnd(); ++it) {
            if (!excluded.contains(it.key()))
                out.append(it.key());
        }
        return out;
    }
    if (options.rooms.size() == 1) {
        const auto it = m_rooms.constFind(options.rooms.first());
        if (it == m_rooms.constEnd())
            return out;
        out.reserve(it->size());
        for (const QString &id : *it) {
            if (!excluded.contains(id))
                out.append(id);
        }
        return out;
    }
    // Several rooms: each socket once.
    QSet<QString> seen;
    for (const QString &room : options.rooms) {
        const auto it = m_rooms.constFind(room);
        if (it == m_rooms.constEnd())
            continue;
        for (const QString &id : *it) {
            if (!excluded.contains(id) && !seen.contains(id)) {
                seen.insert(id);
                out.append(id);
            }
        }
    }
    return out;
}
