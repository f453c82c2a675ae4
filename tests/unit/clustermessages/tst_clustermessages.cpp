// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The pieces of socket.io-adapter's cluster mapping that the Redis and PostgreSQL codecs share: the broadcast
// options (encodeOptions/decodeOptions), the packet and the remote socket, in the shapes Node writes.

#include "qsocketioclustermessages_p.h"

#include <QtTest/qtest.h>

using namespace QSocketIoClusterMessages;
using namespace Qt::StringLiterals;

class tst_ClusterMessages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void options();
    void optionsFromNode_data();
    void optionsFromNode();
    void packet();
    void brokenPacket_data();
    void brokenPacket();
    void remoteSocket();
};

void tst_ClusterMessages::options()
{
    QSocketIoBroadcastOptions options;
    options.rooms = {u"a"_s, u"b"_s};
    options.except = {u"c"_s};
    // Flags at their defaults are left out, as Node leaves them undefined.
    QCOMPARE(fromOptions(options),
             (QVariantMap{{u"rooms"_s, QStringList{u"a"_s, u"b"_s}}, {u"except"_s, QStringList{u"c"_s}},
                          {u"flags"_s, QVariantMap()}}));
    QCOMPARE(fromOptions(options, OptionsForm::WithoutFlags),
             (QVariantMap{{u"rooms"_s, QStringList{u"a"_s, u"b"_s}}, {u"except"_s, QStringList{u"c"_s}}}));
    options.isVolatile = true;
    options.compress = false;
    options.timeout = 250;
    const QVariantMap flags = fromOptions(options).value(u"flags"_s).toMap();
    QCOMPARE(flags, (QVariantMap{{u"volatile"_s, true}, {u"compress"_s, false}, {u"timeout"_s, 250}}));

    QSocketIoBroadcastOptions back;
    QString error;
    QVERIFY2(toOptions(fromOptions(options), &back, &error), qPrintable(error));
    QCOMPARE(back.rooms, options.rooms);
    QCOMPARE(back.except, options.except);
    QCOMPARE(back.isVolatile, true);
    QCOMPARE(back.compress, false);
    QCOMPARE(back.timeout, 250);
}

void tst_ClusterMessages::optionsFromNode_data()
{
    QTest::addColumn<QVariant>("opts");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QStringList>("rooms");
    QTest::addColumn<int>("timeout");
    QTest::addColumn<bool>("local");

    QTest::newRow("empty") << QVariant(QVariantMap()) << true << QStringList() << -1 << false;
    QTest::newRow("rooms, no flags") << QVariant(QVariantMap{{u"rooms"_s, QVariantList{u"r"_s}}}) << true
                                     << QStringList{u"r"_s} << -1 << false;
    QTest::newRow("local and timeout")
            << QVariant(QVariantMap{{u"flags"_s, QVariantMap{{u"local"_s, true}, {u"timeout"_s, 10}}}}) << true
            << QStringList() << 10 << true;
    QTest::newRow("not a map") << QVariant(QVariantList{1}) << false << QStringList() << -1 << false;
    QTest::newRow("null") << QVariant() << false << QStringList() << -1 << false;
}

void tst_ClusterMessages::optionsFromNode()
{
    QFETCH(QVariant, opts);
    QFETCH(bool, ok);
    QSocketIoBroadcastOptions options;
    QString error;
    QCOMPARE(toOptions(opts, &options, &error), ok);
    if (!ok) {
        QVERIFY(!error.isEmpty());
        return;
    }
    QFETCH(QStringList, rooms);
    QFETCH(int, timeout);
    QFETCH(bool, local);
    QCOMPARE(options.rooms, rooms);
    QCOMPARE(options.timeout, timeout);
    QCOMPARE(options.local, local);
    QCOMPARE(options.compress, true);
}

void tst_ClusterMessages::packet()
{
    const QVariantList data{u"event"_s, 1};
    QCOMPARE(fromPacket(u"/chat"_s, data),
             (QVariantMap{{u"type"_s, 2}, {u"data"_s, data}, {u"nsp"_s, u"/chat"_s}}));
    QCOMPARE(fromPacket(u"/"_s, data, 7).value(u"id"_s), QVariant(7));

    QSocketIoBroadcastPacket packet;
    QString error;
    // A BINARY_EVENT comes back without ack id (the sender encodes EVENT or BINARY_EVENT); no nsp: the default one.
    QVERIFY2(toPacket(QVariantMap{{u"type"_s, 5}, {u"data"_s, data}, {u"id"_s, 3}}, u"/x"_s, &packet, &error),
             qPrintable(error));
    QCOMPARE(packet.nsp, u"/x"_s);
    QCOMPARE(packet.id, -1);
    QCOMPARE(packet.data, data);
    QVERIFY2(toPacket(fromPacket(u"/chat"_s, data), u"/"_s, &packet, &error), qPrintable(error));
    QCOMPARE(packet.nsp, u"/chat"_s);
}

void tst_ClusterMessages::brokenPacket_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::newRow("not a map") << QVariant(QVariantList{2});
    QTest::newRow("CONNECT") << QVariant(QVariantMap{{u"type"_s, 0}, {u"data"_s, QVariantList{u"e"_s}}});
    QTest::newRow("no data") << QVariant(QVariantMap{{u"type"_s, 2}});
    QTest::newRow("empty data") << QVariant(QVariantMap{{u"type"_s, 2}, {u"data"_s, QVariantList()}});
    QTest::newRow("event not a string") << QVariant(QVariantMap{{u"type"_s, 2}, {u"data"_s, QVariantList{1}}});
}

void tst_ClusterMessages::brokenPacket()
{
    QFETCH(QVariant, value);
    QSocketIoBroadcastPacket packet;
    QString error;
    QVERIFY(!toPacket(value, u"/"_s, &packet, &error));
    QVERIFY(!error.isEmpty());
}

void tst_ClusterMessages::remoteSocket()
{
    const QSocketIoRemoteSocket socket(u"sid"_s, QVariantMap{{u"url"_s, u"/socket.io/"_s}}, {u"sid"_s, u"room"_s},
                                       QVariantMap{{u"name"_s, u"alice"_s}});
    const QVariantMap map = fromRemoteSocket(socket);
    QCOMPARE(map.keys(), (QStringList{u"data"_s, u"handshake"_s, u"id"_s, u"rooms"_s}));
    QCOMPARE(fromRemoteSockets({socket}), QVariantList{map});
    const QSocketIoRemoteSocket back = toRemoteSocket(map);
    QCOMPARE(back.id(), u"sid"_s);
    QCOMPARE(back.handshake(), socket.handshake());
    QCOMPARE(back.rooms(), socket.rooms());
    QCOMPARE(back.data(), socket.data());
}

QTEST_GUILESS_MAIN(tst_ClusterMessages)
#include "tst_clustermessages.moc"
