// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QQMLSOCKETIOSOCKET_P_H
#define QQMLSOCKETIOSOCKET_P_H

#include "qtsocketioqml_export.h"

#include "qqmlsocketiobroadcast_p.h"
#include "qqmlsocketiohandlertable_p.h"
#include "qqmlsocketiovalues_p.h"

#include <QtSocketIo/qsocketiosocket.h>

#include <QtCore/qdatetime.h>
#include <QtCore/qhash.h>
#include <QtCore/qobject.h>
#include <QtCore/qpointer.h>
#include <QtQml/qjsvalue.h>
#include <QtQml/qqml.h>

class QJSEngine;

// One client in one namespace, as QML sees it. Created by the module for each QSocketIoSocket (one wrapper
// per socket, shared by every SocketIoServer/SocketIoNamespace object), owned by that socket: it goes away
// shortly after disconnected() (QML references then read null).
class QTSOCKETIOQML_EXPORT QQmlSocketIoSocket : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(SocketIoSocket)
    QML_UNCREATABLE("SocketIoSocket objects come from SocketIoServer and SocketIoNamespace")
    Q_PROPERTY(QString id READ id CONSTANT)
    Q_PROPERTY(QString namespaceName READ namespaceName CONSTANT)
    Q_PROPERTY(QString address READ address CONSTANT)
    Q_PROPERTY(QJSValue handshake READ handshake CONSTANT)
    Q_PROPERTY(QDateTime connectedSince READ connectedSince CONSTANT)
    Q_PROPERTY(QStringList rooms READ rooms NOTIFY roomsChanged)
    Q_PROPERTY(QJSValue data READ data WRITE setData NOTIFY dataChanged)
    Q_PROPERTY(bool connected READ isConnected NOTIFY connectedChanged)
    Q_PROPERTY(QString transport READ transport NOTIFY transportChanged)
    Q_PROPERTY(bool recovered READ isRecovered CONSTANT)
public:
    // The wrapper of socket, created on first use.
    static QQmlSocketIoSocket *from(QSocketIoSocket *socket, QJSEngine *engine);
    ~QQmlSocketIoSocket() override;

    QSocketIoSocket *socket() const { return m_socket; }
    QString id() const { return m_id; }
    QString namespaceName() const { return m_namespaceName; }
    QString address() const { return m_address; }
    QJSValue handshake() const;
    QDateTime connectedSince() const { return m_connectedSince; }
    QStringList rooms() const;
    QJSValue data() const;
    void setData(const QJSValue &data);
    bool isConnected() const;
    QString transport() const;
    bool isRecovered() const;

    Q_INVOKABLE void setDataValue(const QString &key, const QJSValue &value);
    // A room name or an array of room names.
    Q_INVOKABLE void join(const QJSValue &rooms);
    Q_INVOKABLE void leave(const QJSValue &rooms);
    Q_INVOKABLE void leaveAll();
    Q_INVOKABLE bool isInRoom(const QString &room) const;
    // Disconnects from this namespace; with close, closes the client's whole connection.
    Q_INVOKABLE void disconnectSocket(bool close = false);

    // emitEvent(event, arg1, arg2, ...): sends an event to this client (0 to 6 arguments, as every such method
    // of the module). ArrayBuffers go out as binary. Returns false when the name is reserved or the socket is
    // disconnected.
    QQMLSOCKETIO_ARGS_METHODS(bool, emitEvent, (), (), emitList)

    // emitWithAck(event, args, [timeoutMs,] function (err, ...answer) {}): args is an array (or one value);
    // the callback gets err === null and the client's answer, or an Error "operation has timed out".
    // timeoutMs < 0, or none: no timeout (it waits until the client answers or disconnects), as every
    // emitWithAck of the module.
    Q_INVOKABLE bool emitWithAck(const QString &event, const QJSValue &args, int timeoutMs, const QJSValue &callback);
    Q_INVOKABLE bool emitWithAck(const QString &event, const QJSValue &args, const QJSValue &callback) { return emitWithAck(event, args, -1, callback); }

    // broadcast(event, ...args): to every other socket of the namespace.
    QQMLSOCKETIO_ARGS_METHODS(bool, broadcast, (), (QJSValue(),), broadcastList)
    // broadcastTo(rooms, event, ...args): to the sockets in those rooms, except this one.
    QQMLSOCKETIO_ARGS_METHODS(bool, broadcastTo, (const QJSValue &rooms,), (rooms,), broadcastList)

    // The broadcast operator (SocketIoBroadcast), as on Node's Socket: to(), in(), except(), broadcast() and
    // local() select the other sockets; asVolatile(), timeout() and compress() flag what goes to this socket
    // (socket.timeout(100).emitWithAck("q", [], (err, answer) => {})).
    Q_INVOKABLE QQmlSocketIoBroadcast *to(const QJSValue &rooms) const;
    Q_INVOKABLE QQmlSocketIoBroadcast *in(const QJSValue &rooms) const { return to(rooms); }
    Q_INVOKABLE QQmlSocketIoBroadcast *except(const QJSValue &rooms) const;
    Q_INVOKABLE QQmlSocketIoBroadcast *broadcast() const;
    Q_INVOKABLE QQmlSocketIoBroadcast *local() const;
    Q_INVOKABLE QQmlSocketIoBroadcast *asVolatile() const;
    Q_INVOKABLE QQmlSocketIoBroadcast *timeout(int milliseconds) const;
    Q_INVOKABLE QQmlSocketIoBroadcast *compress(bool compress) const;

    // on(event, function (args, ack) {}): a handler for this socket's incoming events; ack is a function
    // when the client asked for an acknowledgement, else undefined. off(event) removes every handler of
    // that event, off(event, handler) one.
    Q_INVOKABLE void on(const QString &event, const QJSValue &handler);
    Q_INVOKABLE void off(const QString &event, const QJSValue &handler = QJSValue());
    // once(event, function (args, ack) {}): a handler for the next such event only. off() removes it too.
    Q_INVOKABLE void once(const QString &event, const QJSValue &handler);

Q_SIGNALS:
    // Every incoming event (after the core's packet middlewares); args is an array.
    void eventReceived(const QString &event, const QJSValue &args);
    void disconnected(const QString &reason);
    void roomsChanged();
    void dataChanged();
    void connectedChanged();
    void transportChanged();

private:
    QQmlSocketIoSocket(QSocketIoSocket *socket, QJSEngine *engine);
    bool emitList(const QString &event, const QJSValueList &args);
    bool broadcastList(const QJSValue &rooms, const QString &event, const QJSValueList &args);
    QQmlSocketIoBroadcast *wrap(const QSocketIoBroadcast &op) const;
    void handleEvent(const QString &event, const QVariantList &args, const QSocketIoAckCallback &ack);

    QPointer<QSocketIoSocket> m_socket;
    QPointer<QJSEngine> m_engine;
    QString m_id;
    QString m_namespaceName;
    QString m_address;
    QDateTime m_connectedSince;
    QQmlSocketIoHandlerTable m_handlers;
    QQmlSocketIoHandlerTable m_onceHandlers;
};

#endif
