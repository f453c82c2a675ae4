// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "protocol/qsocketiopacketv2_p.h"

#include <QtTest/QtTest>

using namespace QSocketIoProtocol;
using namespace Qt::StringLiterals;

class tst_SioPacketV2 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void splitNamespace_data();
    void splitNamespace();
    void connectPacket_data();
    void connectPacket();
    void connectError_data();
    void connectError();
    void sharedWireForm_data();
    void sharedWireForm();
};

void tst_SioPacketV2::splitNamespace_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<QVariantMap>("query");
    QTest::newRow("plain") << u"/chat"_s << u"/chat"_s << QVariantMap();
    QTest::newRow("root") << u"/"_s << u"/"_s << QVariantMap();
    QTest::newRow("query") << u"/chat?token=abc&x=1"_s << u"/chat"_s
                           << QVariantMap{{u"token"_s, u"abc"_s}, {u"x"_s, u"1"_s}};
    QTest::newRow("encoded") << u"/private?token=a%20b%2Bc&y=p+q"_s << u"/private"_s
                             << QVariantMap{{u"token"_s, u"a b+c"_s}, {u"y"_s, u"p q"_s}};
    QTest::newRow("empty query") << u"/chat?"_s << u"/chat"_s << QVariantMap();
    QTest::newRow("root with query") << u"/?a=1"_s << u"/"_s << QVariantMap{{u"a"_s, u"1"_s}};
    QTest::newRow("only a query") << u"?a=1"_s << u"/"_s << QVariantMap{{u"a"_s, u"1"_s}};
}

void tst_SioPacketV2::splitNamespace()
{
    QFETCH(QString, input);
    QFETCH(QString, nsp);
    QFETCH(QVariantMap, query);
    QString name;
    QVariantMap parsed{{u"stale"_s, 1}};
    V2::splitNamespace(input, &name, &parsed);
    QCOMPARE(name, nsp);
    QCOMPARE(parsed, query);
    // In place, as the server calls it on the packet's own namespace.
    QString inPlace = input;
    V2::splitNamespace(inPlace, &inPlace, &parsed);
    QCOMPARE(inPlace, nsp);
    QCOMPARE(parsed, query);
}

void tst_SioPacketV2::connectPacket_data()
{
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<QByteArray>("wire");
    QTest::newRow("main") << u"/"_s << QByteArray("0");
    QTest::newRow("chat") << u"/chat"_s << QByteArray("0/chat,");
}

// The server's CONNECT has no payload in the v2 dialect (v5 sends {"sid": ...}).
void tst_SioPacketV2::connectPacket()
{
    QFETCH(QString, nsp);
    QFETCH(QByteArray, wire);
    const EncodedPacket encoded = encode(V2::connectPacket(nsp));
    QCOMPARE(encoded.text, wire);
    QVERIFY(encoded.attachments.isEmpty());
}

void tst_SioPacketV2::connectError_data()
{
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QVariant>("data");
    QTest::addColumn<QByteArray>("wire");
    QTest::newRow("invalid namespace") << u"/nope"_s << u"Invalid namespace"_s << QVariant()
                                       << QByteArray("4/nope,\"Invalid namespace\"");
    QTest::newRow("main, quotes escaped") << u"/"_s << u"no \"way\""_s << QVariant()
                                          << QByteArray("4\"no \\\"way\\\"\"");
    QTest::newRow("middleware data wins") << u"/private"_s << u"not authorized"_s
                                          << QVariant(QVariantMap{{u"reason"_s, u"bad token"_s}})
                                          << QByteArray("4/private,{\"reason\":\"bad token\"}");
}

// A refusal is the message (or the middleware's data) itself, where v5 sends {"message": ..., "data": ...}.
void tst_SioPacketV2::connectError()
{
    QFETCH(QString, nsp);
    QFETCH(QString, message);
    QFETCH(QVariant, data);
    QFETCH(QByteArray, wire);
    QCOMPARE(encode(V2::connectErrorPacket(nsp, message, data)).text, wire);
}

void tst_SioPacketV2::sharedWireForm_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("attachments");
    // What socket.io-parser 3.x (socket.io-client 2.x) writes and reads for these types; v5's form is the same,
    // which is why one encoding of a broadcast serves both dialects.
    QTest::newRow("event") << QByteArray("2[\"evt\",1,{\"a\":[true,null]}]") << 0;
    QTest::newRow("event nsp ack") << QByteArray("2/chat,12[\"evt\",\"x\"]") << 0;
    QTest::newRow("ack") << QByteArray("3/chat,7[\"ok\"]") << 0;
    QTest::newRow("binary event") << QByteArray("51-[\"evt\",{\"_placeholder\":true,\"num\":0}]") << 1;
    QTest::newRow("binary ack") << QByteArray("62-/chat,3[{\"_placeholder\":true,\"num\":0},"
                                              "{\"_placeholder\":true,\"num\":1}]") << 2;
    QTest::newRow("disconnect") << QByteArray("1/chat,") << 0;
}

void tst_SioPacketV2::sharedWireForm()
{
    QFETCH(QByteArray, wire);
    QFETCH(int, attachments);
    Decoder decoder;
    Decoder::Status status = decoder.addText(wire);
    for (int i = 0; i < attachments; ++i) {
        QCOMPARE(status, Decoder::Status::NeedAttachments);
        status = decoder.addBinary(QByteArray(3, char('a' + i)));
    }
    QCOMPARE(status, Decoder::Status::Complete);
    const Packet packet = decoder.takePacket();
    const EncodedPacket encoded = encode(packet);
    QCOMPARE(encoded.text, wire);
    QCOMPARE(encoded.attachments.size(), attachments);
}

QTEST_APPLESS_MAIN(tst_SioPacketV2)
#include "tst_siopacketv2.moc"
