// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "engine/codec/qengineiopayloadv3_p.h"

#include <QtCore/qstringconverter.h>

#include <algorithm>

namespace QEngineIo::V3 {

namespace {

constexpr char BinaryPrefix = 'b';
constexpr char MessageDigit = '0' + int(PacketType::Message);
constexpr uchar MessageByte = uchar(PacketType::Message);
constexpr uchar TextMarker = 0;
constexpr uchar BinaryMarker = 1;
constexpr uchar LengthEnd = 0xff;
// 10 digits reach past any body the server accepts (maxHttpBufferSize is a qint64, but a length of more than
// 9999999999 units cannot fit in memory either).
constexpr int MaxLengthDigits = 10;

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF, no truncated sequence.
bool isValidUtf8(QByteArrayView text)
{
    const auto *p = reinterpret_cast<const uchar *>(text.data());
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n;) {
        const uchar b = p[i];
        if (b < 0x80) {
            ++i;
            continue;
        }
        int extra = 0;
        uchar min = 0x80, max = 0xbf;   // the range of the second byte
        if (b >= 0xc2 && b <= 0xdf) {
            extra = 1;
        } else if (b >= 0xe0 && b <= 0xef) {
            extra = 2;
            if (b == 0xe0)
                min = 0xa0;             // overlong
            else if (b == 0xed)
                max = 0x9f;             // surrogates
        } else if (b >= 0xf0 && b <= 0xf4) {
            extra = 3;
            if (b == 0xf0)
                min = 0x90;             // overlong
            else if (b == 0xf4)
                max = 0x8f;             // past U+10FFFF
        } else {
            return false;
        }
        if (n - i <= extra)
            return false;
        if (p[i + 1] < min || p[i + 1] > max)
            return false;
        for (int k = 2; k <= extra; ++k) {
            if ((p[i + k] & 0xc0) != 0x80)
                return false;
        }
        i += extra + 1;
    }
    return true;
}

void appendDecimalDigitBytes(QByteArray &out, qsizetype value)
{
    const QByteArray digits = QByteArray::number(value);
    for (const char digit : digits)
        out.append(char(digit - '0'));
}

bool decodeTextPayload(QByteArrayView payload, QList<Packet> *packets, QString *error, qsizetype maxPackets)
{
    // The lengths count UTF-16 code units, as JavaScript reads the body: decode it, then walk in those units.
    if (!isValidUtf8(payload))
        return fail(error, QStringLiteral("payload is not valid UTF-8"));
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless
                                                         | QStringDecoder::Flag::ConvertInitialBom);
    const QString text = decoder.decode(payload);
    const qsizetype size = text.size();
    qsizetype pos = 0;
    qsizetype count = 0;
    while (pos < size) {
        qint64 length = 0;
        int digits = 0;
        while (pos < size && text.at(pos) != QLatin1Char(':')) {
            const char16_t c = text.at(pos).unicode();
            if (c < u'0' || c > u'9')
                return fail(error, QStringLiteral("length at offset %1 is not a decimal number").arg(pos));
            if (++digits > MaxLengthDigits)
                return fail(error, QStringLiteral("length at offset %1 has more than %2 digits")
                                           .arg(pos).arg(MaxLengthDigits));
            length = length * 10 + (c - u'0');
            ++pos;
        }
        if (pos == size)
            return fail(error, QStringLiteral("length without ':' at the end of the payload"));
        if (digits == 0)
            return fail(error, QStringLiteral("missing length before ':' at offset %1").arg(pos));
        ++pos;   // ':'
        if (length > size - pos)
            return fail(error, QStringLiteral("length %1 goes past the end of the payload (%2 units left)")
                                       .arg(length).arg(size - pos));
        const QStringView message = QStringView(text).sliced(pos, qsizetype(length));
        pos += qsizetype(length);
        if (message.isEmpty())
            continue;   // "0:" carries no packet (engine.io-parser skips it too)
        if (message.back().isHighSurrogate() || (pos < size && text.at(pos).isLowSurrogate()))
            return fail(error, QStringLiteral("length %1 splits a character").arg(length));
        if (maxPackets > 0 && ++count > maxPackets)
            return fail(error, QStringLiteral("more than %1 packets in one payload").arg(maxPackets));
        Packet packet;
        if (!V3::decodeTextPacket(message.toUtf8(), &packet))
            return fail(error, QStringLiteral("packet %1 does not decode").arg(packets->size()));
        packets->append(std::move(packet));
    }
    return true;
}

bool decodeBinaryPayload(QByteArrayView payload, QList<Packet> *packets, QString *error, qsizetype maxPackets)
{
    const auto *bytes = reinterpret_cast<const uchar *>(payload.data());
    const qsizetype size = payload.size();
    qsizetype pos = 0;
    qsizetype count = 0;
    while (pos < size) {
        const uchar marker = bytes[pos++];
        if (marker != TextMarker && marker != BinaryMarker)
            return fail(error, QStringLiteral("unknown packet marker %1 at offset %2").arg(marker).arg(pos - 1));
        qint64 length = 0;
        int digits = 0;
        while (pos < size && bytes[pos] != LengthEnd) {
            if (bytes[pos] > 9)
                return fail(error, QStringLiteral("length byte at offset %1 is not a digit").arg(pos));
            if (++digits > MaxLengthDigits)
                return fail(error, QStringLiteral("length at offset %1 has more than %2 digits")
                                           .arg(pos).arg(MaxLengthDigits));
            length = length * 10 + bytes[pos];
            ++pos;
        }
        if (pos == size)
            return fail(error, QStringLiteral("length without its 0xff end at the end of the payload"));
        if (digits == 0)
            return fail(error, QStringLiteral("missing length at offset %1").arg(pos));
        ++pos;   // 0xff
        if (length > size - pos)
            return fail(error, QStringLiteral("length %1 goes past the end of the payload (%2 bytes left)")
                                       .arg(length).arg(size - pos));
        const QByteArrayView message = payload.sliced(pos, qsizetype(length));
        pos += qsizetype(length);
        if (maxPackets > 0 && ++count > maxPackets)
            return fail(error, QStringLiteral("more than %1 packets in one payload").arg(maxPackets));
        Packet packet;
        if (marker == TextMarker) {
            if (!isValidUtf8(message) || !V3::decodeTextPacket(message, &packet))
                return fail(error, QStringLiteral("text packet %1 does not decode").arg(packets->size()));
        } else if (!V3::decodeBinaryFrame(message, &packet)) {
            return fail(error, QStringLiteral("binary packet %1 is not a message").arg(packets->size()));
        }
        packets->append(std::move(packet));
    }
    return true;
}

} // namespace

QByteArray encodeTextPacket(const Packet &packet)
{
    if (!packet.binary)
        return QEngineIo::encodeTextPacket(packet);
    QByteArray out;
    out.reserve(2 + (packet.data.size() + 2) / 3 * 4);
    out.append(BinaryPrefix);
    out.append(MessageDigit);
    out.append(packet.data.toBase64());
    return out;
}

bool decodeTextPacket(QByteArrayView frame, Packet *packet)
{
    if (frame.isEmpty())
        return false;
    if (frame.front() == BinaryPrefix) {
        if (frame.size() < 2 || frame.at(1) != MessageDigit)
            return false;
        const QByteArrayView encoded = frame.sliced(2);
        auto result = QByteArray::fromBase64Encoding(QByteArray::fromRawData(encoded.data(), encoded.size()),
                                                     QByteArray::Base64Encoding
                                                             | QByteArray::AbortOnBase64DecodingErrors);
        if (!result)
            return false;
        *packet = Packet::message(std::move(result.decoded), true);
        return true;
    }
    // The v4 reader takes the rest: "<type digit><data>" is the same in both versions ("b" is handled above).
    return QEngineIo::decodeTextPacket(frame, packet);
}

QByteArray encodeBinaryFrame(const QByteArray &data)
{
    QByteArray out;
    out.reserve(data.size() + 1);
    out.append(char(MessageByte));
    out.append(data);
    return out;
}

bool decodeBinaryFrame(QByteArrayView frame, Packet *packet)
{
    if (frame.isEmpty() || uchar(frame.front()) != MessageByte)
        return false;
    *packet = Packet::message(frame.sliced(1).toByteArray(), true);
    return true;
}

qsizetype utf16Length(QByteArrayView utf8)
{
    qsizetype units = 0;
    for (const char c : utf8) {
        const uchar b = uchar(c);
        if ((b & 0xc0) != 0x80)
            ++units;        // a lead byte (or ASCII): one unit
        if (b >= 0xf0)
            ++units;        // a 4-byte sequence: a surrogate pair
    }
    return units;
}

QByteArray encodePayload(const QList<Packet> &packets, bool supportsBinary, bool *binaryFormat)
{
    const bool anyBinary = std::any_of(packets.cbegin(), packets.cend(), [](const Packet &p) { return p.binary; });
    const bool binary = supportsBinary && anyBinary;
    if (binaryFormat)
        *binaryFormat = binary;
    QByteArray out;
    if (packets.isEmpty())
        return binary ? out : QByteArrayLiteral("0:");
    qsizetype total = 0;
    for (const Packet &packet : packets)
        total += packet.data.size() + 16 + (packet.binary ? packet.data.size() / 3 + 4 : 0);
    out.reserve(total);
    for (const Packet &packet : packets) {
        if (binary) {
            const bool isBinary = packet.binary;
            const QByteArray body = isBinary ? QByteArray() : QEngineIo::encodeTextPacket(packet);
            const qsizetype length = isBinary ? packet.data.size() + 1 : body.size();
            out.append(char(isBinary ? BinaryMarker : TextMarker));
            appendDecimalDigitBytes(out, length);
            out.append(char(LengthEnd));
            if (isBinary) {
                out.append(char(MessageByte));
                out.append(packet.data);
            } else {
                out.append(body);
            }
        } else {
            const QByteArray text = V3::encodeTextPacket(packet);
            out.append(QByteArray::number(utf16Length(text)));
            out.append(':');
            out.append(text);
        }
    }
    return out;
}

bool decodePayload(QByteArrayView payload, bool binaryFormat, QList<Packet> *packets, QString *error,
                   qsizetype maxPackets)
{
    if (payload.isEmpty())
        return fail(error, QStringLiteral("empty payload"));
    return binaryFormat ? decodeBinaryPayload(payload, packets, error, maxPackets)
                        : decodeTextPayload(payload, packets, error, maxPackets);
}

} // namespace QEngineIo::V3
