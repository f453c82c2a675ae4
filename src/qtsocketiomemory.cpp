// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qtsocketiomemory_p.h"

#include <QtCore/qtimer.h>

#include <atomic>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace QtSocketIoPrivate {

void scheduleMemoryTrim()
{
#if defined(__GLIBC__)
    static std::atomic<bool> scheduled = false;
    if (scheduled.exchange(true))
        return;
    // In the calling thread's event loop (the server's).
    QTimer::singleShot(1000, [] {
        scheduled = false;
        malloc_trim(0);
    });
#endif
}

} // namespace QtSocketIoPrivate
