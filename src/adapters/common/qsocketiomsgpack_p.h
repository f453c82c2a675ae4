// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOMSGPACK_P_H
#define QSOCKETIOMSGPACK_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtCore/qbytearray.h>
#include <QtCore/qvariant.h>

// MessagePack <-> QVariant for the cluster adapters (part of qtsocketio_clustercodec, which the adapter
// components link and which links msgpack-cxx; Core does not). Binary is a QByteArray both ways; an integral double goes as an integer, as the
// JavaScript encoders write numbers. Unpacking reads standard MessagePack and notepack.io's forms (an ArrayBuffer
// as ext type 0, undefined as fixext 1 type 0: null), within bounds on size, element count and depth; anything
// else is refused with a reason.
namespace QSocketIoMsgpack {

QByteArray pack(const QVariant &value);
bool unpack(const QByteArray &bytes, QVariant *value, QString *error);
// Whether a value holds a QByteArray anywhere (within the same depth bound).
bool containsBinary(const QVariant &value, int depth = 0);

} // namespace QSocketIoMsgpack

#endif
