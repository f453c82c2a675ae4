// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "engine/qengineiostaticfiles_p.h"
#include "engine/qengineiohttpconnection_p.h"

#include <QtCore/qdir.h>
#include <QtCore/qfile.h>
#include <QtCore/qfileinfo.h>
#include <QtCore/qhash.h>

bool QEngineIoStaticFiles::serve(QEngineIoHttpConnection *connection, const QHttpRequest &request) const
{
    if (m_root.isEmpty() || request.method != "GET" || request.upgrade)
        return false;
    // Percent-decode, then refuse anything that climbs out of the root.
    const QString relative = QString::fromUtf8(QByteArray::fromPercentEncoding(request.path));
    const QStringList parts = relative.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        if (part == QStringLiteral("..") || part.contains(QLatin1Char('\\')))
            return false;
    }
    QString file = QDir::cleanPath(m_root + QLatin1Char('/') + parts.join(QLatin1Char('/')));
    if (QFileInfo(file).isDir())
        file += QStringLiteral("/index.html");
    QFile f(file);
    if (!QFileInfo(file).isFile() || !f.open(QIODevice::ReadOnly))
        return false;
    static const QHash<QString, QByteArray> types = {
        {QStringLiteral("html"), "text/html; charset=utf-8"}, {QStringLiteral("js"), "text/javascript; charset=utf-8"},
        {QStringLiteral("mjs"), "text/javascript; charset=utf-8"}, {QStringLiteral("css"), "text/css; charset=utf-8"},
        {QStringLiteral("json"), "application/json"}, {QStringLiteral("map"), "application/json"},
        {QStringLiteral("svg"), "image/svg+xml"}, {QStringLiteral("png"), "image/png"},
        {QStringLiteral("ico"), "image/x-icon"}, {QStringLiteral("txt"), "text/plain; charset=utf-8"},
    };
    QHttpHeaderList headers;
    headers.append(QByteArrayLiteral("Content-Type"),
                   types.value(QFileInfo(file).suffix().toLower(), QByteArrayLiteral("application/octet-stream")));
    headers.append(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache"));
    connection->respond(200, headers, f.readAll());
    return true;
}
