// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "engine/codec/qengineiopayloadv3_p.h"

#include <QtTest/QtTest>

using QEngineIo::Packet;
using QEngineIo::PacketType;
using Packets = QList<QEngineIo::Packet>;

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

Packet message(const char *utf8) { return Packet::message(QByteArray(utf8)); }
Packet binary(const QByteArray &bytes) { return Packet::message(bytes, true); }
Packet control(PacketType type, const QByteArray &data = {}) { return Packet::control(type, data); }

// The binary payload format: marker, one byte per length digit, 0xff, packet.
QByteArray binaryEntry(bool isBinary, const QByteArray &body)
{
    QByteArray out(1, char(isBinary ? 1 : 0));
    for (const char digit : QByteArray::number(body.size()))
        out.append(char(digit - '0'));
    out.append(char(0xff));
    out.append(body);
    return out;
}

const QByteArray smiley = QByteArrayLiteral("\xf0\x9f\x98\x80");   // U+1F600: 4 bytes, 2 UTF-16 units
const QByteArray eAcute = QByteArrayLiteral("\xc3\xa9");           // U+00E9: 2 bytes, 1 unit

} // namespace

class tst_EngineIoPayloadV3 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void utf16Length_data();
    void utf16Length();
    void textPayload_data();
    void textPayload();
    void decodeOnly_data();
    void decodeOnly();
    void binaryPayload();
    void encodeEmpty();
    void invalidPayload_data();
    void invalidPayload();
    void maxPackets();
    void webSocketBinaryFrame();
    void textPacket_data();
    void textPacket();
};

void tst_EngineIoPayloadV3::utf16Length_data()
{
    QTest::addColumn<QByteArray>("utf8");
    QTest::addColumn<qsizetype>("units");
    QTest::newRow("empty") << QByteArray() << qsizetype(0);
    QTest::newRow("ascii") << QByteArray("4hello") << qsizetype(6);
    QTest::newRow("2-byte") << QByteArray("4h" + eAcute + "llo") << qsizetype(6);
    QTest::newRow("3-byte") << QByteArray("4\xe2\x82\xac") << qsizetype(2);   // euro sign
    QTest::newRow("4-byte is a pair") << QByteArray("4" + smiley) << qsizetype(3);
}

void tst_EngineIoPayloadV3::utf16Length()
{
    QFETCH(QByteArray, utf8);
    QFETCH(qsizetype, units);
    QCOMPARE(QEngineIo::V3::utf16Length(utf8), units);
    QCOMPARE(QEngineIo::V3::utf16Length(utf8), QString::fromUtf8(utf8).size());
}

// Both directions in the text format: encode(packets, supportsBinary = false) == payload, and back.
void tst_EngineIoPayloadV3::textPayload_data()
{
    QTest::addColumn<Packets>("packets");
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("one message") << Packets{message("hello")} << QByteArray("6:4hello");
    QTest::newRow("two packets") << Packets{message("hello"), control(PacketType::Ping)} << QByteArray("6:4hello1:2");
    QTest::newRow("probe") << Packets{control(PacketType::Pong, "probe")} << QByteArray("6:3probe");
    QTest::newRow("close") << Packets{control(PacketType::Close)} << QByteArray("1:1");
    QTest::newRow("noop") << Packets{control(PacketType::Noop)} << QByteArray("1:6");
    QTest::newRow("empty message") << Packets{message("")} << QByteArray("1:4");
    // Lengths in UTF-16 code units, not bytes.
    QTest::newRow("2-byte char counts 1") << Packets{Packet::message("h" + eAcute + "llo")}
                                          << QByteArray("6:4h" + eAcute + "llo");
    QTest::newRow("4-byte char counts 2") << Packets{Packet::message(smiley)} << QByteArray("3:4" + smiley);
    QTest::newRow("delimiters in data") << Packets{message("1:2:3"), message("")}
                                        << QByteArray("6:41:2:31:4");
    // A binary message as base64 with the type digit after "b".
    QTest::newRow("binary as base64") << Packets{binary(QByteArray::fromHex("00010203"))}
                                      << QByteArray("10:b4AAECAw==");
    QTest::newRow("mixed") << Packets{message("a"), binary(QByteArray::fromHex("ff"))}
                           << QByteArray("2:4a6:b4/w==");
    QByteArray big(12345, 'x');
    QTest::newRow("multi-digit length") << Packets{Packet::message(big)} << QByteArray("12346:4" + big);
}

void tst_EngineIoPayloadV3::textPayload()
{
    QFETCH(Packets, packets);
    QFETCH(QByteArray, payload);
    bool binaryFormat = true;
    QCOMPARE(QEngineIo::V3::encodePayload(packets, false, &binaryFormat), payload);
    QVERIFY(!binaryFormat);
    Packets decoded;
    QString error;
    QVERIFY2(QEngineIo::V3::decodePayload(payload, false, &decoded, &error), qPrintable(error));
    QCOMPARE(decoded, packets);
    // A client that supports binary gets the same text payload when nothing in it is binary.
    const bool anyBinary = std::any_of(packets.cbegin(), packets.cend(), [](const Packet &p) { return p.binary; });
    if (!anyBinary) {
        QCOMPARE(QEngineIo::V3::encodePayload(packets, true, &binaryFormat), payload);
        QVERIFY(!binaryFormat);
    }
}

// Payloads that decode though the encoder never writes them so.
void tst_EngineIoPayloadV3::decodeOnly_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("binaryFormat");
    QTest::addColumn<Packets>("packets");
    QTest::newRow("0: carries nothing") << QByteArray("0:1:2") << false << Packets{control(PacketType::Ping)};
    QTest::newRow("only 0:") << QByteArray("0:") << false << Packets{};
    QTest::newRow("leading zeros") << QByteArray("06:4hello") << false << Packets{message("hello")};
    QTest::newRow("binary format, text only") << binaryEntry(false, "4hi") << true << Packets{message("hi")};
    QTest::newRow("binary format, UTF-8 length in bytes")
            << binaryEntry(false, "4" + smiley) << true << Packets{Packet::message(smiley)};
}

void tst_EngineIoPayloadV3::decodeOnly()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, binaryFormat);
    QFETCH(Packets, packets);
    Packets decoded;
    QString error;
    QVERIFY2(QEngineIo::V3::decodePayload(payload, binaryFormat, &decoded, &error), qPrintable(error));
    QCOMPARE(decoded, packets);
}

void tst_EngineIoPayloadV3::binaryPayload()
{
    const QByteArray bytes = QByteArray::fromHex("00ff0a1b");
    const Packets packets{message("hello"), binary(bytes), Packet::message("4" + smiley)};
    bool binaryFormat = false;
    const QByteArray payload = QEngineIo::V3::encodePayload(packets, true, &binaryFormat);
    QVERIFY(binaryFormat);
    // engine.io-parser 2.x's layout: a binary packet's length counts its type byte; a text one is UTF-8 bytes.
    const QByteArray expected = binaryEntry(false, "4hello") + binaryEntry(true, "\x04" + bytes)
            + binaryEntry(false, "44" + smiley);
    QCOMPARE(payload, expected);
    Packets decoded;
    QString error;
    QVERIFY2(QEngineIo::V3::decodePayload(payload, true, &decoded, &error), qPrintable(error));
    QCOMPARE(decoded, packets);
    // A 10-byte body has a two-digit length: 1, 1 (the type byte counted), then 0xff.
    const QByteArray ten(10, 'z');
    const QByteArray twoDigits = QEngineIo::V3::encodePayload({binary(ten)}, true);
    QCOMPARE(twoDigits.left(4), QByteArray::fromHex("010101ff"));
    QCOMPARE(twoDigits.size(), 4 + 11);
}

void tst_EngineIoPayloadV3::encodeEmpty()
{
    QCOMPARE(QEngineIo::V3::encodePayload({}, false), QByteArray("0:"));
    QCOMPARE(QEngineIo::V3::encodePayload({}, true), QByteArray("0:"));
}

void tst_EngineIoPayloadV3::invalidPayload_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("binaryFormat");
    QTest::addColumn<QString>("error");   // a part of the error message
    QTest::newRow("empty") << QByteArray() << false << QStringLiteral("empty payload");
    QTest::newRow("empty binary") << QByteArray() << true << QStringLiteral("empty payload");
    QTest::newRow("length short (lying)") << QByteArray("5:4hello") << false << QStringLiteral("not a decimal number");
    QTest::newRow("length long (lying)") << QByteArray("7:4hello") << false << QStringLiteral("past the end");
    QTest::newRow("length far beyond the body") << QByteArray("99999:4hi") << false << QStringLiteral("past the end");
    QTest::newRow("length counted in bytes") << QByteArray("5:4" + smiley) << false
                                             << QStringLiteral("past the end");
    QTest::newRow("non-digit length") << QByteArray("a:4hi") << false << QStringLiteral("not a decimal number");
    QTest::newRow("sign") << QByteArray("-2:4h") << false << QStringLiteral("not a decimal number");
    QTest::newRow("space") << QByteArray(" 3:4hi") << false << QStringLiteral("not a decimal number");
    QTest::newRow("exponent") << QByteArray("1e1:4123456789") << false << QStringLiteral("not a decimal number");
    QTest::newRow("missing length") << QByteArray(":4hi") << false << QStringLiteral("missing length");
    QTest::newRow("no colon") << QByteArray("3") << false << QStringLiteral("without ':'");
    QTest::newRow("trailing length") << QByteArray("1:23") << false << QStringLiteral("without ':'");
    QTest::newRow("too many digits") << QByteArray("12345678901:4") << false << QStringLiteral("more than 10 digits");
    QTest::newRow("splits a surrogate pair") << QByteArray("2:4" + smiley) << false
                                             << QStringLiteral("splits a character");
    QTest::newRow("invalid UTF-8") << QByteArray("2:4\xff") << false << QStringLiteral("not valid UTF-8");
    QTest::newRow("truncated UTF-8") << QByteArray("2:4\xc3") << false << QStringLiteral("not valid UTF-8");
    QTest::newRow("UTF-8 surrogate") << QByteArray("2:4\xed\xa0\x80") << false << QStringLiteral("not valid UTF-8");
    QTest::newRow("overlong UTF-8") << QByteArray("2:4\xc0\xaf") << false << QStringLiteral("not valid UTF-8");
    QTest::newRow("unknown type") << QByteArray("1:9") << false << QStringLiteral("does not decode");
    QTest::newRow("bad base64") << QByteArray("3:b4!") << false << QStringLiteral("does not decode");
    QTest::newRow("base64 of another type") << QByteArray("6:b2AAAA") << false << QStringLiteral("does not decode");
    QTest::newRow("v4 'b' form") << QByteArray("5:bAAAA") << false << QStringLiteral("does not decode");
    // A v4 payload posted to a v3 session: a clear error, not packets.
    QTest::newRow("v4 payload") << QByteArray("4hello\x1e" "4world") << false
                                << QStringLiteral("not a decimal number");
    QTest::newRow("v4 single packet") << QByteArray("2") << false << QStringLiteral("without ':'");
    QTest::newRow("v3 then v4") << QByteArray("6:4hello\x1e" "4x") << false
                                << QStringLiteral("not a decimal number");
    // Binary format.
    QTest::newRow("bin: unknown marker") << QByteArray::fromHex("0201ff34") << true << QStringLiteral("marker");
    QTest::newRow("bin: digit byte > 9") << QByteArray::fromHex("000aff34") << true << QStringLiteral("not a digit");
    QTest::newRow("bin: no 0xff") << QByteArray::fromHex("000101") << true << QStringLiteral("0xff");
    QTest::newRow("bin: missing length") << QByteArray::fromHex("00ff34") << true << QStringLiteral("missing length");
    QTest::newRow("bin: length beyond") << QByteArray::fromHex("0009ff3468") << true << QStringLiteral("past the end");
    QTest::newRow("bin: lying length")
            << QByteArray(binaryEntry(false, "4hi").replace(1, 1, "\x02")) << true << QStringLiteral("marker");
    QTest::newRow("bin: too many digits") << QByteArray::fromHex("000101010101010101010101ff") << true
                                          << QStringLiteral("more than 10 digits");
    QTest::newRow("bin: binary packet not a message") << binaryEntry(true, "\x02" "ab") << true
                                                      << QStringLiteral("not a message");
    QTest::newRow("bin: empty binary packet") << binaryEntry(true, "") << true << QStringLiteral("not a message");
    QTest::newRow("bin: empty text packet") << binaryEntry(false, "") << true << QStringLiteral("does not decode");
    QTest::newRow("bin: invalid UTF-8 text") << binaryEntry(false, "4\xc3") << true << QStringLiteral("does not decode");
    QTest::newRow("bin: text format posted as binary") << QByteArray("6:4hello") << true << QStringLiteral("marker");
}

void tst_EngineIoPayloadV3::invalidPayload()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, binaryFormat);
    QFETCH(QString, error);
    Packets decoded;
    QString why;
    QVERIFY(!QEngineIo::V3::decodePayload(payload, binaryFormat, &decoded, &why));
    QVERIFY2(why.contains(error), qPrintable(why));
}

void tst_EngineIoPayloadV3::maxPackets()
{
    Packets decoded;
    QString error;
    QVERIFY(QEngineIo::V3::decodePayload("1:21:21:2", false, &decoded, &error, 3));
    QCOMPARE(decoded.size(), 3);
    decoded.clear();
    QVERIFY(!QEngineIo::V3::decodePayload("1:21:21:2", false, &decoded, &error, 2));
    QVERIFY2(error.contains(QLatin1String("more than 2 packets")), qPrintable(error));
    decoded.clear();
    const QByteArray three = binaryEntry(false, "2") + binaryEntry(false, "2") + binaryEntry(false, "2");
    QVERIFY(!QEngineIo::V3::decodePayload(three, true, &decoded, &error, 2));
}

void tst_EngineIoPayloadV3::webSocketBinaryFrame()
{
    const QByteArray bytes = QByteArray::fromHex("00010203");
    QCOMPARE(QEngineIo::V3::encodeBinaryFrame(bytes), QByteArray::fromHex("0400010203"));
    Packet packet;
    QVERIFY(QEngineIo::V3::decodeBinaryFrame(QByteArray::fromHex("0400010203"), &packet));
    QCOMPARE(packet, binary(bytes));
    QVERIFY(QEngineIo::V3::decodeBinaryFrame(QByteArray::fromHex("04"), &packet));
    QCOMPARE(packet, binary(QByteArray()));
    QVERIFY(!QEngineIo::V3::decodeBinaryFrame(QByteArray(), &packet));
    QVERIFY(!QEngineIo::V3::decodeBinaryFrame(QByteArray::fromHex("00010203"), &packet));   // a v4 frame
}

void tst_EngineIoPayloadV3::textPacket_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<Packet>("packet");
    QTest::newRow("message") << QByteArray("4hi") << true << message("hi");
    QTest::newRow("ping probe") << QByteArray("2probe") << true << control(PacketType::Ping, "probe");
    QTest::newRow("base64") << QByteArray("b4AAE=") << true << binary(QByteArray::fromHex("0001"));
    QTest::newRow("empty") << QByteArray() << false << Packet();
    QTest::newRow("b alone") << QByteArray("b") << false << Packet();
    QTest::newRow("v4 base64") << QByteArray("bAAE=") << false << Packet();
    QTest::newRow("unknown type") << QByteArray("7") << false << Packet();
}

void tst_EngineIoPayloadV3::textPacket()
{
    QFETCH(QByteArray, frame);
    QFETCH(bool, valid);
    QFETCH(Packet, packet);
    Packet decoded;
    QCOMPARE(QEngineIo::V3::decodeTextPacket(frame, &decoded), valid);
    if (valid) {
        QCOMPARE(decoded, packet);
        QCOMPARE(QEngineIo::V3::encodeTextPacket(packet), frame);
    }
}

QTEST_APPLESS_MAIN(tst_EngineIoPayloadV3)
#include "tst_engineiopayloadv3.moc"
