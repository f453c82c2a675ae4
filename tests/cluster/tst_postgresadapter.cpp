// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// QSocketIoPostgresAdapter through the public C++ API: two servers in this process, each with its own
// adapter, on a real PostgreSQL server that the test initialises in a temporary directory and starts on a
// free loopback port (as the "postgres" user when the test runs as root), stopped by its own PID.
// Broadcasts (rooms, except, binary, over the NOTIFY limit), fetchRemoteSockets, serverSideEmitWithAck,
// and PostgreSQL restarted under the running servers.

#include <QtSocketIo/qsocketioack.h>
#include <QtSocketIo/qsocketiopostgresadapter.h>
#include <QtSocketIo/qsocketioserver.h>

#include "sioclient.h"
#include "siojoin.h"

#include <QtCore/qdeadlinetimer.h>
#include <QtCore/qdir.h>
#include <QtCore/qprocess.h>
#include <QtCore/qtemporarydir.h>
#include <QtNetwork/qtcpserver.h>
#include <QtTest/qsignalspy.h>
#include <QtTest/qtest.h>

#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

// A PostgreSQL cluster of the test's own.
class PostgresFixture
{
public:
    bool init(QString *error);
    bool start(QString *error);
    bool stop();
    QString conninfo() const { return u"host=127.0.0.1 port=%1 dbname=postgres user=postgres"_s.arg(port); }
    ~PostgresFixture() { stop(); }

private:
    void runAsPostgres(QProcess *process) const;
    QString binary(const char *name) const { return binDir + u'/' + QLatin1String(name); }

    QString binDir = qEnvironmentVariable("PG_BINDIR", u"/usr/lib/postgresql/15/bin"_s);
    QTemporaryDir dir;
    quint16 port = 0;
    uid_t uid = 0;
    gid_t gid = 0;
    bool asOtherUser = false;
    std::unique_ptr<QProcess> server;
};

void PostgresFixture::runAsPostgres(QProcess *process) const
{
    if (!asOtherUser)
        return;
    const uid_t u = uid;
    const gid_t g = gid;
    // initdb and postgres refuse to run as root: drop to the postgres user in the child, before exec, so
    // that the PID QProcess knows is the server's own.
    process->setChildProcessModifier([u, g] {
        if (::setgroups(0, nullptr) != 0 || ::setgid(g) != 0 || ::setuid(u) != 0)
            ::_exit(126);
    });
}

bool PostgresFixture::init(QString *error)
{
    if (!dir.isValid()) {
        *error = u"no temporary directory"_s;
        return false;
    }
    if (::geteuid() == 0) {
        const passwd *pw = ::getpwnam("postgres");
        if (!pw) {
            *error = u"running as root and there is no postgres user"_s;
            return false;
        }
        uid = pw->pw_uid;
        gid = pw->pw_gid;
        asOtherUser = true;
        if (::chown(QFile::encodeName(dir.path()).constData(), uid, gid) != 0) {
            *error = u"cannot chown the temporary directory"_s;
            return false;
        }
    }
    QTcpServer probe;   // a port that was free a moment ago
    probe.listen(QHostAddress::LocalHost, 0);
    port = probe.serverPort();
    probe.close();

    QProcess initdb;
    runAsPostgres(&initdb);
    initdb.setWorkingDirectory(dir.path());
    initdb.start(binary("initdb"), {u"-D"_s, dir.filePath(u"data"_s), u"-U"_s, u"postgres"_s, u"--auth=trust"_s,
                                    u"-E"_s, u"UTF8"_s, u"--no-sync"_s, u"--locale=C"_s});
    if (!initdb.waitForFinished(60000) || initdb.exitStatus() != QProcess::NormalExit || initdb.exitCode() != 0) {
        *error = u"initdb failed: "_s + QString::fromLocal8Bit(initdb.readAllStandardError());
        return false;
    }
    return start(error);
}

bool PostgresFixture::start(QString *error)
{
    server = std::make_unique<QProcess>();
    runAsPostgres(server.get());
    server->setWorkingDirectory(dir.path());
    server->setProcessChannelMode(QProcess::MergedChannels);
    server->start(binary("postgres"), {u"-D"_s, dir.filePath(u"data"_s), u"-c"_s, u"listen_addresses=127.0.0.1"_s,
                                       u"-p"_s, QString::number(port), u"-k"_s, dir.path(),
                                       u"-c"_s, u"fsync=off"_s, u"-c"_s, u"synchronous_commit=off"_s});
    QByteArray output;
    QDeadlineTimer deadline(20000);
    while (!output.contains("ready to accept connections")) {
        if (deadline.hasExpired() || server->state() == QProcess::NotRunning) {
            *error = u"postgres did not start: "_s + QString::fromLocal8Bit(output + server->readAll());
            return false;
        }
        server->waitForReadyRead(100);
        output += server->readAll();
    }
    return true;
}

bool PostgresFixture::stop()
{
    if (!server || server->state() == QProcess::NotRunning)
        return true;
    // Fast shutdown: the clients are disconnected at once (SIGTERM would wait for them).
    ::kill(pid_t(server->processId()), SIGINT);
    const bool stopped = server->waitForFinished(15000);
    if (!stopped) {
        server->kill();
        server->waitForFinished(5000);
    }
    server.reset();
    return stopped;
}

class tst_PostgresAdapter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();
    void serverCount();
    void broadcasts_data();
    void broadcasts();
    void fetchRemoteSockets();
    void serverSideEmitWithAck();
    void nodeLeavesDuringRequests();
    void restart();

private:
    void attach(QSocketIoServer *server, QSocketIoPostgresAdapter **adapter);

    PostgresFixture postgres;
    QSocketIoServer *a = nullptr;
    QSocketIoServer *b = nullptr;
    QSocketIoPostgresAdapter *pa = nullptr;
    QSocketIoPostgresAdapter *pb = nullptr;
    SioTestClient *a1 = nullptr;
    SioTestClient *a2 = nullptr;
    SioTestClient *b1 = nullptr;
    QString a1Id, a2Id, b1Id;
};

void tst_PostgresAdapter::initTestCase()
{
    QString error;
    QVERIFY2(postgres.init(&error), qPrintable(error));
}

void tst_PostgresAdapter::cleanupTestCase()
{
    QVERIFY(postgres.stop());
}

void tst_PostgresAdapter::attach(QSocketIoServer *server, QSocketIoPostgresAdapter **adapter)
{
    *adapter = new QSocketIoPostgresAdapter(server);
    (*adapter)->setConnectionString(postgres.conninfo());
    (*adapter)->setHeartbeatInterval(300);
    (*adapter)->setHeartbeatTimeout(1500);
    (*adapter)->setRequestsTimeout(2000);
    QCOMPARE((*adapter)->channelPrefix(), u"socket.io"_s);
    QCOMPARE((*adapter)->tableName(), u"socket_io_attachments"_s);
    QCOMPARE((*adapter)->payloadThreshold(), 8000);
    QSignalSpy connected(*adapter, &QSocketIoPostgresAdapter::connectedChanged);
    (*adapter)->attach(server);
    QTRY_VERIFY_WITH_TIMEOUT((*adapter)->isConnected(), 10000);
    QVERIFY(connected.count() >= 1);
}

void tst_PostgresAdapter::init()
{
    a = new QSocketIoServer;
    b = new QSocketIoServer;
    attach(a, &pa);
    attach(b, &pb);
    QVERIFY(a->listen());
    QVERIFY(b->listen());
    a1 = new SioTestClient;
    a2 = new SioTestClient;
    b1 = new SioTestClient;
    a1Id = SioTest::connectClient(*a, *a1);
    a2Id = SioTest::connectClient(*a, *a2);
    b1Id = SioTest::connectClient(*b, *b1);
    QVERIFY(!a1Id.isEmpty() && !a2Id.isEmpty() && !b1Id.isEmpty());
    a->mainNamespace()->socket(a1Id)->join(u"r1"_s);
    b->mainNamespace()->socket(b1Id)->join(u"r1"_s);
    QTRY_COMPARE_WITH_TIMEOUT(pa->serverCount(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(pb->serverCount(), 2, 10000);
}

void tst_PostgresAdapter::cleanup()
{
    delete a1;
    delete a2;
    delete b1;
    delete a;
    delete b;
}

void tst_PostgresAdapter::serverCount()
{
    QCOMPARE(pa->serverCount(u"/"_s), 2);
    QCOMPARE(pa->serverCount(u"/nowhere"_s), -1);
    // A third server joins, then leaves (ADAPTER_CLOSE): the others count it, then no longer.
    auto *c = new QSocketIoServer;
    QSocketIoPostgresAdapter *pc = nullptr;
    attach(c, &pc);
    QTRY_COMPARE_WITH_TIMEOUT(pa->serverCount(), 3, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(pc->serverCount(), 3, 10000);
    delete c;
    QTRY_COMPARE_WITH_TIMEOUT(pa->serverCount(), 2, 10000);
}

void tst_PostgresAdapter::broadcasts_data()
{
    QTest::addColumn<QStringList>("rooms");
    QTest::addColumn<QStringList>("except");
    QTest::addColumn<QVariant>("payload");
    QTest::addColumn<QList<bool>>("received");   // a1, a2, b1

    QTest::newRow("all") << QStringList() << QStringList() << QVariant(42) << QList<bool>{true, true, true};
    QTest::newRow("room") << QStringList{u"r1"_s} << QStringList() << QVariant(u"x"_s) << QList<bool>{true, false, true};
    QTest::newRow("except room") << QStringList() << QStringList{u"r1"_s} << QVariant(true) << QList<bool>{false, true, false};
    QTest::newRow("binary") << QStringList() << QStringList() << QVariant(QByteArray("\x00\x01\xff", 3))
                            << QList<bool>{true, true, true};
    QTest::newRow("over the NOTIFY limit") << QStringList{u"r1"_s} << QStringList()
                                           << QVariant(QString(20000, u'q')) << QList<bool>{true, false, true};
}

void tst_PostgresAdapter::broadcasts()
{
    QFETCH(QStringList, rooms);
    QFETCH(QStringList, except);
    QFETCH(QVariant, payload);
    QFETCH(QList<bool>, received);

    // Sent on b; a's clients get it through PostgreSQL.
    QSocketIoBroadcast op = b->mainNamespace()->all();
    if (!rooms.isEmpty())
        op = op.to(rooms);
    if (!except.isEmpty())
        op = op.except(except);
    QVERIFY(op.emitEvent(u"news"_s, {payload}));
    QVERIFY(b->emitEvent(u"marker"_s));   // after it, in order: once there, the broadcast did or did not
    const QList<SioTestClient *> clients{a1, a2, b1};
    for (int i = 0; i < clients.size(); ++i) {
        QVERIFY(clients[i]->waitForEvent(u"marker"_s, nullptr, u"/"_s, 10000));
        QCOMPARE(clients[i]->countEvents(u"news"_s) > 0, received[i]);
    }
    SioTestClient::Packet packet;
    SioTestClient *receiver = received[0] ? a1 : a2;
    QVERIFY(receiver->waitForEvent(u"news"_s, &packet));
    if (payload.typeId() == QMetaType::QByteArray)
        QCOMPARE(packet.attachments.value(0), payload.toByteArray());
    else
        QCOMPARE(packet.eventArgs().at(0).toVariant(), payload);
}

void tst_PostgresAdapter::fetchRemoteSockets()
{
    a->mainNamespace()->socket(a1Id)->setDataValue(u"name"_s, u"alice"_s);
    QList<QSocketIoRemoteSocket> result;
    QString error = u"not called"_s;
    b->mainNamespace()->to(u"r1"_s).fetchRemoteSockets(this, [&](const QList<QSocketIoRemoteSocket> &sockets,
                                                                 const QString &e) {
        result = sockets;
        error = e;
    });
    QTRY_VERIFY_WITH_TIMEOUT(error != u"not called"_s, 10000);
    QCOMPARE(error, QString());
    QCOMPARE(result.size(), 2);
    QStringList ids;
    for (const QSocketIoRemoteSocket &socket : result) {
        ids.append(socket.id());
        if (socket.id() == a1Id) {
            QVERIFY(!socket.isLocal());
            QCOMPARE(socket.data().toMap().value(u"name"_s).toString(), u"alice"_s);
            QVERIFY(socket.rooms().contains(u"r1"_s));
        }
    }
    ids.sort();
    QStringList expected{a1Id, b1Id};
    expected.sort();
    QCOMPARE(ids, expected);
}

void tst_PostgresAdapter::serverSideEmitWithAck()
{
    connect(a->mainNamespace(), &QSocketIoNamespace::serverSideEventWithAckReceived, this,
            [](const QString &event, const QVariantList &args, const QSocketIoAckCallback &ack) {
        ack({event + u"-"_s + args.value(0).toString()});
    });
    QSocketIoAck *ack = b->serverSideEmitWithAck(u"ping"_s, {7});
    QSignalSpy finished(ack, &QSocketIoAck::finished);
    QList<QVariantList> responses;
    connect(ack, &QSocketIoAck::finished, this, [&] { responses = ack->responses(); });
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses.first().value(0).toString(), u"ping-7"_s);
}

void tst_PostgresAdapter::nodeLeavesDuringRequests()
{
    // A third node that leaves (ADAPTER_CLOSE, or silence past heartbeatTimeout) before it got the requests:
    // they end with the answers of the others, without an error, rather than at requestsTimeout.
    auto *c = new QSocketIoServer;
    QSocketIoPostgresAdapter *pc = nullptr;
    attach(c, &pc);
    QTRY_COMPARE_WITH_TIMEOUT(pa->serverCount(), 3, 10000);
    pa->setRequestsTimeout(60000);
    QList<QSocketIoRemoteSocket> result;
    QString error = u"not called"_s;
    a->mainNamespace()->all().fetchRemoteSockets(this, [&](const QList<QSocketIoRemoteSocket> &sockets,
                                                           const QString &e) {
        result = sockets;
        error = e;
    });
    QSocketIoAck *ack = a->serverSideEmitWithAck(u"ping"_s);
    connect(b->mainNamespace(), &QSocketIoNamespace::serverSideEventWithAckReceived, this,
            [](const QString &, const QVariantList &, const QSocketIoAckCallback &reply) { reply({u"b"_s}); });
    QSignalSpy finished(ack, &QSocketIoAck::finished);
    // The ack deletes itself once finished: read its responses when it says so.
    QList<QVariantList> responses;
    connect(ack, &QSocketIoAck::finished, this, [&] { responses = ack->responses(); });
    delete c;
    QTRY_VERIFY_WITH_TIMEOUT(error != u"not called"_s, 10000);
    QCOMPARE(error, QString());
    QCOMPARE(result.size(), 3);   // a1, a2, b1
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses.first().value(0).toString(), u"b"_s);
    QCOMPARE(pa->serverCount(), 2);
}

void tst_PostgresAdapter::restart()
{
    QSignalSpy errors(pa, &QSocketIoPostgresAdapter::errorOccurred);
    QVERIFY(postgres.stop());
    QTRY_VERIFY_WITH_TIMEOUT(!pa->isConnected(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!pb->isConnected(), 10000);
    QVERIFY(errors.count() >= 1);
    QVERIFY(!pa->errorString().isEmpty());
    QCOMPARE(errors.first().first().value<QSocketIoPostgresAdapter::Error>(), QSocketIoPostgresAdapter::Error::ConnectionError);
    QCOMPARE(pa->error(), QSocketIoPostgresAdapter::Error::ConnectionError);

    // Local clients keep working.
    QVERIFY(a->emitEvent(u"local"_s, {1}));
    QVERIFY(a1->waitForEvent(u"local"_s));
    QVERIFY(a2->waitForEvent(u"local"_s));

    QString error;
    QVERIFY2(postgres.start(&error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(pa->isConnected(), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(pb->isConnected(), 15000);
    QVERIFY(b->emitEvent(u"again"_s, {2}));
    QVERIFY(a1->waitForEvent(u"again"_s, nullptr, u"/"_s, 10000));
    QTRY_COMPARE_WITH_TIMEOUT(pa->serverCount(), 2, 10000);
}

QTEST_GUILESS_MAIN(tst_PostgresAdapter)
#include "tst_postgresadapter.moc"
