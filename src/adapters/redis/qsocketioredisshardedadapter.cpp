// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include <QtSocketIo/qsocketioredisshardedadapter.h>
#include <QtSocketIo/qsocketioclusteradapter.h>
#include <QtSocketIo/qsocketioserver.h>

#include "qsocketioclustercomponent_p.h"
#include "qsocketiooutagequeue_p.h"
#include "qsocketiorediscluster_p.h"
#include "qsocketioredisshardedmessages_p.h"

#include <QtCore/qloggingcategory.h>
#include <QtCore/qpointer.h>

// Warnings (dropped messages, connection failures) by default; "qtsocketio.adapter.redis.sharded.debug=true"
// adds each message refused by the decoder.
Q_LOGGING_CATEGORY(lcRedisSharded, "qtsocketio.adapter.redis.sharded", QtInfoMsg)

namespace Messages = QSocketIoClusterMessages;

/*!
    \class QSocketIoRedisShardedAdapter
    \inmodule QtSocketIo
    \brief Links the nodes of a cluster through Redis 7's sharded pub/sub, wire-compatible with the sharded
    adapter of @socket.io/redis-adapter.
*/

class QSocketIoRedisShardedNamespaceAdapter : public QSocketIoClusterAdapter
{
public:
    QSocketIoRedisShardedNamespaceAdapter(QSocketIoNamespace *nsp,
                                          const std::shared_ptr<QSocketIoRedisShardedAdapterPrivate> &hub);
    ~QSocketIoRedisShardedNamespaceAdapter() override;

    void onMessage(const QByteArray &channelName, const QByteArray &bytes);

    void addAll(const QString &socketId, const QStringList &rooms) override;
    void del(const QString &socketId, const QString &room) override;
    void delAll(const QString &socketId) override;

    QByteArray channel;           // "<prefix>#<nsp>#"
    QByteArray responseChannel;   // "<prefix>#<nsp>#<uid>#"
    QString nspName;
    QSet<QString> dynamicRooms;   // the rooms with a channel of their own, subscribed

protected:
    void publishBroadcast(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options) override;
    void publishRequest(const Request &request) override;
    void publishResponse(const Request &request, const Response &response) override;
    void serverCount(const std::function<void(int)> &done) const override;

private:
    QByteArray roomChannel(const QString &room) const { return channel + room.toUtf8() + '#'; }
    bool wantsChannel(const QString &room, bool isSocketId) const;
    void syncRooms(const QString &socketId, const QStringList &candidates);

    std::shared_ptr<QSocketIoRedisShardedAdapterPrivate> m_hub;
};

class QSocketIoRedisShardedAdapterPrivate
{
public:
    explicit QSocketIoRedisShardedAdapterPrivate(QSocketIoRedisShardedAdapter *q)
        : q_ptr(q), context(std::make_unique<QObject>())
    {
    }
    ~QSocketIoRedisShardedAdapterPrivate()
    {
        destroying = true;
        context.reset();
    }

    void start();
    void publish(const QByteArray &channel, const QByteArray &message);
    void flush();
    void reportDropped();
    void setError(QSocketIoRedisShardedAdapter::Error code, const QString &message);

    QPointer<QSocketIoRedisShardedAdapter> q_ptr;
    std::unique_ptr<QObject> context;
    QSocketIoRedisOptions options;
    QString url;
    QString prefix = QStringLiteral("socket.io");
    QSocketIoRedisShardedAdapter::SubscriptionMode mode = QSocketIoRedisShardedAdapter::SubscriptionMode::Dynamic;
    int requestsTimeout = 5000;
    QSocketIoRedisShardedAdapter::Error error = QSocketIoRedisShardedAdapter::Error::NoError;
    QString errorString;
    bool connected = false;
    bool destroying = false;
    QPointer<QSocketIoServer> server;
    QSocketIoRedisCluster *cluster = nullptr;
    QList<QSocketIoRedisShardedNamespaceAdapter *> adapters;
    QSocketIoOutageQueue queue;
    qint64 droppedThisOutage = 0;
    qint64 droppedTotal = 0;
    qint64 malformed = 0;   // messages the decoder refused
};

// --- QSocketIoRedisShardedNamespaceAdapter -----------------------------------------------------------------

QSocketIoRedisShardedNamespaceAdapter::QSocketIoRedisShardedNamespaceAdapter(
        QSocketIoNamespace *nsp, const std::shared_ptr<QSocketIoRedisShardedAdapterPrivate> &hub)
    : QSocketIoClusterAdapter(nsp), m_hub(hub)
{
    setRequestsTimeout(hub->requestsTimeout);
    nspName = nsp->name();
    channel = hub->prefix.toUtf8() + '#' + nspName.toUtf8() + '#';
    responseChannel = channel + uid().toUtf8() + '#';
    hub->adapters.append(this);
    hub->cluster->subscribe(channel);
    hub->cluster->subscribe(responseChannel);
}

QSocketIoRedisShardedNamespaceAdapter::~QSocketIoRedisShardedNamespaceAdapter()
{
    m_hub->adapters.removeAll(this);
    if (m_hub->destroying || !m_hub->cluster)
        return;
    m_hub->cluster->unsubscribe(channel);
    m_hub->cluster->unsubscribe(responseChannel);
    for (const QString &room : std::as_const(dynamicRooms))
        m_hub->cluster->unsubscribe(roomChannel(room));
}

bool QSocketIoRedisShardedNamespaceAdapter::wantsChannel(const QString &, bool isSocketId) const
{
    using Mode = QSocketIoRedisShardedAdapter::SubscriptionMode;
    return m_hub->mode == Mode::DynamicPrivate || (m_hub->mode == Mode::Dynamic && !isSocketId);
}

void QSocketIoRedisShardedNamespaceAdapter::syncRooms(const QString &socketId, const QStringList &candidates)
{
    if (m_hub->mode == QSocketIoRedisShardedAdapter::SubscriptionMode::Static)
        return;
    for (const QString &room : candidates) {
        const bool exists = hasRoom(room);
        if (exists && !dynamicRooms.contains(room) && wantsChannel(room, room == socketId)) {
            dynamicRooms.insert(room);
            m_hub->cluster->subscribe(roomChannel(room));
        } else if (!exists && dynamicRooms.remove(room)) {
            m_hub->cluster->unsubscribe(roomChannel(room));
        }
    }
}

void QSocketIoRedisShardedNamespaceAdapter::addAll(const QString &socketId, const QStringList &rooms)
{
    QSocketIoClusterAdapter::addAll(socketId, rooms);
    syncRooms(socketId, rooms);
}

void QSocketIoRedisShardedNamespaceAdapter::del(const QString &socketId, const QString &room)
{
    QSocketIoClusterAdapter::del(socketId, room);
    syncRooms(socketId, {room});
}

void QSocketIoRedisShardedNamespaceAdapter::delAll(const QString &socketId)
{
    const QStringList rooms = socketRooms(socketId);
    QSocketIoClusterAdapter::delAll(socketId);
    syncRooms(socketId, rooms);
}

void QSocketIoRedisShardedNamespaceAdapter::publishBroadcast(const QSocketIoBroadcastPacket &packet,
                                                             const QSocketIoBroadcastOptions &options)
{
    using Mode = QSocketIoRedisShardedAdapter::SubscriptionMode;
    QByteArray target = channel;
    // One room, no acks: its own channel in the dynamic modes (Node: a room named like a socket id, 20
    // characters, stays on the namespace's channel in "dynamic").
    if (options.rooms.size() == 1) {
        const QString &room = options.rooms.first();
        if ((m_hub->mode == Mode::Dynamic && room.size() != 20) || m_hub->mode == Mode::DynamicPrivate)
            target = roomChannel(room);
    }
    m_hub->publish(target, QSocketIoRedisShardedMessages::encode(Messages::encodeBroadcast(uid(), nspName, packet,
                                                                                           options)));
}

void QSocketIoRedisShardedNamespaceAdapter::publishRequest(const Request &request)
{
    const QVariantMap message = Messages::encodeRequest(nspName, request);
    if (message.isEmpty())
        return;   // a request only the classic Redis adapter knows
    m_hub->publish(channel, QSocketIoRedisShardedMessages::encode(message));
}

void QSocketIoRedisShardedNamespaceAdapter::publishResponse(const Request &request, const Response &response)
{
    if (request.uid.isEmpty())
        return;
    m_hub->publish(channel + request.uid.toUtf8() + '#',
                   QSocketIoRedisShardedMessages::encode(Messages::encodeResponse(uid(), nspName, response)));
}

void QSocketIoRedisShardedNamespaceAdapter::serverCount(const std::function<void(int)> &done) const
{
    QPointer<QObject> alive(context());
    m_hub->cluster->shardNumSub(channel, [alive, done](int count) {
        if (alive)
            done(qMax(1, count));
    });
}

void QSocketIoRedisShardedNamespaceAdapter::onMessage(const QByteArray &channelName, const QByteArray &bytes)
{
    QVariantMap message;
    QString error;
    if (!QSocketIoRedisShardedMessages::decode(bytes, &message, &error)) {
        ++m_hub->malformed;
        qCDebug(lcRedisSharded).noquote() << "dropped a message on" << QString::fromUtf8(channelName) << ":" << error;
        return;
    }
    if (!message.contains(QStringLiteral("nsp")))
        message.insert(QStringLiteral("nsp"), nspName);
    Messages::Decoded decoded;
    if (!Messages::decode(message, &decoded, &error)) {
        ++m_hub->malformed;
        qCDebug(lcRedisSharded).noquote() << "dropped a message on" << QString::fromUtf8(channelName) << ":" << error;
        return;
    }
    if (decoded.uid == uid())
        return;
    if (channelName == responseChannel) {
        if (decoded.kind == Messages::Decoded::Response && isPendingRequest(decoded.response.requestId))
            handleResponse(decoded.response);
        return;
    }
    switch (decoded.kind) {
    case Messages::Decoded::Broadcast:
        handleBroadcast(decoded.uid, decoded.packet, decoded.options);
        return;
    case Messages::Decoded::Request:
        handleRequest(decoded.request);
        return;
    case Messages::Decoded::Response:
    case Messages::Decoded::Signal:
        return;
    }
}

// --- QSocketIoRedisShardedAdapterPrivate -------------------------------------------------------------------

void QSocketIoRedisShardedAdapterPrivate::start()
{
    if (cluster)
        return;
    cluster = new QSocketIoRedisCluster(context.get());
    cluster->setOptions(options);
    QObject::connect(cluster, &QSocketIoRedisCluster::message, context.get(),
                     [this](const QByteArray &channel, const QByteArray &payload) {
                         // The longest matching namespace channel: "<prefix>#/#..." is a prefix of every "/" one.
                         QSocketIoRedisShardedNamespaceAdapter *best = nullptr;
                         for (QSocketIoRedisShardedNamespaceAdapter *a : std::as_const(adapters)) {
                             if (channel.startsWith(a->channel) && (!best || a->channel.size() > best->channel.size()))
                                 best = a;
                         }
                         if (best)
                             best->onMessage(channel, payload);
                     });
    QObject::connect(cluster, &QSocketIoRedisCluster::readyChanged, context.get(), [this] {
        connected = cluster->isReady();
        if (connected) {
            error = QSocketIoRedisShardedAdapter::Error::NoError;
            errorString.clear();
            flush();
        }
        if (q_ptr)
            Q_EMIT q_ptr->connectedChanged();
    });
    QObject::connect(cluster, &QSocketIoRedisCluster::failed, context.get(),
                     [this](QSocketIoRedisConnection::Failure failure, const QString &message) {
                         if (failure == QSocketIoRedisConnection::Failure::Authentication)
                             setError(QSocketIoRedisShardedAdapter::Error::AuthenticationError, message);
                         else
                             setError(QSocketIoRedisShardedAdapter::Error::ConnectionError,
                                      QStringLiteral("cannot connect to Redis at %1 (%2)").arg(options.describe(), message));
                     });
    cluster->start();
}

void QSocketIoRedisShardedAdapterPrivate::setError(QSocketIoRedisShardedAdapter::Error code, const QString &message)
{
    if (message == errorString)
        return;
    error = code;
    errorString = message;
    qCWarning(lcRedisSharded).noquote() << message << "- retrying with a backoff; local clients are still served";
    if (q_ptr)
        Q_EMIT q_ptr->errorOccurred(code);
}

void QSocketIoRedisShardedAdapterPrivate::publish(const QByteArray &channel, const QByteArray &message)
{
    if (queue.isEmpty() && cluster && cluster->publish(channel, message))
        return;
    // No connection to the slot's master now: in the outage queue, in order.
    if (!queue.enqueue(channel, message))
        reportDropped();
}

void QSocketIoRedisShardedAdapterPrivate::reportDropped()
{
    const qint64 count = queue.takeDropped();
    if (count <= 0)
        return;
    if (droppedThisOutage == 0)
        qCWarning(lcRedisSharded) << "Redis is unreachable and the outage queue is full: dropping what this node "
                                     "publishes (more may follow)";
    droppedThisOutage += count;
    droppedTotal += count;
    if (q_ptr)
        Q_EMIT q_ptr->publicationsDropped(count);
}

void QSocketIoRedisShardedAdapterPrivate::flush()
{
    queue.expire();
    reportDropped();
    while (!queue.isEmpty()) {
        QSocketIoOutageQueue::Item item = queue.takeFirst();
        if (!cluster->publish(item.channel, item.message)) {
            queue.requeueFront({item});
            return;
        }
    }
    if (droppedThisOutage > 0)
        qCWarning(lcRedisSharded) << droppedThisOutage << "publication(s) were dropped while Redis was unreachable";
    droppedThisOutage = 0;
}

// --- QSocketIoRedisShardedAdapter --------------------------------------------------------------------------

QSocketIoRedisShardedAdapter::QSocketIoRedisShardedAdapter(QObject *parent)
    : QObject(parent)
{
    d_ptr = qtsocketioDeferredHub(new QSocketIoRedisShardedAdapterPrivate(this));
}

QSocketIoRedisShardedAdapter::~QSocketIoRedisShardedAdapter() = default;

QString QSocketIoRedisShardedAdapter::url() const { return d_func()->url; }
void QSocketIoRedisShardedAdapter::setUrl(const QString &url)
{
    Q_D(QSocketIoRedisShardedAdapter);
    if (d->url == url)
        return;
    QString why;
    QSocketIoRedisOptions parsed = d->options;
    if (!QSocketIoRedisOptions::parseUrl(url, &parsed, &why)) {
        qCWarning(lcRedisSharded).noquote() << "setUrl():" << why;
        d->error = Error::InvalidUrlError;
        d->errorString = QStringLiteral("invalid Redis URL: ") + why;
        Q_EMIT errorOccurred(Error::InvalidUrlError);
        return;
    }
    d->options = parsed;
    d->url = url;
    Q_EMIT urlChanged();
}

QSslConfiguration QSocketIoRedisShardedAdapter::sslConfiguration() const { return d_func()->options.sslConfiguration; }
void QSocketIoRedisShardedAdapter::setSslConfiguration(const QSslConfiguration &configuration)
{
    Q_D(QSocketIoRedisShardedAdapter);
    if (d->options.sslConfiguration == configuration)
        return;
    d->options.sslConfiguration = configuration;
    Q_EMIT sslConfigurationChanged();
}

QString QSocketIoRedisShardedAdapter::channelPrefix() const { return d_func()->prefix; }
void QSocketIoRedisShardedAdapter::setChannelPrefix(const QString &prefix)
{
    Q_D(QSocketIoRedisShardedAdapter);
    if (d->prefix == prefix)
        return;
    d->prefix = prefix;
    Q_EMIT channelPrefixChanged();
}

QSocketIoRedisShardedAdapter::SubscriptionMode QSocketIoRedisShardedAdapter::subscriptionMode() const
{
    return d_func()->mode;
}
void QSocketIoRedisShardedAdapter::setSubscriptionMode(SubscriptionMode mode)
{
    Q_D(QSocketIoRedisShardedAdapter);
    if (d->mode == mode)
        return;
    if (!d->adapters.isEmpty())
        qCWarning(lcRedisSharded) << "setSubscriptionMode() after attach(): rooms created from now on follow it";
    d->mode = mode;
    Q_EMIT subscriptionModeChanged();
}

int QSocketIoRedisShardedAdapter::requestsTimeout() const { return d_func()->requestsTimeout; }
void QSocketIoRedisShardedAdapter::setRequestsTimeout(int milliseconds)
{
    qtsocketioSetRequestsTimeout(this, d_func(), milliseconds);
}

bool QSocketIoRedisShardedAdapter::isConnected() const { return d_func()->connected; }
QSocketIoRedisShardedAdapter::Error QSocketIoRedisShardedAdapter::error() const { return d_func()->error; }
QString QSocketIoRedisShardedAdapter::errorString() const { return d_func()->errorString; }
qint64 QSocketIoRedisShardedAdapter::malformedMessages() const { return d_func()->malformed; }
qint64 QSocketIoRedisShardedAdapter::droppedPublications() const { return d_func()->droppedTotal; }

void QSocketIoRedisShardedAdapter::attach(QSocketIoServer *server)
{
    qtsocketioAttachCluster<QSocketIoRedisShardedNamespaceAdapter>(server, d_ptr, lcRedisSharded);
}

void QSocketIoRedisShardedAdapter::serverCount(const QObject *context, const std::function<void(int)> &functor) const
{
    Q_D(const QSocketIoRedisShardedAdapter);
    QPointer<const QObject> guard(context);
    if (!d->cluster) {
        functor(1);
        return;
    }
    d->cluster->shardNumSub(d->prefix.toUtf8() + "#/#", [guard, functor](int count) {
        if (guard)
            functor(qMax(1, count));
    });
}
