// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOCLIENT_P_H
#define QSOCKETIOCLIENT_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include "engine/qengineiosession_p.h"
#include "server/qsocketiotraffic_p.h"
#include "protocol/qsocketiopacket_p.h"
#include "protocol/qsocketioparser_p.h"

#include <QtCore/qhash.h>
#include <QtCore/qpointer.h>
#include <QtCore/qstring.h>

#include <memory>

class QSocketIoSocket;
class QTimer;

// One Engine.IO connection as Socket.IO sees it: the namespaces it joined over that connection. The server
// creates it when the session opens, hangs it on the session as its context, and deletes it when it closes.
struct QSocketIoClient : public QEngineIo::SessionContext
{
    // The client of a session of the Socket.IO server; null before it opened and after it closed.
    static QSocketIoClient *of(const QEngineIoSession *session)
    {
        return static_cast<QSocketIoClient *>(session->context());
    }

    QEngineIoSession *session = nullptr;
    // The server's parser when the connection opened, and this connection's decoder from it.
    const QSocketIoProtocol::Parser *parser = &QSocketIoProtocol::Parser::json();
    std::unique_ptr<QSocketIoProtocol::PacketDecoder> decoder;
    QHash<QString, QSocketIoSocket *> sockets;   // namespace name -> socket
    // Namespaces whose middleware is still running, with the socket being admitted. Its client pointer is
    // cleared when the connection goes away, so that the middleware may still use the socket safely.
    QHash<QString, QPointer<QSocketIoSocket>> joining;
    bool closing = false;
    QTimer *connectTimer = nullptr;   // child of the session; deleted once a namespace is joined
    // The event rate limit's token bucket (QSocketIoServer::eventRateLimit): tokens left, and when it was last
    // refilled (steady clock, ms; -1: not yet used).
    double eventTokens = 0;
    qint64 eventRefilledAt = -1;
    // The server's traffic counters while an Admin UI instruments it (null otherwise), and whether this
    // connection counts among its polling ones.
    QSocketIoTraffic *traffic = nullptr;
    bool countedAsPolling = false;

    // True on an Engine.IO v3 session: the client speaks the Socket.IO v2 dialect (qsocketiopacketv2_p.h).
    bool isV2() const { return session && session->protocol() == 3; }

    // isVolatile: the session may drop it when not writable (with I/O threads, where the session decides); a
    // packet with attachments is never dropped halfway. compress false: the packet does not ask for HTTP
    // compression (QSocketIoBroadcast::compress()).
    void send(const QSocketIoProtocol::EncodedPacket &packet, bool isVolatile = false, bool compress = true) const;
    void send(const QSocketIoProtocol::Packet &packet, bool compress = true) const
    { send(parser->encode(packet), false, compress); }
    // The refusal of a CONNECT to nsp, in the client's dialect: v5 {"message", "data"}, v2 the data or message.
    void sendConnectError(const QString &nsp, const QString &message, const QVariant &data = QVariant()) const;
};

#endif
