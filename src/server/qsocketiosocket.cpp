// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "server/qsocketioserver_p.h"
#include "server/qsocketioack_p.h"
#include "server/qsocketioackcallback_p.h"
#include "engine/qengineiosocket_p.h"
#include "engine/qsocketiohandshake_p.h"
#include "server/qsocketionamespace_p.h"
#include "server/qsocketiosocket_p.h"
#include "protocol/qsocketiopacketv2_p.h"
#include "qtsocketiologging_p.h"

#include <QtCore/qmetaobject.h>

#include <utility>
#include <chrono>

using namespace QSocketIoProtocol;

bool QSocketIoSocketPrivate::isReservedEvent(const QString &event)
{
    static const QStringList reserved = {
        QStringLiteral("connect"), QStringLiteral("connect_error"), QStringLiteral("disconnect"),
        QStringLiteral("disconnecting"), QStringLiteral("newListener"), QStringLiteral("removeListener"),
    };
    return reserved.contains(event);
}

bool QSocketIoSocketPrivate::isRecoverableReason(QSocketIoSocket::DisconnectReason reason)
{
    using R = QSocketIoSocket::DisconnectReason;
    switch (reason) {
    case R::TransportError:
    case R::TransportClose:
    case R::ForcedClose:
    case R::PingTimeout:
    case R::ServerShuttingDown:
    case R::ForcedServerClose:
        return true;
    default:
        return false;
    }
}

// The EVENT packet for [event, ...args] on a namespace; data returns the array for outgoing listeners.
static Packet eventPacket(const QString &nsp, const QString &event, const QVariantList &args, qint64 ackId,
                          QVariantList *data)
{
    data->reserve(args.size() + 1);
    data->append(event);
    data->append(args);
    Packet packet;
    packet.type = PacketType::Event;
    packet.nsp = nsp;
    packet.id = ackId;
    packet.data = *data;
    return packet;
}

/*!
    \class QSocketIoSocket
    \inmodule QtSocketIo
    \brief One client connected to one namespace.

    Created by the server when a client joins a namespace; announced by QSocketIoNamespace::newConnection()
    (and QSocketIoServer::newConnection() for the main namespace). The server owns it and deletes it later,
    after disconnected() was emitted.

    Incoming events arrive as eventReceived() and through on() handlers; send with emitEvent() and
    emitWithAck(). Any QByteArray in the arguments, nested too, travels as a binary attachment.
*/

QSocketIoSocket::QSocketIoSocket(QSocketIoNamespace *nsp, const QString &id, const QSocketIoHandshake &handshake)
    : QObject(nsp), d_ptr(std::make_unique<QSocketIoSocketPrivate>(this, nsp, id, handshake))
{
    d_ptr->nspGuard = nsp;
    QSocketIoNamespacePrivate::get(nsp)->socketObjectCreated();
}

QSocketIoSocket::~QSocketIoSocket()
{
    // Not when the namespace itself is being destroyed (its QObject destructor deletes its sockets last).
    if (QSocketIoNamespace *nsp = d_ptr->nspGuard)
        QSocketIoNamespacePrivate::get(nsp)->socketObjectDestroyed();
}

QString QSocketIoSocket::reasonString(DisconnectReason reason)
{
    switch (reason) {
    case DisconnectReason::ServerNamespaceDisconnect: return QStringLiteral("server namespace disconnect");
    case DisconnectReason::ClientNamespaceDisconnect: return QStringLiteral("client namespace disconnect");
    case DisconnectReason::IoServerDisconnect: return QStringLiteral("io server disconnect");
    case DisconnectReason::IoClientDisconnect: return QStringLiteral("io client disconnect");
    case DisconnectReason::TransportClose: return QStringLiteral("transport close");
    case DisconnectReason::TransportError: return QStringLiteral("transport error");
    case DisconnectReason::PingTimeout: return QStringLiteral("ping timeout");
    case DisconnectReason::ParseError: return QStringLiteral("parse error");
    case DisconnectReason::ServerShuttingDown: return QStringLiteral("server shutting down");
    case DisconnectReason::ForcedClose: return QStringLiteral("forced close");
    case DisconnectReason::ForcedServerClose: return QStringLiteral("forced server close");
    }
    return {};
}

QString QSocketIoSocket::id() const { return d_func()->id; }
QString QSocketIoSocket::namespaceName() const { return d_func()->nsp->name(); }
QSocketIoNamespace *QSocketIoSocket::nsp() const { return d_func()->nsp; }
QSocketIoServer *QSocketIoSocket::server() const { return d_func()->nsp->server(); }
QSocketIoHandshake QSocketIoSocket::handshake() const { return d_func()->handshake; }

QEngineIoSocket *QSocketIoSocket::conn() const
{
    Q_D(const QSocketIoSocket);
    return d->client ? QEngineIoServerFacade::socketFor(d->client->session) : nullptr;
}

QList<QSocketIoSocket *> QSocketIoSocket::clientSockets() const
{
    Q_D(const QSocketIoSocket);
    return d->client ? d->client->sockets.values() : QList<QSocketIoSocket *>();
}
bool QSocketIoSocket::isConnected() const { return d_func()->isConnected; }

QString QSocketIoSocket::transport() const
{
    Q_D(const QSocketIoSocket);
    if (!d->client || !d->client->session)
        return QString();
    return QString::fromLatin1(QEngineIo::transportName(d->client->session->transport()));
}

QStringList QSocketIoSocket::rooms() const
{
    Q_D(const QSocketIoSocket);
    return QSocketIoNamespacePrivate::get(d->nsp)->adapter->socketRooms(d->id);
}

bool QSocketIoSocket::isInRoom(const QString &room) const
{
    return rooms().contains(room);
}

bool QSocketIoSocket::isRecovered() const { return d_func()->recovered; }

QVariantMap QSocketIoSocket::data() const { return d_func()->data; }

void QSocketIoSocket::setData(const QVariantMap &data)
{
    Q_D(QSocketIoSocket);
    if (d->data == data)
        return;
    d->data = data;
    d->syncLiveSession();
    Q_EMIT dataChanged();
}

void QSocketIoSocket::setDataValue(const QString &key, const QVariant &value)
{
    Q_D(QSocketIoSocket);
    if (d->data.contains(key) && d->data.value(key) == value)
        return;
    d->data.insert(key, value);
    d->syncLiveSession();
    Q_EMIT dataChanged();
}

bool QSocketIoSocket::emitEvent(const QString &event, const QVariantList &args)
{
    return d_func()->emitEvent(event, args, false);
}

QSocketIoAck *QSocketIoSocket::emitWithAck(const QString &event, const QVariantList &args)
{
    return d_func()->emitWithAck(event, args, -1, false);
}

QSocketIoAck *QSocketIoSocket::emitWithAck(const QString &event, const QVariantList &args, int timeoutMs)
{
    return d_func()->emitWithAck(event, args, timeoutMs, false);
}

QSocketIoBroadcast QSocketIoSocket::self() const
{
    return QSocketIoBroadcast(const_cast<QSocketIoSocket *>(this));
}

QSocketIoBroadcast QSocketIoSocket::asVolatile() const { return self().asVolatile(); }
QSocketIoBroadcast QSocketIoSocket::timeout(int milliseconds) const { return self().timeout(milliseconds); }
QSocketIoBroadcast QSocketIoSocket::compress(bool compress) const { return self().compress(compress); }

bool QSocketIoSocketPrivate::emitEvent(const QString &event, const QVariantList &args, bool isVolatile,
                                       bool compress)
{
    if (QSocketIoSocketPrivate::isReservedEvent(event)) {
        qCWarning(lcServer) << "cannot emit the reserved event" << event;
        return false;
    }
    if (!isConnected)
        return false;
    QVariantList data;
    const Packet packet = eventPacket(nsp->name(), event, args, -1, &data);
    notifyOutgoing(data);
    if (isVolatile) {
        // Never stored for recovery; dropped when the transport cannot take it now. Sent as volatile: with I/O
        // threads the session's I/O thread decides (a mirror is always writable).
        if (!isWritable())
            countVolatileDropped();
        else if (client)
            client->send(client->parser->encode(packet), true, compress);
        return true;
    }
    QSocketIoAdapter *adapter = QSocketIoNamespacePrivate::get(nsp)->adapter.get();
    if (!pid.isEmpty() && adapter->socketRooms(id).contains(id)) {
        // Connection state recovery: through the adapter (to its own room), which stores it and adds its offset.
        QSocketIoBroadcastOptions only;
        only.rooms = QStringList{id};
        only.local = true;
        only.compress = compress;
        QSocketIoBroadcastPacket event;
        event.nsp = packet.nsp;
        event.data = data;
        adapter->broadcast(event, only);
        return true;
    }
    sendPacket(packet, compress);
    return true;
}

QSocketIoAck *QSocketIoSocketPrivate::emitWithAck(const QString &event, const QVariantList &args, int timeoutMs,
                                                  bool isVolatile, bool compress)
{
    Q_Q(QSocketIoSocket);
    if (QSocketIoSocketPrivate::isReservedEvent(event) || !isConnected) {
        qCWarning(lcServer) << "emitWithAck on a disconnected socket or with a reserved event:" << event;
        // Owned by the namespace: a disconnected socket is deleted later, possibly before the queued timeout
        // runs, and the reply would go with it without ever signalling.
        QSocketIoAck *ack = QSocketIoAckPrivate::create(nsp, -1, false);
        QMetaObject::invokeMethod(ack, [ack] { QSocketIoAckPrivate::get(ack)->timeout(); }, Qt::QueuedConnection);
        return ack;
    }
    if (atAckLimit()) {
        qCWarning(lcServer) << "emitWithAck" << event << "to socket" << id << "refused:"
                            << acks.size() << "acknowledgements are pending already (maxPendingAcksPerSocket)";
        // Owned by the namespace, as above: it must signal even if the socket goes first.
        QSocketIoAck *ack = QSocketIoAckPrivate::create(nsp, -1, false);
        QMetaObject::invokeMethod(ack, [ack] { QSocketIoAckPrivate::get(ack)->timeout(); }, Qt::QueuedConnection);
        return ack;
    }
    QSocketIoAck *ack = QSocketIoAckPrivate::create(q, timeoutMs < 0 ? -1 : timeoutMs, false);
    const qint64 ackId = QSocketIoNamespacePrivate::get(nsp)->nextAckId();
    QPointer<QSocketIoAck> guard(ack);
    registerAck(ackId, ack, [guard](const QVariantList &answer) {
        if (guard)
            QSocketIoAckPrivate::get(guard)->resolve(answer);
    });
    ownAcks.append(guard);
    QVariantList data;
    const Packet packet = eventPacket(nsp->name(), event, args, ackId, &data);
    notifyOutgoing(data);
    // A volatile one the transport cannot take now is dropped; its reply then waits for its timeout.
    if (!isVolatile)
        sendPacket(packet, compress);
    else if (!isWritable())
        countVolatileDropped();
    else if (client)
        client->send(client->parser->encode(packet), true, compress);   // the I/O thread decides (see emitEvent())
    return ack;
}

bool QSocketIoSocket::send(const QVariantList &args)
{
    return emitEvent(QStringLiteral("message"), args);
}

void QSocketIoSocket::join(const QString &room)
{
    join(QStringList{room});
}

void QSocketIoSocket::join(const QStringList &rooms)
{
    Q_D(QSocketIoSocket);
    if (!d->isConnected)
        return;
    QSocketIoNamespacePrivate *nspd = QSocketIoNamespacePrivate::get(d->nsp);
    QSocketIoAdapter *adapter = nspd->adapter.get();
    const QStringList before = adapter->socketRooms(d->id);
    nspd->addRooms(d->id, rooms);
    if (adapter->socketRooms(d->id) != before) {
        d->syncLiveSession();
        Q_EMIT roomsChanged();
    }
}

void QSocketIoSocket::leave(const QString &room)
{
    Q_D(QSocketIoSocket);
    QSocketIoNamespacePrivate *nspd = QSocketIoNamespacePrivate::get(d->nsp);
    const QStringList before = nspd->adapter->socketRooms(d->id);
    if (!before.contains(room))
        return;
    nspd->delRoom(d->id, room);
    d->syncLiveSession();
    Q_EMIT roomsChanged();
}

void QSocketIoSocket::leaveAll()
{
    Q_D(QSocketIoSocket);
    QSocketIoNamespacePrivate *nspd = QSocketIoNamespacePrivate::get(d->nsp);
    // Every room the socket joined; its own room (its id) stays while it is connected, so that to(id)
    // still reaches it. Disconnecting leaves that one too.
    bool changed = false;
    const QStringList rooms = nspd->adapter->socketRooms(d->id);
    for (const QString &room : rooms) {
        if (room == d->id)
            continue;
        nspd->delRoom(d->id, room);
        changed = true;
    }
    if (changed) {
        d->syncLiveSession();
        Q_EMIT roomsChanged();
    }
}

QSocketIoBroadcast QSocketIoSocket::broadcast() const
{
    return QSocketIoBroadcast(d_func()->nsp).except(d_func()->id);
}

QSocketIoBroadcast QSocketIoSocket::local() const { return broadcast().local(); }

QSocketIoBroadcast QSocketIoSocket::to(const QString &room) const { return broadcast().to(room); }
QSocketIoBroadcast QSocketIoSocket::to(const QStringList &rooms) const { return broadcast().to(rooms); }
QSocketIoBroadcast QSocketIoSocket::except(const QString &room) const { return broadcast().except(room); }
QSocketIoBroadcast QSocketIoSocket::except(const QStringList &rooms) const { return broadcast().except(rooms); }

void QSocketIoSocket::disconnectSocket(bool closeConnection)
{
    Q_D(QSocketIoSocket);
    if (!d->isConnected)
        return;
    QSocketIoClient *client = d->client;
    if (closeConnection && client) {
        QSocketIoServerPrivate *server = QSocketIoServerPrivate::get(d->nsp->server());
        // Every namespace of this connection goes, then the connection.
        const QList<QSocketIoSocket *> all = client->sockets.values();
        for (QSocketIoSocket *socket : all)
            QSocketIoSocketPrivate::get(socket)->close(DisconnectReason::ServerNamespaceDisconnect);
        server->closeClient(client, QEngineIo::CloseReason::ForcedClose);
        return;
    }
    d->close(DisconnectReason::ServerNamespaceDisconnect);
}

void QSocketIoSocket::use(const PacketMiddleware &middleware)
{
    d_func()->middlewares.append(middleware);
}

QMetaObject::Connection QSocketIoSocket::addAnyListener(const QObject *context, const AnyHandler &handler, bool prepend)
{
    Q_D(QSocketIoSocket);
    auto *listener = new QSocketIoAnyListener(this);
    listener->connection = QObject::connect(listener, &QSocketIoAnyListener::incoming, context, handler);
    if (prepend)
        d->anyListeners.prepend(listener);
    else
        d->anyListeners.append(listener);
    return listener->connection;
}

QMetaObject::Connection QSocketIoSocket::addAnyOutgoingListener(const QObject *context,
                                                                const AnyOutgoingHandler &handler, bool prepend)
{
    Q_D(QSocketIoSocket);
    auto *listener = new QSocketIoAnyListener(this);
    listener->connection = QObject::connect(listener, &QSocketIoAnyListener::outgoing, context, handler);
    if (prepend)
        d->anyOutgoingListeners.prepend(listener);
    else
        d->anyOutgoingListeners.append(listener);
    d->watchOutgoing();
    return listener->connection;
}

// Disconnected now, deleted later: offAny() may run inside a listener's own signal.
static void dropListeners(QList<QPointer<QSocketIoAnyListener>> &listeners)
{
    for (const QPointer<QSocketIoAnyListener> &listener : std::exchange(listeners, {})) {
        if (!listener)
            continue;
        QObject::disconnect(listener->connection);
        listener->deleteLater();
    }
}

void QSocketIoSocket::offAny()
{
    dropListeners(d_func()->anyListeners);
}

void QSocketIoSocket::offAnyOutgoing()
{
    dropListeners(d_func()->anyOutgoingListeners);
}

QList<QMetaObject::Connection> QSocketIoSocket::listenersAny() const
{
    return QSocketIoSocketPrivate::liveListeners(const_cast<QSocketIoSocketPrivate *>(d_func())->anyListeners);
}

QList<QMetaObject::Connection> QSocketIoSocket::listenersAnyOutgoing() const
{
    return QSocketIoSocketPrivate::liveListeners(
            const_cast<QSocketIoSocketPrivate *>(d_func())->anyOutgoingListeners);
}

QList<QMetaObject::Connection> QSocketIoSocketPrivate::liveListeners(QList<QPointer<QSocketIoAnyListener>> &listeners)
{
    QList<QMetaObject::Connection> out;
    for (auto it = listeners.begin(); it != listeners.end();) {
        // A listener removed with off(), or whose context went, is gone for good.
        if (!*it || !(*it)->connection) {
            if (*it)
                (*it)->deleteLater();
            it = listeners.erase(it);
            continue;
        }
        out.append((*it)->connection);
        ++it;
    }
    return out;
}

// --- private -----------------------------------------------------------------------------------------------

void QSocketIoSocketPrivate::registerAck(qint64 ackId, QObject *reply,
                                         const std::function<void(const QVariantList &)> &handler)
{
    Q_Q(QSocketIoSocket);
    acks.insert(ackId, PendingAck{handler, reply, qint64(std::chrono::steady_clock::now().time_since_epoch().count())});
    // The socket as context: nothing runs once it is gone.
    QObject::connect(reply, &QObject::destroyed, q, [this, ackId] {
        acks.remove(ackId);
        ownAcks.removeAll(QPointer<QSocketIoAck>());
    });
}

bool QSocketIoSocketPrivate::atAckLimit() const
{
    const int limit = QSocketIoServerPrivate::get(nsp->server())->maxPendingAcksPerSocket;
    return limit > 0 && acks.size() >= limit;
}

void QSocketIoSocketPrivate::watchOutgoing()
{
    if (nsp)
        QSocketIoNamespacePrivate::get(nsp)->outgoingWatched = true;
}

void QSocketIoSocket::connectNotify(const QMetaMethod &signal)
{
    if (signal == QMetaMethod::fromSignal(&QSocketIoSocket::eventSent))
        d_func()->watchOutgoing();
    QObject::connectNotify(signal);
}

bool QSocketIoSocketPrivate::hasOutgoingWatchers() const
{
    static const QMetaMethod sentSignal = QMetaMethod::fromSignal(&QSocketIoSocket::eventSent);
    return !anyOutgoingListeners.isEmpty() || q_func()->isSignalConnected(sentSignal);
}

bool QSocketIoSocketPrivate::notifyOutgoing(const QVariantList &data)
{
    Q_Q(QSocketIoSocket);
    if (!hasOutgoingWatchers())
        return false;
    if (data.isEmpty())
        return true;
    const QString event = data.first().toString();
    const QVariantList args = data.mid(1);
    if (!anyOutgoingListeners.isEmpty()) {
        // A copy: a listener may add or remove listeners, or delete the socket.
        QPointer<QSocketIoSocket> guard(q);
        const QList<QPointer<QSocketIoAnyListener>> listeners = anyOutgoingListeners;
        for (const QPointer<QSocketIoAnyListener> &listener : listeners) {
            if (listener)
                Q_EMIT listener->outgoing(event, args);
            if (!guard)
                return true;
        }
        liveListeners(anyOutgoingListeners);
    }
    Q_EMIT q->eventSent(event, args);
    return true;
}

void QSocketIoSocketPrivate::sendPacket(const Packet &packet, bool compress)
{
    if (client)
        client->send(packet, compress);
}

void QSocketIoSocketPrivate::deliver(const EncodedPacket &packet, bool isVolatile, bool compress)
{
    if (!client || !client->session || !isConnected)
        return;
    if (isVolatile && !isWritable()) {
        countVolatileDropped();
        return;
    }
    client->send(packet, isVolatile, compress);
}

bool QSocketIoSocketPrivate::isWritable() const
{
    return client && client->session && client->session->isWritable();
}

void QSocketIoSocketPrivate::countVolatileDropped()
{
    if (client && client->session)
        client->session->countVolatileDropped();   // the engine's counter, per session
    else
        ++QSocketIoServerPrivate::get(nsp->server())->metrics.volatileDroppedWithoutSession;
}

void QSocketIoSocketPrivate::connected(const QSocketIoRestoredSession *restored)
{
    Q_Q(QSocketIoSocket);
    isConnected = true;
    QSocketIoNamespacePrivate *nspd = QSocketIoNamespacePrivate::get(nsp);
    nspd->addRooms(id, {id});
    if (restored) {
        // Connection state recovery: rooms and data back, then the missed packets, before the CONNECT reply,
        // as socket.io does (the client holds them until it is connected, then emits them in order).
        nspd->addRooms(id, restored->session.rooms);
        data = restored->session.data;
        for (const QVariantList &missed : restored->missedPackets) {
            Packet replay;
            replay.type = PacketType::Event;
            replay.nsp = nsp->name();
            replay.data = missed;
            sendPacket(replay);
        }
    }
    QSocketIoSessionAwareAdapter *sessions = QSocketIoNamespacePrivate::get(nsp)->sessionAware;
    baseOffset = sessions ? sessions->recoveryHead() : -1;
    Packet packet;
    packet.type = PacketType::Connect;
    packet.nsp = nsp->name();
    if (client && client->isV2()) {
        packet = QSocketIoProtocol::V2::connectPacket(nsp->name());   // no payload in the v2 dialect
    } else {
        QVariantMap reply{{QStringLiteral("sid"), id}};
        if (!pid.isEmpty())
            reply.insert(QStringLiteral("pid"), pid);
        packet.data = reply;
    }
    sendPacket(packet);
    syncLiveSession();
    Q_EMIT q->connectedChanged();
    if (restored) {
        Q_EMIT q->roomsChanged();
        Q_EMIT q->dataChanged();
    }
}

QSocketIoStoredSession QSocketIoSocketPrivate::sessionState() const
{
    QSocketIoStoredSession session;
    session.sid = id;
    session.pid = pid;
    session.rooms = QSocketIoNamespacePrivate::get(nsp)->adapter->socketRooms(id);
    session.data = data;
    session.baseOffset = baseOffset;
    return session;
}

void QSocketIoSocketPrivate::syncLiveSession()
{
    if (pid.isEmpty() || !isConnected)
        return;
    if (QSocketIoSessionAwareAdapter *sessions = QSocketIoNamespacePrivate::get(nsp)->sessionAware)
        sessions->updateLiveSession(sessionState());
}

void QSocketIoSocketPrivate::handleEvent(Packet &&packet)
{
    Q_Q(QSocketIoSocket);
    QVariantList list = packet.data.toList();
    const QString event = list.isEmpty() ? QString() : list.takeFirst().toString();
    QSocketIoAckCallback ack;
    if (packet.id >= 0) {
        const qint64 ackId = packet.id;
        QPointer<QSocketIoSocket> guard(q);
        const QString nspName = nsp->name();
        ack = QSocketIoAckCallbackPrivate::create([guard, ackId, nspName](const QVariantList &args) {
            if (!guard)
                return;
            QSocketIoSocketPrivate *d = QSocketIoSocketPrivate::get(guard);
            if (!d->isConnected)
                return;
            Packet answer;
            answer.type = PacketType::Ack;
            answer.nsp = nspName;
            answer.id = ackId;
            answer.data = args;
            d->sendPacket(answer);
        });
    }
    auto args = std::make_shared<QVariantList>(std::move(list));
    runPacketMiddleware(0, event, args, ack);
}

void QSocketIoSocketPrivate::runPacketMiddleware(int index, const QString &event,
                                                 const std::shared_ptr<QVariantList> &args,
                                                 const QSocketIoAckCallback &ack)
{
    Q_Q(QSocketIoSocket);
    if (!isConnected)
        return;
    if (index >= middlewares.size()) {
        if (!anyListeners.isEmpty()) {
            // Node calls the catch-all listeners before the event's own. A copy: a listener may change the list
            // or delete the socket.
            QPointer<QSocketIoSocket> guard(q);
            const QList<QPointer<QSocketIoAnyListener>> listeners = anyListeners;
            for (const QPointer<QSocketIoAnyListener> &listener : listeners) {
                if (listener)
                    Q_EMIT listener->incoming(event, *args, ack);
                if (!guard || !isConnected)
                    return;
            }
            liveListeners(anyListeners);
        }
        Q_EMIT q->eventReceived(event, *args, ack);
        return;
    }
    QPointer<QSocketIoSocket> guard(q);
    const QSocketIoNext next([guard, index, event, args, ack](bool accepted, const QString &message, const QVariant &) {
        if (!guard)
            return;
        QSocketIoSocketPrivate *d = QSocketIoSocketPrivate::get(guard);
        if (accepted)
            d->runPacketMiddleware(index + 1, event, args, ack);
        else
            Q_EMIT guard->errorOccurred(message);
    });
    const QSocketIoSocket::PacketMiddleware middleware = middlewares.at(index);
    middleware(q, event, *args, next);
}

void QSocketIoSocketPrivate::handleAck(const Packet &packet)
{
    const PendingAck entry = acks.take(packet.id);
    const auto handler = entry.handler;
    if (!handler) {
        qCDebug(lcServer) << "ack with unknown id" << packet.id << "on" << id;
        return;
    }
    const qint64 now = qint64(std::chrono::steady_clock::now().time_since_epoch().count());
    QSocketIoServerPrivate::get(nsp->server())->metrics.recordAck(now - entry.sentAt);
    handler(packet.data.toList());
}

void QSocketIoSocketPrivate::close(QSocketIoSocket::DisconnectReason reason, const QString &description)
{
    Q_Q(QSocketIoSocket);
    if (!isConnected || closing)
        return;
    closing = true;
    qCDebug(lcServer) << "socket" << id << "on" << nsp->name() << "disconnecting:"
                      << QSocketIoSocket::reasonString(reason);
    // A slot may delete the server (and with it this socket) at any emit below: nothing is touched after that.
    QPointer<QSocketIoSocket> guard(q);
    Q_EMIT q->disconnecting(reason);
    if (!guard)
        return;
    if (reason == QSocketIoSocket::DisconnectReason::ServerNamespaceDisconnect && client) {
        Packet packet;
        packet.type = PacketType::Disconnect;
        packet.nsp = nsp->name();
        sendPacket(packet);
    }
    isConnected = false;
    if (!pid.isEmpty()) {
        // Connection state recovery: an involuntary disconnection keeps the session for a while.
        if (QSocketIoSessionAwareAdapter *sessions = QSocketIoNamespacePrivate::get(nsp)->sessionAware) {
            if (QSocketIoSocketPrivate::isRecoverableReason(reason))
                sessions->persistSession(sessionState());
            else
                sessions->discardSession(pid);
        } else if (QSocketIoAdapter *adapter = QSocketIoNamespacePrivate::get(nsp)->adapter.get();
                   adapter && adapter->keepsSessions() && QSocketIoSocketPrivate::isRecoverableReason(reason)) {
            adapter->persistSession(sessionState());   // kept by the adapter (across nodes)
        }
    }
    QSocketIoNamespacePrivate::get(nsp)->delAllRooms(id);
    QSocketIoNamespacePrivate::get(nsp)->removeSocket(q);
    if (client) {
        client->sockets.remove(nsp->name());
        client = nullptr;
    }
    // The broadcasts waiting for this socket's answer stop waiting for it: it cannot answer any more.
    QList<QPointer<QSocketIoAck>> broadcasts;
    for (const PendingAck &entry : std::as_const(acks)) {
        auto *reply = qobject_cast<QSocketIoAck *>(entry.reply.data());
        if (reply && reply->isBroadcast())
            broadcasts.append(reply);
    }
    acks.clear();
    for (const QPointer<QSocketIoAck> &reply : std::as_const(broadcasts)) {
        if (reply)
            QSocketIoAckPrivate::get(reply)->dropRecipient(id);
        if (!guard)
            return;
    }
    const QList<QPointer<QSocketIoAck>> pending = std::exchange(ownAcks, {});
    for (const QPointer<QSocketIoAck> &ack : pending) {
        if (ack)
            QSocketIoAckPrivate::get(ack)->timeout();
        if (!guard)
            return;
    }
    Q_EMIT q->connectedChanged();
    if (!guard)
        return;
    Q_EMIT q->roomsChanged();
    if (!guard)
        return;
    Q_EMIT q->disconnected(reason, description.isEmpty() ? QSocketIoSocket::reasonString(reason) : description);
    if (guard)
        q->deleteLater();
}
