// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QTSOCKETIOUTF8_P_H
#define QTSOCKETIOUTF8_P_H

//
//  W A R N I N G
//  -------------
//
// This file is not part of the QtSocketIo API. It may change from version to version without notice.
//

// UTF-8 in, QString out, without losing a leading U+FEFF. Qt 6.4 reads EF BB BF at the start of UTF-8 as a byte
// order mark and drops it: QString::fromUtf8(), QUtf8StringView::toString(), and QJsonDocument, which keeps a
// string parsed without an escape as UTF-8 and hands it (value or key) back through QString::fromUtf8(). On the
// wire of Socket.IO and of the cluster adapters U+FEFF is a character like any other: "\uFEFFk" must stay two
// characters. Header-only (inline), so that the cluster codec, which is outside the QtSocketIo library and sees
// none of its hidden symbols, uses the same functions as the layers inside it.

#include <QtCore/qbytearray.h>
#include <QtCore/qbytearrayview.h>
#include <QtCore/qjsondocument.h>
#include <QtCore/qstring.h>
#include <QtCore/qstringconverter.h>

#include <cstring>

namespace QtSocketIoPrivate {

// Every character of utf8, a leading U+FEFF included (invalid sequences become U+FFFD, as with fromUtf8()).
inline QString utf8ToString(QByteArrayView utf8)
{
    // The common case costs nothing more: only a string that starts with EF BB BF needs the decoder that keeps it.
    if (utf8.size() < 3 || utf8[0] != '\xef' || utf8[1] != '\xbb' || utf8[2] != '\xbf')
        return QString::fromUtf8(utf8);
    QStringDecoder decoder(QStringConverter::Utf8, QStringConverter::Flag::ConvertInitialBom);
    return decoder.decode(utf8);
}

// JSON text with every raw U+FEFF (EF BB BF, which JSON allows only inside a string) written as the escape
// \ufeff: the same JSON, which QJsonDocument then reads without loss (a string with an escape is kept as UTF-16).
// A null QByteArray when there is none, the common case: one memchr() pass, no copy.
inline QByteArray escapeByteOrderMarks(QByteArrayView json)
{
    const char *const begin = json.data();
    const char *const end = begin + json.size();
    const char *copied = begin;
    QByteArray out;
    for (const char *p = begin; p < end;) {
        p = static_cast<const char *>(std::memchr(p, 0xef, size_t(end - p)));
        if (!p)
            break;
        if (end - p >= 3 && p[1] == '\xbb' && p[2] == '\xbf') {
            if (out.isNull())
                out.reserve(json.size() + 16);
            out.append(copied, p - copied);
            out.append("\\ufeff", 6);
            p += 3;
            copied = p;
        } else {
            ++p;
        }
    }
    if (!out.isNull())
        out.append(copied, end - copied);
    return out;
}

// QJsonDocument::fromJson() whose strings and keys keep a leading U+FEFF.
inline QJsonDocument parseJson(const QByteArray &json, QJsonParseError *error = nullptr)
{
    const QByteArray escaped = escapeByteOrderMarks(json);
    return QJsonDocument::fromJson(escaped.isNull() ? json : escaped, error);
}

} // namespace QtSocketIoPrivate

#endif // QTSOCKETIOUTF8_P_H
