// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QQMLSOCKETIONAMESPACEMODEL_P_H
#define QQMLSOCKETIONAMESPACEMODEL_P_H

#include "qtsocketioqml_export.h"

#include <QtCore/qabstractitemmodel.h>
#include <QtCore/qlist.h>
#include <QtQml/qqml.h>

// SocketIoNamespaceModel: the namespaces of a SocketIoMonitor's server (dynamic children included, while
// they exist), with their socket and room counts.
class QTSOCKETIOQML_EXPORT QQmlSocketIoNamespaceModel : public QAbstractListModel
{
    Q_OBJECT
    QML_NAMED_ELEMENT(SocketIoNamespaceModel)
    QML_UNCREATABLE("SocketIoNamespaceModel is the namespaces property of SocketIoMonitor")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        SocketCountRole,
        RoomCountRole,
    };
    Q_ENUM(Role)

    explicit QQmlSocketIoNamespaceModel(QObject *parent = nullptr);

    int count() const { return int(m_rows.size()); }
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void addNamespace(const QString &name, int sockets);
    void removeNamespace(const QString &name);
    void setSocketCount(const QString &name, int sockets);
    void setRoomCount(const QString &name, int rooms);
    void clear();

Q_SIGNALS:
    void countChanged();

private:
    struct Row
    {
        QString name;
        int sockets = 0;
        int rooms = 0;
    };
    int find(const QString &name) const;

    QList<Row> m_rows;
};

#endif
