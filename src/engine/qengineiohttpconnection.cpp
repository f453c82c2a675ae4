// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "engine/qengineiohttpconnection_p.h"
#include "engine/qengineioserver_p.h"
#include "engine/qengineiooutput_p.h"
#include "qtsocketiologging_p.h"

#include <QtCore/qtimer.h>
#include <QtCore/qcoreevent.h>
#include <QtNetwork/qtcpsocket.h>

namespace {

// How much of the socket's buffer is looked at in one go. It is also what the socket may hold: a client that
// sends more than the server reads (pipelined data behind a held poll, a body faster than it is parsed) is
// held back by TCP, and no connection is read for more than this in one event-loop turn. A request head
// (maxHeaderBytes, 16 KiB by default) stays in the buffer until complete, so it must fit.
constexpr qint64 ReadChunk = 64 * 1024;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return QByteArrayLiteral("OK");
    case 204: return QByteArrayLiteral("No Content");
    case 304: return QByteArrayLiteral("Not Modified");
    case 400: return QByteArrayLiteral("Bad Request");
    case 401: return QByteArrayLiteral("Unauthorized");
    case 403: return QByteArrayLiteral("Forbidden");
    case 404: return QByteArrayLiteral("Not Found");
    case 405: return QByteArrayLiteral("Method Not Allowed");
    case 408: return QByteArrayLiteral("Request Timeout");
    case 411: return QByteArrayLiteral("Length Required");
    case 413: return QByteArrayLiteral("Payload Too Large");
    case 429: return QByteArrayLiteral("Too Many Requests");
    case 431: return QByteArrayLiteral("Request Header Fields Too Large");
    case 500: return QByteArrayLiteral("Internal Server Error");
    case 503: return QByteArrayLiteral("Service Unavailable");
    default: return QByteArrayLiteral("Unknown");
    }
}

} // namespace

QEngineIoHttpConnection::QEngineIoHttpConnection(QTcpSocket *socket, QEngineIoServerPrivate *server)
    : QObject(server), m_server(server), m_socket(socket)
{
    const QEngineIo::Options &options = server->options();
    QHttpRequestParser::Limits limits;
    limits.maxHeaderBytes = options.maxHeaderBytes;
    limits.maxHeaderCount = options.maxHeaderCount;
    // Engine.IO bodies are bounded by maxHttpBufferSize; the polling code answers 413 itself, so the parser
    // only needs a hard stop a little above it.
    limits.maxBodyBytes = options.maxHttpBufferSize + 1;
    m_parser.setLimits(limits);

    socket->setParent(this);
    socket->setReadBufferSize(qMax<qint64>(ReadChunk, options.maxHeaderBytes + 1024));
    connect(socket, &QTcpSocket::readyRead, this, &QEngineIoHttpConnection::readRequests);
    connect(socket, &QTcpSocket::disconnected, this, &QEngineIoHttpConnection::connectionLost);
    m_timer.start(options.keepAliveTimeout, this);
    if (socket->bytesAvailable() > 0)
        readRequests();
}

QEngineIoHttpConnection::~QEngineIoHttpConnection() = default;

void QEngineIoHttpConnection::readRequests()
{
    m_readScheduled = false;
    parseRequests();
    // What was parsed left the socket's buffer (or stays until the response): let it read again.
    if (m_socket)
        QEngineIo::resumeReading(m_socket);
}

void QEngineIoHttpConnection::parseRequests()
{
    while (m_server && m_socket && !m_awaitingResponse && m_socket->state() == QAbstractSocket::ConnectedState) {
        const qint64 available = m_socket->bytesAvailable();
        if (available <= m_fed)
            return;
        const QEngineIo::Options &options = m_server->options();
        if (!m_inRequest) {
            m_inRequest = true;
            m_timer.start(options.headersTimeout, this);
        }
        // The head stays in the socket until it is complete (an upgrade hands the socket over unread);
        // body bytes are skipped as soon as the parser has them.
        const QByteArray window = m_socket->peek(qMin(available, m_fed + ReadChunk));
        const QByteArrayView fresh = QByteArrayView(window).sliced(m_fed);
        const bool headWasDone = m_parser.headersComplete();
        const QHttpRequestParser::Result result = m_parser.feed(fresh);

        switch (result.status) {
        case QHttpRequestParser::Status::NeedMore:
            if (m_parser.headersComplete()) {
                m_socket->skip(m_fed + fresh.size());
                m_fed = 0;
                if (!headWasDone)
                    m_timer.start(options.requestTimeout, this);
            } else {
                m_fed += fresh.size();
            }
            break;
        case QHttpRequestParser::Status::HeadersComplete: {
            // An upgrade: leave the head in the socket for QWebSocketServer.
            m_timer.stop();
            m_fed = 0;
            m_inRequest = false;
            m_awaitingResponse = true;
            m_closeAfterResponse = true;   // whatever happens next, this connection is not read again
            QHttpRequest request = m_parser.takeRequest();
            m_parser.reset();
            acceptEncoding = request.headers.value("accept-encoding");
            m_server->handleRequest(this, std::move(request));
            return;
        }
        case QHttpRequestParser::Status::MessageComplete: {
            m_socket->skip(m_fed + result.consumed);
            m_fed = 0;
            m_timer.stop();
            m_inRequest = false;
            m_awaitingResponse = true;
            QHttpRequest request = m_parser.takeRequest();
            m_parser.reset();
            if (!request.keepAlive)
                m_closeAfterResponse = true;
            acceptEncoding = request.headers.value("accept-encoding");
            m_server->handleRequest(this, std::move(request));
            return;
        }
        case QHttpRequestParser::Status::Error:
            qCDebug(lcHttp) << "malformed request from" << m_socket->peerAddress() << m_parser.errorReason();
            fail(400, QByteArrayLiteral("Bad Request: ") + m_parser.errorReason());
            return;
        case QHttpRequestParser::Status::HeadersTooLarge:
            fail(431, QByteArrayLiteral("Request header fields too large"));
            return;
        case QHttpRequestParser::Status::BodyTooLarge:
            if (m_parser.headersComplete()) {
                // The server answers, so that a polling session whose POST is too big is closed too.
                m_timer.stop();
                m_awaitingResponse = true;
                m_closeAfterResponse = true;
                QHttpRequest request = m_parser.takeRequest();
                m_parser.reset();
                m_server->rejectTooLarge(this, std::move(request));
                return;
            }
            fail(413, QByteArrayLiteral("Payload too large"));
            return;
        }
    }
}

void QEngineIoHttpConnection::fail(int status, const QByteArray &message)
{
    m_awaitingResponse = true;
    QHttpHeaderList headers;
    headers.append(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain; charset=UTF-8"));
    respond(status, headers, message, true);
}

void QEngineIoHttpConnection::respond(int status, const QHttpHeaderList &headers, const QByteArray &body,
                                      bool closeAfter)
{
    if (!m_socket || !m_awaitingResponse)
        return;
    if (closeAfter)
        m_closeAfterResponse = true;
    QByteArray out;
    out.reserve(160 + headers.size() * 48 + body.size());
    out += QByteArrayLiteral("HTTP/1.1 ") + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &header : headers.list())
        out += header.first + QByteArrayLiteral(": ") + header.second + QByteArrayLiteral("\r\n");
    if (status != 204 && status != 304)
        out += QByteArrayLiteral("Content-Length: ") + QByteArray::number(body.size()) + QByteArrayLiteral("\r\n");
    out += m_closeAfterResponse ? QByteArrayLiteral("Connection: close\r\n\r\n")
                                : QByteArrayLiteral("Connection: keep-alive\r\n\r\n");
    out += body;
    const qint64 unsentBefore = QEngineIo::unsentBytes(m_socket);
    const qint64 unsent = QEngineIo::writeToSocket(m_socket, out);
    m_awaitingResponse = false;
    pollingSession = nullptr;
    // A peer that sends requests and does not read the answers (pipelining): its unread responses are bounded
    // like a session's queue.
    const qint64 limit = m_server ? m_server->options().maxBufferedBytes : 0;
    if (limit > 0 && unsentBefore > 0 && unsent > limit) {
        if (m_server)
            m_server->connectionCounters().slowConsumerCloses.add();
        qCWarning(lcHttp) << "connection from" << m_socket->peerAddress() << "does not read its responses:"
                          << unsent << "bytes unsent, more than" << limit << "; closing";
        m_timer.stop();
        m_socket->abort();
        if (m_socket)
            connectionLost();
        return;
    }
    if (m_closeAfterResponse || !m_server) {
        closeConnection();
        return;
    }
    m_timer.start(m_server->options().keepAliveTimeout, this);
    // The next pipelined request, if any, is read on the next event-loop pass, not inside the caller.
    if (!m_readScheduled && m_socket->bytesAvailable() > 0) {
        m_readScheduled = true;
        QMetaObject::invokeMethod(this, &QEngineIoHttpConnection::readRequests, Qt::QueuedConnection);
    }
}

void QEngineIoHttpConnection::answerAdoptedRequest(QHttpRequest &&request)
{
    if (!m_server || !m_socket)
        return;
    m_timer.stop();
    m_awaitingResponse = true;
    m_closeAfterResponse = true;
    acceptEncoding = request.headers.value("accept-encoding");
    m_server->handleRequest(this, std::move(request));
}

QTcpSocket *QEngineIoHttpConnection::takeSocket()
{
    QTcpSocket *socket = m_socket;
    if (!socket)
        return nullptr;
    m_timer.stop();
    socket->disconnect(this);
    socket->setParent(nullptr);
    m_socket = nullptr;
    m_awaitingResponse = false;
    if (m_server)
        m_server->connectionClosed(this);
    deleteLater();
    return socket;
}

void QEngineIoHttpConnection::closeConnection()
{
    m_timer.stop();
    if (!m_socket)
        return;
    // Writes what is buffered, then closes; disconnected() then runs connectionLost().
    m_socket->disconnectFromHost();
    if (m_socket && m_socket->state() == QAbstractSocket::UnconnectedState)
        connectionLost();
}

void QEngineIoHttpConnection::connectionLost()
{
    if (!m_socket)
        return;
    m_timer.stop();
    m_socket->disconnect(this);
    m_socket = nullptr;   // still our child; deleted with us
    if (m_server)
        m_server->connectionClosed(this);
    deleteLater();
}

void QEngineIoHttpConnection::detachFromServer()
{
    // The server is being destroyed, possibly from a slot of our socket's own signal: we and the socket must
    // outlive the current emission, so we leave the server's children and go on the next event loop pass.
    m_server = nullptr;
    pollingSession = nullptr;
    m_timer.stop();
    if (m_socket)
        m_socket->disconnect(this);
    setParent(nullptr);
    deleteLater();
}

void QEngineIoHttpConnection::detachForMove()
{
    m_server = nullptr;
    pollingSession = nullptr;
    m_timer.stop();
    setParent(nullptr);
}

void QEngineIoHttpConnection::attachToServer(QEngineIoServerPrivate *server)
{
    m_server = server;
    setParent(server);
}

void QEngineIoHttpConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer.timerId())
        return QObject::timerEvent(event);
    m_timer.stop();
    if (!m_socket)
        return;
    if (m_inRequest && !m_awaitingResponse) {
        qCDebug(lcHttp) << "request from" << m_socket->peerAddress() << "too slow; closing";
        fail(408, QByteArrayLiteral("Request timeout"));
    } else if (!m_awaitingResponse) {
        closeConnection();   // idle keep-alive connection
    }
}
