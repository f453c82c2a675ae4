// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOSERVER_P_H
#define QSOCKETIOSERVER_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtSocketIo/qsocketioserver.h>
#include <QtSocketIo/qsocketioconnectionstaterecovery.h>
#include <QtSocketIo/qsocketiocorsoptions.h>
#include <QtSocketIo/qsocketiosessionstore.h>

#include "adapters/qsocketiosessionawareadapter_p.h"
#include "engine/qengineio_p.h"
#include "engine/qengineioserver_p.h"
#include "engine/qengineiosession_p.h"
#include "engine/qengineiostaticfiles_p.h"
#include "protocol/qsocketiopacket_p.h"
#include "protocol/qsocketioparser_p.h"
#include "server/qsocketioclient_p.h"
#include "server/qsocketiometrics_p.h"

#include <QtCore/qpointer.h>
#include <QtCore/qtimer.h>

#include <optional>

class QSocketIoServerPrivate : public QEngineIo::Handler
{
    Q_DECLARE_PUBLIC(QSocketIoServer)
public:
    static QSocketIoServerPrivate *get(QSocketIoServer *server) { return server->d_func(); }
    explicit QSocketIoServerPrivate(QSocketIoServer *q);
    ~QSocketIoServerPrivate() override;

    // QEngineIo::Handler
    void sessionOpened(QEngineIoSession *session) override;
    void messageReceived(QEngineIoSession *session, const QByteArray &data, bool binary) override;
    void sessionClosed(QEngineIoSession *session, QEngineIo::CloseReason reason, const QString &description) override;
    void sessionUpgraded(QEngineIoSession *session) override;

    void handlePacket(QSocketIoClient *client, QSocketIoProtocol::Packet &&packet);
    void connectSocket(QSocketIoClient *client, const QString &nspName, const QVariantMap &auth);
    void admitSocket(QSocketIoClient *client, QSocketIoNamespace *nsp, const QString &nspName,
                     const QVariantMap &auth, std::optional<QSocketIoRestoredSession> fromAdapter);
    QSocketIoNamespace *findOrCreateNamespace(const QString &name, const QVariantMap &auth);
    // cleanupEmptyChildNamespaces: deletes a dynamic child that has no socket left (none joined, none in its
    // middleware), unless connection state recovery may still bring one back.
    void removeEmptyChild(QSocketIoNamespace *child);
    bool cleanupEmptyChildNamespaces = true;
    QString generateSocketId() const;
    void closeClient(QSocketIoClient *client, QEngineIo::CloseReason reason);
    void applyEngineOptions();

    QSocketIoServer *q_ptr;
    QEngineIoServerPrivate *engine = nullptr;
    QEngineIoServer *engineApi = nullptr;   // engine(): the engine's handler, which hands on to this one
    // Set by QSocketIoAdminUi::instrument(): the engine traffic it reports. Connections opened from then on count.
    std::unique_ptr<QSocketIoTraffic> traffic;
    QEngineIo::Options options;
    QSocketIoCorsOptions cors;
    QString path = QStringLiteral("/socket.io/");
    QEngineIoStaticFiles staticFiles;   // documentRoot
    bool serveClient = true;
    bool httpCompression = true;        // off: options.httpCompressionThreshold is not applied
    int connectTimeout = 45000;
    int maxNamespacesPerConnection = 0;   // 0: no limit
    int maxPendingAcksPerSocket = 0;      // 0: no limit
    int maxAttachments = QSocketIoProtocol::Decoder::Limits().maxAttachments;
    int eventRateLimit = 0;               // events per second per connection; 0: no limit
    int eventRateBurst = 0;               // 0: eventRateLimit
    // Takes one token from the client's bucket; false when it is empty (the client is over the rate limit).
    bool takeEventToken(QSocketIoClient *client) const;
    QSocketIoServer::Parser parser = QSocketIoServer::Parser::Json;   // the property
    // What the connections of this listen() speak: the property as it was at listen().
    const QSocketIoProtocol::Parser *wireParser = &QSocketIoProtocol::Parser::json();
    static const QSocketIoProtocol::Parser &parserFor(QSocketIoServer::Parser parser);
    QHash<QString, QSocketIoNamespace *> namespaces;
    QList<QSocketIoNamespace *> dynamicParents;
    QSocketIoNamespace *mainNamespace = nullptr;
    QSocketIoServer::AdapterFactory adapterFactory;
    // A new namespace gets the factory's adapter (a dynamic parent keeps the in-memory one: its children
    // have the sockets).
    void installAdapter(QSocketIoNamespace *nsp);
    QSocketIoServer::Error error = QSocketIoServer::Error::NoError;
    QString errorString;
    bool wasListening = false;

    // --- Connection state recovery (qsocketiorecovery.cpp) ---
    void applyRecovery();                            // every namespace, and the prune timer
    QSocketIoRecoverySettings recoverySettings() const;
    void applyRecovery(QSocketIoNamespace *nsp);
    void pruneRecovery();
    // For a CONNECT whose auth carries pid (and offset): the kept socket id it may get back. A live socket that
    // still holds that pid (its connection died unnoticed) is closed first, and its session kept.
    std::optional<QString> recoverableSession(QSocketIoNamespace *nsp, const QVariantMap &auth);
    // Takes the kept session of a socket being admitted; gives it a fresh id if the session went meanwhile.
    std::optional<QSocketIoRestoredSession> takeRecoveredSession(QSocketIoSocket *socket);
    QSocketIoConnectionStateRecovery recovery;
    QPointer<QSocketIoSessionStore> sessionStore;
    QTimer *recoveryTimer = nullptr;

    // --- Metrics (qsocketiometrics.cpp) ---
    QByteArray metricsText() const;
    QSocketIoServerMetrics metrics;
    QSocketIoMetricsEndpoint *metricsEndpoint = nullptr;
    QString metricsPath = QStringLiteral("/metrics");
};

#endif
