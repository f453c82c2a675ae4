// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOSESSIONSTORE_H
#define QSOCKETIOSESSIONSTORE_H

#include <QtSocketIo/qtsocketioglobal.h>

#include <QtCore/qobject.h>
#include <QtCore/qstringlist.h>
#include <QtCore/qvariant.h>

#include <memory>
#include <utility>

// The two value types below are plain structs: copied, moved (the implicit, noexcept moves) and swapped
// like Qt's values.

// A session kept for connection state recovery.
struct QSocketIoStoredSession
{
    QString sid;                // the socket id, given back on recovery
    QString pid;                // the private id the client presents
    QStringList rooms;          // its own id included
    QVariantMap data;
    qint64 disconnectedAt = 0;  // ms since the epoch
    qint64 baseOffset = -1;     // the log position it had everything before (its last (re)connection)

    void swap(QSocketIoStoredSession &other) noexcept
    {
        sid.swap(other.sid);
        pid.swap(other.pid);
        rooms.swap(other.rooms);
        data.swap(other.data);
        std::swap(disconnectedAt, other.disconnectedAt);
        std::swap(baseOffset, other.baseOffset);
    }
};

Q_DECLARE_SHARED(QSocketIoStoredSession)

// A replayable packet: an EVENT without ack id, not volatile, with its offset as last argument.
struct QSocketIoStoredPacket
{
    qint64 offset = 0;          // increasing in a namespace; sent as a decimal string
    qint64 emittedAt = 0;       // ms since the epoch
    QStringList rooms;          // empty: every socket
    QStringList except;
    QVariantList data;          // [event, args..., offset]

    void swap(QSocketIoStoredPacket &other) noexcept
    {
        std::swap(offset, other.offset);
        std::swap(emittedAt, other.emittedAt);
        rooms.swap(other.rooms);
        except.swap(other.except);
        data.swap(other.data);
    }
};

Q_DECLARE_SHARED(QSocketIoStoredPacket)

// Where the kept sessions and stored packets of connection state recovery also go, so that they survive a
// restart of the server process. The server keeps working from memory: it writes every change through and
// reads a namespace's part once, when the namespace is created (or the store is set). Calls come from the
// server's thread; they must not block for long.
class QTSOCKETIO_EXPORT QSocketIoSessionStore : public QObject
{
    Q_OBJECT
public:
    explicit QSocketIoSessionStore(QObject *parent = nullptr);
    ~QSocketIoSessionStore() override;

    virtual QList<QSocketIoStoredSession> loadSessions(const QString &nsp) = 0;
    // In offset order.
    virtual QList<QSocketIoStoredPacket> loadPackets(const QString &nsp) = 0;
    // The highest offset ever removed from the namespace (-1: none, or unknown).
    virtual qint64 prunedOffset(const QString &nsp) = 0;

    virtual void saveSession(const QString &nsp, const QSocketIoStoredSession &session) = 0;
    virtual void removeSession(const QString &nsp, const QString &pid) = 0;
    virtual void savePacket(const QString &nsp, const QSocketIoStoredPacket &packet) = 0;
    // Removes the packets whose offset <= upTo and remembers upTo as prunedOffset().
    virtual void removePackets(const QString &nsp, qint64 upTo) = 0;
};

#endif
