// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Connection state recovery: the options, the server's side of it, and the server API that sets it up.
// The kept sessions and the stored packets live in each namespace's adapter (QSocketIoInMemoryAdapter).

#include "server/qsocketioserver_p.h"
#include "qtsocketiologging_p.h"

#include <QtCore/qdatetime.h>

using namespace QSocketIoProtocol;

// --- QSocketIoConnectionStateRecovery ------------------------------------------------------------------------

/*!
    \class QSocketIoConnectionStateRecovery
    \inmodule QtSocketIo
    \brief The options of connection state recovery (socket.io's \c connectionStateRecovery).
*/

class QSocketIoConnectionStateRecoveryPrivate : public QSharedData
{
public:
    bool enabled = false;
    int maxDisconnectionDuration = 120000;
    bool skipMiddlewares = true;
    int maxStoredPackets = 10000;
};

QSocketIoConnectionStateRecovery::QSocketIoConnectionStateRecovery() : d(new QSocketIoConnectionStateRecoveryPrivate) {}
QSocketIoConnectionStateRecovery::QSocketIoConnectionStateRecovery(const QSocketIoConnectionStateRecovery &other) = default;
QSocketIoConnectionStateRecovery::QSocketIoConnectionStateRecovery(QSocketIoConnectionStateRecovery &&other) noexcept = default;
QSocketIoConnectionStateRecovery &QSocketIoConnectionStateRecovery::operator=(const QSocketIoConnectionStateRecovery &other) = default;
QSocketIoConnectionStateRecovery::~QSocketIoConnectionStateRecovery() = default;

bool QSocketIoConnectionStateRecovery::isEnabled() const { return d->enabled; }
void QSocketIoConnectionStateRecovery::setEnabled(bool enabled) { d->enabled = enabled; }
int QSocketIoConnectionStateRecovery::maxDisconnectionDuration() const { return d->maxDisconnectionDuration; }
void QSocketIoConnectionStateRecovery::setMaxDisconnectionDuration(int milliseconds) { d->maxDisconnectionDuration = qMax(0, milliseconds); }
bool QSocketIoConnectionStateRecovery::skipMiddlewares() const { return d->skipMiddlewares; }
void QSocketIoConnectionStateRecovery::setSkipMiddlewares(bool skip) { d->skipMiddlewares = skip; }
int QSocketIoConnectionStateRecovery::maxStoredPackets() const { return d->maxStoredPackets; }
void QSocketIoConnectionStateRecovery::setMaxStoredPackets(int count) { d->maxStoredPackets = qMax(0, count); }

bool QSocketIoConnectionStateRecovery::operator==(const QSocketIoConnectionStateRecovery &other) const
{
    return d->enabled == other.d->enabled && d->maxDisconnectionDuration == other.d->maxDisconnectionDuration
            && d->skipMiddlewares == other.d->skipMiddlewares && d->maxStoredPackets == other.d->maxStoredPackets;
}

// --- the reasons that keep a session -------------------------------------------------------------------------

// The involuntary ones, as socket.io's RECOVERABLE_DISCONNECT_REASONS.
bool qtsocketio_isRecoverableReason(QSocketIoSocket::DisconnectReason reason)
{
    using R = QSocketIoSocket::DisconnectReason;
    switch (reason) {
    case R::TransportError:
    case R::TransportClose:
    case R::ForcedClose:
    case R::PingTimeout:
    case R::ServerShuttingDown:
    case R::ForcedServerClose:
        return true;
    default:
        return false;
    }
}

// --- QSocketIoServerPrivate ----------------------------------------------------------------------------------

QSocketIoRecoverySettings QSocketIoServerPrivate::recoverySettings() const
{
    QSocketIoRecoverySettings settings;
    settings.enabled = recovery.isEnabled();
    settings.maxDisconnectionDuration = recovery.maxDisconnectionDuration();
    settings.maxStoredPackets = recovery.maxStoredPackets();
    settings.store = recovery.isEnabled() ? sessionStore : nullptr;
    return settings;
}

void QSocketIoServerPrivate::applyRecovery(QSocketIoNamespace *nsp)
{
    QSocketIoNamespacePrivate::get(nsp)->adapter->setRecovery(recoverySettings());
}

void QSocketIoServerPrivate::applyRecovery()
{
    Q_Q(QSocketIoServer);
    for (QSocketIoNamespace *nsp : std::as_const(namespaces))
        applyRecovery(nsp);
    if (!recoveryTimer) {
        recoveryTimer = new QTimer(q);
        QObject::connect(recoveryTimer, &QTimer::timeout, q, [this] { pruneRecovery(); });
    }
    if (recovery.isEnabled()) {
        // Often enough that a short maxDisconnectionDuration expires on time; at most once a minute.
        recoveryTimer->start(qBound(50, recovery.maxDisconnectionDuration() / 4, 60000));
    } else {
        recoveryTimer->stop();
        pruneRecovery();   // drops what was kept
    }
}

void QSocketIoServerPrivate::pruneRecovery()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QList<QSocketIoNamespace *> all = namespaces.values();
    for (QSocketIoNamespace *nsp : all) {
        const QList<QSocketIoStoredSession> expired = QSocketIoNamespacePrivate::get(nsp)->adapter->pruneRecovery(now);
        QPointer<QSocketIoNamespace> guard(nsp);
        for (const QSocketIoStoredSession &session : expired) {
            qCDebug(lcRecovery) << "kept session of" << session.sid << "on" << nsp->name() << "expired";
            if (!guard)
                break;
            Q_EMIT nsp->sessionExpired(session.sid, session.rooms, session.data);
        }
    }
}

std::optional<QString> QSocketIoServerPrivate::recoverableSession(QSocketIoNamespace *nsp, const QVariantMap &auth)
{
    if (!recovery.isEnabled() || !QSocketIoNamespacePrivate::get(nsp)->adapter->supportsRecovery())
        return std::nullopt;
    // socket.io-client sends {pid, offset} (offset absent when it has received no packet yet). Anything
    // else, or any other type, gets a fresh session.
    const QVariant pidValue = auth.value(QStringLiteral("pid"));
    const QVariant offsetValue = auth.value(QStringLiteral("offset"));
    if (pidValue.typeId() != QMetaType::QString)
        return std::nullopt;
    if (offsetValue.isValid() && offsetValue.typeId() != QMetaType::QString)
        return std::nullopt;
    const QString pid = pidValue.toString();
    if (pid.isEmpty() || pid.size() > 64)
        return std::nullopt;
    QSocketIoNamespacePrivate *nd = QSocketIoNamespacePrivate::get(nsp);
    if (QSocketIoSocket *stale = nd->socketsByPid.value(pid)) {
        // The client is back before its old connection was seen to die (no ping timeout yet): that
        // connection is closed now, as if it had been noticed, and its session kept for this one.
        qCDebug(lcRecovery) << "socket" << stale->id() << "reconnected before its old connection closed";
        QSocketIoSocketPrivate *sd = QSocketIoSocketPrivate::get(stale);
        QSocketIoClient *old = sd->client;
        sd->close(QSocketIoSocket::DisconnectReason::ForcedClose);
        if (old)
            closeClient(old, QEngineIo::CloseReason::ForcedClose);
    }
    return nd->adapter->findSession(pid, offsetValue.toString());
}

std::optional<QSocketIoRestoredSession> QSocketIoServerPrivate::takeRecoveredSession(QSocketIoSocket *socket)
{
    QSocketIoSocketPrivate *sd = QSocketIoSocketPrivate::get(socket);
    if (!sd->recovered)
        return std::nullopt;
    const QVariantMap auth = sd->handshake.auth();
    QSocketIoNamespacePrivate *nd = QSocketIoNamespacePrivate::get(sd->nsp);
    std::optional<QSocketIoRestoredSession> restored = nd->adapter->restoreSession(
            auth.value(QStringLiteral("pid")).toString(), auth.value(QStringLiteral("offset")).toString());
    if (!restored || restored->session.sid != sd->id || nd->sockets.contains(sd->id)) {
        // Expired, or taken by another connection, while the middlewares ran: a fresh session after all.
        qCDebug(lcRecovery) << "kept session of" << sd->id << "went while its middlewares ran; fresh session";
        sd->recovered = false;
        sd->id = generateSocketId();
        sd->pid = generateSocketId();
        return std::nullopt;
    }
    sd->pid = restored->session.pid;
    return restored;
}

// --- QSocketIoServer -----------------------------------------------------------------------------------------

QSocketIoConnectionStateRecovery QSocketIoServer::connectionStateRecovery() const
{
    return d_func()->recovery;
}

void QSocketIoServer::setConnectionStateRecovery(const QSocketIoConnectionStateRecovery &options)
{
    Q_D(QSocketIoServer);
    if (d->recovery == options)
        return;
    d->recovery = options;
    d->applyRecovery();
    Q_EMIT connectionStateRecoveryChanged();
}

QSocketIoSessionStore *QSocketIoServer::sessionStore() const
{
    return d_func()->sessionStore;
}

void QSocketIoServer::setSessionStore(QSocketIoSessionStore *store)
{
    Q_D(QSocketIoServer);
    if (d->sessionStore == store)
        return;
    d->sessionStore = store;
    d->applyRecovery();
    Q_EMIT sessionStoreChanged();
}
