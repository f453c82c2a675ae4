// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOPOSTGRESMESSAGES_P_H
#define QSOCKETIOPOSTGRESMESSAGES_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include "qsocketioclustermessages_p.h"

#include <QtCore/qbytearray.h>
#include <QtCore/qvariant.h>

// The messages of @socket.io/postgres-adapter 0.5 (socket.io-adapter's ClusterAdapterWithHeartbeat) and
// @socket.io/postgres-emitter 0.1: a map {uid, nsp, type, data}, sent as the JSON payload of a NOTIFY on
// "<channelPrefix>#<nsp>", or, when it holds binary or its JSON is over the threshold, as MessagePack in the
// attachment table with a JSON header {uid, type, attachmentId} as the NOTIFY payload.
namespace QSocketIoPostgresMessages {

// The ClusterAdapter messages themselves are common to every cluster backend.
using QSocketIoClusterMessages::Request;
using QSocketIoClusterMessages::Response;
using QSocketIoClusterMessages::Decoded;
using QSocketIoClusterMessages::MessageType;
using QSocketIoClusterMessages::decode;
using QSocketIoClusterMessages::encodeBroadcast;
using QSocketIoClusterMessages::encodeRequest;
using QSocketIoClusterMessages::encodeResponse;
using QSocketIoClusterMessages::encodeSignal;

// What differs here: the NOTIFY envelope and the attachment table.
// Whether the message goes through the attachment table whatever its size (Node: a broadcast, a
// server-side emit or one of their answers that holds binary).
bool needsAttachment(const QVariantMap &message);
QByteArray toJson(const QVariantMap &message);
// A NOTIFY payload: a JSON object.
bool parseJson(const QByteArray &payload, QVariantMap *message, QString *error);

} // namespace QSocketIoPostgresMessages

#endif
