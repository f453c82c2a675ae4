// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include <QtSocketIo/qsocketioremotesocket.h>

/*!
    \class QSocketIoRemoteSocket
    \inmodule QtSocketIo
    \brief A snapshot of a socket on any node of a cluster, as QSocketIoBroadcast::fetchRemoteSockets() gives.
*/

class QSocketIoRemoteSocketPrivate : public QSharedData
{
public:
    QString id;
    QVariantMap handshake;
    QStringList rooms;
    QVariant data;
    bool local = false;
};

QSocketIoRemoteSocket::QSocketIoRemoteSocket() : d(new QSocketIoRemoteSocketPrivate) {}
QSocketIoRemoteSocket::QSocketIoRemoteSocket(const QString &id, const QVariantMap &handshake, const QStringList &rooms,
                                             const QVariant &data, bool local)
    : d(new QSocketIoRemoteSocketPrivate)
{
    d->id = id;
    d->handshake = handshake;
    d->rooms = rooms;
    d->data = data;
    d->local = local;
}
QSocketIoRemoteSocket::QSocketIoRemoteSocket(const QSocketIoRemoteSocket &other) = default;
QSocketIoRemoteSocket::QSocketIoRemoteSocket(QSocketIoRemoteSocket &&other) noexcept = default;
QSocketIoRemoteSocket &QSocketIoRemoteSocket::operator=(const QSocketIoRemoteSocket &other) = default;
QSocketIoRemoteSocket::~QSocketIoRemoteSocket() = default;

bool QSocketIoRemoteSocket::isNull() const { return d->id.isEmpty(); }
QString QSocketIoRemoteSocket::id() const { return d->id; }
QVariantMap QSocketIoRemoteSocket::handshake() const { return d->handshake; }
QStringList QSocketIoRemoteSocket::rooms() const { return d->rooms; }
QVariant QSocketIoRemoteSocket::data() const { return d->data; }
bool QSocketIoRemoteSocket::isLocal() const { return d->local; }
