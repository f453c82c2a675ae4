// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qtsocketiologging_p.h"

Q_LOGGING_CATEGORY(lcEngine, "qtsocketio.engine", QtWarningMsg)
Q_LOGGING_CATEGORY(lcEngineVerbose, "qtsocketio.engine.verbose", QtWarningMsg)
Q_LOGGING_CATEGORY(lcHttp, "qtsocketio.http", QtWarningMsg)
Q_LOGGING_CATEGORY(lcProtocol, "qtsocketio.protocol", QtWarningMsg)
Q_LOGGING_CATEGORY(lcServer, "qtsocketio.server", QtWarningMsg)
Q_LOGGING_CATEGORY(lcAdapter, "qtsocketio.adapter", QtWarningMsg)
Q_LOGGING_CATEGORY(lcRecovery, "qtsocketio.recovery", QtWarningMsg)
Q_LOGGING_CATEGORY(lcAdminUi, "qtsocketio.adminui", QtWarningMsg)
