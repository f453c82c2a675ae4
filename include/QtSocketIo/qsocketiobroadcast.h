// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOBROADCAST_H
#define QSOCKETIOBROADCAST_H

#include <QtSocketIo/qsocketioremotesocket.h>
#include <QtSocketIo/qtsocketioglobal.h>

#include <QtCore/qobject.h>
#include <QtCore/qshareddata.h>
#include <QtCore/qstringlist.h>
#include <QtCore/qvariant.h>

#include <functional>

class QSocketIoAck;
class QSocketIoNamespace;
class QSocketIoSocket;
class QSocketIoBroadcastPrivate;

// Selects a set of sockets of one namespace and acts on them: Socket.IO's broadcast operator.
// Obtained from QSocketIoNamespace, QSocketIoServer (main namespace) or QSocketIoSocket (everyone but that
// socket). A cheap value: each modifier returns a new one.
//
//     server->of(u"/chat"_s)->to(u"room1"_s).except(u"muted"_s).emitEvent(u"news"_s, {text});
class QTSOCKETIO_EXPORT QSocketIoBroadcast
{
public:
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
    // Accepted for compatibility; permessage-deflate is not negotiated, so it changes nothing.
    QSocketIoBroadcast compress(bool compress) const;
    // For emitWithAck(): how long to wait for every answer (ms). Default 5000 for broadcasts.
    QSocketIoBroadcast timeout(int milliseconds) const;

    // Sends the event to every selected socket; the packet is encoded once. Returns false when the event
    // name is reserved (connect, connect_error, disconnect, disconnecting, newListener, removeListener).
    bool emitEvent(const QString &event, const QVariantList &args = {}) const;
    // Sends with an acknowledgement and collects every socket's answer, on every node of a cluster (the
    // expected count grows as the nodes report how many clients they reached). The reply is owned by the
    // namespace and deletes itself after finished() or timedOut().
    QSocketIoAck *emitWithAck(const QString &event, const QVariantList &args = {}) const;
    bool send(const QVariantList &args) const;

    // The selected sockets on this node.
    QList<QSocketIoSocket *> sockets() const;
    // The selected sockets on this node, asynchronously (on the next event-loop pass). The functor runs in
    // the context object's thread, unless context was deleted.
    void fetchSockets(const QObject *context, const std::function<void(const QList<QSocketIoSocket *> &)> &functor) const;
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
    explicit QSocketIoBroadcast(QSocketIoNamespace *nsp);
    QSharedDataPointer<QSocketIoBroadcastPrivate> d;
};

Q_DECLARE_SHARED(QSocketIoBroadcast)

#endif
