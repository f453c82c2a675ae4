// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIONAMESPACE_P_H
#define QSOCKETIONAMESPACE_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtSocketIo/qsocketionamespace.h>
#include <QtSocketIo/qsocketioserver.h>

#include <QtSocketIo/qsocketiosocketemitter.h>

#include "adapters/qsocketiosessionawareadapter_p.h"

#include <QtCore/qhash.h>
#include <QtCore/qregularexpression.h>

#include <functional>
#include <memory>

// Node's socket.handshake fields (as a Node.js node of a cluster reads them), for a socket of this node.
QVariantMap qtsocketio_handshakeToNode(const QSocketIoHandshake &handshake);

// The namespace is the adapter's QSocketIoSocketEmitter: the adapter reaches the sockets only through it.
class QSocketIoNamespacePrivate : public QSocketIoSocketEmitter
{
    Q_DECLARE_PUBLIC(QSocketIoNamespace)
public:
    static QSocketIoNamespacePrivate *get(QSocketIoNamespace *nsp) { return nsp->d_func(); }
    QSocketIoNamespacePrivate(QSocketIoNamespace *q, QSocketIoServer *server, const QString &name);

    void addSocket(QSocketIoSocket *socket);
    void removeSocket(QSocketIoSocket *socket);
    // Every QSocketIoSocket of this namespace, joined or still in the middleware, counts from its construction to
    // its destruction. When the last one of a dynamic child goes, the server may remove the child
    // (QSocketIoServer::cleanupEmptyChildNamespaces).
    void socketObjectCreated() { ++socketObjects; }
    void socketObjectDestroyed() { if (--socketObjects == 0) scheduleCleanup(); }
    void scheduleCleanup();   // a dynamic child: asks the server, on the next event-loop pass, to remove it if empty
    int socketObjects = 0;
    void runMiddleware(QSocketIoSocket *socket, int index, const std::function<void(bool, QString, QVariant)> &done);
    qint64 nextAckId() { return ackIds++; }
    // Broadcast helpers, also used for the children of a dynamic parent.
    QList<QSocketIoNamespace *> targets() const;

    QSocketIoNamespace *q_ptr;
    QSocketIoServer *server;
    QString name;
    QHash<QString, QSocketIoSocket *> sockets;
    // Whether a local socket may watch what it is sent (eventSent connected, or an onAnyOutgoing listener): a
    // broadcast walks its recipients for them only then. Set when one starts watching, cleared by a broadcast
    // that found none (a watcher's end is not tracked).
    bool outgoingWatched = false;
    QList<QSocketIoNamespace::Middleware> middlewares;
    std::unique_ptr<QSocketIoAdapter> adapter;
    // The adapter when it is the default one, which keeps sessions (connection state recovery); null with an
    // adapter from a factory: recovery is then off for this namespace.
    QSocketIoSessionAwareAdapter *sessionAware = nullptr;
    // Replaces the adapter (null: the default one), keeping the rooms of the local sockets.
    void setAdapter(std::unique_ptr<QSocketIoAdapter> replacement, bool applyRecovery = true);
    void setRecovery(const QSocketIoRecoverySettings &settings);

    // QSocketIoSocketEmitter
    QString namespaceName() const override;
    QStringList socketIds() const override;
    bool isWritable(const QString &socketId) const override;
    void send(const QStringList &socketIds, const QSocketIoBroadcastPacket &packet, bool isVolatile) override;
    QStringList sendWithAck(const QStringList &socketIds, const QSocketIoBroadcastPacket &packet, QObject *lifetime,
                            const AckCallback &ack) override;
    void joinRooms(const QStringList &socketIds, const QStringList &rooms) override;
    void leaveRooms(const QStringList &socketIds, const QStringList &rooms) override;
    void disconnectSockets(const QStringList &socketIds, bool close) override;
    QList<QSocketIoRemoteSocket> socketSnapshots(const QStringList &socketIds) const override;
    void serverSideEvent(const QString &event, const QVariantList &args, const ReplyFunction &reply) override;
    qint64 ackIds = 0;
    // Dynamic parents.
    bool dynamic = false;
    QRegularExpression pattern;
    QSocketIoServer::NamespacePredicate predicate;
    QList<QSocketIoNamespace *> children;
    QSocketIoNamespace *parent = nullptr;
    // The room bookkeeping of the local sockets goes through these (every adapter): they call the adapter and,
    // only when a room signal of the namespace is connected, emit roomCreated/roomJoined/roomLeft/roomDeleted.
    void addRooms(const QString &socketId, const QStringList &rooms);
    void delRoom(const QString &socketId, const QString &room);
    void delAllRooms(const QString &socketId);
    bool roomSignalsConnected() const;
    // Connection state recovery: connected sockets by private id.
    QHash<QString, QSocketIoSocket *> socketsByPid;
};

#endif
