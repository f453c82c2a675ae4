// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The Socket.IO server's limits against hostile or runaway clients, over loopback with a raw client:
// maxNamespacesPerConnection, maxPendingAcksPerSocket and maxAttachments (issue 7, hardening), and the incoming
// event rate limit eventRateLimit / eventRateBurst (issue 20).

#include <QtSocketIo/qsocketioack.h>
#include <QtSocketIo/qsocketiobroadcast.h>
#include <QtSocketIo/qsocketionamespace.h>
#include <QtSocketIo/qsocketionext.h>
#include <QtSocketIo/qsocketioserver.h>
#include <QtSocketIo/qsocketiosocket.h>

#include "rawhttpclient.h"
#include "siojoin.h"

#include <QtCore/qjsonarray.h>
#include <QtCore/qjsondocument.h>
#include <QtCore/qjsonobject.h>
#include <QtCore/qmetaobject.h>
#include <QtCore/qpointer.h>
#include <QtCore/qregularexpression.h>
#include <QtCore/qtimer.h>
#include <QtTest/qsignalspy.h>
#include <QtTest/qtest.h>

using namespace Qt::StringLiterals;
using Reason = QSocketIoSocket::DisconnectReason;
using Packet = SioTestClient::Packet;
using SioTest::join;

namespace {

QString placeholders(int count)
{
    QString out;
    for (int i = 0; i < count; ++i)
        out += u",{\"_placeholder\":true,\"num\":%1}"_s.arg(i);
    return out;
}

const QRegularExpression ackLimitWarning(u"refused: \\d+ acknowledgements are pending already"_s);

} // namespace

class tst_SocketIoLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void defaults();
    void properties_data();
    void properties();

    // maxNamespacesPerConnection
    void namespaceLimit_data();
    void namespaceLimit();
    void namespaceLimitFreedByLeaving();
    void namespaceLimitCountsJoining();
    void namespaceLimitPerConnection();

    // maxPendingAcksPerSocket
    void pendingAckLimit();
    void pendingAckLimitFreedByAnswers();
    void pendingAckLimitCallbackOverload();
    void pendingAckLimitBroadcast();
    void pendingAckLimitOff();

    // maxAttachments
    void attachments_data();
    void attachments();
    void attachmentLimitAppliesToNewConnections();
    void attachmentLimitOverPolling();

    // eventRateLimit / eventRateBurst. No timing is asserted: each row sends far more than the burst at once.
    void eventRateLimit_data();
    void eventRateLimit();

    // Regression (found by the soak tools): a connection closed as a slow consumer in the middle of a binary
    // packet's attachments deleted the client while QSocketIoClient::send() still iterated them.
    void slowConsumerInsideBinaryPacket_data();
    void slowConsumerInsideBinaryPacket();
};

void tst_SocketIoLimits::init()
{
    // The limits warn only where the test expects it (QTest::ignoreMessage).
    QTest::failOnWarning(QRegularExpression(u".*"_s));
}

void tst_SocketIoLimits::defaults()
{
    QSocketIoServer server;
    QCOMPARE(server.maxNamespacesPerConnection(), 0);
    QCOMPARE(server.maxPendingAcksPerSocket(), 0);
    QCOMPARE(server.maxAttachments(), 10);
    QCOMPARE(server.eventRateLimit(), 0);
    QCOMPARE(server.eventRateBurst(), 0);
}

void tst_SocketIoLimits::properties_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<int>("initial");
    QTest::addRow("maxNamespacesPerConnection") << "maxNamespacesPerConnection"_ba << 0;
    QTest::addRow("maxPendingAcksPerSocket") << "maxPendingAcksPerSocket"_ba << 0;
    QTest::addRow("maxAttachments") << "maxAttachments"_ba << 10;
    QTest::addRow("eventRateLimit") << "eventRateLimit"_ba << 0;
    QTest::addRow("eventRateBurst") << "eventRateBurst"_ba << 0;
}

// Through the meta-object, as QML sees them: writable, with a NOTIFY signal that fires on real changes only.
void tst_SocketIoLimits::properties()
{
    QFETCH(QByteArray, name);
    QFETCH(int, initial);

    QSocketIoServer server;
    const QMetaObject *mo = server.metaObject();
    const QMetaProperty property = mo->property(mo->indexOfProperty(name.constData()));
    QVERIFY(property.isValid());
    QVERIFY(property.isWritable());
    QVERIFY(property.hasNotifySignal());
    QCOMPARE(property.read(&server).toInt(), initial);

    QSignalSpy changed(&server, property.notifySignal());
    QVERIFY(property.write(&server, 7));
    QCOMPARE(property.read(&server).toInt(), 7);
    QCOMPARE(changed.count(), 1);
    QVERIFY(property.write(&server, 7));
    QCOMPARE(changed.count(), 1);   // no change, no signal
    QVERIFY(property.write(&server, -3));
    QCOMPARE(property.read(&server).toInt(), 0);   // negative counts mean 0
    QCOMPARE(changed.count(), 2);
    QVERIFY(property.write(&server, 0));
    QCOMPARE(changed.count(), 2);
}

// --- maxNamespacesPerConnection ----------------------------------------------------------------------------

void tst_SocketIoLimits::namespaceLimit_data()
{
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("joins");     // namespaces the client asks for: "/", "/n1", "/n2", ...
    QTest::addColumn<int>("accepted");

    QTest::addRow("off: 12 namespaces") << 0 << 12 << 12;
    QTest::addRow("1: only the first") << 1 << 3 << 1;
    QTest::addRow("3: three of five") << 3 << 5 << 3;
    QTest::addRow("3: exactly three") << 3 << 3 << 3;
}

void tst_SocketIoLimits::namespaceLimit()
{
    QFETCH(int, limit);
    QFETCH(int, joins);
    QFETCH(int, accepted);

    QSocketIoServer server;
    server.setMaxNamespacesPerConnection(limit);
    QVERIFY(server.listen());
    QStringList names{u"/"_s};
    for (int i = 1; i < joins; ++i)
        names.append(u"/n%1"_s.arg(i));
    int newConnections = 0;
    for (const QString &name : std::as_const(names))
        connect(server.of(name), &QSocketIoNamespace::newConnection, this, [&] { ++newConnections; });

    SioTestClient client;
    client.open(server.serverPort());
    QVERIFY(client.waitForOpen());
    for (int i = 0; i < joins; ++i) {
        Packet reply;
        const bool joined = client.joinNamespace(names.at(i), {}, nullptr, &reply);
        QCOMPARE(joined, i < accepted);
        if (!joined) {
            QCOMPARE(reply.type, 4);
            QCOMPARE(reply.nsp, names.at(i));
            QCOMPARE(reply.text, u"4"_s + SioTestClient::nspPrefix(names.at(i)) + u"{\"message\":\"Too many namespaces\"}"_s);
        }
    }
    QCOMPARE(newConnections, accepted);
    // A clean refusal: the connection stays, and its namespaces still work.
    QVERIFY(client.isOpen());
    QCOMPARE(server.connectionCount(), 1);
    QSocketIoSocket *socket = server.mainNamespace()->sockets().value(0);
    QVERIFY(socket);
    QSignalSpy events(socket, &QSocketIoSocket::eventReceived);
    client.emitEvent(u"still"_s, {1});
    QTRY_COMPARE(events.count(), 1);
}

void tst_SocketIoLimits::namespaceLimitFreedByLeaving()
{
    QSocketIoServer server;
    server.setMaxNamespacesPerConnection(2);
    QVERIFY(server.listen());
    server.of(u"/a"_s);
    server.of(u"/b"_s);
    SioTestClient client;
    QPointer<QSocketIoSocket> main = join(server, client);
    QPointer<QSocketIoSocket> a = join(server, client, u"/a"_s);
    QVERIFY(main && a);
    Packet reply;
    QVERIFY(!join(server, client, u"/b"_s, {}, &reply));
    QCOMPARE(reply.type, 4);

    // Leaving one namespace makes room for another.
    QSignalSpy aDisconnected(a, &QSocketIoSocket::disconnected);
    client.disconnectNamespace(u"/a"_s);
    QTRY_COMPARE(aDisconnected.count(), 1);
    QVERIFY(join(server, client, u"/b"_s));
    // Refused namespaces leave nothing behind; a server-side disconnect frees a place too.
    QCOMPARE(server.of(u"/a"_s)->sockets().size(), 0);
    main->disconnectSocket();
    QVERIFY(join(server, client, u"/a"_s));
    QVERIFY(client.isOpen());
}

// A namespace whose middleware is still running counts: a client cannot get past the limit by connecting to
// many slow namespaces at once.
void tst_SocketIoLimits::namespaceLimitCountsJoining()
{
    QSocketIoServer server;
    server.setMaxNamespacesPerConnection(1);
    QVERIFY(server.listen());
    server.of(u"/slow"_s)->use([](QSocketIoSocket *socket, const QSocketIoNext &next) {
        QTimer::singleShot(200, socket, [next] { next(); });
    });
    server.of(u"/fast"_s);

    SioTestClient client;
    client.open(server.serverPort());
    QVERIFY(client.waitForOpen());
    client.connectNamespace(u"/slow"_s);
    client.connectNamespace(u"/fast"_s);
    Packet reply;
    QVERIFY(client.waitForType(4, &reply, u"/fast"_s));
    QCOMPARE(reply.data.toObject().value(u"message"_s).toString(), u"Too many namespaces"_s);
    QVERIFY(client.waitForType(0, &reply, u"/slow"_s));
    QCOMPARE(server.of(u"/slow"_s)->sockets().size(), 1);
    QCOMPARE(server.of(u"/fast"_s)->sockets().size(), 0);
}

void tst_SocketIoLimits::namespaceLimitPerConnection()
{
    QSocketIoServer server;
    server.setMaxNamespacesPerConnection(1);
    QVERIFY(server.listen());
    server.of(u"/a"_s);
    SioTestClient first;
    SioTestClient second;
    QVERIFY(join(server, first));
    QVERIFY(join(server, second));
    QVERIFY(!join(server, first, u"/a"_s));
    QVERIFY(!join(server, second, u"/a"_s));
    QCOMPARE(server.mainNamespace()->sockets().size(), 2);

    // Lowering the limit below what a connection holds drops nothing; it refuses new namespaces only.
    server.setMaxNamespacesPerConnection(0);
    QVERIFY(join(server, first, u"/a"_s));
    server.setMaxNamespacesPerConnection(1);
    QCOMPARE(server.of(u"/a"_s)->sockets().size(), 1);
    QVERIFY(first.isOpen());
}

// --- maxPendingAcksPerSocket -------------------------------------------------------------------------------

void tst_SocketIoLimits::pendingAckLimit()
{
    QSocketIoServer server;
    server.setMaxPendingAcksPerSocket(2);
    QVERIFY(server.listen());
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);

    QPointer<QSocketIoAck> first = socket->emitWithAck(u"q"_s, {1});
    QPointer<QSocketIoAck> second = socket->emitWithAck(u"q"_s, {2});
    QSignalSpy firstTimedOut(first, &QSocketIoAck::timedOut);
    QTest::ignoreMessage(QtWarningMsg, ackLimitWarning);
    QPointer<QSocketIoAck> third = socket->emitWithAck(u"q"_s, {3});
    QVERIFY(third);
    QSignalSpy thirdTimedOut(third, &QSocketIoAck::timedOut);
    QSignalSpy thirdFinished(third, &QSocketIoAck::finished);
    // It fails at once (on the next pass of the event loop, so that the caller can connect first).
    QCOMPARE(thirdTimedOut.count(), 0);
    QTRY_COMPARE(thirdTimedOut.count(), 1);
    QCOMPARE(thirdFinished.count(), 0);

    // The client got the first two only.
    Packet packet;
    QVERIFY(client.waitForEvent(u"q"_s, &packet));
    QCOMPARE(packet.id, 0);
    QVERIFY(client.waitForEvent(u"q"_s, &packet));
    QCOMPARE(packet.id, 1);
    QVERIFY(!client.waitForEvent(u"q"_s, &packet, u"/"_s, 200));

    // The socket stays connected, and the refused call did not disturb the pending ones.
    QVERIFY(socket->isConnected());
    QCOMPARE(firstTimedOut.count(), 0);
    QSignalSpy firstFinished(first, &QSocketIoAck::finished);
    client.sendAck(0, {u"one"_s});
    QTRY_COMPARE(firstFinished.count(), 1);
    QCOMPARE(firstFinished.at(0).at(0).toList(), QVariantList{u"one"_s});

    // Disconnecting fails the one still pending, as without a limit.
    QSignalSpy secondTimedOut(second, &QSocketIoAck::timedOut);
    socket->disconnectSocket();
    QTRY_COMPARE(secondTimedOut.count(), 1);
}

// Answered and timed-out acknowledgements leave the count: the limit is on what is pending now.
void tst_SocketIoLimits::pendingAckLimitFreedByAnswers()
{
    QSocketIoServer server;
    server.setMaxPendingAcksPerSocket(1);
    QVERIFY(server.listen());
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);

    Packet packet;
    for (int round = 0; round < 3; ++round) {
        QPointer<QSocketIoAck> ack = socket->emitWithAck(u"q"_s, {round});
        QSignalSpy finished(ack, &QSocketIoAck::finished);
        QVERIFY(client.waitForEvent(u"q"_s, &packet));
        client.sendAck(packet.id, {round});
        QTRY_COMPARE(finished.count(), 1);
        QTRY_VERIFY(!ack);   // the reply deletes itself, and its entry goes with it
    }

    QPointer<QSocketIoAck> slow = socket->emitWithAck(u"q"_s, {}, 100);
    QSignalSpy slowTimedOut(slow, &QSocketIoAck::timedOut);
    QVERIFY(client.waitForEvent(u"q"_s, &packet));
    const qint64 slowId = packet.id;
    QTRY_COMPARE(slowTimedOut.count(), 1);
    QTRY_VERIFY(!slow);
    QPointer<QSocketIoAck> next = socket->emitWithAck(u"q"_s);
    QVERIFY(client.waitForEvent(u"q"_s, &packet));
    QSignalSpy nextFinished(next, &QSocketIoAck::finished);
    // A late answer to the timed-out one is ignored; the pending one still gets its own.
    client.sendAck(slowId, {u"late"_s});
    client.sendAck(packet.id, {u"right"_s});
    QTRY_COMPARE(nextFinished.count(), 1);
    QCOMPARE(nextFinished.at(0).at(0).toList(), QVariantList{u"right"_s});
}

void tst_SocketIoLimits::pendingAckLimitCallbackOverload()
{
    QSocketIoServer server;
    server.setMaxPendingAcksPerSocket(1);
    QVERIFY(server.listen());
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);

    socket->emitWithAck(u"q"_s);
    QList<bool> results;
    QTest::ignoreMessage(QtWarningMsg, ackLimitWarning);
    socket->emitWithAck(u"q"_s, {}, 5000, this, [&](bool timedOut, const QVariantList &) { results.append(timedOut); });
    QTRY_COMPARE(results, QList<bool>{true});
}

// A broadcast with an acknowledgement skips the sockets at their limit and waits for the others only.
void tst_SocketIoLimits::pendingAckLimitBroadcast()
{
    QSocketIoServer server;
    server.setMaxPendingAcksPerSocket(1);
    QVERIFY(server.listen());
    SioTestClient busyClient;
    SioTestClient freeClient;
    QPointer<QSocketIoSocket> busy = join(server, busyClient);
    QPointer<QSocketIoSocket> idle = join(server, freeClient);
    QVERIFY(busy && idle);
    busy->emitWithAck(u"pending"_s);
    QVERIFY(busyClient.waitForEvent(u"pending"_s));

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"skipped 1 socket"_s));
    QPointer<QSocketIoAck> ack = server.timeout(5000).emitWithAck(u"all"_s);
    QCOMPARE(ack->expectedCount(), 1);
    QSignalSpy finished(ack, &QSocketIoAck::finished);
    QStringList responded;
    connect(ack, &QSocketIoAck::finished, this, [&] { responded = ack->respondedSocketIds(); });
    Packet packet;
    QVERIFY(freeClient.waitForEvent(u"all"_s, &packet));
    QVERIFY(!busyClient.waitForEvent(u"all"_s, nullptr, u"/"_s, 200));
    freeClient.sendAck(packet.id, {u"ok"_s});
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(responded, QStringList{idle->id()});

    // Every recipient at its limit: nothing is sent and the reply finishes with no answers.
    idle->emitWithAck(u"pending"_s);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"skipped 2 socket"_s));
    QPointer<QSocketIoAck> none = server.timeout(5000).emitWithAck(u"all"_s);
    QSignalSpy noneFinished(none, &QSocketIoAck::finished);
    QTRY_COMPARE(noneFinished.count(), 1);
}

void tst_SocketIoLimits::pendingAckLimitOff()
{
    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);
    for (int i = 0; i < 50; ++i)
        socket->emitWithAck(u"q"_s, {i});
    QTRY_COMPARE(client.countEvents(u"q"_s), 50);
}

// --- maxAttachments ----------------------------------------------------------------------------------------

// --- eventRateLimit ----------------------------------------------------------------------------------------

void tst_SocketIoLimits::eventRateLimit_data()
{
    QTest::addColumn<int>("rate");
    QTest::addColumn<int>("burst");
    QTest::addColumn<bool>("acks");       // unknown acknowledgements instead of events
    QTest::addColumn<int>("sent");
    QTest::addColumn<int>("minHandled");  // handled before the close (-1: all, and the connection stays)

    QTest::addRow("off: 300 events kept") << 0 << 0 << false << 300 << -1;
    QTest::addRow("off, burst alone does nothing") << 0 << 5 << false << 300 << -1;
    QTest::addRow("1/s burst 5: 5 events kept") << 1 << 5 << false << 4 << -1;   // + "last"
    QTest::addRow("1/s burst 5: 12 events closed") << 1 << 5 << false << 12 << 5;
    QTest::addRow("1/s burst 5: 40 events closed") << 1 << 5 << false << 40 << 5;
    QTest::addRow("3/s burst 0 (= rate): 40 events closed") << 3 << 0 << false << 40 << 3;
    QTest::addRow("1/s burst 2: 40 acks closed") << 1 << 2 << true << 40 << 0;
}

void tst_SocketIoLimits::eventRateLimit()
{
    QFETCH(int, rate);
    QFETCH(int, burst);
    QFETCH(bool, acks);
    QFETCH(int, sent);
    QFETCH(int, minHandled);

    QSocketIoServer server;
    server.setEventRateLimit(rate);
    server.setEventRateBurst(burst);
    QVERIFY(server.listen());
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);
    QSignalSpy events(socket, &QSocketIoSocket::eventReceived);
    QSignalSpy disconnected(socket, &QSocketIoSocket::disconnected);
    if (minHandled >= 0) {
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(u"event rate limit exceeded \\(%1 per second, burst %2\\)"_s
                                                        .arg(rate).arg(burst > 0 ? burst : rate)));
    }
    for (int i = 0; i < sent; ++i) {
        if (acks)
            client.sendAck(1000 + i, {i});
        else
            client.emitEvent(u"tick"_s, {i});
    }
    if (minHandled < 0) {
        client.emitEvent(u"last"_s);
        QTRY_COMPARE(events.count(), sent + 1);
        QVERIFY(client.isOpen());
        QCOMPARE(disconnected.count(), 0);
        return;
    }
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(disconnected.at(0).at(0).value<Reason>(), Reason::ForcedClose);
    QVERIFY2(disconnected.at(0).at(1).toString().startsWith(u"event rate limit exceeded"_s),
             qPrintable(disconnected.at(0).at(1).toString()));
    QVERIFY(client.waitForClosed());
    QVERIFY(events.count() >= minHandled);
    QVERIFY(events.count() < sent);
    QTRY_COMPARE(server.connectionCount(), 0);
}

void tst_SocketIoLimits::attachments_data()
{
    QTest::addColumn<int>("limit");       // -1: the default
    QTest::addColumn<int>("count");
    QTest::addColumn<bool>("accepted");

    QTest::addRow("default, 1") << -1 << 1 << true;
    QTest::addRow("default, 10") << -1 << 10 << true;
    QTest::addRow("default, 11: parse error") << -1 << 11 << false;
    QTest::addRow("default, 100: parse error") << -1 << 100 << false;
    QTest::addRow("2, 2") << 2 << 2 << true;
    QTest::addRow("2, 3: parse error") << 2 << 3 << false;
    QTest::addRow("0 refuses binary packets") << 0 << 1 << false;
    QTest::addRow("raised to 20, 11") << 20 << 11 << true;
    QTest::addRow("raised to 20, 20") << 20 << 20 << true;
    QTest::addRow("raised to 20, 21: parse error") << 20 << 21 << false;
}

void tst_SocketIoLimits::attachments()
{
    QFETCH(int, limit);
    QFETCH(int, count);
    QFETCH(bool, accepted);

    QSocketIoServer server;
    if (limit >= 0)
        server.setMaxAttachments(limit);
    QVERIFY(server.listen());
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);
    QSignalSpy events(socket, &QSocketIoSocket::eventReceived);
    QSignalSpy disconnected(socket, &QSocketIoSocket::disconnected);

    client.sendPacket(u"5%1-[\"upload\"%2]"_s.arg(count).arg(placeholders(count)));
    if (!accepted) {
        // Refused at the packet's header, before any attachment: the connection closes with "parse error".
        QTRY_COMPARE(disconnected.count(), 1);
        QCOMPARE(disconnected.at(0).at(0).value<Reason>(), Reason::ParseError);
        QCOMPARE(disconnected.at(0).at(1).toString(), u"parse error"_s);
        QVERIFY(client.waitForClosed());
        QCOMPARE(events.count(), 0);
        QTRY_COMPARE(server.connectionCount(), 0);
        return;
    }
    for (int i = 0; i < count; ++i)
        client.sendBinary(QByteArray(1, char(i)));
    QTRY_COMPARE(events.count(), 1);
    const QVariantList args = events.at(0).at(1).toList();
    QCOMPARE(args.size(), count);
    for (int i = 0; i < count; ++i)
        QCOMPARE(args.at(i).toByteArray(), QByteArray(1, char(i)));
    QVERIFY(client.isOpen());
    QCOMPARE(disconnected.count(), 0);
}

void tst_SocketIoLimits::attachmentLimitAppliesToNewConnections()
{
    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient before;
    QPointer<QSocketIoSocket> oldSocket = join(server, before);
    QVERIFY(oldSocket);
    QSignalSpy maxChanged(&server, &QSocketIoServer::maxAttachmentsChanged);
    server.setMaxAttachments(1);
    QCOMPARE(maxChanged.count(), 1);
    SioTestClient after;
    QPointer<QSocketIoSocket> newSocket = join(server, after);
    QVERIFY(newSocket);

    QSignalSpy oldEvents(oldSocket, &QSocketIoSocket::eventReceived);
    before.sendPacket(u"52-[\"up\"%1]"_s.arg(placeholders(2)));
    before.sendBinary("a");
    before.sendBinary("b");
    QTRY_COMPARE(oldEvents.count(), 1);

    QSignalSpy newDisconnected(newSocket, &QSocketIoSocket::disconnected);
    after.sendPacket(u"52-[\"up\"%1]"_s.arg(placeholders(2)));
    QTRY_COMPARE(newDisconnected.count(), 1);
    QCOMPARE(newDisconnected.at(0).at(0).value<Reason>(), Reason::ParseError);
    QVERIFY(before.isOpen());
}

// Over HTTP long-polling the attachments travel base64-encoded in the payload ("b..."): the same limit.
void tst_SocketIoLimits::attachmentLimitOverPolling()
{
    QSocketIoServer server;
    server.setMaxAttachments(1);
    server.setTransports(QSocketIoServer::Polling);
    QVERIFY(server.listen());
    QSignalSpy newConnection(&server, &QSocketIoServer::newConnection);

    RawHttpClient http;
    QVERIFY(http.connectToServer(server.serverPort()));
    http.sendGet("/socket.io/?EIO=4&transport=polling");
    QVERIFY(http.waitForResponses(1));
    QCOMPARE(http.lastResponse().status, 200);
    const QByteArray sid =
            QJsonDocument::fromJson(http.lastResponse().body.mid(1)).object().value(u"sid"_s).toString().toLatin1();
    QVERIFY(!sid.isEmpty());
    const QByteArray target = "/socket.io/?EIO=4&transport=polling&sid=" + sid;
    http.sendPost(target, "40");
    QVERIFY(http.waitForResponses(2));
    QTRY_COMPARE(newConnection.count(), 1);
    QPointer<QSocketIoSocket> socket = newConnection.at(0).at(0).value<QSocketIoSocket *>();
    QVERIFY(socket);
    QSignalSpy events(socket, &QSocketIoSocket::eventReceived);
    QSignalSpy disconnected(socket, &QSocketIoSocket::disconnected);

    // One attachment: fine.
    const QByteArray one = "451-[\"up\",{\"_placeholder\":true,\"num\":0}]\x1e" "bAQI=";
    http.sendPost(target, one);
    QVERIFY(http.waitForResponses(3));
    QCOMPARE(http.lastResponse().status, 200);
    QTRY_COMPARE(events.count(), 1);
    QCOMPARE(events.at(0).at(1).toList().value(0).toByteArray(), QByteArray("\x01\x02"));

    // Two: parse error, and the session is gone.
    const QByteArray two = "452-[\"up\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]\x1e"
                           "bAQI=\x1e" "bAwQ=";
    http.sendPost(target, two);
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(disconnected.at(0).at(0).value<Reason>(), Reason::ParseError);
    QTRY_COMPARE(server.connectionCount(), 0);
    QCOMPARE(events.count(), 1);
}

void tst_SocketIoLimits::slowConsumerInsideBinaryPacket_data()
{
    QTest::addColumn<QString>("transport");
    QTest::addColumn<bool>("broadcast");
    QTest::addRow("websocket, emitEvent") << u"websocket"_s << false;
    QTest::addRow("websocket, broadcast") << u"websocket"_s << true;
    QTest::addRow("websocket, emitWithAck") << u"websocket ack"_s << false;
    QTest::addRow("polling, emitEvent") << u"polling"_s << false;
    QTest::addRow("polling, broadcast") << u"polling"_s << true;
}

void tst_SocketIoLimits::slowConsumerInsideBinaryPacket()
{
    QFETCH(QString, transport);
    QFETCH(bool, broadcast);

    QSocketIoServer server;
    server.setMaxBufferedBytes(4096);
    QVERIFY(server.listen());
    QSignalSpy newConnection(&server, &QSocketIoServer::newConnection);

    // Two clients, so that a broadcast goes on after the first one was closed.
    SioTestClient wsClients[2];
    RawHttpClient httpClients[2];
    for (int i = 0; i < 2; ++i) {
        if (transport.startsWith(u"websocket"_s)) {
            QVERIFY(join(server, wsClients[i]));
            continue;
        }
        RawHttpClient &http = httpClients[i];
        QVERIFY(http.connectToServer(server.serverPort()));
        http.sendGet("/socket.io/?EIO=4&transport=polling");
        QVERIFY(http.waitForResponses(1));
        const QByteArray sid =
                QJsonDocument::fromJson(http.lastResponse().body.mid(1)).object().value(u"sid"_s).toString().toLatin1();
        http.sendPost("/socket.io/?EIO=4&transport=polling&sid=" + sid, "40");
        QVERIFY(http.waitForResponses(2));
        QTRY_COMPARE(newConnection.count(), i + 1);
    }
    QList<QPointer<QSocketIoSocket>> sockets;
    for (QSocketIoSocket *socket : server.mainNamespace()->sockets())
        sockets.append(socket);
    QCOMPARE(sockets.size(), 2);
    QList<std::shared_ptr<QSignalSpy>> disconnected;
    for (const QPointer<QSocketIoSocket> &socket : std::as_const(sockets))
        disconnected.append(std::make_shared<QSignalSpy>(socket, &QSocketIoSocket::disconnected));

    // Three 3000-byte attachments: the second one takes the connection past its 4096 bytes.
    const QVariantList args{QByteArray(3000, 'a'), QByteArray(3000, 'b'), QByteArray(3000, 'c')};
    const int closed = broadcast ? 2 : 1;
    for (int i = 0; i < closed; ++i)
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"is a slow consumer"_s));
    if (broadcast)
        QVERIFY(server.emitEvent(u"big"_s, args));
    else if (transport == u"websocket ack"_s)
        sockets.at(0)->emitWithAck(u"big"_s, args);
    else
        QVERIFY(sockets.at(0)->emitEvent(u"big"_s, args));

    for (int i = 0; i < closed; ++i) {
        QTRY_COMPARE(disconnected.at(i)->count(), 1);
        QCOMPARE(disconnected.at(i)->at(0).at(0).value<Reason>(), Reason::TransportError);
    }
    QTRY_COMPARE(server.connectionCount(), 2 - closed);
    if (!broadcast) {
        QVERIFY(sockets.at(1));
        QVERIFY(sockets.at(1)->isConnected());
    }
}

QTEST_MAIN(tst_SocketIoLimits)

#include "tst_socketiolimits.moc"
