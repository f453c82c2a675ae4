// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOREDISSHARDEDADAPTER_H
#define QSOCKETIOREDISSHARDEDADAPTER_H

#include <QtSocketIo/qtsocketioredis_export.h>

#include <QtCore/qobject.h>
#include <QtNetwork/qsslconfiguration.h>

#include <functional>
#include <memory>

class QSocketIoServer;
class QSocketIoRedisShardedAdapterPrivate;

// Links QtSocketIo servers (and Node.js servers using createShardedAdapter of @socket.io/redis-adapter 8.3)
// through Redis 7's sharded pub/sub (SPUBLISH / SSUBSCRIBE), on a Redis Cluster or on one Redis server.
class QTSOCKETIOREDIS_EXPORT QSocketIoRedisShardedAdapter : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString url READ url WRITE setUrl NOTIFY urlChanged)
    Q_PROPERTY(QSslConfiguration sslConfiguration READ sslConfiguration WRITE setSslConfiguration
               NOTIFY sslConfigurationChanged)
    Q_PROPERTY(QString channelPrefix READ channelPrefix WRITE setChannelPrefix NOTIFY channelPrefixChanged)
    Q_PROPERTY(SubscriptionMode subscriptionMode READ subscriptionMode WRITE setSubscriptionMode
               NOTIFY subscriptionModeChanged)
    Q_PROPERTY(int requestsTimeout READ requestsTimeout WRITE setRequestsTimeout NOTIFY requestsTimeoutChanged)
    Q_PROPERTY(bool connected READ isConnected NOTIFY connectedChanged)
    Q_PROPERTY(Error error READ error NOTIFY errorOccurred)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorOccurred)
public:
    enum class SubscriptionMode {
        Static,          // one channel per namespace (and one per node for the answers)
        Dynamic,         // plus one per public room (not a socket's own room)
        DynamicPrivate,  // plus one per room, sockets' own rooms included
    };
    Q_ENUM(SubscriptionMode)
    enum class Error {
        NoError,
        ConnectionError,
        AuthenticationError,
        InvalidUrlError,
    };
    Q_ENUM(Error)

    explicit QSocketIoRedisShardedAdapter(QObject *parent = nullptr);
    ~QSocketIoRedisShardedAdapter() override;

    QString url() const;
    void setUrl(const QString &url);
    QSslConfiguration sslConfiguration() const;
    void setSslConfiguration(const QSslConfiguration &configuration);
    QString channelPrefix() const;
    void setChannelPrefix(const QString &prefix);
    SubscriptionMode subscriptionMode() const;
    void setSubscriptionMode(SubscriptionMode mode);
    int requestsTimeout() const;
    void setRequestsTimeout(int milliseconds);

    bool isConnected() const;
    Error error() const;
    QString errorString() const;
    // Messages from the bus that could not be decoded (dropped with a debug log).
    qint64 malformedMessages() const;
    // Publications dropped because the outage queue was full or too old.
    qint64 droppedPublications() const;

    void attach(QSocketIoServer *server);
    void serverCount(const QObject *context, const std::function<void(int)> &functor) const;

Q_SIGNALS:
    void urlChanged();
    void sslConfigurationChanged();
    void channelPrefixChanged();
    void subscriptionModeChanged();
    void requestsTimeoutChanged();
    void connectedChanged();
    void errorOccurred(QSocketIoRedisShardedAdapter::Error error);
    void publicationsDropped(qint64 count);

private:
    friend class QSocketIoRedisShardedNamespaceAdapter;
    Q_DECLARE_PRIVATE(QSocketIoRedisShardedAdapter)
    Q_DISABLE_COPY(QSocketIoRedisShardedAdapter)
    std::shared_ptr<QSocketIoRedisShardedAdapterPrivate> d_ptr;
};

#endif
