// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOBROADCAST_H
#define QSOCKETIOBROADCAST_H

#include <QtSocketIo/qsocketioack.h>
#include <QtSocketIo/qsocketioremotesocket.h>
#include <QtSocketIo/qtsocketioglobal.h>

#include <QtCore/qobject.h>
#include <QtCore/qshareddata.h>
#include <QtCore/qstringlist.h>
#include <QtCore/qvariant.h>

#include <chrono>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

class QSocketIoNamespace;
class QSocketIoSocket;
class QSocketIoBroadcastPrivate;

// Selects a set of sockets of one namespace and acts on them: Socket.IO's broadcast operator, and the one
// implementation of that vocabulary. QSocketIoServer (main namespace) and QSocketIoNamespace forward every
// member to it (QSocketIoBroadcastOperators) and offer the same operators and overloads; QSocketIoSocket
// returns one for everyone but itself (to(), in(), except(), broadcast(), local()) or, from its flags
// (asVolatile(), timeout(), compress()), one that sends to that socket alone. A cheap value: each modifier
// returns a new one.
//
//     server->of(u"/chat"_s)->to(u"room1"_s).except(u"muted"_s).emitEvent(u"news"_s, {text});
//     socket->timeout(100).emitWithAck(u"question"_s, {}, this, [](bool timedOut, const QVariantList &answers) {});
//
// Acknowledgement timeout: by default (no timeout(), or a negative one) emitWithAck() waits with no time
// limit, as Node's Socket.emitWithAck() does, but never for a recipient that cannot answer any more: a local
// recipient that disconnects stops being waited for, and the other nodes of a cluster are waited for at most
// the cluster adapter's requestsTimeout (5000 ms unless set). This is the same on every entry point.
class QTSOCKETIO_EXPORT QSocketIoBroadcast
{
public:
    // fetchSockets(): the selected sockets of this node.
    using SocketsFunctor = std::function<void(const QList<QSocketIoSocket *> &sockets)>;
    // fetchRemoteSockets(): the sockets of every node, or what arrived and why the rest did not (error
    // non-empty, e.g. "timeout reached while waiting for fetchSockets response").
    using RemoteSocketsFunctor = std::function<void(const QList<QSocketIoRemoteSocket> &sockets, const QString &error)>;

    QSocketIoBroadcast(const QSocketIoBroadcast &other);
    QSocketIoBroadcast &operator=(const QSocketIoBroadcast &other);
    // A moved-from object may only be assigned to or destroyed.
    QSocketIoBroadcast(QSocketIoBroadcast &&other) noexcept;
    QT_MOVE_ASSIGNMENT_OPERATOR_IMPL_VIA_PURE_SWAP(QSocketIoBroadcast)
    ~QSocketIoBroadcast();

    void swap(QSocketIoBroadcast &other) noexcept { d.swap(other.d); }

    // Sockets in any of these rooms (a socket id is a room too). Without to(): every socket.
    QSocketIoBroadcast to(const QString &room) const;
    QSocketIoBroadcast to(const QStringList &rooms) const;
    QSocketIoBroadcast in(const QString &room) const { return to(room); }
    QSocketIoBroadcast in(const QStringList &rooms) const { return to(rooms); }
    // But not the sockets in any of these rooms.
    QSocketIoBroadcast except(const QString &room) const;
    QSocketIoBroadcast except(const QStringList &rooms) const;
    // Only this node's sockets, when an adapter links several nodes.
    QSocketIoBroadcast local() const;
    // Dropped for a socket whose transport cannot take it right now (no poll waiting).
    QSocketIoBroadcast asVolatile() const;
    // Whether what is sent asks for HTTP compression (default true). As in engine.io, a polling response is
    // compressed (QSocketIoServer::httpCompression) only if one of its packets asked for it; WebSocket frames
    // are never compressed (permessage-deflate is not negotiated).
    QSocketIoBroadcast compress(bool compress) const;
    // For emitWithAck(): how long to wait for every answer (ms). Default: no limit (see above); negative
    // values mean the same.
    QSocketIoBroadcast timeout(int milliseconds) const;
    QSocketIoBroadcast timeout(std::chrono::milliseconds ms) const { return timeout(int(ms.count())); }

    // Sends the event to every selected socket; the packet is encoded once. Returns false when the event
    // name is reserved (connect, connect_error, disconnect, disconnecting, newListener, removeListener), or
    // for a single socket (QSocketIoSocket::timeout() and friends) when it is disconnected.
    bool emitEvent(const QString &event, const QVariantList &args = {}) const;
    // Sends with an acknowledgement and collects every socket's answer, on every node of a cluster (the
    // expected count grows as the nodes report how many clients they reached): finished() once all answered,
    // timedOut() when the timeout passed first. For a single socket (QSocketIoSocket::timeout() and friends)
    // the reply is that client's answer (arguments()), not a broadcast. Owned by the namespace (by the
    // socket for a single socket); deletes itself after finished() or timedOut(). With a reserved name
    // nothing is sent and the reply times out on the next pass.
    QSocketIoAck *emitWithAck(const QString &event, const QVariantList &args = {}) const;
    // The same as timeout(timeoutMs).emitWithAck(event, args).
    QSocketIoAck *emitWithAck(const QString &event, const QVariantList &args, int timeoutMs) const
    {
        return timeout(timeoutMs).emitWithAck(event, args);
    }
    // The same, calling functor(bool timedOut, const QVariantList &answers) once, in context's thread and not
    // at all once context is gone. answers: for a single socket its acknowledgement's arguments; for a
    // broadcast one entry per answering socket, each that socket's arguments as a QVariantList (on a
    // timeout, what did arrive).
    template <typename Functor>
    void emitWithAck(const QString &event, const QVariantList &args, const QObject *context, Functor &&functor) const
    {
        connectAck(emitWithAck(event, args), context, std::forward<Functor>(functor));
    }
    template <typename Functor>
    void emitWithAck(const QString &event, const QVariantList &args, int timeoutMs, const QObject *context,
                     Functor &&functor) const
    {
        connectAck(emitWithAck(event, args, timeoutMs), context, std::forward<Functor>(functor));
    }
    // emitEvent("message", args); write() is the same (Node's alias).
    bool send(const QVariantList &args) const;
    bool write(const QVariantList &args) const { return send(args); }

    // The selected sockets on this node.
    QList<QSocketIoSocket *> sockets() const;
    // The selected sockets on this node, asynchronously (on the next event-loop pass). The functor runs in
    // the context object's thread, unless context was deleted.
    void fetchSockets(const QObject *context, const SocketsFunctor &functor) const;
    // The selected sockets of every node of the cluster (this one's with isLocal()), once the other nodes
    // answered or the adapter's requestsTimeout passed; with one node, this node's. Same context rules.
    void fetchRemoteSockets(const QObject *context, const RemoteSocketsFunctor &functor) const;
    // These act on the selected sockets of every node.
    void socketsJoin(const QStringList &rooms) const;
    void socketsLeave(const QStringList &rooms) const;
    void disconnectSockets(bool closeConnection = false) const;

private:
    friend class QSocketIoNamespace;
    friend class QSocketIoSocket;
    friend class QSocketIoBroadcastPrivate;
    friend class QSocketIoRemoteSocket;
    explicit QSocketIoBroadcast(QSocketIoNamespace *nsp);
    explicit QSocketIoBroadcast(QSocketIoSocket *self);   // to that socket alone, with its flags
    static QVariantList ackAnswers(const QSocketIoAck *ack);
    template <typename Functor>
    static void connectAck(QSocketIoAck *ack, const QObject *context, Functor &&functor)
    {
        auto f = std::make_shared<std::decay_t<Functor>>(std::forward<Functor>(functor));
        QObject::connect(ack, &QSocketIoAck::finished, context, [f, ack] { (*f)(false, ackAnswers(ack)); });
        QObject::connect(ack, &QSocketIoAck::timedOut, context, [f, ack] { (*f)(true, ackAnswers(ack)); });
    }
    QSharedDataPointer<QSocketIoBroadcastPrivate> d;
};

Q_DECLARE_SHARED(QSocketIoBroadcast)

#endif
