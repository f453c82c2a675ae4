// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// What only QSocketIoRedisAdapter has, through the public C++ API, on real redis-servers of the test's own
// (tests/shared/redisfixture.h): URLs (redis://, rediss://, redis+sentinel://), TLS on redis-server's tls-port
// with a self-signed certificate (trusted through sslConfiguration, refused without it), the master found through
// a Sentinel, and the outage queue: Redis killed with SIGKILL, broadcasts published meanwhile, Redis restarted on
// the same port: every broadcast within the bound reaches the other node's client exactly once, in order; past
// the bound the drops are counted. Hostile messages on the bus (both adapters; the sharded one on a Redis without
// cluster support) are dropped and counted.

#include <QtSocketIo/qsocketioredisadapter.h>
#include <QtSocketIo/qsocketioredisshardedadapter.h>
#include <QtSocketIo/qsocketioserver.h>

#include "redisclusterfixture.h"
#include "redisfixture.h"
#include "sioclient.h"
#include "siojoin.h"

#include <QtNetwork/qsslcertificate.h>
#include <QtNetwork/qsslsocket.h>
#include <QtNetwork/qtcpsocket.h>
#include <QtTest/qsignalspy.h>
#include <QtTest/qtest.h>

using namespace Qt::StringLiterals;

class tst_RedisAdapter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void url_data();
    void url();
    void tls_data();
    void tls();
    void sentinel();
    void outage_data();
    void outage();
    void badInput();
    void shardedStandaloneBadInput();
    void shardedSlotMoves();
    void shardedTls();
    void sentinelFailover();
    // After every function, also a failed one: the servers of twoNodes() go, and what the adapters free on the
    // next event-loop pass is freed.
    void cleanup() { tearDown(); }

private:
    // Two servers linked through adapters made by configure; a client on b. False (with a QVERIFY message) on failure.
    bool twoNodes(const std::function<void(QSocketIoRedisAdapter *)> &configure, int timeout = 15000);
    void tearDown();

    QSocketIoServer *a = nullptr;
    QSocketIoServer *b = nullptr;
    QSocketIoRedisAdapter *ra = nullptr;
    QSocketIoRedisAdapter *rb = nullptr;
    SioTestClient *b1 = nullptr;
};

static bool available(RedisFixture &fixture)
{
    QString why;
    return fixture.isAvailable(&why);
}

bool tst_RedisAdapter::twoNodes(const std::function<void(QSocketIoRedisAdapter *)> &configure, int timeout)
{
    a = new QSocketIoServer;
    b = new QSocketIoServer;
    ra = new QSocketIoRedisAdapter(a);
    rb = new QSocketIoRedisAdapter(b);
    configure(ra);
    configure(rb);
    ra->attach(a);
    rb->attach(b);
    if (!a->listen() || !b->listen())
        return false;
    QDeadlineTimer deadline(timeout);
    while (!(ra->isConnected() && rb->isConnected()) && !deadline.hasExpired())
        QTest::qWait(20);
    if (!ra->isConnected() || !rb->isConnected()) {
        qWarning() << "not connected:" << ra->errorString() << rb->errorString();
        return false;
    }
    b1 = new SioTestClient;
    return !SioTest::connectClient(*b, *b1).isEmpty();
}

void tst_RedisAdapter::tearDown()
{
    delete b1;
    delete a;
    delete b;
    b1 = nullptr;
    a = b = nullptr;
    ra = rb = nullptr;
    // The Redis adapter frees its hub on the next event-loop pass (a queued call: the last owner may let go inside
    // a connection's callback), and the servers hand objects to deleteLater(): let both happen now, so that the
    // last test of the run leaves nothing behind either (LeakSanitizer looks at exit).
    QCoreApplication::sendPostedEvents();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
}

void tst_RedisAdapter::url_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");

    QTest::newRow("plain") << u"redis://10.0.0.5"_s << true << u"10.0.0.5"_s << 6379 << QString() << QString();
    QTest::newRow("port") << u"redis://cache.local:7000"_s << true << u"cache.local"_s << 7000 << QString() << QString();
    QTest::newRow("password only") << u"redis://s3cret@h:1"_s << true << u"h"_s << 1 << QString() << u"s3cret"_s;
    QTest::newRow("empty user") << u"redis://:s3cret@h"_s << true << u"h"_s << 6379 << QString() << u"s3cret"_s;
    QTest::newRow("acl user") << u"redis://app:p%40ss%3Aw@h/2"_s << true << u"h"_s << 6379 << u"app"_s << u"p@ss:w"_s;
    QTest::newRow("tls") << u"rediss://h:6380"_s << true << u"h"_s << 6380 << QString() << QString();
    QTest::newRow("ipv6") << u"redis://[::1]:6390"_s << true << u"::1"_s << 6390 << QString() << QString();
    QTest::newRow("db query") << u"redis://h?db=3"_s << true << u"h"_s << 6379 << QString() << QString();
    QTest::newRow("sentinel") << u"redis+sentinel://u:p@s1:26380,s2/mymaster/1?sentinelPassword=x"_s << true
                              << QString() << 0 << u"u"_s << u"p"_s;
    QTest::newRow("not a url") << u"localhost:6379"_s << false << QString() << 0 << QString() << QString();
    QTest::newRow("other scheme") << u"http://h"_s << false << QString() << 0 << QString() << QString();
    QTest::newRow("no host") << u"redis://"_s << false << QString() << 0 << QString() << QString();
    QTest::newRow("port zero") << u"redis://h:0"_s << false << QString() << 0 << QString() << QString();
    QTest::newRow("port too big") << u"redis://h:70000"_s << false << QString() << 0 << QString() << QString();
    QTest::newRow("port not a number") << u"redis://h:ab"_s << false << QString() << 0 << QString() << QString();
    QTest::newRow("db not a number") << u"redis://h/x"_s << false << QString() << 0 << QString() << QString();
    QTest::newRow("unknown parameter") << u"redis://h?tls=1"_s << false << QString() << 0 << QString() << QString();
    QTest::newRow("sentinel without master") << u"redis+sentinel://s1"_s << false << QString() << 0 << QString()
                                             << QString();
    QTest::newRow("unclosed ipv6") << u"redis://[::1:6390"_s << false << QString() << 0 << QString() << QString();
}

void tst_RedisAdapter::url()
{
    QFETCH(QString, url);
    QFETCH(bool, valid);
    QSocketIoRedisAdapter adapter;
    QSignalSpy urlChanged(&adapter, &QSocketIoRedisAdapter::urlChanged);
    QSignalSpy errors(&adapter, &QSocketIoRedisAdapter::errorOccurred);
    adapter.setUrl(url);
    if (!valid) {
        QCOMPARE(errors.count(), 1);
        QCOMPARE(adapter.error(), QSocketIoRedisAdapter::Error::InvalidUrlError);
        QVERIFY(!adapter.errorString().isEmpty());
        QCOMPARE(adapter.url(), QString());
        QCOMPARE(adapter.hostName(), u"127.0.0.1"_s);   // unchanged
        QCOMPARE(adapter.port(), quint16(6379));
        return;
    }
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QCOMPARE(errors.count(), 0);
    QCOMPARE(urlChanged.count(), 1);
    QCOMPARE(adapter.url(), url);
    if (!host.isEmpty()) {
        QCOMPARE(adapter.hostName(), host);
        QCOMPARE(int(adapter.port()), port);
    }
    QCOMPARE(adapter.userName(), user);
    QCOMPARE(adapter.password(), password);
}

void tst_RedisAdapter::tls_data()
{
    QTest::addColumn<bool>("trustCa");
    QTest::newRow("CA trusted") << true;
    QTest::newRow("self-signed, not trusted") << false;
}

void tst_RedisAdapter::tls()
{
    QFETCH(bool, trustCa);
    if (!QSslSocket::supportsSsl())
        QSKIP("Qt Network has no TLS backend here");
    RedisFixture redis;
    if (!available(redis))
        QSKIP("redis-server not found");
    QString error;
    QVERIFY2(redis.enableTls(&error), qPrintable(error));
    QVERIFY2(redis.start(&error), qPrintable(error));
    const QString url = u"rediss://127.0.0.1:%1"_s.arg(redis.tlsPort());
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    if (trustCa)
        ssl.setCaCertificates(QSslCertificate::fromPath(redis.caFile()));
    if (!trustCa) {
        QSocketIoServer server;
        auto *adapter = new QSocketIoRedisAdapter(&server);
        adapter->setUrl(url);
        adapter->setSslConfiguration(ssl);
        QSignalSpy errors(adapter, &QSocketIoRedisAdapter::errorOccurred);
        adapter->attach(&server);
        QTRY_VERIFY_WITH_TIMEOUT(errors.count() >= 1, 10000);
        QCOMPARE(adapter->error(), QSocketIoRedisAdapter::Error::ConnectionError);
        QVERIFY2(adapter->errorString().contains(u"TLS"_s), qPrintable(adapter->errorString()));
        QVERIFY(!adapter->isConnected());
        return;
    }
    QVERIFY(twoNodes([&](QSocketIoRedisAdapter *adapter) {
        adapter->setUrl(url);
        adapter->setSslConfiguration(ssl);
    }));
    QVERIFY(a->emitEvent(u"over-tls"_s, {42}));
    SioTestClient::Packet packet;
    QVERIFY(b1->waitForEvent(u"over-tls"_s, &packet, u"/"_s, 10000));
    QCOMPARE(packet.eventArgs().at(0).toInt(), 42);
    tearDown();
}

void tst_RedisAdapter::sentinel()
{
    RedisFixture redis;
    if (!available(redis))
        QSKIP("redis-server not found");
    QString error;
    redis.setExtraArguments({u"--requirepass"_s, u"pw"_s});
    QVERIFY2(redis.start(&error), qPrintable(error));
    QVERIFY2(redis.startSentinel(u"qtmaster"_s, &error), qPrintable(error));
    // A first Sentinel address where nothing listens: the next one is asked.
    const quint16 nobody = ServerProcess::freeLoopbackPort();
    const QString url = u"redis+sentinel://:pw@127.0.0.1:%1,127.0.0.1:%2/qtmaster"_s.arg(nobody).arg(redis.sentinelPort());
    QVERIFY(twoNodes([&](QSocketIoRedisAdapter *adapter) { adapter->setUrl(url); }, 20000));
    QVERIFY(a->emitEvent(u"via-sentinel"_s, {7}));
    QVERIFY(b1->waitForEvent(u"via-sentinel"_s, nullptr, u"/"_s, 10000));
    tearDown();

    // A master name no Sentinel knows: a connection error that says so.
    QSocketIoServer server;
    auto *adapter = new QSocketIoRedisAdapter(&server);
    adapter->setUrl(u"redis+sentinel://127.0.0.1:%1/nosuchmaster"_s.arg(redis.sentinelPort()));
    adapter->attach(&server);
    QTRY_VERIFY_WITH_TIMEOUT(adapter->error() == QSocketIoRedisAdapter::Error::ConnectionError, 10000);
    QVERIFY2(adapter->errorString().contains(u"nosuchmaster"_s), qPrintable(adapter->errorString()));
}

void tst_RedisAdapter::outage_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<qint64>("maxBytes");
    QTest::addColumn<int>("expectDelivered");   // -1: all
    QTest::newRow("within the bound") << 200 << qint64(8 * 1024 * 1024) << -1;
    // Each queued broadcast is ~80 bytes (channel and MessagePack): 2000 bytes keep the first few dozen.
    QTest::newRow("past the bound") << 200 << qint64(2000) << 0;
}

void tst_RedisAdapter::outage()
{
    QFETCH(int, count);
    QFETCH(qint64, maxBytes);
    QFETCH(int, expectDelivered);
    RedisFixture redis;
    if (!available(redis))
        QSKIP("redis-server not found");
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QVERIFY(twoNodes([&](QSocketIoRedisAdapter *adapter) {
        adapter->setPort(redis.port());
        adapter->setMaxQueuedBytes(maxBytes);
    }));
    // Both nodes are known to a before the outage (its periodic PUBSUB NUMSUB): what it queues waits for b.
    auto nodes = std::make_shared<int>(0);
    QTRY_VERIFY_WITH_TIMEOUT((ra->serverCount(this, [nodes](int n) { *nodes = n; }), *nodes == 2), 10000);
    QTest::qWait(2500);

    QSignalSpy dropped(ra, &QSocketIoRedisAdapter::publicationsDropped);
    redis.kill();
    QTRY_VERIFY_WITH_TIMEOUT(!ra->isConnected(), 10000);
    for (int i = 0; i < count; ++i)
        QVERIFY(a->emitEvent(u"seq"_s, {i}));
    const int queued = ra->queuedPublications();
    QVERIFY2(redis.start(&error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(ra->isConnected() && rb->isConnected(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(ra->queuedPublications(), 0, 20000);
    QVERIFY(a->emitEvent(u"seq"_s, {count}));   // after the queue, in order
    QVERIFY(b1->waitForPacket([&](const SioTestClient::Packet &p) {
        return p.eventName() == u"seq"_s && p.eventArgs().at(0).toInt() == count;
    }, nullptr, 20000));
    QTest::qWait(300);   // a duplicate would come now
    QList<int> seen;   // waitForPacket() took the last one
    for (const SioTestClient::Packet &p : b1->packets()) {
        if (p.eventName() == u"seq"_s)
            seen.append(p.eventArgs().at(0).toInt());
    }
    // In order, each once: a prefix of what was published during the outage (then the one after it).
    const int delivered = int(seen.size());
    for (int i = 0; i < delivered; ++i)
        QCOMPARE(seen.at(i), i);
    if (expectDelivered < 0) {
        QCOMPARE(delivered, count);
        QCOMPARE(dropped.count(), 0);
        QCOMPARE(ra->droppedPublications(), 0);
    } else {
        QCOMPARE(delivered, queued);
        QVERIFY2(delivered < count, qPrintable(QString::number(delivered)));
        qint64 total = 0;
        for (const QList<QVariant> &signal : std::as_const(dropped))
            total += signal.at(0).toLongLong();
        QCOMPARE(total, qint64(count - delivered));
        QCOMPARE(ra->droppedPublications(), qint64(count - delivered));
    }
    tearDown();
}

// Sends commands to Redis on a connection of the test's own (RESP written by hand); true once Redis answered all.
static bool rawCommands(quint16 port, const QList<QList<QByteArray>> &commands)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return false;
    QByteArray out;
    for (const QList<QByteArray> &args : commands) {
        out += '*' + QByteArray::number(args.size()) + "\r\n";
        for (const QByteArray &arg : args)
            out += '$' + QByteArray::number(arg.size()) + "\r\n" + arg + "\r\n";
    }
    socket.write(out);
    QByteArray in;
    QDeadlineTimer deadline(10000);
    // Each answer here is one line (":<subscribers>" or an error).
    while (in.count('\n') < commands.size() && !deadline.hasExpired()) {
        socket.waitForReadyRead(100);
        in += socket.readAll();
    }
    return in.count('\n') >= commands.size() && !in.contains('-');
}

void tst_RedisAdapter::badInput()
{
    // Hostile publications on the classic adapter's channels: dropped, counted, and the nodes go on.
    RedisFixture redis;
    if (!available(redis))
        QSKIP("redis-server not found");
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QVERIFY(twoNodes([&](QSocketIoRedisAdapter *adapter) { adapter->setPort(redis.port()); }));
    const QByteArray huge(5 * 1024 * 1024, '\xdc');   // an array16 header, then nothing that fits
    const QList<QList<QByteArray>> garbage{
        {"PUBLISH", "socket.io#/#", QByteArray("\xc1", 1)},             // a byte MessagePack never uses
        {"PUBLISH", "socket.io#/#", "not msgpack"},
        {"PUBLISH", "socket.io#/#", QByteArray("\x93\x01\x02\x03", 4)},   // [1, 2, 3]: wrong types
        {"PUBLISH", "socket.io#/#", huge},
        {"PUBLISH", "socket.io-request#/#", "{\"type\":999,\"uid\":\"x\",\"requestId\":\"r\"}"},
        {"PUBLISH", "socket.io-request#/#", "{bad json"},
        {"PUBLISH", "socket.io-request#/#", "[1,2]"},
    };
    QVERIFY(rawCommands(redis.port(), garbage));
    QTRY_COMPARE_WITH_TIMEOUT(rb->malformedMessages(), qint64(garbage.size()), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(ra->malformedMessages(), qint64(garbage.size()), 10000);
    QVERIFY(a->emitEvent(u"still"_s, {1}));
    QVERIFY(b1->waitForEvent(u"still"_s, nullptr, u"/"_s, 10000));
    tearDown();
}

void tst_RedisAdapter::shardedStandaloneBadInput()
{
    // The sharded adapter on one Redis without cluster support (every slot is its), and hostile SPUBLISHes.
    RedisFixture redis;
    if (!available(redis))
        QSKIP("redis-server not found");
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QSocketIoServer sa;
    QSocketIoServer sb;
    auto *sha = new QSocketIoRedisShardedAdapter(&sa);
    auto *shb = new QSocketIoRedisShardedAdapter(&sb);
    for (QSocketIoRedisShardedAdapter *s : {sha, shb}) {
        s->setUrl(u"redis://127.0.0.1:%1"_s.arg(redis.port()));
        QCOMPARE(s->subscriptionMode(), QSocketIoRedisShardedAdapter::SubscriptionMode::Dynamic);
        QCOMPARE(s->channelPrefix(), u"socket.io"_s);
    }
    sha->attach(&sa);
    shb->attach(&sb);
    QVERIFY(sa.listen());
    QVERIFY(sb.listen());
    QTRY_VERIFY_WITH_TIMEOUT(sha->isConnected() && shb->isConnected(), 15000);
    SioTestClient client;
    QVERIFY(!SioTest::connectClient(sb, client).isEmpty());
    const QList<QList<QByteArray>> garbage{
        {"SPUBLISH", "socket.io#/#", "{bad"},
        {"SPUBLISH", "socket.io#/#", "{\"uid\":\"x\",\"type\":999,\"nsp\":\"/\"}"},
        {"SPUBLISH", "socket.io#/#", QByteArray("\xc1", 1)},
        {"SPUBLISH", "socket.io#/#", QByteArray("\xa3" "abc", 4)},   // a MessagePack string, not a map
        {"SPUBLISH", "socket.io#/#", "{\"uid\":\"x\",\"type\":3,\"nsp\":\"/\",\"data\":{\"packet\":7}}"},
    };
    QVERIFY(rawCommands(redis.port(), garbage));
    QTRY_COMPARE_WITH_TIMEOUT(shb->malformedMessages(), qint64(garbage.size()), 10000);
    QVERIFY(sa.emitEvent(u"still"_s, {2}));
    QVERIFY(client.waitForEvent(u"still"_s, nullptr, u"/"_s, 10000));
    auto counted = std::make_shared<int>(0);
    QTRY_VERIFY_WITH_TIMEOUT((sha->serverCount(this, [counted](int n) { *counted = n; }), *counted == 2), 10000);
}

void tst_RedisAdapter::shardedSlotMoves()
{
    // A Redis Cluster of three masters; the slot of the main namespace's channel moves to another master under
    // two running nodes (CLUSTER SETSLOT ... NODE on every master, as a resharding ends): the publisher follows
    // MOVED, the subscriber subscribes again where the slot is now (Redis drops its subscription by itself).
    RedisClusterFixture cluster;
    QString why;
    if (!cluster.isAvailable(&why))
        QSKIP(qPrintable(why));
    QString error;
    QVERIFY2(cluster.start(&error), qPrintable(error));
    QSocketIoServer sa;
    QSocketIoServer sb;
    auto *sha = new QSocketIoRedisShardedAdapter(&sa);
    auto *shb = new QSocketIoRedisShardedAdapter(&sb);
    for (QSocketIoRedisShardedAdapter *s : {sha, shb}) {
        s->setUrl(cluster.url());
        s->setSubscriptionMode(QSocketIoRedisShardedAdapter::SubscriptionMode::Static);
        s->attach(s == sha ? &sa : &sb);
    }
    QVERIFY(sa.listen());
    QVERIFY(sb.listen());
    QTRY_VERIFY_WITH_TIMEOUT(sha->isConnected() && shb->isConnected(), 15000);
    SioTestClient client;
    QVERIFY(!SioTest::connectClient(sb, client).isEmpty());
    QVERIFY(sa.emitEvent(u"before"_s));
    QVERIFY(client.waitForEvent(u"before"_s, nullptr, u"/"_s, 10000));

    const quint16 first = cluster.ports().at(0);
    const QString slot = cluster.cli(first, {u"cluster"_s, u"keyslot"_s, u"socket.io#/#"_s}).trimmed();
    QVERIFY2(!slot.isEmpty() && slot.toInt() >= 0, qPrintable(slot));
    // Who has it, and another master.
    QString ownerId, targetId;
    quint16 ownerPort = 0;
    for (quint16 port : cluster.ports()) {
        const QString id = cluster.cli(port, {u"cluster"_s, u"myid"_s}).trimmed();
        const QString slots = cluster.cli(port, {u"cluster"_s, u"countkeysinslot"_s, slot});
        Q_UNUSED(slots);
        const QString nodes = cluster.cli(port, {u"cluster"_s, u"nodes"_s});
        for (const QString &line : nodes.split(u'\n')) {
            if (!line.contains(u"myself"_s))
                continue;
            for (const QString &range : line.split(u' ').mid(8)) {
                const QStringList ends = range.split(u'-');
                const int from = ends.value(0).toInt();
                const int to = ends.size() > 1 ? ends.value(1).toInt() : from;
                if (slot.toInt() >= from && slot.toInt() <= to) {
                    ownerId = id;
                    ownerPort = port;
                }
            }
        }
        if (ownerId != id && targetId.isEmpty())
            targetId = id;
    }
    if (targetId == ownerId || targetId.isEmpty()) {
        for (quint16 port : cluster.ports()) {
            const QString id = cluster.cli(port, {u"cluster"_s, u"myid"_s}).trimmed();
            if (id != ownerId)
                targetId = id;
        }
    }
    QVERIFY2(!ownerId.isEmpty() && !targetId.isEmpty() && ownerId != targetId, qPrintable(ownerId + u' ' + targetId));
    for (quint16 port : cluster.ports()) {
        const QString answer = cluster.cli(port, {u"cluster"_s, u"setslot"_s, slot, u"node"_s, targetId});
        QVERIFY2(answer.contains(u"OK"_s), qPrintable(answer));
    }
    Q_UNUSED(ownerPort);
    // Until the subscriber is on the new owner (the old one dropped it), broadcasts may not arrive: bounded retries.
    bool arrived = false;
    for (int attempt = 0; attempt < 50 && !arrived; ++attempt) {
        QVERIFY(sa.emitEvent(u"after"_s, {attempt}));
        arrived = client.waitForEvent(u"after"_s, nullptr, u"/"_s, 300);
    }
    QVERIFY2(arrived, "no broadcast crossed after the slot moved");
    QTRY_VERIFY_WITH_TIMEOUT(sha->isConnected() && shb->isConnected(), 10000);
}

void tst_RedisAdapter::shardedTls()
{
    // The sharded adapter over TLS on one Redis (every node connection takes the seed's TLS settings).
    if (!QSslSocket::supportsSsl())
        QSKIP("Qt Network has no TLS backend here");
    RedisFixture redis;
    if (!available(redis))
        QSKIP("redis-server not found");
    QString error;
    QVERIFY2(redis.enableTls(&error), qPrintable(error));
    QVERIFY2(redis.start(&error), qPrintable(error));
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setCaCertificates(QSslCertificate::fromPath(redis.caFile()));
    QSocketIoServer sa;
    QSocketIoServer sb;
    auto *sha = new QSocketIoRedisShardedAdapter(&sa);
    auto *shb = new QSocketIoRedisShardedAdapter(&sb);
    for (QSocketIoRedisShardedAdapter *s : {sha, shb}) {
        s->setUrl(u"rediss://127.0.0.1:%1"_s.arg(redis.tlsPort()));
        s->setSslConfiguration(ssl);
        s->attach(s == sha ? &sa : &sb);
    }
    QVERIFY(sa.listen());
    QVERIFY(sb.listen());
    QTRY_VERIFY_WITH_TIMEOUT(sha->isConnected() && shb->isConnected(), 15000);
    SioTestClient client;
    QVERIFY(!SioTest::connectClient(sb, client).isEmpty());
    QVERIFY(sa.emitEvent(u"sharded-tls"_s, {3}));
    QVERIFY(client.waitForEvent(u"sharded-tls"_s, nullptr, u"/"_s, 10000));
}

// One command on a connection of the test's own; Redis's raw answer.
static QByteArray rawQuery(quint16 port, const QList<QByteArray> &args, int timeout = 5000)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(timeout))
        return {};
    QByteArray out = '*' + QByteArray::number(args.size()) + "\r\n";
    for (const QByteArray &arg : args)
        out += '$' + QByteArray::number(arg.size()) + "\r\n" + arg + "\r\n";
    socket.write(out);
    QByteArray in;
    QDeadlineTimer deadline(timeout);
    while (!in.endsWith("\r\n") && !deadline.hasExpired()) {
        socket.waitForReadyRead(100);
        in += socket.readAll();
    }
    socket.waitForReadyRead(100);   // the rest of a multi-line answer
    return in + socket.readAll();
}

void tst_RedisAdapter::sentinelFailover()
{
    // A master, its replica and a Sentinel; two nodes connected through the Sentinel. SENTINEL FAILOVER makes the
    // replica the master (Sentinel closes the clients of the old one): the nodes ask the Sentinel again, and
    // both subscribe on the new master.
    RedisFixture master;
    if (!available(master))
        QSKIP("redis-server not found");
    QString error;
    QVERIFY2(master.start(&error), qPrintable(error));
    RedisFixture replica;
    replica.setExtraArguments({u"--replicaof"_s, u"127.0.0.1"_s, QString::number(master.port())});
    QVERIFY2(replica.start(&error), qPrintable(error));
    QVERIFY2(master.startSentinel(u"fo"_s, &error), qPrintable(error));
    QVERIFY(twoNodes([&](QSocketIoRedisAdapter *adapter) {
        adapter->setUrl(u"redis+sentinel://127.0.0.1:%1/fo"_s.arg(master.sentinelPort()));
    }, 20000));
    QVERIFY(rawQuery(master.port(), {"PUBSUB", "NUMSUB", "socket.io-request#/#"}).contains(":2\r\n"));
    // The Sentinel learns of the replica from the master's INFO: retried until it accepts the failover.
    QByteArray answer;
    for (int attempt = 0; attempt < 150 && !answer.startsWith("+OK"); ++attempt) {
        answer = rawQuery(master.sentinelPort(), {"SENTINEL", "FAILOVER", "fo"});
        if (!answer.startsWith("+OK"))
            QTest::qWait(100);
    }
    QVERIFY2(answer.startsWith("+OK"), answer.constData());
    QTRY_VERIFY_WITH_TIMEOUT(rawQuery(replica.port(), {"ROLE"}).contains("master"), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(rawQuery(replica.port(), {"PUBSUB", "NUMSUB", "socket.io-request#/#"}).contains(":2\r\n"),
                             30000);
    QTRY_VERIFY_WITH_TIMEOUT(ra->isConnected() && rb->isConnected(), 10000);
    QVERIFY(a->emitEvent(u"after-failover"_s, {1}));
    QVERIFY(b1->waitForEvent(u"after-failover"_s, nullptr, u"/"_s, 10000));
    tearDown();
}

QTEST_GUILESS_MAIN(tst_RedisAdapter)
#include "tst_redisadapter.moc"
