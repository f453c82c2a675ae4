// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// A QtSocketIo cluster node for the tests in tests/cluster-postgres: a server on a free port with the
// PostgreSQL adapter, driven through the control channel of tests/shared/clusternode.h; serverCount() is the
// heartbeats' count. Prints LISTENING <port>, PG UP, PG DOWN, PG ERROR <message>.

#include <QSocketIoServer>   // the CamelCase forwarders of the build tree, both forms
#include <QtSocketIo/QSocketIoPostgresAdapter>

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
        ClusterNode::say(postgres->isConnected() ? QStringLiteral("PG UP") : QStringLiteral("PG DOWN"));
    });
    QObject::connect(postgres, &QSocketIoPostgresAdapter::errorOccurred, postgres, [postgres] {
        ClusterNode::say(QStringLiteral("PG ERROR ") + postgres->errorString().simplified());
    });
    postgres->attach(&server);
    const ClusterNode::ServerCount serverCount = [postgres](QSocketIoSocket *socket, const QSocketIoAckCallback &ack) {
        ack({postgres->serverCount(socket->namespaceName())});
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
