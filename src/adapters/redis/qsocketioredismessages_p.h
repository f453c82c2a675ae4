// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOREDISMESSAGES_P_H
#define QSOCKETIOREDISMESSAGES_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include "qsocketioclustermessages_p.h"

#include <QtCore/qbytearray.h>
#include <QtCore/qvariant.h>

// The messages of @socket.io/redis-adapter 8.x (classic) and @socket.io/redis-emitter 5.x, as bytes:
// - a broadcast: MessagePack [uid, packet, opts] on "<key>#<nsp>#" (+ "<room>#");
// - a request: JSON, or MessagePack for a broadcast with acks (its packet may hold binary);
// - a response: JSON, or MessagePack for a broadcast ack.
// Decoding takes both standard MessagePack and notepack.io's forms (binary as ext type 0, undefined as
// fixext 1), bounded in size and depth; anything else is refused with a reason. The options, the packet and
// the remote sockets inside them have the shapes common to every cluster backend (qsocketioclustermessages_p.h).
namespace QSocketIoRedisMessages {

using Request = QSocketIoClusterAdapter::Request;
using Response = QSocketIoClusterAdapter::Response;

QByteArray encodeBroadcast(const QString &uid, const QSocketIoBroadcastPacket &packet,
                           const QSocketIoBroadcastOptions &options);
bool decodeBroadcast(const QByteArray &bytes, QString *uid, QSocketIoBroadcastPacket *packet,
                     QSocketIoBroadcastOptions *options, QString *error);

QByteArray encodeRequest(const Request &request);
bool decodeRequest(const QByteArray &bytes, Request *request, QString *error);

QByteArray encodeResponse(const Response &response);
// The request id alone (so that answers to other nodes are dropped without decoding them further).
bool decodeResponse(const QByteArray &bytes, Response *response, QString *error);

} // namespace QSocketIoRedisMessages

#endif
