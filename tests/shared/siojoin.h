// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef SIOJOIN_H
#define SIOJOIN_H

// Connecting a SioTestClient to a QSocketIoServer on loopback, for the tests of the public API. Header-only
// (it needs QtSocketIo, which the qtsocketio_testsupport library does not link): include it where the test
// links QtSocketIo::Core.

#include <QtSocketIo/qsocketionamespace.h>
#include <QtSocketIo/qsocketioserver.h>
#include <QtSocketIo/qsocketiosocket.h>

#include "sioclient.h"

#include <QtCore/qjsonobject.h>
#include <QtCore/qlist.h>
#include <QtCore/qstring.h>
#include <QtTest/qsignalspy.h>

namespace SioTest {

// Opens the client on the server's port when it is not open yet, joins nsp with auth and returns the server's
// socket for it (nullptr on failure). reply, when given, gets the server's answer (CONNECT or CONNECT_ERROR).
inline QSocketIoSocket *join(QSocketIoServer &server, SioTestClient &client,
                             const QString &nsp = QStringLiteral("/"), const QJsonObject &auth = {},
                             SioTestClient::Packet *reply = nullptr)
{
    if (!client.isOpen()) {
        client.open(server.serverPort());
        if (!client.waitForOpen())
            return nullptr;
    }
    QString sid;
    if (!client.joinNamespace(nsp, auth, &sid, reply))
        return nullptr;
    const QList<QSocketIoNamespace *> namespaces = server.namespaces();
    for (QSocketIoNamespace *n : namespaces) {
        if (QSocketIoSocket *socket = n->socket(sid))
            return socket;
    }
    return nullptr;
}

// Opens the client on the server's port, joins the main namespace and waits until the server announced the
// connection (newConnection). Returns the socket id, empty on failure.
inline QString connectClient(QSocketIoServer &server, SioTestClient &client)
{
    QSignalSpy spy(&server, &QSocketIoServer::newConnection);
    client.open(server.serverPort());
    QString sid;
    if (!client.waitForOpen() || !client.joinNamespace(QStringLiteral("/"), {}, &sid))
        return {};
    if (!spy.count() && !spy.wait(5000))
        return {};
    return sid;
}

} // namespace SioTest

#endif
