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
        m_connections.append(connect(nsp, &QSocketIoNamespace::serverSideEventReceived, this,
                                     [this](const QString &event, const QVariantList &args) {
                                         forwardServerSideEvent(event, args, QSocketIoAckCallback());
                                     }));
        m_connections.append(connect(nsp, &QSocketIoNamespace::serverSideEventWithAckReceived, this,
                                     &QQmlSocketIoAbstractNamespace::forwardServerSideEvent));
        // allowConnection: one core middleware per namespace, for as long as this object follows it (a core
        // middleware cannot be removed; once this object is gone or follows another, it lets sockets through).
        m_middlewareInstalled.removeIf([](const QPointer<QSocketIoNamespace> &p) { return p.isNull(); });
        if (!m_middlewareInstalled.contains(nsp)) {
            m_middlewareInstalled.append(nsp);
            QPointer<QQmlSocketIoAbstractNamespace> guard(this);
            QPointer<QSocketIoNamespace> target(nsp);
            nsp->use([guard, target](QSocketIoSocket *socket, const QSocketIoNext &next) {
                if (guard && guard->m_nsp == target)
                    guard->runAllowConnection(socket, next);
                else
                    next();
            });
        }
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

void QQmlSocketIoAbstractNamespace::setAllowConnection(const QJSValue &handler)
{
    if (handler.strictlyEquals(m_allowConnection))
        return;
    if (!handler.isCallable() && !handler.isUndefined() && !handler.isNull())
        qmlWarning(this) << "allowConnection is not a function: every connection will be refused";
    m_allowConnection = handler;
    Q_EMIT allowConnectionChanged();
}

void QQmlSocketIoAbstractNamespace::runAllowConnection(QSocketIoSocket *socket, const QSocketIoNext &next)
{
    if (m_allowConnection.isUndefined() || m_allowConnection.isNull()) {
        next();
        return;
    }
    static const QString refused = QStringLiteral("connection refused");
    QJSEngine *engine = jsEngine();
    if (!m_allowConnection.isCallable() || !engine) {
        next.reject(refused);
        return;
    }
    const QSocketIoHandshake h = socket->handshake();
    QJSValue handshake = engine->newObject();
    handshake.setProperty(QStringLiteral("auth"), toJs(engine, h.auth()));
    handshake.setProperty(QStringLiteral("query"), toJs(engine, h.query()));
    handshake.setProperty(QStringLiteral("headers"), toJs(engine, h.headers()));
    handshake.setProperty(QStringLiteral("address"), h.address());
    handshake.setProperty(QStringLiteral("url"), h.url());
    handshake.setProperty(QStringLiteral("issued"), double(h.issued()));
    handshake.setProperty(QStringLiteral("secure"), h.isSecure());
    handshake.setProperty(QStringLiteral("xdomain"), h.isCrossDomain());
    handshake.setProperty(QStringLiteral("namespace"), socket->namespaceName());
    handshake.setProperty(QStringLiteral("id"), socket->id());
    const QJSValue result = m_allowConnection.call({toJs(engine, h.auth()), handshake});
    if (result.isError()) {
        qmlWarning(this) << "allowConnection threw " << result.toString() << ": the connection is refused";
        next.reject(refused);
        return;
    }
    if (result.isBool()) {
        if (result.toBool())
            next();
        else
            next.reject(QStringLiteral("not authorized"));
        return;
    }
    if (result.isString() && !result.toString().isEmpty()) {
        next.reject(result.toString());
        return;
    }
    if (result.isObject() && !result.isArray() && !result.isCallable()
        && result.property(QStringLiteral("message")).isString()) {
        const QString message = result.property(QStringLiteral("message")).toString();
        const QJSValue data = result.property(QStringLiteral("data"));
        next.reject(message.isEmpty() ? refused : message, data.isUndefined() ? QVariant() : fromJs(engine, data));
        return;
    }
    qmlWarning(this) << "allowConnection returned " << result.toString()
                     << " (expected true, false, a message or {message, data}): the connection is refused";
    next.reject(refused);
}

void QQmlSocketIoAbstractNamespace::forwardServerSideEvent(const QString &event, const QVariantList &args,
                                                           const QSocketIoAckCallback &ack)
{
    QJSEngine *engine = jsEngine();
    if (!engine)
        return;
    Q_EMIT serverSideEvent(event, toJsArray(engine, args), QQmlSocketIoAckFunction::create(engine, ack));
}

bool QQmlSocketIoAbstractNamespace::serverSideEmit(const QString &event, const QJSValue &args)
{
    return m_nsp && m_nsp->serverSideEmit(event, fromJsList(jsEngine(), args));
}

bool QQmlSocketIoAbstractNamespace::serverSideEmitWithAck(const QString &event, const QJSValue &args,
                                                          const QJSValue &callback)
{
    if (!m_nsp)
        return false;
    QSocketIoAck *ack = m_nsp->serverSideEmitWithAck(event, fromJsList(jsEngine(), args));
    if (!ack)
        return false;
    QPointer<QJSEngine> engine = jsEngine();
    auto answer = [this, engine, callback, ack](bool timedOut) {
        if (!engine)
            return;
        QJSValue responses = engine->newArray();
        quint32 i = 0;
        const QList<QVariantList> all = ack->responses();
        for (const QVariantList &response : all)
            responses.setProperty(i++, toJs(engine, response.value(0)));
        const QJSValue err = timedOut ? makeError(engine, ack->errorString()) : QJSValue(QJSValue::NullValue);
        callHandler(this, callback, {err, responses}, "serverSideEmitWithAck callback");
    };
    connect(ack, &QSocketIoAck::finished, this, [answer] { answer(false); });
    connect(ack, &QSocketIoAck::timedOut, this, [answer] { answer(true); });
    return true;
}

void QQmlSocketIoAbstractNamespace::fetchRemoteSockets(const QJSValue &callback) const
{
    if (!m_nsp)
        return;
    QQmlSocketIoBroadcast::fetchRemoteSockets(const_cast<QQmlSocketIoAbstractNamespace *>(this), jsEngine(),
                                              m_nsp->all(), callback);
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
