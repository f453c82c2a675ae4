// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef SIOLOAD_PROC_H
#define SIOLOAD_PROC_H

// What the load generator reads about the server process from /proc, and CPU pinning.

#include <cstdint>
#include <string>
#include <sys/types.h>

namespace sioload {

// VmRSS of the process in KiB; -1 when it cannot be read.
long rssKiB(pid_t pid);
// utime + stime of the whole process (all threads) and of its live descendants (node-cluster's workers), in
// microseconds; -1 when it cannot be read.
std::int64_t cpuMicros(pid_t pid);
// utime + stime of one thread (task tid of process pid), in microseconds; -1 when it cannot be read.
std::int64_t threadCpuMicros(pid_t pid, pid_t tid);
// Each thread of pid with its name and utime + stime in microseconds, as "name#tid:micros" joined by ',' (for
// the per-thread split of the server's CPU).
std::string threadCpuList(pid_t pid);
// CPU time all processes on the machine spent (user, nice, system, irq, softirq, steal), in microseconds:
// what is left after the server's and the load generator's share is noise from other work.
std::int64_t machineBusyMicros();
// This process's own CPU time (user + system), in microseconds.
std::int64_t selfCpuMicros();
// Pins this process to cpu loadCpu and every thread of pid to serverCpu (serverCpu < 0: to every CPU this
// process may use), when the machine has at least two CPUs. Returns false (and changes nothing) otherwise.
bool pinCpus(pid_t serverPid, int loadCpu, int serverCpu);

} // namespace sioload

#endif
