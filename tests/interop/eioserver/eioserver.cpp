// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// An Engine.IO echo server for the engine.io-client interop tests. Prints one line per event:
//   LISTENING <port> | OPEN <sid> <transport> | UPGRADING <sid> | UPGRADE <sid> websocket | CLOSE <sid> <reason>
//   | CONNECTION_ERROR <code> <message>
// Echoes every message; "cmd:close", "cmd:burst N", "cmd:binary N" and "cmd:stats" (what the connection's
// QEngineIoSocket signals counted, as "stats:<json>") make it act instead. Uses the public API only.
// QTSOCKETIO_IO_THREADS (the *_io2 tests) puts the transports on I/O threads (QEngineIoServer::ioThreadCount);
// --generate-id names the sessions "custom-<n>" (QEngineIoServer::setGenerateId()).

#include <QtSocketIo/qengineioserver.h>
#include <QtSocketIo/qengineiosocket.h>

#include <QtCore/qcommandlineparser.h>
#include <QtCore/qcoreapplication.h>
#include <QtCore/qjsondocument.h>
#include <QtCore/qjsonobject.h>
#include <QtCore/qthread.h>
#include <QtCore/qtimer.h>

#include "quitonsignal.h"

#include <cstdio>
#include <memory>

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
    QObject::connect(socket, &QEngineIoSocket::upgrading, socket, [sid] { say("UPGRADING " + sid); });
    QObject::connect(socket, &QEngineIoSocket::upgraded, socket, [sid] { say("UPGRADE " + sid + " websocket"); });
    // What the connection's signals counted, for "cmd:stats" (kept as a property of the socket).
    const auto bump = [socket](const char *key) {
        QVariantMap stats = socket->property("stats").toMap();
        const QString name = QString::fromLatin1(key);
        stats.insert(name, stats.value(name).toInt() + 1);
        socket->setProperty("stats", stats);
    };
    QObject::connect(socket, &QEngineIoSocket::heartbeat, socket, [bump] { bump("heartbeat"); });
    QObject::connect(socket, &QEngineIoSocket::flush, socket, [bump] { bump("flush"); });
    QObject::connect(socket, &QEngineIoSocket::drain, socket, [bump] { bump("drain"); });
    QObject::connect(socket, &QEngineIoSocket::packet, socket, [bump](QEngineIoSocket::PacketType type) {
        bump(type == QEngineIoSocket::PacketType::Message ? "in:message"
             : type == QEngineIoSocket::PacketType::Pong ? "in:pong" : "in:other");
    });
    QObject::connect(socket, &QEngineIoSocket::packetCreate, socket, [bump](QEngineIoSocket::PacketType type) {
        bump(type == QEngineIoSocket::PacketType::Message ? "out:message"
             : type == QEngineIoSocket::PacketType::Ping ? "out:ping" : "out:other");
    });
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
        } else if (words.first() == QLatin1String("cmd:stats")) {
            QVariantMap stats = socket->property("stats").toMap();
            stats.insert(QStringLiteral("id"), socket->id());
            stats.insert(QStringLiteral("transport"), socket->transport());
            stats.insert(QStringLiteral("upgraded"), socket->isUpgraded());
            stats.insert(QStringLiteral("protocol"), socket->protocol());
            stats.insert(QStringLiteral("remoteAddress"), socket->remoteAddress());
            stats.insert(QStringLiteral("query"), socket->request().query());
            stats.insert(QStringLiteral("clientsCount"), qobject_cast<QEngineIoServer *>(socket->parent())->clientsCount());
            socket->sendText(QStringLiteral("stats:")
                             + QString::fromUtf8(QJsonDocument(QJsonObject::fromVariantMap(stats)).toJson(QJsonDocument::Compact)));
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
    const QCommandLineOption generateId(QStringLiteral("generate-id"), QStringLiteral("Session ids custom-<n>"));
    parser.addOptions({port, path, pingInterval, pingTimeout, upgradeTimeout, transports, noUpgrades, maxBuffer,
                       corsOrigin, corsCredentials, allowEIO3, generateId});
    parser.process(app);

    QEngineIoServer server;
    // The library takes the default thread count from QTSOCKETIO_IO_THREADS; said on stderr for the test logs.
    bool envOk = false;
    const int envThreads = qEnvironmentVariableIntValue("QTSOCKETIO_IO_THREADS", &envOk);
    if (envOk && envThreads > 1 && server.ioThreadCount() != envThreads) {
        std::fprintf(stderr, "QTSOCKETIO_IO_THREADS=%d not applied (ioThreadCount %d)\n", envThreads,
                     server.ioThreadCount());
        return 1;
    }
    std::fprintf(stderr, "eioserver: %d I/O thread(s)\n", server.ioThreadCount());
    server.setPath(parser.value(path));
    if (parser.isSet(generateId)) {
        // Called in the server's thread, also with I/O threads: a plain counter is enough.
        auto counter = std::make_shared<int>(0);
        const Qt::HANDLE mainThread = QThread::currentThreadId();
        server.setGenerateId([counter, mainThread](const QSocketIoHandshake &) {
            if (QThread::currentThreadId() != mainThread)
                return QStringLiteral("wrong-thread-%1").arg(++*counter);
            return QStringLiteral("custom-%1").arg(++*counter);
        });
    }
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
    QObject::connect(&server, &QEngineIoServer::connectionError, &server,
                     [](const QSocketIoHandshake &, QEngineIoServer::ErrorCode code, const QString &message) {
        say("CONNECTION_ERROR " + QByteArray::number(int(code)) + ' ' + message.toUtf8());
    });
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
