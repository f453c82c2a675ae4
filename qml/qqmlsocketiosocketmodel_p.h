// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QQMLSOCKETIOSOCKETMODEL_P_H
#define QQMLSOCKETIOSOCKETMODEL_P_H

#include "qtsocketioqml_export.h"

#include <QtCore/qabstractitemmodel.h>
#include <QtQml/qqml.h>

class QQmlSocketIoSocket;
Q_MOC_INCLUDE("qqmlsocketiosocket_p.h")

// The connected sockets as a list model, in the order they connected, for a ListView. Rows appear when a
// socket connects and go when it disconnects; rooms and transport update in place. Roles: socket (the
// SocketIoSocket), id and socketId (the same: `id` is reserved in QML, so read it as model.id or use
// socketId for a required property), address, transport, rooms, connectedSince, namespaceName.
class QTSOCKETIOQML_EXPORT QQmlSocketIoSocketModel : public QAbstractListModel
{
    Q_OBJECT
    QML_NAMED_ELEMENT(SocketIoSocketModel)
    QML_UNCREATABLE("SocketIoSocketModel is the sockets property of SocketIoServer and SocketIoNamespace")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        SocketRole = Qt::UserRole + 1,
        IdRole,
        SocketIdRole,
        AddressRole,
        TransportRole,
        RoomsRole,
        ConnectedSinceRole,
        NamespaceNameRole,
    };
    Q_ENUM(Role)

    explicit QQmlSocketIoSocketModel(QObject *parent = nullptr);

    int count() const { return int(m_sockets.size()); }
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The socket in that row (null when out of range).
    Q_INVOKABLE QQmlSocketIoSocket *get(int row) const;
    // The row of the socket with that id (its first namespace when several match), or -1.
    Q_INVOKABLE int indexOf(const QString &id) const;

    // Adds a socket (once) and removes it again when it disconnects or goes away.
    void addSocket(QQmlSocketIoSocket *socket);
    void clear();

Q_SIGNALS:
    void countChanged();

private:
    void removeSocket(QQmlSocketIoSocket *socket);
    void socketChanged(QQmlSocketIoSocket *socket, const QList<int> &roles);

    QList<QQmlSocketIoSocket *> m_sockets;
};

#endif
