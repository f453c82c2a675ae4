// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOSOCKETEMITTER_H
#define QSOCKETIOSOCKETEMITTER_H

#include <QtSocketIo/qsocketioadapter.h>
#include <QtSocketIo/qsocketioremotesocket.h>
#include <QtSocketIo/qtsocketioglobal.h>

#include <QtCore/qlist.h>
#include <QtCore/qstringlist.h>
#include <QtCore/qvariant.h>

#include <functional>

class QObject;

class QTSOCKETIO_EXPORT QSocketIoSocketEmitter
{
public:
    using AckCallback = std::function<void(const QString &socketId, const QVariantList &args)>;
    using ReplyFunction = std::function<void(const QVariantList &args)>;

    virtual ~QSocketIoSocketEmitter();

    virtual QString namespaceName() const = 0;
    virtual QStringList socketIds() const = 0;
    virtual bool isWritable(const QString &socketId) const = 0;
    virtual void send(const QStringList &socketIds, const QSocketIoBroadcastPacket &packet, bool isVolatile) = 0;
    virtual QStringList sendWithAck(const QStringList &socketIds, const QSocketIoBroadcastPacket &packet,
                                    QObject *lifetime, const AckCallback &ack) = 0;
    virtual void joinRooms(const QStringList &socketIds, const QStringList &rooms) = 0;
    virtual void leaveRooms(const QStringList &socketIds, const QStringList &rooms) = 0;
    virtual void disconnectSockets(const QStringList &socketIds, bool close) = 0;
    virtual QList<QSocketIoRemoteSocket> socketSnapshots(const QStringList &socketIds) const = 0;
    virtual void serverSideEvent(const QString &event, const QVariantList &args, const ReplyFunction &reply) = 0;

protected:
    QSocketIoSocketEmitter() = default;

private:
    Q_DISABLE_COPY(QSocketIoSocketEmitter)
};

#endif
