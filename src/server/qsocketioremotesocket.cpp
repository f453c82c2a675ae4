// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include <QtSocketIo/qsocketioremotesocket.h>
#include <QtSocketIo/qsocketiobroadcast.h>
#include <QtSocketIo/qsocketionamespace.h>

#include "server/qsocketiobroadcast_p.h"

#include <QtCore/qpointer.h>

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
    QPointer<QSocketIoNamespace> nsp;
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
QSocketIoNamespace *QSocketIoRemoteSocket::nsp() const { return d->nsp; }
void QSocketIoRemoteSocket::setNamespace(QSocketIoNamespace *nsp) { d->nsp = nsp; }

bool QSocketIoRemoteSocket::emitEvent(const QString &event, const QVariantList &args) const
{
    return d->nsp && !d->id.isEmpty() && d->nsp->to(d->id).emitEvent(event, args);
}

QSocketIoBroadcast QSocketIoRemoteSocket::timeout(int milliseconds) const
{
    // Without a namespace: an operator that selects nothing and sends nowhere.
    QSocketIoBroadcast op = d->nsp ? d->nsp->to(d->id) : QSocketIoBroadcast(static_cast<QSocketIoNamespace *>(nullptr));
    op.d->singleResponse = true;   // Node's expectSingleResponse: the answer is that socket's arguments
    return op.timeout(milliseconds);
}

void QSocketIoRemoteSocket::join(const QString &room) const { join(QStringList{room}); }
void QSocketIoRemoteSocket::join(const QStringList &rooms) const
{
    if (d->nsp && !d->id.isEmpty())
        d->nsp->in(d->id).socketsJoin(rooms);
}

void QSocketIoRemoteSocket::leave(const QString &room) const { leave(QStringList{room}); }
void QSocketIoRemoteSocket::leave(const QStringList &rooms) const
{
    if (d->nsp && !d->id.isEmpty())
        d->nsp->in(d->id).socketsLeave(rooms);
}

void QSocketIoRemoteSocket::disconnectSocket(bool closeConnection) const
{
    if (d->nsp && !d->id.isEmpty())
        d->nsp->in(d->id).disconnectSockets(closeConnection);
}
