// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QTSOCKETIOGLOBAL_H
#define QTSOCKETIOGLOBAL_H

#include <QtCore/qglobal.h>
#include <QtSocketIo/qtsocketio_export.h>
#include <QtSocketIo/qtsocketioversion.h>   // generated from project(VERSION): QTSOCKETIO_VERSION, ..._CHECK, ..._STR

#endif
