// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOREDISADAPTER_H
#define QSOCKETIOREDISADAPTER_H

#include <QtSocketIo/qtsocketioredis_export.h>

#include <QtCore/qobject.h>
#include <QtNetwork/qsslconfiguration.h>

#include <functional>
#include <memory>

class QSocketIoServer;
class QSocketIoRedisAdapterPrivate;

// Links QtSocketIo servers (and Node.js socket.io servers using @socket.io/redis-adapter 8.x, and
// @socket.io/redis-emitter) through Redis pub/sub: broadcasts, rooms and the cluster-wide operations reach
// the sockets of every node. One object holds the two Redis connections (publish, subscribe) of one server;
// every namespace of that server uses them.
//
//     QSocketIoServer server;
//     auto *redis = new QSocketIoRedisAdapter(&server);
//     redis->setHostName(u"10.0.0.5"_s);
//     redis->attach(&server);   // connects, and retries with a backoff while Redis is unreachable
//
// While Redis is unreachable the server keeps serving its own clients; what it publishes meanwhile is queued
// (up to maxQueuedBytes and maxQueueAge) and sent in order once the connection came back by itself.
class QTSOCKETIOREDIS_EXPORT QSocketIoRedisAdapter : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString hostName READ hostName WRITE setHostName NOTIFY hostNameChanged)
    Q_PROPERTY(quint16 port READ port WRITE setPort NOTIFY portChanged)
    Q_PROPERTY(QString userName READ userName WRITE setUserName NOTIFY userNameChanged)
    Q_PROPERTY(QString password READ password WRITE setPassword NOTIFY passwordChanged)
    Q_PROPERTY(QString url READ url WRITE setUrl NOTIFY urlChanged)
    Q_PROPERTY(QSslConfiguration sslConfiguration READ sslConfiguration WRITE setSslConfiguration
               NOTIFY sslConfigurationChanged)
    Q_PROPERTY(qint64 maxQueuedBytes READ maxQueuedBytes WRITE setMaxQueuedBytes NOTIFY maxQueuedBytesChanged)
    Q_PROPERTY(int maxQueueAge READ maxQueueAge WRITE setMaxQueueAge NOTIFY maxQueueAgeChanged)
    Q_PROPERTY(QString key READ key WRITE setKey NOTIFY keyChanged)
    Q_PROPERTY(int requestsTimeout READ requestsTimeout WRITE setRequestsTimeout NOTIFY requestsTimeoutChanged)
    Q_PROPERTY(bool publishOnSpecificResponseChannel READ publishOnSpecificResponseChannel
               WRITE setPublishOnSpecificResponseChannel NOTIFY publishOnSpecificResponseChannelChanged)
    Q_PROPERTY(bool connected READ isConnected NOTIFY connectedChanged)
    Q_PROPERTY(Error error READ error NOTIFY errorOccurred)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorOccurred)
public:
    enum class Error {
        NoError,
        ConnectionError,      // Redis could not be reached (retried with a backoff)
        AuthenticationError,  // Redis refused userName/password (retried with a backoff)
        InvalidUrlError,      // setUrl() was given what is not a Redis URL (the options did not change)
    };
    Q_ENUM(Error)

    explicit QSocketIoRedisAdapter(QObject *parent = nullptr);
    ~QSocketIoRedisAdapter() override;

    // Where Redis listens; default 127.0.0.1:6379. Take effect at the next connection.
    QString hostName() const;
    void setHostName(const QString &hostName);
    quint16 port() const;
    void setPort(quint16 port);
    // Sent with AUTH when not empty (userName too, for a Redis 6 ACL user). Take effect at the next connection.
    QString userName() const;
    void setUserName(const QString &userName);
    QString password() const;
    void setPassword(const QString &password);
    // redis://, rediss:// (TLS), redis+sentinel:// or rediss+sentinel:// (the master named by Sentinels): sets
    // hostName, port, userName, password and the rest at once. Takes effect at the next connection.
    QString url() const;
    void setUrl(const QString &url);
    // The TLS settings of a rediss:// connection (CA certificates, client certificate, peer verification).
    QSslConfiguration sslConfiguration() const;
    void setSslConfiguration(const QSslConfiguration &configuration);
    // The outage queue's bounds: what is published while Redis is unreachable is kept up to maxQueuedBytes
    // (default 8 MiB; what does not fit is dropped) and sent on reconnection unless older than maxQueueAge
    // (ms, default 30000). Dropped publications are counted in publicationsDropped().
    qint64 maxQueuedBytes() const;
    void setMaxQueuedBytes(qint64 bytes);
    int maxQueueAge() const;
    void setMaxQueueAge(int milliseconds);
    // Publications dropped since the start; publications waiting in the outage queue now.
    qint64 droppedPublications() const;
    int queuedPublications() const;
    // Messages from the bus the decoders refused (dropped with a debug log).
    qint64 malformedMessages() const;
    // The channel prefix, default "socket.io" (Node's "key" option). Set it before attach().
    QString key() const;
    void setKey(const QString &key);
    // How long fetchRemoteSockets() and serverSideEmitWithAck() wait for the other nodes (ms), default 5000.
    int requestsTimeout() const;
    void setRequestsTimeout(int milliseconds);
    // Answer other nodes on "<key>-response#<nsp>#<uid>#" rather than "<key>-response#<nsp>#" (Node's option
    // of the same name; default false). This node listens on both.
    bool publishOnSpecificResponseChannel() const;
    void setPublishOnSpecificResponseChannel(bool specific);

    // Both connections are up and subscribed (which resets error() to NoError).
    bool isConnected() const;
    // The last failure, with Redis's or the connection's message in errorString().
    Error error() const;
    QString errorString() const;

    // Makes every namespace of server (those there now and those to come) use Redis, and connects. The
    // connections live as long as a namespace uses them, even if this object goes first.
    void attach(QSocketIoServer *server);
    // How many nodes answer on the main namespace's request channel (PUBSUB NUMSUB): for tests and tools.
    void serverCount(const QObject *context, const std::function<void(int)> &functor) const;

Q_SIGNALS:
    void hostNameChanged();
    void portChanged();
    void userNameChanged();
    void passwordChanged();
    void urlChanged();
    void sslConfigurationChanged();
    void maxQueuedBytesChanged();
    void maxQueueAgeChanged();
    void publicationsDropped(qint64 count);
    void keyChanged();
    void requestsTimeoutChanged();
    void publishOnSpecificResponseChannelChanged();
    void connectedChanged();
    void errorOccurred(QSocketIoRedisAdapter::Error error);

private:
    friend class QSocketIoRedisNamespaceAdapter;
    Q_DECLARE_PRIVATE(QSocketIoRedisAdapter)
    Q_DISABLE_COPY(QSocketIoRedisAdapter)
    // Shared with the namespaces' adapters: the connections live as long as one of them does.
    std::shared_ptr<QSocketIoRedisAdapterPrivate> d_ptr;
};

#endif
