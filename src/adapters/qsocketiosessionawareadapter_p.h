// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOSESSIONAWAREADAPTER_P_H
#define QSOCKETIOSESSIONAWAREADAPTER_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtSocketIo/qsocketioinmemoryadapter.h>
#include <QtSocketIo/qsocketiosessionstore.h>

#include <QtCore/qhash.h>
#include <QtCore/qpointer.h>

#include <deque>
#include <optional>

// --- Connection state recovery ---------------------------------------------------------------------------------
struct QSocketIoRecoverySettings
{
    bool enabled = false;
    qint64 maxDisconnectionDuration = 120000;   // ms
    int maxStoredPackets = 10000;               // 0: no cap
    QPointer<QSocketIoSessionStore> store;      // optional write-through persistence
};

struct QSocketIoRestoredSession
{
    QSocketIoStoredSession session;
    QList<QVariantList> missedPackets;   // EVENT data, offsets included, in order
};

// The default adapter of a namespace: the in-memory adapter plus connection state recovery (socket.io's
// SessionAwareAdapter). It keeps the sessions of sockets that disconnected involuntarily and the packets
// broadcast since, appending each packet's offset to its data. Recovery is its own component: the plain
// in-memory adapter and the cluster adapters (which extend it) keep nothing. A namespace offers recovery only
// when this is its adapter (QSocketIoNamespacePrivate::sessionAware).
class QSocketIoSessionAwareAdapter : public QSocketIoInMemoryAdapter
{
public:
    explicit QSocketIoSessionAwareAdapter(QSocketIoNamespace *nsp);
    ~QSocketIoSessionAwareAdapter() override;

    // Stores an EVENT that may be replayed (no ack id, not volatile) with its offset appended, then delivers it.
    QStringList broadcast(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options) override;

    void setRecovery(const QSocketIoRecoverySettings &settings);
    // The offset of the newest stored packet (-1 when none): a new socket has missed nothing before it.
    qint64 recoveryHead() const;
    // Keeps the session of a socket that disconnected involuntarily.
    void persistSession(const QSocketIoStoredSession &session);
    // The state of a connected socket (rooms or data changed), so that a persistent store can recover it even
    // if the server process dies without closing it; discardSession() when it leaves voluntarily.
    void updateLiveSession(const QSocketIoStoredSession &session);
    void discardSession(const QString &pid);
    // Whether restoreSession(pid, offset) would succeed now; the sid it would give back.
    std::optional<QString> findSession(const QString &pid, const QString &offset) const;
    // Takes a kept session with the packets it missed after offset (or after its baseOffset when offset is
    // empty). Nothing when unknown, expired, or when some of its missed packets are no longer stored.
    std::optional<QSocketIoRestoredSession> restoreSession(const QString &pid, const QString &offset);
    // Drops the packets and sessions older than maxDisconnectionDuration; returns the expired sessions.
    QList<QSocketIoStoredSession> pruneRecovery(qint64 nowMs);

private:
    QString nspName() const;
    const QSocketIoStoredSession *validSession(const QString &pid, const QString &offset, qint64 *from) const;
    void dropOldestPackets(qint64 upTo);

    QSocketIoRecoverySettings m_recovery;
    std::deque<QSocketIoStoredPacket> m_packets;   // in offset order
    qint64 m_nextOffset = 0;
    qint64 m_prunedOffset = -1;                    // packets up to this one may be gone
    QHash<QString, QSocketIoStoredSession> m_sessions;   // pid -> kept session
};

#endif
