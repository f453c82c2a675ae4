// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QENGINEIOSERVER_P_H
#define QENGINEIOSERVER_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include "engine/qengineio_p.h"

#include <QtCore/qbasictimer.h>
#include <QtCore/qelapsedtimer.h>
#include <QtCore/qhash.h>
#include <QtCore/qobject.h>
#include <QtCore/qpointer.h>
#include <QtCore/qset.h>
#include <QtNetwork/qhostaddress.h>

#include <map>

#include <QtNetwork/qtcpsocket.h>

QT_BEGIN_NAMESPACE
class QTcpServer;
class QWebSocketServer;
class QWebSocket;
QT_END_NAMESPACE

class QEngineIoHttpConnection;
class QEngineIoSession;
class QEngineIoIoThreads;

// The Engine.IO v4 server: one listening QTcpServer serving HTTP long-polling and WebSocket (through a
// non-listening QWebSocketServer that gets upgrade requests handed over) on one port.
class QEngineIoServerPrivate : public QObject
{
    Q_OBJECT
public:
    explicit QEngineIoServerPrivate(QObject *parent = nullptr);
    ~QEngineIoServerPrivate() override;

    // Options apply to sessions opened after the change (path and limits at once).
    void setOptions(const QEngineIo::Options &options);
    const QEngineIo::Options &options() const { return m_options; }
    void setHandler(QEngineIo::Handler *handler) { m_handler = handler; }
    QEngineIo::Handler *handler() const { return m_handler; }

    // Requests outside the Engine.IO path go here; return false to let the server answer 404.
    using FallbackHandler = std::function<bool(QEngineIoHttpConnection *connection, const QHttpRequest &request)>;
    void setFallbackHandler(const FallbackHandler &handler);

    // I/O threads (qengineioiothread_p.h): 1, the default, runs everything in this object's thread; n > 1 runs
    // the transports on n threads of their own and keeps sessions here as mirrors. Takes effect at the next
    // listen().
    void setIoThreadCount(int count);
    int ioThreadCount() const { return m_ioThreadCount; }
    // The handler's generateId() gives ids (I/O threads ask the server's thread for each new session's then).
    void setHandlerGeneratesIds(bool generates);
    void setReportPacketsFromOpen(bool report);
    // Ends the I/O threads (after close()); waits for them.
    void stopIoThreads();
    // attach() and bind(): starts the I/O threads now when ioThreadCount() > 1 and they are not running (listen()
    // starts them otherwise); the connections handed over are then served on them.
    void startIoThreads();

    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    // Serves the connections of a QTcpServer the application owns and keeps listening.
    bool bind(QTcpServer *server);
    // Takes over a TCP connection whose first request another HTTP server (QHttpServer) has already read and
    // parsed: that request is answered, then the connection is closed after each answer.
    void adoptHttpConnection(QTcpSocket *socket, QHttpRequest &&request);
    // Takes over a WebSocket whose handshake another server completed. Returns false, leaving the socket
    // alone, when its path is not the Engine.IO path; otherwise it joins or opens a session, or is closed
    // with 1008 and the reason (the 101 is already sent: there is no 400 to answer).
    bool adoptWebSocket(QWebSocket *ws);
    bool isListening() const;
    quint16 serverPort() const;
    QHostAddress serverAddress() const;
    QString errorString() const { return m_errorString; }
    // Closes every session with "server shutting down" and stops listening.
    void close();

    qsizetype sessionCount() const { return m_sessions.size(); }
    // The traffic counters of every session this server had, closed ones included (see QEngineIo::Counters).
    QEngineIo::CounterValues counterTotals() const;
    // Slow consumers closed outside a session (an HTTP client that does not read its responses).
    QEngineIo::Counters &connectionCounters() { return m_sharedCounters ? *m_sharedCounters : m_connectionCounters; }
    QEngineIoSession *session(const QByteArray &sid) const { return m_sessions.value(sid); }
    QList<QEngineIoSession *> sessions() const;

    // For the HTTP connections.
    void handleRequest(QEngineIoHttpConnection *connection, QHttpRequest &&request);
    // A request whose body is over the limit (its head is complete, its body is not kept): 413, and a
    // polling session it was posted to ends.
    void rejectTooLarge(QEngineIoHttpConnection *connection, QHttpRequest &&request);
    void connectionClosed(QEngineIoHttpConnection *connection);
    // Adds the CORS and editResponseHeaders headers every Engine.IO response carries.
    void decorateResponse(QHttpHeaderList &headers, const QEngineIo::RequestInfo &request) const;
    // Tells the handler (connectionError) about a refused request, with Node's context.
    void notifyConnectionError(const QEngineIo::RequestInfo &request, QEngineIo::ErrorCode code, const QByteArray &message);
    void respondError(QEngineIoHttpConnection *connection, const QEngineIo::RequestInfo &request,
                      QEngineIo::ErrorCode code, int status = 400, const QByteArray &message = {});

Q_SIGNALS:
    void sessionCountChanged();

private:
    friend class QEngineIoSession;
    friend class QEngineIoIoThreads;
    friend class QEngineIoIoWorker;
    struct PendingWebSocket {
        QEngineIo::RequestInfo request;
        QPointer<QTcpSocket> tcpSocket;   // handed to QWebSocketServer, which does not take ownership
        quint64 serial = 0;
    };

    void acceptConnections();
    void acceptFrom(QTcpServer *server);
    void acceptBound(QTcpServer *server);
    QEngineIoHttpConnection *newHttpConnection(QTcpSocket *socket);
    void webSocketAccepted(QWebSocket *ws, QEngineIo::RequestInfo &&request);
    void createWebSocketServer(bool secure);
    void acceptWebSocket();
    QEngineIo::RequestInfo requestInfo(QEngineIoHttpConnection *connection, QHttpRequest &&http) const;
    bool isEnginePath(const QByteArray &path) const;
    void respondTooLarge(QEngineIoHttpConnection *connection, const QEngineIo::RequestInfo &request,
                         QEngineIoSession *session);
    void handshake(QEngineIoHttpConnection *connection, QEngineIo::RequestInfo &&request);
    // After allowRequest: opens the polling session, or hands the WebSocket over (with I/O threads, once the
    // server's thread chose the id when its handler generates them).
    void openSession(QEngineIoHttpConnection *connection, QEngineIo::RequestInfo &&request);
    void openPollingSession(QEngineIoHttpConnection *connection, QEngineIo::RequestInfo &&request);
    void handOffWebSocket(QEngineIoHttpConnection *connection, QEngineIo::RequestInfo &&request);
    void answerPreflight(QEngineIoHttpConnection *connection, const QEngineIo::RequestInfo &request);
    QByteArray corsAllowedOrigin(const QByteArray &origin) const;
    QByteArray generateSid() const;
    // The handler's id (Node's generateId) when it gives a valid, free one; generateSid() otherwise.
    QByteArray generateSid(const QEngineIo::RequestInfo &request) const;

    // Heartbeat and close deadlines of all sessions, on one timer.
    void scheduleDeadline(QEngineIoSession *session, qint64 at);
    void cancelDeadline(QEngineIoSession *session);
    void armDeadlineTimer();
    void timerEvent(QTimerEvent *event) override;
    qint64 now() const { return m_clock.elapsed(); }

    void sessionFinished(QEngineIoSession *session);

    // The engine of an I/O thread: never listens; takes sockets and moved connections from the threads' front.
    void prepareIoEngine(int index, int count, bool secure);
    QEngineIoHttpConnection *adoptSocket(QTcpSocket *socket, bool overLimit);
    void adoptConnection(QEngineIoHttpConnection *connection);
    void releaseConnection(QEngineIoHttpConnection *connection);

    QEngineIo::Options m_options;
    QEngineIo::Handler *m_handler = nullptr;
    FallbackHandler m_fallback;
    QTcpServer *m_tcpServer = nullptr;
    QList<QPointer<QTcpServer>> m_boundServers;   // bind(): the application's
    QWebSocketServer *m_wsServer = nullptr;
    QString m_errorString;
    QHash<QByteArray, QEngineIoSession *> m_sessions;
    QEngineIo::CounterValues m_closedTotals;     // of the sessions gone
    QEngineIo::Counters m_connectionCounters;
    QSet<QEngineIoHttpConnection *> m_connections;
    QHash<QString, PendingWebSocket> m_pendingWebSockets;   // "address|port" of the TCP peer
    quint64 m_pendingSerial = 0;
    int m_connectionCount = 0;                              // open TCP connections, HTTP and WebSocket
    QHash<QString, int> m_connectionsPerAddress;
    bool m_secure = false;

    QElapsedTimer m_clock;
    std::multimap<qint64, QEngineIoSession *> m_deadlines;
    QBasicTimer m_deadlineTimer;
    qint64 m_deadlineTimerAt = -1;

    int m_ioThreadCount = 1;
    QEngineIoIoThreads *m_io = nullptr;   // the I/O threads, when this engine has them
    int m_ioIndex = 0;                    // on an I/O thread's engine: which one, of m_ioCount
    int m_ioCount = 1;
    // On an I/O thread's engine: takes a request for a session of another I/O thread (owner).
    std::function<void(QEngineIoHttpConnection *, QHttpRequest &&, int owner)> m_router;
    // On an I/O thread's engine: the I/O thread that owns a session whose id the handler chose (not one
    // markSid() made), or -1.
    std::function<int(const QByteArray &sid)> m_customSidOwner;
    // On an I/O thread's engine, while the handler of the server's thread generates ids: asks it for the id of
    // the session a handshake opens (the answer, empty for "make one", comes later), and gives back one that
    // went unused.
    std::function<void(const QEngineIo::RequestInfo &, std::function<void(const QByteArray &)> &&)> m_idRequest;
    std::function<void(const QByteArray &sid)> m_idUnused;
    // On an I/O thread's engine: the traffic counters every session and connection of it counts into (owned by
    // the server's thread's QEngineIoIoThreads, read there at a scrape).
    QEngineIo::Counters *m_sharedCounters = nullptr;
    // Whether the handler generates ids (QEngineIoServer::setGenerateId()): I/O threads ask for them then.
    bool m_handlerGeneratesIds = false;
    // Whether an observer may be set on a session while the handler hears it open (QEngineIoServer::connection()
    // hands out sockets): I/O threads report every session's packets from its start then, until the server's
    // thread says nobody listens.
    bool m_reportPacketsFromOpen = false;
};

#endif
