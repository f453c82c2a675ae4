// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "engine/qengineiosocket_p.h"
#include "engine/qsocketiohandshake_p.h"
#include "qtsocketiologging_p.h"

#include <QtCore/qmetaobject.h>

using namespace QEngineIo;

// --- QEngineIoServerFacade -------------------------------------------------------------------------------------

QEngineIoServerFacade::QEngineIoServerFacade(QEngineIoServer *q, QEngineIoServerPrivate *engine, bool owned)
    : q(q), engine(engine), owned(owned)
{
    inner = engine->handler();
    engine->setHandler(this);
}

QEngineIoServerFacade::~QEngineIoServerFacade() = default;

QEngineIoSocket *QEngineIoServerFacade::socketFor(QEngineIoSession *session)
{
    if (!session)
        return nullptr;
    if (auto *observer = dynamic_cast<QEngineIoSocketPrivate *>(session->observer()))
        return observer->q_ptr;
    auto *facade = dynamic_cast<QEngineIoServerFacade *>(session->server()->handler());
    return facade ? facade->socket(session) : nullptr;
}

QEngineIoSocket *QEngineIoServerFacade::socket(QEngineIoSession *session)
{
    if (auto *observer = dynamic_cast<QEngineIoSocketPrivate *>(session->observer()))
        return observer->q_ptr;
    if (!session->isOpen())
        return nullptr;
    auto *socket = new QEngineIoSocket(q);
    QEngineIoSocketPrivate *d = QEngineIoSocketPrivate::get(socket);
    d->session = session;
    d->id = QString::fromLatin1(session->sid());
    d->request = session->handshakeRequest();
    d->transport = session->transport();
    d->upgraded = session->transport() == Transport::WebSocket && d->request.transport == Transport::Polling;
    session->setObserver(d);
    return socket;
}

void QEngineIoServerFacade::sessionOpened(QEngineIoSession *session)
{
    QPointer<QEngineIoSession> guard(session);
    if (inner) {
        inner->sessionOpened(session);
        if (!guard || !session->isOpen())
            return;
    }
    static const QMetaMethod signal = QMetaMethod::fromSignal(&QEngineIoServer::connection);
    if (owned || q->isSignalConnected(signal)) {
        if (QEngineIoSocket *s = socket(session))
            Q_EMIT q->connection(s);
    }
}

void QEngineIoServerFacade::messageReceived(QEngineIoSession *session, const QByteArray &data, bool binary)
{
    // Only QEngineIoSocketPrivate observes sessions.
    auto *observer = static_cast<QEngineIoSocketPrivate *>(session->observer());
    if (Q_LIKELY(!observer)) {
        if (inner)
            inner->messageReceived(session, data, binary);
        return;
    }
    // The layer above may close the session, or delete the server, while it handles the message.
    QPointer<QEngineIoSocket> socket(observer->q_ptr);
    if (inner)
        inner->messageReceived(session, data, binary);
    if (!socket || observer->closed)
        return;
    if (binary)
        Q_EMIT socket->binaryMessage(data);
    else
        Q_EMIT socket->message(QString::fromUtf8(data));
}

void QEngineIoServerFacade::sessionClosed(QEngineIoSession *session, CloseReason reason, const QString &description)
{
    QPointer<QEngineIoServer> self(q);
    if (inner)
        inner->sessionClosed(session, reason, description);
    if (!self)
        return;
    auto *observer = dynamic_cast<QEngineIoSocketPrivate *>(session->observer());
    if (!observer || observer->closed)
        return;
    observer->closed = true;
    observer->detach();
    QEngineIoSocket *s = observer->q_ptr;
    QPointer<QEngineIoSocket> socketGuard(s);
    Q_EMIT s->readyStateChanged();
    if (socketGuard)
        Q_EMIT s->closed(QString::fromLatin1(closeReasonString(reason)), description);
    if (socketGuard)
        s->deleteLater();
}

void QEngineIoServerFacade::sessionUpgraded(QEngineIoSession *session)
{
    QPointer<QEngineIoSession> guard(session);
    if (inner) {
        inner->sessionUpgraded(session);
        if (!guard)
            return;
    }
    auto *observer = dynamic_cast<QEngineIoSocketPrivate *>(session->observer());
    if (!observer || observer->closed)
        return;
    observer->upgraded = true;
    observer->transport = Transport::WebSocket;
    QEngineIoSocket *s = observer->q_ptr;
    QPointer<QEngineIoSocket> socketGuard(s);
    Q_EMIT s->upgradingChanged();
    if (socketGuard)
        Q_EMIT s->upgraded();
}

void QEngineIoServerFacade::connectionError(const RequestInfo &request, ErrorCode code, const QVariantMap &context)
{
    if (inner)
        inner->connectionError(request, code, context);
    static const QMetaMethod signal = QMetaMethod::fromSignal(&QEngineIoServer::connectionError);
    if (q->isSignalConnected(signal)) {
        Q_EMIT q->connectionError(QSocketIoHandshakePrivate::create(request, {}), QEngineIoServer::ErrorCode(code),
                                  QString::fromLatin1(errorMessage(code)), context);
    }
}

QByteArray QEngineIoServerFacade::generateId(const RequestInfo &request)
{
    if (!idGenerator)
        return inner ? inner->generateId(request) : QByteArray();
    return idGenerator(QSocketIoHandshakePrivate::create(request, {})).toUtf8();
}

QEngineIo::Cors QEngineIoServerFacade::engineCors(const QSocketIoCorsOptions &cors)
{
    QEngineIo::Cors c;
    if (cors.isEnabled()) {
        c.enabled = true;
        const QStringList origins = cors.allowedOrigins();
        c.anyOrigin = origins.contains(QStringLiteral("*"));
        c.reflectOrigin = cors.reflectOrigin();
        c.origins = origins;
        c.originPredicate = cors.originPredicate();
        c.methods.clear();
        for (const QString &m : cors.methods())
            c.methods.append(m.toLatin1());
        for (const QString &h : cors.allowedHeaders())
            c.allowedHeaders.append(h.toLatin1());
        for (const QString &h : cors.exposedHeaders())
            c.exposedHeaders.append(h.toLatin1());
        c.credentials = cors.credentials();
        c.maxAge = cors.maxAge();
    }
    return c;
}

// --- QEngineIoServer -------------------------------------------------------------------------------------------

QEngineIoServer::QEngineIoServer(QObject *parent)
    : QObject(parent),
      d_ptr(std::make_unique<QEngineIoServerFacade>(this, new QEngineIoServerPrivate(this), true))
{
    connect(d_ptr->engine, &QEngineIoServerPrivate::sessionCountChanged, this, &QEngineIoServer::clientsCountChanged);
    // Standalone, every session gets its socket as it opens (see connectNotify()).
    d_ptr->engine->setReportPacketsFromOpen(true);
    // The default thread count may come from the environment, as for QSocketIoServer.
    bool envOk = false;
    const int envThreads = qEnvironmentVariableIntValue("QTSOCKETIO_IO_THREADS", &envOk);
    if (envOk && envThreads > 1)
        d_ptr->engine->setIoThreadCount(envThreads);
}

QEngineIoServer::QEngineIoServer(QEngineIoServerPrivate *engine, QObject *parent)
    : QObject(parent), d_ptr(std::make_unique<QEngineIoServerFacade>(this, engine, false))
{
    connect(engine, &QEngineIoServerPrivate::sessionCountChanged, this, &QEngineIoServer::clientsCountChanged);
}

QEngineIoServer::~QEngineIoServer()
{
    QEngineIoServerFacade *d = d_ptr.get();
    if (d->engine && d->engine->handler() == d) {
        if (d->owned)
            d->engine->close();
        d->engine->setHandler(d->inner);
    }
    if (d->owned)
        delete d->engine.data();
}

bool QEngineIoServer::listen(const QHostAddress &address, quint16 port)
{
    QEngineIoServerFacade *d = d_ptr.get();
    if (!d->owned) {
        qWarning("QEngineIoServer::listen: the engine of a QSocketIoServer listens with QSocketIoServer::listen()");
        return false;
    }
    if (!d->engine->listen(address, port))
        return false;
    Q_EMIT listeningChanged();
    return true;
}

bool QEngineIoServer::bind(QTcpServer *tcpServer)
{
    QEngineIoServerFacade *d = d_ptr.get();
    if (!d->owned) {
        qWarning("QEngineIoServer::bind: the engine of a QSocketIoServer binds with QSocketIoServer::bind()");
        return false;
    }
    return d->engine->bind(tcpServer);
}

bool QEngineIoServer::isListening() const { return d_ptr->engine && d_ptr->engine->isListening(); }
quint16 QEngineIoServer::serverPort() const { return d_ptr->engine ? d_ptr->engine->serverPort() : 0; }
QHostAddress QEngineIoServer::serverAddress() const
{
    return d_ptr->engine ? d_ptr->engine->serverAddress() : QHostAddress();
}
QString QEngineIoServer::errorString() const { return d_ptr->engine ? d_ptr->engine->errorString() : QString(); }

void QEngineIoServer::close()
{
    QEngineIoServerFacade *d = d_ptr.get();
    if (!d->owned) {
        qWarning("QEngineIoServer::close: the engine of a QSocketIoServer closes with QSocketIoServer::close()");
        return;
    }
    const bool was = d->engine->isListening();
    d->engine->close();
    if (was)
        Q_EMIT listeningChanged();
}

QString QEngineIoServer::path() const { return QString::fromUtf8(d_ptr->engine->options().path); }
void QEngineIoServer::setPath(const QString &path)
{
    QByteArray utf8 = path.toUtf8();
    if (!utf8.startsWith('/'))
        utf8.prepend('/');
    if (!utf8.endsWith('/'))
        utf8.append('/');
    if (utf8 == d_ptr->engine->options().path)
        return;
    if (d_ptr->changeOptions([&utf8](Options &o) { o.path = utf8; }))
        Q_EMIT pathChanged();
}

int QEngineIoServer::pingInterval() const { return d_ptr->engine->options().pingInterval; }
void QEngineIoServer::setPingInterval(int milliseconds)
{
    if (milliseconds != pingInterval() && d_ptr->changeOptions([=](Options &o) { o.pingInterval = milliseconds; }))
        Q_EMIT pingIntervalChanged();
}

int QEngineIoServer::pingTimeout() const { return d_ptr->engine->options().pingTimeout; }
void QEngineIoServer::setPingTimeout(int milliseconds)
{
    if (milliseconds != pingTimeout() && d_ptr->changeOptions([=](Options &o) { o.pingTimeout = milliseconds; }))
        Q_EMIT pingTimeoutChanged();
}

int QEngineIoServer::upgradeTimeout() const { return d_ptr->engine->options().upgradeTimeout; }
void QEngineIoServer::setUpgradeTimeout(int milliseconds)
{
    if (milliseconds != upgradeTimeout() && d_ptr->changeOptions([=](Options &o) { o.upgradeTimeout = milliseconds; }))
        Q_EMIT upgradeTimeoutChanged();
}

qint64 QEngineIoServer::maxHttpBufferSize() const { return d_ptr->engine->options().maxHttpBufferSize; }
void QEngineIoServer::setMaxHttpBufferSize(qint64 bytes)
{
    if (bytes != maxHttpBufferSize() && d_ptr->changeOptions([=](Options &o) { o.maxHttpBufferSize = bytes; }))
        Q_EMIT maxHttpBufferSizeChanged();
}

QEngineIoServer::Transports QEngineIoServer::transports() const
{
    const Options &o = d_ptr->engine->options();
    Transports t;
    t.setFlag(Polling, o.allowPolling);
    t.setFlag(WebSocket, o.allowWebSocket);
    return t;
}
void QEngineIoServer::setTransports(Transports transports)
{
    if (transports != this->transports() && d_ptr->changeOptions([=](Options &o) {
            o.allowPolling = transports.testFlag(Polling);
            o.allowWebSocket = transports.testFlag(WebSocket);
        }))
        Q_EMIT transportsChanged();
}

bool QEngineIoServer::allowUpgrades() const { return d_ptr->engine->options().allowUpgrades; }
void QEngineIoServer::setAllowUpgrades(bool allow)
{
    if (allow != allowUpgrades() && d_ptr->changeOptions([=](Options &o) { o.allowUpgrades = allow; }))
        Q_EMIT allowUpgradesChanged();
}

bool QEngineIoServer::allowEIO3() const { return d_ptr->engine->options().allowEIO3; }
void QEngineIoServer::setAllowEIO3(bool allow)
{
    if (allow != allowEIO3() && d_ptr->changeOptions([=](Options &o) { o.allowEIO3 = allow; }))
        Q_EMIT allowEIO3Changed();
}

QSslConfiguration QEngineIoServer::sslConfiguration() const { return d_ptr->engine->options().sslConfiguration; }
void QEngineIoServer::setSslConfiguration(const QSslConfiguration &configuration)
{
    if (configuration != sslConfiguration()
        && d_ptr->changeOptions([&configuration](Options &o) { o.sslConfiguration = configuration; }))
        Q_EMIT sslConfigurationChanged();
}

int QEngineIoServer::maxConnections() const { return d_ptr->engine->options().maxConnections; }
void QEngineIoServer::setMaxConnections(int connections)
{
    if (connections != maxConnections() && d_ptr->changeOptions([=](Options &o) { o.maxConnections = connections; }))
        Q_EMIT maxConnectionsChanged();
}

int QEngineIoServer::maxConnectionsPerAddress() const { return d_ptr->engine->options().maxConnectionsPerAddress; }
void QEngineIoServer::setMaxConnectionsPerAddress(int connections)
{
    if (connections != maxConnectionsPerAddress()
        && d_ptr->changeOptions([=](Options &o) { o.maxConnectionsPerAddress = connections; }))
        Q_EMIT maxConnectionsPerAddressChanged();
}

qint64 QEngineIoServer::maxBufferedBytes() const { return d_ptr->engine->options().maxBufferedBytes; }
void QEngineIoServer::setMaxBufferedBytes(qint64 bytes)
{
    if (bytes != maxBufferedBytes() && d_ptr->changeOptions([=](Options &o) { o.maxBufferedBytes = bytes; }))
        Q_EMIT maxBufferedBytesChanged();
}

QSocketIoCorsOptions QEngineIoServer::cors() const { return d_ptr->cors; }

void QEngineIoServer::setCors(const QSocketIoCorsOptions &cors)
{
    const QEngineIo::Cors c = QEngineIoServerFacade::engineCors(cors);
    if (d_ptr->changeOptions([&c](Options &o) { o.cors = c; }))
        d_ptr->cors = cors;
}

void QEngineIoServer::setAllowRequest(const AllowRequest &hook)
{
    AllowRequestHook engineHook;
    if (hook) {
        engineHook = [hook](const RequestInfo &request, const AllowRequestCallback &answer) {
            hook(QSocketIoHandshakePrivate::create(request, {}), [answer](bool allowed, int status, const QString &message) {
                answer(allowed, status, message.toUtf8());
            });
        };
    }
    d_ptr->changeOptions([&engineHook](Options &o) { o.allowRequest = engineHook; });
}

static QEngineIo::HeadersHook wrapHeadersHook(const QEngineIoServer::HeadersHook &hook)
{
    if (!hook)
        return nullptr;
    return [hook](QHttpHeaderList &headers, const RequestInfo &request) {
        QEngineIoServer::Headers list = headers.list();
        hook(list, QSocketIoHandshakePrivate::create(request, {}));
        headers.clear();
        for (const auto &header : std::as_const(list))
            headers.append(header.first, header.second);
    };
}

// The header hooks live in the engine's options for both kinds of server (a QSocketIoServer keeps them when
// it applies its own options).
void QEngineIoServer::setInitialHeaders(const HeadersHook &hook)
{
    QEngineIoServerPrivate *engine = d_ptr->engine;
    Options o = engine->options();
    o.editHandshakeHeaders = wrapHeadersHook(hook);
    engine->setOptions(o);
}

void QEngineIoServer::setHeaders(const HeadersHook &hook)
{
    QEngineIoServerPrivate *engine = d_ptr->engine;
    Options o = engine->options();
    o.editResponseHeaders = wrapHeadersHook(hook);
    engine->setOptions(o);
}

void QEngineIoServer::setGenerateId(const IdGenerator &generator)
{
    d_ptr->idGenerator = generator;
    // With I/O threads the engine asks this thread for each new session's id only while there is a generator.
    if (d_ptr->engine)
        d_ptr->engine->setHandlerGeneratesIds(bool(generator));
}

void QEngineIoServer::connectNotify(const QMetaMethod &signal)
{
    // connection() hands out the sockets of sessions as they open: with I/O threads their packets are then
    // reported from the start, until it is clear that nothing listens to them.
    if (signal == QMetaMethod::fromSignal(&QEngineIoServer::connection) && d_ptr->engine)
        d_ptr->engine->setReportPacketsFromOpen(true);
}

int QEngineIoServer::ioThreadCount() const { return d_ptr->engine ? d_ptr->engine->ioThreadCount() : 1; }

void QEngineIoServer::setIoThreadCount(int count)
{
    QEngineIoServerFacade *d = d_ptr.get();
    if (!d->owned) {
        qWarning("QEngineIoServer::setIoThreadCount: the engine of a QSocketIoServer takes it from "
                 "QSocketIoServer::setIoThreadCount()");
        return;
    }
    count = qBound(1, count, 64);
    if (count == d->engine->ioThreadCount())
        return;
    d->engine->setIoThreadCount(count);
    Q_EMIT ioThreadCountChanged();
}

int QEngineIoServer::clientsCount() const { return d_ptr->engine ? int(d_ptr->engine->sessionCount()) : 0; }

QList<QEngineIoSocket *> QEngineIoServer::clients() const
{
    QList<QEngineIoSocket *> list;
    if (!d_ptr->engine)
        return list;
    for (QEngineIoSession *session : d_ptr->engine->sessions()) {
        if (QEngineIoSocket *socket = d_ptr->socket(session))
            list.append(socket);
    }
    return list;
}

QEngineIoSocket *QEngineIoServer::client(const QString &id) const
{
    if (!d_ptr->engine)
        return nullptr;
    QEngineIoSession *session = d_ptr->engine->session(id.toUtf8());
    return session ? d_ptr->socket(session) : nullptr;
}

QString QEngineIoServer::errorMessage(ErrorCode code)
{
    return QString::fromLatin1(QEngineIo::errorMessage(QEngineIo::ErrorCode(code)));
}
