// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "server/qsocketioserver_p.h"
#include "server/qsocketioack_p.h"
#include "server/qsocketioackcallback_p.h"
#include "server/qsocketiohandshake_p.h"
#include "server/qsocketionamespace_p.h"
#include "server/qsocketiosocket_p.h"
#include "qtsocketiologging_p.h"

using namespace QSocketIoProtocol;

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
