// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// A tiny consumer of the installed PostgreSQL component: it attaches the adapter to a server with
// PostgreSQL on a port where nothing listens, and exits 0 once the adapter reported the failure.
// The CamelCase headers, both ways: <QtSocketIo/Class> and <Class> (the QtSocketIo folder is on the path too).
#include <QSocketIoPostgresAdapter>
#include <QtSocketIo/QSocketIoPostgresAdapter>
#include <QSocketIoServer>

#include <QtCore/qcoreapplication.h>
#include <QtCore/qloggingcategory.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qtcpserver.h>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("qtsocketio.adapter.postgres.warning=false"));
    // A port that was free a moment ago.
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();

    QSocketIoServer server;
    auto *postgres = new QSocketIoPostgresAdapter(&server);
    postgres->setConnectionString(QStringLiteral("host=127.0.0.1 port=%1 dbname=postgres").arg(port));
    QObject::connect(postgres, &QSocketIoPostgresAdapter::errorOccurred, &app,
                     [&app, postgres](QSocketIoPostgresAdapter::Error error) {
        std::printf("consumer: %s\n", qPrintable(postgres->errorString()));
        app.exit(error == QSocketIoPostgresAdapter::Error::ConnectionError ? 0 : 3);
    });
    postgres->attach(&server);
    QTimer::singleShot(10000, &app, [&app] { app.exit(2); });
    return app.exec();
}
