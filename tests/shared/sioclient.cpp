// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "sioclient.h"

#include <QtCore/qjsondocument.h>
#include <QtCore/qurl.h>
#include <QtNetwork/qnetworkrequest.h>
#include <QtTest/qtest.h>
#include <QtWebSockets/qwebsocket.h>

SioTestClient::SioTestClient(QObject *parent) : QObject(parent) {}

SioTestClient::~SioTestClient()
{
    if (m_ws) {
        m_ws->disconnect(this);
        m_ws->abort();
    }
}

void SioTestClient::open(quint16 port, const QString &extraQuery, const Headers &headers, const QString &origin,
                         const QString &path)
{
    m_ws = std::make_unique<QWebSocket>(origin);
    connect(m_ws.get(), &QWebSocket::textMessageReceived, this, &SioTestClient::textReceived);
    connect(m_ws.get(), &QWebSocket::binaryMessageReceived, this, &SioTestClient::binaryReceived);
    connect(m_ws.get(), &QWebSocket::connected, this, [this] { m_connected = true; });
    connect(m_ws.get(), &QWebSocket::disconnected, this, [this] { m_closed = true; });
    QString url = QStringLiteral("ws://127.0.0.1:%1%2?EIO=4&transport=websocket").arg(port).arg(path);
    if (!extraQuery.isEmpty())
        url += QLatin1Char('&') + extraQuery;
    QNetworkRequest request{QUrl(url)};
    for (const auto &header : headers)
        request.setRawHeader(header.first, header.second);
    m_ws->open(request);
}

bool SioTestClient::waitForOpen(int timeout)
{
    return QTest::qWaitFor([this] { return m_open || m_closed; }, timeout) && m_open;
}

bool SioTestClient::waitForConnected(int timeout)
{
    return QTest::qWaitFor([this] { return m_connected || m_closed; }, timeout) && m_connected;
}

bool SioTestClient::waitForClosed(int timeout)
{
    return QTest::qWaitFor([this] { return m_closed; }, timeout);
}

void SioTestClient::close()
{
    if (m_ws)
        m_ws->close();
}

void SioTestClient::sendText(const QString &frame)
{
    if (m_ws)
        m_ws->sendTextMessage(frame);
}

void SioTestClient::sendBinary(const QByteArray &frame)
{
    if (m_ws)
        m_ws->sendBinaryMessage(frame);
}

QString SioTestClient::json(const QJsonValue &value)
{
    // QJsonDocument writes arrays and objects only: wrap, then strip the brackets.
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

void SioTestClient::connectNamespace(const QString &nsp, const QJsonObject &auth)
{
    QString text = QStringLiteral("0");
    if (nsp != QLatin1String("/"))
        text += nsp + QLatin1Char(',');
    if (!auth.isEmpty())
        text += json(auth);
    sendPacket(text);
}

bool SioTestClient::joinNamespace(const QString &nsp, const QJsonObject &auth, QString *sid, Packet *reply)
{
    connectNamespace(nsp, auth);
    Packet packet;
    const bool answered = waitForPacket([nsp](const Packet &p) {
        return p.nsp == nsp && (p.type == 0 || p.type == 4);
    }, &packet);
    if (reply)
        *reply = packet;
    if (!answered || packet.type != 0)
        return false;
    if (sid)
        *sid = packet.data.toObject().value(QLatin1String("sid")).toString();
    return true;
}

void SioTestClient::disconnectNamespace(const QString &nsp)
{
    sendPacket(QStringLiteral("1") + (nsp == QLatin1String("/") ? QString() : nsp + QLatin1Char(',')));
}

void SioTestClient::emitEvent(const QString &event, const QJsonArray &args, const QString &nsp, qint64 ackId)
{
    QJsonArray data{event};
    for (const QJsonValue &v : args)
        data.append(v);
    sendPacket(QStringLiteral("2") + nspPrefix(nsp) + (ackId >= 0 ? QString::number(ackId) : QString()) + json(data));
}

void SioTestClient::sendAck(qint64 id, const QJsonArray &args, const QString &nsp)
{
    sendPacket(QStringLiteral("3") + nspPrefix(nsp) + QString::number(id) + json(args));
}

bool SioTestClient::waitForPacket(const Predicate &predicate, Packet *out, int timeout)
{
    int index = -1;
    const auto find = [&] {
        for (int i = 0; i < m_packets.size(); ++i) {
            if (predicate(m_packets.at(i))) {
                index = i;
                return true;
            }
        }
        return false;
    };
    if (!find() && !QTest::qWaitFor(find, timeout))
        return false;
    const Packet packet = m_packets.takeAt(index);
    if (out)
        *out = packet;
    return true;
}

bool SioTestClient::waitForEvent(const QString &event, Packet *out, const QString &nsp, int timeout)
{
    return waitForPacket([&](const Packet &p) {
        return (p.type == 2 || p.type == 5) && p.nsp == nsp && p.eventName() == event;
    }, out, timeout);
}

bool SioTestClient::waitForType(int type, Packet *out, const QString &nsp, int timeout)
{
    return waitForPacket([&](const Packet &p) { return p.type == type && p.nsp == nsp; }, out, timeout);
}

int SioTestClient::countEvents(const QString &event, const QString &nsp) const
{
    int n = 0;
    for (const Packet &p : m_packets)
        n += (p.type == 2 || p.type == 5) && p.nsp == nsp && p.eventName() == event ? 1 : 0;
    return n;
}

void SioTestClient::textReceived(const QString &frame)
{
    m_textFrames.append(frame);
    if (frame.isEmpty())
        return;
    switch (frame.at(0).unicode()) {
    case '0':
        m_openPacket = QJsonDocument::fromJson(frame.mid(1).toUtf8()).object();
        m_engineSid = m_openPacket.value(QLatin1String("sid")).toString();
        m_open = true;
        return;
    case '2':
        ++m_pings;
        if (m_autoPong)
            sendText(QStringLiteral("3") + frame.mid(1));
        return;
    case '4':
        parsePacket(frame.mid(1));
        return;
    default:
        return;
    }
}

void SioTestClient::binaryReceived(const QByteArray &frame)
{
    if (!m_hasPending)
        return;
    m_pending.attachments.append(frame);
    if (m_pending.attachments.size() >= m_pending.attachmentCount)
        finishPacket();
}

void SioTestClient::parsePacket(const QString &text)
{
    Packet packet;
    packet.text = text;
    if (text.isEmpty())
        return;
    packet.type = text.at(0).unicode() - '0';
    qsizetype i = 1;
    if (packet.type == 5 || packet.type == 6) {
        const qsizetype dash = text.indexOf(QLatin1Char('-'), i);
        packet.attachmentCount = text.mid(i, dash - i).toInt();
        i = dash + 1;
    }
    if (i < text.size() && text.at(i) == QLatin1Char('/')) {
        const qsizetype comma = text.indexOf(QLatin1Char(','), i);
        packet.nsp = comma < 0 ? text.mid(i) : text.mid(i, comma - i);
        i = comma < 0 ? text.size() : comma + 1;
    }
    const qsizetype idStart = i;
    while (i < text.size() && text.at(i).isDigit())
        ++i;
    if (i > idStart)
        packet.id = text.mid(idStart, i - idStart).toLongLong();
    const QString payload = text.mid(i);
    if (!payload.isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray("[") + payload.toUtf8() + "]");
        packet.data = doc.array().at(0);
    }
    if (packet.attachmentCount > 0) {
        m_pending = packet;
        m_hasPending = true;
        return;
    }
    m_packets.append(packet);
    Q_EMIT packetReceived();
}

void SioTestClient::finishPacket()
{
    m_packets.append(m_pending);
    m_pending = Packet();
    m_hasPending = false;
    Q_EMIT packetReceived();
}
