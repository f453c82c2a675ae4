// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "server/qsocketioack_p.h"
#include "qtsocketiologging_p.h"

#include <QtCore/qtimer.h>

/*!
    \class QSocketIoAck
    \inmodule QtSocketIo
    \brief The answer to an event sent with an acknowledgement.

    Returned by QSocketIoSocket::emitWithAck() and QSocketIoBroadcast::emitWithAck(). It emits finished()
    when every recipient answered, or timedOut() when the timeout fired first, and then deletes itself
    (deleteLater()). Connect to it right away; it never finishes before the event loop runs.
*/

QSocketIoAck::QSocketIoAck(QObject *parent)
    : QObject(parent), d_ptr(std::make_unique<QSocketIoAckPrivate>())
{
    d_ptr->q_ptr = this;
}

QSocketIoAck::~QSocketIoAck() = default;

bool QSocketIoAck::isFinished() const { return d_func()->finished; }
bool QSocketIoAck::isTimedOut() const { return d_func()->timedOut; }
bool QSocketIoAck::isBroadcast() const { return d_func()->broadcast; }
QVariantList QSocketIoAck::arguments() const { return d_func()->arguments; }
QList<QVariantList> QSocketIoAck::responses() const { return d_func()->responses; }
QStringList QSocketIoAck::respondedSocketIds() const { return d_func()->responded; }
QStringList QSocketIoAck::timedOutSocketIds() const { return d_func()->timedOut ? d_func()->pending : QStringList(); }
int QSocketIoAck::expectedCount() const { return d_func()->expected; }
QString QSocketIoAck::errorString() const { return d_func()->errorString; }

QSocketIoAck *QSocketIoAckPrivate::create(QObject *parent, int timeoutMs, bool broadcast)
{
    auto *ack = new QSocketIoAck(parent);
    QSocketIoAckPrivate *d = ack->d_func();
    d->broadcast = broadcast;
    if (timeoutMs >= 0) {
        d->timer = new QTimer(ack);
        d->timer->setSingleShot(true);
        QObject::connect(d->timer, &QTimer::timeout, ack, [d] { d->timeout(); });
        d->timer->start(timeoutMs);
    }
    return ack;
}

void QSocketIoAckPrivate::resolve(const QVariantList &args)
{
    if (finished || timedOut)
        return;
    arguments = args;
    finish();
}

void QSocketIoAckPrivate::expect(const QStringList &socketIds)
{
    pending = socketIds;
    expected = int(socketIds.size());
    if (pending.isEmpty()) {
        // Nobody to wait for: finish on the next pass, once the caller connected.
        QMetaObject::invokeMethod(q_ptr, [this] { finish(); }, Qt::QueuedConnection);
    }
}

void QSocketIoAckPrivate::addResponse(const QString &socketId, const QVariantList &args)
{
    if (finished || timedOut || !pending.removeOne(socketId))
        return;
    responses.append(args);
    responded.append(socketId);
    if (pending.isEmpty())
        finish();
}

void QSocketIoAckPrivate::startCluster(int targets)
{
    cluster = true;
    serverCountsPending = targets;
}

void QSocketIoAckPrivate::addServerCount(int count)
{
    --serverCountsPending;
    expectedServers += count;
    checkCluster();
}

void QSocketIoAckPrivate::addClientCount(int count, const QStringList &localSocketIds)
{
    ++reportedServers;
    expected += count;
    localExpected += int(localSocketIds.size());
    pending += localSocketIds;
    checkCluster();
}

void QSocketIoAckPrivate::addClusterResponse(const QString &socketId, const QVariantList &args)
{
    if (finished || timedOut)
        return;
    if (!socketId.isEmpty() && !pending.removeOne(socketId))
        return;
    if (socketId.isEmpty())
        ++remoteResponses;
    responses.append(args);
    responded.append(socketId);
    checkCluster();
}

void QSocketIoAckPrivate::armCluster()
{
    // Not before the caller had a chance to connect: finish on the next pass at the earliest.
    QMetaObject::invokeMethod(q_ptr, [this] {
        armed = true;
        checkCluster();
    }, Qt::QueuedConnection);
}

void QSocketIoAckPrivate::checkCluster()
{
    if (!armed || serverCountsPending > 0 || reportedServers < expectedServers || responses.size() < expected)
        return;
    finish();
}

void QSocketIoAckPrivate::dropRecipient(const QString &socketId)
{
    if (finished || timedOut || !pending.removeOne(socketId))
        return;
    --expected;
    --localExpected;
    if (cluster)
        checkCluster();
    else if (pending.isEmpty())
        finish();
}

void QSocketIoAckPrivate::boundRemoteWait(int milliseconds)
{
    if (finished || timedOut || remoteTimer)
        return;
    remoteTimer = new QTimer(q_ptr);
    remoteTimer->setSingleShot(true);
    QObject::connect(remoteTimer, &QTimer::timeout, q_ptr, [this] {
        if (remoteMissing())
            timeout();
    });
    remoteTimer->start(qMax(0, milliseconds));
}

bool QSocketIoAckPrivate::remoteMissing() const
{
    return serverCountsPending > 0 || reportedServers < expectedServers
            || remoteResponses < expected - localExpected;
}

void QSocketIoAckPrivate::finish()
{
    if (finished || timedOut)
        return;
    finished = true;
    if (timer)
        timer->stop();
    if (remoteTimer)
        remoteTimer->stop();
    if (broadcast && singleResponse)
        arguments = responses.value(0);
    Q_EMIT q_ptr->finished(broadcast && !singleResponse ? QVariantList() : arguments);
    q_ptr->deleteLater();
}

void QSocketIoAckPrivate::timeout()
{
    if (finished || timedOut)
        return;
    timedOut = true;
    if (timer)
        timer->stop();
    if (remoteTimer)
        remoteTimer->stop();
    if (errorString.isEmpty())
        errorString = QStringLiteral("operation has timed out");
    Q_EMIT q_ptr->timedOut();
    q_ptr->deleteLater();
}
