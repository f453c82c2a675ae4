// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The cluster-wide operations of the public API (broadcasts, fetchRemoteSockets, socketsJoin/Leave,
// disconnectSockets, serverSideEmit with and without ack, emitWithAck across nodes) over two servers in one
// process. Their adapters derive from the public QSocketIoClusterAdapter, like the Redis adapter, and
// pass the base's requests and responses over an in-process bus, always asynchronously, echoing each
// message to its sender too (as Redis pub/sub does).

#include <QtSocketIo/qsocketioack.h>
#include <QtSocketIo/qsocketioconnectionstaterecovery.h>
#include <QtSocketIo/qsocketioserver.h>

#include <QtSocketIo/qsocketioclusteradapter.h>
#include "sioclient.h"
#include "siojoin.h"

#include <QtCore/qelapsedtimer.h>
#include <QtCore/qpointer.h>
#include <QtTest/qsignalspy.h>
#include <QtTest/qtest.h>

using namespace Qt::StringLiterals;

class LoopbackAdapter;

// Every adapter of the bus hears every message (its own included), on a later event-loop pass.
class LoopbackBus : public QObject
{
public:
    QList<LoopbackAdapter *> adapters;
    LoopbackAdapter *mutedNode = nullptr;   // hears but never answers (for the timeouts)
    void post(const std::function<void(LoopbackAdapter *)> &deliver);
};

class LoopbackAdapter : public QSocketIoClusterAdapter
{
public:
    LoopbackAdapter(QSocketIoNamespace *nsp, LoopbackBus *bus) : QSocketIoClusterAdapter(nsp), m_bus(bus)
    {
        m_bus->adapters.append(this);
    }
    ~LoopbackAdapter() override { m_bus->adapters.removeAll(this); }

protected:
    void publishBroadcast(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options) override
    {
        const QString from = uid();
        m_bus->post([from, packet, options](LoopbackAdapter *to) { to->handleBroadcast(from, packet, options); });
    }
    void publishRequest(const Request &request) override
    {
        m_bus->post([request](LoopbackAdapter *to) { to->handleRequest(request); });
    }
    void publishResponse(const Request &, const Response &response) override
    {
        if (m_bus->mutedNode == this)
            return;
        m_bus->post([response](LoopbackAdapter *to) { to->handleResponse(response); });
    }
    void serverCount(const std::function<void(int)> &done) const override { done(int(m_bus->adapters.size())); }

private:
    LoopbackBus *m_bus;
};

void LoopbackBus::post(const std::function<void(LoopbackAdapter *)> &deliver)
{
    for (LoopbackAdapter *adapter : std::as_const(adapters)) {
        QMetaObject::invokeMethod(this, [this, adapter, deliver] {
            if (adapters.contains(adapter))
                deliver(adapter);
        }, Qt::QueuedConnection);
    }
}

class tst_ClusterAdapter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void broadcasts_data();
    void broadcasts();
    void fetchRemoteSockets();
    void fetchRemoteSocketsTimeout();
    void socketsJoinLeaveDisconnect();
    void serverSideEmit();
    void serverSideEmitWithAck();
    void serverSideEmitWithAckTimeout();
    void broadcastWithAck();
    void broadcastWithAckTimeout();
    void broadcastWithAckNoTimeout();
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
    a1Id = SioTest::connectClient(*a, *a1);
    a2Id = SioTest::connectClient(*a, *a2);
    b1Id = SioTest::connectClient(*b, *b1);
    QVERIFY(!a1Id.isEmpty() && !a2Id.isEmpty() && !b1Id.isEmpty());
    a->mainNamespace()->socket(a1Id)->join(u"r1"_s);
    b->mainNamespace()->socket(b1Id)->join(u"r1"_s);
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

void tst_ClusterAdapter::broadcasts_data()
{
    QTest::addColumn<QStringList>("rooms");
    QTest::addColumn<QStringList>("except");
    QTest::addColumn<bool>("local");
    QTest::addColumn<QList<bool>>("received");   // a1, a2, b1

    QTest::newRow("all") << QStringList() << QStringList() << false << QList<bool>{true, true, true};
    QTest::newRow("room") << QStringList{u"r1"_s} << QStringList() << false << QList<bool>{true, false, true};
    QTest::newRow("except room") << QStringList() << QStringList{u"r1"_s} << false << QList<bool>{false, true, false};
    QTest::newRow("two rooms") << QStringList{u"r1"_s, u"nobody"_s} << QStringList() << false
                               << QList<bool>{true, false, true};
    QTest::newRow("local") << QStringList() << QStringList() << true << QList<bool>{false, false, true};
}

void tst_ClusterAdapter::broadcasts()
{
    QFETCH(QStringList, rooms);
    QFETCH(QStringList, except);
    QFETCH(bool, local);
    QFETCH(QList<bool>, received);

    // Sent on b; a's clients get it through the bus.
    QSocketIoBroadcast op = b->mainNamespace()->all();
    if (!rooms.isEmpty())
        op = op.to(rooms);
    if (!except.isEmpty())
        op = op.except(except);
    if (local)
        op = op.local();
    QVERIFY(op.emitEvent(u"news"_s, {42, QByteArray("\x01\x02", 2)}));
    // A marker to everyone afterwards: once it arrived, the broadcast did or did not.
    QVERIFY(b->emitEvent(u"marker"_s));
    const QList<SioTestClient *> clients{a1, a2, b1};
    for (int i = 0; i < clients.size(); ++i) {
        QVERIFY(clients[i]->waitForEvent(u"marker"_s, nullptr, u"/"_s, 5000) || local);
        QCOMPARE(clients[i]->countEvents(u"news"_s) > 0, received[i]);
    }
    SioTestClient::Packet packet;
    if (received[0]) {
        QVERIFY(a1->waitForEvent(u"news"_s, &packet));
        QCOMPARE(packet.eventArgs().at(0).toInt(), 42);
        QCOMPARE(packet.attachments.value(0), QByteArray("\x01\x02", 2));
    }
}

void tst_ClusterAdapter::fetchRemoteSockets()
{
    a->mainNamespace()->socket(a1Id)->setDataValue(u"name"_s, u"alice"_s);
    QList<QSocketIoRemoteSocket> result;
    QString error = u"not called"_s;
    b->mainNamespace()->to(u"r1"_s).fetchRemoteSockets(this, [&](const QList<QSocketIoRemoteSocket> &sockets,
                                                                 const QString &e) {
        result = sockets;
        error = e;
    });
    QTRY_VERIFY_WITH_TIMEOUT(error != u"not called"_s, 5000);
    QCOMPARE(error, QString());
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

void tst_ClusterAdapter::socketsJoinLeaveDisconnect()
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

void tst_ClusterAdapter::serverSideEmit()
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

void tst_ClusterAdapter::serverSideEmitWithAck()
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
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QCOMPARE(timedOut.count(), 0);
    QCOMPARE(responses, QList<QVariantList>{QVariantList{u"ping-7"_s}});
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

void tst_ClusterAdapter::broadcastWithAck()
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

void tst_ClusterAdapter::broadcastWithAckNoTimeout()
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

void tst_ClusterAdapter::broadcastWithAckTimeout()
{
    // a1 never answers: the reply times out with b1's answer.
    QSocketIoAck *ack = b->mainNamespace()->timeout(400).emitWithAck(u"question"_s);
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
