// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include <QtSocketIo/qsocketioredisadapter.h>
#include <QtSocketIo/qsocketioclusteradapter.h>
#include <QtSocketIo/qsocketioserver.h>

#include "qsocketioredismessages_p.h"
#include "qsocketiorediseventloop_p.h"
#include "qtsocketioutf8_p.h"

#include <QtCore/qcoreapplication.h>
#include <QtCore/qloggingcategory.h>
#include <QtCore/qpointer.h>
#include <QtCore/qtimer.h>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <cstring>

#include <fcntl.h>

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

// One Redis connection (hiredis async context driven by hiredis's Qt adapter), reconnecting with a backoff.
struct QSocketIoRedisConnection
{
    const char *role = "";                 // "publish" or "subscribe", for the log
    redisAsyncContext *context = nullptr;  // null while down
    RedisQtAdapter *events = nullptr;      // reused for every context; detached onto `parked` when none
    redisAsyncContext parked{};            // a zeroed context the event adapter points at between contexts
    bool up = false;
    bool everUp = false;
    int backoff = 0;
    QTimer *retry = nullptr;
};

// The connections and the channel table, shared by the public object and the namespaces' adapters.
class QSocketIoRedisAdapterPrivate
{
public:
    explicit QSocketIoRedisAdapterPrivate(QSocketIoRedisAdapter *q) : q_ptr(q), context(std::make_unique<QObject>()) {}
    ~QSocketIoRedisAdapterPrivate();

    void start();
    void open(QSocketIoRedisConnection &connection);
    void scheduleRetry(QSocketIoRedisConnection &connection);
    void connectionUp(QSocketIoRedisConnection &connection);
    void connectionDown(QSocketIoRedisConnection &connection, const QString &why);
    void setError(QSocketIoRedisAdapter::Error code, const QString &message);
    void updateConnected();
    QSocketIoRedisConnection *connectionOf(const redisAsyncContext *context);

    void subscribe(QSocketIoRedisNamespaceAdapter *adapter);
    void unsubscribe(QSocketIoRedisNamespaceAdapter *adapter);
    void publish(const QByteArray &channel, const QByteArray &message);
    void numSub(const QByteArray &channel, const std::function<void(int)> &done);
    void dispatch(const redisReply *reply);

    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);
    static void onSubscriptionReply(redisAsyncContext *context, void *reply, void *privdata);
    static void onNumSubReply(redisAsyncContext *context, void *reply, void *privdata);
    static void onAuthReply(redisAsyncContext *context, void *reply, void *privdata);

    QPointer<QSocketIoRedisAdapter> q_ptr;   // null once the public object is gone
    std::unique_ptr<QObject> context;         // parent of the timers and event adapters
    QString hostName = QStringLiteral("127.0.0.1");
    quint16 port = 6379;
    QString userName;
    QString password;
    QString key = QStringLiteral("socket.io");
    int requestsTimeout = 5000;
    bool specificResponseChannel = false;
    QString errorString;
    QSocketIoRedisAdapter::Error error = QSocketIoRedisAdapter::Error::NoError;
    bool connected = false;
    bool started = false;
    bool destroying = false;
    qint64 dropped = 0;   // publications lost while the publish connection was down
    quint64 reconnects = 0;   // connections re-established after a loss (the metrics' adapter reconnects)
    int unconfirmed = 0;  // (P)SUBSCRIBE confirmations still to come: connected() waits for them
    QPointer<QSocketIoServer> server;   // the one server attached
    QSocketIoRedisConnection pub;
    QSocketIoRedisConnection sub;
    QList<QSocketIoRedisNamespaceAdapter *> adapters;
    QHash<QByteArray, QSocketIoRedisNamespaceAdapter *> byPattern;
    QHash<QByteArray, QSocketIoRedisNamespaceAdapter *> byChannel;
};

static constexpr int InitialBackoffMs = 100;
static constexpr int MaxBackoffMs = 5000;

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
        qCWarning(lcRedis) << "dropped a broadcast on" << channelName << ":" << error;
        return;
    }
    handleBroadcast(from, packet, options);
}

void QSocketIoRedisNamespaceAdapter::onRequestMessage(const QByteArray &message)
{
    Request request;
    QString error;
    if (!Messages::decodeRequest(message, &request, &error)) {
        qCWarning(lcRedis) << "dropped a request on" << requestChannel << ":" << error;
        return;
    }
    handleRequest(request);
}

void QSocketIoRedisNamespaceAdapter::onResponseMessage(const QByteArray &message)
{
    Response response;
    QString error;
    if (!Messages::decodeResponse(message, &response, &error)) {
        qCWarning(lcRedis) << "dropped a response on" << responseChannel << ":" << error;
        return;
    }
    if (isPendingRequest(response.requestId))
        handleResponse(response);
}

// --- QSocketIoRedisAdapterPrivate --------------------------------------------------------------------------

QSocketIoRedisAdapterPrivate::~QSocketIoRedisAdapterPrivate()
{
    destroying = true;
    for (QSocketIoRedisConnection *connection : {&pub, &sub}) {
        if (connection->context) {
            redisAsyncContext *context = std::exchange(connection->context, nullptr);
            // Pending callbacks run with no reply; they must not reach this object any more.
            context->data = nullptr;
            redisAsyncFree(context);
        }
        if (connection->events) {
            connection->parked = redisAsyncContext{};
            connection->events->setContext(&connection->parked);
            delete connection->events;
        }
    }
}

QSocketIoRedisConnection *QSocketIoRedisAdapterPrivate::connectionOf(const redisAsyncContext *context)
{
    if (context == pub.context)
        return &pub;
    if (context == sub.context)
        return &sub;
    return nullptr;
}

void QSocketIoRedisAdapterPrivate::start()
{
    if (started)
        return;
    started = true;
    pub.role = "publish";
    sub.role = "subscribe";
    open(pub);
    open(sub);
}

void QSocketIoRedisAdapterPrivate::open(QSocketIoRedisConnection &connection)
{
    if (connection.context || destroying)
        return;
    redisAsyncContext *ac = redisAsyncConnect(hostName.toUtf8().constData(), port);
    if (!ac || ac->err) {
        const QString why = ac ? QString::fromUtf8(ac->errstr) : QStringLiteral("out of memory");
        if (ac)
            redisAsyncFree(ac);
        setError(QSocketIoRedisAdapter::Error::ConnectionError,
                 QStringLiteral("cannot connect to Redis at %1:%2 (%3)").arg(hostName).arg(port).arg(why));
        scheduleRetry(connection);
        return;
    }
    // hiredis opens its socket without close-on-exec: every process the application started would keep the
    // Redis connections open (and Redis would count them as subscribers) for as long as it runs.
    if (ac->c.fd >= 0)
        ::fcntl(ac->c.fd, F_SETFD, ::fcntl(ac->c.fd, F_GETFD) | FD_CLOEXEC);
    ac->data = this;
    if (!connection.events)
        connection.events = new RedisQtAdapter(context.get());
    connection.events->setContext(ac);
    connection.context = ac;
    redisAsyncSetConnectCallback(ac, &QSocketIoRedisAdapterPrivate::onConnect);
    redisAsyncSetDisconnectCallback(ac, &QSocketIoRedisAdapterPrivate::onDisconnect);
}

void QSocketIoRedisAdapterPrivate::scheduleRetry(QSocketIoRedisConnection &connection)
{
    if (destroying)
        return;
    connection.backoff = connection.backoff == 0 ? InitialBackoffMs : qMin(connection.backoff * 2, MaxBackoffMs);
    if (!connection.retry) {
        connection.retry = new QTimer(context.get());
        connection.retry->setSingleShot(true);
        QSocketIoRedisConnection *c = &connection;
        QObject::connect(connection.retry, &QTimer::timeout, context.get(), [this, c] { open(*c); });
    }
    qCDebug(lcRedis) << "retrying the" << connection.role << "connection in" << connection.backoff << "ms";
    connection.retry->start(connection.backoff);
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

void QSocketIoRedisAdapterPrivate::connectionUp(QSocketIoRedisConnection &connection)
{
    connection.up = true;
    connection.backoff = 0;
    if (connection.everUp)
        ++reconnects;
    if (connection.everUp)
        qCInfo(lcRedis) << "reconnected the" << connection.role << "connection to Redis at" << hostName << port;
    else
        qCDebug(lcRedis) << "connected the" << connection.role << "connection to Redis at" << hostName << port;
    connection.everUp = true;
    if (!password.isEmpty()) {
        // First in the pipeline: what follows runs once Redis accepted it.
        const QByteArray user = userName.toUtf8();
        const QByteArray secret = password.toUtf8();
        if (user.isEmpty()) {
            redisAsyncCommand(connection.context, &QSocketIoRedisAdapterPrivate::onAuthReply, nullptr, "AUTH %b",
                              secret.constData(), size_t(secret.size()));
        } else {
            redisAsyncCommand(connection.context, &QSocketIoRedisAdapterPrivate::onAuthReply, nullptr, "AUTH %b %b",
                              user.constData(), size_t(user.size()), secret.constData(), size_t(secret.size()));
        }
    }
    if (&connection == &sub) {
        for (QSocketIoRedisNamespaceAdapter *adapter : std::as_const(adapters))
            subscribe(adapter);
        if (!adapters.isEmpty())
            qCDebug(lcRedis) << "subscribed the channels of" << adapters.size() << "namespace(s)";
    }
    if (&connection == &pub && dropped > 0) {
        qCWarning(lcRedis) << dropped << "message(s) could not be published while Redis was unreachable";
        dropped = 0;
    }
    updateConnected();
}

void QSocketIoRedisAdapterPrivate::connectionDown(QSocketIoRedisConnection &connection, const QString &why)
{
    const bool wasUp = connection.up;
    connection.up = false;
    if (&connection == &sub)
        unconfirmed = 0;
    connection.context = nullptr;   // hiredis frees it after this callback
    // The event adapter must not point at the context hiredis frees next.
    connection.parked = redisAsyncContext{};
    if (connection.events)
        connection.events->setContext(&connection.parked);
    if (wasUp)
        qCWarning(lcRedis).noquote() << "lost the" << connection.role << "connection to Redis:" << why << "- reconnecting";
    else
        setError(QSocketIoRedisAdapter::Error::ConnectionError,
                 QStringLiteral("cannot connect to Redis at %1:%2 (%3)").arg(hostName).arg(port).arg(why));
    updateConnected();
    scheduleRetry(connection);
}

void QSocketIoRedisAdapterPrivate::updateConnected()
{
    const bool now = pub.up && sub.up && unconfirmed == 0;
    if (now == connected)
        return;
    connected = now;
    if (now) {
        error = QSocketIoRedisAdapter::Error::NoError;
        errorString.clear();
    }
    if (q_ptr)
        Q_EMIT q_ptr->connectedChanged();
}

void QSocketIoRedisAdapterPrivate::onConnect(const redisAsyncContext *context, int status)
{
    auto *d = static_cast<QSocketIoRedisAdapterPrivate *>(context->data);
    if (!d)
        return;
    QSocketIoRedisConnection *connection = d->connectionOf(context);
    if (!connection)
        return;
    if (status != REDIS_OK)
        d->connectionDown(*connection, QString::fromUtf8(context->errstr));
    else
        d->connectionUp(*connection);
}

void QSocketIoRedisAdapterPrivate::onDisconnect(const redisAsyncContext *context, int status)
{
    auto *d = static_cast<QSocketIoRedisAdapterPrivate *>(context->data);
    if (!d || d->destroying)
        return;
    QSocketIoRedisConnection *connection = d->connectionOf(context);
    if (!connection)
        return;
    const QString why = status == REDIS_OK ? QStringLiteral("closed") : QString::fromUtf8(context->errstr);
    d->connectionDown(*connection, why.isEmpty() ? QStringLiteral("connection closed") : why);
}

void QSocketIoRedisAdapterPrivate::subscribe(QSocketIoRedisNamespaceAdapter *adapter)
{
    if (!sub.up || !sub.context)
        return;   // done when the subscribe connection comes up
    if (!connected)
        unconfirmed += 4;   // one pattern, three channels: "connected" once Redis confirmed them
    redisAsyncCommand(sub.context, &QSocketIoRedisAdapterPrivate::onSubscriptionReply, nullptr, "PSUBSCRIBE %b",
                      adapter->pattern.constData(), size_t(adapter->pattern.size()));
    redisAsyncCommand(sub.context, &QSocketIoRedisAdapterPrivate::onSubscriptionReply, nullptr,
                      "SUBSCRIBE %b %b %b",
                      adapter->requestChannel.constData(), size_t(adapter->requestChannel.size()),
                      adapter->responseChannel.constData(), size_t(adapter->responseChannel.size()),
                      adapter->specificResponseChannel.constData(), size_t(adapter->specificResponseChannel.size()));
}

void QSocketIoRedisAdapterPrivate::unsubscribe(QSocketIoRedisNamespaceAdapter *adapter)
{
    if (!sub.up || !sub.context || destroying)
        return;
    redisAsyncCommand(sub.context, &QSocketIoRedisAdapterPrivate::onSubscriptionReply, nullptr, "PUNSUBSCRIBE %b",
                      adapter->pattern.constData(), size_t(adapter->pattern.size()));
    redisAsyncCommand(sub.context, &QSocketIoRedisAdapterPrivate::onSubscriptionReply, nullptr,
                      "UNSUBSCRIBE %b %b %b",
                      adapter->requestChannel.constData(), size_t(adapter->requestChannel.size()),
                      adapter->responseChannel.constData(), size_t(adapter->responseChannel.size()),
                      adapter->specificResponseChannel.constData(), size_t(adapter->specificResponseChannel.size()));
}

void QSocketIoRedisAdapterPrivate::publish(const QByteArray &channel, const QByteArray &message)
{
    if (!pub.up || !pub.context) {
        if (dropped++ == 0)
            qCWarning(lcRedis) << "Redis is unreachable: publishing on" << channel << "dropped (more may follow)";
        return;
    }
    redisAsyncCommand(pub.context, nullptr, nullptr, "PUBLISH %b %b", channel.constData(), size_t(channel.size()),
                      message.constData(), size_t(message.size()));
}

void QSocketIoRedisAdapterPrivate::numSub(const QByteArray &channel, const std::function<void(int)> &done)
{
    if (!pub.up || !pub.context) {
        done(1);   // Redis unreachable: this node is alone as far as it can tell
        return;
    }
    auto *callback = new std::function<void(int)>(done);
    if (redisAsyncCommand(pub.context, &QSocketIoRedisAdapterPrivate::onNumSubReply, callback, "PUBSUB NUMSUB %b",
                          channel.constData(), size_t(channel.size())) != REDIS_OK) {
        delete callback;
        done(1);
    }
}

void QSocketIoRedisAdapterPrivate::onNumSubReply(redisAsyncContext *context, void *replyPointer, void *privdata)
{
    std::unique_ptr<std::function<void(int)>> callback(static_cast<std::function<void(int)> *>(privdata));
    auto *d = static_cast<QSocketIoRedisAdapterPrivate *>(context->data);
    const auto *reply = static_cast<const redisReply *>(replyPointer);
    int count = 1;
    if (reply && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2
        && reply->element[1]->type == REDIS_REPLY_INTEGER) {
        count = int(qMax<long long>(1, reply->element[1]->integer));
    }
    if (!d || d->destroying)
        return;
    // Outside hiredis's callback: the answer may start more Redis commands.
    const std::function<void(int)> done = *callback;
    QMetaObject::invokeMethod(d->context.get(), [done, count] { done(count); }, Qt::QueuedConnection);
}

void QSocketIoRedisAdapterPrivate::onAuthReply(redisAsyncContext *context, void *replyPointer, void *)
{
    auto *d = static_cast<QSocketIoRedisAdapterPrivate *>(context->data);
    const auto *reply = static_cast<const redisReply *>(replyPointer);
    if (!d || d->destroying || !reply || reply->type != REDIS_REPLY_ERROR)
        return;
    d->setError(QSocketIoRedisAdapter::Error::AuthenticationError,
                QStringLiteral("Redis at %1:%2 refused the credentials (%3)")
                        .arg(d->hostName).arg(d->port).arg(QString::fromUtf8(reply->str, qsizetype(reply->len))));
    // Closed, then retried with the backoff like any lost connection.
    redisAsyncDisconnect(context);
}

void QSocketIoRedisAdapterPrivate::onSubscriptionReply(redisAsyncContext *context, void *replyPointer, void *)
{
    auto *d = static_cast<QSocketIoRedisAdapterPrivate *>(context->data);
    const auto *reply = static_cast<const redisReply *>(replyPointer);
    if (!d || d->destroying || !reply)
        return;
    d->dispatch(reply);
}

void QSocketIoRedisAdapterPrivate::dispatch(const redisReply *reply)
{
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 3)
        return;
    auto text = [reply](size_t i) {
        const redisReply *e = reply->element[i];
        return e->type == REDIS_REPLY_STRING ? QByteArray(e->str, qsizetype(e->len)) : QByteArray();
    };
    const QByteArray kind = text(0);
    if (kind == "pmessage" && reply->elements == 4) {
        if (QSocketIoRedisNamespaceAdapter *adapter = byPattern.value(text(1)))
            adapter->onBroadcastMessage(text(2), text(3));
        return;
    }
    if (kind == "message") {
        const QByteArray channel = text(1);
        QSocketIoRedisNamespaceAdapter *adapter = byChannel.value(channel);
        if (!adapter)
            return;
        if (channel == adapter->requestChannel)
            adapter->onRequestMessage(text(2));
        else
            adapter->onResponseMessage(text(2));
    }
    if ((kind == "subscribe" || kind == "psubscribe") && unconfirmed > 0) {
        --unconfirmed;
        updateConnected();
    }
    // unsubscribe confirmations: nothing to do.
}

// --- QSocketIoRedisAdapter ---------------------------------------------------------------------------------

QSocketIoRedisAdapter::QSocketIoRedisAdapter(QObject *parent)
    : QObject(parent)
{
    // The last owner may let go inside a hiredis callback (a handler that deletes the server): the
    // connections are then freed on the next event-loop pass, outside of hiredis.
    d_ptr.reset(new QSocketIoRedisAdapterPrivate(this), [](QSocketIoRedisAdapterPrivate *d) {
        QCoreApplication *app = QCoreApplication::instance();
        if (!app || QCoreApplication::closingDown()) {
            delete d;
            return;
        }
        QMetaObject::invokeMethod(app, [d] { delete d; }, Qt::QueuedConnection);
    });
}

QSocketIoRedisAdapter::~QSocketIoRedisAdapter() = default;

QString QSocketIoRedisAdapter::hostName() const { return d_func()->hostName; }
void QSocketIoRedisAdapter::setHostName(const QString &hostName)
{
    Q_D(QSocketIoRedisAdapter);
    if (d->hostName == hostName)
        return;
    d->hostName = hostName;
    Q_EMIT hostNameChanged();
}

quint16 QSocketIoRedisAdapter::port() const { return d_func()->port; }
void QSocketIoRedisAdapter::setPort(quint16 port)
{
    Q_D(QSocketIoRedisAdapter);
    if (d->port == port)
        return;
    d->port = port;
    Q_EMIT portChanged();
}

QString QSocketIoRedisAdapter::userName() const { return d_func()->userName; }
void QSocketIoRedisAdapter::setUserName(const QString &userName)
{
    Q_D(QSocketIoRedisAdapter);
    if (d->userName == userName)
        return;
    d->userName = userName;
    Q_EMIT userNameChanged();
}

QString QSocketIoRedisAdapter::password() const { return d_func()->password; }
void QSocketIoRedisAdapter::setPassword(const QString &password)
{
    Q_D(QSocketIoRedisAdapter);
    if (d->password == password)
        return;
    d->password = password;
    Q_EMIT passwordChanged();
}

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
    Q_D(QSocketIoRedisAdapter);
    if (d->requestsTimeout == milliseconds)
        return;
    d->requestsTimeout = milliseconds;
    for (QSocketIoRedisNamespaceAdapter *adapter : std::as_const(d->adapters))
        adapter->setRequestsTimeout(milliseconds);
    Q_EMIT requestsTimeoutChanged();
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
    Q_D(QSocketIoRedisAdapter);
    if (d->server && d->server != server) {
        qCWarning(lcRedis) << "attach(): this adapter serves another server already; use one QSocketIoRedisAdapter per server";
        return;
    }
    d->server = server;
    const std::weak_ptr<QSocketIoRedisAdapterPrivate> hub = d_ptr;
    server->setAdapterFactory([hub](QSocketIoNamespace *nsp) -> std::unique_ptr<QSocketIoAdapter> {
        const std::shared_ptr<QSocketIoRedisAdapterPrivate> redis = hub.lock();
        if (!redis)
            return nullptr;   // the adapter object is gone: a new namespace stays on this node
        return std::make_unique<QSocketIoRedisNamespaceAdapter>(nsp, redis);
    });
    d->start();
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
