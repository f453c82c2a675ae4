// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOREDISSHARDEDMESSAGES_P_H
#define QSOCKETIOREDISSHARDEDMESSAGES_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include "qsocketioclustermessages_p.h"

#include <QtCore/qbytearray.h>
#include <QtCore/qvariant.h>

// The framing of @socket.io/redis-adapter 8.3's sharded adapter: socket.io-adapter's ClusterAdapter messages
// {uid, nsp, type, data} (qsocketioclustermessages_p.h) as JSON, or as MessagePack (notepack.io) when a
// broadcast, a broadcast ack, a fetchSockets answer or a server-side emit (or its answer) holds binary. A receiver
// tells them apart by the first byte ('{': JSON). Decoding is bounded (a message of at most MaxBytes) and refuses
// what is not an object with a reason.
namespace QSocketIoRedisShardedMessages {

constexpr qsizetype MaxBytes = 64 * 1024 * 1024;

QByteArray encode(const QVariantMap &message);
bool decode(const QByteArray &bytes, QVariantMap *message, QString *error);

} // namespace QSocketIoRedisShardedMessages

#endif
