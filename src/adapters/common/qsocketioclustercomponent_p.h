// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOCLUSTERCOMPONENT_P_H
#define QSOCKETIOCLUSTERCOMPONENT_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtSocketIo/qsocketioadapter.h>
#include <QtSocketIo/qsocketioserver.h>

#include <QtCore/qcoreapplication.h>
#include <QtCore/qloggingcategory.h>

#include <memory>
#include <utility>

// What the public objects of the cluster components (QSocketIoRedisAdapter, QSocketIoRedisShardedAdapter,
// QSocketIoRedisStreamsAdapter, QSocketIoPostgresAdapter) share: their d-pointer is the shared state ("hub") of
// the namespaces' adapters, with the list (or hash) "adapters" of them and their "requestsTimeout".

// What attach() of every cluster component does: server's namespaces get a NamespaceAdapter(nsp, hub) each, hub
// being the component's shared state, held weakly: once the public object (its owner) is gone, a new namespace
// gets no adapter, and stays on this node.
template <typename NamespaceAdapter, typename Hub>
void qtsocketioSetClusterAdapterFactory(QSocketIoServer *server, const std::shared_ptr<Hub> &hub)
{
    const std::weak_ptr<Hub> weak = hub;
    server->setAdapterFactory([weak](QSocketIoNamespace *nsp) -> std::unique_ptr<QSocketIoAdapter> {
        const std::shared_ptr<Hub> shared = weak.lock();
        if (!shared)
            return nullptr;
        return std::make_unique<NamespaceAdapter>(nsp, shared);
    });
}

// attach() of a component that serves one server (hub->server): starts the hub (its connections) and sets the
// factory; a second server is refused with a warning on category.
template <typename NamespaceAdapter, typename Hub>
void qtsocketioAttachCluster(QSocketIoServer *server, const std::shared_ptr<Hub> &hub,
                             const QLoggingCategory &(*category)())
{
    if (hub->server && hub->server != server) {
        qCWarning(category) << "attach(): this adapter serves another server already; use one per server";
        return;
    }
    hub->server = server;
    hub->start();   // before the factory: the namespaces' adapters may use the connections at once
    qtsocketioSetClusterAdapterFactory<NamespaceAdapter>(server, hub);
}

// A new hub owned by the returned pointer (and the namespaces' adapters, which share it). The last owner may let
// go inside a connection's callback (a handler that deletes the server): the hub, with its connections, is then
// freed on the next event-loop pass, outside of their read loop.
template <typename Hub>
std::shared_ptr<Hub> qtsocketioDeferredHub(Hub *hub)
{
    return std::shared_ptr<Hub>(hub, [](Hub *d) {
        QCoreApplication *app = QCoreApplication::instance();
        if (!app || QCoreApplication::closingDown()) {
            delete d;
            return;
        }
        QMetaObject::invokeMethod(app, [d] { delete d; }, Qt::QueuedConnection);
    });
}

// setRequestsTimeout() of the component q whose d-pointer is d: the namespaces' adapters take it at once.
template <typename Component, typename Hub>
void qtsocketioSetRequestsTimeout(Component *q, Hub *d, int milliseconds)
{
    if (d->requestsTimeout == milliseconds)
        return;
    d->requestsTimeout = milliseconds;
    for (auto *adapter : std::as_const(d->adapters))
        adapter->setRequestsTimeout(milliseconds);
    Q_EMIT q->requestsTimeoutChanged();
}

#endif
