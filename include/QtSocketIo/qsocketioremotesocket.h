// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOREMOTESOCKET_H
#define QSOCKETIOREMOTESOCKET_H

#include <QtSocketIo/qtsocketioglobal.h>

#include <QtCore/qmetatype.h>
#include <QtCore/qobject.h>
#include <QtCore/qshareddata.h>
#include <QtCore/qstringlist.h>
#include <QtCore/qvariant.h>

class QSocketIoBroadcast;
class QSocketIoNamespace;
class QSocketIoRemoteSocketPrivate;

// A snapshot of a socket that may live on any node of a cluster: what fetchRemoteSockets() delivers. An
// implicitly shared value. The handshake is in Node's form (headers, time, address, xdomain, secure, issued,
// url, query, auth), as a Node.js node sends it. One from fetchRemoteSockets() also acts on the socket, on
// whatever node it lives (Node's RemoteSocket): emitEvent(), timeout(), join(), leave(), disconnectSocket(),
// through the namespace's adapter, as nsp->to(remote.id()) would.
class QTSOCKETIO_EXPORT QSocketIoRemoteSocket
{
    Q_GADGET
    Q_PROPERTY(QString id READ id CONSTANT)
    Q_PROPERTY(QVariantMap handshake READ handshake CONSTANT)
    Q_PROPERTY(QStringList rooms READ rooms CONSTANT)
    Q_PROPERTY(QVariant data READ data CONSTANT)
    Q_PROPERTY(bool local READ isLocal CONSTANT)
public:
    QSocketIoRemoteSocket();
    QSocketIoRemoteSocket(const QString &id, const QVariantMap &handshake, const QStringList &rooms,
                          const QVariant &data, bool local = false);
    QSocketIoRemoteSocket(const QSocketIoRemoteSocket &other);
    QSocketIoRemoteSocket &operator=(const QSocketIoRemoteSocket &other);
    // A moved-from object may only be assigned to or destroyed.
    QSocketIoRemoteSocket(QSocketIoRemoteSocket &&other) noexcept;
    QT_MOVE_ASSIGNMENT_OPERATOR_IMPL_VIA_PURE_SWAP(QSocketIoRemoteSocket)
    ~QSocketIoRemoteSocket();

    void swap(QSocketIoRemoteSocket &other) noexcept { d.swap(other.d); }

    bool isNull() const;
    QString id() const;
    QVariantMap handshake() const;
    // The rooms the socket is in (its own id included).
    QStringList rooms() const;
    // QSocketIoSocket::data() on a QtSocketIo node, socket.data on a Node.js node.
    QVariant data() const;
    // True when the socket is on this node.
    bool isLocal() const;
    // The namespace it was fetched from (null for a snapshot made by hand, or once the namespace is gone).
    QSocketIoNamespace *nsp() const;

    // Act on the socket wherever it is (Node's RemoteSocket): the same as nsp()->to(id()).emitEvent(),
    // nsp()->to(id()).timeout(), nsp()->in(id()).socketsJoin() / socketsLeave() / disconnectSockets(). Without
    // a namespace they do nothing (emitEvent() returns false).
    bool emitEvent(const QString &event, const QVariantList &args = {}) const;
    QSocketIoBroadcast timeout(int milliseconds) const;
    void join(const QString &room) const;
    void join(const QStringList &rooms) const;
    void leave(const QString &room) const;
    void leave(const QStringList &rooms) const;
    void disconnectSocket(bool closeConnection = false) const;

private:
    friend class QSocketIoBroadcast;
    void setNamespace(QSocketIoNamespace *nsp);
    QSharedDataPointer<QSocketIoRemoteSocketPrivate> d;
};

Q_DECLARE_SHARED(QSocketIoRemoteSocket)

Q_DECLARE_METATYPE(QSocketIoRemoteSocket)

#endif
