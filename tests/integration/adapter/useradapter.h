// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef USERADAPTER_H
#define USERADAPTER_H

// An adapter as a user of the library writes one: public headers only. It keeps its own room table (ordered
// maps, unlike the built-in hash tables), leaves every operation to QSocketIoAdapter's defaults (which reach
// the sockets through QSocketIoSocketEmitter), and counts the calls that reach it.

#include <QtSocketIo/qsocketioadapter.h>
#include <QtSocketIo/qsocketiosocketemitter.h>

#include <QtCore/qmap.h>

#include <algorithm>

#include <memory>

class UserAdapter : public QSocketIoAdapter
{
public:
    struct Calls
    {
        int broadcasts = 0;
        int broadcastsWithAck = 0;
        int fetches = 0;
    };

    UserAdapter(QSocketIoNamespace *nsp, std::shared_ptr<Calls> calls) : QSocketIoAdapter(nsp), m_calls(std::move(calls)) {}

    void addAll(const QString &socketId, const QStringList &rooms) override
    {
        QStringList &mine = m_socketRooms[socketId];
        for (const QString &room : rooms) {
            if (mine.contains(room))
                continue;
            mine.append(room);
            m_members[room].append(socketId);
        }
    }

    void del(const QString &socketId, const QString &room) override
    {
        const auto it = m_socketRooms.find(socketId);
        if (it == m_socketRooms.end())
            return;
        it->removeAll(room);
        removeMember(room, socketId);
    }

    void delAll(const QString &socketId) override
    {
        const QStringList rooms = m_socketRooms.take(socketId);
        for (const QString &room : rooms)
            removeMember(room, socketId);
    }

    QStringList socketRooms(const QString &socketId) const override { return m_socketRooms.value(socketId); }
    QStringList rooms() const override { return m_members.keys(); }
    bool hasRoom(const QString &room) const override { return m_members.contains(room); }

    QStringList selectSockets(const QSocketIoBroadcastOptions &options) const override
    {
        // Only the sockets the namespace knows, as the emitter tells.
        const QStringList connected = emitter() ? emitter()->socketIds() : QStringList();
        QStringList out;
        for (const QString &id : connected) {
            const QStringList mine = m_socketRooms.value(id);
            const bool selected = options.rooms.isEmpty()
                    || std::any_of(options.rooms.cbegin(), options.rooms.cend(),
                                   [&mine](const QString &room) { return mine.contains(room); });
            const bool excluded = std::any_of(options.except.cbegin(), options.except.cend(),
                                              [&mine](const QString &room) { return mine.contains(room); });
            if (selected && !excluded)
                out.append(id);
        }
        return out;
    }

    QStringList broadcast(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options) override
    {
        ++m_calls->broadcasts;
        return QSocketIoAdapter::broadcast(packet, options);
    }

    void broadcastWithAck(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options,
                          QObject *lifetime, const ClientCountCallback &clientCount, const AckCallback &ack) override
    {
        ++m_calls->broadcastsWithAck;
        QSocketIoAdapter::broadcastWithAck(packet, options, lifetime, clientCount, ack);
    }

    void fetchSockets(const QSocketIoBroadcastOptions &options, const SocketsCallback &done) override
    {
        ++m_calls->fetches;
        QSocketIoAdapter::fetchSockets(options, done);
    }

private:
    void removeMember(const QString &room, const QString &socketId)
    {
        const auto it = m_members.find(room);
        if (it == m_members.end())
            return;
        it->removeAll(socketId);
        if (it->isEmpty())
            m_members.erase(it);
    }

    std::shared_ptr<Calls> m_calls;
    QMap<QString, QStringList> m_members;       // room -> socket ids, in join order
    QMap<QString, QStringList> m_socketRooms;   // socket id -> rooms, in join order
};

#endif
