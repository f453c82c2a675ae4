// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qsocketioredismessages_p.h"

#include <QtCore/qjsonarray.h>
#include <QtCore/qjsondocument.h>
#include <QtCore/qjsonobject.h>

#include <msgpack.hpp>

#include <exception>

using namespace QSocketIoProtocol;

namespace QSocketIoRedisMessages {

namespace {

// Bounds on what one message may unpack to: a broken or hostile message is refused, not followed.
constexpr std::size_t MaxElements = 1 << 20;
constexpr std::size_t MaxBytes = 256u << 20;
constexpr std::size_t MaxDepth = 64;

using Packer = msgpack::packer<msgpack::sbuffer>;

void packString(Packer &pk, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    pk.pack_str(uint32_t(utf8.size()));
    pk.pack_str_body(utf8.constData(), uint32_t(utf8.size()));
}

void pack(Packer &pk, const QVariant &value, int depth = 0)
{
    if (depth > int(MaxDepth)) {
        pk.pack_nil();
        return;
    }
    switch (value.typeId()) {
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
        pk.pack_nil();
        return;
    case QMetaType::Bool:
        value.toBool() ? pk.pack_true() : pk.pack_false();
        return;
    case QMetaType::Int:
    case QMetaType::Short:
    case QMetaType::SChar:
    case QMetaType::Char:
    case QMetaType::Long:
    case QMetaType::LongLong:
        pk.pack_int64(value.toLongLong());
        return;
    case QMetaType::UInt:
    case QMetaType::UShort:
    case QMetaType::UChar:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
        pk.pack_uint64(value.toULongLong());
        return;
    case QMetaType::Float:
    case QMetaType::Double: {
        // An integral number goes as an integer, as notepack.io writes JavaScript numbers.
        const double d = value.toDouble();
        if (d == double(qint64(d)) && d >= -9007199254740992.0 && d <= 9007199254740992.0)
            pk.pack_int64(qint64(d));
        else
            pk.pack_double(d);
        return;
    }
    case QMetaType::QString:
        packString(pk, value.toString());
        return;
    case QMetaType::QByteArray: {
        const QByteArray bytes = value.toByteArray();
        pk.pack_bin(uint32_t(bytes.size()));
        pk.pack_bin_body(bytes.constData(), uint32_t(bytes.size()));
        return;
    }
    case QMetaType::QStringList: {
        const QStringList list = value.toStringList();
        pk.pack_array(uint32_t(list.size()));
        for (const QString &s : list)
            packString(pk, s);
        return;
    }
    case QMetaType::QVariantList: {
        const QVariantList list = value.toList();
        pk.pack_array(uint32_t(list.size()));
        for (const QVariant &v : list)
            pack(pk, v, depth + 1);
        return;
    }
    case QMetaType::QVariantMap:
    case QMetaType::QVariantHash: {
        const QVariantMap map = value.toMap();
        pk.pack_map(uint32_t(map.size()));
        for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
            packString(pk, it.key());
            pack(pk, it.value(), depth + 1);
        }
        return;
    }
    case QMetaType::QJsonValue:
    case QMetaType::QJsonArray:
    case QMetaType::QJsonObject:
        pack(pk, value.value<QJsonValue>().toVariant(), depth + 1);
        return;
    case QMetaType::QJsonDocument:
        pack(pk, value.value<QJsonDocument>().toVariant(), depth + 1);
        return;
    default:
        if (value.canConvert<QString>())
            packString(pk, value.toString());
        else
            pk.pack_nil();
        return;
    }
}

QVariant toVariant(const msgpack::object &o)
{
    switch (o.type) {
    case msgpack::type::NIL:
        return QVariant::fromValue(nullptr);
    case msgpack::type::BOOLEAN:
        return o.via.boolean;
    case msgpack::type::POSITIVE_INTEGER:
        if (o.via.u64 <= quint64(std::numeric_limits<qint64>::max()))
            return qint64(o.via.u64);
        return quint64(o.via.u64);
    case msgpack::type::NEGATIVE_INTEGER:
        return qint64(o.via.i64);
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64:
        return o.via.f64;
    case msgpack::type::STR:
        return QString::fromUtf8(o.via.str.ptr, qsizetype(o.via.str.size));
    case msgpack::type::BIN:
        return QByteArray(o.via.bin.ptr, qsizetype(o.via.bin.size));
    case msgpack::type::EXT:
        // notepack.io: undefined is fixext 1 of type 0 (one zero byte), an ArrayBuffer is ext type 0.
        if (o.via.ext.type() == 0) {
            if (o.via.ext.size == 1 && o.via.ext.data()[0] == 0)
                return QVariant::fromValue(nullptr);
            return QByteArray(o.via.ext.data(), qsizetype(o.via.ext.size));
        }
        return QVariant::fromValue(nullptr);
    case msgpack::type::ARRAY: {
        QVariantList list;
        list.reserve(qsizetype(o.via.array.size));
        for (uint32_t i = 0; i < o.via.array.size; ++i)
            list.append(toVariant(o.via.array.ptr[i]));
        return list;
    }
    case msgpack::type::MAP: {
        QVariantMap map;
        for (uint32_t i = 0; i < o.via.map.size; ++i) {
            const msgpack::object_kv &kv = o.via.map.ptr[i];
            const QVariant key = toVariant(kv.key);
            map.insert(key.toString(), toVariant(kv.val));
        }
        return map;
    }
    }
    return QVariant();
}

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

QVariantMap fromPacket(const Packet &packet)
{
    QVariantMap map{{QStringLiteral("type"), int(PacketType::Event)},
                    {QStringLiteral("data"), packet.data},
                    {QStringLiteral("nsp"), packet.nsp}};
    if (packet.id >= 0)
        map.insert(QStringLiteral("id"), packet.id);
    return map;
}

bool toPacket(const QVariant &value, Packet *packet, QString *error)
{
    if (value.typeId() != QMetaType::QVariantMap) {
        *error = QStringLiteral("the packet is not a map");
        return false;
    }
    const QVariantMap map = value.toMap();
    const int type = map.value(QStringLiteral("type")).toInt();
    if (type != int(PacketType::Event) && type != int(PacketType::BinaryEvent)) {
        *error = QStringLiteral("packet type %1 cannot be broadcast").arg(type);
        return false;
    }
    const QVariant data = map.value(QStringLiteral("data"));
    if (data.typeId() != QMetaType::QVariantList || data.toList().isEmpty()
        || data.toList().first().typeId() != QMetaType::QString) {
        *error = QStringLiteral("the packet data is not [event, ...args]");
        return false;
    }
    packet->type = PacketType::Event;   // the encoder makes it binary when it holds binary
    packet->data = data;
    // The emitter of old versions leaves out the main namespace.
    packet->nsp = map.value(QStringLiteral("nsp"), QStringLiteral("/")).toString();
    packet->id = -1;
    return true;
}

} // namespace

QByteArray packMsgpack(const QVariant &value)
{
    msgpack::sbuffer buffer;
    Packer pk(&buffer);
    pack(pk, value);
    return QByteArray(buffer.data(), qsizetype(buffer.size()));
}

bool unpackMsgpack(const QByteArray &bytes, QVariant *value, QString *error)
{
    if (bytes.isEmpty()) {
        *error = QStringLiteral("empty message");
        return false;
    }
    try {
        std::size_t offset = 0;
        const msgpack::unpack_limit limit(MaxElements, MaxElements, MaxBytes, MaxBytes, MaxBytes, MaxDepth);
        msgpack::object_handle handle = msgpack::unpack(bytes.constData(), std::size_t(bytes.size()), offset,
                                                        nullptr, nullptr, limit);
        if (offset != std::size_t(bytes.size())) {
            *error = QStringLiteral("%1 bytes after the MessagePack value").arg(bytes.size() - qsizetype(offset));
            return false;
        }
        *value = toVariant(handle.get());
        return true;
    } catch (const std::exception &e) {
        *error = QStringLiteral("invalid MessagePack: ") + QString::fromUtf8(e.what());
        return false;
    }
}

QByteArray encodeBroadcast(const QString &uid, const Packet &packet, const QSocketIoBroadcastOptions &options)
{
    return packMsgpack(QVariantList{uid, fromPacket(packet), fromOptions(options, true)});
}

bool decodeBroadcast(const QByteArray &bytes, QString *uid, Packet *packet, QSocketIoBroadcastOptions *options,
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
