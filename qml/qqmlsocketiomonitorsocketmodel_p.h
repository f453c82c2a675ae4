// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QQMLSOCKETIOMONITORSOCKETMODEL_P_H
#define QQMLSOCKETIOMONITORSOCKETMODEL_P_H

#include "qtsocketioqml_export.h"

#include <QtCore/qabstractitemmodel.h>
#include <QtCore/qdatetime.h>
#include <QtCore/qhash.h>
#include <QtCore/qlist.h>
#include <QtQml/qqml.h>

class QSocketIoSocket;

// SocketIoMonitorSocketModel: the sockets a SocketIoMonitor watches (every namespace of its server), in the
// order they connected, with their user name (data.name), rooms and event counts. It keeps a copy of what it
// shows, so a row never reads a socket that went away. Counts are published on the monitor's rate tick.
class QTSOCKETIOQML_EXPORT QQmlSocketIoMonitorSocketModel : public QAbstractListModel
{
    Q_OBJECT
    QML_NAMED_ELEMENT(SocketIoMonitorSocketModel)
    QML_UNCREATABLE("SocketIoMonitorSocketModel is the sockets property of SocketIoMonitor")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        SocketIdRole = Qt::UserRole + 1,
        NameRole,
        NamespaceNameRole,
        AddressRole,
        TransportRole,
        RoomsRole,
        ConnectedSinceRole,
        EventsInRole,
        EventsOutRole,
    };
    Q_ENUM(Role)

    explicit QQmlSocketIoMonitorSocketModel(QObject *parent = nullptr);

    int count() const { return int(m_rows.size()); }
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The user name of a socket (its data.name, at most 64 characters), or empty.
    static QString nameOf(const QSocketIoSocket *socket);

    void addSocket(QSocketIoSocket *socket);
    void removeSocket(QSocketIoSocket *socket);
    bool contains(QSocketIoSocket *socket) const { return m_info.contains(socket); }
    // Re-reads what the socket shows (name, transport, rooms).
    void refresh(QSocketIoSocket *socket);
    QString cachedName(QSocketIoSocket *socket) const { return m_info.value(socket).name; }
    QStringList cachedRooms(QSocketIoSocket *socket) const { return m_info.value(socket).rooms; }
    QString cachedId(QSocketIoSocket *socket) const { return m_info.value(socket).id; }
    QString cachedNamespace(QSocketIoSocket *socket) const { return m_info.value(socket).namespaceName; }
    void countIn(QSocketIoSocket *socket);
    void countOut(QSocketIoSocket *socket);
    // Publishes the counts that changed since the last call (one dataChanged).
    void publishCounts();
    void clear();

Q_SIGNALS:
    void countChanged();

private:
    struct Info
    {
        QString id;
        QString name;
        QString namespaceName;
        QString address;
        QString transport;
        QStringList rooms;      // without the socket's own room
        QDateTime since;
        quint64 in = 0;
        quint64 out = 0;
    };
    QList<QSocketIoSocket *> m_rows;            // keys only: never dereferenced after removal
    QHash<QSocketIoSocket *, Info> m_info;
    bool m_countsDirty = false;
};

#endif
