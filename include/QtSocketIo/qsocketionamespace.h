// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIONAMESPACE_H
#define QSOCKETIONAMESPACE_H

#include <QtSocketIo/qsocketiobroadcast.h>
#include <QtSocketIo/qsocketionext.h>
#include <QtSocketIo/qtsocketioglobal.h>

#include <QtCore/qobject.h>
#include <QtCore/qvariant.h>

#include <functional>
#include <memory>

class QSocketIoAckCallback;
class QSocketIoServer;
class QSocketIoSocket;
class QSocketIoNamespacePrivate;

// A Socket.IO namespace ("/", "/chat", ...): its sockets, its middleware, and broadcasts to them.
// Owned by the server. A dynamic namespace (QSocketIoServer::of() with a pattern) is a parent: its
// middleware and newConnection() apply to every child namespace it creates, and its broadcasts reach all
// of them.
class QTSOCKETIO_EXPORT QSocketIoNamespace : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString name READ name CONSTANT)
    Q_PROPERTY(int socketCount READ socketCount NOTIFY socketCountChanged)
public:
    // Runs for each socket joining the namespace, in the order added, before newConnection().
    using Middleware = std::function<void(QSocketIoSocket *socket, const QSocketIoNext &next)>;

    ~QSocketIoNamespace() override;

    QString name() const;
    QSocketIoServer *server() const;
    // A pattern namespace: true for the parent, false for the named children it creates.
    bool isDynamic() const;
    QSocketIoNamespace *parentNamespace() const;
    QList<QSocketIoNamespace *> childNamespaces() const;

    int socketCount() const;
    QList<QSocketIoSocket *> sockets() const;
    QSocketIoSocket *socket(const QString &id) const;

    void use(const Middleware &middleware);

    QSocketIoBroadcast to(const QString &room) const;
    QSocketIoBroadcast to(const QStringList &rooms) const;
    QSocketIoBroadcast in(const QString &room) const { return to(room); }
    QSocketIoBroadcast in(const QStringList &rooms) const { return to(rooms); }
    QSocketIoBroadcast except(const QString &room) const;
    QSocketIoBroadcast except(const QStringList &rooms) const;
    QSocketIoBroadcast local() const;
    QSocketIoBroadcast asVolatile() const;
    QSocketIoBroadcast compress(bool compress) const;
    QSocketIoBroadcast timeout(int milliseconds) const;
    QSocketIoBroadcast all() const;

    bool emitEvent(const QString &event, const QVariantList &args = {});
    QSocketIoAck *emitWithAck(const QString &event, const QVariantList &args = {});
    bool send(const QVariantList &args);
    void fetchSockets(const QObject *context, const std::function<void(const QList<QSocketIoSocket *> &)> &functor) const;
    using RemoteSocketsFunctor = QSocketIoBroadcast::RemoteSocketsFunctor;
    void fetchRemoteSockets(const QObject *context, const RemoteSocketsFunctor &functor) const;
    void socketsJoin(const QStringList &rooms);
    void socketsLeave(const QStringList &rooms);
    void disconnectSockets(bool closeConnection = false);
    // Sends an event to the other nodes of a cluster (through the adapter); with one node it goes nowhere.
    // Returns false when the event name is reserved.
    bool serverSideEmit(const QString &event, const QVariantList &args = {});
    // The same, asking every other node for an answer (serverSideEventWithAckReceived() there). The reply
    // finishes with one response per other node (responses(), each a one-element list: only the first
    // argument of an answer travels, as in Node), or times out after the adapter's requestsTimeout with
    // errorString() "timeout reached: only N responses received out of M" and what did arrive. With one
    // node it finishes with no responses. Owned by the namespace; deletes itself afterwards.
    QSocketIoAck *serverSideEmitWithAck(const QString &event, const QVariantList &args = {});

Q_SIGNALS:
    void newConnection(QSocketIoSocket *socket);
    void socketCountChanged();
    // An event another node sent with serverSideEmit().
    void serverSideEventReceived(const QString &event, const QVariantList &args);
    // An event another node sent with serverSideEmitWithAck(): call ack (once) to answer it.
    void serverSideEventWithAckReceived(const QString &event, const QVariantList &args, const QSocketIoAckCallback &ack);

private:
    friend class QSocketIoServer;
    friend class QSocketIoNamespacePrivate;
    friend class QSocketIoServerPrivate;
    friend class QSocketIoBroadcastPrivate;
    friend class QSocketIoSocketPrivate;
    friend class QSocketIoAdapter;
    QSocketIoNamespace(QSocketIoServer *server, const QString &name);
    Q_DECLARE_PRIVATE(QSocketIoNamespace)
    Q_DISABLE_COPY(QSocketIoNamespace)
    std::unique_ptr<QSocketIoNamespacePrivate> d_ptr;
};

#endif
