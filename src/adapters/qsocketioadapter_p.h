// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOADAPTER_P_H
#define QSOCKETIOADAPTER_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
// The adapter components (Redis, PostgreSQL) are built with QtSocketIo and use it; that is why the classes
// are exported.
//

#include <QtSocketIo/qsocketioremotesocket.h>
#include <QtSocketIo/qtsocketioglobal.h>

#include "protocol/qsocketiopacket_p.h"

#include <QtCore/qhash.h>
#include <QtCore/qset.h>
#include <QtCore/qstringlist.h>

#include <functional>

class QObject;
class QSocketIoNamespace;

// Which sockets of a namespace an operation selects, and its flags (Node's BroadcastOptions).
struct QSocketIoBroadcastOptions
{
    QStringList rooms;    // empty: every socket
    QStringList except;   // sockets in any of these rooms are left out
    bool local = false;   // this node only
    bool isVolatile = false;
    bool compress = true;
    int timeout = -1;     // emitWithAck: ms; -1 when not set
};

// The seam between a namespace and where its rooms live: rooms, broadcasts, socket queries and server-side
// emits go through it. QSocketIoInMemoryAdapter keeps everything in this process; cluster adapters
// (QSocketIoClusterAdapter and its Redis / PostgreSQL subclasses) also talk to the other nodes.
//
// The base class implements every cluster-wide operation for this node alone (the "local" part): a cluster
// adapter does that part and publishes the operation to the other nodes, and runs the same local part when
// another node asks.
class QTSOCKETIO_EXPORT QSocketIoAdapter
{
public:
    // Delivers one encoded packet to one local socket; the namespace provides it.
    using Deliver = std::function<void(const QString &socketId, const QSocketIoProtocol::EncodedPacket &packet,
                                       bool isVolatile)>;
    // broadcastWithAck(): how many clients of one node got the packet (socketIds: which, when local), then
    // each answer (socketId empty when remote; args: the client's ack arguments).
    using ClientCountCallback = std::function<void(int count, const QStringList &socketIds)>;
    using AckCallback = std::function<void(const QString &socketId, const QVariantList &args)>;
    using SocketsCallback = std::function<void(const QList<QSocketIoRemoteSocket> &sockets, const QString &error)>;
    // serverSideEmitWithAck(): error empty when every other node answered; responses: one per node.
    using ServerSideAckCallback = std::function<void(const QString &error, const QVariantList &responses)>;

    explicit QSocketIoAdapter(QSocketIoNamespace *nsp) : m_nsp(nsp) {}
    virtual ~QSocketIoAdapter();

    QSocketIoNamespace *nsp() const { return m_nsp; }
    void setDeliver(const Deliver &deliver) { m_deliver = deliver; }

    virtual void addAll(const QString &socketId, const QStringList &rooms) = 0;
    virtual void del(const QString &socketId, const QString &room) = 0;
    virtual void delAll(const QString &socketId) = 0;
    // The rooms of a local socket, in the order joined.
    virtual QStringList socketRooms(const QString &socketId) const = 0;
    virtual QStringList rooms() const = 0;
    virtual bool hasRoom(const QString &room) const = 0;
    // The local sockets an operation selects.
    virtual QStringList selectSockets(const QSocketIoBroadcastOptions &options) const = 0;

    // Encodes the packet once and delivers it to every selected socket. Returns the local recipients.
    virtual QStringList broadcast(const QSocketIoProtocol::Packet &packet, const QSocketIoBroadcastOptions &options);
    // Sends the packet with one new ack id to every selected socket; calls clientCount once per node (now for
    // this one) and ack for every answer. The acks wait as long as lifetime lives.
    virtual void broadcastWithAck(const QSocketIoProtocol::Packet &packet, const QSocketIoBroadcastOptions &options,
                                  QObject *lifetime, const ClientCountCallback &clientCount, const AckCallback &ack);
    virtual void addSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms);
    virtual void delSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms);
    virtual void disconnectSockets(const QSocketIoBroadcastOptions &options, bool close);
    // The selected sockets of every node; done runs later (never inside the call).
    virtual void fetchSockets(const QSocketIoBroadcastOptions &options, const SocketsCallback &done);
    // To the other nodes: packet is the event name followed by its arguments. Nothing with one node.
    virtual void serverSideEmit(const QVariantList &packet);
    virtual void serverSideEmitWithAck(const QVariantList &packet, const ServerSideAckCallback &done);
    // How many nodes serve this namespace, this one included; done may run inside the call.
    virtual void serverCount(const std::function<void(int)> &done) const;

    // The local parts, for the operations above and for cluster adapters answering other nodes.
    QList<QSocketIoRemoteSocket> localSockets(const QSocketIoBroadcastOptions &options) const;
    QStringList localBroadcast(const QSocketIoProtocol::Packet &packet, const QSocketIoBroadcastOptions &options);
    void localBroadcastWithAck(const QSocketIoProtocol::Packet &packet, const QSocketIoBroadcastOptions &options,
                               QObject *lifetime, const ClientCountCallback &clientCount, const AckCallback &ack);
    void localAddSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms);
    void localDelSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms);
    void localDisconnectSockets(const QSocketIoBroadcastOptions &options, bool close);
    // Hands a server-side event of another node to the namespace: serverSideEventReceived(), or with a
    // reply function serverSideEventWithAckReceived() (the first answer is sent, later ones are ignored).
    void localServerSideEvent(const QVariantList &packet, const std::function<void(const QVariantList &)> &reply);

protected:
    QSocketIoNamespace *m_nsp;
    Deliver m_deliver;
};

class QTSOCKETIO_EXPORT QSocketIoInMemoryAdapter : public QSocketIoAdapter
{
public:
    using QSocketIoAdapter::QSocketIoAdapter;

    void addAll(const QString &socketId, const QStringList &rooms) override;
    void del(const QString &socketId, const QString &room) override;
    void delAll(const QString &socketId) override;
    QStringList socketRooms(const QString &socketId) const override;
    QStringList rooms() const override;
    bool hasRoom(const QString &room) const override;
    QStringList selectSockets(const QSocketIoBroadcastOptions &options) const override;

private:
    QHash<QString, QSet<QString>> m_rooms;      // room -> socket ids
    QHash<QString, QStringList> m_socketRooms;  // socket id -> rooms, in join order
};

#endif
