// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qqmlsocketioserver_p.h"
#include "qqmlsocketiosocket_p.h"
#include "qqmlsocketiosocketmodel_p.h"
#include "qqmlsocketiovalues_p.h"

#include <QtSocketIo/qsocketioserver.h>

#include <QtCore/qfile.h>
#include <QtCore/qregularexpression.h>
#include <QtNetwork/qhostaddress.h>
#include <QtNetwork/qsslcertificate.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslkey.h>
#include <QtQml/qqmlengine.h>
#include <QtQml/qqmlinfo.h>

/*!
    \qmltype SocketIoServer
    \inqmlmodule QtSocketIo
    \brief A Socket.IO v5 server declared in QML.

    \qml
    import QtSocketIo

    SocketIoServer {
        id: server
        port: 3000                       // 0 picks a free port and writes it back here
        onSocketConnected: (socket) => socket.emitEvent("hello", "welcome")
        Component.onCompleted: server.on("chat", (socket, args, ack) => {
            server.emitExcept(socket.id, "chat", args[0])
            if (ack) ack(server.sockets.count)
        })
    }
    \endqml

    Properties (times in ms, sizes in bytes, defaults as in Node's socket.io): \c host ("127.0.0.1"),
    \c port (0), \c path ("/socket.io/"), \c running (true: listening; set it to stop or start again),
    \c url (read-only, "http://host:port" while running), \c pingInterval (25000), \c pingTimeout (20000),
    \c connectionStateRecovery (false) with \c maxDisconnectionDuration (120000),
    \c connectTimeout (45000), \c upgradeTimeout (10000), \c maxHttpBufferSize (1e6), \c allowUpgrades
    (true), \c allowEIO3 (false: socket.io-client 2.x / Engine.IO v3 clients get 400; see
    QSocketIoServer::allowEIO3), \c corsOrigins (empty: CORS off; ["*"]: any origin), \c documentRoot (a folder, e.g.
    Qt.resolvedUrl("web"), served to GET requests outside path), \c serveClient (true: the socket.io-client
    bundles under path), \c httpCompression (true) with \c httpCompressionThreshold (1024), the limits (0: none) \c maxConnections,
    \c maxConnectionsPerAddress, \c maxBufferedBytes (33554432, queued outgoing bytes per connection),
    \c maxNamespacesPerConnection, \c maxPendingAcksPerSocket, \c maxAttachments (10 per packet), and the
    incoming event rate limit \c eventRateLimit (events per second per connection) with \c eventRateBurst
    (0: as many as the rate), \c metricsPort (-1, the default: off; 0 picks a free port and writes it back;
    otherwise an OpenMetrics text endpoint on that port of \c host, at \c /metrics; see
    QSocketIoServer::listenMetrics()), TLS with
    \c certificate and \c privateKey (PEM files as URLs; \c secure tells whether they are in use, and \c url
    then starts with https), \c sockets (a SocketIoSocketModel of every
    socket of the namespaces known to QML: "/" and those of SocketIoNamespace and of()), \c socketCount
    (sockets in "/"), \c connectionCount (Engine.IO connections) and \c errorString.

    \c parser (SocketIoServer.Json, the default, or SocketIoServer.MessagePack for clients using
    socket.io-msgpack-parser; see QSocketIoServer::parser).

    Changing host, port, path or parser while running restarts the server, which disconnects every client.

    Signals: socketConnected(socket) and socketDisconnected(socket, reason) for the main namespace,
    errorOccurred(errorString) when listening fails.
    Methods: emitEvent(event, ...args), emitTo(rooms, event, ...args), emitExcept(rooms, event, ...args)
    (0 to 6 arguments each), send(args), emitWithAck(event, args, [timeoutMs,] callback(err, responses))
    (no timeout unless given), the broadcast operator (SocketIoBroadcast) from all(), to(rooms), in(rooms),
    except(rooms), local(), asVolatile(), compress(bool), timeout(ms), fetchSockets(callback(sockets)),
    on(event, handler(socket, args, ack)), off(event[, handler]), socket(id), socketsJoin(rooms),
    socketsLeave(rooms), disconnectSockets(close), of(name or RegExp), metricsText() (the metrics as
    OpenMetrics text, also when \c metricsPort is off).
*/

QQmlSocketIoServer::QQmlSocketIoServer(QObject *parent)
    : QQmlSocketIoAbstractNamespace(parent),
      m_server(new QSocketIoServer(this)),
      m_model(new QQmlSocketIoSocketModel(this))
{
    connect(m_server, &QSocketIoServer::listeningChanged, this, [this] {
        if (m_server->isListening() && m_port != m_server->serverPort()) {
            // Port 0 picked a free one: write it back (without restarting) before running reads true.
            m_port = m_server->serverPort();
            Q_EMIT portChanged();
        }
        if (isComplete()) {
            Q_EMIT runningChanged();
            Q_EMIT urlChanged();
        }
    });
    connect(m_server, &QSocketIoServer::pathChanged, this, &QQmlSocketIoServer::pathChanged);
    connect(m_server, &QSocketIoServer::pingIntervalChanged, this, &QQmlSocketIoServer::pingIntervalChanged);
    connect(m_server, &QSocketIoServer::connectionStateRecoveryChanged, this,
            &QQmlSocketIoServer::connectionStateRecoveryChanged);
    connect(m_server, &QSocketIoServer::pingTimeoutChanged, this, &QQmlSocketIoServer::pingTimeoutChanged);
    connect(m_server, &QSocketIoServer::connectTimeoutChanged, this, &QQmlSocketIoServer::connectTimeoutChanged);
    connect(m_server, &QSocketIoServer::upgradeTimeoutChanged, this, &QQmlSocketIoServer::upgradeTimeoutChanged);
    connect(m_server, &QSocketIoServer::maxHttpBufferSizeChanged, this,
            &QQmlSocketIoServer::maxHttpBufferSizeChanged);
    connect(m_server, &QSocketIoServer::allowUpgradesChanged, this, &QQmlSocketIoServer::allowUpgradesChanged);
    connect(m_server, &QSocketIoServer::serveClientChanged, this, &QQmlSocketIoServer::serveClientChanged);
    connect(m_server, &QSocketIoServer::cleanupEmptyChildNamespacesChanged, this,
            &QQmlSocketIoServer::cleanupEmptyChildNamespacesChanged);
    connect(m_server, &QSocketIoServer::httpCompressionChanged, this, &QQmlSocketIoServer::httpCompressionChanged);
    connect(m_server, &QSocketIoServer::httpCompressionThresholdChanged, this,
            &QQmlSocketIoServer::httpCompressionThresholdChanged);
    connect(m_server, &QSocketIoServer::allowEIO3Changed, this, &QQmlSocketIoServer::allowEIO3Changed);
    connect(m_server, &QSocketIoServer::maxConnectionsChanged, this, &QQmlSocketIoServer::maxConnectionsChanged);
    connect(m_server, &QSocketIoServer::maxConnectionsPerAddressChanged, this,
            &QQmlSocketIoServer::maxConnectionsPerAddressChanged);
    connect(m_server, &QSocketIoServer::maxBufferedBytesChanged, this, &QQmlSocketIoServer::maxBufferedBytesChanged);
    connect(m_server, &QSocketIoServer::maxNamespacesPerConnectionChanged, this,
            &QQmlSocketIoServer::maxNamespacesPerConnectionChanged);
    connect(m_server, &QSocketIoServer::maxPendingAcksPerSocketChanged, this,
            &QQmlSocketIoServer::maxPendingAcksPerSocketChanged);
    connect(m_server, &QSocketIoServer::maxAttachmentsChanged, this, &QQmlSocketIoServer::maxAttachmentsChanged);
    connect(m_server, &QSocketIoServer::eventRateLimitChanged, this, &QQmlSocketIoServer::eventRateLimitChanged);
    connect(m_server, &QSocketIoServer::eventRateBurstChanged, this, &QQmlSocketIoServer::eventRateBurstChanged);
    connect(m_server, &QSocketIoServer::ioThreadCountChanged, this, &QQmlSocketIoServer::ioThreadCountChanged);
    connect(m_server, &QSocketIoServer::parserChanged, this, &QQmlSocketIoServer::parserChanged);
    connect(m_server, &QSocketIoServer::sslConfigurationChanged, this, &QQmlSocketIoServer::secureChanged);
    connect(m_server, &QSocketIoServer::connectionCountChanged, this,
            &QQmlSocketIoServer::connectionCountChanged);
    // The main namespace: listed in `sockets` first, then announced by socketConnected.
    trackNamespace(m_server->mainNamespace());
}

QQmlSocketIoServer::~QQmlSocketIoServer()
{
    // Quiet teardown: no QML handler runs while the server closes its connections.
    m_model->clear();
    attach(nullptr);
    for (QObject *object : std::as_const(m_namespaces))
        object->blockSignals(true);
    QList<QSocketIoNamespace *> namespaces = m_server->namespaces();
    for (QSocketIoNamespace *nsp : m_server->namespaces())
        namespaces += nsp->childNamespaces();
    for (QSocketIoNamespace *nsp : std::as_const(namespaces)) {
        const QList<QSocketIoSocket *> sockets = nsp->sockets();
        for (QSocketIoSocket *socket : sockets) {
            if (auto *wrapper = socket->findChild<QQmlSocketIoSocket *>(QString(), Qt::FindDirectChildrenOnly))
                wrapper->blockSignals(true);
        }
    }
    m_server->disconnect(this);
    delete m_server;
    m_server = nullptr;
}

QQmlListProperty<QObject> QQmlSocketIoServer::data()
{
    return QQmlListProperty<QObject>(this, nullptr, &dataAppend, &dataCount, &dataAt, &dataClear);
}

void QQmlSocketIoServer::dataAppend(QQmlListProperty<QObject> *list, QObject *object)
{
    auto *self = static_cast<QQmlSocketIoServer *>(list->object);
    if (!object)
        return;
    self->m_data.append(object);
    if (auto *nsp = qobject_cast<QQmlSocketIoNamespace *>(object); nsp && !nsp->server())
        nsp->setServer(self);
}

qsizetype QQmlSocketIoServer::dataCount(QQmlListProperty<QObject> *list)
{
    return static_cast<QQmlSocketIoServer *>(list->object)->m_data.size();
}

QObject *QQmlSocketIoServer::dataAt(QQmlListProperty<QObject> *list, qsizetype index)
{
    return static_cast<QQmlSocketIoServer *>(list->object)->m_data.value(index);
}

void QQmlSocketIoServer::dataClear(QQmlListProperty<QObject> *list)
{
    static_cast<QQmlSocketIoServer *>(list->object)->m_data.clear();
}

void QQmlSocketIoServer::setHost(const QString &host)
{
    if (m_host == host)
        return;
    m_host = host;
    Q_EMIT hostChanged();
    restartIfRunning();
}

void QQmlSocketIoServer::setPort(int port)
{
    if (m_port == port)
        return;
    if (port < 0 || port > 65535) {
        qmlWarning(this) << "port " << port << " is out of range";
        return;
    }
    m_port = port;
    Q_EMIT portChanged();
    restartIfRunning();
}

QString QQmlSocketIoServer::path() const
{
    return m_server->path();
}

void QQmlSocketIoServer::setPath(const QString &path)
{
    if (path == m_server->path())
        return;
    m_server->setPath(path);  // emits pathChanged; takes effect at the next listen()
    restartIfRunning();
}

bool QQmlSocketIoServer::isRunning() const
{
    return isComplete() ? m_server->isListening() : m_wantRunning;
}

void QQmlSocketIoServer::setRunning(bool running)
{
    if (!isComplete()) {
        if (m_wantRunning != running) {
            m_wantRunning = running;
            Q_EMIT runningChanged();
        }
        return;
    }
    m_wantRunning = running;
    updateListening();
}

QString QQmlSocketIoServer::url() const
{
    if (!m_server->isListening())
        return QString();
    const QHostAddress address = m_server->serverAddress();
    QString host = address.toString();
    if (address == QHostAddress::Any || address == QHostAddress::AnyIPv4 || address == QHostAddress::AnyIPv6)
        host = QStringLiteral("127.0.0.1");
    else if (address.protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    return QStringLiteral("%1://%2:%3").arg(isSecure() ? QStringLiteral("https") : QStringLiteral("http"), host)
            .arg(m_server->serverPort());
}

bool QQmlSocketIoServer::connectionStateRecovery() const { return m_server->connectionStateRecovery().isEnabled(); }

void QQmlSocketIoServer::setConnectionStateRecovery(bool enabled)
{
    QSocketIoConnectionStateRecovery options = m_server->connectionStateRecovery();
    options.setEnabled(enabled);
    m_server->setConnectionStateRecovery(options);
}

int QQmlSocketIoServer::maxDisconnectionDuration() const
{
    return m_server->connectionStateRecovery().maxDisconnectionDuration();
}

void QQmlSocketIoServer::setMaxDisconnectionDuration(int milliseconds)
{
    QSocketIoConnectionStateRecovery options = m_server->connectionStateRecovery();
    options.setMaxDisconnectionDuration(milliseconds);
    m_server->setConnectionStateRecovery(options);
}

int QQmlSocketIoServer::pingInterval() const { return m_server->pingInterval(); }
void QQmlSocketIoServer::setPingInterval(int milliseconds) { m_server->setPingInterval(milliseconds); }
int QQmlSocketIoServer::pingTimeout() const { return m_server->pingTimeout(); }
void QQmlSocketIoServer::setPingTimeout(int milliseconds) { m_server->setPingTimeout(milliseconds); }
int QQmlSocketIoServer::connectTimeout() const { return m_server->connectTimeout(); }
void QQmlSocketIoServer::setConnectTimeout(int milliseconds) { m_server->setConnectTimeout(milliseconds); }
int QQmlSocketIoServer::upgradeTimeout() const { return m_server->upgradeTimeout(); }
void QQmlSocketIoServer::setUpgradeTimeout(int milliseconds) { m_server->setUpgradeTimeout(milliseconds); }
double QQmlSocketIoServer::maxHttpBufferSize() const { return double(m_server->maxHttpBufferSize()); }
void QQmlSocketIoServer::setMaxHttpBufferSize(double bytes) { m_server->setMaxHttpBufferSize(qint64(bytes)); }
bool QQmlSocketIoServer::allowUpgrades() const { return m_server->allowUpgrades(); }
void QQmlSocketIoServer::setAllowUpgrades(bool allow) { m_server->setAllowUpgrades(allow); }
bool QQmlSocketIoServer::serveClient() const { return m_server->serveClient(); }
bool QQmlSocketIoServer::cleanupEmptyChildNamespaces() const { return m_server->cleanupEmptyChildNamespaces(); }
void QQmlSocketIoServer::setCleanupEmptyChildNamespaces(bool cleanup) { m_server->setCleanupEmptyChildNamespaces(cleanup); }
void QQmlSocketIoServer::setServeClient(bool serve) { m_server->setServeClient(serve); }
bool QQmlSocketIoServer::httpCompression() const { return m_server->httpCompression(); }
void QQmlSocketIoServer::setHttpCompression(bool enabled) { m_server->setHttpCompression(enabled); }
int QQmlSocketIoServer::httpCompressionThreshold() const { return m_server->httpCompressionThreshold(); }
void QQmlSocketIoServer::setHttpCompressionThreshold(int bytes) { m_server->setHttpCompressionThreshold(bytes); }
bool QQmlSocketIoServer::allowEIO3() const { return m_server->allowEIO3(); }
void QQmlSocketIoServer::setAllowEIO3(bool allow) { m_server->setAllowEIO3(allow); }

void QQmlSocketIoServer::setCorsOrigins(const QStringList &origins)
{
    if (m_corsOrigins == origins)
        return;
    m_corsOrigins = origins;
    QSocketIoCorsOptions cors;
    if (!origins.isEmpty())
        cors.setAllowedOrigins(origins);
    m_server->setCors(cors);
    Q_EMIT corsOriginsChanged();
}

void QQmlSocketIoServer::setDocumentRoot(const QUrl &url)
{
    if (m_documentRoot == url)
        return;
    m_documentRoot = url;
    QString folder;
    if (url.isLocalFile())
        folder = url.toLocalFile();
    else if (url.scheme() == QLatin1String("qrc"))
        folder = u':' + url.path();
    else if (!url.isEmpty())
        folder = url.toString();
    m_server->setDocumentRoot(folder);
    Q_EMIT documentRootChanged();
}

int QQmlSocketIoServer::maxConnections() const { return m_server->maxConnections(); }
void QQmlSocketIoServer::setMaxConnections(int count) { m_server->setMaxConnections(count); }
int QQmlSocketIoServer::maxConnectionsPerAddress() const { return m_server->maxConnectionsPerAddress(); }
void QQmlSocketIoServer::setMaxConnectionsPerAddress(int count) { m_server->setMaxConnectionsPerAddress(count); }
double QQmlSocketIoServer::maxBufferedBytes() const { return double(m_server->maxBufferedBytes()); }
void QQmlSocketIoServer::setMaxBufferedBytes(double bytes) { m_server->setMaxBufferedBytes(qint64(bytes)); }
int QQmlSocketIoServer::maxNamespacesPerConnection() const { return m_server->maxNamespacesPerConnection(); }
void QQmlSocketIoServer::setMaxNamespacesPerConnection(int count) { m_server->setMaxNamespacesPerConnection(count); }
int QQmlSocketIoServer::maxPendingAcksPerSocket() const { return m_server->maxPendingAcksPerSocket(); }
void QQmlSocketIoServer::setMaxPendingAcksPerSocket(int count) { m_server->setMaxPendingAcksPerSocket(count); }
int QQmlSocketIoServer::maxAttachments() const { return m_server->maxAttachments(); }
int QQmlSocketIoServer::eventRateLimit() const { return m_server->eventRateLimit(); }
void QQmlSocketIoServer::setEventRateLimit(int eventsPerSecond) { m_server->setEventRateLimit(eventsPerSecond); }
int QQmlSocketIoServer::eventRateBurst() const { return m_server->eventRateBurst(); }
void QQmlSocketIoServer::setEventRateBurst(int events) { m_server->setEventRateBurst(events); }
int QQmlSocketIoServer::ioThreadCount() const { return m_server->ioThreadCount(); }
void QQmlSocketIoServer::setIoThreadCount(int count) { m_server->setIoThreadCount(count); }
void QQmlSocketIoServer::setMaxAttachments(int count) { m_server->setMaxAttachments(count); }
static_assert(int(QQmlSocketIoServer::Json) == int(QSocketIoServer::Parser::Json)
              && int(QQmlSocketIoServer::MessagePack) == int(QSocketIoServer::Parser::MessagePack));
QQmlSocketIoServer::Parser QQmlSocketIoServer::parser() const { return Parser(int(m_server->parser())); }

void QQmlSocketIoServer::setParser(Parser parser)
{
    if (parser == this->parser())
        return;
    m_server->setParser(QSocketIoServer::Parser(int(parser)));   // emits parserChanged; applies at the next listen()
    restartIfRunning();
}

bool QQmlSocketIoServer::isSecure() const
{
    return !m_server->sslConfiguration().isNull();
}

void QQmlSocketIoServer::setCertificate(const QUrl &url)
{
    if (m_certificate == url)
        return;
    m_certificate = url;
    Q_EMIT certificateChanged();
    applyTls();
}

void QQmlSocketIoServer::setPrivateKey(const QUrl &url)
{
    if (m_privateKey == url)
        return;
    m_privateKey = url;
    Q_EMIT privateKeyChanged();
    applyTls();
}

static QString localPath(const QUrl &url)
{
    if (url.isLocalFile())
        return url.toLocalFile();
    if (url.scheme() == QLatin1String("qrc"))
        return u':' + url.path();
    return url.toString();
}

// Loads the certificate and key once both are set; a bad file leaves the server on plain HTTP and says why.
void QQmlSocketIoServer::applyTls()
{
    QSslConfiguration configuration;
    if (!m_certificate.isEmpty() && !m_privateKey.isEmpty()) {
        QString problem;
        QFile certFile(localPath(m_certificate));
        QFile keyFile(localPath(m_privateKey));
        QList<QSslCertificate> chain;
        QSslKey key;
        if (!certFile.open(QIODevice::ReadOnly)) {
            problem = QStringLiteral("cannot read the certificate %1: %2").arg(certFile.fileName(), certFile.errorString());
        } else if (chain = QSslCertificate::fromDevice(&certFile, QSsl::Pem); chain.isEmpty()) {
            problem = QStringLiteral("no PEM certificate in %1").arg(certFile.fileName());
        } else if (!keyFile.open(QIODevice::ReadOnly)) {
            problem = QStringLiteral("cannot read the private key %1: %2").arg(keyFile.fileName(), keyFile.errorString());
        } else {
            const QByteArray pem = keyFile.readAll();
            for (QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec, QSsl::Dsa }) {
                key = QSslKey(pem, algorithm, QSsl::Pem);
                if (!key.isNull())
                    break;
            }
            if (key.isNull())
                problem = QStringLiteral("no usable PEM private key in %1").arg(keyFile.fileName());
        }
        if (!problem.isEmpty()) {
            qmlWarning(this) << problem;
            setErrorString(problem);
            Q_EMIT errorOccurred(problem);
        } else {
            configuration = QSslConfiguration::defaultConfiguration();
            configuration.setLocalCertificateChain(chain);
            configuration.setPrivateKey(key);
            configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
        }
    }
    if (configuration.isNull() && m_server->sslConfiguration().isNull())
        return;
    m_server->setSslConfiguration(configuration);   // emits sslConfigurationChanged -> secureChanged
    Q_EMIT urlChanged();
    restartIfRunning();
}

int QQmlSocketIoServer::connectionCount() const
{
    return m_server->connectionCount();
}

QQmlSocketIoNamespace *QQmlSocketIoServer::of(const QJSValue &nameOrPattern)
{
    QSocketIoNamespace *nsp = nullptr;
    QString key;
    if (nameOrPattern.isRegExp()) {
        const QRegularExpression pattern = nameOrPattern.toVariant().toRegularExpression();
        key = pattern.pattern();
        if (QQmlSocketIoNamespace *known = m_namespaces.value(u"regexp:" + key))
            return known;
        nsp = m_server->of(pattern);
        key.prepend(u"regexp:");
    } else {
        key = nameOrPattern.toString();
        if (nameOrPattern.isUndefined() || key.isEmpty())
            key = QStringLiteral("/");
        if (!key.startsWith(u'/'))
            key.prepend(u'/');
        if (QQmlSocketIoNamespace *known = m_namespaces.value(key))
            return known;
        nsp = m_server->of(key);
    }
    if (!nsp)
        return nullptr;
    auto *object = QQmlSocketIoNamespace::create(this, nsp, key.startsWith(u"regexp:") ? key.mid(7) : key,
                                                 jsEngine());
    m_namespaces.insert(key, object);
    return object;
}

void QQmlSocketIoServer::trackNamespace(QSocketIoNamespace *nsp)
{
    if (!nsp || m_tracked.contains(nsp))
        return;
    m_tracked.append(nsp);
    auto add = [this](QSocketIoSocket *socket) { m_model->addSocket(QQmlSocketIoSocket::from(socket, jsEngine())); };
    connect(nsp, &QSocketIoNamespace::newConnection, this, add);
    QList<QSocketIoSocket *> existing = nsp->sockets();
    for (QSocketIoNamespace *child : nsp->childNamespaces())
        existing += child->sockets();
    for (QSocketIoSocket *socket : std::as_const(existing))
        add(socket);
}

void QQmlSocketIoServer::componentComplete()
{
    QQmlSocketIoAbstractNamespace::componentComplete();
    attach(m_server->mainNamespace());
    const bool wasReported = m_wantRunning;
    updateListening();
    if (wasReported != isRunning())
        Q_EMIT runningChanged();
}

void QQmlSocketIoServer::restartIfRunning()
{
    if (!isComplete() || !m_server->isListening())
        return;
    m_server->close();
    updateListening();
}

void QQmlSocketIoServer::setMetricsPort(int port)
{
    if (port < -1 || port > 65535 || port == m_metricsPort)
        return;
    m_metricsPort = port;
    Q_EMIT metricsPortChanged();
    if (m_server->isListening())
        updateMetrics(m_server->serverAddress());
}

QString QQmlSocketIoServer::metricsText() const
{
    return m_server->metricsText();
}

// The metrics endpoint follows metricsPort, on the server's address.
void QQmlSocketIoServer::updateMetrics(const QHostAddress &address)
{
    if (m_metricsPort < 0) {
        m_server->closeMetrics();
        return;
    }
    if (m_server->metricsPort() && (m_metricsPort == 0 || m_server->metricsPort() == m_metricsPort))
        return;
    if (!m_server->listenMetrics(address, quint16(m_metricsPort))) {
        qmlWarning(this) << "cannot serve metrics on port " << m_metricsPort;
        return;
    }
    if (m_metricsPort == 0) {
        m_metricsPort = m_server->metricsPort();   // a free port, written back
        Q_EMIT metricsPortChanged();
    }
}

void QQmlSocketIoServer::updateListening()
{
    if (!isComplete())
        return;
    if (!m_wantRunning) {
        if (m_server->isListening())
            m_server->close();  // emits listeningChanged -> runningChanged
        return;
    }
    if (m_server->isListening())
        return;
    QHostAddress address(m_host);
    if (address.isNull()) {
        if (m_host.isEmpty() || m_host == QLatin1String("localhost"))
            address = QHostAddress(QHostAddress::LocalHost);
        else if (m_host == QLatin1String("any") || m_host == QLatin1String("*"))
            address = QHostAddress(QHostAddress::Any);
    }
    if (address.isNull()) {
        m_wantRunning = false;
        setErrorString(QStringLiteral("invalid host address: %1").arg(m_host));
        Q_EMIT runningChanged();
        Q_EMIT errorOccurred(m_errorString);
        return;
    }
    if (!m_server->listen(address, quint16(m_port))) {
        m_wantRunning = false;
        setErrorString(m_server->errorString());
        qmlWarning(this) << "cannot listen on " << m_host << ':' << m_port << ": " << m_errorString;
        Q_EMIT runningChanged();
        Q_EMIT errorOccurred(m_errorString);
        return;
    }
    setErrorString(QString());
    updateMetrics(address);
    qCDebug(lcQml) << "SocketIoServer listening on" << url();
    if (m_port != m_server->serverPort()) {
        // Port 0 picked a free one: write it back without restarting.
        m_port = m_server->serverPort();
        Q_EMIT portChanged();
        Q_EMIT urlChanged();
    }
}

void QQmlSocketIoServer::setErrorString(const QString &message)
{
    if (m_errorString == message)
        return;
    m_errorString = message;
    Q_EMIT errorStringChanged();
}
