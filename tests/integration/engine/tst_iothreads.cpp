// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The engine with I/O threads (QEngineIoServerPrivate::setIoThreadCount, qengineioiothread_p.h): the handler hears
// everything in the server's thread, polling sessions are sticky to the thread that owns them whatever connection
// their requests arrive on (also with the handler's own ids), the handler's generateId() and connectionError() run
// in the server's thread, the traffic counters count what the I/O threads do, and closing or deleting the server
// from a handler is safe.

#include "engine/qengineioiothread_p.h"
#include "engine/qengineioserver_p.h"
#include "engine/qengineiosession_p.h"
#include "rawhttpclient.h"
#include "recordingenginehandler.h"

#include <QtCore/qthread.h>
#include <QtTest/qtest.h>

#include <memory>

using namespace QEngineIo;

// Generates ids ("id-<n>", or `fixed`) and records refusals, with the thread of each call.
class IdHandler : public RecordingEngineHandler
{
public:
    struct Error
    {
        ErrorCode code;
        QVariantMap context;
        QThread *thread;
    };
    QByteArray generateId(const RequestInfo &) override
    {
        idThreads.append(QThread::currentThread());
        return fixed.isEmpty() ? "id-" + QByteArray::number(idThreads.size()) : fixed;
    }
    void connectionError(const RequestInfo &, ErrorCode code, const QVariantMap &context) override
    {
        errors.append({code, context, QThread::currentThread()});
    }
    QByteArray fixed;
    QList<QThread *> idThreads;
    QList<Error> errors;
};

class tst_IoThreads : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stickyPolling_data();
    void stickyPolling();
    void freshConnections_data();
    void freshConnections();
    void handlerThread();
    void closeDeliversToHeldPoll();
    void deleteFromHandler();
    void customIds();
    void customIdTaken();
    void connectionErrorInServerThread();
    void trafficCounters();

private:
    // Opens a polling session on a connection of its own; returns its sid.
    static QByteArray handshake(quint16 port)
    {
        RawHttpClient client;
        if (!client.connectToServer(port))
            return {};
        client.sendGet("/engine.io/?EIO=4&transport=polling");
        if (!client.waitForResponses(1, 10000))
            return {};
        const QByteArray body = client.lastResponse().body;
        const int start = body.indexOf("\"sid\":\"") + 7;
        return body.mid(start, body.indexOf('"', start) - start);
    }
};

void tst_IoThreads::stickyPolling_data()
{
    QTest::addColumn<int>("threads");
    QTest::newRow("2 threads") << 2;
    QTest::newRow("3 threads") << 3;
}

// Every request of several sessions, owned by different I/O threads, arrives on one keep-alive connection (which
// itself belongs to one of them): each is handled by its session's thread, and the answers come back in order.
void tst_IoThreads::stickyPolling()
{
    QFETCH(int, threads);
    RecordingEngineHandler handler;
    QEngineIoServerPrivate server;
    server.setIoThreadCount(threads);
    server.setHandler(&handler);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    QList<QByteArray> sids;
    QSet<int> owners;
    for (int i = 0; i < 3 * threads && owners.size() < threads; ++i) {
        const QByteArray sid = handshake(server.serverPort());
        QVERIFY(!sid.isEmpty());
        sids.append(sid);
        owners.insert(sidOwner(sid, threads));
    }
    QCOMPARE(owners.size(), threads);   // sessions of every thread
    QTRY_COMPARE_WITH_TIMEOUT(server.sessionCount(), sids.size(), 10000);

    RawHttpClient shared;
    QVERIFY(shared.connectToServer(server.serverPort()));
    int expected = 0;
    for (const QByteArray &sid : std::as_const(sids)) {
        shared.sendPost("/engine.io/?EIO=4&transport=polling&sid=" + sid, "4hello " + sid);
        QVERIFY(shared.waitForResponses(++expected, 10000));
        QCOMPARE(shared.lastResponse().status, 200);
        QCOMPARE(shared.lastResponse().body, QByteArray("ok"));
    }
    QTRY_COMPARE_WITH_TIMEOUT(handler.messages.size(), sids.size(), 10000);
    for (int i = 0; i < sids.size(); ++i) {
        QCOMPARE(handler.messages.at(i).sid, sids.at(i));
        QCOMPARE(handler.messages.at(i).data, "hello " + sids.at(i));
    }
    // The server's thread answers through the mirrors; each GET, on the same connection, gets its own session's.
    for (const QByteArray &sid : std::as_const(sids)) {
        QEngineIoSession *session = server.session(sid);
        QVERIFY(session);
        session->send("to " + sid);
        shared.sendGet("/engine.io/?EIO=4&transport=polling&sid=" + sid);
        QVERIFY(shared.waitForResponses(++expected, 10000));
        QCOMPARE(shared.lastResponse().status, 200);
        QCOMPARE(shared.lastResponse().body, "4to " + sid);
    }
    QVERIFY(!shared.isDisconnected());
    QCOMPARE(handler.closed.size(), 0);
}

void tst_IoThreads::freshConnections_data()
{
    QTest::addColumn<int>("threads");
    QTest::addColumn<bool>("splitRequestLine");   // the request arrives in two writes
    QTest::newRow("2 threads") << 2 << false;
    QTest::newRow("3 threads") << 3 << false;
    QTest::newRow("2 threads, request line split") << 2 << true;
}

// Each request of sessions owned by different threads on a connection of its own, as browsers may send them: a
// connection handed to the wrong thread is moved to its session's once its request is parsed, and every request is
// answered, also when the request line arrives in pieces.
void tst_IoThreads::freshConnections()
{
    QFETCH(int, threads);
    QFETCH(bool, splitRequestLine);
    RecordingEngineHandler handler;
    QEngineIoServerPrivate server;
    server.setIoThreadCount(threads);
    server.setHandler(&handler);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    QList<QByteArray> sids;
    QSet<int> owners;
    for (int i = 0; i < 4 * threads && owners.size() < threads; ++i) {
        const QByteArray sid = handshake(server.serverPort());
        QVERIFY(!sid.isEmpty());
        sids.append(sid);
        owners.insert(sidOwner(sid, threads));
    }
    QCOMPARE(owners.size(), threads);
    QTRY_COMPARE_WITH_TIMEOUT(server.sessionCount(), sids.size(), 10000);

    for (int round = 0; round < 2; ++round) {
        for (const QByteArray &sid : std::as_const(sids)) {
            RawHttpClient client;
            QVERIFY(client.connectToServer(server.serverPort()));
            const QByteArray body = "4r" + QByteArray::number(round) + ' ' + sid;
            const QByteArray request = "POST /engine.io/?EIO=4&transport=polling&sid=" + sid
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: "
                    + QByteArray::number(body.size()) + "\r\n\r\n" + body;
            if (splitRequestLine) {
                client.write(request.left(20));
                QTest::qWait(50);   // the server reads these 20 bytes first
                client.write(request.mid(20));
            } else {
                client.write(request);
            }
            QVERIFY(client.waitForResponses(1, 10000));
            QCOMPARE(client.lastResponse().status, 200);
            QCOMPARE(client.lastResponse().body, QByteArray("ok"));
        }
    }
    QTRY_COMPARE_WITH_TIMEOUT(handler.messages.size(), 2 * sids.size(), 10000);
    for (int i = 0; i < handler.messages.size(); ++i) {
        const QByteArray &sid = sids.at(i % sids.size());
        QCOMPARE(handler.messages.at(i).sid, sid);
        QCOMPARE(handler.messages.at(i).data, "r" + QByteArray::number(i / sids.size()) + ' ' + sid);
    }
    QCOMPARE(handler.closed.size(), 0);
}

void tst_IoThreads::handlerThread()
{
    QEngineIoServerPrivate server;
    server.setIoThreadCount(2);
    RecordingEngineHandler handler;
    QList<QThread *> seen;
    handler.onOpened = [&seen](QEngineIoSession *) { seen.append(QThread::currentThread()); };
    handler.onMessage = [&seen](QEngineIoSession *session, const QByteArray &, bool) {
        seen.append(QThread::currentThread());
        session->close();
    };
    handler.onClosed = [&seen](QEngineIoSession *, CloseReason) { seen.append(QThread::currentThread()); };
    server.setHandler(&handler);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const QByteArray sid = handshake(server.serverPort());
    QVERIFY(!sid.isEmpty());
    RawHttpClient client;
    QVERIFY(client.connectToServer(server.serverPort()));
    client.sendPost("/engine.io/?EIO=4&transport=polling&sid=" + sid, "4ping");
    QTRY_COMPARE_WITH_TIMEOUT(handler.closed.size(), 1, 10000);
    QCOMPARE(handler.closed.constFirst().reason, CloseReason::ForcedClose);
    QCOMPARE(seen.size(), 3);
    for (QThread *thread : std::as_const(seen))
        QCOMPARE(thread, QThread::currentThread());
    // The forced close reaches the session in its I/O thread: the next poll gets the close packet.
    client.sendGet("/engine.io/?EIO=4&transport=polling&sid=" + sid);
    QVERIFY(client.waitForResponses(2, 10000));
    QVERIFY2(client.lastResponse().body.contains('1') || client.lastResponse().status == 400,
             client.lastResponse().body.constData());
}

void tst_IoThreads::closeDeliversToHeldPoll()
{
    RecordingEngineHandler handler;
    QEngineIoServerPrivate server;
    server.setIoThreadCount(2);
    server.setHandler(&handler);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const QByteArray sid = handshake(server.serverPort());
    QVERIFY(!sid.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(server.sessionCount(), 1, 10000);
    RawHttpClient poll;
    QVERIFY(poll.connectToServer(server.serverPort()));
    poll.sendGet("/engine.io/?EIO=4&transport=polling&sid=" + sid);
    QTest::qWait(200);   // the GET is held
    QCOMPARE(poll.responseCount(), 0);
    server.close();
    QCOMPARE(handler.closed.size(), 1);
    QCOMPARE(handler.closed.constFirst().reason, CloseReason::ServerShuttingDown);
    QCOMPARE(server.sessionCount(), 0);
    QVERIFY(poll.waitForResponses(1, 10000));
    QCOMPARE(poll.lastResponse().body, QByteArray("1"));
}

void tst_IoThreads::deleteFromHandler()
{
    RecordingEngineHandler handler;
    auto *server = new QEngineIoServerPrivate;
    QPointer<QEngineIoServerPrivate> guard(server);
    server->setIoThreadCount(2);
    handler.onMessage = [server](QEngineIoSession *, const QByteArray &, bool) { delete server; };
    server->setHandler(&handler);
    QVERIFY(server->listen(QHostAddress::LocalHost, 0));
    const quint16 port = server->serverPort();
    const QByteArray sid = handshake(port);
    QVERIFY(!sid.isEmpty());
    RawHttpClient client;
    QVERIFY(client.connectToServer(port));
    // Two messages in one POST: the second must not reach the deleted server.
    client.sendPost("/engine.io/?EIO=4&transport=polling&sid=" + sid, "4one\x1e" "4two");
    QTRY_VERIFY_WITH_TIMEOUT(guard.isNull(), 10000);
    QCOMPARE(handler.messages.size(), 1);
    QVERIFY(client.waitForDisconnected(10000));
}

// The handler's ids name no I/O thread: the first four handshakes (connections 0 to 3) open sessions on threads
// 0, 1, 0, 1, and a fifth connection (thread 0) carries requests for all of them. "id-<n>" would say thread 0
// (sidOwner()): the table of custom ids sends the requests for the sessions of thread 1 there.
void tst_IoThreads::customIds()
{
    IdHandler handler;
    QEngineIoServerPrivate server;
    server.setIoThreadCount(2);
    server.setHandler(&handler);
    server.setHandlerGeneratesIds(true);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QList<QByteArray> sids;
    for (int i = 1; i <= 4; ++i) {
        const QByteArray sid = handshake(server.serverPort());
        QCOMPARE(sid, "id-" + QByteArray::number(i));
        sids.append(sid);
    }
    QCOMPARE(handler.idThreads.size(), 4);
    for (QThread *thread : std::as_const(handler.idThreads))
        QCOMPARE(thread, QThread::currentThread());
    QTRY_COMPARE_WITH_TIMEOUT(server.sessionCount(), sids.size(), 10000);

    RawHttpClient shared;
    QVERIFY(shared.connectToServer(server.serverPort()));
    int expected = 0;
    for (const QByteArray &sid : std::as_const(sids)) {
        shared.sendPost("/engine.io/?EIO=4&transport=polling&sid=" + sid, "4hello " + sid);
        QVERIFY(shared.waitForResponses(++expected, 10000));
        QCOMPARE(shared.lastResponse().status, 200);
        QCOMPARE(shared.lastResponse().body, QByteArray("ok"));
    }
    QTRY_COMPARE_WITH_TIMEOUT(handler.messages.size(), sids.size(), 10000);
    for (const QByteArray &sid : std::as_const(sids)) {
        QEngineIoSession *session = server.session(sid);
        QVERIFY(session);
        session->send("to " + sid);
        shared.sendGet("/engine.io/?EIO=4&transport=polling&sid=" + sid);
        QVERIFY(shared.waitForResponses(++expected, 10000));
        QCOMPARE(shared.lastResponse().status, 200);
        QCOMPARE(shared.lastResponse().body, "4to " + sid);
    }
    QCOMPARE(handler.errors.size(), 0);
    QCOMPARE(handler.closed.size(), 0);
}

// An id another session has (also one of another I/O thread) is replaced by a generated one.
void tst_IoThreads::customIdTaken()
{
    IdHandler handler;
    handler.fixed = "same";
    QEngineIoServerPrivate server;
    server.setIoThreadCount(2);
    server.setHandler(&handler);
    server.setHandlerGeneratesIds(true);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QCOMPARE(handshake(server.serverPort()), QByteArray("same"));
    const QByteArray second = handshake(server.serverPort());
    QVERIFY(!second.isEmpty());
    QVERIFY(second != "same");
    QCOMPARE(second.size(), 20);   // one the engine made
    QTRY_COMPARE_WITH_TIMEOUT(server.sessionCount(), 2, 10000);
    QCOMPARE(handler.idThreads.size(), 2);
}

void tst_IoThreads::connectionErrorInServerThread()
{
    IdHandler handler;
    QEngineIoServerPrivate server;
    server.setIoThreadCount(2);
    server.setHandler(&handler);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawHttpClient client;
    QVERIFY(client.connectToServer(server.serverPort()));
    client.sendGet("/engine.io/?EIO=4&transport=polling&sid=nope");
    QVERIFY(client.waitForResponses(1, 10000));
    QCOMPARE(client.lastResponse().status, 400);
    client.sendGet("/engine.io/?EIO=2&transport=polling");
    QVERIFY(client.waitForResponses(2, 10000));
    QCOMPARE(client.lastResponse().status, 400);
    QTRY_COMPARE_WITH_TIMEOUT(handler.errors.size(), 2, 10000);
    QCOMPARE(handler.errors.at(0).code, ErrorCode::UnknownSid);
    QCOMPARE(handler.errors.at(0).context, QVariantMap({{QStringLiteral("sid"), QStringLiteral("nope")}}));
    QCOMPARE(handler.errors.at(1).code, ErrorCode::UnsupportedProtocolVersion);
    QCOMPARE(handler.errors.at(1).context, QVariantMap({{QStringLiteral("protocol"), QStringLiteral("2")}}));
    for (const IdHandler::Error &error : std::as_const(handler.errors))
        QCOMPARE(error.thread, QThread::currentThread());
}

// The mirrors count nothing: the totals are what the I/O threads counted, and they survive the threads.
void tst_IoThreads::trafficCounters()
{
    RecordingEngineHandler handler;
    QEngineIoServerPrivate server;
    server.setIoThreadCount(2);
    server.setHandler(&handler);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const QByteArray sid = handshake(server.serverPort());
    QVERIFY(!sid.isEmpty());
    RawHttpClient client;
    QVERIFY(client.connectToServer(server.serverPort()));
    client.sendPost("/engine.io/?EIO=4&transport=polling&sid=" + sid, "4hello\x1e" "4world");
    QVERIFY(client.waitForResponses(1, 10000));
    QTRY_COMPARE_WITH_TIMEOUT(handler.messages.size(), 2, 10000);
    server.session(sid)->send("answer");
    client.sendGet("/engine.io/?EIO=4&transport=polling&sid=" + sid);
    QVERIFY(client.waitForResponses(2, 10000));
    QCOMPARE(client.lastResponse().body, QByteArray("4answer"));
    // In: "4hello" and "4world" (6 bytes each). Out: the open packet and "4answer" (7 bytes).
    QTRY_VERIFY_WITH_TIMEOUT(server.counterTotals().packetsOut >= 2, 10000);
    const CounterValues totals = server.counterTotals();
    QCOMPARE(totals.packetsIn, quint64(2));
    QCOMPARE(totals.bytesIn, quint64(12));
    QCOMPARE(totals.packetsOut, quint64(2));
    QVERIFY2(totals.bytesOut > 7, QByteArray::number(totals.bytesOut).constData());
    server.close();
    server.stopIoThreads();
    const CounterValues after = server.counterTotals();
    QCOMPARE(after.packetsIn, totals.packetsIn);
    QCOMPARE(after.bytesIn, totals.bytesIn);
    QVERIFY(after.packetsOut >= totals.packetsOut);   // the close packet, if it went out
}

QTEST_GUILESS_MAIN(tst_IoThreads)
#include "tst_iothreads.moc"
