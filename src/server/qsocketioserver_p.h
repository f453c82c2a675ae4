// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOSERVER_P_H
#define QSOCKETIOSERVER_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtSocketIo/qsocketioserver.h>

#include "adapters/qsocketioadapter_p.h"
#include "engine/qengineio_p.h"
#include "engine/qengineioserver_p.h"
#include "engine/qengineiosession_p.h"
#include "engine/qenginehttpconnection_p.h"
#include "protocol/qsocketiopacket_p.h"

#include <QtCore/qpointer.h>
#include <QtCore/qregularexpression.h>
#include <QtCore/qmetaobject.h>
#include <QtCore/qtimer.h>

#include <memory>

class QSocketIoServerPrivate;

// One Engine.IO connection as Socket.IO sees it: the namespaces it joined over that connection.
struct QSocketIoClient
{
    QEngineIoSession *session = nullptr;
    QSocketIoProtocol::Decoder decoder;
    QHash<QString, QSocketIoSocket *> sockets;   // namespace name -> socket
    // Namespaces whose middleware is still running, with the socket being admitted. Its client pointer is
    // cleared when the connection goes away, so that the middleware may still use the socket safely.
    QHash<QString, QPointer<QSocketIoSocket>> joining;
    bool closing = false;
    QTimer *connectTimer = nullptr;   // child of the session; deleted once a namespace is joined

    void send(const QSocketIoProtocol::EncodedPacket &packet) const;
    void send(const QSocketIoProtocol::Packet &packet) const { send(QSocketIoProtocol::encode(packet)); }
};

class QSocketIoAckPrivate
{
public:
    static QSocketIoAck *create(QObject *parent, int timeoutMs, bool broadcast);
    static QSocketIoAckPrivate *get(QSocketIoAck *ack) { return ack->d_func(); }
    // A single recipient answered.
    void resolve(const QVariantList &args);
    // One broadcast recipient answered.
    void addResponse(const QString &socketId, const QVariantList &args);
    void expect(const QStringList &socketIds);
    void timeout();
    void finish();
    // A broadcast through an adapter (possibly a cluster): each node reports its client count, then its
    // clients answer; it finishes when the expected number of nodes reported and every client answered.
    void startCluster(int targets);
    void addServerCount(int count);
    void addClientCount(int count, const QStringList &localSocketIds);
    void addClusterResponse(const QString &socketId, const QVariantList &args);
    void armCluster();
    void checkCluster();

    QSocketIoAck *q_ptr = nullptr;
    bool broadcast = false;
    bool finished = false;
    bool timedOut = false;
    QVariantList arguments;
    QList<QVariantList> responses;
    QStringList responded;
    QStringList pending;
    int expected = 0;
    QTimer *timer = nullptr;
    QString errorString;
    // Cluster broadcasts.
    bool cluster = false;
    bool armed = false;
    int serverCountsPending = 0;   // targets whose serverCount() has not answered yet
    int expectedServers = 0;
    int reportedServers = 0;
};

class QSocketIoSocketPrivate
{
    Q_DECLARE_PUBLIC(QSocketIoSocket)
public:
    static QSocketIoSocketPrivate *get(QSocketIoSocket *socket) { return socket->d_func(); }

    QSocketIoSocketPrivate(QSocketIoSocket *q, QSocketIoNamespace *nsp, const QString &id,
                           const QSocketIoHandshake &handshake)
        : q_ptr(q), nsp(nsp), id(id), handshake(handshake) {}

    void sendPacket(const QSocketIoProtocol::Packet &packet);
    void deliver(const QSocketIoProtocol::EncodedPacket &packet, bool isVolatile);
    void handleEvent(QSocketIoProtocol::Packet &&packet);
    void handleAck(const QSocketIoProtocol::Packet &packet);
    void runPacketMiddleware(int index, const QString &event, const std::shared_ptr<QVariantList> &args,
                             const QSocketIoAckCallback &ack);
    void connected();
    // Ends the socket: leaves its rooms, fails its pending acks, emits disconnected() and deletes it later.
    void close(QSocketIoSocket::DisconnectReason reason, const QString &description = {});
    // Waits for the client's answer to ack id on behalf of reply; the entry goes when the reply does (answered,
    // timed out or deleted), so that a socket that often gets no answer does not pile them up.
    void registerAck(qint64 id, QObject *reply, const std::function<void(const QVariantList &)> &handler);
    void notifyOutgoing(const QVariantList &data);
    // The server's maxPendingAcksPerSocket is reached: no more emitWithAck() to this socket for now.
    bool atAckLimit() const;

    QSocketIoSocket *q_ptr;
    QSocketIoNamespace *nsp;
    QSocketIoClient *client = nullptr;
    QString id;
    QSocketIoHandshake handshake;
    QVariantMap data;
    bool isConnected = false;
    bool closing = false;   // close() is running: handlers of disconnecting() must not start it again
    QHash<qint64, std::function<void(const QVariantList &)>> acks;
    QList<QPointer<QSocketIoAck>> ownAcks;
    QList<QSocketIoSocket::PacketMiddleware> middlewares;
};

class QSocketIoNamespacePrivate
{
    Q_DECLARE_PUBLIC(QSocketIoNamespace)
public:
    static QSocketIoNamespacePrivate *get(QSocketIoNamespace *nsp) { return nsp->d_func(); }
    QSocketIoNamespacePrivate(QSocketIoNamespace *q, QSocketIoServer *server, const QString &name);

    void addSocket(QSocketIoSocket *socket);
    void removeSocket(QSocketIoSocket *socket);
    void runMiddleware(QSocketIoSocket *socket, int index, const std::function<void(bool, QString, QVariant)> &done);
    qint64 nextAckId() { return ackIds++; }
    // Broadcast helpers, also used for the children of a dynamic parent.
    QList<QSocketIoNamespace *> targets() const;

    QSocketIoNamespace *q_ptr;
    QSocketIoServer *server;
    QString name;
    QHash<QString, QSocketIoSocket *> sockets;
    QList<QSocketIoNamespace::Middleware> middlewares;
    std::unique_ptr<QSocketIoAdapter> adapter;
    // Replaces the adapter, keeping the rooms of the local sockets.
    void setAdapter(std::unique_ptr<QSocketIoAdapter> replacement);
    qint64 ackIds = 0;
    // Dynamic parents.
    bool dynamic = false;
    QRegularExpression pattern;
    QSocketIoServer::NamespacePredicate predicate;
    QList<QSocketIoNamespace *> children;
    QSocketIoNamespace *parent = nullptr;
};

class QSocketIoServerPrivate : public QEngineIo::Handler
{
    Q_DECLARE_PUBLIC(QSocketIoServer)
public:
    static QSocketIoServerPrivate *get(QSocketIoServer *server) { return server->d_func(); }
    explicit QSocketIoServerPrivate(QSocketIoServer *q);
    ~QSocketIoServerPrivate() override;

    // QEngineIo::Handler
    void sessionOpened(QEngineIoSession *session) override;
    void messageReceived(QEngineIoSession *session, const QByteArray &data, bool binary) override;
    void sessionClosed(QEngineIoSession *session, QEngineIo::CloseReason reason, const QString &description) override;
    void sessionUpgraded(QEngineIoSession *session) override;

    void handlePacket(QSocketIoClient *client, QSocketIoProtocol::Packet &&packet);
    void connectSocket(QSocketIoClient *client, const QString &nspName, const QVariantMap &auth);
    QSocketIoNamespace *findOrCreateNamespace(const QString &name, const QVariantMap &auth);
    QString generateSocketId() const;
    void closeClient(QSocketIoClient *client, QEngineIo::CloseReason reason);
    void applyEngineOptions();
    bool serveFile(QEngineIoHttpConnection *connection, const QHttpRequest &request);

    QSocketIoServer *q_ptr;
    QEngineIoServer *engine = nullptr;
    QEngineIo::Options options;
    QSocketIoCorsOptions cors;
    QString path = QStringLiteral("/socket.io/");
    QString documentRoot;
    int connectTimeout = 45000;
    int maxNamespacesPerConnection = 0;   // 0: no limit
    int maxPendingAcksPerSocket = 0;      // 0: no limit
    int maxAttachments = QSocketIoProtocol::Decoder::Limits().maxAttachments;
    QHash<QString, QSocketIoNamespace *> namespaces;
    QList<QSocketIoNamespace *> dynamicParents;
    QSocketIoNamespace *mainNamespace = nullptr;
    QSocketIoServer::AdapterFactory adapterFactory;
    // A new namespace gets the factory's adapter (a dynamic parent keeps the in-memory one: its children
    // have the sockets).
    void installAdapter(QSocketIoNamespace *nsp);
    QSocketIoServer::Error error = QSocketIoServer::Error::NoError;
    QString errorString;
    bool wasListening = false;
};

QSocketIoHandshake qtsocketio_makeHandshake(const QEngineIo::RequestInfo &request, const QVariantMap &auth);

#endif
