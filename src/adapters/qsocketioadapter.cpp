// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "adapters/qsocketioadapter_p.h"

QSocketIoAdapter::~QSocketIoAdapter() = default;

QStringList QSocketIoAdapter::broadcast(const QSocketIoProtocol::Packet &packet,
                                        const QSocketIoBroadcastOptions &options)
{
    const QStringList recipients = selectSockets(options);
    if (recipients.isEmpty() || !m_deliver)
        return recipients;
    const QSocketIoProtocol::EncodedPacket encoded = QSocketIoProtocol::encode(packet);
    for (const QString &id : recipients)
        m_deliver(id, encoded, options.isVolatile);
    return recipients;
}

void QSocketIoInMemoryAdapter::addAll(const QString &socketId, const QStringList &rooms)
{
    QStringList &mine = m_socketRooms[socketId];
    for (const QString &room : rooms) {
        if (mine.contains(room))
            continue;
        mine.append(room);
        m_rooms[room].insert(socketId);
    }
}

void QSocketIoInMemoryAdapter::del(const QString &socketId, const QString &room)
{
    auto it = m_socketRooms.find(socketId);
    if (it == m_socketRooms.end())
        return;
    it->removeOne(room);
    auto roomIt = m_rooms.find(room);
    if (roomIt != m_rooms.end()) {
        roomIt->remove(socketId);
        if (roomIt->isEmpty())
            m_rooms.erase(roomIt);   // an empty room costs nothing
    }
}

void QSocketIoInMemoryAdapter::delAll(const QString &socketId)
{
    const QStringList rooms = m_socketRooms.take(socketId);
    for (const QString &room : rooms) {
        auto roomIt = m_rooms.find(room);
        if (roomIt == m_rooms.end())
            continue;
        roomIt->remove(socketId);
        if (roomIt->isEmpty())
            m_rooms.erase(roomIt);
    }
}

QStringList QSocketIoInMemoryAdapter::socketRooms(const QString &socketId) const
{
    return m_socketRooms.value(socketId);
}

QStringList QSocketIoInMemoryAdapter::rooms() const
{
    return m_rooms.keys();
}

QStringList QSocketIoInMemoryAdapter::selectSockets(const QSocketIoBroadcastOptions &options) const
{
    QSet<QString> excluded;
    for (const QString &room : options.except) {
        const auto it = m_rooms.constFind(room);
        if (it != m_rooms.constEnd())
            excluded.unite(*it);
    }
    QStringList out;
    if (options.rooms.isEmpty()) {
        out.reserve(m_socketRooms.size());
        for (auto it = m_socketRooms.constBegin(); it != m_socketRooms.constEnd(); ++it) {
            if (!excluded.contains(it.key()))
                out.append(it.key());
        }
        return out;
    }
    if (options.rooms.size() == 1) {
        const auto it = m_rooms.constFind(options.rooms.first());
        if (it == m_rooms.constEnd())
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
        const auto it = m_rooms.constFind(room);
        if (it == m_rooms.constEnd())
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
