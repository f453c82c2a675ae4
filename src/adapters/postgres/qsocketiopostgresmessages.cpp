// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qsocketiopostgresmessages_p.h"
#include "qsocketiomsgpack_p.h"
#include "qtsocketioutf8_p.h"

#include <QtCore/qjsondocument.h>
#include <QtCore/qjsonobject.h>

namespace QSocketIoPostgresMessages {

bool needsAttachment(const QVariantMap &message)
{
    const int type = message.value(QStringLiteral("type")).toInt();
    switch (MessageType(type)) {
    case MessageType::Broadcast:
    case MessageType::BroadcastAck:
    case MessageType::ServerSideEmit:
    case MessageType::ServerSideEmitResponse:
        return QSocketIoMsgpack::containsBinary(message.value(QStringLiteral("data")));
    default:
        return false;
    }
}

QByteArray toJson(const QVariantMap &message)
{
    return QJsonDocument(QJsonObject::fromVariantMap(message)).toJson(QJsonDocument::Compact);
}

bool parseJson(const QByteArray &payload, QVariantMap *message, QString *error)
{
    QJsonParseError parseError;
    // Not QJsonDocument::fromJson(): it would drop a leading U+FEFF of a string or key (qtsocketioutf8_p.h).
    const QJsonDocument document = QtSocketIoPrivate::parseJson(payload, &parseError);
    if (!document.isObject()) {
        *error = document.isNull() ? QStringLiteral("invalid JSON: ") + parseError.errorString()
                                   : QStringLiteral("not a JSON object");
        return false;
    }
    *message = document.object().toVariantMap();
    return true;
}

} // namespace QSocketIoPostgresMessages
