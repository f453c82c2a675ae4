// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// A chat server in a console app: signals and slots, rooms and acks. Serves its web page too.
// Usage: consoleserver [port] [web folder]   (defaults: 3000, the "web" folder next to the binary)
#include <QtSocketIo/QSocketIoServer>

#include <QtCore/qcoreapplication.h>
#include <QtCore/qtextstream.h>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    QTextStream out(stdout);

    //! [server]
    QSocketIoServer server;
    server.setDocumentRoot(args.value(2, app.applicationDirPath() + QStringLiteral("/web")));

    QObject::connect(&server, &QSocketIoServer::newConnection, &server, [&](QSocketIoSocket *socket) {
        out << "connected: " << socket->id() << " from " << socket->handshake().address() << Qt::endl;
        socket->join(QStringLiteral("lobby"));

        // "chat" (text): everyone in the sender's rooms gets it; the ack tells the sender how many did.
        socket->on(QStringLiteral("chat"), socket, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
            const QVariantMap message{{QStringLiteral("from"), socket->data().value(QStringLiteral("name"), socket->id())},
                                      {QStringLiteral("text"), args.value(0)}};
            socket->to(socket->rooms()).emitEvent(QStringLiteral("chat"), {message});
            ack({socket->nsp()->to(socket->rooms()).sockets().size()});
        });
        socket->on(QStringLiteral("name"), socket, [socket](const QVariantList &args) {
            socket->setDataValue(QStringLiteral("name"), args.value(0));
        });
        socket->on(QStringLiteral("join"), socket, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
            socket->join(args.value(0).toString());
            ack({socket->rooms()});
        });

        QObject::connect(socket, &QSocketIoSocket::disconnected, socket, [&out, socket](QSocketIoSocket::DisconnectReason reason) {
            out << "disconnected: " << socket->id() << " (" << QSocketIoSocket::reasonString(reason) << ")" << Qt::endl;
        });
    });
    //! [server]

    //! [listen]
    const quint16 port = quint16(args.value(1, QStringLiteral("3000")).toUInt());
    if (!server.listen(QHostAddress::LocalHost, port)) {
        out << "cannot listen: " << server.errorString() << Qt::endl;
        return 1;
    }
    out << "chat server on http://127.0.0.1:" << server.serverPort() << "/ (Ctrl+C stops it)" << Qt::endl;
    //! [listen]
    return app.exec();
}
