// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "adapters/qsocketioclusteradapter_p.h"
#include "qtsocketiologging_p.h"

#include <QtSocketIo/qsocketionamespace.h>

#include <QtCore/qpointer.h>
#include <QtCore/qrandom.h>
#include <QtCore/qtimer.h>

/*!
    \class QSocketIoClusterAdapter
    \inmodule QtSocketIo
    \brief The protocol-independent half of a cluster adapter (socket.io-adapter's \c ClusterAdapter).

    It keeps this node's rooms (as QSocketIoInMemoryAdapter), does the local part of every operation,
    publishes the operation to the other nodes through the subclass, runs what the other nodes ask, and tracks
    the requests that wait for answers (by id, with the number of nodes expected and requestsTimeout()).

    A subclass provides the wire: it encodes and publishes a broadcast (publishBroadcast()), a request
    (publishRequest()) or a response (publishResponse()), counts the nodes (serverCount()), and feeds what it
    receives to handleBroadcast(), handleRequest() and handleResponse(), after dropping what it cannot decode.
    The Redis and PostgreSQL components are built this way, against the public headers only.

    A cluster adapter keeps no sessions by default: the packets of other nodes are not stored (nor by Node's
    Redis and PostgreSQL adapters), so a namespace with it offers no connection state recovery. A subclass whose
    backend keeps them for every node reimplements keepsSessions(), persistSession() and restoreSession(), as
    the Redis Streams adapter does (QSocketIoRedisStreamsAdapter).
*/

/*!
    \enum QSocketIoClusterAdapter::RequestType
    The requests between nodes and their answers, numbered as @socket.io/redis-adapter numbers them.

    \value Sockets The ids of the sockets in some rooms (legacy; answered, never sent).
    \value AllRooms Every room of a node (answered, never sent).
    \value RemoteJoin Sockets join rooms (socketsJoin()).
    \value RemoteLeave Sockets leave rooms (socketsLeave()).
    \value RemoteDisconnect Sockets are disconnected (disconnectSockets()).
    \value RemoteFetch Snapshots of sockets (fetchSockets()).
    \value ServerSideEmit A server-side event, with or without an answer.
    \value Broadcast A broadcast with acknowledgements.
    \value BroadcastClientCount The answer to Broadcast: how many clients of a node got it.
    \value BroadcastAck The answer to Broadcast: one client's acknowledgement.
*/

/*!
    \struct QSocketIoClusterAdapter::Request
    \inmodule QtSocketIo
    \brief A request from one node to the others.
*/

/*!
    \variable QSocketIoClusterAdapter::Request::type
    What is asked.
*/

/*!
    \variable QSocketIoClusterAdapter::Request::uid
    The sending node; empty from an emitter.
*/

/*!
    \variable QSocketIoClusterAdapter::Request::requestId
    The id the answers carry; empty when no answer is wanted.
*/

/*!
    \variable QSocketIoClusterAdapter::Request::options
    The sockets selected (RemoteJoin, RemoteLeave, RemoteDisconnect, RemoteFetch, Broadcast).
*/

/*!
    \variable QSocketIoClusterAdapter::Request::hasOptions
    RemoteJoin, RemoteLeave and RemoteDisconnect select by options when \c true, else one socket by sid.
*/

/*!
    \variable QSocketIoClusterAdapter::Request::rooms
    RemoteJoin and RemoteLeave: the rooms; Sockets: the rooms selected.
*/

/*!
    \variable QSocketIoClusterAdapter::Request::sid
    RemoteJoin, RemoteLeave and RemoteDisconnect of one socket (the legacy form).
*/

/*!
    \variable QSocketIoClusterAdapter::Request::room
    The room of the legacy RemoteJoin and RemoteLeave.
*/

/*!
    \variable QSocketIoClusterAdapter::Request::close
    RemoteDisconnect: whether the whole connection is closed.
*/

/*!
    \variable QSocketIoClusterAdapter::Request::data
    ServerSideEmit: the event name followed by its arguments.
*/

/*!
    \variable QSocketIoClusterAdapter::Request::packet
    Broadcast: the packet to send with acknowledgements.
*/

/*!
    \struct QSocketIoClusterAdapter::Response
    \inmodule QtSocketIo
    \brief The answer of one node to a request.
*/

/*!
    \variable QSocketIoClusterAdapter::Response::type
    The type of the request answered (BroadcastClientCount or BroadcastAck for a Broadcast).
*/

/*!
    \variable QSocketIoClusterAdapter::Response::requestId
    The id of the request answered.
*/

/*!
    \variable QSocketIoClusterAdapter::Response::sockets
    RemoteFetch: the node's selected sockets.
*/

/*!
    \variable QSocketIoClusterAdapter::Response::ids
    Sockets: the socket ids; AllRooms: the rooms.
*/

/*!
    \variable QSocketIoClusterAdapter::Response::data
    ServerSideEmit and BroadcastAck: the answer (one value, as Node's callback takes one argument).
*/

/*!
    \variable QSocketIoClusterAdapter::Response::clientCount
    BroadcastClientCount: how many clients of the node got the packet.
*/

/*!
    \variable QSocketIoClusterAdapter::Response::hasSockets
    RemoteFetch, Sockets and AllRooms: whether the list was on the wire.
*/

/*!
    \variable QSocketIoClusterAdapter::Response::uid
    The answering node, when the wire tells (needed when knownNodes() is used).
*/

/*!
    Constructs the cluster adapter of namespace \a nsp, with a new uid().
*/
QSocketIoClusterAdapter::QSocketIoClusterAdapter(QSocketIoNamespace *nsp)
    : QSocketIoInMemoryAdapter(*new QSocketIoClusterAdapterPrivate, nsp)
{
    d_func()->uid = generateId();
}

/*!
    Destroys the adapter. The requests still waiting end without calling their callbacks.
*/
QSocketIoClusterAdapter::~QSocketIoClusterAdapter() = default;

/*!
    Returns this node's id in the cluster: 6 random characters, as socket.io-adapter's \c uid2(6).
*/
QString QSocketIoClusterAdapter::uid() const
{
    return d_func()->uid;
}

/*!
    Returns how long fetchSockets() and serverSideEmitWithAck() wait for the other nodes, in milliseconds.
    Default 5000.
*/
int QSocketIoClusterAdapter::requestsTimeout() const
{
    return d_func()->requestsTimeout;
}

/*!
    Sets the time fetchSockets() and serverSideEmitWithAck() wait for the other nodes to \a milliseconds.
*/
void QSocketIoClusterAdapter::setRequestsTimeout(int milliseconds)
{
    d_func()->requestsTimeout = milliseconds;
}

/*!
    Returns the other nodes' uids when the subclass knows them (from heartbeats, as socket.io-adapter's
    \c ClusterAdapterWithHeartbeat): fetchSockets() and serverSideEmitWithAck() then wait for an answer from
    each of them (Response::uid must be set), and nodeLeft() stops the wait for one. The default is empty:
    they count serverCount() - 1 answers.
*/
QStringList QSocketIoClusterAdapter::knownNodes() const
{
    return {};
}

/*!
    Returns the object that owns the adapter's timers: the context of the callbacks of a subclass, so that they
    do not run once the adapter is gone. Owned by the adapter.
*/
QObject *QSocketIoClusterAdapter::context() const
{
    return d_func()->context.get();
}

/*!
    Returns a new random id of 6 characters (node uids, request ids).
*/
QString QSocketIoClusterAdapter::generateId()
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString id(6, Qt::Uninitialized);
    for (QChar &c : id)
        c = QLatin1Char(alphabet[QRandomGenerator::global()->bounded(int(sizeof(alphabet) - 1))]);
    return id;
}

/*!
    \reimp
    Publishes the broadcast to the other nodes (unless \c options.local) and delivers it locally.
*/
QStringList QSocketIoClusterAdapter::broadcast(const QSocketIoBroadcastPacket &packet,
                                               const QSocketIoBroadcastOptions &options)
{
    if (!options.local)
        publishBroadcast(packet, options);
    return localBroadcast(packet, options);
}

/*!
    \reimp
    Publishes a Broadcast request whose answers (BroadcastClientCount, BroadcastAck) go to \a clientCount
    and \a ack until \a lifetime goes or the timeout passes, and does the local part.
*/
void QSocketIoClusterAdapter::broadcastWithAck(const QSocketIoBroadcastPacket &packet,
                                               const QSocketIoBroadcastOptions &options,
                                               QObject *lifetime, const ClientCountCallback &clientCount,
                                               const AckCallback &ack)
{
    Q_D(QSocketIoClusterAdapter);
    if (!options.local) {
        Request request = d->newRequest(RequestType::Broadcast, &options, true);
        request.packet = packet;
        request.packet.nsp = nsp()->name();
        auto entry = std::make_shared<QSocketIoClusterAdapterPrivate::AckRequest>();
        entry->clientCount = clientCount;
        entry->ack = ack;
        const QString id = request.requestId;
        d->ackRequests.insert(id, entry);
        // Nothing tells when every remote client answered: forget the request when the reply goes, or after
        // its timeout at the latest.
        auto forget = [this, d, id] { d->ackRequests.remove(id); };
        if (lifetime)
            QObject::connect(lifetime, &QObject::destroyed, d->context.get(), forget);
        QTimer::singleShot(options.timeout >= 0 ? options.timeout : d->requestsTimeout, d->context.get(), forget);
        publishRequest(request);
    }
    localBroadcastWithAck(packet, options, lifetime, clientCount, ack);
}

QSocketIoClusterAdapter::Request QSocketIoClusterAdapterPrivate::newRequest(RequestType type,
                                                                            const QSocketIoBroadcastOptions *options,
                                                                            bool wantsAnswer) const
{
    Request request;
    request.type = type;
    request.uid = uid;
    if (wantsAnswer)
        request.requestId = QSocketIoClusterAdapter::generateId();
    if (options) {
        request.options = *options;
        request.hasOptions = true;
    }
    return request;
}

/*!
    \reimp
    Publishes a RemoteJoin request (unless \c options.local) and does the local part.
*/
void QSocketIoClusterAdapter::addSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms)
{
    d_func()->publishSocketsRequest(RequestType::RemoteJoin, options, rooms, false);
    localAddSockets(options, rooms);
}

/*!
    \reimp
    Publishes a RemoteLeave request (unless \c options.local) and does the local part.
*/
void QSocketIoClusterAdapter::delSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms)
{
    d_func()->publishSocketsRequest(RequestType::RemoteLeave, options, rooms, false);
    localDelSockets(options, rooms);
}

/*!
    \reimp
    Publishes a RemoteDisconnect request (unless \c options.local) and does the local part.
*/
void QSocketIoClusterAdapter::disconnectSockets(const QSocketIoBroadcastOptions &options, bool close)
{
    d_func()->publishSocketsRequest(RequestType::RemoteDisconnect, options, {}, close);
    localDisconnectSockets(options, close);
}

// RemoteJoin, RemoteLeave (rooms) or RemoteDisconnect (close) of the sockets options select, unless options.local.
void QSocketIoClusterAdapterPrivate::publishSocketsRequest(RequestType type, const QSocketIoBroadcastOptions &options,
                                                           const QStringList &rooms, bool close)
{
    Q_Q(QSocketIoClusterAdapter);
    if (options.local)
        return;
    Request request = newRequest(type, &options);
    request.rooms = rooms;
    request.close = close;
    q->publishRequest(request);
}

/*!
    \reimp
    Publishes a RemoteFetch request and calls \a done with the local sockets and every other node's, or
    with an error after requestsTimeout().
*/
void QSocketIoClusterAdapter::fetchSockets(const QSocketIoBroadcastOptions &options, const SocketsCallback &done)
{
    Q_D(QSocketIoClusterAdapter);
    if (options.local) {
        QSocketIoAdapter::fetchSockets(options, done);
        return;
    }
    serverCount([this, d, options, done](int nodes) {
        const QList<QSocketIoRemoteSocket> local = localSockets(options);
        if (nodes <= 1) {
            QMetaObject::invokeMethod(d->context.get(), [done, local] { done(local, QString()); },
                                      Qt::QueuedConnection);
            return;
        }
        auto pending = std::make_shared<QSocketIoClusterAdapterPrivate::Pending>();
        pending->sockets = local;
        pending->socketsDone = done;
        d->publishAndWait(d->newRequest(RequestType::RemoteFetch, &options, true), pending, nodes - 1);
    });
}

/*!
    \reimp
    Publishes a ServerSideEmit request without an answer.
*/
void QSocketIoClusterAdapter::serverSideEmit(const QVariantList &packet)
{
    Q_D(QSocketIoClusterAdapter);
    Request request = d->newRequest(RequestType::ServerSideEmit, nullptr);
    request.data = packet;
    publishRequest(request);
}

/*!
    \reimp
    Publishes a ServerSideEmit request and calls \a done with one answer per other node, or with an error
    after requestsTimeout().
*/
void QSocketIoClusterAdapter::serverSideEmitWithAck(const QVariantList &packet, const ServerSideAckCallback &done)
{
    Q_D(QSocketIoClusterAdapter);
    serverCount([d, packet, done](int nodes) {
        const int others = nodes - 1;
        if (others <= 0) {
            QMetaObject::invokeMethod(d->context.get(), [done] { done(QString(), QVariantList()); },
                                      Qt::QueuedConnection);
            return;
        }
        Request request = d->newRequest(RequestType::ServerSideEmit, nullptr, true);
        request.data = packet;
        auto pending = std::make_shared<QSocketIoClusterAdapterPrivate::Pending>();
        pending->emitDone = done;
        d->publishAndWait(request, pending, others);
    });
}

// Publishes request, whose answers go to waiting (from the others nodes, or each known node) until
// requestsTimeout at the latest.
void QSocketIoClusterAdapterPrivate::publishAndWait(const Request &request, const std::shared_ptr<Pending> &waiting,
                                                    int others)
{
    Q_Q(QSocketIoClusterAdapter);
    waiting->type = request.type;
    waiting->expected = others;
    expectNodes(waiting.get());
    waiting->timer = new QTimer(context.get());
    waiting->timer->setSingleShot(true);
    const QString id = request.requestId;
    QObject::connect(waiting->timer, &QTimer::timeout, context.get(), [this, id] {
        const auto it = pending.constFind(id);
        if (it == pending.constEnd())
            return;
        finishPending(id, (*it)->type == RequestType::RemoteFetch
                                  ? QStringLiteral("timeout reached while waiting for fetchSockets response")
                                  : QStringLiteral("timeout reached: only %1 responses received out of %2")
                                            .arg((*it)->responses.size()).arg((*it)->expected));
    });
    waiting->timer->start(requestsTimeout);
    pending.insert(id, waiting);
    q->publishRequest(request);
}

void QSocketIoClusterAdapterPrivate::answer(const Request &request, RequestType type, Response response)
{
    Q_Q(QSocketIoClusterAdapter);
    response.type = type;
    response.requestId = request.requestId;
    q->publishResponse(request, response);
}

void QSocketIoClusterAdapterPrivate::expectNodes(Pending *pending) const
{
    Q_Q(const QSocketIoClusterAdapter);
    const QStringList nodes = q->knownNodes();
    if (nodes.isEmpty())
        return;
    pending->byNode = true;
    pending->missing = QSet<QString>(nodes.cbegin(), nodes.cend());
    pending->expected = int(pending->missing.size());
}

// Counts one answer; true when every awaited one is in.
bool QSocketIoClusterAdapterPrivate::countAnswer(Pending *pending, const QString &uid)
{
    ++pending->received;
    if (pending->byNode) {
        pending->missing.remove(uid);
        return pending->missing.isEmpty();
    }
    return pending->received >= pending->expected;
}

/*!
    Tells that node \a uid left (it said so, or went silent): the requests waiting for its answer stop
    waiting for it, and end when it was the last one missing. Only with knownNodes().
*/
void QSocketIoClusterAdapter::nodeLeft(const QString &uid)
{
    Q_D(QSocketIoClusterAdapter);
    const QStringList ids = d->pending.keys();
    for (const QString &id : ids) {
        const std::shared_ptr<QSocketIoClusterAdapterPrivate::Pending> pending = d->pending.value(id);
        if (pending && pending->byNode && pending->missing.remove(uid) && pending->missing.isEmpty())
            d->finishPending(id, QString());
    }
}

void QSocketIoClusterAdapterPrivate::finishPending(const QString &requestId, const QString &error)
{
    const std::shared_ptr<QSocketIoClusterAdapterPrivate::Pending> pending = this->pending.take(requestId);
    if (!pending)
        return;
    if (pending->timer)
        pending->timer->deleteLater();
    if (!error.isEmpty())
        qCWarning(lcAdapter) << "namespace" << nsp->name() << ":" << error;
    if (pending->socketsDone)
        pending->socketsDone(pending->sockets, error);
    if (pending->emitDone)
        pending->emitDone(error, pending->responses);
}

/*!
    Returns whether a response with \a requestId is awaited, so that a subclass may skip decoding the others.
*/
bool QSocketIoClusterAdapter::isPendingRequest(const QString &requestId) const
{
    Q_D(const QSocketIoClusterAdapter);
    return d->pending.contains(requestId) || d->ackRequests.contains(requestId);
}

/*!
    Delivers a broadcast of node \a uid (or of an emitter) to the local sockets that \a options select,
    unless \a uid is this node's. A \a packet of another namespace is ignored.
*/
void QSocketIoClusterAdapter::handleBroadcast(const QString &uid, const QSocketIoBroadcastPacket &packet,
                                              const QSocketIoBroadcastOptions &options)
{
    Q_D(QSocketIoClusterAdapter);
    if (uid == d->uid)
        return;
    if (packet.nsp != nsp()->name()) {
        qCDebug(lcAdapter) << "ignored a broadcast for namespace" << packet.nsp << "on" << nsp()->name();
        return;
    }
    if (packet.data.isEmpty() || packet.data.first().typeId() != QMetaType::QString) {
        qCWarning(lcAdapter) << "dropped a broadcast without an event name from node" << uid;
        return;
    }
    QSocketIoBroadcastOptions local = options;
    local.local = true;
    localBroadcast(packet, local);
}

/*!
    Runs \a request of another node (ignored when it is this node's own) and publishes the answers it asks
    for with publishResponse().
*/
void QSocketIoClusterAdapter::handleRequest(const Request &request)
{
    Q_D(QSocketIoClusterAdapter);
    // This node did its part when it published; an emitter has no uid.
    if (!request.uid.isEmpty() && request.uid == d->uid)
        return;
    auto respond = [d, &request](const Response &response) { d->answer(request, request.type, response); };
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
        QPointer<QObject> alive(d->context.get());
        localServerSideEvent(request.data, [d, alive, copy](const QVariantList &args) {
            if (!alive)
                return;
            Response response;
            response.data = args.value(0);   // one value travels, as Node's callback takes one argument
            d->answer(copy, RequestType::ServerSideEmit, response);
        });
        return;
    }
    case RequestType::Broadcast: {
        if (request.requestId.isEmpty() || d->ackRequests.contains(request.requestId))
            return;
        if (request.packet.nsp != nsp()->name())
            return;
        const Request copy = request;
        QPointer<QObject> alive(d->context.get());
        // The local acks wait as long as the requester does.
        auto *lifetime = new QObject(d->context.get());
        QTimer::singleShot(request.options.timeout >= 0 ? request.options.timeout : d->requestsTimeout, lifetime,
                           [lifetime] { lifetime->deleteLater(); });
        QSocketIoBroadcastOptions options = request.options;
        options.local = true;
        localBroadcastWithAck(request.packet, options, lifetime,
            [d, alive, copy](int count, const QStringList &) {
                if (!alive)
                    return;
                Response response;
                response.clientCount = count;
                d->answer(copy, RequestType::BroadcastClientCount, response);
            },
            [d, alive, copy](const QString &, const QVariantList &args) {
                if (!alive)
                    return;
                Response response;
                response.data = args.value(0);
                d->answer(copy, RequestType::BroadcastAck, response);
            });
        return;
    }
    case RequestType::BroadcastClientCount:
    case RequestType::BroadcastAck:
        break;
    }
    qCWarning(lcAdapter) << "dropped a request of unknown type" << int(request.type) << "on namespace" << nsp()->name();
}

/*!
    Takes \a response to one of this node's requests; answers to other nodes and late answers are ignored.
*/
void QSocketIoClusterAdapter::handleResponse(const Response &response)
{
    Q_D(QSocketIoClusterAdapter);
    if (response.requestId.isEmpty())
        return;
    if (const auto ackRequest = d->ackRequests.value(response.requestId)) {
        if (response.type == RequestType::BroadcastClientCount) {
            if (ackRequest->clientCount)
                ackRequest->clientCount(response.clientCount, {});
        } else if (response.type == RequestType::BroadcastAck) {
            if (ackRequest->ack)
                ackRequest->ack(QString(), QVariantList{response.data});
        }
        return;
    }
    const std::shared_ptr<QSocketIoClusterAdapterPrivate::Pending> pending = d->pending.value(response.requestId);
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
        if (QSocketIoClusterAdapterPrivate::countAnswer(pending.get(), response.uid))
            d->finishPending(response.requestId, QString());
        return;
    case RequestType::ServerSideEmit:
        pending->responses.append(response.data);
        if (QSocketIoClusterAdapterPrivate::countAnswer(pending.get(), response.uid))
            d->finishPending(response.requestId, QString());
        return;
    default:
        return;
    }
}

/*!
    \fn void QSocketIoClusterAdapter::publishBroadcast(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options)
    Publishes a broadcast without acknowledgements to the other nodes. \a packet carries the namespace;
    \a options select the sockets (\c local is never set).
*/
/*!
    \fn void QSocketIoClusterAdapter::publishRequest(const Request &request)
    Publishes \a request to every other node; \c request.uid is this node's uid().
*/
/*!
    \fn void QSocketIoClusterAdapter::publishResponse(const Request &request, const Response &response)
    Publishes \a response, the answer to another node's \a request.
*/
/*!
    \fn void QSocketIoClusterAdapter::serverCount(const ServerCountCallback &done) const
    \reimp
    A subclass counts the nodes serving the namespace, this one included, and calls \a done.
*/
