// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "server/qsocketioackcallback_p.h"
#include "qtsocketiologging_p.h"

/*!
    \class QSocketIoAckCallback
    \inmodule QtSocketIo
    \brief Answers an event whose sender asked for an acknowledgement.

    Passed to event handlers. Call it once with the answer's arguments; it may be copied and called later.
*/



QSocketIoAckCallback::QSocketIoAckCallback() = default;
QSocketIoAckCallback::QSocketIoAckCallback(QSocketIoAckCallbackPrivate *d) : d(d) {}
QSocketIoAckCallback::QSocketIoAckCallback(const QSocketIoAckCallback &other) = default;
QSocketIoAckCallback::QSocketIoAckCallback(QSocketIoAckCallback &&other) noexcept = default;
QSocketIoAckCallback &QSocketIoAckCallback::operator=(const QSocketIoAckCallback &other) = default;
QSocketIoAckCallback::~QSocketIoAckCallback() = default;

bool QSocketIoAckCallback::isValid() const { return d && d->send; }
bool QSocketIoAckCallback::isAnswered() const { return d && d->answered; }

void QSocketIoAckCallback::reply(const QVariantList &arguments) const
{
    if (!isValid())
        return;
    if (d->answered) {
        qCWarning(lcServer) << "an acknowledgement was answered twice; the second answer is ignored";
        return;
    }
    d->answered = true;
    d->send(arguments);
}

QSocketIoAckCallback QSocketIoAckCallbackPrivate::create(const std::function<void(const QVariantList &)> &send)
{
    auto *d = new QSocketIoAckCallbackPrivate;
    d->send = send;
    return QSocketIoAckCallback(d);
}
