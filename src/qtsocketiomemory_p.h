// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QTSOCKETIOMEMORY_P_H
#define QTSOCKETIOMEMORY_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

namespace QtSocketIoPrivate {

// After a burst of frees that a hostile client caused (a slow consumer's write buffers, thousands of namespaces),
// asks the C library, a second later and once for all the requests of that second, to give the freed memory back
// to the system (glibc's malloc_trim()). glibc keeps freed heap blocks, and after earlier large frees it serves
// even megabyte buffers from the heap, so without this the process's RSS stays at its peak. Elsewhere: nothing.
void scheduleMemoryTrim();

} // namespace QtSocketIoPrivate

#endif
