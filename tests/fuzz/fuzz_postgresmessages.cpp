// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Drives the decoders of the PostgreSQL adapter's messages (QSocketIoPostgresMessages): what arrives as a NOTIFY
// payload (JSON) and what is read back from the attachment table (MessagePack), both of which any client of the
// database may write. The first byte picks the form: 'j' a NOTIFY payload, 'm' an attachment. Decoding must end
// with a message or an error, never a crash; a decoded message must survive its own encoder and decoder.

#include "adapters/postgres/qsocketiopostgresmessages_p.h"
#include "qsocketiomsgpack_p.h"

#include <cstdlib>

using namespace QSocketIoPostgresMessages;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

void decodeAndRoundTrip(const QVariantMap &message)
{
    Decoded decoded;
    QString error;
    if (!decode(message, &decoded, &error)) {
        check(!error.isEmpty());
        return;
    }
    QVariantMap again;
    switch (decoded.kind) {
    case Decoded::Signal:
        again = encodeSignal(decoded.type, decoded.uid, QStringLiteral("/"));
        break;
    case Decoded::Broadcast:
        again = encodeBroadcast(decoded.uid, QStringLiteral("/"), decoded.packet, decoded.options);
        break;
    case Decoded::Request:
        again = encodeRequest(QStringLiteral("/"), decoded.request);
        break;
    case Decoded::Response:
        again = encodeResponse(decoded.uid, QStringLiteral("/"), decoded.response);
        break;
    }
    // Through the wire form the adapter would use, then decoded again.
    QVariantMap wire;
    if (needsAttachment(again)) {
        QVariant unpacked;
        check(QSocketIoMsgpack::unpack(QSocketIoMsgpack::pack(again), &unpacked, &error));
        wire = unpacked.toMap();
    } else {
        check(parseJson(toJson(again), &wire, &error));
    }
    Decoded second;
    check(decode(wire, &second, &error));
    check(second.kind == decoded.kind && second.type == decoded.type);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray bytes(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    QString error;
    if (data[0] == 'j') {
        QVariantMap message;
        if (parseJson(bytes, &message, &error))
            decodeAndRoundTrip(message);
        else
            check(!error.isEmpty());
    } else if (data[0] == 'm') {
        QVariant value;
        if (QSocketIoMsgpack::unpack(bytes, &value, &error)) {
            if (value.typeId() == QMetaType::QVariantMap)
                decodeAndRoundTrip(value.toMap());
        } else {
            check(!error.isEmpty());
        }
    }
    return 0;
}
