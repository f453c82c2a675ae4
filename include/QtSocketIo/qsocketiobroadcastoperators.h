// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOBROADCASTOPERATORS_H
#define QSOCKETIOBROADCASTOPERATORS_H

#include <QtSocketIo/qsocketiobroadcast.h>

#include <chrono>
#include <utility>

// The broadcast vocabulary of QSocketIoServer (its main namespace) and QSocketIoNamespace, written once:
// every member forwards to Derived::all(), the QSocketIoBroadcast that selects every socket, so the server,
// the namespace and the operator itself offer the same operators and overloads. See QSocketIoBroadcast for
// what each one does.
template <typename Derived>
class QSocketIoBroadcastOperators
{
public:
    QSocketIoBroadcast to(const QString &room) const { return op().to(room); }
    QSocketIoBroadcast to(const QStringList &rooms) const { return op().to(rooms); }
    QSocketIoBroadcast in(const QString &room) const { return op().in(room); }
    QSocketIoBroadcast in(const QStringList &rooms) const { return op().in(rooms); }
    QSocketIoBroadcast except(const QString &room) const { return op().except(room); }
    QSocketIoBroadcast except(const QStringList &rooms) const { return op().except(rooms); }
    QSocketIoBroadcast local() const { return op().local(); }
    QSocketIoBroadcast asVolatile() const { return op().asVolatile(); }
    QSocketIoBroadcast compress(bool compress) const { return op().compress(compress); }
    QSocketIoBroadcast timeout(int milliseconds) const { return op().timeout(milliseconds); }
    QSocketIoBroadcast timeout(std::chrono::milliseconds ms) const { return op().timeout(ms); }

    bool emitEvent(const QString &event, const QVariantList &args = {}) const { return op().emitEvent(event, args); }
    QSocketIoAck *emitWithAck(const QString &event, const QVariantList &args = {}) const
    {
        return op().emitWithAck(event, args);
    }
    QSocketIoAck *emitWithAck(const QString &event, const QVariantList &args, int timeoutMs) const
    {
        return op().emitWithAck(event, args, timeoutMs);
    }
    template <typename Functor>
    void emitWithAck(const QString &event, const QVariantList &args, const QObject *context, Functor &&functor) const
    {
        op().emitWithAck(event, args, context, std::forward<Functor>(functor));
    }
    template <typename Functor>
    void emitWithAck(const QString &event, const QVariantList &args, int timeoutMs, const QObject *context,
                     Functor &&functor) const
    {
        op().emitWithAck(event, args, timeoutMs, context, std::forward<Functor>(functor));
    }
    bool send(const QVariantList &args) const { return op().send(args); }
    bool write(const QVariantList &args) const { return op().send(args); }

    void fetchSockets(const QObject *context, const QSocketIoBroadcast::SocketsFunctor &functor) const
    {
        op().fetchSockets(context, functor);
    }
    void fetchRemoteSockets(const QObject *context, const QSocketIoBroadcast::RemoteSocketsFunctor &functor) const
    {
        op().fetchRemoteSockets(context, functor);
    }
    void socketsJoin(const QStringList &rooms) const { op().socketsJoin(rooms); }
    void socketsLeave(const QStringList &rooms) const { op().socketsLeave(rooms); }
    void disconnectSockets(bool closeConnection = false) const { op().disconnectSockets(closeConnection); }

protected:
    QSocketIoBroadcastOperators() = default;
    ~QSocketIoBroadcastOperators() = default;

private:
    QSocketIoBroadcast op() const { return static_cast<const Derived *>(this)->all(); }
};

#endif
