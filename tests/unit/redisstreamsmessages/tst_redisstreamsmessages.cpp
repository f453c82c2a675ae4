// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The stream entries and kept sessions of @socket.io/redis-streams-adapter 0.2 as QSocketIoRedisStreamsMessages
// writes and reads them: the fields (type as a decimal string, data as JSON or base64 MessagePack when it holds
// binary), the session form, stream ids, and the entries another Redis client could write that must be refused.

#include "qsocketioredisstreamsmessages_p.h"
#include "qsocketiomsgpack_p.h"

#include <QtTest/qtest.h>

using namespace Qt::StringLiterals;
namespace Messages = QSocketIoRedisStreamsMessages;
using Messages::Fields;

class tst_RedisStreamsMessages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void encodeForms();
    void roundTrip();
    void refused_data();
    void refused();
    void session();
    void sessionRefused_data();
    void sessionRefused();
    void streamIds_data();
    void streamIds();
    void sessionReceives();
    void published();
    void publishedRefused_data();
    void publishedRefused();
};

static QByteArray field(const Fields &fields, const QByteArray &name)
{
    for (const auto &f : fields) {
        if (f.first == name)
            return f.second;
    }
    return QByteArray();
}

void tst_RedisStreamsMessages::encodeForms()
{
    QSocketIoBroadcastPacket packet;
    packet.data = {u"ev"_s, 1};
    const QVariantMap json = QSocketIoClusterMessages::encodeBroadcast(u"abc"_s, u"/"_s, packet, {});
    const Fields jsonFields = Messages::encode(json);
    QCOMPARE(field(jsonFields, "uid"), QByteArray("abc"));
    QCOMPARE(field(jsonFields, "nsp"), QByteArray("/"));
    QCOMPARE(field(jsonFields, "type"), QByteArray("3"));
    QVERIFY(field(jsonFields, "data").startsWith('{'));

    packet.data = {u"ev"_s, QByteArray("\x00\xff", 2)};
    const Fields binFields = Messages::encode(QSocketIoClusterMessages::encodeBroadcast(u"abc"_s, u"/"_s, packet, {}));
    const QByteArray data = field(binFields, "data");
    QVERIFY(!data.startsWith('{'));
    QVERIFY(QByteArray::fromBase64Encoding(data, QByteArray::AbortOnBase64DecodingErrors));

    // A heartbeat: no data field at all.
    const Fields beat = Messages::encode(QSocketIoClusterMessages::encodeSignal(
            QSocketIoClusterMessages::MessageType::Heartbeat, u"abc"_s, u"/"_s));
    QCOMPARE(beat.size(), 3);
    QCOMPARE(field(beat, "type"), QByteArray("2"));
}

void tst_RedisStreamsMessages::roundTrip()
{
    QSocketIoBroadcastPacket packet;
    packet.data = {u"ev"_s, QByteArray("\x01", 1), QVariantMap{{u"\uFEFFk"_s, u"\uFEFFv"_s}}};
    QSocketIoBroadcastOptions options;
    options.rooms = {u"r1"_s};
    options.except = {u"\uFEFFx"_s};
    QVariantMap message;
    QString error;
    QVERIFY2(Messages::decode(Messages::encode(QSocketIoClusterMessages::encodeBroadcast(u"abc"_s, u"/chat"_s,
                                                                                      packet, options)),
                              &message, &error), qPrintable(error));
    QSocketIoClusterMessages::Decoded decoded;
    QVERIFY2(QSocketIoClusterMessages::decode(message, &decoded, &error), qPrintable(error));
    QCOMPARE(decoded.kind, QSocketIoClusterMessages::Decoded::Broadcast);
    QCOMPARE(decoded.uid, u"abc"_s);
    QCOMPARE(decoded.packet.data, packet.data);
    QCOMPARE(decoded.options.rooms, options.rooms);
    QCOMPARE(decoded.options.except, options.except);
}

void tst_RedisStreamsMessages::refused_data()
{
    QTest::addColumn<Fields>("fields");
    const QByteArray big(Messages::MaxEntryBytes + 1, '{');
    QTest::newRow("no fields") << Fields{};
    QTest::newRow("no type") << Fields{{"uid", "x"}, {"nsp", "/"}};
    QTest::newRow("type not a number") << Fields{{"uid", "x"}, {"nsp", "/"}, {"type", "3a"}};
    QTest::newRow("type negative") << Fields{{"uid", "x"}, {"nsp", "/"}, {"type", "-3"}};
    QTest::newRow("unknown type") << Fields{{"uid", "x"}, {"nsp", "/"}, {"type", "99"}};
    QTest::newRow("huge type") << Fields{{"uid", "x"}, {"nsp", "/"}, {"type", "99999999999999999999999"}};
    QTest::newRow("uid too long") << Fields{{"uid", QByteArray(100, 'u')}, {"nsp", "/"}, {"type", "2"}};
    QTest::newRow("uid not UTF-8") << Fields{{"uid", "\x8c\x8c"}, {"nsp", "/"}, {"type", "2"}};
    QTest::newRow("data not JSON") << Fields{{"uid", "x"}, {"nsp", "/"}, {"type", "3"}, {"data", "{oops"}};
    QTest::newRow("data not base64") << Fields{{"uid", "x"}, {"nsp", "/"}, {"type", "3"}, {"data", "no base64!"}};
    QTest::newRow("data not MessagePack")
            << Fields{{"uid", "x"}, {"nsp", "/"}, {"type", "3"}, {"data", QByteArray("\xc1").toBase64()}};
    QTest::newRow("data over 16 MiB") << Fields{{"uid", "x"}, {"nsp", "/"}, {"type", "3"}, {"data", big}};
    Fields many;
    for (int i = 0; i < 20; ++i)
        many.append({"f" + QByteArray::number(i), "v"});
    QTest::newRow("too many fields") << many;
}

// What 0.3 publishes on its channels: MessagePack of the whole message, binary as MessagePack bin.
void tst_RedisStreamsMessages::published()
{
    const QVariantMap sent{{u"uid"_s, u"a1b2"_s}, {u"nsp"_s, u"/"_s}, {u"type"_s, 9},
                           {u"data"_s, QVariantMap{{u"requestId"_s, u"r1"_s},
                                                   {u"packet"_s, QVariantList{u"ping"_s, QByteArray("\x00\xff", 2)}}}}};
    QVariantMap message;
    QString error;
    QVERIFY2(Messages::decodePublished(QSocketIoMsgpack::pack(sent), &message, &error), qPrintable(error));
    QCOMPARE(message, sent);
    QSocketIoClusterMessages::Decoded decoded;
    QVERIFY2(QSocketIoClusterMessages::decode(message, &decoded, &error), qPrintable(error));
    QCOMPARE(decoded.kind, QSocketIoClusterMessages::Decoded::Request);
    QCOMPARE(decoded.request.requestId, u"r1"_s);
    QCOMPARE(decoded.request.data.value(1).toByteArray(), QByteArray("\x00\xff", 2));
}

void tst_RedisStreamsMessages::publishedRefused_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("never used byte") << QByteArray("\xc1");
    QTest::newRow("an array") << QSocketIoMsgpack::pack(QVariantList{1, 2, 3});
    QTest::newRow("a string") << QSocketIoMsgpack::pack(u"socket.io"_s);
    QTest::newRow("truncated map") << QSocketIoMsgpack::pack(QVariantMap{{u"uid"_s, u"x"_s}}).chopped(1);
    QTest::newRow("over 16 MiB") << QSocketIoMsgpack::pack(QVariantMap{{u"data"_s, QByteArray(Messages::MaxEntryBytes, 'x')}});
}

void tst_RedisStreamsMessages::publishedRefused()
{
    QFETCH(QByteArray, payload);
    QVariantMap message;
    QString error;
    QVERIFY(!Messages::decodePublished(payload, &message, &error));
    QVERIFY(!error.isEmpty());
}

void tst_RedisStreamsMessages::refused()
{
    QFETCH(Fields, fields);
    QVariantMap message;
    QString error;
    QVERIFY(!Messages::decode(fields, &message, &error));
    QVERIFY(!error.isEmpty());
}

void tst_RedisStreamsMessages::session()
{
    QSocketIoStoredSession session;
    session.sid = u"sid1"_s;
    session.pid = u"pid1"_s;
    session.rooms = {u"sid1"_s, u"\uFEFFroom"_s};
    session.data = {{u"n"_s, 1}, {u"bin"_s, QByteArray("\x00", 1)}};
    QSocketIoStoredSession back;
    QString error;
    QVERIFY2(Messages::decodeSession(Messages::encodeSession(session), &back, &error), qPrintable(error));
    QCOMPARE(back.sid, session.sid);
    QCOMPARE(back.pid, session.pid);
    QCOMPARE(back.rooms, session.rooms);
    QCOMPARE(back.data, session.data);
    // What the Node adapter writes: base64 of MessagePack {sid, pid, rooms, data}.
    const QVariantMap node{{u"sid"_s, u"s"_s}, {u"pid"_s, u"p"_s}, {u"rooms"_s, QVariantList{u"s"_s}},
                           {u"data"_s, QVariantMap()}};
    QVERIFY(Messages::decodeSession(QSocketIoMsgpack::pack(node).toBase64(), &back, &error));
    QCOMPARE(back.rooms, QStringList{u"s"_s});
}

void tst_RedisStreamsMessages::sessionRefused_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("not base64") << QByteArray("!!");
    QTest::newRow("not a map") << QSocketIoMsgpack::pack(QVariantList{1}).toBase64();
    QTest::newRow("no sid") << QSocketIoMsgpack::pack(QVariantMap{{u"pid"_s, u"p"_s}, {u"rooms"_s, QVariantList()}})
                                       .toBase64();
    QTest::newRow("sid a number")
            << QSocketIoMsgpack::pack(QVariantMap{{u"sid"_s, 1}, {u"pid"_s, u"p"_s}, {u"rooms"_s, QVariantList()}})
                       .toBase64();
    QTest::newRow("room a number")
            << QSocketIoMsgpack::pack(QVariantMap{{u"sid"_s, u"s"_s}, {u"pid"_s, u"p"_s},
                                                  {u"rooms"_s, QVariantList{1}}}).toBase64();
}

void tst_RedisStreamsMessages::sessionRefused()
{
    QFETCH(QByteArray, text);
    QSocketIoStoredSession session;
    QString error;
    QVERIFY(!Messages::decodeSession(text, &session, &error));
    QVERIFY(!error.isEmpty());
}

void tst_RedisStreamsMessages::streamIds_data()
{
    QTest::addColumn<QByteArray>("id");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("next");
    QTest::newRow("plain") << QByteArray("1700000000000-0") << true << QByteArray("1700000000000-1");
    QTest::newRow("seq 9") << QByteArray("5-9") << true << QByteArray("5-10");
    QTest::newRow("no seq") << QByteArray("5") << false << QByteArray();
    QTest::newRow("empty seq") << QByteArray("5-") << false << QByteArray();
    QTest::newRow("letters") << QByteArray("a-1") << false << QByteArray();
    QTest::newRow("special $") << QByteArray("$") << false << QByteArray();
    QTest::newRow("negative") << QByteArray("-1-1") << false << QByteArray();
}

void tst_RedisStreamsMessages::streamIds()
{
    QFETCH(QByteArray, id);
    QFETCH(bool, valid);
    QFETCH(QByteArray, next);
    QCOMPARE(Messages::isStreamId(id), valid);
    if (valid)
        QCOMPARE(Messages::nextStreamId(id), next);
}

void tst_RedisStreamsMessages::sessionReceives()
{
    QSocketIoBroadcastOptions all;
    QSocketIoBroadcastOptions toR;
    toR.rooms = {u"r"_s};
    QSocketIoBroadcastOptions exceptR;
    exceptR.except = {u"r"_s};
    const QStringList inR{u"sid"_s, u"r"_s};
    const QStringList notInR{u"sid"_s};
    QVERIFY(Messages::sessionReceives(inR, all));
    QVERIFY(Messages::sessionReceives(inR, toR));
    QVERIFY(!Messages::sessionReceives(notInR, toR));
    QVERIFY(!Messages::sessionReceives(inR, exceptR));
    QVERIFY(Messages::sessionReceives(notInR, exceptR));
}

QTEST_APPLESS_MAIN(tst_RedisStreamsMessages)
#include "tst_redisstreamsmessages.moc"
