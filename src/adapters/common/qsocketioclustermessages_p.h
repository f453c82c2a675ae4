// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOCLUSTERMESSAGES_P_H
#define QSOCKETIOCLUSTERMESSAGES_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtSocketIo/qsocketioclusteradapter.h>

#include <QtCore/qstringlist.h>
#include <QtCore/qvariant.h>

// The wire mapping every cluster backend shares, as socket.io-adapter's cluster-adapter.ts writes it once for
// all of them: the broadcast options (encodeOptions/decodeOptions), the packet, the remote socket, and the
// ClusterAdapter messages {uid, nsp, type, data} with their requests and responses. Values are QVariant trees
// that a backend turns into bytes (JSON or MessagePack, see qsocketiomsgpack_p.h); the backends keep only their
// own framing: Redis's classic redis-adapter requests/responses and channels, PostgreSQL's NOTIFY envelope and
// attachment table.
namespace QSocketIoClusterMessages {

using Request = QSocketIoClusterAdapter::Request;
using Response = QSocketIoClusterAdapter::Response;

// --- building blocks ---------------------------------------------------------------------------------------

// Each element as a string (a JavaScript array of room names or ids); anything else is an empty list.
QStringList toStringList(const QVariant &value);

// encodeOptions(): {rooms, except, flags}. The classic Redis requests for join/leave/disconnect/fetch carry
// no flags (WithoutFlags); a flag at its default is left out.
enum class OptionsForm { WithFlags, WithoutFlags };
QVariantMap fromOptions(const QSocketIoBroadcastOptions &options, OptionsForm form = OptionsForm::WithFlags);
// decodeOptions(): refuses a value that is not a map; missing fields take their defaults.
bool toOptions(const QVariant &value, QSocketIoBroadcastOptions *options, QString *error);

// A broadcast packet: always an EVENT {type: 2, data, nsp} (+ id when id >= 0); the receiver's encoder
// makes it a BINARY_EVENT when it holds binary.
QVariantMap fromPacket(const QString &nsp, const QVariant &data, int id = -1);
// Accepts an EVENT or BINARY_EVENT whose data is [event, ...args]; a packet without nsp is in defaultNsp
// (the emitters of old versions leave out the main namespace). The result is an EVENT without an ack id.
bool toPacket(const QVariant &value, const QString &defaultNsp, QSocketIoBroadcastPacket *packet,
              QString *error);

// A fetchSockets() answer entry: {id, handshake, rooms, data}.
QVariantMap fromRemoteSocket(const QSocketIoRemoteSocket &socket);
QSocketIoRemoteSocket toRemoteSocket(const QVariantMap &map);
QVariantList fromRemoteSockets(const QList<QSocketIoRemoteSocket> &sockets);

// --- socket.io-adapter's ClusterAdapter messages -------------------------------------------------------------

// MessageType of cluster-adapter.ts.
enum class MessageType {
    InitialHeartbeat = 1,
    Heartbeat = 2,
    Broadcast = 3,
    SocketsJoin = 4,
    SocketsLeave = 5,
    DisconnectSockets = 6,
    FetchSockets = 7,
    FetchSocketsResponse = 8,
    ServerSideEmit = 9,
    ServerSideEmitResponse = 10,
    BroadcastClientCount = 11,
    BroadcastAck = 12,
    AdapterClose = 13,
};

// {uid, nsp, type} (no data): a heartbeat or the adapter's close.
QVariantMap encodeSignal(MessageType type, const QString &uid, const QString &nsp);
QVariantMap encodeBroadcast(const QString &uid, const QString &nsp, const QSocketIoBroadcastPacket &packet,
                            const QSocketIoBroadcastOptions &options);
// An empty map for the requests that only the classic Redis adapter knows (Sockets, AllRooms, ...).
QVariantMap encodeRequest(const QString &nsp, const Request &request);
QVariantMap encodeResponse(const QString &uid, const QString &nsp, const Response &response);

// What one decoded message asks this node to do.
struct Decoded
{
    MessageType type = MessageType::Heartbeat;
    QString uid;
    enum Kind { Signal, Broadcast, Request, Response } kind = Signal;
    QSocketIoBroadcastPacket packet;        // Broadcast
    QSocketIoBroadcastOptions options;       // Broadcast
    QSocketIoClusterAdapter::Request request;
    QSocketIoClusterAdapter::Response response;
};
bool decode(const QVariantMap &message, Decoded *decoded, QString *error);

} // namespace QSocketIoClusterMessages

#endif
