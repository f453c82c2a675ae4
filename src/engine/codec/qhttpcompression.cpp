// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "engine/codec/qhttpcompression_p.h"

#include <QtCore/qlist.h>

#include <zlib.h>

namespace QHttpCompression {

namespace {

// The quality a client gives a coding: the q of its own entry, else that of "*", else -1 (not named at all).
// "identity" needs no handling here: we only ask about gzip and deflate.
double quality(QByteArrayView acceptEncoding, QByteArrayView coding)
{
    double own = -1;
    double wildcard = -1;
    for (QByteArrayView item : QByteArray::fromRawData(acceptEncoding.data(), acceptEncoding.size()).split(',')) {
        item = item.trimmed();
        if (item.isEmpty())
            continue;
        QByteArrayView name = item;
        double q = 1;
        const qsizetype semicolon = item.indexOf(';');
        if (semicolon >= 0) {
            name = item.first(semicolon).trimmed();
            // Parameters: only q matters ("q=0.5"); a malformed q counts as 0, which refuses the coding.
            for (QByteArrayView param : QByteArray::fromRawData(item.data() + semicolon + 1,
                                                                item.size() - semicolon - 1).split(';')) {
                param = param.trimmed();
                if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
                    bool ok = false;
                    q = param.sliced(2).trimmed().toDouble(&ok);
                    if (!ok || q < 0 || q > 1)
                        q = 0;
                }
            }
        }
        if (name.compare(coding, Qt::CaseInsensitive) == 0)
            own = q;
        else if (name == "*")
            wildcard = q;
    }
    return own >= 0 ? own : wildcard;
}

} // namespace

Coding negotiate(QByteArrayView acceptEncoding)
{
    if (acceptEncoding.isEmpty())
        return Coding::Identity;
    if (quality(acceptEncoding, "gzip") > 0)
        return Coding::Gzip;
    if (quality(acceptEncoding, "deflate") > 0)
        return Coding::Deflate;
    return Coding::Identity;
}

QByteArray token(Coding coding)
{
    switch (coding) {
    case Coding::Gzip:
        return QByteArrayLiteral("gzip");
    case Coding::Deflate:
        return QByteArrayLiteral("deflate");
    case Coding::Identity:
        break;
    }
    return {};
}

QByteArray compress(const QByteArray &body, Coding coding, int level)
{
    if (coding == Coding::Identity)
        return body;
    z_stream stream = {};
    // windowBits 15 + 16 writes the gzip wrapper (RFC 1952); 15 alone the zlib one (RFC 1950).
    const int windowBits = coding == Coding::Gzip ? 15 + 16 : 15;
    if (deflateInit2(&stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out;
    out.resize(qsizetype(deflateBound(&stream, uLong(body.size()))));
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(body.constData()));
    stream.avail_in = uInt(body.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    // deflateBound() leaves room for the whole stream, so one Z_FINISH call ends it.
    const int status = deflate(&stream, Z_FINISH);
    const qsizetype written = qsizetype(stream.total_out);
    deflateEnd(&stream);
    if (status != Z_STREAM_END)
        return {};
    out.truncate(written);
    return out;
}

} // namespace QHttpCompression
