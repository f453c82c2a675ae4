// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// A project built against the installed package (find_package(QtSocketIo COMPONENTS Core Qml)) that loads
// the installed QML module from its import path: usage: qmlconsumer <qml import dir>
#include <QtCore/qcoreapplication.h>
#include <QtQml/qqmlcomponent.h>
#include <QtQml/qqmlengine.h>

#include <cstdio>
#include <memory>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QQmlEngine engine;
    engine.addImportPath(app.arguments().value(1));
    QQmlComponent component(&engine);
    component.setData("import QtQml\nimport QtSocketIo\nSocketIoServer { port: 0 }\n", QUrl());
    std::unique_ptr<QObject> server(component.create());
    if (!server) {
        std::fprintf(stderr, "%s\n", qPrintable(component.errorString()));
        return 1;
    }
    const int port = server->property("port").toInt();
    if (!server->property("running").toBool() || port <= 0) {
        std::fprintf(stderr, "the server does not listen (port %d)\n", port);
        return 1;
    }
    std::printf("QML module from the install prefix: SocketIoServer listening on %d\n", port);
    return 0;
}
