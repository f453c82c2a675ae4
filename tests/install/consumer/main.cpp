// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// A tiny consumer of the installed package: it listens, takes one Engine.IO handshake over HTTP from
// itself, and exits 0 when the server answered. It also installs an adapter of its own, to show that the
// adapter seam is usable from the installed headers.
// The CamelCase headers, both ways: <QtSocketIo/Class> and <Class> (the QtSocketIo folder is on the include
// path too, as with Qt's modules), the module header and the generated version header.
#include <QtSocketIo/QSocketIoServer>
#include <QtSocketIo/QtSocketIo>
#include <QtSocketIo/QtSocketIoVersion>
#include <QSocketIoAck>
#include <QSocketIoAdapter>
#include <QSocketIoAckCallback>
#include <QSocketIoBroadcast>
#include <QSocketIoBroadcastOptions>
#include <QSocketIoBroadcastPacket>
#include <QSocketIoClusterAdapter>
#include <QSocketIoConnectionStateRecovery>
#include <QSocketIoCorsOptions>
#include <QSocketIoHandshake>
#include <QSocketIoInMemoryAdapter>
#include <QSocketIoNamespace>
#include <QSocketIoNext>
#include <QSocketIoRemoteSocket>
#include <QSocketIoSessionStore>
#include <QSocketIoSocket>
#include <QSocketIoSocketEmitter>
#include <QSocketIoSqliteSessionStore>
#include <QSocketIoStoredPacket>
#include <QSocketIoStoredSession>
#include <QtSocketIoGlobal>
#include <QtSocketIoVersion>

#include <QtCore/qcoreapplication.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qtcpsocket.h>

#include <cstdio>

static_assert(QTSOCKETIO_VERSION >= QTSOCKETIO_VERSION_CHECK(0, 1, 0), "the generated version header");
static_assert(QTSOCKETIO_VERSION < QTSOCKETIO_VERSION_CHECK(QTSOCKETIO_VERSION_MAJOR + 1, 0, 0), "a sane version");

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
    std::printf("consumer: QtSocketIo %s, port %u, handshake %s\n", QTSOCKETIO_VERSION_STR, server.serverPort(),
                rc == 0 ? "ok" : "missing");
    return rc;
}
