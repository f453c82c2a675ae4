// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "server/qsocketioserver_p.h"
#include "server/qsocketioclientbundle_p.h"
#include "server/qsocketioack_p.h"
#include "server/qsocketioackcallback_p.h"
#include "engine/qengineiosocket_p.h"
#include "engine/qsocketiohandshake_p.h"
#include "server/qsocketionamespace_p.h"
#include "server/qsocketiosocket_p.h"
#include "protocol/qsocketiopacketv2_p.h"
#include "qtsocketiologging_p.h"
#include "qtsocketiomemory_p.h"

#include <QtCore/qrandom.h>
#include <QtCore/qtimer.h>


#include <chrono>

using namespace QSocketIoProtocol;

/*!
    \class QSocketIoServer
    \inmodule QtSocketIo
    \brief A Socket.IO v5 server on Engine.IO v4 (HTTP long-polling and WebSocket on one port).

    \code
    QSocketIoServer server;
    QObject::connect(&server, &QSocketIoServer::newConnection, &server, [](QSocketIoSocket *socket) {
        socket->on(u"chat"_s, socket, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
            socket->broadcast().emitEvent(u"chat"_s, args);
            ack({true});
        });
    });
    server.listen(QHostAddress::LocalHost, 3000);
    \endcode

    Every option has the default of the Node.js server. Options that shape the Engine.IO handshake take
    effect for connections opened after the change.
*/

// --- QSocketIoServerPrivate --------------------------------------------------------------------------------

QSocketIoServerPrivate::QSocketIoServerPrivate(QSocketIoServer *q)
    : q_ptr(q)
{
}

QSocketIoServerPrivate::~QSocketIoServerPrivate()
{
    delete metricsEndpoint;   // it reads this object
}

void QSocketIoServerPrivate::applyEngineOptions()
{
    QEngineIo::Options o = options;
    o.path = path.toUtf8();
    if (!httpCompression)
        o.httpCompressionThreshold = -1;
    o.cors = QEngineIoServerFacade::engineCors(cors);
    // The header hooks are the engine's (QEngineIoServer::setInitialHeaders() and setHeaders()).
    o.editHandshakeHeaders = engine->options().editHandshakeHeaders;
    o.editResponseHeaders = engine->options().editResponseHeaders;
    engine->setOptions(o);
}

QString QSocketIoServerPrivate::generateSocketId() const
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(words), 15)
                                       .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

void QSocketIoServerPrivate::sessionOpened(QEngineIoSession *session)
{
    auto *client = new QSocketIoClient;
    client->session = session;
    ParserLimits limits;
    limits.maxAttachments = maxAttachments;
    limits.maxMessageSize = options.maxHttpBufferSize;
    client->parser = wireParser;
    client->decoder = wireParser->createDecoder(limits);
    session->setContext(client);
    if (traffic) {
        client->traffic = traffic.get();
        ++traffic->now().connections;
        if (session->transport() == QEngineIo::Transport::Polling) {
            client->countedAsPolling = true;
            ++traffic->pollingClients;
        }
    }
    // A connection that joins no namespace in time is closed (also a v2 client refused on "/" that joins no other
    // namespace, as in Node). The timer belongs to the session (it goes with it) and is dropped once a namespace
    // is joined.
    client->connectTimer = new QTimer(session);
    client->connectTimer->setSingleShot(true);
    QObject::connect(client->connectTimer, &QTimer::timeout, session, [session] {
        auto *c = QSocketIoClient::of(session);
        if (session->isOpen() && c && c->sockets.isEmpty() && c->joining.isEmpty()) {
            qCDebug(lcServer) << "connection" << session->sid() << "joined no namespace in time; closing";
            session->close();
        }
    });
    client->connectTimer->start(connectTimeout);
    if (client->isV2()) {
        // Socket.IO v2 clients (Engine.IO v3) are in the main namespace without asking (qsocketiopacketv2_p.h).
        connectSocket(client, QStringLiteral("/"), QVariantMap());
    }
}

void QSocketIoServerPrivate::sessionUpgraded(QEngineIoSession *session)
{
    auto *client = QSocketIoClient::of(session);
    if (!client)
        return;
    if (client->countedAsPolling) {
        client->countedAsPolling = false;
        --client->traffic->pollingClients;
    }
    for (QSocketIoSocket *socket : std::as_const(client->sockets))
        Q_EMIT socket->transportChanged();
}

void QSocketIoServerPrivate::messageReceived(QEngineIoSession *session, const QByteArray &data, bool binary)
{
    auto *client = QSocketIoClient::of(session);
    if (!client || client->closing)
        return;
    if (client->traffic)
        client->traffic->packetIn(data.size());
    const Decoder::Status status = binary ? client->decoder->addBinary(data) : client->decoder->addText(data);
    switch (status) {
    case Decoder::Status::NeedAttachments:
        return;
    case Decoder::Status::Error:
        qCDebug(lcProtocol) << "parse error from" << session->sid() << ":" << client->decoder->errorString();
        closeClient(client, QEngineIo::CloseReason::ParseError);
        return;
    case Decoder::Status::Complete: {
        Packet packet = client->decoder->takePacket();
        const bool counted = packet.type == PacketType::Event || packet.type == PacketType::BinaryEvent
                || packet.type == PacketType::Ack || packet.type == PacketType::BinaryAck;
        if (counted && eventRateLimit > 0 && !takeEventToken(client)) {
            const QString why = QStringLiteral("event rate limit exceeded (%1 per second, burst %2)")
                    .arg(eventRateLimit).arg(eventRateBurst > 0 ? eventRateBurst : eventRateLimit);
            qCWarning(lcServer) << "connection" << session->sid() << "from"
                                << session->handshakeRequest().peerAddress << ":" << why << "; closing";
            client->closing = true;
            session->closeForPolicyViolation(why);
            return;
        }
        handlePacket(client, std::move(packet));
        return;
    }
    }
}

bool QSocketIoServerPrivate::takeEventToken(QSocketIoClient *client) const
{
    const qint64 now = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now().time_since_epoch()).count();
    const double burst = eventRateBurst > 0 ? eventRateBurst : eventRateLimit;
    if (client->eventRefilledAt < 0) {
        client->eventTokens = burst;
    } else {
        client->eventTokens = qMin(burst, client->eventTokens
                                   + double(now - client->eventRefilledAt) * eventRateLimit / 1000.0);
    }
    client->eventRefilledAt = now;
    if (client->eventTokens < 1.0)
        return false;
    client->eventTokens -= 1.0;
    return true;
}

void QSocketIoServerPrivate::sessionClosed(QEngineIoSession *session, QEngineIo::CloseReason reason,
                                           const QString &description)
{
    auto *client = QSocketIoClient::of(session);
    if (!client)
        return;
    session->setContext(nullptr);
    client->closing = true;
    if (client->traffic) {
        ++client->traffic->now().disconnections[QString::fromLatin1(QEngineIo::closeReasonString(reason))];
        if (client->countedAsPolling)
            --client->traffic->pollingClients;
    }
    QSocketIoSocket::DisconnectReason why = QSocketIoSocket::DisconnectReason::TransportClose;
    switch (reason) {
    case QEngineIo::CloseReason::TransportClose: why = QSocketIoSocket::DisconnectReason::TransportClose; break;
    case QEngineIo::CloseReason::TransportError: why = QSocketIoSocket::DisconnectReason::TransportError; break;
    case QEngineIo::CloseReason::PingTimeout: why = QSocketIoSocket::DisconnectReason::PingTimeout; break;
    case QEngineIo::CloseReason::ForcedClose: why = QSocketIoSocket::DisconnectReason::ForcedClose; break;
    case QEngineIo::CloseReason::ParseError: why = QSocketIoSocket::DisconnectReason::ParseError; break;
    case QEngineIo::CloseReason::ServerShuttingDown: why = QSocketIoSocket::DisconnectReason::ServerShuttingDown; break;
    }
    // A disconnected() slot may delete the server, and every socket with it; the client is this function's to
    // free either way.
    QPointer<QSocketIoServer> self(q_ptr);
    const QList<QSocketIoSocket *> all = client->sockets.values();
    const QList<QPointer<QSocketIoSocket>> sockets(all.cbegin(), all.cend());
    for (const QPointer<QSocketIoSocket> &socket : sockets) {
        if (!self)
            break;
        if (!socket)
            continue;
        QSocketIoSocketPrivate *sd = QSocketIoSocketPrivate::get(socket);
        sd->client = nullptr;   // the session is gone: nothing more is written
        client->sockets.remove(socket->namespaceName());
        sd->close(why, description);
    }
    // Sockets still in their namespace middleware never join; they must not reach the deleted client.
    for (const QPointer<QSocketIoSocket> &joining : std::as_const(client->joining)) {
        if (joining)
            QSocketIoSocketPrivate::get(joining)->client = nullptr;
    }
    client->joining.clear();
    client->session = nullptr;
    delete client;
}

void QSocketIoServerPrivate::closeClient(QSocketIoClient *client, QEngineIo::CloseReason reason)
{
    if (!client || !client->session)
        return;
    client->session->closeWithReason(reason);
}

void QSocketIoServerPrivate::handlePacket(QSocketIoClient *client, Packet &&packet)
{
    QVariantMap v2Query;
    if (packet.type == PacketType::Connect && client->isV2()) {
        // "0/chat?token=abc,": the query is the auth of a v2 client. Its implicit "/" is never asked for again.
        V2::splitNamespace(packet.nsp, &packet.nsp, &v2Query);
        packet.data = v2Query;
        if (packet.nsp == QLatin1String("/")
            && (client->sockets.contains(packet.nsp) || client->joining.contains(packet.nsp))) {
            return;
        }
    }
    QSocketIoSocket *socket = client->sockets.value(packet.nsp);
    switch (packet.type) {
    case PacketType::Connect:
        if (socket || client->joining.contains(packet.nsp)) {
            qCDebug(lcServer) << "second CONNECT to" << packet.nsp << "on one connection; closing";
            closeClient(client, QEngineIo::CloseReason::ForcedClose);
            return;
        }
        if (maxNamespacesPerConnection > 0
            && client->sockets.size() + client->joining.size() >= maxNamespacesPerConnection) {
            qCDebug(lcServer) << "connection" << client->session->sid() << "is in" << maxNamespacesPerConnection
                              << "namespaces already; refusing" << packet.nsp;
            client->sendConnectError(packet.nsp, QStringLiteral("Too many namespaces"));
            return;
        }
        connectSocket(client, packet.nsp, packet.data.toMap());
        return;
    case PacketType::Event:
    case PacketType::BinaryEvent:
        if (socket) {
            QSocketIoSocketPrivate::get(socket)->handleEvent(std::move(packet));
            return;
        }
        break;
    case PacketType::Ack:
    case PacketType::BinaryAck:
        if (socket) {
            QSocketIoSocketPrivate::get(socket)->handleAck(packet);
            return;
        }
        break;
    case PacketType::Disconnect:
        if (socket) {
            QSocketIoSocketPrivate::get(socket)->close(QSocketIoSocket::DisconnectReason::ClientNamespaceDisconnect);
            return;
        }
        break;
    case PacketType::ConnectError:
        break;
    }
    // A packet for a namespace this connection never joined, or one a client may not send.
    qCDebug(lcServer) << "invalid state: packet type" << int(packet.type) << "for" << packet.nsp << "; closing";
    closeClient(client, QEngineIo::CloseReason::ForcedClose);
}

QSocketIoNamespace *QSocketIoServerPrivate::findOrCreateNamespace(const QString &name, const QVariantMap &auth)
{
    Q_Q(QSocketIoServer);
    if (QSocketIoNamespace *nsp = namespaces.value(name))
        return nsp;
    for (QSocketIoNamespace *parent : std::as_const(dynamicParents)) {
        QSocketIoNamespacePrivate *pd = QSocketIoNamespacePrivate::get(parent);
        const bool matches = pd->predicate ? pd->predicate(name, auth) : pd->pattern.match(name).hasMatch();
        if (!matches)
            continue;
        auto *child = new QSocketIoNamespace(q, name);
        QSocketIoNamespacePrivate *cd = QSocketIoNamespacePrivate::get(child);
        cd->parent = parent;
        cd->middlewares = pd->middlewares;
        pd->children.append(child);
        namespaces.insert(name, child);
        installAdapter(child);
        QObject::connect(child, &QSocketIoNamespace::newConnection, parent, &QSocketIoNamespace::newConnection);
        QObject::connect(child, &QSocketIoNamespace::connectionRecovered, parent,
                         &QSocketIoNamespace::connectionRecovered);
        QObject::connect(child, &QSocketIoNamespace::sessionExpired, parent, &QSocketIoNamespace::sessionExpired);
        qCDebug(lcServer) << "created dynamic namespace" << name;
        Q_EMIT q->namespaceCreated(child);
        return child;
    }
    return nullptr;
}

void QSocketIoServerPrivate::removeEmptyChild(QSocketIoNamespace *child)
{
    QSocketIoNamespacePrivate *cd = QSocketIoNamespacePrivate::get(child);
    if (!cleanupEmptyChildNamespaces || !cd->parent || cd->socketObjects > 0 || !cd->sockets.isEmpty())
        return;
    // A kept session (connection state recovery) lives in the child's adapter: the child stays for it.
    if (recovery.isEnabled() && cd->sessionAware)
        return;
    if (namespaces.value(cd->name) == child)
        namespaces.remove(cd->name);
    QSocketIoNamespacePrivate::get(cd->parent)->children.removeOne(child);
    qCDebug(lcServer) << "removed the empty dynamic namespace" << cd->name;
    child->deleteLater();
    // Many namespaces removed at once (a client that asked for thousands of names) free many small blocks.
    QtSocketIoPrivate::scheduleMemoryTrim();
}

void QSocketIoServerPrivate::connectSocket(QSocketIoClient *client, const QString &nspName, const QVariantMap &auth)
{
    QSocketIoNamespace *nsp = findOrCreateNamespace(nspName, auth);
    if (!nsp) {
        client->sendConnectError(nspName, QStringLiteral("Invalid namespace"));
        return;
    }
    // Connection state recovery kept by the adapter (across nodes, e.g. Redis Streams): the session is looked
    // up first, asynchronously, as socket.io does, when the client presents both a pid and an offset.
    QSocketIoNamespacePrivate *nd = QSocketIoNamespacePrivate::get(nsp);
    const QVariant pidValue = auth.value(QStringLiteral("pid"));
    const QVariant offsetValue = auth.value(QStringLiteral("offset"));
    if (recovery.isEnabled() && !client->isV2() && !nd->sessionAware && nd->adapter && nd->adapter->keepsSessions()
        && pidValue.typeId() == QMetaType::QString && offsetValue.typeId() == QMetaType::QString
        && !pidValue.toString().isEmpty() && pidValue.toString().size() <= 64
        && offsetValue.toString().size() <= 64) {
        client->joining.insert(nspName, nullptr);   // a second CONNECT meanwhile is refused
        QPointer<QEngineIoSession> session(client->session);
        QPointer<QSocketIoNamespace> target(nsp);
        nd->adapter->restoreSession(pidValue.toString(), offsetValue.toString(),
                                    [this, session, target, nspName, auth](bool found,
                                                                           const QSocketIoStoredSession &kept,
                                                                           const QList<QVariantList> &missed) {
            auto *client = session ? QSocketIoClient::of(session) : nullptr;
            if (!client || !session->isOpen() || !target)
                return;
            client->joining.remove(nspName);
            std::optional<QSocketIoRestoredSession> restored;
            if (found && !kept.sid.isEmpty()) {
                restored.emplace();
                restored->session = kept;
                restored->missedPackets = missed;
            }
            admitSocket(client, target, nspName, auth, std::move(restored));
        });
        return;
    }
    admitSocket(client, nsp, nspName, auth, std::nullopt);
}

void QSocketIoServerPrivate::admitSocket(QSocketIoClient *client, QSocketIoNamespace *nsp, const QString &nspName,
                                         const QVariantMap &auth,
                                         std::optional<QSocketIoRestoredSession> fromAdapter)
{
    Q_Q(QSocketIoServer);
    const QSocketIoHandshake handshake = QSocketIoHandshakePrivate::create(client->session->handshakeRequest(), auth);
    // Connection state recovery: a client that presents a kept session gets its id back.
    // Not for v2 clients: they cannot take a pid (their CONNECT reply has no payload).
    std::optional<QString> recoveredId;
    if (fromAdapter && !QSocketIoNamespacePrivate::get(nsp)->sockets.contains(fromAdapter->session.sid))
        recoveredId = fromAdapter->session.sid;
    else if (!fromAdapter && !client->isV2())
        recoveredId = recoverableSession(nsp, auth);
    if (!client->session || !client->session->isOpen()) {
        QSocketIoNamespacePrivate::get(nsp)->scheduleCleanup();   // a child made for this CONNECT may be empty
        return;   // closing a stale connection may have taken this one along
    }
    auto *socket = new QSocketIoSocket(nsp, recoveredId ? *recoveredId : generateSocketId(), handshake);
    QSocketIoSocketPrivate *sd = QSocketIoSocketPrivate::get(socket);
    sd->client = client;
    sd->recovered = recoveredId.has_value();
    if (sd->recovered && fromAdapter)
        sd->restoredByAdapter = std::move(fromAdapter);
    QSocketIoNamespacePrivate *nd = QSocketIoNamespacePrivate::get(nsp);
    if (recovery.isEnabled() && !sd->recovered && !client->isV2()
        && (nd->sessionAware || (nd->adapter && nd->adapter->keepsSessions())))
        sd->pid = generateSocketId();
    client->joining.insert(nspName, socket);
    QPointer<QEngineIoSession> session(client->session);
    QPointer<QSocketIoSocket> guard(socket);
    const auto admit = [this, q, session, guard, nspName](bool accepted, const QString &message, const QVariant &data) {
        Q_UNUSED(q);
        if (!guard)
            return;
        auto *client = session ? QSocketIoClient::of(session) : nullptr;
        if (!client || !session->isOpen()) {
            guard->deleteLater();   // the connection went away while the middleware ran
            return;
        }
        client->joining.remove(nspName);
        if (!accepted) {
            client->sendConnectError(nspName, message, data);
            guard->deleteLater();
            return;
        }
        QSocketIoSocketPrivate *sd = QSocketIoSocketPrivate::get(guard);
        QSocketIoNamespace *nsp = sd->nsp;
        const std::optional<QSocketIoRestoredSession> restored = takeRecoveredSession(guard);
        client->sockets.insert(nspName, guard);
        delete std::exchange(client->connectTimer, nullptr);
        QSocketIoNamespacePrivate::get(nsp)->addSocket(guard);
        sd->connected(restored ? &*restored : nullptr);
        qCDebug(lcServer) << "socket" << guard->id() << "joined" << nspName << (restored ? "(recovered)" : "");
        if (restored)
            Q_EMIT nsp->connectionRecovered(guard);
        Q_EMIT nsp->newConnection(guard);
        // Not when a namespace handler already disconnected it.
        if (guard && guard->isConnected() && nsp == mainNamespace)
            Q_EMIT q_ptr->newConnection(guard);
    };
    if (sd->recovered && recovery.skipMiddlewares())
        admit(true, QString(), QVariant());
    else
        QSocketIoNamespacePrivate::get(nsp)->runMiddleware(socket, 0, admit);
}

// --- QSocketIoServer ---------------------------------------------------------------------------------------

QSocketIoServer::QSocketIoServer(QObject *parent)
    : QObject(parent), d_ptr(std::make_unique<QSocketIoServerPrivate>(this))
{
    Q_D(QSocketIoServer);
    d->engine = new QEngineIoServerPrivate(this);
    d->engine->setHandler(d);
    // The public face of the engine (io.engine): it becomes the engine's handler and hands on to d.
    d->engineApi = new QEngineIoServer(d->engine, this);
    // The engine signals after its session table changed, so connectionCount() is current in the slot (a
    // polling session that is closing leaves the table later than the handler hears sessionClosed()).
    connect(d->engine, &QEngineIoServerPrivate::sessionCountChanged, this, &QSocketIoServer::connectionCountChanged);
    connect(this, &QSocketIoServer::ioThreadCountChanged, d->engineApi, &QEngineIoServer::ioThreadCountChanged);
    d->engine->setFallbackHandler([d](QEngineIoHttpConnection *connection, const QHttpRequest &request) {
        if (d->serveClient && QSocketIoClientBundle::serve(connection, request, d->engine->options().path))
            return true;
        return d->staticFiles.serve(connection, request);
    });
    d->options.path = "/socket.io/";
    // The default thread count may come from the environment (the test suites run with 2 this way).
    bool envOk = false;
    const int envThreads = qEnvironmentVariableIntValue("QTSOCKETIO_IO_THREADS", &envOk);
    if (envOk && envThreads > 1)
        d->engine->setIoThreadCount(envThreads);
    d->applyEngineOptions();
    d->mainNamespace = of(QStringLiteral("/"));
}

QSocketIoServer::~QSocketIoServer()
{
    Q_D(QSocketIoServer);
    close();
    d->engine->setHandler(nullptr);
    // The I/O threads end now: they may call the fallback handler, which uses this server's private part.
    d->engine->stopIoThreads();
}

bool QSocketIoServer::listen(const QHostAddress &address, quint16 port)
{
    Q_D(QSocketIoServer);
    d->applyEngineOptions();
    if (!d->engine->isListening())
        d->wireParser = &QSocketIoServerPrivate::parserFor(d->parser);
    if (!d->engine->listen(address, port)) {
        d->error = Error::ListenError;
        d->errorString = d->engine->errorString();
        Q_EMIT errorOccurred(d->error);
        return false;
    }
    d->error = Error::NoError;
    d->errorString.clear();
    d->wasListening = true;
    Q_EMIT listeningChanged();
    Q_EMIT serverPortChanged();
    return true;
}

bool QSocketIoServer::isListening() const { return d_func()->engine->isListening(); }
quint16 QSocketIoServer::serverPort() const { return d_func()->engine->serverPort(); }
QHostAddress QSocketIoServer::serverAddress() const { return d_func()->engine->serverAddress(); }
QSocketIoServer::Error QSocketIoServer::error() const { return d_func()->error; }
QString QSocketIoServer::errorString() const { return d_func()->errorString; }

void QSocketIoServer::close()
{
    Q_D(QSocketIoServer);
    // Sockets first, with Socket.IO's reason, then the connections.
    for (QSocketIoNamespace *nsp : std::as_const(d->namespaces)) {
        const QList<QSocketIoSocket *> sockets = QSocketIoNamespacePrivate::get(nsp)->sockets.values();
        for (QSocketIoSocket *socket : sockets)
            QSocketIoSocketPrivate::get(socket)->close(QSocketIoSocket::DisconnectReason::ServerShuttingDown);
    }
    const bool wasListening = d->engine->isListening();
    d->engine->close();
    if (wasListening) {
        Q_EMIT listeningChanged();
        Q_EMIT serverPortChanged();
    }
}

#define QTSOCKETIO_ENGINE_OPTION(type, getter, setter, field, signal) \
    type QSocketIoServer::getter() const { return d_func()->options.field; } \
    void QSocketIoServer::setter(type value) \
    { \
        Q_D(QSocketIoServer); \
        if (d->options.field == value) \
            return; \
        d->options.field = value; \
        d->applyEngineOptions(); \
        Q_EMIT signal(); \
    }

QTSOCKETIO_ENGINE_OPTION(int, pingInterval, setPingInterval, pingInterval, pingIntervalChanged)
QTSOCKETIO_ENGINE_OPTION(int, pingTimeout, setPingTimeout, pingTimeout, pingTimeoutChanged)
QTSOCKETIO_ENGINE_OPTION(int, upgradeTimeout, setUpgradeTimeout, upgradeTimeout, upgradeTimeoutChanged)
QTSOCKETIO_ENGINE_OPTION(qint64, maxHttpBufferSize, setMaxHttpBufferSize, maxHttpBufferSize, maxHttpBufferSizeChanged)
QTSOCKETIO_ENGINE_OPTION(bool, allowUpgrades, setAllowUpgrades, allowUpgrades, allowUpgradesChanged)
QTSOCKETIO_ENGINE_OPTION(bool, addTrailingSlash, setAddTrailingSlash, addTrailingSlash, addTrailingSlashChanged)
/*!
    \property QSocketIoServer::allowEIO3
    \brief Whether clients of Engine.IO protocol v3 (socket.io-client 2.x, engine.io-client 3.x) are served.

    Off by default, as in Node's socket.io 4 (its \c allowEIO3 option): such a client then gets HTTP 400
    with \c {{"code":5,"message":"Unsupported protocol version"}}. When on, a request with \c EIO=3 opens a
    session that speaks Engine.IO v3 (length-prefixed polling payloads, the client sends the pings) and the
    Socket.IO v2 dialect: the socket joins the main namespace as soon as the session opens, the query of a
    namespace CONNECT (\c {io("/chat?token=abc")}) becomes its QSocketIoHandshake::auth(), and a refusal is
    sent as a plain error message. Events, acknowledgements, binary, rooms and broadcasts work the same for v2
    and v4 clients, together. JSONP polling is not supported. Connection state recovery does not apply to v2
    clients. The change applies to sessions opened afterwards.
*/
QTSOCKETIO_ENGINE_OPTION(bool, allowEIO3, setAllowEIO3, allowEIO3, allowEIO3Changed)
QTSOCKETIO_ENGINE_OPTION(int, maxConnections, setMaxConnections, maxConnections, maxConnectionsChanged)
QTSOCKETIO_ENGINE_OPTION(int, maxConnectionsPerAddress, setMaxConnectionsPerAddress, maxConnectionsPerAddress, maxConnectionsPerAddressChanged)
QTSOCKETIO_ENGINE_OPTION(qint64, maxBufferedBytes, setMaxBufferedBytes, maxBufferedBytes, maxBufferedBytesChanged)
bool QSocketIoServer::cleanupEmptyChildNamespaces() const { return d_func()->cleanupEmptyChildNamespaces; }

void QSocketIoServer::setCleanupEmptyChildNamespaces(bool cleanup)
{
    Q_D(QSocketIoServer);
    if (d->cleanupEmptyChildNamespaces == cleanup)
        return;
    d->cleanupEmptyChildNamespaces = cleanup;
    if (cleanup) {
        for (QSocketIoNamespace *parent : std::as_const(d->dynamicParents)) {
            const QList<QSocketIoNamespace *> children = QSocketIoNamespacePrivate::get(parent)->children;
            for (QSocketIoNamespace *child : children)
                QSocketIoNamespacePrivate::get(child)->scheduleCleanup();
        }
    }
    Q_EMIT cleanupEmptyChildNamespacesChanged();
}

QTSOCKETIO_ENGINE_OPTION(int, httpCompressionThreshold, setHttpCompressionThreshold, httpCompressionThreshold,
                         httpCompressionThresholdChanged)

bool QSocketIoServer::serveClient() const { return d_func()->serveClient; }

void QSocketIoServer::setServeClient(bool serve)
{
    Q_D(QSocketIoServer);
    if (d->serveClient == serve)
        return;
    d->serveClient = serve;
    Q_EMIT serveClientChanged();
}

bool QSocketIoServer::httpCompression() const { return d_func()->httpCompression; }

void QSocketIoServer::setHttpCompression(bool enabled)
{
    Q_D(QSocketIoServer);
    if (d->httpCompression == enabled)
        return;
    d->httpCompression = enabled;
    d->applyEngineOptions();
    Q_EMIT httpCompressionChanged();
}


QSslConfiguration QSocketIoServer::sslConfiguration() const { return d_func()->options.sslConfiguration; }

void QSocketIoServer::setSslConfiguration(const QSslConfiguration &configuration)
{
    Q_D(QSocketIoServer);
    if (d->options.sslConfiguration == configuration)
        return;
    d->options.sslConfiguration = configuration;
    d->applyEngineOptions();
    Q_EMIT sslConfigurationChanged();
}
#undef QTSOCKETIO_ENGINE_OPTION

QString QSocketIoServer::path() const { return d_func()->path; }

void QSocketIoServer::setPath(const QString &path)
{
    Q_D(QSocketIoServer);
    QString normalized = path;
    if (!normalized.startsWith(QLatin1Char('/')))
        normalized.prepend(QLatin1Char('/'));
    if (!normalized.endsWith(QLatin1Char('/')))
        normalized.append(QLatin1Char('/'));
    if (d->path == normalized)
        return;
    d->path = normalized;
    d->applyEngineOptions();
    Q_EMIT pathChanged();
}

int QSocketIoServer::connectTimeout() const { return d_func()->connectTimeout; }

void QSocketIoServer::setConnectTimeout(int milliseconds)
{
    Q_D(QSocketIoServer);
    if (d->connectTimeout == milliseconds)
        return;
    d->connectTimeout = milliseconds;
    Q_EMIT connectTimeoutChanged();
}

QSocketIoServer::Transports QSocketIoServer::transports() const
{
    Q_D(const QSocketIoServer);
    Transports t;
    t.setFlag(Polling, d->options.allowPolling);
    t.setFlag(WebSocket, d->options.allowWebSocket);
    return t;
}

void QSocketIoServer::setTransports(Transports transports)
{
    Q_D(QSocketIoServer);
    if (this->transports() == transports)
        return;
    d->options.allowPolling = transports.testFlag(Polling);
    d->options.allowWebSocket = transports.testFlag(WebSocket);
    d->applyEngineOptions();
    Q_EMIT transportsChanged();
}

void QSocketIoServer::setAllowRequest(const AllowRequest &hook)
{
    Q_D(QSocketIoServer);
    if (!hook) {
        d->options.allowRequest = nullptr;
    } else {
        d->options.allowRequest = [hook](const QEngineIo::RequestInfo &request,
                                         const QEngineIo::AllowRequestCallback &answer) {
            hook(QSocketIoHandshakePrivate::create(request, {}), [answer](bool allowed, int status, const QString &message) {
                answer(allowed, status, message.toUtf8());
            });
        };
    }
    d->applyEngineOptions();
}

void QSocketIoServer::setCors(const QSocketIoCorsOptions &cors)
{
    Q_D(QSocketIoServer);
    d->cors = cors;
    d->applyEngineOptions();
}

QSocketIoCorsOptions QSocketIoServer::cors() const { return d_func()->cors; }

void QSocketIoServer::setEditHandshakeHeaders(const HeadersHook &hook)
{
    d_func()->engineApi->setInitialHeaders(hook);
}

void QSocketIoServer::setEditResponseHeaders(const HeadersHook &hook)
{
    d_func()->engineApi->setHeaders(hook);
}

QEngineIoServer *QSocketIoServer::engine() const { return d_func()->engineApi; }

QString QSocketIoServer::documentRoot() const { return d_func()->staticFiles.root(); }

void QSocketIoServer::setDocumentRoot(const QString &directory)
{
    Q_D(QSocketIoServer);
    if (d->staticFiles.root() == directory)
        return;
    d->staticFiles.setRoot(directory);
    Q_EMIT documentRootChanged();
}

#define QTSOCKETIO_LIMIT_OPTION(getter, setter, field, signal) \
    int QSocketIoServer::getter() const { return d_func()->field; } \
    void QSocketIoServer::setter(int count) \
    { \
        Q_D(QSocketIoServer); \
        count = qMax(0, count); \
        if (d->field == count) \
            return; \
        d->field = count; \
        Q_EMIT signal(); \
    }

QTSOCKETIO_LIMIT_OPTION(maxNamespacesPerConnection, setMaxNamespacesPerConnection, maxNamespacesPerConnection,
                        maxNamespacesPerConnectionChanged)
QTSOCKETIO_LIMIT_OPTION(maxPendingAcksPerSocket, setMaxPendingAcksPerSocket, maxPendingAcksPerSocket,
                        maxPendingAcksPerSocketChanged)
QTSOCKETIO_LIMIT_OPTION(maxAttachments, setMaxAttachments, maxAttachments, maxAttachmentsChanged)

/*!
    \property QSocketIoServer::ioThreadCount
    \brief How many threads the transports run on.

    With 1, the default, everything runs in the server's thread, as in Node.js. With \e n greater than 1, the
    server starts \e n I/O threads, each with its own event loop, and runs on them what costs CPU per byte:
    TLS, HTTP parsing, polling payloads and their compression, WebSocket framing, the writes with the
    slow-consumer bound (maxBufferedBytes), heartbeats, and each recipient's part of a broadcast. The server's
    thread accepts connections and hands each to an I/O thread in turn. The Socket.IO layer (namespaces, rooms,
    acknowledgements, adapters) and every signal and handler stay in the server's thread: an application changes
    nothing. A polling session belongs to one I/O thread; its requests are handled there whatever connection they
    arrive on. A broadcast is encoded once and handed to each I/O thread as one batch.

    Header hooks (setEditHandshakeHeaders(), setEditResponseHeaders()) and the CORS origin predicate are called
    in an I/O thread when \e n is greater than 1: they must be thread-safe. The allowRequest hook
    (setAllowRequest()) is called in the server's thread, and so are the engine's id generator
    (QEngineIoServer::setGenerateId(): each new connection asks the server's thread for its id, a round trip
    made only while a generator is set) and QEngineIoServer::connectionError(). The per-packet signals of a
    connection's QEngineIoSocket are reported by its I/O thread from the moment a slot is connected to them, in
    order with its messages. The traffic counters of metricsText() are those of the I/O threads, read at the
    scrape. A volatile emit is dropped by the I/O thread when the transport is busy, except one with binary
    attachments, which is then sent.

    attach() and bind() use the I/O threads too: what they take over is served there, except over TLS (see
    attach() and bind()).

    Takes effect at the next listen(), attach() or bind(); from 1 to 64. The environment variable \c QTSOCKETIO_IO_THREADS, when set
    to a number greater than 1, is the default of new servers.
*/

/*!
    \fn int QSocketIoServer::ioThreadCount() const
    Returns how many threads the transports run on; 1 (the default): the server's thread.
*/
/*!
    \fn void QSocketIoServer::setIoThreadCount(int count)
    Sets the ioThreadCount to \a count (bounded to 1..64); takes effect at the next listen(), attach() or bind().
*/
/*!
    \fn void QSocketIoServer::ioThreadCountChanged()
    Emitted when ioThreadCount changes.
*/
int QSocketIoServer::ioThreadCount() const { return d_func()->engine->ioThreadCount(); }

void QSocketIoServer::setIoThreadCount(int count)
{
    Q_D(QSocketIoServer);
    count = qBound(1, count, 64);
    if (d->engine->ioThreadCount() == count)
        return;
    d->engine->setIoThreadCount(count);
    Q_EMIT ioThreadCountChanged();
}

/*!
    \property QSocketIoServer::eventRateLimit
    \brief How many events and acknowledgements one connection may send per second, on average.

    A token bucket per Engine.IO connection (all its namespaces together) holding up to eventRateBurst tokens,
    refilled at this rate; each incoming EVENT or ACK packet takes one. A packet that finds the bucket empty
    closes the connection: the server logs a warning (category \c qtsocketio.server), every socket of the
    connection emits QSocketIoSocket::disconnected() with QSocketIoSocket::DisconnectReason::ForcedClose and the
    description "event rate limit exceeded (...)", and the client is told: a WebSocket is closed with code 1008
    (policy violation) and that reason, a polling client's POST is answered 429 with it.

    The default is 0: no limit, as in Node.js (which has no such option). Takes effect at once, for every
    connection.

    \sa eventRateBurst
*/
QTSOCKETIO_LIMIT_OPTION(eventRateLimit, setEventRateLimit, eventRateLimit, eventRateLimitChanged)

/*!
    \fn int QSocketIoServer::eventRateLimit() const
    Returns how many events and acknowledgements one connection may send per second on average; 0 (the default):
    no limit.
    \sa eventRateBurst()
*/
/*!
    \fn void QSocketIoServer::setEventRateLimit(int eventsPerSecond)
    Sets the eventRateLimit to \a eventsPerSecond (a negative value means 0: no limit).
    \sa eventRateLimit()
*/
/*!
    \fn void QSocketIoServer::eventRateLimitChanged()
    Emitted when eventRateLimit changes.
*/

/*!
    \property QSocketIoServer::eventRateBurst
    \brief How many events and acknowledgements one connection may send at once under eventRateLimit.

    The size of the token bucket; a new connection starts with it full. 0 (the default) means as many as
    eventRateLimit, one second's worth. Has no effect while eventRateLimit is 0.

    \sa eventRateLimit
*/
QTSOCKETIO_LIMIT_OPTION(eventRateBurst, setEventRateBurst, eventRateBurst, eventRateBurstChanged)

/*!
    \fn int QSocketIoServer::eventRateBurst() const
    Returns how many events and acknowledgements one connection may send at once under eventRateLimit; 0 (the
    default): as many as eventRateLimit.
*/
/*!
    \fn void QSocketIoServer::setEventRateBurst(int events)
    Sets the eventRateBurst to \a events (a negative value means 0: as many as eventRateLimit).
    \sa eventRateBurst()
*/
/*!
    \fn void QSocketIoServer::eventRateBurstChanged()
    Emitted when eventRateBurst changes.
*/
#undef QTSOCKETIO_LIMIT_OPTION

/*!
    \enum QSocketIoServer::Parser

    How Socket.IO packets are written on the wire: Node's \c parser option. A client must use the same parser
    as the server, or it cannot connect.

    \value Json        socket.io-parser, the default: JSON text messages, with each binary value sent as a
                        binary attachment after its packet.
    \value MessagePack socket.io-msgpack-parser (version 3): each packet is one MessagePack map in one binary
                        message, with binary values inside it. A client opts in with
                        \c{parser: require("socket.io-msgpack-parser")}.
*/

/*!
    \property QSocketIoServer::parser
    \brief the wire format of the server's connections.

    The default is QSocketIoServer::Parser::Json. A change takes effect at the next listen(), so that all the
    connections of one listen() speak the same format and a broadcast is encoded once for all its recipients.

    With QSocketIoServer::Parser::MessagePack, binary values (QByteArray) travel as MessagePack \c bin, and the
    values a client sends arrive as the JSON parser gives them: \c nil as a null QVariant, integers as
    \c qlonglong, floats as \c double, strings as QString, arrays as QVariantList, maps as QVariantMap, and
    binary as QByteArray; a JavaScript \c Date arrives as a QDateTime (UTC), and a QDateTime is sent as one.
    A message that is not a valid packet (truncated or malformed MessagePack, a container nested deeper than
    128 levels or announcing more elements than the message has bytes, a field of the wrong type, or a text
    message) closes the connection with "parse error". Messages are bounded by maxHttpBufferSize().
*/
QSocketIoServer::Parser QSocketIoServer::parser() const { return d_func()->parser; }

void QSocketIoServer::setParser(Parser parser)
{
    Q_D(QSocketIoServer);
    if (d->parser == parser)
        return;
    d->parser = parser;
    if (!d->engine->isListening())
        d->wireParser = &QSocketIoServerPrivate::parserFor(parser);
    Q_EMIT parserChanged();
}

const QSocketIoProtocol::Parser &QSocketIoServerPrivate::parserFor(QSocketIoServer::Parser parser)
{
    return parser == QSocketIoServer::Parser::MessagePack ? QSocketIoProtocol::Parser::messagePack()
                                                           : QSocketIoProtocol::Parser::json();
}

int QSocketIoServer::connectionCount() const { return int(d_func()->engine->sessionCount()); }

bool QSocketIoServer::listenMetrics(const QHostAddress &address, quint16 port)
{
    Q_D(QSocketIoServer);
    const quint16 before = metricsPort();
    if (!d->metricsEndpoint) {
        d->metricsEndpoint = new QSocketIoMetricsEndpoint([d] { return d->metricsText(); });
        d->metricsEndpoint->setPath(d->metricsPath.toUtf8());
    }
    QString why;
    const bool ok = d->metricsEndpoint->listen(address, port, &why);
    if (!ok)
        qCWarning(lcServer).noquote() << "metrics endpoint: cannot listen on" << address.toString() << port << ":" << why;
    if (metricsPort() != before)
        Q_EMIT metricsPortChanged();
    return ok;
}

void QSocketIoServer::closeMetrics()
{
    Q_D(QSocketIoServer);
    if (!d->metricsEndpoint || !d->metricsEndpoint->port())
        return;
    d->metricsEndpoint->close();
    Q_EMIT metricsPortChanged();
}

quint16 QSocketIoServer::metricsPort() const
{
    Q_D(const QSocketIoServer);
    return d->metricsEndpoint ? d->metricsEndpoint->port() : 0;
}

QString QSocketIoServer::metricsPath() const
{
    return d_func()->metricsPath;
}

void QSocketIoServer::setMetricsPath(const QString &path)
{
    Q_D(QSocketIoServer);
    QString normalized = path.isEmpty() ? QStringLiteral("/metrics") : path;
    if (!normalized.startsWith(QLatin1Char('/')))
        normalized.prepend(QLatin1Char('/'));
    if (normalized == d->metricsPath)
        return;
    d->metricsPath = normalized;
    if (d->metricsEndpoint)
        d->metricsEndpoint->setPath(normalized.toUtf8());
    Q_EMIT metricsPathChanged();
}

QString QSocketIoServer::metricsText() const
{
    return QString::fromUtf8(d_func()->metricsText());
}

QSocketIoNamespace *QSocketIoServer::of(const QString &name)
{
    Q_D(QSocketIoServer);
    QString normalized = name.isEmpty() ? QStringLiteral("/") : name;
    if (!normalized.startsWith(QLatin1Char('/')))
        normalized.prepend(QLatin1Char('/'));
    if (QSocketIoNamespace *nsp = d->namespaces.value(normalized))
        return nsp;
    auto *nsp = new QSocketIoNamespace(this, normalized);
    d->namespaces.insert(normalized, nsp);
    if (d->adapterFactory)
        d->installAdapter(nsp);
    Q_EMIT namespaceCreated(nsp);
    return nsp;
}

QSocketIoNamespace *QSocketIoServer::of(const QRegularExpression &pattern)
{
    Q_D(QSocketIoServer);
    auto *parent = new QSocketIoNamespace(this, pattern.pattern());
    QSocketIoNamespacePrivate *pd = QSocketIoNamespacePrivate::get(parent);
    pd->dynamic = true;
    pd->pattern = pattern;
    d->dynamicParents.append(parent);
    Q_EMIT namespaceCreated(parent);
    return parent;
}

QSocketIoNamespace *QSocketIoServer::of(const NamespacePredicate &predicate)
{
    Q_D(QSocketIoServer);
    auto *parent = new QSocketIoNamespace(this, QStringLiteral("<predicate>"));
    QSocketIoNamespacePrivate *pd = QSocketIoNamespacePrivate::get(parent);
    pd->dynamic = true;
    pd->predicate = predicate;
    d->dynamicParents.append(parent);
    Q_EMIT namespaceCreated(parent);
    return parent;
}

QSocketIoNamespace *QSocketIoServer::mainNamespace() const { return d_func()->mainNamespace; }

QList<QSocketIoNamespace *> QSocketIoServer::namespaces() const { return d_func()->namespaces.values(); }

QSocketIoBroadcast QSocketIoServer::all() const { return mainNamespace()->all(); }
bool QSocketIoServer::serverSideEmit(const QString &event, const QVariantList &args) { return mainNamespace()->serverSideEmit(event, args); }
QSocketIoAck *QSocketIoServer::serverSideEmitWithAck(const QString &event, const QVariantList &args)
{
    return mainNamespace()->serverSideEmitWithAck(event, args);
}

void QSocketIoServer::use(const QSocketIoNamespace::Middleware &middleware)
{
    mainNamespace()->use(middleware);
}

/*!
    \typedef QSocketIoServer::AdapterFactory
    Makes the adapter of a namespace: \c{std::unique_ptr<QSocketIoAdapter>(QSocketIoNamespace *nsp)}. The
    namespace takes ownership of the adapter returned and deletes it when it is replaced or when the namespace
    goes. Returning nullptr means the default adapter.
*/

/*!
    Makes every namespace's adapter with \a factory: the existing namespaces get a new adapter at once, keeping
    the rooms of their local sockets, and each namespace created later gets one too (a dynamic parent keeps
    the default adapter; its children get the factory's). An empty \a factory, or one that returns nullptr,
    means the default adapter: QSocketIoInMemoryAdapter's rooms plus connection state recovery. An adapter from
    a factory offers connection state recovery only when it keeps the sessions itself
    (QSocketIoAdapter::keepsSessions(), as QSocketIoRedisStreamsAdapter's do, across nodes); otherwise the
    namespace offers none.

    \sa QSocketIoAdapter, QSocketIoClusterAdapter
*/
void QSocketIoServer::setAdapterFactory(const AdapterFactory &factory)
{
    Q_D(QSocketIoServer);
    d->adapterFactory = factory;
    for (QSocketIoNamespace *nsp : std::as_const(d->namespaces))
        d->installAdapter(nsp);
}

void QSocketIoServerPrivate::installAdapter(QSocketIoNamespace *nsp)
{
    QSocketIoNamespacePrivate *nd = QSocketIoNamespacePrivate::get(nsp);
    if (nd->dynamic)
        return;
    nd->setAdapter(adapterFactory ? adapterFactory(nsp) : nullptr);
}

// --- Connection state recovery --------------------------------------------------------------------------
// The kept sessions and the stored packets live in each namespace's default adapter (session-aware).

QSocketIoRecoverySettings QSocketIoServerPrivate::recoverySettings() const
{
    QSocketIoRecoverySettings settings;
    settings.enabled = recovery.isEnabled();
    settings.maxDisconnectionDuration = recovery.maxDisconnectionDuration();
    settings.maxStoredPackets = recovery.maxStoredPackets();
    settings.store = recovery.isEnabled() ? sessionStore : nullptr;
    return settings;
}

void QSocketIoServerPrivate::applyRecovery(QSocketIoNamespace *nsp)
{
    QSocketIoNamespacePrivate::get(nsp)->setRecovery(recoverySettings());
}

void QSocketIoServerPrivate::applyRecovery()
{
    Q_Q(QSocketIoServer);
    for (QSocketIoNamespace *nsp : std::as_const(namespaces))
        applyRecovery(nsp);
    if (!recoveryTimer) {
        recoveryTimer = new QTimer(q);
        QObject::connect(recoveryTimer, &QTimer::timeout, q, [this] { pruneRecovery(); });
    }
    if (recovery.isEnabled()) {
        // Often enough that a short maxDisconnectionDuration expires on time; at most once a minute.
        recoveryTimer->start(qBound(50, recovery.maxDisconnectionDuration() / 4, 60000));
    } else {
        recoveryTimer->stop();
        pruneRecovery();   // drops what was kept
    }
}

void QSocketIoServerPrivate::pruneRecovery()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QList<QSocketIoNamespace *> all = namespaces.values();
    for (QSocketIoNamespace *nsp : all) {
        QSocketIoSessionAwareAdapter *sessions = QSocketIoNamespacePrivate::get(nsp)->sessionAware;
        if (!sessions)
            continue;
        const QList<QSocketIoStoredSession> expired = sessions->pruneRecovery(now);
        QPointer<QSocketIoNamespace> guard(nsp);
        for (const QSocketIoStoredSession &session : expired) {
            qCDebug(lcRecovery) << "kept session of" << session.sid << "on" << nsp->name() << "expired";
            if (!guard)
                break;
            Q_EMIT nsp->sessionExpired(session.sid, session.rooms, session.data);
        }
    }
}

std::optional<QString> QSocketIoServerPrivate::recoverableSession(QSocketIoNamespace *nsp, const QVariantMap &auth)
{
    if (!recovery.isEnabled() || !QSocketIoNamespacePrivate::get(nsp)->sessionAware)
        return std::nullopt;
    // socket.io-client sends {pid, offset} (offset absent when it has received no packet yet). Anything
    // else, or any other type, gets a fresh session.
    const QVariant pidValue = auth.value(QStringLiteral("pid"));
    const QVariant offsetValue = auth.value(QStringLiteral("offset"));
    if (pidValue.typeId() != QMetaType::QString)
        return std::nullopt;
    if (offsetValue.isValid() && offsetValue.typeId() != QMetaType::QString)
        return std::nullopt;
    const QString pid = pidValue.toString();
    if (pid.isEmpty() || pid.size() > 64)
        return std::nullopt;
    QSocketIoNamespacePrivate *nd = QSocketIoNamespacePrivate::get(nsp);
    if (QSocketIoSocket *stale = nd->socketsByPid.value(pid)) {
        // The client is back before its old connection was seen to die (no ping timeout yet): that
        // connection is closed now, as if it had been noticed, and its session kept for this one.
        qCDebug(lcRecovery) << "socket" << stale->id() << "reconnected before its old connection closed";
        QSocketIoSocketPrivate *sd = QSocketIoSocketPrivate::get(stale);
        QSocketIoClient *old = sd->client;
        sd->close(QSocketIoSocket::DisconnectReason::ForcedClose);
        if (old)
            closeClient(old, QEngineIo::CloseReason::ForcedClose);
    }
    if (!nd->sessionAware)
        return std::nullopt;   // the adapter changed while the stale connection closed
    return nd->sessionAware->findSession(pid, offsetValue.toString());
}

std::optional<QSocketIoRestoredSession> QSocketIoServerPrivate::takeRecoveredSession(QSocketIoSocket *socket)
{
    QSocketIoSocketPrivate *sd = QSocketIoSocketPrivate::get(socket);
    if (!sd->recovered)
        return std::nullopt;
    const QVariantMap auth = sd->handshake.auth();
    QSocketIoNamespacePrivate *nd = QSocketIoNamespacePrivate::get(sd->nsp);
    std::optional<QSocketIoRestoredSession> restored = std::exchange(sd->restoredByAdapter, std::nullopt);
    if (!restored && nd->sessionAware) {
        restored = nd->sessionAware->restoreSession(auth.value(QStringLiteral("pid")).toString(),
                                                    auth.value(QStringLiteral("offset")).toString());
    }
    if (!restored || restored->session.sid != sd->id || nd->sockets.contains(sd->id)) {
        // Expired, or taken by another connection, while the middlewares ran: a fresh session after all.
        qCDebug(lcRecovery) << "kept session of" << sd->id << "went while its middlewares ran; fresh session";
        sd->recovered = false;
        sd->id = generateSocketId();
        sd->pid = generateSocketId();
        return std::nullopt;
    }
    sd->pid = restored->session.pid;
    return restored;
}

// Connection state recovery: the public API.

QSocketIoConnectionStateRecovery QSocketIoServer::connectionStateRecovery() const
{
    return d_func()->recovery;
}

void QSocketIoServer::setConnectionStateRecovery(const QSocketIoConnectionStateRecovery &options)
{
    Q_D(QSocketIoServer);
    if (d->recovery == options)
        return;
    d->recovery = options;
    d->applyRecovery();
    Q_EMIT connectionStateRecoveryChanged();
}

QSocketIoSessionStore *QSocketIoServer::sessionStore() const
{
    return d_func()->sessionStore;
}

void QSocketIoServer::setSessionStore(QSocketIoSessionStore *store)
{
    Q_D(QSocketIoServer);
    if (d->sessionStore == store)
        return;
    d->sessionStore = store;
    d->applyRecovery();
    Q_EMIT sessionStoreChanged();
}
