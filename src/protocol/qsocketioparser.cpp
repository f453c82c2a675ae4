// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "protocol/qsocketioparser_p.h"

#include "protocol/qsocketiomsgpackparser_p.h"

namespace QSocketIoProtocol {

PacketDecoder::~PacketDecoder() = default;
Parser::~Parser() = default;

namespace {

// socket.io-parser: the codec of qsocketiopacket.cpp, unchanged, behind the seam.
class JsonDecoder final : public PacketDecoder
{
public:
    explicit JsonDecoder(const ParserLimits &limits) : m_decoder(makeLimits(limits)) { }
    Status addText(QByteArrayView message) override { return m_decoder.addText(message); }
    Status addBinary(const QByteArray &message) override { return m_decoder.addBinary(message); }
    Packet takePacket() override { return m_decoder.takePacket(); }
    QString errorString() const override { return m_decoder.errorString(); }

private:
    static Decoder::Limits makeLimits(const ParserLimits &limits)
    {
        Decoder::Limits result;
        result.maxAttachments = limits.maxAttachments;
        return result;
    }
    Decoder m_decoder;
};

class JsonParser final : public Parser
{
public:
    EncodedPacket encode(const Packet &packet) const override { return QSocketIoProtocol::encode(packet); }
    std::unique_ptr<PacketDecoder> createDecoder(const ParserLimits &limits) const override
    {
        return std::make_unique<JsonDecoder>(limits);
    }
};

class MessagePackParser final : public Parser
{
public:
    EncodedPacket encode(const Packet &packet) const override { return encodeMessagePack(packet); }
    std::unique_ptr<PacketDecoder> createDecoder(const ParserLimits &limits) const override
    {
        MessagePackDecoder::Limits l;
        l.maxMessageSize = limits.maxMessageSize;
        l.maxDepth = limits.maxDepth;
        return std::make_unique<MessagePackDecoder>(l);
    }
};

} // namespace

const Parser &Parser::json()
{
    static const JsonParser parser;
    return parser;
}

const Parser &Parser::messagePack()
{
    static const MessagePackParser parser;
    return parser;
}

} // namespace QSocketIoProtocol
