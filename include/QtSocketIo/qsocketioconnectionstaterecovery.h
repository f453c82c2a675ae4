// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOCONNECTIONSTATERECOVERY_H
#define QSOCKETIOCONNECTIONSTATERECOVERY_H

#include <QtSocketIo/qtsocketioglobal.h>

#include <QtCore/qobjectdefs.h>
#include <QtCore/qshareddata.h>

class QSocketIoConnectionStateRecoveryPrivate;

// Connection state recovery (socket.io 4.6+ `connectionStateRecovery`): after an involuntary disconnection
// (transport closed or failed, ping timeout, forced close, server shutting down), the socket's id, rooms and
// data are kept for maxDisconnectionDuration, with every replayable packet sent meanwhile. A client that
// reconnects in time gets them back and is marked recovered. Off by default.
class QTSOCKETIO_EXPORT QSocketIoConnectionStateRecovery
{
    Q_GADGET
    Q_PROPERTY(bool enabled READ isEnabled WRITE setEnabled)
    Q_PROPERTY(int maxDisconnectionDuration READ maxDisconnectionDuration WRITE setMaxDisconnectionDuration)
    Q_PROPERTY(bool skipMiddlewares READ skipMiddlewares WRITE setSkipMiddlewares)
    Q_PROPERTY(int maxStoredPackets READ maxStoredPackets WRITE setMaxStoredPackets)
public:
    QSocketIoConnectionStateRecovery();
    QSocketIoConnectionStateRecovery(const QSocketIoConnectionStateRecovery &other);
    QSocketIoConnectionStateRecovery &operator=(const QSocketIoConnectionStateRecovery &other);
    // A moved-from object may only be assigned to or destroyed.
    QSocketIoConnectionStateRecovery(QSocketIoConnectionStateRecovery &&other) noexcept;
    QT_MOVE_ASSIGNMENT_OPERATOR_IMPL_VIA_PURE_SWAP(QSocketIoConnectionStateRecovery)
    ~QSocketIoConnectionStateRecovery();

    void swap(QSocketIoConnectionStateRecovery &other) noexcept { d.swap(other.d); }

    // Default false.
    bool isEnabled() const;
    void setEnabled(bool enabled);
    // How long a session and the packets it may miss are kept (ms). Default 120000.
    int maxDisconnectionDuration() const;
    void setMaxDisconnectionDuration(int milliseconds);
    // Whether a recovered socket skips the namespace middlewares. Default true. When false, the middlewares
    // run first and the missed packets are sent only once they accepted the socket.
    bool skipMiddlewares() const;
    void setSkipMiddlewares(bool skip);
    // A cap on the packets stored per namespace; the oldest go first (the sessions that still needed them
    // then get a fresh session). Default 10000; 0 for no cap (the time bound still applies).
    int maxStoredPackets() const;
    void setMaxStoredPackets(int count);

    bool operator==(const QSocketIoConnectionStateRecovery &other) const;
    bool operator!=(const QSocketIoConnectionStateRecovery &other) const { return !(*this == other); }

private:
    QSharedDataPointer<QSocketIoConnectionStateRecoveryPrivate> d;
};

Q_DECLARE_SHARED(QSocketIoConnectionStateRecovery)

#endif
