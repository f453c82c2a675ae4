// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The QML tests: tst_*.qml in this folder, run with `-import <build>/qml -platform offscreen` so that
// `import QtSocketIo` loads the built module. NodeClient (import QtSocketIo.Test) drives real npm clients.
#include "modeltester.h"
#include "nodeclient.h"
#include "loopbackclusteradapter.h"
#include "spawnedprocess.h"

#include <QtSocketIo/qsocketioserver.h>

#include <QtCore/qdir.h>
#include <QtCore/qfile.h>
#include <QtCore/qhash.h>
#include <QtCore/qtemporarydir.h>
#include <QtCore/qurl.h>
#include <QtQml/qqmlcontext.h>
#include <QtQml/qqmlengine.h>
#include <QtQuickTest/quicktest.h>

// TestCluster { id: cluster } ... cluster.link(server): puts the SocketIoServer on one in-process cluster bus
// (tests/shared/loopbackclusteradapter.h, the public QSocketIoClusterAdapter seam), so that QML tests see more
// than one node without a broker.
class TestCluster : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    Q_INVOKABLE bool link(QObject *qmlServer)
    {
        QSocketIoServer *server = qmlServer ? qmlServer->findChild<QSocketIoServer *>() : nullptr;
        if (!server)
            return false;
        // One bus per namespace name, as a broker has one channel per namespace (the adapter counts the nodes
        // on its bus).
        auto buses = m_buses;
        server->setAdapterFactory([buses](QSocketIoNamespace *nsp) {
            LoopbackBus *&bus = (*buses)[nsp->name()];
            if (!bus)
                bus = new LoopbackBus;   // never deleted, as below
            return std::make_unique<LoopbackAdapter>(nsp, bus);
        });
        return true;
    }

private:
    // Never deleted: the adapters of servers that may outlive this object (QML destroys in any order) keep them.
    std::shared_ptr<QHash<QString, LoopbackBus *>> m_buses = std::make_shared<QHash<QString, LoopbackBus *>>();
};

class Setup : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        qmlRegisterType<NodeClient>("QtSocketIo.Test", 1, 0, "NodeClient");
        qmlRegisterType<TestCluster>("QtSocketIo.Test", 1, 0, "TestCluster");
        qmlRegisterType<ModelTester>("QtSocketIo.Test", 1, 0, "ModelTester");
        // A self-signed certificate for 127.0.0.1, made fresh for this run: tlsCertificate and tlsKey (URLs),
        // tlsCaPem (its text, for the client's "ca" option). Empty when openssl failed; the TLS test says so.
        QString cert, key, pem;
        if (m_dir.isValid()) {
            cert = m_dir.filePath(QStringLiteral("cert.pem"));
            key = m_dir.filePath(QStringLiteral("key.pem"));
            // posix_spawn (tests/shared/spawnedprocess.h), not QProcess: this also runs under ThreadSanitizer.
            SpawnedProcess openssl;
            bool ok = openssl.start(QStringLiteral("openssl"),
                                    { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                                      QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                                      key, QStringLiteral("-out"), cert, QStringLiteral("-days"),
                                      QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                                      QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1") },
                                    SpawnedProcess::Output::Merged);
            ok = ok && openssl.waitForFinished(30000) && !openssl.crashed() && openssl.exitCode() == 0;
            if (!ok)
                qWarning("openssl could not make the TLS certificate: %s%s", qPrintable(openssl.errorString()),
                         openssl.readAll().constData());
            QFile file(cert);
            if (ok && file.open(QIODevice::ReadOnly))
                pem = QString::fromLatin1(file.readAll());
        }
        engine->rootContext()->setContextProperty(QStringLiteral("tlsCertificate"),
                                                  pem.isEmpty() ? QUrl() : QUrl::fromLocalFile(cert));
        engine->rootContext()->setContextProperty(QStringLiteral("tlsKey"),
                                                  pem.isEmpty() ? QUrl() : QUrl::fromLocalFile(key));
        engine->rootContext()->setContextProperty(QStringLiteral("tlsCaPem"), pem);
    }
};

QUICK_TEST_MAIN_WITH_SETUP(qtsocketio, Setup)

#include "tst_qml.moc"
