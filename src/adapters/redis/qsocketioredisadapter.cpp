// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include <QtSocketIo/qsocketioredisadapter.h>
#include <QtSocketIo/qsocketioclusteradapter.h>
#include <QtSocketIo/qsocketioserver.h>

#include "qsocketioclustercomponent_p.h"
#include "qsocketioredismessages_p.h"
#include "qsocketioredisconnection_p.h"
#include "qsocketiooutagequeue_p.h"
#include "qtsocketioutf8_p.h"

#include <QtCore/qloggingcategory.h>
#include <QtCore/qpointer.h>
#include <QtCore/qdeadlinetimer.h>
#include <QtCore/qset.h>
#include <QtCore/qtimer.h>

// Warnings (lost connection, dropped messages) and the reconnection (info) by default; QT_LOGGING_RULES
// "qtsocketio.adapter.redis.debug=true" adds each connection and subscription.
Q_LOGGING_CATEGORY(lcRedis, "qtsocketio.adapter.redis", QtInfoMsg)

namespace Messages = QSocketIoRedisMessages;

/*!
    \class QSocketIoRedisAdapter
    \inmodule QtSocketIo
    \brief Links the nodes of a cluster through Redis pub/sub, wire-compatible with @socket.io/redis-adapter.
*/

// One namespace's adapter: its channels, and the wire format of the messages on them.
class QSocketIoRedisNamespaceAdapter : public QSocketIoClusterAdapter
{
public:
    QSocketIoRedisNamespaceAdapter(QSocketIoNamespace *nsp, const std::shared_ptr<QSocketIoRedisAdapterPrivate> &redis);
    ~QSocketIoRedisNamespaceAdapter() override;

    // "<key>#<nsp>#", its pattern, and the request / response channels.
    QByteArray channel;
    QByteArray pattern;
    QByteArray requestChannel;
    QByteArray responseChannel;
    QByteArray specificResponseChannel;

    void onBroadcastMessage(const QByteArray &channelName, const QByteArray &message);
    void onRequestMessage(const QByteArray &message);
    void onResponseMessage(const QByteArray &message);

protected:
    void publishBroadcast(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options) override;
    void publishRequest(const Request &request) override;
    void publishResponse(const Request &request, const Response &response) override;
    void serverCount(const std::function<void(int)> &done) const override;

public:
    quint64 reconnectCount() const override;

private:
    std::shared_ptr<QSocketIoRedisAdapterPrivate> m_redis;
};

// The connections and the channel table, shared by the public object and the namespaces' adapters.
class QSocketIoRedisAdapterPrivate
{
public:
    explicit QSocketIoRedisAdapterPrivate(QSocketIoRedisAdapter *q) : q_ptr(q), context(std::make_unique<QObject>()) {}
    ~QSocketIoRedisAdapterPrivate();

    void start();
    void connectionUp(QSocketIoRedisConnection *connection);
    void connectionDown(QSocketIoRedisConnection *connection, const QString &why);
    void setError(QSocketIoRedisAdapter::Error code, const QString &message);
    void updateConnected();

    void subscribe(QSocketIoRedisNamespaceAdapter *adapter);
    void unsubscribe(QSocketIoRedisNamespaceAdapter *adapter);
    void publish(const QByteArray &channel, const QByteArray &message);
    void send(QSocketIoOutageQueue::Item &&item);
    void startFlush();
    void flush();
    void reportDropped();
    void probeSubscribers();
    void numSub(const QByteArray &channel, const std::function<void(int)> &done);
    void dispatch(const QSocketIoRedisReply &reply);
    QByteArray mainRequestChannel() const { return key.toUtf8() + "-request#/#"; }

    QPointer<QSocketIoRedisAdapter> q_ptr;   // null once the public object is gone
    std::unique_ptr<QObject> context;         // parent of the connections and timers
    QSocketIoRedisOptions options;
    QString url;
    QString key = QStringLiteral("socket.io");
    int requestsTimeout = 5000;
    bool specificResponseChannel = false;
    QString errorString;
    QSocketIoRedisAdapter::Error error = QSocketIoRedisAdapter::Error::NoError;
    bool connected = false;
    bool started = false;
    bool destroying = false;
    quint64 reconnects = 0;   // connections re-established after a loss (the metrics' adapter reconnects)
    int unconfirmed = 0;  // (P)SUBSCRIBE confirmations still to come: connected() waits for them
    QPointer<QSocketIoServer> server;   // the one server attached
    QSocketIoRedisConnection *pub = nullptr;
    QSocketIoRedisConnection *sub = nullptr;
    QSet<const QSocketIoRedisConnection *> everUp;
    QList<QSocketIoRedisNamespaceAdapter *> adapters;
    QHash<QByteArray, QSocketIoRedisNamespaceAdapter *> byPattern;
    QHash<QByteArray, QSocketIoRedisNamespaceAdapter *> byChannel;

    // The outage queue: what could not be published yet, in order, and what was sent but not acknowledged.
    QSocketIoOutageQueue queue;
    QList<QSocketIoOutageQueue::Item> inFlight;
    bool waitingForSubscribers = false;   // reconnected: holding the queue until the other nodes subscribed again
    qint64 droppedTotal = 0;
    qint64 droppedThisOutage = 0;
    qint64 malformed = 0;                 // messages from the bus the decoders refused
    int lastSubscribers = 0;              // nodes on the main request channel, last seen while connected
    QTimer *probe = nullptr;              // PUBSUB NUMSUB every SubscriberProbeMs while connected
    QDeadlineTimer subscriberWait;
};

// How long a reconnected node holds its outage queue waiting for the nodes it saw before to subscribe again.
static constexpr int SubscriberWaitMs = 5000;
static constexpr int SubscriberProbeMs = 500;

// --- QSocketIoRedisNamespaceAdapter ------------------------------------------------------------------------

QSocketIoRedisNamespaceAdapter::QSocketIoRedisNamespaceAdapter(
        QSocketIoNamespace *nsp, const std::shared_ptr<QSocketIoRedisAdapterPrivate> &redis)
    : QSocketIoClusterAdapter(nsp), m_redis(redis)
{
    setRequestsTimeout(redis->requestsTimeout);
    const QByteArray key = redis->key.toUtf8();
    const QByteArray name = nsp->name().toUtf8();
    channel = key + '#' + name + '#';
    pattern = channel + '*';
    requestChannel = key + "-request#" + name + '#';
    responseChannel = key + "-response#" + name + '#';
    specificResponseChannel = responseChannel + uid().toUtf8() + '#';
    m_redis->adapters.append(this);
    m_redis->byPattern.insert(pattern, this);
    m_redis->byChannel.insert(requestChannel, this);
    m_redis->byChannel.insert(responseChannel, this);
    m_redis->byChannel.insert(specificResponseChannel, this);
    m_redis->subscribe(this);
}

// The namespaces' adapters share the connections: the first of them reports their reconnections, so that the
// server's sum over its namespaces counts each once.
quint64 QSocketIoRedisNamespaceAdapter::reconnectCount() const
{
    return m_redis->adapters.value(0) == this ? m_redis->reconnects : 0;
}

QSocketIoRedisNamespaceAdapter::~QSocketIoRedisNamespaceAdapter()
{
    m_redis->unsubscribe(this);
    m_redis->adapters.removeAll(this);
    m_redis->byPattern.remove(pattern);
    m_redis->byChannel.remove(requestChannel);
    m_redis->byChannel.remove(responseChannel);
    m_redis->byChannel.remove(specificResponseChannel);
}

void QSocketIoRedisNamespaceAdapter::publishBroadcast(const QSocketIoBroadcastPacket &packet,
                                                      const QSocketIoBroadcastOptions &options)
{
    QSocketIoBroadcastPacket withNsp = packet;
    withNsp.nsp = nsp()->name();
    QByteArray target = channel;
    // To exactly one room: its own channel, which nodes without that room skip without decoding.
    if (options.rooms.size() == 1)
        target += options.rooms.first().toUtf8() + '#';
    m_redis->publish(target, Messages::encodeBroadcast(uid(), withNsp, options));
}

void QSocketIoRedisNamespaceAdapter::publishRequest(const Request &request)
{
    m_redis->publish(requestChannel, Messages::encodeRequest(request));
}

void QSocketIoRedisNamespaceAdapter::publishResponse(const Request &request, const Response &response)
{
    // Node answers a server-side emit on the common channel whatever the option says; so do we.
    QByteArray target = responseChannel;
    if (m_redis->specificResponseChannel && response.type != RequestType::ServerSideEmit && !request.uid.isEmpty())
        target += request.uid.toUtf8() + '#';
    m_redis->publish(target, Messages::encodeResponse(response));
}

void QSocketIoRedisNamespaceAdapter::serverCount(const std::function<void(int)> &done) const
{
    QPointer<QObject> alive(context());
    m_redis->numSub(requestChannel, [alive, done](int count) {
        if (alive)
            done(count);
    });
}

void QSocketIoRedisNamespaceAdapter::onBroadcastMessage(const QByteArray &channelName, const QByteArray &message)
{
    if (!channelName.startsWith(channel) || !channelName.endsWith('#'))
        return;
    const QByteArray room = channelName.mid(channel.size(), channelName.size() - channel.size() - 1);
    if (!room.isEmpty() && !hasRoom(QtSocketIoPrivate::utf8ToString(room)))
        return;   // nobody here is in that room
    QString from;
    QSocketIoBroadcastPacket packet;
    QSocketIoBroadcastOptions options;
    QString error;
    if (!Messages::decodeBroadcast(message, &from, &packet, &options, &error)) {
        ++m_redis->malformed;
        qCDebug(lcRedis) << "dropped a broadcast on" << channelName << ":" << error;
        return;
    }
    handleBroadcast(from, packet, options);
}

void QSocketIoRedisNamespaceAdapter::onRequestMessage(const QByteArray &message)
{
    Request request;
    QString error;
    if (!Messages::decodeRequest(message, &request, &error)) {
        ++m_redis->malformed;
        qCDebug(lcRedis) << "dropped a request on" << requestChannel << ":" << error;
        return;
    }
    handleRequest(request);
}

void QSocketIoRedisNamespaceAdapter::onResponseMessage(const QByteArray &message)
{
    Response response;
    QString error;
    if (!Messages::decodeResponse(message, &response, &error)) {
        ++m_redis->malformed;
        qCDebug(lcRedis) << "dropped a response on" << responseChannel << ":" << error;
        return;
    }
    if (isPendingRequest(response.requestId))
        handleResponse(response);
}


// --- QSocketIoRedisAdapterPrivate --------------------------------------------------------------------------

QSocketIoRedisAdapterPrivate::~QSocketIoRedisAdapterPrivate()
{
    destroying = true;
    // The connections (children of context) go with it; their waiting callbacks are not called.
    context.reset();
}

void QSocketIoRedisAdapterPrivate::start()
{
    if (started)
        return;
    started = true;
    pub = new QSocketIoRedisConnection("publish", context.get());
    sub = new QSocketIoRedisConnection("subscribe", context.get());
    probe = new QTimer(context.get());
    probe->setInterval(SubscriberProbeMs);
    QObject::connect(probe, &QTimer::timeout, context.get(), [this] { probeSubscribers(); });
    for (QSocketIoRedisConnection *connection : {pub, sub}) {
        connection->setOptions(options);
        QObject::connect(connection, &QSocketIoRedisConnection::up, context.get(),
                         [this, connection] { connectionUp(connection); });
        QObject::connect(connection, &QSocketIoRedisConnection::down, context.get(),
                         [this, connection](const QString &why) { connectionDown(connection, why); });
        QObject::connect(connection, &QSocketIoRedisConnection::failed, context.get(),
                         [this, connection](QSocketIoRedisConnection::Failure failure, const QString &message) {
                             if (failure == QSocketIoRedisConnection::Failure::Authentication) {
                                 setError(QSocketIoRedisAdapter::Error::AuthenticationError, message);
                             } else {
                                 setError(QSocketIoRedisAdapter::Error::ConnectionError,
                                          QStringLiteral("cannot connect to Redis at %1 (%2)")
                                                  .arg(options.describe(), message));
                             }
                             connectionDown(connection, message);
                         });
    }
    QObject::connect(sub, &QSocketIoRedisConnection::pushed, context.get(),
                     [this](const QSocketIoRedisReply &reply) { dispatch(reply); });
    pub->open();
    sub->open();
}

void QSocketIoRedisAdapterPrivate::setError(QSocketIoRedisAdapter::Error code, const QString &message)
{
    // The same failure every backoff step is said once.
    if (message == errorString)
        return;
    error = code;
    errorString = message;
    qCWarning(lcRedis).noquote() << message << "- retrying with a backoff; local clients are still served";
    if (q_ptr)
        Q_EMIT q_ptr->errorOccurred(code);
}

void QSocketIoRedisAdapterPrivate::connectionUp(QSocketIoRedisConnection *connection)
{
    if (everUp.contains(connection)) {
        ++reconnects;
        qCInfo(lcRedis).noquote() << "reconnected the" << connection->role() << "connection to Redis at"
                                  << connection->peer();
    } else {
        qCDebug(lcRedis).noquote() << "connected the" << connection->role() << "connection to Redis at"
                                   << connection->peer();
        everUp.insert(connection);
    }
    if (connection == sub) {
        for (QSocketIoRedisNamespaceAdapter *adapter : std::as_const(adapters))
            subscribe(adapter);
        if (!adapters.isEmpty())
            qCDebug(lcRedis) << "subscribed the channels of" << adapters.size() << "namespace(s)";
    }
    if (connection == pub) {
        probe->start();
        startFlush();
    }
    updateConnected();
}

void QSocketIoRedisAdapterPrivate::connectionDown(QSocketIoRedisConnection *connection, const QString &why)
{
    if (destroying)
        return;
    if (connection == sub)
        unconfirmed = 0;
    if (connection == pub) {
        probe->stop();
        waitingForSubscribers = false;
        // Sent but not acknowledged: back in front of the queue, to be sent again on reconnection.
        if (!inFlight.isEmpty())
            queue.requeueFront(std::exchange(inFlight, {}));
    }
    if (connected)
        qCWarning(lcRedis).noquote() << "lost the" << connection->role() << "connection to Redis:" << why
                                     << "- reconnecting";
    updateConnected();
}

void QSocketIoRedisAdapterPrivate::updateConnected()
{
    const bool now = pub && sub && pub->isUp() && sub->isUp() && unconfirmed == 0;
    if (now == connected)
        return;
    connected = now;
    if (now) {
        if (!errorString.isEmpty())
            qCInfo(lcRedis).noquote() << "connected to Redis at" << pub->peer();
        error = QSocketIoRedisAdapter::Error::NoError;
        errorString.clear();
        probeSubscribers();
    }
    if (q_ptr)
        Q_EMIT q_ptr->connectedChanged();
}

void QSocketIoRedisAdapterPrivate::subscribe(QSocketIoRedisNamespaceAdapter *adapter)
{
    if (!sub || !sub->isUp())
        return;   // done when the subscribe connection comes up
    auto confirmed = [this](const QSocketIoRedisReply &reply) {
        if (reply.lost || destroying)
            return;
        if (reply.isError())
            qCWarning(lcRedis).noquote() << "Redis refused a subscription:" << QString::fromUtf8(reply.string);
        if (unconfirmed > 0) {
            --unconfirmed;
            updateConnected();
        }
    };
    if (!connected)
        unconfirmed += 2;   // the pattern, the three channels: "connected" once Redis confirmed them
    sub->subscription("PSUBSCRIBE", {adapter->pattern}, confirmed);
    sub->subscription("SUBSCRIBE", {adapter->requestChannel, adapter->responseChannel, adapter->specificResponseChannel},
                      confirmed);
}

void QSocketIoRedisAdapterPrivate::unsubscribe(QSocketIoRedisNamespaceAdapter *adapter)
{
    if (!sub || !sub->isUp() || destroying)
        return;
    sub->subscription("PUNSUBSCRIBE", {adapter->pattern});
    sub->subscription("UNSUBSCRIBE", {adapter->requestChannel, adapter->responseChannel, adapter->specificResponseChannel});
}

void QSocketIoRedisAdapterPrivate::publish(const QByteArray &channel, const QByteArray &message)
{
    // In order: while anything waits in the queue, what comes next waits behind it.
    if (pub && pub->isUp() && queue.isEmpty() && !waitingForSubscribers) {
        send({channel, message, QSocketIoOutageQueue::now()});
        return;
    }
    if (queue.isEmpty() && inFlight.isEmpty() && droppedThisOutage == 0)
        qCDebug(lcRedis) << "Redis is unreachable: queueing what this node publishes";
    if (!queue.enqueue(channel, message))
        reportDropped();
}

void QSocketIoRedisAdapterPrivate::send(QSocketIoOutageQueue::Item &&item)
{
    const QList<QByteArray> args{"PUBLISH", item.channel, item.message};
    inFlight.append(std::move(item));
    pub->command(args, [this](const QSocketIoRedisReply &reply) {
        // Replies come in order: this one acknowledges the oldest in flight. A lost one stays there, and is
        // queued again when the connection reports it is down.
        if (reply.lost || destroying || inFlight.isEmpty())
            return;
        inFlight.removeFirst();
    });
}

void QSocketIoRedisAdapterPrivate::reportDropped()
{
    const qint64 count = queue.takeDropped();
    if (count <= 0)
        return;
    if (droppedThisOutage == 0)
        qCWarning(lcRedis) << "Redis is unreachable and the outage queue is full (" << queue.maxBytes()
                           << "bytes," << queue.maxAge() << "ms): dropping what this node publishes (more may follow)";
    droppedThisOutage += count;
    droppedTotal += count;
    if (q_ptr)
        Q_EMIT q_ptr->publicationsDropped(count);
}

void QSocketIoRedisAdapterPrivate::startFlush()
{
    queue.expire();
    reportDropped();
    if (queue.isEmpty()) {
        if (droppedThisOutage > 0)
            qCWarning(lcRedis) << droppedThisOutage << "publication(s) were dropped while Redis was unreachable";
        droppedThisOutage = 0;
        return;
    }
    // The other nodes reconnect with their own backoff: what is published before they subscribed again would
    // be lost. Hold the queue until as many nodes listen as before the outage, for SubscriberWaitMs at most.
    waitingForSubscribers = true;
    subscriberWait.setRemainingTime(SubscriberWaitMs);
    qCInfo(lcRedis) << "Redis is back:" << queue.count() << "queued publication(s) to send once"
                    << lastSubscribers << "node(s) listen again";
    flush();
}

void QSocketIoRedisAdapterPrivate::flush()
{
    if (!waitingForSubscribers || !pub || !pub->isUp())
        return;
    auto sendAll = [this] {
        waitingForSubscribers = false;
        queue.expire();
        reportDropped();
        const qsizetype count = queue.count();
        while (!queue.isEmpty() && pub->isUp())
            send(queue.takeFirst());
        qCInfo(lcRedis) << "sent" << count << "publication(s) queued while Redis was unreachable";
        if (droppedThisOutage > 0)
            qCWarning(lcRedis) << droppedThisOutage << "publication(s) were dropped while Redis was unreachable";
        droppedThisOutage = 0;
    };
    if (subscriberWait.hasExpired() || lastSubscribers <= 1) {
        sendAll();
        return;
    }
    pub->command({"PUBSUB", "NUMSUB", mainRequestChannel()}, [this, sendAll](const QSocketIoRedisReply &reply) {
        if (reply.lost || destroying || !waitingForSubscribers)
            return;
        const int count = reply.isArray() && reply.elements.size() == 2 ? int(reply.elements.at(1).integer) : 0;
        if (count >= lastSubscribers) {
            sendAll();
            return;
        }
        QTimer::singleShot(50, context.get(), [this] { flush(); });
    });
}

void QSocketIoRedisAdapterPrivate::probeSubscribers()
{
    if (!pub || !pub->isUp() || waitingForSubscribers)
        return;
    pub->command({"PUBSUB", "NUMSUB", mainRequestChannel()}, [this](const QSocketIoRedisReply &reply) {
        if (reply.lost || destroying || !reply.isArray() || reply.elements.size() != 2)
            return;
        lastSubscribers = int(reply.elements.at(1).integer);
    });
}

void QSocketIoRedisAdapterPrivate::numSub(const QByteArray &channel, const std::function<void(int)> &done)
{
    QObject *ctx = context.get();
    const bool sent = pub && pub->command({"PUBSUB", "NUMSUB", channel}, [ctx, done](const QSocketIoRedisReply &reply) {
        int count = 1;
        if (reply.isArray() && reply.elements.size() == 2 && reply.elements.at(1).type == QSocketIoRedisReply::Integer)
            count = int(qMax<qint64>(1, reply.elements.at(1).integer));
        // Outside of the connection's read loop: the answer may start more commands.
        QMetaObject::invokeMethod(ctx, [done, count] { done(count); }, Qt::QueuedConnection);
    });
    if (!sent)
        QMetaObject::invokeMethod(ctx, [done] { done(1); }, Qt::QueuedConnection);   // alone as far as it can tell
}

void QSocketIoRedisAdapterPrivate::dispatch(const QSocketIoRedisReply &reply)
{
    const QByteArray kind = reply.text(0);
    if (kind == "pmessage" && reply.elements.size() == 4) {
        if (QSocketIoRedisNamespaceAdapter *adapter = byPattern.value(reply.text(1)))
            adapter->onBroadcastMessage(reply.text(2), reply.text(3));
        return;
    }
    if (kind == "message" && reply.elements.size() == 3) {
        const QByteArray channel = reply.text(1);
        QSocketIoRedisNamespaceAdapter *adapter = byChannel.value(channel);
        if (!adapter)
            return;
        if (channel == adapter->requestChannel)
            adapter->onRequestMessage(reply.text(2));
        else
            adapter->onResponseMessage(reply.text(2));
    }
}

// --- QSocketIoRedisAdapter ---------------------------------------------------------------------------------

QSocketIoRedisAdapter::QSocketIoRedisAdapter(QObject *parent)
    : QObject(parent)
{
    d_ptr = qtsocketioDeferredHub(new QSocketIoRedisAdapterPrivate(this));
}

QSocketIoRedisAdapter::~QSocketIoRedisAdapter() = default;

QTSOCKETIO_REDIS_OPTION_PROPERTY(QSocketIoRedisAdapter, QString, const QString &, hostName, setHostName)
QTSOCKETIO_REDIS_OPTION_PROPERTY(QSocketIoRedisAdapter, quint16, quint16, port, setPort)
QTSOCKETIO_REDIS_OPTION_PROPERTY(QSocketIoRedisAdapter, QString, const QString &, userName, setUserName)
QTSOCKETIO_REDIS_OPTION_PROPERTY(QSocketIoRedisAdapter, QString, const QString &, password, setPassword)

QString QSocketIoRedisAdapter::url() const { return d_func()->url; }
void QSocketIoRedisAdapter::setUrl(const QString &url)
{
    Q_D(QSocketIoRedisAdapter);
    if (d->url == url)
        return;
    QSocketIoRedisOptions parsed = d->options;
    QString why;
    if (!QSocketIoRedisOptions::parseUrl(url, &parsed, &why)) {
        qCWarning(lcRedis).noquote() << "setUrl():" << why;
        d->error = Error::InvalidUrlError;
        d->errorString = QStringLiteral("invalid Redis URL: ") + why;
        Q_EMIT errorOccurred(Error::InvalidUrlError);
        return;
    }
    qtsocketioApplyRedisUrl(this, d, url, parsed);
}

QSslConfiguration QSocketIoRedisAdapter::sslConfiguration() const { return d_func()->options.sslConfiguration; }
void QSocketIoRedisAdapter::setSslConfiguration(const QSslConfiguration &configuration)
{
    Q_D(QSocketIoRedisAdapter);
    if (d->options.sslConfiguration == configuration)
        return;
    d->options.sslConfiguration = configuration;
    Q_EMIT sslConfigurationChanged();
}

qint64 QSocketIoRedisAdapter::maxQueuedBytes() const { return d_func()->queue.maxBytes(); }
void QSocketIoRedisAdapter::setMaxQueuedBytes(qint64 bytes)
{
    Q_D(QSocketIoRedisAdapter);
    if (d->queue.maxBytes() == bytes)
        return;
    d->queue.setMaxBytes(bytes);
    Q_EMIT maxQueuedBytesChanged();
}

int QSocketIoRedisAdapter::maxQueueAge() const { return d_func()->queue.maxAge(); }
void QSocketIoRedisAdapter::setMaxQueueAge(int milliseconds)
{
    Q_D(QSocketIoRedisAdapter);
    if (d->queue.maxAge() == milliseconds)
        return;
    d->queue.setMaxAge(milliseconds);
    Q_EMIT maxQueueAgeChanged();
}

qint64 QSocketIoRedisAdapter::droppedPublications() const { return d_func()->droppedTotal; }
qint64 QSocketIoRedisAdapter::malformedMessages() const { return d_func()->malformed; }
int QSocketIoRedisAdapter::queuedPublications() const { return int(d_func()->queue.count()); }

QString QSocketIoRedisAdapter::key() const { return d_func()->key; }
void QSocketIoRedisAdapter::setKey(const QString &key)
{
    Q_D(QSocketIoRedisAdapter);
    if (d->key == key)
        return;
    if (!d->adapters.isEmpty())
        qCWarning(lcRedis) << "setKey() after attach(): only namespaces created from now on use" << key;
    d->key = key;
    Q_EMIT keyChanged();
}

int QSocketIoRedisAdapter::requestsTimeout() const { return d_func()->requestsTimeout; }
void QSocketIoRedisAdapter::setRequestsTimeout(int milliseconds)
{
    qtsocketioSetRequestsTimeout(this, d_func(), milliseconds);
}

bool QSocketIoRedisAdapter::publishOnSpecificResponseChannel() const { return d_func()->specificResponseChannel; }
void QSocketIoRedisAdapter::setPublishOnSpecificResponseChannel(bool specific)
{
    Q_D(QSocketIoRedisAdapter);
    if (d->specificResponseChannel == specific)
        return;
    d->specificResponseChannel = specific;
    Q_EMIT publishOnSpecificResponseChannelChanged();
}

bool QSocketIoRedisAdapter::isConnected() const { return d_func()->connected; }
QSocketIoRedisAdapter::Error QSocketIoRedisAdapter::error() const { return d_func()->error; }
QString QSocketIoRedisAdapter::errorString() const { return d_func()->errorString; }

void QSocketIoRedisAdapter::attach(QSocketIoServer *server)
{
    qtsocketioAttachCluster<QSocketIoRedisNamespaceAdapter>(server, d_ptr, lcRedis);
}

void QSocketIoRedisAdapter::serverCount(const QObject *context, const std::function<void(int)> &functor) const
{
    Q_D(const QSocketIoRedisAdapter);
    const QByteArray channel = d->key.toUtf8() + "-request#/#";
    QPointer<const QObject> guard(context);
    const_cast<QSocketIoRedisAdapterPrivate *>(d)->numSub(channel, [guard, functor](int count) {
        if (guard)
            functor(count);
    });
}
