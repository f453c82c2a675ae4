// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QENGINEIOPACKET_P_H
#define QENGINEIOPACKET_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtCore/qbytearray.h>
#include <QtCore/qbytearrayview.h>
#include <QtCore/qlist.h>

// Engine.IO v4 packets and the HTTP long-polling payload (engine.io-protocol README).
// Plain values, no QObject, no I/O: the transports feed bytes in and take bytes out.
namespace QEngineIo {

enum class PacketType : quint8 {
    Open = 0,
    Close = 1,
    Ping = 2,
    Pong = 3,
    Message = 4,
    Upgrade = 5,
    Noop = 6,
};

struct Packet
{
    PacketType type = PacketType::Noop;
    // A binary Message: data holds the raw bytes (on WebSocket a binary frame, on polling "b" + base64).
    bool binary = false;
    QByteArray data;
    // Whether the packet asked for compression (Node's options.compress, true unless a sender said false). A
    // polling response is compressed only if one of its packets asked for it, as engine.io does.
    bool compress = true;

    static Packet message(const QByteArray &data, bool binary = false, bool compress = true)
    { return Packet{PacketType::Message, binary, data, compress}; }
    static Packet control(PacketType type, const QByteArray &data = {})
    { return Packet{type, false, data}; }
    friend bool operator==(const Packet &a, const Packet &b)
    { return a.type == b.type && a.binary == b.binary && a.data == b.data; }
};

// The separator of packets in a polling payload (ASCII record separator).
constexpr char RecordSeparator = '\x1e';

// Text form of one packet: the type digit followed by its data ("4hello", "2probe").
// A binary packet is encoded as "b" + base64(data), the form polling uses.
QByteArray encodeTextPacket(const Packet &packet);
// Appends the text form to out, without an intermediate allocation.
void appendTextPacket(QByteArray &out, const Packet &packet);

// Decodes a text frame (a WebSocket text message, or one segment of a polling payload).
// "b<base64>" decodes to a binary Message. Returns false for an empty frame, an unknown type digit,
// or invalid base64; *packet is untouched then.
bool decodeTextPacket(QByteArrayView frame, Packet *packet);

// A polling payload: packets joined with RecordSeparator.
QByteArray encodePayload(const QList<Packet> &packets);

// Splits a POSTed polling payload into packets. Returns false (and leaves *packets with what was decoded
// so far) when any segment is malformed, or when there are more than maxPackets segments (0 = no limit).
bool decodePayload(QByteArrayView payload, QList<Packet> *packets, qsizetype maxPackets = 0);

} // namespace QEngineIo

#endif
