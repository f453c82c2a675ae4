// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "engine/qsocketiohandshake_p.h"

#include <QtCore/qurlquery.h>

/*!
    \class QSocketIoHandshake
    \inmodule QtSocketIo
    \brief What a client sent when it connected: request headers, query, auth payload, address.
*/



QSocketIoHandshake QSocketIoHandshakePrivate::create(const QEngineIo::RequestInfo &request, const QVariantMap &auth)
{
    QSocketIoHandshake handshake;
    QSocketIoHandshakePrivate *d = handshake.d.data();
    d->headers = request.http.headers;
    const QUrlQuery query(QString::fromUtf8(request.http.query));
    for (const auto &item : query.queryItems(QUrl::FullyDecoded))
        d->query.insert(item.first, item.second);
    d->auth = auth;
    d->address = request.peerAddress;
    d->time = QDateTime::currentDateTimeUtc();
    d->url = QString::fromUtf8(request.http.target);
    d->secure = request.secure;
    return handshake;
}

QSocketIoHandshake::QSocketIoHandshake() : d(new QSocketIoHandshakePrivate) {}
QSocketIoHandshake::QSocketIoHandshake(const QSocketIoHandshake &other) = default;
QSocketIoHandshake::QSocketIoHandshake(QSocketIoHandshake &&other) noexcept = default;
QSocketIoHandshake &QSocketIoHandshake::operator=(const QSocketIoHandshake &other) = default;
QSocketIoHandshake::~QSocketIoHandshake() = default;

QVariantMap QSocketIoHandshake::headers() const
{
    QVariantMap out;
    for (const auto &header : d->headers.list()) {
        const QString name = QString::fromLatin1(header.first).toLower();
        const QString value = QString::fromUtf8(header.second);
        const auto it = out.find(name);
        if (it == out.end())
            out.insert(name, value);
        else
            *it = QString(it->toString() + QStringLiteral(", ") + value);
    }
    return out;
}

QByteArray QSocketIoHandshake::header(QByteArrayView name) const { return d->headers.value(name); }
QVariantMap QSocketIoHandshake::query() const { return d->query; }
QVariantMap QSocketIoHandshake::auth() const { return d->auth; }
QString QSocketIoHandshake::address() const
{
    // Node reports IPv4 peers as plain dotted quads.
    bool ok = false;
    const quint32 v4 = d->address.toIPv4Address(&ok);
    return ok ? QHostAddress(v4).toString() : d->address.toString();
}
QHostAddress QSocketIoHandshake::peerAddress() const { return d->address; }
QDateTime QSocketIoHandshake::time() const { return d->time; }
qint64 QSocketIoHandshake::issued() const { return d->time.toMSecsSinceEpoch(); }
QString QSocketIoHandshake::url() const { return d->url; }
bool QSocketIoHandshake::isSecure() const { return d->secure; }
bool QSocketIoHandshake::isCrossDomain() const { return d->headers.contains("origin"); }
