// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOOUTAGEQUEUE_P_H
#define QSOCKETIOOUTAGEQUEUE_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtCore/qbytearray.h>
#include <QtCore/qdeadlinetimer.h>
#include <QtCore/qlist.h>

#include <deque>

// What a cluster adapter publishes while its server (Redis, PostgreSQL) is unreachable: kept in memory, in order,
// up to a bound in bytes and in age, and sent on reconnection. A publication that does not fit in maxBytes is
// refused (what is kept stays a gap-free prefix of what was published); one older than maxAgeMs when the
// connection comes back is dropped (a stale broadcast). Both count in dropped(). Shared by every backend.
class QSocketIoOutageQueue
{
public:
    struct Item
    {
        QByteArray channel;
        QByteArray message;
        qint64 queuedAt = 0;   // QDeadlineTimer::current() ms
        qint64 size() const { return channel.size() + message.size(); }
    };

    static constexpr qint64 DefaultMaxBytes = 8 * 1024 * 1024;
    static constexpr int DefaultMaxAgeMs = 30000;

    void setMaxBytes(qint64 bytes) { m_maxBytes = bytes; }
    qint64 maxBytes() const { return m_maxBytes; }
    void setMaxAge(int ms) { m_maxAgeMs = ms; }
    int maxAge() const { return m_maxAgeMs; }

    static qint64 now() { return QDeadlineTimer::current().deadline(); }

    // Appended, unless the queue is full: then counted as dropped; false.
    bool enqueue(const QByteArray &channel, const QByteArray &message)
    {
        Item item{channel, message, now()};
        if (m_maxBytes <= 0 || m_bytes + item.size() > m_maxBytes) {
            ++m_dropped;
            return false;
        }
        m_bytes += item.size();
        m_items.push_back(std::move(item));
        return true;
    }
    // Put back in front (a publication that was in flight when the connection broke), past the bound too.
    void requeueFront(QList<Item> items)
    {
        for (auto it = items.rbegin(); it != items.rend(); ++it) {
            m_bytes += it->size();
            m_items.push_front(std::move(*it));
        }
    }
    // Drops what is older than maxAge; returns how many.
    qint64 expire()
    {
        const qint64 limit = now() - m_maxAgeMs;
        qint64 expired = 0;
        while (!m_items.empty() && m_items.front().queuedAt < limit) {
            m_bytes -= m_items.front().size();
            m_items.pop_front();
            ++expired;
        }
        m_dropped += expired;
        return expired;
    }
    bool isEmpty() const { return m_items.empty(); }
    qsizetype count() const { return qsizetype(m_items.size()); }
    qint64 bytes() const { return m_bytes; }
    Item takeFirst()
    {
        Item item = std::move(m_items.front());
        m_items.pop_front();
        m_bytes -= item.size();
        return item;
    }
    // The publications dropped since the last call.
    qint64 takeDropped() { return std::exchange(m_dropped, 0); }
    qint64 dropped() const { return m_dropped; }

private:
    std::deque<Item> m_items;
    qint64 m_bytes = 0;
    qint64 m_dropped = 0;
    qint64 m_maxBytes = DefaultMaxBytes;
    int m_maxAgeMs = DefaultMaxAgeMs;
};

#endif
