// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The QtSocketIo side of the benchmarks, written against the public API only, doing exactly what
// bench/server/nodeserver.mjs does: every socket joins room "all"; "echo" acks with its arguments; "bcast"
// emits its payload to room "all". Listens on 127.0.0.1, prints "LISTENING <port> <pid>", stops on SIGTERM,
// SIGINT, or the end of stdin when stdin is a pipe or a terminal. --parser msgpack: socket.io-msgpack-parser's
// wire format, as nodeserver.mjs --parser msgpack. --admin-ui: the Socket.IO Admin UI's namespace /admin, no
// authentication (QSocketIoAdminUi; --admin-ui-mode production for the stats only), and CORS for the hosted UI.
// --metrics: the metrics endpoint at /metrics on 127.0.0.1 (port
// --metrics-port, default any free one), announced as "METRICS <port>" after the LISTENING line.
// --adapter redis|redis-sharded|redis-streams|postgres with --adapter-url URL: the node joins a cluster through
// that adapter (S6 runs two of them), as nodeserver.mjs with the same options. redis-streams needs
// QSocketIoRedisStreamsAdapter (issue 19, item 2): a build without it refuses the value with a clear error.

#include <QtSocketIo/qsocketioadminui.h>
#include <QtSocketIo/qsocketiocorsoptions.h>
#include <QtSocketIo/qsocketioserver.h>
#ifdef QTSOCKETIO_BENCH_REDIS
#include <QtSocketIo/qsocketioredisadapter.h>
#include <QtSocketIo/qsocketioredisshardedadapter.h>
#if __has_include(<QtSocketIo/qsocketioredisstreamsadapter.h>)
#include <QtSocketIo/qsocketioredisstreamsadapter.h>
#define QTSOCKETIO_BENCH_REDIS_STREAMS
#endif
#endif
#ifdef QTSOCKETIO_BENCH_POSTGRES
#include <QtSocketIo/qsocketiopostgresadapter.h>
#endif

#include <QtCore/qcommandlineparser.h>
#include <QtCore/qcoreapplication.h>
#include <QtCore/qdeadlinetimer.h>
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
    const QCommandLineOption adminUiOption(QStringLiteral("admin-ui"),
                                           QStringLiteral("Serve the Socket.IO Admin UI's namespace /admin (no auth)"));
    parser.addOption(adminUiOption);
    const QCommandLineOption adminUiModeOption(QStringLiteral("admin-ui-mode"),
                                               QStringLiteral("With --admin-ui: development (default) or production"),
                                               QStringLiteral("mode"), QStringLiteral("development"));
    parser.addOption(adminUiModeOption);
    const QCommandLineOption metricsOption(QStringLiteral("metrics"),
                                           QStringLiteral("Serve the OpenMetrics endpoint at /metrics"));
    const QCommandLineOption metricsPortOption(QStringLiteral("metrics-port"),
                                               QStringLiteral("Its TCP port (0: any free one)"),
                                               QStringLiteral("port"), QStringLiteral("0"));
    parser.addOption(metricsOption);
    parser.addOption(metricsPortOption);
    const QCommandLineOption adapterOption(QStringLiteral("adapter"),
                                           QStringLiteral("Join a cluster: redis, redis-sharded, redis-streams or postgres"),
                                           QStringLiteral("name"));
    const QCommandLineOption adapterUrlOption(QStringLiteral("adapter-url"),
                                              QStringLiteral("The adapter's server: a redis:// URL, or a libpq "
                                                             "connection string / postgres:// URL"),
                                              QStringLiteral("url"));
    parser.addOption(adapterOption);
    parser.addOption(adapterUrlOption);
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
    const QString adapter = parser.value(adapterOption);
    const QString adapterUrl = parser.value(adapterUrlOption);
    bool adapterReady = adapter.isEmpty();
    auto whenConnected = [&adapterReady](QObject *object, bool connected) {
        if (connected)
            adapterReady = true;
        Q_UNUSED(object);
    };
    if (adapter.isEmpty()) {
#ifdef QTSOCKETIO_BENCH_REDIS
    } else if (adapter == QStringLiteral("redis")) {
        auto *redis = new QSocketIoRedisAdapter(&server);
        if (!adapterUrl.isEmpty())
            redis->setUrl(adapterUrl);
        QObject::connect(redis, &QSocketIoRedisAdapter::connectedChanged, &app,
                         [redis, whenConnected] { whenConnected(redis, redis->isConnected()); });
        redis->attach(&server);
    } else if (adapter == QStringLiteral("redis-sharded")) {
        auto *sharded = new QSocketIoRedisShardedAdapter(&server);
        if (!adapterUrl.isEmpty())
            sharded->setUrl(adapterUrl);
        QObject::connect(sharded, &QSocketIoRedisShardedAdapter::connectedChanged, &app,
                         [sharded, whenConnected] { whenConnected(sharded, sharded->isConnected()); });
        sharded->attach(&server);
#endif
#ifdef QTSOCKETIO_BENCH_REDIS_STREAMS
    } else if (adapter == QStringLiteral("redis-streams")) {
        auto *streams = new QSocketIoRedisStreamsAdapter(&server);
        if (!adapterUrl.isEmpty())
            streams->setUrl(adapterUrl);
        QObject::connect(streams, &QSocketIoRedisStreamsAdapter::connectedChanged, &app,
                         [streams, whenConnected] { whenConnected(streams, streams->isConnected()); });
        streams->attach(&server);
#endif
#ifdef QTSOCKETIO_BENCH_POSTGRES
    } else if (adapter == QStringLiteral("postgres")) {
        auto *postgres = new QSocketIoPostgresAdapter(&server);
        if (!adapterUrl.isEmpty())
            postgres->setConnectionString(adapterUrl);
        QObject::connect(postgres, &QSocketIoPostgresAdapter::connectedChanged, &app,
                         [postgres, whenConnected] { whenConnected(postgres, postgres->isConnected()); });
        postgres->attach(&server);
#endif
    } else {
        const bool known = adapter == QStringLiteral("redis") || adapter == QStringLiteral("redis-sharded")
                || adapter == QStringLiteral("redis-streams") || adapter == QStringLiteral("postgres");
        if (adapter == QStringLiteral("redis-streams"))
            std::fprintf(stderr, "benchserver: --adapter redis-streams: this build has no QSocketIoRedisStreamsAdapter "
                                 "(the Redis Streams adapter of issue 19 is not merged yet)\n");
        else if (known)
            std::fprintf(stderr, "benchserver: --adapter %s: that component was not built\n", qPrintable(adapter));
        else
            std::fprintf(stderr, "benchserver: --adapter must be redis, redis-sharded, redis-streams or postgres\n");
        return 1;
    }
    QSocketIoAdminUi adminUi;
    if (parser.isSet(adminUiOption)) {
        const QString mode = parser.value(adminUiModeOption);
        if (mode != QStringLiteral("development") && mode != QStringLiteral("production")) {
            std::fprintf(stderr, "benchserver: --admin-ui-mode must be development or production\n");
            return 1;
        }
        adminUi.setMode(mode == QStringLiteral("production") ? QSocketIoAdminUi::Mode::Production
                                                             : QSocketIoAdminUi::Mode::Development);
        // The hosted UI (https://admin.socket.io) connects from its own origin, with credentials.
        QSocketIoCorsOptions cors;
        cors.setReflectOrigin(true);
        cors.setCredentials(true);
        server.setCors(cors);
        adminUi.instrument(&server);
    }
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
    // With an adapter: once it is connected (30 s at most), so that the load starts on a linked cluster.
    for (QDeadlineTimer deadline(30000); !adapterReady && !deadline.hasExpired();)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    if (!adapterReady) {
        std::fprintf(stderr, "benchserver: the %s adapter did not connect within 30 s\n", qPrintable(adapter));
        return 1;
    }
    if (parser.isSet(metricsOption)
        && !server.listenMetrics(QHostAddress::LocalHost, quint16(parser.value(metricsPortOption).toUInt()))) {
        std::fprintf(stderr, "benchserver: cannot serve metrics\n");
        return 1;
    }
    std::printf("LISTENING %u %lld\n", unsigned(server.serverPort()), static_cast<long long>(::getpid()));
    if (parser.isSet(metricsOption))
        std::printf("METRICS %u\n", unsigned(server.metricsPort()));
    std::fflush(stdout);
    const int code = app.exec();
    server.close();
    return code;
}
