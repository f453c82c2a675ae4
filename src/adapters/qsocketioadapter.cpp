// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "adapters/qsocketioadapter_p.h"
#include "server/qsocketioackcallback_p.h"
#include "server/qsocketioclient_p.h"
#include "server/qsocketionamespace_p.h"
#include "server/qsocketiosocket_p.h"
#include "qtsocketiologging_p.h"

#include <QtSocketIo/qsocketionamespace.h>

#include <QtCore/qdatetime.h>
#include <QtCore/qpointer.h>

using namespace QSocketIoProtocol;

QSocketIoAdapter::~QSocketIoAdapter() = default;

QStringList QSocketIoAdapter::broadcast(const Packet &original, const QSocketIoBroadcastOptions &options)
{
    Packet packet = original;
    storeForRecovery(packet, options);   // connection state recovery: the offset goes last
    return localBroadcast(packet, options);
}

QStringList QSocketIoAdapter::localBroadcast(const Packet &packet, const QSocketIoBroadcastOptions &options)
{
    const QStringList recipients = selectSockets(options);
    if (recipients.isEmpty() || !m_deliver)
        return recipients;
    const EncodedPacket encoded = encode(packet);
    for (const QString &id : recipients)
        m_deliver(id, encoded, options.isVolatile);
    return recipients;
}

void QSocketIoAdapter::broadcastWithAck(const Packet &packet, const QSocketIoBroadcastOptions &options,
                                        QObject *lifetime, const ClientCountCallback &clientCount,
                                        const AckCallback &ack)
{
    localBroadcastWithAck(packet, options, lifetime, clientCount, ack);
}

void QSocketIoAdapter::localBroadcastWithAck(const Packet &packet, const QSocketIoBroadcastOptions &options,
                                             QObject *lifetime, const ClientCountCallback &clientCount,
                                             const AckCallback &ack)
{
    QSocketIoNamespacePrivate *nd = QSocketIoNamespacePrivate::get(m_nsp);
    const QStringList recipients = selectSockets(options);
    QStringList expected;
    int refused = 0;   // recipients at their maxPendingAcksPerSocket
    if (!recipients.isEmpty()) {
        // One id for every recipient, as Node does, so the packet is encoded once.
        Packet withId = packet;
        withId.nsp = m_nsp->name();
        withId.id = nd->nextAckId();
        const EncodedPacket encoded = encode(withId);
        const QVariantList data = packet.data.toList();
        for (const QString &id : recipients) {
            QSocketIoSocket *socket = nd->sockets.value(id);
            if (!socket)
                continue;
            QSocketIoSocketPrivate *sd = QSocketIoSocketPrivate::get(socket);
            if (options.isVolatile && !(sd->client && sd->client->session && sd->client->session->isWritable()))
                continue;
            if (sd->atAckLimit()) {
                ++refused;
                continue;
            }
            const QString socketId = socket->id();
            sd->registerAck(withId.id, lifetime, [ack, socketId](const QVariantList &answer) {
                if (ack)
                    ack(socketId, answer);
            });
            expected.append(socketId);
            sd->notifyOutgoing(data);
            sd->deliver(encoded, false);
        }
    }
    if (refused > 0) {
        qCWarning(lcServer) << "emitWithAck skipped" << refused
                            << "socket(s) whose pending acknowledgements reached maxPendingAcksPerSocket";
    }
    if (clientCount)
        clientCount(int(expected.size()), expected);
}

void QSocketIoAdapter::addSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms)
{
    localAddSockets(options, rooms);
}

void QSocketIoAdapter::delSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms)
{
    localDelSockets(options, rooms);
}

void QSocketIoAdapter::disconnectSockets(const QSocketIoBroadcastOptions &options, bool close)
{
    localDisconnectSockets(options, close);
}

void QSocketIoAdapter::fetchSockets(const QSocketIoBroadcastOptions &options, const SocketsCallback &done)
{
    // Asynchronous like a cluster adapter; the selection is made when the result is delivered.
    // The namespace's adapter at delivery time: this one may have been replaced meanwhile.
    QPointer<QSocketIoNamespace> nsp(m_nsp);
    QMetaObject::invokeMethod(m_nsp, [nsp, options, done] {
        if (nsp)
            done(QSocketIoNamespacePrivate::get(nsp)->adapter->localSockets(options), QString());
    }, Qt::QueuedConnection);
}

void QSocketIoAdapter::serverSideEmit(const QVariantList &packet)
{
    Q_UNUSED(packet);
}

void QSocketIoAdapter::serverSideEmitWithAck(const QVariantList &packet, const ServerSideAckCallback &done)
{
    Q_UNUSED(packet);
    // No other node: every one of them answered.
    QMetaObject::invokeMethod(m_nsp, [done] { done(QString(), QVariantList()); }, Qt::QueuedConnection);
}

void QSocketIoAdapter::serverCount(const std::function<void(int)> &done) const
{
    done(1);
}

static QList<QSocketIoSocket *> qtsocketio_selectLocal(const QSocketIoAdapter *adapter, QSocketIoNamespace *nsp,
                                                       const QSocketIoBroadcastOptions &options)
{
    QSocketIoNamespacePrivate *nd = QSocketIoNamespacePrivate::get(nsp);
    QList<QSocketIoSocket *> out;
    for (const QString &id : adapter->selectSockets(options)) {
        if (QSocketIoSocket *socket = nd->sockets.value(id))
            out.append(socket);
    }
    return out;
}

QVariantMap qtsocketio_handshakeToNode(const QSocketIoHandshake &handshake)
{
    // The fields of Node's socket.handshake, so a Node.js node reads ours as its own.
    const QDateTime time = handshake.time();
    return QVariantMap{
        {QStringLiteral("headers"), handshake.headers()},
        {QStringLiteral("time"), time.toUTC().toString(Qt::RFC2822Date)},
        {QStringLiteral("address"), handshake.address()},
        {QStringLiteral("xdomain"), handshake.isCrossDomain()},
        {QStringLiteral("secure"), handshake.isSecure()},
        {QStringLiteral("issued"), time.toMSecsSinceEpoch()},
        {QStringLiteral("url"), handshake.url()},
        {QStringLiteral("query"), handshake.query()},
        {QStringLiteral("auth"), handshake.auth()},
    };
}

QList<QSocketIoRemoteSocket> QSocketIoAdapter::localSockets(const QSocketIoBroadcastOptions &options) const
{
    QList<QSocketIoRemoteSocket> out;
    for (QSocketIoSocket *socket : qtsocketio_selectLocal(this, m_nsp, options)) {
        if (!socket->isConnected())
            continue;
        out.append(QSocketIoRemoteSocket(socket->id(), qtsocketio_handshakeToNode(socket->handshake()),
                                         socket->rooms(), socket->data(), true));
    }
    return out;
}

void QSocketIoAdapter::localAddSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms)
{
    for (QSocketIoSocket *socket : qtsocketio_selectLocal(this, m_nsp, options))
        socket->join(rooms);
}

void QSocketIoAdapter::localDelSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms)
{
    for (QSocketIoSocket *socket : qtsocketio_selectLocal(this, m_nsp, options)) {
        for (const QString &room : rooms)
            socket->leave(room);
    }
}

void QSocketIoAdapter::localDisconnectSockets(const QSocketIoBroadcastOptions &options, bool close)
{
    const QList<QSocketIoSocket *> selected = qtsocketio_selectLocal(this, m_nsp, options);
    const QList<QPointer<QSocketIoSocket>> guarded(selected.cbegin(), selected.cend());
    for (const QPointer<QSocketIoSocket> &socket : guarded) {
        if (socket)
            socket->disconnectSocket(close);
    }
}


void QSocketIoAdapter::localServerSideEvent(const QVariantList &packet,
                                            const std::function<void(const QVariantList &)> &reply)
{
    if (packet.isEmpty() || packet.first().typeId() != QMetaType::QString) {
        qCWarning(lcAdapter) << "dropped a server-side event without an event name from another node";
        return;
    }
    const QString event = packet.first().toString();
    const QVariantList args = packet.mid(1);
    if (reply)
        Q_EMIT m_nsp->serverSideEventWithAckReceived(event, args, QSocketIoAckCallbackPrivate::create(reply));
    else
        Q_EMIT m_nsp->serverSideEventReceived(event, args);
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

bool QSocketIoInMemoryAdapter::hasRoom(const QString &room) const
{
    return m_rooms.contains(room);
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

// --- Connection state recovery -------------------------------------------------------------------------------

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

QString QSocketIoInMemoryAdapter::nspName() const
{
    return m_nsp ? m_nsp->name() : QString();
}

void QSocketIoInMemoryAdapter::setRecovery(const QSocketIoRecoverySettings &settings)
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

qint64 QSocketIoInMemoryAdapter::recoveryHead() const
{
    return m_nextOffset - 1;
}

void QSocketIoInMemoryAdapter::storeForRecovery(QSocketIoProtocol::Packet &packet,
                                                const QSocketIoBroadcastOptions &options)
{
    using QSocketIoProtocol::PacketType;
    if (!m_recovery.enabled || options.isVolatile || packet.id >= 0
        || (packet.type != PacketType::Event && packet.type != PacketType::BinaryEvent)) {
        return;
    }
    QSocketIoStoredPacket stored;
    stored.offset = m_nextOffset++;
    stored.emittedAt = QDateTime::currentMSecsSinceEpoch();
    stored.rooms = options.rooms;
    stored.except = options.except;
    stored.data = packet.data.toList();
    stored.data.append(QString::number(stored.offset));
    packet.data = stored.data;
    m_packets.push_back(stored);
    if (m_recovery.store)
        m_recovery.store->savePacket(nspName(), stored);
    if (m_recovery.maxStoredPackets > 0 && m_packets.size() > size_t(m_recovery.maxStoredPackets))
        dropOldestPackets(m_packets.front().offset);
}

void QSocketIoInMemoryAdapter::dropOldestPackets(qint64 upTo)
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

void QSocketIoInMemoryAdapter::persistSession(const QSocketIoStoredSession &session)
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

void QSocketIoInMemoryAdapter::updateLiveSession(const QSocketIoStoredSession &session)
{
    if (!m_recovery.enabled || !m_recovery.store || session.pid.isEmpty())
        return;
    QSocketIoStoredSession live = session;
    live.disconnectedAt = 0;   // connected
    m_recovery.store->saveSession(nspName(), live);
}

void QSocketIoInMemoryAdapter::discardSession(const QString &pid)
{
    if (m_recovery.store && !pid.isEmpty())
        m_recovery.store->removeSession(nspName(), pid);
}

const QSocketIoStoredSession *QSocketIoInMemoryAdapter::validSession(const QString &pid, const QString &offset,
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

std::optional<QString> QSocketIoInMemoryAdapter::findSession(const QString &pid, const QString &offset) const
{
    qint64 from = 0;
    if (const QSocketIoStoredSession *session = validSession(pid, offset, &from))
        return session->sid;
    return std::nullopt;
}

std::optional<QSocketIoRestoredSession> QSocketIoInMemoryAdapter::restoreSession(const QString &pid,
                                                                                const QString &offset)
{
    qint64 from = 0;
    const QSocketIoStoredSession *session = validSession(pid, offset, &from);
    if (!session)
        return std::nullopt;
    QSocketIoRestoredSession restored;
    restored.session = *session;
    m_sessions.remove(pid);
    if (m_recovery.store)
        m_recovery.store->removeSession(nspName(), pid);
    // Offsets increase along the deque: skip to the first one after `from`.
    auto it = std::upper_bound(m_packets.cbegin(), m_packets.cend(), from,
                               [](qint64 value, const QSocketIoStoredPacket &p) { return value < p.offset; });
    for (; it != m_packets.cend(); ++it) {
        if (sessionReceives(restored.session.rooms, *it))
            restored.missedPackets.append(it->data);
    }
    return restored;
}

QList<QSocketIoStoredSession> QSocketIoInMemoryAdapter::pruneRecovery(qint64 nowMs)
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
