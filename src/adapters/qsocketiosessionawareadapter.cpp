// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "adapters/qsocketiosessionawareadapter_p.h"
#include "qtsocketiologging_p.h"

#include <QtSocketIo/qsocketionamespace.h>

#include <QtCore/qdatetime.h>

#include <algorithm>

QSocketIoSessionAwareAdapter::QSocketIoSessionAwareAdapter(QSocketIoNamespace *nsp) : QSocketIoInMemoryAdapter(nsp) {}

QSocketIoSessionAwareAdapter::~QSocketIoSessionAwareAdapter() = default;

QStringList QSocketIoSessionAwareAdapter::broadcast(const QSocketIoBroadcastPacket &original,
                                                    const QSocketIoBroadcastOptions &options)
{
    if (!m_recovery.enabled || options.isVolatile || original.id >= 0)
        return QSocketIoInMemoryAdapter::broadcast(original, options);
    // Stored with its offset, which goes last in the data, as socket.io's SessionAwareAdapter does.
    QSocketIoStoredPacket stored;
    stored.offset = m_nextOffset++;
    stored.emittedAt = QDateTime::currentMSecsSinceEpoch();
    stored.rooms = options.rooms;
    stored.except = options.except;
    stored.data = original.data;
    stored.data.append(QString::number(stored.offset));
    QSocketIoBroadcastPacket packet = original;
    packet.data = stored.data;
    m_packets.push_back(stored);
    if (m_recovery.store)
        m_recovery.store->savePacket(nspName(), stored);
    if (m_recovery.maxStoredPackets > 0 && m_packets.size() > size_t(m_recovery.maxStoredPackets))
        dropOldestPackets(m_packets.front().offset);
    return QSocketIoInMemoryAdapter::broadcast(packet, options);
}

namespace {

// Whether a kept session (its rooms at disconnection) would have received a stored packet.
bool sessionReceives(const QStringList &sessionRooms, const QSocketIoStoredPacket &packet)
{
    for (const QString &room : packet.except) {
        if (sessionRooms.contains(room))
            return false;
    }
    if (packet.rooms.isEmpty())
        return true;
    for (const QString &room : packet.rooms) {
        if (sessionRooms.contains(room))
            return true;
    }
    return false;
}

} // namespace

QString QSocketIoSessionAwareAdapter::nspName() const
{
    return nsp() ? nsp()->name() : QString();
}

void QSocketIoSessionAwareAdapter::setRecovery(const QSocketIoRecoverySettings &settings)
{
    const bool newStore = settings.store && settings.store != m_recovery.store;
    m_recovery = settings;
    if (m_nextOffset == 0) {
        // Offsets grow across restarts too: they start from the clock (in 1/1000 ms).
        m_nextOffset = QDateTime::currentMSecsSinceEpoch() * 1000;
        m_prunedOffset = m_nextOffset - 1;
    }
    if (!newStore)
        return;
    const QString name = nspName();
    QSocketIoSessionStore *store = m_recovery.store;
    const QList<QSocketIoStoredSession> sessions = store->loadSessions(name);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (QSocketIoStoredSession session : sessions) {
        if (session.pid.isEmpty() || m_sessions.contains(session.pid))
            continue;
        if (session.disconnectedAt <= 0) {
            // Still connected when the previous process ended without closing it (a crash): kept from now.
            session.disconnectedAt = now;
            store->saveSession(name, session);
        }
        m_sessions.insert(session.pid, session);
    }
    const QList<QSocketIoStoredPacket> packets = store->loadPackets(name);
    if (!packets.isEmpty() && m_packets.empty()) {
        for (const QSocketIoStoredPacket &packet : packets)
            m_packets.push_back(packet);
        m_nextOffset = qMax(m_nextOffset, m_packets.back().offset + 1);
        m_prunedOffset = qMax(store->prunedOffset(name), m_packets.front().offset - 1);
    } else {
        const qint64 pruned = store->prunedOffset(name);
        m_nextOffset = qMax(m_nextOffset, pruned + 1);
        m_prunedOffset = qMax(m_prunedOffset, pruned);
    }
    if (!sessions.isEmpty() || !packets.isEmpty()) {
        qCDebug(lcRecovery) << "namespace" << name << "loaded" << sessions.size() << "session(s) and"
                            << packets.size() << "packet(s) from the session store";
    }
}

qint64 QSocketIoSessionAwareAdapter::recoveryHead() const
{
    return m_nextOffset - 1;
}

void QSocketIoSessionAwareAdapter::dropOldestPackets(qint64 upTo)
{
    bool dropped = false;
    while (!m_packets.empty() && m_packets.front().offset <= upTo) {
        m_packets.pop_front();
        dropped = true;
    }
    if (!dropped)
        return;
    m_prunedOffset = qMax(m_prunedOffset, upTo);
    if (m_recovery.store)
        m_recovery.store->removePackets(nspName(), upTo);
}

void QSocketIoSessionAwareAdapter::persistSession(const QSocketIoStoredSession &session)
{
    if (!m_recovery.enabled || session.pid.isEmpty())
        return;
    QSocketIoStoredSession kept = session;
    if (kept.disconnectedAt <= 0)
        kept.disconnectedAt = QDateTime::currentMSecsSinceEpoch();
    m_sessions.insert(kept.pid, kept);
    if (m_recovery.store)
        m_recovery.store->saveSession(nspName(), kept);
}

void QSocketIoSessionAwareAdapter::updateLiveSession(const QSocketIoStoredSession &session)
{
    if (!m_recovery.enabled || !m_recovery.store || session.pid.isEmpty())
        return;
    QSocketIoStoredSession live = session;
    live.disconnectedAt = 0;   // connected
    m_recovery.store->saveSession(nspName(), live);
}

void QSocketIoSessionAwareAdapter::discardSession(const QString &pid)
{
    if (m_recovery.store && !pid.isEmpty())
        m_recovery.store->removeSession(nspName(), pid);
}

const QSocketIoStoredSession *QSocketIoSessionAwareAdapter::validSession(const QString &pid, const QString &offset,
                                                                     qint64 *from) const
{
    if (!m_recovery.enabled)
        return nullptr;
    const auto it = m_sessions.constFind(pid);
    if (it == m_sessions.constEnd())
        return nullptr;
    if (it->disconnectedAt + m_recovery.maxDisconnectionDuration < QDateTime::currentMSecsSinceEpoch())
        return nullptr;   // expired; the next prune drops it and says so
    qint64 start = it->baseOffset;
    if (!offset.isEmpty()) {
        bool ok = false;
        const qint64 given = offset.toLongLong(&ok);
        if (!ok || given < 0 || given >= m_nextOffset)
            return nullptr;   // not an offset this namespace gave out
        // Before its last (re)connection the client had everything meant for it (replayed or live).
        start = qMax(start, given);
    }
    if (start < m_prunedOffset)
        return nullptr;   // some packet it missed may be gone
    *from = start;
    return &*it;
}

std::optional<QString> QSocketIoSessionAwareAdapter::findSession(const QString &pid, const QString &offset) const
{
    qint64 from = 0;
    if (const QSocketIoStoredSession *session = validSession(pid, offset, &from))
        return session->sid;
    return std::nullopt;
}

std::optional<QSocketIoRestoredSession> QSocketIoSessionAwareAdapter::restoreSession(const QString &pid,
                                                                                const QString &offset)
{
    qint64 from = 0;
    const QSocketIoStoredSession *session = validSession(pid, offset, &from);
    if (!session)
        return std::nullopt;
    QSocketIoRestoredSession restored;
    restored.session = *session;
    m_sessions.remove(pid);
    // The stored row stays: the socket that takes the session over writes it again as live (same pid) once it
    // is connected. Deleting it here would leave a window, while the missed packets are sent, in which a crash
    // loses the session although the client never got its CONNECT reply and comes back with the same pid.
    // Offsets increase along the deque: skip to the first one after `from`.
    auto it = std::upper_bound(m_packets.cbegin(), m_packets.cend(), from,
                               [](qint64 value, const QSocketIoStoredPacket &p) { return value < p.offset; });
    for (; it != m_packets.cend(); ++it) {
        if (sessionReceives(restored.session.rooms, *it))
            restored.missedPackets.append(it->data);
    }
    return restored;
}

QList<QSocketIoStoredSession> QSocketIoSessionAwareAdapter::pruneRecovery(qint64 nowMs)
{
    QList<QSocketIoStoredSession> expired;
    const qint64 cutoff = nowMs - m_recovery.maxDisconnectionDuration;
    qint64 lastOld = -1;
    for (const QSocketIoStoredPacket &packet : m_packets) {
        if (packet.emittedAt >= cutoff)
            break;
        lastOld = packet.offset;
    }
    if (!m_recovery.enabled && !m_packets.empty())
        lastOld = m_packets.back().offset;   // recovery was turned off: nothing is kept
    if (lastOld >= 0)
        dropOldestPackets(lastOld);
    for (auto it = m_sessions.begin(); it != m_sessions.end();) {
        if (it->disconnectedAt < cutoff || !m_recovery.enabled) {
            expired.append(*it);
            if (m_recovery.store)
                m_recovery.store->removeSession(nspName(), it->pid);
            it = m_sessions.erase(it);
        } else {
            ++it;
        }
    }
    return expired;
}
