// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QENGINEIO_P_H
#define QENGINEIO_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include "engine/codec/qhttprequestparser_p.h"

#include <QtCore/qbytearray.h>
#include <QtCore/qdatetime.h>
#include <QtCore/qstringlist.h>
#include <QtCore/qvariant.h>
#include <QtNetwork/qhostaddress.h>
#include <QtNetwork/qsslconfiguration.h>

#include <atomic>
#include <functional>

QT_BEGIN_NAMESPACE
class QAbstractSocket;
QT_END_NAMESPACE

class QEngineIoSession;

namespace QEngineIo {

// Why a session ended, with Engine.IO's (Node's) strings.
enum class CloseReason {
    TransportClose,      // "transport close": the client closed, or its connection went away
    TransportError,      // "transport error": the transport failed (overlapping polls, bad frames, too big)
    PingTimeout,         // "ping timeout": no pong within pingTimeout
    ForcedClose,         // "forced close": the server closed the session
    ParseError,          // "parse error": a packet that does not decode
    ServerShuttingDown,  // "server shutting down": the server closed
};
QByteArray closeReasonString(CloseReason reason);

enum class Transport { Polling, WebSocket };
QByteArray transportName(Transport transport);

// Node's error codes in the JSON body of a refused request.
enum class ErrorCode {
    UnknownTransport = 0,
    UnknownSid = 1,
    BadHandshakeMethod = 2,
    BadRequest = 3,
    Forbidden = 4,
    UnsupportedProtocolVersion = 5,
};

// What the server knows about an HTTP request: handed to allowRequest and the header hooks.
struct RequestInfo
{
    QHttpRequest http;            // method, target, headers (body only for POST)
    QHostAddress peerAddress;
    quint16 peerPort = 0;
    bool secure = false;
    Transport transport = Transport::Polling;
    QByteArray sid;               // empty on a handshake
    int protocol = 4;             // the Engine.IO protocol version of the request (EIO=4, or EIO=3 with allowEIO3)
    // I/O threads: the id the server's thread chose (the handler's generateId) for the session this handshake
    // opens; empty: the engine makes one.
    QByteArray newSid;
};

// The answer of an allowRequest hook. Call it once, now or later; a call after the connection went away is
// ignored.
using AllowRequestCallback = std::function<void(bool allowed, int httpStatus, const QByteArray &message)>;
using AllowRequestHook = std::function<void(const RequestInfo &request, const AllowRequestCallback &answer)>;
// Lets the application add or change the headers of a response before it is written.
using HeadersHook = std::function<void(QHttpHeaderList &headers, const RequestInfo &request)>;

struct Cors
{
    bool enabled = false;
    // Origin policy, first match wins: anyOrigin sends "*"; reflectOrigin echoes the request's Origin;
    // otherwise the Origin must be in origins or satisfy originPredicate.
    bool anyOrigin = false;
    bool reflectOrigin = false;
    QStringList origins;
    std::function<bool(const QString &origin)> originPredicate;
    QByteArrayList methods = {"GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"};
    QByteArrayList allowedHeaders;    // empty: echo Access-Control-Request-Headers
    QByteArrayList exposedHeaders;
    bool credentials = false;
    int maxAge = -1;                  // seconds; -1: no Access-Control-Max-Age
};

// A socket with a bounded read buffer (QAbstractSocket::setReadBufferSize) stops reading once the buffer is full
// and starts again only in a read that asks for more than is buffered. The engine reads exact sizes (peek and
// skip, whole WebSocket frames), so after taking bytes out it re-arms the socket: setting the size re-evaluates
// whether the socket may read.
void resumeReading(QAbstractSocket *socket);

// Traffic counters for the metrics endpoint (QSocketIoServer::metricsText()), kept per session and per
// server where the work happens anyway, so that counting costs a plain increment on the hot path. The one
// writer is the thread the session (or server) lives in; a scrape may read them from another thread (I/O
// threads), hence atomics, but relaxed and written with load + store, which on x86-64 and ARM64 is the same
// code as a plain integer. A scrape sums the live sessions and the totals of the closed ones.
struct Counter
{
    std::atomic<quint64> value{0};
    void add(quint64 n = 1) { value.store(value.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
    quint64 get() const { return value.load(std::memory_order_relaxed); }
};

struct Counters
{
    Counter packetsIn;         // Engine.IO packets received (all types)
    Counter bytesIn;           // their bytes as packets: data plus the type byte of a text packet
    Counter packetsOut;        // Engine.IO packets queued for the peer
    Counter bytesOut;
    Counter volatileDropped;   // volatile messages not sent: the transport was not writable
    Counter slowConsumerCloses;
};

// A plain copy of Counters, for sums.
struct CounterValues
{
    quint64 packetsIn = 0, bytesIn = 0, packetsOut = 0, bytesOut = 0, volatileDropped = 0, slowConsumerCloses = 0;
    void add(const Counters &c)
    {
        packetsIn += c.packetsIn.get();
        bytesIn += c.bytesIn.get();
        packetsOut += c.packetsOut.get();
        bytesOut += c.bytesOut.get();
        volatileDropped += c.volatileDropped.get();
        slowConsumerCloses += c.slowConsumerCloses.get();
    }
    void add(const CounterValues &c)
    {
        packetsIn += c.packetsIn;
        bytesIn += c.bytesIn;
        packetsOut += c.packetsOut;
        bytesOut += c.bytesOut;
        volatileDropped += c.volatileDropped;
        slowConsumerCloses += c.slowConsumerCloses;
    }
};

struct Options
{
    QByteArray path = "/engine.io/";  // normalized to start and end with '/'
    // Node's addTrailingSlash: true, the default, answers the path with its trailing slash only ("/engine.io/");
    // false answers it without the slash too ("/engine.io").
    bool addTrailingSlash = true;
    int pingInterval = 25000;         // ms
    int pingTimeout = 20000;          // ms
    int upgradeTimeout = 10000;       // ms
    qint64 maxHttpBufferSize = 1000000;
    // Polling responses of at least this many bytes are compressed (gzip or deflate, as the request accepts);
    // -1: never. Node's httpCompression with its default threshold.
    int httpCompressionThreshold = 1024;
    bool allowPolling = true;
    bool allowWebSocket = true;
    bool allowUpgrades = true;
    // Serve Engine.IO v3 clients (EIO=3: engine.io-client 3.x, socket.io-client 2.x) next to v4 ones, as Node's
    // allowEIO3. Off: they get 400 "Unsupported protocol version".
    bool allowEIO3 = false;
    // HTTP limits of the front door.
    int maxHeaderBytes = 16 * 1024;
    int maxHeaderCount = 100;
    int headersTimeout = 10000;       // ms from the first byte of a request to the end of its head
    int requestTimeout = 30000;       // ms from the first byte of a request to its last
    int keepAliveTimeout = 30000;     // ms an idle keep-alive connection stays open
    // Caps on TCP connections (0: none). A connection over a cap gets 503 and is closed.
    int maxConnections = 0;
    int maxConnectionsPerAddress = 0;
    // Outgoing bytes one session may have queued (not yet taken by the kernel) before it is closed as a slow
    // consumer (0: no bound). Volatile messages are dropped long before: see QEngineIoSession::isWritable().
    qint64 maxBufferedBytes = 32 * 1024 * 1024;
    // Inbound fairness: what one connection may make the server read and handle in one event-loop turn, so that
    // a client flooding small packets cannot starve the others. A WebSocket reads at most this many bytes per
    // turn (more only while one frame is larger); a polling POST hands on at most this many packets per turn
    // (its "ok" waits for the rest); an HTTP body is parsed in steps of the byte budget.
    // 8 KiB, not less: every turn costs the server a pass over all its sockets (each socket written to in a
    // turn arms and disarms its write notifier), so a broadcasting client read 1 KiB at a time cut the
    // broadcasts per turn by four and cost 1.4x to 1.6x the CPU time per delivery (bench S2); 8 KiB of small
    // events is still well under a millisecond of work.
    qint64 inboundBytesPerTurn = 8 * 1024;
    int inboundPacketsPerTurn = 64;
    // HTTPS and WSS when not null.
    QSslConfiguration sslConfiguration;
    AllowRequestHook allowRequest;
    HeadersHook editHandshakeHeaders; // the handshake response only (polling handshake)
    HeadersHook editResponseHeaders;  // every Engine.IO HTTP response
    Cors cors;
};

// What the layer above keeps for one session (for Socket.IO: the client and its namespaces). The session
// carries it for its handler and never deletes it: the handler that set it frees it (in sessionClosed()).
class SessionContext
{
public:
    virtual ~SessionContext();
};

// The layer above (Socket.IO, or a test) implements this to hear about sessions.
class Handler
{
public:
    virtual ~Handler();
    // A new session is open; the handshake was sent.
    virtual void sessionOpened(QEngineIoSession *session) = 0;
    virtual void messageReceived(QEngineIoSession *session, const QByteArray &data, bool binary) = 0;
    // The session has closed; it is deleted later, after this returns. Sending to it is a no-op now.
    virtual void sessionClosed(QEngineIoSession *session, CloseReason reason, const QString &description) = 0;
    // The session moved from polling to WebSocket.
    virtual void sessionUpgraded(QEngineIoSession *session) { Q_UNUSED(session); }
    // A WebSocket probe of the session was answered (upgrading true), or failed after that (false). The session's
    // observer hears the first as upgrading(); this is for I/O threads, whose mirrors track it.
    virtual void sessionUpgrading(QEngineIoSession *session, bool upgrading) { Q_UNUSED(session); Q_UNUSED(upgrading); }
    // A request was refused with one of Node's error codes (Node's "connection_error"); message is
    // errorMessage(code), context what Node puts in the error's context.
    virtual void connectionError(const RequestInfo &request, ErrorCode code, const QVariantMap &context)
    {
        Q_UNUSED(request); Q_UNUSED(code); Q_UNUSED(context);
    }
    // The id of a new session (Node's generateId); empty: the server makes one. An id that is not 1 to 128
    // characters of [A-Za-z0-9_.~-], or that is taken, is replaced by the server's (with a warning).
    virtual QByteArray generateId(const RequestInfo &request) { Q_UNUSED(request); return {}; }
};

// Node's message for an error code ("Transport unknown", ...).
QByteArray errorMessage(ErrorCode code);
// Whether a handler's generateId() answer may name a session: 1 to 128 characters of [A-Za-z0-9_.~-].
bool isValidSessionId(const QByteArray &id);

// Hears the packets of one session (the public QEngineIoSocket's per-packet signals); set only while somebody
// listens, so that the hot path pays one pointer test.
class SessionObserver
{
public:
    virtual ~SessionObserver();
    virtual void packetReceived(int type, const QByteArray &data) = 0;
    virtual void packetCreated(int type, const QByteArray &data) = 0;
    // Packets handed to the transport (Node's "flush"), then "drain".
    virtual void flushed(int packetCount) = 0;
    virtual void heartbeat() = 0;
    virtual void upgrading() = 0;
    // Whether anything listens to the per-packet calls (I/O threads stop reporting them otherwise).
    virtual bool wantsPackets() const { return true; }
};

} // namespace QEngineIo

#endif
