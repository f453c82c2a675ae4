// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Drives the decoders of the Redis adapter's messages (QSocketIoRedisMessages), which read what any Redis client
// may publish on the adapter's channels. The first byte picks the decoder, the rest is the message:
//   'm' MessagePack (standard or notepack) alone, 'b' a broadcast [uid, packet, opts], 'q' a request (JSON or
//   MessagePack), 'r' a response; 's' a message of the sharded adapter (JSON or MessagePack ClusterAdapter
//   message); 'p' what a Redis server sends (the RESP2 reader), fed in chunks of the second byte's size.
// Whatever the input, decoding must end with a value or an error, never a crash; a decoded value must encode
// to MessagePack that decodes again, and a decoded broadcast, request or response must survive its own encoder
// and decoder.

#include "adapters/redis/qsocketioredismessages_p.h"
#include "adapters/redis/qsocketioredisconnection_p.h"
#include "adapters/redis/qsocketioredisshardedmessages_p.h"
#include "qsocketiomsgpack_p.h"

#include <cstdlib>

using namespace QSocketIoRedisMessages;

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
    case 's': {
        QVariantMap message;
        if (QSocketIoRedisShardedMessages::decode(bytes, &message, &error)) {
            QSocketIoClusterMessages::Decoded decoded;
            if (!QSocketIoClusterMessages::decode(message, &decoded, &error))
                check(!error.isEmpty());
            QVariantMap again;
            check(QSocketIoRedisShardedMessages::decode(QSocketIoRedisShardedMessages::encode(message), &again, &error));
        } else {
            check(!error.isEmpty());
        }
        break;
    }
    case 'p': {
        if (bytes.isEmpty())
            break;
        const qsizetype chunk = qMax<qsizetype>(1, quint8(bytes.at(0)));
        QSocketIoRedisReplyParser parser;
        parser.setMaxBulk(1 << 20);
        QSocketIoRedisReply reply;
        for (qsizetype at = 1; at < bytes.size() && !parser.hasError(); at += chunk) {
            parser.append(bytes.mid(at, chunk));
            while (parser.next(&reply))
                check(reply.type <= QSocketIoRedisReply::Array);
        }
        check(parser.buffered() >= 0);
        break;
    }
    case 'm': {
        QVariant value;
        if (QSocketIoMsgpack::unpack(bytes, &value, &error)) {
            QVariant again;
            check(QSocketIoMsgpack::unpack(QSocketIoMsgpack::pack(value), &again, &error));
        } else {
            check(!error.isEmpty());
        }
        break;
    }
    case 'b': {
        QString uid;
        QSocketIoBroadcastPacket packet;
        QSocketIoBroadcastOptions options;
        if (decodeBroadcast(bytes, &uid, &packet, &options, &error)) {
            QString uid2;
            QSocketIoBroadcastPacket packet2;
            QSocketIoBroadcastOptions options2;
            check(decodeBroadcast(encodeBroadcast(uid, packet, options), &uid2, &packet2, &options2, &error));
            check(uid2 == uid && options2.rooms == options.rooms && options2.except == options.except);
        } else {
            check(!error.isEmpty());
        }
        break;
    }
    case 'q': {
        Request request;
        if (decodeRequest(bytes, &request, &error)) {
            Request again;
            check(decodeRequest(encodeRequest(request), &again, &error));
            check(again.type == request.type && again.requestId == request.requestId);
        } else {
            check(!error.isEmpty());
        }
        break;
    }
    case 'r': {
        Response response;
        if (decodeResponse(bytes, &response, &error)) {
            Response again;
            check(decodeResponse(encodeResponse(response), &again, &error));
            check(again.requestId == response.requestId);
        } else {
            check(!error.isEmpty());
        }
        break;
    }
    default:
        break;
    }
    return 0;
}
