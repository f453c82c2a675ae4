// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Loopback tests of QEngineIoServerPrivate: raw HTTP/1.1 over QTcpSocket for byte-exact polling, QWebSocket for
// the WebSocket transport. Protocol: engine.io-protocol README (v4).

#include "engine/qengineioserver_p.h"
#include "engine/qengineiosession_p.h"
#include "engine/qengineiohttpconnection_p.h"
#include "rawhttpclient.h"
#include "recordingenginehandler.h"
#include "wsclient.h"

#include <QtCore/qelapsedtimer.h>
#include <QtCore/qjsondocument.h>
#include <QtCore/qjsonobject.h>
#include <QtCore/qtimer.h>
#include <QtTest/QtTest>
#include <QtWebSockets/qwebsocket.h>

#include <memory>

using QEngineIo::CloseReason;
using QEngineIo::Transport;

namespace QEngineIo {
char *toString(CloseReason reason)
{
    return qstrdup(closeReasonString(reason).constData());
}
char *toString(Transport transport)
{
    return qstrdup(transportName(transport).constData());
}
} // namespace QEngineIo

namespace {

constexpr char RS = '\x1e';
const QByteArray HandshakeTarget = QByteArrayLiteral("/engine.io/?EIO=4&transport=polling");

QByteArray pollTarget(const QByteArray &sid)
{
    return HandshakeTarget + "&sid=" + sid;
}

QByteArray wsTarget(const QByteArray &sid = {})
{
    QByteArray target = QByteArrayLiteral("/engine.io/?EIO=4&transport=websocket");
    if (!sid.isEmpty())
        target += "&sid=" + sid;
    return target;
}

// Packets joined into a polling payload.
QByteArray payload(std::initializer_list<QByteArray> packets)
{
    QByteArray out;
    for (const QByteArray &p : packets) {
        if (!out.isEmpty())
            out += RS;
        out += p;
    }
    return out;
}

QByteArray errorBody(int code, const QByteArray &message)
{
    return "{\"code\":" + QByteArray::number(code) + ",\"message\":\"" + message + "\"}";
}

// A genuine WebSocket handshake request, written by hand.
QByteArray upgradeRequest(const QByteArray &target, const QByteArray &extraHeaders = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
}

QByteArray sidOfOpenPacket(const QByteArray &packet)
{
    if (!packet.startsWith('0'))
        return {};
    return QJsonDocument::fromJson(packet.mid(1)).object().value(QLatin1String("sid")).toString().toLatin1();
}

using namespace Qt::StringLiterals;

enum class CorsPolicy { Disabled, List, Predicate, Any, Reflect };

} // namespace

Q_DECLARE_METATYPE(CorsPolicy)

class tst_EngineServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();

    // Handshake.
    void handshakePolling_data();
    void handshakePolling();
    void handshakeWebSocket();
    void webSocketMessages();

    // Long-polling.
    void pollHeldUntilData();
    void pollPayloads_data();
    void pollPayloads();
    void postPayloads_data();
    void postPayloads();
    void postMalformedPayload();
    void concurrentPollOverlap();
    void pollConnectionDropped();
    void keepAliveSequence();
    void connectionClose_data();
    void connectionClose();
    void pipelinedRequests();
    void pipelinedHandshakes();

    // Refusals and HTTP limits.
    void errorResponses_data();
    void errorResponses();
    void errorsWithSession_data();
    void errorsWithSession();
    void transportsDisabled_data();
    void transportsDisabled();
    void allowRequest_data();
    void allowRequest();
    void allowRequestLateAnswer_data();
    void allowRequestLateAnswer();
    void notFoundOutsidePath_data();
    void notFoundOutsidePath();
    void fallbackHandler();
    void malformedHttp_data();
    void malformedHttp();
    void headersTooLarge_data();
    void headersTooLarge();
    void postTooLarge_data();
    void postTooLarge();
    void webSocketMessageTooLarge_data();
    void webSocketMessageTooLarge();
    void slowRequest_data();
    void slowRequest();
    void keepAliveTimeout_data();
    void keepAliveTimeout();

    // Upgrade.
    void upgradeFromPolling();
    void secondWebSocketClosed_data();
    void secondWebSocketClosed();
    void upgradeTimeout_data();
    void upgradeTimeout();

    // Heartbeat.
    void heartbeatKeepsAlive_data();
    void heartbeatKeepsAlive();
    void pingTimeout_data();
    void pingTimeout();

    // Closing.
    void clientClose_data();
    void clientClose();
    void serverClose_data();
    void serverClose();
    void serverCloseUndelivered();
    void serverShutdown();
    void listenAgainAfterClose();
    void sendAfterClose_data();
    void sendAfterClose();
    void deleteServerWithOpenSessions();
    void deleteServerInsideHandler_data();
    void deleteServerInsideHandler();

    // CORS and header hooks.
    void corsPreflight_data();
    void corsPreflight();
    void corsActualRequests_data();
    void corsActualRequests();
    void editHeaders();

private:
    static QEngineIo::Options baseOptions();
    bool start(const QEngineIo::Options &options = baseOptions());
    quint16 port() const { return m_server->serverPort(); }
    QEngineIoSession *session(const QByteArray &sid) const { return m_server->session(sid); }
    // Opens a polling session on client (connecting it first if needed); returns the sid or empty.
    QByteArray openPolling(RawHttpClient &client);
    // Opens a WebSocket-only session; returns the sid or empty.
    QByteArray openWebSocket(WsClient &client);
    // Opens a polling session and upgrades it over client (2probe/3probe/5); returns the sid or empty.
    QByteArray openUpgraded(RawHttpClient &http, WsClient &ws);

    std::unique_ptr<QEngineIoServerPrivate> m_server;
    RecordingEngineHandler m_handler;
};

QEngineIo::Options tst_EngineServer::baseOptions()
{
    QEngineIo::Options options;
    // Long enough that no heartbeat gets in the way of tests that are not about it.
    options.pingInterval = 10000;
    options.pingTimeout = 5000;
    options.upgradeTimeout = 5000;
    return options;
}

bool tst_EngineServer::start(const QEngineIo::Options &options)
{
    m_server = std::make_unique<QEngineIoServerPrivate>();
    m_server->setOptions(options);
    m_server->setHandler(&m_handler);
    return m_server->listen(QHostAddress::LocalHost, 0) && m_server->serverPort() != 0;
}

void tst_EngineServer::cleanup()
{
    m_server.reset();
    m_handler.clear();
}

QByteArray tst_EngineServer::openPolling(RawHttpClient &client)
{
    if (client.socket()->state() != QAbstractSocket::ConnectedState && !client.connectToServer(port()))
        return {};
    const int before = client.responseCount();
    client.sendGet(HandshakeTarget);
    if (!client.waitForResponses(before + 1))
        return {};
    const RawHttpResponse &r = client.lastResponse();
    return r.status == 200 ? sidOfOpenPacket(r.body) : QByteArray();
}

QByteArray tst_EngineServer::openWebSocket(WsClient &client)
{
    const qsizetype before = client.texts.size();
    client.open(port(), wsTarget());
    if (!QTest::qWaitFor([&] { return client.texts.size() > before; }, 5000))
        return {};
    return sidOfOpenPacket(client.text(int(before)).toUtf8());
}

QByteArray tst_EngineServer::openUpgraded(RawHttpClient &http, WsClient &ws)
{
    const QByteArray sid = openPolling(http);
    if (sid.isEmpty())
        return {};
    ws.open(port(), wsTarget(sid));
    if (!QTest::qWaitFor([&] { return ws.connected.size() == 1; }, 5000))
        return {};
    ws.ws->sendTextMessage(QStringLiteral("2probe"));
    if (!QTest::qWaitFor([&] { return ws.texts.size() == 1; }, 5000) || ws.text(0) != QLatin1String("3probe"))
        return {};
    ws.ws->sendTextMessage(QStringLiteral("5"));
    if (!QTest::qWaitFor([&] { return m_handler.upgraded.contains(sid); }, 5000))
        return {};
    return sid;
}

// --- handshake -----------------------------------------------------------------------------------------

void tst_EngineServer::handshakePolling_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<bool>("allowUpgrades");
    QTest::addColumn<bool>("allowWebSocket");
    QTest::addColumn<int>("pingInterval");
    QTest::addColumn<int>("pingTimeout");
    QTest::addColumn<qint64>("maxPayload");
    QTest::addColumn<QByteArray>("upgrades");
    QTest::addColumn<bool>("addTrailingSlash");

    const QByteArray ws = "[\"websocket\"]";
    QTest::addRow("defaults") << QByteArray("/engine.io/") << HandshakeTarget << true << true << 25000 << 20000
                              << qint64(1000000) << ws << true;
    QTest::addRow("path without trailing slash")
            << QByteArray("/engine.io/") << QByteArray("/engine.io?EIO=4&transport=polling") << true << true << 25000
            << 20000 << qint64(1000000) << ws << false;
    QTest::addRow("cache-busting query item")
            << QByteArray("/engine.io/") << QByteArray(HandshakeTarget + "&t=PZ3x1Ab&b64=1") << true << true << 25000
            << 20000 << qint64(1000000) << ws << true;
    QTest::addRow("custom path, normalized") << QByteArray("custom") << QByteArray("/custom/?EIO=4&transport=polling")
                                             << true << true << 25000 << 20000 << qint64(1000000) << ws << true;
    QTest::addRow("custom timers and payload") << QByteArray("/engine.io/") << HandshakeTarget << true << true << 300
                                               << 200 << qint64(5000) << ws << true;
    QTest::addRow("upgrades disallowed") << QByteArray("/engine.io/") << HandshakeTarget << false << true << 25000
                                         << 20000 << qint64(1000000) << QByteArray("[]") << true;
    QTest::addRow("websocket disallowed") << QByteArray("/engine.io/") << HandshakeTarget << true << false << 25000
                                          << 20000 << qint64(1000000) << QByteArray("[]") << true;
}

void tst_EngineServer::handshakePolling()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, target);
    QFETCH(bool, allowUpgrades);
    QFETCH(bool, allowWebSocket);
    QFETCH(int, pingInterval);
    QFETCH(int, pingTimeout);
    QFETCH(qint64, maxPayload);
    QFETCH(QByteArray, upgrades);
    QFETCH(bool, addTrailingSlash);

    QEngineIo::Options options;
    options.path = path;
    options.addTrailingSlash = addTrailingSlash;
    options.allowUpgrades = allowUpgrades;
    options.allowWebSocket = allowWebSocket;
    options.pingInterval = pingInterval;
    options.pingTimeout = pingTimeout;
    options.maxHttpBufferSize = maxPayload;
    QVERIFY(start(options));
    QSignalSpy countChanged(m_server.get(), &QEngineIoServerPrivate::sessionCountChanged);

    RawHttpClient client;
    QVERIFY(client.connectToServer(port()));
    client.sendGet(target);
    QTRY_COMPARE(client.responseCount(), 1);
    const RawHttpResponse &r = client.response(0);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.reason, QByteArray("OK"));
    QCOMPARE(r.header("content-type"), QByteArray("text/plain; charset=UTF-8"));
    QCOMPARE(r.header("connection"), QByteArray("keep-alive"));
    QCOMPARE(r.header("content-length").toInt(), r.body.size());

    const QByteArray sid = sidOfOpenPacket(r.body);
    QCOMPARE(sid.size(), 20);
    const QByteArray expected = "0{\"sid\":\"" + sid + "\",\"upgrades\":" + upgrades + ",\"pingInterval\":"
            + QByteArray::number(pingInterval) + ",\"pingTimeout\":" + QByteArray::number(pingTimeout)
            + ",\"maxPayload\":" + QByteArray::number(maxPayload) + '}';
    QCOMPARE(r.body, expected);

    QCOMPARE(m_handler.opened, QList<QByteArray>{sid});
    QCOMPARE(m_server->sessionCount(), 1);
    QCOMPARE(countChanged.size(), 1);
    QEngineIoSession *s = session(sid);
    QVERIFY(s);
    QVERIFY(s->isOpen());
    QCOMPARE(s->transport(), Transport::Polling);
    QCOMPARE(s->handshakeRequest().sid, sid);
    QCOMPARE(s->handshakeRequest().peerAddress, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(s->handshakeRequest().peerPort, client.socket()->localPort());
    QCOMPARE(s->handshakeRequest().http.target, target);

    // A second handshake makes a second, different session.
    client.sendGet(target);
    QTRY_COMPARE(client.responseCount(), 2);
    const QByteArray sid2 = sidOfOpenPacket(client.response(1).body);
    QVERIFY(!sid2.isEmpty());
    QVERIFY(sid2 != sid);
    QCOMPARE(m_server->sessionCount(), 2);
}

void tst_EngineServer::handshakeWebSocket()
{
    QVERIFY(start());
    WsClient client;
    client.open(port(), wsTarget());
    QTRY_COMPARE(client.connected.size(), 1);
    QTRY_COMPARE(client.texts.size(), 1);
    const QByteArray open = client.text(0).toUtf8();
    const QByteArray sid = sidOfOpenPacket(open);
    QCOMPARE(sid.size(), 20);
    QCOMPARE(open, "0{\"sid\":\"" + sid + "\",\"upgrades\":[],\"pingInterval\":10000,\"pingTimeout\":5000,"
                   "\"maxPayload\":1000000}");
    QCOMPARE(m_handler.opened, QList<QByteArray>{sid});
    QEngineIoSession *s = session(sid);
    QVERIFY(s);
    QCOMPARE(s->transport(), Transport::WebSocket);
    QVERIFY(!s->isUpgrading());
    QCOMPARE(s->handshakeRequest().transport, Transport::WebSocket);
    QCOMPARE(client.binaries.size(), 0);
}

void tst_EngineServer::webSocketMessages()
{
    QVERIFY(start());
    WsClient client;
    const QByteArray sid = openWebSocket(client);
    QVERIFY(!sid.isEmpty());
    QEngineIoSession *s = session(sid);
    QVERIFY(s);

    client.ws->sendTextMessage(QStringLiteral("4hello"));
    client.ws->sendTextMessage(QStringLiteral("6"));   // noop: ignored
    client.ws->sendBinaryMessage(QByteArray("\x00\x01\xff", 3));
    client.ws->sendTextMessage(QString::fromUtf8("4h\xc3\xa9llo \xe2\x82\xac"));
    QTRY_COMPARE(m_handler.messages.size(), 3);
    QCOMPARE(m_handler.messages.at(0).data, QByteArray("hello"));
    QVERIFY(!m_handler.messages.at(0).binary);
    QCOMPARE(m_handler.messages.at(1).data, QByteArray("\x00\x01\xff", 3));
    QVERIFY(m_handler.messages.at(1).binary);
    QCOMPARE(m_handler.messages.at(2).data, QByteArray("h\xc3\xa9llo \xe2\x82\xac"));

    s->send("one");
    s->send(QByteArray("\x01\x02", 2), true);
    s->send("two");
    QTRY_COMPARE(client.texts.size(), 3);
    QCOMPARE(client.text(1), QStringLiteral("4one"));
    QCOMPARE(client.text(2), QStringLiteral("4two"));
    QTRY_COMPARE(client.binaries.size(), 1);
    QCOMPARE(client.binary(0), QByteArray("\x01\x02", 2));   // raw bytes, no prefix

    // A frame that does not decode ends the session.
    client.ws->sendTextMessage(QStringLiteral("9oops"));
    QTRY_COMPARE(m_handler.closed.size(), 1);
    QCOMPARE(m_handler.closed.at(0).reason, CloseReason::ParseError);
    QTRY_COMPARE(client.disconnected.size(), 1);
    QTRY_COMPARE(m_server->sessionCount(), 0);
}

// --- long-polling --------------------------------------------------------------------------------------

void tst_EngineServer::pollHeldUntilData()
{
    QVERIFY(start());
    RawHttpClient client;
    const QByteArray sid = openPolling(client);
    QVERIFY(!sid.isEmpty());

    client.sendGet(pollTarget(sid));
    QTest::qWait(300);   // nothing to send: the GET is held
    QCOMPARE(client.responseCount(), 1);

    session(sid)->send("hello");
    QTRY_COMPARE(client.responseCount(), 2);
    const RawHttpResponse &r = client.response(1);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("4hello"));
    QCOMPARE(r.header("content-type"), QByteArray("text/plain; charset=UTF-8"));
    QCOMPARE(r.header("connection"), QByteArray("keep-alive"));
    QVERIFY(client.leftover().isEmpty());
}

void tst_EngineServer::pollPayloads_data()
{
    QTest::addColumn<QByteArrayList>("messages");
    QTest::addColumn<QList<bool>>("binary");
    QTest::addColumn<bool>("sendBeforePoll");
    QTest::addColumn<QByteArray>("expected");

    QTest::addRow("one text") << QByteArrayList{"hello"} << QList<bool>{false} << false << QByteArray("4hello");
    QTest::addRow("texts joined with 0x1e") << QByteArrayList{"a", "b", "c"} << QList<bool>{false, false, false}
                                            << false << payload({"4a", "4b", "4c"});
    QTest::addRow("binary as b<base64>") << QByteArrayList{QByteArray("\x01\x02\x03")} << QList<bool>{true}
                                         << false << QByteArray("bAQID");
    QTest::addRow("text and binary mixed")
            << QByteArrayList{"a", QByteArray("\xff\x00", 2), "c"} << QList<bool>{false, true, false} << false
            << payload({"4a", "b/wA=", "4c"});
    QTest::addRow("utf-8 text") << QByteArrayList{"h\xc3\xa9llo \xe2\x82\xac"} << QList<bool>{false} << false
                                << QByteArray("4h\xc3\xa9llo \xe2\x82\xac");
    QTest::addRow("empty message") << QByteArrayList{QByteArray("")} << QList<bool>{false} << false
                                   << QByteArray("4");
    QTest::addRow("JSON text") << QByteArrayList{"[\"ev\",{\"a\":1}]"} << QList<bool>{false} << false
                               << QByteArray("4[\"ev\",{\"a\":1}]");
    QTest::addRow("queued before the GET") << QByteArrayList{"a", "b"} << QList<bool>{false, false} << true
                                           << payload({"4a", "4b"});
    QTest::addRow("binary queued before the GET") << QByteArrayList{QByteArray("\x01", 1)} << QList<bool>{true}
                                                  << true << QByteArray("bAQ==");
}

void tst_EngineServer::pollPayloads()
{
    QFETCH(QByteArrayList, messages);
    QFETCH(QList<bool>, binary);
    QFETCH(bool, sendBeforePoll);
    QFETCH(QByteArray, expected);

    QVERIFY(start());
    RawHttpClient client;
    const QByteArray sid = openPolling(client);
    QVERIFY(!sid.isEmpty());
    QEngineIoSession *s = session(sid);

    auto sendAll = [&] {
        for (qsizetype i = 0; i < messages.size(); ++i)
            s->send(messages.at(i), binary.at(i));
    };
    if (sendBeforePoll) {
        sendAll();
        QVERIFY(s->queuedBytes() > 0);
        client.sendGet(pollTarget(sid));
    } else {
        client.sendGet(pollTarget(sid));
        QTest::qWait(50);   // let the server hold the GET first
        QCOMPARE(client.responseCount(), 1);
        sendAll();   // one event-loop turn: one response
    }
    QTRY_COMPARE(client.responseCount(), 2);
    QCOMPARE(client.response(1).status, 200);
    QCOMPARE(client.response(1).body, expected);
    QCOMPARE(s->queuedBytes(), 0);
}

void tst_EngineServer::postPayloads_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArrayList>("messages");
    QTest::addColumn<QList<bool>>("binary");

    QTest::addRow("one text") << QByteArray("4hello") << QByteArrayList{"hello"} << QList<bool>{false};
    QTest::addRow("texts joined with 0x1e") << payload({"4a", "4b", "4c"}) << QByteArrayList{"a", "b", "c"}
                                            << QList<bool>{false, false, false};
    QTest::addRow("binary b<base64>") << QByteArray("bAQID") << QByteArrayList{QByteArray("\x01\x02\x03")}
                                      << QList<bool>{true};
    QTest::addRow("mixed") << payload({"4a", "b/wA=", "4"}) << QByteArrayList{"a", QByteArray("\xff\x00", 2), ""}
                           << QList<bool>{false, true, false};
    QTest::addRow("utf-8") << QByteArray("4h\xc3\xa9llo") << QByteArrayList{"h\xc3\xa9llo"} << QList<bool>{false};
    QTest::addRow("noop only") << QByteArray("6") << QByteArrayList{} << QList<bool>{};
}

void tst_EngineServer::postPayloads()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArrayList, messages);
    QFETCH(QList<bool>, binary);

    QVERIFY(start());
    RawHttpClient client;
    const QByteArray sid = openPolling(client);
    QVERIFY(!sid.isEmpty());

    client.sendPost(pollTarget(sid), body, "Content-Type: text/plain;charset=UTF-8\r\n");
    QTRY_COMPARE(client.responseCount(), 2);
    const RawHttpResponse &r = client.response(1);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("ok"));
    QCOMPARE(r.header("content-type"), QByteArray("text/html"));
    QCOMPARE(r.header("connection"), QByteArray("keep-alive"));

    QCOMPARE(m_handler.messages.size(), messages.size());
    for (qsizetype i = 0; i < messages.size(); ++i) {
        QCOMPARE(m_handler.messages.at(i).sid, sid);
        QCOMPARE(m_handler.messages.at(i).data, messages.at(i));
        QCOMPARE(m_handler.messages.at(i).binary, binary.at(i));
    }
    QVERIFY(session(sid)->isOpen());
}

void tst_EngineServer::postMalformedPayload()
{
    QVERIFY(start());
    RawHttpClient client;
    const QByteArray sid = openPolling(client);
    QVERIFY(!sid.isEmpty());

    client.sendPost(pollTarget(sid), payload({"4ok", "9bad"}));
    QTRY_COMPARE(client.responseCount(), 2);
    QCOMPARE(client.response(1).status, 200);
    QTRY_COMPARE(m_handler.closed.size(), 1);
    QCOMPARE(m_handler.closed.at(0).reason, CloseReason::ParseError);
    QVERIFY(m_handler.messages.isEmpty());   // nothing of a bad payload is delivered
    QTRY_COMPARE(m_server->sessionCount(), 0);

    client.sendGet(pollTarget(sid));
    QTRY_COMPARE(client.responseCount(), 3);
    QCOMPARE(client.response(2).status, 400);
    QCOMPARE(client.response(2).body, errorBody(1, "Session ID unknown"));
}

void tst_EngineServer::concurrentPollOverlap()
{
    QVERIFY(start());
    RawHttpClient first;
    const QByteArray sid = openPolling(first);
    QVERIFY(!sid.isEmpty());
    first.sendGet(pollTarget(sid));
    QTest::qWait(50);
    QCOMPARE(first.responseCount(), 1);

    RawHttpClient second;
    QVERIFY(second.connectToServer(port()));
    second.sendGet(pollTarget(sid));
    QTRY_COMPARE(second.responseCount(), 1);
    QCOMPARE(second.response(0).status, 400);
    QCOMPARE(second.response(0).header("connection"), QByteArray("close"));
    QVERIFY(second.waitForDisconnected());

    QTRY_COMPARE(m_handler.closed.size(), 1);
    QCOMPARE(m_handler.closed.at(0).sid, sid);
    QCOMPARE(m_handler.closed.at(0).reason, CloseReason::TransportError);
    // The held GET is answered with a close packet.
    QTRY_COMPARE(first.responseCount(), 2);
    QCOMPARE(first.response(1).status, 200);
    QCOMPARE(first.response(1).body, QByteArray("1"));
    QTRY_COMPARE(m_server->sessionCount(), 0);
}

void tst_EngineServer::pollConnectionDropped()
{
    QVERIFY(start());
    RawHttpClient http;
    const QByteArray sid = openPolling(http);
    QVERIFY(!sid.isEmpty());
    http.sendGet(pollTarget(sid));
    QTest::qWait(50);
    QVERIFY(m_handler.closed.isEmpty());
    http.socket()->abort();   // the client goes away with its GET unanswered
    QTRY_COMPARE(m_handler.closed.size(), 1);
    QCOMPARE(m_handler.closed.at(0).sid, sid);
    QCOMPARE(m_handler.closed.at(0).reason, CloseReason::TransportError);
    QTRY_COMPARE(m_server->sessionCount(), 0);
}

void tst_EngineServer::keepAliveSequence()
{
    QVERIFY(start());
    RawHttpClient client;
    QSignalSpy disconnected(client.socket(), &QTcpSocket::disconnected);
    const QByteArray sid = openPolling(client);
    QVERIFY(!sid.isEmpty());
    QEngineIoSession *s = session(sid);

    client.sendPost(pollTarget(sid), "4first");
    QTRY_COMPARE(client.responseCount(), 2);
    QCOMPARE(client.response(1).body, QByteArray("ok"));

    s->send("queued");
    client.sendGet(pollTarget(sid));
    QTRY_COMPARE(client.responseCount(), 3);
    QCOMPARE(client.response(2).body, QByteArray("4queued"));

    client.sendGet(pollTarget(sid));
    QTest::qWait(100);
    QCOMPARE(client.responseCount(), 3);
    s->send("later");
    QTRY_COMPARE(client.responseCount(), 4);
    QCOMPARE(client.response(3).body, QByteArray("4later"));

    client.sendPost(pollTarget(sid), "4second");
    QTRY_COMPARE(client.responseCount(), 5);
    for (const RawHttpResponse &r : client.responses()) {
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("connection"), QByteArray("keep-alive"));
    }
    QCOMPARE(m_handler.messageData(), (QByteArrayList{"first", "second"}));
    QCOMPARE(disconnected.size(), 0);
    QCOMPARE(client.socket()->state(), QAbstractSocket::ConnectedState);
}

void tst_EngineServer::connectionClose_data()
{
    QTest::addColumn<QByteArray>("version");
    QTest::addColumn<QByteArray>("connectionHeader");
    QTest::addColumn<bool>("keepAlive");

    QTest::addRow("HTTP/1.1") << QByteArray("HTTP/1.1") << QByteArray() << true;
    QTest::addRow("HTTP/1.1, Connection: close") << QByteArray("HTTP/1.1") << QByteArray("close") << false;
    QTest::addRow("HTTP/1.0") << QByteArray("HTTP/1.0") << QByteArray() << false;
    QTest::addRow("HTTP/1.0, Connection: keep-alive") << QByteArray("HTTP/1.0") << QByteArray("keep-alive") << true;
}

void tst_EngineServer::connectionClose()
{
    QFETCH(QByteArray, version);
    QFETCH(QByteArray, connectionHeader);
    QFETCH(bool, keepAlive);

    QVERIFY(start());
    RawHttpClient client;
    QVERIFY(client.connectToServer(port()));
    QByteArray request = "GET " + HandshakeTarget + ' ' + version + "\r\nHost: 127.0.0.1\r\n";
    if (!connectionHeader.isEmpty())
        request += "Connection: " + connectionHeader + "\r\n";
    client.write(request + "\r\n");
    QTRY_COMPARE(client.responseCount(), 1);
    QCOMPARE(client.response(0).status, 200);
    QVERIFY(!sidOfOpenPacket(client.response(0).body).isEmpty());
    QCOMPARE(client.response(0).header("connection"), keepAlive ? QByteArray("keep-alive") : QByteArray("close"));
    if (keepAlive) {
        QTest::qWait(100);
        QVERIFY(!client.isDisconnected());
    } else {
        QVERIFY(client.waitForDisconnected());
    }
    QCOMPARE(m_server->sessionCount(), 1);   // the session outlives the connection that opened it
}

void tst_EngineServer::pipelinedRequests()
{
    QVERIFY(start());
    RawHttpClient client;
    const QByteArray sid = openPolling(client);
    QVERIFY(!sid.isEmpty());
    session(sid)->send("x");

    // Four requests in one write: each is answered in order, on the same connection.
    client.write(RawHttpClient::request("POST", pollTarget(sid), "4a")
                 + RawHttpClient::request("GET", pollTarget(sid))
                 + RawHttpClient::request("GET", "/elsewhere")
                 + RawHttpClient::request("POST", pollTarget(sid), payload({"4b", "4c"})));
    QTRY_COMPARE(client.responseCount(), 5);
    QCOMPARE(client.response(1).status, 200);
    QCOMPARE(client.response(1).body, QByteArray("ok"));
    QCOMPARE(client.response(2).status, 200);
    QCOMPARE(client.response(2).body, QByteArray("4x"));
    QCOMPARE(client.response(3).status, 404);
    QCOMPARE(client.response(4).status, 200);
    QCOMPARE(client.response(4).body, QByteArray("ok"));
    QCOMPARE(m_handler.messageData(), (QByteArrayList{"a", "b", "c"}));

    // A GET held in the middle of a pipeline holds what follows it, too.
    client.write(RawHttpClient::request("GET", pollTarget(sid))
                 + RawHttpClient::request("POST", pollTarget(sid), "4d"));
    QTest::qWait(100);
    QCOMPARE(client.responseCount(), 5);
    QCOMPARE(m_handler.messages.size(), 3);
    session(sid)->send("y");
    QTRY_COMPARE(client.responseCount(), 7);
    QCOMPARE(client.response(5).body, QByteArray("4y"));
    QCOMPARE(client.response(6).body, QByteArray("ok"));
    QCOMPARE(m_handler.messages.size(), 4);
    QVERIFY(client.leftover().isEmpty());
}

void tst_EngineServer::pipelinedHandshakes()
{
    QVERIFY(start());
    RawHttpClient client;
    QVERIFY(client.connectToServer(port()));
    client.write(RawHttpClient::request("GET", HandshakeTarget) + RawHttpClient::request("GET", HandshakeTarget)
                 + RawHttpClient::request("GET", "/engine.io/?EIO=3&transport=polling"));
    QTRY_COMPARE(client.responseCount(), 3);
    const QByteArray a = sidOfOpenPacket(client.response(0).body);
    const QByteArray b = sidOfOpenPacket(client.response(1).body);
    QVERIFY(!a.isEmpty());
    QVERIFY(!b.isEmpty());
    QVERIFY(a != b);
    QCOMPARE(m_handler.opened, (QList<QByteArray>{a, b}));
    QCOMPARE(client.response(2).status, 400);
    QCOMPARE(client.response(2).body, errorBody(5, "Unsupported protocol version"));
}

// --- refusals and limits -------------------------------------------------------------------------------

void tst_EngineServer::errorResponses_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("closes");

    const QByteArray t0 = errorBody(0, "Transport unknown");
    const QByteArray t1 = errorBody(1, "Session ID unknown");
    const QByteArray t2 = errorBody(2, "Bad handshake method");
    const QByteArray t3 = errorBody(3, "Bad request");
    const QByteArray t5 = errorBody(5, "Unsupported protocol version");

    QTest::addRow("unknown transport")
            << RawHttpClient::request("GET", "/engine.io/?EIO=4&transport=carrier-pigeon") << 400 << t0 << false;
    QTest::addRow("missing transport") << RawHttpClient::request("GET", "/engine.io/?EIO=4") << 400 << t0 << false;
    QTest::addRow("unknown sid, GET") << RawHttpClient::request("GET", pollTarget("AAAAAAAAAAAAAAAAAAAA")) << 400
                                      << t1 << false;
    QTest::addRow("unknown sid, POST") << RawHttpClient::request("POST", pollTarget("nope"), "4x") << 400 << t1
                                       << false;
    QTest::addRow("unknown sid, websocket") << upgradeRequest(wsTarget("nope")) << 400 << t1 << true;
    QTest::addRow("handshake with POST") << RawHttpClient::request("POST", HandshakeTarget, "4x") << 400 << t2
                                         << false;
    QTest::addRow("handshake with PUT") << RawHttpClient::request("PUT", HandshakeTarget, "") << 400 << t2 << false;
    QTest::addRow("websocket transport without upgrade") << RawHttpClient::request("GET", wsTarget()) << 400 << t3
                                                         << false;
    QTest::addRow("websocket upgrade, wrong version")
            << QByteArray(upgradeRequest(wsTarget()).replace("Version: 13", "Version: 8")) << 400 << t3 << true;
    QTest::addRow("websocket upgrade without key")
            << QByteArray(upgradeRequest(wsTarget()).replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", ""))
            << 400 << t3 << true;
    QTest::addRow("polling with an upgrade head") << upgradeRequest(HandshakeTarget) << 400 << t3 << true;
    QTest::addRow("EIO=3") << RawHttpClient::request("GET", "/engine.io/?EIO=3&transport=polling") << 400 << t5
                           << false;
    QTest::addRow("EIO=5") << RawHttpClient::request("GET", "/engine.io/?EIO=5&transport=polling") << 400 << t5
                           << false;
    QTest::addRow("missing EIO") << RawHttpClient::request("GET", "/engine.io/?transport=polling") << 400 << t5
                                 << false;
}

void tst_EngineServer::errorResponses()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(bool, closes);

    QVERIFY(start());
    RawHttpClient client;
    QVERIFY(client.connectToServer(port()));
    client.write(request);
    QTRY_COMPARE(client.responseCount(), 1);
    const RawHttpResponse &r = client.response(0);
    QCOMPARE(r.status, status);
    QCOMPARE(r.reason, QByteArray("Bad Request"));
    QCOMPARE(r.header("content-type"), QByteArray("application/json"));
    QCOMPARE(r.body, body);
    QCOMPARE(r.header("connection"), closes ? QByteArray("close") : QByteArray("keep-alive"));
    if (closes) {
        QVERIFY(client.waitForDisconnected());
    } else {
        // The connection still serves requests.
        QVERIFY(!openPolling(client).isEmpty());
    }
    QCOMPARE(m_handler.opened.size(), closes ? 0 : 1);
}

void tst_EngineServer::errorsWithSession_data()
{
    QTest::addColumn<bool>("webSocketSession");
    QTest::addColumn<QByteArray>("method");   // "UPGRADE" for a WebSocket handshake
    QTest::addColumn<QByteArray>("transport");

    QTest::addRow("polling GET to a websocket session") << true << QByteArray("GET") << QByteArray("polling");
    QTest::addRow("polling POST to a websocket session") << true << QByteArray("POST") << QByteArray("polling");
    QTest::addRow("DELETE to a polling session") << false << QByteArray("DELETE") << QByteArray("polling");
}

void tst_EngineServer::errorsWithSession()
{
    QFETCH(bool, webSocketSession);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, transport);

    QVERIFY(start());
    WsClient ws;
    RawHttpClient poller;
    const QByteArray sid = webSocketSession ? openWebSocket(ws) : openPolling(poller);
    QVERIFY(!sid.isEmpty());

    RawHttpClient client;
    QVERIFY(client.connectToServer(port()));
    const QByteArray target = "/engine.io/?EIO=4&transport=" + transport + "&sid=" + sid;
    if (method == "UPGRADE")
        client.write(upgradeRequest(target));
    else
        client.write(RawHttpClient::request(method, target, method == "POST" ? QByteArray("4x") : QByteArray()));
    QTRY_COMPARE(client.responseCount(), 1);
    QCOMPARE(client.response(0).status, 400);
    QCOMPARE(client.response(0).body, errorBody(3, "Bad request"));
    // The session is not hurt by a refused request.
    QTest::qWait(50);
    QVERIFY(m_handler.closed.isEmpty());
    QVERIFY(session(sid) && session(sid)->isOpen());
    QVERIFY(m_handler.messages.isEmpty());
}

void tst_EngineServer::transportsDisabled_data()
{
    QTest::addColumn<bool>("allowPolling");
    QTest::addColumn<bool>("allowWebSocket");
    QTest::addColumn<QByteArray>("request");

    QTest::addRow("polling disabled") << false << true << RawHttpClient::request("GET", HandshakeTarget);
    QTest::addRow("websocket disabled") << true << false << upgradeRequest(wsTarget());
}

void tst_EngineServer::transportsDisabled()
{
    QFETCH(bool, allowPolling);
    QFETCH(bool, allowWebSocket);
    QFETCH(QByteArray, request);

    QEngineIo::Options options = baseOptions();
    options.allowPolling = allowPolling;
    options.allowWebSocket = allowWebSocket;
    QVERIFY(start(options));
    RawHttpClient client;
    QVERIFY(client.connectToServer(port()));
    client.write(request);
    QTRY_COMPARE(client.responseCount(), 1);
    QCOMPARE(client.response(0).status, 400);
    QCOMPARE(client.response(0).body, errorBody(0, "Transport unknown"));
    QCOMPARE(m_server->sessionCount(), 0);
}

void tst_EngineServer::allowRequest_data()
{
    QTest::addColumn<bool>("async");
    QTest::addColumn<bool>("webSocket");
    QTest::addColumn<bool>("allow");
    QTest::addColumn<int>("answerStatus");
    QTest::addColumn<QByteArray>("answerMessage");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("reason");

    const QByteArray forbidden = errorBody(4, "Forbidden");
    const QByteArray none;
    QTest::addRow("sync refusal")
            << false << false << false << 0 << none << 403 << forbidden << QByteArray("Forbidden");
    QTest::addRow("sync refusal, custom status and message")
            << false << false << false << 401 << QByteArray("Not authorized") << 401
            << errorBody(4, "Not authorized") << QByteArray("Unauthorized");
    QTest::addRow("async refusal")
            << true << false << false << 0 << none << 403 << forbidden << QByteArray("Forbidden");
    QTest::addRow("async refusal, custom status and message")
            << true << false << false << 429 << QByteArray("Slow down") << 429 << errorBody(4, "Slow down")
            << QByteArray("Too Many Requests");
    QTest::addRow("refusal message is JSON-escaped")
            << false << false << false << 0 << QByteArray("say \"no\"\\") << 403
            << QByteArray("{\"code\":4,\"message\":\"say \\\"no\\\"\\\\\"}") << QByteArray("Forbidden");
    QTest::addRow("sync refusal of a websocket")
            << false << true << false << 0 << none << 403 << forbidden << QByteArray("Forbidden");
    QTest::addRow("async refusal of a websocket, custom")
            << true << true << false << 401 << QByteArray("No token") << 401 << errorBody(4, "No token")
            << QByteArray("Unauthorized");
    QTest::addRow("sync acceptance") << false << false << true << 0 << none << 200 << none << QByteArray("OK");
    QTest::addRow("async acceptance") << true << false << true << 0 << none << 200 << none << QByteArray("OK");
    QTest::addRow("async acceptance of a websocket")
            << true << true << true << 0 << none << 101 << none << QByteArray("Switching Protocols");
}

void tst_EngineServer::allowRequest()
{
    QFETCH(bool, async);
    QFETCH(bool, webSocket);
    QFETCH(bool, allow);
    QFETCH(int, answerStatus);
    QFETCH(QByteArray, answerMessage);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, reason);

    QList<QEngineIo::RequestInfo> seen;
    QEngineIo::Options options = baseOptions();
    QObject context;
    options.allowRequest = [&](const QEngineIo::RequestInfo &request, const QEngineIo::AllowRequestCallback &answer) {
        seen.append(request);
        if (async) {
            QTimer::singleShot(200, &context, [=] {
                answer(allow, answerStatus, answerMessage);
                answer(!allow, 0, {});   // a second answer is ignored
            });
        } else {
            answer(allow, answerStatus, answerMessage);
        }
    };
    QVERIFY(start(options));

    RawHttpClient client;
    QVERIFY(client.connectToServer(port()));
    const quint16 clientPort = client.socket()->localPort();
    client.write(webSocket ? upgradeRequest(wsTarget(), "X-Token: abc\r\n")
                           : RawHttpClient::request("GET", HandshakeTarget, {}, "X-Token: abc\r\n"));
    if (async) {
        QTest::qWait(50);
        QCOMPARE(client.responseCount(), 0);   // the hook has not answered yet
    }
    QTRY_COMPARE(client.responseCount(), 1);
    const RawHttpResponse &r = client.response(0);
    QCOMPARE(r.status, status);
    QCOMPARE(r.reason, reason);

    QCOMPARE(seen.size(), 1);
    QCOMPARE(seen.at(0).transport, webSocket ? Transport::WebSocket : Transport::Polling);
    QVERIFY(seen.at(0).sid.isEmpty());
    QCOMPARE(seen.at(0).http.method, QByteArray("GET"));
    QCOMPARE(seen.at(0).http.headers.value("x-token"), QByteArray("abc"));
    QCOMPARE(seen.at(0).peerAddress, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(seen.at(0).peerPort, clientPort);

    if (!allow) {
        QCOMPARE(r.header("content-type"), QByteArray("application/json"));
        QCOMPARE(r.body, body);
        QCOMPARE(m_server->sessionCount(), 0);
        QVERIFY(m_handler.opened.isEmpty());
        if (webSocket)
            QVERIFY(client.waitForDisconnected());
        return;
    }
    QTRY_COMPARE(m_handler.opened.size(), 1);
    QCOMPARE(m_server->sessionCount(), 1);
    if (!webSocket)
        QCOMPARE(sidOfOpenPacket(r.body), m_handler.opened.at(0));
    // Only handshakes are asked: requests of an open session go through.
    if (!webSocket) {
        client.sendPost(pollTarget(m_handler.opened.at(0)), "4hi");
        QTRY_COMPARE(client.responseCount(), 2);
        QCOMPARE(client.response(1).body, QByteArray("ok"));
        QCOMPARE(seen.size(), 1);
    }
}

void tst_EngineServer::allowRequestLateAnswer_data()
{
    QTest::addColumn<bool>("webSocket");
    QTest::addColumn<bool>("deleteServer");

    QTest::addRow("polling, client gone") << false << false;
    QTest::addRow("websocket, client gone") << true << false;
    QTest::addRow("polling, server gone") << false << true;
    QTest::addRow("websocket, server gone") << true << true;
}

void tst_EngineServer::allowRequestLateAnswer()
{
    QFETCH(bool, webSocket);
    QFETCH(bool, deleteServer);

    QEngineIo::AllowRequestCallback pending;
    QEngineIo::Options options = baseOptions();
    options.allowRequest = [&](const QEngineIo::RequestInfo &, const QEngineIo::AllowRequestCallback &answer) {
        pending = answer;
    };
    QVERIFY(start(options));
    RawHttpClient client;
    QVERIFY(client.connectToServer(port()));
    client.write(webSocket ? upgradeRequest(wsTarget()) : RawHttpClient::request("GET", HandshakeTarget));
    QTRY_VERIFY(bool(pending));

    if (deleteServer) {
        m_server.reset();
        QVERIFY(client.waitForDisconnected());
    } else {
        client.socket()->abort();
        QTest::qWait(50);   // the server sees the connection go
    }
    pending(true, 0, {});   // ignored: nobody to answer
    pending(false, 0, {});
    QTest::qWait(50);
    QVERIFY(m_handler.opened.isEmpty());
    if (m_server)
        QCOMPARE(m_server->sessionCount(), 0);
}

void tst_EngineServer::notFoundOutsidePath_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<bool>("closes");

    QTest::addRow("root") << RawHttpClient::request("GET", "/") << false;
    QTest::addRow("other path") << RawHttpClient::request("GET", "/other?EIO=4&transport=polling") << false;
    QTest::addRow("prefix of a longer name") << RawHttpClient::request("GET", "/engine.iox/?EIO=4&transport=polling")
                                             << false;
    QTest::addRow("below the path") << RawHttpClient::request("GET", "/engine.io/x?EIO=4&transport=polling")
                                    << false;
    QTest::addRow("POST elsewhere") << RawHttpClient::request("POST", "/socket.io/?EIO=4&transport=polling", "4x")
                                    << false;
    QTest::addRow("websocket upgrade elsewhere") << upgradeRequest("/ws?EIO=4&transport=websocket") << true;
}

void tst_EngineServer::notFoundOutsidePath()
{
    QFETCH(QByteArray, request);
    QFETCH(bool, closes);

    QVERIFY(start());
    RawHttpClient client;
    QVERIFY(client.connectToServer(port()));
    client.write(request);
    QTRY_COMPARE(client.responseCount(), 1);
    QCOMPARE(client.response(0).status, 404);
    QCOMPARE(client.response(0).reason, QByteArray("Not Found"));
    QCOMPARE(client.response(0).body, QByteArray("Not Found"));
    QCOMPARE(client.response(0).header("content-type"), QByteArray("text/plain; charset=UTF-8"));
    if (closes)
        QVERIFY(client.waitForDisconnected());
    else
        QCOMPARE(client.response(0).header("connection"), QByteArray("keep-alive"));
    QCOMPARE(m_server->sessionCount(), 0);
}

void tst_EngineServer::fallbackHandler()
{
    QVERIFY(start());
    QList<QByteArray> asked;
    m_server->setFallbackHandler([&](QEngineIoHttpConnection *connection, const QHttpRequest &request) {
        asked.append(request.path);
        if (request.path != "/health")
            return false;
        QHttpHeaderList headers;
        headers.append("Content-Type", "text/plain");
        connection->respond(200, headers, "healthy");
        return true;
    });
    RawHttpClient client;
    QVERIFY(client.connectToServer(port()));
    client.write(RawHttpClient::request("GET", "/health") + RawHttpClient::request("GET", "/other")
                 + RawHttpClient::request("GET", HandshakeTarget));
    QTRY_COMPARE(client.responseCount(), 3);
    QCOMPARE(client.response(0).status, 200);
    QCOMPARE(client.response(0).body, QByteArray("healthy"));
    QCOMPARE(client.response(1).status, 404);
    QCOMPARE(client.response(2).status, 200);
    QCOMPARE(asked, (QList<QByteArray>{"/health", "/other"}));   // Engine.IO requests never reach it
}

void tst_EngineServer::malformedHttp_data()
{
    QTest::addColumn<QByteArray>("request");

    QTest::addRow("garbage request line") << QByteArray("HELLO\r\n\r\n");
    QTest::addRow("binary noise") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
    QTest::addRow("space in a header name")
            << QByteArray("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nBad Header: x\r\n\r\n");
    QTest::addRow("invalid Content-Length")
            << QByteArray("POST /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nContent-Length: abc\r\n\r\n");
    QTest::addRow("Content-Length and chunked")
            << QByteArray("POST /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nContent-Length: 3\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
    QTest::addRow("bad chunk size")
            << QByteArray("POST /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "zz\r\nabc\r\n");
    QTest::addRow("after a good request")
            << QByteArray(RawHttpClient::request("GET", "/nowhere") + "NOT HTTP AT ALL\r\n\r\n");
}

void tst_EngineServer::malformedHttp()
{
    QFETCH(QByteArray, request);

    QVERIFY(start());
    RawHttpClient client;
    QVERIFY(client.connectToServer(port()));
    client.write(request);
    QVERIFY(client.waitForDisconnected());
    QVERIFY(client.responseCount() >= 1);
    const RawHttpResponse &r = client.lastResponse();
    QCOMPARE(r.status, 400);
    QCOMPARE(r.reason, QByteArray("Bad Request"));
    QCOMPARE(r.header("connection"), QByteArray("close"));
    QVERIFY(r.body.startsWith("Bad Request"));
    QCOMPARE(m_server->sessionCount(), 0);
}

void tst_EngineServer::headersTooLarge_data()
{
    QTest::addColumn<QByteArray>("request");

    QTest::addRow("one long header")
            << RawHttpClient::request("GET", HandshakeTarget, {}, "X-Big: " + QByteArray(4000, 'a') + "\r\n");
    QByteArray many;
    for (int i = 0; i < 40; ++i)
        many += "X-H" + QByteArray::number(i) + ": v\r\n";
    QTest::addRow("too many headers") << RawHttpClient::request("GET", HandshakeTarget, {}, many);
    QTest::addRow("long request target")
            << RawHttpClient::request("GET", HandshakeTarget + "&pad=" + QByteArray(4000, 'p'));
    QTest::addRow("long head, never finished")
            << QByteArray("GET " + HandshakeTarget + " HTTP/1.1\r\nX-Big: " + QByteArray(4000, 'a'));
}

void tst_EngineServer::headersTooLarge()
{
    QFETCH(QByteArray, request);

    QEngineIo::Options options = baseOptions();
    options.maxHeaderBytes = 2048;
    options.maxHeaderCount = 20;
    QVERIFY(start(options));
    RawHttpClient client;
    QVERIFY(client.connectToServer(port()));
    client.write(request);
    QTRY_COMPARE(client.responseCount(), 1);
    QCOMPARE(client.response(0).status, 431);
    QCOMPARE(client.response(0).reason, QByteArray("Request Header Fields Too Large"));
    QCOMPARE(client.response(0).header("connection"), QByteArray("close"));
    QVERIFY(client.waitForDisconnected());
    QCOMPARE(m_server->sessionCount(), 0);
}

void tst_EngineServer::postTooLarge_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("reason");

    const QByteArray tooLarge = "Payload Too Large";
    QTest::addRow("Content-Length over the limit")
            << QByteArray("Content-Length: 201\r\n") << QByteArray("4" + QByteArray(200, 'x')) << 413 << tooLarge;
    QTest::addRow("Content-Length one over the limit")
            << QByteArray("Content-Length: 101\r\n") << QByteArray("4" + QByteArray(100, 'x')) << 413 << tooLarge;
    QTest::addRow("chunked body growing over the limit")
            << QByteArray("Transfer-Encoding: chunked\r\n")
            << QByteArray("40\r\n4" + QByteArray(63, 'x') + "\r\n40\r\n" + QByteArray(64, 'y') + "\r\n0\r\n\r\n")
            << 413 << tooLarge;
    // Like Node, a data request must say how long it is.
    QTest::addRow("chunked, no Content-Length")
            << QByteArray("Transfer-Encoding: chunked\r\n") << QByteArray("3\r\n4hi\r\n0\r\n\r\n") << 411
            << QByteArray("Length Required");
    QTest::addRow("exactly the limit") << QByteArray("Content-Length: 100\r\n")
                                       << QByteArray("4" + QByteArray(99, 'x')) << 200 << QByteArray("OK");
}

void tst_EngineServer::postTooLarge()
{
    QFETCH(QByteArray, headers);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, reason);

    QEngineIo::Options options = baseOptions();
    options.maxHttpBufferSize = 100;
    QVERIFY(start(options));
    RawHttpClient client;
    const QByteArray sid = openPolling(client);
    QVERIFY(!sid.isEmpty());
    RawHttpClient poller;   // a GET held on another connection hears the session end
    QVERIFY(poller.connectToServer(port()));
    poller.sendGet(pollTarget(sid));
    QTest::qWait(50);

    client.write("POST " + pollTarget(sid) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n" + body);
    QTRY_COMPARE(client.responseCount(), 2);
    QCOMPARE(client.response(1).status, status);
    QCOMPARE(client.response(1).reason, reason);
    if (status == 200) {
        QTRY_COMPARE(m_handler.messages.size(), 1);
        QCOMPARE(m_handler.messages.at(0).data.size(), 99);
        QVERIFY(session(sid)->isOpen());
        return;
    }
    QCOMPARE(client.response(1).header("connection"), QByteArray("close"));
    QVERIFY(client.waitForDisconnected());
    QTRY_COMPARE(m_handler.closed.size(), 1);
    QCOMPARE(m_handler.closed.at(0).sid, sid);
    QCOMPARE(m_handler.closed.at(0).reason, CloseReason::TransportError);
    QVERIFY(m_handler.messages.isEmpty());
    QTRY_COMPARE(poller.responseCount(), 1);
    QCOMPARE(poller.response(0).body, QByteArray("1"));
    QTRY_COMPARE(m_server->sessionCount(), 0);
}

void tst_EngineServer::webSocketMessageTooLarge_data()
{
    QTest::addColumn<bool>("binary");
    QTest::addColumn<int>("size");
    QTest::addColumn<bool>("closes");

    QTest::addRow("text over the limit") << false << 200 << true;
    QTest::addRow("binary over the limit") << true << 200 << true;
    QTest::addRow("text at the limit") << false << 100 << false;
    QTest::addRow("binary at the limit") << true << 100 << false;
}

void tst_EngineServer::webSocketMessageTooLarge()
{
    QFETCH(bool, binary);
    QFETCH(int, size);
    QFETCH(bool, closes);

    QEngineIo::Options options = baseOptions();
    options.maxHttpBufferSize = 100;
    QVERIFY(start(options));
    WsClient client;
    const QByteArray sid = openWebSocket(client);
    QVERIFY(!sid.isEmpty());

    if (binary)
        client.ws->sendBinaryMessage(QByteArray(size, 'b'));
    else
        client.ws->sendTextMessage(QLatin1Char('4') + QString(size - 1, QLatin1Char('t')));
    if (!closes) {
        QTRY_COMPARE(m_handler.messages.size(), 1);
        QCOMPARE(m_handler.messages.at(0).data.size(), binary ? size : size - 1);
        QVERIFY(session(sid)->isOpen());
        return;
    }
    QTRY_COMPARE(m_handler.closed.size(), 1);
    QCOMPARE(m_handler.closed.at(0).reason, CloseReason::TransportError);
    QTRY_COMPARE(client.disconnected.size(), 1);
    QCOMPARE(client.ws->closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    QVERIFY(m_handler.messages.isEmpty());
    QTRY_COMPARE(m_server->sessionCount(), 0);
}

void tst_EngineServer::slowRequest_data()
{
    QTest::addColumn<QByteArray>("start");
    QTest::addColumn<QByteArray>("trickle");
    QTest::addColumn<bool>("headTimeout");

    QTest::addRow("slow head (slowloris)")
            << QByteArray("GET " + HandshakeTarget + " HTTP/1.1\r\nHost: 127.0.0.1\r\n") << QByteArray("X-Slow: y\r\n")
            << true;
    QTest::addRow("slow body")
            << QByteArray("POST " + HandshakeTarget + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n")
            << QByteArray("x") << false;
}

void tst_EngineServer::slowRequest()
{
    QFETCH(QByteArray, start);
    QFETCH(QByteArray, trickle);
    QFETCH(bool, headTimeout);

    QEngineIo::Options options = baseOptions();
    options.headersTimeout = headTimeout ? 400 : 5000;
    options.requestTimeout = headTimeout ? 5000 : 400;
    QVERIFY(this->start(options));
    RawHttpClient client;
    QVERIFY(client.connectToServer(port()));

    QTimer trickler;
    trickler.setInterval(40);
    QObject::connect(&trickler, &QTimer::timeout, client.socket(), [&] { client.write(trickle); });
    QElapsedTimer clock;
    clock.start();
    client.write(start);
    trickler.start();
    QVERIFY(client.waitForDisconnected());
    const qint64 elapsed = clock.elapsed();
    trickler.stop();
    QCOMPARE(client.responseCount(), 1);
    QCOMPARE(client.response(0).status, 408);
    QCOMPARE(client.response(0).reason, QByteArray("Request Timeout"));
    QCOMPARE(client.response(0).header("connection"), QByteArray("close"));
    QVERIFY2(elapsed >= 350, QByteArray::number(elapsed).constData());
    QVERIFY2(elapsed < 400 + 1500, QByteArray::number(elapsed).constData());
}

void tst_EngineServer::keepAliveTimeout_data()
{
    QTest::addColumn<bool>("afterResponse");
    QTest::addRow("idle after connecting") << false;
    QTest::addRow("idle after a response") << true;
}

void tst_EngineServer::keepAliveTimeout()
{
    QFETCH(bool, afterResponse);

    QEngineIo::Options options = baseOptions();
    options.keepAliveTimeout = 300;
    QVERIFY(start(options));
    RawHttpClient client;
    QVERIFY(client.connectToServer(port()));
    if (afterResponse) {
        client.sendGet("/nowhere");
        QTRY_COMPARE(client.responseCount(), 1);
    }
    QElapsedTimer clock;
    clock.start();
    QVERIFY(client.waitForDisconnected());
    QVERIFY2(clock.elapsed() >= 250, QByteArray::number(clock.elapsed()).constData());
    QCOMPARE(client.responseCount(), afterResponse ? 1 : 0);   // an idle close says nothing
}

// --- upgrade -------------------------------------------------------------------------------------------

void tst_EngineServer::upgradeFromPolling()
{
    QVERIFY(start());
    RawHttpClient http;
    const QByteArray sid = openPolling(http);
    QVERIFY(!sid.isEmpty());
    QEngineIoSession *s = session(sid);
    http.sendGet(pollTarget(sid));   // held

    WsClient ws;
    ws.open(port(), wsTarget(sid));
    QTRY_COMPARE(ws.connected.size(), 1);
    QTRY_VERIFY(s->isUpgrading());
    QCOMPARE(s->transport(), Transport::Polling);
    QCOMPARE(http.responseCount(), 1);   // the GET is still held

    ws.ws->sendTextMessage(QStringLiteral("2probe"));
    QTRY_COMPARE(ws.texts.size(), 1);
    QCOMPARE(ws.text(0), QStringLiteral("3probe"));
    // The held GET is released with a noop so that the client can pause polling.
    QTRY_COMPARE(http.responseCount(), 2);
    QCOMPARE(http.response(1).status, 200);
    QCOMPARE(http.response(1).body, QByteArray("6"));

    // Messages sent between the probe and the upgrade wait for the new transport.
    s->send("during");
    QTest::qWait(50);
    QCOMPARE(ws.texts.size(), 1);

    ws.ws->sendTextMessage(QStringLiteral("5"));
    QTRY_COMPARE(m_handler.upgraded, QList<QByteArray>{sid});
    QCOMPARE(s->transport(), Transport::WebSocket);
    QVERIFY(!s->isUpgrading());
    QTRY_COMPARE(ws.texts.size(), 2);
    QCOMPARE(ws.text(1), QStringLiteral("4during"));

    s->send("after");
    s->send(QByteArray("\x01\x02", 2), true);
    QTRY_COMPARE(ws.texts.size(), 3);
    QCOMPARE(ws.text(2), QStringLiteral("4after"));
    QTRY_COMPARE(ws.binaries.size(), 1);
    QCOMPARE(ws.binary(0), QByteArray("\x01\x02", 2));
    ws.ws->sendTextMessage(QStringLiteral("4up"));
    QTRY_COMPARE(m_handler.messageData(), QByteArrayList{"up"});

    // Polling after the upgrade is refused; the session carries on.
    http.sendGet(pollTarget(sid));
    QTRY_COMPARE(http.responseCount(), 3);
    QCOMPARE(http.response(2).status, 400);
    QCOMPARE(http.response(2).body, errorBody(3, "Bad request"));
    http.sendPost(pollTarget(sid), "4late");
    QTRY_COMPARE(http.responseCount(), 4);
    QCOMPARE(http.response(3).status, 400);
    QCOMPARE(http.response(3).body, errorBody(3, "Bad request"));
    QVERIFY(s->isOpen());
    QVERIFY(m_handler.closed.isEmpty());
    QCOMPARE(m_handler.messages.size(), 1);
}

void tst_EngineServer::secondWebSocketClosed_data()
{
    QTest::addColumn<int>("stage");   // 0: probing, 1: upgraded, 2: a session that opened on WebSocket
    QTest::addRow("while probing") << 0;
    QTest::addRow("after the upgrade") << 1;
    QTest::addRow("websocket session") << 2;
}

void tst_EngineServer::secondWebSocketClosed()
{
    QFETCH(int, stage);
    const bool afterUpgrade = stage != 0;

    QVERIFY(start());
    RawHttpClient http;
    WsClient ws;
    QByteArray sid;
    if (stage == 1) {
        sid = openUpgraded(http, ws);
    } else if (stage == 2) {
        sid = openWebSocket(ws);
    } else {
        sid = openPolling(http);
        QVERIFY(!sid.isEmpty());
        ws.open(port(), wsTarget(sid));
        QTRY_COMPARE(ws.connected.size(), 1);
        QTRY_VERIFY(session(sid)->isUpgrading());
    }
    QVERIFY(!sid.isEmpty());

    RawHttpClient second;
    QVERIFY(second.connectToServer(port()));
    second.write(upgradeRequest(wsTarget(sid)));
    // As engine.io: the handshake completes (101) and a close frame follows at once (not 400, which official
    // clients report as an unexpected response). The raw client never answers the close: the server drops it.
    QVERIFY(second.waitForDisconnected(10000));
    QCOMPARE(second.responseCount(), 1);
    QCOMPARE(second.response(0).status, 101);
    // After the 101 the bytes are WebSocket frames: a close frame (opcode 8, FIN) with code 1000.
    QVERIFY2(second.leftover().startsWith("\x88\x02\x03\xe8"), second.leftover().toHex().constData());

    // A QWebSocket client connects and is closed at once, with a normal close.
    WsClient third;
    third.open(port(), wsTarget(sid));
    QTRY_COMPARE(third.disconnected.size(), 1);
    QCOMPARE(third.connected.size(), 1);
    QCOMPARE(third.ws->closeCode(), QWebSocketProtocol::CloseCodeNormal);

    // The first WebSocket is unaffected.
    if (!afterUpgrade) {
        ws.ws->sendTextMessage(QStringLiteral("2probe"));
        QTRY_COMPARE(ws.texts.size(), 1);
        QCOMPARE(ws.text(0), QStringLiteral("3probe"));
        ws.ws->sendTextMessage(QStringLiteral("5"));
        QTRY_COMPARE(m_handler.upgraded, QList<QByteArray>{sid});
    }
    session(sid)->send("still");
    QTRY_VERIFY(ws.allTexts().contains(QStringLiteral("4still")));
    QVERIFY(m_handler.closed.isEmpty());
}

void tst_EngineServer::upgradeTimeout_data()
{
    QTest::addColumn<bool>("probe");
    QTest::addRow("silent WebSocket") << false;
    QTest::addRow("probed, never upgraded") << true;
}

void tst_EngineServer::upgradeTimeout()
{
    QFETCH(bool, probe);

    QEngineIo::Options options = baseOptions();
    options.upgradeTimeout = 300;
    QVERIFY(start(options));
    RawHttpClient http;
    const QByteArray sid = openPolling(http);
    QVERIFY(!sid.isEmpty());
    QEngineIoSession *s = session(sid);

    WsClient ws;
    QElapsedTimer clock;
    clock.start();
    ws.open(port(), wsTarget(sid));
    QTRY_COMPARE(ws.connected.size(), 1);
    QTRY_VERIFY(s->isUpgrading());
    if (probe) {
        http.sendGet(pollTarget(sid));
        ws.ws->sendTextMessage(QStringLiteral("2probe"));
        QTRY_COMPARE(ws.texts.size(), 1);
        QTRY_COMPARE(http.responseCount(), 2);
        QCOMPARE(http.response(1).body, QByteArray("6"));
    }
    QTRY_COMPARE(ws.disconnected.size(), 1);
    QVERIFY2(clock.elapsed() >= 250, QByteArray::number(clock.elapsed()).constData());
    QVERIFY(!s->isUpgrading());
    QVERIFY(s->isOpen());
    QCOMPARE(s->transport(), Transport::Polling);
    QVERIFY(m_handler.upgraded.isEmpty());
    QVERIFY(m_handler.closed.isEmpty());

    // Polling goes on as before: a GET is held again (no more noop answers) until there is data.
    const int before = http.responseCount();
    http.sendGet(pollTarget(sid));
    QTest::qWait(100);
    QCOMPARE(http.responseCount(), before);
    s->send("still polling");
    QTRY_COMPARE(http.responseCount(), before + 1);
    QCOMPARE(http.lastResponse().body, QByteArray("4still polling"));
    http.sendPost(pollTarget(sid), "4hi");
    QTRY_COMPARE(http.responseCount(), before + 2);
    QCOMPARE(http.lastResponse().body, QByteArray("ok"));
    QCOMPARE(m_handler.messageData(), QByteArrayList{"hi"});

    // And a later upgrade succeeds.
    WsClient again;
    again.open(port(), wsTarget(sid));
    QTRY_COMPARE(again.connected.size(), 1);
    again.ws->sendTextMessage(QStringLiteral("2probe"));
    QTRY_COMPARE(again.texts.size(), 1);
    again.ws->sendTextMessage(QStringLiteral("5"));
    QTRY_COMPARE(m_handler.upgraded, QList<QByteArray>{sid});
}

// --- heartbeat -----------------------------------------------------------------------------------------

void tst_EngineServer::heartbeatKeepsAlive_data()
{
    QTest::addColumn<bool>("webSocket");
    QTest::addRow("polling") << false;
    QTest::addRow("websocket") << true;
}

void tst_EngineServer::heartbeatKeepsAlive()
{
    QFETCH(bool, webSocket);

    QEngineIo::Options options = baseOptions();
    options.pingInterval = 200;
    options.pingTimeout = 250;
    QVERIFY(start(options));
    constexpr int Rounds = 4;

    QElapsedTimer clock;
    clock.start();
    if (webSocket) {
        WsClient ws;
        int pings = 0;
        QList<qint64> at;
        QObject::connect(ws.ws.get(), &QWebSocket::textMessageReceived, ws.ws.get(), [&](const QString &message) {
            if (message == QLatin1String("2")) {
                ++pings;
                at.append(clock.elapsed());
                ws.ws->sendTextMessage(QStringLiteral("3"));
            }
        });
        const QByteArray sid = openWebSocket(ws);
        QVERIFY(!sid.isEmpty());
        QTRY_VERIFY(pings >= Rounds);
        for (int i = 1; i < at.size(); ++i)
            QVERIFY2(at.at(i) - at.at(i - 1) >= 100, QByteArray::number(at.at(i) - at.at(i - 1)).constData());
        QVERIFY(session(sid)->isOpen());
    } else {
        RawHttpClient http;
        const QByteArray sid = openPolling(http);
        QVERIFY(!sid.isEmpty());
        qint64 last = clock.elapsed();
        for (int i = 0; i < Rounds; ++i) {
            http.sendGet(pollTarget(sid));
            QTRY_COMPARE(http.responseCount(), 2 + 2 * i);
            QCOMPARE(http.lastResponse().body, QByteArray("2"));
            const qint64 now = clock.elapsed();
            QVERIFY2(now - last >= 100, QByteArray::number(now - last).constData());
            http.sendPost(pollTarget(sid), "3");
            QTRY_COMPARE(http.responseCount(), 3 + 2 * i);
            QCOMPARE(http.lastResponse().body, QByteArray("ok"));
            last = clock.elapsed();
        }
        QVERIFY(session(sid)->isOpen());
    }
    // Four intervals, each longer than pingTimeout alone: the pongs kept the session alive.
    QVERIFY(clock.elapsed() >= Rounds * 200 - 50);
    QVERIFY(m_handler.closed.isEmpty());
    QVERIFY(m_handler.messages.isEmpty());   // pongs are not messages
}

void tst_EngineServer::pingTimeout_data()
{
    QTest::addColumn<bool>("webSocket");
    QTest::addRow("polling") << false;
    QTest::addRow("websocket") << true;
}

void tst_EngineServer::pingTimeout()
{
    QFETCH(bool, webSocket);

    QEngineIo::Options options = baseOptions();
    options.pingInterval = 200;
    options.pingTimeout = 300;
    QVERIFY(start(options));

    QElapsedTimer clock;
    clock.start();
    WsClient ws;
    RawHttpClient http;
    QByteArray sid;
    if (webSocket) {
        sid = openWebSocket(ws);
        QVERIFY(!sid.isEmpty());
        QTRY_COMPARE(ws.texts.size(), 2);
        QCOMPARE(ws.text(1), QStringLiteral("2"));
    } else {
        sid = openPolling(http);
        QVERIFY(!sid.isEmpty());
        http.sendGet(pollTarget(sid));
        QTRY_COMPARE(http.responseCount(), 2);
        QCOMPARE(http.response(1).body, QByteArray("2"));
        http.sendGet(pollTarget(sid));   // held when the timeout strikes
    }
    QVERIFY2(clock.elapsed() >= 150, QByteArray::number(clock.elapsed()).constData());
    QTRY_COMPARE(m_handler.closed.size(), 1);
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(m_handler.closed.at(0).sid, sid);
    QCOMPARE(m_handler.closed.at(0).reason, CloseReason::PingTimeout);
    QVERIFY2(elapsed >= 200 + 300 - 50, QByteArray::number(elapsed).constData());
    QVERIFY2(elapsed <= 200 + 300 + 1000, QByteArray::number(elapsed).constData());
    if (webSocket) {
        QTRY_COMPARE(ws.disconnected.size(), 1);
    } else {
        QTRY_COMPARE(http.responseCount(), 3);
        QCOMPARE(http.response(2).body, QByteArray("1"));
    }
    QTRY_COMPARE(m_server->sessionCount(), 0);
}

// --- closing -------------------------------------------------------------------------------------------

void tst_EngineServer::clientClose_data()
{
    QTest::addColumn<QByteArray>("mode");
    QTest::addRow("polling, close packet") << QByteArray("polling");
    QTest::addRow("websocket, close packet") << QByteArray("packet");
    QTest::addRow("websocket, close frame") << QByteArray("frame");
    QTest::addRow("websocket, connection dropped") << QByteArray("abort");
}

void tst_EngineServer::clientClose()
{
    QFETCH(QByteArray, mode);

    QVERIFY(start());
    if (mode != "polling") {
        WsClient ws;
        const QByteArray sid = openWebSocket(ws);
        QVERIFY(!sid.isEmpty());
        if (mode == "packet")
            ws.ws->sendTextMessage(QStringLiteral("1"));
        else if (mode == "frame")
            ws.ws->close();
        else
            ws.ws->abort();
        QTRY_COMPARE(m_handler.closed.size(), 1);
        QCOMPARE(m_handler.closed.at(0).sid, sid);
        QCOMPARE(m_handler.closed.at(0).reason, CloseReason::TransportClose);
        QTRY_COMPARE(ws.disconnected.size(), 1);
        QCOMPARE(ws.texts.size(), 1);   // nothing after the open packet
    } else {
        RawHttpClient http;
        const QByteArray sid = openPolling(http);
        QVERIFY(!sid.isEmpty());
        RawHttpClient poller;
        QVERIFY(poller.connectToServer(port()));
        poller.sendGet(pollTarget(sid));
        QTest::qWait(50);
        http.sendPost(pollTarget(sid), payload({"4bye", "1"}));
        QTRY_COMPARE(http.responseCount(), 2);
        QCOMPARE(http.response(1).body, QByteArray("ok"));
        QTRY_COMPARE(m_handler.closed.size(), 1);
        QCOMPARE(m_handler.closed.at(0).reason, CloseReason::TransportClose);
        QCOMPARE(m_handler.messageData(), QByteArrayList{"bye"});
        QTRY_COMPARE(poller.responseCount(), 1);
        QCOMPARE(poller.response(0).body, QByteArray("6"));
        http.sendGet(pollTarget(sid));
        QTRY_COMPARE(http.responseCount(), 3);
        QCOMPARE(http.response(2).body, errorBody(1, "Session ID unknown"));
    }
    QTRY_COMPARE(m_server->sessionCount(), 0);
}

void tst_EngineServer::serverClose_data()
{
    QTest::addColumn<QByteArray>("mode");
    QTest::addRow("polling, GET held") << QByteArray("held");
    QTest::addRow("polling, next GET") << QByteArray("next");
    QTest::addRow("websocket") << QByteArray("websocket");
    QTest::addRow("upgraded websocket") << QByteArray("upgraded");
}

void tst_EngineServer::serverClose()
{
    QFETCH(QByteArray, mode);

    QVERIFY(start());
    RawHttpClient http;
    WsClient ws;
    QByteArray sid;
    if (mode == "websocket")
        sid = openWebSocket(ws);
    else if (mode == "upgraded")
        sid = openUpgraded(http, ws);
    else
        sid = openPolling(http);
    QVERIFY(!sid.isEmpty());
    QEngineIoSession *s = session(sid);
    const qsizetype textsBefore = ws.texts.size();
    if (mode == "held") {
        http.sendGet(pollTarget(sid));
        QTest::qWait(50);
    }

    s->send("a");
    s->send(QByteArray("\x01", 1), true);
    s->send("b");
    s->close();
    // The handler hears about it before close() returns.
    QCOMPARE(m_handler.closed.size(), 1);
    QCOMPARE(m_handler.closed.at(0).reason, CloseReason::ForcedClose);
    QVERIFY(!s->isOpen());
    s->send("too late");

    if (mode == "held" || mode == "next") {
        if (mode == "next")
            http.sendGet(pollTarget(sid));
        // The queued messages first, then the close packet in a response of its own (clients act on a close
        // packet at once but on messages a tick later, so "1" must not share their payload).
        QTRY_COMPARE(http.responseCount(), 2);
        QCOMPARE(http.response(1).status, 200);
        QCOMPARE(http.response(1).body, payload({"4a", "bAQ==", "4b"}));
        QCOMPARE(m_server->sessionCount(), 1);   // waiting for a poll to deliver the close packet
        http.sendGet(pollTarget(sid));
        QTRY_COMPARE(http.responseCount(), 3);
        QCOMPARE(http.response(2).status, 200);
        QCOMPARE(http.response(2).body, QByteArray("1"));
        QTRY_COMPARE(m_server->sessionCount(), 0);
        http.sendGet(pollTarget(sid));
        QTRY_COMPARE(http.responseCount(), 4);
        QCOMPARE(http.response(3).body, errorBody(1, "Session ID unknown"));
    } else {
        QTRY_COMPARE(ws.disconnected.size(), 1);
        QCOMPARE(ws.allTexts().mid(textsBefore),
                 (QStringList{QStringLiteral("4a"), QStringLiteral("4b"), QStringLiteral("1")}));
        QCOMPARE(ws.binaries.size(), 1);
        QCOMPARE(ws.binary(0), QByteArray("\x01", 1));
        QTRY_COMPARE(m_server->sessionCount(), 0);
    }
    QCOMPARE(m_handler.closed.size(), 1);
}

void tst_EngineServer::serverCloseUndelivered()
{
    QEngineIo::Options options = baseOptions();
    options.pingInterval = 200;
    options.pingTimeout = 200;
    QVERIFY(start(options));
    RawHttpClient http;
    const QByteArray sid = openPolling(http);
    QVERIFY(!sid.isEmpty());

    QElapsedTimer clock;
    clock.start();
    session(sid)->send("never read");
    session(sid)->close();
    QCOMPARE(m_handler.closed.size(), 1);
    QCOMPARE(m_server->sessionCount(), 1);
    // Nobody polls: the session ends anyway, after pingInterval + pingTimeout.
    QTRY_COMPARE(m_server->sessionCount(), 0);
    QVERIFY2(clock.elapsed() >= 350, QByteArray::number(clock.elapsed()).constData());
    QCOMPARE(m_handler.closed.size(), 1);
    http.sendGet(pollTarget(sid));
    QTRY_COMPARE(http.responseCount(), 2);
    QCOMPARE(http.response(1).body, errorBody(1, "Session ID unknown"));
}

void tst_EngineServer::serverShutdown()
{
    QVERIFY(start());
    RawHttpClient held;
    const QByteArray heldSid = openPolling(held);
    held.sendGet(pollTarget(heldSid));
    RawHttpClient idle;
    const QByteArray idleSid = openPolling(idle);
    WsClient ws;
    const QByteArray wsSid = openWebSocket(ws);
    QVERIFY(!heldSid.isEmpty() && !idleSid.isEmpty() && !wsSid.isEmpty());
    QTest::qWait(50);
    QCOMPARE(m_server->sessionCount(), 3);
    const quint16 oldPort = port();

    m_server->close();
    QVERIFY(!m_server->isListening());
    QCOMPARE(m_server->sessionCount(), 0);
    QCOMPARE(m_handler.closed.size(), 3);
    for (const RecordingEngineHandler::Closed &c : std::as_const(m_handler.closed))
        QCOMPARE(c.reason, CloseReason::ServerShuttingDown);

    // The held GET gets the close packet, the WebSocket gets it too, and every connection ends.
    QTRY_COMPARE(held.responseCount(), 2);
    QCOMPARE(held.response(1).body, QByteArray("1"));
    QTRY_COMPARE(ws.disconnected.size(), 1);
    QCOMPARE(ws.allTexts().last(), QStringLiteral("1"));
    QVERIFY(held.waitForDisconnected());
    QVERIFY(idle.waitForDisconnected());

    RawHttpClient late;
    QVERIFY(!late.connectToServer(oldPort));
    QCOMPARE(m_handler.closed.size(), 3);
}

void tst_EngineServer::listenAgainAfterClose()
{
    QEngineIo::Options options = baseOptions();
    options.pingInterval = 200;
    options.pingTimeout = 300;
    QVERIFY(start(options));
    WsClient first;
    QVERIFY(!openWebSocket(first).isEmpty());
    QTRY_COMPARE(first.texts.size(), 2);   // a ping
    m_server->close();
    QTRY_COMPARE(first.disconnected.size(), 1);
    // Let the deadlines the closed sessions had (their pong timeout) pass, so that nothing of them is left
    // to wake the server up by chance.
    QTest::qWait(400);

    // The same server listens again and runs heartbeats for its new sessions.
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    QVERIFY(m_server->isListening());
    QVERIFY(m_server->errorString().isEmpty());
    QVERIFY(!m_server->listen(QHostAddress::LocalHost, 0));   // already listening
    QVERIFY(!m_server->errorString().isEmpty());
    WsClient second;
    const QByteArray sid = openWebSocket(second);
    QVERIFY(!sid.isEmpty());
    QTRY_COMPARE(second.texts.size(), 2);
    QCOMPARE(second.text(1), QStringLiteral("2"));
    // And times them out.
    QTRY_COMPARE(m_handler.closed.size(), 2);
    QCOMPARE(m_handler.closed.at(1).sid, sid);
    QCOMPARE(m_handler.closed.at(1).reason, CloseReason::PingTimeout);
}

void tst_EngineServer::sendAfterClose_data()
{
    QTest::addColumn<bool>("webSocket");
    QTest::addRow("polling") << false;
    QTest::addRow("websocket") << true;
}

void tst_EngineServer::sendAfterClose()
{
    QFETCH(bool, webSocket);

    QVERIFY(start());
    int sentInCallback = 0;
    m_handler.onClosed = [&](QEngineIoSession *session, CloseReason) {
        session->send("from the callback");
        session->send(QByteArray("\x01", 1), true);
        ++sentInCallback;
    };
    RawHttpClient http;
    WsClient ws;
    const QByteArray sid = webSocket ? openWebSocket(ws) : openPolling(http);
    QVERIFY(!sid.isEmpty());
    QPointer<QEngineIoSession> s = session(sid);
    if (!webSocket) {
        http.sendGet(pollTarget(sid));
        QTest::qWait(50);
    }
    s->closeWithReason(CloseReason::TransportError, QStringLiteral("test"));
    QCOMPARE(sentInCallback, 1);
    QVERIFY(s);   // deleted later, not now
    QCOMPARE(s->state(), QEngineIoSession::State::Closed);
    s->send("after");
    s->close();   // closing twice is a no-op too
    QCOMPARE(m_handler.closed.size(), 1);
    QCOMPARE(m_handler.closed.at(0).description, QStringLiteral("test"));
    QTRY_VERIFY(!s);

    if (webSocket) {
        QTRY_COMPARE(ws.disconnected.size(), 1);
        QCOMPARE(ws.allTexts().size(), 1);   // only the open packet
        QCOMPARE(ws.binaries.size(), 0);
    } else {
        QTRY_COMPARE(http.responseCount(), 2);
        QCOMPARE(http.response(1).body, QByteArray("1"));
    }
}

void tst_EngineServer::deleteServerWithOpenSessions()
{
    QVERIFY(start());
    RawHttpClient held;   // a GET held
    const QByteArray heldSid = openPolling(held);
    held.sendGet(pollTarget(heldSid));
    RawHttpClient queued;   // messages queued, no GET
    const QByteArray queuedSid = openPolling(queued);
    WsClient ws;   // a WebSocket session
    const QByteArray wsSid = openWebSocket(ws);
    RawHttpClient probing;   // an upgrade in progress
    const QByteArray probingSid = openPolling(probing);
    WsClient probe;
    probe.open(port(), wsTarget(probingSid));
    RawHttpClient half;   // half a request head
    QVERIFY(half.connectToServer(port()));
    half.write("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.");
    QVERIFY(!heldSid.isEmpty() && !queuedSid.isEmpty() && !wsSid.isEmpty() && !probingSid.isEmpty());
    QTRY_COMPARE(probe.connected.size(), 1);
    QTRY_VERIFY(session(probingSid)->isUpgrading());
    session(queuedSid)->send("pending");
    session(wsSid)->send("bye");
    RawHttpClient handingOff;   // a WebSocket handshake sent just before the end
    QVERIFY(handingOff.connectToServer(port()));
    handingOff.write(upgradeRequest(wsTarget()));
    QCOMPARE(m_server->sessionCount(), 4);

    m_server.reset();
    // The layer above is going away too: it hears nothing.
    QVERIFY(m_handler.closed.isEmpty());

    QVERIFY(held.waitForDisconnected());
    QVERIFY(queued.waitForDisconnected());
    QVERIFY(probing.waitForDisconnected());
    QVERIFY(half.waitForDisconnected());
    QVERIFY(handingOff.waitForDisconnected());
    QTRY_COMPARE(ws.disconnected.size(), 1);
    QTRY_COMPARE(probe.disconnected.size(), 1);
    QTest::qWait(50);   // let deferred deletes run
}

void tst_EngineServer::deleteServerInsideHandler_data()
{
    QTest::addColumn<QString>("callback");
    QTest::addColumn<QString>("trigger");

    QTest::addRow("message over polling") << u"message"_s << u"polling message"_s;
    QTest::addRow("message over websocket") << u"message"_s << u"websocket message"_s;
    QTest::addRow("message during an upgrade") << u"message"_s << u"polling message while probing"_s;
    QTest::addRow("closed: polling close packet") << u"closed"_s << u"polling close packet"_s;
    QTest::addRow("closed: poll connection dropped") << u"closed"_s << u"polling drop"_s;
    QTest::addRow("closed: websocket closed") << u"closed"_s << u"websocket close"_s;
    QTest::addRow("closed: ping timeout") << u"closed"_s << u"silent"_s;
    QTest::addRow("closed: oversized POST") << u"closed"_s << u"polling oversized"_s;
    QTest::addRow("upgraded") << u"upgraded"_s << u"upgrade"_s;
    QTest::addRow("opened over polling") << u"opened"_s << u"polling open"_s;
    QTest::addRow("opened over websocket") << u"opened"_s << u"websocket open"_s;
}

// The layer above may delete the server from any callback; nothing of it is touched afterwards and the
// clients see their connections end.
void tst_EngineServer::deleteServerInsideHandler()
{
    QFETCH(QString, callback);
    QFETCH(QString, trigger);
    QEngineIo::Options options = baseOptions();
    options.pingInterval = 200;
    options.pingTimeout = 200;
    options.maxHttpBufferSize = 1000;
    QVERIFY(start(options));
    bool deleted = false;
    auto die = [&] {
        deleted = true;
        m_server.reset();
    };
    if (callback == u"message"_s)
        m_handler.onMessage = [&](QEngineIoSession *, const QByteArray &, bool) { die(); };
    else if (callback == u"closed"_s)
        m_handler.onClosed = [&](QEngineIoSession *, QEngineIo::CloseReason) { die(); };
    else if (callback == u"opened"_s)
        m_handler.onOpened = [&](QEngineIoSession *) { die(); };
    else
        m_handler.onUpgraded = [&](QEngineIoSession *) { die(); };

    RawHttpClient http;
    RawHttpClient poster;
    WsClient ws;
    if (trigger == u"polling open"_s) {
        QVERIFY(http.connectToServer(port()));
        http.sendGet(HandshakeTarget);
    } else if (trigger == u"websocket open"_s) {
        ws.open(port(), wsTarget());
    } else if (trigger.startsWith(u"websocket"_s)) {
        QVERIFY(!openWebSocket(ws).isEmpty());
        if (trigger == u"websocket message"_s)
            ws.ws->sendTextMessage(u"4hello"_s);
        else
            ws.ws->close();
    } else if (trigger == u"upgrade"_s) {
        QVERIFY(!openUpgraded(http, ws).isEmpty());
    } else if (trigger == u"silent"_s) {
        QVERIFY(!openWebSocket(ws).isEmpty());   // the test's WsClient never answers pings
    } else {
        const QByteArray sid = openPolling(http);
        QVERIFY(!sid.isEmpty());
        if (trigger == u"polling message while probing"_s) {
            ws.open(port(), wsTarget(sid));
            QTRY_COMPARE(ws.connected.size(), 1);
            ws.ws->sendTextMessage(u"2probe"_s);
            QTRY_COMPARE(ws.texts.size(), 1);
        }
        http.sendGet(pollTarget(sid));   // held
        QVERIFY(poster.connectToServer(port()));
        if (trigger == u"polling drop"_s)
            http.socket()->abort();
        else if (trigger == u"polling close packet"_s)
            poster.sendPost(pollTarget(sid), "1");
        else if (trigger == u"polling oversized"_s)
            poster.sendPost(pollTarget(sid), "4" + QByteArray(2000, 'x'));
        else
            poster.sendPost(pollTarget(sid), "4hello");
    }
    QTRY_VERIFY_WITH_TIMEOUT(deleted, 5000);
    QVERIFY(!m_server);
    if (trigger.startsWith(u"websocket"_s) || trigger == u"upgrade"_s || trigger == u"silent"_s
        || trigger == u"polling message while probing"_s)
        QTRY_COMPARE_WITH_TIMEOUT(ws.disconnected.size(), 1, 5000);
    if (trigger.startsWith(u"polling"_s) && trigger != u"polling drop"_s)
        QVERIFY(http.waitForDisconnected());
    QTest::qWait(50);   // let deferred deletes run
}

// --- CORS and header hooks -----------------------------------------------------------------------------

void tst_EngineServer::corsPreflight_data()
{
    QTest::addColumn<CorsPolicy>("policy");
    QTest::addColumn<QByteArrayList>("allowedHeaders");
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<QByteArray>("allowOrigin");
    QTest::addColumn<QByteArray>("allowHeaders");
    QTest::addColumn<QByteArray>("vary");

    QTest::addRow("listed origin, requested headers echoed")
            << CorsPolicy::List << QByteArrayList{} << QByteArray("https://app.example")
            << QByteArray("https://app.example") << QByteArray("content-type, x-custom")
            << QByteArray("Origin, Access-Control-Request-Headers");
    QTest::addRow("listed origin, configured headers")
            << CorsPolicy::List << QByteArrayList{"Content-Type", "Authorization"} << QByteArray("https://app.example")
            << QByteArray("https://app.example") << QByteArray("Content-Type,Authorization") << QByteArray("Origin");
    QTest::addRow("any origin") << CorsPolicy::Any << QByteArrayList{} << QByteArray("https://x.example")
                                << QByteArray("*") << QByteArray("content-type, x-custom")
                                << QByteArray("Access-Control-Request-Headers");
    QTest::addRow("reflected origin") << CorsPolicy::Reflect << QByteArrayList{"X-A"} << QByteArray("https://r.example")
                                      << QByteArray("https://r.example") << QByteArray("X-A") << QByteArray("Origin");
    QTest::addRow("refused origin") << CorsPolicy::List << QByteArrayList{"X-A"} << QByteArray("https://evil.example")
                                    << QByteArray() << QByteArray("X-A") << QByteArray("Origin");
}

void tst_EngineServer::corsPreflight()
{
    QFETCH(CorsPolicy, policy);
    QFETCH(QByteArrayList, allowedHeaders);
    QFETCH(QByteArray, origin);
    QFETCH(QByteArray, allowOrigin);
    QFETCH(QByteArray, allowHeaders);
    QFETCH(QByteArray, vary);

    QEngineIo::Options options = baseOptions();
    options.cors.enabled = true;
    options.cors.anyOrigin = policy == CorsPolicy::Any;
    options.cors.reflectOrigin = policy == CorsPolicy::Reflect;
    options.cors.origins = {QStringLiteral("https://app.example")};
    options.cors.allowedHeaders = allowedHeaders;
    options.cors.credentials = true;
    options.cors.maxAge = 600;
    options.editResponseHeaders = [](QHttpHeaderList &headers, const QEngineIo::RequestInfo &) {
        headers.append("X-Engine", "test");
    };
    QVERIFY(start(options));

    RawHttpClient client;
    QVERIFY(client.connectToServer(port()));
    client.write(RawHttpClient::request("OPTIONS", HandshakeTarget, {},
                                        "Origin: " + origin + "\r\nAccess-Control-Request-Method: POST\r\n"
                                        "Access-Control-Request-Headers: content-type, x-custom\r\n"));
    QTRY_COMPARE(client.responseCount(), 1);
    const RawHttpResponse &r = client.response(0);
    QCOMPARE(r.status, 204);
    QCOMPARE(r.reason, QByteArray("No Content"));
    QVERIFY(r.body.isEmpty());
    QCOMPARE(r.header("access-control-allow-origin"), allowOrigin);
    QCOMPARE(r.header("access-control-allow-methods"), QByteArray("GET,HEAD,PUT,PATCH,POST,DELETE"));
    QCOMPARE(r.header("access-control-allow-headers"), allowHeaders);
    QCOMPARE(r.header("access-control-allow-credentials"),
             allowOrigin.isEmpty() ? QByteArray() : QByteArray("true"));
    QCOMPARE(r.header("access-control-max-age"), QByteArray("600"));
    QCOMPARE(r.header("vary"), vary);
    QCOMPARE(r.headerCount("access-control-allow-origin"), allowOrigin.isEmpty() ? 0 : 1);
    QCOMPARE(r.header("x-engine"), QByteArray("test"));
    QCOMPARE(r.header("connection"), QByteArray("keep-alive"));
    QCOMPARE(m_server->sessionCount(), 0);   // a preflight opens nothing

    // The connection goes on.
    QVERIFY(!openPolling(client).isEmpty());
}

void tst_EngineServer::corsActualRequests_data()
{
    QTest::addColumn<CorsPolicy>("policy");
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<QByteArray>("allowOrigin");
    QTest::addColumn<bool>("vary");

    QTest::addRow("disabled") << CorsPolicy::Disabled << QByteArray("https://app.example") << QByteArray() << false;
    QTest::addRow("list, allowed") << CorsPolicy::List << QByteArray("https://app.example")
                                   << QByteArray("https://app.example") << true;
    QTest::addRow("list, second entry") << CorsPolicy::List << QByteArray("http://localhost:8080")
                                        << QByteArray("http://localhost:8080") << true;
    QTest::addRow("list, refused") << CorsPolicy::List << QByteArray("https://evil.example") << QByteArray() << true;
    QTest::addRow("list, case matters") << CorsPolicy::List << QByteArray("https://APP.example") << QByteArray()
                                        << true;
    QTest::addRow("list, no Origin") << CorsPolicy::List << QByteArray() << QByteArray() << true;
    QTest::addRow("predicate, allowed") << CorsPolicy::Predicate << QByteArray("https://a.trusted.example")
                                        << QByteArray("https://a.trusted.example") << true;
    QTest::addRow("predicate, refused") << CorsPolicy::Predicate << QByteArray("https://trusted.example.evil")
                                        << QByteArray() << true;
    QTest::addRow("any") << CorsPolicy::Any << QByteArray("https://whoever.example") << QByteArray("*") << false;
    QTest::addRow("any, no Origin") << CorsPolicy::Any << QByteArray() << QByteArray("*") << false;
    QTest::addRow("reflect") << CorsPolicy::Reflect << QByteArray("https://r.example")
                             << QByteArray("https://r.example") << true;
    QTest::addRow("reflect, no Origin") << CorsPolicy::Reflect << QByteArray() << QByteArray() << true;
}

void tst_EngineServer::corsActualRequests()
{
    QFETCH(CorsPolicy, policy);
    QFETCH(QByteArray, origin);
    QFETCH(QByteArray, allowOrigin);
    QFETCH(bool, vary);

    QEngineIo::Options options = baseOptions();
    options.cors.enabled = policy != CorsPolicy::Disabled;
    options.cors.anyOrigin = policy == CorsPolicy::Any;
    options.cors.reflectOrigin = policy == CorsPolicy::Reflect;
    if (policy == CorsPolicy::List)
        options.cors.origins = {QStringLiteral("https://app.example"), QStringLiteral("http://localhost:8080")};
    if (policy == CorsPolicy::Predicate) {
        options.cors.originPredicate = [](const QString &o) {
            return o.endsWith(QLatin1String(".trusted.example"));
        };
    }
    options.cors.credentials = true;
    options.cors.exposedHeaders = {"X-Exposed"};
    QVERIFY(start(options));

    const QByteArray originHeader = origin.isEmpty() ? QByteArray() : "Origin: " + origin + "\r\n";
    RawHttpClient client;
    QVERIFY(client.connectToServer(port()));
    client.write(RawHttpClient::request("GET", HandshakeTarget, {}, originHeader));
    QTRY_COMPARE(client.responseCount(), 1);
    const QByteArray sid = sidOfOpenPacket(client.response(0).body);
    QVERIFY(!sid.isEmpty());
    client.write(RawHttpClient::request("POST", pollTarget(sid), "4x", originHeader));
    client.write(RawHttpClient::request("GET", pollTarget(sid), {}, originHeader));
    QTest::qWait(50);
    session(sid)->send("y");
    client.write(RawHttpClient::request("GET", pollTarget("unknown"), {}, originHeader));
    QTRY_COMPARE(client.responseCount(), 4);
    QCOMPARE(client.response(1).body, QByteArray("ok"));
    QCOMPARE(client.response(2).body, QByteArray("4y"));
    QCOMPARE(client.response(3).status, 400);

    for (const RawHttpResponse &r : client.responses()) {
        QCOMPARE(r.header("access-control-allow-origin"), allowOrigin);
        QCOMPARE(r.headerCount("access-control-allow-origin"), allowOrigin.isEmpty() ? 0 : 1);
        QCOMPARE(r.header("access-control-allow-credentials"),
                 allowOrigin.isEmpty() ? QByteArray() : QByteArray("true"));
        QCOMPARE(r.header("access-control-expose-headers"),
                 allowOrigin.isEmpty() ? QByteArray() : QByteArray("X-Exposed"));
        QCOMPARE(r.header("vary"), vary ? QByteArray("Origin") : QByteArray());
        QVERIFY(!r.hasHeader("access-control-allow-methods"));   // preflight only
    }
}

void tst_EngineServer::editHeaders()
{
    QEngineIo::Options options = baseOptions();
    options.cors.enabled = true;
    options.cors.anyOrigin = true;
    QList<QByteArray> handshakeSids;
    options.editHandshakeHeaders = [&](QHttpHeaderList &headers, const QEngineIo::RequestInfo &request) {
        handshakeSids.append(request.sid);
        headers.append("Set-Cookie", "io=" + request.sid + "; Path=/; HttpOnly");
    };
    int responses = 0;
    options.editResponseHeaders = [&](QHttpHeaderList &headers, const QEngineIo::RequestInfo &) {
        ++responses;
        headers.append("X-Engine", "test");
        headers.set("Access-Control-Allow-Origin", "https://overridden.example");
    };
    QVERIFY(start(options));

    RawHttpClient client;
    const QByteArray sid = openPolling(client);
    QVERIFY(!sid.isEmpty());
    QCOMPARE(handshakeSids, QList<QByteArray>{sid});
    client.sendPost(pollTarget(sid), "4x");
    session(sid)->send("y");
    client.sendGet(pollTarget(sid));
    client.sendGet(pollTarget("unknown"));
    client.write(RawHttpClient::request("OPTIONS", HandshakeTarget, {}, "Origin: https://a.example\r\n"));
    QTRY_COMPARE(client.responseCount(), 5);

    const RawHttpResponse &handshake = client.response(0);
    QCOMPARE(handshake.header("set-cookie"), "io=" + sid + "; Path=/; HttpOnly");
    for (int i = 0; i < client.responseCount(); ++i) {
        const RawHttpResponse &r = client.response(i);
        QCOMPARE(r.header("x-engine"), QByteArray("test"));
        QCOMPARE(r.headerCount("x-engine"), 1);
        // The hook runs after CORS, so it may change what CORS set.
        QCOMPARE(r.header("access-control-allow-origin"), QByteArray("https://overridden.example"));
        if (i > 0)
            QVERIFY2(!r.hasHeader("set-cookie"), QByteArray::number(i).constData());
    }
    QCOMPARE(client.response(1).body, QByteArray("ok"));
    QCOMPARE(client.response(2).body, QByteArray("4y"));
    QCOMPARE(client.response(3).status, 400);
    QCOMPARE(client.response(4).status, 204);
    QCOMPARE(responses, 5);
    QCOMPARE(handshakeSids.size(), 1);

    // Not on the WebSocket handshake (Qt writes the 101 itself), and not on a 404 outside the path.
    RawHttpClient other;
    QVERIFY(other.connectToServer(port()));
    other.sendGet("/elsewhere");
    QTRY_COMPARE(other.responseCount(), 1);
    QCOMPARE(other.response(0).status, 404);
    QVERIFY(!other.response(0).hasHeader("x-engine"));
}

QTEST_MAIN(tst_EngineServer)

#include "tst_engineserver.moc"
