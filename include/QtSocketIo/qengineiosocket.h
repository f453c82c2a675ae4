// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QENGINEIOSOCKET_H
#define QENGINEIOSOCKET_H

#include <QtSocketIo/qsocketiohandshake.h>
#include <QtSocketIo/qtsocketioglobal.h>

#include <QtCore/qobject.h>
#include <QtNetwork/qhostaddress.h>

#include <memory>

class QEngineIoSocketPrivate;
class QEngineIoServerFacade;

// One Engine.IO connection (Node's engine.io Socket, socket.conn in Socket.IO).
class QTSOCKETIO_EXPORT QEngineIoSocket : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString id READ id CONSTANT)
    Q_PROPERTY(QString transport READ transport NOTIFY upgraded)
    Q_PROPERTY(ReadyState readyState READ readyState NOTIFY readyStateChanged)
    Q_PROPERTY(bool upgrading READ isUpgrading NOTIFY upgradingChanged)
    Q_PROPERTY(int protocol READ protocol CONSTANT)
    Q_PROPERTY(QSocketIoHandshake request READ request CONSTANT)
    Q_PROPERTY(QString remoteAddress READ remoteAddress CONSTANT)
public:
    enum class ReadyState { Opening, Open, Closing, Closed };
    Q_ENUM(ReadyState)
    enum class PacketType { Open, Close, Ping, Pong, Message, Upgrade, Noop };
    Q_ENUM(PacketType)

    ~QEngineIoSocket() override;

    QString id() const;
    QString transport() const;
    ReadyState readyState() const;
    bool isUpgrading() const;
    bool isUpgraded() const;
    int protocol() const;
    QSocketIoHandshake request() const;
    QString remoteAddress() const;
    QHostAddress peerAddress() const;
    quint16 peerPort() const;

    bool sendText(const QString &text);
    bool sendBinary(const QByteArray &data);
    void close();

Q_SIGNALS:
    void message(const QString &text);
    void binaryMessage(const QByteArray &data);
    void closed(const QString &reason, const QString &description);
    void upgrading();
    void upgraded();
    void packet(QEngineIoSocket::PacketType type, const QByteArray &data);
    void packetCreate(QEngineIoSocket::PacketType type, const QByteArray &data);
    void flush(int packetCount);
    void drain();
    void heartbeat();
    void readyStateChanged();
    void upgradingChanged();

protected:
    void connectNotify(const QMetaMethod &signal) override;

private:
    friend class QEngineIoServerFacade;
    friend class QEngineIoSocketPrivate;
    explicit QEngineIoSocket(QObject *parent);
    Q_DISABLE_COPY(QEngineIoSocket)
    Q_DECLARE_PRIVATE(QEngineIoSocket)
    std::unique_ptr<QEngineIoSocketPrivate> d_ptr;
};

#endif
