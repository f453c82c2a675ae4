// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOCLUSTERADAPTER_H
#define QSOCKETIOCLUSTERADAPTER_H

#include <QtSocketIo/qsocketioinmemoryadapter.h>

class QSocketIoClusterAdapterPrivate;

class QTSOCKETIO_EXPORT QSocketIoClusterAdapter : public QSocketIoInMemoryAdapter
{
public:
    // The requests and responses between nodes, numbered as @socket.io/redis-adapter numbers them.
    enum class RequestType {
        Sockets = 0,
        AllRooms = 1,
        RemoteJoin = 2,
        RemoteLeave = 3,
        RemoteDisconnect = 4,
        RemoteFetch = 5,
        ServerSideEmit = 6,
        Broadcast = 7,
        BroadcastClientCount = 8,
        BroadcastAck = 9,
    };

    struct Request
    {
        RequestType type = RequestType::Broadcast;
        QString uid;
        QString requestId;
        QSocketIoBroadcastOptions options;
        bool hasOptions = false;
        QStringList rooms;
        QString sid;
        QString room;
        bool close = false;
        QVariantList data;
        QSocketIoBroadcastPacket packet;
    };

    struct Response
    {
        RequestType type = RequestType::RemoteFetch;
        QString requestId;
        QList<QSocketIoRemoteSocket> sockets;
        QStringList ids;
        QVariant data;
        int clientCount = 0;
        bool hasSockets = false;
        QString uid;
    };

    explicit QSocketIoClusterAdapter(QSocketIoNamespace *nsp);
    ~QSocketIoClusterAdapter() override;

    QString uid() const;
    int requestsTimeout() const;
    void setRequestsTimeout(int milliseconds);
    static QString generateId();

    QStringList broadcast(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options) override;
    void broadcastWithAck(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options,
                          QObject *lifetime, const ClientCountCallback &clientCount, const AckCallback &ack) override;
    void addSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms) override;
    void delSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms) override;
    void disconnectSockets(const QSocketIoBroadcastOptions &options, bool close) override;
    void fetchSockets(const QSocketIoBroadcastOptions &options, const SocketsCallback &done) override;
    void serverSideEmit(const QVariantList &packet) override;
    void serverSideEmitWithAck(const QVariantList &packet, const ServerSideAckCallback &done) override;

protected:
    // The wire: what a subclass implements (and serverCount()).
    virtual void publishBroadcast(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options) = 0;
    virtual void publishRequest(const Request &request) = 0;
    virtual void publishResponse(const Request &request, const Response &response) = 0;
    void serverCount(const ServerCountCallback &done) const override = 0;
    virtual QStringList knownNodes() const;

    // What a subclass calls with what it received.
    void handleBroadcast(const QString &uid, const QSocketIoBroadcastPacket &packet,
                         const QSocketIoBroadcastOptions &options);
    void handleRequest(const Request &request);
    void handleResponse(const Response &response);
    void nodeLeft(const QString &uid);
    bool isPendingRequest(const QString &requestId) const;

    QObject *context() const;

private:
    Q_DECLARE_PRIVATE(QSocketIoClusterAdapter)
    Q_DISABLE_COPY(QSocketIoClusterAdapter)
};

#endif
