// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QQMLSOCKETIONAMESPACE_P_H
#define QQMLSOCKETIONAMESPACE_P_H

#include "qtsocketioqml_export.h"

#include "qqmlsocketioabstractnamespace_p.h"

#include <QtCore/qpointer.h>
#include <QtCore/qstring.h>
#include <QtQml/qqml.h>

class QJSEngine;
class QQmlSocketIoServer;
class QQmlSocketIoSocketModel;
Q_MOC_INCLUDE("qqmlsocketioserver_p.h")
Q_MOC_INCLUDE("qqmlsocketiosocketmodel_p.h")

// SocketIoNamespace { server: srv; name: "/chat" }: a namespace of a SocketIoServer, declared in QML (or
// returned by SocketIoServer.of()). Declared inside a SocketIoServer it finds its server by itself.
class QTSOCKETIOQML_EXPORT QQmlSocketIoNamespace : public QQmlSocketIoAbstractNamespace
{
    Q_OBJECT
    QML_NAMED_ELEMENT(SocketIoNamespace)
    Q_PROPERTY(QQmlSocketIoServer *server READ server WRITE setServer NOTIFY serverChanged)
    Q_PROPERTY(QString name READ name WRITE setName NOTIFY nameChanged)
    Q_PROPERTY(QQmlSocketIoSocketModel *sockets READ sockets CONSTANT)
public:
    explicit QQmlSocketIoNamespace(QObject *parent = nullptr);
    ~QQmlSocketIoNamespace() override;

    QQmlSocketIoServer *server() const { return m_server; }
    void setServer(QQmlSocketIoServer *server);
    QString name() const { return m_name; }
    void setName(const QString &name);
    QQmlSocketIoSocketModel *sockets() const { return m_model; }

    void componentComplete() override;

    // For SocketIoServer.of(): a namespace object bound to a core namespace right away.
    static QQmlSocketIoNamespace *create(QQmlSocketIoServer *server, QSocketIoNamespace *nsp, const QString &name,
                                         QJSEngine *engine);

Q_SIGNALS:
    void serverChanged();
    void nameChanged();

private:
    void update();

    QPointer<QQmlSocketIoServer> m_server;
    QString m_name = QStringLiteral("/");
    QQmlSocketIoSocketModel *m_model;
    QSocketIoNamespace *m_fixed = nullptr;  // of(pattern): bound once, not by name
};

#endif
