// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qqmlsocketioabstractnamespace_p.h"
#include "qqmlsocketioackfunction_p.h"
#include "qqmlsocketiosocket_p.h"
#include "qqmlsocketiosocketmodel_p.h"
#include "qqmlsocketiovalues_p.h"

#include <QtQml/qqmlengine.h>
#include <QtQml/qqmlinfo.h>

using namespace QQmlSocketIoValues;

QQmlSocketIoAbstractNamespace::QQmlSocketIoAbstractNamespace(QObject *parent) : QObject(parent) { }

QQmlSocketIoAbstractNamespace::~QQmlSocketIoAbstractNamespace()
{
    for (const QMetaObject::Connection &c : std::as_const(m_connections))
        disconnect(c);
}

int QQmlSocketIoAbstractNamespace::socketCount() const
{
    return m_nsp ? m_nsp->socketCount() : 0;
}

QJSEngine *QQmlSocketIoAbstractNamespace::jsEngine() const
{
    if (m_engine)
        return m_engine;
    if (QJSEngine *engine = qmlEngine(this))
        return engine;
    return qjsEngine(this);
}

void QQmlSocketIoAbstractNamespace::setJsEngine(QJSEngine *engine)
{
    m_engine = engine;
}

void QQmlSocketIoAbstractNamespace::componentComplete()
{
    m_complete = true;
    if (!m_engine)
        m_engine = qmlEngine(this);
}

void QQmlSocketIoAbstractNamespace::attach(QSocketIoNamespace *nsp)
{
    if (nsp == m_nsp)
        return;
    for (const QMetaObject::Connection &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    for (const QPointer<QQmlSocketIoSocket> &socket : std::as_const(m_adopted)) {
        if (socket) {
            disconnect(socket, nullptr, this, nullptr);
            if (socket->socket())
                disconnect(socket->socket(), nullptr, this, nullptr);
        }
    }
    m_adopted.clear();
    if (m_ownModel)
        m_ownModel->clear();
    const int oldCount = socketCount();
    m_nsp = nsp;
    if (nsp) {
        m_connections.append(connect(nsp, &QSocketIoNamespace::newConnection, this,
                                     &QQmlSocketIoAbstractNamespace::adoptSocket));
        m_connections.append(connect(nsp, &QSocketIoNamespace::socketCountChanged, this,
                                     &QQmlSocketIoAbstractNamespace::socketCountChanged));
        // A dynamic (pattern) namespace has its sockets in its children.
        QList<QSocketIoSocket *> existing = nsp->sockets();
        for (QSocketIoNamespace *child : nsp->childNamespaces())
            existing += child->sockets();
        for (QSocketIoSocket *socket : std::as_const(existing))
            adoptSocket(socket);
    }
    if (oldCount != socketCount())
        Q_EMIT socketCountChanged();
}

void QQmlSocketIoAbstractNamespace::adoptSocket(QSocketIoSocket *core)
{
    QQmlSocketIoSocket *socket = QQmlSocketIoSocket::from(core, jsEngine());
    if (!socket || !socket->isConnected() || m_adopted.contains(socket))
        return;
    m_adopted.removeIf([](const QPointer<QQmlSocketIoSocket> &p) { return p.isNull(); });
    m_adopted.append(socket);
    qCDebug(lcQml) << "socket" << socket->id() << "of" << socket->namespaceName() << "handed to QML";
    if (m_ownModel)
        m_ownModel->addSocket(socket);
    // The connections live as long as both the socket and this object do.
    connect(core, &QSocketIoSocket::eventReceived, this,
            [this, socket](const QString &event, const QVariantList &args, const QSocketIoAckCallback &ack) {
                dispatch(socket, event, args, ack);
            });
    connect(socket, &QQmlSocketIoSocket::disconnected, this, [this, socket](const QString &reason) {
        m_adopted.removeAll(socket);
        Q_EMIT socketDisconnected(socket, reason);
    });
    Q_EMIT socketConnected(socket);
}

void QQmlSocketIoAbstractNamespace::dispatch(QQmlSocketIoSocket *socket, const QString &event,
                                             const QVariantList &args, const QSocketIoAckCallback &ack)
{
    const QList<QJSValue> handlers = m_handlers.handlers(event);
    QJSEngine *engine = jsEngine();
    if (handlers.isEmpty() || !engine)
        return;
    const QJSValue jsSocket = engine->newQObject(socket);
    const QJSValue jsArgs = toJsArray(engine, args);
    const QJSValue jsAck = QQmlSocketIoAckFunction::create(engine, ack);
    for (const QJSValue &handler : handlers)
        callHandler(this, handler, {jsSocket, jsArgs, jsAck}, "an event handler");
}

bool QQmlSocketIoAbstractNamespace::emitList(const QJSValue &to, const QJSValue &except, const QString &event,
                                             const QJSValueList &args)
{
    if (!m_nsp)
        return false;
    return QQmlSocketIoBroadcast::emitList(jsEngine(), m_nsp->all().to(toStringList(to)).except(toStringList(except)),
                                           event, args);
}

bool QQmlSocketIoAbstractNamespace::send(const QJSValue &args)
{
    return m_nsp && m_nsp->send(fromJsList(jsEngine(), args));
}

bool QQmlSocketIoAbstractNamespace::emitWithAck(const QString &event, const QJSValue &args, int timeoutMs,
                                                const QJSValue &callback)
{
    if (!m_nsp)
        return false;
    return QQmlSocketIoBroadcast::emitWithAck(this, jsEngine(), m_nsp->all(), event, args, timeoutMs, callback);
}

QQmlSocketIoBroadcast *QQmlSocketIoAbstractNamespace::wrap(const QSocketIoBroadcast &op) const
{
    return QQmlSocketIoBroadcast::create(op, jsEngine(), const_cast<QQmlSocketIoAbstractNamespace *>(this));
}

// null while no core namespace is attached.
QQmlSocketIoBroadcast *QQmlSocketIoAbstractNamespace::all() const { return m_nsp ? wrap(m_nsp->all()) : nullptr; }
QQmlSocketIoBroadcast *QQmlSocketIoAbstractNamespace::to(const QJSValue &rooms) const { return m_nsp ? wrap(m_nsp->to(toStringList(rooms))) : nullptr; }
QQmlSocketIoBroadcast *QQmlSocketIoAbstractNamespace::except(const QJSValue &rooms) const { return m_nsp ? wrap(m_nsp->except(toStringList(rooms))) : nullptr; }
QQmlSocketIoBroadcast *QQmlSocketIoAbstractNamespace::local() const { return m_nsp ? wrap(m_nsp->local()) : nullptr; }
QQmlSocketIoBroadcast *QQmlSocketIoAbstractNamespace::asVolatile() const { return m_nsp ? wrap(m_nsp->asVolatile()) : nullptr; }
QQmlSocketIoBroadcast *QQmlSocketIoAbstractNamespace::compress(bool compress) const { return m_nsp ? wrap(m_nsp->compress(compress)) : nullptr; }
QQmlSocketIoBroadcast *QQmlSocketIoAbstractNamespace::timeout(int milliseconds) const { return m_nsp ? wrap(m_nsp->timeout(milliseconds)) : nullptr; }

void QQmlSocketIoAbstractNamespace::fetchSockets(const QJSValue &callback) const
{
    if (!m_nsp)
        return;
    QQmlSocketIoBroadcast *op = wrap(m_nsp->all());
    op->fetchSockets(callback);
    delete op;   // never handed to JavaScript; the callback runs with this object as context
}

void QQmlSocketIoAbstractNamespace::on(const QString &event, const QJSValue &handler)
{
    m_handlers.add(this, event, handler);
}

void QQmlSocketIoAbstractNamespace::off(const QString &event, const QJSValue &handler)
{
    m_handlers.remove(event, handler);
}

QQmlSocketIoSocket *QQmlSocketIoAbstractNamespace::socket(const QString &id) const
{
    if (!m_nsp)
        return nullptr;
    QSocketIoSocket *core = m_nsp->socket(id);
    if (!core) {
        for (QSocketIoNamespace *child : m_nsp->childNamespaces()) {
            if ((core = child->socket(id)))
                break;
        }
    }
    return QQmlSocketIoSocket::from(core, jsEngine());
}

void QQmlSocketIoAbstractNamespace::socketsJoin(const QJSValue &rooms)
{
    if (m_nsp)
        m_nsp->socketsJoin(toStringList(rooms));
}

void QQmlSocketIoAbstractNamespace::socketsLeave(const QJSValue &rooms)
{
    if (m_nsp)
        m_nsp->socketsLeave(toStringList(rooms));
}

void QQmlSocketIoAbstractNamespace::disconnectSockets(bool close)
{
    if (m_nsp)
        m_nsp->disconnectSockets(close);
}
