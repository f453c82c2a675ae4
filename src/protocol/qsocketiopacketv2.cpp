// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "protocol/qsocketiopacketv2_p.h"

#include <QtCore/qurlquery.h>

namespace QSocketIoProtocol::V2 {

Packet connectPacket(const QString &nsp)
{
    Packet packet;
    packet.type = PacketType::Connect;
    packet.nsp = nsp;
    packet.data = QVariant();
    return packet;
}

Packet connectErrorPacket(const QString &nsp, const QString &message, const QVariant &data)
{
    Packet packet;
    packet.type = PacketType::ConnectError;
    packet.nsp = nsp;
    packet.data = data.isValid() ? data : QVariant(message);
    return packet;
}

void splitNamespace(const QString &input, QString *nsp, QVariantMap *query)
{
    const QString nspWithQuery = input;   // a copy: nsp may be the very string passed in
    const qsizetype mark = nspWithQuery.indexOf(QLatin1Char('?'));
    *nsp = mark < 0 ? nspWithQuery : nspWithQuery.left(mark);
    if (nsp->isEmpty())
        *nsp = QStringLiteral("/");
    query->clear();
    if (mark < 0)
        return;
    // '+' is a space in a query string, as Node's querystring reads it; QUrlQuery keeps it otherwise.
    QString text = nspWithQuery.mid(mark + 1);
    text.replace(QLatin1Char('+'), QLatin1Char(' '));
    const QUrlQuery parsed(text);
    for (const auto &item : parsed.queryItems(QUrl::FullyDecoded))
        query->insert(item.first, item.second);
}

} // namespace QSocketIoProtocol::V2
