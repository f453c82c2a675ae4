// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qqmlsocketionamespace_p.h"
#include "qqmlsocketioserver_p.h"
#include "qqmlsocketiosocketmodel_p.h"

#include <QtSocketIo/qsocketioserver.h>

#include <QtQml/qjsengine.h>

/*!
    \qmltype SocketIoNamespace
    \inqmlmodule QtSocketIo
    \brief A Socket.IO namespace of a SocketIoServer.

    \qml
    SocketIoNamespace {
        server: srv          // not needed when declared inside the SocketIoServer
        name: "/chat"
        onSocketConnected: (socket) => socket.join("lobby")
        Component.onCompleted: on("chat", (socket, args, ack) => { emitTo("lobby", "chat", args[0]); ack?.(true) })
    }
    \endqml

    Has the same signals (\c socketConnected, \c socketDisconnected) and methods (\c emitEvent, \c emitTo,
    \c emitExcept, \c emitWithAck, \c on, \c off, \c socket, \c socketsJoin, \c socketsLeave,
    \c disconnectSockets) as SocketIoServer, for its own sockets, and a \c sockets model of them.
*/

QQmlSocketIoNamespace::QQmlSocketIoNamespace(QObject *parent)
    : QQmlSocketIoAbstractNamespace(parent), m_model(new QQmlSocketIoSocketModel(this))
{
    m_ownModel = m_model;
}

QQmlSocketIoNamespace::~QQmlSocketIoNamespace() = default;

QQmlSocketIoNamespace *QQmlSocketIoNamespace::create(QQmlSocketIoServer *server, QSocketIoNamespace *nsp,
                                                     const QString &name, QJSEngine *engine)
{
    auto *object = new QQmlSocketIoNamespace(server);
    QJSEngine::setObjectOwnership(object, QJSEngine::CppOwnership);
    object->setJsEngine(engine);
    object->m_server = server;
    object->m_name = name;
    object->m_fixed = nsp;
    object->QQmlSocketIoAbstractNamespace::componentComplete();
    object->update();
    return object;
}

void QQmlSocketIoNamespace::setServer(QQmlSocketIoServer *server)
{
    if (m_server == server || m_fixed)
        return;
    m_server = server;
    update();
    Q_EMIT serverChanged();
}

void QQmlSocketIoNamespace::setName(const QString &name)
{
    if (m_name == name || m_fixed)
        return;
    m_name = name;
    update();
    Q_EMIT nameChanged();
}

void QQmlSocketIoNamespace::componentComplete()
{
    QQmlSocketIoAbstractNamespace::componentComplete();
    if (!m_server) {
        // Declared inside a SocketIoServer: that one.
        if (auto *parentServer = qobject_cast<QQmlSocketIoServer *>(parent())) {
            m_server = parentServer;
            Q_EMIT serverChanged();
        }
    }
    update();
}

void QQmlSocketIoNamespace::update()
{
    if (!isComplete())
        return;
    QSocketIoNamespace *nsp = nullptr;
    if (m_server && m_server->coreServer()) {
        if (m_fixed) {
            nsp = m_fixed;
        } else {
            QString name = m_name.isEmpty() ? QStringLiteral("/") : m_name;
            if (!name.startsWith(u'/'))
                name.prepend(u'/');
            nsp = m_server->coreServer()->of(name);
        }
        // The server's model lists this namespace's sockets before socketConnected fires here.
        m_server->trackNamespace(nsp);
    }
    attach(nsp);
}
