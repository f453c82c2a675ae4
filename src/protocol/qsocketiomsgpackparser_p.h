// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOMSGPACKPARSER_P_H
#define QSOCKETIOMSGPACKPARSER_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include "protocol/qsocketioparser_p.h"

// socket.io-msgpack-parser 3 (on notepack.io): every Socket.IO packet is one MessagePack map
// {"type": 0..4, "nsp": "/name", "data": ..., "id": n} sent as one binary Engine.IO message. Binary values
// travel inside it as MessagePack bin, so there are no attachments and no BINARY_EVENT / BINARY_ACK types.
//
// Values, both ways: nil <-> null (invalid QVariant), bool, integers <-> qlonglong (a uint64 beyond qint64 and
// every float -> double), str <-> QString, bin <-> QByteArray, array <-> QVariantList, map (string keys) <->
// QVariantMap. notepack's extensions: fixext 1 type 0 is `undefined` (read as null), fixext 8 type 0 a Date
// (<-> QDateTime, UTC), ext 8/16/32 type 0 an ArrayBuffer (read as QByteArray); any other extension is read
// as notepack reads it: [type, bytes].
namespace QSocketIoProtocol {

EncodedPacket encodeMessagePack(const Packet &packet);

// One MessagePack value of a QVariant (as encodeMessagePack() writes packet data).
QByteArray toMessagePack(const QVariant &value);

class MessagePackDecoder final : public PacketDecoder
{
public:
    struct Limits {
        qint64 maxMessageSize = 1000000;   // bytes of one message (the server's maxHttpBufferSize)
        int maxDepth = 128;                // nested arrays and maps
    };

    MessagePackDecoder() = default;
    explicit MessagePackDecoder(const Limits &limits) : m_limits(limits) { }

    // A text message is an error: socket.io-msgpack-parser sends binary messages only.
    Status addText(QByteArrayView message) override;
    Status addBinary(const QByteArray &message) override;
    Status addMessage(QByteArrayView message);   // addBinary() on a view: for tests and the fuzzer
    Packet takePacket() override;
    QString errorString() const override { return m_error; }

private:
    Status fail(const QString &why);
    Limits m_limits;
    Packet m_packet;
    QString m_error;
};

} // namespace QSocketIoProtocol

#endif
