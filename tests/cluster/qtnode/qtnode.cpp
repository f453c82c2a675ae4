// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// A QtSocketIo cluster node for the tests in tests/cluster: a server on a free port with the adapter that
// --adapter names (redis: QSocketIoRedisAdapter, serverCount() is PUBSUB NUMSUB's count; postgres:
// QSocketIoPostgresAdapter, serverCount() is the heartbeats' count), driven through the control channel of
// tests/shared/clusternode.h. Prints LISTENING <port>, then <TAG> UP, <TAG> DOWN, <TAG> ERROR <message> with
// TAG REDIS or PG. A backend whose component is not built is refused.

// The CamelCase forwarders of the build tree, in both forms.
#include <QtSocketIo/QSocketIoServer>
#ifdef QTSOCKETIO_TEST_POSTGRES
#include <QtSocketIo/QSocketIoPostgresAdapter>
#endif
#ifdef QTSOCKETIO_TEST_REDIS
#include <QSocketIoRedisAdapter>
#include <QtSocketIo/QSocketIoRedisStreamsAdapter>
#include <QSocketIoRedisShardedAdapter>
#endif
#include <QtSocketIo/qsocketioconnectionstaterecovery.h>

#include <QtCore/qcommandlineparser.h>
#include <QtCore/qcoreapplication.h>
#include <QtCore/qtimer.h>

#include "clusternode.h"
#include "quitonsignal.h"

#include <cstdio>

namespace {

// Reports the adapter's connection state and errors on stdout, prefixed with tag.
template<typename Adapter>
void report(Adapter *adapter, const QString &tag)
{
    QObject::connect(adapter, &Adapter::connectedChanged, adapter, [adapter, tag] {
        ClusterNode::say(tag + (adapter->isConnected() ? QStringLiteral(" UP") : QStringLiteral(" DOWN")));
    });
    QObject::connect(adapter, &Adapter::errorOccurred, adapter, [adapter, tag] {
        ClusterNode::say(tag + QStringLiteral(" ERROR ") + adapter->errorString().simplified());
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
    const QCommandLineOption adapterName = option("adapter", "redis, redis-sharded, redis-streams or postgres", "redis");
    const QCommandLineOption port = option("port", "TCP port (0: any free one)", "0");
    const QCommandLineOption name = option("name", "node name in answers", "qt");
    const QCommandLineOption timeout = option("requests-timeout", "ms", "5000");
    // Redis
    const QCommandLineOption redisPort = option("redis-port", "Redis port", "6379");
    const QCommandLineOption key = option("key", "channel prefix", "socket.io");
    const QCommandLineOption password = option("redis-password", "AUTH password", "");
    const QCommandLineOption redisUrl = option("redis-url", "redis:// URL (redis-sharded: a seed of the cluster)", "");
    const QCommandLineOption mode = option("subscription-mode", "redis-sharded: static, dynamic, dynamic-private",
                                           "dynamic");
    const QCommandLineOption specific(QStringLiteral("specific-response-channel"),
                                      QStringLiteral("publishOnSpecificResponseChannel"));
    parser.addOption(specific);
    // PostgreSQL
    const QCommandLineOption pg = option("pg", "libpq connection string", "host=127.0.0.1 dbname=postgres user=postgres");
    const QCommandLineOption heartbeatInterval = option("heartbeat-interval", "ms", "5000");
    const QCommandLineOption heartbeatTimeout = option("heartbeat-timeout", "ms", "10000");
    const QCommandLineOption cleanupInterval = option("cleanup-interval", "ms", "30000");
    const QCommandLineOption threshold = option("payload-threshold", "bytes", "8000");
    // Connection state recovery (kept in Redis with redis-streams)
    const QCommandLineOption stream = option("stream", "Redis Streams: the stream name", "socket.io");
    const QCommandLineOption recovery = option("recovery", "maxDisconnectionDuration in ms (0: no recovery)", "0");
    parser.process(app);
    app.setProperty("nodeName", parser.value(name));

    QSocketIoServer server;
    if (const int duration = parser.value(recovery).toInt(); duration > 0) {
        QSocketIoConnectionStateRecovery options;
        options.setEnabled(true);
        options.setMaxDisconnectionDuration(duration);
        server.setConnectionStateRecovery(options);
    }
    ClusterNode::ServerCount serverCount;
    const QString kind = parser.value(adapterName);
    if (false) {
#ifdef QTSOCKETIO_TEST_REDIS
    } else if (kind == QLatin1String("redis")) {
        auto *redis = new QSocketIoRedisAdapter(&app);
        redis->setPort(quint16(parser.value(redisPort).toUInt()));
        redis->setKey(parser.value(key));
        redis->setRequestsTimeout(parser.value(timeout).toInt());
        redis->setPublishOnSpecificResponseChannel(parser.isSet(specific));
        redis->setPassword(parser.value(password));
        report(redis, QStringLiteral("REDIS"));
        redis->attach(&server);
        serverCount = [redis](QSocketIoSocket *socket, const QSocketIoAckCallback &ack) {
            redis->serverCount(socket, [ack](int count) { ack({count}); });
        };
    } else if (kind == QLatin1String("redis-streams")) {
        auto *streams = new QSocketIoRedisStreamsAdapter(QStringLiteral("127.0.0.1"),
                                                         quint16(parser.value(redisPort).toUInt()), &app);
        streams->setStreamName(parser.value(stream));
        streams->setRequestsTimeout(parser.value(timeout).toInt());
        streams->setHeartbeatInterval(parser.value(heartbeatInterval).toInt());
        streams->setHeartbeatTimeout(parser.value(heartbeatTimeout).toInt());
        streams->setPassword(parser.value(password));
        report(streams, QStringLiteral("REDIS"));
        QObject::connect(streams, &QSocketIoRedisStreamsAdapter::droppedEntriesChanged, streams, [streams] {
            ClusterNode::say(QStringLiteral("DROPPED %1").arg(streams->droppedEntries()));
        });
        streams->attach(&server);
        serverCount = [streams](QSocketIoSocket *socket, const QSocketIoAckCallback &ack) {
            ack({streams->serverCount(socket->namespaceName())});
        };
    } else if (kind == QLatin1String("redis-sharded")) {
        auto *sharded = new QSocketIoRedisShardedAdapter(&app);
        sharded->setUrl(parser.value(redisUrl));
        sharded->setChannelPrefix(parser.value(key));
        sharded->setRequestsTimeout(parser.value(timeout).toInt());
        const QString m = parser.value(mode);
        sharded->setSubscriptionMode(m == QLatin1String("static")
                                             ? QSocketIoRedisShardedAdapter::SubscriptionMode::Static
                                             : m == QLatin1String("dynamic-private")
                                                     ? QSocketIoRedisShardedAdapter::SubscriptionMode::DynamicPrivate
                                                     : QSocketIoRedisShardedAdapter::SubscriptionMode::Dynamic);
        report(sharded, QStringLiteral("REDIS"));
        sharded->attach(&server);
        serverCount = [sharded](QSocketIoSocket *socket, const QSocketIoAckCallback &ack) {
            sharded->serverCount(socket, [ack](int count) { ack({count}); });
        };
#endif
#ifdef QTSOCKETIO_TEST_POSTGRES
    } else if (kind == QLatin1String("postgres")) {
        auto *postgres = new QSocketIoPostgresAdapter(&app);
        postgres->setConnectionString(parser.value(pg));
        postgres->setRequestsTimeout(parser.value(timeout).toInt());
        postgres->setHeartbeatInterval(parser.value(heartbeatInterval).toInt());
        postgres->setHeartbeatTimeout(parser.value(heartbeatTimeout).toInt());
        postgres->setCleanupInterval(parser.value(cleanupInterval).toInt());
        postgres->setPayloadThreshold(parser.value(threshold).toInt());
        report(postgres, QStringLiteral("PG"));
        postgres->attach(&server);
        serverCount = [postgres](QSocketIoSocket *socket, const QSocketIoAckCallback &ack) {
            ack({postgres->serverCount(socket->namespaceName())});
        };
#endif
    } else {
        std::fprintf(stderr, "unknown --adapter %s (redis or postgres)\n", qPrintable(kind));
        return 2;
    }
    ClusterNode::setUp(server.mainNamespace(), serverCount);
    ClusterNode::setUp(server.of(QStringLiteral("/chat")), serverCount);

    if (!server.listen(QHostAddress::LocalHost, quint16(parser.value(port).toUInt()))) {
        std::fprintf(stderr, "cannot listen: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    ClusterNode::say(QStringLiteral("LISTENING %1").arg(server.serverPort()));
    QuitOnSignal::install(&app, [&server, &app] {
        server.close();
        QTimer::singleShot(100, &app, &QCoreApplication::quit);
    });
    return app.exec();
}
