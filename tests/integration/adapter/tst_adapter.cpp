// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// One adapter suite for every adapter: rooms, broadcasts with to/except, volatile, acks from several clients,
// socketsJoin/Leave, disconnectSockets, fetchSockets and serverSideEmit on one node, with real clients. Each
// test runs once per adapter (initTestCase_data): the default one, the public QSocketIoInMemoryAdapter from a
// factory, and UserAdapter, written against the public headers only.

#include <QtSocketIo/qsocketioack.h>
#include <QtSocketIo/qsocketioinmemoryadapter.h>
#include <QtSocketIo/qsocketioserver.h>

#include "sioclient.h"
#include "useradapter.h"

#include <QtCore/qpointer.h>
#include <QtTest/qsignalspy.h>
#include <QtTest/qtest.h>

using namespace Qt::StringLiterals;

class tst_Adapter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data();
    void init();
    void cleanup();

    void rooms();
    void broadcasts_data();
    void broadcasts();
    void volatileBroadcasts();
    void acksFromSeveralClients();
    void socketsJoinLeave();
    void disconnectSockets();
    void fetchSockets();
    void serverSideEmitOneNode();

private:
    QString joinClient(SioTestClient *client);
    QSocketIoNamespace *nsp() const { return server->mainNamespace(); }

    std::shared_ptr<UserAdapter::Calls> calls;
    QSocketIoServer *server = nullptr;
    QList<SioTestClient *> clients;   // c0, c1, c2
    QStringList ids;
};

void tst_Adapter::initTestCase_data()
{
    QTest::addColumn<QString>("adapter");
    QTest::newRow("default") << u"default"_s;
    QTest::newRow("in-memory") << u"in-memory"_s;
    QTest::newRow("user-written") << u"user"_s;
}

QString tst_Adapter::joinClient(SioTestClient *client)
{
    QSignalSpy spy(server, &QSocketIoServer::newConnection);
    client->open(server->serverPort());
    QString sid;
    if (!client->waitForOpen() || !client->joinNamespace(u"/"_s, {}, &sid))
        return {};
    if (!spy.count() && !spy.wait(5000))
        return {};
    return sid;
}

void tst_Adapter::init()
{
    QFETCH_GLOBAL(QString, adapter);
    calls = std::make_shared<UserAdapter::Calls>();
    server = new QSocketIoServer;
    if (adapter == u"in-memory"_s) {
        server->setAdapterFactory([](QSocketIoNamespace *nsp) { return std::make_unique<QSocketIoInMemoryAdapter>(nsp); });
    } else if (adapter == u"user"_s) {
        const std::shared_ptr<UserAdapter::Calls> counter = calls;
        server->setAdapterFactory([counter](QSocketIoNamespace *nsp) { return std::make_unique<UserAdapter>(nsp, counter); });
    }
    QVERIFY(server->listen(QHostAddress::LocalHost));
    for (int i = 0; i < 3; ++i) {
        auto *client = new SioTestClient;
        clients.append(client);
        const QString id = joinClient(client);
        QVERIFY(!id.isEmpty());
        ids.append(id);
    }
    // c0: r1; c1: r1, r2; c2: none.
    nsp()->socket(ids[0])->join(u"r1"_s);
    nsp()->socket(ids[1])->join(QStringList{u"r1"_s, u"r2"_s});
}

void tst_Adapter::cleanup()
{
    QFETCH_GLOBAL(QString, adapter);
    // The user-written adapter was reached (a check on the suite itself).
    if (adapter == u"user"_s && !QTest::currentTestFailed() && calls->broadcasts + calls->broadcastsWithAck
                                                                     + calls->fetches == 0) {
        const QByteArray function = QTest::currentTestFunction();
        if (function != "rooms" && function != "socketsJoinLeave" && function != "disconnectSockets"
            && function != "serverSideEmitOneNode") {
            QFAIL("UserAdapter was not called");
        }
    }
    qDeleteAll(clients);
    clients.clear();
    ids.clear();
    delete server;
    server = nullptr;
}

void tst_Adapter::rooms()
{
    QSocketIoSocket *s0 = nsp()->socket(ids[0]);
    QSocketIoSocket *s1 = nsp()->socket(ids[1]);
    QSocketIoSocket *s2 = nsp()->socket(ids[2]);
    QCOMPARE(s0->rooms(), (QStringList{ids[0], u"r1"_s}));
    QCOMPARE(s1->rooms(), (QStringList{ids[1], u"r1"_s, u"r2"_s}));
    QCOMPARE(s2->rooms(), QStringList{ids[2]});
    QVERIFY(s1->isInRoom(u"r2"_s));
    s1->leave(u"r2"_s);
    QVERIFY(!s1->isInRoom(u"r2"_s));
    QCOMPARE(s1->rooms(), (QStringList{ids[1], u"r1"_s}));
    s1->join(u"r1"_s);   // already in: no duplicate
    QCOMPARE(s1->rooms(), (QStringList{ids[1], u"r1"_s}));
    QCOMPARE(nsp()->to(u"r1"_s).sockets().size(), 2);
    QCOMPARE(nsp()->to(u"r2"_s).sockets().size(), 0);
    // A socket that goes leaves every room.
    clients[0]->disconnectNamespace();
    QTRY_COMPARE_WITH_TIMEOUT(nsp()->to(u"r1"_s).sockets().size(), 1, 5000);
}

void tst_Adapter::broadcasts_data()
{
    QTest::addColumn<QStringList>("rooms");
    QTest::addColumn<QStringList>("except");
    QTest::addColumn<QList<bool>>("received");   // c0, c1, c2

    QTest::newRow("all") << QStringList() << QStringList() << QList<bool>{true, true, true};
    QTest::newRow("to room") << QStringList{u"r1"_s} << QStringList() << QList<bool>{true, true, false};
    QTest::newRow("to two rooms") << QStringList{u"r2"_s, u"nobody"_s} << QStringList() << QList<bool>{false, true, false};
    QTest::newRow("except room") << QStringList() << QStringList{u"r2"_s} << QList<bool>{true, false, true};
    QTest::newRow("to and except") << QStringList{u"r1"_s} << QStringList{u"r2"_s} << QList<bool>{true, false, false};
}

void tst_Adapter::broadcasts()
{
    QFETCH(QStringList, rooms);
    QFETCH(QStringList, except);
    QFETCH(QList<bool>, received);

    QSocketIoBroadcast op = nsp()->all();
    if (!rooms.isEmpty())
        op = op.to(rooms);
    if (!except.isEmpty())
        op = op.except(except);
    QVERIFY(op.emitEvent(u"news"_s, {42, QByteArray("\x01\x02", 2)}));
    // A marker to everyone afterwards: once it arrived, the broadcast did or did not.
    QVERIFY(server->emitEvent(u"marker"_s));
    for (int i = 0; i < clients.size(); ++i) {
        QVERIFY(clients[i]->waitForEvent(u"marker"_s));
        QCOMPARE(clients[i]->countEvents(u"news"_s) > 0, received[i]);
        SioTestClient::Packet packet;
        if (received[i]) {
            QVERIFY(clients[i]->waitForEvent(u"news"_s, &packet));
            QCOMPARE(packet.eventArgs().at(0).toInt(), 42);
            QCOMPARE(packet.attachments.value(0), QByteArray("\x01\x02", 2));
        }
    }
}

void tst_Adapter::volatileBroadcasts()
{
    // Every client reads its socket, so each connection is writable and gets the volatile packets.
    QVERIFY(nsp()->to(u"r1"_s).asVolatile().emitEvent(u"tick"_s, {1}));
    QVERIFY(clients[0]->waitForEvent(u"tick"_s));
    QVERIFY(clients[1]->waitForEvent(u"tick"_s));
    QSocketIoAck *ack = nsp()->asVolatile().timeout(3000).emitWithAck(u"poll"_s);
    QSignalSpy finished(ack, &QSocketIoAck::finished);
    int expected = 0;   // read when it finishes: the reply deletes itself afterwards
    connect(ack, &QSocketIoAck::finished, this, [&] { expected = ack->expectedCount(); });
    for (SioTestClient *client : std::as_const(clients)) {
        SioTestClient::Packet packet;
        QVERIFY(client->waitForEvent(u"poll"_s, &packet));
        client->sendAck(packet.id, {true});
    }
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QCOMPARE(expected, 3);
    QCOMPARE(clients[2]->countEvents(u"tick"_s), 0);
}

void tst_Adapter::acksFromSeveralClients()
{
    QSocketIoAck *ack = nsp()->to(u"r1"_s).timeout(3000).emitWithAck(u"question"_s, {1});
    QSignalSpy finished(ack, &QSocketIoAck::finished);
    QSignalSpy timedOut(ack, &QSocketIoAck::timedOut);
    int expected = 0;   // read when it finishes: the reply deletes itself afterwards
    QList<QVariantList> responses;
    connect(ack, &QSocketIoAck::finished, this, [&] {
        expected = ack->expectedCount();
        responses = ack->responses();
    });
    for (int i = 0; i < 2; ++i) {
        SioTestClient::Packet packet;
        QVERIFY(clients[i]->waitForEvent(u"question"_s, &packet));
        QVERIFY(packet.id >= 0);
        clients[i]->sendAck(packet.id, {u"answer %1"_s.arg(i)});
    }
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QCOMPARE(timedOut.count(), 0);
    QCOMPARE(expected, 2);
    QStringList answers;
    for (const QVariantList &response : std::as_const(responses))
        answers.append(response.value(0).toString());
    answers.sort();
    QCOMPARE(answers, (QStringList{u"answer 0"_s, u"answer 1"_s}));
    QCOMPARE(clients[2]->countEvents(u"question"_s), 0);

    // One client does not answer: the reply times out with the answers that did arrive.
    QSocketIoAck *partial = nsp()->all().timeout(300).emitWithAck(u"again"_s);
    QSignalSpy partialTimedOut(partial, &QSocketIoAck::timedOut);
    QList<QVariantList> partialResponses;
    connect(partial, &QSocketIoAck::timedOut, this, [&] { partialResponses = partial->responses(); });
    SioTestClient::Packet packet;
    QVERIFY(clients[0]->waitForEvent(u"again"_s, &packet));
    clients[0]->sendAck(packet.id, {u"only"_s});
    QTRY_COMPARE_WITH_TIMEOUT(partialTimedOut.count(), 1, 5000);
    QCOMPARE(partialResponses, QList<QVariantList>{QVariantList{u"only"_s}});
}

void tst_Adapter::socketsJoinLeave()
{
    nsp()->in(ids[2]).socketsJoin({u"r3"_s});
    QVERIFY(nsp()->socket(ids[2])->isInRoom(u"r3"_s));
    nsp()->in(u"r1"_s).socketsJoin({u"r3"_s, u"r4"_s});
    QCOMPARE(nsp()->to(u"r3"_s).sockets().size(), 3);
    QCOMPARE(nsp()->to(u"r4"_s).sockets().size(), 2);
    nsp()->in(u"r2"_s).socketsLeave({u"r3"_s});
    QVERIFY(!nsp()->socket(ids[1])->isInRoom(u"r3"_s));
    QVERIFY(nsp()->socket(ids[0])->isInRoom(u"r3"_s));
    nsp()->except(u"r1"_s).socketsLeave({u"r3"_s});
    QCOMPARE(nsp()->to(u"r3"_s).sockets().size(), 1);
    // The rooms a broadcast then reaches follow.
    QVERIFY(nsp()->to(u"r3"_s).emitEvent(u"r3 only"_s));
    QVERIFY(clients[0]->waitForEvent(u"r3 only"_s));
    QVERIFY(server->emitEvent(u"marker"_s));
    QVERIFY(clients[1]->waitForEvent(u"marker"_s));
    QCOMPARE(clients[1]->countEvents(u"r3 only"_s), 0);
}

void tst_Adapter::disconnectSockets()
{
    QPointer<QSocketIoSocket> s1 = nsp()->socket(ids[1]);
    QSignalSpy gone(s1.data(), &QSocketIoSocket::disconnected);
    nsp()->in(u"r2"_s).disconnectSockets();
    QVERIFY(clients[1]->waitForType(1));   // the client got DISCONNECT
    QTRY_COMPARE_WITH_TIMEOUT(gone.count(), 1, 5000);
    QVERIFY(nsp()->socket(ids[0]));
    QVERIFY(nsp()->socket(ids[2]));
    QVERIFY(!nsp()->socket(ids[1]));
    // With close, the whole connection goes.
    nsp()->in(ids[2]).disconnectSockets(true);
    QVERIFY(clients[2]->waitForClosed());
    QTRY_VERIFY_WITH_TIMEOUT(!nsp()->socket(ids[2]), 5000);
    QVERIFY(nsp()->socket(ids[0]));
}

void tst_Adapter::fetchSockets()
{
    nsp()->socket(ids[0])->setDataValue(u"name"_s, u"alice"_s);
    QList<QSocketIoRemoteSocket> result;
    QString error = u"not called"_s;
    bool called = false;
    nsp()->to(u"r1"_s).fetchRemoteSockets(this, [&](const QList<QSocketIoRemoteSocket> &sockets, const QString &e) {
        result = sockets;
        error = e;
        called = true;
    });
    QVERIFY(!called);   // later, never inside the call
    QTRY_VERIFY_WITH_TIMEOUT(called, 5000);
    QVERIFY(error.isEmpty());
    QStringList fetched;
    for (const QSocketIoRemoteSocket &socket : std::as_const(result)) {
        fetched.append(socket.id());
        QVERIFY(socket.isLocal());
        QVERIFY(socket.rooms().contains(u"r1"_s));
        QCOMPARE(socket.handshake().value(u"auth"_s).toMap(), QVariantMap());
        if (socket.id() == ids[0])
            QCOMPARE(socket.data().toMap().value(u"name"_s).toString(), u"alice"_s);
    }
    fetched.sort();
    QStringList expected{ids[0], ids[1]};
    expected.sort();
    QCOMPARE(fetched, expected);
}

void tst_Adapter::serverSideEmitOneNode()
{
    QSignalSpy received(nsp(), &QSocketIoNamespace::serverSideEventReceived);
    QVERIFY(server->serverSideEmit(u"hello"_s, {1}));
    QVERIFY(!server->serverSideEmit(u"connect"_s));   // reserved
    QSocketIoAck *ack = server->serverSideEmitWithAck(u"ping"_s);
    QSignalSpy finished(ack, &QSocketIoAck::finished);
    QList<QVariantList> responses{QVariantList{u"not finished"_s}};
    connect(ack, &QSocketIoAck::finished, this, [&] { responses = ack->responses(); });
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QVERIFY(responses.isEmpty());   // no other node to answer
    QCOMPARE(received.count(), 0);         // not to itself
}

QTEST_MAIN(tst_Adapter)

#include "tst_adapter.moc"
