// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "adapters/qsocketioinmemoryadapter_p.h"

/*!
    \class QSocketIoInMemoryAdapter
    \inmodule QtSocketIo
    \brief An adapter that keeps the rooms of one node in memory.

    The room bookkeeping of socket.io-adapter's in-memory \c Adapter: every operation acts on this node's
    sockets. Subclass it to keep its rooms and change the operations, as QSocketIoClusterAdapter does. It keeps
    no sessions: the namespace's default adapter adds connection state recovery on top of it.
*/

/*!
    Constructs the in-memory adapter of namespace \a nsp.
*/
QSocketIoInMemoryAdapter::QSocketIoInMemoryAdapter(QSocketIoNamespace *nsp)
    : QSocketIoInMemoryAdapter(*new QSocketIoInMemoryAdapterPrivate, nsp)
{
}

/*!
    \internal
    Constructs the adapter with the private object \a dd of a subclass, for namespace \a nsp.
*/
QSocketIoInMemoryAdapter::QSocketIoInMemoryAdapter(QSocketIoInMemoryAdapterPrivate &dd, QSocketIoNamespace *nsp)
    : QSocketIoAdapter(dd, nsp)
{
}

/*!
    Destroys the adapter.
*/
QSocketIoInMemoryAdapter::~QSocketIoInMemoryAdapter() = default;

/*!
    \reimp
*/
void QSocketIoInMemoryAdapter::addAll(const QString &socketId, const QStringList &rooms)
{
    Q_D(QSocketIoInMemoryAdapter);
    QStringList &mine = d->socketRooms[socketId];
    for (const QString &room : rooms) {
        if (mine.contains(room))
            continue;
        mine.append(room);
        d->rooms[room].insert(socketId);
    }
}

/*!
    \reimp
*/
void QSocketIoInMemoryAdapter::del(const QString &socketId, const QString &room)
{
    Q_D(QSocketIoInMemoryAdapter);
    auto it = d->socketRooms.find(socketId);
    if (it == d->socketRooms.end())
        return;
    it->removeOne(room);
    auto roomIt = d->rooms.find(room);
    if (roomIt != d->rooms.end()) {
        roomIt->remove(socketId);
        if (roomIt->isEmpty())
            d->rooms.erase(roomIt);   // an empty room costs nothing
    }
}

/*!
    \reimp
*/
void QSocketIoInMemoryAdapter::delAll(const QString &socketId)
{
    Q_D(QSocketIoInMemoryAdapter);
    const QStringList rooms = d->socketRooms.take(socketId);
    for (const QString &room : rooms) {
        auto roomIt = d->rooms.find(room);
        if (roomIt == d->rooms.end())
            continue;
        roomIt->remove(socketId);
        if (roomIt->isEmpty())
            d->rooms.erase(roomIt);
    }
}

/*!
    \reimp
*/
QStringList QSocketIoInMemoryAdapter::socketRooms(const QString &socketId) const
{
    return d_func()->socketRooms.value(socketId);
}

/*!
    \reimp
*/
QStringList QSocketIoInMemoryAdapter::rooms() const
{
    return d_func()->rooms.keys();
}

/*!
    \reimp
*/
bool QSocketIoInMemoryAdapter::hasRoom(const QString &room) const
{
    return d_func()->rooms.contains(room);
}

/*!
    \reimp
*/
QStringList QSocketIoInMemoryAdapter::selectSockets(const QSocketIoBroadcastOptions &options) const
{
    Q_D(const QSocketIoInMemoryAdapter);
    QSet<QString> excluded;
    for (const QString &room : options.except) {
        const auto it = d->rooms.constFind(room);
        if (it != d->rooms.constEnd())
            excluded.unite(*it);
    }
    QStringList out;
    if (options.rooms.isEmpty()) {
        out.reserve(d->socketRooms.size());
        for (auto it = d->socketRooms.constBegin(); it != d->socketRooms.constEnd(); ++it) {
            if (!excluded.contains(it.key()))
                out.append(it.key());
        }
        return out;
    }
    if (options.rooms.size() == 1) {
        const auto it = d->rooms.constFind(options.rooms.first());
        if (it == d->rooms.constEnd())
            return out;
        out.reserve(it->size());
        for (const QString &id : *it) {
            if (!excluded.contains(id))
                out.append(id);
        }
        return out;
    }
    // Several rooms: each socket once.
    QSet<QString> seen;
    for (const QString &room : options.rooms) {
        const auto it = d->rooms.constFind(room);
        if (it == d->rooms.constEnd())
            continue;
        for (const QString &id : *it) {
            if (!excluded.contains(id) && !seen.contains(id)) {
                seen.insert(id);
                out.append(id);
            }
        }
    }
    return out;
}
