// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "engine/codec/qengineiopacket_p.h"

#include <QtTest/QtTest>

using QEngineIo::Packet;
using QEngineIo::PacketType;

Q_DECLARE_METATYPE(QEngineIo::Packet)

namespace QEngineIo {
char *toString(const Packet &packet)
{
    const QByteArray text = "Packet(type " + QByteArray::number(int(packet.type))
            + (packet.binary ? ", binary, data " : ", data ") + packet.data.toPercentEncoding(" {}\":,[]") + ')';
    return qstrdup(text.constData());
}
} // namespace QEngineIo

namespace {

QByteArray allBytes()
{
    QByteArray bytes(256, Qt::Uninitialized);
    for (int i = 0; i < 256; ++i)
        bytes[i] = char(i);
    return bytes;
}

// From the engine.io-protocol v4 README (Protocol > Handshake).
const QByteArray handshake = QByteArrayLiteral(
        "{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,"
        "\"pingTimeout\":20000,\"maxPayload\":1000000}");

} // namespace

class tst_EngineIoPacket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void packet_data();
    void packet();
    void decodeOnly_data();
    void decodeOnly();
    void invalidPacket_data();
    void invalidPacket();
    void appendTextPacket();
    void payload_data();
    void payload();
    void invalidPayload_data();
    void invalidPayload();
    void maxPackets_data();
    void maxPackets();
};

// Both directions: encode(packet) == text and decode(text) == packet.
void tst_EngineIoPacket::packet_data()
{
    QTest::addColumn<Packet>("packet");
    QTest::addColumn<QByteArray>("text");

    QTest::addRow("open with the handshake of the document")
            << Packet::control(PacketType::Open, handshake) << "0" + handshake;
    QTest::addRow("close") << Packet::control(PacketType::Close) << QByteArray("1");
    QTest::addRow("ping") << Packet::control(PacketType::Ping) << QByteArray("2");
    QTest::addRow("pong") << Packet::control(PacketType::Pong) << QByteArray("3");
    QTest::addRow("ping probe") << Packet::control(PacketType::Ping, "probe") << QByteArray("2probe");
    QTest::addRow("pong probe") << Packet::control(PacketType::Pong, "probe") << QByteArray("3probe");
    QTest::addRow("message hello") << Packet::message("hello") << QByteArray("4hello");
    QTest::addRow("message HelloWorld") << Packet::message("HelloWorld") << QByteArray("4HelloWorld");
    QTest::addRow("empty message") << Packet::message({}) << QByteArray("4");
    QTest::addRow("message UTF-8") << Packet::message("\xe2\x82\xac") << QByteArray("4\xe2\x82\xac");
    QTest::addRow("message with digits") << Packet::message("42[\"chat\",1]") << QByteArray("442[\"chat\",1]");
    QTest::addRow("upgrade") << Packet::control(PacketType::Upgrade) << QByteArray("5");
    QTest::addRow("noop") << Packet::control(PacketType::Noop) << QByteArray("6");
    QTest::addRow("binary 01 02 03 04 as b64")
            << Packet::message(QByteArray("\x01\x02\x03\x04", 4), true) << QByteArray("bAQIDBA==");
    QTest::addRow("binary one byte") << Packet::message(QByteArray("\xff", 1), true) << QByteArray("b/w==");
    QTest::addRow("binary two bytes") << Packet::message(QByteArray("\xfb\xff", 2), true) << QByteArray("b+/8=");
    QTest::addRow("binary three bytes") << Packet::message(QByteArray("\0\0\0", 3), true) << QByteArray("bAAAA");
    QTest::addRow("binary empty") << Packet::message(QByteArray(), true) << QByteArray("b");
    QTest::addRow("binary all byte values")
            << Packet::message(allBytes(), true) << "b" + allBytes().toBase64();
    QTest::addRow("binary with a separator byte")
            << Packet::message(QByteArray("\x1e", 1), true) << QByteArray("bHg==");
}

void tst_EngineIoPacket::packet()
{
    QFETCH(Packet, packet);
    QFETCH(QByteArray, text);

    QCOMPARE(QEngineIo::encodeTextPacket(packet), text);

    Packet decoded = Packet::control(PacketType::Close, "untouched?");
    QVERIFY(QEngineIo::decodeTextPacket(text, &decoded));
    // An empty binary payload decodes to an empty (maybe null) QByteArray.
    if (packet.data.isEmpty())
        decoded.data = packet.data;
    QCOMPARE(decoded, packet);
}

// Frames that decode but whose encoding differs (unpadded base64 is accepted).
void tst_EngineIoPacket::decodeOnly_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<Packet>("packet");

    QTest::addRow("base64 without padding") << QByteArray("bAQIDBA")
                                            << Packet::message(QByteArray("\x01\x02\x03\x04", 4), true);
    QTest::addRow("data after a control type") << QByteArray("6xyz") << Packet::control(PacketType::Noop, "xyz");
    QTest::addRow("separator inside a WebSocket frame")
            << QByteArray("4a\x1e" "b") << Packet::message(QByteArray("a\x1e" "b"));
}

void tst_EngineIoPacket::decodeOnly()
{
    QFETCH(QByteArray, text);
    QFETCH(Packet, packet);
    Packet decoded;
    QVERIFY(QEngineIo::decodeTextPacket(text, &decoded));
    QCOMPARE(decoded, packet);
}

void tst_EngineIoPacket::invalidPacket_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addRow("empty") << QByteArray("");
    QTest::addRow("null") << QByteArray();
    QTest::addRow("type 7") << QByteArray("7");
    QTest::addRow("type 9 with data") << QByteArray("9hello");
    QTest::addRow("letter") << QByteArray("x");
    QTest::addRow("capital B") << QByteArray("BAQIDBA==");
    QTest::addRow("separator first") << QByteArray("\x1e" "4a");
    QTest::addRow("NUL type") << QByteArray("\0" "4", 2);
    QTest::addRow("b!!!") << QByteArray("b!!!");
    QTest::addRow("base64 with a space") << QByteArray("bAQID BA==");
    QTest::addRow("base64 with data after padding") << QByteArray("bAQ==ID");
    QTest::addRow("base64url alphabet") << QByteArray("b-_8=");
}

void tst_EngineIoPacket::invalidPacket()
{
    QFETCH(QByteArray, text);
    const Packet before = Packet::control(PacketType::Pong, "keep");
    Packet packet = before;
    QVERIFY(!QEngineIo::decodeTextPacket(text, &packet));
    QCOMPARE(packet, before);
}

void tst_EngineIoPacket::appendTextPacket()
{
    QByteArray out("prefix|");
    QEngineIo::appendTextPacket(out, Packet::message("hello"));
    QEngineIo::appendTextPacket(out, Packet::message(QByteArray("\x01\x02\x03\x04", 4), true));
    QEngineIo::appendTextPacket(out, Packet::control(PacketType::Ping));
    QCOMPARE(out, QByteArray("prefix|4hellobAQIDBA==2"));
}

void tst_EngineIoPacket::payload_data()
{
    QTest::addColumn<QList<Packet>>("packets");
    QTest::addColumn<QByteArray>("payload");

    QTest::addRow("document: 4hello, ping, 4world")
            << QList<Packet>{Packet::message("hello"), Packet::control(PacketType::Ping), Packet::message("world")}
            << QByteArray("4hello\x1e" "2\x1e" "4world");
    QTest::addRow("document: text and binary")
            << QList<Packet>{Packet::message("hello"), Packet::message(QByteArray("\x01\x02\x03\x04", 4), true)}
            << QByteArray("4hello\x1e" "bAQIDBA==");
    QTest::addRow("one packet") << QList<Packet>{Packet::control(PacketType::Noop)} << QByteArray("6");
    QTest::addRow("open alone") << QList<Packet>{Packet::control(PacketType::Open, handshake)} << "0" + handshake;
    QTest::addRow("UTF-8 message then close")
            << QList<Packet>{Packet::message("\xe2\x82\xac"), Packet::control(PacketType::Close)}
            << QByteArray("4\xe2\x82\xac\x1e" "1");
    QTest::addRow("every type")
            << QList<Packet>{Packet::control(PacketType::Open, "{}"), Packet::control(PacketType::Close),
                             Packet::control(PacketType::Ping), Packet::control(PacketType::Pong, "x"),
                             Packet::message("m"), Packet::control(PacketType::Upgrade),
                             Packet::control(PacketType::Noop)}
            << QByteArray("0{}\x1e" "1\x1e" "2\x1e" "3x\x1e" "4m\x1e" "5\x1e" "6");
    QTest::addRow("empty messages") << QList<Packet>{Packet::message({}), Packet::message({})}
                                    << QByteArray("4\x1e" "4");
}

void tst_EngineIoPacket::payload()
{
    QFETCH(QList<Packet>, packets);
    QFETCH(QByteArray, payload);

    const QByteArray encoded = QEngineIo::encodePayload(packets);
    QCOMPARE(encoded, payload);
    QCOMPARE(encoded.capacity(), encoded.size());  // one exact reservation

    QList<Packet> decoded;
    QVERIFY(QEngineIo::decodePayload(payload, &decoded));
    QCOMPARE(decoded.size(), packets.size());
    for (qsizetype i = 0; i < packets.size(); ++i) {
        if (packets.at(i).data.isEmpty())
            decoded[i].data = packets.at(i).data;
        QCOMPARE(decoded.at(i), packets.at(i));
    }

    // With maxPackets equal to the count it still decodes.
    decoded.clear();
    QVERIFY(QEngineIo::decodePayload(payload, &decoded, packets.size()));
    QCOMPARE(decoded.size(), packets.size());
}

void tst_EngineIoPacket::invalidPayload_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("decodedBefore");  // packets left in the list

    QTest::addRow("empty") << QByteArray("") << 0;
    QTest::addRow("trailing separator 4a\\x1e") << QByteArray("4a\x1e") << 1;
    QTest::addRow("leading separator") << QByteArray("\x1e" "4a") << 0;
    QTest::addRow("double separator") << QByteArray("4a\x1e\x1e" "4b") << 1;
    QTest::addRow("lone separator") << QByteArray("\x1e") << 0;
    QTest::addRow("unknown type 7") << QByteArray("7") << 0;
    QTest::addRow("unknown type after a good one") << QByteArray("4a\x1e" "7") << 1;
    QTest::addRow("bad base64 b!!!") << QByteArray("b!!!") << 0;
    QTest::addRow("bad base64 after two good ones") << QByteArray("2\x1e" "4a\x1e" "b!!!") << 2;
    QTest::addRow("unknown letter after a good one") << QByteArray("4a\x1e" "x") << 1;
}

void tst_EngineIoPacket::invalidPayload()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, decodedBefore);
    QList<Packet> packets;
    QVERIFY(!QEngineIo::decodePayload(payload, &packets));
    QCOMPARE(packets.size(), decodedBefore);
}

void tst_EngineIoPacket::maxPackets_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("maxPackets");
    QTest::addColumn<bool>("ok");

    QTest::addRow("below the limit") << 3 << 4 << true;
    QTest::addRow("at the limit") << 4 << 4 << true;
    QTest::addRow("over the limit") << 5 << 4 << false;
    QTest::addRow("one over one") << 2 << 1 << false;
    QTest::addRow("no limit") << 1000 << 0 << true;
}

void tst_EngineIoPacket::maxPackets()
{
    QFETCH(int, count);
    QFETCH(int, maxPackets);
    QFETCH(bool, ok);

    QList<Packet> source;
    for (int i = 0; i < count; ++i)
        source.append(Packet::message(QByteArray::number(i)));
    const QByteArray payload = QEngineIo::encodePayload(source);

    QList<Packet> packets;
    QCOMPARE(QEngineIo::decodePayload(payload, &packets, maxPackets), ok);
    if (ok)
        QCOMPARE(packets, source);
    else
        QVERIFY(packets.size() <= maxPackets);
}

QTEST_APPLESS_MAIN(tst_EngineIoPacket)
#include "tst_engineiopacket.moc"
