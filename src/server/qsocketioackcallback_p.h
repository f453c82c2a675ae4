// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOACKCALLBACK_P_H
#define QSOCKETIOACKCALLBACK_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtSocketIo/qsocketioackcallback.h>

#include <QtCore/qshareddata.h>

#include <functional>

class QSocketIoAckCallbackPrivate : public QSharedData
{
public:
    // A callback that hands the answer to send, once.
    static QSocketIoAckCallback create(const std::function<void(const QVariantList &)> &send);

    std::function<void(const QVariantList &)> send;
    bool answered = false;
};

#endif
