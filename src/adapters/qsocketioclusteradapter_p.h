// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOCLUSTERADAPTER_P_H
#define QSOCKETIOCLUSTERADAPTER_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtSocketIo/qsocketioclusteradapter.h>

#include "adapters/qsocketioinmemoryadapter_p.h"

#include <QtCore/qobject.h>

#include <memory>

class QTimer;

class QSocketIoClusterAdapterPrivate : public QSocketIoInMemoryAdapterPrivate
{
    Q_DECLARE_PUBLIC(QSocketIoClusterAdapter)
public:
    using RequestType = QSocketIoClusterAdapter::RequestType;
    using Request = QSocketIoClusterAdapter::Request;
    using Response = QSocketIoClusterAdapter::Response;

    // A request of this node that waits for the other nodes' answers.
    struct Pending
    {
        RequestType type = RequestType::RemoteFetch;
        int expected = 0;    // answers awaited
        int received = 0;
        QSet<QString> missing;   // by node (knownNodes()): the nodes that have not answered yet
        bool byNode = false;
        QList<QSocketIoRemoteSocket> sockets;
        QVariantList responses;
        QSocketIoAdapter::SocketsCallback socketsDone;
        QSocketIoAdapter::ServerSideAckCallback emitDone;
        QTimer *timer = nullptr;
    };

    // A broadcast with acknowledgements of this node: the other nodes' counts and answers go to these.
    struct AckRequest
    {
        QSocketIoAdapter::ClientCountCallback clientCount;
        QSocketIoAdapter::AckCallback ack;
    };

    // A request from this node, selecting sockets by options when given; with wantsAnswer it gets an id.
    Request newRequest(RequestType type, const QSocketIoBroadcastOptions *options, bool wantsAnswer = false) const;
    void publishSocketsRequest(RequestType type, const QSocketIoBroadcastOptions &options, const QStringList &rooms,
                               bool close);
    void publishAndWait(const Request &request, const std::shared_ptr<Pending> &waiting, int others);
    void finishPending(const QString &requestId, const QString &error);
    // Publishes the answer of this node to request.
    void answer(const Request &request, RequestType type, Response response);
    void expectNodes(Pending *pending) const;
    static bool countAnswer(Pending *pending, const QString &uid);

    QString uid;
    int requestsTimeout = 5000;
    std::unique_ptr<QObject> context = std::make_unique<QObject>();   // owns the timers
    QHash<QString, std::shared_ptr<Pending>> pending;
    QHash<QString, std::shared_ptr<AckRequest>> ackRequests;
};

#endif
