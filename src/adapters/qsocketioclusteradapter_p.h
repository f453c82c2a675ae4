// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOCLUSTERADAPTER_P_H
#define QSOCKETIOCLUSTERADAPTER_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include "adapters/qsocketioadapter_p.h"

#include <QtCore/qobject.h>
#include <QtCore/qpointer.h>

#include <memory>

class QTimer;

// The protocol-independent half of a cluster adapter (Redis, PostgreSQL, ...). It keeps this node's rooms,
// does the local part of every operation, publishes the operation to the other nodes through the
// subclass, runs what the other nodes ask, and tracks the requests that wait for answers (by id, with the
// number of nodes expected and requestsTimeout).
//
// A subclass provides the wire: it encodes and publishes a broadcast, a request or a response, counts the
// nodes (serverCount()), and feeds what it receives to handleBroadcast(), handleRequest() and
// handleResponse(), after dropping what cannot be decoded.
class QTSOCKETIO_EXPORT QSocketIoClusterAdapter : public QSocketIoInMemoryAdapter
{
public:
    // The requests and responses between nodes, numbered as @socket.io/redis-adapter numbers them.
    enum class RequestType {
        Sockets = 0,             // the ids of the sockets in some rooms (legacy; answered, never sent)
        AllRooms = 1,            // every room (answered, never sent)
        RemoteJoin = 2,
        RemoteLeave = 3,
        RemoteDisconnect = 4,
        RemoteFetch = 5,
        ServerSideEmit = 6,
        Broadcast = 7,           // a broadcast with acknowledgements
        BroadcastClientCount = 8,
        BroadcastAck = 9,
    };

    struct Request
    {
        RequestType type = RequestType::Broadcast;
        QString uid;         // the sending node; empty from an emitter
        QString requestId;   // empty when no answer is wanted
        QSocketIoBroadcastOptions options;
        bool hasOptions = false;   // RemoteJoin/Leave/Disconnect: by options (else by sid)
        QStringList rooms;   // RemoteJoin/Leave: the rooms; Sockets: the rooms selected
        QString sid;         // RemoteJoin/Leave/Disconnect of one socket (legacy form)
        QString room;
        bool close = false;  // RemoteDisconnect
        QVariantList data;   // ServerSideEmit: event name and arguments
        QSocketIoProtocol::Packet packet;   // Broadcast
    };

    struct Response
    {
        RequestType type = RequestType::RemoteFetch;   // what the answered request was
        QString requestId;
        QList<QSocketIoRemoteSocket> sockets;   // RemoteFetch
        QStringList ids;                        // Sockets, AllRooms
        QVariant data;                          // ServerSideEmit, BroadcastAck: the answer
        int clientCount = 0;                    // BroadcastClientCount
        bool hasSockets = false;                // RemoteFetch/Sockets/AllRooms: the list was there
        QString uid;                            // the answering node, when the wire tells
    };

    explicit QSocketIoClusterAdapter(QSocketIoNamespace *nsp);
    ~QSocketIoClusterAdapter() override;

    // This node's id in the cluster (6 random characters, as uid2(6)).
    QString uid() const { return m_uid; }
    // How long fetchSockets() and serverSideEmitWithAck() wait for the other nodes (ms), default 5000.
    int requestsTimeout() const { return m_requestsTimeout; }
    void setRequestsTimeout(int milliseconds) { m_requestsTimeout = milliseconds; }
    static QString generateId();

    QStringList broadcast(const QSocketIoProtocol::Packet &packet, const QSocketIoBroadcastOptions &options) override;
    void broadcastWithAck(const QSocketIoProtocol::Packet &packet, const QSocketIoBroadcastOptions &options,
                          QObject *lifetime, const ClientCountCallback &clientCount, const AckCallback &ack) override;
    void addSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms) override;
    void delSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms) override;
    void disconnectSockets(const QSocketIoBroadcastOptions &options, bool close) override;
    void fetchSockets(const QSocketIoBroadcastOptions &options, const SocketsCallback &done) override;
    void serverSideEmit(const QVariantList &packet) override;
    void serverSideEmitWithAck(const QVariantList &packet, const ServerSideAckCallback &done) override;
    // Packets of other nodes are not kept for recovery (nor by Node's redis and postgres adapters): a cluster
    // adapter offers none, rather than a recovery that could miss packets.
    bool supportsRecovery() const override { return false; }
    void setRecovery(const QSocketIoRecoverySettings &settings) override;

protected:
    // --- the wire: what a subclass implements (and serverCount(), the number of nodes with this one) ---
    // A broadcast without acknowledgements (packet.nsp is set; options.local is never set).
    virtual void publishBroadcast(const QSocketIoProtocol::Packet &packet, const QSocketIoBroadcastOptions &options) = 0;
    // A request to every other node (request.uid is this node's uid).
    virtual void publishRequest(const Request &request) = 0;
    // The answer to another node's request.
    virtual void publishResponse(const Request &request, const Response &response) = 0;
    void serverCount(const std::function<void(int)> &done) const override = 0;
    // The other nodes' uids when the subclass knows them (from heartbeats, as socket.io-adapter's
    // ClusterAdapterWithHeartbeat): fetchSockets() and serverSideEmitWithAck() then wait for an answer from
    // each of them (Response::uid must be set), and nodeLeft() stops the wait for one. Empty (the default):
    // they count serverCount() - 1 answers.
    virtual QStringList knownNodes() const { return {}; }

    // --- what a subclass calls with what it received ---
    // A broadcast of another node (or an emitter): delivered to the local sockets it selects, unless uid is
    // this node's.
    void handleBroadcast(const QString &uid, const QSocketIoProtocol::Packet &packet,
                         const QSocketIoBroadcastOptions &options);
    void handleRequest(const Request &request);
    void handleResponse(const Response &response);
    // A node left (it said so, or went silent): the requests waiting for its answer stop waiting for it, and
    // end when it was the last one missing.
    void nodeLeft(const QString &uid);
    // True when a response with this id is awaited (so a subclass may skip decoding the others).
    bool isPendingRequest(const QString &requestId) const;

    // Owns the timers; the context of every callback.
    QObject *context() const { return m_context.get(); }

private:
    struct Pending;
    struct AckRequest;
    // A request from this node, selecting sockets by options when given; with wantsAnswer it gets an id.
    Request newRequest(RequestType type, const QSocketIoBroadcastOptions *options, bool wantsAnswer = false) const;
    void finishPending(const QString &requestId, const QString &error);
    void expectNodes(Pending *pending) const;
    static bool countAnswer(Pending *pending, const QString &uid);

    QString m_uid;
    int m_requestsTimeout = 5000;
    std::unique_ptr<QObject> m_context;
    QHash<QString, std::shared_ptr<Pending>> m_pending;
    QHash<QString, std::shared_ptr<AckRequest>> m_ackRequests;
};

#endif
