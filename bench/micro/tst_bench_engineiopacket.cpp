// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Engine.IO packet and polling payload encode/decode (src/engine/codec): the framing every message goes
// through, and the "b<base64>" form binary data takes on polling.

#include "engine/codec/qengineiopacket_p.h"

#include <QtTest/qtest.h>

using namespace QEngineIo;

Q_DECLARE_METATYPE(QEngineIo::Packet)

namespace {

QByteArray blob(qsizetype size)
{
    QByteArray data(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char((i * 131 + 7) & 0xff);
    return data;
}

QByteArray text(qsizetype size)
{
    return QByteArray("2[\"bcast\",\"") + QByteArray(size, 'x') + QByteArray("\"]");
}

void addPacketRows()
{
    QTest::addColumn<Packet>("packet");
    QTest::addRow("ping") << Packet::control(PacketType::Ping);
    QTest::addRow("message, 100 bytes") << Packet::message(text(100));
    QTest::addRow("message, 10 KiB") << Packet::message(text(10240));
    QTest::addRow("binary, 1 KiB (base64)") << Packet::message(blob(1024), true);
    QTest::addRow("binary, 64 KiB (base64)") << Packet::message(blob(65536), true);
}

void addPayloadRows()
{
    QTest::addColumn<QList<Packet>>("packets");
    QTest::addRow("1 message") << QList<Packet>{Packet::message(text(100))};
    QList<Packet> ten;
    for (int i = 0; i < 10; ++i)
        ten.append(Packet::message(text(100)));
    QTest::addRow("10 messages") << ten;
    QList<Packet> hundred;
    for (int i = 0; i < 100; ++i)
        hundred.append(Packet::message(text(100)));
    QTest::addRow("100 messages") << hundred;
    QTest::addRow("message + 1 KiB binary")
            << QList<Packet>{Packet::message(text(100)), Packet::message(blob(1024), true)};
}

} // namespace

class tst_bench_EngineIoPacket : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void encodeTextPacket_data() { addPacketRows(); }
    void encodeTextPacket();
    void decodeTextPacket_data() { addPacketRows(); }
    void decodeTextPacket();
    void encodePayload_data() { addPayloadRows(); }
    void encodePayload();
    void decodePayload_data() { addPayloadRows(); }
    void decodePayload();
};

void tst_bench_EngineIoPacket::encodeTextPacket()
{
    QFETCH(Packet, packet);
    QByteArray wire;
    QBENCHMARK {
        wire = QEngineIo::encodeTextPacket(packet);
    }
    QVERIFY(!wire.isEmpty());
}

void tst_bench_EngineIoPacket::decodeTextPacket()
{
    QFETCH(Packet, packet);
    const QByteArray wire = QEngineIo::encodeTextPacket(packet);
    Packet decoded;
    QBENCHMARK {
        if (!QEngineIo::decodeTextPacket(wire, &decoded))
            QFAIL("the packet did not decode");
    }
    QCOMPARE(decoded, packet);
}

void tst_bench_EngineIoPacket::encodePayload()
{
    QFETCH(QList<Packet>, packets);
    QByteArray wire;
    QBENCHMARK {
        wire = QEngineIo::encodePayload(packets);
    }
    QVERIFY(!wire.isEmpty());
}

void tst_bench_EngineIoPacket::decodePayload()
{
    QFETCH(QList<Packet>, packets);
    const QByteArray wire = QEngineIo::encodePayload(packets);
    QList<Packet> decoded;
    QBENCHMARK {
        decoded.clear();
        if (!QEngineIo::decodePayload(wire, &decoded))
            QFAIL("the payload did not decode");
    }
    QCOMPARE(decoded, packets);
}

QTEST_APPLESS_MAIN(tst_bench_EngineIoPacket)

#include "tst_bench_engineiopacket.moc"
