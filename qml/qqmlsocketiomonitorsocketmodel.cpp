// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qqmlsocketiomonitorsocketmodel_p.h"

#include <QtSocketIo/qsocketiohandshake.h>
#include <QtSocketIo/qsocketiosocket.h>

/*!
    \qmltype SocketIoMonitorSocketModel
    \inqmlmodule QtSocketIo
    \brief The sockets a SocketIoMonitor watches, as a list model.

    The \c sockets property of SocketIoMonitor: every socket of every namespace of the monitor's server, in the
    order they connected. Roles: \c socketId, \c name (the socket's \c data.name, at most 64 characters, or
    empty), \c namespaceName, \c address, \c transport, \c rooms (without the socket's own room),
    \c connectedSince, \c eventsIn and \c eventsOut (the events it sent and received, updated on the monitor's
    rate tick).

    \c name and \c rooms come from clients: show them as plain text (\c{textFormat: Text.PlainText}).
*/

QQmlSocketIoMonitorSocketModel::QQmlSocketIoMonitorSocketModel(QObject *parent) : QAbstractListModel(parent) { }

int QQmlSocketIoMonitorSocketModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant QQmlSocketIoMonitorSocketModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Info &info = m_info[m_rows.at(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return info.name.isEmpty() ? info.id : info.name;
    case SocketIdRole:
        return info.id;
    case NameRole:
        return info.name;
    case NamespaceNameRole:
        return info.namespaceName;
    case AddressRole:
        return info.address;
    case TransportRole:
        return info.transport;
    case RoomsRole:
        return info.rooms;
    case ConnectedSinceRole:
        return info.since;
    case EventsInRole:
        return double(info.in);
    case EventsOutRole:
        return double(info.out);
    default:
        return QVariant();
    }
}

QHash<int, QByteArray> QQmlSocketIoMonitorSocketModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"},
        {SocketIdRole, "socketId"},
        {NameRole, "name"},
        {NamespaceNameRole, "namespaceName"},
        {AddressRole, "address"},
        {TransportRole, "transport"},
        {RoomsRole, "rooms"},
        {ConnectedSinceRole, "connectedSince"},
        {EventsInRole, "eventsIn"},
        {EventsOutRole, "eventsOut"},
    };
}

QString QQmlSocketIoMonitorSocketModel::nameOf(const QSocketIoSocket *socket)
{
    const QVariant name = socket->data().value(QStringLiteral("name"));
    return name.typeId() == QMetaType::QString ? name.toString().left(64) : QString();
}

void QQmlSocketIoMonitorSocketModel::addSocket(QSocketIoSocket *socket)
{
    if (!socket || m_info.contains(socket))
        return;
    Info info;
    info.id = socket->id();
    info.name = nameOf(socket);
    info.namespaceName = socket->namespaceName();
    info.address = socket->handshake().address();
    info.transport = socket->transport();
    info.rooms = socket->rooms();
    info.rooms.removeAll(info.id);
    info.since = QDateTime::currentDateTime();
    const int row = int(m_rows.size());
    beginInsertRows(QModelIndex(), row, row);
    m_rows.append(socket);
    m_info.insert(socket, std::move(info));
    endInsertRows();
    Q_EMIT countChanged();
}

void QQmlSocketIoMonitorSocketModel::removeSocket(QSocketIoSocket *socket)
{
    const int row = int(m_rows.indexOf(socket));
    if (row < 0)
        return;
    beginRemoveRows(QModelIndex(), row, row);
    m_rows.removeAt(row);
    m_info.remove(socket);
    endRemoveRows();
    Q_EMIT countChanged();
}

void QQmlSocketIoMonitorSocketModel::refresh(QSocketIoSocket *socket)
{
    const int row = int(m_rows.indexOf(socket));
    if (row < 0)
        return;
    Info &info = m_info[socket];
    info.name = nameOf(socket);
    info.transport = socket->transport();
    info.rooms = socket->rooms();
    info.rooms.removeAll(info.id);
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i, {Qt::DisplayRole, NameRole, TransportRole, RoomsRole});
}

void QQmlSocketIoMonitorSocketModel::countIn(QSocketIoSocket *socket)
{
    auto it = m_info.find(socket);
    if (it != m_info.end()) {
        ++it->in;
        m_countsDirty = true;
    }
}

void QQmlSocketIoMonitorSocketModel::countOut(QSocketIoSocket *socket)
{
    auto it = m_info.find(socket);
    if (it != m_info.end()) {
        ++it->out;
        m_countsDirty = true;
    }
}

void QQmlSocketIoMonitorSocketModel::publishCounts()
{
    if (!m_countsDirty || m_rows.isEmpty())
        return;
    m_countsDirty = false;
    Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), {EventsInRole, EventsOutRole});
}

void QQmlSocketIoMonitorSocketModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    m_info.clear();
    endResetModel();
    Q_EMIT countChanged();
}
