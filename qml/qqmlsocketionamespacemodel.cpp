// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qqmlsocketionamespacemodel_p.h"

/*!
    \qmltype SocketIoNamespaceModel
    \inqmlmodule QtSocketIo
    \brief The namespaces a SocketIoMonitor sees, as a list model.

    The \c namespaces property of SocketIoMonitor: the namespaces of the monitor's server, dynamic children
    included while they exist. Roles: \c name, \c socketCount (this node's sockets) and \c roomCount (the rooms
    those sockets are in, their own rooms left out).
*/

QQmlSocketIoNamespaceModel::QQmlSocketIoNamespaceModel(QObject *parent) : QAbstractListModel(parent) { }

int QQmlSocketIoNamespaceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant QQmlSocketIoNamespaceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return row.name;
    case SocketCountRole:
        return row.sockets;
    case RoomCountRole:
        return row.rooms;
    default:
        return QVariant();
    }
}

QHash<int, QByteArray> QQmlSocketIoNamespaceModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"},
        {NameRole, "name"},
        {SocketCountRole, "socketCount"},
        {RoomCountRole, "roomCount"},
    };
}

int QQmlSocketIoNamespaceModel::find(const QString &name) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).name == name)
            return i;
    }
    return -1;
}

void QQmlSocketIoNamespaceModel::addNamespace(const QString &name, int sockets)
{
    if (find(name) >= 0)
        return;
    const int row = int(m_rows.size());
    beginInsertRows(QModelIndex(), row, row);
    m_rows.append({name, sockets, 0});
    endInsertRows();
    Q_EMIT countChanged();
}

void QQmlSocketIoNamespaceModel::removeNamespace(const QString &name)
{
    const int row = find(name);
    if (row < 0)
        return;
    beginRemoveRows(QModelIndex(), row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
}

void QQmlSocketIoNamespaceModel::setSocketCount(const QString &name, int sockets)
{
    const int row = find(name);
    if (row < 0 || m_rows.at(row).sockets == sockets)
        return;
    m_rows[row].sockets = sockets;
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i, {SocketCountRole});
}

void QQmlSocketIoNamespaceModel::setRoomCount(const QString &name, int rooms)
{
    const int row = find(name);
    if (row < 0 || m_rows.at(row).rooms == rooms)
        return;
    m_rows[row].rooms = rooms;
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i, {RoomCountRole});
}

void QQmlSocketIoNamespaceModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
    Q_EMIT countChanged();
}
