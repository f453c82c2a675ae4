// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "protocol/qsocketiopacket_p.h"

#include <QtCore/qjsonarray.h>
#include <QtCore/qjsondocument.h>
#include <QtCore/qjsonobject.h>
#include <QtCore/qpoint.h>
#include <QtCore/qurl.h>
#include <QtTest/qtest.h>

#include <cmath>
#include <limits>

using namespace QSocketIoProtocol;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(QSocketIoProtocol::Packet)

namespace {

Packet makePacket(PacketType type, const QString &nsp = u"/"_s, qint64 id = -1, const QVariant &data = QVariant())
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
        for (auto it = x.constBegin(); it != x.constEnd(); ++it) {
            if (!sameValue(it.value(), y.value(it.key())))
                return false;
        }
        return true;
    }
    default:
        return a == b;
    }
}

QString describe(const QVariant &value)
{
    QString text;
    QDebug(&text).nospace() << value;
    return text;
}

void comparePacket(const Packet &actual, const Packet &expected)
{
    QCOMPARE(actual.type, expected.type);
    QCOMPARE(actual.nsp, expected.nsp);
    QCOMPARE(actual.id, expected.id);
    QVERIFY2(sameValue(actual.data, expected.data),
             qPrintable(u"\n   Actual: "_s + describe(actual.data) + u"\n Expected: "_s + describe(expected.data)));
}

const QByteArray bytes1234 = QByteArray::fromHex("01020304");
const QByteArray bytes12 = QByteArray::fromHex("0102");
const QByteArray bytes34 = QByteArray::fromHex("0304");

// Every example of the socket.io-protocol Readme (v5), with its exact encoding. Shared by encode and decode.
void addDocumentRows()
{
    QTest::addColumn<Packet>("packet");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArrayList>("attachments");

    // Packet encoding: connection to a namespace
    QTest::addRow("doc: CONNECT /") << makePacket(PacketType::Connect) << "0"_ba << QByteArrayList();
    QTest::addRow("doc: CONNECT / with sid")
            << makePacket(PacketType::Connect, u"/"_s, -1, QVariantMap{{u"sid"_s, u"wZX3oN0bSVIhsaknAAAI"_s}})
            << R"(0{"sid":"wZX3oN0bSVIhsaknAAAI"})"_ba << QByteArrayList();
    QTest::addRow("doc: CONNECT /admin") << makePacket(PacketType::Connect, u"/admin"_s) << "0/admin,"_ba
                                         << QByteArrayList();
    QTest::addRow("doc: CONNECT /admin with sid")
            << makePacket(PacketType::Connect, u"/admin"_s, -1, QVariantMap{{u"sid"_s, u"oSO0OpakMV_3jnilAAAA"_s}})
            << R"(0/admin,{"sid":"oSO0OpakMV_3jnilAAAA"})"_ba << QByteArrayList();
    QTest::addRow("doc: CONNECT /admin with auth token")
            << makePacket(PacketType::Connect, u"/admin"_s, -1, QVariantMap{{u"token"_s, u"123"_s}})
            << R"(0/admin,{"token":"123"})"_ba << QByteArrayList();
    QTest::addRow("doc: CONNECT_ERROR Not authorized")
            << makePacket(PacketType::ConnectError, u"/"_s, -1, QVariantMap{{u"message"_s, u"Not authorized"_s}})
            << R"(4{"message":"Not authorized"})"_ba << QByteArrayList();

    // Sending and receiving data
    QTest::addRow("doc: EVENT foo") << makePacket(PacketType::Event, u"/"_s, -1, QVariantList{u"foo"_s})
                                    << R"(2["foo"])"_ba << QByteArrayList();
    QTest::addRow("doc: EVENT /admin bar") << makePacket(PacketType::Event, u"/admin"_s, -1, QVariantList{u"bar"_s})
                                           << R"(2/admin,["bar"])"_ba << QByteArrayList();
    QTest::addRow("doc: BINARY_EVENT baz + 1 buffer")
            << makePacket(PacketType::BinaryEvent, u"/"_s, -1, QVariantList{u"baz"_s, bytes1234})
            << R"(51-["baz",{"_placeholder":true,"num":0}])"_ba << QByteArrayList{bytes1234};
    QTest::addRow("doc: BINARY_EVENT /admin baz + 2 buffers")
            << makePacket(PacketType::BinaryEvent, u"/admin"_s, -1, QVariantList{u"baz"_s, bytes12, bytes34})
            << R"(52-/admin,["baz",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])"_ba
            << QByteArrayList{bytes12, bytes34};

    // Acknowledgement
    QTest::addRow("doc: EVENT foo id 12") << makePacket(PacketType::Event, u"/"_s, 12, QVariantList{u"foo"_s})
                                          << R"(212["foo"])"_ba << QByteArrayList();
    QTest::addRow("doc: ACK [] id 12") << makePacket(PacketType::Ack, u"/"_s, 12, QVariantList()) << "312[]"_ba
                                       << QByteArrayList();
    QTest::addRow("doc: EVENT /admin foo id 13")
            << makePacket(PacketType::Event, u"/admin"_s, 13, QVariantList{u"foo"_s}) << R"(2/admin,13["foo"])"_ba
            << QByteArrayList();
    QTest::addRow("doc: ACK /admin bar id 13")
            << makePacket(PacketType::Ack, u"/admin"_s, 13, QVariantList{u"bar"_s}) << R"(3/admin,13["bar"])"_ba
            << QByteArrayList();
    QTest::addRow("doc: BINARY_EVENT foo id 14")
            << makePacket(PacketType::BinaryEvent, u"/"_s, 14, QVariantList{u"foo"_s, bytes1234})
            << R"(51-14["foo",{"_placeholder":true,"num":0}])"_ba << QByteArrayList{bytes1234};
    QTest::addRow("doc: ACK bar id 14") << makePacket(PacketType::Ack, u"/"_s, 14, QVariantList{u"bar"_s})
                                        << R"(314["bar"])"_ba << QByteArrayList();
    QTest::addRow("doc: EVENT foo id 15") << makePacket(PacketType::Event, u"/"_s, 15, QVariantList{u"foo"_s})
                                          << R"(215["foo"])"_ba << QByteArrayList();
    QTest::addRow("doc: BINARY_ACK bar id 15")
            << makePacket(PacketType::BinaryAck, u"/"_s, 15, QVariantList{u"bar"_s, bytes1234})
            << R"(61-15["bar",{"_placeholder":true,"num":0}])"_ba << QByteArrayList{bytes1234};

    // Disconnection from a namespace
    QTest::addRow("doc: DISCONNECT /") << makePacket(PacketType::Disconnect) << "1"_ba << QByteArrayList();
    QTest::addRow("doc: DISCONNECT /admin") << makePacket(PacketType::Disconnect, u"/admin"_s) << "1/admin,"_ba
                                            << QByteArrayList();

    // Sample session
    QTest::addRow("doc session: EVENT hey Jude")
            << makePacket(PacketType::Event, u"/"_s, -1, QVariantList{u"hey"_s, u"Jude"_s})
            << R"(2["hey","Jude"])"_ba << QByteArrayList();
    QTest::addRow("doc session: EVENT hello") << makePacket(PacketType::Event, u"/"_s, -1, QVariantList{u"hello"_s})
                                              << R"(2["hello"])"_ba << QByteArrayList();
    QTest::addRow("doc session: CONNECT /admin with sid")
            << makePacket(PacketType::Connect, u"/admin"_s, -1, QVariantMap{{u"sid"_s, u"-G5j-67EZFp-q59rADQM"_s}})
            << R"(0/admin,{"sid":"-G5j-67EZFp-q59rADQM"})"_ba << QByteArrayList();
    QTest::addRow("doc session: EVENT /admin tellme id 1")
            << makePacket(PacketType::Event, u"/admin"_s, 1, QVariantList{u"tellme"_s})
            << R"(2/admin,1["tellme"])"_ba << QByteArrayList();
    QTest::addRow("doc session: BINARY_ACK /admin id 1")
            << makePacket(PacketType::BinaryAck, u"/admin"_s, 1, QVariantList{bytes1234})
            << R"(61-/admin,1[{"_placeholder":true,"num":0}])"_ba << QByteArrayList{bytes1234};

    // More of the same shapes
    QTest::addRow("EVENT hello 1") << makePacket(PacketType::Event, u"/"_s, -1, QVariantList{u"hello"_s, 1LL})
                                   << R"(2["hello",1])"_ba << QByteArrayList();
    QTest::addRow("EVENT /admin project:delete id 456")
            << makePacket(PacketType::Event, u"/admin"_s, 456, QVariantList{u"project:delete"_s, 123LL})
            << R"(2/admin,456["project:delete",123])"_ba << QByteArrayList();
    QTest::addRow("ACK /admin [] id 456") << makePacket(PacketType::Ack, u"/admin"_s, 456, QVariantList())
                                          << "3/admin,456[]"_ba << QByteArrayList();
    QTest::addRow("BINARY_EVENT hello + 1 buffer")
            << makePacket(PacketType::BinaryEvent, u"/"_s, -1, QVariantList{u"hello"_s, bytes1234})
            << R"(51-["hello",{"_placeholder":true,"num":0}])"_ba << QByteArrayList{bytes1234};
    QTest::addRow("BINARY_ACK /admin id 456 + 1 buffer")
            << makePacket(PacketType::BinaryAck, u"/admin"_s, 456, QVariantList{bytes1234})
            << R"(61-/admin,456[{"_placeholder":true,"num":0}])"_ba << QByteArrayList{bytes1234};
}

// A QJsonObject from literal JSON text, for the rows that use Qt's JSON types.
QJsonObject jsonObject(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

QByteArray placeholder(int num)
{
    return R"({"_placeholder":true,"num":)"_ba + QByteArray::number(num) + '}';
}

} // namespace

class tst_SioPacket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void encode_data();
    void encode();
    void decode_data();
    void decode();
    void roundTrip_data();
    void roundTrip();
    void toJson_data();
    void toJson();
    void hasBinary_data();
    void hasBinary();
    void malformed_data();
    void malformed();
    void attachmentsAreShared();
    void decoderSequence();
    void resetDropsWaitingPacket();
    void takePacketTwice();
    void exactValues_data();
    void exactValues();
    void qtDropsLeadingByteOrderMark();
};

void tst_SioPacket::encode_data()
{
    addDocumentRows();

    // The encoder picks the binary types itself.
    QTest::addRow("EVENT with a buffer becomes BINARY_EVENT")
            << makePacket(PacketType::Event, u"/"_s, -1, QVariantList{u"baz"_s, bytes1234})
            << R"(51-["baz",{"_placeholder":true,"num":0}])"_ba << QByteArrayList{bytes1234};
    QTest::addRow("ACK with a buffer becomes BINARY_ACK")
            << makePacket(PacketType::Ack, u"/"_s, 15, QVariantList{u"bar"_s, bytes1234})
            << R"(61-15["bar",{"_placeholder":true,"num":0}])"_ba << QByteArrayList{bytes1234};
    QTest::addRow("BINARY_EVENT without buffer is sent as EVENT")
            << makePacket(PacketType::BinaryEvent, u"/"_s, -1, QVariantList{u"foo"_s}) << R"(2["foo"])"_ba
            << QByteArrayList();
    QTest::addRow("BINARY_ACK without buffer is sent as ACK")
            << makePacket(PacketType::BinaryAck, u"/admin"_s, 3, QVariantList()) << "3/admin,3[]"_ba
            << QByteArrayList();
    QTest::addRow("buffers numbered in order of appearance, nested")
            << makePacket(PacketType::Event, u"/chat"_s, 7,
                          QVariantList{u"upload"_s,
                                       QVariantMap{{u"a"_s, QByteArray("A")},
                                                   {u"b"_s, QVariantList{QByteArray("B"), QVariantMap{{u"c"_s, QByteArray("C")}}}}},
                                       QByteArray("D")})
            << R"(54-/chat,7["upload",{"a":{"_placeholder":true,"num":0},"b":[{"_placeholder":true,"num":1},{"c":{"_placeholder":true,"num":2}}]},{"_placeholder":true,"num":3}])"_ba
            << QByteArrayList{"A", "B", "C", "D"};
    QTest::addRow("twelve buffers: the count has two digits")
            << makePacket(PacketType::Event, u"/"_s, -1,
                          QVariantList{u"e"_s, QByteArray("0"), QByteArray("1"), QByteArray("2"), QByteArray("3"),
                                       QByteArray("4"), QByteArray("5"), QByteArray("6"), QByteArray("7"),
                                       QByteArray("8"), QByteArray("9"), QByteArray("10"), QByteArray("11")})
            << "512-[\"e\"," + placeholder(0) + ',' + placeholder(1) + ',' + placeholder(2) + ',' + placeholder(3)
                       + ',' + placeholder(4) + ',' + placeholder(5) + ',' + placeholder(6) + ','
                       + placeholder(7) + ',' + placeholder(8) + ',' + placeholder(9) + ',' + placeholder(10)
                       + ',' + placeholder(11) + ']'
            << QByteArrayList{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"};
    QTest::addRow("empty buffer is still an attachment")
            << makePacket(PacketType::Event, u"/"_s, -1, QVariantList{u"e"_s, QByteArray()})
            << R"(51-["e",{"_placeholder":true,"num":0}])"_ba << QByteArrayList{QByteArray()};

    // Namespaces and ids
    QTest::addRow("empty namespace is the main one") << makePacket(PacketType::Event, QString(), -1, QVariantList{u"a"_s})
                                                     << R"(2["a"])"_ba << QByteArrayList();
    QTest::addRow("non-ASCII namespace in UTF-8")
            << makePacket(PacketType::Connect, u"/caf\u00e9"_s) << "0/caf\xc3\xa9,"_ba << QByteArrayList();
    QTest::addRow("ack id 0") << makePacket(PacketType::Event, u"/"_s, 0, QVariantList{u"a"_s}) << R"(20["a"])"_ba
                              << QByteArrayList();
    QTest::addRow("largest ack id")
            << makePacket(PacketType::Ack, u"/"_s, std::numeric_limits<qint64>::max(), QVariantList())
            << "39223372036854775807[]"_ba << QByteArrayList();

    // Payload shapes
    QTest::addRow("CONNECT_ERROR with message and data")
            << makePacket(PacketType::ConnectError, u"/admin"_s, -1,
                          QVariantMap{{u"message"_s, u"Not authorized"_s},
                                      {u"data"_s, QVariantMap{{u"code"_s, 401}}}})
            << R"(4/admin,{"data":{"code":401},"message":"Not authorized"})"_ba << QByteArrayList();
    QTest::addRow("CONNECT_ERROR as a plain string")
            << makePacket(PacketType::ConnectError, u"/"_s, -1, u"Not authorized"_s) << R"(4"Not authorized")"_ba
            << QByteArrayList();
    QTest::addRow("CONNECT payload QByteArray written as null")
            << makePacket(PacketType::Connect, u"/"_s, -1, QVariantMap{{u"key"_s, QByteArray("x")}})
            << R"(0{"key":null})"_ba << QByteArrayList();
    QTest::addRow("DISCONNECT never carries data")
            << makePacket(PacketType::Disconnect, u"/admin"_s, -1, QVariantMap{{u"a"_s, 1}}) << "1/admin,"_ba
            << QByteArrayList();
    QTest::addRow("null data writes no payload")
            << makePacket(PacketType::Connect, u"/"_s, -1, QVariant::fromValue(nullptr)) << "0"_ba
            << QByteArrayList();
    QTest::addRow("EVENT from QStringList") << makePacket(PacketType::Event, u"/"_s, -1, QStringList{u"a"_s, u"b"_s})
                                            << R"(2["a","b"])"_ba << QByteArrayList();
    QTest::addRow("EVENT from QJsonArray")
            << makePacket(PacketType::Event, u"/"_s, -1,
                          QJsonArray{u"a"_s, 1, 2.5, true, QJsonValue::Null, QJsonObject{{u"k"_s, u"v"_s}}})
            << R"(2["a",1,2.5,true,null,{"k":"v"}])"_ba << QByteArrayList();
    QTest::addRow("EVENT from QJsonDocument")
            << makePacket(PacketType::Event, u"/"_s, 4, QJsonDocument(QJsonArray{u"a"_s, QJsonArray{}}))
            << R"(24["a",[]])"_ba << QByteArrayList();
    QTest::addRow("CONNECT from QJsonObject")
            << makePacket(PacketType::Connect, u"/"_s, -1, jsonObject(R"({"sid":"x","n":-3})"))
            << R"(0{"n":-3,"sid":"x"})"_ba << QByteArrayList();
}

void tst_SioPacket::encode()
{
    QFETCH(Packet, packet);
    QFETCH(QByteArray, text);
    QFETCH(QByteArrayList, attachments);

    const EncodedPacket encoded = QSocketIoProtocol::encode(packet);
    QCOMPARE(encoded.text, text);
    QCOMPARE(encoded.attachments, attachments);
}

void tst_SioPacket::decode_data()
{
    addDocumentRows();

    // socket.io-parser reads the namespace up to a comma or the end of the message.
    QTest::addRow("CONNECT /admin without comma") << makePacket(PacketType::Connect, u"/admin"_s) << "0/admin"_ba
                                                  << QByteArrayList();
    QTest::addRow("DISCONNECT /admin without comma") << makePacket(PacketType::Disconnect, u"/admin"_s)
                                                     << "1/admin"_ba << QByteArrayList();
    QTest::addRow("namespace with UTF-8") << makePacket(PacketType::Event, u"/\u00fc\u00f1\u00ef"_s, -1, QVariantList{u"a"_s})
                                          << "2/\xc3\xbc\xc3\xb1\xc3\xaf,[\"a\"]"_ba << QByteArrayList();
    QTest::addRow("ack id with leading zeros") << makePacket(PacketType::Event, u"/"_s, 12, QVariantList{u"a"_s})
                                               << R"(2012["a"])"_ba << QByteArrayList();
    QTest::addRow("largest ack id")
            << makePacket(PacketType::Ack, u"/"_s, std::numeric_limits<qint64>::max(), QVariantList())
            << "39223372036854775807[]"_ba << QByteArrayList();
    QTest::addRow("CONNECT with ack id (ignored by servers, kept)")
            << makePacket(PacketType::Connect, u"/admin"_s, 5) << "0/admin,5"_ba << QByteArrayList();

    // Event names: socket.io-parser also takes a number.
    QTest::addRow("numeric event name becomes a string")
            << makePacket(PacketType::Event, u"/"_s, -1, QVariantList{u"1"_s}) << "2[1]"_ba << QByteArrayList();
    QTest::addRow("fractional event name as JS prints it")
            << makePacket(PacketType::Event, u"/"_s, -1, QVariantList{u"1.5"_s, u"x"_s}) << R"(2[1.5,"x"])"_ba
            << QByteArrayList();
    QTest::addRow("huge numeric event name")
            << makePacket(PacketType::Event, u"/"_s, -1, QVariantList{u"1e+21"_s}) << "2[1e21]"_ba
            << QByteArrayList();
    QTest::addRow("event name that only looks reserved")
            << makePacket(PacketType::Event, u"/"_s, -1, QVariantList{u"Connect"_s}) << R"(2["Connect"])"_ba
            << QByteArrayList();

    // CONNECT_ERROR as old servers sent it, or empty as socket.io-parser allows.
    QTest::addRow("CONNECT_ERROR string payload")
            << makePacket(PacketType::ConnectError, u"/"_s, -1, u"Not authorized"_s) << R"(4"Not authorized")"_ba
            << QByteArrayList();
    QTest::addRow("CONNECT_ERROR string with escapes")
            << makePacket(PacketType::ConnectError, u"/x"_s, -1, u"a\"]b"_s) << R"(4/x,"a\"]b")"_ba
            << QByteArrayList();
    QTest::addRow("CONNECT_ERROR without payload") << makePacket(PacketType::ConnectError) << "4"_ba
                                                   << QByteArrayList();

    // JSON types
    QTest::addRow("JSON types: integers are qlonglong, null is an invalid QVariant")
            << makePacket(PacketType::Event, u"/"_s, -1,
                          QVariantList{u"t"_s, QVariant(), true, false, 0LL, -5LL, 1.5,
                                       std::numeric_limits<qlonglong>::min(), 1e21, u""_s,
                                       QVariantMap{{u"a"_s, QVariantList{1LL, QVariantMap{{u"b"_s, QVariant()}}}}},
                                       QVariantMap(), QVariantList()})
            << R"(2["t",null,true,false,0,-5,1.5,-9223372036854775808,1e21,"",{"a":[1,{"b":null}]},{},[]])"_ba
            << QByteArrayList();
    QTest::addRow("integral doubles come back as qlonglong")
            << makePacket(PacketType::Ack, u"/"_s, 1, QVariantList{1LL, 1000LL}) << "31[1.0,1e3]"_ba
            << QByteArrayList();
    QTest::addRow("string escapes")
            << makePacket(PacketType::Event, u"/"_s, -1,
                          QVariantList{u"s"_s, u"q\"b\\s/\b\f\n\r\t\x01\u00e9\U0001F600"_s})
            << R"(2["s","q\"b\\s\/\b\f\n\r\t\u0001\u00e9\ud83d\ude00"])"_ba << QByteArrayList();
    QTest::addRow("whitespace inside and after JSON")
            << makePacket(PacketType::Event, u"/"_s, -1, QVariantList{u"a"_s, 1LL}) << "2[ \"a\" ,\t1 ] \r\n"_ba
            << QByteArrayList();
    QTest::addRow("placeholder in a plain EVENT stays an object")
            << makePacket(PacketType::Event, u"/"_s, -1,
                          QVariantList{u"a"_s, QVariantMap{{u"_placeholder"_s, true}, {u"num"_s, 0LL}}})
            << R"(2["a",{"_placeholder":true,"num":0}])"_ba << QByteArrayList();

    // Binary
    QTest::addRow("placeholders out of order")
            << makePacket(PacketType::BinaryEvent, u"/"_s, -1,
                          QVariantList{u"a"_s, bytes34, bytes12})
            << R"(52-["a",{"_placeholder":true,"num":1},{"_placeholder":true,"num":0}])"_ba
            << QByteArrayList{bytes12, bytes34};
    QTest::addRow("placeholders nested with extra keys")
            << makePacket(PacketType::BinaryEvent, u"/chat"_s, 7,
                          QVariantList{u"upload"_s,
                                       QVariantMap{{u"files"_s, QVariantList{QByteArray("A"),
                                                                            QVariantMap{{u"meta"_s, QVariantMap{{u"blob"_s, QByteArray("B")}}}}}}},
                                       QVariantList{QVariantList{QByteArray("C")}}})
            << R"(53-/chat,7["upload",{"files":[{"_placeholder":true,"num":0},{"meta":{"blob":{"num":1,"_placeholder":true,"x":2}}}]},[[{"_placeholder":true,"num":2.0}]]])"_ba
            << QByteArrayList{"A", "B", "C"};
    QTest::addRow("ten attachments, the default limit")
            << makePacket(PacketType::BinaryAck, u"/"_s, 9,
                          QVariantList{QByteArray("0"), QByteArray("1"), QByteArray("2"), QByteArray("3"),
                                       QByteArray("4"), QByteArray("5"), QByteArray("6"), QByteArray("7"),
                                       QByteArray("8"), QByteArray("9")})
            << "610-9[" + placeholder(0) + ',' + placeholder(1) + ',' + placeholder(2) + ',' + placeholder(3) + ','
                       + placeholder(4) + ',' + placeholder(5) + ',' + placeholder(6) + ',' + placeholder(7) + ','
                       + placeholder(8) + ',' + placeholder(9) + ']'
            << QByteArrayList{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    QTest::addRow("attachment count with leading zero")
            << makePacket(PacketType::BinaryEvent, u"/"_s, -1, QVariantList{u"a"_s, bytes12})
            << R"(501-["a",{"_placeholder":true,"num":0}])"_ba << QByteArrayList{bytes12};
    QTest::addRow("more attachments than placeholders")
            << makePacket(PacketType::BinaryEvent, u"/"_s, -1, QVariantList{u"a"_s, bytes12})
            << R"(52-["a",{"_placeholder":true,"num":0}])"_ba << QByteArrayList{bytes12, bytes34};
    QTest::addRow("empty attachment") << makePacket(PacketType::BinaryEvent, u"/"_s, -1, QVariantList{u"a"_s, QByteArray()})
                                      << R"(51-["a",{"_placeholder":true,"num":0}])"_ba << QByteArrayList{QByteArray()};
}

void tst_SioPacket::decode()
{
    QFETCH(Packet, packet);
    QFETCH(QByteArray, text);
    QFETCH(QByteArrayList, attachments);

    Decoder decoder;
    Decoder::Status status = decoder.addText(text);
    QVERIFY2(status != Decoder::Status::Error, qPrintable(decoder.errorString()));
    for (const QByteArray &attachment : attachments) {
        QCOMPARE(status, Decoder::Status::NeedAttachments);
        QVERIFY(decoder.isWaitingForAttachments());
        status = decoder.addBinary(attachment);
        QVERIFY2(status != Decoder::Status::Error, qPrintable(decoder.errorString()));
    }
    QCOMPARE(status, Decoder::Status::Complete);
    QVERIFY(!decoder.isWaitingForAttachments());
    comparePacket(decoder.takePacket(), packet);
}

void tst_SioPacket::roundTrip_data()
{
    QTest::addColumn<Packet>("packet");

    const QByteArray big(100000, '\x7f');
    QTest::addRow("nested maps and lists")
            << makePacket(PacketType::Event, u"/chat"_s, 42,
                          QVariantList{u"message"_s,
                                       QVariantMap{{u"user"_s, QVariantMap{{u"name"_s, u"zo\u00eb"_s},
                                                                          {u"tags"_s, QVariantList{u"a"_s, u"b"_s}},
                                                                          {u"age"_s, 33LL},
                                                                          {u"score"_s, 9.75},
                                                                          {u"admin"_s, false},
                                                                          {u"nick"_s, QVariant()}}},
                                                   {u"list"_s, QVariantList{QVariantList{1LL, QVariantList{2LL, QVariantList{3LL}}},
                                                                           QVariantMap(), QVariantList()}}},
                                       QVariant()});
    QTest::addRow("several buffers, nested")
            << makePacket(PacketType::Event, u"/"_s, -1,
                          QVariantList{u"upload"_s,
                                       QVariantMap{{u"files"_s, QVariantList{QByteArray("one"),
                                                                            QVariantMap{{u"meta"_s, QByteArray("two")}}}}},
                                       QVariantList{QByteArray("three"), QVariantList{QByteArray(4, '\0')}},
                                       big});
    QTest::addRow("BINARY_ACK with ten buffers")
            << makePacket(PacketType::Ack, u"/admin"_s, 7,
                          QVariantList{QByteArray("a"), QByteArray("b"), QByteArray("c"), QByteArray("d"),
                                       QByteArray("e"), QByteArray("f"), QByteArray("g"), QByteArray("h"),
                                       QByteArray("i"), QByteArray("j")});
    QTest::addRow("numbers") << makePacket(PacketType::Ack, u"/"_s, 0,
                                           QVariantList{1.5, -0.25, 1e21, 5e-324, 0.1, 1e-7,
                                                        std::numeric_limits<double>::max(),
                                                        std::numeric_limits<qlonglong>::min(),
                                                        std::numeric_limits<qlonglong>::max(), 0LL});
    QTest::addRow("strings with everything to escape")
            << makePacket(PacketType::Event, u"/\u00f1s"_s, std::numeric_limits<qint64>::max(),
                          QVariantList{u"\u00e9v\u00e9nement"_s,
                                       QVariantMap{{u"k\"e\\y\n"_s, u"\x00\x01\x1f\x7f\u2028\U0001F600"_s}}});
    QTest::addRow("CONNECT with auth") << makePacket(PacketType::Connect, u"/admin"_s, -1,
                                                     QVariantMap{{u"token"_s, u"abc"_s}, {u"n"_s, 1LL}});
    QTest::addRow("CONNECT without auth") << makePacket(PacketType::Connect, u"/admin"_s);
    QTest::addRow("CONNECT_ERROR object")
            << makePacket(PacketType::ConnectError, u"/"_s, -1,
                          QVariantMap{{u"message"_s, u"nope"_s}, {u"data"_s, QVariantMap{{u"retry"_s, true}}}});
    QTest::addRow("CONNECT_ERROR string") << makePacket(PacketType::ConnectError, u"/"_s, -1, u"nope"_s);
    QTest::addRow("DISCONNECT") << makePacket(PacketType::Disconnect, u"/x"_s);
}

void tst_SioPacket::roundTrip()
{
    QFETCH(Packet, packet);

    const EncodedPacket encoded = QSocketIoProtocol::encode(packet);
    Decoder decoder;
    Decoder::Status status = decoder.addText(encoded.text);
    for (const QByteArray &attachment : encoded.attachments) {
        QCOMPARE(status, Decoder::Status::NeedAttachments);
        status = decoder.addBinary(attachment);
    }
    QVERIFY2(status == Decoder::Status::Complete, qPrintable(decoder.errorString()));

    Packet expected = packet;
    if (!encoded.attachments.isEmpty())
        expected.type = packet.type == PacketType::Event ? PacketType::BinaryEvent : PacketType::BinaryAck;
    comparePacket(decoder.takePacket(), expected);
}

void tst_SioPacket::toJson_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("collect");     // pass an attachment list
    QTest::addColumn<int>("attachments");  // how many it gets

    // Expected texts are what JSON.stringify gives for the same JavaScript value (checked with Node 20).
    QTest::addRow("null QVariant") << QVariant() << "null"_ba << true << 0;
    QTest::addRow("nullptr") << QVariant::fromValue(nullptr) << "null"_ba << true << 0;
    QTest::addRow("true") << QVariant(true) << "true"_ba << true << 0;
    QTest::addRow("false") << QVariant(false) << "false"_ba << true << 0;
    QTest::addRow("int") << QVariant(-42) << "-42"_ba << true << 0;
    QTest::addRow("uint max") << QVariant(std::numeric_limits<uint>::max()) << "4294967295"_ba << true << 0;
    QTest::addRow("qint64 min") << QVariant(std::numeric_limits<qint64>::min()) << "-9223372036854775808"_ba << true << 0;
    QTest::addRow("quint64 max") << QVariant(std::numeric_limits<quint64>::max()) << "18446744073709551615"_ba << true
                                 << 0;

    // Numbers: ECMAScript Number::toString
    QTest::addRow("1.0 -> 1") << QVariant(1.0) << "1"_ba << true << 0;
    QTest::addRow("-0.0 -> 0") << QVariant(-0.0) << "0"_ba << true << 0;
    QTest::addRow("100.0") << QVariant(100.0) << "100"_ba << true << 0;
    QTest::addRow("0.1") << QVariant(0.1) << "0.1"_ba << true << 0;
    QTest::addRow("0.1 + 0.2") << QVariant(0.1 + 0.2) << "0.30000000000000004"_ba << true << 0;
    QTest::addRow("-1.5") << QVariant(-1.5) << "-1.5"_ba << true << 0;
    QTest::addRow("123.456") << QVariant(123.456) << "123.456"_ba << true << 0;
    QTest::addRow("4.35") << QVariant(4.35) << "4.35"_ba << true << 0;
    QTest::addRow("1/3") << QVariant(1.0 / 3) << "0.3333333333333333"_ba << true << 0;
    QTest::addRow("1e20 in full") << QVariant(1e20) << "100000000000000000000"_ba << true << 0;
    QTest::addRow("1.2345678901234568e20 in full") << QVariant(123456789012345680000.0) << "123456789012345680000"_ba
                                                   << true << 0;
    QTest::addRow("1e21 with exponent") << QVariant(1e21) << "1e+21"_ba << true << 0;
    QTest::addRow("1.7e21") << QVariant(1.7e21) << "1.7e+21"_ba << true << 0;
    QTest::addRow("1.5e300") << QVariant(1.5e300) << "1.5e+300"_ba << true << 0;
    QTest::addRow("largest double") << QVariant(std::numeric_limits<double>::max()) << "1.7976931348623157e+308"_ba
                                    << true << 0;
    QTest::addRow("2^53") << QVariant(9007199254740992.0) << "9007199254740992"_ba << true << 0;
    QTest::addRow("2^53 + 2") << QVariant(9007199254740994.0) << "9007199254740994"_ba << true << 0;
    QTest::addRow("0.000001 fixed") << QVariant(0.000001) << "0.000001"_ba << true << 0;
    QTest::addRow("0.0000015 fixed") << QVariant(0.0000015) << "0.0000015"_ba << true << 0;
    QTest::addRow("1e-7 with exponent") << QVariant(1e-7) << "1e-7"_ba << true << 0;
    QTest::addRow("-1e-7") << QVariant(-1e-7) << "-1e-7"_ba << true << 0;
    QTest::addRow("1.2345e-7") << QVariant(1.2345e-7) << "1.2345e-7"_ba << true << 0;
    QTest::addRow("2^-20") << QVariant(std::ldexp(1.0, -20)) << "9.5367431640625e-7"_ba << true << 0;
    QTest::addRow("smallest denormal") << QVariant(5e-324) << "5e-324"_ba << true << 0;
    QTest::addRow("NaN -> null") << QVariant(std::nan("")) << "null"_ba << true << 0;
    QTest::addRow("Infinity -> null") << QVariant(std::numeric_limits<double>::infinity()) << "null"_ba << true << 0;
    QTest::addRow("-Infinity -> null") << QVariant(-std::numeric_limits<double>::infinity()) << "null"_ba << true << 0;
    QTest::addRow("float 0.1f shortest as float") << QVariant(0.1f) << "0.1"_ba << true << 0;
    QTest::addRow("float 16777216") << QVariant(16777216.0f) << "16777216"_ba << true << 0;
    QTest::addRow("float NaN -> null") << QVariant(std::numeric_limits<float>::quiet_NaN()) << "null"_ba << true << 0;

    // Strings: JSON.stringify escaping
    QTest::addRow("empty string") << QVariant(u""_s) << R"("")"_ba << true << 0;
    QTest::addRow("quote and backslash") << QVariant(u"a\"b\\c"_s) << R"("a\"b\\c")"_ba << true << 0;
    QTest::addRow("short escapes") << QVariant(u"\b\f\n\r\t"_s) << R"("\b\f\n\r\t")"_ba << true << 0;
    QTest::addRow("other controls as lowercase \\u00XX") << QVariant(u"\x00\x01\x0b\x1a\x1f"_s)
                                                         << R"("\u0000\u0001\u000b\u001a\u001f")"_ba << true << 0;
    QTest::addRow("DEL and slash raw") << QVariant(u"\x7f/"_s) << "\"\x7f/\""_ba << true << 0;
    QTest::addRow("non-ASCII raw UTF-8") << QVariant(u"caf\u00e9 \u20ac"_s) << "\"caf\xc3\xa9 \xe2\x82\xac\""_ba << true
                                         << 0;
    QTest::addRow("astral raw UTF-8") << QVariant(u"\U0001F600"_s) << "\"\xf0\x9f\x98\x80\""_ba << true << 0;
    QTest::addRow("U+2028 raw") << QVariant(u"\u2028"_s) << "\"\xe2\x80\xa8\""_ba << true << 0;
    QTest::addRow("lone high surrogate escaped")
            << QVariant(QString(QChar(0xd800)) + u'x') << R"("\ud800x")"_ba << true << 0;
    QTest::addRow("lone low surrogate escaped") << QVariant(QString(QChar(0xdc00))) << R"("\udc00")"_ba << true << 0;
    QTest::addRow("reversed surrogate pair escaped")
            << QVariant(QString(QChar(0xde00)) + QChar(0xd83d)) << R"("\ude00\ud83d")"_ba << true << 0;

    // Containers
    QTest::addRow("empty list") << QVariant(QVariantList()) << "[]"_ba << true << 0;
    QTest::addRow("empty map") << QVariant(QVariantMap()) << "{}"_ba << true << 0;
    QTest::addRow("QStringList") << QVariant(QStringList{u"a"_s, u"\"b\""_s}) << R"(["a","\"b\""])"_ba << true << 0;
    QTest::addRow("map keys escaped") << QVariant(QVariantMap{{u"a\"b\n"_s, 1}}) << R"({"a\"b\n":1})"_ba << true << 0;
    QTest::addRow("QVariantHash") << QVariant(QVariantHash{{u"k"_s, QVariantList{1, u"x"_s}}}) << R"({"k":[1,"x"]})"_ba
                                  << true << 0;
    QTest::addRow("nested")
            << QVariant(QVariantMap{{u"a"_s, QVariantList{1, u"x"_s, QVariant(), true, QVariantMap{{u"b"_s, 2.5}}}}})
            << R"({"a":[1,"x",null,true,{"b":2.5}]})"_ba << true << 0;
    QTest::addRow("QList<int>") << QVariant::fromValue(QList<int>{1, 2, 3}) << "[1,2,3]"_ba << true << 0;
    QTest::addRow("QMap<QString, int>") << QVariant::fromValue(QMap<QString, int>{{u"a"_s, 1}, {u"b"_s, 2}})
                                        << R"({"a":1,"b":2})"_ba << true << 0;

    // Qt JSON types
    QTest::addRow("QJsonValue null") << QVariant(QJsonValue()) << "null"_ba << true << 0;
    QTest::addRow("QJsonValue integer") << QVariant(QJsonValue(qint64(1) << 60)) << "1152921504606846976"_ba << true << 0;
    QTest::addRow("QJsonValue double") << QVariant(QJsonValue(0.5)) << "0.5"_ba << true << 0;
    QTest::addRow("QJsonValue string") << QVariant(QJsonValue(u"a\nb"_s)) << R"("a\nb")"_ba << true << 0;
    QTest::addRow("QJsonArray") << QVariant(QJsonArray{1, u"x"_s, QJsonValue::Null, false, QJsonArray{}})
                                << R"([1,"x",null,false,[]])"_ba << true << 0;
    QTest::addRow("QJsonObject") << QVariant(jsonObject(R"({"b":[1.5,{"c":null}],"a":"\u00e9"})"))
                                 << "{\"a\":\"\xc3\xa9\",\"b\":[1.5,{\"c\":null}]}"_ba << true << 0;
    QTest::addRow("QJsonDocument object") << QVariant(QJsonDocument(jsonObject(R"({"x":1})"))) << R"({"x":1})"_ba
                                          << true << 0;
    QTest::addRow("QJsonDocument null") << QVariant(QJsonDocument()) << "null"_ba << true << 0;

    // Binary
    QTest::addRow("QByteArray is a placeholder") << QVariant(QByteArray("x")) << placeholder(0) << true << 1;
    QTest::addRow("QByteArray without attachment list is null") << QVariant(QByteArray("x")) << "null"_ba << false << 0;
    QTest::addRow("nested QByteArrays numbered in order")
            << QVariant(QVariantList{QByteArray("a"), QVariantMap{{u"k"_s, QVariantList{QByteArray("b")}}}, QByteArray("c")})
            << "[" + placeholder(0) + R"(,{"k":[)" + placeholder(1) + "]}," + placeholder(2) + ']' << true << 3;
    QTest::addRow("QByteArrayList") << QVariant::fromValue(QByteArrayList{"a", "b"})
                                    << '[' + placeholder(0) + ',' + placeholder(1) + ']' << true << 2;

    // Anything else
    QTest::addRow("QUrl as its string") << QVariant(QUrl(u"https://example.com/a?b=c"_s))
                                        << R"("https://example.com/a?b=c")"_ba << true << 0;
    QTest::addRow("QPoint has no string form: null") << QVariant(QPoint(1, 2)) << "null"_ba << true << 0;
}

void tst_SioPacket::toJson()
{
    QFETCH(QVariant, value);
    QFETCH(QByteArray, json);
    QFETCH(bool, collect);
    QFETCH(int, attachments);

    QList<QByteArray> collected;
    QCOMPARE(QSocketIoProtocol::toJson(value, collect ? &collected : nullptr), json);
    QCOMPARE(collected.size(), attachments);
}

void tst_SioPacket::hasBinary_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<bool>("binary");

    QTest::addRow("null") << QVariant() << false;
    QTest::addRow("string") << QVariant(u"abc"_s) << false;
    QTest::addRow("number") << QVariant(1.5) << false;
    QTest::addRow("QByteArray") << QVariant(QByteArray("x")) << true;
    QTest::addRow("empty QByteArray") << QVariant(QByteArray()) << true;
    QTest::addRow("list without") << QVariant(QVariantList{1, u"a"_s, QVariantMap{{u"k"_s, 2}}}) << false;
    QTest::addRow("deep in a list")
            << QVariant(QVariantList{1, QVariantList{QVariantMap{{u"k"_s, QVariantList{QByteArray("x")}}}}}) << true;
    QTest::addRow("in a map") << QVariant(QVariantMap{{u"a"_s, 1}, {u"b"_s, QByteArray("x")}}) << true;
    QTest::addRow("in a hash") << QVariant(QVariantHash{{u"b"_s, QByteArray("x")}}) << true;
    QTest::addRow("QStringList") << QVariant(QStringList{u"a"_s}) << false;
    QTest::addRow("QJsonArray") << QVariant(QJsonArray{1, 2}) << false;
    QTest::addRow("QByteArrayList") << QVariant::fromValue(QByteArrayList{"a"}) << true;
    QTest::addRow("QList<int>") << QVariant::fromValue(QList<int>{1}) << false;
}

void tst_SioPacket::hasBinary()
{
    QFETCH(QVariant, value);
    QFETCH(bool, binary);
    QCOMPARE(QSocketIoProtocol::hasBinary(value), binary);
}

void tst_SioPacket::malformed_data()
{
    // A QString is a text message, a QByteArray a binary one. Every message but the last must be accepted;
    // the last must give Error.
    QTest::addColumn<QVariantList>("messages");
    QTest::addColumn<int>("maxAttachments");

    const auto text = [](const char *t) { return QVariant(QString::fromUtf8(t)); };
    const QVariant binary = QVariant(QByteArray("\x01\x02", 2));

    // Packet type
    QTest::addRow("empty message") << QVariantList{text("")} << 10;
    QTest::addRow("unknown type 7") << QVariantList{text("7")} << 10;
    QTest::addRow("unknown type 7 with payload") << QVariantList{text(R"(7["a"])")} << 10;
    QTest::addRow("unknown type 9") << QVariantList{text(R"(9["a"])")} << 10;
    QTest::addRow("type is not a digit") << QVariantList{text(R"(x["a"])")} << 10;
    QTest::addRow("type is a space") << QVariantList{text(R"( 2["a"])")} << 10;

    // JSON
    QTest::addRow("truncated JSON") << QVariantList{text("2[")} << 10;
    QTest::addRow("truncated string") << QVariantList{text(R"(2["abc)")} << 10;
    QTest::addRow("truncated object") << QVariantList{text(R"(0{"a":)")} << 10;
    QTest::addRow("garbage after JSON") << QVariantList{text(R"(2["a"]x)")} << 10;
    QTest::addRow("two arrays") << QVariantList{text(R"(2["a"]["b"])")} << 10;
    QTest::addRow("two objects") << QVariantList{text("0{}{}")} << 10;
    QTest::addRow("whitespace-only payload") << QVariantList{text("0 ")} << 10;
    QTest::addRow("whitespace before payload (socket.io-parser reads an ack id 0)")
            << QVariantList{text(R"(2 ["a"])")} << 10;
    QTest::addRow("newline before payload") << QVariantList{text("0\n{}")} << 10;
    QTest::addRow("deep nesting refused") << QVariantList{QVariant(QString(u"2[\"a\","_s + QString(100000, u'[')
                                                                           + QString(100000, u']') + u']'))}
                                          << 10;

    // EVENT
    QTest::addRow("EVENT non-array payload") << QVariantList{text("2{}")} << 10;
    QTest::addRow("EVENT empty array") << QVariantList{text("2[]")} << 10;
    QTest::addRow("EVENT without payload") << QVariantList{text("2")} << 10;
    QTest::addRow("EVENT /admin with no comma and no payload") << QVariantList{text("2/admin")} << 10;
    QTest::addRow("EVENT /admin with no comma before payload") << QVariantList{text(R"(2/admin["a"])")} << 10;
    QTest::addRow("EVENT string payload") << QVariantList{text(R"(2"a")")} << 10;
    QTest::addRow("EVENT literal payload") << QVariantList{text("2true")} << 10;
    QTest::addRow("EVENT name is an object") << QVariantList{text("2[{}]")} << 10;
    QTest::addRow("EVENT name is null") << QVariantList{text("2[null]")} << 10;
    QTest::addRow("EVENT name is an array") << QVariantList{text(R"(2[["a"]])")} << 10;
    QTest::addRow("EVENT name is a boolean") << QVariantList{text("2[true]")} << 10;
    QTest::addRow("EVENT reserved name connect") << QVariantList{text(R"(2["connect"])")} << 10;
    QTest::addRow("EVENT reserved name connect_error") << QVariantList{text(R"(2["connect_error"])")} << 10;
    QTest::addRow("EVENT reserved name disconnect") << QVariantList{text(R"(2["disconnect",1])")} << 10;
    QTest::addRow("EVENT reserved name disconnecting") << QVariantList{text(R"(2["disconnecting"])")} << 10;
    QTest::addRow("EVENT reserved name newListener") << QVariantList{text(R"(2["newListener"])")} << 10;
    QTest::addRow("EVENT reserved name removeListener") << QVariantList{text(R"(2["removeListener"])")} << 10;

    // Ack id
    QTest::addRow("non-numeric ack id") << QVariantList{text(R"(2abc["a"])")} << 10;
    QTest::addRow("ack id overflow") << QVariantList{text(R"(299999999999999999999999["a"])")} << 10;
    QTest::addRow("ack id just over qint64") << QVariantList{text(R"(29223372036854775808["a"])")} << 10;
    QTest::addRow("ack id after namespace overflow") << QVariantList{text("3/a,99999999999999999999[]")} << 10;

    // ACK
    QTest::addRow("ACK without id") << QVariantList{text("3[]")} << 10;
    QTest::addRow("ACK object payload") << QVariantList{text("31{}")} << 10;
    QTest::addRow("ACK without payload") << QVariantList{text("31")} << 10;
    QTest::addRow("ACK string payload") << QVariantList{text(R"(31"a")")} << 10;

    // CONNECT / DISCONNECT / CONNECT_ERROR
    QTest::addRow("CONNECT array payload") << QVariantList{text("0[]")} << 10;
    QTest::addRow("CONNECT string payload") << QVariantList{text(R"(0"a")")} << 10;
    QTest::addRow("CONNECT null payload") << QVariantList{text("0null")} << 10;
    QTest::addRow("DISCONNECT with payload") << QVariantList{text("1{}")} << 10;
    QTest::addRow("DISCONNECT /admin with payload") << QVariantList{text("1/admin,[]")} << 10;
    QTest::addRow("CONNECT_ERROR array payload") << QVariantList{text("4[]")} << 10;
    QTest::addRow("CONNECT_ERROR boolean payload") << QVariantList{text("4true")} << 10;
    QTest::addRow("CONNECT_ERROR two strings") << QVariantList{text(R"(4"a","b")")} << 10;
    QTest::addRow("CONNECT_ERROR string breaking out of the wrapper") << QVariantList{text(R"(4"a"],["b")")} << 10;
    QTest::addRow("CONNECT_ERROR unterminated string") << QVariantList{text(R"(4"a)")} << 10;

    // Attachment count
    QTest::addRow("binary: missing count digits") << QVariantList{text(R"(5-["a",{"_placeholder":true,"num":0}])")} << 10;
    QTest::addRow("binary: missing dash") << QVariantList{text(R"(51["a",{"_placeholder":true,"num":0}])")} << 10;
    QTest::addRow("binary: count only") << QVariantList{text("51")} << 10;
    QTest::addRow("binary: type only") << QVariantList{text("5")} << 10;
    QTest::addRow("binary: zero attachments") << QVariantList{text(R"(50-["a"])")} << 10;
    QTest::addRow("binary: non-digit count") << QVariantList{text(R"(5x-["a"])")} << 10;
    QTest::addRow("binary: over the default limit")
            << QVariantList{text(R"(511-["a",{"_placeholder":true,"num":0}])")} << 10;
    QTest::addRow("binary: huge count") << QVariantList{text(R"(599999999999999999999999-["a"])")} << 10;
    QTest::addRow("binary: over a custom limit")
            << QVariantList{text(R"(53-["a",{"_placeholder":true,"num":0}])")} << 2;
    QTest::addRow("binary: limit zero") << QVariantList{text(R"(51-["a",{"_placeholder":true,"num":0}])")} << 0;
    QTest::addRow("binary: no payload") << QVariantList{text("51-")} << 10;
    QTest::addRow("binary: empty event") << QVariantList{text("51-[]")} << 10;
    QTest::addRow("binary ack: no id") << QVariantList{text(R"(61-[{"_placeholder":true,"num":0}])")} << 10;

    // Placeholders
    QTest::addRow("placeholder num out of range")
            << QVariantList{text(R"(51-["a",{"_placeholder":true,"num":1}])")} << 10;
    // One attachment named twice would be multiplied in what the server decodes and sends on.
    QTest::addRow("placeholder index used twice")
            << QVariantList{text(R"(51-["a",{"_placeholder":true,"num":0},{"_placeholder":true,"num":0}])")} << 10;
    QTest::addRow("placeholder num negative")
            << QVariantList{text(R"(51-["a",{"_placeholder":true,"num":-1}])")} << 10;
    QTest::addRow("placeholder num not an integer")
            << QVariantList{text(R"(51-["a",{"_placeholder":true,"num":0.5}])")} << 10;
    QTest::addRow("placeholder num a string")
            << QVariantList{text(R"(51-["a",{"_placeholder":true,"num":"0"}])")} << 10;
    QTest::addRow("placeholder num missing") << QVariantList{text(R"(51-["a",{"_placeholder":true}])")} << 10;
    QTest::addRow("placeholder num null") << QVariantList{text(R"(51-["a",{"_placeholder":true,"num":null}])")} << 10;
    QTest::addRow("placeholder num huge")
            << QVariantList{text(R"(51-["a",{"_placeholder":true,"num":1e300}])")} << 10;
    QTest::addRow("placeholder nested out of range")
            << QVariantList{text(R"(52-["a",{"x":[{"_placeholder":true,"num":0},{"_placeholder":true,"num":2}]}])")}
            << 10;

    // Message order
    QTest::addRow("addBinary when nothing waits") << QVariantList{binary} << 10;
    QTest::addRow("binary after a complete EVENT") << QVariantList{text(R"(2["a"])"), binary} << 10;
    QTest::addRow("binary after CONNECT") << QVariantList{text("0"), binary} << 10;
    QTest::addRow("text while waiting for the attachment")
            << QVariantList{text(R"(51-["a",{"_placeholder":true,"num":0}])"), text(R"(2["b"])")} << 10;
    QTest::addRow("text while waiting for the second attachment")
            << QVariantList{text(R"(52-["a",{"_placeholder":true,"num":0}])"), binary, text(R"(2["b"])")} << 10;
    QTest::addRow("one attachment too many")
            << QVariantList{text(R"(51-["a",{"_placeholder":true,"num":0}])"), binary, binary} << 10;
}

void tst_SioPacket::malformed()
{
    QFETCH(QVariantList, messages);
    QFETCH(int, maxAttachments);

    Decoder::Limits limits;
    limits.maxAttachments = maxAttachments;
    Decoder decoder(limits);
    Decoder::Status status = Decoder::Status::Complete;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QVariant &message = messages.at(i);
        if (message.typeId() == QMetaType::QString)
            status = decoder.addText(message.toString().toUtf8());
        else
            status = decoder.addBinary(message.toByteArray());
        if (i + 1 < messages.size()) {
            QVERIFY2(status != Decoder::Status::Error,
                     qPrintable(u"message %1 refused: "_s.arg(i) + decoder.errorString()));
            if (status == Decoder::Status::Complete)
                decoder.takePacket();
        }
    }
    QCOMPARE(status, Decoder::Status::Error);
    QVERIFY(!decoder.errorString().isEmpty());
    QVERIFY(!decoder.isWaitingForAttachments());

    // The decoder is usable again (the connection would be closed, but nothing is left half-done).
    QCOMPARE(decoder.addText(R"(2["ok"])"), Decoder::Status::Complete);
    comparePacket(decoder.takePacket(), makePacket(PacketType::Event, u"/"_s, -1, QVariantList{u"ok"_s}));
}

void tst_SioPacket::attachmentsAreShared()
{
    const QByteArray big(1 << 20, 'x');
    const EncodedPacket encoded =
            QSocketIoProtocol::encode(makePacket(PacketType::Event, u"/"_s, -1, QVariantList{u"e"_s, big}));
    QCOMPARE(encoded.attachments.size(), 1);
    QVERIFY(encoded.attachments.first().isSharedWith(big));

    Decoder decoder;
    QCOMPARE(decoder.addText(encoded.text), Decoder::Status::NeedAttachments);
    QCOMPARE(decoder.addBinary(encoded.attachments.first()), Decoder::Status::Complete);
    const Packet packet = decoder.takePacket();
    QVERIFY(packet.data.toList().at(1).toByteArray().isSharedWith(big));
}

void tst_SioPacket::decoderSequence()
{
    Decoder decoder;
    QCOMPARE(decoder.addText("0"), Decoder::Status::Complete);
    comparePacket(decoder.takePacket(), makePacket(PacketType::Connect));

    QCOMPARE(decoder.addText(R"(52-/a,3["x",{"_placeholder":true,"num":1},{"_placeholder":true,"num":0}])"),
             Decoder::Status::NeedAttachments);
    QVERIFY(decoder.isWaitingForAttachments());
    QCOMPARE(decoder.addBinary("first"), Decoder::Status::NeedAttachments);
    QVERIFY(decoder.isWaitingForAttachments());
    QCOMPARE(decoder.addBinary("second"), Decoder::Status::Complete);
    QVERIFY(!decoder.isWaitingForAttachments());
    comparePacket(decoder.takePacket(),
                  makePacket(PacketType::BinaryEvent, u"/a"_s, 3,
                             QVariantList{u"x"_s, QByteArray("second"), QByteArray("first")}));

    QCOMPARE(decoder.addText("3/a,3[]"), Decoder::Status::Complete);
    comparePacket(decoder.takePacket(), makePacket(PacketType::Ack, u"/a"_s, 3, QVariantList()));
    QCOMPARE(decoder.addText("1/a,"), Decoder::Status::Complete);
    comparePacket(decoder.takePacket(), makePacket(PacketType::Disconnect, u"/a"_s));
    QVERIFY(decoder.errorString().isEmpty());
}

void tst_SioPacket::resetDropsWaitingPacket()
{
    Decoder decoder;
    QCOMPARE(decoder.addText(R"(51-["a",{"_placeholder":true,"num":0}])"), Decoder::Status::NeedAttachments);
    decoder.reset();
    QVERIFY(!decoder.isWaitingForAttachments());
    QCOMPARE(decoder.addBinary("late"), Decoder::Status::Error);
    decoder.reset();
    QVERIFY(decoder.errorString().isEmpty());
    QCOMPARE(decoder.addText(R"(2["b"])"), Decoder::Status::Complete);
    comparePacket(decoder.takePacket(), makePacket(PacketType::Event, u"/"_s, -1, QVariantList{u"b"_s}));
}

void tst_SioPacket::takePacketTwice()
{
    Decoder decoder;
    QCOMPARE(decoder.addText(R"(2/x,1["a"])"), Decoder::Status::Complete);
    comparePacket(decoder.takePacket(), makePacket(PacketType::Event, u"/x"_s, 1, QVariantList{u"a"_s}));
    comparePacket(decoder.takePacket(), Packet());
}

// What Node.js sends (JSON.stringify: raw UTF-8, lone surrogates as \udxxx, numbers in their shortest form) must
// decode to exactly the JavaScript value and encode back to the same text; "reencoded" is set where our JSON
// differs from the input but means the same value (an escape JSON.stringify would not write).
void tst_SioPacket::exactValues_data()
{
    QTest::addColumn<QByteArray>("json");          // the arguments after the event name, as one JSON array
    QTest::addColumn<QVariantList>("expected");
    QTest::addColumn<QByteArray>("reencoded");     // empty: the same as json

    const QByteArray bom = "\xEF\xBB\xBF"_ba;
    QTest::addRow("BOM alone") << "[\""_ba + bom + "\"]" << QVariantList{u"\uFEFF"_s} << QByteArray();
    QTest::addRow("BOM at the start") << "[\""_ba + bom + "abc\"]" << QVariantList{u"\uFEFFabc"_s} << QByteArray();
    QTest::addRow("BOM in the middle") << "[\"ab"_ba + bom + "c\"]" << QVariantList{u"ab\uFEFFc"_s} << QByteArray();
    QTest::addRow("BOM at the end") << "[\"abc"_ba + bom + "\"]" << QVariantList{u"abc\uFEFF"_s} << QByteArray();
    QTest::addRow("two BOMs at the start") << "[\""_ba + bom + bom + "\"]" << QVariantList{u"\uFEFF\uFEFF"_s}
                                           << QByteArray();
    QTest::addRow("BOM before a non-ASCII character")
            << "[\""_ba + bom + "\xC3\xA9\"]" << QVariantList{u"\uFEFF\u00e9"_s} << QByteArray();
    QTest::addRow("BOM in an object value")
            << "[{\"bom\":\""_ba + bom + "\"}]" << QVariantList{QVariantMap{{u"bom"_s, u"\uFEFF"_s}}} << QByteArray();
    QTest::addRow("BOM at the start of keys")
            << "[{\"\":1,\"k\":2,\""_ba + bom + "\":3,\"" + bom + "k\":4}]"
            << QVariantList{QVariantMap{{u""_s, 1LL}, {u"k"_s, 2LL}, {u"\uFEFF"_s, 3LL}, {u"\uFEFFk"_s, 4LL}}}
            << QByteArray();
    QTest::addRow("BOM deep down") << "[[[{\"a\":[\""_ba + bom + "x\"]}]]]"
                                   << QVariantList{QVariantList{QVariantList{QVariantMap{
                                              {u"a"_s, QVariantList{u"\uFEFFx"_s}}}}}}
                                   << QByteArray();
    QTest::addRow("escaped BOM") << R"(["\ufeff","\uFEFFx"])"_ba << QVariantList{u"\uFEFF"_s, u"\uFEFFx"_s}
                                 << "[\""_ba + bom + "\",\"" + bom + "x\"]";
    QTest::addRow("EF not followed by BB BF") << "[\"\xEF\xBC\x81\xEF\xBB\xBE\"]"_ba
                                              << QVariantList{u"\uFF01\uFEFE"_s} << QByteArray();
    QTest::addRow("U+2028 and U+2029") << "[\"\xE2\x80\xA8\",\"a\xE2\x80\xA9\"]"_ba
                                       << QVariantList{u"\u2028"_s, u"a\u2029"_s} << QByteArray();
    QTest::addRow("NUL") << R"(["\u0000","a\u0000b","\u0000\u0000"])"_ba
                         << QVariantList{QString(QChar(0)), u"a"_s + QChar(0) + u"b"_s, QString(2, QChar(0))}
                         << QByteArray();
    QTest::addRow("lone high surrogate") << R"(["\ud800","a\udbffb","z\ud83d"])"_ba
                                         << QVariantList{QString(QChar(0xd800)),
                                                         u"a"_s + QChar(0xdbff) + u"b"_s,
                                                         u"z"_s + QChar(0xd83d)}
                                         << QByteArray();
    QTest::addRow("lone low surrogate") << R"(["\udc00","\ude00x"])"_ba
                                        << QVariantList{QString(QChar(0xdc00)), QChar(0xde00) + u"x"_s}
                                        << QByteArray();
    QTest::addRow("surrogates in the wrong order") << R"(["\ude00\ud83d"])"_ba
                                                   << QVariantList{QString(QChar(0xde00)) + QChar(0xd83d)}
                                                   << QByteArray();
    QTest::addRow("escaped surrogate pair") << R"(["\ud83d\ude00"])"_ba << QVariantList{u"\U0001F600"_s}
                                            << "[\"\xF0\x9F\x98\x80\"]"_ba;
    QTest::addRow("lone surrogate key") << R"([{"\ud800":"\udfff"}])"_ba
                                        << QVariantList{QVariantMap{{QString(QChar(0xd800)), QString(QChar(0xdfff))}}}
                                        << QByteArray();
    QTest::addRow("every plane") << "[\"\x7f\xC2\x80\xE0\xA0\x80\xEF\xBF\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\"]"_ba
                                 << QVariantList{u"\x7f\u0080\u0800\uFFFF\U00010000\U0010FFFF"_s} << QByteArray();
    QTest::addRow("integers around 2^53")
            << "[9007199254740991,9007199254740992,-9007199254740991,-9007199254740992]"_ba
            << QVariantList{9007199254740991LL, 9007199254740992LL, -9007199254740991LL, -9007199254740992LL}
            << QByteArray();
    QTest::addRow("integers beyond 2^53, as JavaScript prints them")
            << "[9007199254740994,18014398509481984,1152921504606846976,9223372036854774784]"_ba
            << QVariantList{9007199254740994LL, 18014398509481984LL, 1152921504606846976LL, 9223372036854774784LL}
            << QByteArray();
    // Qt reads a number as a double and keeps it as a qlonglong when it is integral and fits: -2^63 does, and is
    // written back exactly, which JavaScript reads as the same number.
    QTest::addRow("integers beyond 2^63")
            << "[9223372036854776000,-9223372036854776000,18446744073709552000,-123456789012345680000]"_ba
            << QVariantList{9223372036854775808.0, std::numeric_limits<qlonglong>::min(), 18446744073709551616.0,
                            -123456789012345680000.0}
            << "[9223372036854776000,-9223372036854775808,18446744073709552000,-123456789012345680000]"_ba;
    QTest::addRow("just beyond -2^63") << "[-9223372036854778000]"_ba << QVariantList{-9223372036854777856.0}
                                       << QByteArray();
    QTest::addRow("doubles at the edges")
            << "[5e-324,-5e-324,1.7976931348623157e+308,-1.7976931348623157e+308,2.2250738585072014e-308,1e+21,"
               "1e-7,0.1,2.220446049250313e-16,0.30000000000000004]"_ba
            << QVariantList{5e-324, -5e-324, 1.7976931348623157e308, -1.7976931348623157e308, 2.2250738585072014e-308,
                            1e21, 1e-7, 0.1, 2.220446049250313e-16, 0.30000000000000004}
            << QByteArray();
    // JSON.stringify writes -0 as 0; another client's -0 becomes 0 as well.
    QTest::addRow("minus zero") << "[-0,-0.0,-0e5]"_ba << QVariantList{0LL, 0LL, 0LL} << "[0,0,0]"_ba;
}

void tst_SioPacket::exactValues()
{
    QFETCH(QByteArray, json);
    QFETCH(QVariantList, expected);
    QFETCH(QByteArray, reencoded);
    if (reencoded.isEmpty())
        reencoded = json;

    // As an EVENT, an ACK, a BINARY_EVENT (the attachment path), and a CONNECT auth object.
    const QByteArray args = json.mid(1);   // without '['
    Decoder decoder;
    QCOMPARE(decoder.addText("2[\"e\","_ba + args), Decoder::Status::Complete);
    comparePacket(decoder.takePacket(), makePacket(PacketType::Event, u"/"_s, -1, QVariantList{u"e"_s} + expected));
    QCOMPARE(decoder.addText("3/x,7"_ba + json), Decoder::Status::Complete);
    comparePacket(decoder.takePacket(), makePacket(PacketType::Ack, u"/x"_s, 7, expected));
    QCOMPARE(decoder.addText(R"(51-["e",{"_placeholder":true,"num":0},)"_ba + args), Decoder::Status::NeedAttachments);
    QCOMPARE(decoder.addBinary("bin"_ba), Decoder::Status::Complete);
    comparePacket(decoder.takePacket(), makePacket(PacketType::BinaryEvent, u"/"_s, -1,
                                                   QVariantList{u"e"_s, "bin"_ba} + expected));
    QCOMPARE(decoder.addText("0{\"auth\":"_ba + json + "}"), Decoder::Status::Complete);
    comparePacket(decoder.takePacket(),
                  makePacket(PacketType::Connect, u"/"_s, -1, QVariantMap{{u"auth"_s, expected}}));

    QCOMPARE(QSocketIoProtocol::toJson(expected), reencoded);
    QCOMPARE(QSocketIoProtocol::encode(makePacket(PacketType::Ack, u"/"_s, 3, expected)).text, "33"_ba + reencoded);
}

// The cause of the loss the rows above guard against, as Qt 6.4 behaves: QString::fromUtf8() drops a leading
// U+FEFF, and QJsonValue::toString() goes through it for a string parsed without escapes. When a Qt release keeps
// the character, there is nothing left to show.
void tst_SioPacket::qtDropsLeadingByteOrderMark()
{
    if (QString::fromUtf8("\xEF\xBB\xBFx") == u"\uFEFFx"_s)
        QSKIP("this Qt's QString::fromUtf8() keeps a leading U+FEFF");
    const QJsonArray raw = QJsonDocument::fromJson("[\"\xEF\xBB\xBFx\"]").array();
    QCOMPARE(raw.at(0).toString(), u"x"_s);
    const QJsonArray escaped = QJsonDocument::fromJson(R"(["\ufeffx"])").array();
    QCOMPARE(escaped.at(0).toString(), u"\uFEFFx"_s);
    // The same text with the character escaped, which the decoder does, keeps it.
    Decoder decoder;
    QCOMPARE(decoder.addText("2[\"e\",\"\xEF\xBB\xBFx\"]"_ba), Decoder::Status::Complete);
    QCOMPARE(decoder.takePacket().data.toList().value(1).toString(), u"\uFEFFx"_s);
    // A CONNECT_ERROR's string payload is parsed inside an array: the same path.
    QCOMPARE(decoder.addText("4\"\xEF\xBB\xBFnope\""_ba), Decoder::Status::Complete);
    QCOMPARE(decoder.takePacket().data, QVariant(u"\uFEFFnope"_s));
}

QTEST_APPLESS_MAIN(tst_SioPacket)

#include "tst_siopacket.moc"
