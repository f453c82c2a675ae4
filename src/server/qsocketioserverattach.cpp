// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Serving Socket.IO on a port the application owns: attach() to a QHttpServer, bind() to a QTcpServer.

#include <QtSocketIo/qsocketioserver.h>

#include "server/qsocketioserver_p.h"
#include "engine/qengineioserver_p.h"
#include "engine/qengineiosocket_p.h"
#include "engine/codec/qhttprequestparser_p.h"
#include "qtsocketiologging_p.h"

#include <QtCore/qhash.h>
#include <QtCore/qmetaobject.h>
#include <QtCore/qpointer.h>
#include <QtNetwork/qtcpserver.h>
#include <QtNetwork/qtcpsocket.h>
#include <QtWebSockets/qwebsocket.h>

#include <functional>
#include <memory>

#if QTSOCKETIO_HAS_HTTPSERVER
#include <QtHttpServer/qhttpserver.h>
#include <QtHttpServer/qhttpserverrequest.h>
#include <QtHttpServer/qhttpserverresponder.h>
#endif

namespace {

#if QTSOCKETIO_HAS_HTTPSERVER
QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get: return QByteArrayLiteral("GET");
    case QHttpServerRequest::Method::Put: return QByteArrayLiteral("PUT");
    case QHttpServerRequest::Method::Delete: return QByteArrayLiteral("DELETE");
    case QHttpServerRequest::Method::Post: return QByteArrayLiteral("POST");
    case QHttpServerRequest::Method::Head: return QByteArrayLiteral("HEAD");
    case QHttpServerRequest::Method::Options: return QByteArrayLiteral("OPTIONS");
    case QHttpServerRequest::Method::Patch: return QByteArrayLiteral("PATCH");
    case QHttpServerRequest::Method::Connect: return QByteArrayLiteral("CONNECT");
    case QHttpServerRequest::Method::Trace: return QByteArrayLiteral("TRACE");
    default: return QByteArrayLiteral("UNKNOWN");
    }
}

// A copy that shares nothing with QHttpServer's request: the copy may be read and freed on an I/O thread while
// QHttpServer frees its own (implicitly shared bytes are counted atomically, but ThreadSanitizer cannot see the
// count in Qt's uninstrumented code).
QByteArray unshared(const QByteArray &bytes)
{
    return bytes.isNull() ? QByteArray() : QByteArray(bytes.constData(), bytes.size());
}

// The request as our own front door would have parsed it.
QHttpRequest toEngineRequest(const QHttpServerRequest &request)
{
    QHttpRequest out;
    out.method = methodName(request.method());
    const QUrl url = request.url();
    out.path = url.path(QUrl::FullyEncoded).toLatin1();
    out.query = url.query(QUrl::FullyEncoded).toLatin1();
    out.target = out.query.isEmpty() ? out.path : out.path + '?' + out.query;
    for (const auto &header : request.headers())
        out.headers.append(unshared(header.first.toLower()), unshared(header.second.trimmed()));
    out.body = unshared(request.body());
    out.keepAlive = false;
    return out;
}

bool isWebSocketUpgrade(const QHttpServerRequest &request)
{
    const QList<QByteArray> tokens = request.value("upgrade").split(',');
    for (const QByteArray &token : tokens) {
        if (token.trimmed().compare("websocket", Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}
#endif

} // namespace

#if QTSOCKETIO_HAS_HTTPSERVER
namespace {

// Routes the Engine.IO path of httpServer to engine (QSocketIoServer::attach() and QEngineIoServer::attach()).
// A WebSocket on another path goes to unhandled (which takes it and returns true), or is closed.
void attachEngine(QEngineIoServerPrivate *engineServer, QHttpServer *httpServer, QObject *context,
                  const std::function<bool(QWebSocket *)> &unhandled)
{
    QPointer<QEngineIoServerPrivate> engine(engineServer);
    const QByteArray path = engineServer->options().path;   // normalised: "/socket.io/"
    // With ioThreadCount > 1, what is taken below is served on the I/O threads (see
    // QEngineIoIoThreads::takeSocket() and takeWebSocket()).
    engineServer->startIoThreads();

    // The TCP sockets of WebSocket handshakes on the path, by peer: QHttpServer's QWebSocket does not own the
    // socket under it (Qt 6.4), and the engine writes frames straight to that socket (see
    // QEngineIoSession::writeFrame()), so the socket becomes a child of the QWebSocket, as on our own port.
    auto handshakes = std::make_shared<QHash<QString, QPointer<QTcpSocket>>>();
    const auto peerKey = [](const QHostAddress &address, quint16 port) -> QString {
        return address.toString() + QLatin1Char('|') + QString::number(port);
    };
    // Every request on the path, whatever its method. Qt 6.4's QHttpServer has read and parsed it; from here
    // the TCP connection is ours: QHttpServer's connections to the socket are cut and the engine answers this
    // request and any later one on it (closing after each answer, so that a browser's connection pool does
    // not send the application's own requests to us). A WebSocket handshake is left alone: after this
    // handler, QHttpServer completes it and hands the WebSocket over through newWebSocketConnection.
    QPointer<QHttpServer> http(httpServer);
    auto take = [engine, http, handshakes, peerKey](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        QTcpSocket *socket = responder.socket();
        if (isWebSocketUpgrade(request)) {
            if (socket) {
                for (auto it = handshakes->begin(); it != handshakes->end();)
                    it = it.value() ? std::next(it) : handshakes->erase(it);
                handshakes->insert(peerKey(socket->peerAddress(), socket->peerPort()), socket);
            }
            return;
        }
        if (!engine || !socket) {
            responder.write(QHttpServerResponder::StatusCode::NotFound);
            return;
        }
        // Cut QHttpServer's reading and its delete-on-disconnect; what it tied to the socket's destruction (its
        // request object) stays, so that it is freed with the socket.
        QObject::disconnect(socket, &QIODevice::readyRead, nullptr, nullptr);
        QObject::disconnect(socket, &QAbstractSocket::disconnected, nullptr, nullptr);
        if (http)
            QObject::disconnect(socket, nullptr, http, nullptr);
        QPointer<QTcpSocket> guard(socket);
        // QHttpServer is still on the stack and may look at the socket when this returns: the engine takes
        // it on the next event-loop pass.
        QMetaObject::invokeMethod(engine.data(), [engine, guard, http = toEngineRequest(request)]() mutable {
            if (!guard)
                return;
            if (!engine) {
                guard->abort();
                guard->deleteLater();
                return;
            }
            engine->adoptHttpConnection(guard, std::move(http));
        }, Qt::QueuedConnection);
    };
    const QString route = QString::fromLatin1(path);
    httpServer->route(route, take);
    httpServer->route(route.chopped(1), take);
    // Files under the path (serveClient's socket.io.js and the rest).
    httpServer->route(route + QStringLiteral("<arg>"),
                      [take](const QString &, const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                          take(request, std::move(responder));
                      });

    QObject::connect(httpServer, &QHttpServer::newWebSocketConnection, context,
                     [engine, context, httpServer, handshakes, peerKey, unhandled] {
        QPointer<QObject> self(context);
        while (httpServer->hasPendingWebSocketConnections()) {
            QWebSocket *ws = httpServer->nextPendingWebSocketConnection().release();
            if (!ws)
                break;
            if (QPointer<QTcpSocket> tcp = handshakes->take(peerKey(ws->peerAddress(), ws->peerPort())))
                tcp->setParent(ws);
            if (engine && engine->adoptWebSocket(ws))
                continue;
            if (unhandled(ws)) {
                if (!self)
                    return;
                continue;
            }
            qCWarning(lcServer) << "attach(): closing a WebSocket for" << ws->requestUrl().path()
                                << "(not the Engine.IO path; connect to unhandledWebSocket to take it)";
            ws->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("Not Found"));
            ws->deleteLater();
        }
    });
}

} // namespace
#endif

bool QSocketIoServer::attach(QHttpServer *httpServer)
{
#if QTSOCKETIO_HAS_HTTPSERVER
    Q_D(QSocketIoServer);
    if (!httpServer) {
        qCWarning(lcServer) << "attach(): no QHttpServer";
        return false;
    }
    d->applyEngineOptions();
    if (!d->engine->isListening())
        d->wireParser = &QSocketIoServerPrivate::parserFor(d->parser);
    attachEngine(d->engine, httpServer, this, [this](QWebSocket *ws) {
        if (!isSignalConnected(QMetaMethod::fromSignal(&QSocketIoServer::unhandledWebSocket)))
            return false;
        Q_EMIT unhandledWebSocket(ws);
        return true;
    });
    return true;
#else
    Q_UNUSED(httpServer);
    qCWarning(lcServer) << "attach(): QtSocketIo was built without Qt HTTP Server (qt6-httpserver-dev)";
    return false;
#endif
}

// The public Engine.IO server's attach() lives here, next to the Socket.IO server's: Qt HTTP Server is linked
// into this layer only.
bool QEngineIoServer::attach(QHttpServer *httpServer)
{
#if QTSOCKETIO_HAS_HTTPSERVER
    QEngineIoServerFacade *d = QEngineIoServerFacade::get(this);
    if (!d->owned) {
        qWarning("QEngineIoServer::attach: the engine of a QSocketIoServer attaches with QSocketIoServer::attach()");
        return false;
    }
    if (!httpServer) {
        qCWarning(lcServer) << "attach(): no QHttpServer";
        return false;
    }
    attachEngine(d->engine, httpServer, this, [this](QWebSocket *ws) {
        if (!isSignalConnected(QMetaMethod::fromSignal(&QEngineIoServer::unhandledWebSocket)))
            return false;
        Q_EMIT unhandledWebSocket(ws);
        return true;
    });
    return true;
#else
    Q_UNUSED(httpServer);
    qCWarning(lcServer) << "attach(): QtSocketIo was built without Qt HTTP Server (qt6-httpserver-dev)";
    return false;
#endif
}

bool QSocketIoServer::bind(QTcpServer *tcpServer)
{
    Q_D(QSocketIoServer);
    d->applyEngineOptions();
    if (!d->engine->isListening())
        d->wireParser = &QSocketIoServerPrivate::parserFor(d->parser);
    if (!d->engine->bind(tcpServer)) {
        d->error = Error::ListenError;
        d->errorString = d->engine->errorString();
        Q_EMIT errorOccurred(d->error);
        return false;
    }
    return true;
}
