// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include <QtSocketIo/qsocketioserver.h>

#include "rawhttpclient.h"

#include <QtCore/qdir.h>
#include <QtCore/qfile.h>
#include <QtCore/qtemporarydir.h>
#include <QtTest/qtest.h>

using namespace Qt::StringLiterals;

class tst_StaticFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void request_data();
    void request();
    void noRoot();

private:
    static void write(const QString &file, const QByteArray &content);
    QTemporaryDir m_dir;   // holds root/ and, beside it, files that must stay out of reach
    QString m_root;
};

void tst_StaticFiles::write(const QString &file, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(file).absolutePath());
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
}

void tst_StaticFiles::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_root = m_dir.filePath(u"root"_s);
    write(m_root + u"/index.html"_s, "<p>home</p>");
    write(m_root + u"/app.js"_s, "console.log(1);");
    write(m_root + u"/sub/index.html"_s, "<p>sub</p>");
    write(m_root + u"/sub/style.css"_s, "p{}");
    write(m_root + u"/data.bin"_s, "\x01\x02");
    write(m_root + u"/with space.txt"_s, "spaced");
    write(m_dir.filePath(u"secret.txt"_s), "SECRET");
    write(m_dir.filePath(u"root-sibling/x.txt"_s), "SECRET");
}

void tst_StaticFiles::request_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType");   // checked when status is 200
    QTest::addColumn<QByteArray>("body");          // checked when status is 200

    QTest::addRow("root gives index.html") << "GET"_ba << "/"_ba << 200 << "text/html; charset=utf-8"_ba << "<p>home</p>"_ba;
    QTest::addRow("a script") << "GET"_ba << "/app.js"_ba << 200 << "text/javascript; charset=utf-8"_ba
                              << "console.log(1);"_ba;
    QTest::addRow("a folder gives its index.html") << "GET"_ba << "/sub/"_ba << 200 << "text/html; charset=utf-8"_ba
                                                   << "<p>sub</p>"_ba;
    QTest::addRow("a folder without slash") << "GET"_ba << "/sub"_ba << 200 << "text/html; charset=utf-8"_ba
                                            << "<p>sub</p>"_ba;
    QTest::addRow("a style sheet") << "GET"_ba << "/sub/style.css"_ba << 200 << "text/css; charset=utf-8"_ba << "p{}"_ba;
    QTest::addRow("unknown type") << "GET"_ba << "/data.bin"_ba << 200 << "application/octet-stream"_ba << "\x01\x02"_ba;
    QTest::addRow("percent-encoded name") << "GET"_ba << "/with%20space.txt"_ba << 200 << "text/plain; charset=utf-8"_ba
                                          << "spaced"_ba;
    QTest::addRow("query ignored") << "GET"_ba << "/app.js?v=3"_ba << 200 << "text/javascript; charset=utf-8"_ba
                                   << "console.log(1);"_ba;
    QTest::addRow("missing file") << "GET"_ba << "/nothing.html"_ba << 404 << QByteArray() << QByteArray();
    QTest::addRow("POST is not served") << "POST"_ba << "/app.js"_ba << 404 << QByteArray() << QByteArray();
    // Nothing outside the root, however the path is spelled.
    QTest::addRow("dot-dot") << "GET"_ba << "/../secret.txt"_ba << 404 << QByteArray() << QByteArray();
    QTest::addRow("dot-dot inside") << "GET"_ba << "/sub/../../secret.txt"_ba << 404 << QByteArray() << QByteArray();
    QTest::addRow("encoded dot-dot") << "GET"_ba << "/%2e%2e/secret.txt"_ba << 404 << QByteArray() << QByteArray();
    QTest::addRow("encoded slashes") << "GET"_ba << "/sub/..%2f..%2fsecret.txt"_ba << 404 << QByteArray() << QByteArray();
    QTest::addRow("backslash") << "GET"_ba << "/..%5csecret.txt"_ba << 404 << QByteArray() << QByteArray();
    QTest::addRow("sibling with the root's prefix") << "GET"_ba << "/../root-sibling/x.txt"_ba << 404 << QByteArray()
                                                    << QByteArray();
}

void tst_StaticFiles::request()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);

    QSocketIoServer server;
    server.setDocumentRoot(m_root);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawHttpClient client;
    QVERIFY(client.connectToServer(server.serverPort()));
    client.write(RawHttpClient::request(method, target));
    QVERIFY(client.waitForResponses(1, 10000));
    const RawHttpResponse &response = client.lastResponse();
    QCOMPARE(response.status, status);
    QVERIFY(!response.body.contains("SECRET"));
    if (status == 200) {
        QCOMPARE(response.header("content-type"), contentType);
        QCOMPARE(response.body, body);
    }
}

void tst_StaticFiles::noRoot()
{
    QSocketIoServer server;
    QVERIFY(server.documentRoot().isEmpty());
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawHttpClient client;
    QVERIFY(client.connectToServer(server.serverPort()));
    client.sendGet("/"_ba);
    QVERIFY(client.waitForResponses(1, 10000));
    QCOMPARE(client.lastResponse().status, 404);
}

QTEST_MAIN(tst_StaticFiles)
#include "tst_staticfiles.moc"
