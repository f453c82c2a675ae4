// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOREDISEVENTLOOP_P_H
#define QSOCKETIOREDISEVENTLOOP_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

// hiredis's own Qt event-loop adapter (RedisQtAdapter), which says "slots": this library builds with
// QT_NO_KEYWORDS, so the word is spelled out for that header only. Its moc output includes this file too.
#include <QtCore/qobject.h>
#include <QtCore/qsocketnotifier.h>

#define slots Q_SLOTS
#include <hiredis/adapters/qt.h>
#undef slots

#endif
