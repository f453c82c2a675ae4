// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Decodes the input as a text frame and as a polling payload, and checks that whatever decodes
// survives an encode/decode round trip unchanged.

#include "engine/codec/qengineiopacket_p.h"

#include <cstdlib>

using namespace QEngineIo;

static void check(bool condition)
{
    if (!condition)
        std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    Packet packet;
    if (decodeTextPacket(input, &packet)) {
        Packet again;
        check(decodeTextPacket(encodeTextPacket(packet), &again));
        check(again.type == packet.type && again.binary == packet.binary && again.data == packet.data);
        if (!packet.binary)
            check(encodeTextPacket(packet) == input);
    }

    QList<Packet> packets;
    const bool ok = decodePayload(input, &packets, 64);
    check(packets.size() <= 64);
    if (ok) {
        check(!packets.isEmpty());
        const QByteArray encoded = encodePayload(packets);
        QList<Packet> again;
        check(decodePayload(encoded, &again));
        check(again.size() == packets.size());
        for (qsizetype i = 0; i < packets.size(); ++i) {
            check(again.at(i).type == packets.at(i).type && again.at(i).binary == packets.at(i).binary
                  && again.at(i).data == packets.at(i).data);
        }
    }
    return 0;
}
