// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOPACKET_P_H
#define QSOCKETIOPACKET_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtCore/qbytearray.h>
#include <QtCore/qbytearrayview.h>
#include <QtCore/qlist.h>
#include <QtCore/qstring.h>
#include <QtCore/qvariant.h>

// Socket.IO v5 packets (socket.io-protocol Readme), as plain values: no QObject, no I/O.
//
// Payload values are QVariants holding JSON-compatible data: QVariantList, QVariantMap / QVariantHash,
// QStringList, QString, bool, integers, double, a null QVariant (JSON null), and QJsonValue / QJsonArray /
// QJsonObject / QJsonDocument. A QByteArray anywhere, nested too, is a binary attachment: on the wire it is
// the placeholder {"_placeholder":true,"num":n} and the bytes follow as separate binary Engine.IO messages.
namespace QSocketIoProtocol {

enum class PacketType : quint8 {
    Connect = 0,
    Disconnect = 1,
    Event = 2,
    Ack = 3,
    ConnectError = 4,
    BinaryEvent = 5,
    BinaryAck = 6,
};

struct Packet
{
    PacketType type = PacketType::Event;
    QString nsp = QStringLiteral("/");
    qint64 id = -1;     // ack id; -1 when none
    // Connect: the auth object (a QVariantMap) or an invalid QVariant when absent.
    // Event / BinaryEvent: a QVariantList whose first element is the event name (a QString).
    // Ack / BinaryAck: a QVariantList of the ack arguments.
    // ConnectError: a QVariantMap {"message": ..., "data": ...} (or a QString, as old servers sent).
    // Disconnect: invalid.
    QVariant data;
};

struct EncodedPacket
{
    QByteArray text;                // the Engine.IO text message (a binary one when binary is set)
    QList<QByteArray> attachments;  // the binary Engine.IO messages that follow it, in order
    bool binary = false;            // text is sent as a binary message (the MessagePack parser)
};

// Encodes a packet. An Event or Ack whose data holds any QByteArray becomes a BinaryEvent / BinaryAck
// with that many attachments ("51-/chat,12[...]"); a BinaryEvent / BinaryAck without one is sent as
// Event / Ack. The JSON is compact, like JSON.stringify: no spaces; NaN and infinities become null.
// Encode once and send the same EncodedPacket to many sockets: QByteArray is implicitly shared.
EncodedPacket encode(const Packet &packet);

// Compact JSON text of one value, with QByteArray written as placeholders appended to *attachments
// (when attachments is null, QByteArrays are written as JSON null).
QByteArray toJson(const QVariant &value, QList<QByteArray> *attachments = nullptr);

// True when the value holds a QByteArray anywhere.
bool hasBinary(const QVariant &value);

// Incremental decoder for one Engine.IO connection: text messages start a packet; a binary packet then
// waits for its attachments, which arrive as binary messages.
class Decoder
{
public:
    enum class Status {
        Complete,           // takePacket() returns the decoded packet
        NeedAttachments,    // a binary packet's head was read; feed its attachments with addBinary()
        Error,              // malformed input: the connection must be closed with "parse error"
    };

    struct Limits {
        int maxAttachments = 10;   // socket.io-parser's default
    };

    Decoder() = default;
    explicit Decoder(const Limits &limits) : m_limits(limits) {}

    Status addText(QByteArrayView message);
    Status addBinary(const QByteArray &message);
    Packet takePacket();
    bool isWaitingForAttachments() const { return m_expected > 0; }
    // Why the last call returned Error, in English, for logs.
    QString errorString() const { return m_error; }
    void reset();

private:
    Status fail(const QString &why);
    Limits m_limits;
    Packet m_packet;
    QVariant m_raw;                 // parsed JSON with placeholders, before the attachments arrive
    QList<QByteArray> m_attachments;
    int m_expected = 0;
    QString m_error;
};

} // namespace QSocketIoProtocol

#endif
