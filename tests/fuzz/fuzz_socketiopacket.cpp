// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Drives the Socket.IO packet decoder (QSocketIoProtocol::Decoder) the way one Engine.IO connection does: the
// input is a sequence of messages. The first message is a text message; each later one follows a separator
// byte that says its kind: 0xFF a binary message (an attachment), 0xFE a text message. Neither byte occurs in
// UTF-8, so a seed file reads like the protocol document: 51-["a",{"_placeholder":true,"num":0}]<FF>bytes.
//
// For every message the decoder's state must stay consistent, and every packet it completes must encode to
// something it decodes again, to the same encoding (encode . decode is a fixed point after one round).

#include "protocol/qsocketiopacket_p.h"

#include <QtCore/qvariant.h>

#include <cstdlib>

using namespace QSocketIoProtocol;

namespace {

constexpr unsigned char BinarySeparator = 0xFF;
constexpr unsigned char TextSeparator = 0xFE;

void check(bool condition)
{
    if (!condition)
        std::abort();
}

// The QByteArrays in a decoded value (attachments put back in place of their placeholders).
int countBinaries(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QByteArray:
        return 1;
    case QMetaType::QVariantList: {
        int n = 0;
        for (const QVariant &item : *static_cast<const QVariantList *>(value.constData()))
            n += countBinaries(item);
        return n;
    }
    case QMetaType::QVariantMap: {
        int n = 0;
        for (const QVariant &item : *static_cast<const QVariantMap *>(value.constData()))
            n += countBinaries(item);
        return n;
    }
    default:
        return 0;
    }
}

// Feeds one encoded packet to a fresh decoder; returns the status of the last message.
Decoder::Status decodeEncoded(const EncodedPacket &encoded, Packet *out)
{
    Decoder decoder;
    Decoder::Status status = decoder.addText(encoded.text);
    for (const QByteArray &attachment : encoded.attachments) {
        if (status != Decoder::Status::NeedAttachments)
            return Decoder::Status::Error;
        status = decoder.addBinary(attachment);
    }
    if (status == Decoder::Status::Complete)
        *out = decoder.takePacket();
    return status;
}

void checkPacket(const Packet &packet)
{
    check(int(packet.type) >= 0 && int(packet.type) <= 6);
    check(packet.nsp.startsWith(QLatin1Char('/')));
    switch (packet.type) {
    case PacketType::Event:
    case PacketType::BinaryEvent: {
        check(packet.data.typeId() == QMetaType::QVariantList);
        const QVariantList list = packet.data.toList();
        check(!list.isEmpty() && list.first().typeId() == QMetaType::QString);
        break;
    }
    case PacketType::Ack:
    case PacketType::BinaryAck:
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
        check(!packet.data.isValid() || packet.data.typeId() == QMetaType::QVariantMap
              || packet.data.typeId() == QMetaType::QString);
        break;
    }
    // Only the binary types carry attachments. (Their placeholders may repeat an index, so a packet may hold
    // more QByteArrays than it had attachments: see the note below.)
    if (packet.type != PacketType::BinaryEvent && packet.type != PacketType::BinaryAck)
        check(countBinaries(packet.data) == 0);

    // Round trip: what the server would send must decode, and encode again to the same bytes.
    const EncodedPacket first = encode(packet);
    check(!first.text.isEmpty());
    Packet again;
    if (first.attachments.size() > qsizetype(Decoder::Limits().maxAttachments)) {
        // Placeholders that repeat an index ("51-[{ph 0},{ph 0},...]" and one attachment) give n QByteArrays
        // (shared, no copy) out of one attachment; the encoder writes one attachment per value, more than a
        // default decoder takes. Nothing more to compare.
        return;
    }
    check(decodeEncoded(first, &again) == Decoder::Status::Complete);
    const EncodedPacket second = encode(again);
    check(second.text == first.text);
    check(second.attachments == first.attachments);
    check(again.nsp == packet.nsp || (packet.nsp.isEmpty() && again.nsp == QLatin1String("/")));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    // A small limit now and then, from the input length, so that the limit path is reached with short input.
    Decoder::Limits limits;
    if (size % 7 == 0)
        limits.maxAttachments = 2;
    Decoder decoder(limits);

    qsizetype start = 0;
    bool binary = false;
    while (start <= input.size()) {
        qsizetype end = start;
        while (end < input.size() && uchar(input.at(end)) != BinarySeparator && uchar(input.at(end)) != TextSeparator)
            ++end;
        const QByteArrayView message = input.sliced(start, end - start);

        const bool wasWaiting = decoder.isWaitingForAttachments();
        const Decoder::Status status = binary ? decoder.addBinary(message.toByteArray()) : decoder.addText(message);
        switch (status) {
        case Decoder::Status::Error:
            check(!decoder.errorString().isEmpty());
            check(!decoder.isWaitingForAttachments());
            check(decoder.takePacket().data.isNull());   // nothing half-decoded is handed out
            break;
        case Decoder::Status::NeedAttachments:
            check(decoder.isWaitingForAttachments());
            check(binary || !wasWaiting);
            break;
        case Decoder::Status::Complete: {
            check(!decoder.isWaitingForAttachments());
            const Packet packet = decoder.takePacket();
            checkPacket(packet);
            // A second take gives an empty default packet.
            check(!decoder.takePacket().data.isValid());
            break;
        }
        }

        if (end >= input.size())
            break;
        binary = uchar(input.at(end)) == BinarySeparator;
        start = end + 1;
    }
    decoder.reset();
    check(!decoder.isWaitingForAttachments() && decoder.errorString().isEmpty());
    return 0;
}
