// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QQMLSOCKETIOBROADCAST_P_H
#define QQMLSOCKETIOBROADCAST_P_H

#include "qtsocketioqml_export.h"

#include "qqmlsocketiovalues_p.h"

#include <QtSocketIo/qsocketioack.h>
#include <QtSocketIo/qsocketiobroadcast.h>

#include <QtCore/qobject.h>
#include <QtCore/qpointer.h>
#include <QtQml/qjsvalue.h>
#include <QtQml/qqml.h>

class QJSEngine;

// The broadcast operator in QML: a thin wrapper of one QSocketIoBroadcast, returned by to(), in(), except(),
// local(), asVolatile(), compress() and timeout() of SocketIoServer, SocketIoNamespace and SocketIoSocket
// (and by its own modifiers), so that QML chains the C++ vocabulary:
//     server.to("room").except("muted").timeout(2000).emitWithAck("question", [1], (err, responses) => {})
// Owned by JavaScript.
class QTSOCKETIOQML_EXPORT QQmlSocketIoBroadcast : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(SocketIoBroadcast)
    QML_UNCREATABLE("SocketIoBroadcast objects come from to(), except(), timeout()... of SocketIoServer, "
                    "SocketIoNamespace and SocketIoSocket")
public:
    // owner: the SocketIoServer, SocketIoNamespace or SocketIoSocket it comes from; the callbacks run while
    // it lives (the wrapper itself may be collected before an acknowledgement arrives).
    static QQmlSocketIoBroadcast *create(const QSocketIoBroadcast &op, QJSEngine *engine, QObject *owner);
    ~QQmlSocketIoBroadcast() override;

    // A room name or an array of room names.
    Q_INVOKABLE QQmlSocketIoBroadcast *to(const QJSValue &rooms) const;
    Q_INVOKABLE QQmlSocketIoBroadcast *in(const QJSValue &rooms) const { return to(rooms); }
    Q_INVOKABLE QQmlSocketIoBroadcast *except(const QJSValue &rooms) const;
    Q_INVOKABLE QQmlSocketIoBroadcast *local() const;
    Q_INVOKABLE QQmlSocketIoBroadcast *asVolatile() const;
    Q_INVOKABLE QQmlSocketIoBroadcast *compress(bool compress) const;
    // For emitWithAck (ms); default: no timeout (see QSocketIoBroadcast).
    Q_INVOKABLE QQmlSocketIoBroadcast *timeout(int milliseconds) const;

    // emitEvent(event, ...args): 0 to 6 arguments, as every such method of the module.
    QQMLSOCKETIO_ARGS_METHODS(bool, emitEvent, (), (), emitList)
    // send(args): the "message" event; args is an array (or one value).
    Q_INVOKABLE bool send(const QJSValue &args);
    // emitWithAck(event, args, [timeoutMs,] callback): args is an array (or one value). A broadcast calls
    // callback(err, responses) (each answering socket's first argument); the operator of one socket
    // (SocketIoSocket.timeout() and friends) calls callback(err, ...answer). err is null, or an Error
    // "operation has timed out". timeoutMs < 0, or none: the operator's timeout() (default: none).
    Q_INVOKABLE bool emitWithAck(const QString &event, const QJSValue &args, const QJSValue &callback);
    Q_INVOKABLE bool emitWithAck(const QString &event, const QJSValue &args, int timeoutMs, const QJSValue &callback);
    Q_INVOKABLE void socketsJoin(const QJSValue &rooms) const;
    Q_INVOKABLE void socketsLeave(const QJSValue &rooms) const;
    Q_INVOKABLE void disconnectSockets(bool close = false) const;
    // fetchSockets(function (sockets) {}): the selected SocketIoSocket objects of this node, on the next pass.
    Q_INVOKABLE void fetchSockets(const QJSValue &callback) const;
    // fetchRemoteSockets(function (sockets, error) {}): the selected sockets of every node of a cluster, as
    // plain objects {id, rooms, data, handshake, local}; error is "" or why some node did not answer.
    Q_INVOKABLE void fetchRemoteSockets(const QJSValue &callback) const;

    QSocketIoBroadcast op() const { return m_op; }
    static void fetchRemoteSockets(QObject *context, QJSEngine *engine, const QSocketIoBroadcast &op,
                                   const QJSValue &callback);

    // The shared helpers of every QML entry point: emitWithAck through op, answering callback as above.
    static bool emitWithAck(QObject *context, QJSEngine *engine, const QSocketIoBroadcast &op, const QString &event,
                            const QJSValue &args, int timeoutMs, const QJSValue &callback);
    static bool emitList(QJSEngine *engine, const QSocketIoBroadcast &op, const QString &event,
                         const QJSValueList &args);

private:
    QQmlSocketIoBroadcast(const QSocketIoBroadcast &op, QJSEngine *engine, QObject *owner);
    QObject *context() const { return m_owner ? m_owner.data() : const_cast<QQmlSocketIoBroadcast *>(this); }
    bool emitList(const QString &event, const QJSValueList &args) { return emitList(m_engine, m_op, event, args); }
    QQmlSocketIoBroadcast *wrap(const QSocketIoBroadcast &op) const { return create(op, m_engine, m_owner); }

    QSocketIoBroadcast m_op;
    QPointer<QJSEngine> m_engine;
    QPointer<QObject> m_owner;
};

#endif
