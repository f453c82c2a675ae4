// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qqmlsocketiosocket_p.h"
#include "qqmlsocketioackfunction_p.h"
#include "qqmlsocketiovalues_p.h"

#include <QtSocketIo/qsocketionamespace.h>

#include <QtQml/qjsengine.h>
#include <QtQml/qqmlinfo.h>

using namespace QQmlSocketIoValues;

/*!
    \qmltype SocketIoSocket
    \inqmlmodule QtSocketIo
    \brief One client connected to one namespace.

    Handed to SocketIoServer::socketConnected, to the handlers registered with \c on(), and listed by the
    \c sockets models. Not creatable. The object belongs to the server: it is deleted shortly after
    disconnected() was emitted, and QML references to it then read \c null.

    Properties: \c id, \c namespaceName, \c address, \c handshake (an object with \c address, \c headers,
    \c query, \c auth, \c time, \c url, \c secure, \c xdomain), \c connectedSince, \c rooms (its own id
    first), \c data (free-form, writable), \c connected, \c transport ("polling" or "websocket"),
    \c recovered (connection state recovery gave it back its session).
*/

QQmlSocketIoSocket *QQmlSocketIoSocket::from(QSocketIoSocket *socket, QJSEngine *engine)
{
    if (!socket)
        return nullptr;
    auto *wrapper = socket->findChild<QQmlSocketIoSocket *>(QString(), Qt::FindDirectChildrenOnly);
    if (!wrapper)
        wrapper = new QQmlSocketIoSocket(socket, engine);
    else if (!wrapper->m_engine && engine)
        wrapper->m_engine = engine;
    return wrapper;
}

QQmlSocketIoSocket::QQmlSocketIoSocket(QSocketIoSocket *socket, QJSEngine *engine)
    : QObject(socket),
      m_socket(socket),
      m_engine(engine),
      m_id(socket->id()),
      m_namespaceName(socket->namespaceName()),
      m_address(socket->handshake().address())
{
    // A child of the core socket, never of JavaScript.
    QJSEngine::setObjectOwnership(this, QJSEngine::CppOwnership);
    m_connectedSince = QDateTime::currentDateTime();

    connect(socket, &QSocketIoSocket::roomsChanged, this, &QQmlSocketIoSocket::roomsChanged);
    connect(socket, &QSocketIoSocket::dataChanged, this, &QQmlSocketIoSocket::dataChanged);
    connect(socket, &QSocketIoSocket::connectedChanged, this, &QQmlSocketIoSocket::connectedChanged);
    connect(socket, &QSocketIoSocket::transportChanged, this, &QQmlSocketIoSocket::transportChanged);
    connect(socket, &QSocketIoSocket::eventReceived, this, &QQmlSocketIoSocket::handleEvent);
    connect(socket, &QSocketIoSocket::disconnected, this,
            [this](QSocketIoSocket::DisconnectReason reason) {
                Q_EMIT disconnected(QSocketIoSocket::reasonString(reason));
            });
}

QQmlSocketIoSocket::~QQmlSocketIoSocket() = default;

QJSValue QQmlSocketIoSocket::handshake() const
{
    if (!m_engine || !m_socket)
        return QJSValue();
    const QSocketIoHandshake h = m_socket->handshake();
    QJSValue object = m_engine->newObject();
    object.setProperty(QStringLiteral("address"), h.address());
    object.setProperty(QStringLiteral("headers"), toJs(m_engine, h.headers()));
    object.setProperty(QStringLiteral("query"), toJs(m_engine, h.query()));
    object.setProperty(QStringLiteral("auth"), toJs(m_engine, h.auth()));
    object.setProperty(QStringLiteral("time"), m_engine->toScriptValue(h.time()));
    object.setProperty(QStringLiteral("issued"), double(h.issued()));
    object.setProperty(QStringLiteral("url"), h.url());
    object.setProperty(QStringLiteral("secure"), h.isSecure());
    object.setProperty(QStringLiteral("xdomain"), h.isCrossDomain());
    return object;
}

QStringList QQmlSocketIoSocket::rooms() const
{
    return m_socket ? m_socket->rooms() : QStringList();
}

QJSValue QQmlSocketIoSocket::data() const
{
    if (!m_engine || !m_socket)
        return QJSValue();
    return toJs(m_engine, m_socket->data());
}

void QQmlSocketIoSocket::setData(const QJSValue &data)
{
    if (!m_socket)
        return;
    const QVariantMap map = fromJs(m_engine, data).toMap();
    if (map == m_socket->data())
        return;
    m_socket->setData(map);  // emits dataChanged
}

bool QQmlSocketIoSocket::isConnected() const
{
    return m_socket && m_socket->isConnected();
}

QString QQmlSocketIoSocket::transport() const
{
    return m_socket ? m_socket->transport() : QString();
}

bool QQmlSocketIoSocket::isRecovered() const
{
    return m_socket && m_socket->isRecovered();
}

void QQmlSocketIoSocket::setDataValue(const QString &key, const QJSValue &value)
{
    if (m_socket)
        m_socket->setDataValue(key, fromJs(m_engine, value));
}

void QQmlSocketIoSocket::join(const QJSValue &rooms)
{
    if (m_socket)
        m_socket->join(toStringList(rooms));
}

void QQmlSocketIoSocket::leave(const QJSValue &rooms)
{
    if (!m_socket)
        return;
    const QStringList list = toStringList(rooms);
    for (const QString &room : list)
        m_socket->leave(room);
}

void QQmlSocketIoSocket::leaveAll()
{
    if (m_socket)
        m_socket->leaveAll();
}

bool QQmlSocketIoSocket::isInRoom(const QString &room) const
{
    return m_socket && m_socket->isInRoom(room);
}

void QQmlSocketIoSocket::disconnectSocket(bool close)
{
    if (m_socket)
        m_socket->disconnectSocket(close);
}

bool QQmlSocketIoSocket::emitList(const QString &event, const QJSValueList &args)
{
    return m_socket && m_socket->emitEvent(event, fromJsValues(m_engine, args));
}

bool QQmlSocketIoSocket::broadcastList(const QJSValue &rooms, const QString &event, const QJSValueList &args)
{
    if (!m_socket)
        return false;
    const QStringList list = toStringList(rooms);
    return QQmlSocketIoBroadcast::emitList(m_engine, list.isEmpty() ? m_socket->broadcast() : m_socket->to(list),
                                           event, args);
}

bool QQmlSocketIoSocket::emitWithAck(const QString &event, const QJSValue &args, int timeoutMs,
                                     const QJSValue &callback)
{
    if (!m_socket || !m_socket->isConnected())
        return false;
    return QQmlSocketIoBroadcast::emitWithAck(this, m_engine, m_socket->timeout(timeoutMs), event, args, -1, callback);
}

QQmlSocketIoBroadcast *QQmlSocketIoSocket::wrap(const QSocketIoBroadcast &op) const
{
    return QQmlSocketIoBroadcast::create(op, m_engine, const_cast<QQmlSocketIoSocket *>(this));
}

// null once the core socket is gone.
#define QQMLSOCKETIO_SOCKET_OP(expr) \
    (m_socket ? wrap(m_socket->expr) : nullptr)

QQmlSocketIoBroadcast *QQmlSocketIoSocket::to(const QJSValue &rooms) const { return QQMLSOCKETIO_SOCKET_OP(to(toStringList(rooms))); }
QQmlSocketIoBroadcast *QQmlSocketIoSocket::except(const QJSValue &rooms) const { return QQMLSOCKETIO_SOCKET_OP(except(toStringList(rooms))); }
QQmlSocketIoBroadcast *QQmlSocketIoSocket::broadcast() const { return QQMLSOCKETIO_SOCKET_OP(broadcast()); }
QQmlSocketIoBroadcast *QQmlSocketIoSocket::local() const { return QQMLSOCKETIO_SOCKET_OP(local()); }
QQmlSocketIoBroadcast *QQmlSocketIoSocket::asVolatile() const { return QQMLSOCKETIO_SOCKET_OP(asVolatile()); }
QQmlSocketIoBroadcast *QQmlSocketIoSocket::timeout(int milliseconds) const { return QQMLSOCKETIO_SOCKET_OP(timeout(milliseconds)); }
QQmlSocketIoBroadcast *QQmlSocketIoSocket::compress(bool compress) const { return QQMLSOCKETIO_SOCKET_OP(compress(compress)); }

#undef QQMLSOCKETIO_SOCKET_OP

void QQmlSocketIoSocket::on(const QString &event, const QJSValue &handler)
{
    m_handlers.add(this, event, handler);
}

void QQmlSocketIoSocket::off(const QString &event, const QJSValue &handler)
{
    m_handlers.remove(event, handler);
    m_onceHandlers.remove(event, handler);
}

void QQmlSocketIoSocket::once(const QString &event, const QJSValue &handler)
{
    m_onceHandlers.add(this, event, handler);
}

void QQmlSocketIoSocket::handleEvent(const QString &event, const QVariantList &args,
                                     const QSocketIoAckCallback &ack)
{
    if (!m_engine)
        return;
    const QJSValue jsArgs = toJsArray(m_engine, args);
    Q_EMIT eventReceived(event, jsArgs);
    QList<QJSValue> handlers = m_handlers.handlers(event);
    // The one-shot handlers go before they run (one of them may add another for the next event).
    const QList<QJSValue> once = m_onceHandlers.handlers(event);
    if (!once.isEmpty()) {
        m_onceHandlers.remove(event, QJSValue());
        handlers += once;
    }
    if (handlers.isEmpty())
        return;
    const QJSValue jsAck = QQmlSocketIoAckFunction::create(m_engine, ack);
    for (const QJSValue &handler : handlers)
        callHandler(this, handler, {jsArgs, jsAck}, "a socket event handler");
}
