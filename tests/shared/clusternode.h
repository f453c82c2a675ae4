// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef CLUSTERNODE_H
#define CLUSTERNODE_H

// The control channel of the cluster test node (tests/cluster/qtnode, on Redis or PostgreSQL), on the public
// API only. Their clients drive a node with events:
//   to(rooms, event, ...args)                  nsp.to(rooms).emitEvent(event, args)
//   toExcept(rooms, except, event, ...args)    nsp.to(rooms).except(except).emitEvent(...)
//   join(room) / leave(room) -> rooms          this socket
//   setData(key, value)                        this socket's data
//   fetch(rooms) -> {sockets, error}           nsp.to(rooms).fetchRemoteSockets()
//   socketsJoin(rooms, room) / socketsLeave(rooms, room) / disconnectSockets(rooms, close)
//   serverSideEmit(event, ...args)             nsp.serverSideEmit()
//   serverSideEmitWithAck(event, ...args) -> {responses, error}
//   askAll(rooms, event, timeout) -> {responses, expected, timedOut, error}   broadcast emitWithAck
//   serverCount() -> the adapter's count of nodes
// A server-side event from another node is passed on to this node's clients as "serverSide"(event, args);
// one with an ack is answered with {node: <the node's name>, event, args}.

#include <QtSocketIo/qsocketioack.h>
#include <QtSocketIo/qsocketioremotesocket.h>
#include <QtSocketIo/qsocketioserver.h>

#include <QtCore/qcoreapplication.h>

#include <cstdio>
#include <functional>

namespace ClusterNode {

inline void say(const QString &line)
{
    std::fputs(line.toUtf8().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

inline QStringList toStringList(const QVariant &value)
{
    QStringList out;
    for (const QVariant &v : value.toList())
        out.append(v.toString());
    return out;
}

inline QString nodeName()
{
    return QCoreApplication::instance()->property("nodeName").toString();
}

// Answers "serverCount" with the adapter's count of nodes.
using ServerCount = std::function<void(QSocketIoSocket *socket, const QSocketIoAckCallback &ack)>;

// Installs the control channel on a namespace.
inline void setUp(QSocketIoNamespace *nsp, const ServerCount &serverCount)
{
    QObject::connect(nsp, &QSocketIoNamespace::serverSideEventReceived, nsp,
                     [nsp](const QString &event, const QVariantList &args) {
        nsp->local().emitEvent(QStringLiteral("serverSide"), {event, QVariant(args)});
    });
    QObject::connect(nsp, &QSocketIoNamespace::serverSideEventWithAckReceived, nsp,
                     [](const QString &event, const QVariantList &args, const QSocketIoAckCallback &ack) {
        ack({QVariantMap{{QStringLiteral("node"), nodeName()}, {QStringLiteral("event"), event},
                         {QStringLiteral("args"), args}}});
    });
    QObject::connect(nsp, &QSocketIoNamespace::newConnection, nsp, [nsp, serverCount](QSocketIoSocket *socket) {
        say(QStringLiteral("CONNECT %1 %2").arg(socket->namespaceName(), socket->id()));
        QObject::connect(socket, &QSocketIoSocket::disconnected, socket,
                         [socket](QSocketIoSocket::DisconnectReason reason) {
            say(QStringLiteral("DISCONNECT %1 %2 %3").arg(socket->namespaceName(), socket->id(),
                                                          QSocketIoSocket::reasonString(reason)));
        });
        socket->on(QStringLiteral("to"), socket, [nsp](const QVariantList &args) {
            nsp->to(toStringList(args.value(0))).emitEvent(args.value(1).toString(), args.mid(2));
        });
        socket->on(QStringLiteral("toExcept"), socket, [nsp](const QVariantList &args) {
            QSocketIoBroadcast op = nsp->except(toStringList(args.value(1)));
            if (!args.value(0).toList().isEmpty())
                op = op.to(toStringList(args.value(0)));
            op.emitEvent(args.value(2).toString(), args.mid(3));
        });
        socket->on(QStringLiteral("join"), socket, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
            socket->join(args.value(0).toString());
            ack({socket->rooms()});
        });
        socket->on(QStringLiteral("leave"), socket, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
            socket->leave(args.value(0).toString());
            ack({socket->rooms()});
        });
        socket->on(QStringLiteral("rooms"), socket, [socket](const QVariantList &, const QSocketIoAckCallback &ack) {
            ack({socket->rooms()});
        });
        socket->on(QStringLiteral("setData"), socket, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
            socket->setDataValue(args.value(0).toString(), args.value(1));
            ack();
        });
        socket->on(QStringLiteral("fetch"), socket, [socket, nsp](const QVariantList &args, const QSocketIoAckCallback &ack) {
            QSocketIoBroadcast op = nsp->all();
            if (!args.value(0).toList().isEmpty())
                op = op.to(toStringList(args.value(0)));
            op.fetchRemoteSockets(socket, [ack](const QList<QSocketIoRemoteSocket> &sockets, const QString &error) {
                QVariantList out;
                for (const QSocketIoRemoteSocket &s : sockets) {
                    out.append(QVariantMap{{QStringLiteral("id"), s.id()},
                                           {QStringLiteral("rooms"), s.rooms()},
                                           {QStringLiteral("data"), s.data()},
                                           {QStringLiteral("local"), s.isLocal()},
                                           {QStringLiteral("handshake"), s.handshake()}});
                }
                ack({QVariantMap{{QStringLiteral("sockets"), out}, {QStringLiteral("error"), error}}});
            });
        });
        // QSocketIoRemoteSocket (Node's RemoteSocket): "remoteOp" [id, op, arg] fetches that socket on whatever node it
        // is and calls emitEvent(arg, "from-remote") / join(arg) / leave(arg) / disconnectSocket(arg) on it and answers
        // {count, local, error}; "ask" calls timeout(arg).emitWithAck("question") and answers {timedOut, answers, error}.
        socket->on(QStringLiteral("remoteOp"), socket, [socket, nsp](const QVariantList &args, const QSocketIoAckCallback &ack) {
            const QString op = args.value(1).toString();
            const QVariant arg = args.value(2);
            nsp->in(args.value(0).toString()).fetchRemoteSockets(socket,
                    [ack, op, arg, socket](const QList<QSocketIoRemoteSocket> &sockets, const QString &error) {
                if (op == QStringLiteral("ask") && sockets.size() == 1) {
                    // timeout(ms).emitWithAck("question"): answers {timedOut, answers, error}.
                    sockets.first().timeout(arg.toInt()).emitWithAck(QStringLiteral("question"), {}, socket,
                            [ack](bool timedOut, const QVariantList &answers) {
                        ack({QVariantMap{{QStringLiteral("timedOut"), timedOut}, {QStringLiteral("answers"), answers},
                                         {QStringLiteral("error"), QString()}}});
                    });
                    return;
                }
                for (const QSocketIoRemoteSocket &remote : sockets) {
                    if (op == QStringLiteral("emit"))
                        remote.emitEvent(arg.toString(), {QStringLiteral("from-remote")});
                    else if (op == QStringLiteral("join"))
                        remote.join(arg.toString());
                    else if (op == QStringLiteral("leave"))
                        remote.leave(arg.toString());
                    else if (op == QStringLiteral("disconnect"))
                        remote.disconnectSocket(arg.toBool());
                }
                ack({QVariantMap{{QStringLiteral("count"), int(sockets.size())},
                                 {QStringLiteral("local"), !sockets.isEmpty() && sockets.first().isLocal()},
                                 {QStringLiteral("error"), error}}});
            });
        });
        socket->on(QStringLiteral("socketsJoin"), socket, [nsp](const QVariantList &args, const QSocketIoAckCallback &ack) {
            nsp->in(toStringList(args.value(0))).socketsJoin({args.value(1).toString()});
            ack();
        });
        socket->on(QStringLiteral("socketsLeave"), socket, [nsp](const QVariantList &args, const QSocketIoAckCallback &ack) {
            nsp->in(toStringList(args.value(0))).socketsLeave({args.value(1).toString()});
            ack();
        });
        socket->on(QStringLiteral("disconnectSockets"), socket, [nsp](const QVariantList &args, const QSocketIoAckCallback &ack) {
            ack();
            nsp->in(toStringList(args.value(0))).disconnectSockets(args.value(1).toBool());
        });
        socket->on(QStringLiteral("serverSideEmit"), socket, [nsp](const QVariantList &args, const QSocketIoAckCallback &ack) {
            nsp->serverSideEmit(args.value(0).toString(), args.mid(1));
            ack();
        });
        socket->on(QStringLiteral("serverSideEmitWithAck"), socket,
                   [socket, nsp](const QVariantList &args, const QSocketIoAckCallback &ack) {
            QSocketIoAck *reply = nsp->serverSideEmitWithAck(args.value(0).toString(), args.mid(1));
            auto report = [reply, ack] {
                QVariantList responses;
                for (const QVariantList &response : reply->responses())
                    responses.append(response.value(0));
                ack({QVariantMap{{QStringLiteral("responses"), responses},
                                 {QStringLiteral("error"), reply->errorString()}}});
            };
            QObject::connect(reply, &QSocketIoAck::finished, socket, report);
            QObject::connect(reply, &QSocketIoAck::timedOut, socket, report);
        });
        socket->on(QStringLiteral("askAll"), socket, [socket, nsp](const QVariantList &args, const QSocketIoAckCallback &ack) {
            QSocketIoBroadcast op = nsp->timeout(args.value(2).toInt());
            if (!args.value(0).toList().isEmpty())
                op = op.to(toStringList(args.value(0)));
            QSocketIoAck *reply = op.emitWithAck(args.value(1).toString());
            auto report = [reply, ack] {
                QVariantList responses;
                for (const QVariantList &response : reply->responses())
                    responses.append(response.value(0));
                ack({QVariantMap{{QStringLiteral("responses"), responses},
                                 {QStringLiteral("expected"), reply->expectedCount()},
                                 {QStringLiteral("timedOut"), reply->isTimedOut()},
                                 {QStringLiteral("error"), reply->errorString()}}});
            };
            QObject::connect(reply, &QSocketIoAck::finished, socket, report);
            QObject::connect(reply, &QSocketIoAck::timedOut, socket, report);
        });
        socket->on(QStringLiteral("serverCount"), socket, [socket, serverCount](const QVariantList &,
                                                                          const QSocketIoAckCallback &ack) {
            serverCount(socket, ack);
        });
    });
}

} // namespace ClusterNode

#endif
