// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The wire format of the PostgreSQL adapter: the JSON messages of @socket.io/postgres-adapter 0.5
// (socket.io-adapter's ClusterAdapter) and of the postgres-emitter decode to what they mean, ours encode
// to the same shapes, attachments round-trip through MessagePack, and broken input is refused.

#include "qsocketiopostgresmessages_p.h"
#include "qsocketiomsgpack_p.h"

#include <QtCore/qjsonarray.h>
#include <QtCore/qjsondocument.h>
#include <QtCore/qjsonobject.h>
#include <QtTest/qtest.h>

using namespace QSocketIoPostgresMessages;
using namespace Qt::StringLiterals;
using Type = QSocketIoClusterAdapter::RequestType;
using Kind = Decoded::Kind;

Q_DECLARE_METATYPE(Kind)
Q_DECLARE_METATYPE(Type)

class tst_PostgresMessages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decodeNode_data();
    void decodeNode();
    void broadcastFromNode();
    void encodeBroadcast();
    void encodeRequests_data();
    void encodeRequests();
    void responsesRoundTrip_data();
    void responsesRoundTrip();
    void attachments();
    void msgpackFromNode();
    void broken_data();
    void broken();
};

static QVariantMap parsed(const QByteArray &json)
{
    QVariantMap map;
    QString error;
    if (!parseJson(json, &map, &error))
        qWarning() << error;
    return map;
}

void tst_PostgresMessages::decodeNode_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<int>("messageType");
    QTest::addColumn<Type>("requestType");
    QTest::addColumn<QString>("requestId");

    QTest::newRow("initial heartbeat") << R"({"uid":"n1","nsp":"/","type":1})"_ba << Decoded::Signal << 1 << Type::Broadcast << QString();
    QTest::newRow("heartbeat") << R"({"uid":"n1","nsp":"/","type":2})"_ba << Decoded::Signal << 2 << Type::Broadcast << QString();
    QTest::newRow("adapter close") << R"({"uid":"n1","nsp":"/","type":13})"_ba << Decoded::Signal << 13 << Type::Broadcast << QString();
    QTest::newRow("broadcast with acks")
        << R"({"uid":"n1","nsp":"/","type":3,"data":{"packet":{"type":2,"data":["q"],"nsp":"/"},"requestId":"r1","opts":{"rooms":[],"except":[],"flags":{"timeout":500}}}})"_ba
        << Decoded::Request << 3 << Type::Broadcast << u"r1"_s;
    QTest::newRow("sockets join")
        << R"({"uid":"n1","nsp":"/","type":4,"data":{"opts":{"rooms":["a"],"except":[],"flags":{}},"rooms":["b"]}})"_ba
        << Decoded::Request << 4 << Type::RemoteJoin << QString();
    QTest::newRow("sockets leave (emitter: no flags, no nsp)")
        << R"({"uid":"emitter","type":5,"data":{"opts":{"rooms":["a"],"except":[]},"rooms":["b"]}})"_ba
        << Decoded::Request << 5 << Type::RemoteLeave << QString();
    QTest::newRow("disconnect sockets")
        << R"({"uid":"n1","nsp":"/","type":6,"data":{"opts":{"rooms":[],"except":["x"],"flags":{}},"close":true}})"_ba
        << Decoded::Request << 6 << Type::RemoteDisconnect << QString();
    QTest::newRow("fetch sockets")
        << R"({"uid":"n1","nsp":"/","type":7,"data":{"opts":{"rooms":["a"],"except":[],"flags":{}},"requestId":"r2"}})"_ba
        << Decoded::Request << 7 << Type::RemoteFetch << u"r2"_s;
    QTest::newRow("fetch sockets response")
        << R"({"uid":"n1","nsp":"/","type":8,"data":{"requestId":"r2","sockets":[{"id":"s1","handshake":{"url":"/"},"rooms":["s1","a"],"data":{"k":1}}]}})"_ba
        << Decoded::Response << 8 << Type::RemoteFetch << u"r2"_s;
    QTest::newRow("server-side emit")
        << R"({"uid":"n1","nsp":"/","type":9,"data":{"packet":["hello",1]}})"_ba
        << Decoded::Request << 9 << Type::ServerSideEmit << QString();
    QTest::newRow("server-side emit with ack")
        << R"({"uid":"n1","nsp":"/","type":9,"data":{"requestId":"r3","packet":["ping"]}})"_ba
        << Decoded::Request << 9 << Type::ServerSideEmit << u"r3"_s;
    QTest::newRow("server-side emit response")
        << R"({"uid":"n1","nsp":"/","type":10,"data":{"requestId":"r3","packet":{"ok":true}}})"_ba
        << Decoded::Response << 10 << Type::ServerSideEmit << u"r3"_s;
    QTest::newRow("broadcast client count")
        << R"({"uid":"n1","nsp":"/","type":11,"data":{"requestId":"r1","clientCount":3}})"_ba
        << Decoded::Response << 11 << Type::BroadcastClientCount << u"r1"_s;
    QTest::newRow("broadcast ack")
        << R"({"uid":"n1","nsp":"/","type":12,"data":{"requestId":"r1","packet":"yes"}})"_ba
        << Decoded::Response << 12 << Type::BroadcastAck << u"r1"_s;
}

void tst_PostgresMessages::decodeNode()
{
    QFETCH(QByteArray, json);
    QFETCH(Kind, kind);
    QFETCH(int, messageType);
    QFETCH(Type, requestType);
    QFETCH(QString, requestId);
    Decoded decoded;
    QString error;
    QVERIFY2(decode(parsed(json), &decoded, &error), qPrintable(error));
    QCOMPARE(decoded.kind, kind);
    QCOMPARE(int(decoded.type), messageType);
    if (kind == Decoded::Request) {
        QCOMPARE(decoded.request.type, requestType);
        QCOMPARE(decoded.request.requestId, requestId);
        QCOMPARE(decoded.request.uid, decoded.uid);
    } else if (kind == Decoded::Response) {
        QCOMPARE(decoded.response.type, requestType);
        QCOMPARE(decoded.response.requestId, requestId);
    }
    if (messageType == 4 || messageType == 5) {
        QCOMPARE(decoded.request.options.rooms, QStringList{u"a"_s});
        QCOMPARE(decoded.request.rooms, QStringList{u"b"_s});
    }
    if (messageType == 6) {
        QCOMPARE(decoded.request.options.except, QStringList{u"x"_s});
        QVERIFY(decoded.request.close);
    }
    if (messageType == 8) {
        QVERIFY(decoded.response.hasSockets);
        QCOMPARE(decoded.response.sockets.size(), 1);
        QCOMPARE(decoded.response.sockets.first().id(), u"s1"_s);
        QCOMPARE(decoded.response.sockets.first().rooms(), (QStringList{u"s1"_s, u"a"_s}));
        QCOMPARE(decoded.response.sockets.first().data().toMap().value(u"k"_s).toInt(), 1);
    }
    if (messageType == 3)
        QCOMPARE(decoded.request.options.timeout, 500);
    if (messageType == 11)
        QCOMPARE(decoded.response.clientCount, 3);
}

void tst_PostgresMessages::broadcastFromNode()
{
    const QByteArray json = R"({"uid":"n1","nsp":"/chat","type":3,"data":{"packet":{"type":2,"data":["ev",1,{"a":null}],"nsp":"/chat"},"opts":{"rooms":["r"],"except":["x"],"flags":{"volatile":true,"compress":false}}}})"_ba;
    Decoded decoded;
    QString error;
    QVERIFY2(decode(parsed(json), &decoded, &error), qPrintable(error));
    QCOMPARE(decoded.kind, Decoded::Broadcast);
    QCOMPARE(decoded.uid, u"n1"_s);
    QCOMPARE(decoded.packet.nsp, u"/chat"_s);
    QCOMPARE(decoded.packet.data.toList().first().toString(), u"ev"_s);
    QCOMPARE(decoded.options.rooms, QStringList{u"r"_s});
    QCOMPARE(decoded.options.except, QStringList{u"x"_s});
    QVERIFY(decoded.options.isVolatile);
    QVERIFY(!decoded.options.compress);
    QCOMPARE(decoded.options.timeout, -1);
}

void tst_PostgresMessages::encodeBroadcast()
{
    QSocketIoBroadcastPacket packet;
    packet.data = QVariantList{u"ev"_s, 2};
    QSocketIoBroadcastOptions options;
    options.rooms = {u"r"_s};
    options.except = {u"x"_s};
    const QVariantMap message = QSocketIoPostgresMessages::encodeBroadcast(u"me"_s, u"/"_s, packet, options);
    QVERIFY(!needsAttachment(message));
    const QJsonObject json = QJsonDocument::fromJson(toJson(message)).object();
    QCOMPARE(json.value(u"uid"_s).toString(), u"me"_s);
    QCOMPARE(json.value(u"nsp"_s).toString(), u"/"_s);
    QCOMPARE(json.value(u"type"_s).toInt(), 3);
    const QJsonObject data = json.value(u"data"_s).toObject();
    QVERIFY(!data.contains(u"requestId"_s));
    QCOMPARE(data.value(u"packet"_s).toObject().value(u"type"_s).toInt(), 2);
    QCOMPARE(data.value(u"packet"_s).toObject().value(u"nsp"_s).toString(), u"/"_s);
    QCOMPARE(data.value(u"opts"_s).toObject().value(u"rooms"_s).toArray().first().toString(), u"r"_s);
    QCOMPARE(data.value(u"opts"_s).toObject().value(u"except"_s).toArray().first().toString(), u"x"_s);
    QVERIFY(data.value(u"opts"_s).toObject().value(u"flags"_s).isObject());
    // And back.
    Decoded decoded;
    QString error;
    QVERIFY2(decode(message, &decoded, &error), qPrintable(error));
    QCOMPARE(decoded.kind, Decoded::Broadcast);
    QCOMPARE(decoded.options.rooms, options.rooms);
}

void tst_PostgresMessages::encodeRequests_data()
{
    QTest::addColumn<Type>("requestType");
    QTest::addColumn<int>("messageType");
    QTest::addColumn<QString>("requestId");
    QTest::newRow("join") << Type::RemoteJoin << 4 << QString();
    QTest::newRow("leave") << Type::RemoteLeave << 5 << QString();
    QTest::newRow("disconnect") << Type::RemoteDisconnect << 6 << QString();
    QTest::newRow("fetch") << Type::RemoteFetch << 7 << u"f1"_s;
    QTest::newRow("server-side emit") << Type::ServerSideEmit << 9 << QString();
    QTest::newRow("server-side emit with ack") << Type::ServerSideEmit << 9 << u"s1"_s;
    QTest::newRow("broadcast with acks") << Type::Broadcast << 3 << u"b1"_s;
}

void tst_PostgresMessages::encodeRequests()
{
    QFETCH(Type, requestType);
    QFETCH(int, messageType);
    QFETCH(QString, requestId);
    Request request;
    request.type = requestType;
    request.uid = u"me"_s;
    request.requestId = requestId;
    request.hasOptions = true;
    request.options.rooms = {u"a"_s};
    request.options.timeout = 700;
    request.rooms = {u"b"_s};
    request.close = true;
    request.data = QVariantList{u"ev"_s, 1};
    request.packet.data = QVariantList{u"q"_s};
    const QVariantMap message = encodeRequest(u"/"_s, request);
    QCOMPARE(message.value(u"type"_s).toInt(), messageType);
    QCOMPARE(message.value(u"uid"_s).toString(), u"me"_s);
    QCOMPARE(message.value(u"data"_s).toMap().contains(u"requestId"_s), !requestId.isEmpty());
    Decoded decoded;
    QString error;
    QVERIFY2(decode(parsed(toJson(message)), &decoded, &error), qPrintable(error));
    QCOMPARE(decoded.kind, Decoded::Request);
    QCOMPARE(decoded.request.type, requestType);
    QCOMPARE(decoded.request.requestId, requestId);
    if (requestType != Type::ServerSideEmit)
        QCOMPARE(decoded.request.options.rooms, QStringList{u"a"_s});
    if (requestType == Type::RemoteJoin || requestType == Type::RemoteLeave)
        QCOMPARE(decoded.request.rooms, QStringList{u"b"_s});
    if (requestType == Type::RemoteDisconnect)
        QVERIFY(decoded.request.close);
    if (requestType == Type::ServerSideEmit)
        QCOMPARE(decoded.request.data, (QVariantList{u"ev"_s, 1}));
    if (requestType == Type::Broadcast)
        QCOMPARE(decoded.request.options.timeout, 700);
}

void tst_PostgresMessages::responsesRoundTrip_data()
{
    QTest::addColumn<Type>("responseType");
    QTest::addColumn<int>("messageType");
    QTest::newRow("fetch") << Type::RemoteFetch << 8;
    QTest::newRow("server-side emit") << Type::ServerSideEmit << 10;
    QTest::newRow("client count") << Type::BroadcastClientCount << 11;
    QTest::newRow("ack") << Type::BroadcastAck << 12;
}

void tst_PostgresMessages::responsesRoundTrip()
{
    QFETCH(Type, responseType);
    QFETCH(int, messageType);
    Response response;
    response.type = responseType;
    response.requestId = u"r9"_s;
    response.sockets = {QSocketIoRemoteSocket(u"s1"_s, {{u"url"_s, u"/x"_s}}, {u"s1"_s}, QVariantMap{{u"k"_s, 1}})};
    response.data = u"answer"_s;
    response.clientCount = 4;
    const QVariantMap message = encodeResponse(u"me"_s, u"/"_s, response);
    QCOMPARE(message.value(u"type"_s).toInt(), messageType);
    QCOMPARE(message.value(u"uid"_s).toString(), u"me"_s);   // Node tracks answers by the sender's uid
    QCOMPARE(message.value(u"nsp"_s).toString(), u"/"_s);
    Decoded decoded;
    QString error;
    QVERIFY2(decode(parsed(toJson(message)), &decoded, &error), qPrintable(error));
    QCOMPARE(decoded.kind, Decoded::Response);
    QCOMPARE(decoded.response.type, responseType);
    QCOMPARE(decoded.response.requestId, u"r9"_s);
    if (responseType == Type::RemoteFetch) {
        QCOMPARE(decoded.response.sockets.size(), 1);
        QCOMPARE(decoded.response.sockets.first().handshake().value(u"url"_s).toString(), u"/x"_s);
    } else if (responseType == Type::BroadcastClientCount) {
        QCOMPARE(decoded.response.clientCount, 4);
    } else {
        QCOMPARE(decoded.response.data.toString(), u"answer"_s);
    }
}

void tst_PostgresMessages::attachments()
{
    QSocketIoBroadcastPacket packet;
    packet.data = QVariantList{u"bin"_s, QByteArray("\x00\xff", 2), QVariantMap{{u"n"_s, QByteArray("x")}}};
    const QVariantMap message = QSocketIoPostgresMessages::encodeBroadcast(u"me"_s, u"/"_s, packet, {});
    QVERIFY(needsAttachment(message));
    QVERIFY(!needsAttachment(encodeSignal(MessageType::Heartbeat, u"me"_s, u"/"_s)));
    QVariant back;
    QString error;
    QVERIFY2(QSocketIoMsgpack::unpack(QSocketIoMsgpack::pack(message), &back, &error), qPrintable(error));
    Decoded decoded;
    QVERIFY2(decode(back.toMap(), &decoded, &error), qPrintable(error));
    const QVariantList data = decoded.packet.data.toList();
    QCOMPARE(data.at(1).toByteArray(), QByteArray("\x00\xff", 2));
    QCOMPARE(data.at(2).toMap().value(u"n"_s).toByteArray(), QByteArray("x"));
}

void tst_PostgresMessages::msgpackFromNode()
{
    // @msgpack/msgpack's encode({uid:"n",nsp:"/",type:9,data:{packet:["e",Buffer<01 02>, 1.5, -3]}}).
    const QByteArray bytes = QByteArray::fromHex(
            "84a3756964a16ea36e7370a12fa474797065" "09" "a46461746181a67061636b657494a165c4020102cb3ff8000000000000fd");
    QVariant value;
    QString error;
    QVERIFY2(QSocketIoMsgpack::unpack(bytes, &value, &error), qPrintable(error));
    Decoded decoded;
    QVERIFY2(decode(value.toMap(), &decoded, &error), qPrintable(error));
    QCOMPARE(decoded.request.type, Type::ServerSideEmit);
    QCOMPARE(decoded.request.data,
             (QVariantList{u"e"_s, QByteArray("\x01\x02"), 1.5, qint64(-3)}));
}

void tst_PostgresMessages::broken_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("not JSON") << "{oops"_ba;
    QTest::newRow("array") << "[1,2]"_ba;
    QTest::newRow("no type") << R"({"uid":"n"})"_ba;
    QTest::newRow("unknown type") << R"({"uid":"n","type":99})"_ba;
    QTest::newRow("broadcast without data") << R"({"uid":"n","type":3})"_ba;
    QTest::newRow("broadcast of a connect packet")
        << R"({"uid":"n","type":3,"data":{"packet":{"type":0,"data":["e"]},"opts":{"rooms":[],"except":[]}}})"_ba;
    QTest::newRow("broadcast data not an event")
        << R"({"uid":"n","type":3,"data":{"packet":{"type":2,"data":[1]},"opts":{"rooms":[],"except":[]}}})"_ba;
    QTest::newRow("broadcast without opts") << R"({"uid":"n","type":3,"data":{"packet":{"type":2,"data":["e"]}}})"_ba;
    QTest::newRow("fetch without requestId") << R"({"uid":"n","type":7,"data":{"opts":{"rooms":[],"except":[]}}})"_ba;
    QTest::newRow("fetch response without sockets") << R"({"uid":"n","type":8,"data":{"requestId":"r"}})"_ba;
    QTest::newRow("server-side emit without packet") << R"({"uid":"n","type":9,"data":{}})"_ba;
    QTest::newRow("ack without requestId") << R"({"uid":"n","type":12,"data":{"packet":1}})"_ba;
}

void tst_PostgresMessages::broken()
{
    QFETCH(QByteArray, payload);
    QVariantMap map;
    QString error;
    Decoded decoded;
    const bool ok = parseJson(payload, &map, &error) && decode(map, &decoded, &error);
    QVERIFY(!ok);
    QVERIFY(!error.isEmpty());
    // Broken MessagePack is refused too.
    QVariant value;
    QVERIFY(!QSocketIoMsgpack::unpack(QByteArray::fromHex("c1"), &value, &error));
    QVERIFY(!QSocketIoMsgpack::unpack(QByteArray::fromHex("92a1"), &value, &error));
    QVERIFY(!QSocketIoMsgpack::unpack(QByteArray(), &value, &error));
}

QTEST_GUILESS_MAIN(tst_PostgresMessages)
#include "tst_postgresmessages.moc"
