// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOSERVER_H
#define QSOCKETIOSERVER_H

#include <QtSocketIo/qengineioserver.h>
#include <QtSocketIo/qsocketioadapter.h>
#include <QtSocketIo/qsocketiobroadcast.h>
#include <QtSocketIo/qsocketiobroadcastoperators.h>
#include <QtSocketIo/qsocketioconnectionstaterecovery.h>
#include <QtSocketIo/qsocketiocorsoptions.h>
#include <QtSocketIo/qsocketiohandshake.h>
#include <QtSocketIo/qsocketionamespace.h>
#include <QtSocketIo/qsocketiosessionstore.h>
#include <QtSocketIo/qsocketiosocket.h>
#include <QtSocketIo/qtsocketioglobal.h>

#include <QtCore/qobject.h>
#include <QtCore/qpair.h>
#include <QtNetwork/qhostaddress.h>
#include <QtNetwork/qsslconfiguration.h>

#include <chrono>
#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QRegularExpression;
class QHttpServer;
class QTcpServer;
class QWebSocket;
QT_END_NAMESPACE

class QSocketIoServerPrivate;

// A Socket.IO v5 server (Engine.IO v4 underneath: HTTP long-polling and WebSocket on one port).
// The broadcast vocabulary (to, in, except, local, asVolatile, compress, timeout, emitEvent, emitWithAck,
// send, fetchSockets, fetchRemoteSockets, socketsJoin, socketsLeave, disconnectSockets) comes from
// QSocketIoBroadcastOperators and acts on the main namespace "/", like Node's io.emit() and friends.
class QTSOCKETIO_EXPORT QSocketIoServer : public QObject, public QSocketIoBroadcastOperators<QSocketIoServer>
{
    Q_OBJECT
    Q_PROPERTY(bool listening READ isListening NOTIFY listeningChanged)
    Q_PROPERTY(quint16 serverPort READ serverPort NOTIFY serverPortChanged)
    Q_PROPERTY(QString path READ path WRITE setPath NOTIFY pathChanged)
    Q_PROPERTY(int pingInterval READ pingInterval WRITE setPingInterval NOTIFY pingIntervalChanged)
    Q_PROPERTY(int pingTimeout READ pingTimeout WRITE setPingTimeout NOTIFY pingTimeoutChanged)
    Q_PROPERTY(int upgradeTimeout READ upgradeTimeout WRITE setUpgradeTimeout NOTIFY upgradeTimeoutChanged)
    Q_PROPERTY(int connectTimeout READ connectTimeout WRITE setConnectTimeout NOTIFY connectTimeoutChanged)
    Q_PROPERTY(qint64 maxHttpBufferSize READ maxHttpBufferSize WRITE setMaxHttpBufferSize NOTIFY maxHttpBufferSizeChanged)
    Q_PROPERTY(Transports transports READ transports WRITE setTransports NOTIFY transportsChanged)
    Q_PROPERTY(bool allowUpgrades READ allowUpgrades WRITE setAllowUpgrades NOTIFY allowUpgradesChanged)
    Q_PROPERTY(bool addTrailingSlash READ addTrailingSlash WRITE setAddTrailingSlash NOTIFY addTrailingSlashChanged)
    Q_PROPERTY(bool allowEIO3 READ allowEIO3 WRITE setAllowEIO3 NOTIFY allowEIO3Changed)
    Q_PROPERTY(QSslConfiguration sslConfiguration READ sslConfiguration WRITE setSslConfiguration NOTIFY sslConfigurationChanged)
    Q_PROPERTY(int maxConnections READ maxConnections WRITE setMaxConnections NOTIFY maxConnectionsChanged)
    Q_PROPERTY(int maxConnectionsPerAddress READ maxConnectionsPerAddress WRITE setMaxConnectionsPerAddress NOTIFY maxConnectionsPerAddressChanged)
    Q_PROPERTY(qint64 maxBufferedBytes READ maxBufferedBytes WRITE setMaxBufferedBytes NOTIFY maxBufferedBytesChanged)
    Q_PROPERTY(int connectionCount READ connectionCount NOTIFY connectionCountChanged)
    Q_PROPERTY(QString metricsPath READ metricsPath WRITE setMetricsPath NOTIFY metricsPathChanged)
    Q_PROPERTY(quint16 metricsPort READ metricsPort NOTIFY metricsPortChanged)
    Q_PROPERTY(QString documentRoot READ documentRoot WRITE setDocumentRoot NOTIFY documentRootChanged)
    Q_PROPERTY(bool serveClient READ serveClient WRITE setServeClient NOTIFY serveClientChanged)
    Q_PROPERTY(bool cleanupEmptyChildNamespaces READ cleanupEmptyChildNamespaces WRITE setCleanupEmptyChildNamespaces
               NOTIFY cleanupEmptyChildNamespacesChanged)
    Q_PROPERTY(bool httpCompression READ httpCompression WRITE setHttpCompression NOTIFY httpCompressionChanged)
    Q_PROPERTY(int httpCompressionThreshold READ httpCompressionThreshold WRITE setHttpCompressionThreshold
               NOTIFY httpCompressionThresholdChanged)
    Q_PROPERTY(int maxNamespacesPerConnection READ maxNamespacesPerConnection WRITE setMaxNamespacesPerConnection
               NOTIFY maxNamespacesPerConnectionChanged)
    Q_PROPERTY(int maxPendingAcksPerSocket READ maxPendingAcksPerSocket WRITE setMaxPendingAcksPerSocket
               NOTIFY maxPendingAcksPerSocketChanged)
    Q_PROPERTY(int maxAttachments READ maxAttachments WRITE setMaxAttachments NOTIFY maxAttachmentsChanged)
    Q_PROPERTY(int eventRateLimit READ eventRateLimit WRITE setEventRateLimit NOTIFY eventRateLimitChanged)
    Q_PROPERTY(int eventRateBurst READ eventRateBurst WRITE setEventRateBurst NOTIFY eventRateBurstChanged)
    Q_PROPERTY(int ioThreadCount READ ioThreadCount WRITE setIoThreadCount NOTIFY ioThreadCountChanged)
    Q_PROPERTY(Parser parser READ parser WRITE setParser NOTIFY parserChanged)
    Q_PROPERTY(QSocketIoConnectionStateRecovery connectionStateRecovery READ connectionStateRecovery
               WRITE setConnectionStateRecovery NOTIFY connectionStateRecoveryChanged)
    Q_PROPERTY(QSocketIoSessionStore *sessionStore READ sessionStore WRITE setSessionStore NOTIFY sessionStoreChanged)
    Q_PROPERTY(Error error READ error NOTIFY errorOccurred)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorOccurred)
public:
    enum class Error { NoError, ListenError };
    Q_ENUM(Error)
    enum Transport { Polling = 0x1, WebSocket = 0x2 };
    // How packets are written on the wire (Node's `parser` option): Json is socket.io-parser, the default;
    // MessagePack is socket.io-msgpack-parser. Every client must use the same one.
    enum class Parser { Json, MessagePack };
    Q_ENUM(Parser)
    Q_DECLARE_FLAGS(Transports, Transport)
    Q_FLAG(Transports)

    // The answer to an allowRequest hook: call once, now or later.
    using RequestVerdict = std::function<void(bool allowed, int httpStatus, const QString &message)>;
    // Decides whether a new connection (its first HTTP request) may open. Not called for the later requests of
    // an open session. Refused: the client gets httpStatus (403 when <= 0) and {"code":4,"message":message}.
    using AllowRequest = std::function<void(const QSocketIoHandshake &request, const RequestVerdict &verdict)>;
    using Headers = QEngineIoServer::Headers;
    // Edits the headers of HTTP responses. Qt writes the WebSocket 101 response itself and offers no way to add
    // headers to it, so these hooks see the polling responses only. The engine's hooks (engine()).
    using HeadersHook = QEngineIoServer::HeadersHook;
    // Dynamic namespaces: decides whether a namespace name that does not exist yet may be created.
    using NamespacePredicate = std::function<bool(const QString &name, const QVariantMap &auth)>;
    // Makes the adapter of a namespace: where its rooms live and how it reaches the other nodes of a cluster.
    // The namespace owns what it returns (see QSocketIoAdapter); adapter components install their own
    // factories (QSocketIoRedisAdapter::attach()).
    using AdapterFactory = std::function<std::unique_ptr<QSocketIoAdapter>(QSocketIoNamespace *nsp)>;

    explicit QSocketIoServer(QObject *parent = nullptr);
    ~QSocketIoServer() override;

    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    // Serves Socket.IO on the port of an application's QHttpServer (Node's io.attach(httpServer)).
    bool attach(QHttpServer *httpServer);
    // Serves the connections of a listening QTcpServer the application owns.
    bool bind(QTcpServer *tcpServer);
    bool isListening() const;
    quint16 serverPort() const;
    QHostAddress serverAddress() const;
    // Disconnects every socket with "server shutting down", closes every connection and stops listening.
    void close();
    Error error() const;
    QString errorString() const;

    // Default "/socket.io/". Takes effect at the next listen().
    QString path() const;
    void setPath(const QString &path);
    // Heartbeat (ms): default 25000 and 20000.
    int pingInterval() const;
    void setPingInterval(int milliseconds);
    void setPingInterval(std::chrono::milliseconds interval) { setPingInterval(int(interval.count())); }
    int pingTimeout() const;
    void setPingTimeout(int milliseconds);
    void setPingTimeout(std::chrono::milliseconds timeout) { setPingTimeout(int(timeout.count())); }
    // How long a WebSocket upgrade may take (ms), default 10000.
    int upgradeTimeout() const;
    void setUpgradeTimeout(int milliseconds);
    // How long a new connection may take to join a namespace (ms), default 45000.
    int connectTimeout() const;
    void setConnectTimeout(int milliseconds);
    void setConnectTimeout(std::chrono::milliseconds timeout) { setConnectTimeout(int(timeout.count())); }
    // The largest message (bytes) a client may send, default 1000000: a bigger POST gets 413, a bigger
    // WebSocket message closes the connection.
    qint64 maxHttpBufferSize() const;
    void setMaxHttpBufferSize(qint64 bytes);
    // Default: both.
    Transports transports() const;
    void setTransports(Transports transports);
    bool allowUpgrades() const;
    void setAllowUpgrades(bool allow);
    // Node's addTrailingSlash: true (default) answers path() with its trailing slash only ("/socket.io/...");
    // false answers "/socket.io?..." too, for clients that leave the slash out.
    bool addTrailingSlash() const;
    void setAddTrailingSlash(bool add);
    bool allowEIO3() const;
    void setAllowEIO3(bool allow);

    // HTTPS and WSS: a non-null configuration (certificate and private key at least) makes the next listen()
    // accept TLS connections only (QSslServer). Default: null, plain HTTP and WS.
    QSslConfiguration sslConfiguration() const;
    void setSslConfiguration(const QSslConfiguration &configuration);
    // Caps on open TCP connections, in all and from one client address (0, the default: no cap). A connection
    // over a cap gets "503 Service Unavailable" and is closed. Take effect for new connections.
    int maxConnections() const;
    void setMaxConnections(int connections);
    int maxConnectionsPerAddress() const;
    void setMaxConnectionsPerAddress(int connections);
    // Outgoing bytes one connection may have waiting (not yet taken by its peer) before it is closed as a slow
    // consumer with "transport error" and a warning; default 32 MiB, 0 for no bound. Volatile events are dropped
    // for a connection long before that, as soon as its WebSocket has 64 KiB waiting (or no poll is waiting).
    qint64 maxBufferedBytes() const;
    void setMaxBufferedBytes(qint64 bytes);

    void setAllowRequest(const AllowRequest &hook);
    void setCors(const QSocketIoCorsOptions &cors);
    QSocketIoCorsOptions cors() const;
    // The headers of the polling handshake response only / of every Engine.IO HTTP response.
    void setEditHandshakeHeaders(const HeadersHook &hook);
    void setEditResponseHeaders(const HeadersHook &hook);

    // A folder (or a Qt resource path such as ":/web") whose files are served to GET and HEAD requests outside
    // path(), with "index.html" for a folder: enough to ship the web page of an app with its server. Empty
    // (the default): such requests get 404.
    QString documentRoot() const;
    void setDocumentRoot(const QString &directory);
    // Serves the socket.io-client browser bundles embedded in the library under path(): socket.io.js,
    // socket.io.min.js, socket.io.msgpack.min.js, socket.io.esm.min.js and their .map files. Default true.
    bool serveClient() const;
    void setServeClient(bool serve);
    // Removes a dynamic child namespace once its last socket is gone. Default true (Node: false): otherwise every
    // CONNECT to a new matching name keeps a namespace for good.
    bool cleanupEmptyChildNamespaces() const;
    void setCleanupEmptyChildNamespaces(bool cleanup);
    // Compresses polling responses of at least httpCompressionThreshold() bytes (default 1024) with gzip or
    // deflate, as the request's Accept-Encoding allows. Default true.
    bool httpCompression() const;
    void setHttpCompression(bool enabled);
    int httpCompressionThreshold() const;
    void setHttpCompressionThreshold(int bytes);

    // Limits against hostile or runaway clients.
    // How many namespaces one connection may join (or be joining) at once. Default 0: no limit, as in Node.js.
    // A CONNECT beyond it gets CONNECT_ERROR {"message":"Too many namespaces"}; the connection stays open.
    int maxNamespacesPerConnection() const;
    void setMaxNamespacesPerConnection(int count);
    // How many of the server's emitWithAck() calls may wait for one socket's answer at once. Default 0: no limit,
    // as in Node.js. Beyond it, QSocketIoSocket::emitWithAck() sends nothing and its reply times out at once (with
    // a warning); a broadcast emitWithAck() skips the sockets at their limit.
    int maxPendingAcksPerSocket() const;
    void setMaxPendingAcksPerSocket(int count);
    // How many binary attachments a client's packet may announce. Default 10, as socket.io-parser; 0 refuses
    // binary packets. A packet beyond it closes the connection with "parse error". Applies to new connections.
    int maxAttachments() const;
    void setMaxAttachments(int count);
    // A token bucket on the events and acknowledgements one connection sends: eventRateLimit per second on
    // average, eventRateBurst at once (0: as many as the rate). Default 0: off, as in Node.js. A connection over
    // it is closed ("forced close", described "event rate limit exceeded").
    int eventRateLimit() const;
    void setEventRateLimit(int eventsPerSecond);
    int eventRateBurst() const;
    void setEventRateBurst(int events);
    // The threads the transports run on (HTTP, TLS, WebSocket, writes). 1 (the default): all in the server's
    // thread; n > 1: n I/O threads, with the Socket.IO layer and every signal still in the server's thread.
    // Takes effect at the next listen().
    int ioThreadCount() const;
    void setIoThreadCount(int count);

    // The wire format, default Parser::Json. Takes effect at the next listen(): the connections of one
    // listen() all speak the same.
    Parser parser() const;
    void setParser(Parser parser);

    // Connection state recovery (off by default): see QSocketIoConnectionStateRecovery. Takes effect at once;
    // sockets connected before it was enabled have no private id and are not kept.
    QSocketIoConnectionStateRecovery connectionStateRecovery() const;
    void setConnectionStateRecovery(const QSocketIoConnectionStateRecovery &options);
    // Where kept sessions and stored packets are also written, so that they survive a restart (e.g. a
    // QSocketIoSqliteSessionStore). Not owned: it must outlive the server, or be removed first (nullptr).
    QSocketIoSessionStore *sessionStore() const;
    void setSessionStore(QSocketIoSessionStore *store);

    // Engine.IO connections (clients), whatever namespaces they joined.
    int connectionCount() const;
    // The Engine.IO server underneath (Node's io.engine): its connections and engine-level hooks.
    QEngineIoServer *engine() const;

    // Metrics (opt-in): an OpenMetrics / Prometheus text endpoint on a port of its own.
    bool listenMetrics(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    void closeMetrics();
    quint16 metricsPort() const;
    QString metricsPath() const;
    void setMetricsPath(const QString &path);
    Q_INVOKABLE QString metricsText() const;

    // The namespace with that name, created when missing. "/" is the main namespace.
    QSocketIoNamespace *of(const QString &name);
    // A parent for dynamic namespaces whose names match the pattern (or the predicate); children are
    // created when a client first connects to a matching name.
    QSocketIoNamespace *of(const QRegularExpression &pattern);
    QSocketIoNamespace *of(const NamespacePredicate &predicate);
    QSocketIoNamespace *mainNamespace() const;
    // A middleware of the main namespace, as Node's io.use(): mainNamespace()->use(middleware).
    void use(const QSocketIoNamespace::Middleware &middleware);
    QList<QSocketIoNamespace *> namespaces() const;

    // The adapter of every namespace (the existing ones get a new adapter at once, keeping their local
    // rooms). An empty factory, or one that returns nullptr, means the default adapter: in memory (one node),
    // with connection state recovery.
    void setAdapterFactory(const AdapterFactory &factory);

    // The main namespace's broadcast operator (every socket of "/"); see QSocketIoBroadcastOperators.
    QSocketIoBroadcast all() const;
    // The main namespace's server-side emits (QSocketIoNamespace::serverSideEmit()).
    bool serverSideEmit(const QString &event, const QVariantList &args = {});
    QSocketIoAck *serverSideEmitWithAck(const QString &event, const QVariantList &args = {});

Q_SIGNALS:
    // A WebSocket of an attached QHttpServer whose path is not Socket.IO's: the receiver owns it.
    void unhandledWebSocket(QWebSocket *socket);
    // A socket joined the main namespace ("/").
    void newConnection(QSocketIoSocket *socket);
    // A namespace was created: by of(), or a dynamic child when a client first connected to its name.
    void namespaceCreated(QSocketIoNamespace *nsp);
    void listeningChanged();
    void serverPortChanged();
    void pathChanged();
    void pingIntervalChanged();
    void pingTimeoutChanged();
    void upgradeTimeoutChanged();
    void connectTimeoutChanged();
    void maxHttpBufferSizeChanged();
    void transportsChanged();
    void allowUpgradesChanged();
    void addTrailingSlashChanged();
    void allowEIO3Changed();
    void sslConfigurationChanged();
    void maxConnectionsChanged();
    void maxConnectionsPerAddressChanged();
    void maxBufferedBytesChanged();
    void connectionCountChanged();
    void metricsPathChanged();
    void metricsPortChanged();
    void documentRootChanged();
    void serveClientChanged();
    void cleanupEmptyChildNamespacesChanged();
    void httpCompressionChanged();
    void httpCompressionThresholdChanged();
    void maxNamespacesPerConnectionChanged();
    void maxPendingAcksPerSocketChanged();
    void maxAttachmentsChanged();
    void eventRateLimitChanged();
    void eventRateBurstChanged();
    void ioThreadCountChanged();
    void parserChanged();
    void connectionStateRecoveryChanged();
    void sessionStoreChanged();
    void errorOccurred(QSocketIoServer::Error error);

private:
    Q_DECLARE_PRIVATE(QSocketIoServer)
    Q_DISABLE_COPY(QSocketIoServer)
    std::unique_ptr<QSocketIoServerPrivate> d_ptr;
};

Q_DECLARE_OPERATORS_FOR_FLAGS(QSocketIoServer::Transports)

#endif
