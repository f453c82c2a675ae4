// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "server/qsocketioclientbundle_p.h"
#include "engine/codec/qhttpcompression_p.h"
#include "engine/qengineiohttpconnection_p.h"
#include "qtsocketiologging_p.h"

#include <QtCore/qfile.h>
#include <QtCore/qhash.h>
#include <QtCore/qmutex.h>

namespace {

// Where src/CMakeLists.txt puts the bundle files and the VERSION file next to them.
constexpr QLatin1StringView ResourceDir(":/qtsocketio/client-dist/");

bool isBundleFile(QByteArrayView name)
{
    static const QByteArrayView files[] = {
        "socket.io.js", "socket.io.min.js", "socket.io.msgpack.min.js", "socket.io.esm.min.js",
    };
    for (QByteArrayView file : files) {
        if (name == file || (name.size() == file.size() + 4 && name.startsWith(file) && name.endsWith(".map")))
            return true;
    }
    return false;
}

// Each file once in each coding, built on the first request for it (the files never change at run time). Shared
// by every server of the process, whatever thread it runs in.
QByteArray cachedBody(const QString &file, QHttpCompression::Coding coding)
{
    static QHash<QString, QByteArray> cache;
    static QRecursiveMutex mutex;   // recursive: a compressed body reads the plain one through here
    const QMutexLocker locker(&mutex);
    const QString key = file + QLatin1Char('\n') + QString::fromLatin1(QHttpCompression::token(coding));
    auto it = cache.constFind(key);
    if (it != cache.cend())
        return *it;
    QByteArray body;
    if (coding == QHttpCompression::Coding::Identity) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        body = f.readAll();
    } else {
        const QByteArray plain = cachedBody(file, QHttpCompression::Coding::Identity);
        if (plain.isNull())
            return {};
        body = QHttpCompression::compress(plain, coding, 9);
        if (body.isNull())
            return {};
    }
    cache.insert(key, body);
    return body;
}

// If-None-Match: a list of entity tags, each possibly weak (W/"..."), or "*".
bool matchesEtag(QByteArrayView ifNoneMatch, QByteArrayView etag)
{
    for (QByteArrayView candidate : QByteArray::fromRawData(ifNoneMatch.data(), ifNoneMatch.size()).split(',')) {
        candidate = candidate.trimmed();
        if (candidate.startsWith("W/"))
            candidate = candidate.sliced(2);
        if (candidate == etag || candidate == "*")
            return true;
    }
    return false;
}

} // namespace

QString QSocketIoClientBundle::embeddedVersion()
{
    static const QString version = [] {
        QFile f(ResourceDir + QLatin1StringView("VERSION"));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll().trimmed()) : QString();
    }();
    return version;
}

bool QSocketIoClientBundle::serve(QEngineIoHttpConnection *connection, const QHttpRequest &request,
                                  const QByteArray &enginePath)
{
    if (request.method != "GET" || request.upgrade || !request.path.startsWith(enginePath))
        return false;
    const QByteArrayView name = QByteArrayView(request.path).sliced(enginePath.size());
    if (!isBundleFile(name))
        return false;
    QHttpHeaderList headers;
    const QString version = embeddedVersion();
    if (version.isEmpty()) {
        qCWarning(lcServer) << "serveClient: a client asked for" << request.path
                            << "but this build of QtSocketIo embeds no socket.io-client bundle";
        headers.append(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain; charset=utf-8"));
        connection->respond(404, headers,
                            QByteArrayLiteral("Not Found: this build of QtSocketIo embeds no socket.io-client bundle"));
        return true;
    }
    // The ETag is the client's version, quoted, as Node's socket.io sends it: a cache keeps the file until the
    // server moves to another release.
    const QByteArray etag = '"' + version.toUtf8() + '"';
    headers.append(QByteArrayLiteral("ETag"), etag);
    headers.append(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("public, max-age=0"));
    headers.append(QByteArrayLiteral("Vary"), QByteArrayLiteral("Accept-Encoding"));
    if (matchesEtag(request.headers.value("if-none-match"), etag)) {
        connection->respond(304, headers, {});
        return true;
    }
    const QString file = ResourceDir + QString::fromLatin1(name);
    const QHttpCompression::Coding coding = QHttpCompression::negotiate(request.headers.value("accept-encoding"));
    QByteArray body = cachedBody(file, coding);
    if (body.isNull()) {
        qCWarning(lcServer) << "serveClient: cannot read the embedded" << file;
        headers.append(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain; charset=utf-8"));
        connection->respond(500, headers, QByteArrayLiteral("Internal Server Error"));
        return true;
    }
    headers.append(QByteArrayLiteral("Content-Type"), name.endsWith(".map")
                       ? QByteArrayLiteral("application/json; charset=utf-8")
                       : QByteArrayLiteral("application/javascript; charset=utf-8"));
    if (coding != QHttpCompression::Coding::Identity)
        headers.append(QByteArrayLiteral("Content-Encoding"), QHttpCompression::token(coding));
    connection->respond(200, headers, body);
    return true;
}
