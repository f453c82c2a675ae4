// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include <QtSocketIo/qsocketiopostgresadapter.h>

#include <QtSocketIo/qsocketionamespace.h>
#include <QtSocketIo/qsocketioclusteradapter.h>
#include <QtSocketIo/qsocketioserver.h>

#include "qsocketioclustercomponent_p.h"
#include "qsocketioheartbeatclusteradapter_p.h"
#include "qsocketiomsgpack_p.h"
#include "qsocketiooutagequeue_p.h"
#include "qsocketiopostgresconnection_p.h"
#include "qsocketiopostgresmessages_p.h"

#include <QtCore/qdeadlinetimer.h>
#include <QtCore/qpointer.h>
#include <QtCore/qtimer.h>

namespace Messages = QSocketIoPostgresMessages;
using Messages::MessageType;

// One namespace of this server on PostgreSQL: the ClusterAdapter messages on "<prefix>#<nsp>", and the
// other nodes as their heartbeats tell (ClusterAdapterWithHeartbeat).
class QSocketIoPostgresNamespaceAdapter : public QSocketIoHeartbeatClusterAdapter
{
public:
    QSocketIoPostgresNamespaceAdapter(QSocketIoNamespace *nsp,
                                      const std::shared_ptr<QSocketIoPostgresAdapterPrivate> &hub);
    ~QSocketIoPostgresNamespaceAdapter() override;

    QByteArray channel;

    void onMessage(const QVariantMap &received);

protected:
    int heartbeatInterval() const override;
    int heartbeatTimeout() const override;
    void sendMessage(const QVariantMap &message) override;

private:
    std::shared_ptr<QSocketIoPostgresAdapterPrivate> m_hub;
};

// The connection, the options and the namespaces' adapters, shared by the public object and the adapters.
class QSocketIoPostgresAdapterPrivate
{
public:
    explicit QSocketIoPostgresAdapterPrivate(QSocketIoPostgresAdapter *q);
    ~QSocketIoPostgresAdapterPrivate();

    void start();
    void onReady();
    void onListening();
    void onLost(const QString &error);
    void onNotification(const QByteArray &channel, const QByteArray &payload);
    void deliverReady();
    void publish(const QByteArray &channel, const QVariantMap &message);
    void send(const QByteArray &channel, const QVariantMap &message, bool tracked);
    void startFlush();
    void flush();
    void reportDropped();
    void listen(const QByteArray &channel);
    void unlisten(const QByteArray &channel);
    QByteArray listenSql() const;
    QList<QSocketIoPostgresNamespaceAdapter *> adaptersOn(const QByteArray &channel) const;
    void reportQueryError(const char *what, const QSocketIoPostgresConnection::Result &result);

    QPointer<QSocketIoPostgresAdapter> q_ptr;   // null once the public object is gone
    std::unique_ptr<QObject> context;
    QSocketIoPostgresConnection *connection = nullptr;   // child of context
    QTimer *cleanup = nullptr;
    QString connectionString;
    QString channelPrefix = QStringLiteral("socket.io");
    QString tableName = QStringLiteral("socket_io_attachments");
    int payloadThreshold = 8000;
    int requestsTimeout = 5000;
    int heartbeatInterval = 5000;
    int heartbeatTimeout = 10000;
    int cleanupInterval = 30000;
    bool started = false;
    bool connected = false;
    bool everConnected = false;
    bool outageReported = false;
    qint64 dropped = 0;   // heartbeats not published while disconnected, in this outage
    // The outage queue (as the Redis adapter's): what could not be published yet, in order (MessagePack of the
    // message), what was sent but not acknowledged, and the nodes each namespace knew when the connection broke.
    QSocketIoOutageQueue queue;
    QList<QSocketIoOutageQueue::Item> inFlight;
    QHash<QSocketIoPostgresNamespaceAdapter *, QStringList> nodesBefore;
    bool holding = false;
    QDeadlineTimer holdDeadline;
    qint64 droppedTotal = 0;
    qint64 droppedThisOutage = 0;
    QString errorString;
    QSocketIoPostgresAdapter::Error error = QSocketIoPostgresAdapter::Error::NoError;
    QList<QSocketIoPostgresNamespaceAdapter *> adapters;

    // Notifications in arrival order; one with an attachment waits for its SELECT, and those after it too.
    struct Inbound
    {
        QByteArray channel;
        QVariantMap message;
        bool ready = false;
    };
    QList<std::shared_ptr<Inbound>> inbox;
};

// --- QSocketIoPostgresNamespaceAdapter ---------------------------------------------------------------------

QSocketIoPostgresNamespaceAdapter::QSocketIoPostgresNamespaceAdapter(
        QSocketIoNamespace *nsp, const std::shared_ptr<QSocketIoPostgresAdapterPrivate> &hub)
    : QSocketIoHeartbeatClusterAdapter(nsp, lcPostgres), m_hub(hub)
{
    setRequestsTimeout(hub->requestsTimeout);
    channel = (hub->channelPrefix + QLatin1Char('#') + nspName).toUtf8();
    startHeartbeat();
    m_hub->adapters.append(this);
    m_hub->listen(channel);
    if (m_hub->connected)
        publishInitialHeartbeat();
}

QSocketIoPostgresNamespaceAdapter::~QSocketIoPostgresNamespaceAdapter()
{
    if (m_hub->connected)
        publishClose();
    m_hub->adapters.removeAll(this);
    m_hub->unlisten(channel);
}

int QSocketIoPostgresNamespaceAdapter::heartbeatInterval() const
{
    return m_hub->heartbeatInterval;
}

int QSocketIoPostgresNamespaceAdapter::heartbeatTimeout() const
{
    return m_hub->heartbeatTimeout;
}

void QSocketIoPostgresNamespaceAdapter::sendMessage(const QVariantMap &message)
{
    m_hub->publish(channel, message);
}

void QSocketIoPostgresNamespaceAdapter::onMessage(const QVariantMap &received)
{
    // The emitter leaves out nsp: the channel tells.
    QVariantMap message = received;
    if (!message.contains(QStringLiteral("nsp")))
        message.insert(QStringLiteral("nsp"), nspName);
    Messages::Decoded decoded;
    QString error;
    if (!Messages::decode(message, &decoded, &error)) {
        qCWarning(lcPostgres).noquote() << "dropped a broken message on" << QString::fromUtf8(channel) << ":"
                                        << error;
        return;
    }
    receive(decoded);
}

// --- QSocketIoPostgresAdapterPrivate -----------------------------------------------------------------------

QSocketIoPostgresAdapterPrivate::QSocketIoPostgresAdapterPrivate(QSocketIoPostgresAdapter *q)
    : q_ptr(q), context(std::make_unique<QObject>())
{
    connection = new QSocketIoPostgresConnection(context.get());
    cleanup = new QTimer(context.get());
}

QSocketIoPostgresAdapterPrivate::~QSocketIoPostgresAdapterPrivate()
{
    // The connection's callbacks point here: it goes first.
    delete connection;
    connection = nullptr;
}

void QSocketIoPostgresAdapterPrivate::start()
{
    if (started)
        return;
    started = true;
    connection->setConnectionString(connectionString.toUtf8());
    QObject::connect(connection, &QSocketIoPostgresConnection::ready, context.get(), [this] { onReady(); });
    QObject::connect(connection, &QSocketIoPostgresConnection::lost, context.get(),
                     [this](const QString &error) { onLost(error); });
    QObject::connect(connection, &QSocketIoPostgresConnection::notification, context.get(),
                     [this](const QByteArray &channel, const QByteArray &payload) {
        onNotification(channel, payload);
    });
    QObject::connect(cleanup, &QTimer::timeout, context.get(), [this] {
        if (!connection->isReady())
            return;
        connection->exec("DELETE FROM " + tableName.toUtf8() + " WHERE created_at < now() - $1::interval",
                         {{QByteArray::number(cleanupInterval) + " milliseconds"}}, false,
                         [this](const QSocketIoPostgresConnection::Result &result) {
            if (!result.error.isEmpty())
                reportQueryError("removing old attachments", result);
        });
    });
    cleanup->start(cleanupInterval);
    connection->open();
}

QByteArray QSocketIoPostgresAdapterPrivate::listenSql() const
{
    QByteArray sql;
    QSet<QByteArray> seen;
    for (const QSocketIoPostgresNamespaceAdapter *adapter : adapters) {
        if (seen.contains(adapter->channel))
            continue;
        seen.insert(adapter->channel);
        sql += "LISTEN " + QSocketIoPostgresConnection::quoteIdentifier(QString::fromUtf8(adapter->channel)) + ';';
    }
    return sql;
}

void QSocketIoPostgresAdapterPrivate::onReady()
{
    // LISTEN on every namespace's channel (again: a namespace may have come while connecting) before this
    // node counts as connected: what the others publish from then on reaches it.
    QByteArray listen = listenSql();
    if (listen.isEmpty())
        listen = "SELECT 1";
    connection->execSimple(listen, [this](const QSocketIoPostgresConnection::Result &result) {
        if (result.connectionLost)
            return;   // lost again already; onLost() said so
        if (!result.error.isEmpty())
            reportQueryError("LISTEN", result);
        onListening();
    });
}

void QSocketIoPostgresAdapterPrivate::onListening()
{
    if (everConnected)
        qCInfo(lcPostgres) << "reconnected to PostgreSQL; listening again";
    else
        qCDebug(lcPostgres) << "connected to PostgreSQL";
    if (dropped > 0)
        qCDebug(lcPostgres) << dropped << "heartbeat(s) were not sent while PostgreSQL was unreachable";
    everConnected = true;
    outageReported = false;
    dropped = 0;
    connected = true;
    // The attachment table of @socket.io/postgres-adapter, when it is missing.
    connection->exec("CREATE TABLE IF NOT EXISTS " + tableName.toUtf8()
                             + " (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)",
                     {}, false, [this](const QSocketIoPostgresConnection::Result &result) {
        if (!result.error.isEmpty())
            reportQueryError("creating the attachment table", result);
    });
    const QList<QSocketIoPostgresNamespaceAdapter *> current = adapters;
    for (QSocketIoPostgresNamespaceAdapter *adapter : current) {
        if (adapters.contains(adapter)) {
            adapter->markReconnected();
            adapter->publishInitialHeartbeat();
        }
    }
    startFlush();
    if (q_ptr)
        Q_EMIT q_ptr->connectedChanged();
}

void QSocketIoPostgresAdapterPrivate::onLost(const QString &error)
{
    const bool wasConnected = connected;
    connected = false;
    holding = false;
    if (wasConnected) {
        nodesBefore.clear();
        for (QSocketIoPostgresNamespaceAdapter *adapter : std::as_const(adapters))
            nodesBefore.insert(adapter, adapter->nodeIds());
    }
    // Sent but not acknowledged: back in front of the queue, sent again on reconnection.
    if (!inFlight.isEmpty())
        queue.requeueFront(std::exchange(inFlight, {}));
    this->error = QSocketIoPostgresAdapter::Error::ConnectionError;
    errorString = error;
    if (wasConnected)
        qCWarning(lcPostgres).noquote() << "lost the connection to PostgreSQL:" << error << "- reconnecting";
    else if (!outageReported)
        qCWarning(lcPostgres).noquote() << "cannot connect to PostgreSQL:" << error << "- retrying";
    else
        qCDebug(lcPostgres).noquote() << "still cannot connect to PostgreSQL:" << error;
    outageReported = true;
    if (q_ptr) {
        Q_EMIT q_ptr->errorOccurred(this->error);
        if (wasConnected)
            Q_EMIT q_ptr->connectedChanged();
    }
}

QList<QSocketIoPostgresNamespaceAdapter *> QSocketIoPostgresAdapterPrivate::adaptersOn(const QByteArray &channel) const
{
    QList<QSocketIoPostgresNamespaceAdapter *> out;
    for (QSocketIoPostgresNamespaceAdapter *adapter : adapters) {
        if (adapter->channel == channel)
            out.append(adapter);
    }
    return out;
}

void QSocketIoPostgresAdapterPrivate::onNotification(const QByteArray &channel, const QByteArray &payload)
{
    const QList<QSocketIoPostgresNamespaceAdapter *> targets = adaptersOn(channel);
    if (targets.isEmpty())
        return;
    QVariantMap message;
    QString error;
    if (!Messages::parseJson(payload, &message, &error)) {
        qCWarning(lcPostgres).noquote() << "dropped a broken message on" << QString::fromUtf8(channel) << ":"
                                        << error;
        return;
    }
    // This node's own messages come back too: skip them before fetching any attachment.
    const QString uid = message.value(QStringLiteral("uid")).toString();
    bool fromSelf = true;
    for (const QSocketIoPostgresNamespaceAdapter *adapter : targets)
        fromSelf = fromSelf && adapter->uid() == uid;
    if (fromSelf)
        return;
    auto entry = std::make_shared<Inbound>();
    entry->channel = channel;
    inbox.append(entry);
    const QVariant attachment = message.value(QStringLiteral("attachmentId"));
    if (!attachment.isValid() || attachment.isNull()) {
        entry->message = message;
        entry->ready = true;
        deliverReady();
        return;
    }
    const QByteArray id = attachment.toString().toUtf8();
    connection->exec("SELECT payload FROM " + tableName.toUtf8() + " WHERE id = $1", {{id}}, true,
                     [this, entry, id](const QSocketIoPostgresConnection::Result &result) {
        entry->ready = true;
        QString error = result.error;
        QVariant value;
        if (error.isEmpty() && result.rows.isEmpty())
            error = QStringLiteral("no such attachment");
        if (error.isEmpty() && QSocketIoMsgpack::unpack(result.rows.first().value(0), &value, &error)) {
            if (value.typeId() == QMetaType::QVariantMap)
                entry->message = value.toMap();
            else
                error = QStringLiteral("the attachment is not a map");
        }
        if (!error.isEmpty()) {
            qCWarning(lcPostgres).noquote() << "dropped the message with attachment" << QString::fromUtf8(id)
                                            << ":" << error;
        }
        deliverReady();
    });
}

void QSocketIoPostgresAdapterPrivate::deliverReady()
{
    while (!inbox.isEmpty() && inbox.first()->ready) {
        const std::shared_ptr<Inbound> entry = inbox.takeFirst();
        if (entry->message.isEmpty())
            continue;
        const QList<QSocketIoPostgresNamespaceAdapter *> targets = adaptersOn(entry->channel);
        for (QSocketIoPostgresNamespaceAdapter *adapter : targets) {
            if (adapters.contains(adapter))
                adapter->onMessage(entry->message);
        }
    }
}

void QSocketIoPostgresAdapterPrivate::reportQueryError(const char *what,
                                                       const QSocketIoPostgresConnection::Result &result)
{
    // A query cut short by a lost connection: the loss itself is what gets reported.
    if (result.connectionLost)
        qCDebug(lcPostgres).noquote() << what << "failed:" << result.error;
    else
        qCWarning(lcPostgres).noquote() << what << "failed:" << result.error;
}

void QSocketIoPostgresAdapterPrivate::publish(const QByteArray &channel, const QVariantMap &message)
{
    const auto type = MessageType(message.value(QStringLiteral("type")).toInt());
    const bool signal = type == MessageType::Heartbeat || type == MessageType::InitialHeartbeat
            || type == MessageType::AdapterClose;
    // Heartbeats carry nothing to keep in order: they go out whenever connected, the queue held or not (the
    // other nodes wait for them before they send their own queues).
    if (connection->isReady() && connected && (signal || (!holding && queue.isEmpty()))) {
        send(channel, message, !signal);
        return;
    }
    if (signal) {
        // A heartbeat is worth nothing late: the reconnection sends a fresh one.
        if (dropped++ == 0)
            qCDebug(lcPostgres) << "not connected to PostgreSQL: heartbeats are not sent";
        return;
    }
    if (queue.isEmpty() && inFlight.isEmpty() && droppedThisOutage == 0)
        qCDebug(lcPostgres) << "PostgreSQL is unreachable: queueing what this node publishes";
    if (!queue.enqueue(channel, QSocketIoMsgpack::pack(message)))
        reportDropped();
}

void QSocketIoPostgresAdapterPrivate::reportDropped()
{
    const qint64 count = queue.takeDropped();
    if (count <= 0)
        return;
    if (droppedThisOutage == 0)
        qCWarning(lcPostgres) << "PostgreSQL is unreachable and the outage queue is full (" << queue.maxBytes()
                              << "bytes," << queue.maxAge() << "ms): dropping what this node publishes (more may follow)";
    droppedThisOutage += count;
    droppedTotal += count;
    if (q_ptr)
        Q_EMIT q_ptr->publicationsDropped(count);
}

void QSocketIoPostgresAdapterPrivate::startFlush()
{
    queue.expire();
    reportDropped();
    if (queue.isEmpty()) {
        if (droppedThisOutage > 0)
            qCWarning(lcPostgres) << droppedThisOutage << "publication(s) were dropped while PostgreSQL was unreachable";
        droppedThisOutage = 0;
        return;
    }
    // The other nodes reconnect by themselves: hold the queue until every node known before the outage was heard
    // from again (their heartbeat, or their answer to ours), for 5 s at most.
    holding = true;
    holdDeadline.setRemainingTime(5000);
    flush();
}

void QSocketIoPostgresAdapterPrivate::flush()
{
    if (!holding || !connected)
        return;
    bool ready = holdDeadline.hasExpired();
    if (!ready) {
        ready = true;
        for (auto it = nodesBefore.cbegin(); it != nodesBefore.cend() && ready; ++it) {
            if (adapters.contains(it.key()) && !it.key()->heardAgain(it.value()))
                ready = false;
        }
    }
    if (!ready) {
        QTimer::singleShot(50, context.get(), [this] { flush(); });
        return;
    }
    holding = false;
    queue.expire();
    reportDropped();
    const qsizetype count = queue.count();
    while (!queue.isEmpty()) {
        QSocketIoOutageQueue::Item item = queue.takeFirst();
        QVariant value;
        QString error;
        if (!QSocketIoMsgpack::unpack(item.message, &value, &error))
            continue;   // it was packed here: cannot happen
        send(item.channel, value.toMap(), true);
    }
    qCInfo(lcPostgres) << "sent" << count << "publication(s) queued while PostgreSQL was unreachable";
    if (droppedThisOutage > 0)
        qCWarning(lcPostgres) << droppedThisOutage << "publication(s) were dropped while PostgreSQL was unreachable";
    droppedThisOutage = 0;
}

void QSocketIoPostgresAdapterPrivate::send(const QByteArray &channel, const QVariantMap &message, bool tracked)
{
    // A tracked message stays in inFlight until PostgreSQL ran its query (answers come in order); one whose
    // connection broke first goes back to the queue (onLost()).
    if (tracked)
        inFlight.append({channel, QSocketIoMsgpack::pack(message), QSocketIoOutageQueue::now()});
    auto report = [this, tracked](const QSocketIoPostgresConnection::Result &result) {
        if (result.connectionLost)
            return;
        if (tracked && !inFlight.isEmpty())
            inFlight.removeFirst();
        if (!result.error.isEmpty())
            reportQueryError("publishing", result);
    };
    if (!Messages::needsAttachment(message)) {
        // NOTIFY takes payloads shorter than 8000 bytes: one of exactly the threshold goes as an attachment
        // too (Node sends it as a NOTIFY, which PostgreSQL refuses at the default threshold).
        const QByteArray json = Messages::toJson(message);
        if (json.size() < payloadThreshold) {
            connection->exec("SELECT pg_notify($1, $2)", {{channel}, {json}}, false, report);
            return;
        }
    }
    // Through the attachment table: the row and the NOTIFY with its id in one statement, so that the
    // messages of this node stay in order.
    QSocketIoPostgresConnection::Param payload;
    payload.value = QSocketIoMsgpack::pack(message);
    payload.binary = true;
    connection->exec("WITH attachment AS (INSERT INTO " + tableName.toUtf8()
                             + " (payload) VALUES ($1) RETURNING id) "
                               "SELECT pg_notify($2, json_build_object('uid', $3::text, 'type', $4::int, "
                               "'attachmentId', attachment.id::text)::text) FROM attachment",
                     {payload, {channel}, {message.value(QStringLiteral("uid")).toString().toUtf8()},
                      {QByteArray::number(message.value(QStringLiteral("type")).toInt())}},
                     false, report);
}

void QSocketIoPostgresAdapterPrivate::listen(const QByteArray &channel)
{
    if (adaptersOn(channel).size() > 1 || !connection->isReady())
        return;   // listened already, or at the next connection
    connection->execSimple("LISTEN " + QSocketIoPostgresConnection::quoteIdentifier(QString::fromUtf8(channel)),
                           [this](const QSocketIoPostgresConnection::Result &result) {
        if (!result.error.isEmpty())
            reportQueryError("LISTEN", result);
    });
}

void QSocketIoPostgresAdapterPrivate::unlisten(const QByteArray &channel)
{
    if (!adaptersOn(channel).isEmpty() || !connection->isReady())
        return;
    connection->execSimple("UNLISTEN " + QSocketIoPostgresConnection::quoteIdentifier(QString::fromUtf8(channel)));
}

// --- QSocketIoPostgresAdapter ------------------------------------------------------------------------------

QSocketIoPostgresAdapter::QSocketIoPostgresAdapter(QObject *parent)
    : QObject(parent), d_ptr(std::make_shared<QSocketIoPostgresAdapterPrivate>(this))
{
}

QSocketIoPostgresAdapter::~QSocketIoPostgresAdapter()
{
    d_ptr->q_ptr = nullptr;
}

#define QTSOCKETIO_PG_PROPERTY(Type, getter, setter, member, signal) \
    Type QSocketIoPostgresAdapter::getter() const { return d_func()->member; } \
    void QSocketIoPostgresAdapter::setter(Type value) \
    { \
        Q_D(QSocketIoPostgresAdapter); \
        if (d->member == value) \
            return; \
        d->member = value; \
        Q_EMIT signal(); \
    }

QString QSocketIoPostgresAdapter::connectionString() const { return d_func()->connectionString; }
void QSocketIoPostgresAdapter::setConnectionString(const QString &connectionString)
{
    Q_D(QSocketIoPostgresAdapter);
    if (d->connectionString == connectionString)
        return;
    d->connectionString = connectionString;
    d->connection->setConnectionString(connectionString.toUtf8());
    Q_EMIT connectionStringChanged();
}

QString QSocketIoPostgresAdapter::channelPrefix() const { return d_func()->channelPrefix; }
void QSocketIoPostgresAdapter::setChannelPrefix(const QString &prefix)
{
    Q_D(QSocketIoPostgresAdapter);
    if (d->channelPrefix == prefix)
        return;
    d->channelPrefix = prefix;
    Q_EMIT channelPrefixChanged();
}

QString QSocketIoPostgresAdapter::tableName() const { return d_func()->tableName; }
void QSocketIoPostgresAdapter::setTableName(const QString &tableName)
{
    Q_D(QSocketIoPostgresAdapter);
    if (d->tableName == tableName)
        return;
    d->tableName = tableName;
    Q_EMIT tableNameChanged();
}

QTSOCKETIO_PG_PROPERTY(int, payloadThreshold, setPayloadThreshold, payloadThreshold, payloadThresholdChanged)
QTSOCKETIO_PG_PROPERTY(int, heartbeatInterval, setHeartbeatInterval, heartbeatInterval, heartbeatIntervalChanged)
QTSOCKETIO_PG_PROPERTY(int, heartbeatTimeout, setHeartbeatTimeout, heartbeatTimeout, heartbeatTimeoutChanged)

int QSocketIoPostgresAdapter::requestsTimeout() const { return d_func()->requestsTimeout; }
void QSocketIoPostgresAdapter::setRequestsTimeout(int milliseconds)
{
    qtsocketioSetRequestsTimeout(this, d_func(), milliseconds);
}

qint64 QSocketIoPostgresAdapter::maxQueuedBytes() const { return d_func()->queue.maxBytes(); }
void QSocketIoPostgresAdapter::setMaxQueuedBytes(qint64 bytes)
{
    Q_D(QSocketIoPostgresAdapter);
    if (d->queue.maxBytes() == bytes)
        return;
    d->queue.setMaxBytes(bytes);
    Q_EMIT maxQueuedBytesChanged();
}

int QSocketIoPostgresAdapter::maxQueueAge() const { return d_func()->queue.maxAge(); }
void QSocketIoPostgresAdapter::setMaxQueueAge(int milliseconds)
{
    Q_D(QSocketIoPostgresAdapter);
    if (d->queue.maxAge() == milliseconds)
        return;
    d->queue.setMaxAge(milliseconds);
    Q_EMIT maxQueueAgeChanged();
}

qint64 QSocketIoPostgresAdapter::droppedPublications() const { return d_func()->droppedTotal; }
int QSocketIoPostgresAdapter::queuedPublications() const { return int(d_func()->queue.count()); }

int QSocketIoPostgresAdapter::cleanupInterval() const { return d_func()->cleanupInterval; }
void QSocketIoPostgresAdapter::setCleanupInterval(int milliseconds)
{
    Q_D(QSocketIoPostgresAdapter);
    if (d->cleanupInterval == milliseconds)
        return;
    d->cleanupInterval = milliseconds;
    if (d->cleanup->isActive())
        d->cleanup->start(milliseconds);
    Q_EMIT cleanupIntervalChanged();
}

#undef QTSOCKETIO_PG_PROPERTY

bool QSocketIoPostgresAdapter::isConnected() const { return d_func()->connected; }
QSocketIoPostgresAdapter::Error QSocketIoPostgresAdapter::error() const { return d_func()->error; }
QString QSocketIoPostgresAdapter::errorString() const { return d_func()->errorString; }

void QSocketIoPostgresAdapter::attach(QSocketIoServer *server)
{
    Q_D(QSocketIoPostgresAdapter);
    qtsocketioSetClusterAdapterFactory<QSocketIoPostgresNamespaceAdapter>(server, d_ptr);
    d->start();
}

int QSocketIoPostgresAdapter::serverCount(const QString &nsp) const
{
    Q_D(const QSocketIoPostgresAdapter);
    for (const QSocketIoPostgresNamespaceAdapter *adapter : d->adapters) {
        if (adapter->nspName == nsp)
            return adapter->nodeCount();
    }
    return -1;
}
