// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOSOCKET_P_H
#define QSOCKETIOSOCKET_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtSocketIo/qsocketiosocket.h>
#include <QtSocketIo/qsocketioack.h>
#include <QtSocketIo/qsocketiohandshake.h>
#include <QtSocketIo/qsocketiosessionstore.h>

#include "adapters/qsocketiosessionawareadapter_p.h"
#include "protocol/qsocketiopacket_p.h"

#include <QtCore/qhash.h>
#include <QtCore/qpointer.h>

#include <functional>
#include <memory>

struct QSocketIoClient;

// One catch-all listener of a socket (QSocketIoSocket::onAny() and friends): its handler is connected to this
// object's signal, so that the listener is a QMetaObject::Connection (off()) and yet runs in the socket's order.
class QSocketIoAnyListener : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    QMetaObject::Connection connection;
Q_SIGNALS:
    void incoming(const QString &event, const QVariantList &args, const QSocketIoAckCallback &ack);
    void outgoing(const QString &event, const QVariantList &args);
};

class QSocketIoSocketPrivate
{
    Q_DECLARE_PUBLIC(QSocketIoSocket)
public:
    static QSocketIoSocketPrivate *get(QSocketIoSocket *socket) { return socket->d_func(); }
    // connect, connect_error, disconnect, disconnecting, newListener and removeListener: not for emitEvent().
    static bool isReservedEvent(const QString &event);
    // The involuntary reasons, after which a session is kept (socket.io's RECOVERABLE_DISCONNECT_REASONS).
    static bool isRecoverableReason(QSocketIoSocket::DisconnectReason reason);

    QSocketIoSocketPrivate(QSocketIoSocket *q, QSocketIoNamespace *nsp, const QString &id,
                           const QSocketIoHandshake &handshake)
        : q_ptr(q), nsp(nsp), id(id), handshake(handshake) {}

    // What QSocketIoSocket::emitEvent() / emitWithAck() and the operators of QSocketIoSocket::asVolatile(),
    // timeout() and compress() send: to this socket alone, with those flags. timeoutMs < 0: no timeout.
    bool emitEvent(const QString &event, const QVariantList &args, bool isVolatile, bool compress = true);
    QSocketIoAck *emitWithAck(const QString &event, const QVariantList &args, int timeoutMs, bool isVolatile,
                              bool compress = true);

    void sendPacket(const QSocketIoProtocol::Packet &packet, bool compress = true);
    void deliver(const QSocketIoProtocol::EncodedPacket &packet, bool isVolatile, bool compress = true);
    void handleEvent(QSocketIoProtocol::Packet &&packet);
    void handleAck(const QSocketIoProtocol::Packet &packet);
    void runPacketMiddleware(int index, const QString &event, const std::shared_ptr<QVariantList> &args,
                             const QSocketIoAckCallback &ack);
    // restored: the kept session it gets back (connection state recovery), or null.
    void connected(const QSocketIoRestoredSession *restored = nullptr);
    // Ends the socket: leaves its rooms, fails its pending acks, emits disconnected() and deletes it later.
    void close(QSocketIoSocket::DisconnectReason reason, const QString &description = {});
    // Waits for the client's answer to ack id on behalf of reply; the entry goes when the reply does (answered,
    // timed out or deleted), so that a socket that often gets no answer does not pile them up.
    void registerAck(qint64 id, QObject *reply, const std::function<void(const QVariantList &)> &handler);
    // Tells the onAnyOutgoing listeners and eventSent about data; returns whether the socket has any.
    bool notifyOutgoing(const QVariantList &data);
    void watchOutgoing();
    bool hasOutgoingWatchers() const;
    // The server's maxPendingAcksPerSocket is reached: no more emitWithAck() to this socket for now.
    bool atAckLimit() const;
    // Whether the connection takes a packet now (a volatile one is dropped otherwise).
    bool isWritable() const;
    void countVolatileDropped();   // for the metrics

    QSocketIoSocket *q_ptr;
    QSocketIoNamespace *nsp;
    QPointer<QSocketIoNamespace> nspGuard;   // null once the namespace's QObject destructor runs
    QSocketIoClient *client = nullptr;
    QString id;
    QSocketIoHandshake handshake;
    QVariantMap data;
    bool isConnected = false;
    bool closing = false;   // close() is running: handlers of disconnecting() must not start it again
    struct PendingAck {
        std::function<void(const QVariantList &)> handler;
        QPointer<QObject> reply;   // a broadcast's QSocketIoAck stops waiting for this socket when it closes
        qint64 sentAt = 0;         // steady clock, ns: the ack latency histogram of the metrics
    };
    QHash<qint64, PendingAck> acks;
    QList<QPointer<QSocketIoAck>> ownAcks;
    QList<QSocketIoSocket::PacketMiddleware> middlewares;
    // Catch-all listeners, in the order they run (the ones removed with off() are pruned as they are met).
    QList<QPointer<QSocketIoAnyListener>> anyListeners;
    QList<QPointer<QSocketIoAnyListener>> anyOutgoingListeners;
    static QList<QMetaObject::Connection> liveListeners(QList<QPointer<QSocketIoAnyListener>> &listeners);
    // Connection state recovery: the private id given to the client (empty when off), whether this socket
    // took a kept session back, and the log position it had everything before (its last (re)connection).
    QString pid;
    bool recovered = false;
    std::optional<QSocketIoRestoredSession> restoredByAdapter;   // a session the adapter restored (across nodes)
    qint64 baseOffset = -1;
    QSocketIoStoredSession sessionState() const;
    void syncLiveSession();   // rooms or data changed: tells the adapter (for a persistent store)
};

#endif
