// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOPOSTGRESADAPTER_H
#define QSOCKETIOPOSTGRESADAPTER_H

#include <QtSocketIo/qtsocketiopostgres_export.h>

#include <QtCore/qobject.h>

#include <memory>

class QSocketIoServer;
class QSocketIoPostgresAdapterPrivate;

// Links QtSocketIo servers (and Node.js socket.io servers using @socket.io/postgres-adapter 0.5, and
// @socket.io/postgres-emitter) through PostgreSQL LISTEN/NOTIFY: broadcasts, rooms and the cluster-wide
// operations reach the sockets of every node. One object holds the PostgreSQL connection of one server
// (libpq, asynchronous, on the server's event loop); every namespace of that server uses it.
//
//     QSocketIoServer server;
//     auto *postgres = new QSocketIoPostgresAdapter(&server);
//     postgres->setConnectionString(u"host=10.0.0.5 dbname=app user=app"_s);
//     postgres->attach(&server);   // connects, and retries with a backoff while PostgreSQL is unreachable
//
// Messages that hold binary or whose JSON is over payloadThreshold go through the attachment table
// (tableName), which is created when missing; rows older than cleanupInterval are deleted periodically.
// The number of nodes comes from heartbeats. While PostgreSQL is unreachable the server keeps serving its
// own clients; what it publishes meanwhile is queued (maxQueuedBytes, maxQueueAge), and the connection comes back
// by itself (LISTEN again, then a new initial heartbeat).
class QTSOCKETIOPOSTGRES_EXPORT QSocketIoPostgresAdapter : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString connectionString READ connectionString WRITE setConnectionString NOTIFY connectionStringChanged)
    Q_PROPERTY(QString channelPrefix READ channelPrefix WRITE setChannelPrefix NOTIFY channelPrefixChanged)
    Q_PROPERTY(QString tableName READ tableName WRITE setTableName NOTIFY tableNameChanged)
    Q_PROPERTY(int payloadThreshold READ payloadThreshold WRITE setPayloadThreshold NOTIFY payloadThresholdChanged)
    Q_PROPERTY(int requestsTimeout READ requestsTimeout WRITE setRequestsTimeout NOTIFY requestsTimeoutChanged)
    Q_PROPERTY(int heartbeatInterval READ heartbeatInterval WRITE setHeartbeatInterval NOTIFY heartbeatIntervalChanged)
    Q_PROPERTY(int heartbeatTimeout READ heartbeatTimeout WRITE setHeartbeatTimeout NOTIFY heartbeatTimeoutChanged)
    Q_PROPERTY(int cleanupInterval READ cleanupInterval WRITE setCleanupInterval NOTIFY cleanupIntervalChanged)
    Q_PROPERTY(qint64 maxQueuedBytes READ maxQueuedBytes WRITE setMaxQueuedBytes NOTIFY maxQueuedBytesChanged)
    Q_PROPERTY(int maxQueueAge READ maxQueueAge WRITE setMaxQueueAge NOTIFY maxQueueAgeChanged)
    Q_PROPERTY(bool connected READ isConnected NOTIFY connectedChanged)
    Q_PROPERTY(Error error READ error NOTIFY errorOccurred)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorOccurred)
public:
    enum class Error {
        NoError,
        ConnectionError,  // PostgreSQL could not be reached, or the connection was lost (retried with a backoff)
    };
    Q_ENUM(Error)

    explicit QSocketIoPostgresAdapter(QObject *parent = nullptr);
    ~QSocketIoPostgresAdapter() override;

    // A libpq connection string ("host=... port=... dbname=... user=..." or a postgresql:// URI); empty:
    // libpq's defaults and PG* environment variables. Takes effect at the next connection.
    QString connectionString() const;
    void setConnectionString(const QString &connectionString);
    // The notification channel is "<channelPrefix>#<namespace>"; default "socket.io". Set before attach().
    QString channelPrefix() const;
    void setChannelPrefix(const QString &prefix);
    // The attachment table, default "socket_io_attachments" (used as written: it may be schema-qualified).
    QString tableName() const;
    void setTableName(const QString &tableName);
    // JSON payloads of this many bytes or more go through the attachment table; default 8000 (NOTIFY's limit).
    int payloadThreshold() const;
    void setPayloadThreshold(int bytes);
    // How long fetchRemoteSockets() and serverSideEmitWithAck() wait for the other nodes (ms), default 5000.
    int requestsTimeout() const;
    void setRequestsTimeout(int milliseconds);
    // A heartbeat goes out when nothing else was published for this long (ms), default 5000.
    int heartbeatInterval() const;
    void setHeartbeatInterval(int milliseconds);
    // A node not heard from for this long (ms) no longer counts, default 10000.
    int heartbeatTimeout() const;
    void setHeartbeatTimeout(int milliseconds);
    // How often attachments older than this many ms are deleted, default 30000.
    int cleanupInterval() const;
    void setCleanupInterval(int milliseconds);

    // Connected and listening.
    bool isConnected() const;
    // The last failure, with libpq's message in errorString().
    Error error() const;
    QString errorString() const;

    // The outage queue, as QSocketIoRedisAdapter's: 8 MiB, 30 s by default.
    qint64 maxQueuedBytes() const;
    void setMaxQueuedBytes(qint64 bytes);
    int maxQueueAge() const;
    void setMaxQueueAge(int milliseconds);
    qint64 droppedPublications() const;
    int queuedPublications() const;

    // Makes every namespace of server (those there now and those to come) use PostgreSQL, and connects.
    // The connection lives as long as a namespace uses it, even if this object goes first.
    void attach(QSocketIoServer *server);
    // How many nodes serve the namespace, this one included, as the heartbeats tell (-1: not attached).
    int serverCount(const QString &nsp = QStringLiteral("/")) const;

Q_SIGNALS:
    void connectionStringChanged();
    void channelPrefixChanged();
    void tableNameChanged();
    void payloadThresholdChanged();
    void requestsTimeoutChanged();
    void heartbeatIntervalChanged();
    void heartbeatTimeoutChanged();
    void cleanupIntervalChanged();
    void maxQueuedBytesChanged();
    void maxQueueAgeChanged();
    void publicationsDropped(qint64 count);
    void connectedChanged();
    void errorOccurred(QSocketIoPostgresAdapter::Error error);

private:
    friend class QSocketIoPostgresNamespaceAdapter;
    Q_DECLARE_PRIVATE(QSocketIoPostgresAdapter)
    Q_DISABLE_COPY(QSocketIoPostgresAdapter)
    // Shared with the namespaces' adapters: the connection lives as long as one of them does.
    std::shared_ptr<QSocketIoPostgresAdapterPrivate> d_ptr;
};

#endif
