// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "engine/qengineiooutput_p.h"
#include "qtsocketiologging_p.h"

#include <QtNetwork/qsslsocket.h>
#include <QtNetwork/qtcpsocket.h>

#include <limits>

namespace QEngineIo {

qint64 unsentBytes(const QTcpSocket *socket)
{
    if (!socket)
        return 0;
    qint64 bytes = socket->bytesToWrite();
#ifndef QT_NO_SSL
    // Called for every frame written: a plain QTcpSocket (the common case) skips the cast's walk up the
    // class chain.
    if (socket->metaObject() != &QTcpSocket::staticMetaObject) {
        if (const auto *ssl = qobject_cast<const QSslSocket *>(socket))
            bytes += ssl->encryptedBytesToWrite();
    }
#endif
    return bytes;
}

qint64 writeToSocket(QTcpSocket *socket, const QByteArray &bytes)
{
    if (!socket)
        return 0;
    socket->write(bytes);
    return unsentBytes(socket);
}

} // namespace QEngineIo

QEngineIoFrameGuard::QEngineIoFrameGuard(QTcpSocket *socket)
    : QObject(socket),
      m_socket(socket)
{
    // First in line: QWebSocketServer and QWebSocket connect to readyRead() after this, and read in their slots.
    connect(socket, &QIODevice::readyRead, this, &QEngineIoFrameGuard::inspect);
}

void QEngineIoFrameGuard::start()
{
    if (m_started || !m_socket)
        return;
    m_started = true;
    // Stream offset 0 is the first byte after the handshake request, which QWebSocketServer has read.
    m_available = m_socket->bytesAvailable();
    m_end = m_available;
    // Last in line (QWebSocket connected its reading slot before): what QWebSocket left unread.
    connect(m_socket, &QIODevice::readyRead, this, &QEngineIoFrameGuard::consumed);
    // Signals go out on the next event-loop pass: the caller is still setting the session up.
    m_starting = true;
    inspect();
    m_starting = false;
    if (m_unmaskedPending)
        QMetaObject::invokeMethod(this, &QEngineIoFrameGuard::unmaskedFrame, Qt::QueuedConnection);
}

void QEngineIoFrameGuard::consumed()
{
    if (m_socket)
        m_available = m_socket->bytesAvailable();
}

void QEngineIoFrameGuard::giveUp(const char *why)
{
    qCDebug(lcEngine) << "frame guard stops checking" << m_socket.data() << ":" << why;
    m_done = true;
}

void QEngineIoFrameGuard::inspect()
{
    if (!m_started || m_done || !m_socket)
        return;
    const qint64 available = m_socket->bytesAvailable();
    if (available < m_available)
        return giveUp("bytes were read outside the tracked calls");
    m_end += available - m_available;
    m_available = available;
    const qint64 start = m_end - available;   // stream offset of the first unread byte
    if (m_next < start)
        return giveUp("a frame header was read before it was checked");
    QByteArray window;
    while (m_next + 2 <= m_end) {
        // Peek no further than the header at hand (at most 14 bytes), not the whole buffer: a large frame's
        // payload is skipped by its length, never copied. The window doubles when later headers lie beyond it.
        const qint64 need = qMin(available, m_next - start + 14);
        if (window.size() < need) {
            const qint64 size = qMin(available, qMax(need, 2 * qint64(window.size())));
            window = m_socket->peek(size);
            if (window.size() != size)
                return giveUp("peek returned less than bytesAvailable()");
        }
        const char *header = window.constData() + (m_next - start);
        const uchar second = uchar(header[1]);
        if (!(second & 0x80)) {
            m_done = true;
            if (m_starting)
                m_unmaskedPending = true;
            else
                Q_EMIT unmaskedFrame();
            return;
        }
        const int shortLength = second & 0x7f;
        const int extended = shortLength == 126 ? 2 : shortLength == 127 ? 8 : 0;
        if (m_next + 2 + extended > m_end)
            break;
        quint64 length = quint64(shortLength);
        if (extended) {
            length = 0;
            for (int i = 0; i < extended; ++i)
                length = (length << 8) | uchar(header[2 + i]);
        }
        if (length > quint64(std::numeric_limits<qint64>::max() / 4))
            return giveUp("frame length out of range (QWebSocket rejects it)");
        m_next += 2 + extended + 4 + qint64(length);
    }
    if (!m_starting)
        Q_EMIT inspected();
}
