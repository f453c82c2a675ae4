// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOREDISKEYSLOT_P_H
#define QSOCKETIOREDISKEYSLOT_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtCore/qbytearray.h>

// The hash slot of a key (or a sharded channel) in a Redis Cluster, as the cluster specification defines it:
// CRC16 (XMODEM) of the key, or of its hash tag (what lies between the first '{' and the next '}', when that is
// not empty), modulo 16384. Header-only, so that tst_rediskeyslot checks it against Redis's own answers.
namespace QSocketIoRedisKeySlot {

constexpr int SlotCount = 16384;

inline quint16 crc16(const QByteArray &bytes)
{
    // CRC-16/XMODEM: polynomial 0x1021, initial value 0, no reflection, no final XOR.
    quint16 crc = 0;
    for (const char c : bytes) {
        crc ^= quint16(quint16(quint8(c)) << 8);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 0x8000) ? quint16((crc << 1) ^ 0x1021) : quint16(crc << 1);
    }
    return crc;
}

inline int keySlot(const QByteArray &key)
{
    const qsizetype open = key.indexOf('{');
    if (open >= 0) {
        const qsizetype close = key.indexOf('}', open + 1);
        if (close > open + 1)
            return crc16(key.mid(open + 1, close - open - 1)) % SlotCount;
    }
    return crc16(key) % SlotCount;
}

} // namespace QSocketIoRedisKeySlot

#endif
