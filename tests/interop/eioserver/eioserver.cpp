// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// An Engine.IO echo server for the engine.io-client interop tests. Prints one line per event:
//   LISTENING <port> | OPEN <sid> <transport> | UPGRADE <sid> websocket | CLOSE <sid> <reason>
// Echoes every message; "cmd:close", "cmd:burst N" and "cmd:binary N" make it act instead.

#include <QtSocketIo/qengineioserver.h>
#include <QtSocketIo/qengineiosocket.h>

#include <QtCore/qcommandlineparser.h>
#include <QtCore/qcoreapplication.h>
#include <QtCore/qtimer.h>

#include "quitonsignal.h"

#include <cstdio>

namespace {

void say(const QByteArray &line)
{
    std::fputs(line.constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

// Echoes every message; "cmd:..." text messages make it act instead.
void serve(QEngineIoSocket *socket)
{
    const QByteArray sid = socket->id().toLatin1();
    say("OPEN " + sid + ' ' + socket->transport().toLatin1() + (socket->protocol() == 3 ? " v3" : ""));
    QObject::connect(socket, &QEngineIoSocket::upgraded, socket, [sid] { say("UPGRADE " + sid + " websocket"); });
    QObject::connect(socket, &QEngineIoSocket::closed, socket, [sid](const QString &reason) {
        say("CLOSE " + sid + ' ' + reason.toLatin1());
    });
    QObject::connect(socket, &QEngineIoSocket::binaryMessage, socket, &QEngineIoSocket::sendBinary);
    QObject::connect(socket, &QEngineIoSocket::message, socket, [socket](const QString &text) {
        if (!text.startsWith(QLatin1String("cmd:"))) {
            socket->sendText(text);
            return;
        }
        const QStringList words = text.split(QLatin1Char(' '));
        const int n = words.size() > 1 ? words.at(1).toInt() : 0;
        if (words.first() == QLatin1String("cmd:close")) {
            socket->close();
        } else if (words.first() == QLatin1String("cmd:burst")) {
            for (int i = 0; i < n; ++i)
                socket->sendText(QStringLiteral("burst:") + QString::number(i));
        } else if (words.first() == QLatin1String("cmd:binary")) {
            QByteArray bytes(n, Qt::Uninitialized);
            for (int i = 0; i < n; ++i)
                bytes[i] = char(i % 256);
            socket->sendBinary(bytes);
        }
    });
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("TCP port (0: any free one)"), QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption path(QStringLiteral("path"), QStringLiteral("Engine.IO path"), QStringLiteral("path"), QStringLiteral("/engine.io/"));
    const QCommandLineOption pingInterval(QStringLiteral("ping-interval"), QStringLiteral("ms"), QStringLiteral("ms"));
    const QCommandLineOption pingTimeout(QStringLiteral("ping-timeout"), QStringLiteral("ms"), QStringLiteral("ms"));
    const QCommandLineOption upgradeTimeout(QStringLiteral("upgrade-timeout"), QStringLiteral("ms"), QStringLiteral("ms"));
    const QCommandLineOption transports(QStringLiteral("transports"), QStringLiteral("polling,websocket"), QStringLiteral("list"));
    const QCommandLineOption noUpgrades(QStringLiteral("no-upgrades"), QStringLiteral("Disallow upgrades"));
    const QCommandLineOption maxBuffer(QStringLiteral("max-http-buffer-size"), QStringLiteral("bytes"), QStringLiteral("bytes"));
    const QCommandLineOption corsOrigin(QStringLiteral("cors-origin"), QStringLiteral("Allowed origin (repeatable, * = any)"), QStringLiteral("origin"));
    const QCommandLineOption corsCredentials(QStringLiteral("cors-credentials"), QStringLiteral("Allow credentials"));
    const QCommandLineOption allowEIO3(QStringLiteral("allow-eio3"), QStringLiteral("Serve Engine.IO v3 clients too"));
    parser.addOptions({port, path, pingInterval, pingTimeout, upgradeTimeout, transports, noUpgrades, maxBuffer,
                       corsOrigin, corsCredentials, allowEIO3});
    parser.process(app);

    QEngineIoServer server;
    server.setPath(parser.value(path));
    if (parser.isSet(pingInterval))
        server.setPingInterval(parser.value(pingInterval).toInt());
    if (parser.isSet(pingTimeout))
        server.setPingTimeout(parser.value(pingTimeout).toInt());
    if (parser.isSet(upgradeTimeout))
        server.setUpgradeTimeout(parser.value(upgradeTimeout).toInt());
    if (parser.isSet(transports)) {
        const QStringList list = parser.value(transports).split(QLatin1Char(','));
        QEngineIoServer::Transports t;
        t.setFlag(QEngineIoServer::Polling, list.contains(QStringLiteral("polling")));
        t.setFlag(QEngineIoServer::WebSocket, list.contains(QStringLiteral("websocket")));
        server.setTransports(t);
    }
    server.setAllowUpgrades(!parser.isSet(noUpgrades));
    server.setAllowEIO3(parser.isSet(allowEIO3));
    if (parser.isSet(maxBuffer))
        server.setMaxHttpBufferSize(parser.value(maxBuffer).toLongLong());
    if (parser.isSet(corsOrigin)) {
        QSocketIoCorsOptions cors;
        cors.setAllowedOrigins(parser.values(corsOrigin));
        cors.setCredentials(parser.isSet(corsCredentials));
        server.setCors(cors);
    }
    QObject::connect(&server, &QEngineIoServer::connection, &server, &serve);
    if (!server.listen(QHostAddress::LocalHost, quint16(parser.value(port).toUInt()))) {
        std::fprintf(stderr, "cannot listen: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    say("LISTENING " + QByteArray::number(server.serverPort()));
    // Stopped by its PID: close every session ("server shutting down"), let the writes go out, then exit.
    QuitOnSignal::install(&app, [&server, &app] {
        server.close();
        QTimer::singleShot(100, &app, &QCoreApplication::quit);
    });
    return app.exec();
}
