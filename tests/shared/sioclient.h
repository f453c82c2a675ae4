// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef SIOCLIENT_H
#define SIOCLIENT_H

// A small Socket.IO v5 / Engine.IO v4 client for loopback tests, over one QWebSocket. It writes the raw
// frames a test gives it (well-formed or not) and parses what the server sends into a queue of packets the
// test waits on. It answers pings with "3" unless told not to.

#include <QtCore/qbytearray.h>
#include <QtCore/qjsonarray.h>
#include <QtCore/qjsonobject.h>
#include <QtCore/qjsonvalue.h>
#include <QtCore/qlist.h>
#include <QtCore/qobject.h>
#include <QtCore/qpair.h>
#include <QtCore/qstring.h>

#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QWebSocket;
QT_END_NAMESPACE

class SioTestClient : public QObject
{
    Q_OBJECT
public:
    // One Socket.IO packet as received.
    struct Packet
    {
        int type = -1;                  // 0 CONNECT ... 6 BINARY_ACK
        QString nsp = QStringLiteral("/");
        qint64 id = -1;                 // ack id, -1 when none
        QJsonValue data;                // the JSON payload (placeholders left as they are)
        int attachmentCount = 0;
        QList<QByteArray> attachments;  // the binary frames that followed, in order
        QString text;                   // the Socket.IO text, without the Engine.IO "4"

        // For an EVENT: the event name and its arguments.
        QString eventName() const { return data.toArray().at(0).toString(); }
        QJsonArray eventArgs() const
        {
            QJsonArray args = data.toArray();
            if (!args.isEmpty())
                args.removeFirst();
            return args;
        }
    };
    using Headers = QList<QPair<QByteArray, QByteArray>>;
    using Predicate = std::function<bool(const Packet &)>;

    explicit SioTestClient(QObject *parent = nullptr);
    ~SioTestClient() override;

    // Opens ws://127.0.0.1:port<path>?EIO=4&transport=websocket[&extraQuery]. origin, when not empty, is sent
    // as the Origin header.
    void open(quint16 port, const QString &extraQuery = {}, const Headers &headers = {}, const QString &origin = {},
              const QString &path = QStringLiteral("/socket.io/"));
    // Waits for the Engine.IO open packet.
    bool waitForOpen(int timeout = 5000);
    // The WebSocket handshake is done (the Engine.IO open packet may not have come: an upgrade probe).
    bool waitForConnected(int timeout = 5000);
    bool isOpen() const { return m_open && !m_closed; }
    bool isClosed() const { return m_closed; }
    bool waitForClosed(int timeout = 5000);
    QString engineSid() const { return m_engineSid; }
    QJsonObject openPacket() const { return m_openPacket; }
    void close();

    // Engine.IO level.
    void sendText(const QString &frame);
    void sendBinary(const QByteArray &frame);
    void setAutoPong(bool on) { m_autoPong = on; }
    int pingCount() const { return m_pings; }
    QStringList textFrames() const { return m_textFrames; }

    // Socket.IO level: "4" + text.
    void sendPacket(const QString &text) { sendText(QStringLiteral("4") + text); }
    void connectNamespace(const QString &nsp = QStringLiteral("/"), const QJsonObject &auth = {});
    // Connects and waits for the answer. Returns true on CONNECT (the sid goes to *sid), false on
    // CONNECT_ERROR or timeout (the packet goes to *reply when given).
    bool joinNamespace(const QString &nsp = QStringLiteral("/"), const QJsonObject &auth = {}, QString *sid = nullptr,
                       Packet *reply = nullptr);
    void disconnectNamespace(const QString &nsp = QStringLiteral("/"));
    void emitEvent(const QString &event, const QJsonArray &args = {}, const QString &nsp = QStringLiteral("/"),
                   qint64 ackId = -1);
    void sendAck(qint64 id, const QJsonArray &args = {}, const QString &nsp = QStringLiteral("/"));

    // Takes the first queued packet that matches, waiting for it up to timeout ms.
    bool waitForPacket(const Predicate &predicate, Packet *out = nullptr, int timeout = 5000);
    bool waitForEvent(const QString &event, Packet *out = nullptr, const QString &nsp = QStringLiteral("/"),
                      int timeout = 5000);
    bool waitForType(int type, Packet *out = nullptr, const QString &nsp = QStringLiteral("/"), int timeout = 5000);
    // The packets received and not taken yet.
    QList<Packet> packets() const { return m_packets; }
    int countEvents(const QString &event, const QString &nsp = QStringLiteral("/")) const;
    void clearPackets() { m_packets.clear(); }

    static QString nspPrefix(const QString &nsp) { return nsp == QLatin1String("/") ? QString() : nsp + QLatin1Char(','); }
    static QString json(const QJsonValue &value);

Q_SIGNALS:
    void packetReceived();

private:
    void textReceived(const QString &frame);
    void binaryReceived(const QByteArray &frame);
    void parsePacket(const QString &text);
    void finishPacket();

    std::unique_ptr<QWebSocket> m_ws;
    bool m_connected = false;
    bool m_open = false;
    bool m_closed = false;
    bool m_autoPong = true;
    int m_pings = 0;
    QString m_engineSid;
    QJsonObject m_openPacket;
    QStringList m_textFrames;
    QList<Packet> m_packets;
    Packet m_pending;       // a binary packet waiting for its attachments
    bool m_hasPending = false;
};

#endif
