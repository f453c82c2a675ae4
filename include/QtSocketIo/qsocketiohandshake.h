// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOHANDSHAKE_H
#define QSOCKETIOHANDSHAKE_H

#include <QtSocketIo/qtsocketioglobal.h>

#include <QtCore/qdatetime.h>
#include <QtCore/qobject.h>
#include <QtCore/qshareddata.h>
#include <QtCore/qvariant.h>
#include <QtNetwork/qhostaddress.h>

class QSocketIoHandshakePrivate;

// What the client sent when it connected: the HTTP request that opened its connection and the auth payload
// of its namespace CONNECT. An implicitly shared value.
class QTSOCKETIO_EXPORT QSocketIoHandshake
{
    Q_GADGET
    Q_PROPERTY(QVariantMap headers READ headers CONSTANT)
    Q_PROPERTY(QVariantMap query READ query CONSTANT)
    Q_PROPERTY(QVariantMap auth READ auth CONSTANT)
    Q_PROPERTY(QString address READ address CONSTANT)
    Q_PROPERTY(QDateTime time READ time CONSTANT)
    Q_PROPERTY(qint64 issued READ issued CONSTANT)
    Q_PROPERTY(QString url READ url CONSTANT)
    Q_PROPERTY(bool secure READ isSecure CONSTANT)
    Q_PROPERTY(bool xdomain READ isCrossDomain CONSTANT)
public:
    QSocketIoHandshake();
    QSocketIoHandshake(const QSocketIoHandshake &other);
    QSocketIoHandshake &operator=(const QSocketIoHandshake &other);
    // A moved-from object may only be assigned to or destroyed.
    QSocketIoHandshake(QSocketIoHandshake &&other) noexcept;
    QT_MOVE_ASSIGNMENT_OPERATOR_IMPL_VIA_PURE_SWAP(QSocketIoHandshake)
    ~QSocketIoHandshake();

    void swap(QSocketIoHandshake &other) noexcept { d.swap(other.d); }

    // Header names in lower case, as Node gives them; values as sent (repeated headers joined with ", ").
    QVariantMap headers() const;
    QByteArray header(QByteArrayView name) const;
    // Query items of the request URL, percent-decoded.
    QVariantMap query() const;
    // The auth object of the CONNECT packet (empty when the client sent none).
    QVariantMap auth() const;
    QString address() const;
    QHostAddress peerAddress() const;
    QDateTime time() const;
    // time() in milliseconds since the epoch, as Node's handshake.issued.
    qint64 issued() const;
    // The request target, e.g. "/socket.io/?EIO=4&transport=polling".
    QString url() const;
    bool isSecure() const;
    // True when the request carried an Origin header.
    bool isCrossDomain() const;

private:
    friend class QSocketIoHandshakePrivate;
    QSharedDataPointer<QSocketIoHandshakePrivate> d;
};

Q_DECLARE_SHARED(QSocketIoHandshake)

#endif
