// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include <QtSocketIo/qsocketioadminui.h>
#include <QtSocketIo/qsocketionamespace.h>
#include <QtSocketIo/qsocketioserver.h>

#include <QtTest/qsignalspy.h>
#include <QtTest/qtest.h>

// Hashes made by bcryptjs 2.4 (cost 4). $2b$ and $2y$ are the same hash under another prefix (they differ
// from $2a$ only for passwords over 255 bytes), as OpenBSD and PHP write them.
static const QByteArray kSecret = "$2a$04$8ch4dkl8mC20sSECObBGE.Pw7ZSepsYmTOflio0LyWu3r3Ts8CeOC";   // "s3cret"
static const QByteArray kEmpty = "$2a$04$oFJTGIqb4CvmUEd56ioLZe8DI0FRcnW2g1pqotgVpC8d61hWhjKeW";    // ""
static const QByteArray kLong = "$2a$04$tB6ojMnfpGp/S8bWrcnYJ.TzELrVq2MrxVy.HqpN55V.78xzbQTZa";     // 80 x "x"

class tst_AdminUi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void verifyPassword_data();
    void verifyPassword();
    void setBasicAuth_data();
    void setBasicAuth();
    void instrumentRules();
    void optionsNotify();
};

void tst_AdminUi::verifyPassword_data()
{
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<QByteArray>("hash");
    QTest::addColumn<bool>("matches");
    QByteArray twoB = kSecret;
    twoB[2] = 'b';
    QByteArray twoY = kSecret;
    twoY[2] = 'y';
    QByteArray tampered = kSecret;
    tampered[tampered.size() - 1] = 'D';
    QTest::newRow("2a right") << QByteArray("s3cret") << kSecret << true;
    QTest::newRow("2b right") << QByteArray("s3cret") << twoB << true;
    QTest::newRow("2y right") << QByteArray("s3cret") << twoY << true;
    QTest::newRow("wrong") << QByteArray("s3creT") << kSecret << false;
    QTest::newRow("prefix of it") << QByteArray("s3cre") << kSecret << false;
    QTest::newRow("empty right") << QByteArray() << kEmpty << true;
    QTest::newRow("empty wrong") << QByteArray() << kSecret << false;
    // bcrypt reads 72 bytes: what follows does not count (as in bcryptjs and Node's admin-ui).
    QTest::newRow("72 bytes count") << QByteArray(72, 'x') << kLong << true;
    QTest::newRow("71 bytes") << QByteArray(71, 'x') << kLong << false;
    QTest::newRow("tampered hash") << QByteArray("s3cret") << tampered << false;
    QTest::newRow("NUL in password") << QByteArray("s3cret\0", 7) << kSecret << false;
    QTest::newRow("sha512crypt refused") << QByteArray("s3cret")
        << QByteArray("$6$wvsAnRMvK3iq9bZp$T5Ic4pdUJ0me648U8AZ6v9adT4/6uNrLg0SOTkvzhDEniXBz3FgzF8oI/L2UH5zVmHDvajN.4YjJM3Y72inWs1")
        << false;
    QTest::newRow("not a hash") << QByteArray("s3cret") << QByteArray("s3cret") << false;
    QTest::newRow("empty hash") << QByteArray("") << QByteArray() << false;
    QTest::newRow("truncated hash") << QByteArray("s3cret") << kSecret.left(29) << false;
}

void tst_AdminUi::verifyPassword()
{
    QFETCH(QByteArray, password);
    QFETCH(QByteArray, hash);
    QFETCH(bool, matches);
    QCOMPARE(QSocketIoAdminUi::verifyPassword(password, hash), matches);
}

void tst_AdminUi::setBasicAuth_data()
{
    QTest::addColumn<QByteArray>("hash");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("bcryptjs") << kSecret << true;
    QTest::newRow("2b") << QByteArray("$2b$04$" + kSecret.mid(7)) << true;
    QTest::newRow("cost 31") << QByteArray("$2a$31$" + kSecret.mid(7)) << true;
    QTest::newRow("cost 03") << QByteArray("$2a$03$" + kSecret.mid(7)) << false;
    QTest::newRow("cost 32") << QByteArray("$2a$32$" + kSecret.mid(7)) << false;
    QTest::newRow("2x") << QByteArray("$2x$04$" + kSecret.mid(7)) << false;
    QTest::newRow("short") << kSecret.chopped(1) << false;
    QTest::newRow("long") << QByteArray(kSecret + "a") << false;
    QTest::newRow("bad char") << QByteArray(kSecret.chopped(1) + "!") << false;
    QTest::newRow("plain text") << QByteArray("changeit") << false;
    QTest::newRow("empty") << QByteArray() << false;
}

void tst_AdminUi::setBasicAuth()
{
    QFETCH(QByteArray, hash);
    QFETCH(bool, accepted);
    QSocketIoAdminUi admin;
    if (!accepted)
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("must be a valid bcrypt hash")));
    QCOMPARE(admin.setBasicAuth(QStringLiteral("admin"), hash), accepted);
    QCOMPARE(admin.hasAuth(), accepted);
    if (!accepted)
        QCOMPARE(admin.errorString(), QStringLiteral("the `password` field must be a valid bcrypt hash"));
    admin.clearAuth();
    QVERIFY(!admin.hasAuth());
}

void tst_AdminUi::instrumentRules()
{
    QSocketIoServer server;
    QSocketIoAdminUi admin;
    QSignalSpy instrumented(&admin, &QSocketIoAdminUi::instrumentedChanged);
    QVERIFY(!admin.instrument(nullptr));
    QVERIFY(!admin.isInstrumented());
    admin.setNamespaceName(QStringLiteral("watch"));
    QCOMPARE(admin.namespaceName(), QStringLiteral("/watch"));
    QVERIFY(admin.instrument(&server));
    QVERIFY(admin.isInstrumented());
    QCOMPARE(admin.server(), &server);
    QCOMPARE(instrumented.size(), 1);
    const QList<QSocketIoNamespace *> namespaces = server.namespaces();   // one list: begin and end of the same
    QVERIFY(std::any_of(namespaces.cbegin(), namespaces.cend(),
                        [](QSocketIoNamespace *nsp) { return nsp->name() == QStringLiteral("/watch"); }));
    // Once per object; the namespace and the mode no longer change.
    QVERIFY(!admin.instrument(&server));
    QCOMPARE(admin.errorString(), QStringLiteral("already instrumented"));
    admin.setNamespaceName(QStringLiteral("/other"));
    QCOMPARE(admin.namespaceName(), QStringLiteral("/watch"));
    admin.setMode(QSocketIoAdminUi::Mode::Production);
    QCOMPARE(admin.mode(), QSocketIoAdminUi::Mode::Development);
    QCOMPARE(instrumented.size(), 1);
}

void tst_AdminUi::optionsNotify()
{
    QSocketIoAdminUi admin;
    QCOMPARE(admin.namespaceName(), QStringLiteral("/admin"));
    QCOMPARE(admin.mode(), QSocketIoAdminUi::Mode::Development);
    QVERIFY(!admin.isReadonly());
    QVERIFY(admin.serverId().isEmpty());
    QCOMPARE(admin.statsInterval(), 2000);
    QSignalSpy readonly(&admin, &QSocketIoAdminUi::readonlyChanged);
    QSignalSpy serverId(&admin, &QSocketIoAdminUi::serverIdChanged);
    QSignalSpy interval(&admin, &QSocketIoAdminUi::statsIntervalChanged);
    QSignalSpy mode(&admin, &QSocketIoAdminUi::modeChanged);
    admin.setReadonly(true);
    admin.setReadonly(true);
    admin.setServerId(QStringLiteral("n1"));
    admin.setStatsInterval(10);   // at least 100
    admin.setMode(QSocketIoAdminUi::Mode::Production);
    QCOMPARE(readonly.size(), 1);
    QCOMPARE(serverId.size(), 1);
    QCOMPARE(interval.size(), 1);
    QCOMPARE(admin.statsInterval(), 100);
    QCOMPARE(mode.size(), 1);
}

QTEST_GUILESS_MAIN(tst_AdminUi)
#include "tst_adminui.moc"
