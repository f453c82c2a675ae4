// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "proc.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <dirent.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

namespace sioload {

long rssKiB(pid_t pid)
{
    const std::string path = "/proc/" + std::to_string(pid) + "/status";
    FILE *f = std::fopen(path.c_str(), "r");
    if (!f)
        return -1;
    char line[256];
    long value = -1;
    while (std::fgets(line, sizeof line, f)) {
        if (std::strncmp(line, "VmRSS:", 6) == 0) {
            value = std::strtol(line + 6, nullptr, 10);
            break;
        }
    }
    std::fclose(f);
    return value;
}

static std::int64_t statCpuMicros(const std::string &path);

// The live children of pid, from each of its threads' /proc/<pid>/task/<tid>/children.
static void appendChildren(pid_t pid, std::vector<pid_t> *out)
{
    const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
    DIR *dir = opendir(tasks.c_str());
    if (!dir)
        return;
    while (dirent *entry = readdir(dir)) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
            continue;
        if (FILE *f = std::fopen((tasks + "/" + entry->d_name + "/children").c_str(), "r")) {
            long child;
            while (std::fscanf(f, "%ld", &child) == 1)
                out->push_back(pid_t(child));
            std::fclose(f);
        }
    }
    closedir(dir);
}

std::int64_t cpuMicros(pid_t pid)
{
    const std::int64_t own = statCpuMicros("/proc/" + std::to_string(pid) + "/stat");
    if (own < 0)
        return own;
    // A server of several processes (node-cluster's workers) counts as the sum of its process tree; bounded, as
    // a tree can change while it is walked.
    std::int64_t total = own;
    std::vector<pid_t> pending;
    appendChildren(pid, &pending);
    for (std::size_t i = 0; i < pending.size() && i < 256; ++i) {
        const std::int64_t micros = statCpuMicros("/proc/" + std::to_string(pending[i]) + "/stat");
        if (micros > 0)
            total += micros;
        appendChildren(pending[i], &pending);
    }
    return total;
}

std::int64_t threadCpuMicros(pid_t pid, pid_t tid)
{
    return statCpuMicros("/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid) + "/stat");
}

std::string threadCpuList(pid_t pid)
{
    const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
    DIR *dir = opendir(tasks.c_str());
    if (!dir)
        return {};
    std::string out;
    while (dirent *entry = readdir(dir)) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
            continue;
        const std::string base = tasks + "/" + entry->d_name;
        std::string name = entry->d_name;
        if (FILE *f = std::fopen((base + "/comm").c_str(), "r")) {
            char comm[64] = {};
            if (std::fgets(comm, sizeof comm, f)) {
                name = comm;
                while (!name.empty() && (name.back() == '\n' || name.back() == ' '))
                    name.pop_back();
                for (char &c : name) {
                    if (c == ',' || c == ':' || c == '"' || c == '\\')
                        c = '_';
                }
                name += "#" + std::string(entry->d_name);
            }
            std::fclose(f);
        }
        const std::int64_t micros = statCpuMicros(base + "/stat");
        if (micros < 0)
            continue;
        if (!out.empty())
            out += ',';
        out += name + ":" + std::to_string(micros);
    }
    closedir(dir);
    return out;
}

static std::int64_t statCpuMicros(const std::string &path)
{
    FILE *f = std::fopen(path.c_str(), "r");
    if (!f)
        return -1;
    char buffer[1024];
    const std::size_t n = std::fread(buffer, 1, sizeof buffer - 1, f);
    std::fclose(f);
    buffer[n] = '\0';
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    const char *p = std::strrchr(buffer, ')');
    if (!p)
        return -1;
    ++p;
    // Field 3 (state) is the first after ')'; utime and stime are fields 14 and 15.
    int field = 2;
    unsigned long long utime = 0, stime = 0;
    while (*p && field < 15) {
        while (*p == ' ')
            ++p;
        ++field;
        if (field == 14)
            utime = std::strtoull(p, nullptr, 10);
        else if (field == 15)
            stime = std::strtoull(p, nullptr, 10);
        while (*p && *p != ' ')
            ++p;
    }
    const long ticks = sysconf(_SC_CLK_TCK);
    return std::int64_t((utime + stime) * 1000000ull / std::uint64_t(ticks > 0 ? ticks : 100));
}

std::int64_t machineBusyMicros()
{
    FILE *f = std::fopen("/proc/stat", "r");
    if (!f)
        return -1;
    unsigned long long v[8] = {};
    const int n = std::fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4],
                              &v[5], &v[6], &v[7]);
    std::fclose(f);
    if (n < 8)
        return -1;
    // user nice system idle iowait irq softirq steal
    const unsigned long long busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    const long ticks = sysconf(_SC_CLK_TCK);
    return std::int64_t(busy * 1000000ull / std::uint64_t(ticks > 0 ? ticks : 100));
}

std::int64_t selfCpuMicros()
{
    rusage usage = {};
    getrusage(RUSAGE_SELF, &usage);
    return std::int64_t(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000
            + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

bool pinCpus(pid_t serverPid, int loadCpu, int serverCpu)
{
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0 || CPU_COUNT(&allowed) < 2)
        return false;
    if (!CPU_ISSET(loadCpu, &allowed) || (serverCpu >= 0 && !CPU_ISSET(serverCpu, &allowed)))
        return false;
    cpu_set_t mine;
    CPU_ZERO(&mine);
    CPU_SET(loadCpu, &mine);
    if (sched_setaffinity(0, sizeof mine, &mine) != 0)
        return false;
    // serverCpu < 0: the server may run on every CPU this process may (the load generator's included).
    cpu_set_t theirs = allowed;
    if (serverCpu >= 0) {
        CPU_ZERO(&theirs);
        CPU_SET(serverCpu, &theirs);
    }
    const std::string tasks = "/proc/" + std::to_string(serverPid) + "/task";
    DIR *dir = opendir(tasks.c_str());
    if (!dir)
        return false;
    bool ok = true;
    while (dirent *entry = readdir(dir)) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
            continue;
        if (sched_setaffinity(pid_t(std::atoi(entry->d_name)), sizeof theirs, &theirs) != 0)
            ok = false;
    }
    closedir(dir);
    return ok;
}

} // namespace sioload
