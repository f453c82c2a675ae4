// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qqmlsocketiobroadcast_p.h"
#include "qqmlsocketiosocket_p.h"

#include <QtQml/qjsengine.h>

using namespace QQmlSocketIoValues;

/*!
    \qmltype SocketIoBroadcast
    \inqmlmodule QtSocketIo
    \brief The broadcast operator: which sockets an event goes to, and with which flags.

    Returned by \c to(), \c in(), \c except(), \c local(), \c asVolatile(), \c compress() and \c timeout() of
    SocketIoServer, SocketIoNamespace and SocketIoSocket, and by its own modifiers; not creatable. It wraps
    the C++ QSocketIoBroadcast and forwards every call to it.

    \qml
    server.to("room").except("muted").emitEvent("news", "hello")
    socket.timeout(500).emitWithAck("question", [1], (err, answer) => { })
    \endqml
*/

QQmlSocketIoBroadcast::QQmlSocketIoBroadcast(const QSocketIoBroadcast &op, QJSEngine *engine, QObject *owner)
    : m_op(op), m_engine(engine), m_owner(owner)
{
}

QQmlSocketIoBroadcast::~QQmlSocketIoBroadcast() = default;

QQmlSocketIoBroadcast *QQmlSocketIoBroadcast::create(const QSocketIoBroadcast &op, QJSEngine *engine, QObject *owner)
{
    auto *object = new QQmlSocketIoBroadcast(op, engine, owner);
    QJSEngine::setObjectOwnership(object, QJSEngine::JavaScriptOwnership);
    return object;
}

QQmlSocketIoBroadcast *QQmlSocketIoBroadcast::to(const QJSValue &rooms) const { return wrap(m_op.to(toStringList(rooms))); }
QQmlSocketIoBroadcast *QQmlSocketIoBroadcast::except(const QJSValue &rooms) const { return wrap(m_op.except(toStringList(rooms))); }
QQmlSocketIoBroadcast *QQmlSocketIoBroadcast::local() const { return wrap(m_op.local()); }
QQmlSocketIoBroadcast *QQmlSocketIoBroadcast::asVolatile() const { return wrap(m_op.asVolatile()); }
QQmlSocketIoBroadcast *QQmlSocketIoBroadcast::compress(bool compress) const { return wrap(m_op.compress(compress)); }
QQmlSocketIoBroadcast *QQmlSocketIoBroadcast::timeout(int milliseconds) const { return wrap(m_op.timeout(milliseconds)); }

bool QQmlSocketIoBroadcast::send(const QJSValue &args)
{
    return m_op.send(fromJsList(m_engine, args));
}

bool QQmlSocketIoBroadcast::emitWithAck(const QString &event, const QJSValue &args, const QJSValue &callback)
{
    return emitWithAck(context(), m_engine, m_op, event, args, -1, callback);
}

bool QQmlSocketIoBroadcast::emitWithAck(const QString &event, const QJSValue &args, int timeoutMs,
                                        const QJSValue &callback)
{
    return emitWithAck(context(), m_engine, m_op, event, args, timeoutMs, callback);
}

void QQmlSocketIoBroadcast::socketsJoin(const QJSValue &rooms) const { m_op.socketsJoin(toStringList(rooms)); }
void QQmlSocketIoBroadcast::socketsLeave(const QJSValue &rooms) const { m_op.socketsLeave(toStringList(rooms)); }
void QQmlSocketIoBroadcast::disconnectSockets(bool close) const { m_op.disconnectSockets(close); }

void QQmlSocketIoBroadcast::fetchSockets(const QJSValue &callback) const
{
    QPointer<QJSEngine> engine = m_engine;
    QObject *owner = context();
    m_op.fetchSockets(owner, [owner, engine, callback](const QList<QSocketIoSocket *> &sockets) {
        if (!engine)
            return;
        QJSValue array = engine->newArray(quint32(sockets.size()));
        quint32 i = 0;
        for (QSocketIoSocket *socket : sockets)
            array.setProperty(i++, engine->newQObject(QQmlSocketIoSocket::from(socket, engine)));
        callHandler(owner, callback, {array}, "fetchSockets callback");
    });
}

void QQmlSocketIoBroadcast::fetchRemoteSockets(const QJSValue &callback) const
{
    fetchRemoteSockets(context(), m_engine, m_op, callback);
}

void QQmlSocketIoBroadcast::fetchRemoteSockets(QObject *context, QJSEngine *jsEngine, const QSocketIoBroadcast &op,
                                               const QJSValue &callback)
{
    QPointer<QJSEngine> engine = jsEngine;
    op.fetchRemoteSockets(context, [context, engine, callback](const QList<QSocketIoRemoteSocket> &sockets,
                                                              const QString &error) {
        if (!engine)
            return;
        QJSValue array = engine->newArray(quint32(sockets.size()));
        quint32 i = 0;
        for (const QSocketIoRemoteSocket &socket : sockets) {
            QJSValue object = engine->newObject();
            object.setProperty(QStringLiteral("id"), socket.id());
            object.setProperty(QStringLiteral("rooms"), toJs(engine, socket.rooms()));
            object.setProperty(QStringLiteral("data"), toJs(engine, socket.data()));
            object.setProperty(QStringLiteral("handshake"), toJs(engine, socket.handshake()));
            object.setProperty(QStringLiteral("local"), socket.isLocal());
            array.setProperty(i++, object);
        }
        callHandler(context, callback, {array, error}, "fetchRemoteSockets callback");
    });
}

bool QQmlSocketIoBroadcast::emitList(QJSEngine *engine, const QSocketIoBroadcast &op, const QString &event,
                                     const QJSValueList &args)
{
    return op.emitEvent(event, fromJsValues(engine, args));
}

bool QQmlSocketIoBroadcast::emitWithAck(QObject *context, QJSEngine *jsEngine, const QSocketIoBroadcast &op,
                                        const QString &event, const QJSValue &args, int timeoutMs,
                                        const QJSValue &callback)
{
    QPointer<QJSEngine> engine = jsEngine;
    QSocketIoAck *ack = (timeoutMs >= 0 ? op.timeout(timeoutMs) : op).emitWithAck(event, fromJsList(engine, args));
    if (!ack)
        return false;
    auto answer = [context, engine, callback, ack](bool timedOut) {
        if (!engine)
            return;
        const QJSValue err = timedOut ? makeError(engine, QStringLiteral("operation has timed out"))
                                      : QJSValue(QJSValue::NullValue);
        QJSValueList callArgs{err};
        if (ack->isBroadcast()) {
            // Node's broadcast callback: (err, responses), each socket's first argument.
            QJSValue responses = engine->newArray();
            quint32 i = 0;
            const QList<QVariantList> all = ack->responses();
            for (const QVariantList &response : all)
                responses.setProperty(i++, toJs(engine, response.value(0)));
            callArgs.append(responses);
        } else if (!timedOut) {
            // Node's socket callback: (err, ...answer).
            const QVariantList arguments = ack->arguments();
            for (const QVariant &value : arguments)
                callArgs.append(toJs(engine, value));
        }
        callHandler(context, callback, callArgs, "emitWithAck callback");
    };
    QObject::connect(ack, &QSocketIoAck::finished, context, [answer] { answer(false); });
    QObject::connect(ack, &QSocketIoAck::timedOut, context, [answer] { answer(true); });
    return true;
}
