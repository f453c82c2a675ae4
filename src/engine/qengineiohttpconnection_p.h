// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QENGINEIOHTTPCONNECTION_P_H
#define QENGINEIOHTTPCONNECTION_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include "engine/codec/qhttprequestparser_p.h"

#include <QtCore/qbasictimer.h>
#include <QtCore/qobject.h>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

class QEngineIoServerPrivate;
class QEngineIoSession;

// One TCP connection of the HTTP/1.1 front door. It reads requests one at a time (a request is answered
// before the next is read), enforces the head/body limits and timeouts, and writes responses. An upgrade
// request leaves its bytes unread in the socket, so the socket can be handed to QWebSocketServer.
class QEngineIoHttpConnection : public QObject
{
    Q_OBJECT
public:
    QEngineIoHttpConnection(QTcpSocket *socket, QEngineIoServerPrivate *server);
    ~QEngineIoHttpConnection() override;

    QTcpSocket *socket() const { return m_socket; }
    // Called by a server being destroyed: forget it, stop reading, and delete later.
    void detachFromServer();
    // I/O threads: between two requests, the connection leaves its server (and thread) for another one's.
    void detachForMove();
    void attachToServer(QEngineIoServerPrivate *server);
    bool isAwaitingResponse() const { return m_awaitingResponse; }

    // Writes the response to the current request, then reads the next one (or closes, when the request
    // asked for that or closeAfter is set). Content-Length and Connection are added here.
    void respond(int status, const QHttpHeaderList &headers, const QByteArray &body, bool closeAfter = false);
    // Gives up the socket (for a WebSocket hand-off) and deletes this object later. The request head
    // stays unread in the socket.
    QTcpSocket *takeSocket();
    // Answers a request another HTTP server read from this socket; every later answer closes the connection.
    void answerAdoptedRequest(QHttpRequest &&request);

    // The session whose GET this connection holds, if any (set by the session).
    QEngineIoSession *pollingSession = nullptr;
    // Over a connection cap: its first request is answered with 503, then it closes.
    bool overLimit = false;
    // The Accept-Encoding of the request being answered (null when it had none): what a compressed response
    // may use (QHttpCompression::negotiate()).
    QByteArray acceptEncoding;

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void readRequests();
    void parseRequests();
    void fail(int status, const QByteArray &message);
    void closeConnection();
    void connectionLost();

    QEngineIoServerPrivate *m_server;
    QTcpSocket *m_socket;
    QHttpRequestParser m_parser;
    qsizetype m_fed = 0;             // bytes of the socket's buffer already given to the parser
    bool m_inRequest = false;        // the first byte of a request has been read
    bool m_headDone = false;
    bool m_awaitingResponse = false;
    bool m_closeAfterResponse = false;
    bool m_readScheduled = false;
    QBasicTimer m_timer;             // head/request timeout while reading, keep-alive timeout while idle
};

#endif
