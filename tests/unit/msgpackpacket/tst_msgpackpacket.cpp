// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The MessagePack parser (socket.io-msgpack-parser 3). The good inputs are the bytes notepack.io 2.2 (the
// encoder of socket.io-msgpack-parser) writes for what socket.io-client sends; the bad ones are cut, lying or
// wrongly typed versions of them.

#include "protocol/qsocketiomsgpackparser_p.h"
#include "protocol/qsocketioparser_p.h"

#include <QtCore/qdatetime.h>
#include <QtCore/qjsonarray.h>
#include <QtCore/qjsonobject.h>
#include <QtTest/qtest.h>

using namespace QSocketIoProtocol;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(QSocketIoProtocol::Packet)

namespace {

Packet makePacket(PacketType type, const QString &nsp, qint64 id = -1, const QVariant &data = QVariant())
{
    Packet packet;
    packet.type = type;
    packet.nsp = nsp;
    packet.id = id;
    packet.data = data;
    return packet;
}

// Equal values of the same types, all the way down: qlonglong 1 is not int 1, a QVariantMap is not a hash.
bool sameValue(const QVariant &a, const QVariant &b)
{
    if (a.typeId() != b.typeId())
        return false;
    switch (a.typeId()) {
    case QMetaType::QVariantList: {
        const QVariantList x = a.toList();
        const QVariantList y = b.toList();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (!sameValue(x.at(i), y.at(i)))
                return false;
        }
        return true;
    }
    case QMetaType::QVariantMap: {
        const QVariantMap x = a.toMap();
        const QVariantMap y = b.toMap();
        if (x.keys() != y.keys())
            return false;
        for (auto it = x.cbegin(); it != x.cend(); ++it) {
            if (!sameValue(it.value(), y.value(it.key())))
                return false;
        }
        return true;
    }
    case QMetaType::Double: {
        const double x = a.toDouble(), y = b.toDouble();
        return x == y || (std::isnan(x) && std::isnan(y));
    }
    default:
        return a == b;
    }
}

QString describe(const QVariant &v)
{
    QString out;
    QDebug(&out) << v;
    return out;
}

QVariant ll(qlonglong v) { return QVariant(v); }

// An EVENT nested `depth` levels deep, counting the packet map and the data array: ["x", [[[...]]]].
QByteArray nestedEvent(int depth)
{
    QByteArray data = QByteArray::fromHex("92a178") + QByteArray(depth - 3, char(0x91)) + QByteArray(1, char(0x90));
    return QByteArray::fromHex("83a47479706502a464617461") + data + QByteArray::fromHex("a36e7370a12f");
}

} // namespace

class tst_MsgpackPacket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decode_data();
    void decode();
    void decodeErrors_data();
    void decodeErrors();
    void textIsRefused();
    void messageSizeLimit();
    void depthLimit();
    void encode_data();
    void encode();
    void roundTrip_data();
    void roundTrip();
    void parserSeam();
};

void tst_MsgpackPacket::decode_data()
{
    QTest::addColumn<QByteArray>("hex");
    QTest::addColumn<Packet>("expected");

    QTest::newRow("connect, auth undefined") << "83a47479706500a464617461d40000a36e7370a12f"_ba
                                             << makePacket(PacketType::Connect, u"/"_s);
    QTest::newRow("connect, auth")
            << "83a47479706500a46461746182a5746f6b656ea6736563726574a16e01a36e7370a52f63686174"_ba
            << makePacket(PacketType::Connect, u"/chat"_s, -1,
                          QVariantMap{ { u"token"_s, u"secret"_s }, { u"n"_s, ll(1) } });
    QTest::newRow("event, every JSON type, options ignored")
            << "84a47479706502a46461746198a568656c6c6f01fecb3ff8000000000000a2c3a9c0c3920181a161a162a76f7074696f6e7381a8636f6d7072657373c3a36e7370a12f"_ba
            << makePacket(PacketType::Event, u"/"_s, -1,
                          QVariantList{ u"hello"_s, ll(1), ll(-2), 1.5, u"é"_s, QVariant(), true,
                                        QVariantList{ ll(1), QVariantMap{ { u"a"_s, u"b"_s } } } });
    QTest::newRow("event with an ack id and bin")
            << "85a47479706502a46461746192a361736bc403000102a76f7074696f6e7381a8636f6d7072657373c3a2696407a36e7370a12f"_ba
            << makePacket(PacketType::Event, u"/"_s, 7, QVariantList{ u"ask"_s, QByteArray("\x00\x01\x02", 3) });
    QTest::newRow("ack, empty bin")
            << "84a47479706503a46461746192c400a26f6ba269640ca36e7370a52f63686174"_ba
            << makePacket(PacketType::Ack, u"/chat"_s, 12, QVariantList{ QByteArray(""), u"ok"_s });
    QTest::newRow("event named by a number")
            << "83a47479706502a464617461922aa178a36e7370a12f"_ba
            << makePacket(PacketType::Event, u"/"_s, -1, QVariantList{ u"42"_s, u"x"_s });
    QTest::newRow("Dates")
            << "83a47479706502a46461746193a164d7000000018bcfe5687bd700ffffffffffffffffa36e7370a12f"_ba
            << makePacket(PacketType::Event, u"/"_s, -1,
                          QVariantList{ u"d"_s, QDateTime::fromMSecsSinceEpoch(1700000000123, Qt::UTC),
                                        QDateTime::fromMSecsSinceEpoch(-1, Qt::UTC) });
    QTest::newRow("64-bit integers")
            << "83a47479706502a46461746194a16ecf0020000000000000d3ffffff0000000000cf0000000000000000a36e7370a12f"_ba
            << makePacket(PacketType::Event, u"/"_s, -1,
                          QVariantList{ u"n"_s, ll(9007199254740992LL), ll(-1099511627776LL), ll(0) });
    QTest::newRow("uint64 beyond qint64 is a double")
            << "83a47479706502a46461746192a16ecfffffffffffffffffa36e7370a12f"_ba
            << makePacket(PacketType::Event, u"/"_s, -1, QVariantList{ u"n"_s, 18446744073709551615.0 });
    QTest::newRow("float32")
            << "83a47479706502a46461746192a166ca3fc00000a36e7370a12f"_ba
            << makePacket(PacketType::Event, u"/"_s, -1, QVariantList{ u"f"_s, 1.5 });
    QTest::newRow("browser ArrayBuffer (ext 8, type 0)")
            << "83a47479706502a46461746192a162c70200abcda36e7370a12f"_ba
            << makePacket(PacketType::Event, u"/"_s, -1, QVariantList{ u"b"_s, QByteArray("\xab\xcd", 2) });
    QTest::newRow("1-byte ArrayBuffer is not undefined")
            << "83a47479706502a46461746192a162c70100aba36e7370a12f"_ba
            << makePacket(PacketType::Event, u"/"_s, -1, QVariantList{ u"b"_s, QByteArray("\xab", 1) });
    QTest::newRow("other extension as [type, bytes]")
            << "83a47479706502a46461746192a165d5050102a36e7370a12f"_ba
            << makePacket(PacketType::Event, u"/"_s, -1,
                          QVariantList{ u"e"_s, QVariantList{ ll(5), QByteArray("\x01\x02", 2) } });
    QTest::newRow("disconnect") << "82a47479706501a36e7370a52f63686174"_ba
                                << makePacket(PacketType::Disconnect, u"/chat"_s);
    QTest::newRow("connect_error, object")
            << "83a47479706504a46461746182a76d657373616765a26e6fa46461746181a377687901a36e7370a12f"_ba
            << makePacket(PacketType::ConnectError, u"/"_s, -1,
                          QVariantMap{ { u"message"_s, u"no"_s }, { u"data"_s, QVariantMap{ { u"why"_s, ll(1) } } } });
    QTest::newRow("connect_error, string") << "83a47479706504a464617461a26e6fa36e7370a12f"_ba
                                           << makePacket(PacketType::ConnectError, u"/"_s, -1, u"no"_s);
    QTest::newRow("id undefined is no id")
            << "84a47479706502a46461746191a178a26964d40000a36e7370a12f"_ba
            << makePacket(PacketType::Event, u"/"_s, -1, QVariantList{ u"x"_s });
    QTest::newRow("nested 128 deep") << nestedEvent(128).toHex()
                                     << [] {
                                            QVariant inner = QVariantList();
                                            for (int i = 0; i < 125; ++i)
                                                inner = QVariantList{ inner };
                                            return makePacket(PacketType::Event, u"/"_s, -1,
                                                              QVariantList{ u"x"_s, inner });
                                        }();
}

void tst_MsgpackPacket::decode()
{
    QFETCH(QByteArray, hex);
    QFETCH(Packet, expected);
    MessagePackDecoder decoder;
    const QByteArray bytes = QByteArray::fromHex(hex);
    QCOMPARE(decoder.addBinary(bytes), PacketDecoder::Status::Complete);
    const Packet packet = decoder.takePacket();
    QCOMPARE(int(packet.type), int(expected.type));
    QCOMPARE(packet.nsp, expected.nsp);
    QCOMPARE(packet.id, expected.id);
    QVERIFY2(sameValue(packet.data, expected.data),
             qPrintable(describe(packet.data) + u" != "_s + describe(expected.data)));
}

void tst_MsgpackPacket::decodeErrors_data()
{
    QTest::addColumn<QByteArray>("bytes");

    const QByteArray event = QByteArray::fromHex(
            "84a47479706502a46461746192a361736bc403000102a2696407a36e7370a12f");
    QTest::newRow("empty") << QByteArray();
    for (int cut : { 1, 5, 12, 20, int(event.size()) - 1 })
        QTest::addRow("truncated to %d bytes", cut) << event.left(cut);
    QTest::newRow("trailing byte") << event + QByteArray(1, char(0xc0));
    QTest::newRow("0xc1") << QByteArray::fromHex("c1");
    QTest::newRow("not a map") << QByteArray::fromHex("92a47479706502");
    QTest::newRow("nil") << QByteArray::fromHex("c0");
    // Headers that claim 4 GB (or 4 G elements) in a message of a few bytes.
    QTest::newRow("array32 of 4G") << QByteArray::fromHex("83a47479706502a464617461ddffffffffa36e7370a12f");
    QTest::newRow("map32 of 4G") << QByteArray::fromHex("83a47479706502a464617461dfffffffffa36e7370a12f");
    QTest::newRow("bin32 of 4G") << QByteArray::fromHex("83a47479706502a46461746192a178c6ffffffffa36e7370a12f");
    QTest::newRow("str32 of 4G") << QByteArray::fromHex("83a47479706502a46461746192a178dbffffffffa36e7370a12f");
    QTest::newRow("ext32 of 4G") << QByteArray::fromHex("83a47479706502a46461746192a178c9ffffffff00a36e7370a12f");
    QTest::newRow("ext32 of 4G-2") << QByteArray::fromHex("83a47479706502a46461746192a178c9fffffffe00a36e7370a12f");
    QTest::newRow("top map32 of 4G") << QByteArray::fromHex("dfffffffff");
    QTest::newRow("array of 20 in 16 bytes") << QByteArray::fromHex("83a47479706502a464617461dc0014a178");
    QTest::newRow("nested 129 deep") << nestedEvent(129);
    QTest::newRow("nested 100000 deep") << nestedEvent(100000);
    // socket.io-msgpack-parser's checkPacket(), and socket.io-parser's rules for event names and acks.
    const char *wrong[][2] = {
        { "type 5 (binary types do not exist here)", "83a47479706505a46461746191a178a36e7370a12f" },
        { "type a string", "83a474797065a132a46461746191a178a36e7370a12f" },
        { "type a fraction", "83a474797065cb3ff8000000000000a46461746191a178a36e7370a12f" },
        { "type missing", "82a46461746191a178a36e7370a12f" },
        { "nsp missing", "82a47479706502a46461746191a178" },
        { "nsp a number", "83a47479706502a46461746191a178a36e737001" },
        { "event data a map", "83a47479706502a46461746181a16101a36e7370a12f" },
        { "event data missing", "82a47479706502a36e7370a12f" },
        { "event empty", "83a47479706502a46461746190a36e7370a12f" },
        { "event name a bool", "83a47479706502a46461746191c3a36e7370a12f" },
        { "event name reserved", "83a47479706502a46461746191a7636f6e6e656374a36e7370a12f" },
        { "ack without id", "83a47479706503a46461746190a36e7370a12f" },
        { "ack data a string", "84a47479706503a464617461a178a269640ca36e7370a12f" },
        { "id a string", "84a47479706502a46461746191a178a26964a131a36e7370a12f" },
        { "id negative", "84a47479706502a46461746191a178a26964ffa36e7370a12f" },
        { "id nil", "84a47479706502a46461746191a178a26964c0a36e7370a12f" },
        { "id a fraction", "84a47479706502a46461746191a178a26964cb3ff8000000000000a36e7370a12f" },
        { "connect data an array", "83a47479706500a4646174619101a36e7370a12f" },
        { "connect data nil", "83a47479706500a464617461c0a36e7370a12f" },
        { "disconnect with data", "83a47479706501a46461746180a36e7370a12f" },
        { "connect_error data an array", "83a47479706504a4646174619101a36e7370a12f" },
        { "connect_error data missing", "82a47479706504a36e7370a12f" },
        { "map key a number", "83a47479706500a464617461810101a36e7370a12f" },
        { "top-level key a number", "8301007479706500a36e7370a12f" },
    };
    for (const auto &row : wrong)
        QTest::newRow(row[0]) << QByteArray::fromHex(row[1]);
}

void tst_MsgpackPacket::decodeErrors()
{
    QFETCH(QByteArray, bytes);
    MessagePackDecoder decoder;
    QCOMPARE(decoder.addBinary(bytes), PacketDecoder::Status::Error);
    QVERIFY(!decoder.errorString().isEmpty());
    qDebug() << decoder.errorString();
    // The decoder stays usable (the server closes the connection anyway).
    QCOMPARE(decoder.addBinary(QByteArray::fromHex("82a47479706501a36e7370a12f")), PacketDecoder::Status::Complete);
}

void tst_MsgpackPacket::textIsRefused()
{
    MessagePackDecoder decoder;
    QCOMPARE(decoder.addText("2[\"hello\"]"), PacketDecoder::Status::Error);
    QVERIFY(decoder.errorString().contains(u"text"_s));
}

void tst_MsgpackPacket::messageSizeLimit()
{
    MessagePackDecoder::Limits limits;
    limits.maxMessageSize = 20;
    MessagePackDecoder decoder(limits);
    QCOMPARE(decoder.addBinary(QByteArray::fromHex("82a47479706501a36e7370a12f")), PacketDecoder::Status::Complete);
    QCOMPARE(decoder.addBinary(QByteArray::fromHex("83a47479706504a464617461a26e6fa36e7370a12f")),
             PacketDecoder::Status::Error);
}

void tst_MsgpackPacket::depthLimit()
{
    MessagePackDecoder::Limits limits;
    limits.maxDepth = 3;   // the packet map, the data array, one more
    MessagePackDecoder decoder(limits);
    QCOMPARE(decoder.addBinary(nestedEvent(3)), PacketDecoder::Status::Complete);
    QCOMPARE(decoder.addBinary(nestedEvent(4)), PacketDecoder::Status::Error);
}

void tst_MsgpackPacket::encode_data()
{
    QTest::addColumn<Packet>("packet");
    QTest::addColumn<QByteArray>("hex");   // as notepack.io encodes the same packet from socket.io

    QTest::newRow("connect reply")
            << makePacket(PacketType::Connect, u"/"_s, -1, QVariantMap{ { u"sid"_s, u"abc"_s } })
            << "83a47479706500a46461746181a3736964a3616263a36e7370a12f"_ba;
    QTest::newRow("disconnect") << makePacket(PacketType::Disconnect, u"/chat"_s)
                                << "82a47479706501a36e7370a52f63686174"_ba;
    QTest::newRow("binary event, sent as EVENT with bin")
            << makePacket(PacketType::BinaryEvent, u"/"_s, 7, QVariantList{ u"ask"_s, QByteArray("\x00\x01\x02", 3) })
            << "84a47479706502a46461746192a361736bc403000102a36e7370a12fa2696407"_ba;
    QTest::newRow("ack") << makePacket(PacketType::Ack, u"/chat"_s, 12, QVariantList{ QByteArray(""), u"ok"_s })
                         << "84a47479706503a46461746192c400a26f6ba36e7370a52f63686174a269640c"_ba;
    QTest::newRow("numbers, nil, bool, Date")
            << makePacket(PacketType::Event, u"/"_s, -1,
                          QVariantList{ u"n"_s, 1, -2, 300, 1.5, QVariant(), true,
                                        QDateTime::fromMSecsSinceEpoch(1700000000123, Qt::UTC),
                                        QDateTime::fromMSecsSinceEpoch(-1, Qt::UTC) })
            << "83a47479706502a46461746199a16e01fecd012ccb3ff8000000000000c0c3d7000000018bcfe5687bd700ffffffffffffffffa36e7370a12f"_ba;
    QTest::newRow("json types")
            << makePacket(PacketType::Event, u"/"_s, -1,
                          QVariantList{ u"j"_s, QJsonArray{ 1, u"a"_s }, QJsonObject{ { u"k"_s, 2.5 } } })
            << "83a47479706502a46461746193a16a9201a16181a16bcb4004000000000000a36e7370a12f"_ba;
}

void tst_MsgpackPacket::encode()
{
    QFETCH(Packet, packet);
    QFETCH(QByteArray, hex);
    const EncodedPacket encoded = encodeMessagePack(packet);
    QVERIFY(encoded.binary);
    QVERIFY(encoded.attachments.isEmpty());
    QCOMPARE(encoded.text.toHex(), hex);
}

void tst_MsgpackPacket::roundTrip_data()
{
    QTest::addColumn<Packet>("packet");
    QVariantMap map{ { u"bytes"_s, QByteArray(100000, 'x') }, { u"s"_s, QString(70000, u'é') },
                     { u"list"_s, QVariantList{ ll(-5000000000LL), ll(4294967295LL), -0.25 } } };
    QTest::newRow("big values") << makePacket(PacketType::Event, u"/big"_s, 99, QVariantList{ u"e"_s, map });
    QVariantList many;
    for (int i = 0; i < 70000; ++i)
        many.append(ll(i % 200));
    QTest::newRow("array 32") << makePacket(PacketType::Ack, u"/"_s, 0, many);
    QTest::newRow("connect_error") << makePacket(PacketType::ConnectError, u"/"_s, -1,
                                                 QVariantMap{ { u"message"_s, u"m"_s }, { u"data"_s, QVariant() } });
}

void tst_MsgpackPacket::roundTrip()
{
    QFETCH(Packet, packet);
    MessagePackDecoder decoder;
    QCOMPARE(decoder.addBinary(encodeMessagePack(packet).text), PacketDecoder::Status::Complete);
    const Packet back = decoder.takePacket();
    QCOMPARE(int(back.type), int(packet.type));
    QCOMPARE(back.nsp, packet.nsp);
    QCOMPARE(back.id, packet.id);
    QVERIFY(sameValue(back.data, packet.data));
}

void tst_MsgpackPacket::parserSeam()
{
    const Packet packet = makePacket(PacketType::Event, u"/"_s, -1, QVariantList{ u"b"_s, QByteArray("\x01", 1) });
    // JSON: text plus an attachment, as before.
    const EncodedPacket json = Parser::json().encode(packet);
    QVERIFY(!json.binary);
    QCOMPARE(json.text, "51-[\"b\",{\"_placeholder\":true,\"num\":0}]"_ba);
    QCOMPARE(json.attachments.size(), 1);
    auto jsonDecoder = Parser::json().createDecoder(ParserLimits());
    QCOMPARE(jsonDecoder->addText(json.text), PacketDecoder::Status::NeedAttachments);
    QCOMPARE(jsonDecoder->addBinary(json.attachments.first()), PacketDecoder::Status::Complete);
    QVERIFY(sameValue(jsonDecoder->takePacket().data, packet.data));
    // A binary message that is not an attachment is a parse error for the JSON parser.
    QCOMPARE(jsonDecoder->addBinary(encodeMessagePack(packet).text), PacketDecoder::Status::Error);

    // MessagePack: one binary message.
    const EncodedPacket msgpack = Parser::messagePack().encode(packet);
    QVERIFY(msgpack.binary);
    QVERIFY(msgpack.attachments.isEmpty());
    ParserLimits limits;
    limits.maxMessageSize = 10;
    auto small = Parser::messagePack().createDecoder(limits);
    QCOMPARE(small->addBinary(msgpack.text), PacketDecoder::Status::Error);   // the limits reach the decoder
    auto decoder = Parser::messagePack().createDecoder(ParserLimits());
    QCOMPARE(decoder->addBinary(msgpack.text), PacketDecoder::Status::Complete);
    QVERIFY(sameValue(decoder->takePacket().data, packet.data));
}

QTEST_APPLESS_MAIN(tst_MsgpackPacket)

#include "tst_msgpackpacket.moc"
