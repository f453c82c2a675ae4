// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qsocketioredismessages_p.h"
#include "qsocketiomsgpack_p.h"
#include "qtsocketioutf8_p.h"

#include <QtCore/qjsonarray.h>
#include <QtCore/qjsondocument.h>
#include <QtCore/qjsonobject.h>

using QSocketIoClusterMessages::fromOptions;
using QSocketIoClusterMessages::fromPacket;
using QSocketIoClusterMessages::fromRemoteSockets;
using QSocketIoClusterMessages::OptionsForm;
using QSocketIoClusterMessages::toOptions;
using QSocketIoClusterMessages::toPacket;
using QSocketIoClusterMessages::toRemoteSocket;
using QSocketIoClusterMessages::toStringList;

namespace QSocketIoRedisMessages {

namespace {

QByteArray toJson(const QVariantMap &map)
{
    return QJsonDocument(QJsonObject::fromVariantMap(map)).toJson(QJsonDocument::Compact);
}

// A message is JSON when it starts with "{", as the Node adapter decides.
bool decodeMap(const QByteArray &bytes, QVariantMap *map, QString *error)
{
    if (bytes.startsWith('{')) {
        QJsonParseError parseError;
        // Not QJsonDocument::fromJson(): it would drop a leading U+FEFF of a string or key (qtsocketioutf8_p.h).
        const QJsonDocument document = QtSocketIoPrivate::parseJson(bytes, &parseError);
        if (!document.isObject()) {
            *error = QStringLiteral("invalid JSON: ") + parseError.errorString();
            return false;
        }
        *map = document.object().toVariantMap();
        return true;
    }
    QVariant value;
    if (!QSocketIoMsgpack::unpack(bytes, &value, error))
        return false;
    if (value.typeId() != QMetaType::QVariantMap) {
        *error = QStringLiteral("not a map");
        return false;
    }
    *map = value.toMap();
    return true;
}

} // namespace

QByteArray encodeBroadcast(const QString &uid, const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options)
{
    return QSocketIoMsgpack::pack(
            QVariantList{uid, fromPacket(packet.nsp, packet.data, packet.id), fromOptions(options)});
}

bool decodeBroadcast(const QByteArray &bytes, QString *uid, QSocketIoBroadcastPacket *packet, QSocketIoBroadcastOptions *options,
                     QString *error)
{
    QVariant value;
    if (!QSocketIoMsgpack::unpack(bytes, &value, error))
        return false;
    const QVariantList list = value.toList();
    if (value.typeId() != QMetaType::QVariantList || list.size() < 3) {
        *error = QStringLiteral("a broadcast is not [uid, packet, opts]");
        return false;
    }
    *uid = list.at(0).toString();
    return toPacket(list.at(1), QStringLiteral("/"), packet, error) && toOptions(list.at(2), options, error);
}

QByteArray encodeRequest(const Request &request)
{
    using Type = QSocketIoClusterAdapter::RequestType;
    QVariantMap map{{QStringLiteral("type"), int(request.type)}};
    if (!request.uid.isEmpty())
        map.insert(QStringLiteral("uid"), request.uid);
    if (!request.requestId.isEmpty())
        map.insert(QStringLiteral("requestId"), request.requestId);
    switch (request.type) {
    case Type::RemoteJoin:
    case Type::RemoteLeave:
        map.insert(QStringLiteral("opts"), fromOptions(request.options, OptionsForm::WithoutFlags));
        map.insert(QStringLiteral("rooms"), request.rooms);
        break;
    case Type::RemoteDisconnect:
        map.insert(QStringLiteral("opts"), fromOptions(request.options, OptionsForm::WithoutFlags));
        map.insert(QStringLiteral("close"), request.close);
        break;
    case Type::RemoteFetch:
        map.insert(QStringLiteral("opts"), fromOptions(request.options, OptionsForm::WithoutFlags));
        break;
    case Type::ServerSideEmit:
        map.insert(QStringLiteral("data"), request.data);
        break;
    case Type::Broadcast:
        // MessagePack: the packet may hold binary.
        map.insert(QStringLiteral("packet"), fromPacket(request.packet.nsp, request.packet.data, request.packet.id));
        map.insert(QStringLiteral("opts"), fromOptions(request.options));
        return QSocketIoMsgpack::pack(map);
    default:
        break;
    }
    return toJson(map);
}

bool decodeRequest(const QByteArray &bytes, Request *request, QString *error)
{
    using Type = QSocketIoClusterAdapter::RequestType;
    QVariantMap map;
    if (!decodeMap(bytes, &map, error))
        return false;
    bool ok = false;
    const int type = map.value(QStringLiteral("type")).toInt(&ok);
    if (!ok || type < int(Type::Sockets) || type > int(Type::BroadcastAck)) {
        *error = QStringLiteral("unknown request type %1").arg(map.value(QStringLiteral("type")).toString());
        return false;
    }
    request->type = Type(type);
    request->uid = map.value(QStringLiteral("uid")).toString();
    const QVariant requestId = map.value(QStringLiteral("requestId"));
    request->requestId = requestId.isNull() ? QString() : requestId.toString();
    request->hasOptions = map.value(QStringLiteral("opts")).typeId() == QMetaType::QVariantMap;
    if (request->hasOptions && !toOptions(map.value(QStringLiteral("opts")), &request->options, error))
        return false;
    request->rooms = toStringList(map.value(QStringLiteral("rooms")));
    request->sid = map.value(QStringLiteral("sid")).toString();
    request->room = map.value(QStringLiteral("room")).toString();
    request->close = map.value(QStringLiteral("close")).toBool();
    switch (request->type) {
    case Type::ServerSideEmit: {
        const QVariant data = map.value(QStringLiteral("data"));
        if (data.typeId() != QMetaType::QVariantList || data.toList().isEmpty()) {
            *error = QStringLiteral("a server-side emit without [event, ...args]");
            return false;
        }
        request->data = data.toList();
        break;
    }
    case Type::Broadcast:
        if (!request->hasOptions)
            request->options = QSocketIoBroadcastOptions();
        if (!toPacket(map.value(QStringLiteral("packet")), QStringLiteral("/"), &request->packet, error))
            return false;
        break;
    case Type::RemoteFetch:
        if (!request->hasOptions) {
            *error = QStringLiteral("fetchSockets request without opts");
            return false;
        }
        break;
    default:
        break;
    }
    return true;
}

QByteArray encodeResponse(const Response &response)
{
    using Type = QSocketIoClusterAdapter::RequestType;
    QVariantMap map{{QStringLiteral("requestId"), response.requestId}};
    switch (response.type) {
    case Type::Sockets:
        map.insert(QStringLiteral("sockets"), response.ids);
        break;
    case Type::AllRooms:
        map.insert(QStringLiteral("rooms"), response.ids);
        break;
    case Type::RemoteFetch: {
        map.insert(QStringLiteral("sockets"), fromRemoteSockets(response.sockets));
        break;
    }
    case Type::ServerSideEmit:
        map.insert(QStringLiteral("type"), int(response.type));
        map.insert(QStringLiteral("data"), response.data);
        break;
    case Type::BroadcastClientCount:
        map.insert(QStringLiteral("type"), int(response.type));
        map.insert(QStringLiteral("clientCount"), response.clientCount);
        break;
    case Type::BroadcastAck:
        // MessagePack: the answer may hold binary.
        map.insert(QStringLiteral("type"), int(response.type));
        map.insert(QStringLiteral("packet"), response.data);
        return QSocketIoMsgpack::pack(map);
    default:
        break;
    }
    return toJson(map);
}

bool decodeResponse(const QByteArray &bytes, Response *response, QString *error)
{
    using Type = QSocketIoClusterAdapter::RequestType;
    QVariantMap map;
    if (!decodeMap(bytes, &map, error))
        return false;
    response->requestId = map.value(QStringLiteral("requestId")).toString();
    if (response->requestId.isEmpty()) {
        *error = QStringLiteral("a response without requestId");
        return false;
    }
    bool hasType = false;
    const int type = map.value(QStringLiteral("type")).toInt(&hasType);
    response->type = hasType ? Type(type) : Type::RemoteFetch;
    response->clientCount = map.value(QStringLiteral("clientCount")).toInt();
    if (response->type == Type::BroadcastAck)
        response->data = map.value(QStringLiteral("packet"));
    else
        response->data = map.value(QStringLiteral("data"));
    const QVariant sockets = map.value(QStringLiteral("sockets"));
    response->hasSockets = sockets.typeId() == QMetaType::QVariantList;
    for (const QVariant &entry : sockets.toList()) {
        if (entry.typeId() != QMetaType::QVariantMap) {
            response->ids.append(entry.toString());
            continue;
        }
        response->sockets.append(toRemoteSocket(entry.toMap()));
    }
    return true;
}

} // namespace QSocketIoRedisMessages
