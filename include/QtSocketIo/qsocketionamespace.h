// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIONAMESPACE_H
#define QSOCKETIONAMESPACE_H

#include <QtSocketIo/qsocketioack.h>
#include <QtSocketIo/qsocketioackcallback.h>
#include <QtSocketIo/qsocketiobroadcast.h>
#include <QtSocketIo/qsocketiobroadcastoperators.h>
#include <QtSocketIo/qsocketionext.h>
#include <QtSocketIo/qtsocketioglobal.h>

#include <QtCore/qobject.h>
#include <QtCore/qvariant.h>

#include <functional>
#include <memory>

class QSocketIoAdapter;
class QSocketIoServer;
class QSocketIoSocket;
class QSocketIoNamespacePrivate;

// A Socket.IO namespace ("/", "/chat", ...): its sockets, its middleware, and broadcasts to them.
// Owned by the server. A dynamic namespace (QSocketIoServer::of() with a pattern) is a parent: its
// middleware and newConnection() apply to every child namespace it creates, and its broadcasts reach all
// of them.
//
// The broadcast vocabulary (to, in, except, local, asVolatile, compress, timeout, emitEvent, emitWithAck,
// send, fetchSockets, fetchRemoteSockets, socketsJoin, socketsLeave, disconnectSockets) comes from
// QSocketIoBroadcastOperators: each member forwards to all(), the QSocketIoBroadcast of every socket.
class QTSOCKETIO_EXPORT QSocketIoNamespace : public QObject,
                                             public QSocketIoBroadcastOperators<QSocketIoNamespace>
{
    Q_OBJECT
    Q_PROPERTY(QString name READ name CONSTANT)
    Q_PROPERTY(int socketCount READ socketCount NOTIFY socketCountChanged)
public:
    // Runs for each socket joining the namespace, in the order added, before newConnection().
    using Middleware = std::function<void(QSocketIoSocket *socket, const QSocketIoNext &next)>;

    ~QSocketIoNamespace() override;

    QString name() const;
    QSocketIoServer *server() const;
    // A pattern namespace: true for the parent, false for the named children it creates.
    bool isDynamic() const;
    QSocketIoNamespace *parentNamespace() const;
    QList<QSocketIoNamespace *> childNamespaces() const;

    int socketCount() const;
    QList<QSocketIoSocket *> sockets() const;
    QSocketIoSocket *socket(const QString &id) const;

    void use(const Middleware &middleware);

    // The adapter (Node's nsp.adapter) and its rooms on this node: every room with at least one local socket
    // (each socket's own room, its id, included, as in Node), and the ids of the local sockets in one room.
    QSocketIoAdapter *adapter() const;
    QStringList rooms() const;
    QStringList roomMembers(const QString &room) const;

    // The broadcast operator selecting every socket of this namespace (of its children for a dynamic one).
    QSocketIoBroadcast all() const;
    using RemoteSocketsFunctor = QSocketIoBroadcast::RemoteSocketsFunctor;

    // Sends an event to the other nodes of a cluster (through the adapter); with one node it goes nowhere.
    // Returns false when the event name is reserved.
    bool serverSideEmit(const QString &event, const QVariantList &args = {});
    // The same, asking every other node for an answer (serverSideEventWithAckReceived() there). The reply
    // finishes with one response per other node (responses(), each a one-element list: only the first
    // argument of an answer travels, as in Node), or times out after the adapter's requestsTimeout with
    // errorString() "timeout reached: only N responses received out of M" and what did arrive. With one
    // node it finishes with no responses. Owned by the namespace; deletes itself afterwards.
    QSocketIoAck *serverSideEmitWithAck(const QString &event, const QVariantList &args = {});

Q_SIGNALS:
    void newConnection(QSocketIoSocket *socket);
    void socketCountChanged();
    // An event another node sent with serverSideEmit().
    void serverSideEventReceived(const QString &event, const QVariantList &args);
    // Connection state recovery: a client got its kept session back (same id, rooms and data, missed packets
    // sent). Emitted just before newConnection() for that socket.
    void connectionRecovered(QSocketIoSocket *socket);
    // Connection state recovery: a kept session expired without its client coming back.
    void sessionExpired(const QString &socketId, const QStringList &rooms, const QVariantMap &data);
    // An event another node sent with serverSideEmitWithAck(): call ack (once) to answer it.
    void serverSideEventWithAckReceived(const QString &event, const QVariantList &args, const QSocketIoAckCallback &ack);
    // The adapter's room events (Node's create-room, delete-room, join-room, leave-room), for the local sockets,
    // whatever the adapter. Nothing is computed for them while none of the four is connected.
    void roomCreated(const QString &room);
    void roomDeleted(const QString &room);
    void roomJoined(const QString &room, const QString &socketId);
    void roomLeft(const QString &room, const QString &socketId);

private:
    friend class QSocketIoServer;
    friend class QSocketIoNamespacePrivate;
    friend class QSocketIoServerPrivate;
    friend class QSocketIoBroadcastPrivate;
    friend class QSocketIoSocketPrivate;
    friend class QSocketIoAdapter;
    QSocketIoNamespace(QSocketIoServer *server, const QString &name);
    Q_DECLARE_PRIVATE(QSocketIoNamespace)
    Q_DISABLE_COPY(QSocketIoNamespace)
    std::unique_ptr<QSocketIoNamespacePrivate> d_ptr;
};

#endif
