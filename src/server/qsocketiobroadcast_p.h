// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOBROADCAST_P_H
#define QSOCKETIOBROADCAST_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtSocketIo/qsocketiobroadcast.h>
#include <QtSocketIo/qsocketionamespace.h>

#include <QtSocketIo/qsocketioadapter.h>

#include "server/qsocketionamespace_p.h"

#include <QtCore/qpointer.h>
#include <QtCore/qshareddata.h>

class QSocketIoBroadcastPrivate : public QSharedData
{
public:
    QPointer<QSocketIoNamespace> nsp;
    QSocketIoBroadcastOptions options;   // with the flags: local, volatile, compress, timeout
    // QSocketIoSocket::asVolatile(), timeout(), compress(): emits go to that one socket (options.rooms is
    // its id, local), with single-recipient acknowledgements; to(), except() and local() turn it into a
    // broadcast to the others that keeps the flags.
    bool single = false;
    // QSocketIoRemoteSocket::timeout(): emitWithAck() answers with the one socket's arguments.
    bool singleResponse = false;
    QPointer<QSocketIoSocket> self;
    QString selfId;

    void leaveSingle()
    {
        if (!single)
            return;
        single = false;
        self = nullptr;
        options.rooms.clear();
        options.local = false;
        if (!options.except.contains(selfId))
            options.except.append(selfId);
    }

    // The sockets selected in every target namespace.
    QList<QSocketIoSocket *> select() const
    {
        QList<QSocketIoSocket *> out;
        if (!nsp)
            return out;
        for (QSocketIoNamespace *target : QSocketIoNamespacePrivate::get(nsp)->targets()) {
            QSocketIoNamespacePrivate *d = QSocketIoNamespacePrivate::get(target);
            const QStringList ids = d->adapter->selectSockets(options);
            for (const QString &id : ids) {
                if (QSocketIoSocket *socket = d->sockets.value(id))
                    out.append(socket);
            }
        }
        return out;
    }
};

#endif
