// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIONEXT_H
#define QSOCKETIONEXT_H

#include <QtSocketIo/qtsocketioglobal.h>

#include <QtCore/qshareddata.h>
#include <QtCore/qvariant.h>

#include <functional>

class QSocketIoNextPrivate;

// The continuation a middleware gets: call it (now, or later from any slot) to let the connection or the
// packet through, or reject() it. Only the first call counts. A middleware that never calls it holds the
// connection until connectTimeout (namespace middleware), or drops the packet (packet middleware).
class QTSOCKETIO_EXPORT QSocketIoNext
{
public:
    QSocketIoNext(const QSocketIoNext &other);
    QSocketIoNext &operator=(const QSocketIoNext &other);
    // A moved-from object may only be assigned to or destroyed.
    QSocketIoNext(QSocketIoNext &&other) noexcept;
    QT_MOVE_ASSIGNMENT_OPERATOR_IMPL_VIA_PURE_SWAP(QSocketIoNext)
    ~QSocketIoNext();

    void swap(QSocketIoNext &other) noexcept { d.swap(other.d); }

    void operator()() const { accept(); }
    void accept() const;
    // Namespace middleware: the client gets a CONNECT_ERROR {"message": message, "data": data}.
    // Packet middleware: the event is dropped and the socket emits errorOccurred(message).
    void reject(const QString &message, const QVariant &data = {}) const;
    bool isDone() const;

    // For the library.
    using Callback = std::function<void(bool accepted, const QString &message, const QVariant &data)>;
    explicit QSocketIoNext(const Callback &callback);

private:
    QExplicitlySharedDataPointer<QSocketIoNextPrivate> d;
};

Q_DECLARE_SHARED(QSocketIoNext)

#endif
