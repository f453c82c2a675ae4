// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOACKCALLBACK_H
#define QSOCKETIOACKCALLBACK_H

#include <QtSocketIo/qtsocketioglobal.h>

#include <QtCore/qmetatype.h>
#include <QtCore/qshareddata.h>
#include <QtCore/qvariant.h>

class QSocketIoAckCallbackPrivate;

// Handed to event handlers when the client asked for an acknowledgement. Copyable; the first call answers,
// later calls are ignored (with a warning). An invalid callback (the client asked for none) ignores calls.
class QTSOCKETIO_EXPORT QSocketIoAckCallback
{
public:
    QSocketIoAckCallback();
    QSocketIoAckCallback(const QSocketIoAckCallback &other);
    QSocketIoAckCallback &operator=(const QSocketIoAckCallback &other);
    // A moved-from object may only be assigned to or destroyed.
    QSocketIoAckCallback(QSocketIoAckCallback &&other) noexcept;
    QT_MOVE_ASSIGNMENT_OPERATOR_IMPL_VIA_PURE_SWAP(QSocketIoAckCallback)
    ~QSocketIoAckCallback();

    void swap(QSocketIoAckCallback &other) noexcept { d.swap(other.d); }

    bool isValid() const;
    bool isAnswered() const;
    void operator()(const QVariantList &arguments = {}) const { reply(arguments); }
    void reply(const QVariantList &arguments = {}) const;

private:
    friend class QSocketIoAckCallbackPrivate;
    explicit QSocketIoAckCallback(QSocketIoAckCallbackPrivate *d);
    QExplicitlySharedDataPointer<QSocketIoAckCallbackPrivate> d;
};

Q_DECLARE_SHARED(QSocketIoAckCallback)

Q_DECLARE_METATYPE(QSocketIoAckCallback)

#endif
