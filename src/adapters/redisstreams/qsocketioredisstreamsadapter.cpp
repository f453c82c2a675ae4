// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include <QtSocketIo/qsocketioredisstreamsadapter.h>
#include <QtSocketIo/qsocketioclusteradapter.h>
#include <QtSocketIo/qsocketioconnectionstaterecovery.h>
#include <QtSocketIo/qsocketionamespace.h>
#include <QtSocketIo/qsocketioserver.h>

#include "qsocketioredisstreamsmessages_p.h"
#include "qsocketiorediseventloop_p.h"   // hiredis's Qt event adapter, shared with the Redis adapter

#include <QtCore/qcoreapplication.h>
#include <QtCore/qelapsedtimer.h>
#include <QtCore/qloggingcategory.h>
#include <QtCore/qpointer.h>
#include <QtCore/qtimer.h>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <fcntl.h>

// Warnings (lost connection) and reconnections by default; "qtsocketio.adapter.redisstreams.debug=true" adds
// each connection and every dropped stream entry.
Q_LOGGING_CATEGORY(lcStreams, "qtsocketio.adapter.redisstreams", QtInfoMsg)

namespace Messages = QSocketIoRedisStreamsMessages;
namespace Cluster = QSocketIoClusterMessages;
using Cluster::MessageType;

static const QString EmitterUid = QStringLiteral("emitter");
static constexpr int InitialBackoffMs = 100;
static constexpr int MaxBackoffMs = 5000;
static constexpr int XReadBlockMs = 5000;
// restoreSession(): the missed entries are read in pages of this many, at most this many pages (Node reads
// without a count, at most 100 times).
static constexpr int RestorePageSize = 1000;
static constexpr int RestoreMaxPages = 100;
static constexpr int MaxReplyDepth = 8;

// A Redis reply copied out of hiredis, so that it is handled outside hiredis's callback.
struct QSocketIoRedisStreamsReply
{
    int type = REDIS_REPLY_NIL;
    QByteArray str;
    long long integer = 0;
    QList<QSocketIoRedisStreamsReply> elements;
    bool ok = false;   // false: no reply (the connection was down or went)

    static QSocketIoRedisStreamsReply copy(const redisReply *reply, int depth = 0)
    {
        QSocketIoRedisStreamsReply out;
        out.ok = true;
        if (!reply)
            return out;
        out.type = reply->type;
        switch (reply->type) {
        case REDIS_REPLY_STRING:
        case REDIS_REPLY_STATUS:
        case REDIS_REPLY_ERROR:
            out.str = QByteArray(reply->str, qsizetype(reply->len));
            break;
        case REDIS_REPLY_INTEGER:
            out.integer = reply->integer;
            break;
        case REDIS_REPLY_ARRAY:
            if (depth < MaxReplyDepth) {
                out.elements.reserve(qsizetype(reply->elements));
                for (size_t i = 0; i < reply->elements; ++i)
                    out.elements.append(copy(reply->element[i], depth + 1));
            }
            break;
        default:
            break;
        }
        return out;
    }
    bool isString() const { return type == REDIS_REPLY_STRING; }
    bool isArray() const { return type == REDIS_REPLY_ARRAY; }
};
using Reply = QSocketIoRedisStreamsReply;
using ReplyHandler = std::function<void(const Reply &)>;

// A stream entry as XREAD and XRANGE give it: [id, [field, value, ...]].
struct QSocketIoRedisStreamsEntry
{
    QByteArray id;
    Messages::Fields fields;
};

// One namespace: its ClusterAdapterWithHeartbeat messages on the shared stream, and its sessions.
class QSocketIoRedisStreamsNamespaceAdapter : public QSocketIoClusterAdapter
{
public:
    QSocketIoRedisStreamsNamespaceAdapter(QSocketIoNamespace *nsp,
                                          const std::shared_ptr<QSocketIoRedisStreamsAdapterPrivate> &hub);
    ~QSocketIoRedisStreamsNamespaceAdapter() override;

    QString nspName;   // kept: the namespace may be half-destroyed when its adapter goes

    void onEntry(const QVariantMap &message, const QByteArray &id);
    void onConnected();
    int nodeCount() const { return 1 + int(knownNodes().size()); }

    QStringList broadcast(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options) override;
    bool keepsSessions() const override { return true; }
    void persistSession(const QSocketIoStoredSession &session) override;
    void restoreSession(const QString &pid, const QString &offset, const RestoreSessionCallback &done) override;

protected:
    void publishBroadcast(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options) override;
    void publishRequest(const Request &request) override;
    void publishResponse(const Request &request, const Response &response) override;
    void serverCount(const std::function<void(int)> &done) const override;
    QStringList knownNodes() const override;

private:
    struct Restore;
    void publish(const QVariantMap &message, const std::function<void(const QByteArray &id)> &done = {});
    bool recoveryEnabled() const;
    void evictSilentNodes();
    bool isAlive(qint64 lastSeen) const;
    void readMissed(const std::shared_ptr<Restore> &restore);

    std::shared_ptr<QSocketIoRedisStreamsAdapterPrivate> m_hub;
    QTimer *m_heartbeat = nullptr;
    QTimer *m_eviction = nullptr;
    QElapsedTimer m_clock;
    QHash<QString, qint64> m_nodes;   // uid -> when last heard from (m_clock ms)
};

// One hiredis async connection, reconnecting with a backoff.
struct QSocketIoRedisStreamsConnection
{
    const char *role = "";
    redisAsyncContext *context = nullptr;
    RedisQtAdapter *events = nullptr;
    redisAsyncContext parked{};
    bool up = false;
    bool everUp = false;
    int backoff = 0;
    QTimer *retry = nullptr;
};
using Connection = QSocketIoRedisStreamsConnection;

class QSocketIoRedisStreamsAdapterPrivate
{
public:
    explicit QSocketIoRedisStreamsAdapterPrivate(QSocketIoRedisStreamsAdapter *q)
        : q_ptr(q), context(std::make_unique<QObject>()) {}
    ~QSocketIoRedisStreamsAdapterPrivate();

    void start();
    void open(Connection &connection);
    void scheduleRetry(Connection &connection);
    void connectionUp(Connection &connection);
    void connectionDown(Connection &connection, const QString &why);
    void updateConnected();
    Connection *connectionOf(const redisAsyncContext *context);

    // Runs a command on the command connection; done gets the reply later (not ok when Redis is down).
    void command(const QList<QByteArray> &args, const ReplyHandler &done);
    void xadd(const Messages::Fields &fields, const std::function<void(const QByteArray &id)> &done);
    void readNext();
    void onRead(const Reply &reply);
    bool toEntry(const Reply &reply, QSocketIoRedisStreamsEntry *entry);
    void drop(const QString &why);

    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);
    static void onReply(redisAsyncContext *context, void *reply, void *privdata);

    QPointer<QSocketIoRedisStreamsAdapter> q_ptr;
    std::unique_ptr<QObject> context;
    QString hostName = QStringLiteral("127.0.0.1");
    quint16 port = 6379;
    QString userName;
    QString password;
    QString streamName = QStringLiteral("socket.io");
    int maxLength = 10000;
    int readCount = 100;
    QString sessionKeyPrefix = QStringLiteral("sio:session:");
    int heartbeatInterval = 5000;
    int heartbeatTimeout = 10000;
    int requestsTimeout = 5000;
    QString errorString;
    bool connected = false;
    bool started = false;
    bool destroying = false;
    bool reading = false;
    QByteArray lastId = "$";   // where XREAD goes on
    qint64 dropped = 0;         // stream entries dropped as malformed
    qint64 unpublished = 0;     // messages not published while Redis was down
    QPointer<QSocketIoServer> server;
    Connection cmd;
    Connection read;
    QHash<QString, QSocketIoRedisStreamsNamespaceAdapter *> adapters;   // by namespace name
};

// --- QSocketIoRedisStreamsNamespaceAdapter -----------------------------------------------------------------

QSocketIoRedisStreamsNamespaceAdapter::QSocketIoRedisStreamsNamespaceAdapter(
        QSocketIoNamespace *nsp, const std::shared_ptr<QSocketIoRedisStreamsAdapterPrivate> &hub)
    : QSocketIoClusterAdapter(nsp), m_hub(hub)
{
    m_clock.start();
    setRequestsTimeout(hub->requestsTimeout);
    nspName = nsp->name();
    m_heartbeat = new QTimer(context());
    m_heartbeat->setSingleShot(true);
    QObject::connect(m_heartbeat, &QTimer::timeout, context(), [this] {
        publish(Cluster::encodeSignal(MessageType::Heartbeat, uid(), nspName));
    });
    m_heartbeat->start(hub->heartbeatInterval);
    m_eviction = new QTimer(context());
    QObject::connect(m_eviction, &QTimer::timeout, context(), [this] { evictSilentNodes(); });
    m_eviction->start(1000);
    m_hub->adapters.insert(nspName, this);
    if (m_hub->cmd.up)
        onConnected();
    m_hub->readNext();
}

QSocketIoRedisStreamsNamespaceAdapter::~QSocketIoRedisStreamsNamespaceAdapter()
{
    if (m_hub->cmd.up && !m_hub->destroying)
        publish(Cluster::encodeSignal(MessageType::AdapterClose, uid(), nspName));
    if (m_hub->adapters.value(nspName) == this)
        m_hub->adapters.remove(nspName);
}

void QSocketIoRedisStreamsNamespaceAdapter::onConnected()
{
    publish(Cluster::encodeSignal(MessageType::InitialHeartbeat, uid(), nspName));
}

bool QSocketIoRedisStreamsNamespaceAdapter::recoveryEnabled() const
{
    QSocketIoNamespace *n = nsp();
    return n && n->server() && n->server()->connectionStateRecovery().isEnabled();
}

void QSocketIoRedisStreamsNamespaceAdapter::publish(const QVariantMap &message,
                                                    const std::function<void(const QByteArray &)> &done)
{
    if (message.isEmpty()) {
        if (done)
            done(QByteArray());
        return;
    }
    m_heartbeat->start(m_hub->heartbeatInterval);
    m_hub->xadd(Messages::encode(message), done);
}

QStringList QSocketIoRedisStreamsNamespaceAdapter::broadcast(const QSocketIoBroadcastPacket &packet,
                                                             const QSocketIoBroadcastOptions &options)
{
    if (options.local || !recoveryEnabled())
        return QSocketIoClusterAdapter::broadcast(packet, options);
    // As socket.io-adapter's ClusterAdapter with recovery: delivered here once Redis gave the entry its id,
    // which a replayable packet (no ack id, not volatile) carries as its offset, last in its data.
    const bool withOffset = packet.id < 0 && !options.isVolatile;
    QPointer<QObject> alive(context());
    publish(Cluster::encodeBroadcast(uid(), nspName, packet, options),
            [this, alive, packet, options, withOffset](const QByteArray &id) {
        if (!alive)
            return;
        QSocketIoBroadcastPacket out = packet;
        if (withOffset && !id.isEmpty())
            out.data.append(QString::fromLatin1(id));
        localBroadcast(out, options);
    });
    return {};
}

void QSocketIoRedisStreamsNamespaceAdapter::publishBroadcast(const QSocketIoBroadcastPacket &packet,
                                                             const QSocketIoBroadcastOptions &options)
{
    publish(Cluster::encodeBroadcast(uid(), nspName, packet, options));
}

void QSocketIoRedisStreamsNamespaceAdapter::publishRequest(const Request &request)
{
    publish(Cluster::encodeRequest(nspName, request));
}

void QSocketIoRedisStreamsNamespaceAdapter::publishResponse(const Request &, const Response &response)
{
    publish(Cluster::encodeResponse(uid(), nspName, response));
}

bool QSocketIoRedisStreamsNamespaceAdapter::isAlive(qint64 lastSeen) const
{
    return m_clock.elapsed() - lastSeen <= m_hub->heartbeatTimeout;
}

void QSocketIoRedisStreamsNamespaceAdapter::evictSilentNodes()
{
    QStringList gone;
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
        if (!isAlive(it.value()))
            gone.append(it.key());
    }
    for (const QString &node : std::as_const(gone)) {
        qCDebug(lcStreams) << "node" << node << "seems down";
        m_nodes.remove(node);
        nodeLeft(node);
    }
}

QStringList QSocketIoRedisStreamsNamespaceAdapter::knownNodes() const
{
    QStringList nodes;
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
        if (isAlive(it.value()))
            nodes.append(it.key());
    }
    return nodes;
}

void QSocketIoRedisStreamsNamespaceAdapter::serverCount(const std::function<void(int)> &done) const
{
    done(1 + int(knownNodes().size()));
}

void QSocketIoRedisStreamsNamespaceAdapter::onEntry(const QVariantMap &message, const QByteArray &id)
{
    Cluster::Decoded decoded;
    QString error;
    if (!Cluster::decode(message, &decoded, &error)) {
        m_hub->drop(QStringLiteral("entry %1: %2").arg(QString::fromLatin1(id), error));
        return;
    }
    if (decoded.uid == uid())
        return;
    if (!decoded.uid.isEmpty() && decoded.uid != EmitterUid)
        m_nodes.insert(decoded.uid, m_clock.elapsed());
    switch (decoded.kind) {
    case Cluster::Decoded::Signal:
        if (decoded.type == MessageType::InitialHeartbeat)
            publish(Cluster::encodeSignal(MessageType::Heartbeat, uid(), nspName));
        else if (decoded.type == MessageType::AdapterClose && m_nodes.remove(decoded.uid))
            nodeLeft(decoded.uid);
        return;
    case Cluster::Decoded::Broadcast:
        if (recoveryEnabled() && !decoded.options.isVolatile)
            decoded.packet.data.append(QString::fromLatin1(id));   // the entry id is the packet's offset
        handleBroadcast(decoded.uid, decoded.packet, decoded.options);
        return;
    case Cluster::Decoded::Request:
        handleRequest(decoded.request);
        return;
    case Cluster::Decoded::Response:
        handleResponse(decoded.response);
        return;
    }
}

void QSocketIoRedisStreamsNamespaceAdapter::persistSession(const QSocketIoStoredSession &session)
{
    QSocketIoNamespace *n = nsp();
    if (!n || !n->server() || session.pid.isEmpty())
        return;
    const int expiry = qMax(1, n->server()->connectionStateRecovery().maxDisconnectionDuration());
    m_hub->command({"SET", (m_hub->sessionKeyPrefix + session.pid).toUtf8(), Messages::encodeSession(session),
                    "PX", QByteArray::number(expiry)},
                   [](const Reply &reply) {
        if (!reply.ok || reply.type == REDIS_REPLY_ERROR)
            qCWarning(lcStreams) << "could not keep a session in Redis:" << reply.str;
    });
}

// A restoreSession() under way.
struct QSocketIoRedisStreamsNamespaceAdapter::Restore
{
    RestoreSessionCallback done;
    QSocketIoStoredSession session;
    QList<QVariantList> missed;
    QByteArray from;
    int pages = 0;
    int answers = 0;
    bool sessionFound = false;
    bool offsetFound = false;
    bool failed = false;
};

void QSocketIoRedisStreamsNamespaceAdapter::restoreSession(const QString &pid, const QString &offset,
                                                           const RestoreSessionCallback &done)
{
    auto restore = std::make_shared<Restore>();
    restore->done = done;
    restore->from = offset.toLatin1();
    if (!Messages::isStreamId(restore->from) || offset.size() != restore->from.size()) {
        qCDebug(lcStreams) << "no recovery from offset" << offset << ": not a stream id";
        QMetaObject::invokeMethod(context(), [done] { done(false, QSocketIoStoredSession(), {}); },
                                  Qt::QueuedConnection);
        return;
    }
    QPointer<QObject> alive(context());
    // Both at once, as Node does: the session (taken: GETDEL) and whether the offset is still in the stream.
    auto bothAnswered = [this, alive, restore] {
        if (!alive || ++restore->answers < 2)
            return;
        if (restore->failed || !restore->sessionFound || !restore->offsetFound) {
            qCDebug(lcStreams) << "no recovery: session or offset not found";
            restore->done(false, QSocketIoStoredSession(), {});
            return;
        }
        readMissed(restore);
    };
    m_hub->command({"GETDEL", (m_hub->sessionKeyPrefix + pid).toUtf8()}, [restore, bothAnswered](const Reply &reply) {
        if (!reply.ok) {
            restore->failed = true;
        } else if (reply.isString()) {
            QString error;
            if (Messages::decodeSession(reply.str, &restore->session, &error))
                restore->sessionFound = true;
            else
                qCDebug(lcStreams) << "dropped a kept session:" << error;
        }
        bothAnswered();
    });
    m_hub->command({"XRANGE", m_hub->streamName.toUtf8(), restore->from, restore->from},
                   [restore, bothAnswered](const Reply &reply) {
        if (!reply.ok)
            restore->failed = true;
        else
            restore->offsetFound = reply.isArray() && !reply.elements.isEmpty();
        bothAnswered();
    });
}

void QSocketIoRedisStreamsNamespaceAdapter::readMissed(const std::shared_ptr<Restore> &restore)
{
    QPointer<QObject> alive(context());
    m_hub->command({"XRANGE", m_hub->streamName.toUtf8(), Messages::nextStreamId(restore->from), "+", "COUNT",
                    QByteArray::number(RestorePageSize)},
                   [this, alive, restore](const Reply &reply) {
        if (!alive)
            return;
        if (!reply.ok || !reply.isArray()) {
            restore->done(false, QSocketIoStoredSession(), {});
            return;
        }
        for (const Reply &element : reply.elements) {
            QSocketIoRedisStreamsEntry entry;
            if (!m_hub->toEntry(element, &entry))
                continue;
            restore->from = entry.id;
            QVariantMap message;
            QString error;
            if (!Messages::decode(entry.fields, &message, &error)) {
                m_hub->drop(QStringLiteral("entry %1: %2").arg(QString::fromLatin1(entry.id), error));
                continue;
            }
            if (message.value(QStringLiteral("nsp")).toString() != nspName
                || message.value(QStringLiteral("type")).toInt() != int(MessageType::Broadcast)) {
                continue;
            }
            Cluster::Decoded decoded;
            if (!Cluster::decode(message, &decoded, &error)) {
                m_hub->drop(QStringLiteral("entry %1: %2").arg(QString::fromLatin1(entry.id), error));
                continue;
            }
            if (decoded.kind != Cluster::Decoded::Broadcast || decoded.options.isVolatile)
                continue;   // a broadcast with acknowledgements, or a volatile one: not replayed
            if (!Messages::sessionReceives(restore->session.rooms, decoded.options))
                continue;
            QVariantList data = decoded.packet.data;
            data.append(QString::fromLatin1(entry.id));
            restore->missed.append(data);
        }
        if (reply.elements.size() < RestorePageSize || ++restore->pages >= RestoreMaxPages) {
            restore->done(true, restore->session, restore->missed);
            return;
        }
        readMissed(restore);
    });
}

// --- QSocketIoRedisStreamsAdapterPrivate --------------------------------------------------------------------

QSocketIoRedisStreamsAdapterPrivate::~QSocketIoRedisStreamsAdapterPrivate()
{
    destroying = true;
    for (Connection *connection : {&cmd, &read}) {
        if (connection->context) {
            redisAsyncContext *ac = std::exchange(connection->context, nullptr);
            ac->data = nullptr;   // the pending callbacks run with no reply and must not reach this object
            redisAsyncFree(ac);
        }
        if (connection->events) {
            connection->parked = redisAsyncContext{};
            connection->events->setContext(&connection->parked);
            delete connection->events;
        }
    }
}

Connection *QSocketIoRedisStreamsAdapterPrivate::connectionOf(const redisAsyncContext *ac)
{
    if (ac == cmd.context)
        return &cmd;
    if (ac == read.context)
        return &read;
    return nullptr;
}

void QSocketIoRedisStreamsAdapterPrivate::start()
{
    if (started)
        return;
    started = true;
    cmd.role = "command";
    read.role = "read";
    open(cmd);
    open(read);
}

void QSocketIoRedisStreamsAdapterPrivate::open(Connection &connection)
{
    if (connection.context || destroying)
        return;
    redisAsyncContext *ac = redisAsyncConnect(hostName.toUtf8().constData(), port);
    if (!ac || ac->err) {
        const QString why = ac ? QString::fromUtf8(ac->errstr) : QStringLiteral("out of memory");
        if (ac)
            redisAsyncFree(ac);
        connectionDown(connection, why);
        return;
    }
    if (ac->c.fd >= 0)   // not inherited by the processes the application starts
        ::fcntl(ac->c.fd, F_SETFD, ::fcntl(ac->c.fd, F_GETFD) | FD_CLOEXEC);
    ac->data = this;
    if (!connection.events)
        connection.events = new RedisQtAdapter(context.get());
    connection.events->setContext(ac);
    connection.context = ac;
    redisAsyncSetConnectCallback(ac, &QSocketIoRedisStreamsAdapterPrivate::onConnect);
    redisAsyncSetDisconnectCallback(ac, &QSocketIoRedisStreamsAdapterPrivate::onDisconnect);
}

void QSocketIoRedisStreamsAdapterPrivate::scheduleRetry(Connection &connection)
{
    if (destroying)
        return;
    connection.backoff = connection.backoff == 0 ? InitialBackoffMs : qMin(connection.backoff * 2, MaxBackoffMs);
    if (!connection.retry) {
        connection.retry = new QTimer(context.get());
        connection.retry->setSingleShot(true);
        Connection *c = &connection;
        QObject::connect(connection.retry, &QTimer::timeout, context.get(), [this, c] { open(*c); });
    }
    connection.retry->start(connection.backoff);
}

void QSocketIoRedisStreamsAdapterPrivate::connectionUp(Connection &connection)
{
    connection.up = true;
    connection.backoff = 0;
    if (connection.everUp)
        qCInfo(lcStreams) << "reconnected the" << connection.role << "connection to Redis at" << hostName << port;
    else
        qCDebug(lcStreams) << "connected the" << connection.role << "connection to Redis at" << hostName << port;
    connection.everUp = true;
    if (!password.isEmpty()) {
        // First in the pipeline: what follows runs once Redis accepted it.
        QList<QByteArray> args{"AUTH"};
        if (!userName.isEmpty())
            args.append(userName.toUtf8());
        args.append(password.toUtf8());
        std::vector<const char *> argv;
        std::vector<size_t> lengths;
        for (const QByteArray &arg : args) {
            argv.push_back(arg.constData());
            lengths.push_back(size_t(arg.size()));
        }
        auto *handler = new ReplyHandler([this](const Reply &reply) {
            if (reply.ok && reply.type == REDIS_REPLY_ERROR) {
                errorString = QStringLiteral("Redis refused the credentials (%1)").arg(QString::fromUtf8(reply.str));
                qCWarning(lcStreams).noquote() << errorString;
                if (q_ptr)
                    Q_EMIT q_ptr->errorOccurred(errorString);
            }
        });
        if (redisAsyncCommandArgv(connection.context, &QSocketIoRedisStreamsAdapterPrivate::onReply, handler,
                                  int(argv.size()), argv.data(), lengths.data()) != REDIS_OK) {
            delete handler;
        }
    }
    if (&connection == &cmd) {
        if (unpublished > 0) {
            qCWarning(lcStreams) << unpublished << "message(s) could not be published while Redis was unreachable";
            unpublished = 0;
        }
        for (QSocketIoRedisStreamsNamespaceAdapter *adapter : std::as_const(adapters))
            adapter->onConnected();
    } else {
        reading = false;
        readNext();
    }
    updateConnected();
}

void QSocketIoRedisStreamsAdapterPrivate::connectionDown(Connection &connection, const QString &why)
{
    const bool wasUp = connection.up;
    connection.up = false;
    connection.context = nullptr;   // hiredis frees it after this callback
    connection.parked = redisAsyncContext{};
    if (connection.events)
        connection.events->setContext(&connection.parked);
    if (&connection == &read)
        reading = false;
    const QString message = wasUp
            ? QStringLiteral("lost the %1 connection to Redis: %2").arg(QLatin1String(connection.role), why)
            : QStringLiteral("cannot connect to Redis at %1:%2 (%3)").arg(hostName).arg(port).arg(why);
    if (message != errorString) {   // the same failure every backoff step is said once
        errorString = message;
        qCWarning(lcStreams).noquote() << message << "- retrying with a backoff; local clients are still served";
        if (q_ptr)
            Q_EMIT q_ptr->errorOccurred(message);
    }
    updateConnected();
    scheduleRetry(connection);
}

void QSocketIoRedisStreamsAdapterPrivate::updateConnected()
{
    const bool now = cmd.up && read.up;
    if (now == connected)
        return;
    connected = now;
    if (now)
        errorString.clear();
    if (q_ptr)
        Q_EMIT q_ptr->connectedChanged();
}

void QSocketIoRedisStreamsAdapterPrivate::onConnect(const redisAsyncContext *ac, int status)
{
    auto *d = static_cast<QSocketIoRedisStreamsAdapterPrivate *>(ac->data);
    if (!d)
        return;
    Connection *connection = d->connectionOf(ac);
    if (!connection)
        return;
    if (status != REDIS_OK)
        d->connectionDown(*connection, QString::fromUtf8(ac->errstr));
    else
        d->connectionUp(*connection);
}

void QSocketIoRedisStreamsAdapterPrivate::onDisconnect(const redisAsyncContext *ac, int status)
{
    auto *d = static_cast<QSocketIoRedisStreamsAdapterPrivate *>(ac->data);
    if (!d || d->destroying)
        return;
    Connection *connection = d->connectionOf(ac);
    if (!connection)
        return;
    const QString why = status == REDIS_OK ? QStringLiteral("closed") : QString::fromUtf8(ac->errstr);
    d->connectionDown(*connection, why.isEmpty() ? QStringLiteral("connection closed") : why);
}

void QSocketIoRedisStreamsAdapterPrivate::onReply(redisAsyncContext *ac, void *replyPointer, void *privdata)
{
    std::unique_ptr<ReplyHandler> handler(static_cast<ReplyHandler *>(privdata));
    auto *d = static_cast<QSocketIoRedisStreamsAdapterPrivate *>(ac->data);
    if (!d || d->destroying || !handler || !*handler)
        return;
    Reply reply = Reply::copy(static_cast<const redisReply *>(replyPointer));
    reply.ok = replyPointer != nullptr;
    // Outside hiredis's callback: the handler may start commands, or delete the server.
    ReplyHandler done = std::move(*handler);
    QMetaObject::invokeMethod(d->context.get(), [done, reply] { done(reply); }, Qt::QueuedConnection);
}

void QSocketIoRedisStreamsAdapterPrivate::command(const QList<QByteArray> &args, const ReplyHandler &done)
{
    if (!cmd.up || !cmd.context) {
        if (done)
            QMetaObject::invokeMethod(context.get(), [done] { done(Reply()); }, Qt::QueuedConnection);
        return;
    }
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    for (const QByteArray &arg : args) {
        argv.push_back(arg.constData());
        lengths.push_back(size_t(arg.size()));
    }
    auto *handler = new ReplyHandler(done);
    if (redisAsyncCommandArgv(cmd.context, &QSocketIoRedisStreamsAdapterPrivate::onReply, handler, int(argv.size()),
                              argv.data(), lengths.data()) != REDIS_OK) {
        delete handler;
        if (done)
            QMetaObject::invokeMethod(context.get(), [done] { done(Reply()); }, Qt::QueuedConnection);
    }
}

void QSocketIoRedisStreamsAdapterPrivate::xadd(const Messages::Fields &fields,
                                               const std::function<void(const QByteArray &)> &done)
{
    if (!cmd.up) {
        if (unpublished++ == 0)
            qCWarning(lcStreams) << "Redis is unreachable: publishing dropped (more may follow)";
    }
    // As Node: XADD <stream> MAXLEN ~ <maxLength> * field value ...
    QList<QByteArray> args{"XADD", streamName.toUtf8(), "MAXLEN", "~", QByteArray::number(maxLength), "*"};
    for (const auto &field : fields) {
        args.append(field.first);
        args.append(field.second);
    }
    command(args, [done](const Reply &reply) {
        if (reply.ok && reply.type == REDIS_REPLY_ERROR)
            qCWarning(lcStreams) << "XADD failed:" << reply.str;
        if (done)
            done(reply.ok && reply.isString() ? reply.str : QByteArray());
    });
}

void QSocketIoRedisStreamsAdapterPrivate::readNext()
{
    if (reading || !read.up || !read.context || adapters.isEmpty() || destroying)
        return;
    reading = true;
    const QByteArray stream = streamName.toUtf8();
    const QByteArray count = QByteArray::number(qMax(1, readCount));
    const QByteArray block = QByteArray::number(XReadBlockMs);
    const char *argv[] = {"XREAD", "COUNT", count.constData(), "BLOCK", block.constData(), "STREAMS",
                          stream.constData(), lastId.constData()};
    const size_t lengths[] = {5, 5, size_t(count.size()), 5, size_t(block.size()), 7, size_t(stream.size()),
                              size_t(lastId.size())};
    auto *handler = new ReplyHandler([this](const Reply &reply) { onRead(reply); });
    if (redisAsyncCommandArgv(read.context, &QSocketIoRedisStreamsAdapterPrivate::onReply, handler, 8, argv,
                              lengths) != REDIS_OK) {
        delete handler;
        reading = false;
    }
}

bool QSocketIoRedisStreamsAdapterPrivate::toEntry(const Reply &reply, QSocketIoRedisStreamsEntry *entry)
{
    if (!reply.isArray() || reply.elements.size() != 2 || !reply.elements[0].isString()
        || !Messages::isStreamId(reply.elements[0].str)) {
        drop(QStringLiteral("a stream entry without a valid id"));
        return false;
    }
    entry->id = reply.elements[0].str;
    const Reply &values = reply.elements[1];
    if (!values.isArray() || values.elements.size() % 2 != 0
        || values.elements.size() > 2 * Messages::MaxFields) {
        drop(QStringLiteral("entry %1: malformed fields").arg(QString::fromLatin1(entry->id)));
        return true;   // its id still counts as read; no fields: decode() refuses it
    }
    for (qsizetype i = 0; i + 1 < values.elements.size(); i += 2) {
        if (!values.elements[i].isString() || !values.elements[i + 1].isString()) {
            entry->fields.clear();
            drop(QStringLiteral("entry %1: a field that is not a string").arg(QString::fromLatin1(entry->id)));
            return true;
        }
        entry->fields.append({values.elements[i].str, values.elements[i + 1].str});
    }
    return true;
}

void QSocketIoRedisStreamsAdapterPrivate::onRead(const Reply &reply)
{
    reading = false;
    if (reply.ok && reply.isArray()) {
        // [[stream, [entry, ...]]]
        for (const Reply &stream : reply.elements) {
            if (!stream.isArray() || stream.elements.size() != 2 || !stream.elements[1].isArray())
                continue;
            for (const Reply &element : stream.elements[1].elements) {
                QSocketIoRedisStreamsEntry entry;
                if (!toEntry(element, &entry))
                    continue;
                lastId = entry.id;
                if (entry.fields.isEmpty())
                    continue;
                QVariantMap message;
                QString error;
                if (!Messages::decode(entry.fields, &message, &error)) {
                    drop(QStringLiteral("entry %1: %2").arg(QString::fromLatin1(entry.id), error));
                    continue;
                }
                if (QSocketIoRedisStreamsNamespaceAdapter *adapter =
                            adapters.value(message.value(QStringLiteral("nsp")).toString())) {
                    adapter->onEntry(message, entry.id);
                }
                if (destroying)
                    return;
            }
        }
    } else if (reply.ok && reply.type == REDIS_REPLY_ERROR) {
        qCWarning(lcStreams) << "XREAD failed:" << reply.str;
    }
    readNext();
}

void QSocketIoRedisStreamsAdapterPrivate::drop(const QString &why)
{
    ++dropped;
    qCDebug(lcStreams).noquote() << "dropped a stream entry:" << why;
    if (q_ptr)
        Q_EMIT q_ptr->droppedEntriesChanged();
}

// --- QSocketIoRedisStreamsAdapter ---------------------------------------------------------------------------

QSocketIoRedisStreamsAdapter::QSocketIoRedisStreamsAdapter(QObject *parent)
    : QObject(parent)
{
    // The last owner may let go inside a callback: freed on the next event-loop pass, outside of hiredis.
    d_ptr.reset(new QSocketIoRedisStreamsAdapterPrivate(this), [](QSocketIoRedisStreamsAdapterPrivate *d) {
        QCoreApplication *app = QCoreApplication::instance();
        if (!app || QCoreApplication::closingDown()) {
            delete d;
            return;
        }
        QMetaObject::invokeMethod(app, [d] { delete d; }, Qt::QueuedConnection);
    });
}

QSocketIoRedisStreamsAdapter::QSocketIoRedisStreamsAdapter(const QString &hostName, quint16 port, QObject *parent)
    : QSocketIoRedisStreamsAdapter(parent)
{
    d_ptr->hostName = hostName;
    d_ptr->port = port;
}

QSocketIoRedisStreamsAdapter::~QSocketIoRedisStreamsAdapter() = default;

#define QTSOCKETIO_STREAMS_PROPERTY(Type, getter, setter, member, signal) \
    Type QSocketIoRedisStreamsAdapter::getter() const { return d_func()->member; } \
    void QSocketIoRedisStreamsAdapter::setter(Type value) \
    { \
        Q_D(QSocketIoRedisStreamsAdapter); \
        if (d->member == value) \
            return; \
        d->member = value; \
        Q_EMIT signal(); \
    }

QTSOCKETIO_STREAMS_PROPERTY(quint16, port, setPort, port, portChanged)
QTSOCKETIO_STREAMS_PROPERTY(int, maxLength, setMaxLength, maxLength, maxLengthChanged)
QTSOCKETIO_STREAMS_PROPERTY(int, readCount, setReadCount, readCount, readCountChanged)
QTSOCKETIO_STREAMS_PROPERTY(int, heartbeatInterval, setHeartbeatInterval, heartbeatInterval, heartbeatIntervalChanged)
QTSOCKETIO_STREAMS_PROPERTY(int, heartbeatTimeout, setHeartbeatTimeout, heartbeatTimeout, heartbeatTimeoutChanged)
#undef QTSOCKETIO_STREAMS_PROPERTY

#define QTSOCKETIO_STREAMS_STRING_PROPERTY(getter, setter, member, signal) \
    QString QSocketIoRedisStreamsAdapter::getter() const { return d_func()->member; } \
    void QSocketIoRedisStreamsAdapter::setter(const QString &value) \
    { \
        Q_D(QSocketIoRedisStreamsAdapter); \
        if (d->member == value) \
            return; \
        d->member = value; \
        Q_EMIT signal(); \
    }

QTSOCKETIO_STREAMS_STRING_PROPERTY(hostName, setHostName, hostName, hostNameChanged)
QTSOCKETIO_STREAMS_STRING_PROPERTY(userName, setUserName, userName, userNameChanged)
QTSOCKETIO_STREAMS_STRING_PROPERTY(password, setPassword, password, passwordChanged)
QTSOCKETIO_STREAMS_STRING_PROPERTY(streamName, setStreamName, streamName, streamNameChanged)
QTSOCKETIO_STREAMS_STRING_PROPERTY(sessionKeyPrefix, setSessionKeyPrefix, sessionKeyPrefix, sessionKeyPrefixChanged)
#undef QTSOCKETIO_STREAMS_STRING_PROPERTY

int QSocketIoRedisStreamsAdapter::requestsTimeout() const { return d_func()->requestsTimeout; }
void QSocketIoRedisStreamsAdapter::setRequestsTimeout(int milliseconds)
{
    Q_D(QSocketIoRedisStreamsAdapter);
    if (d->requestsTimeout == milliseconds)
        return;
    d->requestsTimeout = milliseconds;
    for (QSocketIoRedisStreamsNamespaceAdapter *adapter : std::as_const(d->adapters))
        adapter->setRequestsTimeout(milliseconds);
    Q_EMIT requestsTimeoutChanged();
}

bool QSocketIoRedisStreamsAdapter::isConnected() const { return d_func()->connected; }
qint64 QSocketIoRedisStreamsAdapter::droppedEntries() const { return d_func()->dropped; }
QString QSocketIoRedisStreamsAdapter::errorString() const { return d_func()->errorString; }

void QSocketIoRedisStreamsAdapter::attach(QSocketIoServer *server)
{
    Q_D(QSocketIoRedisStreamsAdapter);
    if (d->server && d->server != server) {
        qCWarning(lcStreams) << "attach(): this adapter serves another server already; use one per server";
        return;
    }
    d->server = server;
    const std::weak_ptr<QSocketIoRedisStreamsAdapterPrivate> hub = d_ptr;
    server->setAdapterFactory([hub](QSocketIoNamespace *nsp) -> std::unique_ptr<QSocketIoAdapter> {
        const std::shared_ptr<QSocketIoRedisStreamsAdapterPrivate> streams = hub.lock();
        if (!streams)
            return nullptr;
        return std::make_unique<QSocketIoRedisStreamsNamespaceAdapter>(nsp, streams);
    });
    d->start();
}

int QSocketIoRedisStreamsAdapter::serverCount(const QString &nsp) const
{
    Q_D(const QSocketIoRedisStreamsAdapter);
    const QSocketIoRedisStreamsNamespaceAdapter *adapter = d->adapters.value(nsp);
    return adapter ? adapter->nodeCount() : 1;
}
