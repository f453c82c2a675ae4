// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// An Engine.IO echo server for the engine.io-client interop tests. Prints one line per event:
//   LISTENING <port> | OPEN <sid> <transport> | UPGRADE <sid> websocket | CLOSE <sid> <reason>
// Echoes every message; "cmd:close", "cmd:burst N" and "cmd:binary N" make it act instead.

#include "engine/qengineioserver_p.h"
#include "engine/qengineiosession_p.h"

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

class EchoHandler : public QEngineIo::Handler
{
public:
    void sessionOpened(QEngineIoSession *session) override
    {
        say("OPEN " + session->sid() + ' ' + QEngineIo::transportName(session->transport())
            + (session->protocol() == 3 ? " v3" : ""));
    }
    void sessionUpgraded(QEngineIoSession *session) override
    {
        say("UPGRADE " + session->sid() + " websocket");
    }
    void sessionClosed(QEngineIoSession *session, QEngineIo::CloseReason reason, const QString &) override
    {
        say("CLOSE " + session->sid() + ' ' + QEngineIo::closeReasonString(reason));
    }
    void messageReceived(QEngineIoSession *session, const QByteArray &data, bool binary) override
    {
        if (!binary && data.startsWith("cmd:")) {
            const QList<QByteArray> words = data.split(' ');
            const int n = words.size() > 1 ? words.at(1).toInt() : 0;
            if (words.first() == "cmd:close") {
                session->close();
            } else if (words.first() == "cmd:burst") {
                for (int i = 0; i < n; ++i)
                    session->send("burst:" + QByteArray::number(i));
            } else if (words.first() == "cmd:binary") {
                QByteArray bytes(n, Qt::Uninitialized);
                for (int i = 0; i < n; ++i)
                    bytes[i] = char(i % 256);
                session->send(bytes, true);
            }
            return;
        }
        session->send(data, binary);
    }
};

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

    QEngineIo::Options options;
    options.path = parser.value(path).toUtf8();
    if (parser.isSet(pingInterval))
        options.pingInterval = parser.value(pingInterval).toInt();
    if (parser.isSet(pingTimeout))
        options.pingTimeout = parser.value(pingTimeout).toInt();
    if (parser.isSet(upgradeTimeout))
        options.upgradeTimeout = parser.value(upgradeTimeout).toInt();
    if (parser.isSet(transports)) {
        const QStringList list = parser.value(transports).split(QLatin1Char(','));
        options.allowPolling = list.contains(QStringLiteral("polling"));
        options.allowWebSocket = list.contains(QStringLiteral("websocket"));
    }
    options.allowUpgrades = !parser.isSet(noUpgrades);
    options.allowEIO3 = parser.isSet(allowEIO3);
    if (parser.isSet(maxBuffer))
        options.maxHttpBufferSize = parser.value(maxBuffer).toLongLong();
    if (parser.isSet(corsOrigin)) {
        options.cors.enabled = true;
        const QStringList origins = parser.values(corsOrigin);
        options.cors.anyOrigin = origins.contains(QStringLiteral("*"));
        options.cors.origins = origins;
        options.cors.credentials = parser.isSet(corsCredentials);
    }

    EchoHandler handler;
    QEngineIoServerPrivate server;
    server.setOptions(options);
    server.setHandler(&handler);
    // The suites also run with the transports on I/O threads (CTest's *_io2 tests set it to 2).
    server.setIoThreadCount(qEnvironmentVariableIntValue("QTSOCKETIO_IO_THREADS"));
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
