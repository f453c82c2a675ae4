// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOADAPTER_P_H
#define QSOCKETIOADAPTER_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include "protocol/qsocketiopacket_p.h"

#include <QtCore/qhash.h>
#include <QtCore/qset.h>
#include <QtCore/qstringlist.h>

#include <functional>

class QSocketIoNamespace;

// Which sockets of a namespace an operation selects.
struct QSocketIoBroadcastOptions
{
    QStringList rooms;    // empty: every socket
    QStringList except;   // sockets in any of these rooms are left out
    bool local = false;   // this node only
    bool isVolatile = false;
};

// The seam between a namespace and where its rooms live: rooms, broadcasts, socket queries and server-side
// emits go through it. QSocketIoInMemoryAdapter keeps everything in this process; cluster adapters (Redis,
// PostgreSQL) derive from it and also talk to the other nodes.
class QSocketIoAdapter
{
public:
    // Delivers one encoded packet to one local socket; the namespace provides it.
    using Deliver = std::function<void(const QString &socketId, const QSocketIoProtocol::EncodedPacket &packet,
                                       bool isVolatile)>;

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
    // The local sockets an operation selects.
    virtual QStringList selectSockets(const QSocketIoBroadcastOptions &options) const = 0;

    // Encodes the packet once and delivers it to every selected socket. Returns the local recipients.
    virtual QStringList broadcast(const QSocketIoProtocol::Packet &packet, const QSocketIoBroadcastOptions &options);
    // To the other nodes; nothing with one node.
    virtual void serverSideEmit(const QString &event, const QVariantList &args) { Q_UNUSED(event); Q_UNUSED(args); }

protected:
    QSocketIoNamespace *m_nsp;
    Deliver m_deliver;
};

class QSocketIoInMemoryAdapter : public QSocketIoAdapter
{
public:
    using QSocketIoAdapter::QSocketIoAdapter;

    void addAll(const QString &socketId, const QStringList &rooms) override;
    void del(const QString &socketId, const QString &room) override;
    void delAll(const QString &socketId) override;
    QStringList socketRooms(const QString &socketId) const override;
    QStringList rooms() const override;
    QStringList selectSockets(const QSocketIoBroadcastOptions &options) const override;

private:
    QHash<QString, QSet<QString>> m_rooms;      // room -> socket ids
    QHash<QString, QStringList> m_socketRooms;  // socket id -> rooms, in join order
};

#endif
