// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOADAPTER_H
#define QSOCKETIOADAPTER_H

#include <QtSocketIo/qsocketioremotesocket.h>
#include <QtSocketIo/qtsocketioglobal.h>

#include <QtCore/qlist.h>
#include <QtCore/qstring.h>
#include <QtCore/qstringlist.h>
#include <QtCore/qvariant.h>

#include <functional>
#include <memory>

class QObject;
class QSocketIoNamespace;
class QSocketIoSocketEmitter;
class QSocketIoAdapterPrivate;

// Which sockets of a namespace an operation selects, and its flags (socket.io-adapter's BroadcastOptions).
struct QSocketIoBroadcastOptions
{
    QStringList rooms;        // empty: every socket
    QStringList except;       // sockets in any of these rooms are left out
    bool local = false;       // this node only
    bool isVolatile = false;  // may be dropped for a socket that cannot take it now
    bool compress = true;
    int timeout = -1;         // broadcastWithAck(): ms; -1 when not set
};

// The Socket.IO EVENT packet an adapter carries between nodes (socket.io-adapter's packet object).
struct QSocketIoBroadcastPacket
{
    QString nsp = QStringLiteral("/");
    qint64 id = -1;           // ack id; -1 when none
    QVariantList data;        // the event name (a QString) followed by its arguments; QByteArray is binary
    bool compress = true;     // the compress flag it is delivered with (localBroadcast() sets it from the options)
};

class QTSOCKETIO_EXPORT QSocketIoAdapter
{
public:
    using ClientCountCallback = std::function<void(int count, const QStringList &socketIds)>;
    using AckCallback = std::function<void(const QString &socketId, const QVariantList &args)>;
    using SocketsCallback = std::function<void(const QList<QSocketIoRemoteSocket> &sockets, const QString &error)>;
    using ServerSideAckCallback = std::function<void(const QString &error, const QVariantList &responses)>;
    using ServerCountCallback = std::function<void(int count)>;

    explicit QSocketIoAdapter(QSocketIoNamespace *nsp);
    virtual ~QSocketIoAdapter();

    QSocketIoNamespace *nsp() const;
    QSocketIoSocketEmitter *emitter() const;

    // Rooms of the local sockets.
    virtual void addAll(const QString &socketId, const QStringList &rooms) = 0;
    virtual void del(const QString &socketId, const QString &room) = 0;
    virtual void delAll(const QString &socketId) = 0;
    virtual QStringList socketRooms(const QString &socketId) const = 0;
    virtual QStringList rooms() const = 0;
    virtual bool hasRoom(const QString &room) const = 0;
    virtual QStringList selectSockets(const QSocketIoBroadcastOptions &options) const = 0;

    // Operations on the selected sockets of every node (by default: of this node).
    virtual QStringList broadcast(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options);
    virtual void broadcastWithAck(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options,
                                  QObject *lifetime, const ClientCountCallback &clientCount, const AckCallback &ack);
    virtual void addSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms);
    virtual void delSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms);
    virtual void disconnectSockets(const QSocketIoBroadcastOptions &options, bool close);
    virtual void fetchSockets(const QSocketIoBroadcastOptions &options, const SocketsCallback &done);
    virtual void serverSideEmit(const QVariantList &packet);
    virtual void serverSideEmitWithAck(const QVariantList &packet, const ServerSideAckCallback &done);
    virtual void serverCount(const ServerCountCallback &done) const;
    virtual quint64 reconnectCount() const;

protected:
    QSocketIoAdapter(QSocketIoAdapterPrivate &dd, QSocketIoNamespace *nsp);

    // The local parts of the operations above.
    QList<QSocketIoRemoteSocket> localSockets(const QSocketIoBroadcastOptions &options) const;
    QStringList localBroadcast(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options);
    void localBroadcastWithAck(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options,
                               QObject *lifetime, const ClientCountCallback &clientCount, const AckCallback &ack);
    void localAddSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms);
    void localDelSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms);
    void localDisconnectSockets(const QSocketIoBroadcastOptions &options, bool close);
    void localServerSideEvent(const QVariantList &packet, const std::function<void(const QVariantList &)> &reply);

    std::unique_ptr<QSocketIoAdapterPrivate> d_ptr;

private:
    Q_DECLARE_PRIVATE(QSocketIoAdapter)
    Q_DISABLE_COPY(QSocketIoAdapter)
};

#endif
