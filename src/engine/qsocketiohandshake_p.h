// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOHANDSHAKE_P_H
#define QSOCKETIOHANDSHAKE_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtSocketIo/qsocketiohandshake.h>

#include "engine/qengineio_p.h"

#include <QtCore/qdatetime.h>
#include <QtCore/qshareddata.h>
#include <QtNetwork/qhostaddress.h>

class QSocketIoHandshakePrivate : public QSharedData
{
public:
    QHttpHeaderList headers;
    QVariantMap query;
    QVariantMap auth;
    QHostAddress address;
    QDateTime time;
    QString url;
    bool secure = false;

    // What the engine saw of the request, with the auth payload of the CONNECT packet.
    static QSocketIoHandshake create(const QEngineIo::RequestInfo &request, const QVariantMap &auth);
};

#endif
