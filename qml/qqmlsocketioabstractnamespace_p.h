// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QQMLSOCKETIOABSTRACTNAMESPACE_P_H
#define QQMLSOCKETIOABSTRACTNAMESPACE_P_H

#include "qtsocketioqml_export.h"

#include "qqmlsocketiobroadcast_p.h"
#include "qqmlsocketiohandlertable_p.h"
#include "qqmlsocketiovalues_p.h"

#include <QtSocketIo/qsocketioack.h>
#include <QtSocketIo/qsocketionamespace.h>

#include <QtCore/qhash.h>
#include <QtCore/qobject.h>
#include <QtCore/qpointer.h>
#include <QtQml/qjsvalue.h>
#include <QtQml/qqml.h>
#include <QtQml/qqmlparserstatus.h>

class QJSEngine;
class QQmlSocketIoSocket;
class QQmlSocketIoSocketModel;
Q_MOC_INCLUDE("qqmlsocketiosocket_p.h")

// What SocketIoServer (for the main namespace "/") and SocketIoNamespace share: the connection signals,
// JavaScript event handlers and the broadcast methods of one core namespace.
class QTSOCKETIOQML_EXPORT QQmlSocketIoAbstractNamespace : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_INTERFACES(QQmlParserStatus)
    Q_PROPERTY(int socketCount READ socketCount NOTIFY socketCountChanged)
    Q_PROPERTY(QJSValue allowConnection READ allowConnection WRITE setAllowConnection NOTIFY allowConnectionChanged)
public:
    explicit QQmlSocketIoAbstractNamespace(QObject *parent = nullptr);
    ~QQmlSocketIoAbstractNamespace() override;

    QSocketIoNamespace *coreNamespace() const { return m_nsp; }
    int socketCount() const;
    // The namespace middleware in QML: function (auth, handshake) called for each socket joining, before
    // socketConnected. It returns true to let it in, or refuses: false ("not authorized"), a message string,
    // or {message, data}. A handler that throws or returns anything else refuses too, with a warning.
    QJSValue allowConnection() const { return m_allowConnection; }
    void setAllowConnection(const QJSValue &handler);

    // emitEvent(event, ...args): to every socket of the namespace, 0 to 6 arguments as every such method of
    // the module. ArrayBuffers go out as binary. Returns false when the event name is reserved.
    QQMLSOCKETIO_ARGS_METHODS(bool, emitEvent, (), (QJSValue(), QJSValue(),), emitList)
    // emitTo(rooms, event, ...args): to the sockets in any of the rooms (a room name or an array; a
    // socket id is a room too).
    QQMLSOCKETIO_ARGS_METHODS(bool, emitTo, (const QJSValue &rooms,), (rooms, QJSValue(),), emitList)
    // emitExcept(rooms, event, ...args): to every socket that is in none of the rooms.
    QQMLSOCKETIO_ARGS_METHODS(bool, emitExcept, (const QJSValue &rooms,), (QJSValue(), rooms,), emitList)
    // send(args): the "message" event to every socket; args is an array (or one value).
    Q_INVOKABLE bool send(const QJSValue &args);

    // emitWithAck(event, args, [timeoutMs,] function (err, responses) {}): to every socket, collecting each
    // one's answer (its first argument) in responses; err is an Error when timeoutMs passed first
    // (responses then holds what did arrive). timeoutMs < 0, or none: no timeout, as every emitWithAck of
    // the module (a socket that disconnects is no longer waited for).
    Q_INVOKABLE bool emitWithAck(const QString &event, const QJSValue &args, int timeoutMs, const QJSValue &callback);
    Q_INVOKABLE bool emitWithAck(const QString &event, const QJSValue &args, const QJSValue &callback) { return emitWithAck(event, args, -1, callback); }

    // The broadcast operator (SocketIoBroadcast) of this namespace, to chain the C++ vocabulary:
    // to("room").except("muted").timeout(1000).emitWithAck("q", [], (err, responses) => {}).
    Q_INVOKABLE QQmlSocketIoBroadcast *all() const;
    Q_INVOKABLE QQmlSocketIoBroadcast *to(const QJSValue &rooms) const;
    Q_INVOKABLE QQmlSocketIoBroadcast *in(const QJSValue &rooms) const { return to(rooms); }
    Q_INVOKABLE QQmlSocketIoBroadcast *except(const QJSValue &rooms) const;
    Q_INVOKABLE QQmlSocketIoBroadcast *local() const;
    Q_INVOKABLE QQmlSocketIoBroadcast *asVolatile() const;
    Q_INVOKABLE QQmlSocketIoBroadcast *compress(bool compress) const;
    Q_INVOKABLE QQmlSocketIoBroadcast *timeout(int milliseconds) const;
    // fetchSockets(function (sockets) {}): this node's SocketIoSocket objects of the namespace, next pass.
    Q_INVOKABLE void fetchSockets(const QJSValue &callback) const;
    // fetchRemoteSockets(function (sockets, error) {}): the sockets of every node of a cluster (SocketIoBroadcast).
    Q_INVOKABLE void fetchRemoteSockets(const QJSValue &callback) const;
    // serverSideEmit(event, args): to the other nodes of a cluster. serverSideEmitWithAck(event, args,
    // function (err, responses) {}): each other node's answer (its first argument); err is an Error when the
    // adapter's requestsTimeout passed first. args is an array (or one value).
    Q_INVOKABLE bool serverSideEmit(const QString &event, const QJSValue &args = QJSValue());
    Q_INVOKABLE bool serverSideEmitWithAck(const QString &event, const QJSValue &args, const QJSValue &callback);

    // on(event, function (socket, args, ack) {}): a handler for an event from any socket of the namespace;
    // ack is a function (ack(1, "x")) when the client asked for an acknowledgement, else undefined.
    // off(event) removes every handler of the event, off(event, handler) that one.
    Q_INVOKABLE void on(const QString &event, const QJSValue &handler);
    Q_INVOKABLE void off(const QString &event, const QJSValue &handler = QJSValue());

    // The socket of this namespace with that id, or null.
    Q_INVOKABLE QQmlSocketIoSocket *socket(const QString &id) const;
    Q_INVOKABLE void socketsJoin(const QJSValue &rooms);
    Q_INVOKABLE void socketsLeave(const QJSValue &rooms);
    Q_INVOKABLE void disconnectSockets(bool close = false);

    void classBegin() override { }
    void componentComplete() override;

Q_SIGNALS:
    // A socket joined the namespace (after its middlewares let it in).
    void socketConnected(QQmlSocketIoSocket *socket);
    // A socket left it; reason is Socket.IO's string ("client namespace disconnect", "transport close"...).
    void socketDisconnected(QQmlSocketIoSocket *socket, const QString &reason);
    void socketCountChanged();
    void allowConnectionChanged();
    // An event another node sent with serverSideEmit(); ack is a function when it asked for an answer
    // (serverSideEmitWithAck()), else undefined.
    void serverSideEvent(const QString &event, const QJSValue &args, const QJSValue &ack);

protected:
    // Starts following a core namespace (and the sockets it already has); null stops.
    void attach(QSocketIoNamespace *nsp);
    QJSEngine *jsEngine() const;
    void setJsEngine(QJSEngine *engine);
    bool isComplete() const { return m_complete; }
    // Where adopted sockets are listed too (SocketIoNamespace.sockets), if set.
    QQmlSocketIoSocketModel *m_ownModel = nullptr;

private:
    void adoptSocket(QSocketIoSocket *socket);
    void runAllowConnection(QSocketIoSocket *socket, const QSocketIoNext &next);
    void forwardServerSideEvent(const QString &event, const QVariantList &args, const QSocketIoAckCallback &ack);
    void dispatch(QQmlSocketIoSocket *socket, const QString &event, const QVariantList &args,
                  const QSocketIoAckCallback &ack);
    bool emitList(const QJSValue &to, const QJSValue &except, const QString &event, const QJSValueList &args);
    QQmlSocketIoBroadcast *wrap(const QSocketIoBroadcast &op) const;

    QPointer<QSocketIoNamespace> m_nsp;
    QList<QMetaObject::Connection> m_connections;
    QList<QPointer<QQmlSocketIoSocket>> m_adopted;  // connected to this object
    QPointer<QJSEngine> m_engine;
    QQmlSocketIoHandlerTable m_handlers;
    QJSValue m_allowConnection;
    QList<QPointer<QSocketIoNamespace>> m_middlewareInstalled;
    bool m_complete = false;
};

#endif
