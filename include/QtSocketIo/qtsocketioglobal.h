// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QTSOCKETIOGLOBAL_H
#define QTSOCKETIOGLOBAL_H

#include <QtCore/qglobal.h>
#include <QtSocketIo/qtsocketio_export.h>

#define QTSOCKETIO_VERSION_STR "0.1.0"

#endif
