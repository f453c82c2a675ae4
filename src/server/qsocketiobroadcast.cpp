// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "server/qsocketiobroadcast_p.h"
#include <QtSocketIo/qsocketioclusteradapter.h>
#include "server/qsocketioack_p.h"
#include "server/qsocketioackcallback_p.h"
#include "engine/qsocketiohandshake_p.h"
#include "server/qsocketionamespace_p.h"
#include "server/qsocketiosocket_p.h"
#include "qtsocketiologging_p.h"

using namespace QSocketIoProtocol;

/*!
    \class QSocketIoBroadcast
    \inmodule QtSocketIo
    \brief Selects sockets of a namespace by room and acts on them.

    The one implementation of Socket.IO's broadcast vocabulary: QSocketIoServer and QSocketIoNamespace
    forward every operator to it (QSocketIoBroadcastOperators), and QSocketIoSocket returns one from to(),
    in(), except(), broadcast() and local() (every socket but itself) and from asVolatile(), timeout() and
    compress() (that socket alone).

    emitWithAck() has no timeout unless timeout() set one: it waits until every recipient answered, except
    that a local recipient that disconnects is no longer waited for, and the other nodes of a cluster are
    waited for at most the cluster adapter's requestsTimeout.
*/

QSocketIoBroadcast::QSocketIoBroadcast(QSocketIoNamespace *nsp) : d(new QSocketIoBroadcastPrivate)
{
    d->nsp = nsp;
}

QSocketIoBroadcast::QSocketIoBroadcast(QSocketIoSocket *self) : d(new QSocketIoBroadcastPrivate)
{
    d->nsp = self->nsp();
    d->single = true;
    d->self = self;
    d->selfId = self->id();
    d->options.rooms = QStringList{d->selfId};
    d->options.local = true;
}

QSocketIoBroadcast::QSocketIoBroadcast(const QSocketIoBroadcast &other) = default;
QSocketIoBroadcast::QSocketIoBroadcast(QSocketIoBroadcast &&other) noexcept = default;
QSocketIoBroadcast &QSocketIoBroadcast::operator=(const QSocketIoBroadcast &other) = default;
QSocketIoBroadcast::~QSocketIoBroadcast() = default;

QVariantList QSocketIoBroadcast::ackAnswers(const QSocketIoAck *ack)
{
    if (!ack->isBroadcast() || QSocketIoAckPrivate::get(const_cast<QSocketIoAck *>(ack))->singleResponse)
        return ack->arguments();
    QVariantList answers;
    const QList<QVariantList> responses = ack->responses();
    answers.reserve(responses.size());
    for (const QVariantList &response : responses)
        answers.append(QVariant(response));
    return answers;
}

QSocketIoBroadcast QSocketIoBroadcast::to(const QString &room) const
{
    QSocketIoBroadcast copy(*this);
    copy.d->leaveSingle();
    if (!copy.d->options.rooms.contains(room))
        copy.d->options.rooms.append(room);
    return copy;
}

QSocketIoBroadcast QSocketIoBroadcast::to(const QStringList &rooms) const
{
    QSocketIoBroadcast copy(*this);
    copy.d->leaveSingle();
    for (const QString &room : rooms) {
        if (!copy.d->options.rooms.contains(room))
            copy.d->options.rooms.append(room);
    }
    return copy;
}

QSocketIoBroadcast QSocketIoBroadcast::except(const QString &room) const
{
    QSocketIoBroadcast copy(*this);
    copy.d->leaveSingle();
    if (!copy.d->options.except.contains(room))
        copy.d->options.except.append(room);
    return copy;
}

QSocketIoBroadcast QSocketIoBroadcast::except(const QStringList &rooms) const
{
    QSocketIoBroadcast copy(*this);
    copy.d->leaveSingle();
    for (const QString &room : rooms) {
        if (!copy.d->options.except.contains(room))
            copy.d->options.except.append(room);
    }
    return copy;
}

QSocketIoBroadcast QSocketIoBroadcast::local() const
{
    QSocketIoBroadcast copy(*this);
    copy.d->leaveSingle();
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
    if (QSocketIoSocketPrivate::isReservedEvent(event)) {
        qCWarning(lcServer) << "cannot broadcast the reserved event" << event;
        return false;
    }
    if (d->single) {
        if (!d->self)
            return false;
        return QSocketIoSocketPrivate::get(d->self)->emitEvent(event, args, d->options.isVolatile,
                                                               d->options.compress);
    }
    if (!d->nsp)
        return false;
    QVariantList data;
    data.reserve(args.size() + 1);
    data.append(event);
    data.append(args);
    for (QSocketIoNamespace *target : QSocketIoNamespacePrivate::get(d->nsp)->targets()) {
        QSocketIoNamespacePrivate *nd = QSocketIoNamespacePrivate::get(target);
        QSocketIoBroadcastPacket packet;
        packet.nsp = target->name();
        packet.data = data;
        const QStringList recipients = nd->adapter->broadcast(packet, d->options);
        if (!nd->outgoingWatched)
            continue;   // nobody watches: no walk over every recipient
        bool watched = false;
        for (const QString &id : recipients) {
            if (QSocketIoSocket *socket = nd->sockets.value(id))
                watched = QSocketIoSocketPrivate::get(socket)->notifyOutgoing(data) || watched;
        }
        // Watchers are not counted when they go: a broadcast to every local socket that found none clears it.
        if (!watched && d->options.rooms.isEmpty() && d->options.except.isEmpty())
            nd->outgoingWatched = false;
    }
    return true;
}

QSocketIoAck *QSocketIoBroadcast::emitWithAck(const QString &event, const QVariantList &args) const
{
    const int timeout = d->options.timeout >= 0 ? d->options.timeout : -1;   // -1: no timeout
    if (d->single && d->self)
        return QSocketIoSocketPrivate::get(d->self)->emitWithAck(event, args, timeout, d->options.isVolatile,
                                                                 d->options.compress);
    QObject *owner = d->nsp ? static_cast<QObject *>(d->nsp.data()) : nullptr;
    QSocketIoAck *ack = QSocketIoAckPrivate::create(owner, timeout, !d->single);
    QSocketIoAckPrivate *ad = QSocketIoAckPrivate::get(ack);
    ad->singleResponse = d->singleResponse;
    if (QSocketIoSocketPrivate::isReservedEvent(event) || !d->nsp || d->single) {
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
        QSocketIoBroadcastPacket packet;
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
            // With no timeout, the other nodes are waited for as long as the adapter waits for their answers
            // (its requestsTimeout; Node's default 5000 ms for other adapters), no longer.
            int remoteBound = 5000;
            if (auto *cluster = dynamic_cast<QSocketIoClusterAdapter *>(nd->adapter.get()))
                remoteBound = cluster->requestsTimeout();
            nd->adapter->serverCount([guard, timeout, remoteBound](int servers) {
                if (!guard)
                    return;
                QSocketIoAckPrivate *gd = QSocketIoAckPrivate::get(guard);
                gd->addServerCount(servers);
                if (guard && timeout < 0 && servers > 1)
                    gd->boundRemoteWait(remoteBound);
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
        QPointer<QSocketIoNamespace> owner(target);
        QSocketIoNamespacePrivate::get(target)->adapter->fetchSockets(d->options,
            [collect, deliver, owner](const QList<QSocketIoRemoteSocket> &sockets, const QString &error) {
                for (QSocketIoRemoteSocket socket : sockets) {
                    // Bound to its namespace: emitEvent(), join() and friends act through it.
                    socket.setNamespace(owner);
                    collect->sockets.append(socket);
                }
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
