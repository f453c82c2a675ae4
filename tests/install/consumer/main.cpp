// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// A tiny consumer of the installed package: it listens, takes one Engine.IO handshake over HTTP from
// itself, and exits 0 when the server answered. It also installs an adapter of its own, to show that the
// adapter seam is usable from the installed headers.
#include <QtSocketIo/qsocketioinmemoryadapter.h>
#include <QtSocketIo/qsocketioserver.h>
#include <QtSocketIo/qsocketiosocketemitter.h>

#include <QtCore/qcoreapplication.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qtcpsocket.h>

#include <cstdio>

// Counts the broadcasts that reach it; the rooms are the in-memory adapter's.
class CountingAdapter : public QSocketIoInMemoryAdapter
{
public:
    CountingAdapter(QSocketIoNamespace *nsp, int *broadcasts) : QSocketIoInMemoryAdapter(nsp), m_broadcasts(broadcasts) {}
    QStringList broadcast(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options) override
    {
        if (emitter())
            ++*m_broadcasts;
        return QSocketIoInMemoryAdapter::broadcast(packet, options);
    }

private:
    int *m_broadcasts;
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QSocketIoServer server;
    int broadcasts = 0;
    server.setAdapterFactory([&broadcasts](QSocketIoNamespace *nsp) {
        return std::make_unique<CountingAdapter>(nsp, &broadcasts);
    });
    server.emitEvent(QStringLiteral("hello"));
    if (broadcasts != 1)
        return 3;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 1;
    QTcpSocket client;
    QByteArray reply;
    QObject::connect(&client, &QTcpSocket::connected, &client, [&] {
        client.write("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: localhost\r\n\r\n");
    });
    QObject::connect(&client, &QTcpSocket::readyRead, &client, [&] {
        reply += client.readAll();
        if (reply.contains("\"sid\""))
            app.exit(0);
    });
    QTimer::singleShot(10000, &app, [&] { app.exit(2); });
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    const int rc = app.exec();
    std::printf("consumer: port %u, handshake %s\n", server.serverPort(), rc == 0 ? "ok" : "missing");
    return rc;
}
