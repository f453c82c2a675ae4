// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The QtSocketIo side of the benchmarks, written against the public API only, doing exactly what
// bench/server/nodeserver.mjs does: every socket joins room "all"; "echo" acks with its arguments; "bcast"
// emits its payload to room "all". Listens on 127.0.0.1, prints "LISTENING <port> <pid>", stops on SIGTERM,
// SIGINT, or the end of stdin when stdin is a pipe or a terminal. --parser msgpack: socket.io-msgpack-parser's
// wire format, as nodeserver.mjs --parser msgpack.

#include <QtSocketIo/qsocketioserver.h>

#include <QtCore/qcommandlineparser.h>
#include <QtCore/qcoreapplication.h>
#include <QtCore/qsocketnotifier.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <memory>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char c = 1;
    // Nothing to do when the pipe is full: a quit is already on its way.
    [[maybe_unused]] const ssize_t written = ::write(signalPipe[1], &c, 1);
}

bool stdinIsWatchable()
{
    struct stat st = {};
    if (::fstat(STDIN_FILENO, &st) != 0)
        return false;
    return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || ::isatty(STDIN_FILENO);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("TCP port (0: any free one)"),
                                        QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption parserOption(QStringLiteral("parser"),
                                          QStringLiteral("The wire format: json (default) or msgpack"),
                                          QStringLiteral("name"), QStringLiteral("json"));
    parser.addOption(portOption);
    parser.addOption(parserOption);
    const QCommandLineOption allowEIO3Option(QStringLiteral("allow-eio3"),
                                             QStringLiteral("Serve Engine.IO v3 clients (socket.io-client 2.x) too"));
    parser.addOption(allowEIO3Option);
    const QCommandLineOption ioThreadsOption(QStringLiteral("io-threads"),
                                             QStringLiteral("I/O threads (QSocketIoServer::ioThreadCount, default 1)"),
                                             QStringLiteral("n"), QStringLiteral("1"));
    parser.addOption(ioThreadsOption);
    parser.process(app);
    const QString wireFormat = parser.value(parserOption);
    if (wireFormat != QStringLiteral("json") && wireFormat != QStringLiteral("msgpack")) {
        std::fprintf(stderr, "benchserver: --parser must be json or msgpack\n");
        return 1;
    }

    // SIGTERM / SIGINT through a pipe into the event loop.
    if (::pipe2(signalPipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        std::perror("pipe2");
        return 1;
    }
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    ::sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
    QSocketNotifier signalNotifier(signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &app, [] { QCoreApplication::quit(); });

    // The end of stdin (the driving script went away) stops the server too.
    std::unique_ptr<QSocketNotifier> stdinNotifier;
    if (stdinIsWatchable()) {
        stdinNotifier = std::make_unique<QSocketNotifier>(STDIN_FILENO, QSocketNotifier::Read);
        QObject::connect(stdinNotifier.get(), &QSocketNotifier::activated, &app, [&stdinNotifier] {
            char buffer[256];
            const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
                stdinNotifier->setEnabled(false);
                QCoreApplication::quit();
            }
        });
    }

    QSocketIoServer server;
    if (wireFormat == QStringLiteral("msgpack"))
        server.setParser(QSocketIoServer::Parser::MessagePack);
    server.setAllowEIO3(parser.isSet(allowEIO3Option));
    server.setIoThreadCount(parser.value(ioThreadsOption).toInt());
    const QString all = QStringLiteral("all");
    const QString bcast = QStringLiteral("bcast");
    QObject::connect(&server, &QSocketIoServer::newConnection, &server, [&server, all, bcast](QSocketIoSocket *socket) {
        socket->join(all);
        socket->on(QStringLiteral("echo"), socket, [](const QVariantList &args, const QSocketIoAckCallback &ack) {
            if (ack.isValid())
                ack(args);
        });
        socket->on(bcast, socket, [&server, all, bcast](const QVariantList &args) {
            server.to(all).emitEvent(bcast, args);
        });
    });

    if (!server.listen(QHostAddress::LocalHost, quint16(parser.value(portOption).toUInt()))) {
        std::fprintf(stderr, "benchserver: cannot listen: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    std::printf("LISTENING %u %lld\n", unsigned(server.serverPort()), static_cast<long long>(::getpid()));
    std::fflush(stdout);
    const int code = app.exec();
    server.close();
    return code;
}
