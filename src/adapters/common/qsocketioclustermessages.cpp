// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qsocketioclustermessages_p.h"

// The Socket.IO packet types a cluster carries (socket.io-parser's PacketType).
static constexpr int EventPacketType = 2;
static constexpr int BinaryEventPacketType = 5;

namespace QSocketIoClusterMessages {

QStringList toStringList(const QVariant &value)
{
    QStringList out;
    for (const QVariant &v : value.toList())
        out.append(v.toString());
    return out;
}

QVariantMap fromOptions(const QSocketIoBroadcastOptions &options, OptionsForm form)
{
    QVariantMap map{{QStringLiteral("rooms"), options.rooms}, {QStringLiteral("except"), options.except}};
    if (form == OptionsForm::WithFlags) {
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

bool toOptions(const QVariant &value, QSocketIoBroadcastOptions *options, QString *error)
{
    if (value.typeId() != QMetaType::QVariantMap) {
        *error = QStringLiteral("opts is not a map");
        return false;
    }
    const QVariantMap map = value.toMap();
    *options = QSocketIoBroadcastOptions();
    options->rooms = toStringList(map.value(QStringLiteral("rooms")));
    options->except = toStringList(map.value(QStringLiteral("except")));
    const QVariantMap flags = map.value(QStringLiteral("flags")).toMap();
    options->isVolatile = flags.value(QStringLiteral("volatile")).toBool();
    options->compress = flags.value(QStringLiteral("compress"), true).toBool();
    options->local = flags.value(QStringLiteral("local")).toBool();
    bool ok = false;
    const int timeout = flags.value(QStringLiteral("timeout")).toInt(&ok);
    options->timeout = ok ? timeout : -1;
    return true;
}

QVariantMap fromPacket(const QString &nsp, const QVariant &data, int id)
{
    QVariantMap map{{QStringLiteral("type"), EventPacketType},
                    {QStringLiteral("data"), data},
                    {QStringLiteral("nsp"), nsp}};
    if (id >= 0)
        map.insert(QStringLiteral("id"), id);
    return map;
}

bool toPacket(const QVariant &value, const QString &defaultNsp, QSocketIoBroadcastPacket *packet, QString *error)
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
    packet->data = data.toList();   // sent as EVENT, or BINARY_EVENT when it holds binary
    packet->nsp = map.value(QStringLiteral("nsp"), defaultNsp).toString();
    packet->id = -1;
    return true;
}

QVariantMap fromRemoteSocket(const QSocketIoRemoteSocket &socket)
{
    return {{QStringLiteral("id"), socket.id()},
            {QStringLiteral("handshake"), socket.handshake()},
            {QStringLiteral("rooms"), socket.rooms()},
            {QStringLiteral("data"), socket.data()}};
}

QSocketIoRemoteSocket toRemoteSocket(const QVariantMap &map)
{
    return QSocketIoRemoteSocket(map.value(QStringLiteral("id")).toString(),
                                 map.value(QStringLiteral("handshake")).toMap(),
                                 toStringList(map.value(QStringLiteral("rooms"))),
                                 map.value(QStringLiteral("data")));
}

QVariantList fromRemoteSockets(const QList<QSocketIoRemoteSocket> &sockets)
{
    QVariantList out;
    out.reserve(sockets.size());
    for (const QSocketIoRemoteSocket &socket : sockets)
        out.append(fromRemoteSocket(socket));
    return out;
}

namespace {

QVariantMap message(MessageType type, const QString &uid, const QString &nsp, const QVariantMap &data = {})
{
    QVariantMap map{{QStringLiteral("uid"), uid}, {QStringLiteral("nsp"), nsp}, {QStringLiteral("type"), int(type)}};
    if (!data.isEmpty())
        map.insert(QStringLiteral("data"), data);
    return map;
}

} // namespace

QVariantMap encodeSignal(MessageType type, const QString &uid, const QString &nsp)
{
    return message(type, uid, nsp);
}

QVariantMap encodeBroadcast(const QString &uid, const QString &nsp, const QSocketIoBroadcastPacket &packet,
                            const QSocketIoBroadcastOptions &options)
{
    return message(MessageType::Broadcast, uid, nsp,
                   {{QStringLiteral("packet"), fromPacket(nsp, packet.data)},
                    {QStringLiteral("opts"), fromOptions(options)}});
}

QVariantMap encodeRequest(const QString &nsp, const Request &request)
{
    using Type = QSocketIoClusterAdapter::RequestType;
    QVariantMap data;
    MessageType type = MessageType::Broadcast;
    switch (request.type) {
    case Type::Broadcast:
        type = MessageType::Broadcast;
        data.insert(QStringLiteral("packet"), fromPacket(nsp, request.packet.data));
        data.insert(QStringLiteral("opts"), fromOptions(request.options));
        break;
    case Type::RemoteJoin:
    case Type::RemoteLeave:
        type = request.type == Type::RemoteJoin ? MessageType::SocketsJoin : MessageType::SocketsLeave;
        data.insert(QStringLiteral("opts"), fromOptions(request.options));
        data.insert(QStringLiteral("rooms"), request.rooms);
        break;
    case Type::RemoteDisconnect:
        type = MessageType::DisconnectSockets;
        data.insert(QStringLiteral("opts"), fromOptions(request.options));
        data.insert(QStringLiteral("close"), request.close);
        break;
    case Type::RemoteFetch:
        type = MessageType::FetchSockets;
        data.insert(QStringLiteral("opts"), fromOptions(request.options));
        break;
    case Type::ServerSideEmit:
        type = MessageType::ServerSideEmit;
        data.insert(QStringLiteral("packet"), request.data);
        break;
    default:
        return {};   // the Redis-only requests have no ClusterAdapter form
    }
    // The presence of requestId asks for answers.
    if (!request.requestId.isEmpty())
        data.insert(QStringLiteral("requestId"), request.requestId);
    return message(type, request.uid, nsp, data);
}

QVariantMap encodeResponse(const QString &uid, const QString &nsp, const Response &response)
{
    using Type = QSocketIoClusterAdapter::RequestType;
    QVariantMap data{{QStringLiteral("requestId"), response.requestId}};
    switch (response.type) {
    case Type::RemoteFetch:
        data.insert(QStringLiteral("sockets"), fromRemoteSockets(response.sockets));
        return message(MessageType::FetchSocketsResponse, uid, nsp, data);
    case Type::ServerSideEmit:
        data.insert(QStringLiteral("packet"), response.data);
        return message(MessageType::ServerSideEmitResponse, uid, nsp, data);
    case Type::BroadcastClientCount:
        data.insert(QStringLiteral("clientCount"), response.clientCount);
        return message(MessageType::BroadcastClientCount, uid, nsp, data);
    case Type::BroadcastAck:
        data.insert(QStringLiteral("packet"), response.data);
        return message(MessageType::BroadcastAck, uid, nsp, data);
    default:
        return {};
    }
}

bool decode(const QVariantMap &map, Decoded *decoded, QString *error)
{
    using Type = QSocketIoClusterAdapter::RequestType;
    bool ok = false;
    const int type = map.value(QStringLiteral("type")).toInt(&ok);
    if (!ok || type < int(MessageType::InitialHeartbeat) || type > int(MessageType::AdapterClose)) {
        *error = QStringLiteral("unknown message type %1").arg(map.value(QStringLiteral("type")).toString());
        return false;
    }
    decoded->type = MessageType(type);
    decoded->uid = map.value(QStringLiteral("uid")).toString();
    const QString nsp = map.value(QStringLiteral("nsp")).toString();
    const QVariant dataValue = map.value(QStringLiteral("data"));
    const QVariantMap data = dataValue.toMap();
    const bool needsData = decoded->type != MessageType::InitialHeartbeat && decoded->type != MessageType::Heartbeat
            && decoded->type != MessageType::AdapterClose;
    if (needsData && dataValue.typeId() != QMetaType::QVariantMap) {
        *error = QStringLiteral("message type %1 without data").arg(type);
        return false;
    }
    const QVariant requestIdValue = data.value(QStringLiteral("requestId"));
    const QString requestId = requestIdValue.isNull() ? QString() : requestIdValue.toString();
    Request &request = decoded->request;
    Response &response = decoded->response;
    request.uid = decoded->uid;
    request.requestId = requestId;
    response.requestId = requestId;
    response.uid = decoded->uid;   // answers are matched to the nodes that owe them
    auto needRequestId = [&] {
        if (requestId.isEmpty())
            *error = QStringLiteral("message type %1 without requestId").arg(type);
        return !requestId.isEmpty();
    };
    switch (decoded->type) {
    case MessageType::InitialHeartbeat:
    case MessageType::Heartbeat:
    case MessageType::AdapterClose:
        decoded->kind = Decoded::Signal;
        return true;
    case MessageType::Broadcast:
        if (requestId.isEmpty()) {
            decoded->kind = Decoded::Broadcast;
            return toPacket(data.value(QStringLiteral("packet")), nsp, &decoded->packet, error)
                    && toOptions(data.value(QStringLiteral("opts")), &decoded->options, error);
        }
        decoded->kind = Decoded::Request;
        request.type = Type::Broadcast;
        request.hasOptions = true;
        return toPacket(data.value(QStringLiteral("packet")), nsp, &request.packet, error)
                && toOptions(data.value(QStringLiteral("opts")), &request.options, error);
    case MessageType::SocketsJoin:
    case MessageType::SocketsLeave:
        decoded->kind = Decoded::Request;
        request.type = decoded->type == MessageType::SocketsJoin ? Type::RemoteJoin : Type::RemoteLeave;
        request.hasOptions = true;
        request.rooms = toStringList(data.value(QStringLiteral("rooms")));
        return toOptions(data.value(QStringLiteral("opts")), &request.options, error);
    case MessageType::DisconnectSockets:
        decoded->kind = Decoded::Request;
        request.type = Type::RemoteDisconnect;
        request.hasOptions = true;
        request.close = data.value(QStringLiteral("close")).toBool();
        return toOptions(data.value(QStringLiteral("opts")), &request.options, error);
    case MessageType::FetchSockets:
        decoded->kind = Decoded::Request;
        request.type = Type::RemoteFetch;
        request.hasOptions = true;
        return needRequestId() && toOptions(data.value(QStringLiteral("opts")), &request.options, error);
    case MessageType::ServerSideEmit: {
        decoded->kind = Decoded::Request;
        request.type = Type::ServerSideEmit;
        const QVariant packet = data.value(QStringLiteral("packet"));
        if (packet.typeId() != QMetaType::QVariantList || packet.toList().isEmpty()) {
            *error = QStringLiteral("a server-side emit without [event, ...args]");
            return false;
        }
        request.data = packet.toList();
        return true;
    }
    case MessageType::FetchSocketsResponse: {
        decoded->kind = Decoded::Response;
        response.type = Type::RemoteFetch;
        const QVariant sockets = data.value(QStringLiteral("sockets"));
        if (sockets.typeId() != QMetaType::QVariantList) {
            *error = QStringLiteral("a fetchSockets response without sockets");
            return false;
        }
        response.hasSockets = true;
        for (const QVariant &entry : sockets.toList())
            response.sockets.append(toRemoteSocket(entry.toMap()));
        return needRequestId();
    }
    case MessageType::ServerSideEmitResponse:
    case MessageType::BroadcastAck:
        decoded->kind = Decoded::Response;
        response.type = decoded->type == MessageType::BroadcastAck ? Type::BroadcastAck : Type::ServerSideEmit;
        response.data = data.value(QStringLiteral("packet"));
        return needRequestId();
    case MessageType::BroadcastClientCount:
        decoded->kind = Decoded::Response;
        response.type = Type::BroadcastClientCount;
        response.clientCount = data.value(QStringLiteral("clientCount")).toInt();
        return needRequestId();
    }
    return false;
}

} // namespace QSocketIoClusterMessages
