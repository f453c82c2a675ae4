// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qsocketioredisshardedmessages_p.h"
#include "qsocketiomsgpack_p.h"
#include "qtsocketioutf8_p.h"

#include <QtCore/qjsondocument.h>
#include <QtCore/qjsonobject.h>

namespace QSocketIoRedisShardedMessages {

using QSocketIoClusterMessages::MessageType;

static bool mayContainBinary(const QVariantMap &message)
{
    switch (MessageType(message.value(QStringLiteral("type")).toInt())) {
    case MessageType::Broadcast:
    case MessageType::BroadcastAck:
    case MessageType::FetchSocketsResponse:
    case MessageType::ServerSideEmit:
    case MessageType::ServerSideEmitResponse:
        return true;
    default:
        return false;
    }
}

QByteArray encode(const QVariantMap &message)
{
    if (mayContainBinary(message) && QSocketIoMsgpack::containsBinary(message.value(QStringLiteral("data"))))
        return QSocketIoMsgpack::pack(message);
    return QJsonDocument(QJsonObject::fromVariantMap(message)).toJson(QJsonDocument::Compact);
}

bool decode(const QByteArray &bytes, QVariantMap *message, QString *error)
{
    if (bytes.isEmpty()) {
        *error = QStringLiteral("an empty message");
        return false;
    }
    if (bytes.size() > MaxBytes) {
        *error = QStringLiteral("a message of %1 bytes (at most %2)").arg(bytes.size()).arg(MaxBytes);
        return false;
    }
    if (bytes.at(0) == '{') {
        QJsonParseError parseError;
        // Not QJsonDocument::fromJson(): it would drop a leading U+FEFF of a string or key (qtsocketioutf8_p.h).
        const QJsonDocument document = QtSocketIoPrivate::parseJson(bytes, &parseError);
        if (!document.isObject()) {
            *error = document.isNull() ? QStringLiteral("invalid JSON: ") + parseError.errorString()
                                       : QStringLiteral("not a JSON object");
            return false;
        }
        *message = document.object().toVariantMap();
        return true;
    }
    QVariant value;
    if (!QSocketIoMsgpack::unpack(bytes, &value, error))
        return false;
    if (value.metaType().id() != QMetaType::QVariantMap) {
        *error = QStringLiteral("not a MessagePack map");
        return false;
    }
    *message = value.toMap();
    return true;
}

} // namespace QSocketIoRedisShardedMessages
