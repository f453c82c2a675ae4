// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qsocketioheartbeatclusteradapter_p.h"

#include <QtSocketIo/qsocketioconnectionstaterecovery.h>
#include <QtSocketIo/qsocketionamespace.h>
#include <QtSocketIo/qsocketioserver.h>

#include <QtCore/qtimer.h>

namespace Cluster = QSocketIoClusterMessages;
using Cluster::MessageType;

// The uid of the emitters (@socket.io/postgres-emitter, ...): a sender that is not a node.
static const QString EmitterUid = QStringLiteral("emitter");
// Node's deadNodeEvictionInterval.
static constexpr int EvictionIntervalMs = 1000;

QSocketIoHeartbeatClusterAdapter::QSocketIoHeartbeatClusterAdapter(QSocketIoNamespace *nsp,
                                                                   LoggingCategory category)
    : QSocketIoClusterAdapter(nsp), nspName(nsp->name()), m_category(category)
{
    m_clock.start();
}

QSocketIoHeartbeatClusterAdapter::~QSocketIoHeartbeatClusterAdapter() = default;

void QSocketIoHeartbeatClusterAdapter::startHeartbeat()
{
    m_heartbeat = new QTimer(context());
    m_heartbeat->setSingleShot(true);
    QObject::connect(m_heartbeat, &QTimer::timeout, context(), [this] {
        publishMessage(Cluster::encodeSignal(MessageType::Heartbeat, uid(), nspName));
    });
    m_heartbeat->start(heartbeatInterval());
    m_eviction = new QTimer(context());
    QObject::connect(m_eviction, &QTimer::timeout, context(), [this] { evictSilentNodes(); });
    m_eviction->start(EvictionIntervalMs);
}

void QSocketIoHeartbeatClusterAdapter::postponeHeartbeat()
{
    if (m_heartbeat)
        m_heartbeat->start(heartbeatInterval());
}

void QSocketIoHeartbeatClusterAdapter::publishMessage(const QVariantMap &message)
{
    if (message.isEmpty())
        return;   // a request only the classic Redis adapter knows
    postponeHeartbeat();
    sendMessage(message);
}

void QSocketIoHeartbeatClusterAdapter::publishInitialHeartbeat()
{
    publishMessage(Cluster::encodeSignal(MessageType::InitialHeartbeat, uid(), nspName));
}

void QSocketIoHeartbeatClusterAdapter::publishClose()
{
    sendMessage(Cluster::encodeSignal(MessageType::AdapterClose, uid(), nspName));
}

void QSocketIoHeartbeatClusterAdapter::publishBroadcast(const QSocketIoBroadcastPacket &packet,
                                                        const QSocketIoBroadcastOptions &options)
{
    publishMessage(Cluster::encodeBroadcast(uid(), nspName, packet, options));
}

void QSocketIoHeartbeatClusterAdapter::publishRequest(const Request &request)
{
    publishMessage(Cluster::encodeRequest(nspName, request));
}

void QSocketIoHeartbeatClusterAdapter::publishResponse(const Request &, const Response &response)
{
    publishMessage(Cluster::encodeResponse(uid(), nspName, response));
}

bool QSocketIoHeartbeatClusterAdapter::heardAgain(const QStringList &nodes) const
{
    for (const QString &node : nodes) {
        if (m_nodes.value(node, -1) < m_reconnectedAt)
            return false;
    }
    return true;
}

bool QSocketIoHeartbeatClusterAdapter::recoveryEnabled() const
{
    QSocketIoNamespace *n = nsp();
    return n && n->server() && n->server()->connectionStateRecovery().isEnabled();
}

void QSocketIoHeartbeatClusterAdapter::evictSilentNodes()
{
    QStringList gone;
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
        if (!isAlive(it.value()))
            gone.append(it.key());
    }
    for (const QString &node : std::as_const(gone)) {
        qCDebug(m_category) << "node" << node << "seems down";
        m_nodes.remove(node);
        nodeSilent(node);
    }
}

QStringList QSocketIoHeartbeatClusterAdapter::knownNodes() const
{
    QStringList nodes;
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
        if (isAlive(it.value()))
            nodes.append(it.key());
    }
    return nodes;
}

void QSocketIoHeartbeatClusterAdapter::serverCount(const std::function<void(int)> &done) const
{
    done(nodeCount());
}

void QSocketIoHeartbeatClusterAdapter::receive(Decoded &decoded, const QString &offset)
{
    if (decoded.uid == uid())
        return;
    if (!decoded.uid.isEmpty() && decoded.uid != EmitterUid)
        m_nodes.insert(decoded.uid, m_clock.elapsed());
    switch (decoded.kind) {
    case Decoded::Signal:
        if (decoded.type == MessageType::InitialHeartbeat)
            publishMessage(Cluster::encodeSignal(MessageType::Heartbeat, uid(), nspName));
        else if (decoded.type == MessageType::AdapterClose && m_nodes.remove(decoded.uid))
            nodeSilent(decoded.uid);
        return;
    case Decoded::Broadcast:
        if (!offset.isEmpty() && !decoded.options.isVolatile && recoveryEnabled())
            decoded.packet.data.append(offset);
        handleBroadcast(decoded.uid, decoded.packet, decoded.options);
        return;
    case Decoded::Request:
        handleRequest(decoded.request);
        return;
    case Decoded::Response:
        handleResponse(decoded.response);
        return;
    }
}
