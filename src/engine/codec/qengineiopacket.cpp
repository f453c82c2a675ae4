// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "engine/codec/qengineiopacket_p.h"

namespace QEngineIo {

namespace {

constexpr char BinaryPrefix = 'b';

constexpr qsizetype base64Size(qsizetype bytes)
{
    return (bytes + 2) / 3 * 4;
}

qsizetype encodedSize(const Packet &packet)
{
    return 1 + (packet.binary ? base64Size(packet.data.size()) : packet.data.size());
}

// Standard base64 with padding, written straight into out's storage (no temporary QByteArray).
void appendBase64(QByteArray &out, const QByteArray &data)
{
    static constexpr char alphabet[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const qsizetype start = out.size();
    out.resize(start + base64Size(data.size()));
    char *dst = out.data() + start;
    const auto *src = reinterpret_cast<const uchar *>(data.constData());
    const qsizetype n = data.size();
    qsizetype i = 0;
    for (; i + 3 <= n; i += 3) {
        const uint triple = (uint(src[i]) << 16) | (uint(src[i + 1]) << 8) | uint(src[i + 2]);
        *dst++ = alphabet[(triple >> 18) & 0x3f];
        *dst++ = alphabet[(triple >> 12) & 0x3f];
        *dst++ = alphabet[(triple >> 6) & 0x3f];
        *dst++ = alphabet[triple & 0x3f];
    }
    if (i < n) {
        uint triple = uint(src[i]) << 16;
        if (i + 1 < n)
            triple |= uint(src[i + 1]) << 8;
        *dst++ = alphabet[(triple >> 18) & 0x3f];
        *dst++ = alphabet[(triple >> 12) & 0x3f];
        *dst++ = (i + 1 < n) ? alphabet[(triple >> 6) & 0x3f] : '=';
        *dst++ = '=';
    }
}

} // namespace

void appendTextPacket(QByteArray &out, const Packet &packet)
{
    out.reserve(out.size() + encodedSize(packet));
    if (packet.binary) {
        out.append(BinaryPrefix);
        appendBase64(out, packet.data);
    } else {
        out.append(char('0' + int(packet.type)));
        out.append(packet.data);
    }
}

QByteArray encodeTextPacket(const Packet &packet)
{
    QByteArray out;
    appendTextPacket(out, packet);
    return out;
}

bool decodeTextPacket(QByteArrayView frame, Packet *packet)
{
    if (frame.isEmpty())
        return false;
    const char first = frame.front();
    const QByteArrayView rest = frame.sliced(1);
    if (first == BinaryPrefix) {
        // fromRawData: no copy of the input; the decoder only reads it.
        const QByteArray encoded = QByteArray::fromRawData(rest.data(), rest.size());
        auto result = QByteArray::fromBase64Encoding(
                encoded, QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
        if (!result)
            return false;
        *packet = Packet{PacketType::Message, true, std::move(result.decoded)};
        return true;
    }
    if (first < '0' || first > '6')
        return false;
    *packet = Packet{PacketType(first - '0'), false, rest.toByteArray()};
    return true;
}

QByteArray encodePayload(const QList<Packet> &packets)
{
    QByteArray out;
    if (packets.isEmpty())
        return out;
    qsizetype total = packets.size() - 1;  // separators
    for (const Packet &packet : packets)
        total += encodedSize(packet);
    out.reserve(total);
    bool first = true;
    for (const Packet &packet : packets) {
        if (!first)
            out.append(RecordSeparator);
        first = false;
        appendTextPacket(out, packet);
    }
    return out;
}

bool decodePayload(QByteArrayView payload, QList<Packet> *packets, qsizetype maxPackets)
{
    qsizetype from = 0;
    qsizetype count = 0;
    for (;;) {
        qsizetype to = payload.indexOf(RecordSeparator, from);
        const bool last = to < 0;
        if (last)
            to = payload.size();
        if (maxPackets > 0 && ++count > maxPackets)
            return false;
        Packet packet;
        if (!decodeTextPacket(payload.sliced(from, to - from), &packet))
            return false;
        packets->append(std::move(packet));
        if (last)
            return true;
        from = to + 1;
    }
}

} // namespace QEngineIo
