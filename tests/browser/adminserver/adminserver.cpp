// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The Admin UI test server: a QtSocketIo server instrumented with QSocketIoAdminUi, which also serves a folder
// (the UI's static build) as its document root. Its sockets (namespaces "/" and "/chat") answer "join" and
// "leave" (ack: their rooms), "chat" (sent to the whole namespace) and "echo" (ack: the arguments).
// Prints "LISTENING <port>", "REDIS connected" once the Redis adapter is up (--redis-port), and every
// warning of the library as "WARNING <category>: <message>". Stops on SIGTERM or the end of stdin.
//
//   adminserver --port 0 [--document-root DIR] [--auth USER:BCRYPT_HASH] [--readonly] [--mode production]
//               [--server-id ID] [--stats-interval MS] [--redis-port PORT]

#include <QtSocketIo/qsocketioadminui.h>
#include <QtSocketIo/qsocketioserver.h>
#include <QtSocketIo/qsocketiosocket.h>
#ifdef QTSOCKETIO_TEST_REDIS
#include <QtSocketIo/qsocketioredisadapter.h>
#endif

#include "quitonsignal.h"

#include <QtCore/qcommandlineparser.h>
#include <QtCore/qcoreapplication.h>

#include <cstdio>

namespace {

void say(const QString &line)
{
    std::fputs(line.toUtf8().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void logToStdout(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtDebugMsg || type == QtInfoMsg)
        return;
    say(QStringLiteral("WARNING %1: %2").arg(QString::fromLatin1(context.category), message));
}

void serve(QSocketIoSocket *socket)
{
    socket->on(QStringLiteral("join"), socket, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
        socket->join(args.value(0).toString());
        if (ack.isValid())
            ack({socket->rooms()});
    });
    socket->on(QStringLiteral("leave"), socket, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
        socket->leave(args.value(0).toString());
        if (ack.isValid())
            ack({socket->rooms()});
    });
    socket->on(QStringLiteral("chat"), socket, [socket](const QVariantList &args) {
        socket->nsp()->emitEvent(QStringLiteral("chat"), args);
    });
    socket->on(QStringLiteral("echo"), socket, [](const QVariantList &args, const QSocketIoAckCallback &ack) {
        if (ack.isValid())
            ack(args);
    });
    socket->on(QStringLiteral("setName"), socket, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
        socket->setDataValue(QStringLiteral("name"), args.value(0));
        if (ack.isValid())
            ack({true});
    });
    socket->on(QStringLiteral("rooms"), socket, [socket](const QVariantList &, const QSocketIoAckCallback &ack) {
        if (ack.isValid())
            ack({socket->rooms()});
    });
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qInstallMessageHandler(logToStdout);
    QCommandLineParser parser;
    const auto option = [&parser](const char *name, const char *help, const char *fallback = nullptr) {
        const QCommandLineOption o(QString::fromLatin1(name), QString::fromLatin1(help), QStringLiteral("value"),
                                   fallback ? QString::fromLatin1(fallback) : QString());
        parser.addOption(o);
        return o;
    };
    const QCommandLineOption port = option("port", "TCP port (0: any free one)", "0");
    const QCommandLineOption documentRoot = option("document-root", "folder served at /");
    const QCommandLineOption auth = option("auth", "USER:BCRYPT_HASH");
    const QCommandLineOption mode = option("mode", "development or production", "development");
    const QCommandLineOption serverId = option("server-id", "the node's name in the UI");
    const QCommandLineOption statsInterval = option("stats-interval", "ms", "2000");
    const QCommandLineOption redisPort = option("redis-port", "join a cluster through redis-server on 127.0.0.1");
    const QCommandLineOption readonly(QStringLiteral("readonly"), QStringLiteral("the UI's commands are refused"));
    parser.addOption(readonly);
    parser.process(app);
    QuitOnSignal::install(&app, [] { QCoreApplication::quit(); });

    QSocketIoServer server;
    if (parser.isSet(documentRoot))
        server.setDocumentRoot(parser.value(documentRoot));
#ifdef QTSOCKETIO_TEST_REDIS
    if (parser.isSet(redisPort)) {
        auto *redis = new QSocketIoRedisAdapter(&app);
        redis->setPort(quint16(parser.value(redisPort).toUInt()));
        redis->setRequestsTimeout(2000);
        QObject::connect(redis, &QSocketIoRedisAdapter::connectedChanged, redis, [redis] {
            say(redis->isConnected() ? QStringLiteral("REDIS connected") : QStringLiteral("REDIS disconnected"));
        });
        redis->attach(&server);
    }
#else
    if (parser.isSet(redisPort)) {
        say(QStringLiteral("built without the Redis adapter"));
        return 2;
    }
#endif

    QSocketIoAdminUi admin;
    admin.setMode(parser.value(mode) == QStringLiteral("production") ? QSocketIoAdminUi::Mode::Production
                                                                      : QSocketIoAdminUi::Mode::Development);
    admin.setReadonly(parser.isSet(readonly));
    admin.setServerId(parser.value(serverId));
    admin.setStatsInterval(parser.value(statsInterval).toInt());
    if (parser.isSet(auth)) {
        const QString value = parser.value(auth);
        const qsizetype colon = value.indexOf(QLatin1Char(':'));
        if (!admin.setBasicAuth(value.left(colon), value.mid(colon + 1).toLatin1())) {
            say(QStringLiteral("ERROR %1").arg(admin.errorString()));
            return 2;
        }
    }
    for (const QString &name : {QStringLiteral("/"), QStringLiteral("/chat")}) {
        QObject::connect(server.of(name), &QSocketIoNamespace::newConnection, &server, serve);
    }
    if (!admin.instrument(&server)) {
        say(QStringLiteral("ERROR %1").arg(admin.errorString()));
        return 2;
    }
    if (!server.listen(QHostAddress::LocalHost, quint16(parser.value(port).toUInt()))) {
        say(QStringLiteral("ERROR %1").arg(server.errorString()));
        return 1;
    }
    say(QStringLiteral("LISTENING %1").arg(server.serverPort()));
    return app.exec();
}
