// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "server/qsocketioserver_p.h"
#include "qtsocketiologging_p.h"

using namespace QSocketIoProtocol;

bool qtsocketio_isReservedEvent(const QString &event);

/*!
    \class QSocketIoNamespace
    \inmodule QtSocketIo
    \brief A Socket.IO namespace: its sockets, middleware and broadcasts.

    Obtained from QSocketIoServer::of(); owned by the server.
*/

QSocketIoNamespacePrivate::QSocketIoNamespacePrivate(QSocketIoNamespace *q, QSocketIoServer *server,
                                                     const QString &name)
    : q_ptr(q), server(server), name(name), adapter(std::make_unique<QSocketIoInMemoryAdapter>(q))
{
    // Recovery settings reach it from QSocketIoNamespace's constructor, once this object is in place.
    setAdapter(std::make_unique<QSocketIoInMemoryAdapter>(q), false);
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

void QSocketIoNamespace::use(const Middleware &middleware)
{
    Q_D(QSocketIoNamespace);
    d->middlewares.append(middleware);
    // Children created already get it too.
    for (QSocketIoNamespace *child : std::as_const(d->children))
        child->use(middleware);
}

QSocketIoBroadcast QSocketIoNamespace::all() const { return QSocketIoBroadcast(const_cast<QSocketIoNamespace *>(this)); }
QSocketIoBroadcast QSocketIoNamespace::to(const QString &room) const { return all().to(room); }
QSocketIoBroadcast QSocketIoNamespace::to(const QStringList &rooms) const { return all().to(rooms); }
QSocketIoBroadcast QSocketIoNamespace::except(const QString &room) const { return all().except(room); }
QSocketIoBroadcast QSocketIoNamespace::except(const QStringList &rooms) const { return all().except(rooms); }
QSocketIoBroadcast QSocketIoNamespace::local() const { return all().local(); }
QSocketIoBroadcast QSocketIoNamespace::asVolatile() const { return all().asVolatile(); }
QSocketIoBroadcast QSocketIoNamespace::compress(bool compress) const { return all().compress(compress); }
QSocketIoBroadcast QSocketIoNamespace::timeout(int milliseconds) const { return all().timeout(milliseconds); }

bool QSocketIoNamespace::emitEvent(const QString &event, const QVariantList &args) { return all().emitEvent(event, args); }
QSocketIoAck *QSocketIoNamespace::emitWithAck(const QString &event, const QVariantList &args) { return all().emitWithAck(event, args); }
bool QSocketIoNamespace::send(const QVariantList &args) { return all().send(args); }
void QSocketIoNamespace::fetchSockets(const QObject *context,
                                      const std::function<void(const QList<QSocketIoSocket *> &)> &functor) const
{
    all().fetchSockets(context, functor);
}
void QSocketIoNamespace::socketsJoin(const QStringList &rooms) { all().socketsJoin(rooms); }
void QSocketIoNamespace::socketsLeave(const QStringList &rooms) { all().socketsLeave(rooms); }
void QSocketIoNamespace::disconnectSockets(bool closeConnection) { all().disconnectSockets(closeConnection); }

bool QSocketIoNamespace::serverSideEmit(const QString &event, const QVariantList &args)
{
    Q_D(QSocketIoNamespace);
    if (qtsocketio_isReservedEvent(event))
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
    if (qtsocketio_isReservedEvent(event)) {
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

void QSocketIoNamespace::fetchRemoteSockets(const QObject *context, const RemoteSocketsFunctor &functor) const
{
    all().fetchRemoteSockets(context, functor);
}

void QSocketIoNamespacePrivate::setAdapter(std::unique_ptr<QSocketIoAdapter> replacement, bool applyRecovery)
{
    if (!replacement)
        replacement = std::make_unique<QSocketIoInMemoryAdapter>(q_ptr);
    for (auto it = sockets.constBegin(); it != sockets.constEnd(); ++it)
        replacement->addAll(it.key(), adapter->socketRooms(it.key()));
    replacement->setDeliver([this](const QString &socketId, const EncodedPacket &packet, bool isVolatile) {
        if (QSocketIoSocket *socket = sockets.value(socketId))
            QSocketIoSocketPrivate::get(socket)->deliver(packet, isVolatile);
    });
    // The new adapter keeps sessions as configured (when it can).
    if (applyRecovery)
        replacement->setRecovery(QSocketIoServerPrivate::get(server)->recoverySettings());
    adapter = std::move(replacement);
}

void QSocketIoNamespacePrivate::addSocket(QSocketIoSocket *socket)
{
    Q_Q(QSocketIoNamespace);
    sockets.insert(socket->id(), socket);
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

// --- QSocketIoBroadcast ------------------------------------------------------------------------------------

/*!
    \class QSocketIoBroadcast
    \inmodule QtSocketIo
    \brief Selects sockets of a namespace by room and acts on them.
*/

class QSocketIoBroadcastPrivate : public QSharedData
{
public:
    QPointer<QSocketIoNamespace> nsp;
    QSocketIoBroadcastOptions options;   // with the flags: local, volatile, compress, timeout

    // The sockets selected in every target namespace.
    QList<QSocketIoSocket *> select() const
    {
        QList<QSocketIoSocket *> out;
        if (!nsp)
            return out;
        for (QSocketIoNamespace *target : QSocketIoNamespacePrivate::get(nsp)->targets()) {
            QSocketIoNamespacePrivate *d = QSocketIoNamespacePrivate::get(target);
            const QStringList ids = d->adapter->selectSockets(options);
            for (const QString &id : ids) {
                if (QSocketIoSocket *socket = d->sockets.value(id))
                    out.append(socket);
            }
        }
        return out;
    }
};

QSocketIoBroadcast::QSocketIoBroadcast(QSocketIoNamespace *nsp) : d(new QSocketIoBroadcastPrivate)
{
    d->nsp = nsp;
}
QSocketIoBroadcast::QSocketIoBroadcast(const QSocketIoBroadcast &other) = default;
QSocketIoBroadcast::QSocketIoBroadcast(QSocketIoBroadcast &&other) noexcept = default;
QSocketIoBroadcast &QSocketIoBroadcast::operator=(const QSocketIoBroadcast &other) = default;
QSocketIoBroadcast::~QSocketIoBroadcast() = default;

QSocketIoBroadcast QSocketIoBroadcast::to(const QString &room) const
{
    QSocketIoBroadcast copy(*this);
    if (!copy.d->options.rooms.contains(room))
        copy.d->options.rooms.append(room);
    return copy;
}

QSocketIoBroadcast QSocketIoBroadcast::to(const QStringList &rooms) const
{
    QSocketIoBroadcast copy(*this);
    for (const QString &room : rooms) {
        if (!copy.d->options.rooms.contains(room))
            copy.d->options.rooms.append(room);
    }
    return copy;
}

QSocketIoBroadcast QSocketIoBroadcast::except(const QString &room) const
{
    QSocketIoBroadcast copy(*this);
    if (!copy.d->options.except.contains(room))
        copy.d->options.except.append(room);
    return copy;
}

QSocketIoBroadcast QSocketIoBroadcast::except(const QStringList &rooms) const
{
    QSocketIoBroadcast copy(*this);
    for (const QString &room : rooms) {
        if (!copy.d->options.except.contains(room))
            copy.d->options.except.append(room);
    }
    return copy;
}

QSocketIoBroadcast QSocketIoBroadcast::local() const
{
    QSocketIoBroadcast copy(*this);
    copy.d->options.local = true;
    return copy;
}

QSocketIoBroadcast QSocketIoBroadcast::asVolatile() const
{
    QSocketIoBroadcast copy(*this);
    copy.d->options.isVolatile = true;
    return copy;
}

QSocketIoBroadcast QSocketIoBroadcast::compress(bool compress) const
{
    QSocketIoBroadcast copy(*this);
    copy.d->options.compress = compress;
    return copy;
}

QSocketIoBroadcast QSocketIoBroadcast::timeout(int milliseconds) const
{
    QSocketIoBroadcast copy(*this);
    copy.d->options.timeout = milliseconds;
    return copy;
}

bool QSocketIoBroadcast::emitEvent(const QString &event, const QVariantList &args) const
{
    if (qtsocketio_isReservedEvent(event)) {
        qCWarning(lcServer) << "cannot broadcast the reserved event" << event;
        return false;
    }
    if (!d->nsp)
        return false;
    QVariantList data;
    data.reserve(args.size() + 1);
    data.append(event);
    data.append(args);
    for (QSocketIoNamespace *target : QSocketIoNamespacePrivate::get(d->nsp)->targets()) {
        QSocketIoNamespacePrivate *nd = QSocketIoNamespacePrivate::get(target);
        Packet packet;
        packet.type = PacketType::Event;
        packet.nsp = target->name();
        packet.data = data;
        const QStringList recipients = nd->adapter->broadcast(packet, d->options);
        for (const QString &id : recipients) {
            if (QSocketIoSocket *socket = nd->sockets.value(id))
                QSocketIoSocketPrivate::get(socket)->notifyOutgoing(data);
        }
    }
    return true;
}

QSocketIoAck *QSocketIoBroadcast::emitWithAck(const QString &event, const QVariantList &args) const
{
    QObject *owner = d->nsp ? static_cast<QObject *>(d->nsp.data()) : nullptr;
    const int timeout = d->options.timeout >= 0 ? d->options.timeout : 5000;
    QSocketIoAck *ack = QSocketIoAckPrivate::create(owner, timeout, true);
    QSocketIoAckPrivate *ad = QSocketIoAckPrivate::get(ack);
    if (qtsocketio_isReservedEvent(event) || !d->nsp) {
        // Nothing is sent: fail like QSocketIoSocket::emitWithAck() does, on the next pass once the caller
        // connected, rather than finish as if every recipient had answered.
        qCWarning(lcServer) << "cannot broadcast the reserved event" << event << "or the namespace is gone";
        QMetaObject::invokeMethod(ack, [ack] { QSocketIoAckPrivate::get(ack)->timeout(); }, Qt::QueuedConnection);
        return ack;
    }
    QVariantList data;
    data.reserve(args.size() + 1);
    data.append(event);
    data.append(args);
    QSocketIoBroadcastOptions options = d->options;
    options.timeout = timeout;
    QPointer<QSocketIoAck> guard(ack);
    // Each target's adapter reports how many nodes it spans, each node how many clients it reached, then
    // every client answers (through the adapter for the remote ones).
    const QList<QSocketIoNamespace *> targets = QSocketIoNamespacePrivate::get(d->nsp)->targets();
    ad->startCluster(int(targets.size()));
    for (QSocketIoNamespace *target : targets) {
        QSocketIoNamespacePrivate *nd = QSocketIoNamespacePrivate::get(target);
        Packet packet;
        packet.type = PacketType::Event;
        packet.nsp = target->name();
        packet.data = data;
        nd->adapter->broadcastWithAck(packet, options, ack,
            [guard](int count, const QStringList &socketIds) {
                if (guard)
                    QSocketIoAckPrivate::get(guard)->addClientCount(count, socketIds);
            },
            [guard](const QString &socketId, const QVariantList &answer) {
                if (guard)
                    QSocketIoAckPrivate::get(guard)->addClusterResponse(socketId, answer);
            });
        if (options.local) {
            ad->addServerCount(1);
        } else {
            nd->adapter->serverCount([guard](int servers) {
                if (guard)
                    QSocketIoAckPrivate::get(guard)->addServerCount(servers);
            });
        }
    }
    ad->armCluster();
    return ack;
}

bool QSocketIoBroadcast::send(const QVariantList &args) const
{
    return emitEvent(QStringLiteral("message"), args);
}

QList<QSocketIoSocket *> QSocketIoBroadcast::sockets() const
{
    return d->select();
}

void QSocketIoBroadcast::fetchSockets(const QObject *context,
                                      const std::function<void(const QList<QSocketIoSocket *> &)> &functor) const
{
    // Asynchronous like a cluster adapter would be; the selection is made when the result is delivered.
    const QSocketIoBroadcast self(*this);
    QMetaObject::invokeMethod(const_cast<QObject *>(context), [self, functor] {
        QList<QSocketIoSocket *> result;
        for (QSocketIoSocket *socket : self.sockets()) {
            if (socket->isConnected())
                result.append(socket);
        }
        functor(result);
    }, Qt::QueuedConnection);
}

void QSocketIoBroadcast::fetchRemoteSockets(const QObject *context, const RemoteSocketsFunctor &functor) const
{
    if (!d->nsp) {
        QMetaObject::invokeMethod(const_cast<QObject *>(context), [functor] {
            functor({}, QStringLiteral("the namespace is gone"));
        }, Qt::QueuedConnection);
        return;
    }
    const QList<QSocketIoNamespace *> targets = QSocketIoNamespacePrivate::get(d->nsp)->targets();
    struct Collect {
        int waiting = 0;
        QList<QSocketIoRemoteSocket> sockets;
        QString error;
    };
    auto collect = std::make_shared<Collect>();
    collect->waiting = int(targets.size());
    QPointer<const QObject> guard(context);
    auto deliver = [guard, functor, collect] {
        // The functor runs in the context's thread and not at all once the context is gone.
        if (!guard)
            return;
        QMetaObject::invokeMethod(const_cast<QObject *>(guard.data()), [guard, functor, collect] {
            if (guard)
                functor(collect->sockets, collect->error);
        }, Qt::QueuedConnection);
    };
    if (targets.isEmpty()) {
        deliver();
        return;
    }
    for (QSocketIoNamespace *target : targets) {
        QSocketIoNamespacePrivate::get(target)->adapter->fetchSockets(d->options,
            [collect, deliver](const QList<QSocketIoRemoteSocket> &sockets, const QString &error) {
                collect->sockets += sockets;
                if (!error.isEmpty())
                    collect->error = error;
                if (--collect->waiting == 0)
                    deliver();
            });
    }
}

void QSocketIoBroadcast::socketsJoin(const QStringList &rooms) const
{
    if (!d->nsp)
        return;
    for (QSocketIoNamespace *target : QSocketIoNamespacePrivate::get(d->nsp)->targets())
        QSocketIoNamespacePrivate::get(target)->adapter->addSockets(d->options, rooms);
}

void QSocketIoBroadcast::socketsLeave(const QStringList &rooms) const
{
    if (!d->nsp)
        return;
    for (QSocketIoNamespace *target : QSocketIoNamespacePrivate::get(d->nsp)->targets())
        QSocketIoNamespacePrivate::get(target)->adapter->delSockets(d->options, rooms);
}

void QSocketIoBroadcast::disconnectSockets(bool closeConnection) const
{
    if (!d->nsp)
        return;
    const QList<QSocketIoNamespace *> targets = QSocketIoNamespacePrivate::get(d->nsp)->targets();
    const QList<QPointer<QSocketIoNamespace>> guarded(targets.cbegin(), targets.cend());
    for (const QPointer<QSocketIoNamespace> &target : guarded) {
        if (target)
            QSocketIoNamespacePrivate::get(target)->adapter->disconnectSockets(d->options, closeConnection);
    }
}
