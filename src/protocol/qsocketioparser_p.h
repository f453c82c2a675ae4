// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOPARSER_P_H
#define QSOCKETIOPARSER_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include "protocol/qsocketiopacket_p.h"

#include <memory>

// The parser seam, Node's `parser` option: how Socket.IO packets become Engine.IO messages and back. A server
// has one parser for all its connections; each connection gets a decoder of its own from it.
//   json():        socket.io-parser, the default (qsocketiopacket.cpp)
//   messagePack(): socket.io-msgpack-parser (qsocketiomsgpackparser.cpp)
namespace QSocketIoProtocol {

struct ParserLimits
{
    int maxAttachments = Decoder::Limits().maxAttachments;  // JSON: binary attachments per packet
    qint64 maxMessageSize = 1000000;                          // MessagePack: bytes of one message (maxHttpBufferSize)
    int maxDepth = 128;                                       // MessagePack: nested arrays and maps
};

// One connection's decoder.
class PacketDecoder
{
public:
    using Status = Decoder::Status;
    virtual ~PacketDecoder();
    virtual Status addText(QByteArrayView message) = 0;
    virtual Status addBinary(const QByteArray &message) = 0;
    virtual Packet takePacket() = 0;
    // Why the last call returned Error, in English, for logs.
    virtual QString errorString() const = 0;
};

class Parser
{
public:
    virtual ~Parser();
    // Once per packet, whatever the number of recipients: EncodedPacket shares its bytes.
    virtual EncodedPacket encode(const Packet &packet) const = 0;
    virtual std::unique_ptr<PacketDecoder> createDecoder(const ParserLimits &limits) const = 0;

    static const Parser &json();
    static const Parser &messagePack();
};

} // namespace QSocketIoProtocol

#endif
