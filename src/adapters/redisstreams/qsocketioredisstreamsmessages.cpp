// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qsocketioredisstreamsmessages_p.h"
#include "qsocketiomsgpack_p.h"
#include "qtsocketioutf8_p.h"

#include <QtCore/qjsondocument.h>
#include <QtCore/qjsonobject.h>

namespace QSocketIoRedisStreamsMessages {

using QSocketIoClusterMessages::MessageType;

namespace {

// The message types whose data may hold binary (the others always go as JSON).
bool mayHoldBinary(int type)
{
    switch (MessageType(type)) {
    case MessageType::Broadcast:
    case MessageType::FetchSocketsResponse:
    case MessageType::ServerSideEmit:
    case MessageType::ServerSideEmitResponse:
    case MessageType::BroadcastAck:
        return true;
    default:
        return false;
    }
}

bool isDecimal(const QByteArray &text)
{
    if (text.isEmpty() || text.size() > 20)
        return false;
    for (char c : text) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

} // namespace

Fields encode(const QVariantMap &message)
{
    const int type = message.value(QStringLiteral("type")).toInt();
    Fields fields{{"uid", message.value(QStringLiteral("uid")).toString().toUtf8()},
                  {"nsp", message.value(QStringLiteral("nsp")).toString().toUtf8()},
                  {"type", QByteArray::number(type)}};
    const auto data = message.constFind(QStringLiteral("data"));
    if (data != message.constEnd() && data->isValid() && !data->isNull()) {
        if (mayHoldBinary(type) && QSocketIoMsgpack::containsBinary(*data)) {
            fields.append({"data", QSocketIoMsgpack::pack(*data).toBase64()});
        } else {
            fields.append({"data", QJsonDocument(QJsonObject::fromVariantMap(data->toMap()))
                                           .toJson(QJsonDocument::Compact)});
        }
    }
    return fields;
}

bool decode(const Fields &fields, QVariantMap *message, QString *error)
{
    if (fields.size() > MaxFields) {
        *error = QStringLiteral("%1 fields in one entry").arg(fields.size());
        return false;
    }
    QByteArray uid, nsp, type, data;
    bool hasUid = false, hasNsp = false, hasType = false, hasData = false;
    for (const auto &field : fields) {
        if (field.first == "uid") {
            uid = field.second;
            hasUid = true;
        } else if (field.first == "nsp") {
            nsp = field.second;
            hasNsp = true;
        } else if (field.first == "type") {
            type = field.second;
            hasType = true;
        } else if (field.first == "data") {
            data = field.second;
            hasData = true;
        }
    }
    if (!hasUid || !hasNsp || !hasType) {
        *error = QStringLiteral("an entry without uid, nsp or type");
        return false;
    }
    if (uid.size() > MaxIdBytes || nsp.size() > MaxIdBytes * 16 || !isDecimal(type)) {
        *error = QStringLiteral("an entry with a malformed uid, nsp or type");
        return false;
    }
    const int typeValue = type.toInt();
    if (typeValue < int(MessageType::InitialHeartbeat) || typeValue > int(MessageType::AdapterClose)) {
        *error = QStringLiteral("unknown message type %1").arg(QString::fromLatin1(type));
        return false;
    }
    if (data.size() > MaxEntryBytes) {
        *error = QStringLiteral("data of %1 bytes").arg(data.size());
        return false;
    }
    const QString uidText = QtSocketIoPrivate::utf8ToString(uid);
    const QString nspText = QtSocketIoPrivate::utf8ToString(nsp);
    if (uidText.toUtf8() != uid || nspText.toUtf8() != nsp) {
        *error = QStringLiteral("an entry whose uid or nsp is not UTF-8");
        return false;
    }
    QVariantMap out{{QStringLiteral("uid"), uidText},
                    {QStringLiteral("nsp"), nspText},
                    {QStringLiteral("type"), typeValue}};
    if (hasData && !data.isEmpty()) {
        QVariant value;
        if (data.startsWith('{')) {
            QJsonParseError parseError;
            const QJsonDocument document = QtSocketIoPrivate::parseJson(data, &parseError);
            if (!document.isObject()) {
                *error = QStringLiteral("data is not a JSON object");
                return false;
            }
            value = document.object().toVariantMap();
        } else {
            const auto decoded = QByteArray::fromBase64Encoding(data, QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded) {
                *error = QStringLiteral("data is neither JSON nor base64");
                return false;
            }
            if (!QSocketIoMsgpack::unpack(*decoded, &value, error))
                return false;
        }
        out.insert(QStringLiteral("data"), value);
    }
    *message = out;
    return true;
}

QByteArray encodeSession(const QSocketIoStoredSession &session)
{
    const QVariantMap map{{QStringLiteral("sid"), session.sid},
                          {QStringLiteral("pid"), session.pid},
                          {QStringLiteral("rooms"), session.rooms},
                          {QStringLiteral("data"), session.data}};
    return QSocketIoMsgpack::pack(map).toBase64();
}

bool decodePublished(const QByteArray &payload, QVariantMap *message, QString *error)
{
    if (payload.size() > MaxEntryBytes) {
        *error = QStringLiteral("a message of %1 bytes").arg(payload.size());
        return false;
    }
    QVariant value;
    if (!QSocketIoMsgpack::unpack(payload, &value, error))
        return false;
    if (value.typeId() != QMetaType::QVariantMap) {
        *error = QStringLiteral("the message is not a map");
        return false;
    }
    *message = value.toMap();
    return true;
}

bool decodeSession(const QByteArray &text, QSocketIoStoredSession *session, QString *error)
{
    if (text.size() > MaxEntryBytes) {
        *error = QStringLiteral("a session of %1 bytes").arg(text.size());
        return false;
    }
    const auto bytes = QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
    if (!bytes) {
        *error = QStringLiteral("a session that is not base64");
        return false;
    }
    QVariant value;
    if (!QSocketIoMsgpack::unpack(*bytes, &value, error))
        return false;
    if (value.typeId() != QMetaType::QVariantMap) {
        *error = QStringLiteral("a session that is not a map");
        return false;
    }
    const QVariantMap map = value.toMap();
    const QVariant sid = map.value(QStringLiteral("sid"));
    const QVariant pid = map.value(QStringLiteral("pid"));
    const QVariant rooms = map.value(QStringLiteral("rooms"));
    if (sid.typeId() != QMetaType::QString || pid.typeId() != QMetaType::QString || sid.toString().isEmpty()
        || rooms.typeId() != QMetaType::QVariantList) {
        *error = QStringLiteral("a session without sid, pid or rooms");
        return false;
    }
    QSocketIoStoredSession out;
    out.sid = sid.toString();
    out.pid = pid.toString();
    for (const QVariant &room : rooms.toList()) {
        if (room.typeId() != QMetaType::QString) {
            *error = QStringLiteral("a session with a room that is not a string");
            return false;
        }
        out.rooms.append(room.toString());
    }
    out.data = map.value(QStringLiteral("data")).toMap();
    *session = out;
    return true;
}

bool isStreamId(const QByteArray &id)
{
    if (id.size() > MaxIdBytes)
        return false;
    const qsizetype dash = id.indexOf('-');
    return dash > 0 && isDecimal(id.left(dash)) && isDecimal(id.mid(dash + 1));
}

QByteArray nextStreamId(const QByteArray &id)
{
    const qsizetype dash = id.indexOf('-');
    return id.left(dash) + '-' + QByteArray::number(id.mid(dash + 1).toULongLong() + 1);
}

bool sessionReceives(const QStringList &sessionRooms, const QSocketIoBroadcastOptions &options)
{
    for (const QString &room : sessionRooms) {
        if (options.except.contains(room))
            return false;
    }
    if (options.rooms.isEmpty())
        return true;
    for (const QString &room : sessionRooms) {
        if (options.rooms.contains(room))
            return true;
    }
    return false;
}

} // namespace QSocketIoRedisStreamsMessages
