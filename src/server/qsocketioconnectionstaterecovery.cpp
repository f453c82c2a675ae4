// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include <QtSocketIo/qsocketioconnectionstaterecovery.h>

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
