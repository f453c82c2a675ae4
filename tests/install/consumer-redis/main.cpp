// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// A tiny consumer of the installed Redis component: it attaches the adapter to a server with Redis on a port
// where nothing listens, and exits 0 once the adapter reported the failure (it keeps retrying).
// The CamelCase headers, both ways: <QtSocketIo/Class> and <Class> (the QtSocketIo folder is on the path too).
#include <QSocketIoRedisAdapter>
#include <QtSocketIo/QSocketIoRedisAdapter>
#include <QtSocketIo/QSocketIoServer>

#include <QtCore/qcoreapplication.h>
#include <QtCore/qloggingcategory.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qtcpserver.h>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("qtsocketio.adapter.redis.warning=false"));
    // A port that was free a moment ago.
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();

    QSocketIoServer server;
    auto *redis = new QSocketIoRedisAdapter(&server);
    redis->setPort(port);
    QObject::connect(redis, &QSocketIoRedisAdapter::errorOccurred, &app, [&app, redis](QSocketIoRedisAdapter::Error error) {
        std::printf("consumer: %s\n", qPrintable(redis->errorString()));
        app.exit(error == QSocketIoRedisAdapter::Error::ConnectionError ? 0 : 3);
    });
    redis->attach(&server);
    QTimer::singleShot(10000, &app, [&app] { app.exit(2); });
    return app.exec();
}
