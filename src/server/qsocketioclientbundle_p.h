// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOCLIENTBUNDLE_P_H
#define QSOCKETIOCLIENTBUNDLE_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtCore/qbytearray.h>
#include <QtCore/qstring.h>

class QEngineIoHttpConnection;
struct QHttpRequest;

// serveClient: the socket.io-client browser bundles under the server's path (GET /socket.io/socket.io.min.js
// and friends), as Node's socket.io serves them. The bundles of the socket.io-client release the build found
// are embedded as Qt resources (src/CMakeLists.txt says which, at configure time); a build without them answers
// 404 with a message saying so.
class QSocketIoClientBundle
{
public:
    // The socket.io-client version embedded in the library, or an empty string.
    static QString embeddedVersion();

    // Answers the request when it asks for one of the bundle files under enginePath ("/socket.io/"): 200 with
    // the file (compressed as Accept-Encoding allows), 304 when If-None-Match names the embedded version, 404
    // when this build embeds no bundle. Returns false, having sent nothing, for any other request.
    static bool serve(QEngineIoHttpConnection *connection, const QHttpRequest &request,
                      const QByteArray &enginePath);
};

#endif
