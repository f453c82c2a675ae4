// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// A QtSocketIo cluster node for the tests in tests/cluster-postgres: a server on a free port with the
// PostgreSQL adapter, written against the public API only. Its clients drive it with the same events as
// tests/cluster's qtnode (the control channel):
//   to(rooms, event, ...args)                  nsp.to(rooms).emitEvent(event, args)
//   toExcept(rooms, except, event, ...args)    nsp.to(rooms).except(except).emitEvent(...)
//   join(room) / leave(room) -> rooms          this socket
//   setData(key, value)                        this socket's data
//   fetch(rooms) -> {sockets, error}           nsp.to(rooms).fetchRemoteSockets()
//   socketsJoin(rooms, room) / socketsLeave(rooms, room) / disconnectSockets(rooms, close)
//   serverSideEmit(event, ...args)             nsp.serverSideEmit()
//   serverSideEmitWithAck(event, ...args) -> {responses, error}
//   askAll(rooms, event, timeout) -> {responses, expected, timedOut, error}   broadcast emitWithAck
// A server-side event from another node is passed on to this node's clients as "serverSide"(event, args);
// one with an ack is answered with {node: <--name>, event, args}. serverCount() -> the heartbeats' count.
// Prints LISTENING <port>, PG UP, PG DOWN, PG ERROR <message>.

#include <QtSocketIo/qsocketioack.h>
#include <QtSocketIo/qsocketiopostgresadapter.h>
#include <QtSocketIo/qsocketioserver.h>

#include <QtCore/qcommandlineparser.h>
#include <QtCore/qcoreapplication.h>
#include <QtCore/qtimer.h>

#include "quitonsignal.h"

#include <cstdio>

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

QString nodeName()
{
    return QCoreApplication::instance()->property("nodeName").toString();
}

void setUp(QSocketIoNamespace *nsp)
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
    QObject::connect(nsp, &QSocketIoNamespace::newConnection, nsp, [nsp](QSocketIoSocket *socket) {
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
        socket->on(QStringLiteral("serverCount"), socket, [socket](const QVariantList &, const QSocketIoAckCallback &ack) {
            auto *postgres = QCoreApplication::instance()->findChild<QSocketIoPostgresAdapter *>();
            ack({postgres->serverCount(socket->namespaceName())});
        });
    });
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    auto option = [&parser](const char *name, const char *help, const char *value) {
        const QCommandLineOption o(QString::fromLatin1(name), QString::fromLatin1(help), QStringLiteral("value"),
                                   QString::fromLatin1(value));
        parser.addOption(o);
        return o;
    };
    const QCommandLineOption port = option("port", "TCP port (0: any free one)", "0");
    const QCommandLineOption pg = option("pg", "libpq connection string", "host=127.0.0.1 dbname=postgres user=postgres");
    const QCommandLineOption name = option("name", "node name in answers", "qt");
    const QCommandLineOption timeout = option("requests-timeout", "ms", "5000");
    const QCommandLineOption heartbeatInterval = option("heartbeat-interval", "ms", "5000");
    const QCommandLineOption heartbeatTimeout = option("heartbeat-timeout", "ms", "10000");
    const QCommandLineOption cleanupInterval = option("cleanup-interval", "ms", "30000");
    const QCommandLineOption threshold = option("payload-threshold", "bytes", "8000");
    parser.process(app);
    app.setProperty("nodeName", parser.value(name));

    QSocketIoServer server;
    auto *postgres = new QSocketIoPostgresAdapter(&app);
    postgres->setConnectionString(parser.value(pg));
    postgres->setRequestsTimeout(parser.value(timeout).toInt());
    postgres->setHeartbeatInterval(parser.value(heartbeatInterval).toInt());
    postgres->setHeartbeatTimeout(parser.value(heartbeatTimeout).toInt());
    postgres->setCleanupInterval(parser.value(cleanupInterval).toInt());
    postgres->setPayloadThreshold(parser.value(threshold).toInt());
    QObject::connect(postgres, &QSocketIoPostgresAdapter::connectedChanged, postgres, [postgres] {
        say(postgres->isConnected() ? QStringLiteral("PG UP") : QStringLiteral("PG DOWN"));
    });
    QObject::connect(postgres, &QSocketIoPostgresAdapter::errorOccurred, postgres, [](const QString &message) {
        say(QStringLiteral("PG ERROR ") + message.simplified());
    });
    postgres->attach(&server);
    setUp(server.mainNamespace());
    setUp(server.of(QStringLiteral("/chat")));

    if (!server.listen(QHostAddress::LocalHost, quint16(parser.value(port).toUInt()))) {
        std::fprintf(stderr, "cannot listen: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    say(QStringLiteral("LISTENING %1").arg(server.serverPort()));
    QuitOnSignal::install(&app, [&server, &app] {
        server.close();
        QTimer::singleShot(100, &app, &QCoreApplication::quit);
    });
    return app.exec();
}
