// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QENGINEIOSERVER_H
#define QENGINEIOSERVER_H

#include <QtSocketIo/qengineiosocket.h>
#include <QtSocketIo/qsocketiocorsoptions.h>
#include <QtSocketIo/qsocketiohandshake.h>
#include <QtSocketIo/qtsocketioglobal.h>

#include <QtCore/qobject.h>
#include <QtCore/qpair.h>
#include <QtCore/qvariant.h>
#include <QtNetwork/qhostaddress.h>
#include <QtNetwork/qsslconfiguration.h>

#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QHttpServer;
class QTcpServer;
class QWebSocket;
QT_END_NAMESPACE

class QEngineIoServerPrivate;
class QEngineIoServerFacade;

// An Engine.IO v4 server (Node's engine.io): HTTP long-polling and WebSocket on one port, one QEngineIoSocket
// per client. Standalone, or the engine under a QSocketIoServer (QSocketIoServer::engine()).
class QTSOCKETIO_EXPORT QEngineIoServer : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool listening READ isListening NOTIFY listeningChanged)
    Q_PROPERTY(quint16 serverPort READ serverPort NOTIFY listeningChanged)
    Q_PROPERTY(QString path READ path WRITE setPath NOTIFY pathChanged)
    Q_PROPERTY(int pingInterval READ pingInterval WRITE setPingInterval NOTIFY pingIntervalChanged)
    Q_PROPERTY(int pingTimeout READ pingTimeout WRITE setPingTimeout NOTIFY pingTimeoutChanged)
    Q_PROPERTY(int upgradeTimeout READ upgradeTimeout WRITE setUpgradeTimeout NOTIFY upgradeTimeoutChanged)
    Q_PROPERTY(qint64 maxHttpBufferSize READ maxHttpBufferSize WRITE setMaxHttpBufferSize NOTIFY maxHttpBufferSizeChanged)
    Q_PROPERTY(Transports transports READ transports WRITE setTransports NOTIFY transportsChanged)
    Q_PROPERTY(bool allowUpgrades READ allowUpgrades WRITE setAllowUpgrades NOTIFY allowUpgradesChanged)
    Q_PROPERTY(bool allowEIO3 READ allowEIO3 WRITE setAllowEIO3 NOTIFY allowEIO3Changed)
    Q_PROPERTY(QSslConfiguration sslConfiguration READ sslConfiguration WRITE setSslConfiguration NOTIFY sslConfigurationChanged)
    Q_PROPERTY(int maxConnections READ maxConnections WRITE setMaxConnections NOTIFY maxConnectionsChanged)
    Q_PROPERTY(int maxConnectionsPerAddress READ maxConnectionsPerAddress WRITE setMaxConnectionsPerAddress NOTIFY maxConnectionsPerAddressChanged)
    Q_PROPERTY(qint64 maxBufferedBytes READ maxBufferedBytes WRITE setMaxBufferedBytes NOTIFY maxBufferedBytesChanged)
    Q_PROPERTY(int clientsCount READ clientsCount NOTIFY clientsCountChanged)
    Q_PROPERTY(int ioThreadCount READ ioThreadCount WRITE setIoThreadCount NOTIFY ioThreadCountChanged)
public:
    enum Transport { Polling = 0x1, WebSocket = 0x2 };
    Q_DECLARE_FLAGS(Transports, Transport)
    Q_FLAG(Transports)
    // Node's Server.errors: the code in the JSON body of a refused request.
    enum class ErrorCode {
        UnknownTransport = 0,
        UnknownSid = 1,
        BadHandshakeMethod = 2,
        BadRequest = 3,
        Forbidden = 4,
        UnsupportedProtocolVersion = 5,
    };
    Q_ENUM(ErrorCode)

    using Headers = QList<QPair<QByteArray, QByteArray>>;
    using HeadersHook = std::function<void(Headers &headers, const QSocketIoHandshake &request)>;
    using IdGenerator = std::function<QString(const QSocketIoHandshake &request)>;
    using RequestVerdict = std::function<void(bool allowed, int httpStatus, const QString &message)>;
    using AllowRequest = std::function<void(const QSocketIoHandshake &request, const RequestVerdict &verdict)>;

    explicit QEngineIoServer(QObject *parent = nullptr);
    ~QEngineIoServer() override;

    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    bool attach(QHttpServer *httpServer);
    bool bind(QTcpServer *tcpServer);
    bool isListening() const;
    quint16 serverPort() const;
    QHostAddress serverAddress() const;
    QString errorString() const;
    void close();

    QString path() const;
    void setPath(const QString &path);
    int pingInterval() const;
    void setPingInterval(int milliseconds);
    int pingTimeout() const;
    void setPingTimeout(int milliseconds);
    int upgradeTimeout() const;
    void setUpgradeTimeout(int milliseconds);
    qint64 maxHttpBufferSize() const;
    void setMaxHttpBufferSize(qint64 bytes);
    Transports transports() const;
    void setTransports(Transports transports);
    bool allowUpgrades() const;
    void setAllowUpgrades(bool allow);
    bool allowEIO3() const;
    void setAllowEIO3(bool allow);
    QSslConfiguration sslConfiguration() const;
    void setSslConfiguration(const QSslConfiguration &configuration);
    int maxConnections() const;
    void setMaxConnections(int connections);
    int maxConnectionsPerAddress() const;
    void setMaxConnectionsPerAddress(int connections);
    qint64 maxBufferedBytes() const;
    void setMaxBufferedBytes(qint64 bytes);
    QSocketIoCorsOptions cors() const;
    void setCors(const QSocketIoCorsOptions &cors);
    int ioThreadCount() const;
    void setIoThreadCount(int count);
    void setAllowRequest(const AllowRequest &hook);

    // Engine-level hooks (also for the engine of a QSocketIoServer).
    void setInitialHeaders(const HeadersHook &hook);
    void setHeaders(const HeadersHook &hook);
    void setGenerateId(const IdGenerator &generator);

    int clientsCount() const;
    QList<QEngineIoSocket *> clients() const;
    QEngineIoSocket *client(const QString &id) const;

    static QString errorMessage(ErrorCode code);

Q_SIGNALS:
    void connection(QEngineIoSocket *socket);
    void connectionError(const QSocketIoHandshake &request, QEngineIoServer::ErrorCode code, const QString &message,
                         const QVariantMap &context);
    void listeningChanged();
    void unhandledWebSocket(QWebSocket *socket);
    void pathChanged();
    void pingIntervalChanged();
    void pingTimeoutChanged();
    void upgradeTimeoutChanged();
    void maxHttpBufferSizeChanged();
    void transportsChanged();
    void allowUpgradesChanged();
    void allowEIO3Changed();
    void sslConfigurationChanged();
    void maxConnectionsChanged();
    void maxConnectionsPerAddressChanged();
    void maxBufferedBytesChanged();
    void clientsCountChanged();
    void ioThreadCountChanged();

protected:
    void connectNotify(const QMetaMethod &signal) override;

private:
    friend class QEngineIoServerFacade;
    friend class QSocketIoServer;
    friend class QSocketIoServerPrivate;
    // The engine of a QSocketIoServer: the server's handler hears the sessions first.
    QEngineIoServer(QEngineIoServerPrivate *engine, QObject *parent);
    Q_DISABLE_COPY(QEngineIoServer)
    std::unique_ptr<QEngineIoServerFacade> d_ptr;
};

Q_DECLARE_OPERATORS_FOR_FLAGS(QEngineIoServer::Transports)

#endif
