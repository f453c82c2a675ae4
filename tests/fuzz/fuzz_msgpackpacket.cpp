// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Drives the MessagePack packet decoder (QSocketIoProtocol::MessagePackDecoder, socket.io-msgpack-parser's
// format) the way a connection of a MessagePack server does: the whole input is one binary Engine.IO message.
// Whatever it holds, the decoder must answer Complete or Error without crashing, allocating from a lying header
// or recursing without bound; every packet it completes must be one a socket.io-msgpack-parser client could
// send, and must encode to something it decodes again, to the same bytes (encode . decode is a fixed point
// after one round).

#include "protocol/qsocketiomsgpackparser_p.h"

#include <QtCore/qvariant.h>

#include <cstdlib>
#include <limits>

using namespace QSocketIoProtocol;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

void checkPacket(const Packet &packet)
{
    check(int(packet.type) >= 0 && int(packet.type) <= 4);   // no BINARY_EVENT / BINARY_ACK here
    switch (packet.type) {
    case PacketType::Event: {
        check(packet.data.typeId() == QMetaType::QVariantList);
        const QVariantList list = packet.data.toList();
        check(!list.isEmpty() && list.first().typeId() == QMetaType::QString);
        break;
    }
    case PacketType::Ack:
        check(packet.id >= 0);
        check(packet.data.typeId() == QMetaType::QVariantList);
        break;
    case PacketType::Connect:
        check(!packet.data.isValid() || packet.data.typeId() == QMetaType::QVariantMap);
        break;
    case PacketType::Disconnect:
        check(!packet.data.isValid());
        break;
    case PacketType::ConnectError:
        check(packet.data.typeId() == QMetaType::QVariantMap || packet.data.typeId() == QMetaType::QString);
        break;
    case PacketType::BinaryEvent:
    case PacketType::BinaryAck:
        check(false);
        break;
    }

    // Round trip: what the server would send must decode, and encode again to the same bytes.
    const EncodedPacket first = encodeMessagePack(packet);
    check(first.binary && first.attachments.isEmpty() && !first.text.isEmpty());
    MessagePackDecoder::Limits unbounded;
    unbounded.maxMessageSize = std::numeric_limits<qint64>::max();
    MessagePackDecoder decoder(unbounded);
    check(decoder.addBinary(first.text) == PacketDecoder::Status::Complete);
    const Packet again = decoder.takePacket();
    check(again.type == packet.type && again.id == packet.id);
    check(again.nsp == packet.nsp || (packet.nsp.isEmpty() && again.nsp == QLatin1String("/")));
    const EncodedPacket second = encodeMessagePack(again);
    check(second.text == first.text);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    // Small limits now and then, from the input length, so that the limit paths are reached with short input.
    MessagePackDecoder::Limits limits;
    if (size % 7 == 0)
        limits.maxDepth = 3;
    if (size % 11 == 0)
        limits.maxMessageSize = qint64(size / 2);
    MessagePackDecoder decoder(limits);

    switch (decoder.addMessage(input)) {
    case PacketDecoder::Status::Error:
        check(!decoder.errorString().isEmpty());
        check(!decoder.takePacket().data.isValid());   // nothing half-decoded is handed out
        break;
    case PacketDecoder::Status::NeedAttachments:
        check(false);   // MessagePack packets have no attachments
        break;
    case PacketDecoder::Status::Complete:
        checkPacket(decoder.takePacket());
        check(!decoder.takePacket().data.isValid());
        break;
    }
    // Text messages are always refused.
    check(decoder.addText(input) == PacketDecoder::Status::Error);
    return 0;
}
