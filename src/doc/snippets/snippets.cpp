// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The code shown by the documentation (\snippet snippets.cpp <name>). Compiled in the normal build (target
// qtsocketio_doc_snippets, never run) so that it cannot fall behind the API.

#include <QtSocketIo/QtSocketIo>

#include <QtCore/QCoreApplication>
#include <QtCore/QDebug>
#include <QtCore/QRegularExpression>

using namespace Qt::StringLiterals;

static void socketOn(QSocketIoSocket *socket)
{
//! [socket-on]
socket->on(u"chat"_s, socket, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
    socket->broadcast().emitEvent(u"chat"_s, args);   // every other socket of the namespace
    ack({true});                                      // answers the sender, when it asked
});
//! [socket-on]
}

static void broadcastAck(QSocketIoServer &server, QObject *context)
{
//! [broadcast-ack]
server.to(u"players"_s).timeout(5000).emitWithAck(u"vote"_s, {}, context,
    [](bool timedOut, const QVariantList &answers) {
        // one QVariantList per answering socket; on a timeout, those that did answer
        qDebug() << answers.size() << "votes" << (timedOut ? "(some did not answer)" : "");
    });
//! [broadcast-ack]
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QSocketIoServer server;
    QObject::connect(&server, &QSocketIoServer::newConnection, &server, [&](QSocketIoSocket *socket) {
        socketOn(socket);
        broadcastAck(server, &server);
    });
    return 0;
}
