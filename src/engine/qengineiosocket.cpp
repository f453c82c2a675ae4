// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "engine/qengineiosocket_p.h"
#include "engine/qsocketiohandshake_p.h"

#include <QtCore/qmetaobject.h>

using namespace QEngineIo;

// --- QEngineIoSocketPrivate ------------------------------------------------------------------------------------

void QEngineIoSocketPrivate::packetReceived(int type, const QByteArray &data)
{
    Q_Q(QEngineIoSocket);
    static const QMetaMethod signal = QMetaMethod::fromSignal(&QEngineIoSocket::packet);
    if (q->isSignalConnected(signal))
        Q_EMIT q->packet(QEngineIoSocket::PacketType(type), data);
}

void QEngineIoSocketPrivate::packetCreated(int type, const QByteArray &data)
{
    Q_Q(QEngineIoSocket);
    static const QMetaMethod signal = QMetaMethod::fromSignal(&QEngineIoSocket::packetCreate);
    if (q->isSignalConnected(signal))
        Q_EMIT q->packetCreate(QEngineIoSocket::PacketType(type), data);
}

void QEngineIoSocketPrivate::flushed(int packetCount)
{
    Q_Q(QEngineIoSocket);
    QPointer<QEngineIoSocket> guard(q);
    Q_EMIT q->flush(packetCount);
    if (guard)
        Q_EMIT q->drain();
}

void QEngineIoSocketPrivate::heartbeat()
{
    Q_EMIT q_func()->heartbeat();
}

void QEngineIoSocketPrivate::upgrading()
{
    Q_Q(QEngineIoSocket);
    QPointer<QEngineIoSocket> guard(q);
    Q_EMIT q->upgradingChanged();
    if (guard)
        Q_EMIT q->upgrading();
}

bool QEngineIoSocketPrivate::wantsPackets() const
{
    Q_Q(const QEngineIoSocket);
    static const QMetaMethod perPacket[] = {
        QMetaMethod::fromSignal(&QEngineIoSocket::packet), QMetaMethod::fromSignal(&QEngineIoSocket::packetCreate),
        QMetaMethod::fromSignal(&QEngineIoSocket::flush), QMetaMethod::fromSignal(&QEngineIoSocket::drain),
        QMetaMethod::fromSignal(&QEngineIoSocket::heartbeat),
    };
    for (const QMetaMethod &signal : perPacket) {
        if (q->isSignalConnected(signal))
            return true;
    }
    return false;
}

void QEngineIoSocketPrivate::detach()
{
    if (session && session->observer() == this)
        session->setObserver(nullptr);
    session = nullptr;
}

// --- QEngineIoSocket -------------------------------------------------------------------------------------------

QEngineIoSocket::QEngineIoSocket(QObject *parent)
    : QObject(parent), d_ptr(std::make_unique<QEngineIoSocketPrivate>(this))
{
}

QEngineIoSocket::~QEngineIoSocket()
{
    d_func()->detach();
}

QString QEngineIoSocket::id() const { return d_func()->id; }

QString QEngineIoSocket::transport() const
{
    Q_D(const QEngineIoSocket);
    return QString::fromLatin1(transportName(d->session ? d->session->transport() : d->transport));
}

QEngineIoSocket::ReadyState QEngineIoSocket::readyState() const
{
    Q_D(const QEngineIoSocket);
    if (d->closed || !d->session)
        return ReadyState::Closed;
    switch (d->session->state()) {
    case QEngineIoSession::State::Open: return ReadyState::Open;
    case QEngineIoSession::State::Closing: return ReadyState::Closing;
    case QEngineIoSession::State::Closed: break;
    }
    return ReadyState::Closed;
}

bool QEngineIoSocket::isUpgrading() const
{
    Q_D(const QEngineIoSocket);
    return d->session && !d->closed && d->session->isUpgrading();
}

bool QEngineIoSocket::isUpgraded() const
{
    Q_D(const QEngineIoSocket);
    return d->upgraded;
}

int QEngineIoSocket::protocol() const { return d_func()->request.protocol; }

QSocketIoHandshake QEngineIoSocket::request() const
{
    Q_D(const QEngineIoSocket);
    return QSocketIoHandshakePrivate::create(d->request, {});
}

QString QEngineIoSocket::remoteAddress() const { return d_func()->request.peerAddress.toString(); }
QHostAddress QEngineIoSocket::peerAddress() const { return d_func()->request.peerAddress; }
quint16 QEngineIoSocket::peerPort() const { return d_func()->request.peerPort; }

bool QEngineIoSocket::sendText(const QString &text)
{
    Q_D(QEngineIoSocket);
    if (d->closed || !d->session || !d->session->isOpen())
        return false;
    d->session->send(text.toUtf8(), false);
    return true;
}

bool QEngineIoSocket::sendBinary(const QByteArray &data)
{
    Q_D(QEngineIoSocket);
    if (d->closed || !d->session || !d->session->isOpen())
        return false;
    d->session->send(data, true);
    return true;
}

void QEngineIoSocket::connectNotify(const QMetaMethod &signal)
{
    // With I/O threads the session's packets are reported to this thread only once somebody listens.
    static const QMetaMethod perPacket[] = {
        QMetaMethod::fromSignal(&QEngineIoSocket::packet), QMetaMethod::fromSignal(&QEngineIoSocket::packetCreate),
        QMetaMethod::fromSignal(&QEngineIoSocket::flush), QMetaMethod::fromSignal(&QEngineIoSocket::drain),
        QMetaMethod::fromSignal(&QEngineIoSocket::heartbeat),
    };
    Q_D(QEngineIoSocket);
    if (!d->session || d->closed)
        return;
    for (const QMetaMethod &method : perPacket) {
        if (signal == method) {
            d->session->requestPacketReports();
            return;
        }
    }
}

void QEngineIoSocket::close()
{
    Q_D(QEngineIoSocket);
    if (d->session && !d->closed)
        d->session->close();
}
