// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// SpawnedProcess (tests/shared/spawnedprocess.h), the posix_spawn child process the QML tests drive Node.js with
// (QProcess aborts clang 14's ThreadSanitizer): its pipes, its end, its own PID, and bounded waits. Real programs
// of the base system (sh, cat) as children.
#include "spawnedprocess.h"

#include <QtCore/qdir.h>
#include <QtCore/qelapsedtimer.h>
#include <QtCore/qtemporarydir.h>
#include <QtTest/qsignalspy.h>
#include <QtTest/qtest.h>

#include <signal.h>

class tst_SpawnedProcess : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void output_data();
    void output();
    void input();
    void exitCodeAndSignal_data();
    void exitCodeAndSignal();
    void boundedWait();
    void environmentAndDirectory();
    void cannotStart();
    void destructorKills();
};

void tst_SpawnedProcess::output_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("stdout") << int(SpawnedProcess::Output::Stdout) << QByteArray("out\n");
    QTest::newRow("merged") << int(SpawnedProcess::Output::Merged) << QByteArray("out\nerr\n");
    QTest::newRow("inherited") << int(SpawnedProcess::Output::Inherited) << QByteArray();
}

void tst_SpawnedProcess::output()
{
    QFETCH(int, mode);
    QFETCH(QByteArray, expected);
    SpawnedProcess process;
    QSignalSpy finished(&process, &SpawnedProcess::finished);
    QVERIFY2(process.start(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("echo out; echo err >&2")},
                           SpawnedProcess::Output(mode)),
             qPrintable(process.errorString()));
    QVERIFY(process.processId() > 0);
    QByteArray output;
    connect(&process, &SpawnedProcess::readyRead, this, [&] { output += process.readAll(); });
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    output += process.readAll();
    QCOMPARE(output, expected);
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(!process.crashed());
    QVERIFY(!process.isRunning());
}

// Lines in, the same lines out (cat), more than a pipe holds; closing the channel ends cat.
void tst_SpawnedProcess::input()
{
    SpawnedProcess process;
    QVERIFY2(process.start(QStringLiteral("cat"), {}), qPrintable(process.errorString()));
    QByteArray sent;
    for (int i = 0; i < 20000; ++i)
        sent += "line " + QByteArray::number(i) + '\n';   // ~218 KiB: more than both pipes buffer
    process.write(sent);
    process.closeWriteChannel();
    QByteArray received;
    connect(&process, &SpawnedProcess::readyRead, this, [&] { received += process.readAll(); });
    QVERIFY(process.waitForFinished(20000));
    received += process.readAll();
    QCOMPARE(received.size(), sent.size());
    QCOMPARE(received, sent);
    QCOMPARE(process.exitCode(), 0);
}

void tst_SpawnedProcess::exitCodeAndSignal_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<int>("signal");
    QTest::newRow("exit 3") << QStringLiteral("exit 3") << 3 << 0;
    QTest::newRow("SIGKILL") << QStringLiteral("kill -KILL $$") << -1 << int(SIGKILL);
    QTest::newRow("SIGTERM") << QStringLiteral("kill -TERM $$") << -1 << int(SIGTERM);
    // The test ignores SIGPIPE (SpawnedProcess does, for its writes): the child gets the default back.
    QTest::newRow("SIGPIPE") << QStringLiteral("kill -PIPE $$") << -1 << int(SIGPIPE);
}

void tst_SpawnedProcess::exitCodeAndSignal()
{
    QFETCH(QString, script);
    QFETCH(int, exitCode);
    QFETCH(int, signal);
    SpawnedProcess process;
    QSignalSpy finished(&process, &SpawnedProcess::finished);
    QVERIFY(process.start(QStringLiteral("sh"), {QStringLiteral("-c"), script}));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(finished.at(0).at(0).toInt(), exitCode);
    QCOMPARE(finished.at(0).at(1).toBool(), signal != 0);
    QCOMPARE(process.exitSignal(), signal);
}

// A child that ignores its closed stdin and SIGTERM: each wait returns at its bound, SIGKILL by PID ends it.
void tst_SpawnedProcess::boundedWait()
{
    SpawnedProcess process;
    QVERIFY(process.start(QStringLiteral("sh"),
                          {QStringLiteral("-c"), QStringLiteral("trap '' TERM; echo ready; while :; do sleep 1; done")}));
    QVERIFY(process.waitForReadyRead(10000));
    QCOMPARE(process.readAll(), QByteArray("ready\n"));
    process.closeWriteChannel();
    process.terminate();
    QElapsedTimer timer;
    timer.start();
    QVERIFY(!process.waitForFinished(300));
    QVERIFY(timer.elapsed() >= 300);
    QVERIFY(timer.elapsed() < 5000);
    QVERIFY(process.isRunning());
    process.kill();
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitSignal(), int(SIGKILL));
}

void tst_SpawnedProcess::environmentAndDirectory()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    qputenv("SPAWNED_PROCESS_A", "inherited");
    qputenv("SPAWNED_PROCESS_B", "replaced");
    SpawnedProcess process;
    process.setWorkingDirectory(dir.path());
    process.setExtraEnvironment({QStringLiteral("SPAWNED_PROCESS_B=new"), QStringLiteral("SPAWNED_PROCESS_C=added")});
    QVERIFY(process.start(QStringLiteral("sh"),
                          {QStringLiteral("-c"),
                           QStringLiteral("pwd -P; echo $SPAWNED_PROCESS_A $SPAWNED_PROCESS_B $SPAWNED_PROCESS_C")}));
    QVERIFY(process.waitForFinished(10000));
    const QList<QByteArray> lines = process.readAll().split('\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(QString::fromLocal8Bit(lines.at(0)), QDir(dir.path()).canonicalPath());
    QCOMPARE(lines.at(1), QByteArray("inherited new added"));
}

void tst_SpawnedProcess::cannotStart()
{
    SpawnedProcess process;
    QVERIFY(!process.start(QStringLiteral("/nonexistent/program"), {}));
    QVERIFY2(process.errorString().contains(QStringLiteral("/nonexistent/program")), qPrintable(process.errorString()));
    QVERIFY(!process.isRunning());
    QVERIFY(process.waitForFinished(100));
}

// The destructor kills a child that is still running, by its own PID, and reaps it (no zombie).
void tst_SpawnedProcess::destructorKills()
{
    qint64 pid = 0;
    {
        SpawnedProcess process;
        QVERIFY(process.start(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("echo up; exec sleep 60")}));
        QVERIFY(process.waitForReadyRead(10000));
        pid = process.processId();
        QCOMPARE(::kill(pid_t(pid), 0), 0);
    }
    // Reaped: the PID is gone (kill(pid, 0) would still succeed on a zombie).
    QCOMPARE(::kill(pid_t(pid), 0), -1);
}

QTEST_GUILESS_MAIN(tst_SpawnedProcess)

#include "tst_spawnedprocess.moc"
