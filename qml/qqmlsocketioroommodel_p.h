// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QQMLSOCKETIOROOMMODEL_P_H
#define QQMLSOCKETIOROOMMODEL_P_H

#include "qtsocketioqml_export.h"

#include <QtCore/qabstractitemmodel.h>
#include <QtCore/qlist.h>
#include <QtQml/qqml.h>

// SocketIoRoomModel: the rooms of the sockets a SocketIoMonitor watches, per namespace, in the order they
// were created, with their members (socket ids). A socket's own room (its id) is left out. A room is a row
// while it has a member, as in the adapters.
class QTSOCKETIOQML_EXPORT QQmlSocketIoRoomModel : public QAbstractListModel
{
    Q_OBJECT
    QML_NAMED_ELEMENT(SocketIoRoomModel)
    QML_UNCREATABLE("SocketIoRoomModel is the rooms property of SocketIoMonitor")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        NamespaceNameRole,
        MembersRole,
        MemberCountRole,
    };
    Q_ENUM(Role)

    explicit QQmlSocketIoRoomModel(QObject *parent = nullptr);

    int count() const { return int(m_rooms.size()); }
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // What join() and leave() did.
    enum class Change { None, Member, Room };
    // Adds socketId to the room (the row appears with its first member): None when it was in it already,
    // Member when it joined, Room when the room is new.
    Change join(const QString &nsp, const QString &room, const QString &socketId);
    // Removes socketId from the room (the row goes with its last member): None when it was not in it, Member
    // when it left, Room when the room is gone.
    Change leave(const QString &nsp, const QString &room, const QString &socketId);
    // The number of rooms of a namespace.
    int roomCount(const QString &nsp) const;
    void clear();

Q_SIGNALS:
    void countChanged();

private:
    struct Room
    {
        QString nsp;
        QString name;
        QStringList members;
    };
    int find(const QString &nsp, const QString &room) const;

    QList<Room> m_rooms;
};

#endif
