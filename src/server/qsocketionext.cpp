// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include <QtSocketIo/qsocketionext.h>

/*!
    \class QSocketIoNext
    \inmodule QtSocketIo
    \brief The continuation handed to a middleware: accept() or reject() once, now or later.
*/

class QSocketIoNextPrivate : public QSharedData
{
public:
    QSocketIoNext::Callback callback;
    bool done = false;
};

QSocketIoNext::QSocketIoNext(const Callback &callback) : d(new QSocketIoNextPrivate)
{
    d->callback = callback;
}
QSocketIoNext::QSocketIoNext(const QSocketIoNext &other) = default;
QSocketIoNext::QSocketIoNext(QSocketIoNext &&other) noexcept = default;
QSocketIoNext &QSocketIoNext::operator=(const QSocketIoNext &other) = default;
QSocketIoNext::~QSocketIoNext() = default;

bool QSocketIoNext::isDone() const { return d->done; }

void QSocketIoNext::accept() const
{
    if (d->done)
        return;
    d->done = true;
    if (d->callback)
        d->callback(true, QString(), QVariant());
}

void QSocketIoNext::reject(const QString &message, const QVariant &data) const
{
    if (d->done)
        return;
    d->done = true;
    if (d->callback)
        d->callback(false, message, data);
}
