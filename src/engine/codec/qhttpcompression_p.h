// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QHTTPCOMPRESSION_P_H
#define QHTTPCOMPRESSION_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtCore/qbytearray.h>
#include <QtCore/qbytearrayview.h>

// HTTP content codings for response bodies (RFC 9110 §8.4), on zlib: the polling transport's httpCompression
// and the client bundles served by serveClient.
namespace QHttpCompression {

enum class Coding { Identity, Gzip, Deflate };

// The coding to answer a request with, from its Accept-Encoding value: gzip, else deflate, when the client
// accepts it with a non-zero quality (directly or through "*"); Identity otherwise (also for a null value).
Coding negotiate(QByteArrayView acceptEncoding);

// The Content-Encoding token of a coding ("gzip", "deflate"); empty for Identity.
QByteArray token(Coding coding);

// The body compressed with the coding ("deflate" is the zlib format, RFC 1950, as HTTP means it). A null
// QByteArray when zlib fails (the caller then sends the body as it is). Identity returns the body unchanged.
QByteArray compress(const QByteArray &body, Coding coding, int level = -1);

} // namespace QHttpCompression

#endif
