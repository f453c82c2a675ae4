// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QENGINEIOOUTPUT_P_H
#define QENGINEIOOUTPUT_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtCore/qbytearray.h>
#include <QtCore/qobject.h>
#include <QtCore/qpointer.h>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

// Outgoing bytes. Every byte the engine queues for a peer reaches its socket through writeToSocket(): HTTP
// responses (polling payloads, noop and close packets, errors) from QEngineIoHttpConnection::respond(), and
// WebSocket frames (messages, pings, pongs, the probe answer, the close packet) from
// QEngineIoSession::writeFrame(). Packets a session has not handed to a transport yet are counted by
// QEngineIoSession::queuePacket(), the one way a session queues a packet, which checks the slow-consumer bound
// (Options::maxBufferedBytes) against what is queued plus what its sockets still hold (unsentBytes()).
namespace QEngineIo {

// Bytes handed to socket that the kernel has not taken yet; for TLS, plaintext waiting to be encrypted and
// ciphertext waiting to be sent.
qint64 unsentBytes(const QTcpSocket *socket);
// Appends bytes to socket's write buffer; returns unsentBytes() after it.
qint64 writeToSocket(QTcpSocket *socket, const QByteArray &bytes);

} // namespace QEngineIo

// Watches the raw stream under a server-side QWebSocket, frame header by frame header, before QWebSocket reads
// it: RFC 6455 section 5.1 requires every client frame to be masked, and QWebSocket (Qt 6.4) does not check.
// It reads nothing. Its first readyRead() slot, connected before QWebSocketServer and QWebSocket connect theirs,
// peeks at the socket's buffer before QWebSocket reads in its own slot; its last slot notes what QWebSocket
// left unread. From the two it keeps the stream offset of the next frame header, and reads each header once (a
// peek per readyRead() that brings a header; payloads are skipped by their length). Should the bookkeeping
// ever disagree with the buffer, it stops checking (and says so in the debug log) rather than guess.
class QEngineIoFrameGuard : public QObject
{
    Q_OBJECT
public:
    // Made on the TCP (or TLS) socket, as its child, before the socket is handed to QWebSocketServer.
    explicit QEngineIoFrameGuard(QTcpSocket *socket);

    // Call when QWebSocketServer has read the handshake (newConnection()): checks what is buffered already,
    // then what arrives. Later calls do nothing.
    void start();

Q_SIGNALS:
    // A client frame without a mask: close the WebSocket with 1002 (protocol error).
    void unmaskedFrame();
    // New bytes arrived and were checked: a good time to look at the outgoing backlog (QWebSocket answers
    // WebSocket pings by itself, straight to the socket).
    void inspected();

private:
    void inspect();
    void consumed();
    void giveUp(const char *why);

    QPointer<QTcpSocket> m_socket;
    qint64 m_end = 0;          // stream offset just past the last byte received
    qint64 m_available = 0;    // the socket's bytesAvailable() when QWebSocket last finished reading
    qint64 m_next = 0;         // stream offset of the next frame header to check
    bool m_started = false;
    bool m_done = false;
    bool m_starting = false;
    bool m_unmaskedPending = false;
};

#endif
