// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "engine/qengineiosession_p.h"
#include "engine/codec/qhttpcompression_p.h"
#include "engine/qengineiohttpconnection_p.h"
#include "engine/qengineioserver_p.h"
#include "engine/qengineiooutput_p.h"
#include "engine/qengineioiothread_p.h"
#include "engine/codec/qengineiopayloadv3_p.h"
#include "qtsocketiologging_p.h"
#include "qtsocketiomemory_p.h"

#include <algorithm>

#include <QtCore/qtimer.h>
#include <QtNetwork/qtcpsocket.h>
#include <QtWebSockets/qwebsocket.h>

#include <utility>

using namespace QEngineIo;

QEngineIoSession::QEngineIoSession(QEngineIoServerPrivate *server, const QByteArray &sid, const RequestInfo &handshake,
                                   Transport transport)
    : QObject(server),
      m_server(server),
      m_sid(sid),
      m_handshake(handshake),
      m_openedAt(QDateTime::currentDateTimeUtc()),
      m_transport(transport),
      m_counters(server->m_sharedCounters ? *server->m_sharedCounters : m_ownCounters)
{
    m_handshake.http.body.clear();
}

QEngineIoSession::~QEngineIoSession()
{
    if (m_inboundPost && m_inboundPost->isAwaitingResponse())
        m_inboundPost->respond(200, m_inboundHeaders, QByteArrayLiteral("ok"));
    if (m_ws)
        releaseWebSocket(m_ws);
    if (m_probe)
        releaseWebSocket(m_probe);
}

void QEngineIoSession::sendOpenPacket(QEngineIoHttpConnection *connection)
{
    const Options &options = m_server->options();
    QByteArray open = QByteArrayLiteral("{\"sid\":\"") + m_sid + QByteArrayLiteral("\",\"upgrades\":");
    open += (m_transport == Transport::Polling && options.allowUpgrades && options.allowWebSocket)
            ? QByteArrayLiteral("[\"websocket\"]") : QByteArrayLiteral("[]");
    open += QByteArrayLiteral(",\"pingInterval\":") + QByteArray::number(options.pingInterval)
            + QByteArrayLiteral(",\"pingTimeout\":") + QByteArray::number(options.pingTimeout);
    if (protocol() >= 4)   // v3 clients know no maxPayload
        open += QByteArrayLiteral(",\"maxPayload\":") + QByteArray::number(options.maxHttpBufferSize);
    open += '}';
    const Packet packet = Packet::control(PacketType::Open, open);
    if (connection) {
        // The polling handshake is answered right away.
        QHttpHeaderList headers;
        headers.append(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain; charset=UTF-8"));
        m_server->decorateResponse(headers, m_handshake);
        if (options.editHandshakeHeaders)
            options.editHandshakeHeaders(headers, m_handshake);
        m_counters.packetsOut.add();
        m_counters.bytesOut.add(quint64(packet.data.size()) + 1);
        connection->respond(200, headers, protocol() == 3 ? V3::encodePayload({packet}, false)
                                                          : encodeTextPacket(packet));
    } else {
        queuePacket(packet);
    }
    if (protocol() == 3)
        setDeadline(Deadline::ClientPingTimeout, options.pingInterval + options.pingTimeout);
    else
        setDeadline(Deadline::SendPing, options.pingInterval);
}

// A WebSocket whose socket holds more than this is not writable "now": volatile messages skip it.
static constexpr qint64 VolatileBacklog = 64 * 1024;

bool QEngineIoSession::isWritable() const
{
    if (m_state != State::Open)
        return false;
    if (m_io)
        return true;   // a mirror: its I/O thread applies the volatile rule
    if (m_transport == Transport::WebSocket)
        return m_ws && unsentBytes(m_wsDevice) < VolatileBacklog;
    return !m_poll.isNull();
}

void QEngineIoSession::requestPacketReports()
{
    if (!m_io || m_packetReports || m_state != State::Open)
        return;
    m_packetReports = true;
    QEngineIo::IoCommand command;
    command.kind = QEngineIo::IoCommand::ReportPackets;
    command.sid = m_sid;
    m_io->enqueue(m_ioIndex, std::move(command));
}

void QEngineIoSession::send(const QByteArray &data, bool binary, bool isVolatile, bool compress)
{
    if (m_state != State::Open)
        return;
    if (m_io) {
        QEngineIo::IoCommand command;
        command.sid = m_sid;
        command.data = data;
        command.binary = binary;
        command.isVolatile = isVolatile;
        command.compress = compress;
        m_io->enqueue(m_ioIndex, std::move(command));
        return;
    }
    queuePacket(Packet::message(data, binary, compress), isVolatile);
}

bool QEngineIoSession::queuePacket(const Packet &packet, bool isVolatile)
{
    // Once closing, only the close packet itself is still queued.
    if (m_state == State::Closed || (m_state == State::Closing && packet.type != PacketType::Close))
        return false;
    if (isVolatile && !isWritable()) {
        m_counters.volatileDropped.add();
        return false;
    }
    if (Q_UNLIKELY(m_observer)) {
        QPointer<QEngineIoSession> guard(this);
        m_observer->packetCreated(int(packet.type), packet.data);
        if (!guard || m_state == State::Closed)
            return false;
    }
    m_counters.packetsOut.add();
    m_counters.bytesOut.add(quint64(packet.data.size()) + (packet.binary ? 0 : 1));
    if (m_transport == Transport::WebSocket && m_queue.isEmpty() && m_ws && m_wsDevice
        && m_ws->state() == QAbstractSocket::ConnectedState) {
        // The common case (a broadcast reaches it once per socket): straight to the socket, as flush() would,
        // without the trip through m_queue.
        writeFrame(m_ws, packet);
        if (Q_UNLIKELY(m_observer)) {
            QPointer<QEngineIoSession> guard(this);   // a slot may close the session, or delete the server
            m_observer->flushed(1);
            if (!guard)
                return false;
        }
        return checkBacklog();
    }
    m_queue.append(packet);
    m_queuedBytes += packet.data.size() + 1;
    if (m_transport == Transport::WebSocket)
        flush();
    else
        scheduleFlush();
    return checkBacklog();
}

qint64 QEngineIoSession::backlog() const
{
    qint64 bytes = m_queuedBytes + unsentBytes(m_wsDevice);
    if (m_probe)
        bytes += unsentBytes(m_probe->findChild<QTcpSocket *>(QString(), Qt::FindDirectChildrenOnly));
    for (const QPointer<QTcpSocket> &socket : m_pollSockets)
        bytes += unsentBytes(socket);
    return bytes;
}

bool QEngineIoSession::checkBacklog()
{
    // Poll connections that have delivered everything no longer count.
    if (!m_pollSockets.isEmpty())
        m_pollSockets.removeIf([](const QPointer<QTcpSocket> &socket) { return unsentBytes(socket) == 0; });
    const qint64 limit = m_server->options().maxBufferedBytes;
    if (limit <= 0 || m_state != State::Open)
        return m_state == State::Open;
    const qint64 bytes = backlog();
    if (bytes <= limit)
        return true;
    m_counters.slowConsumerCloses.add();
    qCWarning(lcEngine) << "session" << m_sid << "from" << m_handshake.peerAddress << "is a slow consumer:"
                        << bytes << "bytes queued, more than" << limit << "; closing";
    QList<QPointer<QTcpSocket>> sockets = std::exchange(m_pollSockets, {});
    // The WebSocket (and a probe's) too: a close frame queued behind what the peer does not read would never
    // reach it, and the socket would keep its whole write buffer until the peer went away.
    sockets.append(m_wsDevice);
    if (m_probe)
        sockets.append(m_probe->findChild<QTcpSocket *>(QString(), Qt::FindDirectChildrenOnly));
    closeWithReason(CloseReason::TransportError,
                    QStringLiteral("slow consumer: %1 bytes queued").arg(bytes));
    // What its connections hold goes with them: the peer does not read it. (This session may be gone.)
    for (const QPointer<QTcpSocket> &socket : std::as_const(sockets)) {
        if (socket)
            socket->abort();
    }
    QtSocketIoPrivate::scheduleMemoryTrim();   // up to maxBufferedBytes of write buffers were just freed
    return false;
}

void QEngineIoSession::scheduleFlush()
{
    if (m_flushScheduled || !m_poll)
        return;
    m_flushScheduled = true;
    QMetaObject::invokeMethod(this, [this] {
        m_flushScheduled = false;
        flush();
    }, Qt::QueuedConnection);
}

void QEngineIoSession::flush()
{
    if (m_queue.isEmpty())
        return;
    if (m_transport == Transport::WebSocket) {
        if (!m_ws || !m_wsDevice || m_ws->state() != QAbstractSocket::ConnectedState)
            return;   // a closing WebSocket takes no more frames; the session closes with it
        const QList<Packet> packets = std::exchange(m_queue, {});
        m_queuedBytes = 0;
        for (const Packet &packet : packets)
            writeFrame(m_ws, packet);
        qCDebug(lcEngineVerbose) << m_sid << "wrote" << packets.size() << "packets over websocket";
        if (Q_UNLIKELY(m_observer))
            m_observer->flushed(int(packets.size()));
        return;
    }
    if (!m_poll)
        return;
    bool octetStream = false;
    const QByteArray payload = protocol() == 3
            ? V3::encodePayload(m_queue, m_handshake.http.queryItem("b64").isEmpty(), &octetStream)
            : encodePayload(m_queue);
    // engine.io's polling transport: the response is compressed only if one of its packets asked for it.
    const bool compress = std::any_of(m_queue.cbegin(), m_queue.cend(), [](const Packet &p) { return p.compress; });
    const int count = int(m_queue.size());
    m_queue.clear();
    m_queuedBytes = 0;
    respondToPoll(payload, octetStream, compress);
    if (Q_UNLIKELY(m_observer))
        m_observer->flushed(count);
}

void QEngineIoSession::respondToPollWith(PacketType type)
{
    const Packet packet = Packet::control(type);
    m_counters.packetsOut.add();   // not through queuePacket()
    m_counters.bytesOut.add(1);
    respondToPoll(protocol() == 3 ? V3::encodePayload({packet}, false) : encodeTextPacket(packet));
}

void QEngineIoSession::respondToPoll(const QByteArray &payload, bool octetStream, bool compress)
{
    QEngineIoHttpConnection *connection = m_poll;
    m_poll = nullptr;
    if (!connection)
        return;
    connection->pollingSession = nullptr;
    if (QTcpSocket *socket = connection->socket(); socket && !m_pollSockets.contains(socket))
        m_pollSockets.append(socket);
    QHttpHeaderList headers;
    headers.append(QByteArrayLiteral("Content-Type"), octetStream ? QByteArrayLiteral("application/octet-stream")
                                                                  : QByteArrayLiteral("text/plain; charset=UTF-8"));
    m_server->decorateResponse(headers, m_handshake);
    qCDebug(lcEngineVerbose) << m_sid << "poll response" << payload.left(200);
    const int threshold = m_server->options().httpCompressionThreshold;
    if (compress && threshold >= 0 && payload.size() >= threshold) {
        const QHttpCompression::Coding coding = QHttpCompression::negotiate(connection->acceptEncoding);
        if (coding != QHttpCompression::Coding::Identity) {
            const QByteArray compressed = QHttpCompression::compress(payload, coding);
            if (!compressed.isNull()) {
                headers.set(QByteArrayLiteral("Content-Encoding"), QHttpCompression::token(coding));
                connection->respond(200, headers, compressed);
                return;
            }
        }
    }
    connection->respond(200, headers, payload);
}

void QEngineIoSession::handlePollRequest(QEngineIoHttpConnection *connection)
{
    if (m_poll) {
        // Two GETs at once: Node calls it an overlap and drops the session.
        QHttpHeaderList headers;
        m_server->decorateResponse(headers, m_handshake);
        connection->respond(400, headers, {}, true);
        closeWithReason(CloseReason::TransportError, QStringLiteral("overlap from client"));
        return;
    }
    m_poll = connection;
    connection->pollingSession = this;
    if (m_state == State::Closing) {
        // Deliver what was left; the close packet goes alone, in the poll after that.
        if (!m_queue.isEmpty()) {
            flush();
            return;
        }
        respondToPollWith(PacketType::Close);
        finalize();
        return;
    }
    if (!m_queue.isEmpty())
        flush();
    else if (m_probed)
        respondToPollWith(PacketType::Noop);   // the client is upgrading
}

void QEngineIoSession::handleDataRequest(QEngineIoHttpConnection *connection, const QByteArray &body,
                                         const QHttpHeaderList &okHeaders, bool octetStream)
{
    if (m_state != State::Open || m_inboundPost) {
        connection->respond(200, okHeaders, QByteArrayLiteral("ok"));
        return;
    }
    QList<Packet> packets;
    if (protocol() == 3) {
        QString why;
        if (!V3::decodePayload(body, octetStream, &packets, &why)) {
            qCDebug(lcEngine) << m_sid << "malformed v3 polling payload:" << why;
            connection->respond(200, okHeaders, QByteArrayLiteral("ok"));
            closeWithReason(CloseReason::ParseError, QStringLiteral("malformed polling payload: ") + why);
            return;
        }
    } else if (!decodePayload(body, &packets)) {
        connection->respond(200, okHeaders, QByteArrayLiteral("ok"));
        closeWithReason(CloseReason::ParseError, QStringLiteral("malformed polling payload"));
        return;
    }
    m_inbound = std::move(packets);
    m_inboundNext = 0;
    m_inboundPost = connection;
    m_inboundHeaders = okHeaders;
    handleInbound();
}

// Hands on up to inboundPacketsPerTurn packets of the POST being read, then the rest on later turns; the POST
// is answered after its last packet, so that a polling client (one POST at a time) cannot send faster than
// the server handles.
void QEngineIoSession::handleInbound()
{
    QPointer<QEngineIoSession> guard(this);
    const int budget = qMax(1, m_server->options().inboundPacketsPerTurn);
    for (int handled = 0; m_inboundNext < m_inbound.size() && m_state == State::Open; ++handled) {
        if (handled == budget) {
            QMetaObject::invokeMethod(this, &QEngineIoSession::handleInbound, Qt::QueuedConnection);
            return;
        }
        const Packet packet = m_inbound.at(m_inboundNext++);
        handlePacket(packet);
        if (!guard)
            return;
    }
    m_inbound.clear();
    m_inboundNext = 0;
    if (QEngineIoHttpConnection *post = m_inboundPost) {
        m_inboundPost = nullptr;
        if (post->isAwaitingResponse())
            post->respond(200, m_inboundHeaders, QByteArrayLiteral("ok"));
    }
    m_inboundHeaders = QHttpHeaderList();
}

void QEngineIoSession::pollConnectionLost(QEngineIoHttpConnection *connection)
{
    if (m_poll != connection && m_poll)
        return;
    m_poll = nullptr;
    if (m_state == State::Closing) {
        finalize();
        return;
    }
    if (m_state == State::Open && m_transport == Transport::Polling)
        closeWithReason(CloseReason::TransportError, QStringLiteral("poll connection closed prematurely"));
}

void QEngineIoSession::handlePacket(const Packet &packet)
{
    qCDebug(lcEngineVerbose) << m_sid << "received" << int(packet.type) << packet.data.left(200);
    m_counters.packetsIn.add();
    m_counters.bytesIn.add(quint64(packet.data.size()) + (packet.binary ? 0 : 1));
    if (Q_UNLIKELY(m_observer)) {
        QPointer<QEngineIoSession> guard(this);
        m_observer->packetReceived(int(packet.type), packet.data);
        if (!guard || m_state != State::Open)
            return;
    }
    // Engine.IO v3: the heartbeat runs the other way (the client pings); handled apart from v4's.
    if (protocol() == 3 && (packet.type == PacketType::Ping || packet.type == PacketType::Pong)) {
        handleClientPingV3(packet);
        return;
    }
    switch (packet.type) {
    case PacketType::Message:
        if (QEngineIo::Handler *handler = m_server->m_handler)
            handler->messageReceived(this, packet.data, packet.binary);
        break;
    case PacketType::Pong:
        if (m_deadline == Deadline::PongTimeout || m_deadline == Deadline::None)
            setDeadline(Deadline::SendPing, m_server->options().pingInterval);
        if (Q_UNLIKELY(m_observer))
            m_observer->heartbeat();
        break;
    case PacketType::Close:
        closeWithReason(CloseReason::TransportClose, QStringLiteral("client sent close"));
        break;
    case PacketType::Ping:
        // In v4 the server pings, never the client (Node closes too): answering would let a client that never
        // reads make the server echo its data back without end. (v3 pings go to handleClientPingV3().)
        closeWithReason(CloseReason::TransportError, QStringLiteral("invalid heartbeat direction"));
        break;
    case PacketType::Noop:
        break;
    case PacketType::Open:
    case PacketType::Upgrade:
        closeWithReason(CloseReason::ParseError, QStringLiteral("unexpected packet"));
        break;
    }
}

// Engine.IO v3 turns the heartbeat around: the client pings every pingInterval and the server answers each ping
// with a pong; a v3 session closes when no ping came within pingInterval + pingTimeout. A pong from a v3
// client is the wrong direction (Node: "invalid heartbeat direction").
void QEngineIoSession::handleClientPingV3(const Packet &packet)
{
    if (packet.type == PacketType::Pong) {
        closeWithReason(CloseReason::ParseError, QStringLiteral("invalid heartbeat direction"));
        return;
    }
    const Options &options = m_server->options();
    setDeadline(Deadline::ClientPingTimeout, options.pingInterval + options.pingTimeout);
    queuePacket(Packet::control(PacketType::Pong, packet.data));   // bounded like any packet
    if (Q_UNLIKELY(m_observer) && m_state == State::Open)
        m_observer->heartbeat();
}

void QEngineIoSession::setDeadline(Deadline kind, int msFromNow)
{
    m_server->scheduleDeadline(this, m_server->now() + msFromNow);
    m_deadline = kind;
}

void QEngineIoSession::deadlineReached(Deadline kind)
{
    switch (kind) {
    case Deadline::SendPing:
        if (m_state != State::Open)
            return;
        if (!queuePacket(Packet::control(PacketType::Ping)))
            return;
        setDeadline(Deadline::PongTimeout, m_server->options().pingTimeout);
        break;
    case Deadline::PongTimeout:
        closeWithReason(CloseReason::PingTimeout, QStringLiteral("no pong within pingTimeout"));
        break;
    case Deadline::ClientPingTimeout:
        closeWithReason(CloseReason::PingTimeout, QStringLiteral("no ping within pingInterval + pingTimeout"));
        break;
    case Deadline::DeliverClose:
        finalize();
        break;
    case Deadline::None:
        break;
    }
}

// --- WebSocket -------------------------------------------------------------------------------------------

// One unfragmented, unmasked RFC 6455 frame: a text frame holds the Engine.IO packet ("4..."), a binary frame the
// raw message.
QByteArray QEngineIoSession::webSocketFrame(const Packet &packet, int protocol)
{
    // v3 binary frames carry the type byte first (qengineiopayloadv3_p.h), as the text ones carry the digit.
    const bool typed = !packet.binary || protocol == 3;
    const qsizetype length = typed ? packet.data.size() + 1 : packet.data.size();
    QByteArray frame;
    frame.reserve(length + 10);
    frame.append(char(packet.binary ? 0x82 : 0x81));
    if (length < 126) {
        frame.append(char(length));
    } else if (length <= 0xffff) {
        frame.append(char(126));
        frame.append(char(length >> 8));
        frame.append(char(length & 0xff));
    } else {
        frame.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(length) >> shift) & 0xff));
    }
    if (!packet.binary)
        frame.append(char('0' + int(packet.type)));
    else if (protocol == 3)
        frame.append(char(PacketType::Message));
    frame.append(packet.data);
    return frame;
}

// A broadcast hands the same bytes (one shared QByteArray) to every recipient's session: the frame is built once
// for consecutive writes of them in a thread. The cache holds a reference to the bytes it was built from, so a
// pointer equal to its own is those very bytes, unchanged (a shared QByteArray is copied before it is written to).
static QByteArray frameOf(const Packet &packet, int protocol)
{
    struct Cache {
        QByteArray data;
        QByteArray frame;
        PacketType type = PacketType::Noop;
        bool binary = false;
        int protocol = 0;
    };
    thread_local Cache cache;
    if (packet.data.isEmpty())
        return QEngineIoSession::webSocketFrame(packet, protocol);
    if (cache.data.constData() == packet.data.constData() && cache.data.size() == packet.data.size()
        && cache.type == packet.type && cache.binary == packet.binary && cache.protocol == protocol) {
        return cache.frame;
    }
    cache.frame = QEngineIoSession::webSocketFrame(packet, protocol);
    cache.data = packet.data;
    cache.type = packet.type;
    cache.binary = packet.binary;
    cache.protocol = protocol;
    return cache.frame;
}

// Server frames are unmasked and QWebSocket writes each frame straight to this socket, so writing whole frames
// here keeps the order and skips QWebSocket's UTF-8 -> UTF-16 -> UTF-8 round trip.
void QEngineIoSession::writeFrame(QWebSocket *socket, const Packet &packet)
{
    // The transport's socket is known (this runs for every frame); a probe's is looked up.
    QTcpSocket *device = socket == m_ws ? m_wsDevice.data()
                                        : socket->findChild<QTcpSocket *>(QString(), Qt::FindDirectChildrenOnly);
    writeToSocket(device, frameOf(packet, protocol()));
}

void QEngineIoSession::guardWebSocket(QWebSocket *socket)
{
    // The server put a guard on the socket before the handshake (see QEngineIoServerPrivate::handOffWebSocket); it
    // starts now, and keeps going when a probe becomes the transport.
    QTcpSocket *device = socket->findChild<QTcpSocket *>(QString(), Qt::FindDirectChildrenOnly);
    auto *guard = device ? device->findChild<QEngineIoFrameGuard *>(QString(), Qt::FindDirectChildrenOnly) : nullptr;
    if (!guard)
        return;
    connect(guard, &QEngineIoFrameGuard::unmaskedFrame, this, [this, socket] { rejectUnmaskedFrame(socket); });
    connect(guard, &QEngineIoFrameGuard::inspected, this, [this] { checkBacklog(); });
    guard->start();
}

void QEngineIoSession::rejectUnmaskedFrame(QWebSocket *socket)
{
    qCDebug(lcEngine) << m_sid << "unmasked frame from the client; closing with 1002";
    socket->disconnect(this);   // its disconnected() is not a "transport close" here
    socket->close(QWebSocketProtocol::CloseCodeProtocolError, QStringLiteral("unmasked frame"));
    if (QTcpSocket *device = socket->findChild<QTcpSocket *>(QString(), Qt::FindDirectChildrenOnly))
        device->flush();   // the close frame goes out before the socket is deleted
    if (socket == m_probe)
        abortUpgrade();
    else if (socket == m_ws)
        closeWithReason(CloseReason::TransportError, QStringLiteral("unmasked frame"));
}

void QEngineIoSession::attachWebSocket(QWebSocket *socket)
{
    m_ws = socket;
    // The TCP (or TLS) socket under it, tied to it by the server (see QEngineIoServerPrivate::acceptWebSocket).
    m_wsDevice = socket->findChild<QTcpSocket *>(QString(), Qt::FindDirectChildrenOnly);
    m_transport = Transport::WebSocket;
    connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString &message) {
        webSocketText(socket, message);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this, socket](const QByteArray &message) {
        webSocketBinary(socket, message);
    });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] { webSocketGone(socket, false); });
    if (m_wsDevice) {
        // Inbound fairness: the socket holds (and QWebSocket parses) at most inboundBytesPerTurn per turn.
        // Queued, this runs after QWebSocket has parsed what was read (it reads in a queued slot too).
        m_wsDevice->setReadBufferSize(qMax<qint64>(1024, m_server->options().inboundBytesPerTurn));
        connect(m_wsDevice, &QIODevice::readyRead, this, &QEngineIoSession::webSocketReadBudget,
                Qt::QueuedConnection);
        // After an upgrade the socket may hold more than the budget already (the start of a large frame): look
        // once QWebSocket has parsed it, or no readyRead might ever come again.
        QMetaObject::invokeMethod(this, &QEngineIoSession::webSocketReadBudget, Qt::QueuedConnection);
    }
    // Qt 6.4 names the signal error(); errorOccurred() came in 6.5.
    connect(socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this, [this, socket](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            webSocketGone(socket, true);
    });
    guardWebSocket(socket);
}

void QEngineIoSession::startUpgrade(QWebSocket *socket)
{
    m_probe = socket;
    m_probed = false;
    connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString &message) {
        webSocketText(socket, message);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this, socket](const QByteArray &message) {
        webSocketBinary(socket, message);
    });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] { webSocketGone(socket, false); });
    guardWebSocket(socket);
    m_upgradeTimer = new QTimer(this);
    m_upgradeTimer->setSingleShot(true);
    connect(m_upgradeTimer, &QTimer::timeout, this, [this] {
        qCDebug(lcEngine) << m_sid << "upgrade timed out";
        abortUpgrade();
    });
    m_upgradeTimer->start(m_server->options().upgradeTimeout);
}

void QEngineIoSession::webSocketText(QWebSocket *socket, const QString &message)
{
    Packet packet;
    const QByteArray utf8 = message.toUtf8();
    if (!(protocol() == 3 ? V3::decodeTextPacket(utf8, &packet) : decodeTextPacket(utf8, &packet))) {
        if (socket == m_probe) {
            abortUpgrade();
            return;
        }
        closeWithReason(CloseReason::ParseError, QStringLiteral("malformed packet"));
        return;
    }
    if (socket == m_probe) {
        if (packet.type == PacketType::Ping && packet.data == "probe" && !m_probed) {
            writeFrame(socket, Packet::control(PacketType::Pong, QByteArrayLiteral("probe")));
            m_probed = true;
            // Release a waiting poll so that the client can pause polling and send "5".
            if (m_poll && m_queue.isEmpty())
                respondToPollWith(PacketType::Noop);
            QPointer<QEngineIoSession> guard(this);   // a slot may close the session, or delete the server
            if (Q_UNLIKELY(m_observer))
                m_observer->upgrading();
            if (guard && m_state == State::Open) {
                if (QEngineIo::Handler *handler = m_server->m_handler)
                    handler->sessionUpgrading(this, true);
            }
        } else if (packet.type == PacketType::Upgrade && m_probed) {
            finishUpgrade();
        } else {
            abortUpgrade();
        }
        return;
    }
    if (socket != m_ws)
        return;
    handlePacket(packet);
}

void QEngineIoSession::webSocketBinary(QWebSocket *socket, const QByteArray &message)
{
    if (socket == m_probe) {
        abortUpgrade();
        return;
    }
    if (socket != m_ws || m_state != State::Open)
        return;
    if (protocol() == 3) {
        Packet packet;
        if (!V3::decodeBinaryFrame(message, &packet)) {
            closeWithReason(CloseReason::ParseError, QStringLiteral("binary frame without the message type byte"));
            return;
        }
        handlePacket(packet);
        return;
    }
    handlePacket(Packet::message(message, true));
}

// After QWebSocket has parsed what one turn read: a buffer still full holds the start of a frame larger than
// the budget (QWebSocket waits for a whole frame), so it may grow, up to one message of maxHttpBufferSize;
// once drained for several turns in a row it shrinks back, by half a turn.
void QEngineIoSession::webSocketReadBudget()
{
    if (!m_wsDevice || m_state != State::Open)
        return;
    const Options &options = m_server->options();
    const qint64 base = qMax<qint64>(1024, options.inboundBytesPerTurn);
    const qint64 size = m_wsDevice->readBufferSize();
    const qint64 held = m_wsDevice->bytesAvailable();
    if (held >= size) {
        m_drainedTurns = 0;
        const qint64 cap = qMax(base, options.maxHttpBufferSize + 16);
        if (size < cap)
            m_wsDevice->setReadBufferSize(qMin(cap, held * 2));
    } else if (held > 0) {
        m_drainedTurns = 0;   // within a large message
    } else if (size > base && ++m_drainedTurns >= 8) {
        // Halved after 8 drained turns in a row rather than at once: a stream of large messages (each drains
        // the buffer once) keeps its room instead of growing it again for every message (bench S5).
        m_drainedTurns = 0;
        m_wsDevice->setReadBufferSize(qMax(base, size / 2));
    }
    QEngineIo::resumeReading(m_wsDevice);
}

void QEngineIoSession::webSocketGone(QWebSocket *socket, bool error)
{
    if (socket == m_probe) {
        abortUpgrade();
        return;
    }
    if (socket != m_ws || m_state == State::Closed)
        return;
    if (!error && socket->closeCode() == QWebSocketProtocol::CloseCodeTooMuchData)
        error = true;
    closeWithReason(error ? CloseReason::TransportError : CloseReason::TransportClose,
                    error ? socket->errorString() : QStringLiteral("websocket closed"));
}

void QEngineIoSession::finishUpgrade()
{
    delete m_upgradeTimer;
    m_upgradeTimer = nullptr;
    QWebSocket *socket = m_probe;
    m_probe = nullptr;
    m_probed = false;
    socket->disconnect(this);
    if (auto *guard = socket->findChild<QEngineIoFrameGuard *>())
        guard->disconnect(this);
    // A poll still waiting gets a noop: the client no longer reads it.
    if (m_poll)
        respondToPollWith(PacketType::Noop);
    attachWebSocket(socket);
    qCDebug(lcEngine) << m_sid << "upgraded to websocket";
    QPointer<QEngineIoSession> guard(this);   // the handler may delete the server, and this session with it
    if (QEngineIo::Handler *handler = m_server->m_handler)
        handler->sessionUpgraded(this);
    if (guard)
        flush();
}

void QEngineIoSession::abortUpgrade()
{
    delete m_upgradeTimer;
    m_upgradeTimer = nullptr;
    const bool wasUpgrading = m_probed;
    m_probed = false;
    if (QWebSocket *socket = m_probe) {
        m_probe = nullptr;
        releaseWebSocket(socket);
    }
    // An upgrade that was reported failed: the handler hears it (I/O threads' mirrors track it). Last.
    if (wasUpgrading && m_state == State::Open) {
        if (QEngineIo::Handler *handler = m_server->m_handler)
            handler->sessionUpgrading(this, false);
    }
}

void QEngineIoSession::releaseWebSocket(QWebSocket *socket)
{
    socket->disconnect(this);
    if (auto *guard = socket->findChild<QEngineIoFrameGuard *>())
        guard->disconnect(this);
    if (socket->state() != QAbstractSocket::UnconnectedState)
        socket->close();
    socket->deleteLater();
}

// --- closing ---------------------------------------------------------------------------------------------

void QEngineIoSession::closeMirror(CloseReason reason, const QString &description, bool policy)
{
    QEngineIo::IoCommand command;
    command.kind = policy ? QEngineIo::IoCommand::PolicyClose : QEngineIo::IoCommand::Close;
    command.sid = m_sid;
    command.reason = reason;
    command.description = description;
    m_io->enqueue(m_ioIndex, std::move(command));
    remoteClosed(reason, description);
}

void QEngineIoSession::remoteClosed(CloseReason reason, const QString &description)
{
    if (m_state != State::Open)
        return;
    m_state = State::Closed;
    QPointer<QEngineIoSession> guard(this);
    if (QEngineIo::Handler *handler = m_server->m_handler)
        handler->sessionClosed(this, reason, description);
    if (guard)
        m_server->sessionFinished(this);
}

void QEngineIoSession::closeWithReason(CloseReason reason, const QString &description)
{
    if (m_state != State::Open)
        return;
    if (m_io) {
        closeMirror(reason, description, false);
        return;
    }
    qCDebug(lcEngine) << "session" << m_sid << "closing:" << closeReasonString(reason) << description;
    const bool serverInitiated = reason == CloseReason::ForcedClose || reason == CloseReason::ServerShuttingDown;
    m_state = State::Closing;
    m_server->cancelDeadline(this);
    abortUpgrade();

    if (m_transport == Transport::WebSocket) {
        if (m_ws) {
            if (serverInitiated)
                queuePacket(Packet::control(PacketType::Close));
            releaseWebSocket(m_ws);
            m_ws = nullptr;
        }
        m_state = State::Closed;
    } else if (reason == CloseReason::TransportClose || !serverInitiated) {
        // The client said goodbye, or the session failed: a waiting poll gets a close packet, nothing else
        // is delivered.
        m_queue.clear();
        m_queuedBytes = 0;
        if (m_poll)
            respondToPollWith(reason == CloseReason::TransportClose ? PacketType::Noop : PacketType::Close);
        m_state = State::Closed;
    } else {
        // Server-initiated on polling: deliver the queue, then "1" in a response of its own. Clients act on the
        // close packet at once but on messages a tick later (socket.io-client defers them), so a close packet
        // sharing a payload with the last messages would overtake them.
        if (m_poll && m_queue.isEmpty()) {
            respondToPollWith(PacketType::Close);
            m_state = State::Closed;
        } else {
            if (m_poll)
                flush();
            setDeadline(Deadline::DeliverClose, m_server->options().pingInterval + m_server->options().pingTimeout);
        }
    }

    // The handler may delete the server, and this session with it.
    QPointer<QEngineIoSession> guard(this);
    if (QEngineIo::Handler *handler = m_server->m_handler)
        handler->sessionClosed(this, reason, description);
    if (!guard)
        return;
    if (m_state == State::Closed)
        finalize();
}

void QEngineIoSession::closeForPolicyViolation(const QString &description)
{
    if (m_state != State::Open)
        return;
    if (m_io) {
        closeMirror(CloseReason::ForcedClose, description, true);
        return;
    }
    if (m_transport == Transport::WebSocket && m_ws) {
        // A close frame (1008) tells why. It is written on the TCP socket itself: QWebSocket::close() would
        // also close that socket, and closing it with the client's flood unread resets the connection and loses
        // the frame. The session lets go of the WebSocket, which reads on (and drops what comes) until the
        // client answers the close, or for 2 s. No Engine.IO close packet is written.
        QWebSocket *ws = m_ws;
        m_ws = nullptr;
        ws->disconnect(this);
        if (QTcpSocket *device = m_wsDevice.data()) {
            device->disconnect(this);
            device->setReadBufferSize(0);
            QByteArray payload = description.toUtf8().left(120);
            payload.prepend(char(QWebSocketProtocol::CloseCodePolicyViolated & 0xff));
            payload.prepend(char(QWebSocketProtocol::CloseCodePolicyViolated >> 8));
            device->write(QByteArray(1, char(0x88)) + char(payload.size()) + payload);
            device->flush();
        } else {
            ws->close(QWebSocketProtocol::CloseCodePolicyViolated, description);
        }
        m_wsDevice = nullptr;
        connect(ws, &QWebSocket::disconnected, ws, &QObject::deleteLater);
        QTimer::singleShot(2000, ws, [ws] {
            ws->abort();
            ws->deleteLater();
        });
    } else if (m_transport == Transport::Polling) {
        // The POST being read and the poll being held are both answered 429 with the reason (the client acts
        // on whichever comes first); nothing else is delivered, and the session ends now.
        QHttpHeaderList headers;
        m_server->decorateResponse(headers, m_handshake);
        headers.set(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain; charset=UTF-8"));
        const QByteArray body = description.toUtf8();
        if (QEngineIoHttpConnection *post = m_inboundPost) {
            m_inboundPost = nullptr;
            if (post->isAwaitingResponse())
                post->respond(429, headers, body, true);
        }
        m_inbound.clear();
        m_inboundNext = 0;
        if (QEngineIoHttpConnection *poll = m_poll) {
            m_poll = nullptr;
            poll->pollingSession = nullptr;
            poll->respond(429, headers, body, true);
        }
        m_queue.clear();
        m_queuedBytes = 0;
    }
    QPointer<QEngineIoSession> guard(this);
    closeWithReason(CloseReason::ForcedClose, description);
    if (guard && m_state == State::Closing && !m_poll) {
        m_server->cancelDeadline(this);
        finalize();
    }
}

void QEngineIoSession::finalize()
{
    m_state = State::Closed;
    if (m_upgradeTimer) {
        delete m_upgradeTimer;
        m_upgradeTimer = nullptr;
    }
    m_server->sessionFinished(this);
}
