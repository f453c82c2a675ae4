// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOREDISSTREAMSMESSAGES_P_H
#define QSOCKETIOREDISSTREAMSMESSAGES_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include "qsocketioclustermessages_p.h"

#include <QtSocketIo/qsocketiosessionstore.h>

#include <QtCore/qbytearray.h>
#include <QtCore/qlist.h>
#include <QtCore/qpair.h>
#include <QtCore/qvariant.h>

// The stream entries of @socket.io/redis-streams-adapter 0.2 and 0.3 (socket.io-adapter's ClusterAdapter
// messages): one entry per message with the fields uid, nsp, type (a decimal string) and, when there is one,
// data: JSON text (an object, so it starts with '{'), or base64 of MessagePack when the message may hold
// binary and does. And the sessions of connection state recovery: base64 of MessagePack {sid, pid, rooms, data}
// under "<sessionKeyPrefix><pid>". Decoding refuses, with a reason, whatever another Redis client could have
// written that is not that (wrong types, sizes past the bounds below, unknown message types).
namespace QSocketIoRedisStreamsMessages {

using Fields = QList<QPair<QByteArray, QByteArray>>;

// Bounds on what is read back from Redis.
constexpr qsizetype MaxFields = 16;                      // an entry has 3 or 4
constexpr qsizetype MaxEntryBytes = 16 * 1024 * 1024;    // the data field, and a session
constexpr qsizetype MaxIdBytes = 64;                     // uid, type, a stream id

Fields encode(const QVariantMap &message);
// Into the map QSocketIoClusterMessages::decode() takes ({uid, nsp, type, data}).
bool decode(const Fields &fields, QVariantMap *message, QString *error);

// A message of 0.3 on one of its pub/sub channels ("<prefix>#<nsp>#", "<prefix>#<nsp>#<uid>#"): MessagePack of
// the whole map {uid, nsp, type, data}, at most MaxEntryBytes, into the map QSocketIoClusterMessages::decode()
// takes.
bool decodePublished(const QByteArray &payload, QVariantMap *message, QString *error);

QByteArray encodeSession(const QSocketIoStoredSession &session);
bool decodeSession(const QByteArray &text, QSocketIoStoredSession *session, QString *error);

// "<ms>-<seq>", both decimal (what XADD * gives).
bool isStreamId(const QByteArray &id);
// The id just after id (XRANGE's start is inclusive).
QByteArray nextStreamId(const QByteArray &id);

// Whether a session in sessionRooms would have received a broadcast to options (the missed packets).
bool sessionReceives(const QStringList &sessionRooms, const QSocketIoBroadcastOptions &options);

} // namespace QSocketIoRedisStreamsMessages

#endif
