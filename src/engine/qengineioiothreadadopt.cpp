// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// I/O threads for the connections of attach() and bind(): the application's QHttpServer or QTcpServer accepted
// them in the server's thread; they are served on the I/O threads like those of listen().

#include "engine/qengineioiothread_p.h"
#include "engine/qengineiohttpconnection_p.h"
#include "engine/qengineioserver_p.h"
#include "qtsocketiologging_p.h"

#include <QtCore/qthread.h>
#include <QtNetwork/qsslsocket.h>
#include <QtNetwork/qtcpsocket.h>
#include <QtWebSockets/qwebsocket.h>

#include <fcntl.h>
#include <unistd.h>

using namespace QEngineIo;

// --- the server's thread ---------------------------------------------------------------------------------

bool QEngineIoIoThreads::admit(const QString &address)
{
    const Options &options = m_engine->options();
    int &perAddress = m_engine->m_connectionsPerAddress[address];
    if ((options.maxConnections > 0 && m_engine->m_connectionCount >= options.maxConnections)
        || (options.maxConnectionsPerAddress > 0 && perAddress >= options.maxConnectionsPerAddress)) {
        qCWarning(lcEngine) << "refusing a connection from" << address << ": connection limit reached ("
                            << m_engine->m_connectionCount << "open," << perAddress << "from that address)";
        if (perAddress == 0)
            m_engine->m_connectionsPerAddress.remove(address);
        return true;
    }
    ++m_engine->m_connectionCount;
    ++perAddress;
    return false;
}

int QEngineIoIoThreads::pick(const QByteArray &sid)
{
    // A generateId() hook's ids name no thread: the table of them first (no lock while it is empty).
    int owner = sid.isEmpty() ? -1 : customSidOwner(sid);
    if (owner < 0)
        owner = sidOwner(sid, count());
    if (owner >= 0)
        return owner;
    const int index = m_next;
    m_next = (m_next + 1) % count();
    return index;
}

bool QEngineIoIoThreads::takeSocket(QTcpSocket *socket, QHttpRequest *request)
{
    // TLS stays in the server's thread: its state is in the socket object (a descriptor does not carry it), and
    // moving a QSslSocket that a QSslServer made here to an I/O thread crashed at shutdown in our tests (a
    // connection there was left with a deleted socket; not understood yet).
    if (qobject_cast<QSslSocket *>(socket))
        return false;
    if (socket->thread() != QThread::currentThread()) {
        qCWarning(lcEngine) << "cannot take a connection of another thread's server; closing it";
        socket->abort();
        socket->deleteLater();
        return true;
    }
    m_adopting = true;
    const QString address = socket->peerAddress().toString();
    const bool overLimit = admit(address);
    const bool counted = !overLimit;
    const int index = pick(request ? request->queryItem("sid") : QByteArray());
    QEngineIoIoWorker *worker = m_workers[size_t(index)];
    std::shared_ptr<QHttpRequest> shared;
    if (request)
        shared = std::make_shared<QHttpRequest>(std::move(*request));

    // A plain connection with nothing buffered goes as a descriptor, as from our own acceptor: abort() closes
    // Qt's descriptor only (no shutdown(), no reset), and the duplicate keeps the connection open.
    int descriptor = -1;
    if (socket->bytesAvailable() == 0 && socket->bytesToWrite() == 0)
        descriptor = ::fcntl(int(socket->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
    if (descriptor >= 0) {
        socket->abort();
        socket->deleteLater();
        worker->mailbox().post([worker, descriptor, overLimit, address, counted, shared] {
            worker->adoptTaken(descriptor, nullptr, overLimit, address, counted, shared);
        });
        return true;
    }
    // Bytes Qt has read or not yet written: the socket itself moves, as a connection moves between I/O threads.
    // Its server's connections to it go first (they would run in this thread for a socket of another).
    if (QObject *server = socket->parent())
        socket->disconnect(server);
    socket->setParent(nullptr);
    socket->moveToThread(m_threads[size_t(index)]);
    worker->mailbox().post([worker, socket, overLimit, address, counted, shared] {
        worker->adoptTaken(-1, socket, overLimit, address, counted, shared);
    });
    return true;
}

bool QEngineIoIoThreads::takeWebSocket(QWebSocket *ws, const QByteArray &sid)
{
    // The TCP socket under it: the engine writes frames to it directly, and it must move with the WebSocket.
    QTcpSocket *tcp = ws->findChild<QTcpSocket *>(QString(), Qt::FindDirectChildrenOnly);
    if (qobject_cast<QSslSocket *>(tcp))
        return false;   // TLS stays in the server's thread (see takeSocket())
    if (!tcp || ws->thread() != QThread::currentThread()) {
        qCWarning(lcEngine) << "attach(): cannot hand a WebSocket from" << ws->peerAddress()
                            << "to an I/O thread (its TCP socket is not known); closing it";
        ws->abort();
        ws->deleteLater();
        return true;
    }
    m_adopting = true;
    const int index = pick(sid);
    QEngineIoIoWorker *worker = m_workers[size_t(index)];
    // QHttpServer's QWebSocketServer deletes the TCP socket when it disconnects: that would run here, for a
    // socket of another thread. The WebSocket itself follows the socket through stateChanged, not disconnected.
    QObject::disconnect(tcp, &QAbstractSocket::disconnected, nullptr, nullptr);
    // Until the I/O thread has connected the session to the WebSocket, the socket signals nothing: a frame read
    // meanwhile would reach a QWebSocket nobody listens to and be lost. The I/O thread catches up.
    tcp->blockSignals(true);
    ws->setParent(nullptr);
    ws->moveToThread(m_threads[size_t(index)]);
    worker->mailbox().post([worker, ws] { worker->adoptTakenWebSocket(ws); });
    return true;
}

// --- an I/O thread ---------------------------------------------------------------------------------------

void QEngineIoIoWorker::adoptTaken(qintptr descriptor, QTcpSocket *moved, bool overLimit, const QString &address,
                                   bool counted, const std::shared_ptr<QHttpRequest> &request)
{
    const auto gone = goneNotice(address, counted);
    QTcpSocket *socket = moved;
    if (!socket) {
        socket = new QTcpSocket;
        if (!socket->setSocketDescriptor(descriptor)) {
            qCDebug(lcEngine) << "cannot take a connection from" << address << ":" << socket->errorString();
            if (socket->socketDescriptor() != descriptor)
                ::close(int(descriptor));
            delete socket;
            gone();
            return;
        }
    }
    if (m_closing || !m_engine || socket->state() != QAbstractSocket::ConnectedState) {
        delete socket;
        gone();
        return;
    }
    new QEngineIoGoneNotifier(socket, gone);
    QEngineIoHttpConnection *connection = m_engine->adoptSocket(socket, overLimit);
    if (request)
        connection->answerAdoptedRequest(std::move(*request));
}

void QEngineIoIoWorker::adoptTakenWebSocket(QWebSocket *ws)
{
    QPointer<QTcpSocket> tcp = ws->findChild<QTcpSocket *>(QString(), Qt::FindDirectChildrenOnly);
    if (tcp)
        tcp->blockSignals(false);
    if (m_closing || !m_engine || !tcp || tcp->state() != QAbstractSocket::ConnectedState) {
        ws->abort();
        ws->deleteLater();
        return;
    }
    if (!m_engine->adoptWebSocket(ws)) {
        ws->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("Not Found"));
        ws->deleteLater();
        return;
    }
    // Frames that arrived while it moved: QWebSocket reads them when told (a queued call, after this one).
    if (tcp && tcp->bytesAvailable() > 0)
        Q_EMIT tcp->readyRead();
}
