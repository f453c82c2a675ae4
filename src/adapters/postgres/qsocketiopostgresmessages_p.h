// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOPOSTGRESMESSAGES_P_H
#define QSOCKETIOPOSTGRESMESSAGES_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtSocketIo/qsocketioclusteradapter.h>

#include <QtCore/qbytearray.h>
#include <QtCore/qvariant.h>

// The messages of @socket.io/postgres-adapter 0.5 (socket.io-adapter's ClusterAdapterWithHeartbeat) and
// @socket.io/postgres-emitter 0.1: a map {uid, nsp, type, data}, sent as the JSON payload of a NOTIFY on
// "<channelPrefix>#<nsp>", or, when it holds binary or its JSON is over the threshold, as MessagePack in the
// attachment table with a JSON header {uid, type, attachmentId} as the NOTIFY payload.
namespace QSocketIoPostgresMessages {

using Request = QSocketIoClusterAdapter::Request;
using Response = QSocketIoClusterAdapter::Response;

// socket.io-adapter's MessageType.
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

QVariantMap encodeSignal(MessageType type, const QString &uid, const QString &nsp);
QVariantMap encodeBroadcast(const QString &uid, const QString &nsp, const QSocketIoBroadcastPacket &packet,
                            const QSocketIoBroadcastOptions &options);
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

// Whether the message goes through the attachment table whatever its size (Node: a broadcast, a
// server-side emit or one of their answers that holds binary).
bool needsAttachment(const QVariantMap &message);
QByteArray toJson(const QVariantMap &message);
// A NOTIFY payload: a JSON object.
bool parseJson(const QByteArray &payload, QVariantMap *message, QString *error);

QByteArray packMsgpack(const QVariant &value);
bool unpackMsgpack(const QByteArray &bytes, QVariant *value, QString *error);

} // namespace QSocketIoPostgresMessages

#endif
