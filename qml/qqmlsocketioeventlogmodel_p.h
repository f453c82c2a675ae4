// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QQMLSOCKETIOEVENTLOGMODEL_P_H
#define QQMLSOCKETIOEVENTLOGMODEL_P_H

#include "qtsocketioqml_export.h"

#include <QtCore/qabstractitemmodel.h>
#include <QtCore/qdatetime.h>
#include <QtCore/qlist.h>
#include <QtCore/qtimer.h>
#include <QtQml/qqml.h>

// SocketIoEventLogModel: what happened on the sockets a SocketIoMonitor watches (events in and out,
// connections, rooms, upgrades), newest last. A ring buffer: at most maxCount rows, the oldest go first.
// Entries are queued and inserted in batches (every 100 ms at most) so that a burst of events costs one
// insertion; the queue is bounded by maxCount too.
class QTSOCKETIOQML_EXPORT QQmlSocketIoEventLogModel : public QAbstractListModel
{
    Q_OBJECT
    QML_NAMED_ELEMENT(SocketIoEventLogModel)
    QML_UNCREATABLE("SocketIoEventLogModel is the events property of SocketIoMonitor")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int maxCount READ maxCount WRITE setMaxCount NOTIFY maxCountChanged)
public:
    enum Role {
        TimeRole = Qt::UserRole + 1,
        KindRole,
        NamespaceNameRole,
        SocketIdRole,
        NameRole,
        EventRole,
        DetailRole,
    };
    Q_ENUM(Role)

    struct Entry
    {
        QDateTime time;
        QString kind;           // "in", "out", "connect", "disconnect", "join", "leave", "upgrade"
        QString namespaceName;
        QString socketId;
        QString name;           // the socket's data.name when it had one, else empty
        QString event;
        QString detail;         // a bounded summary of the arguments, or the reason, room or transport
    };

    explicit QQmlSocketIoEventLogModel(QObject *parent = nullptr);

    int count() const { return int(m_entries.size()); }
    int maxCount() const { return m_maxCount; }
    void setMaxCount(int count);
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Removes every row (and what is queued).
    Q_INVOKABLE void clear();

    // Queues an entry; it becomes a row at the next flush.
    void append(Entry entry);
    // Inserts what is queued now (the monitor also calls it before its rate tick).
    void flush();

Q_SIGNALS:
    void countChanged();
    void maxCountChanged();

private:
    void trim(int max);

    QList<Entry> m_entries;
    QList<Entry> m_pending;
    QTimer m_flushTimer;
    int m_maxCount = 500;
};

#endif
