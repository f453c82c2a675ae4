// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// What only the in-process bus can show, over two servers in one process whose adapters derive from the public
// QSocketIoClusterAdapter (tests/shared/loopbackclusteradapter.h): a node that hears but never answers (the
// requests' timeouts), a server without a factory, switching adapters, and no recovery with a cluster adapter.
// The cluster-wide operations themselves (broadcasts, emitWithAck, socketsJoin/Leave, disconnectSockets,
// fetchRemoteSockets, serverSideEmit with and without ack) run on every backend, this bus included, in
// tests/cluster/tst_clusteradaptersuite.cpp.

#include <QtSocketIo/qsocketioack.h>
#include <QtSocketIo/qsocketioconnectionstaterecovery.h>
#include <QtSocketIo/qsocketioserver.h>

#include "loopbackclusteradapter.h"
#include "sioclient.h"
#include "twonodes.h"

#include <QtCore/qelapsedtimer.h>
#include <QtTest/qsignalspy.h>
#include <QtTest/qtest.h>

using namespace Qt::StringLiterals;

class tst_ClusterAdapter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void fetchRemoteSocketsTimeout();
    void serverSideEmitWithAckTimeout();
    void broadcastWithAckNoTimeoutMutedNode();
    void singleNode();
    void noRecoveryWithClusterAdapter_data();
    void noRecoveryWithClusterAdapter();

private:
    // Server a with clients a1 (in room r1) and a2; server b with client b1 (in r1).
    LoopbackBus *bus = nullptr;
    QSocketIoServer *a = nullptr;
    QSocketIoServer *b = nullptr;
    SioTestClient *a1 = nullptr;
    SioTestClient *a2 = nullptr;
    SioTestClient *b1 = nullptr;
    QString a1Id, a2Id, b1Id;
};

void tst_ClusterAdapter::init()
{
    bus = new LoopbackBus;
    a = new QSocketIoServer;
    b = new QSocketIoServer;
    for (QSocketIoServer *server : {a, b}) {
        server->setAdapterFactory([this](QSocketIoNamespace *nsp) { return std::make_unique<LoopbackAdapter>(nsp, bus); });
        QVERIFY(server->listen());
    }
    a1 = new SioTestClient;
    a2 = new SioTestClient;
    b1 = new SioTestClient;
    QVERIFY(SioTest::connectTwoNodes(*a, *b, *a1, *a2, *b1, &a1Id, &a2Id, &b1Id));
}

void tst_ClusterAdapter::cleanup()
{
    delete a1;
    delete a2;
    delete b1;
    delete a;
    delete b;
    QCOMPARE(bus->adapters.size(), 0);   // every adapter went with its namespace
    delete bus;
}

void tst_ClusterAdapter::fetchRemoteSocketsTimeout()
{
    // a's main namespace hears but does not answer; b waits requestsTimeout, then delivers what it has.
    for (LoopbackAdapter *node : std::as_const(bus->adapters)) {
        node->setRequestsTimeout(300);
        if (node->nsp()->server() == a && node->nsp()->name() == u"/"_s)
            bus->mutedNode = node;
    }
    QList<QSocketIoRemoteSocket> result;
    QString error;
    bool called = false;
    b->fetchRemoteSockets(this, [&](const QList<QSocketIoRemoteSocket> &sockets, const QString &e) {
        called = true;
        result = sockets;
        error = e;
    });
    QTRY_VERIFY_WITH_TIMEOUT(called, 5000);
    QCOMPARE(error, u"timeout reached while waiting for fetchSockets response"_s);
    QCOMPARE(result.size(), 1);   // b's own
}

void tst_ClusterAdapter::serverSideEmitWithAckTimeout()
{
    for (LoopbackAdapter *node : std::as_const(bus->adapters))
        node->setRequestsTimeout(300);
    // Nobody on a answers.
    QSocketIoAck *ack = b->serverSideEmitWithAck(u"ping"_s);
    QSignalSpy timedOut(ack, &QSocketIoAck::timedOut);
    QString error;
    connect(ack, &QSocketIoAck::timedOut, this, [&] { error = ack->errorString(); });
    QTRY_COMPARE_WITH_TIMEOUT(timedOut.count(), 1, 5000);
    QCOMPARE(error, u"timeout reached: only 0 responses received out of 1"_s);
}

void tst_ClusterAdapter::broadcastWithAckNoTimeoutMutedNode()
{
    // No timeout(), and node a never answers: the other nodes are waited for requestsTimeout, no longer.
    for (LoopbackAdapter *node : std::as_const(bus->adapters)) {
        node->setRequestsTimeout(300);
        if (node->nsp()->server() == a && node->nsp()->name() == u"/"_s)
            bus->mutedNode = node;
    }
    QElapsedTimer elapsed;
    elapsed.start();
    QSocketIoAck *ack = b->emitWithAck(u"question"_s);
    QSignalSpy timedOut(ack, &QSocketIoAck::timedOut);
    QList<QVariantList> responses;
    connect(ack, &QSocketIoAck::timedOut, this, [&] { responses = ack->responses(); });
    SioTestClient::Packet packet;
    QVERIFY(b1->waitForEvent(u"question"_s, &packet));
    b1->sendAck(packet.id, {u"b1"_s});
    QVERIFY(a1->waitForEvent(u"question"_s, &packet));
    a1->sendAck(packet.id, {u"a1"_s});
    QTRY_COMPARE_WITH_TIMEOUT(timedOut.count(), 1, 5000);
    QVERIFY2(elapsed.elapsed() >= 250, qPrintable(QString::number(elapsed.elapsed())));
    QCOMPARE(responses, QList<QVariantList>{QVariantList{u"b1"_s}});
}

void tst_ClusterAdapter::singleNode()
{
    // Without a factory: one node. serverSideEmitWithAck() finishes with no responses; fetchRemoteSockets()
    // gives the local sockets.
    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient client;
    const QString id = SioTest::connectClient(server, client);
    QVERIFY(!id.isEmpty());
    QSocketIoAck *ack = server.serverSideEmitWithAck(u"x"_s);
    QSignalSpy finished(ack, &QSocketIoAck::finished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    bool called = false;
    server.fetchRemoteSockets(this, [&](const QList<QSocketIoRemoteSocket> &sockets, const QString &error) {
        called = true;
        QCOMPARE(error, QString());
        QCOMPARE(sockets.size(), 1);
        QCOMPARE(sockets.first().id(), id);
        QVERIFY(sockets.first().isLocal());
    });
    QTRY_VERIFY_WITH_TIMEOUT(called, 5000);
    // Switching to a cluster adapter keeps the rooms of the connected sockets.
    LoopbackBus single;
    server.mainNamespace()->socket(id)->join(u"kept"_s);
    server.setAdapterFactory([&single](QSocketIoNamespace *nsp) { return std::make_unique<LoopbackAdapter>(nsp, &single); });
    QVERIFY(server.mainNamespace()->socket(id)->rooms().contains(u"kept"_s));
    QVERIFY(server.to(u"kept"_s).emitEvent(u"still"_s));
    QVERIFY(client.waitForEvent(u"still"_s));
    server.setAdapterFactory({});
    QCOMPARE(single.adapters.size(), 0);
}

void tst_ClusterAdapter::noRecoveryWithClusterAdapter_data()
{
    QTest::addColumn<bool>("recoveryFirst");
    QTest::addRow("recovery enabled, then the adapter") << true;
    QTest::addRow("adapter, then recovery enabled") << false;
}

// Other nodes' packets are not kept, so a cluster adapter offers no recovery (no pid): a recovery that could miss
// packets would break its promise. Switching back to the in-memory adapter brings it back.
void tst_ClusterAdapter::noRecoveryWithClusterAdapter()
{
    QFETCH(bool, recoveryFirst);
    QSocketIoServer server;
    QSocketIoConnectionStateRecovery recovery;
    recovery.setEnabled(true);
    const auto factory = [this](QSocketIoNamespace *nsp) { return std::make_unique<LoopbackAdapter>(nsp, bus); };
    if (recoveryFirst) {
        server.setConnectionStateRecovery(recovery);
        server.setAdapterFactory(factory);
    } else {
        server.setAdapterFactory(factory);
        server.setConnectionStateRecovery(recovery);
    }
    QVERIFY(server.listen());
    SioTestClient client;
    client.open(server.serverPort());
    QVERIFY(client.waitForOpen());
    SioTestClient::Packet reply;
    QVERIFY(client.joinNamespace(u"/"_s, {}, nullptr, &reply));
    QVERIFY(reply.data.toObject().contains(u"sid"_s));
    QVERIFY(!reply.data.toObject().contains(u"pid"_s));

    server.setAdapterFactory(nullptr);   // in memory again: recovery is offered to the next socket
    SioTestClient second;
    second.open(server.serverPort());
    QVERIFY(second.waitForOpen());
    QVERIFY(second.joinNamespace(u"/"_s, {}, nullptr, &reply));
    QVERIFY(reply.data.toObject().contains(u"pid"_s));
}

QTEST_MAIN(tst_ClusterAdapter)

#include "tst_clusteradapter.moc"
