// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "adapters/qsocketioclusteradapter_p.h"
#include "qtsocketiologging_p.h"

#include <QtSocketIo/qsocketionamespace.h>

#include <QtCore/qrandom.h>
#include <QtCore/qtimer.h>

using namespace QSocketIoProtocol;

// A request of this node that waits for the other nodes' answers.
struct QSocketIoClusterAdapter::Pending
{
    RequestType type = RequestType::RemoteFetch;
    int expected = 0;    // answers awaited
    int received = 0;
    QSet<QString> missing;   // by node (knownNodes()): the nodes that have not answered yet
    bool byNode = false;
    QList<QSocketIoRemoteSocket> sockets;
    QVariantList responses;
    SocketsCallback socketsDone;
    ServerSideAckCallback emitDone;
    QTimer *timer = nullptr;
};

// A broadcast with acknowledgements of this node: the other nodes' counts and answers go to these.
struct QSocketIoClusterAdapter::AckRequest
{
    ClientCountCallback clientCount;
    AckCallback ack;
};

QSocketIoClusterAdapter::QSocketIoClusterAdapter(QSocketIoNamespace *nsp)
    : QSocketIoInMemoryAdapter(nsp), m_uid(generateId()), m_context(std::make_unique<QObject>())
{
}

QSocketIoClusterAdapter::~QSocketIoClusterAdapter() = default;

QString QSocketIoClusterAdapter::generateId()
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString id(6, Qt::Uninitialized);
    for (QChar &c : id)
        c = QLatin1Char(alphabet[QRandomGenerator::global()->bounded(int(sizeof(alphabet) - 1))]);
    return id;
}

void QSocketIoClusterAdapter::setRecovery(const QSocketIoRecoverySettings &settings)
{
    if (settings.enabled)
        qCWarning(lcAdapter) << "connection state recovery is not available with a cluster adapter; namespace"
                             << m_nsp->name() << "offers none";
    QSocketIoInMemoryAdapter::setRecovery(QSocketIoRecoverySettings());
}

QStringList QSocketIoClusterAdapter::broadcast(const Packet &packet, const QSocketIoBroadcastOptions &options)
{
    if (!options.local)
        publishBroadcast(packet, options);
    return localBroadcast(packet, options);
}

void QSocketIoClusterAdapter::broadcastWithAck(const Packet &packet, const QSocketIoBroadcastOptions &options,
                                               QObject *lifetime, const ClientCountCallback &clientCount,
                                               const AckCallback &ack)
{
    if (!options.local) {
        Request request = newRequest(RequestType::Broadcast, &options, true);
        request.packet = packet;
        request.packet.nsp = m_nsp->name();
        auto entry = std::make_shared<AckRequest>();
        entry->clientCount = clientCount;
        entry->ack = ack;
        const QString id = request.requestId;
        m_ackRequests.insert(id, entry);
        // Nothing tells when every remote client answered: forget the request when the reply goes, or after
        // its timeout at the latest.
        auto forget = [this, id] { m_ackRequests.remove(id); };
        if (lifetime)
            QObject::connect(lifetime, &QObject::destroyed, m_context.get(), forget);
        QTimer::singleShot(options.timeout >= 0 ? options.timeout : m_requestsTimeout, m_context.get(), forget);
        publishRequest(request);
    }
    localBroadcastWithAck(packet, options, lifetime, clientCount, ack);
}

QSocketIoClusterAdapter::Request QSocketIoClusterAdapter::newRequest(RequestType type,
                                                                     const QSocketIoBroadcastOptions *options,
                                                                     bool wantsAnswer) const
{
    Request request;
    request.type = type;
    request.uid = m_uid;
    if (wantsAnswer)
        request.requestId = generateId();
    if (options) {
        request.options = *options;
        request.hasOptions = true;
    }
    return request;
}

void QSocketIoClusterAdapter::addSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms)
{
    if (!options.local) {
        Request request = newRequest(RequestType::RemoteJoin, &options);
        request.rooms = rooms;
        publishRequest(request);
    }
    localAddSockets(options, rooms);
}

void QSocketIoClusterAdapter::delSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms)
{
    if (!options.local) {
        Request request = newRequest(RequestType::RemoteLeave, &options);
        request.rooms = rooms;
        publishRequest(request);
    }
    localDelSockets(options, rooms);
}

void QSocketIoClusterAdapter::disconnectSockets(const QSocketIoBroadcastOptions &options, bool close)
{
    if (!options.local) {
        Request request = newRequest(RequestType::RemoteDisconnect, &options);
        request.close = close;
        publishRequest(request);
    }
    localDisconnectSockets(options, close);
}

void QSocketIoClusterAdapter::fetchSockets(const QSocketIoBroadcastOptions &options, const SocketsCallback &done)
{
    if (options.local) {
        QSocketIoAdapter::fetchSockets(options, done);
        return;
    }
    serverCount([this, options, done](int nodes) {
        const QList<QSocketIoRemoteSocket> local = localSockets(options);
        if (nodes <= 1) {
            QMetaObject::invokeMethod(m_context.get(), [done, local] { done(local, QString()); },
                                      Qt::QueuedConnection);
            return;
        }
        Request request = newRequest(RequestType::RemoteFetch, &options, true);
        auto pending = std::make_shared<Pending>();
        pending->type = RequestType::RemoteFetch;
        pending->expected = nodes - 1;
        expectNodes(pending.get());
        pending->sockets = local;
        pending->socketsDone = done;
        pending->timer = new QTimer(m_context.get());
        pending->timer->setSingleShot(true);
        const QString id = request.requestId;
        QObject::connect(pending->timer, &QTimer::timeout, m_context.get(), [this, id] {
            finishPending(id, QStringLiteral("timeout reached while waiting for fetchSockets response"));
        });
        pending->timer->start(m_requestsTimeout);
        m_pending.insert(id, pending);
        publishRequest(request);
    });
}

void QSocketIoClusterAdapter::serverSideEmit(const QVariantList &packet)
{
    Request request = newRequest(RequestType::ServerSideEmit, nullptr);
    request.data = packet;
    publishRequest(request);
}

void QSocketIoClusterAdapter::serverSideEmitWithAck(const QVariantList &packet, const ServerSideAckCallback &done)
{
    serverCount([this, packet, done](int nodes) {
        const int others = nodes - 1;
        if (others <= 0) {
            QMetaObject::invokeMethod(m_context.get(), [done] { done(QString(), QVariantList()); },
                                      Qt::QueuedConnection);
            return;
        }
        Request request = newRequest(RequestType::ServerSideEmit, nullptr, true);
        request.data = packet;
        auto pending = std::make_shared<Pending>();
        pending->type = RequestType::ServerSideEmit;
        pending->expected = others;
        expectNodes(pending.get());
        pending->emitDone = done;
        pending->timer = new QTimer(m_context.get());
        pending->timer->setSingleShot(true);
        const QString id = request.requestId;
        QObject::connect(pending->timer, &QTimer::timeout, m_context.get(), [this, id] {
            const auto it = m_pending.constFind(id);
            if (it == m_pending.constEnd())
                return;
            finishPending(id, QStringLiteral("timeout reached: only %1 responses received out of %2")
                                      .arg((*it)->responses.size()).arg((*it)->expected));
        });
        pending->timer->start(m_requestsTimeout);
        m_pending.insert(id, pending);
        publishRequest(request);
    });
}

void QSocketIoClusterAdapter::expectNodes(Pending *pending) const
{
    const QStringList nodes = knownNodes();
    if (nodes.isEmpty())
        return;
    pending->byNode = true;
    pending->missing = QSet<QString>(nodes.cbegin(), nodes.cend());
    pending->expected = int(pending->missing.size());
}

// Counts one answer; true when every awaited one is in.
bool QSocketIoClusterAdapter::countAnswer(Pending *pending, const QString &uid)
{
    ++pending->received;
    if (pending->byNode) {
        pending->missing.remove(uid);
        return pending->missing.isEmpty();
    }
    return pending->received >= pending->expected;
}

void QSocketIoClusterAdapter::nodeLeft(const QString &uid)
{
    const QStringList ids = m_pending.keys();
    for (const QString &id : ids) {
        const std::shared_ptr<Pending> pending = m_pending.value(id);
        if (pending && pending->byNode && pending->missing.remove(uid) && pending->missing.isEmpty())
            finishPending(id, QString());
    }
}

void QSocketIoClusterAdapter::finishPending(const QString &requestId, const QString &error)
{
    const std::shared_ptr<Pending> pending = m_pending.take(requestId);
    if (!pending)
        return;
    if (pending->timer)
        pending->timer->deleteLater();
    if (!error.isEmpty())
        qCWarning(lcAdapter) << "namespace" << m_nsp->name() << ":" << error;
    if (pending->socketsDone)
        pending->socketsDone(pending->sockets, error);
    if (pending->emitDone)
        pending->emitDone(error, pending->responses);
}

bool QSocketIoClusterAdapter::isPendingRequest(const QString &requestId) const
{
    return m_pending.contains(requestId) || m_ackRequests.contains(requestId);
}

void QSocketIoClusterAdapter::handleBroadcast(const QString &uid, const Packet &packet,
                                              const QSocketIoBroadcastOptions &options)
{
    if (uid == m_uid)
        return;
    if (packet.nsp != m_nsp->name()) {
        qCDebug(lcAdapter) << "ignored a broadcast for namespace" << packet.nsp << "on" << m_nsp->name();
        return;
    }
    if (packet.type != PacketType::Event && packet.type != PacketType::BinaryEvent) {
        qCWarning(lcAdapter) << "dropped a broadcast of packet type" << int(packet.type) << "from node" << uid;
        return;
    }
    QSocketIoBroadcastOptions local = options;
    local.local = true;
    localBroadcast(packet, local);
}

void QSocketIoClusterAdapter::handleRequest(const Request &request)
{
    // This node did its part when it published; an emitter has no uid.
    if (!request.uid.isEmpty() && request.uid == m_uid)
        return;
    auto respond = [this, &request](Response response) {
        response.type = request.type;
        response.requestId = request.requestId;
        publishResponse(request, response);
    };
    switch (request.type) {
    case RequestType::Sockets: {
        if (request.requestId.isEmpty())
            return;
        QSocketIoBroadcastOptions options;
        options.rooms = request.rooms;
        Response response;
        response.ids = selectSockets(options);
        response.hasSockets = true;
        respond(response);
        return;
    }
    case RequestType::AllRooms: {
        if (request.requestId.isEmpty())
            return;
        Response response;
        response.ids = rooms();
        response.hasSockets = true;
        respond(response);
        return;
    }
    case RequestType::RemoteJoin:
    case RequestType::RemoteLeave:
    case RequestType::RemoteDisconnect: {
        if (request.hasOptions) {
            if (request.type == RequestType::RemoteJoin)
                localAddSockets(request.options, request.rooms);
            else if (request.type == RequestType::RemoteLeave)
                localDelSockets(request.options, request.rooms);
            else
                localDisconnectSockets(request.options, request.close);
            return;
        }
        // The older form: one socket by id, answered when it is here.
        QSocketIoBroadcastOptions one;
        one.rooms = {request.sid};
        if (request.sid.isEmpty() || !selectSockets(one).contains(request.sid))
            return;
        if (request.type == RequestType::RemoteJoin)
            localAddSockets(one, {request.room});
        else if (request.type == RequestType::RemoteLeave)
            localDelSockets(one, {request.room});
        else
            localDisconnectSockets(one, request.close);
        if (!request.requestId.isEmpty())
            respond(Response());
        return;
    }
    case RequestType::RemoteFetch: {
        if (request.requestId.isEmpty())
            return;
        Response response;
        response.sockets = localSockets(request.options);
        response.hasSockets = true;
        respond(response);
        return;
    }
    case RequestType::ServerSideEmit: {
        if (request.requestId.isEmpty()) {
            localServerSideEvent(request.data, {});
            return;
        }
        const Request copy = request;
        QPointer<QObject> alive(m_context.get());
        localServerSideEvent(request.data, [this, alive, copy](const QVariantList &args) {
            if (!alive)
                return;
            Response response;
            response.type = RequestType::ServerSideEmit;
            response.requestId = copy.requestId;
            // One value travels, as Node's callback takes one argument.
            response.data = args.value(0);
            publishResponse(copy, response);
        });
        return;
    }
    case RequestType::Broadcast: {
        if (request.requestId.isEmpty() || m_ackRequests.contains(request.requestId))
            return;
        if (request.packet.nsp != m_nsp->name())
            return;
        const Request copy = request;
        QPointer<QObject> alive(m_context.get());
        // The local acks wait as long as the requester does.
        auto *lifetime = new QObject(m_context.get());
        QTimer::singleShot(request.options.timeout >= 0 ? request.options.timeout : m_requestsTimeout, lifetime,
                           [lifetime] { lifetime->deleteLater(); });
        QSocketIoBroadcastOptions options = request.options;
        options.local = true;
        localBroadcastWithAck(request.packet, options, lifetime,
            [this, alive, copy](int count, const QStringList &) {
                if (!alive)
                    return;
                Response response;
                response.type = RequestType::BroadcastClientCount;
                response.requestId = copy.requestId;
                response.clientCount = count;
                publishResponse(copy, response);
            },
            [this, alive, copy](const QString &, const QVariantList &args) {
                if (!alive)
                    return;
                Response response;
                response.type = RequestType::BroadcastAck;
                response.requestId = copy.requestId;
                response.data = args.value(0);
                publishResponse(copy, response);
            });
        return;
    }
    case RequestType::BroadcastClientCount:
    case RequestType::BroadcastAck:
        break;
    }
    qCWarning(lcAdapter) << "dropped a request of unknown type" << int(request.type) << "on namespace" << m_nsp->name();
}

void QSocketIoClusterAdapter::handleResponse(const Response &response)
{
    if (response.requestId.isEmpty())
        return;
    if (const auto ackRequest = m_ackRequests.value(response.requestId)) {
        if (response.type == RequestType::BroadcastClientCount) {
            if (ackRequest->clientCount)
                ackRequest->clientCount(response.clientCount, {});
        } else if (response.type == RequestType::BroadcastAck) {
            if (ackRequest->ack)
                ackRequest->ack(QString(), QVariantList{response.data});
        }
        return;
    }
    const std::shared_ptr<Pending> pending = m_pending.value(response.requestId);
    if (!pending)
        return;   // someone else's request, or one that timed out
    switch (pending->type) {
    case RequestType::RemoteFetch:
        if (!response.hasSockets)
            return;
        for (const QSocketIoRemoteSocket &socket : response.sockets) {
            // Another node's, whatever the subclass decoded.
            pending->sockets.append(socket.isLocal() ? QSocketIoRemoteSocket(socket.id(), socket.handshake(),
                                                                             socket.rooms(), socket.data())
                                                     : socket);
        }
        if (countAnswer(pending.get(), response.uid))
            finishPending(response.requestId, QString());
        return;
    case RequestType::ServerSideEmit:
        pending->responses.append(response.data);
        if (countAnswer(pending.get(), response.uid))
            finishPending(response.requestId, QString());
        return;
    default:
        return;
    }
}
