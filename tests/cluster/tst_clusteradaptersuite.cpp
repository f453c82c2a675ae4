// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// One cluster adapter suite for every cluster backend, as socketioxide's e2e adapter suite: the same checks
// run once per backend (initTestCase_data), each time on two nodes (two QSocketIoServer in this process) with
// real clients. The backends: the in-process bus of tests/shared/loopbackclusteradapter.h, QSocketIoRedisAdapter
// on a redis-server and QSocketIoPostgresAdapter on a PostgreSQL, both of the test's own (tests/shared, free
// loopback port, stopped by PID). A backend whose component is not built or whose server is missing is skipped.
// Checks: broadcasts to all / rooms / except / local() across nodes, emitWithAck counting the clients of both
// nodes, socketsJoin/Leave and disconnectSockets across nodes, fetchRemoteSockets, serverSideEmit(WithAck), and
// values compared exactly across nodes (a leading U+FEFF in an argument, a key, a room name, an event name).
// What only one backend has stays with it: tst_clusteradapter (the bus's timeouts and a muted node),
// tst_postgresadapter (PostgreSQL restarted, the attachment table, serverCount, a node leaving).

#include <QtSocketIo/qsocketioack.h>
#include <QtSocketIo/qsocketioremotesocket.h>
#include <QtSocketIo/qsocketioserver.h>
#ifdef QTSOCKETIO_TEST_REDIS
#include <QtSocketIo/qsocketioredisadapter.h>
#include <QtSocketIo/qsocketioredisstreamsadapter.h>
#include <QtSocketIo/qsocketioredisshardedadapter.h>
#endif
#ifdef QTSOCKETIO_TEST_POSTGRES
#include <QtSocketIo/qsocketiopostgresadapter.h>
#endif

#include "loopbackclusteradapter.h"
#include "postgresfixture.h"
#include "redisclusterfixture.h"
#include "redisfixture.h"
#include "sioclient.h"
#include "twonodes.h"

#include <QtCore/qfileinfo.h>
#include <QtCore/qjsonarray.h>
#include <QtCore/qjsondocument.h>
#include <QtCore/qpointer.h>
#include <QtCore/qprocess.h>
#include <QtTest/qsignalspy.h>
#include <QtTest/qtest.h>

#include <memory>

using namespace Qt::StringLiterals;

class tst_ClusterAdapterSuite : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase_data();
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void broadcasts_data();
    void broadcasts();
    void broadcastWithAck();
    void broadcastWithAckNoTimeout();
    void broadcastWithAckTimeout();
    void socketsJoinLeaveDisconnect();
    void fetchRemoteSockets();
    void serverSideEmit();
    void serverSideEmitWithAck();
    void serverSideEmitExactValues();
    void noConnectionInherited();

private:
    bool startBackend(const QString &backend, QString *skip, QString *error);
    void tearDown();
    void attach(const QString &backend, QSocketIoServer *server);
    void waitForNodes(const QString &backend);

    // The servers, started on first use and kept for the other tests.
    std::unique_ptr<RedisFixture> redis;
    std::unique_ptr<RedisClusterFixture> redisCluster;   // three masters, for the sharded adapter
    std::unique_ptr<PostgresFixture> postgres;
    QHash<QString, QString> skipped;   // backend -> why
    QHash<QString, QString> failed;    // backend -> its server's error

    // Node a with clients a1 (in room r1) and a2; node b with client b1 (in r1).
    LoopbackBus *bus = nullptr;
    QSocketIoServer *a = nullptr;
    QSocketIoServer *b = nullptr;
    QList<QObject *> adapters;   // the Redis / PostgreSQL adapter objects of a and b
    SioTestClient *a1 = nullptr;
    SioTestClient *a2 = nullptr;
    SioTestClient *b1 = nullptr;
    QString a1Id, a2Id, b1Id;
};

namespace {

// The arguments of an EVENT exactly as the client got them, read from the packet's text with every U+FEFF written
// as an escape first: QJsonDocument::fromJson() (which the test client uses) drops a leading raw one.
QVariantList exactEventArgs(const SioTestClient::Packet &packet)
{
    QString json = packet.text.mid(packet.text.indexOf(u'['));
    json.replace(QChar(0xfeff), u"\\ufeff"_s);
    QVariantList list = QJsonDocument::fromJson(json.toUtf8()).array().toVariantList();
    if (!list.isEmpty())
        list.removeFirst();
    return list;
}

const QString bom(QChar(0xfeff));

} // namespace

void tst_ClusterAdapterSuite::initTestCase_data()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("bus") << u"bus"_s;
    QTest::newRow("redis") << u"redis"_s;
    QTest::newRow("redis-streams") << u"redis-streams"_s;   // on the same redis-server
    QTest::newRow("redis-sharded") << u"redis-sharded"_s;
    QTest::newRow("postgres") << u"postgres"_s;
}

// Every server starts here, before any adapter connects: a server started later would inherit (fork + exec) the
// open connections of the adapters of the moment, and keep them open after the test closed its side.
void tst_ClusterAdapterSuite::initTestCase()
{
    for (const QString &backend : {u"redis"_s, u"redis-sharded"_s, u"postgres"_s}) {
        QString skip;
        QString error;
        if (!startBackend(backend, &skip, &error)) {
            if (!skip.isEmpty())
                skipped.insert(backend, skip);
            else
                failed.insert(backend, error);
        }
    }
}

void tst_ClusterAdapterSuite::cleanupTestCase()
{
    if (redis)
        QVERIFY(redis->stop());
    if (postgres)
        QVERIFY(postgres->stop());
}

// Starts the backend's server; false with *skip when it cannot run here, with *error when it failed.
bool tst_ClusterAdapterSuite::startBackend(const QString &backend, QString *skip, QString *error)
{
    if (backend == u"redis"_s) {
#ifndef QTSOCKETIO_TEST_REDIS
        *skip = u"QtSocketIo::Redis is not built (msgpack-cxx missing at configure time)"_s;
        return false;
#else
        auto fixture = std::make_unique<RedisFixture>();
        if (!fixture->isAvailable(skip))
            return false;
        if (!fixture->start(error))
            return false;
        redis = std::move(fixture);
#endif
    } else if (backend == u"redis-sharded"_s) {
#ifndef QTSOCKETIO_TEST_REDIS
        *skip = u"QtSocketIo::Redis is not built (msgpack-cxx missing at configure time)"_s;
        return false;
#else
        auto fixture = std::make_unique<RedisClusterFixture>();
        if (!fixture->isAvailable(skip))
            return false;
        if (!fixture->start(error))
            return false;
        redisCluster = std::move(fixture);
#endif
    } else if (backend == u"postgres"_s) {
#ifndef QTSOCKETIO_TEST_POSTGRES
        *skip = u"QtSocketIo::Postgres is not built (libpq missing at configure time)"_s;
        return false;
#else
        auto fixture = std::make_unique<PostgresFixture>();
        if (!fixture->isAvailable(skip))
            return false;
        if (!fixture->init(error))
            return false;
        postgres = std::move(fixture);
#endif
    }
    return true;
}

void tst_ClusterAdapterSuite::attach(const QString &backend, QSocketIoServer *server)
{
    if (backend == u"bus"_s) {
        server->setAdapterFactory([this](QSocketIoNamespace *nsp) { return std::make_unique<LoopbackAdapter>(nsp, bus); });
        return;
    }
#ifdef QTSOCKETIO_TEST_REDIS
    if (backend == u"redis"_s) {
        auto *adapter = new QSocketIoRedisAdapter(server);
        adapter->setHostName(u"127.0.0.1"_s);
        adapter->setPort(redis->port());
        adapter->attach(server);
        adapters.append(adapter);
        QTRY_VERIFY_WITH_TIMEOUT(adapter->isConnected(), 10000);
    }
    if (backend == u"redis-streams"_s) {
        auto *adapter = new QSocketIoRedisStreamsAdapter(u"127.0.0.1"_s, redis->port(), server);
        adapter->setHeartbeatInterval(300);
        adapter->setHeartbeatTimeout(1500);
        adapter->setRequestsTimeout(2000);
        adapter->attach(server);
        adapters.append(adapter);
        QTRY_VERIFY_WITH_TIMEOUT(adapter->isConnected(), 10000);
    }
    if (backend == u"redis-sharded"_s) {
        auto *adapter = new QSocketIoRedisShardedAdapter(server);
        adapter->setUrl(redisCluster->url());
        adapter->setRequestsTimeout(3000);
        adapter->attach(server);
        adapters.append(adapter);
        QTRY_VERIFY_WITH_TIMEOUT(adapter->isConnected(), 10000);
    }
#endif
#ifdef QTSOCKETIO_TEST_POSTGRES
    if (backend == u"postgres"_s) {
        auto *adapter = new QSocketIoPostgresAdapter(server);
        adapter->setConnectionString(postgres->conninfo());
        adapter->setHeartbeatInterval(300);
        adapter->setHeartbeatTimeout(1500);
        adapter->setRequestsTimeout(2000);
        adapter->attach(server);
        adapters.append(adapter);
        QTRY_VERIFY_WITH_TIMEOUT(adapter->isConnected(), 10000);
    }
#endif
}

// Until every node counts both: the requests of the tests wait for the answers of that many nodes.
void tst_ClusterAdapterSuite::waitForNodes(const QString &backend)
{
#ifdef QTSOCKETIO_TEST_REDIS
    if (backend == u"redis"_s) {
        for (QObject *object : std::as_const(adapters)) {
            auto *adapter = qobject_cast<QSocketIoRedisAdapter *>(object);
            auto count = std::make_shared<int>(-1);
            QDeadlineTimer deadline(10000);
            while (*count != 2 && !deadline.hasExpired()) {
                auto answered = std::make_shared<bool>(false);
                adapter->serverCount(this, [count, answered](int n) {
                    *count = n;
                    *answered = true;
                });
                QTRY_VERIFY_WITH_TIMEOUT(*answered, 5000);
                if (*count != 2)
                    QTest::qWait(50);
            }
            QCOMPARE(*count, 2);
        }
    }
    if (backend == u"redis-streams"_s) {
        for (QObject *object : std::as_const(adapters))
            QTRY_COMPARE_WITH_TIMEOUT(qobject_cast<QSocketIoRedisStreamsAdapter *>(object)->serverCount(), 2, 10000);
    }
    if (backend == u"redis-sharded"_s) {
        for (QObject *object : std::as_const(adapters)) {
            auto *adapter = qobject_cast<QSocketIoRedisShardedAdapter *>(object);
            auto count = std::make_shared<int>(-1);
            QTRY_VERIFY_WITH_TIMEOUT((adapter->serverCount(this, [count](int n) { *count = n; }), *count == 2), 10000);
        }
    }
#endif
#ifdef QTSOCKETIO_TEST_POSTGRES
    if (backend == u"postgres"_s) {
        for (QObject *object : std::as_const(adapters))
            QTRY_COMPARE_WITH_TIMEOUT(qobject_cast<QSocketIoPostgresAdapter *>(object)->serverCount(), 2, 10000);
    }
#endif
    Q_UNUSED(backend);
}

void tst_ClusterAdapterSuite::init()
{
    QFETCH_GLOBAL(QString, backend);
    tearDown();   // what a failed init() left (cleanup() does not run then)
    const QString host = backend == u"redis-streams"_s ? u"redis"_s : backend;   // whose server it uses
    if (skipped.contains(host))
        QSKIP(qPrintable(u"backend %1 skipped: %2"_s.arg(backend, skipped.value(host))));
    if (failed.contains(host))
        QFAIL(qPrintable(u"backend %1: %2"_s.arg(backend, failed.value(host))));
    bus = new LoopbackBus;
    a = new QSocketIoServer;
    b = new QSocketIoServer;
    for (QSocketIoServer *server : {a, b}) {
        attach(backend, server);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(server->listen());
    }
    a1 = new SioTestClient;
    a2 = new SioTestClient;
    b1 = new SioTestClient;
    QVERIFY(SioTest::connectTwoNodes(*a, *b, *a1, *a2, *b1, &a1Id, &a2Id, &b1Id));
    waitForNodes(backend);
}

void tst_ClusterAdapterSuite::cleanup()
{
    tearDown();
}

void tst_ClusterAdapterSuite::tearDown()
{
    delete a1;
    delete a2;
    delete b1;
    delete a;
    delete b;
    a1 = a2 = b1 = nullptr;
    a = b = nullptr;
    adapters.clear();
    if (bus)
        QCOMPARE(bus->adapters.size(), 0);   // every adapter went with its namespace
    delete bus;
    bus = nullptr;
}

void tst_ClusterAdapterSuite::broadcasts_data()
{
    QTest::addColumn<QStringList>("rooms");
    QTest::addColumn<QStringList>("except");
    QTest::addColumn<bool>("local");
    QTest::addColumn<QVariantList>("payload");
    QTest::addColumn<QList<bool>>("received");   // a1, a2, b1

    const QByteArray bytes("\x00\x01\xff", 3);
    QTest::newRow("all") << QStringList() << QStringList() << false << QVariantList{42, QByteArray("\x01\x02", 2)}
                         << QList<bool>{true, true, true};
    QTest::newRow("room") << QStringList{u"r1"_s} << QStringList() << false << QVariantList{u"x"_s}
                          << QList<bool>{true, false, true};
    QTest::newRow("except room") << QStringList() << QStringList{u"r1"_s} << false << QVariantList{true}
                                 << QList<bool>{false, true, false};
    QTest::newRow("two rooms") << QStringList{u"r1"_s, u"nobody"_s} << QStringList() << false << QVariantList{42}
                               << QList<bool>{true, false, true};
    QTest::newRow("binary") << QStringList() << QStringList() << false << QVariantList{bytes}
                            << QList<bool>{true, true, true};
    QTest::newRow("local") << QStringList() << QStringList() << true << QVariantList{42}
                           << QList<bool>{false, false, true};
    // Every value as sent: a leading U+FEFF is a character (Qt reads it as a byte order mark and drops it from
    // UTF-8 unless told otherwise), in MessagePack and in JSON, in a string, a key, nested, a room name.
    QTest::newRow("U+FEFF strings") << QStringList() << QStringList() << false
                                    << QVariantList{bom, bom + u"x"_s, bom + bom + u"two"_s, u"x"_s + bom}
                                    << QList<bool>{true, true, true};
    QTest::newRow("U+FEFF keys, nested")
            << QStringList() << QStringList() << false
            << QVariantList{QVariantMap{{bom + u"k"_s, bom + u"v"_s},
                                        {u"n"_s, QVariantList{QVariantMap{{bom, QVariantList{bom + u"deep"_s}}}}}}}
            << QList<bool>{true, true, true};
    QTest::newRow("U+FEFF room") << QStringList{bom + u"room"_s} << QStringList() << false
                                 << QVariantList{bom + u"r"_s} << QList<bool>{true, false, true};
    QTest::newRow("U+FEFF rooms") << QStringList{bom + u"room"_s, bom + bom} << QStringList() << false
                                  << QVariantList{bom} << QList<bool>{true, false, true};
    QTest::newRow("except U+FEFF room") << QStringList() << QStringList{bom + u"room"_s} << false
                                        << QVariantList{bom} << QList<bool>{false, true, false};
    QTest::newRow("U+FEFF over 8000 bytes") << QStringList() << QStringList() << false
                                            << QVariantList{QVariantMap{{bom + u"big"_s, bom + QString(9000, QChar(0xe9))}}}
                                            << QList<bool>{true, true, true};
    QTest::newRow("U+FEFF with binary") << QStringList() << QStringList() << false
                                        << QVariantList{bytes, QVariantMap{{bom + u"k"_s, bom}}}
                                        << QList<bool>{true, true, true};
}

void tst_ClusterAdapterSuite::broadcasts()
{
    QFETCH(QStringList, rooms);
    QFETCH(QStringList, except);
    QFETCH(bool, local);
    QFETCH(QVariantList, payload);
    QFETCH(QList<bool>, received);

    // a1 and b1 (already in "r1") join every room named; a2 stays outside.
    for (const QString &room : rooms + except) {
        a->mainNamespace()->socket(a1Id)->join(room);
        b->mainNamespace()->socket(b1Id)->join(room);
    }
    // Sent on b; a's clients get it through the backend.
    QSocketIoBroadcast op = b->mainNamespace()->all();
    if (!rooms.isEmpty())
        op = op.to(rooms);
    if (!except.isEmpty())
        op = op.except(except);
    if (local)
        op = op.local();
    QVERIFY(op.emitEvent(u"news"_s, payload));
    // A marker to everyone afterwards, in order: once it arrived, the broadcast did or did not.
    QVERIFY(b->emitEvent(u"marker"_s));
    const QList<SioTestClient *> clients{a1, a2, b1};
    for (int i = 0; i < clients.size(); ++i) {
        QVERIFY(clients[i]->waitForEvent(u"marker"_s, nullptr, u"/"_s, 10000) || local);
        QCOMPARE(clients[i]->countEvents(u"news"_s) > 0, received[i]);
    }
    // The arguments as sent, on the first receiver of node a (or b1).
    SioTestClient *receiver = received[0] ? a1 : received[1] ? a2 : b1;
    SioTestClient::Packet packet;
    QVERIFY(receiver->waitForEvent(u"news"_s, &packet));
    const QVariantList args = exactEventArgs(packet);
    QCOMPARE(args.size(), payload.size());
    int attachment = 0;
    for (int i = 0; i < payload.size(); ++i) {
        if (payload.at(i).typeId() == QMetaType::QByteArray)
            QCOMPARE(packet.attachments.value(attachment++), payload.at(i).toByteArray());
        else
            QCOMPARE(args.at(i), payload.at(i));
    }
}

void tst_ClusterAdapterSuite::broadcastWithAck()
{
    QSocketIoAck *ack = b->mainNamespace()->to(u"r1"_s).timeout(3000).emitWithAck(u"question"_s, {1});
    QSignalSpy finished(ack, &QSocketIoAck::finished);
    QList<QVariantList> responses;
    int expected = 0;
    connect(ack, &QSocketIoAck::finished, this, [&] {
        responses = ack->responses();
        expected = ack->expectedCount();
    });
    SioTestClient::Packet packet;
    QVERIFY(a1->waitForEvent(u"question"_s, &packet));
    QVERIFY(packet.id >= 0);
    a1->sendAck(packet.id, {u"from a1"_s});
    QVERIFY(b1->waitForEvent(u"question"_s, &packet));
    b1->sendAck(packet.id, {u"from b1"_s});
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QCOMPARE(expected, 2);
    QStringList answers;
    for (const QVariantList &response : std::as_const(responses))
        answers.append(response.value(0).toString());
    answers.sort();
    QCOMPARE(answers, (QStringList{u"from a1"_s, u"from b1"_s}));
    QCOMPARE(a2->countEvents(u"question"_s), 0);
}

void tst_ClusterAdapterSuite::broadcastWithAckNoTimeout()
{
    // No timeout(): it waits for every client of every node, and finishes as soon as they all answered.
    QSocketIoAck *ack = b->emitWithAck(u"question"_s);
    QSignalSpy finished(ack, &QSocketIoAck::finished);
    QSignalSpy timedOut(ack, &QSocketIoAck::timedOut);
    int expected = 0;
    connect(ack, &QSocketIoAck::finished, this, [&] { expected = ack->expectedCount(); });
    for (SioTestClient *client : {a1, a2, b1}) {
        SioTestClient::Packet packet;
        QVERIFY(client->waitForEvent(u"question"_s, &packet));
        client->sendAck(packet.id, {1});
    }
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 4000);
    QCOMPARE(timedOut.count(), 0);
    QCOMPARE(expected, 3);
}

void tst_ClusterAdapterSuite::broadcastWithAckTimeout()
{
    // a1 never answers: the reply times out with the answers of b1 and a2.
    QSocketIoAck *ack = b->mainNamespace()->timeout(1000).emitWithAck(u"question"_s);
    QSignalSpy timedOut(ack, &QSocketIoAck::timedOut);
    QList<QVariantList> responses;
    connect(ack, &QSocketIoAck::timedOut, this, [&] { responses = ack->responses(); });
    SioTestClient::Packet packet;
    QVERIFY(b1->waitForEvent(u"question"_s, &packet));
    b1->sendAck(packet.id, {u"b1"_s});
    QVERIFY(a2->waitForEvent(u"question"_s, &packet));
    a2->sendAck(packet.id, {u"a2"_s});
    QVERIFY(a1->waitForEvent(u"question"_s));
    QTRY_COMPARE_WITH_TIMEOUT(timedOut.count(), 1, 5000);
    QCOMPARE(responses.size(), 2);
}

void tst_ClusterAdapterSuite::socketsJoinLeaveDisconnect()
{
    // Join: a2 (on a) into r2, from b, selected by its id as a room.
    b->mainNamespace()->in(a2Id).socketsJoin({u"r2"_s});
    QTRY_VERIFY_WITH_TIMEOUT(a->mainNamespace()->socket(a2Id)->rooms().contains(u"r2"_s), 5000);
    // Leave: everybody in r1 leaves it, on both nodes.
    b->mainNamespace()->in(u"r1"_s).socketsLeave({u"r1"_s});
    QTRY_VERIFY_WITH_TIMEOUT(!a->mainNamespace()->socket(a1Id)->rooms().contains(u"r1"_s), 5000);
    QVERIFY(!b->mainNamespace()->socket(b1Id)->rooms().contains(u"r1"_s));
    // Disconnect: those in r2 (a2), from b.
    QPointer<QSocketIoSocket> sa2 = a->mainNamespace()->socket(a2Id);
    QSignalSpy gone(sa2.data(), &QSocketIoSocket::disconnected);
    b->mainNamespace()->in(u"r2"_s).disconnectSockets();
    QVERIFY(a2->waitForType(1));   // the client got DISCONNECT
    QTRY_COMPARE_WITH_TIMEOUT(gone.count(), 1, 5000);
    QVERIFY(a->mainNamespace()->socket(a1Id));
    QVERIFY(b->mainNamespace()->socket(b1Id));
}

void tst_ClusterAdapterSuite::fetchRemoteSockets()
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
    for (const QSocketIoRemoteSocket &socket : std::as_const(result)) {
        ids.append(socket.id());
        if (socket.id() == a1Id) {
            QVERIFY(!socket.isLocal());
            QCOMPARE(socket.data().toMap().value(u"name"_s).toString(), u"alice"_s);
            QVERIFY(socket.rooms().contains(u"r1"_s));
            QVERIFY(socket.rooms().contains(a1Id));
            QVERIFY(socket.handshake().value(u"url"_s).toString().startsWith(u"/socket.io/"_s));
            QVERIFY(socket.handshake().contains(u"issued"_s));
        } else {
            QVERIFY(socket.isLocal());
        }
    }
    ids.sort();
    QStringList expected{a1Id, b1Id};
    expected.sort();
    QCOMPARE(ids, expected);

    // local(): this node only.
    error = u"not called"_s;
    b->mainNamespace()->local().fetchRemoteSockets(this, [&](const QList<QSocketIoRemoteSocket> &sockets,
                                                             const QString &e) {
        result = sockets;
        error = e;
    });
    QTRY_VERIFY_WITH_TIMEOUT(error != u"not called"_s, 5000);
    QCOMPARE(result.size(), 1);
    QCOMPARE(result.first().id(), b1Id);
}

void tst_ClusterAdapterSuite::serverSideEmit()
{
    QSignalSpy onA(a->mainNamespace(), &QSocketIoNamespace::serverSideEventReceived);
    QSignalSpy onB(b->mainNamespace(), &QSocketIoNamespace::serverSideEventReceived);
    QVERIFY(b->serverSideEmit(u"hello"_s, {1, u"two"_s}));
    QTRY_COMPARE_WITH_TIMEOUT(onA.count(), 1, 5000);
    QCOMPARE(onA.first().at(0).toString(), u"hello"_s);
    QCOMPARE(onA.first().at(1).toList(), (QVariantList{1, u"two"_s}));
    QCOMPARE(onB.count(), 0);   // not to itself
    QVERIFY(!b->serverSideEmit(u"connect"_s));
}

void tst_ClusterAdapterSuite::serverSideEmitWithAck()
{
    connect(a->mainNamespace(), &QSocketIoNamespace::serverSideEventWithAckReceived, this,
            [](const QString &event, const QVariantList &args, const QSocketIoAckCallback &ack) {
        ack({event + u"-"_s + args.value(0).toString(), u"ignored"_s});
    });
    QSocketIoAck *ack = b->serverSideEmitWithAck(u"ping"_s, {7});
    QSignalSpy finished(ack, &QSocketIoAck::finished);
    QSignalSpy timedOut(ack, &QSocketIoAck::timedOut);
    QList<QVariantList> responses;
    connect(ack, &QSocketIoAck::finished, this, [&] { responses = ack->responses(); });
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QCOMPARE(timedOut.count(), 0);
    QCOMPARE(responses, QList<QVariantList>{QVariantList{u"ping-7"_s}});
}

// A leading U+FEFF survives the trip between nodes in the event name, in a string, a key and nested values (the
// backends' request messages: JSON on Redis and PostgreSQL).
void tst_ClusterAdapterSuite::serverSideEmitExactValues()
{
    QSignalSpy onA(a->mainNamespace(), &QSocketIoNamespace::serverSideEventReceived);
    const QVariantList args{bom, bom + u"x"_s,
                            QVariantMap{{bom + u"k"_s, QVariantList{bom, QVariantMap{{bom, bom + u"deep"_s}}}}}};
    QVERIFY(b->serverSideEmit(bom + u"hello"_s, args));
    QTRY_COMPARE_WITH_TIMEOUT(onA.count(), 1, 5000);
    QCOMPARE(onA.first().at(0).toString(), bom + u"hello"_s);
    QCOMPARE(onA.first().at(1).toList(), args);
}

QTEST_GUILESS_MAIN(tst_ClusterAdapterSuite)
// A process the application starts inherits none of the adapter's connections (nor any other socket): Qt opens
// its sockets (the Redis adapters' QSslSocket) with close-on-exec, libpq too.
void tst_ClusterAdapterSuite::noConnectionInherited()
{
    if (!QFileInfo::exists(u"/proc/self/fd"_s))
        QSKIP("needs /proc");
    QProcess child;
    child.start(u"ls"_s, {u"-l"_s, u"/proc/self/fd/"_s});
    QVERIFY2(child.waitForFinished(10000), qPrintable(child.errorString()));
    const QByteArray listing = child.readAllStandardOutput();
    QVERIFY2(listing.contains("->"), listing.constData());   // the listing worked
    QVERIFY2(!listing.contains("socket:"), listing.constData());
}

#include "tst_clusteradaptersuite.moc"
