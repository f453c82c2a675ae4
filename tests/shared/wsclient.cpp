// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "wsclient.h"

#include <QtCore/qurl.h>

WsClient::WsClient()
    : ws(std::make_unique<QWebSocket>()),
      texts(ws.get(), &QWebSocket::textMessageReceived),
      binaries(ws.get(), &QWebSocket::binaryMessageReceived),
      connected(ws.get(), &QWebSocket::connected),
      disconnected(ws.get(), &QWebSocket::disconnected)
{
}

WsClient::~WsClient() = default;

void WsClient::open(quint16 port, const QByteArray &target)
{
    ws->open(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(port) + QString::fromLatin1(target)));
}

QString WsClient::text(int i) const
{
    return texts.at(i).at(0).toString();
}

QByteArray WsClient::binary(int i) const
{
    return binaries.at(i).at(0).toByteArray();
}

QStringList WsClient::allTexts() const
{
    QStringList out;
    for (const QList<QVariant> &args : texts)
        out.append(args.at(0).toString());
    return out;
}
