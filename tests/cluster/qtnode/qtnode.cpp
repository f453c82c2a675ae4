// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// A QtSocketIo cluster node for the tests in tests/cluster: a server on a free port with the Redis adapter,
// driven through the control channel of tests/shared/clusternode.h; serverCount() is PUBSUB NUMSUB's count.
// Prints LISTENING <port>, REDIS UP, REDIS DOWN, REDIS ERROR <message>.

#include <QSocketIoRedisAdapter>   // the CamelCase forwarders of the build tree, both forms
#include <QtSocketIo/QSocketIoServer>

#include <QtCore/qcommandlineparser.h>
#include <QtCore/qcoreapplication.h>
#include <QtCore/qtimer.h>

#include "clusternode.h"
#include "quitonsignal.h"

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("TCP port (0: any free one)"), QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption redisPort(QStringLiteral("redis-port"), QStringLiteral("Redis port"), QStringLiteral("port"), QStringLiteral("6379"));
    const QCommandLineOption key(QStringLiteral("key"), QStringLiteral("channel prefix"), QStringLiteral("key"), QStringLiteral("socket.io"));
    const QCommandLineOption timeout(QStringLiteral("requests-timeout"), QStringLiteral("ms"), QStringLiteral("ms"), QStringLiteral("5000"));
    const QCommandLineOption specific(QStringLiteral("specific-response-channel"), QStringLiteral("publishOnSpecificResponseChannel"));
    const QCommandLineOption name(QStringLiteral("name"), QStringLiteral("node name in answers"), QStringLiteral("name"), QStringLiteral("qt"));
    const QCommandLineOption password(QStringLiteral("redis-password"), QStringLiteral("AUTH password"), QStringLiteral("password"));
    parser.addOptions({port, redisPort, key, timeout, specific, name, password});
    parser.process(app);
    app.setProperty("nodeName", parser.value(name));

    QSocketIoServer server;
    auto *redis = new QSocketIoRedisAdapter(&app);
    redis->setPort(quint16(parser.value(redisPort).toUInt()));
    redis->setKey(parser.value(key));
    redis->setRequestsTimeout(parser.value(timeout).toInt());
    redis->setPublishOnSpecificResponseChannel(parser.isSet(specific));
    redis->setPassword(parser.value(password));
    QObject::connect(redis, &QSocketIoRedisAdapter::connectedChanged, redis, [redis] {
        ClusterNode::say(redis->isConnected() ? QStringLiteral("REDIS UP") : QStringLiteral("REDIS DOWN"));
    });
    QObject::connect(redis, &QSocketIoRedisAdapter::errorOccurred, redis, [redis] {
        ClusterNode::say(QStringLiteral("REDIS ERROR ") + redis->errorString());
    });
    redis->attach(&server);
    const ClusterNode::ServerCount serverCount = [redis](QSocketIoSocket *socket, const QSocketIoAckCallback &ack) {
        redis->serverCount(socket, [ack](int count) { ack({count}); });
    };
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
