// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// What only QSocketIoPostgresAdapter has, through the public C++ API: two servers in this process, each with its
// own adapter, on a real PostgreSQL server of the test's own (tests/shared/postgresfixture.h): the defaults,
// serverCount() from the heartbeats, a payload over the NOTIFY limit (through the attachment table), a node
// leaving during requests, and PostgreSQL restarted under the running servers. The cluster-wide operations
// (broadcasts, binary included, emitWithAck, fetchRemoteSockets, serverSideEmit with and without ack, ...) run
// on every backend, PostgreSQL included, in tst_clusteradaptersuite.

#include <QtSocketIo/qsocketioack.h>
#include <QtSocketIo/qsocketiopostgresadapter.h>
#include <QtSocketIo/qsocketioserver.h>

#include "postgresfixture.h"
#include "sioclient.h"
#include "twonodes.h"

#include <QtTest/qsignalspy.h>
#include <QtTest/qtest.h>

using namespace Qt::StringLiterals;

class tst_PostgresAdapter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();
    void serverCount();
    void overNotifyLimit();
    void nodeLeavesDuringRequests();
    void restart();
    void outageQueue_data();
    void outageQueue();

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
    QVERIFY(SioTest::connectTwoNodes(*a, *b, *a1, *a2, *b1, &a1Id, &a2Id, &b1Id));
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

void tst_PostgresAdapter::overNotifyLimit()
{
    // Over payloadThreshold (NOTIFY's limit): sent on b to r1, a1 gets it through the attachment table.
    const QString payload(20000, u'q');
    QVERIFY(b->mainNamespace()->to(u"r1"_s).emitEvent(u"news"_s, {payload}));
    QVERIFY(b->emitEvent(u"marker"_s));   // after it, in order: once there, the broadcast did or did not
    const QList<SioTestClient *> clients{a1, a2, b1};
    const QList<bool> received{true, false, true};
    for (int i = 0; i < clients.size(); ++i) {
        QVERIFY(clients[i]->waitForEvent(u"marker"_s, nullptr, u"/"_s, 10000));
        QCOMPARE(clients[i]->countEvents(u"news"_s) > 0, received[i]);
    }
    SioTestClient::Packet packet;
    QVERIFY(a1->waitForEvent(u"news"_s, &packet));
    QCOMPARE(packet.eventArgs().at(0).toVariant(), QVariant(payload));
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

void tst_PostgresAdapter::outageQueue_data()
{
    QTest::addColumn<qint64>("maxBytes");
    QTest::addColumn<bool>("all");
    QTest::newRow("within the bound") << qint64(8 * 1024 * 1024) << true;
    QTest::newRow("past the bound") << qint64(3000) << false;
}

void tst_PostgresAdapter::outageQueue()
{
    // PostgreSQL stopped, 100 broadcasts from b to r1, PostgreSQL started again: a1 gets them exactly once, in
    // order (within the bound), or the beginning of them with the rest counted as dropped (past it).
    QFETCH(qint64, maxBytes);
    QFETCH(bool, all);
    constexpr int Count = 100;
    pb->setMaxQueuedBytes(maxBytes);
    QCOMPARE(pb->maxQueueAge(), 30000);
    QSignalSpy dropped(pb, &QSocketIoPostgresAdapter::publicationsDropped);
    QVERIFY(postgres.stop());
    QTRY_VERIFY_WITH_TIMEOUT(!pb->isConnected(), 10000);
    for (int i = 0; i < Count; ++i)
        QVERIFY(b->mainNamespace()->to(u"r1"_s).emitEvent(u"seq"_s, {i}));
    const int queued = pb->queuedPublications();
    QVERIFY(queued > 0);
    QString error;
    QVERIFY2(postgres.start(&error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(pa->isConnected() && pb->isConnected(), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(pb->queuedPublications(), 0, 15000);
    QVERIFY(b->mainNamespace()->to(u"r1"_s).emitEvent(u"seq"_s, {Count}));
    QVERIFY(a1->waitForPacket([](const SioTestClient::Packet &p) {
        return p.eventName() == u"seq"_s && p.eventArgs().at(0).toInt() == Count;
    }, nullptr, 15000));
    QList<int> seen;   // waitForPacket() took the last one
    for (const SioTestClient::Packet &p : a1->packets()) {
        if (p.eventName() == u"seq"_s)
            seen.append(p.eventArgs().at(0).toInt());
    }
    for (int i = 0; i < seen.size(); ++i)
        QCOMPARE(seen.at(i), i);
    if (all) {
        QCOMPARE(seen.size(), Count);
        QCOMPARE(pb->droppedPublications(), 0);
        QCOMPARE(dropped.count(), 0);
    } else {
        QCOMPARE(seen.size(), queued);
        QVERIFY(queued < Count);
        qint64 total = 0;
        for (const QList<QVariant> &signal : std::as_const(dropped))
            total += signal.at(0).toLongLong();
        QCOMPARE(total, qint64(Count - queued));
        QCOMPARE(pb->droppedPublications(), qint64(Count - queued));
    }
}

QTEST_GUILESS_MAIN(tst_PostgresAdapter)
#include "tst_postgresadapter.moc"
