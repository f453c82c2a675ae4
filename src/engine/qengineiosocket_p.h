// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QENGINEIOSOCKET_P_H
#define QENGINEIOSOCKET_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtSocketIo/qengineioserver.h>
#include <QtSocketIo/qengineiosocket.h>

#include "engine/qengineio_p.h"
#include "engine/qengineioserver_p.h"
#include "engine/qengineiosession_p.h"

#include <QtCore/qpointer.h>

// The public QEngineIoServer's state: the engine's handler. Standalone it owns the engine and is its only
// handler; under a QSocketIoServer it hears the sessions after the Socket.IO server (inner) did.
// QEngineIoSocket objects are made lazily: for every session when standalone (connection() hands them out),
// otherwise only when asked for (clients(), QSocketIoSocket::conn()) or when connection() is connected.
class QEngineIoServerFacade : public QEngineIo::Handler
{
public:
    QEngineIoServerFacade(QEngineIoServer *q, QEngineIoServerPrivate *engine, bool owned);
    ~QEngineIoServerFacade() override;

    static QEngineIoServerFacade *get(QEngineIoServer *server) { return server->d_ptr.get(); }
    // The public socket of a session, made on first use; nullptr for a session that is not open, or one of an
    // engine without a public face.
    static QEngineIoSocket *socketFor(QEngineIoSession *session);
    QEngineIoSocket *socket(QEngineIoSession *session);

    // QEngineIo::Handler
    void sessionOpened(QEngineIoSession *session) override;
    void messageReceived(QEngineIoSession *session, const QByteArray &data, bool binary) override;
    void sessionClosed(QEngineIoSession *session, QEngineIo::CloseReason reason, const QString &description) override;
    void sessionUpgraded(QEngineIoSession *session) override;
    void connectionError(const QEngineIo::RequestInfo &request, QEngineIo::ErrorCode code,
                         const QVariantMap &context) override;
    QByteArray generateId(const QEngineIo::RequestInfo &request) override;

    // The engine's options, changed in one field (standalone only: a QSocketIoServer sets its own).
    template <typename F>
    bool changeOptions(F change)
    {
        if (!owned) {
            qWarning("QEngineIoServer: the engine of a QSocketIoServer takes its options from the QSocketIoServer");
            return false;
        }
        QEngineIo::Options options = engine->options();
        change(options);
        engine->setOptions(options);
        return true;
    }

    // Node's cors option in the engine's terms.
    static QEngineIo::Cors engineCors(const QSocketIoCorsOptions &cors);

    QEngineIoServer *q;
    QPointer<QEngineIoServerPrivate> engine;
    QSocketIoCorsOptions cors;
    bool owned;
    QEngineIo::Handler *inner = nullptr;
    QEngineIoServer::IdGenerator idGenerator;
};

class QEngineIoSocketPrivate : public QEngineIo::SessionObserver
{
    Q_DECLARE_PUBLIC(QEngineIoSocket)
public:
    explicit QEngineIoSocketPrivate(QEngineIoSocket *q) : q_ptr(q) {}
    static QEngineIoSocketPrivate *get(QEngineIoSocket *socket) { return socket->d_func(); }

    // QEngineIo::SessionObserver
    void packetReceived(int type, const QByteArray &data) override;
    void packetCreated(int type, const QByteArray &data) override;
    void flushed(int packetCount) override;
    void heartbeat() override;
    void upgrading() override;
    bool wantsPackets() const override;

    void detach();

    QEngineIoSocket *q_ptr;
    QPointer<QEngineIoSession> session;
    QString id;
    QEngineIo::RequestInfo request;
    QEngineIo::Transport transport = QEngineIo::Transport::Polling;
    bool closed = false;
    bool upgraded = false;
};

#endif
