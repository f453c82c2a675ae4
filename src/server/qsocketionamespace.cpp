// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "server/qsocketioserver_p.h"
#include "server/qsocketioack_p.h"
#include "server/qsocketioackcallback_p.h"
#include "engine/qsocketiohandshake_p.h"
#include "server/qsocketionamespace_p.h"
#include "server/qsocketiosocket_p.h"
#include "server/qsocketioclient_p.h"
#include "adapters/qsocketioadapter_p.h"
#include "qtsocketiologging_p.h"

#include <QtCore/qdatetime.h>
#include <QtCore/qmetaobject.h>
#include <QtCore/qpointer.h>

#include <algorithm>

using namespace QSocketIoProtocol;

/*!
    \class QSocketIoNamespace
    \inmodule QtSocketIo
    \brief A Socket.IO namespace: its sockets, middleware and broadcasts.

    Obtained from QSocketIoServer::of(); owned by the server.
*/

QSocketIoNamespacePrivate::QSocketIoNamespacePrivate(QSocketIoNamespace *q, QSocketIoServer *server,
                                                     const QString &name)
    : q_ptr(q), server(server), name(name)
{
    // Recovery settings reach it from QSocketIoNamespace's constructor, once this object is in place.
    setAdapter(nullptr, false);
}

QSocketIoNamespace::QSocketIoNamespace(QSocketIoServer *server, const QString &name)
    : QObject(server), d_ptr(std::make_unique<QSocketIoNamespacePrivate>(this, server, name))
{
    QSocketIoServerPrivate::get(server)->applyRecovery(this);   // connection state recovery settings
}

QSocketIoNamespace::~QSocketIoNamespace() = default;

QString QSocketIoNamespace::name() const { return d_func()->name; }
QSocketIoServer *QSocketIoNamespace::server() const { return d_func()->server; }
bool QSocketIoNamespace::isDynamic() const { return d_func()->dynamic; }
QSocketIoNamespace *QSocketIoNamespace::parentNamespace() const { return d_func()->parent; }
QList<QSocketIoNamespace *> QSocketIoNamespace::childNamespaces() const { return d_func()->children; }

int QSocketIoNamespace::socketCount() const
{
    Q_D(const QSocketIoNamespace);
    int count = int(d->sockets.size());
    for (QSocketIoNamespace *child : d->children)
        count += child->socketCount();
    return count;
}

QList<QSocketIoSocket *> QSocketIoNamespace::sockets() const
{
    Q_D(const QSocketIoNamespace);
    QList<QSocketIoSocket *> out = d->sockets.values();
    for (QSocketIoNamespace *child : d->children)
        out += child->sockets();
    return out;
}

QSocketIoSocket *QSocketIoNamespace::socket(const QString &id) const
{
    Q_D(const QSocketIoNamespace);
    if (QSocketIoSocket *socket = d->sockets.value(id))
        return socket;
    // A dynamic parent answers for its children, as socketCount() and sockets() do.
    for (QSocketIoNamespace *child : d->children) {
        if (QSocketIoSocket *socket = child->socket(id))
            return socket;
    }
    return nullptr;
}

QSocketIoAdapter *QSocketIoNamespace::adapter() const
{
    return d_func()->adapter.get();
}

QStringList QSocketIoNamespace::rooms() const
{
    return d_func()->adapter->rooms();
}

QStringList QSocketIoNamespace::roomMembers(const QString &room) const
{
    QSocketIoBroadcastOptions options;
    options.rooms = QStringList{room};
    return d_func()->adapter->selectSockets(options);
}

bool QSocketIoNamespacePrivate::roomSignalsConnected() const
{
    Q_Q(const QSocketIoNamespace);
    static const QMetaMethod created = QMetaMethod::fromSignal(&QSocketIoNamespace::roomCreated);
    static const QMetaMethod deleted = QMetaMethod::fromSignal(&QSocketIoNamespace::roomDeleted);
    static const QMetaMethod joined = QMetaMethod::fromSignal(&QSocketIoNamespace::roomJoined);
    static const QMetaMethod left = QMetaMethod::fromSignal(&QSocketIoNamespace::roomLeft);
    return q->isSignalConnected(joined) || q->isSignalConnected(left) || q->isSignalConnected(created)
        || q->isSignalConnected(deleted);
}

void QSocketIoNamespacePrivate::addRooms(const QString &socketId, const QStringList &rooms)
{
    Q_Q(QSocketIoNamespace);
    if (!roomSignalsConnected()) {
        adapter->addAll(socketId, rooms);
        return;
    }
    // What is new, asked before the adapter changes; the signals come once the bookkeeping is done, in Node's
    // order (create-room before join-room, room by room).
    const QStringList mine = adapter->socketRooms(socketId);
    QList<std::pair<QString, bool>> joined;   // room, created
    for (const QString &room : rooms) {
        if (mine.contains(room) || std::any_of(joined.cbegin(), joined.cend(), [&](const auto &j) { return j.first == room; }))
            continue;
        joined.append({room, !adapter->hasRoom(room)});
    }
    adapter->addAll(socketId, rooms);
    QPointer<QSocketIoNamespace> guard(q);
    for (const auto &[room, created] : std::as_const(joined)) {
        if (created)
            Q_EMIT q->roomCreated(room);
        if (!guard)
            return;
        Q_EMIT q->roomJoined(room, socketId);
        if (!guard)
            return;
    }
}

void QSocketIoNamespacePrivate::delRoom(const QString &socketId, const QString &room)
{
    Q_Q(QSocketIoNamespace);
    if (!roomSignalsConnected()) {
        adapter->del(socketId, room);
        return;
    }
    const bool member = adapter->socketRooms(socketId).contains(room);
    adapter->del(socketId, room);
    if (!member)
        return;
    const bool deleted = !adapter->hasRoom(room);
    QPointer<QSocketIoNamespace> guard(q);
    Q_EMIT q->roomLeft(room, socketId);   // leave-room, then delete-room, as Node
    if (guard && deleted)
        Q_EMIT q->roomDeleted(room);
}

void QSocketIoNamespacePrivate::delAllRooms(const QString &socketId)
{
    Q_Q(QSocketIoNamespace);
    if (!roomSignalsConnected()) {
        adapter->delAll(socketId);
        return;
    }
    const QStringList rooms = adapter->socketRooms(socketId);
    adapter->delAll(socketId);
    QPointer<QSocketIoNamespace> guard(q);
    for (const QString &room : rooms) {
        const bool deleted = !adapter->hasRoom(room);
        Q_EMIT q->roomLeft(room, socketId);
        if (guard && deleted)
            Q_EMIT q->roomDeleted(room);
        if (!guard)
            return;
    }
}

void QSocketIoNamespace::use(const Middleware &middleware)
{
    Q_D(QSocketIoNamespace);
    d->middlewares.append(middleware);
    // Children created already get it too.
    for (QSocketIoNamespace *child : std::as_const(d->children))
        child->use(middleware);
}

QSocketIoBroadcast QSocketIoNamespace::all() const { return QSocketIoBroadcast(const_cast<QSocketIoNamespace *>(this)); }
bool QSocketIoNamespace::serverSideEmit(const QString &event, const QVariantList &args)
{
    Q_D(QSocketIoNamespace);
    if (QSocketIoSocketPrivate::isReservedEvent(event))
        return false;
    QVariantList packet{event};
    packet.append(args);
    for (QSocketIoNamespace *target : d->targets())
        QSocketIoNamespacePrivate::get(target)->adapter->serverSideEmit(packet);
    return true;
}

QSocketIoAck *QSocketIoNamespace::serverSideEmitWithAck(const QString &event, const QVariantList &args)
{
    Q_D(QSocketIoNamespace);
    // The adapter's requestsTimeout bounds the wait; the reply has no timer of its own.
    QSocketIoAck *ack = QSocketIoAckPrivate::create(this, -1, true);
    if (QSocketIoSocketPrivate::isReservedEvent(event)) {
        qCWarning(lcServer) << "cannot send the reserved event" << event << "to the other nodes";
        QSocketIoAckPrivate::get(ack)->errorString = QStringLiteral("reserved event name");
        QMetaObject::invokeMethod(ack, [ack] { QSocketIoAckPrivate::get(ack)->timeout(); }, Qt::QueuedConnection);
        return ack;
    }
    QVariantList packet{event};
    packet.append(args);
    const QList<QSocketIoNamespace *> targets = d->targets();
    auto waiting = std::make_shared<int>(int(targets.size()));
    auto failure = std::make_shared<QString>();
    QPointer<QSocketIoAck> guard(ack);
    auto done = [guard, waiting, failure](const QString &error, const QVariantList &responses) {
        if (!guard)
            return;
        QSocketIoAckPrivate *ad = QSocketIoAckPrivate::get(guard);
        for (const QVariant &response : responses)
            ad->responses.append(QVariantList{response});
        ad->expected = int(ad->responses.size());
        if (!error.isEmpty())
            *failure = error;
        if (--*waiting > 0)
            return;
        if (failure->isEmpty()) {
            ad->finish();
        } else {
            ad->errorString = *failure;
            ad->timeout();
        }
    };
    if (targets.isEmpty()) {
        QMetaObject::invokeMethod(ack, [ack] { QSocketIoAckPrivate::get(ack)->finish(); }, Qt::QueuedConnection);
        return ack;
    }
    for (QSocketIoNamespace *target : targets)
        QSocketIoNamespacePrivate::get(target)->adapter->serverSideEmitWithAck(packet, done);
    return ack;
}

void QSocketIoNamespacePrivate::setAdapter(std::unique_ptr<QSocketIoAdapter> replacement, bool applyRecovery)
{
    QSocketIoSessionAwareAdapter *defaultAdapter = nullptr;
    if (!replacement) {
        auto made = std::make_unique<QSocketIoSessionAwareAdapter>(q_ptr);
        defaultAdapter = made.get();
        replacement = std::move(made);
    }
    if (adapter) {
        for (auto it = sockets.constBegin(); it != sockets.constEnd(); ++it)
            replacement->addAll(it.key(), adapter->socketRooms(it.key()));
    }
    QSocketIoAdapterPrivate::get(replacement.get())->emitter = this;
    sessionAware = defaultAdapter;
    adapter = std::move(replacement);
    // The new adapter keeps sessions as configured (when it can).
    if (applyRecovery)
        setRecovery(QSocketIoServerPrivate::get(server)->recoverySettings());
}

void QSocketIoNamespacePrivate::setRecovery(const QSocketIoRecoverySettings &settings)
{
    if (sessionAware) {
        sessionAware->setRecovery(settings);
        return;
    }
    // Packets of other nodes are not kept for recovery (nor by Node's redis and postgres adapters): an adapter
    // from a factory offers none, rather than a recovery that could miss packets.
    if (settings.enabled && !(adapter && adapter->keepsSessions())) {
        qCWarning(lcAdapter) << "connection state recovery is not available with this adapter; namespace"
                             << name << "offers none";
    }
}

// --- QSocketIoSocketEmitter: the adapter's way to the sockets ----------------------------------------------

QString QSocketIoNamespacePrivate::namespaceName() const
{
    return name;
}

QStringList QSocketIoNamespacePrivate::socketIds() const
{
    return sockets.keys();
}

bool QSocketIoNamespacePrivate::isWritable(const QString &socketId) const
{
    QSocketIoSocket *socket = sockets.value(socketId);
    return socket && QSocketIoSocketPrivate::get(socket)->isWritable();
}

void QSocketIoNamespacePrivate::send(const QStringList &socketIds, const QSocketIoBroadcastPacket &packet,
                                     bool isVolatile)
{
    Packet event;
    event.type = PacketType::Event;
    event.nsp = name;
    event.id = packet.id;
    event.data = packet.data;
    // Once for every recipient, v4 and v2 clients alike: EVENT and BINARY_EVENT have the same wire form in both
    // dialects (protocol/qsocketiopacketv2_p.h; tst_siopacketv2::sharedWireForm), and each session frames the
    // same messages for its Engine.IO version (v3 or v4) when it writes them.
    const EncodedPacket encoded = QSocketIoServerPrivate::get(server)->wireParser->encode(event);   // once for every recipient
    for (const QString &id : socketIds) {
        if (QSocketIoSocket *socket = sockets.value(id))
            QSocketIoSocketPrivate::get(socket)->deliver(encoded, isVolatile, packet.compress);
    }
}

QStringList QSocketIoNamespacePrivate::sendWithAck(const QStringList &socketIds, const QSocketIoBroadcastPacket &packet,
                                                   QObject *lifetime, const AckCallback &ack)
{
    QStringList sent;
    int refused = 0;   // recipients at their maxPendingAcksPerSocket
    // One id for every recipient, as Node does, so the packet is encoded once.
    Packet event;
    event.type = PacketType::Event;
    event.nsp = name;
    event.id = nextAckId();
    event.data = packet.data;
    const EncodedPacket encoded = QSocketIoServerPrivate::get(server)->wireParser->encode(event);
    for (const QString &id : socketIds) {
        QSocketIoSocket *socket = sockets.value(id);
        if (!socket)
            continue;
        QSocketIoSocketPrivate *sd = QSocketIoSocketPrivate::get(socket);
        if (sd->atAckLimit()) {
            ++refused;
            continue;
        }
        sd->registerAck(event.id, lifetime, [ack, id](const QVariantList &answer) {
            if (ack)
                ack(id, answer);
        });
        sent.append(id);
        sd->notifyOutgoing(packet.data);
        sd->deliver(encoded, false, packet.compress);
    }
    if (refused > 0) {
        qCWarning(lcServer) << "emitWithAck skipped" << refused
                            << "socket(s) whose pending acknowledgements reached maxPendingAcksPerSocket";
    }
    return sent;
}

void QSocketIoNamespacePrivate::joinRooms(const QStringList &socketIds, const QStringList &rooms)
{
    for (const QString &id : socketIds) {
        if (QSocketIoSocket *socket = sockets.value(id))
            socket->join(rooms);
    }
}

void QSocketIoNamespacePrivate::leaveRooms(const QStringList &socketIds, const QStringList &rooms)
{
    for (const QString &id : socketIds) {
        if (QSocketIoSocket *socket = sockets.value(id)) {
            for (const QString &room : rooms)
                socket->leave(room);
        }
    }
}

void QSocketIoNamespacePrivate::disconnectSockets(const QStringList &socketIds, bool close)
{
    QList<QPointer<QSocketIoSocket>> selected;
    for (const QString &id : socketIds) {
        if (QSocketIoSocket *socket = sockets.value(id))
            selected.append(socket);
    }
    // A disconnection may take others along (a closed connection): those are skipped.
    for (const QPointer<QSocketIoSocket> &socket : std::as_const(selected)) {
        if (socket)
            socket->disconnectSocket(close);
    }
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

QList<QSocketIoRemoteSocket> QSocketIoNamespacePrivate::socketSnapshots(const QStringList &socketIds) const
{
    QList<QSocketIoRemoteSocket> out;
    for (const QString &id : socketIds) {
        QSocketIoSocket *socket = sockets.value(id);
        if (!socket || !socket->isConnected())
            continue;
        out.append(QSocketIoRemoteSocket(socket->id(), qtsocketio_handshakeToNode(socket->handshake()),
                                         socket->rooms(), socket->data(), true));
    }
    return out;
}

void QSocketIoNamespacePrivate::serverSideEvent(const QString &event, const QVariantList &args,
                                                const ReplyFunction &reply)
{
    Q_Q(QSocketIoNamespace);
    if (reply)
        Q_EMIT q->serverSideEventWithAckReceived(event, args, QSocketIoAckCallbackPrivate::create(reply));
    else
        Q_EMIT q->serverSideEventReceived(event, args);
}

void QSocketIoNamespacePrivate::addSocket(QSocketIoSocket *socket)
{
    Q_Q(QSocketIoNamespace);
    sockets.insert(socket->id(), socket);
    // It may have started watching what it is sent while in the middlewares, and a broadcast to everyone since
    // may have cleared the flag.
    if (QSocketIoSocketPrivate::get(socket)->hasOutgoingWatchers())
        outgoingWatched = true;
    if (const QString &pid = QSocketIoSocketPrivate::get(socket)->pid; !pid.isEmpty())
        socketsByPid.insert(pid, socket);   // connection state recovery
    Q_EMIT q->socketCountChanged();
    if (parent)
        Q_EMIT parent->socketCountChanged();
}

void QSocketIoNamespacePrivate::removeSocket(QSocketIoSocket *socket)
{
    Q_Q(QSocketIoNamespace);
    if (const QString &pid = QSocketIoSocketPrivate::get(socket)->pid; !pid.isEmpty())
        socketsByPid.remove(pid);   // connection state recovery
    if (sockets.remove(socket->id())) {
        Q_EMIT q->socketCountChanged();
        if (parent)
            Q_EMIT parent->socketCountChanged();
    }
}

void QSocketIoNamespacePrivate::scheduleCleanup()
{
    if (!parent)
        return;
    // Checked again later: the socket being destroyed may be one of several going at once, and a new connection
    // may come first.
    QPointer<QSocketIoNamespace> child(q_ptr);
    QPointer<QSocketIoServer> owner(server);
    QMetaObject::invokeMethod(server, [child, owner] {
        if (child && owner)
            QSocketIoServerPrivate::get(owner)->removeEmptyChild(child);
    }, Qt::QueuedConnection);
}

QList<QSocketIoNamespace *> QSocketIoNamespacePrivate::targets() const
{
    if (dynamic)
        return children;
    return {q_ptr};
}

void QSocketIoNamespacePrivate::runMiddleware(QSocketIoSocket *socket, int index,
                                              const std::function<void(bool, QString, QVariant)> &done)
{
    if (index >= middlewares.size()) {
        done(true, QString(), QVariant());
        return;
    }
    QPointer<QSocketIoSocket> guard(socket);
    QPointer<QSocketIoNamespace> self(q_ptr);
    const QSocketIoNext next([guard, self, index, done](bool accepted, const QString &message, const QVariant &data) {
        if (!guard || !self)
            return;
        if (!accepted) {
            done(false, message, data);
            return;
        }
        QSocketIoNamespacePrivate::get(self)->runMiddleware(guard, index + 1, done);
    });
    const QSocketIoNamespace::Middleware middleware = middlewares.at(index);
    middleware(socket, next);
}
