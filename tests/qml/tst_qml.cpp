// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The QML tests: tst_*.qml in this folder, run with `-import <build>/qml -platform offscreen` so that
// `import QtSocketIo` loads the built module. NodeClient (import QtSocketIo.Test) drives real npm clients.
#include "modeltester.h"
#include "nodeclient.h"

#include <QtCore/qdir.h>
#include <QtCore/qfile.h>
#include <QtCore/qprocess.h>
#include <QtCore/qtemporarydir.h>
#include <QtCore/qurl.h>
#include <QtQml/qqmlcontext.h>
#include <QtQml/qqmlengine.h>
#include <QtQuickTest/quicktest.h>

class Setup : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        qmlRegisterType<NodeClient>("QtSocketIo.Test", 1, 0, "NodeClient");
        qmlRegisterType<ModelTester>("QtSocketIo.Test", 1, 0, "ModelTester");
        // A self-signed certificate for 127.0.0.1, made fresh for this run: tlsCertificate and tlsKey (URLs),
        // tlsCaPem (its text, for the client's "ca" option). Empty when openssl failed; the TLS test says so.
        QString cert, key, pem;
        if (m_dir.isValid()) {
            cert = m_dir.filePath(QStringLiteral("cert.pem"));
            key = m_dir.filePath(QStringLiteral("key.pem"));
            QProcess openssl;
            openssl.start(QStringLiteral("openssl"),
                          { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                            QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"), key,
                            QStringLiteral("-out"), cert, QStringLiteral("-days"), QStringLiteral("1"),
                            QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                            QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1") });
            const bool ok = openssl.waitForFinished(30000) && openssl.exitStatus() == QProcess::NormalExit
                    && openssl.exitCode() == 0;
            if (!ok)
                openssl.kill();
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
