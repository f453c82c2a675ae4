// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QENGINEIOSESSION_P_H
#define QENGINEIOSESSION_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include "engine/qengineio_p.h"
#include "engine/codec/qengineiopacket_p.h"

#include <QtCore/qobject.h>
#include <QtCore/qpointer.h>

#include <map>

QT_BEGIN_NAMESPACE
class QTcpSocket;
class QWebSocket;
class QTimer;
QT_END_NAMESPACE

class QEngineIoServerPrivate;
class QEngineIoHttpConnection;
class QEngineIoIoThreads;

// One Engine.IO session (one client), on polling or WebSocket, possibly in the middle of an upgrade.
// Owned by QEngineIoServerPrivate; deleted later, after the handler heard sessionClosed().
class QEngineIoSession : public QObject
{
    Q_OBJECT
public:
    enum class State { Open, Closing, Closed };

    ~QEngineIoSession() override;

    QByteArray sid() const { return m_sid; }
    QEngineIoServerPrivate *server() const { return m_server; }
    QEngineIo::Transport transport() const { return m_transport; }
    bool isUpgrading() const { return m_probe != nullptr || m_mirrorUpgrading; }
    bool isOpen() const { return m_state == State::Open; }
    State state() const { return m_state; }
    // The request that opened the session (headers, query, peer address).
    const QEngineIo::RequestInfo &handshakeRequest() const { return m_handshake; }
    QDateTime openedAt() const { return m_openedAt; }
    // The Engine.IO protocol version of the session, fixed at its handshake: 4, or 3 (allowEIO3). A v3 session
    // frames polling payloads as "<length>:<packet>", prefixes binary WebSocket frames with the type byte, and
    // has the client ping (the server answers pong and closes when no ping came within
    // pingInterval + pingTimeout).
    int protocol() const { return m_handshake.protocol; }

    // Queues a message. On WebSocket it is written now; on polling it goes out with the next poll response
    // (messages queued in one event-loop turn share one response). A no-op once the session is not open.
    // A volatile message is dropped unless the session isWritable(). Like every packet, it goes through
    // queuePacket(), which closes the session as a slow consumer when it is over Options::maxBufferedBytes.
    // compress false: this message does not ask for HTTP compression (a poll response whose messages all say so
    // goes out uncompressed; WebSocket frames are never compressed).
    void send(const QByteArray &data, bool binary = false, bool isVolatile = false, bool compress = true);
    // Closes the session from the server side ("forced close"): what is queued is delivered first, then the
    // close packet. The handler hears sessionClosed() before this returns.
    void close() { closeWithReason(QEngineIo::CloseReason::ForcedClose); }
    void closeWithReason(QEngineIo::CloseReason reason, const QString &description = {});
    // Closes the session for breaking a server policy (e.g. a rate limit), as a forced close described so, and
    // tells the client why: a WebSocket closes with code 1008 and that reason, a POST being read gets 429.
    void closeForPolicyViolation(const QString &description);

    // True when a message sent now goes out at once: a WebSocket, or a poll that is waiting. Volatile
    // messages are dropped otherwise.
    bool isWritable() const;
    // Bytes queued and not yet handed to a transport.
    qint64 queuedBytes() const { return m_queuedBytes; }
    const QEngineIo::Counters &counters() const { return m_counters; }
    void countVolatileDropped() { m_counters.volatileDropped.add(); }
    // What the slow-consumer bound is checked against: queuedBytes() plus what this session's sockets (the
    // WebSocket, a probe, the connections that carried its poll responses) hold and the kernel has not taken.
    qint64 backlog() const;

    // The layer above's state for this session (not owned).
    void setContext(QEngineIo::SessionContext *context) { m_context = context; }
    QEngineIo::SessionContext *context() const { return m_context; }

    // What hears this session's packets (the public QEngineIoSocket), or nullptr (not owned).
    void setObserver(QEngineIo::SessionObserver *observer) { m_observer = observer; }
    QEngineIo::SessionObserver *observer() const { return m_observer; }
    // A mirror (I/O threads): asks its I/O thread, once, to report this session's packets to the observer.
    // Sessions of an engine without I/O threads report to their observer anyway: a no-op.
    void requestPacketReports();
    // One unfragmented, unmasked RFC 6455 frame holding packet.
    static QByteArray webSocketFrame(const QEngineIo::Packet &packet, int protocol = 4);

private:
    friend class QEngineIoServerPrivate;
    friend class QEngineIoIoThreads;
    // ClientPingTimeout: v3 only, no ping from the client in time.
    enum class Deadline { None, SendPing, PongTimeout, DeliverClose, ClientPingTimeout };

    QEngineIoSession(QEngineIoServerPrivate *server, const QByteArray &sid, const QEngineIo::RequestInfo &handshake,
                     QEngineIo::Transport transport);


    // Polling.
    void handlePollRequest(QEngineIoHttpConnection *connection);
    // Handles the packets of a POST and answers it with "ok" (headers given): at most inboundPacketsPerTurn
    // packets per event-loop turn, the answer after the last. octetStream: the body's Content-Type was
    // application/octet-stream (v3's binary payload format).
    void handleDataRequest(QEngineIoHttpConnection *connection, const QByteArray &body,
                           const QHttpHeaderList &okHeaders, bool octetStream = false);
    void handleInbound();
    void pollConnectionLost(QEngineIoHttpConnection *connection);
    // WebSocket.
    void attachWebSocket(QWebSocket *socket);
    void startUpgrade(QWebSocket *socket);
    void webSocketText(QWebSocket *socket, const QString &message);
    void webSocketBinary(QWebSocket *socket, const QByteArray &message);
    void webSocketGone(QWebSocket *socket, bool error);
    void webSocketReadBudget();
    void finishUpgrade();
    void abortUpgrade();
    void releaseWebSocket(QWebSocket *socket);

    void sendOpenPacket(QEngineIoHttpConnection *connection);
    void handlePacket(const QEngineIo::Packet &packet);
    // The one way this session queues a packet: applies the volatile rule, queues, writes (WebSocket) or
    // schedules a poll response, then checks the slow-consumer bound. False when the packet was dropped or the
    // session closed as a slow consumer.
    bool queuePacket(const QEngineIo::Packet &packet, bool isVolatile = false);
    // Writes one frame to the socket under a WebSocket (the only way the session writes to one).
    void writeFrame(QWebSocket *socket, const QEngineIo::Packet &packet);
    // Hooks the raw-stream checks (masking, backlog after QWebSocket's own writes) onto a WebSocket.
    void guardWebSocket(QWebSocket *socket);
    void rejectUnmaskedFrame(QWebSocket *socket);
    void scheduleFlush();
    void flush();
    bool checkBacklog();
    void respondToPoll(const QByteArray &payload, bool octetStream = false, bool compress = true);
    // A poll response holding one control packet (noop, close), framed for the session's protocol.
    void respondToPollWith(QEngineIo::PacketType type);
    // Engine.IO v3 (qengineiopayloadv3_p.h): the client's ping, answered with a pong.
    void handleClientPingV3(const QEngineIo::Packet &packet);
    void deadlineReached(Deadline kind);
    void setDeadline(Deadline kind, int msFromNow);
    void finalize();
    // A mirror (I/O threads, qengineioiothread_p.h): the real session ended in its I/O thread.
    void remoteClosed(QEngineIo::CloseReason reason, const QString &description);
    // A mirror closes at once (the handler hears it now) and tells its I/O thread.
    void closeMirror(QEngineIo::CloseReason reason, const QString &description, bool policy);

    QEngineIoServerPrivate *m_server;
    QByteArray m_sid;
    QEngineIo::RequestInfo m_handshake;
    QDateTime m_openedAt;
    QEngineIo::Transport m_transport;
    State m_state = State::Open;

    QList<QEngineIo::Packet> m_queue;
    qint64 m_queuedBytes = 0;
    QEngineIo::Counters m_ownCounters;
    // m_ownCounters, or on an I/O thread's engine the counters all its sessions share (read by the server's
    // thread at a scrape).
    QEngineIo::Counters &m_counters;
    bool m_flushScheduled = false;

    QPointer<QEngineIoHttpConnection> m_poll;    // a held GET
    QList<QPointer<QTcpSocket>> m_pollSockets;   // connections that carried poll responses (see backlog())
    // A POST whose packets are being handled over several event-loop turns (inbound fairness).
    QList<QEngineIo::Packet> m_inbound;
    qsizetype m_inboundNext = 0;
    QPointer<QEngineIoHttpConnection> m_inboundPost;
    QHttpHeaderList m_inboundHeaders;
    QWebSocket *m_ws = nullptr;                  // the WebSocket transport
    QPointer<QTcpSocket> m_wsDevice;             // the socket m_ws writes to; frames go there directly
    QWebSocket *m_probe = nullptr;               // a WebSocket being probed for an upgrade
    QTimer *m_upgradeTimer = nullptr;
    int m_drainedTurns = 0;                      // webSocketReadBudget(): turns the read buffer was empty
    bool m_probed = false;                       // "2probe" answered: polls no longer wait

    Deadline m_deadline = Deadline::None;
    std::multimap<qint64, QEngineIoSession *>::iterator m_deadlineIt;
    QEngineIo::SessionContext *m_context = nullptr;
    QEngineIo::SessionObserver *m_observer = nullptr;
    // Set on a mirror: the session itself lives in I/O thread m_ioIndex.
    QEngineIoIoThreads *m_io = nullptr;
    int m_ioIndex = 0;
    bool m_mirrorUpgrading = false;   // a mirror: its I/O thread reported an upgrade in progress
    bool m_packetReports = false;     // a mirror: its I/O thread was asked to report the packets
};

#endif
