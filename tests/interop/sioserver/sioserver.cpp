// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// A Socket.IO server for the socket.io-client interop tests, written against the public API only.
// Prints LISTENING <port>, CONNECT <nsp> <id>, DISCONNECT <nsp> <id> <reason>, ERROR <nsp> <id> <message>,
// DISCONNECTING <nsp> <id> <reason> <rooms, comma-separated>, NAMESPACE <name> (namespaceCreated).

#include <QtSocketIo/qsocketioserver.h>
#include <QtSocketIo/qsocketiosqlitesessionstore.h>

#include <QtCore/qcommandlineparser.h>
#include <QtCore/qfile.h>
#include <QtCore/qjsondocument.h>
#include <QtCore/qjsonobject.h>
#include <QtCore/qmetaobject.h>
#include <QtNetwork/qsslkey.h>
#include <QtCore/qcoreapplication.h>
#include <QtCore/qregularexpression.h>
#include <QtCore/qtimer.h>

#include "quitonsignal.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdio>
#include <memory>

namespace {

void say(const QString &line)
{
    std::fputs(line.toUtf8().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

QStringList toStringList(const QVariant &value)
{
    QStringList out;
    for (const QVariant &v : value.toList())
        out.append(v.toString());
    return out;
}

// The descriptors of this process's TCP sockets connected to a loopback peer on that port (Linux; bounded scan).
QList<int> socketsWithPeerPort(quint16 port)
{
    QList<int> out;
    for (int fd = 3; fd < 4096 && port != 0; ++fd) {
        sockaddr_storage peer = {};
        socklen_t length = sizeof(peer);
        if (::getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &length) != 0)
            continue;
        if (peer.ss_family == AF_INET && ntohs(reinterpret_cast<sockaddr_in *>(&peer)->sin_port) == port)
            out.append(fd);
        else if (peer.ss_family == AF_INET6 && ntohs(reinterpret_cast<sockaddr_in6 *>(&peer)->sin6_port) == port)
            out.append(fd);
    }
    return out;
}

QVariantList describe(const QList<QSocketIoSocket *> &sockets)
{
    QVariantList out;
    for (QSocketIoSocket *socket : sockets) {
        out.append(QVariantMap{{QStringLiteral("id"), socket->id()},
                               {QStringLiteral("rooms"), socket->rooms()},
                               {QStringLiteral("data"), socket->data()}});
    }
    return out;
}

void setUp(QSocketIoNamespace *nsp)
{
    QObject::connect(nsp, &QSocketIoNamespace::connectionRecovered, nsp, [](QSocketIoSocket *socket) {
        say(QStringLiteral("RECOVERED %1 %2").arg(socket->namespaceName(), socket->id()));
    });
    QObject::connect(nsp, &QSocketIoNamespace::sessionExpired, nsp, [nsp](const QString &id) {
        say(QStringLiteral("EXPIRED %1 %2").arg(nsp->name(), id));
    });
    QObject::connect(nsp, &QSocketIoNamespace::newConnection, nsp, [](QSocketIoSocket *socket) {
        QSocketIoNamespace *nsp = socket->nsp();
        say(QStringLiteral("CONNECT %1 %2").arg(socket->namespaceName(), socket->id()));
        QObject::connect(socket, &QSocketIoSocket::disconnected, socket,
                         [socket](QSocketIoSocket::DisconnectReason reason) {
            say(QStringLiteral("DISCONNECT %1 %2 %3").arg(socket->namespaceName(), socket->id(),
                                                          QSocketIoSocket::reasonString(reason)));
        });
        QObject::connect(socket, &QSocketIoSocket::disconnecting, socket, [socket](QSocketIoSocket::DisconnectReason reason) {
            say(QStringLiteral("DISCONNECTING %1 %2 %3 %4").arg(socket->namespaceName(), socket->id(),
                                                                 QSocketIoSocket::reasonString(reason),
                                                                 socket->rooms().join(u',')));
        });
        QObject::connect(socket, &QSocketIoSocket::errorOccurred, socket, [socket](const QString &message) {
            say(QStringLiteral("ERROR %1 %2 %3").arg(socket->namespaceName(), socket->id(), message));
        });
        socket->use([](QSocketIoSocket *, const QString &event, QVariantList &, const QSocketIoNext &next) {
            if (event == QStringLiteral("rejectMe"))
                next.reject(QStringLiteral("rejected"));
            else
                next();
        });

        socket->on(QStringLiteral("echo"), socket, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
            if (ack.isValid())
                ack(args);
            else
                socket->emitEvent(QStringLiteral("echo"), args);
        });
        socket->on(QStringLiteral("message"), socket, [socket](const QVariantList &args) { socket->send(args); });
        socket->on(QStringLiteral("join"), socket, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
            socket->join(args.value(0).toString());
            ack({socket->rooms()});
        });
        socket->on(QStringLiteral("leave"), socket, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
            socket->leave(args.value(0).toString());
            ack({socket->rooms()});
        });
        // "watchRooms": the namespace's room signals (Node's adapter events) come to this socket as
        // "room" [kind, room, socketId], kind being create, delete, join or leave.
        socket->on(QStringLiteral("watchRooms"), socket, [socket, nsp](const QVariantList &, const QSocketIoAckCallback &ack) {
            const auto relay = [socket](const char *kind) {
                return [socket, kind](const QString &room, const QString &id = QString()) {
                    socket->emitEvent(QStringLiteral("room"), {QString::fromLatin1(kind), room, id});
                };
            };
            QObject::connect(nsp, &QSocketIoNamespace::roomCreated, socket, [f = relay("create")](const QString &room) { f(room); });
            QObject::connect(nsp, &QSocketIoNamespace::roomDeleted, socket, [f = relay("delete")](const QString &room) { f(room); });
            QObject::connect(nsp, &QSocketIoNamespace::roomJoined, socket, relay("join"));
            QObject::connect(nsp, &QSocketIoNamespace::roomLeft, socket, relay("leave"));
            ack({true});
        });
        // "roomMembers": {room: [socket ids]} of this node, from the namespace's adapter.
        socket->on(QStringLiteral("roomMembers"), socket, [nsp](const QVariantList &, const QSocketIoAckCallback &ack) {
            QVariantMap out;
            for (const QString &room : nsp->rooms()) {
                QStringList members = nsp->roomMembers(room);
                members.sort();
                out.insert(room, members);
            }
            ack({out});
        });
        socket->on(QStringLiteral("to"), socket, [nsp](const QVariantList &args) {
            nsp->to(toStringList(args.value(0))).emitEvent(args.value(1).toString(), args.mid(2));
        });
        socket->on(QStringLiteral("broadcast"), socket, [socket](const QVariantList &args) {
            socket->broadcast().emitEvent(args.value(0).toString(), args.mid(1));
        });
        socket->on(QStringLiteral("toExcept"), socket, [nsp](const QVariantList &args) {
            nsp->to(toStringList(args.value(0))).except(toStringList(args.value(1)))
                    .emitEvent(args.value(2).toString(), args.mid(3));
        });
        socket->on(QStringLiteral("socketToExcept"), socket, [socket](const QVariantList &args) {
            socket->to(toStringList(args.value(0))).except(toStringList(args.value(1)))
                    .emitEvent(args.value(2).toString(), args.mid(3));
        });
        socket->on(QStringLiteral("ask"), socket, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
            socket->emitWithAck(args.value(0).toString(), args.mid(2), args.value(1).toInt(), socket,
                                [ack](bool timedOut, const QVariantList &answer) {
                if (timedOut)
                    ack({QVariantMap{{QStringLiteral("ok"), false}, {QStringLiteral("error"), QStringLiteral("timeout")}}});
                else
                    ack({QVariantMap{{QStringLiteral("ok"), true}, {QStringLiteral("args"), answer}}});
            });
        });
        // "flagged" [flags, event, ...args]: Node's socket flags on what goes to this client, flags being
        // {volatile, compress, timeout}: socket->asVolatile() / compress() / timeout(ms). With a timeout the
        // server asks (emitWithAck) and acks {ok:true,args} or {ok:false,error:"timeout"}; without, it emits
        // and acks {ok: emitEvent's result}.
        socket->on(QStringLiteral("flagged"), socket, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
            const QVariantMap flags = args.value(0).toMap();
            QSocketIoBroadcast op = socket->compress(flags.value(QStringLiteral("compress"), true).toBool());
            if (flags.value(QStringLiteral("volatile")).toBool())
                op = op.asVolatile();
            const QString event = args.value(1).toString();
            if (!flags.contains(QStringLiteral("timeout"))) {
                ack({QVariantMap{{QStringLiteral("ok"), op.emitEvent(event, args.mid(2))}}});
                return;
            }
            op.timeout(flags.value(QStringLiteral("timeout")).toInt())
                    .emitWithAck(event, args.mid(2), socket, [ack](bool timedOut, const QVariantList &answer) {
                if (timedOut)
                    ack({QVariantMap{{QStringLiteral("ok"), false}, {QStringLiteral("error"), QStringLiteral("timeout")}}});
                else
                    ack({QVariantMap{{QStringLiteral("ok"), true}, {QStringLiteral("args"), answer}}});
            });
        });
        socket->on(QStringLiteral("askAll"), socket, [socket, nsp](const QVariantList &args, const QSocketIoAckCallback &ack) {
            QSocketIoAck *reply = nsp->to(toStringList(args.value(0))).timeout(args.value(2).toInt())
                    .emitWithAck(args.value(1).toString());
            auto report = [reply, ack] {
                QVariantList first;
                for (const QVariantList &response : reply->responses())
                    first.append(response.value(0));
                ack({QVariantMap{{QStringLiteral("responses"), first},
                                 {QStringLiteral("timedOut"), reply->timedOutSocketIds().size()}}});
            };
            QObject::connect(reply, &QSocketIoAck::finished, socket, report);
            QObject::connect(reply, &QSocketIoAck::timedOut, socket, report);
        });
        socket->on(QStringLiteral("fetch"), socket, [socket, nsp](const QVariantList &args, const QSocketIoAckCallback &ack) {
            nsp->to(toStringList(args.value(0))).fetchSockets(socket, [ack](const QList<QSocketIoSocket *> &sockets) {
                ack({QVariant(describe(sockets))});
            });
        });
        socket->on(QStringLiteral("setData"), socket, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
            socket->setDataValue(args.value(0).toString(), args.value(1));
            ack();
        });
        socket->on(QStringLiteral("socketsJoin"), socket, [nsp](const QVariantList &args, const QSocketIoAckCallback &ack) {
            nsp->to(toStringList(args.value(0))).socketsJoin({args.value(1).toString()});
            ack();
        });
        socket->on(QStringLiteral("socketsLeave"), socket, [nsp](const QVariantList &args, const QSocketIoAckCallback &ack) {
            nsp->to(toStringList(args.value(0))).socketsLeave({args.value(1).toString()});
            ack();
        });
        socket->on(QStringLiteral("disconnectSockets"), socket, [nsp](const QVariantList &args, const QSocketIoAckCallback &ack) {
            ack();
            nsp->to(toStringList(args.value(0))).disconnectSockets(args.value(1).toBool());
        });
        socket->on(QStringLiteral("disconnectMe"), socket, [socket](const QVariantList &args) {
            socket->disconnectSocket(args.value(0).toBool());
        });
        socket->on(QStringLiteral("handshake"), socket, [socket](const QVariantList &, const QSocketIoAckCallback &ack) {
            const QSocketIoHandshake h = socket->handshake();
            const QVariantMap headers = h.headers();
            ack({QVariantMap{
                    {QStringLiteral("auth"), h.auth()},
                    {QStringLiteral("query"), h.query()},
                    {QStringLiteral("headers"), QVariantMap{
                             {QStringLiteral("origin"), headers.value(QStringLiteral("origin"))},
                             {QStringLiteral("user-agent"), headers.value(QStringLiteral("user-agent"))},
                             {QStringLiteral("x-test"), headers.value(QStringLiteral("x-test"))}}},
                    {QStringLiteral("address"), h.address()},
                    {QStringLiteral("secure"), h.isSecure()},
                    {QStringLiteral("xdomain"), h.isCrossDomain()},
                    {QStringLiteral("url"), h.url()},
                    {QStringLiteral("issued"), h.issued()}}});
        });
        auto counter = std::make_shared<std::pair<qint64, bool>>(0, true);
        socket->on(QStringLiteral("seq"), socket, [counter](const QVariantList &args) {
            if (args.value(0).toLongLong() != counter->first)
                counter->second = false;
            ++counter->first;
        });
        socket->on(QStringLiteral("seqResult"), socket, [counter](const QVariantList &, const QSocketIoAckCallback &ack) {
            ack({QVariantMap{{QStringLiteral("count"), counter->first}, {QStringLiteral("inOrder"), counter->second}}});
        });
        socket->on(QStringLiteral("rejectMe"), socket, [socket](const QVariantList &) {
            say(QStringLiteral("HANDLED %1 %2 rejectMe").arg(socket->namespaceName(), socket->id()));
        });
        // "flood" (count, size): sends that many events of that many bytes at once (slow-consumer tests).
        socket->on(QStringLiteral("flood"), socket, [socket](const QVariantList &args) {
            const QString payload(args.value(1).toInt(), QLatin1Char('x'));
            const int count = args.value(0).toInt();
            for (int i = 0; i < count && socket->isConnected(); ++i)
                socket->emitEvent(QStringLiteral("flood"), {payload});
        });
        // Connection state recovery: what the server knows of this socket.
        socket->on(QStringLiteral("whoami"), socket, [socket](const QVariantList &, const QSocketIoAckCallback &ack) {
            ack({QVariantMap{{QStringLiteral("id"), socket->id()}, {QStringLiteral("rooms"), socket->rooms()},
                             {QStringLiteral("data"), socket->data()}, {QStringLiteral("recovered"), socket->isRecovered()}}});
        });
        // "dropPeer" (port): shuts down, at the socket level, the server's TCP connection whose peer port is that
        // (the client's local port), as a network failure would: no close frame, no DISCONNECT, no Engine.IO
        // close packet. Acknowledges with how many connections it found (before shutting them down).
        socket->on(QStringLiteral("dropPeer"), socket, [](const QVariantList &args, const QSocketIoAckCallback &ack) {
            const QList<int> fds = socketsWithPeerPort(quint16(args.value(0).toUInt()));
            ack({int(fds.size())});
            QTimer::singleShot(0, [fds] {
                for (int fd : fds)
                    ::shutdown(fd, SHUT_RDWR);
            });
        });
        socket->on(QStringLiteral("serverSideEmit"), socket, [nsp](const QVariantList &, const QSocketIoAckCallback &ack) {
            nsp->serverSideEmit(QStringLiteral("x"));
            ack({QStringLiteral("done")});
        });
        // write(): socket->write(args); "nspWrite" [rooms, ...args]: nsp->to(rooms).write(args), or nsp->write(args)
        // for no rooms (the server's write() for "/").
        socket->on(QStringLiteral("write"), socket, [socket](const QVariantList &args) { socket->write(args); });
        socket->on(QStringLiteral("nspWrite"), socket, [nsp](const QVariantList &args) {
            const QStringList rooms = toStringList(args.value(0));
            if (!rooms.isEmpty())
                nsp->to(rooms).write(args.mid(1));
            else if (nsp->name() == QStringLiteral("/"))
                nsp->server()->write(args.mid(1));
            else
                nsp->write(args.mid(1));
        });
        // once(): "armOnce" arms a one-shot handler of "onceEvt" that answers "onceFired" with its arguments.
        socket->on(QStringLiteral("armOnce"), socket, [socket](const QVariantList &, const QSocketIoAckCallback &ack) {
            socket->once(QStringLiteral("onceEvt"), socket, [socket](const QVariantList &args) {
                socket->emitEvent(QStringLiteral("onceFired"), args);
            });
            ack();
        });
        // Catch-all listeners: "armAny" adds onAny "on", prependAny "pre", prependAny "pre2" (it runs first), and
        // onAnyOutgoing "out" / prependAnyOutgoing "outPre"; each logs "<tag>:<event>". "anyLog" answers the log;
        // "offOne" removes the first incoming listener with off(); "offAll" calls offAny() and offAnyOutgoing().
        // Each answers [listenersAny().size(), listenersAnyOutgoing().size()].
        auto anyLog = std::make_shared<QStringList>();
        auto counts = [socket] {
            return QVariantList{int(socket->listenersAny().size()), int(socket->listenersAnyOutgoing().size())};
        };
        socket->on(QStringLiteral("armAny"), socket, [socket, anyLog, counts](const QVariantList &, const QSocketIoAckCallback &ack) {
            auto logger = [anyLog](const QString &tag) {
                return [anyLog, tag](const QString &event, const QVariantList &) { anyLog->append(tag + u':' + event); };
            };
            socket->onAny(socket, logger(QStringLiteral("on")));
            socket->prependAny(socket, logger(QStringLiteral("pre")));
            socket->prependAny(socket, logger(QStringLiteral("pre2")));
            socket->onAnyOutgoing(socket, logger(QStringLiteral("out")));
            socket->prependAnyOutgoing(socket, logger(QStringLiteral("outPre")));
            ack(counts());
        });
        socket->on(QStringLiteral("anyLog"), socket, [anyLog](const QVariantList &, const QSocketIoAckCallback &ack) {
            ack({*anyLog});
        });
        socket->on(QStringLiteral("offOne"), socket, [socket, counts](const QVariantList &, const QSocketIoAckCallback &ack) {
            const QList<QMetaObject::Connection> listeners = socket->listenersAny();
            if (!listeners.isEmpty())
                QSocketIoSocket::off(listeners.first());
            ack(counts());
        });
        socket->on(QStringLiteral("offAll"), socket, [socket, counts](const QVariantList &, const QSocketIoAckCallback &ack) {
            socket->offAny();
            socket->offAnyOutgoing();
            ack(counts());
        });
        // compress(): "compressed" [flag, size] sends "big" (size characters) with socket->compress(flag);
        // "nspCompressed" the same through a broadcast to this socket's room; "compressMix" [size] sends "big"
        // with compress(false) and "small" without flags in the same turn (one poll response).
        socket->on(QStringLiteral("compressed"), socket, [socket](const QVariantList &args) {
            socket->compress(args.value(0).toBool()).emitEvent(QStringLiteral("big"), {QString(args.value(1).toInt(), u'y')});
        });
        socket->on(QStringLiteral("nspCompressed"), socket, [socket, nsp](const QVariantList &args) {
            nsp->to(socket->id()).compress(args.value(0).toBool())
                    .emitEvent(QStringLiteral("big"), {QString(args.value(1).toInt(), u'y')});
        });
        socket->on(QStringLiteral("compressMix"), socket, [socket](const QVariantList &args) {
            socket->compress(false).emitEvent(QStringLiteral("big"), {QString(args.value(0).toInt(), u'y')});
            socket->emitEvent(QStringLiteral("small"), {1});
        });
        // QSocketIoRemoteSocket: "remoteOp" [id, op, arg] fetches the socket id (fetchRemoteSockets) and calls
        // emitEvent(arg, "from-remote") / join(arg) / leave(arg) / disconnectSocket(arg) on what came back and
        // answers {count, local}; "ask" calls timeout(arg).emitWithAck("question") and answers {timedOut, answers}.
        socket->on(QStringLiteral("remoteOp"), socket, [socket, nsp](const QVariantList &args, const QSocketIoAckCallback &ack) {
            const QString op = args.value(1).toString();
            const QVariant arg = args.value(2);
            nsp->in(args.value(0).toString()).fetchRemoteSockets(socket,
                    [ack, op, arg, socket](const QList<QSocketIoRemoteSocket> &sockets, const QString &) {
                if (op == QStringLiteral("ask") && sockets.size() == 1) {
                    // timeout(ms).emitWithAck("question"): answers {timedOut, answers}.
                    sockets.first().timeout(arg.toInt()).emitWithAck(QStringLiteral("question"), {}, socket,
                            [ack](bool timedOut, const QVariantList &answers) {
                        ack({QVariantMap{{QStringLiteral("timedOut"), timedOut}, {QStringLiteral("answers"), answers}}});
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
                                 {QStringLiteral("local"), !sockets.isEmpty() && sockets.first().isLocal()}}});
            });
        });
    });
}

// socket.conn and io.engine (issue 14): every Engine.IO connection counts what its QEngineIoSocket signals
// (kept as the "stats" property of the connection); "connStats" answers with them and the connection's facts.
void bump(QEngineIoSocket *conn, const QString &key)
{
    QVariantMap stats = conn->property("stats").toMap();
    stats.insert(key, stats.value(key).toInt() + 1);
    conn->setProperty("stats", stats);
}

QString packetName(QEngineIoSocket::PacketType type)
{
    return QString::fromLatin1(QMetaEnum::fromType<QEngineIoSocket::PacketType>().valueToKey(int(type)));
}

void watchEngine(QSocketIoServer &server, bool hooks)
{
    QEngineIoServer *engine = server.engine();
    QObject::connect(engine, &QEngineIoServer::connection, engine, [](QEngineIoSocket *conn) {
        bump(conn, QStringLiteral("connection"));
        QObject::connect(conn, &QEngineIoSocket::upgrading, conn, [conn] { bump(conn, QStringLiteral("upgrading")); });
        QObject::connect(conn, &QEngineIoSocket::upgraded, conn, [conn] { bump(conn, QStringLiteral("upgraded")); });
        QObject::connect(conn, &QEngineIoSocket::drain, conn, [conn] { bump(conn, QStringLiteral("drain")); });
        QObject::connect(conn, &QEngineIoSocket::flush, conn, [conn] { bump(conn, QStringLiteral("flush")); });
        QObject::connect(conn, &QEngineIoSocket::heartbeat, conn, [conn] { bump(conn, QStringLiteral("heartbeat")); });
        QObject::connect(conn, &QEngineIoSocket::packet, conn, [conn](QEngineIoSocket::PacketType type) {
            bump(conn, QStringLiteral("in:") + packetName(type));
        });
        QObject::connect(conn, &QEngineIoSocket::packetCreate, conn, [conn](QEngineIoSocket::PacketType type) {
            bump(conn, QStringLiteral("out:") + packetName(type));
        });
        QObject::connect(conn, &QEngineIoSocket::closed, conn, [conn](const QString &reason) {
            say(QStringLiteral("CONN_CLOSED %1 %2").arg(conn->id(), reason));
        });
    });
    if (!hooks)
        return;
    // --engine-hooks: Node's generateId, initial_headers, headers and connection_error.
    auto counter = std::make_shared<int>(0);
    engine->setGenerateId([counter](const QSocketIoHandshake &request) {
        if (request.query().value(QStringLiteral("badId")).toBool())
            return QStringLiteral("not an id!");
        return QStringLiteral("custom-%1").arg(++*counter);
    });
    engine->setInitialHeaders([](QEngineIoServer::Headers &headers, const QSocketIoHandshake &) {
        headers.append({QByteArrayLiteral("X-Initial"), QByteArrayLiteral("1")});
    });
    engine->setHeaders([](QEngineIoServer::Headers &headers, const QSocketIoHandshake &) {
        headers.append({QByteArrayLiteral("X-Every"), QByteArrayLiteral("1")});
    });
    QObject::connect(engine, &QEngineIoServer::connectionError, engine,
                     [](const QSocketIoHandshake &request, QEngineIoServer::ErrorCode code, const QString &message,
                        const QVariantMap &context) {
        say(QStringLiteral("CONNECTION_ERROR %1 %2 %3 %4")
                    .arg(int(code))
                    .arg(message, QString::fromUtf8(QJsonDocument(QJsonObject::fromVariantMap(context)).toJson(QJsonDocument::Compact)),
                         request.url()));
    });
}

void answerConnStats(QSocketIoNamespace *nsp, QSocketIoServer *server)
{
    QObject::connect(nsp, &QSocketIoNamespace::newConnection, nsp, [server](QSocketIoSocket *socket) {
        socket->on(QStringLiteral("connStats"), socket, [socket, server](const QVariantList &, const QSocketIoAckCallback &ack) {
            QEngineIoSocket *conn = socket->conn();
            if (!conn) {
                ack({QVariant()});
                return;
            }
            QStringList namespaces;
            for (QSocketIoSocket *s : socket->clientSockets())
                namespaces.append(s->namespaceName());
            namespaces.sort();
            ack({QVariantMap{
                    {QStringLiteral("id"), conn->id()},
                    {QStringLiteral("transport"), conn->transport()},
                    {QStringLiteral("readyState"), QString::fromLatin1(QMetaEnum::fromType<QEngineIoSocket::ReadyState>()
                                                                            .valueToKey(int(conn->readyState())))},
                    {QStringLiteral("upgraded"), conn->isUpgraded()},
                    {QStringLiteral("protocol"), conn->protocol()},
                    {QStringLiteral("remoteAddress"), conn->remoteAddress()},
                    {QStringLiteral("userAgent"), QString::fromUtf8(conn->request().header("user-agent"))},
                    {QStringLiteral("sameAsEngine"), server->engine()->client(conn->id()) == conn},
                    {QStringLiteral("clientsCount"), server->engine()->clientsCount()},
                    {QStringLiteral("namespaces"), namespaces},
                    {QStringLiteral("stats"), conn->property("stats")}}});
        });
    });
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("TCP port (0: any free one)"), QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption pingInterval(QStringLiteral("ping-interval"), QStringLiteral("ms"), QStringLiteral("ms"));
    const QCommandLineOption pingTimeout(QStringLiteral("ping-timeout"), QStringLiteral("ms"), QStringLiteral("ms"));
    const QCommandLineOption connectTimeout(QStringLiteral("connect-timeout"), QStringLiteral("ms"), QStringLiteral("ms"));
    const QCommandLineOption transports(QStringLiteral("transports"), QStringLiteral("polling,websocket"), QStringLiteral("list"));
    const QCommandLineOption maxBuffer(QStringLiteral("max-http-buffer-size"), QStringLiteral("bytes"), QStringLiteral("bytes"));
    const QCommandLineOption tlsCert(QStringLiteral("tls-cert"), QStringLiteral("PEM certificate: serve HTTPS/WSS"), QStringLiteral("file"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"), QStringLiteral("PEM private key (RSA)"), QStringLiteral("file"));
    const QCommandLineOption maxConnections(QStringLiteral("max-connections"), QStringLiteral("cap"), QStringLiteral("n"));
    const QCommandLineOption maxPerAddress(QStringLiteral("max-connections-per-address"), QStringLiteral("cap"), QStringLiteral("n"));
    const QCommandLineOption maxBuffered(QStringLiteral("max-buffered-bytes"), QStringLiteral("slow-consumer bound"), QStringLiteral("bytes"));
    const QCommandLineOption recovery(QStringLiteral("recovery"), QStringLiteral("connection state recovery on"));
    const QCommandLineOption maxDisconnection(QStringLiteral("max-disconnection-duration"), QStringLiteral("ms"), QStringLiteral("ms"));
    const QCommandLineOption runMiddlewares(QStringLiteral("recovery-runs-middlewares"), QStringLiteral("skipMiddlewares off"));
    const QCommandLineOption maxStored(QStringLiteral("max-stored-packets"), QStringLiteral("cap per namespace"), QStringLiteral("n"));
    const QCommandLineOption sessionStore(QStringLiteral("session-store"), QStringLiteral("SQLite file for kept sessions"), QStringLiteral("file"));
    const QCommandLineOption eventRate(QStringLiteral("event-rate-limit"), QStringLiteral("events/s per connection"), QStringLiteral("n"));
    const QCommandLineOption eventBurst(QStringLiteral("event-rate-burst"), QStringLiteral("events at once"), QStringLiteral("n"));
    parser.addOptions({eventRate, eventBurst});
    const QCommandLineOption engineHooks(QStringLiteral("engine-hooks"), QStringLiteral("generateId, header hooks, connectionError lines"));
    parser.addOption(engineHooks);
    const QCommandLineOption allowEIO3(QStringLiteral("allow-eio3"), QStringLiteral("serve socket.io-client 2.x (EIO=3)"));
    const QCommandLineOption keepEmptyChildren(QStringLiteral("keep-empty-child-namespaces"), QStringLiteral("cleanupEmptyChildNamespaces off"));
    const QCommandLineOption noServeClient(QStringLiteral("no-serve-client"), QStringLiteral("serveClient off"));
    const QCommandLineOption noHttpCompression(QStringLiteral("no-http-compression"), QStringLiteral("httpCompression off"));
    const QCommandLineOption noTrailingSlash(QStringLiteral("no-trailing-slash"), QStringLiteral("addTrailingSlash off"));
    const QCommandLineOption enginePath(QStringLiteral("path"), QStringLiteral("the Engine.IO path"), QStringLiteral("path"));
    parser.addOptions({noTrailingSlash, enginePath});
    const QCommandLineOption wireParser(QStringLiteral("parser"), QStringLiteral("json (default) or msgpack"), QStringLiteral("name"));
    parser.addOptions({port, pingInterval, pingTimeout, connectTimeout, transports, maxBuffer, tlsCert, tlsKey,
                       maxConnections, maxPerAddress, maxBuffered, recovery, maxDisconnection, runMiddlewares,
                       maxStored, sessionStore, noServeClient, noHttpCompression, wireParser, allowEIO3, keepEmptyChildren});
    parser.process(app);

    std::unique_ptr<QSocketIoSqliteSessionStore> store;   // outlives the server, which writes to it last
    QSocketIoServer server;
    server.setAllowEIO3(parser.isSet(allowEIO3));
    if (parser.isSet(pingInterval))
        server.setPingInterval(parser.value(pingInterval).toInt());
    if (parser.isSet(pingTimeout))
        server.setPingTimeout(parser.value(pingTimeout).toInt());
    if (parser.isSet(connectTimeout))
        server.setConnectTimeout(parser.value(connectTimeout).toInt());
    if (parser.isSet(maxBuffer))
        server.setMaxHttpBufferSize(parser.value(maxBuffer).toLongLong());
    if (parser.isSet(wireParser)) {
        const QString name = parser.value(wireParser);
        if (name != QStringLiteral("json") && name != QStringLiteral("msgpack")) {
            std::fprintf(stderr, "--parser: json or msgpack\n");
            return 1;
        }
        server.setParser(name == QStringLiteral("msgpack") ? QSocketIoServer::Parser::MessagePack
                                                             : QSocketIoServer::Parser::Json);
    }
    if (parser.isSet(transports)) {
        const QStringList list = parser.value(transports).split(QLatin1Char(','));
        QSocketIoServer::Transports t;
        t.setFlag(QSocketIoServer::Polling, list.contains(QStringLiteral("polling")));
        t.setFlag(QSocketIoServer::WebSocket, list.contains(QStringLiteral("websocket")));
        server.setTransports(t);
    }

    if (parser.isSet(recovery)) {
        QSocketIoConnectionStateRecovery options;
        options.setEnabled(true);
        if (parser.isSet(maxDisconnection))
            options.setMaxDisconnectionDuration(parser.value(maxDisconnection).toInt());
        if (parser.isSet(maxStored))
            options.setMaxStoredPackets(parser.value(maxStored).toInt());
        options.setSkipMiddlewares(!parser.isSet(runMiddlewares));
        server.setConnectionStateRecovery(options);
    }
    if (parser.isSet(sessionStore)) {
        store = std::make_unique<QSocketIoSqliteSessionStore>(parser.value(sessionStore));
        if (!store->isOpen()) {
            std::fprintf(stderr, "cannot open the session store: %s\n", qPrintable(store->errorString()));
            return 1;
        }
        server.setSessionStore(store.get());
    }
    server.setServeClient(!parser.isSet(noServeClient));
    server.setHttpCompression(!parser.isSet(noHttpCompression));
    server.setAddTrailingSlash(!parser.isSet(noTrailingSlash));
    if (parser.isSet(enginePath))
        server.setPath(parser.value(enginePath));
    QObject::connect(&server, &QSocketIoServer::namespaceCreated, &server, [](QSocketIoNamespace *nsp) {
        say(QStringLiteral("NAMESPACE %1").arg(nsp->name()));
    });
    // allowRequest: a request whose query has refuse=1 gets 403 "refused by allowRequest", later (as an async
    // hook may); the header hooks add x-handshake to the handshake response and x-response to every response.
    server.setAllowRequest([](const QSocketIoHandshake &request, const QSocketIoServer::RequestVerdict &verdict) {
        if (request.query().value(QStringLiteral("refuse")).toString() != QStringLiteral("1")) {
            verdict(true, 0, {});
            return;
        }
        QTimer::singleShot(10, [verdict] { verdict(false, 403, QStringLiteral("refused by allowRequest")); });
    });
    server.setEditHandshakeHeaders([](QSocketIoServer::Headers &headers, const QSocketIoHandshake &) {
        headers.append({QByteArrayLiteral("x-handshake"), QByteArrayLiteral("1")});
    });
    server.setEditResponseHeaders([](QSocketIoServer::Headers &headers, const QSocketIoHandshake &) {
        headers.append({QByteArrayLiteral("x-response"), QByteArrayLiteral("1")});
    });
    // io.use(): a main-namespace middleware that refuses a client whose auth has refuseMain.
    server.use([](QSocketIoSocket *socket, const QSocketIoNext &next) {
        if (socket->handshake().auth().value(QStringLiteral("refuseMain")).toBool())
            next.reject(QStringLiteral("main refused"), QVariantMap{{QStringLiteral("by"), QStringLiteral("io.use")}});
        else
            next();
    });
    if (parser.isSet(maxConnections))
        server.setMaxConnections(parser.value(maxConnections).toInt());
    if (parser.isSet(maxPerAddress))
        server.setMaxConnectionsPerAddress(parser.value(maxPerAddress).toInt());
    if (parser.isSet(eventRate))
        server.setEventRateLimit(parser.value(eventRate).toInt());
    if (parser.isSet(eventBurst))
        server.setEventRateBurst(parser.value(eventBurst).toInt());
    if (parser.isSet(maxBuffered))
        server.setMaxBufferedBytes(parser.value(maxBuffered).toLongLong());
    if (parser.isSet(tlsCert)) {
        QFile certFile(parser.value(tlsCert));
        QFile keyFile(parser.value(tlsKey));
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "cannot read the TLS certificate or key\n");
            return 1;
        }
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setLocalCertificateChain(QSslCertificate::fromData(certFile.readAll(), QSsl::Pem));
        ssl.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa, QSsl::Pem));
        ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
        server.setSslConfiguration(ssl);
    }

    setUp(server.mainNamespace());
    setUp(server.of(QStringLiteral("/chat")));
    setUp(server.of(QRegularExpression(QStringLiteral("^/dyn-\\d+$"))));
    QSocketIoNamespace *priv = server.of(QStringLiteral("/private"));
    priv->use([](QSocketIoSocket *socket, const QSocketIoNext &next) {
        const bool ok = socket->handshake().auth().value(QStringLiteral("token")).toString() == QStringLiteral("secret");
        QTimer::singleShot(50, socket, [next, ok] {
            if (ok)
                next();
            else
                next.reject(QStringLiteral("not authorized"), QVariantMap{{QStringLiteral("reason"), QStringLiteral("bad token")}});
        });
    });
    setUp(priv);
    // Dynamic children that every CONNECT is refused from (cleanupEmptyChildNamespaces), and the namespace names
    // the server holds, for the tests that count them.
    server.of(QRegularExpression(QStringLiteral("^/refused-\\d+$")))->use([](QSocketIoSocket *, const QSocketIoNext &next) {
        next.reject(QStringLiteral("refused"));
    });
    QObject::connect(server.mainNamespace(), &QSocketIoNamespace::newConnection, &server, [&server](QSocketIoSocket *socket) {
        socket->on(QStringLiteral("namespace-names"), socket, [&server](const QVariantList &, const QSocketIoAckCallback &ack) {
            QStringList names;
            for (QSocketIoNamespace *nsp : server.namespaces())
                names.append(nsp->name());
            names.sort();
            ack({names});
        });
    });
    server.setCleanupEmptyChildNamespaces(!parser.isSet(keepEmptyChildren));
    watchEngine(server, parser.isSet(engineHooks));
    answerConnStats(server.mainNamespace(), &server);
    answerConnStats(server.of(QStringLiteral("/chat")), &server);

    if (!server.listen(QHostAddress::LocalHost, quint16(parser.value(port).toUInt()))) {
        std::fprintf(stderr, "cannot listen: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    say(QStringLiteral("LISTENING %1").arg(server.serverPort()));
    // Stopped by its PID: close every session ("server shutting down"), let the writes go out, then exit.
    QuitOnSignal::install(&app, [&server, &app] {
        server.close();
        QTimer::singleShot(100, &app, &QCoreApplication::quit);
    });
    return app.exec();
}
