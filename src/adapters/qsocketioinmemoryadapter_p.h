// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOINMEMORYADAPTER_P_H
#define QSOCKETIOINMEMORYADAPTER_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtSocketIo/qsocketioinmemoryadapter.h>

#include "adapters/qsocketioadapter_p.h"

#include <QtCore/qhash.h>
#include <QtCore/qset.h>

class QSocketIoInMemoryAdapterPrivate : public QSocketIoAdapterPrivate
{
    Q_DECLARE_PUBLIC(QSocketIoInMemoryAdapter)
public:
    QHash<QString, QSet<QString>> rooms;       // room -> socket ids
    QHash<QString, QStringList> socketRooms;   // socket id -> rooms, in join order
};

#endif
