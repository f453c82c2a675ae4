// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Socket.IO packet encode/decode (src/protocol): what every emitted and every received event costs before
// any I/O. Rows mirror the load generator's scenarios (the S2 broadcast, the S3 echo object, the S5 binary).

#include "protocol/qsocketiopacket_p.h"

#include <QtTest/qtest.h>

using namespace QSocketIoProtocol;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(QSocketIoProtocol::Packet)

namespace {

Packet makePacket(PacketType type, const QVariant &data, qint64 id = -1, const QString &nsp = u"/"_s)
{
    Packet packet;
    packet.type = type;
    packet.nsp = nsp;
    packet.id = id;
    packet.data = data;
    return packet;
}

QByteArray blob(qsizetype size)
{
    QByteArray data(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char((i * 131 + 7) & 0xff);
    return data;
}

QVariantMap echoObject()
{
    return QVariantMap{{u"n"_s, 123}, {u"s"_s, u"abcdefghijklmnopqrstuvwxyz012345"_s}};
}

// A chat-like list of 10 messages, about 1 KiB of JSON.
QVariantList nestedList()
{
    QVariantList messages;
    for (int i = 0; i < 10; ++i) {
        messages.append(QVariantMap{{u"id"_s, i},
                                    {u"user"_s, u"user%1"_s.arg(i)},
                                    {u"text"_s, u"a message of some length, number %1"_s.arg(i)},
                                    {u"time"_s, 1700000000000.0 + i},
                                    {u"tags"_s, QVariantList{u"a"_s, u"b"_s, true, QVariant()}}});
    }
    return messages;
}

void addRows()
{
    QTest::addColumn<Packet>("packet");
    QTest::addRow("connect") << makePacket(PacketType::Connect, QVariant());
    QTest::addRow("connect /chat with auth")
            << makePacket(PacketType::Connect, QVariantMap{{u"token"_s, u"secret-token-123"_s}}, -1, u"/chat"_s);
    QTest::addRow("event, no argument") << makePacket(PacketType::Event, QVariantList{u"ping"_s});
    QTest::addRow("event, 100-byte string (S2)")
            << makePacket(PacketType::Event, QVariantList{u"bcast"_s, QString(100, u'x')});
    QTest::addRow("event with ack id, object (S3)")
            << makePacket(PacketType::Event, QVariantList{u"echo"_s, echoObject()}, 42);
    QTest::addRow("ack, object (S3)") << makePacket(PacketType::Ack, QVariantList{echoObject()}, 42);
    QTest::addRow("event, 1 KiB nested") << makePacket(PacketType::Event, QVariantList{u"history"_s, nestedList()});
    QTest::addRow("event, 10 KiB string")
            << makePacket(PacketType::Event, QVariantList{u"big"_s, QString(10240, u'y')});
    QTest::addRow("binary event, 1 KiB") << makePacket(PacketType::Event, QVariantList{u"echo"_s, blob(1024)}, 7);
    QTest::addRow("binary ack, 64 KiB (S5)") << makePacket(PacketType::Ack, QVariantList{blob(65536)}, 7);
}

} // namespace

class tst_bench_SioPacket : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void encode_data() { addRows(); }
    void encode();
    void decode_data() { addRows(); }
    void decode();
    void toJson_data();
    void toJson();
};

void tst_bench_SioPacket::encode()
{
    QFETCH(Packet, packet);
    EncodedPacket encoded;
    QBENCHMARK {
        encoded = QSocketIoProtocol::encode(packet);
    }
    QVERIFY(!encoded.text.isEmpty());
}

void tst_bench_SioPacket::decode()
{
    QFETCH(Packet, packet);
    const EncodedPacket wire = QSocketIoProtocol::encode(packet);
    Packet decoded;
    QBENCHMARK {
        Decoder decoder;
        Decoder::Status status = decoder.addText(wire.text);
        for (const QByteArray &attachment : wire.attachments)
            status = decoder.addBinary(attachment);
        if (status != Decoder::Status::Complete)
            QFAIL("the packet did not decode");
        decoded = decoder.takePacket();
    }
    QCOMPARE(decoded.id, packet.id);
}

void tst_bench_SioPacket::toJson_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::addRow("string, 100 bytes") << QVariant(QString(100, u'x'));
    QTest::addRow("object (S3)") << QVariant(echoObject());
    QTest::addRow("1 KiB nested") << QVariant(nestedList());
    QTest::addRow("doubles x 100") << QVariant([] {
        QVariantList numbers;
        for (int i = 0; i < 100; ++i)
            numbers.append(i * 1.5 + 0.25);
        return numbers;
    }());
}

void tst_bench_SioPacket::toJson()
{
    QFETCH(QVariant, value);
    QByteArray json;
    QBENCHMARK {
        json = QSocketIoProtocol::toJson(value);
    }
    QVERIFY(!json.isEmpty());
}

QTEST_APPLESS_MAIN(tst_bench_SioPacket)

#include "tst_bench_siopacket.moc"
