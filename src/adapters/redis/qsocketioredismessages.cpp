// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qsocketioredismessages_p.h"
#include "qsocketiomsgpack_p.h"

#include <QtCore/qjsonarray.h>
#include <QtCore/qjsondocument.h>
#include <QtCore/qjsonobject.h>



namespace {
// socket.io-parser's packet types that a broadcast carries (QSocketIoBroadcastPacket is always an EVENT; the
// receiver's encoder makes it a BINARY_EVENT when it holds binary).
constexpr int EventPacketType = 2;
constexpr int BinaryEventPacketType = 5;
} // namespace

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
        const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
        if (!document.isObject()) {
            *error = QStringLiteral("invalid JSON: ") + parseError.errorString();
            return false;
        }
        *map = document.object().toVariantMap();
        return true;
    }
    QVariant value;
    if (!unpackMsgpack(bytes, &value, error))
        return false;
    if (value.typeId() != QMetaType::QVariantMap) {
        *error = QStringLiteral("not a map");
        return false;
    }
    *map = value.toMap();
    return true;
}

QStringList toStringList(const QVariant &value)
{
    QStringList out;
    for (const QVariant &v : value.toList())
        out.append(v.toString());
    return out;
}

QVariantMap fromOptions(const QSocketIoBroadcastOptions &options, bool withFlags)
{
    QVariantMap map{{QStringLiteral("rooms"), options.rooms}, {QStringLiteral("except"), options.except}};
    if (withFlags) {
        QVariantMap flags;
        if (options.isVolatile)
            flags.insert(QStringLiteral("volatile"), true);
        if (!options.compress)
            flags.insert(QStringLiteral("compress"), false);
        if (options.timeout >= 0)
            flags.insert(QStringLiteral("timeout"), options.timeout);
        map.insert(QStringLiteral("flags"), flags);
    }
    return map;
}

QSocketIoBroadcastOptions toOptions(const QVariantMap &map)
{
    QSocketIoBroadcastOptions options;
    options.rooms = toStringList(map.value(QStringLiteral("rooms")));
    options.except = toStringList(map.value(QStringLiteral("except")));
    const QVariantMap flags = map.value(QStringLiteral("flags")).toMap();
    options.isVolatile = flags.value(QStringLiteral("volatile")).toBool();
    options.compress = flags.value(QStringLiteral("compress"), true).toBool();
    options.local = flags.value(QStringLiteral("local")).toBool();
    bool ok = false;
    const int timeout = flags.value(QStringLiteral("timeout")).toInt(&ok);
    options.timeout = ok ? timeout : -1;
    return options;
}

QVariantMap fromPacket(const QSocketIoBroadcastPacket &packet)
{
    QVariantMap map{{QStringLiteral("type"), EventPacketType},
                    {QStringLiteral("data"), packet.data},
                    {QStringLiteral("nsp"), packet.nsp}};
    if (packet.id >= 0)
        map.insert(QStringLiteral("id"), packet.id);
    return map;
}

bool toPacket(const QVariant &value, QSocketIoBroadcastPacket *packet, QString *error)
{
    if (value.typeId() != QMetaType::QVariantMap) {
        *error = QStringLiteral("the packet is not a map");
        return false;
    }
    const QVariantMap map = value.toMap();
    const int type = map.value(QStringLiteral("type")).toInt();
    if (type != EventPacketType && type != BinaryEventPacketType) {
        *error = QStringLiteral("packet type %1 cannot be broadcast").arg(type);
        return false;
    }
    const QVariant data = map.value(QStringLiteral("data"));
    if (data.typeId() != QMetaType::QVariantList || data.toList().isEmpty()
        || data.toList().first().typeId() != QMetaType::QString) {
        *error = QStringLiteral("the packet data is not [event, ...args]");
        return false;
    }
    packet->data = data.toList();
    // The emitter of old versions leaves out the main namespace.
    packet->nsp = map.value(QStringLiteral("nsp"), QStringLiteral("/")).toString();
    packet->id = -1;
    return true;
}

} // namespace

QByteArray packMsgpack(const QVariant &value)
{
    return QSocketIoMsgpack::pack(value);
}

bool unpackMsgpack(const QByteArray &bytes, QVariant *value, QString *error)
{
    return QSocketIoMsgpack::unpack(bytes, value, error);
}

QByteArray encodeBroadcast(const QString &uid, const QSocketIoBroadcastPacket &packet,
                           const QSocketIoBroadcastOptions &options)
{
    return packMsgpack(QVariantList{uid, fromPacket(packet), fromOptions(options, true)});
}

bool decodeBroadcast(const QByteArray &bytes, QString *uid, QSocketIoBroadcastPacket *packet,
                     QSocketIoBroadcastOptions *options,
                     QString *error)
{
    QVariant value;
    if (!unpackMsgpack(bytes, &value, error))
        return false;
    const QVariantList list = value.toList();
    if (value.typeId() != QMetaType::QVariantList || list.size() < 3) {
        *error = QStringLiteral("a broadcast is not [uid, packet, opts]");
        return false;
    }
    *uid = list.at(0).toString();
    if (!toPacket(list.at(1), packet, error))
        return false;
    if (list.at(2).typeId() != QMetaType::QVariantMap) {
        *error = QStringLiteral("the broadcast options are not a map");
        return false;
    }
    *options = toOptions(list.at(2).toMap());
    return true;
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
        map.insert(QStringLiteral("opts"), fromOptions(request.options, false));
        map.insert(QStringLiteral("rooms"), request.rooms);
        break;
    case Type::RemoteDisconnect:
        map.insert(QStringLiteral("opts"), fromOptions(request.options, false));
        map.insert(QStringLiteral("close"), request.close);
        break;
    case Type::RemoteFetch:
        map.insert(QStringLiteral("opts"), fromOptions(request.options, false));
        break;
    case Type::ServerSideEmit:
        map.insert(QStringLiteral("data"), request.data);
        break;
    case Type::Broadcast:
        // MessagePack: the packet may hold binary.
        map.insert(QStringLiteral("packet"), fromPacket(request.packet));
        map.insert(QStringLiteral("opts"), fromOptions(request.options, true));
        return packMsgpack(map);
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
    if (request->hasOptions)
        request->options = toOptions(map.value(QStringLiteral("opts")).toMap());
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
        if (!toPacket(map.value(QStringLiteral("packet")), &request->packet, error))
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
        QVariantList sockets;
        for (const QSocketIoRemoteSocket &socket : response.sockets) {
            sockets.append(QVariantMap{{QStringLiteral("id"), socket.id()},
                                       {QStringLiteral("handshake"), socket.handshake()},
                                       {QStringLiteral("rooms"), socket.rooms()},
                                       {QStringLiteral("data"), socket.data()}});
        }
        map.insert(QStringLiteral("sockets"), sockets);
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
        return packMsgpack(map);
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
        const QVariantMap socket = entry.toMap();
        response->sockets.append(QSocketIoRemoteSocket(socket.value(QStringLiteral("id")).toString(),
                                                       socket.value(QStringLiteral("handshake")).toMap(),
                                                       toStringList(socket.value(QStringLiteral("rooms"))),
                                                       socket.value(QStringLiteral("data"))));
    }
    return true;
}

} // namespace QSocketIoRedisMessages
