// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// An application that serves its own routes with QHttpServer and Socket.IO on the same port
// (QSocketIoServer::attach()), or Socket.IO on a QTcpServer it owns (--bind). Public API only. --engine attaches a
// bare QEngineIoServer (an echo on /engine.io/) instead: QEngineIoServer::attach(). --max-connections sets the cap;
// --tls-cert/--tls-key serve HTTPS and WSS (QHttpServer's TLS, or a QSslServer with --bind).
// Prints LISTENING <port>, CONNECT <id> <transport>, UPGRADE <id> <transport>, DISCONNECT <id> <reason>.

#include <QtSocketIo/qengineioserver.h>
#include <QtSocketIo/qsocketioserver.h>

#include <QtCore/qcommandlineparser.h>
#include <QtCore/qcoreapplication.h>
#include <QtCore/qfile.h>
#include <QtCore/qtimer.h>
#include <QtHttpServer/qhttpserver.h>
#include <QtHttpServer/qhttpserverresponse.h>
#include <QtNetwork/qsslcertificate.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslserver.h>
#include <QtNetwork/qtcpserver.h>
#include <QtWebSockets/qwebsocket.h>

#include "quitonsignal.h"

#include <cstdio>

namespace {

void say(const QString &line)
{
    std::fputs(line.toUtf8().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption bindOption(QStringLiteral("bind"), QStringLiteral("Serve Socket.IO on an app-owned QTcpServer."));
    const QCommandLineOption serveClient(QStringLiteral("serve-client"), QStringLiteral("Serve the client bundle."));
    const QCommandLineOption engineOption(QStringLiteral("engine"), QStringLiteral("Attach a bare Engine.IO echo server."));
    const QCommandLineOption maxConnectionsOption(QStringLiteral("max-connections"),
                                                  QStringLiteral("The maxConnections cap."), QStringLiteral("count"));
    const QCommandLineOption tlsCert(QStringLiteral("tls-cert"), QStringLiteral("PEM certificate: HTTPS/WSS (QHttpServer's, or a QSslServer with --bind)"),
                                     QStringLiteral("file"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"), QStringLiteral("PEM private key (RSA)"), QStringLiteral("file"));
    parser.addOptions({bindOption, serveClient, engineOption, maxConnectionsOption, tlsCert, tlsKey});
    parser.process(app);

    QSslConfiguration ssl;
    const bool tls = parser.isSet(tlsCert);
    if (tls) {
        QFile certFile(parser.value(tlsCert));
        QFile keyFile(parser.value(tlsKey));
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "cannot read the TLS certificate or key\n");
            return 1;
        }
        ssl = QSslConfiguration::defaultConfiguration();
        ssl.setLocalCertificateChain(QSslCertificate::fromData(certFile.readAll(), QSsl::Pem));
        ssl.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa, QSsl::Pem));
    }

    QSocketIoServer io;
    io.setServeClient(parser.isSet(serveClient));
    if (parser.isSet(maxConnectionsOption))
        io.setMaxConnections(parser.value(maxConnectionsOption).toInt());
    QObject::connect(&io, &QSocketIoServer::newConnection, &io, [](QSocketIoSocket *socket) {
        say(QStringLiteral("CONNECT %1 %2").arg(socket->id(), socket->transport()));
        QObject::connect(socket, &QSocketIoSocket::transportChanged, socket, [socket] {
            say(QStringLiteral("UPGRADE %1 %2").arg(socket->id(), socket->transport()));
        });
        QObject::connect(socket, &QSocketIoSocket::disconnected, socket, [socket](QSocketIoSocket::DisconnectReason, const QString &description) {
            say(QStringLiteral("DISCONNECT %1 %2").arg(socket->id(), description));
        });
        socket->on(QStringLiteral("echo"), socket, [](const QVariantList &args, const QSocketIoAckCallback &ack) {
            if (ack.isValid())
                ack(args);
        });
    });

    quint16 port = 0;
    QHttpServer http;
    QTcpServer plainTcp;
    QSslServer sslTcp;
    QTcpServer &tcp = tls ? static_cast<QTcpServer &>(sslTcp) : plainTcp;
    if (tls) {
        sslTcp.setSslConfiguration(ssl);
        http.sslSetup(ssl);
    }
    if (parser.isSet(bindOption)) {
        if (!tcp.listen(QHostAddress::LocalHost, 0) || !io.bind(&tcp)) {
            std::fprintf(stderr, "cannot bind: %s\n", qPrintable(io.errorString()));
            return 1;
        }
        port = tcp.serverPort();
    } else {
        // The application's own routes, registered before Socket.IO's.
        http.route(QStringLiteral("/api/hello"), [] { return QStringLiteral("hello from QHttpServer"); });
        http.route(QStringLiteral("/api/sum/<arg>/<arg>"), [](int a, int b) { return QString::number(a + b); });
        // The application's own WebSocket endpoint on the same port: what Socket.IO does not take. Qt 6.4's
        // QHttpServer completes a WebSocket handshake only on a path that a route handles.
        http.route(QStringLiteral("/app/ws"), [](const QHttpServerRequest &, QHttpServerResponder &&) {});
        QObject::connect(&io, &QSocketIoServer::unhandledWebSocket, &io, [](QWebSocket *ws) {
            ws->setParent(qApp);
            const QString path = ws->requestUrl().path();
            QObject::connect(ws, &QWebSocket::textMessageReceived, ws, [ws, path](const QString &text) {
                ws->sendTextMessage(path + QStringLiteral(": ") + text);
            });
            QObject::connect(ws, &QWebSocket::disconnected, ws, &QObject::deleteLater);
        });
        if (parser.isSet(engineOption)) {
            auto *engine = new QEngineIoServer(&app);
            QObject::connect(engine, &QEngineIoServer::connection, engine, [](QEngineIoSocket *socket) {
                say(QStringLiteral("CONNECT %1 %2").arg(socket->id(), socket->transport()));
                QObject::connect(socket, &QEngineIoSocket::upgraded, socket, [socket] {
                    say(QStringLiteral("UPGRADE %1 %2").arg(socket->id(), socket->transport()));
                });
                QObject::connect(socket, &QEngineIoSocket::message, socket, &QEngineIoSocket::sendText);
                QObject::connect(socket, &QEngineIoSocket::binaryMessage, socket, &QEngineIoSocket::sendBinary);
            });
            if (!engine->attach(&http)) {
                std::fprintf(stderr, "cannot attach the engine\n");
                return 1;
            }
        } else if (!io.attach(&http)) {
            std::fprintf(stderr, "cannot attach\n");
            return 1;
        }
        port = http.listen(QHostAddress::LocalHost, 0);
        if (port == 0) {
            std::fprintf(stderr, "cannot listen\n");
            return 1;
        }
    }
    say(QStringLiteral("LISTENING %1").arg(port));
    QuitOnSignal::install(&app, [&io, &app] {
        io.close();
        QTimer::singleShot(100, &app, &QCoreApplication::quit);
    });
    return app.exec();
}
