// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include <QtSocketIo/qsocketioredisstreamsadapter.h>
#include <QtSocketIo/qsocketioclusteradapter.h>
#include <QtSocketIo/qsocketioconnectionstaterecovery.h>
#include <QtSocketIo/qsocketionamespace.h>
#include <QtSocketIo/qsocketioserver.h>

#include "qsocketioclustercomponent_p.h"
#include "qsocketioheartbeatclusteradapter_p.h"
#include "qsocketioredisstreamsmessages_p.h"
#include "qsocketioredisconnection_p.h"   // the RESP2 connection and options every Redis adapter shares

#include <QtCore/qloggingcategory.h>
#include <QtCore/qpointer.h>
#include <QtCore/qset.h>
#include <QtCore/qtimer.h>

// Warnings (lost connection) and reconnections by default; "qtsocketio.adapter.redisstreams.debug=true" adds
// each connection and every dropped stream entry.
Q_LOGGING_CATEGORY(lcStreams, "qtsocketio.adapter.redisstreams", QtInfoMsg)

namespace Messages = QSocketIoRedisStreamsMessages;
namespace Cluster = QSocketIoClusterMessages;
using Cluster::MessageType;

static constexpr int XReadBlockMs = 5000;
// The pub/sub channels of @socket.io/redis-streams-adapter 0.3 ("<prefix>#<nsp>#" and "<prefix>#<nsp>#<uid>#"),
// with its default channelPrefix.
static const QByteArray ChannelPrefix = QByteArrayLiteral("socket.io");
// How often the nodes listening on the namespace's channels are counted (PUBSUB CHANNELS).
static constexpr int ListenerProbeMs = 1000;
// restoreSession(): the missed entries are read in pages of this many, at most this many pages (Node reads
// without a count, at most 100 times).
static constexpr int RestorePageSize = 1000;
static constexpr int RestoreMaxPages = 100;

using Reply = QSocketIoRedisReply;
using ReplyHandler = std::function<void(const Reply &)>;

// A stream entry as XREAD and XRANGE give it: [id, [field, value, ...]].
struct QSocketIoRedisStreamsEntry
{
    QByteArray id;
    Messages::Fields fields;
};

// One namespace: its ClusterAdapterWithHeartbeat messages on the shared stream, and its sessions. It also listens
// on the two pub/sub channels of @socket.io/redis-streams-adapter 0.3, which sends there what it does not add to
// the stream (broadcasts with acks, serverSideEmit, fetchSockets, and the answers to a node's requests) and counts
// the nodes by their subscriptions (PUBSUB NUMSUB) instead of heartbeats. This node still adds everything to the
// stream, which the nodes of 0.2 and 0.3 both read, and counts the nodes that send heartbeats (0.2, QtSocketIo)
// and those subscribed to a channel "<prefix>#<nsp>#<uid>#" (0.3, QtSocketIo).
class QSocketIoRedisStreamsNamespaceAdapter : public QSocketIoHeartbeatClusterAdapter
{
public:
    QSocketIoRedisStreamsNamespaceAdapter(QSocketIoNamespace *nsp,
                                          const std::shared_ptr<QSocketIoRedisStreamsAdapterPrivate> &hub);
    ~QSocketIoRedisStreamsNamespaceAdapter() override;

    void onEntry(const QVariantMap &message, const QByteArray &id);
    void onPublished(const QByteArray &channel, const QByteArray &payload);

    const QByteArray publicChannel;    // "<prefix>#<nsp>#"
    const QByteArray privateChannel;   // "<prefix>#<nsp>#<uid>#"

    QStringList broadcast(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options) override;
    bool keepsSessions() const override { return true; }
    void persistSession(const QSocketIoStoredSession &session) override;
    void restoreSession(const QString &pid, const QString &offset, const RestoreSessionCallback &done) override;

protected:
    int heartbeatInterval() const override;
    int heartbeatTimeout() const override;
    void sendMessage(const QVariantMap &message) override;
    void nodeSilent(const QString &uid) override;
    void serverCount(const std::function<void(int)> &done) const override;
    QStringList knownNodes() const override;

private:
    struct Restore;
    void readMissed(const std::shared_ptr<Restore> &restore);
    // Reads which nodes listen on a channel "<prefix>#<nsp>#<uid>#" now; done (if any) is called after.
    void countListeners(const std::function<void()> &done = {});

    std::shared_ptr<QSocketIoRedisStreamsAdapterPrivate> m_hub;
    QSet<QString> m_listeners;   // the other nodes subscribed to their channel, at the last count
    QTimer *m_listenerProbe = nullptr;
};

// The connections, the options and the namespaces' adapters, shared by the public object and the adapters.
class QSocketIoRedisStreamsAdapterPrivate
{
public:
    explicit QSocketIoRedisStreamsAdapterPrivate(QSocketIoRedisStreamsAdapter *q)
        : q_ptr(q), context(std::make_unique<QObject>()) {}

    void start();
    void connectionUp(QSocketIoRedisConnection *connection);
    void connectionDown(QSocketIoRedisConnection *connection, const QString &why);
    void updateConnected();
    void subscribe(QSocketIoRedisStreamsNamespaceAdapter *adapter);
    void unsubscribe(QSocketIoRedisStreamsNamespaceAdapter *adapter);
    void onPushed(const Reply &reply);

    // Runs a command on the command connection; done gets the reply later (lost when Redis is down).
    void command(const QList<QByteArray> &args, const ReplyHandler &done);
    void xadd(const Messages::Fields &fields, const std::function<void(const QByteArray &id)> &done);
    void readNext();
    void onRead(const Reply &reply);
    void skipUnreadableEntry();
    bool toEntry(const Reply &reply, QSocketIoRedisStreamsEntry *entry);
    void drop(const QString &why);

    QPointer<QSocketIoRedisStreamsAdapter> q_ptr;
    std::unique_ptr<QObject> context;   // parent of the connections
    QSocketIoRedisOptions options;
    QString url;
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
    bool reading = false;
    bool protocolFailure = false;   // the read connection broke on a reply it could not take (too large)
    int cautious = 0;               // entries still to read one at a time since then (one batch)
    QByteArray lastId = "$";   // where XREAD goes on
    qint64 dropped = 0;         // stream entries dropped as malformed
    qint64 unpublished = 0;     // messages not published while Redis was down
    QPointer<QSocketIoServer> server;
    QSocketIoRedisConnection *cmd = nullptr;    // XADD, SET, GETDEL, XRANGE
    QSocketIoRedisConnection *read = nullptr;   // XREAD BLOCK only
    QSocketIoRedisConnection *sub = nullptr;    // SUBSCRIBE to the namespaces' channels
    QHash<QString, QSocketIoRedisStreamsNamespaceAdapter *> adapters;   // by namespace name
};

// --- QSocketIoRedisStreamsNamespaceAdapter -----------------------------------------------------------------

QSocketIoRedisStreamsNamespaceAdapter::QSocketIoRedisStreamsNamespaceAdapter(
        QSocketIoNamespace *nsp, const std::shared_ptr<QSocketIoRedisStreamsAdapterPrivate> &hub)
    : QSocketIoHeartbeatClusterAdapter(nsp, lcStreams),
      publicChannel(ChannelPrefix + '#' + nsp->name().toUtf8() + '#'),
      privateChannel(publicChannel + uid().toUtf8() + '#'),
      m_hub(hub)
{
    setRequestsTimeout(hub->requestsTimeout);
    startHeartbeat();
    m_listenerProbe = new QTimer(context());
    QObject::connect(m_listenerProbe, &QTimer::timeout, context(), [this] { countListeners(); });
    m_listenerProbe->start(ListenerProbeMs);
    m_hub->adapters.insert(nspName, this);
    m_hub->subscribe(this);
    if (m_hub->cmd && m_hub->cmd->isUp())
        publishInitialHeartbeat();
    m_hub->readNext();
}

QSocketIoRedisStreamsNamespaceAdapter::~QSocketIoRedisStreamsNamespaceAdapter()
{
    if (m_hub->cmd && m_hub->cmd->isUp())
        publishClose();
    if (m_hub->adapters.value(nspName) == this) {
        m_hub->adapters.remove(nspName);
        m_hub->unsubscribe(this);
    }
}

void QSocketIoRedisStreamsNamespaceAdapter::nodeSilent(const QString &uid)
{
    // A node of 0.3 sends no heartbeats: it is there as long as it listens.
    if (!m_listeners.contains(uid))
        nodeLeft(uid);
}

QStringList QSocketIoRedisStreamsNamespaceAdapter::knownNodes() const
{
    QStringList nodes = QSocketIoHeartbeatClusterAdapter::knownNodes();
    for (const QString &node : m_listeners) {
        if (!nodes.contains(node))
            nodes.append(node);
    }
    return nodes;
}

void QSocketIoRedisStreamsNamespaceAdapter::serverCount(const std::function<void(int)> &done) const
{
    // Counted afresh: what the caller waits for (fetchSockets, serverSideEmitWithAck) follows knownNodes().
    auto *self = const_cast<QSocketIoRedisStreamsNamespaceAdapter *>(this);
    self->countListeners([self, done] { done(self->nodeCount()); });
}

// A glob pattern (PUBSUB CHANNELS) matching text literally.
static QByteArray globEscaped(const QByteArray &text)
{
    QByteArray out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\')
            out.append('\\');
        out.append(c);
    }
    return out;
}

void QSocketIoRedisStreamsNamespaceAdapter::countListeners(const std::function<void()> &done)
{
    QPointer<QObject> alive(context());
    m_hub->command({"PUBSUB", "CHANNELS", globEscaped(publicChannel) + "*#"}, [this, alive, done](const Reply &reply) {
        if (!alive)
            return;
        if (reply.isArray()) {   // else (Redis unreachable) the last count stands
            QSet<QString> now;
            for (const Reply &channel : reply.elements) {
                const QByteArray name = channel.type == Reply::String ? channel.string : QByteArray();
                const QByteArray id = name.mid(publicChannel.size(), name.size() - publicChannel.size() - 1);
                if (!name.startsWith(publicChannel) || !name.endsWith('#') || id.isEmpty() || id.contains('#')
                    || id.size() > Messages::MaxIdBytes) {
                    continue;
                }
                const QString node = QString::fromUtf8(id);
                if (node != uid())
                    now.insert(node);
            }
            const QSet<QString> before = std::exchange(m_listeners, now);
            const QStringList beating = QSocketIoHeartbeatClusterAdapter::knownNodes();
            for (const QString &node : before) {
                if (!now.contains(node) && !beating.contains(node))
                    nodeLeft(node);
            }
        }
        if (done)
            done();
    });
}

void QSocketIoRedisStreamsNamespaceAdapter::onPublished(const QByteArray &channel, const QByteArray &payload)
{
    QVariantMap message;
    QString error;
    Cluster::Decoded decoded;
    if (!Messages::decodePublished(payload, &message, &error) || !Cluster::decode(message, &decoded, &error)) {
        m_hub->drop(QStringLiteral("a message on %1: %2").arg(QString::fromUtf8(channel), error));
        return;
    }
    if (message.value(QStringLiteral("nsp")).toString() != nspName)
        return;   // as Node: a message of another namespace
    receive(decoded);
}

int QSocketIoRedisStreamsNamespaceAdapter::heartbeatInterval() const
{
    return m_hub->heartbeatInterval;
}

int QSocketIoRedisStreamsNamespaceAdapter::heartbeatTimeout() const
{
    return m_hub->heartbeatTimeout;
}

void QSocketIoRedisStreamsNamespaceAdapter::sendMessage(const QVariantMap &message)
{
    m_hub->xadd(Messages::encode(message), {});
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
    postponeHeartbeat();
    m_hub->xadd(Messages::encode(Cluster::encodeBroadcast(uid(), nspName, packet, options)),
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

void QSocketIoRedisStreamsNamespaceAdapter::onEntry(const QVariantMap &message, const QByteArray &id)
{
    Cluster::Decoded decoded;
    QString error;
    if (!Cluster::decode(message, &decoded, &error)) {
        m_hub->drop(QStringLiteral("entry %1: %2").arg(QString::fromLatin1(id), error));
        return;
    }
    receive(decoded, QString::fromLatin1(id));   // the entry id is a broadcast packet's offset
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
        if (reply.isError())
            qCWarning(lcStreams) << "could not keep a session in Redis:" << reply.string;
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
        if (reply.isError()) {
            restore->failed = true;
        } else if (reply.type == Reply::String) {
            QString error;
            if (Messages::decodeSession(reply.string, &restore->session, &error))
                restore->sessionFound = true;
            else
                qCDebug(lcStreams) << "dropped a kept session:" << error;
        }
        bothAnswered();
    });
    m_hub->command({"XRANGE", m_hub->streamName.toUtf8(), restore->from, restore->from},
                   [restore, bothAnswered](const Reply &reply) {
        if (reply.isError())
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
        if (!reply.isArray()) {
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

void QSocketIoRedisStreamsAdapterPrivate::start()
{
    if (started)
        return;
    started = true;
    cmd = new QSocketIoRedisConnection("command", context.get());
    read = new QSocketIoRedisConnection("read", context.get());
    sub = new QSocketIoRedisConnection("subscribe", context.get());
    for (QSocketIoRedisConnection *connection : {cmd, read, sub}) {
        connection->setOptions(options);
        QObject::connect(connection, &QSocketIoRedisConnection::up, context.get(),
                         [this, connection] { connectionUp(connection); });
        QObject::connect(connection, &QSocketIoRedisConnection::down, context.get(),
                         [this, connection](const QString &why) { connectionDown(connection, why); });
        QObject::connect(connection, &QSocketIoRedisConnection::failed, context.get(),
                         [this, connection](QSocketIoRedisConnection::Failure failure, const QString &message) {
                             if (connection == read && failure == QSocketIoRedisConnection::Failure::Protocol)
                                 protocolFailure = true;
                             connectionDown(connection, message);
                         });
    }
    // Outside of the connection's read loop, as every reply here: a message may delete the server.
    QObject::connect(sub, &QSocketIoRedisConnection::pushed, context.get(), [this](const Reply &reply) {
        QMetaObject::invokeMethod(context.get(), [this, reply] { onPushed(reply); }, Qt::QueuedConnection);
    });
    cmd->open();
    read->open();
    sub->open();
}

void QSocketIoRedisStreamsAdapterPrivate::subscribe(QSocketIoRedisStreamsNamespaceAdapter *adapter)
{
    if (sub && sub->isUp())
        sub->subscription("SUBSCRIBE", {adapter->publicChannel, adapter->privateChannel});
}

void QSocketIoRedisStreamsAdapterPrivate::unsubscribe(QSocketIoRedisStreamsNamespaceAdapter *adapter)
{
    if (sub && sub->isUp())
        sub->subscription("UNSUBSCRIBE", {adapter->publicChannel, adapter->privateChannel});
}

void QSocketIoRedisStreamsAdapterPrivate::onPushed(const Reply &reply)
{
    if (reply.text(0) != "message" || reply.elements.size() != 3)
        return;   // a confirmation
    const QByteArray channel = reply.text(1);
    for (QSocketIoRedisStreamsNamespaceAdapter *adapter : std::as_const(adapters)) {
        if (channel == adapter->publicChannel || channel == adapter->privateChannel) {
            adapter->onPublished(channel, reply.text(2));
            return;
        }
    }
}

void QSocketIoRedisStreamsAdapterPrivate::connectionUp(QSocketIoRedisConnection *connection)
{
    qCDebug(lcStreams) << "connected the" << connection->role() << "connection to Redis at" << connection->peer();
    if (connection == sub) {
        for (QSocketIoRedisStreamsNamespaceAdapter *adapter : std::as_const(adapters))
            subscribe(adapter);
    } else if (connection == cmd) {
        if (unpublished > 0) {
            qCWarning(lcStreams) << unpublished << "message(s) could not be published while Redis was unreachable";
            unpublished = 0;
        }
        for (QSocketIoRedisStreamsNamespaceAdapter *adapter : std::as_const(adapters))
            adapter->publishInitialHeartbeat();
    } else {
        reading = false;
        // An entry too large for the connection's reader (a bulk over 64 MiB) broke it: read one entry at a
        // time; if that breaks too, the first entry after lastId is the one, and it is skipped.
        if (std::exchange(protocolFailure, false)) {
            if (cautious > 0 && lastId != "$") {
                skipUnreadableEntry();
                updateConnected();
                return;
            }
            cautious = qMax(1, readCount);
        }
        readNext();
    }
    updateConnected();
}

void QSocketIoRedisStreamsAdapterPrivate::connectionDown(QSocketIoRedisConnection *connection, const QString &why)
{
    if (connection == read)
        reading = false;
    const QString message = QStringLiteral("the %1 connection to Redis at %2: %3")
                                    .arg(QString::fromLatin1(connection->role()), options.describe(), why);
    if (message != errorString) {   // the same failure every backoff step is said once
        errorString = message;
        qCWarning(lcStreams).noquote() << message << "- retrying with a backoff; local clients are still served";
        if (q_ptr)
            Q_EMIT q_ptr->errorOccurred(message);
    }
    updateConnected();
}

void QSocketIoRedisStreamsAdapterPrivate::updateConnected()
{
    const bool now = cmd && read && sub && cmd->isUp() && read->isUp() && sub->isUp();
    if (now == connected)
        return;
    connected = now;
    if (now)
        errorString.clear();
    if (q_ptr)
        Q_EMIT q_ptr->connectedChanged();
}

// The reply goes to done on the next event-loop pass, outside the connection's reading: done may start
// commands, or delete the server.
static QSocketIoRedisConnection::Callback deferred(QObject *context, const ReplyHandler &done)
{
    QPointer<QObject> guard(context);
    return [guard, done](const Reply &reply) {
        if (guard)
            QMetaObject::invokeMethod(guard, [done, reply] { done(reply); }, Qt::QueuedConnection);
    };
}

void QSocketIoRedisStreamsAdapterPrivate::command(const QList<QByteArray> &args, const ReplyHandler &done)
{
    const ReplyHandler handler = done ? done : ReplyHandler([](const Reply &) {});
    if (!cmd || !cmd->command(args, deferred(context.get(), handler))) {
        Reply lost;
        lost.type = Reply::Error;
        lost.lost = true;
        lost.string = "Redis is unreachable";
        QMetaObject::invokeMethod(context.get(), [handler, lost] { handler(lost); }, Qt::QueuedConnection);
    }
}

void QSocketIoRedisStreamsAdapterPrivate::xadd(const Messages::Fields &fields,
                                               const std::function<void(const QByteArray &)> &done)
{
    if (!cmd || !cmd->isUp()) {
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
        if (reply.isError() && !reply.lost)
            qCWarning(lcStreams) << "XADD failed:" << reply.string;
        if (done)
            done(reply.type == Reply::String ? reply.string : QByteArray());
    });
}

void QSocketIoRedisStreamsAdapterPrivate::skipUnreadableEntry()
{
    // Only its id, without its fields: through a script on the command connection.
    static const QByteArray script =
            "local e = redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', 1) if e[1] then return e[1][1] end "
            "return false";
    reading = true;
    command({"EVAL", script, "1", streamName.toUtf8(), Messages::nextStreamId(lastId)}, [this](const Reply &reply) {
        reading = false;
        if (reply.type == Reply::String && Messages::isStreamId(reply.string)) {
            lastId = reply.string;
            cautious = 0;
            drop(QStringLiteral("entry %1: too large to read").arg(QString::fromLatin1(lastId)));
        }
        readNext();
    });
}

void QSocketIoRedisStreamsAdapterPrivate::readNext()
{
    if (reading || !read || !read->isUp() || adapters.isEmpty())
        return;
    const QList<QByteArray> args{"XREAD", "COUNT", QByteArray::number(cautious > 0 ? 1 : qMax(1, readCount)), "BLOCK",
                                 QByteArray::number(XReadBlockMs), "STREAMS", streamName.toUtf8(), lastId};
    reading = read->command(args, deferred(context.get(), [this](const Reply &reply) { onRead(reply); }));
}

bool QSocketIoRedisStreamsAdapterPrivate::toEntry(const Reply &reply, QSocketIoRedisStreamsEntry *entry)
{
    if (!reply.isArray() || reply.elements.size() != 2 || reply.elements[0].type != Reply::String
        || !Messages::isStreamId(reply.elements[0].string)) {
        drop(QStringLiteral("a stream entry without a valid id"));
        return false;
    }
    entry->id = reply.elements[0].string;
    const Reply &values = reply.elements[1];
    if (!values.isArray() || values.elements.size() % 2 != 0
        || values.elements.size() > 2 * Messages::MaxFields) {
        drop(QStringLiteral("entry %1: malformed fields").arg(QString::fromLatin1(entry->id)));
        return true;   // its id still counts as read; no fields: decode() refuses it
    }
    for (qsizetype i = 0; i + 1 < values.elements.size(); i += 2) {
        if (values.elements[i].type != Reply::String || values.elements[i + 1].type != Reply::String) {
            entry->fields.clear();
            drop(QStringLiteral("entry %1: a field that is not a string").arg(QString::fromLatin1(entry->id)));
            return true;
        }
        entry->fields.append({values.elements[i].string, values.elements[i + 1].string});
    }
    return true;
}

void QSocketIoRedisStreamsAdapterPrivate::onRead(const Reply &reply)
{
    reading = false;
    if (reply.isArray() && cautious > 0)
        --cautious;
    if (reply.isArray()) {
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
            }
        }
    } else if (reply.isError() && !reply.lost) {
        qCWarning(lcStreams) << "XREAD failed:" << reply.string;
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
    d_ptr = qtsocketioDeferredHub(new QSocketIoRedisStreamsAdapterPrivate(this));
}

QSocketIoRedisStreamsAdapter::QSocketIoRedisStreamsAdapter(const QString &hostName, quint16 port, QObject *parent)
    : QSocketIoRedisStreamsAdapter(parent)
{
    d_ptr->options.hostName = hostName;
    d_ptr->options.port = port;
}

QSocketIoRedisStreamsAdapter::~QSocketIoRedisStreamsAdapter() = default;

QTSOCKETIO_REDIS_OPTION_PROPERTY(QSocketIoRedisStreamsAdapter, QString, const QString &, hostName, setHostName)
QTSOCKETIO_REDIS_OPTION_PROPERTY(QSocketIoRedisStreamsAdapter, quint16, quint16, port, setPort)
QTSOCKETIO_REDIS_OPTION_PROPERTY(QSocketIoRedisStreamsAdapter, QString, const QString &, userName, setUserName)
QTSOCKETIO_REDIS_OPTION_PROPERTY(QSocketIoRedisStreamsAdapter, QString, const QString &, password, setPassword)

#define QTSOCKETIO_STREAMS_PROPERTY(Type, ParameterType, getter, setter) \
    Type QSocketIoRedisStreamsAdapter::getter() const { return d_func()->getter; } \
    void QSocketIoRedisStreamsAdapter::setter(ParameterType value) \
    { \
        Q_D(QSocketIoRedisStreamsAdapter); \
        if (d->getter == value) \
            return; \
        d->getter = value; \
        Q_EMIT getter##Changed(); \
    }

QTSOCKETIO_STREAMS_PROPERTY(int, int, maxLength, setMaxLength)
QTSOCKETIO_STREAMS_PROPERTY(int, int, readCount, setReadCount)
QTSOCKETIO_STREAMS_PROPERTY(int, int, heartbeatInterval, setHeartbeatInterval)
QTSOCKETIO_STREAMS_PROPERTY(int, int, heartbeatTimeout, setHeartbeatTimeout)
QTSOCKETIO_STREAMS_PROPERTY(QString, const QString &, streamName, setStreamName)
QTSOCKETIO_STREAMS_PROPERTY(QString, const QString &, sessionKeyPrefix, setSessionKeyPrefix)
#undef QTSOCKETIO_STREAMS_PROPERTY

QString QSocketIoRedisStreamsAdapter::url() const { return d_func()->url; }
bool QSocketIoRedisStreamsAdapter::setUrl(const QString &url)
{
    Q_D(QSocketIoRedisStreamsAdapter);
    QSocketIoRedisOptions parsed = d->options;
    QString why;
    if (!QSocketIoRedisOptions::parseUrl(url, &parsed, &why)) {
        qCWarning(lcStreams).noquote() << "setUrl():" << why;
        return false;
    }
    if (d->url == url)
        return true;
    qtsocketioApplyRedisUrl(this, d, url, parsed);
    return true;
}

int QSocketIoRedisStreamsAdapter::requestsTimeout() const { return d_func()->requestsTimeout; }
void QSocketIoRedisStreamsAdapter::setRequestsTimeout(int milliseconds)
{
    qtsocketioSetRequestsTimeout(this, d_func(), milliseconds);
}

bool QSocketIoRedisStreamsAdapter::isConnected() const { return d_func()->connected; }
qint64 QSocketIoRedisStreamsAdapter::droppedEntries() const { return d_func()->dropped; }
QString QSocketIoRedisStreamsAdapter::errorString() const { return d_func()->errorString; }

void QSocketIoRedisStreamsAdapter::attach(QSocketIoServer *server)
{
    qtsocketioAttachCluster<QSocketIoRedisStreamsNamespaceAdapter>(server, d_ptr, lcStreams);
}

int QSocketIoRedisStreamsAdapter::serverCount(const QString &nsp) const
{
    Q_D(const QSocketIoRedisStreamsAdapter);
    const QSocketIoRedisStreamsNamespaceAdapter *adapter = d->adapters.value(nsp);
    return adapter ? adapter->nodeCount() : 1;
}
