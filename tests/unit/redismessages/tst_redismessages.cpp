// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The wire format of the Redis adapter: the bytes of @socket.io/redis-adapter / redis-emitter messages
// (as notepack.io writes them) decode to what they mean, ours decode back, and broken input is refused.

#include "qsocketioredismessages_p.h"
#include "qsocketiomsgpack_p.h"

#include <QtTest/qtest.h>

using namespace QSocketIoRedisMessages;
using namespace Qt::StringLiterals;
using Type = QSocketIoClusterAdapter::RequestType;

class tst_RedisMessages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void notepackForms_data();
    void notepackForms();
    void broadcastRoundTrip();
    void emitterBroadcast();
    void requests_data();
    void requests();
    void responses();
    void broken_data();
    void broken();
};

void tst_RedisMessages::notepackForms_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QVariant>("expected");
    QTest::newRow("bin8") << QByteArray::fromHex("c403010203") << QVariant(QByteArray("\x01\x02\x03"));
    QTest::newRow("ext8 type 0 (ArrayBuffer)") << QByteArray::fromHex("c7020001ff") << QVariant(QByteArray("\x01\xff"));
    QTest::newRow("fixext1 type 0 (undefined)") << QByteArray::fromHex("d40000") << QVariant::fromValue(nullptr);
    QTest::newRow("nil") << QByteArray::fromHex("c0") << QVariant::fromValue(nullptr);
    QTest::newRow("str") << QByteArray::fromHex("a3616263") << QVariant(u"abc"_s);
    QTest::newRow("negative") << QByteArray::fromHex("ff") << QVariant(qint64(-1));
    QTest::newRow("float64") << QByteArray::fromHex("cb3ff8000000000000") << QVariant(1.5);
    QTest::newRow("map") << QByteArray::fromHex("81a161c3") << QVariant(QVariantMap{{u"a"_s, true}});
}

void tst_RedisMessages::notepackForms()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QVariant, expected);
    QVariant value;
    QString error;
    QVERIFY2(QSocketIoMsgpack::unpack(bytes, &value, &error), qPrintable(error));
    QCOMPARE(value, expected);
}

void tst_RedisMessages::broadcastRoundTrip()
{
    QSocketIoBroadcastPacket packet;
    packet.nsp = u"/chat"_s;
    packet.data = QVariantList{u"ev"_s, 1, QByteArray("\x00\x01", 2), QVariantMap{{u"k"_s, u"v"_s}}};
    QSocketIoBroadcastOptions options;
    options.rooms = {u"r1"_s};
    options.except = {u"r2"_s};
    options.isVolatile = true;
    const QByteArray bytes = encodeBroadcast(u"abc123"_s, packet, options);
    QString uid;
    QSocketIoBroadcastPacket decoded;
    QSocketIoBroadcastOptions decodedOptions;
    QString error;
    QVERIFY2(decodeBroadcast(bytes, &uid, &decoded, &decodedOptions, &error), qPrintable(error));
    QCOMPARE(uid, u"abc123"_s);
    QCOMPARE(decoded.nsp, u"/chat"_s);
    QCOMPARE(decoded.data.toList().at(2).toByteArray(), QByteArray("\x00\x01", 2));
    QCOMPARE(decodedOptions.rooms, options.rooms);
    QCOMPARE(decodedOptions.except, options.except);
    QVERIFY(decodedOptions.isVolatile);
}

void tst_RedisMessages::emitterBroadcast()
{
    // ["emitter", {type: 2, data: ["hi"], nsp: "/"}, {rooms: [], flags: {}, except: []}] as notepack.io writes it.
    const QByteArray bytes = QByteArray::fromHex("93a7656d6974746572") + QByteArray::fromHex("83a47479706502a4646174619"
                             "1a26869a36e7370a12f") + QByteArray::fromHex("83a5726f6f6d7390a5666c61677380a6657863657074"
                             "90");
    QString uid;
    QSocketIoBroadcastPacket packet;
    QSocketIoBroadcastOptions options;
    QString error;
    QVERIFY2(decodeBroadcast(bytes, &uid, &packet, &options, &error), qPrintable(error));
    QCOMPARE(uid, u"emitter"_s);
    QCOMPARE(packet.data.toList(), QVariantList{u"hi"_s});
    QVERIFY(options.rooms.isEmpty());
}

void tst_RedisMessages::requests_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("type");
    QTest::addColumn<bool>("hasOptions");
    QTest::newRow("emitter join") << R"({"type":2,"opts":{"rooms":["a"],"except":[]},"rooms":["b"]})"_ba << 2 << true;
    QTest::newRow("legacy join") << R"({"uid":"x","requestId":"r","type":2,"sid":"s","room":"b"})"_ba << 2 << false;
    QTest::newRow("disconnect") << R"({"uid":"x","type":4,"opts":{"rooms":[],"except":[]},"close":true})"_ba << 4 << true;
    QTest::newRow("server-side emit") << R"({"uid":"x","type":6,"data":["hello",1]})"_ba << 6 << false;
    QTest::newRow("all rooms") << R"({"uid":"x","requestId":"r","type":1})"_ba << 1 << false;
}

void tst_RedisMessages::requests()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, type);
    QFETCH(bool, hasOptions);
    Request request;
    QString error;
    QVERIFY2(decodeRequest(bytes, &request, &error), qPrintable(error));
    QCOMPARE(int(request.type), type);
    QCOMPARE(request.hasOptions, hasOptions);

    // Ours decode back; a broadcast with acks is MessagePack.
    Request broadcast;
    broadcast.type = Type::Broadcast;
    broadcast.uid = u"me"_s;
    broadcast.requestId = u"req"_s;
    broadcast.packet.data = QVariantList{u"q"_s, QByteArray("\xff", 1)};
    broadcast.options.timeout = 1000;
    const QByteArray encoded = encodeRequest(broadcast);
    QVERIFY(!encoded.startsWith('{'));
    Request back;
    QVERIFY2(decodeRequest(encoded, &back, &error), qPrintable(error));
    QCOMPARE(back.type, Type::Broadcast);
    QCOMPARE(back.options.timeout, 1000);
    QCOMPARE(back.packet.data.toList().at(1).toByteArray(), QByteArray("\xff", 1));
}

void tst_RedisMessages::responses()
{
    Response fetch;
    fetch.type = Type::RemoteFetch;
    fetch.requestId = u"r1"_s;
    fetch.sockets = {QSocketIoRemoteSocket(u"id1"_s, {{u"url"_s, u"/socket.io/"_s}}, {u"id1"_s, u"room"_s},
                                           QVariantMap{{u"n"_s, 1}})};
    const QByteArray json = encodeResponse(fetch);
    QVERIFY(json.startsWith('{'));
    Response back;
    QString error;
    QVERIFY2(decodeResponse(json, &back, &error), qPrintable(error));
    QVERIFY(back.hasSockets);
    QCOMPARE(back.sockets.size(), 1);
    QCOMPARE(back.sockets.first().rooms(), (QStringList{u"id1"_s, u"room"_s}));

    Response ack;
    ack.type = Type::BroadcastAck;
    ack.requestId = u"r2"_s;
    ack.data = QByteArray("bin");
    const QByteArray packed = encodeResponse(ack);
    QVERIFY(!packed.startsWith('{'));
    QVERIFY2(decodeResponse(packed, &back, &error), qPrintable(error));
    QCOMPARE(back.type, Type::BroadcastAck);
    QCOMPARE(back.data.toByteArray(), QByteArray("bin"));
}

void tst_RedisMessages::broken_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("reserved byte") << QByteArray::fromHex("c1");
    QTest::newRow("truncated array") << QByteArray::fromHex("9301");
    QTest::newRow("trailing bytes") << QByteArray::fromHex("c0c0");
    QTest::newRow("huge array header") << QByteArray::fromHex("ddffffffff");
    QTest::newRow("deep nesting") << QByteArray(100, '\x91') + QByteArray::fromHex("c0");
    QTest::newRow("not a broadcast") << QByteArray::fromHex("a3616263");
    QTest::newRow("bad json") << "{oops"_ba;
    QTest::newRow("unknown type") << R"({"type":42})"_ba;
}

void tst_RedisMessages::broken()
{
    QFETCH(QByteArray, bytes);
    QString uid;
    QSocketIoBroadcastPacket packet;
    QSocketIoBroadcastOptions options;
    QString error;
    QVERIFY(!decodeBroadcast(bytes, &uid, &packet, &options, &error));
    QVERIFY(!error.isEmpty());
    Request request;
    QVERIFY(!decodeRequest(bytes, &request, &error));
}

QTEST_MAIN(tst_RedisMessages)

#include "tst_redismessages.moc"
