// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOPACKETV2_P_H
#define QSOCKETIOPACKETV2_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include "protocol/qsocketiopacket_p.h"

#include <QtCore/qvariant.h>

// The dialect of Socket.IO protocol v4 (socket.io 2.x, socket.io-client 2.x), spoken on Engine.IO v3 sessions.
// EVENT, ACK, BINARY_EVENT, BINARY_ACK and DISCONNECT have the same wire form as in v5 ("2/chat,12[...]",
// "51-[...]" with placeholders): encode() and Decoder serve both dialects for them, so a broadcast encoded once
// reaches v2 and v4 clients alike. What differs is the connection to a namespace:
//  - the main namespace "/" is joined implicitly: the server sends CONNECT ("0") as soon as the session opens,
//    and the client never asks;
//  - the client's CONNECT to another namespace carries no payload, but its query after the name
//    ("0/chat?token=abc,"); socket.io 4 hands that query to the middleware as the auth object;
//  - the server's CONNECT carries no payload (no {"sid": ...});
//  - a refusal is an ERROR packet (type 4) holding a JSON string ("44/chat,\"Invalid namespace\"") or the data
//    the middleware gave, where v5 sends {"message": ..., "data": ...}.
namespace QSocketIoProtocol::V2 {

// The server's CONNECT for nsp, with no payload.
Packet connectPacket(const QString &nsp);

// The ERROR packet of a refused CONNECT: the data the middleware gave when it is valid, else the message.
Packet connectErrorPacket(const QString &nsp, const QString &message, const QVariant &data = QVariant());

// Splits the namespace of a v2 CONNECT ("/chat?token=abc&x=1") into the name and its query (values are
// percent-decoded strings; a key given twice keeps its last value, as Node's querystring would give an array
// there; this keeps it a string).
void splitNamespace(const QString &nspWithQuery, QString *nsp, QVariantMap *query);

} // namespace QSocketIoProtocol::V2

#endif
