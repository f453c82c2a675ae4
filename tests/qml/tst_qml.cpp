// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The QML tests: tst_*.qml in this folder, run with `-import <build>/qml -platform offscreen` so that
// `import QtSocketIo` loads the built module. NodeClient (import QtSocketIo.Test) drives real npm clients.
#include "nodeclient.h"

#include <QtQml/qqmlengine.h>
#include <QtQuickTest/quicktest.h>

class Setup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        Q_UNUSED(engine);
        qmlRegisterType<NodeClient>("QtSocketIo.Test", 1, 0, "NodeClient");
    }
};

QUICK_TEST_MAIN_WITH_SETUP(qtsocketio, Setup)

#include "tst_qml.moc"
