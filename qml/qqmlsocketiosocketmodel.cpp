// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qqmlsocketiosocketmodel_p.h"
#include "qqmlsocketiosocket_p.h"

/*!
    \qmltype SocketIoSocketModel
    \inqmlmodule QtSocketIo
    \brief The connected sockets, as a list model that a ListView shows live.

    The \c sockets property of SocketIoServer (every namespace the QML side knows) and of
    SocketIoNamespace (that namespace). Roles: \c socket, \c id (read it as \c model.id), \c socketId (the
    same, for a required property), \c address, \c transport, \c rooms, \c connectedSince,
    \c namespaceName. \c count, \c get(row) and \c indexOf(id) help scripts.
*/

QQmlSocketIoSocketModel::QQmlSocketIoSocketModel(QObject *parent) : QAbstractListModel(parent) { }

int QQmlSocketIoSocketModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_sockets.size());
}

QVariant QQmlSocketIoSocketModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    QQmlSocketIoSocket *socket = m_sockets.at(index.row());
    switch (role) {
    case SocketRole:
        return QVariant::fromValue(socket);
    case Qt::DisplayRole:
    case IdRole:
    case SocketIdRole:
        return socket->id();
    case AddressRole:
        return socket->address();
    case TransportRole:
        return socket->transport();
    case RoomsRole:
        return socket->rooms();
    case ConnectedSinceRole:
        return socket->connectedSince();
    case NamespaceNameRole:
        return socket->namespaceName();
    default:
        return QVariant();
    }
}

QHash<int, QByteArray> QQmlSocketIoSocketModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"},
        {SocketRole, "socket"},
        {IdRole, "id"},
        {SocketIdRole, "socketId"},
        {AddressRole, "address"},
        {TransportRole, "transport"},
        {RoomsRole, "rooms"},
        {ConnectedSinceRole, "connectedSince"},
        {NamespaceNameRole, "namespaceName"},
    };
}

QQmlSocketIoSocket *QQmlSocketIoSocketModel::get(int row) const
{
    return row >= 0 && row < m_sockets.size() ? m_sockets.at(row) : nullptr;
}

int QQmlSocketIoSocketModel::indexOf(const QString &id) const
{
    for (qsizetype i = 0; i < m_sockets.size(); ++i) {
        if (m_sockets.at(i)->id() == id)
            return int(i);
    }
    return -1;
}

void QQmlSocketIoSocketModel::addSocket(QQmlSocketIoSocket *socket)
{
    if (!socket || m_sockets.contains(socket) || !socket->isConnected())
        return;
    const int row = int(m_sockets.size());
    beginInsertRows(QModelIndex(), row, row);
    m_sockets.append(socket);
    endInsertRows();
    connect(socket, &QQmlSocketIoSocket::disconnected, this, [this, socket] { removeSocket(socket); });
    connect(socket, &QObject::destroyed, this, [this, socket] { removeSocket(socket); });
    connect(socket, &QQmlSocketIoSocket::roomsChanged, this, [this, socket] { socketChanged(socket, {RoomsRole}); });
    connect(socket, &QQmlSocketIoSocket::transportChanged, this,
            [this, socket] { socketChanged(socket, {TransportRole}); });
    Q_EMIT countChanged();
}

void QQmlSocketIoSocketModel::removeSocket(QQmlSocketIoSocket *socket)
{
    const int row = int(m_sockets.indexOf(socket));
    if (row < 0)
        return;
    disconnect(socket, nullptr, this, nullptr);
    beginRemoveRows(QModelIndex(), row, row);
    m_sockets.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
}

void QQmlSocketIoSocketModel::socketChanged(QQmlSocketIoSocket *socket, const QList<int> &roles)
{
    const int row = int(m_sockets.indexOf(socket));
    if (row < 0)
        return;
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i, roles);
}

void QQmlSocketIoSocketModel::clear()
{
    if (m_sockets.isEmpty())
        return;
    beginResetModel();
    for (QQmlSocketIoSocket *socket : std::as_const(m_sockets))
        disconnect(socket, nullptr, this, nullptr);
    m_sockets.clear();
    endResetModel();
    Q_EMIT countChanged();
}
