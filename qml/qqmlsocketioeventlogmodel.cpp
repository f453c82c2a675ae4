// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qqmlsocketioeventlogmodel_p.h"

/*!
    \qmltype SocketIoEventLogModel
    \inqmlmodule QtSocketIo
    \brief The live event log of a SocketIoMonitor, as a bounded list model.

    The \c events property of SocketIoMonitor: one row per thing that happened, newest last. Roles:
    \c time, \c kind (\c{"in"}, \c{"out"}, \c{"connect"}, \c{"disconnect"}, \c{"join"}, \c{"leave"} or
    \c{"upgrade"}), \c namespaceName, \c socketId, \c name (the socket's \c data.name when it had one),
    \c event and \c detail (a summary of the arguments, at most 160 characters, or the reason, room or
    transport). It holds at most maxCount rows; entries arrive in batches (at most 100 ms late).

    Everything but \c time and \c kind comes from clients: show it as plain text
    (\c{textFormat: Text.PlainText}).
*/

QQmlSocketIoEventLogModel::QQmlSocketIoEventLogModel(QObject *parent) : QAbstractListModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(100);
    connect(&m_flushTimer, &QTimer::timeout, this, &QQmlSocketIoEventLogModel::flush);
}

void QQmlSocketIoEventLogModel::setMaxCount(int count)
{
    count = qBound(1, count, 100000);
    if (count == m_maxCount)
        return;
    m_maxCount = count;
    while (m_pending.size() > m_maxCount)
        m_pending.removeFirst();
    trim(m_maxCount);
    Q_EMIT maxCountChanged();
}

int QQmlSocketIoEventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant QQmlSocketIoEventLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Entry &e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return QString(e.kind + u' ' + e.event);
    case TimeRole:
        return e.time;
    case KindRole:
        return e.kind;
    case NamespaceNameRole:
        return e.namespaceName;
    case SocketIdRole:
        return e.socketId;
    case NameRole:
        return e.name;
    case EventRole:
        return e.event;
    case DetailRole:
        return e.detail;
    default:
        return QVariant();
    }
}

QHash<int, QByteArray> QQmlSocketIoEventLogModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"},
        {TimeRole, "time"},
        {KindRole, "kind"},
        {NamespaceNameRole, "namespaceName"},
        {SocketIdRole, "socketId"},
        {NameRole, "name"},
        {EventRole, "event"},
        {DetailRole, "detail"},
    };
}

void QQmlSocketIoEventLogModel::clear()
{
    m_pending.clear();
    m_flushTimer.stop();
    if (m_entries.isEmpty())
        return;
    beginResetModel();
    m_entries.clear();
    endResetModel();
    Q_EMIT countChanged();
}

void QQmlSocketIoEventLogModel::append(Entry entry)
{
    if (m_pending.size() >= m_maxCount)
        m_pending.removeFirst();  // bounded: a burst beyond maxCount keeps its newest entries only
    m_pending.append(std::move(entry));
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void QQmlSocketIoEventLogModel::flush()
{
    m_flushTimer.stop();
    if (m_pending.isEmpty())
        return;
    // Room for the new rows first (the oldest go), then one insertion.
    trim(m_maxCount - int(m_pending.size()));
    const int first = int(m_entries.size());
    beginInsertRows(QModelIndex(), first, first + int(m_pending.size()) - 1);
    m_entries.append(std::move(m_pending));
    m_pending = QList<Entry>();
    endInsertRows();
    Q_EMIT countChanged();
}

void QQmlSocketIoEventLogModel::trim(int max)
{
    max = qMax(0, max);
    if (m_entries.size() <= max)
        return;
    const int excess = int(m_entries.size()) - max;
    beginRemoveRows(QModelIndex(), 0, excess - 1);
    m_entries.remove(0, excess);
    endRemoveRows();
    Q_EMIT countChanged();
}
