// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The hash slot the sharded Redis adapter computes for a channel (qsocketiorediskeyslot_p.h) against what Redis
// 7.0's CLUSTER KEYSLOT answers for the same keys (the expected values were taken from a cluster-enabled
// redis-server): hash tags, empty tags, nested braces, the channels of the adapter.

#include "qsocketiorediskeyslot_p.h"

#include <QtTest/qtest.h>

class tst_RedisKeySlot : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keySlot_data();
    void keySlot();
    void crc16();
};

void tst_RedisKeySlot::keySlot_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<int>("slot");
    QTest::newRow("plain") << QByteArray("somekey") << 11058;
    QTest::newRow("hash tag") << QByteArray("foo{hash_tag}") << 2515;
    QTest::newRow("foo") << QByteArray("foo") << 12182;
    QTest::newRow("tag first") << QByteArray("{user1000}.following") << 3443;
    QTest::newRow("empty tag: whole key") << QByteArray("foo{}{bar}") << 8363;
    QTest::newRow("nested braces") << QByteArray("foo{{bar}}zap") << 4015;
    QTest::newRow("adapter channel") << QByteArray("socket.io#/#") << 13868;
    QTest::newRow("empty") << QByteArray() << 0;
}

void tst_RedisKeySlot::keySlot()
{
    QFETCH(QByteArray, key);
    QFETCH(int, slot);
    QCOMPARE(QSocketIoRedisKeySlot::keySlot(key), slot);
}

void tst_RedisKeySlot::crc16()
{
    // The check value of CRC-16/XMODEM, as the Redis Cluster specification gives it.
    QCOMPARE(QSocketIoRedisKeySlot::crc16("123456789"), quint16(0x31C3));
}

QTEST_APPLESS_MAIN(tst_RedisKeySlot)
#include "tst_rediskeyslot.moc"
