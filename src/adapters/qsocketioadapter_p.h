// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOADAPTER_P_H
#define QSOCKETIOADAPTER_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtSocketIo/qsocketioadapter.h>

class QSocketIoAdapterPrivate
{
    Q_DECLARE_PUBLIC(QSocketIoAdapter)
public:
    static QSocketIoAdapterPrivate *get(QSocketIoAdapter *adapter) { return adapter->d_func(); }
    virtual ~QSocketIoAdapterPrivate() = default;

    QSocketIoAdapter *q_ptr = nullptr;
    QSocketIoNamespace *nsp = nullptr;
    // The namespace's side of the seam; set by the namespace when it installs the adapter.
    QSocketIoSocketEmitter *emitter = nullptr;
};

#endif
