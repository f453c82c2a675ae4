// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qqmlsocketioroommodel_p.h"

/*!
    \qmltype SocketIoRoomModel
    \inqmlmodule QtSocketIo
    \brief The rooms a SocketIoMonitor sees, as a list model.

    The \c rooms property of SocketIoMonitor: one row per room of a namespace that has at least one socket of
    this node in it, in the order the rooms were created. A socket's own room (its id) is left out. Roles:
    \c name, \c namespaceName, \c members (the socket ids in it) and \c memberCount.

    Room names come from the server's code, often from clients: show them as plain text
    (\c{textFormat: Text.PlainText}).
*/

QQmlSocketIoRoomModel::QQmlSocketIoRoomModel(QObject *parent) : QAbstractListModel(parent) { }

int QQmlSocketIoRoomModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rooms.size());
}

QVariant QQmlSocketIoRoomModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Room &room = m_rooms.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return room.name;
    case NamespaceNameRole:
        return room.nsp;
    case MembersRole:
        return room.members;
    case MemberCountRole:
        return int(room.members.size());
    default:
        return QVariant();
    }
}

QHash<int, QByteArray> QQmlSocketIoRoomModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"},
        {NameRole, "name"},
        {NamespaceNameRole, "namespaceName"},
        {MembersRole, "members"},
        {MemberCountRole, "memberCount"},
    };
}

int QQmlSocketIoRoomModel::find(const QString &nsp, const QString &room) const
{
    for (int i = 0; i < m_rooms.size(); ++i) {
        if (m_rooms.at(i).name == room && m_rooms.at(i).nsp == nsp)
            return i;
    }
    return -1;
}

QQmlSocketIoRoomModel::Change QQmlSocketIoRoomModel::join(const QString &nsp, const QString &room,
                                                           const QString &socketId)
{
    const int row = find(nsp, room);
    if (row >= 0) {
        if (m_rooms.at(row).members.contains(socketId))
            return Change::None;
        m_rooms[row].members.append(socketId);
        const QModelIndex i = index(row);
        Q_EMIT dataChanged(i, i, {MembersRole, MemberCountRole});
        return Change::Member;
    }
    const int last = int(m_rooms.size());
    beginInsertRows(QModelIndex(), last, last);
    m_rooms.append({nsp, room, {socketId}});
    endInsertRows();
    Q_EMIT countChanged();
    return Change::Room;
}

QQmlSocketIoRoomModel::Change QQmlSocketIoRoomModel::leave(const QString &nsp, const QString &room,
                                                            const QString &socketId)
{
    const int row = find(nsp, room);
    if (row < 0 || !m_rooms.at(row).members.contains(socketId))
        return Change::None;
    if (m_rooms.at(row).members.size() > 1) {
        m_rooms[row].members.removeAll(socketId);
        const QModelIndex i = index(row);
        Q_EMIT dataChanged(i, i, {MembersRole, MemberCountRole});
        return Change::Member;
    }
    beginRemoveRows(QModelIndex(), row, row);
    m_rooms.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
    return Change::Room;
}

int QQmlSocketIoRoomModel::roomCount(const QString &nsp) const
{
    int n = 0;
    for (const Room &room : m_rooms)
        n += room.nsp == nsp ? 1 : 0;
    return n;
}

void QQmlSocketIoRoomModel::clear()
{
    if (m_rooms.isEmpty())
        return;
    beginResetModel();
    m_rooms.clear();
    endResetModel();
    Q_EMIT countChanged();
}
