// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QTSOCKETIOLOGGING_P_H
#define QTSOCKETIOLOGGING_P_H

#include <QtCore/qloggingcategory.h>

// Quiet by default: only warnings are printed. Turn a category on with
// QT_LOGGING_RULES="qtsocketio.engine.debug=true" (or qtsocketio.*.debug=true).
Q_DECLARE_LOGGING_CATEGORY(lcEngine)         // qtsocketio.engine
Q_DECLARE_LOGGING_CATEGORY(lcEngineVerbose)  // qtsocketio.engine.verbose: every packet
Q_DECLARE_LOGGING_CATEGORY(lcHttp)           // qtsocketio.http
Q_DECLARE_LOGGING_CATEGORY(lcProtocol)       // qtsocketio.protocol
Q_DECLARE_LOGGING_CATEGORY(lcServer)         // qtsocketio.server
Q_DECLARE_LOGGING_CATEGORY(lcAdapter)        // qtsocketio.adapter
Q_DECLARE_LOGGING_CATEGORY(lcRecovery)       // qtsocketio.recovery: connection state recovery
Q_DECLARE_LOGGING_CATEGORY(lcAdminUi)        // qtsocketio.adminui: the Admin UI instrumentation (QSocketIoAdminUi)

#endif
