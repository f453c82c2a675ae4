// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QENGINEIOPAYLOADV3_P_H
#define QENGINEIOPAYLOADV3_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include "engine/codec/qengineiopacket_p.h"

#include <QtCore/qstring.h>

// Engine.IO protocol v3 (engine.io-parser 2.x, the framing of engine.io-client 3.x and socket.io-client 2.x),
// served next to v4 when the server allows it (allowEIO3). The packets are the v4 ones; what differs:
//  - a polling payload is "<length>:<packet>" repeated, where <length> counts the packet's UTF-16 code units
//    (JavaScript's String length), not its bytes: "6:4héllo" is 6 units but 7 bytes;
//  - a binary message in text form is "b4<base64>" (the type digit follows the "b");
//  - a client that supports binary (no b64=1 in its handshake) gets a payload holding binary messages in the
//    binary payload format: per packet a marker byte (0 = text, 1 = binary), the length as one byte per decimal
//    digit (0-9), 0xff, then the packet (a text packet as UTF-8, its length in bytes; a binary one as the type
//    byte 4 and the data, the type byte counted);
//  - on WebSocket a binary frame starts with the type byte 4.
namespace QEngineIo::V3 {

// Text form of one packet: "4hello", or "b4<base64>" for a binary message.
QByteArray encodeTextPacket(const Packet &packet);
// Decodes a text packet: "<type digit><data>", or "b<type digit><base64>" for a binary message. False for an
// empty frame, an unknown type, invalid base64, or a base64 packet of another type than message.
bool decodeTextPacket(QByteArrayView frame, Packet *packet);

// A binary WebSocket frame: the type byte 4, then the data.
QByteArray encodeBinaryFrame(const QByteArray &data);
// Decodes a binary WebSocket frame; false unless it starts with the type byte of a message.
bool decodeBinaryFrame(QByteArrayView frame, Packet *packet);

// A polling payload. With supportsBinary and at least one binary packet, the binary payload format (and
// *binaryFormat is set: the response is application/octet-stream); otherwise the text format, with binary
// messages as "b4<base64>". An empty list gives "0:", as engine.io-parser does.
QByteArray encodePayload(const QList<Packet> &packets, bool supportsBinary, bool *binaryFormat = nullptr);

// The number of UTF-16 code units of UTF-8 text (a 4-byte sequence counts 2). The text must be valid UTF-8.
qsizetype utf16Length(QByteArrayView utf8);

// Decodes a POSTed payload: the text format, or the binary one when binaryFormat (the request's Content-Type
// was application/octet-stream). Returns false, with *error saying why, on: an empty body, a length that is
// missing, not made of digits, longer than 10 digits, past the end of the body, or that splits a character
// (text format), invalid UTF-8, a packet that does not decode, or more than maxPackets packets (0 = no
// limit). *packets then holds what was decoded before the error; the caller drops the session.
bool decodePayload(QByteArrayView payload, bool binaryFormat, QList<Packet> *packets, QString *error,
                   qsizetype maxPackets = 0);

} // namespace QEngineIo::V3

#endif
