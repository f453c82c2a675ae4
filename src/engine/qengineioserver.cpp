// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "engine/qengineioserver_p.h"
#include "engine/qengineiohttpconnection_p.h"
#include "engine/qengineiosession_p.h"
#include "engine/qengineiooutput_p.h"
#include "engine/qengineioiothread_p.h"
#include "engine/codec/qengineiopacket_p.h"
#include "qtsocketiologging_p.h"

#include <QtCore/qcoreevent.h>
#include <QtCore/qrandom.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qsslserver.h>
#include <QtNetwork/qsslsocket.h>

#include <algorithm>
#include <QtNetwork/qtcpserver.h>
#include <QtNetwork/qtcpsocket.h>
#include <QtWebSockets/qwebsocket.h>
#include <QtWebSockets/qwebsocketserver.h>

using namespace QEngineIo;

namespace QEngineIo {

QByteArray errorMessage(ErrorCode code)
{
    switch (code) {
    case ErrorCode::UnknownTransport: return QByteArrayLiteral("Transport unknown");
    case ErrorCode::UnknownSid: return QByteArrayLiteral("Session ID unknown");
    case ErrorCode::BadHandshakeMethod: return QByteArrayLiteral("Bad handshake method");
    case ErrorCode::BadRequest: return QByteArrayLiteral("Bad request");
    case ErrorCode::Forbidden: return QByteArrayLiteral("Forbidden");
    case ErrorCode::UnsupportedProtocolVersion: return QByteArrayLiteral("Unsupported protocol version");
    }
    return QByteArrayLiteral("Bad request");
}

SessionObserver::~SessionObserver() = default;

bool isValidSessionId(const QByteArray &id)
{
    return !id.isEmpty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '.' || c == '~';
    });
}

} // namespace QEngineIo

namespace {

// A JSON string literal for a short ASCII-ish message.
QByteArray jsonString(const QByteArray &text)
{
    QByteArray out;
    out.reserve(text.size() + 2);
    out += '"';
    for (char c : text) {
        const uchar u = uchar(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            out += "\\u00";
            out += "0123456789abcdef"[u >> 4];
            out += "0123456789abcdef"[u & 0xf];
        } else {
            out += c;
        }
    }
    out += '"';
    return out;
}

QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + QLatin1Char('|') + QString::number(port);
}

// Runs a function when its parent (a TCP socket) is destroyed.
class ConnectionCounter : public QObject
{
public:
    ConnectionCounter(QObject *parent, std::function<void()> onGone) : QObject(parent), m_onGone(std::move(onGone)) {}
    ~ConnectionCounter() override { m_onGone(); }

private:
    std::function<void()> m_onGone;
};

bool headerHasToken(const QByteArray &value, QByteArrayView token)
{
    const QList<QByteArray> parts = value.split(',');
    for (const QByteArray &part : parts) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

namespace QEngineIo {

Handler::~Handler() = default;
SessionContext::~SessionContext() = default;

void resumeReading(QAbstractSocket *socket)
{
    const qint64 size = socket->readBufferSize();
    if (size <= 0 || socket->state() != QAbstractSocket::ConnectedState || socket->bytesAvailable() >= size)
        return;
    socket->setReadBufferSize(0);
    socket->setReadBufferSize(size);
}

QByteArray closeReasonString(CloseReason reason)
{
    switch (reason) {
    case CloseReason::TransportClose: return QByteArrayLiteral("transport close");
    case CloseReason::TransportError: return QByteArrayLiteral("transport error");
    case CloseReason::PingTimeout: return QByteArrayLiteral("ping timeout");
    case CloseReason::ForcedClose: return QByteArrayLiteral("forced close");
    case CloseReason::ParseError: return QByteArrayLiteral("parse error");
    case CloseReason::ServerShuttingDown: return QByteArrayLiteral("server shutting down");
    }
    return {};
}

QByteArray transportName(Transport transport)
{
    return transport == Transport::Polling ? QByteArrayLiteral("polling") : QByteArrayLiteral("websocket");
}

} // namespace QEngineIo

QEngineIoServerPrivate::QEngineIoServerPrivate(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    createWebSocketServer(false);
}

void QEngineIoServerPrivate::createWebSocketServer(bool secure)
{
    // It never listens: upgrade requests are handed to it. Its mode decides the ws/wss scheme it reports.
    delete m_wsServer;
    m_wsServer = new QWebSocketServer(QStringLiteral("QtSocketIo"),
                                      secure ? QWebSocketServer::SecureMode : QWebSocketServer::NonSecureMode, this);
    m_wsServer->setMaxPendingConnections(1 << 20);
    connect(m_wsServer, &QWebSocketServer::newConnection, this, &QEngineIoServerPrivate::acceptWebSocket);
}

QEngineIoServerPrivate::~QEngineIoServerPrivate()
{
    // The layer above is being torn down too: it hears nothing more.
    m_handler = nullptr;
    close();
    // The I/O threads end before anything they might still post to goes.
    delete m_io;
    m_io = nullptr;
    // Connections (and their sockets) may be in the middle of emitting a signal that led here; they go
    // later, not with the rest of our children.
    const QObjectList kids = children();
    for (QObject *child : kids) {
        if (auto *connection = dynamic_cast<QEngineIoHttpConnection *>(child))
            connection->detachFromServer();
    }
    m_connections.clear();
}

void QEngineIoServerPrivate::setOptions(const Options &options)
{
    m_options = options;
    QByteArray &path = m_options.path;
    if (!path.startsWith('/'))
        path.prepend('/');
    if (!path.endsWith('/'))
        path.append('/');
    if (m_io)
        m_io->applyOptions();
}

void QEngineIoServerPrivate::setFallbackHandler(const FallbackHandler &handler)
{
    m_fallback = handler;
    if (m_io)
        m_io->applyOptions();
}

void QEngineIoServerPrivate::setIoThreadCount(int count)
{
    m_ioThreadCount = qBound(1, count, 64);
}

void QEngineIoServerPrivate::setHandlerGeneratesIds(bool generates)
{
    if (m_handlerGeneratesIds == generates)
        return;
    m_handlerGeneratesIds = generates;
    if (m_io)
        m_io->applyOptions();
}

void QEngineIoServerPrivate::setReportPacketsFromOpen(bool report)
{
    if (m_reportPacketsFromOpen == report)
        return;
    m_reportPacketsFromOpen = report;
    if (m_io)
        m_io->applyOptions();
}

void QEngineIoServerPrivate::stopIoThreads()
{
    delete m_io;
    m_io = nullptr;
}

void QEngineIoServerPrivate::startIoThreads()
{
    if (m_io || m_ioThreadCount <= 1)
        return;
    m_secure = !m_options.sslConfiguration.isNull();
    m_io = new QEngineIoIoThreads(this, m_ioThreadCount);
    qCDebug(lcEngine) << "serving attached connections with" << m_ioThreadCount << "I/O threads";
}

void QEngineIoServerPrivate::prepareIoEngine(int index, int count, bool secure)
{
    m_ioIndex = index;
    m_ioCount = count;
    m_secure = secure;
    if (secure)
        createWebSocketServer(true);
}

QEngineIoHttpConnection *QEngineIoServerPrivate::adoptSocket(QTcpSocket *socket, bool overLimit)
{
    auto *connection = new QEngineIoHttpConnection(socket, this);
    connection->overLimit = overLimit;
    m_connections.insert(connection);
    return connection;
}

void QEngineIoServerPrivate::adoptConnection(QEngineIoHttpConnection *connection)
{
    connection->attachToServer(this);
    m_connections.insert(connection);
}

void QEngineIoServerPrivate::releaseConnection(QEngineIoHttpConnection *connection)
{
    m_connections.remove(connection);
    // Sessions here that it carried poll responses for stop counting its socket: it goes to another thread.
    if (QTcpSocket *socket = connection->socket()) {
        for (QEngineIoSession *session : std::as_const(m_sessions))
            session->m_pollSockets.removeAll(socket);
    }
    connection->detachForMove();
}

bool QEngineIoServerPrivate::listen(const QHostAddress &address, quint16 port)
{
    if (isListening()) {
        m_errorString = QStringLiteral("The server is already listening");
        return false;
    }
    const bool secure = !m_options.sslConfiguration.isNull();
    if (m_ioThreadCount > 1 || m_io) {
        if (secure && !QSslSocket::supportsSsl()) {
            m_errorString = QStringLiteral("TLS is not available (no TLS backend)");
            qCWarning(lcEngine) << m_errorString;
            return false;
        }
        // New threads when the count or the security changed (no session is left after close()). Threads that
        // serve attach() or bind() stay (their sessions go on).
        if (m_io && m_io->isAdopting() && secure != m_secure) {
            m_errorString = QStringLiteral("TLS cannot change while attach() or bind() use the I/O threads");
            qCWarning(lcEngine) << m_errorString;
            return false;
        }
        if (m_io && !m_io->isAdopting()
            && (m_io->count() != m_ioThreadCount || secure != m_secure || !m_sessions.isEmpty())) {
            delete m_io;
            m_io = nullptr;
        }
        m_secure = secure;
        if (m_ioThreadCount > 1 || m_io) {
            if (!m_io)
                m_io = new QEngineIoIoThreads(this, m_ioThreadCount);
            if (!m_io->listen(address, port)) {
                m_errorString = m_io->errorString();
                qCWarning(lcEngine) << "cannot listen on" << address << port << ":" << m_errorString;
                return false;
            }
            m_errorString.clear();
            qCDebug(lcEngine) << "listening on" << m_io->serverAddress() << m_io->serverPort() << "path"
                              << m_options.path << "with" << m_ioThreadCount << "I/O threads";
            return true;
        }
    }
    if (m_tcpServer && secure != m_secure) {
        delete m_tcpServer;
        m_tcpServer = nullptr;
    }
    if (!m_tcpServer) {
        if (secure) {
            if (!QSslSocket::supportsSsl()) {
                m_errorString = QStringLiteral("TLS is not available (no TLS backend)");
                qCWarning(lcEngine) << m_errorString;
                return false;
            }
            auto *sslServer = new QSslServer(this);
            connect(sslServer, &QSslServer::errorOccurred, this, [](QSslSocket *socket, QAbstractSocket::SocketError) {
                qCDebug(lcEngine) << "TLS connection from" << socket->peerAddress() << "failed:" << socket->errorString();
            });
            connect(sslServer, &QSslServer::peerVerifyError, this, [](QSslSocket *, const QSslError &error) {
                qCDebug(lcEngine) << "TLS peer verification:" << error.errorString();
            });
            m_tcpServer = sslServer;
        } else {
            m_tcpServer = new QTcpServer(this);
        }
        m_tcpServer->setMaxPendingConnections(1 << 20);
        connect(m_tcpServer, &QTcpServer::pendingConnectionAvailable, this, &QEngineIoServerPrivate::acceptConnections);
        if (secure != m_secure)
            createWebSocketServer(secure);
        m_secure = secure;
    }
    if (auto *sslServer = qobject_cast<QSslServer *>(m_tcpServer))
        sslServer->setSslConfiguration(m_options.sslConfiguration);
    if (!m_tcpServer->listen(address, port)) {
        m_errorString = m_tcpServer->errorString();
        qCWarning(lcEngine) << "cannot listen on" << address << port << ":" << m_errorString;
        return false;
    }
    m_errorString.clear();
    qCDebug(lcEngine) << "listening on" << m_tcpServer->serverAddress() << m_tcpServer->serverPort()
                      << "path" << m_options.path;
    return true;
}

bool QEngineIoServerPrivate::isListening() const
{
    if (m_io)
        return m_io->isListening();
    return m_tcpServer && m_tcpServer->isListening();
}

quint16 QEngineIoServerPrivate::serverPort() const
{
    if (m_io)
        return m_io->serverPort();
    return m_tcpServer ? m_tcpServer->serverPort() : 0;
}

QHostAddress QEngineIoServerPrivate::serverAddress() const
{
    if (m_io)
        return m_io->serverAddress();
    return m_tcpServer ? m_tcpServer->serverAddress() : QHostAddress();
}

void QEngineIoServerPrivate::close()
{
    if (m_io) {
        // The mirrors close here (the handler hears it now); the I/O threads deliver what was queued, then
        // close what is left.
        m_io->stopListening();
        QPointer<QEngineIoServerPrivate> self(this);
        const QList<QEngineIoSession *> all = sessions();
        for (QEngineIoSession *session : all) {
            if (!self)
                return;
            if (m_sessions.value(session->sid()) == session)
                session->closeWithReason(CloseReason::ServerShuttingDown);
        }
        if (!self)
            return;
        if (m_io)
            m_io->closeEngines();
        // What this thread serves itself (attach() or bind() over TLS) closes below.
    }
    if (m_tcpServer)
        m_tcpServer->close();
    const QList<QEngineIoSession *> all = sessions();
    for (QEngineIoSession *session : all)
        session->closeWithReason(CloseReason::ServerShuttingDown);
    // Sessions still in Closing (waiting for a poll to deliver "1") end now.
    for (QEngineIoSession *session : sessions())
        session->finalize();
    const QSet<QEngineIoHttpConnection *> connections = m_connections;
    for (QEngineIoHttpConnection *connection : connections) {
        // A graceful close: what is still buffered (a held poll's "1") goes out before the FIN. An abort()
        // would send a reset, and a reset makes the peer's kernel drop data it has not read yet.
        if (QTcpSocket *socket = connection->socket())
            socket->disconnectFromHost();
    }
    m_pendingWebSockets.clear();
    m_deadlineTimer.stop();
    // Forget when the stopped timer was due, or a later listen() never arms it again for new sessions.
    m_deadlineTimerAt = -1;
}

QList<QEngineIoSession *> QEngineIoServerPrivate::sessions() const
{
    return m_sessions.values();
}

void QEngineIoServerPrivate::acceptConnections()
{
    acceptFrom(m_tcpServer);
}

void QEngineIoServerPrivate::acceptFrom(QTcpServer *server)
{
    while (server && server->hasPendingConnections())
        newHttpConnection(server->nextPendingConnection());
}

QEngineIoHttpConnection *QEngineIoServerPrivate::newHttpConnection(QTcpSocket *socket)
{
    const QString address = socket->peerAddress().toString();
    int &perAddress = m_connectionsPerAddress[address];
    if ((m_options.maxConnections > 0 && m_connectionCount >= m_options.maxConnections)
        || (m_options.maxConnectionsPerAddress > 0 && perAddress >= m_options.maxConnectionsPerAddress)) {
        qCWarning(lcEngine) << "refusing a connection from" << address << ": connection limit reached ("
                            << m_connectionCount << "open," << perAddress << "from that address)";
        if (perAddress == 0)
            m_connectionsPerAddress.remove(address);
        // Read its first request and answer that with 503: closing with the request unread would make
        // the kernel send a reset, and the client might never see the answer.
        auto *connection = new QEngineIoHttpConnection(socket, this);
        connection->overLimit = true;
        m_connections.insert(connection);
        return connection;
    }
    ++m_connectionCount;
    ++perAddress;
    // The TCP socket lives on after a WebSocket hand-off (inside the QWebSocket): count it until it is gone.
    // A child object does the counting: QWebSocketServer disconnects every signal of the socket it takes.
    QPointer<QEngineIoServerPrivate> self(this);
    new ConnectionCounter(socket, [self, address] {
        if (!self)
            return;
        --self->m_connectionCount;
        auto it = self->m_connectionsPerAddress.find(address);
        if (it != self->m_connectionsPerAddress.end() && --*it <= 0)
            self->m_connectionsPerAddress.erase(it);
        qCDebug(lcEngineVerbose) << "TCP connection from" << address << "gone;" << self->m_connectionCount << "open";
    });
    auto *connection = new QEngineIoHttpConnection(socket, this);
    m_connections.insert(connection);
    return connection;
}

bool QEngineIoServerPrivate::bind(QTcpServer *server)
{
    if (!server || !server->isListening()) {
        m_errorString = QStringLiteral("bind(): the QTcpServer is not listening");
        qCWarning(lcEngine) << m_errorString;
        return false;
    }
    server->setMaxPendingConnections(qMax(server->maxPendingConnections(), 1 << 20));
    if (m_boundServers.contains(server))
        return true;
    m_boundServers.append(server);
    startIoThreads();
    connect(server, &QTcpServer::pendingConnectionAvailable, this, [this, guard = QPointer<QTcpServer>(server)] {
        acceptBound(guard);
    });
    if (server->hasPendingConnections())
        acceptBound(server);
    return true;
}

void QEngineIoServerPrivate::acceptBound(QTcpServer *server)
{
    if (!m_io) {
        acceptFrom(server);
        return;
    }
    // With I/O threads, each goes to one (its descriptor, as from our own acceptor).
    while (server && server->hasPendingConnections()) {
        QTcpSocket *socket = server->nextPendingConnection();
        if (!socket)
            continue;
        // A TLS connection (a QSslServer's) is served here, in the server's thread (see takeSocket()).
        if (!m_io->takeSocket(socket, nullptr))
            newHttpConnection(socket);
    }
}

void QEngineIoServerPrivate::adoptHttpConnection(QTcpSocket *socket, QHttpRequest &&request)
{
    // Answered on the I/O thread that owns its session (closed after the answer there too); over TLS, here.
    if (m_io && m_io->takeSocket(socket, &request))
        return;
    QEngineIoHttpConnection *connection = newHttpConnection(socket);
    // The connection came from another HTTP server (QHttpServer): it is closed after each answer, so that a
    // browser does not send that server's requests on it later.
    connection->answerAdoptedRequest(std::move(request));
}

bool QEngineIoServerPrivate::adoptWebSocket(QWebSocket *ws)
{
    ws->setParent(nullptr);
    RequestInfo request;
    request.peerAddress = ws->peerAddress();
    request.peerPort = ws->peerPort();
    request.secure = ws->requestUrl().scheme() == QLatin1String("wss");
    request.transport = Transport::WebSocket;
    QHttpRequest &http = request.http;
    http.method = QByteArrayLiteral("GET");
    const QUrl url = ws->requestUrl();
    http.path = url.path(QUrl::FullyEncoded).toLatin1();
    http.query = url.query(QUrl::FullyEncoded).toLatin1();
    http.target = http.query.isEmpty() ? http.path : http.path + '?' + http.query;
    const QNetworkRequest handshake = ws->request();
    for (const QByteArray &name : handshake.rawHeaderList())
        http.headers.append(name.toLower(), handshake.rawHeader(name));
    http.upgrade = true;

    // The 101 is sent: a refusal is a close frame (1008) with the message a 400 would carry, and connectionError.
    auto refuse = [this, ws, &request](ErrorCode code) {
        qCDebug(lcEngine) << "adopted WebSocket from" << ws->peerAddress() << "refused:" << errorMessage(code);
        ws->close(QWebSocketProtocol::CloseCodePolicyViolated, QString::fromLatin1(errorMessage(code)));
        ws->deleteLater();
        notifyConnectionError(request, code, {});
    };
    if (!isEnginePath(http.path))
        return false;
    // Served on the I/O thread that owns its session (the next one for a handshake), checked there; over TLS, here.
    if (m_io && m_io->takeWebSocket(ws, http.queryItem("sid")))
        return true;
    const QByteArray eio = http.queryItem("EIO");
    if (eio == "3" && m_options.allowEIO3)
        request.protocol = 3;
    else if (eio != "4")
        return refuse(ErrorCode::UnsupportedProtocolVersion), true;
    if (http.queryItem("transport") != "websocket" || !m_options.allowWebSocket)
        return refuse(ErrorCode::UnknownTransport), true;
    request.sid = http.queryItem("sid");
    if (!request.sid.isNull()) {
        QEngineIoSession *session = m_sessions.value(request.sid);
        if (!session)
            return refuse(ErrorCode::UnknownSid), true;
        if (session->protocol() != request.protocol || !m_options.allowUpgrades)
            return refuse(ErrorCode::BadRequest), true;
        // A session that has upgraded or is upgrading: webSocketAccepted() closes this second WebSocket, as Node.
    }
    if (!request.sid.isNull() || !m_options.allowRequest) {
        webSocketAccepted(ws, std::move(request));
        return true;
    }
    QPointer<QWebSocket> guard(ws);
    QPointer<QEngineIoServerPrivate> self(this);
    auto shared = std::make_shared<RequestInfo>(std::move(request));
    auto answered = std::make_shared<bool>(false);
    m_options.allowRequest(*shared, [guard, self, shared, answered](bool allowed, int, const QByteArray &message) {
        if (*answered)
            return;
        *answered = true;
        if (!guard)
            return;
        if (!self || !allowed) {
            guard->close(QWebSocketProtocol::CloseCodePolicyViolated,
                         message.isEmpty() ? QStringLiteral("Forbidden") : QString::fromUtf8(message));
            guard->deleteLater();
            if (self)
                self->notifyConnectionError(*shared, ErrorCode::Forbidden, message);
            return;
        }
        self->webSocketAccepted(guard, std::move(*shared));
    });
    return true;
}

void QEngineIoServerPrivate::connectionClosed(QEngineIoHttpConnection *connection)
{
    m_connections.remove(connection);
    if (QEngineIoSession *session = connection->pollingSession) {
        connection->pollingSession = nullptr;
        session->pollConnectionLost(connection);
    }
}

void QEngineIoServerPrivate::decorateResponse(QHttpHeaderList &headers, const RequestInfo &request) const
{
    const Cors &cors = m_options.cors;
    if (cors.enabled) {
        const QByteArray origin = request.http.headers.value("origin");
        const QByteArray allowed = corsAllowedOrigin(origin);
        if (!allowed.isEmpty()) {
            headers.set(QByteArrayLiteral("Access-Control-Allow-Origin"), allowed);
            if (cors.credentials)
                headers.set(QByteArrayLiteral("Access-Control-Allow-Credentials"), QByteArrayLiteral("true"));
            if (!cors.exposedHeaders.isEmpty() && request.http.method != "OPTIONS")
                headers.set(QByteArrayLiteral("Access-Control-Expose-Headers"), cors.exposedHeaders.join(','));
        }
        if (!cors.anyOrigin)
            headers.set(QByteArrayLiteral("Vary"), QByteArrayLiteral("Origin"));
    }
    if (m_options.editResponseHeaders)
        m_options.editResponseHeaders(headers, request);
}

QByteArray QEngineIoServerPrivate::corsAllowedOrigin(const QByteArray &origin) const
{
    const Cors &cors = m_options.cors;
    if (cors.anyOrigin)
        return QByteArrayLiteral("*");
    if (origin.isEmpty())
        return {};
    if (cors.reflectOrigin)
        return origin;
    const QString originText = QString::fromUtf8(origin);
    if (cors.origins.contains(originText) || (cors.originPredicate && cors.originPredicate(originText)))
        return origin;
    return {};
}

void QEngineIoServerPrivate::answerPreflight(QEngineIoHttpConnection *connection, const RequestInfo &request)
{
    const Cors &cors = m_options.cors;
    QHttpHeaderList headers;
    decorateResponse(headers, request);
    headers.set(QByteArrayLiteral("Access-Control-Allow-Methods"), cors.methods.join(','));
    QByteArray allowHeaders = cors.allowedHeaders.join(',');
    if (cors.allowedHeaders.isEmpty()) {
        allowHeaders = request.http.headers.value("access-control-request-headers");
        if (!allowHeaders.isEmpty()) {
            QByteArray vary = headers.value("vary");
            vary = vary.isEmpty() ? QByteArrayLiteral("Access-Control-Request-Headers")
                                  : vary + QByteArrayLiteral(", Access-Control-Request-Headers");
            headers.set(QByteArrayLiteral("Vary"), vary);
        }
    }
    if (!allowHeaders.isEmpty())
        headers.set(QByteArrayLiteral("Access-Control-Allow-Headers"), allowHeaders);
    if (cors.maxAge >= 0)
        headers.set(QByteArrayLiteral("Access-Control-Max-Age"), QByteArray::number(cors.maxAge));
    connection->respond(204, headers, {});
}

void QEngineIoServerPrivate::respondError(QEngineIoHttpConnection *connection, const RequestInfo &request, ErrorCode code,
                                   int status, const QByteArray &message)
{
    qCDebug(lcEngine) << "refusing" << request.http.method << request.http.target << "from" << request.peerAddress
                      << ":" << int(code) << errorMessage(code);
    QHttpHeaderList headers;
    headers.append(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json"));
    decorateResponse(headers, request);
    const QByteArray body = QByteArrayLiteral("{\"code\":") + QByteArray::number(int(code))
            + QByteArrayLiteral(",\"message\":") + jsonString(message.isEmpty() ? errorMessage(code) : message)
            + '}';
    connection->respond(status, headers, body);
    notifyConnectionError(request, code, message);
}

void QEngineIoServerPrivate::notifyConnectionError(const RequestInfo &request, ErrorCode code, const QByteArray &message)
{
    if (m_handler) {
        // Node's context of each refusal.
        QVariantMap context;
        switch (code) {
        case ErrorCode::UnknownTransport:
            context.insert(QStringLiteral("transport"), QString::fromUtf8(request.http.queryItem("transport")));
            break;
        case ErrorCode::UnknownSid:
            context.insert(QStringLiteral("sid"), QString::fromUtf8(request.http.queryItem("sid")));
            break;
        case ErrorCode::BadHandshakeMethod:
            context.insert(QStringLiteral("method"), QString::fromLatin1(request.http.method));
            break;
        case ErrorCode::UnsupportedProtocolVersion:
            context.insert(QStringLiteral("protocol"), QString::fromUtf8(request.http.queryItem("EIO")));
            break;
        case ErrorCode::Forbidden:
            if (!message.isEmpty())
                context.insert(QStringLiteral("message"), QString::fromUtf8(message));
            break;
        case ErrorCode::BadRequest:
            break;
        }
        m_handler->connectionError(request, code, context);   // last: the handler may delete this server
    }
}

RequestInfo QEngineIoServerPrivate::requestInfo(QEngineIoHttpConnection *connection, QHttpRequest &&http) const
{
    QTcpSocket *socket = connection->socket();
    RequestInfo request;
    request.peerAddress = socket->peerAddress();
    request.peerPort = socket->peerPort();
    request.secure = m_secure;
    request.http = std::move(http);
    return request;
}

bool QEngineIoServerPrivate::isEnginePath(const QByteArray &requestPath) const
{
    const QByteArray &path = m_options.path;
    return requestPath == path || (!m_options.addTrailingSlash && requestPath == QByteArrayView(path).chopped(1));
}

void QEngineIoServerPrivate::respondTooLarge(QEngineIoHttpConnection *connection, const RequestInfo &request,
                                      QEngineIoSession *session)
{
    QHttpHeaderList headers;
    decorateResponse(headers, request);
    connection->respond(413, headers, {}, true);
    if (session)
        session->closeWithReason(CloseReason::TransportError, QStringLiteral("payload too large"));
}

void QEngineIoServerPrivate::rejectTooLarge(QEngineIoHttpConnection *connection, QHttpRequest &&http)
{
    RequestInfo request = requestInfo(connection, std::move(http));
    const QHttpRequest &req = request.http;
    qCDebug(lcEngine) << "refusing" << req.method << req.target << "from" << request.peerAddress
                      << ": body over maxHttpBufferSize";
    if (!isEnginePath(req.path)) {
        QHttpHeaderList headers;
        headers.append(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain; charset=UTF-8"));
        connection->respond(413, headers, QByteArrayLiteral("Payload too large"), true);
        return;
    }
    request.sid = req.queryItem("sid");
    QEngineIoSession *session = m_sessions.value(request.sid);
    if (session && (req.queryItem("transport") != "polling" || session->transport() != Transport::Polling))
        session = nullptr;
    respondTooLarge(connection, request, session);
}

void QEngineIoServerPrivate::handleRequest(QEngineIoHttpConnection *connection, QHttpRequest &&http)
{
    if (m_router && !connection->overLimit) {
        // Sticky polling: a request for a session of another I/O thread is handled there. Its id names the
        // thread, unless the handler chose it (generateId): the server's thread keeps a table of those.
        const QByteArray sid = http.queryItem("sid");
        if (!sid.isEmpty() && !m_sessions.contains(sid) && isEnginePath(http.path)) {
            int owner = m_customSidOwner ? m_customSidOwner(sid) : -1;
            if (owner < 0)
                owner = sidOwner(sid, m_ioCount);
            if (owner >= 0 && owner != m_ioIndex) {
                m_router(connection, std::move(http), owner);
                return;
            }
        }
    }
    if (connection->overLimit) {
        QHttpHeaderList headers;
        headers.append(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain; charset=UTF-8"));
        connection->respond(503, headers, QByteArrayLiteral("Too many connections"), true);
        return;
    }
    RequestInfo request = requestInfo(connection, std::move(http));
    const QHttpRequest &req = request.http;
    qCDebug(lcEngineVerbose) << req.method << req.target << "from" << request.peerAddress << request.peerPort;

    if (!isEnginePath(req.path)) {
        if (m_fallback && m_fallback(connection, req))
            return;
        QHttpHeaderList headers;
        headers.append(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain; charset=UTF-8"));
        connection->respond(404, headers, QByteArrayLiteral("Not Found"), req.upgrade);
        return;
    }

    if (req.method == "OPTIONS" && m_options.cors.enabled) {
        answerPreflight(connection, request);
        return;
    }

    const QByteArray eio = req.queryItem("EIO");
    if (eio == "3" && m_options.allowEIO3) {
        request.protocol = 3;
    } else if (eio != "4") {
        respondError(connection, request, ErrorCode::UnsupportedProtocolVersion);
        return;
    }
    const QByteArray transport = req.queryItem("transport");
    if (request.protocol == 3 && transport == "polling" && !req.queryItem("j").isNull()) {
        // JSONP polling (a "j" index in the query, engine.io-client 3.x without XHR): not served.
        respondError(connection, request, ErrorCode::UnknownTransport);
        return;
    }
    if (transport == "polling" && m_options.allowPolling) {
        request.transport = Transport::Polling;
    } else if (transport == "websocket" && m_options.allowWebSocket) {
        request.transport = Transport::WebSocket;
    } else {
        respondError(connection, request, ErrorCode::UnknownTransport);
        return;
    }
    const bool isUpgrade = req.upgrade && headerHasToken(req.headers.value("upgrade"), "websocket");
    if (request.transport == Transport::WebSocket) {
        // Only genuine WebSocket handshakes go to QWebSocketServer: it closes anything else without a word.
        if (req.method != "GET" || !isUpgrade || req.headers.value("sec-websocket-key").isEmpty()
            || req.headers.value("sec-websocket-version") != "13") {
            respondError(connection, request, ErrorCode::BadRequest);
            return;
        }
    } else if (req.upgrade) {
        respondError(connection, request, ErrorCode::BadRequest);
        return;
    }

    request.sid = req.queryItem("sid");
    if (request.sid.isNull()) {
        handshake(connection, std::move(request));
        return;
    }

    QEngineIoSession *session = m_sessions.value(request.sid);
    if (!session) {
        respondError(connection, request, ErrorCode::UnknownSid);
        return;
    }
    if (session->protocol() != request.protocol) {
        // A v3 session stays v3 (and a v4 one v4): its framing was chosen at the handshake.
        respondError(connection, request, ErrorCode::BadRequest);
        return;
    }
    if (request.transport == Transport::WebSocket) {
        // An upgrade of a polling session. A second WebSocket for a session that is upgrading or has upgraded
        // (or is closing) completes its handshake and is closed at once (acceptWebSocket()), as in Node.
        if (!m_options.allowUpgrades) {
            respondError(connection, request, ErrorCode::BadRequest);
            return;
        }
        handOffWebSocket(connection, std::move(request));
        return;
    }
    if (session->transport() != Transport::Polling) {
        respondError(connection, request, ErrorCode::BadRequest);
        return;
    }
    if (req.method == "GET") {
        session->handlePollRequest(connection);
    } else if (req.method == "POST") {
        if (req.headers.value("content-length").isNull()) {
            // Node demands a Content-Length on data requests.
            QHttpHeaderList headers;
            decorateResponse(headers, request);
            connection->respond(411, headers, {}, true);
            session->closeWithReason(CloseReason::TransportError, QStringLiteral("content-length header required"));
            return;
        }
        if (req.body.size() > m_options.maxHttpBufferSize) {
            respondTooLarge(connection, request, session);
            return;
        }
        QHttpHeaderList headers;
        headers.append(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/html"));
        decorateResponse(headers, request);
        session->handleDataRequest(connection, req.body, headers,
                                   req.headers.value("content-type").startsWith("application/octet-stream"));
    } else {
        respondError(connection, request, ErrorCode::BadRequest);
    }
}

void QEngineIoServerPrivate::handshake(QEngineIoHttpConnection *connection, RequestInfo &&request)
{
    if (request.http.method != "GET") {
        respondError(connection, request, ErrorCode::BadHandshakeMethod);
        return;
    }
    if (!m_options.allowRequest) {
        openSession(connection, std::move(request));
        return;
    }
    // The hook may answer now or later; the connection may be gone by then.
    QPointer<QEngineIoHttpConnection> guard(connection);
    QPointer<QEngineIoServerPrivate> self(this);
    auto shared = std::make_shared<RequestInfo>(std::move(request));
    auto answered = std::make_shared<bool>(false);
    m_options.allowRequest(*shared, [guard, self, shared, answered](bool allowed, int status, const QByteArray &message) {
        if (*answered)
            return;
        *answered = true;
        if (!self || !guard || !guard->socket())
            return;
        if (!allowed) {
            self->respondError(guard, *shared, ErrorCode::Forbidden, status > 0 ? status : 403, message);
            return;
        }
        self->openSession(guard, std::move(*shared));
    });
}

void QEngineIoServerPrivate::openSession(QEngineIoHttpConnection *connection, RequestInfo &&request)
{
    if (!m_idRequest) {
        if (request.transport == Transport::Polling)
            openPollingSession(connection, std::move(request));
        else
            handOffWebSocket(connection, std::move(request));
        return;
    }
    // An I/O thread's engine whose server's handler generates ids: the id comes from the server's thread; the
    // connection may be gone by then (the id goes back unused).
    QPointer<QEngineIoHttpConnection> guard(connection);
    QPointer<QEngineIoServerPrivate> self(this);
    auto shared = std::make_shared<RequestInfo>(std::move(request));
    m_idRequest(*shared, [guard, self, shared](const QByteArray &id) {
        if (!self)
            return;
        if (!guard || !guard->socket()) {
            if (!id.isEmpty() && self->m_idUnused)
                self->m_idUnused(id);
            return;
        }
        shared->newSid = id;
        if (shared->transport == Transport::Polling)
            self->openPollingSession(guard, std::move(*shared));
        else
            self->handOffWebSocket(guard, std::move(*shared));
    });
}

QByteArray QEngineIoServerPrivate::generateSid(const RequestInfo &request) const
{
    // I/O threads: the server's thread asked its handler already (and checked the id).
    if (!request.newSid.isEmpty() && !m_sessions.contains(request.newSid))
        return request.newSid;
    if (m_handler) {
        const QByteArray id = m_handler->generateId(request);
        if (!id.isEmpty()) {
            const bool valid = isValidSessionId(id);
            if (valid && !m_sessions.contains(id))
                return id;
            qCWarning(lcEngine) << "generateId returned" << (valid ? "an id in use" : "an invalid id")
                                << id.left(64) << "; using a generated one";
        }
    }
    return generateSid();
}

QByteArray QEngineIoServerPrivate::generateSid() const
{
    QByteArray sid;
    do {
        quint32 words[4];
        QRandomGenerator::system()->fillRange(words);
        sid = QByteArray(reinterpret_cast<const char *>(words), 15)
                      .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        markSid(sid, m_ioIndex, m_ioCount);
    } while (m_sessions.contains(sid));
    return sid;
}

void QEngineIoServerPrivate::openPollingSession(QEngineIoHttpConnection *connection, RequestInfo &&request)
{
    const QByteArray sid = generateSid(request);
    request.sid = sid;
    auto *session = new QEngineIoSession(this, sid, request, Transport::Polling);
    m_sessions.insert(sid, session);
    qCDebug(lcEngine) << "session" << sid << "opened over polling from" << request.peerAddress;
    session->sendOpenPacket(connection);
    Q_EMIT sessionCountChanged();
    if (m_handler)
        m_handler->sessionOpened(session);
}

void QEngineIoServerPrivate::handOffWebSocket(QEngineIoHttpConnection *connection, RequestInfo &&request)
{
    QTcpSocket *socket = connection->takeSocket();
    if (!socket)
        return;
    PendingWebSocket pending;
    pending.serial = ++m_pendingSerial;
    const QString key = peerKey(request.peerAddress, request.peerPort);
    pending.request = std::move(request);
    pending.tcpSocket = socket;
    m_pendingWebSockets.insert(key, std::move(pending));
    // QWebSocketServer starts no handshake timer for handed-over sockets: forget the request if the
    // WebSocket never appears (the client went away mid-handshake).
    const quint64 serial = m_pendingSerial;
    QTimer::singleShot(qMax(m_options.upgradeTimeout, 1000), this, [this, key, serial] {
        auto it = m_pendingWebSockets.find(key);
        if (it != m_pendingWebSockets.end() && it->serial == serial) {
            if (QTcpSocket *tcp = it->tcpSocket) {
                tcp->abort();
                tcp->deleteLater();
            }
            if (!it->request.newSid.isEmpty() && m_idUnused)
                m_idUnused(it->request.newSid);
            m_pendingWebSockets.erase(it);
        }
    });
    new QEngineIoFrameGuard(socket);   // before QWebSocketServer and QWebSocket connect to the socket
    m_wsServer->handleConnection(socket);
}

void QEngineIoServerPrivate::acceptWebSocket()
{
    while (m_wsServer->hasPendingConnections()) {
        QWebSocket *ws = m_wsServer->nextPendingConnection();
        ws->setParent(nullptr);
        const auto it = m_pendingWebSockets.find(peerKey(ws->peerAddress(), ws->peerPort()));
        if (it == m_pendingWebSockets.end()) {
            ws->abort();
            ws->deleteLater();
            continue;
        }
        RequestInfo request = std::move(it->request);
        // The QWebSocket uses the TCP socket but does not own it (Qt 6.4): tie their lifetimes.
        if (QTcpSocket *tcp = it->tcpSocket)
            tcp->setParent(ws);
        m_pendingWebSockets.erase(it);
        QPointer<QEngineIoServerPrivate> self(this);   // a slot or the handler may delete us
        webSocketAccepted(ws, std::move(request));
        if (!self)
            return;
    }
}

void QEngineIoServerPrivate::webSocketAccepted(QWebSocket *ws, RequestInfo &&request)
{
    ws->setMaxAllowedIncomingMessageSize(quint64(qMax<qint64>(m_options.maxHttpBufferSize, 1)));
    ws->setMaxAllowedIncomingFrameSize(quint64(qMax<qint64>(m_options.maxHttpBufferSize, 1)));

    if (request.sid.isEmpty()) {
        const QByteArray sid = generateSid(request);
        request.sid = sid;
        auto *session = new QEngineIoSession(this, sid, request, Transport::WebSocket);
        m_sessions.insert(sid, session);
        qCDebug(lcEngine) << "session" << sid << "opened over websocket from" << request.peerAddress;
        session->attachWebSocket(ws);
        session->sendOpenPacket(nullptr);
        QPointer<QEngineIoServerPrivate> self(this);   // a slot or the handler may delete us
        Q_EMIT sessionCountChanged();
        if (self && m_handler)
            m_handler->sessionOpened(session);
        return;
    }
    QEngineIoSession *session = m_sessions.value(request.sid);
    if (!session || !session->isOpen() || session->transport() != Transport::Polling || session->isUpgrading()) {
        // Node: "upgrade attempt for closed client", "transport has already been trying to upgrade",
        // "transport had already been upgraded": the WebSocket is open, and closed at once.
        qCDebug(lcEngine) << "second websocket for session" << request.sid << "closed";
        // It goes once the client answered the close frame (or after 2 s): deleting it now could reset the
        // connection before the frame is read.
        connect(ws, &QWebSocket::disconnected, ws, &QObject::deleteLater);
        QTimer::singleShot(2000, ws, [ws] {
            ws->abort();
            ws->deleteLater();
        });
        ws->close();
        return;
    }
    session->startUpgrade(ws);
}

QEngineIo::CounterValues QEngineIoServerPrivate::counterTotals() const
{
    QEngineIo::CounterValues totals = m_closedTotals;
    totals.add(m_connectionCounters);
    for (const QEngineIoSession *session : m_sessions)
        totals.add(session->counters());
    // With I/O threads the mirrors count nothing of the traffic: each thread's counters are read here.
    if (m_io)
        m_io->addCounterTotals(totals);
    return totals;
}

void QEngineIoServerPrivate::sessionFinished(QEngineIoSession *session)
{
    cancelDeadline(session);
    if (m_sessions.value(session->sid()) == session) {
        if (!m_sharedCounters)
            m_closedTotals.add(session->counters());
        m_sessions.remove(session->sid());
        Q_EMIT sessionCountChanged();
    }
    session->deleteLater();
}

void QEngineIoServerPrivate::scheduleDeadline(QEngineIoSession *session, qint64 at)
{
    cancelDeadline(session);
    session->m_deadlineIt = m_deadlines.emplace(at, session);
    if (m_deadlineTimerAt < 0 || at < m_deadlineTimerAt)
        armDeadlineTimer();
}

void QEngineIoServerPrivate::cancelDeadline(QEngineIoSession *session)
{
    if (session->m_deadline == QEngineIoSession::Deadline::None)
        return;
    m_deadlines.erase(session->m_deadlineIt);
    session->m_deadline = QEngineIoSession::Deadline::None;
}

void QEngineIoServerPrivate::armDeadlineTimer()
{
    if (m_deadlines.empty()) {
        m_deadlineTimer.stop();
        m_deadlineTimerAt = -1;
        return;
    }
    const qint64 at = m_deadlines.begin()->first;
    m_deadlineTimerAt = at;
    m_deadlineTimer.start(int(qBound<qint64>(0, at - now(), qint64(std::numeric_limits<int>::max()))), Qt::PreciseTimer,
                          this);
}

void QEngineIoServerPrivate::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_deadlineTimer.timerId())
        return QObject::timerEvent(event);
    m_deadlineTimer.stop();
    m_deadlineTimerAt = -1;
    const qint64 current = now();
    // Bounded: each pass removes the entry it handles (a session may add a later one). A handler called from
    // deadlineReached() may delete this server.
    QPointer<QEngineIoServerPrivate> self(this);
    while (!m_deadlines.empty() && m_deadlines.begin()->first <= current) {
        QEngineIoSession *session = m_deadlines.begin()->second;
        m_deadlines.erase(m_deadlines.begin());
        const QEngineIoSession::Deadline kind = session->m_deadline;
        session->m_deadline = QEngineIoSession::Deadline::None;
        session->deadlineReached(kind);
        if (!self)
            return;
    }
    armDeadlineTimer();
}
