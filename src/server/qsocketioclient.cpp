// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "server/qsocketioclient_p.h"
#include "protocol/qsocketiopacketv2_p.h"

using namespace QSocketIoProtocol;

void QSocketIoClient::send(const EncodedPacket &packet, bool isVolatile, bool compress) const
{
    // Any send may close the session at once (a slow consumer past its bound), and the handler's
    // sessionClosed() then deletes this client. The session itself is only deleted later (deleteLater()), so
    // after the first send only the local copy of its pointer is used, never a member of this client.
    QEngineIoSession *const target = session;
    if (!target || !target->isOpen())
        return;
    if (traffic) {
        traffic->packetOut(packet.text.size());
        for (const QByteArray &attachment : packet.attachments)
            traffic->packetOut(attachment.size());
    }
    target->send(packet.text, packet.binary, isVolatile && packet.attachments.isEmpty(), compress);
    for (const QByteArray &attachment : packet.attachments) {
        if (!target->isOpen())
            return;
        target->send(attachment, true, false, compress);
    }
}

void QSocketIoClient::sendConnectError(const QString &nsp, const QString &message, const QVariant &data) const
{
    if (isV2()) {
        send(V2::connectErrorPacket(nsp, message, data));
        return;
    }
    Packet error;
    error.type = PacketType::ConnectError;
    error.nsp = nsp;
    QVariantMap body{{QStringLiteral("message"), message}};
    if (data.isValid())
        body.insert(QStringLiteral("data"), data);
    error.data = body;
    send(error);
}
