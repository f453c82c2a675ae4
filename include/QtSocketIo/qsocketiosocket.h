// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOSOCKET_H
#define QSOCKETIOSOCKET_H

#include <QtSocketIo/qsocketioack.h>
#include <QtSocketIo/qsocketioackcallback.h>
#include <QtSocketIo/qengineiosocket.h>
#include <QtSocketIo/qsocketiobroadcast.h>
#include <QtSocketIo/qsocketiohandshake.h>
#include <QtSocketIo/qsocketionext.h>
#include <QtSocketIo/qtsocketioglobal.h>

#include <QtCore/qobject.h>
#include <QtCore/qstringlist.h>
#include <QtCore/qvariant.h>

#include <chrono>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

class QSocketIoNamespace;
class QSocketIoServer;
class QSocketIoSocketPrivate;

// One client connected to one namespace. Created by the server, which owns it and deletes it (later)
// after disconnected() was emitted: keep a QPointer if you hold on to one.
class QTSOCKETIO_EXPORT QSocketIoSocket : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString id READ id CONSTANT)
    Q_PROPERTY(QString namespaceName READ namespaceName CONSTANT)
    Q_PROPERTY(bool connected READ isConnected NOTIFY connectedChanged)
    Q_PROPERTY(QStringList rooms READ rooms NOTIFY roomsChanged)
    Q_PROPERTY(QVariantMap data READ data WRITE setData NOTIFY dataChanged)
    Q_PROPERTY(QSocketIoHandshake handshake READ handshake CONSTANT)
    Q_PROPERTY(QEngineIoSocket *conn READ conn CONSTANT)
    Q_PROPERTY(QString transport READ transport NOTIFY transportChanged)
    Q_PROPERTY(bool recovered READ isRecovered NOTIFY connectedChanged)
public:
    // Why a socket disconnected, with Socket.IO's strings (reasonString()).
    enum class DisconnectReason {
        ServerNamespaceDisconnect,  // "server namespace disconnect": disconnectSocket() on the server
        ClientNamespaceDisconnect,  // "client namespace disconnect": the client left the namespace
        IoServerDisconnect,         // "io server disconnect": the client's view of a server disconnect
        IoClientDisconnect,         // "io client disconnect": the client's view of its own disconnect
        TransportClose,             // "transport close": the connection was closed or lost
        TransportError,             // "transport error": the connection failed
        PingTimeout,                // "ping timeout": the client stopped answering heartbeats
        ParseError,                 // "parse error": the client sent a packet that does not decode
        ServerShuttingDown,         // "server shutting down": QSocketIoServer::close()
        ForcedClose,                // "forced close": the connection was closed by the server
        ForcedServerClose,          // "forced server close": the connection was closed while joining
    };
    Q_ENUM(DisconnectReason)
    static QString reasonString(DisconnectReason reason);

    using EventHandler = std::function<void(const QVariantList &args, const QSocketIoAckCallback &ack)>;
    // Sees each incoming event before the handlers; may change args. Call next() to let it through,
    // next.reject() to drop it with an error, or neither to drop it silently.
    using PacketMiddleware = std::function<void(QSocketIoSocket *socket, const QString &event, QVariantList &args,
                                                const QSocketIoNext &next)>;

    ~QSocketIoSocket() override;

    QString id() const;
    QString namespaceName() const;
    QSocketIoNamespace *nsp() const;
    QSocketIoServer *server() const;
    QSocketIoHandshake handshake() const;
    // The Engine.IO connection under this socket (Node's socket.conn): the same object for every socket of
    // one client; nullptr once the connection is gone.
    QEngineIoSocket *conn() const;
    // The sockets of this socket's connection, one per namespace it joined (Node's socket.client.sockets).
    QList<QSocketIoSocket *> clientSockets() const;
    bool isConnected() const;
    // "polling" or "websocket".
    QString transport() const;
    // The rooms this socket is in, its own id first.
    QStringList rooms() const;
    bool isInRoom(const QString &room) const;
    // Connection state recovery: this socket took back the session (id, rooms, data) of a client that had
    // disconnected involuntarily, and was sent the packets it missed. Final once connected.
    bool isRecovered() const;

    // Free-form application data (shown to fetchSockets() callers, and to other nodes with an adapter).
    QVariantMap data() const;
    void setData(const QVariantMap &data);
    void setDataValue(const QString &key, const QVariant &value);

    // Sends an event to this client. Any QByteArray in args (nested too) travels as a binary attachment.
    // Returns false when the event name is reserved or the socket is disconnected.
    bool emitEvent(const QString &event, const QVariantList &args = {});
    // Sends with an acknowledgement: the same overload set as QSocketIoBroadcast::emitWithAck(). With no
    // timeout (the default, or timeoutMs < 0) it waits for ever, as Node's socket.emitWithAck() does, unless
    // the socket goes away: it then times out. timeoutMs is the same as timeout(timeoutMs) first. The reply is
    // owned by this socket and deletes itself after finished() or timedOut(). On a disconnected socket, or
    // with a reserved name, nothing is sent and the reply times out on the next pass.
    QSocketIoAck *emitWithAck(const QString &event, const QVariantList &args = {});
    QSocketIoAck *emitWithAck(const QString &event, const QVariantList &args, int timeoutMs);
    // The same, with functor(bool timedOut, const QVariantList &answers) called once (answers: the client's
    // acknowledgement arguments), in context's thread and not at all once context is gone.
    template <typename Functor>
    void emitWithAck(const QString &event, const QVariantList &args, const QObject *context, Functor &&functor)
    {
        self().emitWithAck(event, args, context, std::forward<Functor>(functor));
    }
    template <typename Functor>
    void emitWithAck(const QString &event, const QVariantList &args, int timeoutMs, const QObject *context,
                     Functor &&functor)
    {
        self().emitWithAck(event, args, timeoutMs, context, std::forward<Functor>(functor));
    }
    // emitEvent("message", args); write() is the same (Node's alias).
    bool send(const QVariantList &args);
    bool write(const QVariantList &args) { return send(args); }

    // Flags for what is sent to this socket next, as on Node's Socket: each returns an operator that sends
    // to this socket alone (emitEvent, emitWithAck, send). Chaining to(), in(), except() or local() on it
    // makes it a broadcast to the others that keeps the flags, as in Node.
    //     socket->timeout(100).emitWithAck(u"question"_s, {}, this, [](bool timedOut, const QVariantList &) {});
    // Dropped when the transport cannot take it right now (no poll waiting, or a WebSocket with a backlog).
    QSocketIoBroadcast asVolatile() const;
    // How long emitWithAck() waits for the answer (ms); default: for ever (negative values mean the same).
    QSocketIoBroadcast timeout(int milliseconds) const;
    QSocketIoBroadcast timeout(std::chrono::milliseconds ms) const { return timeout(int(ms.count())); }
    // Whether what is sent asks for HTTP compression (default true). As in engine.io, a polling response is
    // compressed (QSocketIoServer::httpCompression) only if one of its packets asked for it; WebSocket frames
    // are never compressed (permessage-deflate is not negotiated).
    QSocketIoBroadcast compress(bool compress) const;

    void join(const QString &room);
    void join(const QStringList &rooms);
    void leave(const QString &room);
    // Leaves every joined room; the socket stays in its own room (its id) until it disconnects.
    void leaveAll();

    // Broadcasts from this socket: the selected sockets minus this one.
    QSocketIoBroadcast to(const QString &room) const;
    QSocketIoBroadcast to(const QStringList &rooms) const;
    QSocketIoBroadcast in(const QString &room) const { return to(room); }
    QSocketIoBroadcast in(const QStringList &rooms) const { return to(rooms); }
    QSocketIoBroadcast except(const QString &room) const;
    QSocketIoBroadcast except(const QStringList &rooms) const;
    // Every other socket of the namespace, on every node / on this node only.
    QSocketIoBroadcast broadcast() const;
    QSocketIoBroadcast local() const;

    // Disconnects from this namespace (the client gets a DISCONNECT packet). With closeConnection, the
    // underlying connection is closed too, which disconnects the client from every namespace.
    void disconnectSocket(bool closeConnection = false);

    // Calls functor(args) or functor(args, ack) for each incoming event with that name, while context lives.
    template <typename Functor>
    QMetaObject::Connection on(const QString &event, const QObject *context, Functor &&functor)
    {
        auto f = std::forward<Functor>(functor);
        return QObject::connect(this, &QSocketIoSocket::eventReceived, context,
                                [event, f](const QString &name, const QVariantList &args,
                                           const QSocketIoAckCallback &ack) mutable {
                                    if (name != event)
                                        return;
                                    if constexpr (std::is_invocable_v<decltype(f), const QVariantList &,
                                                                      const QSocketIoAckCallback &>)
                                        f(args, ack);
                                    else
                                        f(args);
                                });
    }
    // Calls functor once, for the next incoming event with that name, then removes itself.
    template <typename Functor>
    QMetaObject::Connection once(const QString &event, const QObject *context, Functor &&functor)
    {
        auto connection = std::make_shared<QMetaObject::Connection>();
        auto fired = std::make_shared<bool>(false);
        auto f = std::forward<Functor>(functor);
        *connection = QObject::connect(this, &QSocketIoSocket::eventReceived, context,
                                       [event, f, connection, fired](const QString &name, const QVariantList &args,
                                                                     const QSocketIoAckCallback &ack) mutable {
                                           if (name != event || *fired)
                                               return;
                                           *fired = true;
                                           QObject::disconnect(*connection);
                                           if constexpr (std::is_invocable_v<decltype(f), const QVariantList &,
                                                                             const QSocketIoAckCallback &>)
                                               f(args, ack);
                                           else
                                               f(args);
                                       });
        return *connection;
    }

    // Catch-all listeners: functor(event, args, ack) (or functor(event, args)) for every incoming event, before
    // the handlers of that event; functor(event, args) for every outgoing one. They run in the order of
    // listenersAny() / listenersAnyOutgoing(): onAny*() appends, prependAny*() puts it first. Remove one with
    // off(), all with offAny() / offAnyOutgoing().
    using AnyHandler = std::function<void(const QString &event, const QVariantList &args, const QSocketIoAckCallback &ack)>;
    using AnyOutgoingHandler = std::function<void(const QString &event, const QVariantList &args)>;
    template <typename Functor>
    QMetaObject::Connection onAny(const QObject *context, Functor &&functor)
    {
        return addAnyListener(context, anyHandler(std::forward<Functor>(functor)), false);
    }
    template <typename Functor>
    QMetaObject::Connection prependAny(const QObject *context, Functor &&functor)
    {
        return addAnyListener(context, anyHandler(std::forward<Functor>(functor)), true);
    }
    template <typename Functor>
    QMetaObject::Connection onAnyOutgoing(const QObject *context, Functor &&functor)
    {
        return addAnyOutgoingListener(context, AnyOutgoingHandler(std::forward<Functor>(functor)), false);
    }
    template <typename Functor>
    QMetaObject::Connection prependAnyOutgoing(const QObject *context, Functor &&functor)
    {
        return addAnyOutgoingListener(context, AnyOutgoingHandler(std::forward<Functor>(functor)), true);
    }
    static bool off(const QMetaObject::Connection &connection) { return QObject::disconnect(connection); }
    // Removes every catch-all listener of incoming / outgoing events.
    void offAny();
    void offAnyOutgoing();
    // The catch-all listeners still connected, in the order they run.
    QList<QMetaObject::Connection> listenersAny() const;
    QList<QMetaObject::Connection> listenersAnyOutgoing() const;

    void use(const PacketMiddleware &middleware);

Q_SIGNALS:
    // An incoming event that passed the packet middlewares. ack is valid when the client asked for one.
    void eventReceived(const QString &event, const QVariantList &args, const QSocketIoAckCallback &ack);
    // An event sent to this socket, directly or by a broadcast.
    void eventSent(const QString &event, const QVariantList &args);
    // About to disconnect: still in its rooms.
    void disconnecting(QSocketIoSocket::DisconnectReason reason);
    void disconnected(QSocketIoSocket::DisconnectReason reason, const QString &description);
    // A packet middleware rejected an event.
    void errorOccurred(const QString &message);
    void connectedChanged();
    void roomsChanged();
    void dataChanged();
    void transportChanged();

protected:
    void connectNotify(const QMetaMethod &signal) override;

private:
    QSocketIoBroadcast self() const;   // this socket alone, no flags
    template <typename Functor>
    static AnyHandler anyHandler(Functor &&functor)
    {
        if constexpr (std::is_invocable_v<Functor, const QString &, const QVariantList &, const QSocketIoAckCallback &>) {
            return AnyHandler(std::forward<Functor>(functor));
        } else {
            auto f = std::forward<Functor>(functor);
            return [f](const QString &event, const QVariantList &args, const QSocketIoAckCallback &) mutable {
                f(event, args);
            };
        }
    }
    QMetaObject::Connection addAnyListener(const QObject *context, const AnyHandler &handler, bool prepend);
    QMetaObject::Connection addAnyOutgoingListener(const QObject *context, const AnyOutgoingHandler &handler,
                                                   bool prepend);
    friend class QSocketIoSocketPrivate;
    friend class QSocketIoServerPrivate;
    friend class QSocketIoNamespacePrivate;
    QSocketIoSocket(QSocketIoNamespace *nsp, const QString &id, const QSocketIoHandshake &handshake);
    Q_DECLARE_PRIVATE(QSocketIoSocket)
    Q_DISABLE_COPY(QSocketIoSocket)
    std::unique_ptr<QSocketIoSocketPrivate> d_ptr;
};

#endif
