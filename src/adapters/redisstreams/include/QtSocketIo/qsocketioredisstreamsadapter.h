// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOREDISSTREAMSADAPTER_H
#define QSOCKETIOREDISSTREAMSADAPTER_H

#include <QtSocketIo/qtsocketioredis_export.h>

#include <QtCore/qobject.h>

#include <memory>

class QSocketIoServer;
class QSocketIoRedisStreamsAdapterPrivate;

// Links QtSocketIo servers (and Node.js socket.io servers using @socket.io/redis-streams-adapter 0.2) through
// one Redis stream: every message is an XADD, every node reads the stream with XREAD BLOCK on a connection of
// its own. With connection state recovery enabled on the server, the sessions are kept in Redis and the
// missed packets read back from the stream, so a client may recover on any node.
//
//     QSocketIoServer server;
//     auto *streams = new QSocketIoRedisStreamsAdapter(u"10.0.0.5"_s, 6379, &server);
//     streams->attach(&server);
class QTSOCKETIOREDIS_EXPORT QSocketIoRedisStreamsAdapter : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString url READ url WRITE setUrl NOTIFY urlChanged)
    Q_PROPERTY(QString hostName READ hostName WRITE setHostName NOTIFY hostNameChanged)
    Q_PROPERTY(quint16 port READ port WRITE setPort NOTIFY portChanged)
    Q_PROPERTY(QString userName READ userName WRITE setUserName NOTIFY userNameChanged)
    Q_PROPERTY(QString password READ password WRITE setPassword NOTIFY passwordChanged)
    Q_PROPERTY(QString streamName READ streamName WRITE setStreamName NOTIFY streamNameChanged)
    Q_PROPERTY(int maxLength READ maxLength WRITE setMaxLength NOTIFY maxLengthChanged)
    Q_PROPERTY(int readCount READ readCount WRITE setReadCount NOTIFY readCountChanged)
    Q_PROPERTY(QString sessionKeyPrefix READ sessionKeyPrefix WRITE setSessionKeyPrefix NOTIFY sessionKeyPrefixChanged)
    Q_PROPERTY(int heartbeatInterval READ heartbeatInterval WRITE setHeartbeatInterval NOTIFY heartbeatIntervalChanged)
    Q_PROPERTY(int heartbeatTimeout READ heartbeatTimeout WRITE setHeartbeatTimeout NOTIFY heartbeatTimeoutChanged)
    Q_PROPERTY(int requestsTimeout READ requestsTimeout WRITE setRequestsTimeout NOTIFY requestsTimeoutChanged)
    Q_PROPERTY(bool connected READ isConnected NOTIFY connectedChanged)
    Q_PROPERTY(qint64 droppedEntries READ droppedEntries NOTIFY droppedEntriesChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorOccurred)
public:
    explicit QSocketIoRedisStreamsAdapter(QObject *parent = nullptr);
    QSocketIoRedisStreamsAdapter(const QString &hostName, quint16 port, QObject *parent = nullptr);
    ~QSocketIoRedisStreamsAdapter() override;

    QString url() const;
    bool setUrl(const QString &url);
    QString hostName() const;
    void setHostName(const QString &hostName);
    quint16 port() const;
    void setPort(quint16 port);
    QString userName() const;
    void setUserName(const QString &userName);
    QString password() const;
    void setPassword(const QString &password);

    QString streamName() const;
    void setStreamName(const QString &name);
    int maxLength() const;
    void setMaxLength(int entries);
    int readCount() const;
    void setReadCount(int entries);
    QString sessionKeyPrefix() const;
    void setSessionKeyPrefix(const QString &prefix);
    int heartbeatInterval() const;
    void setHeartbeatInterval(int milliseconds);
    int heartbeatTimeout() const;
    void setHeartbeatTimeout(int milliseconds);
    int requestsTimeout() const;
    void setRequestsTimeout(int milliseconds);

    bool isConnected() const;
    qint64 droppedEntries() const;
    QString errorString() const;

    void attach(QSocketIoServer *server);
    int serverCount(const QString &nsp = QStringLiteral("/")) const;

Q_SIGNALS:
    void urlChanged();
    void hostNameChanged();
    void portChanged();
    void userNameChanged();
    void passwordChanged();
    void streamNameChanged();
    void maxLengthChanged();
    void readCountChanged();
    void sessionKeyPrefixChanged();
    void heartbeatIntervalChanged();
    void heartbeatTimeoutChanged();
    void requestsTimeoutChanged();
    void connectedChanged();
    void droppedEntriesChanged();
    void errorOccurred(const QString &errorString);

private:
    friend class QSocketIoRedisStreamsNamespaceAdapter;
    Q_DECLARE_PRIVATE(QSocketIoRedisStreamsAdapter)
    Q_DISABLE_COPY(QSocketIoRedisStreamsAdapter)
    std::shared_ptr<QSocketIoRedisStreamsAdapterPrivate> d_ptr;
};

#endif
