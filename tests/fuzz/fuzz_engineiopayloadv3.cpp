// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Decodes the input as an Engine.IO v3 polling payload in both formats (text "<length>:<packet>" and binary),
// as a v3 text packet and as a v3 binary WebSocket frame, and checks that whatever decodes survives an
// encode/decode round trip unchanged.

#include "engine/codec/qengineiopayloadv3_p.h"

#include <cstdlib>

using namespace QEngineIo;

static void check(bool condition)
{
    if (!condition)
        std::abort();
}

static bool same(const QList<Packet> &a, const QList<Packet> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a.at(i).type != b.at(i).type || a.at(i).binary != b.at(i).binary || a.at(i).data != b.at(i).data)
            return false;
    }
    return true;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    Packet packet;
    if (V3::decodeTextPacket(input, &packet)) {
        Packet again;
        check(V3::decodeTextPacket(V3::encodeTextPacket(packet), &again));
        check(again == packet);
    }
    if (V3::decodeBinaryFrame(input, &packet)) {
        check(packet.binary);
        check(V3::encodeBinaryFrame(packet.data) == input);
    }

    for (const bool binaryFormat : {false, true}) {
        QList<Packet> packets;
        QString error;
        const bool ok = V3::decodePayload(input, binaryFormat, &packets, &error, 64);
        check(packets.size() <= 64);
        check(ok || !error.isEmpty());
        if (!ok)
            continue;
        // Both encodings of what decoded read back the same packets (an empty list encodes as "0:").
        for (const bool supportsBinary : {false, true}) {
            bool asBinary = false;
            const QByteArray encoded = V3::encodePayload(packets, supportsBinary, &asBinary);
            QList<Packet> again;
            check(V3::decodePayload(encoded, asBinary, &again, &error));
            check(same(again, packets));
        }
    }
    return 0;
}
