// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QQMLSOCKETIOSERVER_P_H
#define QQMLSOCKETIOSERVER_P_H

#include "qqmlsocketionamespace_p.h"
#include "qtsocketioqml_export.h"

#include <QtCore/qlist.h>
#include <QtCore/qurl.h>
#include <QtQml/qqmllist.h>

class QSocketIoServer;
QT_BEGIN_NAMESPACE
class QHostAddress;
QT_END_NAMESPACE

// SocketIoServer: a QSocketIoServer declared in QML. It listens once the component is complete (while
// `running`), writes the real port back when `port` was 0, and acts for the main namespace "/" (signals,
// handlers, emit methods). Other namespaces: SocketIoNamespace, or of(name).
class QTSOCKETIOQML_EXPORT QQmlSocketIoServer : public QQmlSocketIoAbstractNamespace
{
    Q_OBJECT
    QML_NAMED_ELEMENT(SocketIoServer)
    Q_CLASSINFO("DefaultProperty", "data")
    Q_PROPERTY(QQmlListProperty<QObject> data READ data DESIGNABLE false)
    Q_PROPERTY(QString host READ host WRITE setHost NOTIFY hostChanged)
    Q_PROPERTY(int port READ port WRITE setPort NOTIFY portChanged)
    Q_PROPERTY(int metricsPort READ metricsPort WRITE setMetricsPort NOTIFY metricsPortChanged)
    Q_PROPERTY(QString path READ path WRITE setPath NOTIFY pathChanged)
    Q_PROPERTY(bool running READ isRunning WRITE setRunning NOTIFY runningChanged)
    Q_PROPERTY(QString url READ url NOTIFY urlChanged)
    Q_PROPERTY(int pingInterval READ pingInterval WRITE setPingInterval NOTIFY pingIntervalChanged)
    Q_PROPERTY(bool connectionStateRecovery READ connectionStateRecovery WRITE setConnectionStateRecovery
               NOTIFY connectionStateRecoveryChanged)
    Q_PROPERTY(int maxDisconnectionDuration READ maxDisconnectionDuration WRITE setMaxDisconnectionDuration
               NOTIFY connectionStateRecoveryChanged)
    Q_PROPERTY(int pingTimeout READ pingTimeout WRITE setPingTimeout NOTIFY pingTimeoutChanged)
    Q_PROPERTY(int connectTimeout READ connectTimeout WRITE setConnectTimeout NOTIFY connectTimeoutChanged)
    Q_PROPERTY(int upgradeTimeout READ upgradeTimeout WRITE setUpgradeTimeout NOTIFY upgradeTimeoutChanged)
    Q_PROPERTY(double maxHttpBufferSize READ maxHttpBufferSize WRITE setMaxHttpBufferSize NOTIFY maxHttpBufferSizeChanged)
    Q_PROPERTY(bool allowUpgrades READ allowUpgrades WRITE setAllowUpgrades NOTIFY allowUpgradesChanged)
    Q_PROPERTY(bool serveClient READ serveClient WRITE setServeClient NOTIFY serveClientChanged)
    Q_PROPERTY(bool cleanupEmptyChildNamespaces READ cleanupEmptyChildNamespaces WRITE setCleanupEmptyChildNamespaces
               NOTIFY cleanupEmptyChildNamespacesChanged)
    Q_PROPERTY(bool httpCompression READ httpCompression WRITE setHttpCompression NOTIFY httpCompressionChanged)
    Q_PROPERTY(int httpCompressionThreshold READ httpCompressionThreshold WRITE setHttpCompressionThreshold
               NOTIFY httpCompressionThresholdChanged)
    Q_PROPERTY(bool allowEIO3 READ allowEIO3 WRITE setAllowEIO3 NOTIFY allowEIO3Changed)
    Q_PROPERTY(QStringList corsOrigins READ corsOrigins WRITE setCorsOrigins NOTIFY corsOriginsChanged)
    Q_PROPERTY(QUrl documentRoot READ documentRoot WRITE setDocumentRoot NOTIFY documentRootChanged)
    Q_PROPERTY(int maxConnections READ maxConnections WRITE setMaxConnections NOTIFY maxConnectionsChanged)
    Q_PROPERTY(int maxConnectionsPerAddress READ maxConnectionsPerAddress WRITE setMaxConnectionsPerAddress
               NOTIFY maxConnectionsPerAddressChanged)
    Q_PROPERTY(double maxBufferedBytes READ maxBufferedBytes WRITE setMaxBufferedBytes NOTIFY maxBufferedBytesChanged)
    Q_PROPERTY(int maxNamespacesPerConnection READ maxNamespacesPerConnection WRITE setMaxNamespacesPerConnection
               NOTIFY maxNamespacesPerConnectionChanged)
    Q_PROPERTY(int maxPendingAcksPerSocket READ maxPendingAcksPerSocket WRITE setMaxPendingAcksPerSocket
               NOTIFY maxPendingAcksPerSocketChanged)
    Q_PROPERTY(int maxAttachments READ maxAttachments WRITE setMaxAttachments NOTIFY maxAttachmentsChanged)
    Q_PROPERTY(int eventRateLimit READ eventRateLimit WRITE setEventRateLimit NOTIFY eventRateLimitChanged)
    Q_PROPERTY(int eventRateBurst READ eventRateBurst WRITE setEventRateBurst NOTIFY eventRateBurstChanged)
    Q_PROPERTY(int ioThreadCount READ ioThreadCount WRITE setIoThreadCount NOTIFY ioThreadCountChanged)
    Q_PROPERTY(Parser parser READ parser WRITE setParser NOTIFY parserChanged)
    Q_PROPERTY(QUrl certificate READ certificate WRITE setCertificate NOTIFY certificateChanged)
    Q_PROPERTY(QUrl privateKey READ privateKey WRITE setPrivateKey NOTIFY privateKeyChanged)
    Q_PROPERTY(bool secure READ isSecure NOTIFY secureChanged)
    Q_PROPERTY(QQmlSocketIoSocketModel *sockets READ sockets CONSTANT)
    Q_PROPERTY(int connectionCount READ connectionCount NOTIFY connectionCountChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
public:
    // QSocketIoServer::Parser, as SocketIoServer.Json and SocketIoServer.MessagePack.
    enum Parser { Json, MessagePack };
    Q_ENUM(Parser)

    explicit QQmlSocketIoServer(QObject *parent = nullptr);
    ~QQmlSocketIoServer() override;

    QSocketIoServer *coreServer() const { return m_server; }

    QQmlListProperty<QObject> data();
    QString host() const { return m_host; }
    void setHost(const QString &host);
    int port() const { return m_port; }
    void setPort(int port);
    int metricsPort() const { return m_metricsPort; }
    void setMetricsPort(int port);
    Q_INVOKABLE QString metricsText() const;
    QString path() const;
    void setPath(const QString &path);
    bool isRunning() const;
    void setRunning(bool running);
    QString url() const;
    int pingInterval() const;
    void setPingInterval(int milliseconds);
    bool connectionStateRecovery() const;
    void setConnectionStateRecovery(bool enabled);
    int maxDisconnectionDuration() const;
    void setMaxDisconnectionDuration(int milliseconds);
    int pingTimeout() const;
    void setPingTimeout(int milliseconds);
    int connectTimeout() const;
    void setConnectTimeout(int milliseconds);
    int upgradeTimeout() const;
    void setUpgradeTimeout(int milliseconds);
    double maxHttpBufferSize() const;
    void setMaxHttpBufferSize(double bytes);
    bool allowUpgrades() const;
    void setAllowUpgrades(bool allow);
    bool serveClient() const;
    void setServeClient(bool serve);
    bool cleanupEmptyChildNamespaces() const;
    void setCleanupEmptyChildNamespaces(bool cleanup);
    bool httpCompression() const;
    void setHttpCompression(bool enabled);
    int httpCompressionThreshold() const;
    void setHttpCompressionThreshold(int bytes);
    bool allowEIO3() const;
    void setAllowEIO3(bool allow);
    QStringList corsOrigins() const { return m_corsOrigins; }
    void setCorsOrigins(const QStringList &origins);
    QUrl documentRoot() const { return m_documentRoot; }
    void setDocumentRoot(const QUrl &url);
    int maxConnections() const;
    void setMaxConnections(int count);
    int maxConnectionsPerAddress() const;
    void setMaxConnectionsPerAddress(int count);
    double maxBufferedBytes() const;
    void setMaxBufferedBytes(double bytes);
    int maxNamespacesPerConnection() const;
    void setMaxNamespacesPerConnection(int count);
    int maxPendingAcksPerSocket() const;
    void setMaxPendingAcksPerSocket(int count);
    int maxAttachments() const;
    int eventRateLimit() const;
    void setEventRateLimit(int eventsPerSecond);
    int eventRateBurst() const;
    void setEventRateBurst(int events);
    int ioThreadCount() const;
    void setIoThreadCount(int count);
    Parser parser() const;
    void setParser(Parser parser);
    void setMaxAttachments(int count);
    // TLS: PEM files (file: or qrc: URLs). With both set and loadable the server speaks HTTPS/WSS.
    QUrl certificate() const { return m_certificate; }
    void setCertificate(const QUrl &url);
    QUrl privateKey() const { return m_privateKey; }
    void setPrivateKey(const QUrl &url);
    bool isSecure() const;
    QQmlSocketIoSocketModel *sockets() const { return m_model; }
    int connectionCount() const;
    QString errorString() const { return m_errorString; }

    // of("/chat"): the namespace with that name (created when missing); of(/^\/room-\d+$/): a parent of
    // the dynamic namespaces whose names match. The object belongs to the server; one per name.
    Q_INVOKABLE QQmlSocketIoNamespace *of(const QJSValue &nameOrPattern);

    void componentComplete() override;

    // Lists a namespace's sockets in `sockets` (once per namespace).
    void trackNamespace(QSocketIoNamespace *nsp);

Q_SIGNALS:
    void hostChanged();
    void portChanged();
    void metricsPortChanged();
    void pathChanged();
    void runningChanged();
    void urlChanged();
    void pingIntervalChanged();
    void connectionStateRecoveryChanged();
    void pingTimeoutChanged();
    void connectTimeoutChanged();
    void upgradeTimeoutChanged();
    void maxHttpBufferSizeChanged();
    void allowUpgradesChanged();
    void serveClientChanged();
    void cleanupEmptyChildNamespacesChanged();
    void httpCompressionChanged();
    void httpCompressionThresholdChanged();
    void allowEIO3Changed();
    void corsOriginsChanged();
    void documentRootChanged();
    void maxConnectionsChanged();
    void maxConnectionsPerAddressChanged();
    void maxBufferedBytesChanged();
    void maxNamespacesPerConnectionChanged();
    void maxPendingAcksPerSocketChanged();
    void maxAttachmentsChanged();
    void eventRateLimitChanged();
    void eventRateBurstChanged();
    void ioThreadCountChanged();
    void parserChanged();
    void certificateChanged();
    void privateKeyChanged();
    void secureChanged();
    void connectionCountChanged();
    void errorStringChanged();
    // listen() failed (e.g. the port is taken); running is false again.
    void errorOccurred(const QString &errorString);

private:
    static void dataAppend(QQmlListProperty<QObject> *list, QObject *object);
    static qsizetype dataCount(QQmlListProperty<QObject> *list);
    static QObject *dataAt(QQmlListProperty<QObject> *list, qsizetype index);
    static void dataClear(QQmlListProperty<QObject> *list);

    void updateListening();
    void restartIfRunning();
    void setErrorString(const QString &message);
    void applyTls();

    QSocketIoServer *m_server;
    QQmlSocketIoSocketModel *m_model;
    QList<QObject *> m_data;
    QList<QPointer<QSocketIoNamespace>> m_tracked;
    QHash<QString, QQmlSocketIoNamespace *> m_namespaces;  // of()
    QUrl m_certificate;
    QUrl m_privateKey;
    QString m_host = QStringLiteral("127.0.0.1");
    int m_port = 0;
    int m_metricsPort = -1;   // -1: no metrics endpoint
    void updateMetrics(const QHostAddress &address);
    bool m_wantRunning = true;
    bool m_wasRunning = false;
    QStringList m_corsOrigins;
    QUrl m_documentRoot;
    QString m_errorString;
};

#endif
