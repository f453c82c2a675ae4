// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOHEARTBEATCLUSTERADAPTER_P_H
#define QSOCKETIOHEARTBEATCLUSTERADAPTER_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include "qsocketioclustermessages_p.h"

#include <QtSocketIo/qsocketioclusteradapter.h>

#include <QtCore/qelapsedtimer.h>
#include <QtCore/qhash.h>
#include <QtCore/qloggingcategory.h>

class QTimer;

// socket.io-adapter's ClusterAdapterWithHeartbeat, for the backends whose wire is its messages {uid, nsp, type,
// data} (qsocketioclustermessages_p.h): the Redis Streams and PostgreSQL adapters. It encodes what the cluster
// adapter publishes, runs what another node sent once the backend decoded it (receive()), and keeps the other
// nodes as their messages tell: a heartbeat every heartbeatInterval() while this node is silent, an initial
// heartbeat that the others answer, the close of an adapter, and the nodes silent for longer than
// heartbeatTimeout() dropped every second (Node's deadNodeEvictionInterval). serverCount() and knownNodes() are
// those nodes. A subclass only sends a message on its backend (sendMessage()) and feeds what it receives.
class QSocketIoHeartbeatClusterAdapter : public QSocketIoClusterAdapter
{
public:
    using Decoded = QSocketIoClusterMessages::Decoded;
    using LoggingCategory = const QLoggingCategory &(*)();

    // category: where "node ... seems down" goes (at debug level).
    QSocketIoHeartbeatClusterAdapter(QSocketIoNamespace *nsp, LoggingCategory category);
    ~QSocketIoHeartbeatClusterAdapter() override;

    // Kept: the namespace may be half-destroyed when its adapter goes.
    const QString nspName;

    // This node and the live nodes it knows.
    int nodeCount() const { return 1 + int(knownNodes().size()); }
    // The nodes known now, live or not yet evicted (an outage queue waits for them after a reconnection).
    QStringList nodeIds() const { return m_nodes.keys(); }
    // From now on, heardAgain() tells whether each of nodes was heard from since.
    void markReconnected() { m_reconnectedAt = m_clock.elapsed(); }
    bool heardAgain(const QStringList &nodes) const;

    // Tells the other nodes this one is here (on each connection): they answer with a heartbeat.
    void publishInitialHeartbeat();

protected:
    // Read at each use, so that a change applies at once.
    virtual int heartbeatInterval() const = 0;
    virtual int heartbeatTimeout() const = 0;
    // Sends one message on the backend; nothing else (the heartbeat timer is this class's).
    virtual void sendMessage(const QVariantMap &message) = 0;
    // Node uid went silent for longer than heartbeatTimeout(), or closed its adapter: by default nodeLeft(); a
    // subclass that knows the nodes some other way too may keep waiting for it.
    virtual void nodeSilent(const QString &uid) { nodeLeft(uid); }

    // Starts the heartbeats and the eviction of silent nodes: at the end of the subclass's constructor.
    void startHeartbeat();
    // The next heartbeat goes heartbeatInterval() from now (anything published tells the others this node lives).
    void postponeHeartbeat();
    // sendMessage() for a non-empty message, postponing the heartbeat.
    void publishMessage(const QVariantMap &message);
    // The adapter's close (AdapterClose): from the subclass's destructor, while sendMessage() is still its own.
    void publishClose();
    // Runs a decoded message: ignored when it is this node's own; its sender (unless an emitter) counts as heard
    // from; a heartbeat request is answered, a close forgets the node; a broadcast, a request or a response goes
    // to the cluster adapter. offset, when not empty, is appended to a broadcast's data as the packet's offset
    // (connection state recovery, when the server enables it and the broadcast is not volatile).
    void receive(Decoded &decoded, const QString &offset = QString());
    // Whether the server of the namespace has connection state recovery on.
    bool recoveryEnabled() const;

    void publishBroadcast(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options) override;
    void publishRequest(const Request &request) override;
    void publishResponse(const Request &request, const Response &response) override;
    void serverCount(const std::function<void(int)> &done) const override;
    QStringList knownNodes() const override;

private:
    bool isAlive(qint64 lastSeen) const { return m_clock.elapsed() - lastSeen <= heartbeatTimeout(); }
    void evictSilentNodes();

    LoggingCategory m_category;
    QTimer *m_heartbeat = nullptr;
    QTimer *m_eviction = nullptr;
    QElapsedTimer m_clock;
    QHash<QString, qint64> m_nodes;   // uid -> when last heard from (m_clock ms)
    qint64 m_reconnectedAt = 0;
};

#endif
