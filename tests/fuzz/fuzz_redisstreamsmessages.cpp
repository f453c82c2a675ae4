// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Drives the decoders of the Redis Streams adapter (QSocketIoRedisStreamsMessages), which read what any Redis
// client may XADD to the stream or SET under a session key. The first byte picks the decoder, the rest is input:
//   'e' a stream entry: field, value, field, value, ... separated by NUL bytes (then the cluster message in it),
//   's' a kept session (base64 of MessagePack), 'i' a stream id, 'p' a message of 0.3 on a pub/sub channel
//   (MessagePack, then the cluster message in it).
// Whatever the input, decoding must end with a value or an error, never a crash; what decodes must survive its own
// encoder and decoder.

#include "adapters/redisstreams/qsocketioredisstreamsmessages_p.h"

#include <cstdlib>

using namespace QSocketIoRedisStreamsMessages;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char kind = char(data[0]);
    const QByteArray bytes(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    QString error;
    switch (kind) {
    case 'e': {
        const QList<QByteArray> parts = bytes.split('\0');
        Fields fields;
        for (qsizetype i = 0; i + 1 < parts.size(); i += 2)
            fields.append({parts[i], parts[i + 1]});
        QVariantMap message;
        if (!decode(fields, &message, &error)) {
            check(!error.isEmpty());
            break;
        }
        QSocketIoClusterMessages::Decoded decoded;
        if (!QSocketIoClusterMessages::decode(message, &decoded, &error)) {
            check(!error.isEmpty());
            break;
        }
        QVariantMap again;
        check(decode(encode(message), &again, &error));
        check(again.value(QStringLiteral("type")) == message.value(QStringLiteral("type")));
        check(again.value(QStringLiteral("uid")) == message.value(QStringLiteral("uid")));
        break;
    }
    case 's': {
        QSocketIoStoredSession session;
        if (decodeSession(bytes, &session, &error)) {
            QSocketIoStoredSession again;
            check(decodeSession(encodeSession(session), &again, &error));
            check(again.sid == session.sid && again.pid == session.pid && again.rooms == session.rooms);
        } else {
            check(!error.isEmpty());
        }
        break;
    }
    case 'p': {
        QVariantMap message;
        if (!decodePublished(bytes, &message, &error)) {
            check(!error.isEmpty());
            break;
        }
        QSocketIoClusterMessages::Decoded decoded;
        if (!QSocketIoClusterMessages::decode(message, &decoded, &error))
            check(!error.isEmpty());
        break;
    }
    case 'i':
        if (isStreamId(bytes))
            check(isStreamId(nextStreamId(bytes)));
        break;
    default:
        break;
    }
    return 0;
}
