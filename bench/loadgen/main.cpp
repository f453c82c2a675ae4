// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// sioload: the benchmark load generator. Runs one scenario against a Socket.IO server on 127.0.0.1 and
// prints one JSON line with the figures. The same client, byte for byte, for every server.
//
//   sioload --port P --server-pid PID --scenario s1|s2|s3|s3mp|s4ws|s4poll|s5 [options]
//   sioload --port P --port2 P2 --server-pid PID --scenario s6 [options]
//
// s6: two nodes of one cluster (the same adapter on both): half the receivers on each, the sender on the first;
// broadcast latency on the second node (across the adapter) and on the first, p50 / p99, and deliveries/s.
//
// s3mp is S3 in socket.io-msgpack-parser's wire format (the servers run with --parser msgpack).
//
// The server must behave like bench/server/benchserver.cpp: every socket joins room "all", "echo" acks
// with its arguments, "bcast" emits its payload to room "all".

#include "loop.h"
#include "proc.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace sioload;

namespace {

struct Options
{
    std::uint16_t port = 0;
    std::uint16_t port2 = 0;       // S6: the second node
    pid_t serverPid = 0;
    std::string scenario;
    std::string label = "server";
    int rep = 1;
    bool pin = true;
    bool spreadServer = false;
    bool busyPoll = false;
    int concurrency = 32;          // handshakes in flight
    int warmupMs = 1000;
    int measureMs = 5000;
    std::vector<int> s1Counts = {1000, 10000};
    int s1SettleMs = 2000;
    int receivers = 1000;          // S2
    int window = 32;               // S2: broadcasts in flight
    int payloadSize = 100;         // S2
    int echoClients = 100;         // S3
    bool echoString = false;       // S3: a plain string instead of the small object
    int connectsWs = 2000;         // S4 WebSocket
    int connectsPolling = 1000;    // S4 polling then upgrade
    int binaryClients = 10;        // S5
    int binarySize = 64 * 1024;    // S5
};

std::int64_t msToNs(std::int64_t ms) { return ms * 1000000; }

// One JSON object, written by hand: numbers and strings only.
class Json
{
public:
    void add(const std::string &key, double value)
    {
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%.6g", value);
        m_fields.emplace_back(key, buffer);
    }
    void add(const std::string &key, const std::string &value) { m_fields.emplace_back(key, quote(value)); }
    void addRaw(const std::string &key, const std::string &raw) { m_fields.emplace_back(key, raw); }
    std::string str() const
    {
        std::string out = "{";
        for (std::size_t i = 0; i < m_fields.size(); ++i) {
            if (i)
                out += ',';
            out += quote(m_fields[i].first) + ':' + m_fields[i].second;
        }
        return out + '}';
    }
    static std::string quote(const std::string &s)
    {
        std::string out = "\"";
        for (char c : s) {
            if (c == '"' || c == '\\')
                out += '\\';
            if (std::uint8_t(c) < 0x20)
                c = ' ';
            out += c;
        }
        return out + '"';
    }

private:
    std::vector<std::pair<std::string, std::string>> m_fields;
};

// A snapshot of the counters a measured interval is computed from.
struct Mark
{
    std::int64_t t = 0;
    std::int64_t serverCpu = 0;
    std::int64_t serverMainCpu = 0;   // the server's main thread (its tid is its pid)
    std::int64_t selfCpu = 0;
    std::int64_t machineBusy = 0;
    std::int64_t loadWork = 0;
    std::uint64_t count = 0;
    std::string threads;   // threadCpuList() of the server
};

// The CPU each server thread used between two threadCpuList()s, in microseconds: "name#tid:micros,...".
static std::string threadCpuDelta(const std::string &a, const std::string &b)
{
    auto parse = [](const std::string &list) {
        std::vector<std::pair<std::string, long long>> out;
        std::size_t start = 0;
        while (start < list.size()) {
            std::size_t end = list.find(',', start);
            if (end == std::string::npos)
                end = list.size();
            const std::string item = list.substr(start, end - start);
            const std::size_t colon = item.rfind(':');
            if (colon != std::string::npos)
                out.emplace_back(item.substr(0, colon), std::atoll(item.c_str() + colon + 1));
            start = end + 1;
        }
        return out;
    };
    const auto before = parse(a);
    std::string out;
    for (const auto &[name, micros] : parse(b)) {
        long long base = 0;
        for (const auto &[n, m] : before) {
            if (n == name)
                base = m;
        }
        if (!out.empty())
            out += ',';
        out += name + ":" + std::to_string(micros - base);
    }
    return out;
}

class Scenario : public Handler
{
public:
    explicit Scenario(const Options &options)
        : opt(options), loop(options.port, this) {}

    // Runs the scenario; fills metrics; returns false with error set on failure.
    virtual bool run() = 0;

    void onReady(Conn *c) override
    {
        --connecting;
        ++joinedCount;
        conns.push_back(c);
    }
    void onFailed(Conn *c, const char *why) override
    {
        if (!c->joined)
            --connecting;
        if (++failures <= 5)
            std::fprintf(stderr, "sioload[%s %s]: connection %u failed: %s\n", opt.label.c_str(),
                         opt.scenario.c_str(), c->index, why);
        std::replace(conns.begin(), conns.end(), c, static_cast<Conn *>(nullptr));
        if (c->joined)
            lostAfterJoin = true;
    }

    // Opens count more clients, at most opt.concurrency handshakes at a time. True when all joined.
    bool connectMany(int count, Mode mode, int timeoutMs)
    {
        int started = 0;
        const std::uint64_t target = joinedCount + std::uint64_t(count);
        const std::uint64_t failuresBefore = failures;
        const bool ok = loop.runUntil(
                [&] { return joinedCount >= target || failures > failuresBefore + 10; },
                nowNs() + msToNs(timeoutMs),
                [&] {
                    while (started < count && connecting < opt.concurrency) {
                        ++connecting;
                        ++started;
                        if (!loop.connect(nextIndex++, mode)) {
                            --connecting;
                            ++failures;
                        }
                    }
                });
        if (!ok || joinedCount < target) {
            error = "could not open " + std::to_string(count) + " connections (" + std::to_string(joinedCount)
                    + " joined, " + std::to_string(failures) + " failed)";
            return false;
        }
        return true;
    }

    void idle(int ms)
    {
        loop.runUntil([] { return false; }, nowNs() + msToNs(ms));
    }

    void closeAll()
    {
        for (Conn *c : conns) {
            if (c)
                loop.close(c);
        }
        conns.clear();
        // Connections still handshaking are closed by the Loop's destructor.
    }

    Mark mark(std::uint64_t count) const
    {
        Mark mark{nowNs(), cpuMicros(opt.serverPid), threadCpuMicros(opt.serverPid, opt.serverPid), selfCpuMicros(),
                  machineBusyMicros(), loop.stats().workNs, count, threadCpuList(opt.serverPid)};
        return mark;
    }

    // Fills the figures every measured interval has.
    void addIntervalFigures(const Mark &a, const Mark &b)
    {
        const double seconds = double(b.t - a.t) / 1e9;
        metrics.add("seconds", seconds);
        metrics.add("server_cpu_pct", 100.0 * double(b.serverCpu - a.serverCpu) / 1e6 / seconds);
        // The share of the server's CPU on its main thread, and the speed-up that bounds (total / main): with I/O
        // threads, how many cores the main thread could feed.
        const double total = double(b.serverCpu - a.serverCpu);
        const double mainThread = double(b.serverMainCpu - a.serverMainCpu);
        metrics.add("server_main_cpu_pct", 100.0 * mainThread / 1e6 / seconds);
        metrics.add("server_main_share_pct", total > 0 ? 100.0 * mainThread / total : 0);
        metrics.add("speedup_bound", mainThread > 0 ? total / mainThread : 0);
        metrics.add("server_thread_us", threadCpuDelta(a.threads, b.threads));
        loadgenCpuPct = 100.0 * double(b.selfCpu - a.selfCpu) / 1e6 / seconds;
        loadgenBusyPct = 100.0 * double(b.loadWork - a.loadWork) / 1e9 / seconds;
        // Everything else that ran meanwhile (other processes, kernel work not charged to either).
        const double other = double((b.machineBusy - a.machineBusy) - (b.serverCpu - a.serverCpu) - (b.selfCpu - a.selfCpu));
        otherCpuPct = std::max(0.0, 100.0 * other / 1e6 / seconds);
    }

    const Options &opt;
    Loop loop;
    Json metrics;
    std::string error;
    std::vector<Conn *> conns;
    int connecting = 0;
    std::uint32_t nextIndex = 0;
    std::uint64_t joinedCount = 0;
    std::uint64_t failures = 0;
    bool lostAfterJoin = false;
    double loadgenCpuPct = -1;
    double otherCpuPct = -1;
    double loadgenBusyPct = -1;
};

// S1: server RSS growth per idle connection.
class IdleMemory : public Scenario
{
public:
    using Scenario::Scenario;
    bool run() override
    {
        // A few connections first, so that what a server loads or compiles on first use is in the baseline.
        if (!connectMany(50, Mode::WebSocket, 20000))
            return false;
        idle(1000);
        const long base = rssKiB(opt.serverPid);
        metrics.add("rss_base_kib", double(base));
        int total = 0;
        std::int64_t connectNs = 0;
        for (int target : opt.s1Counts) {
            const std::int64_t t0 = nowNs();
            if (!connectMany(target - total, Mode::WebSocket, 120000))
                return false;
            connectNs += nowNs() - t0;
            total = target;
            idle(opt.s1SettleMs);
            const long rss = rssKiB(opt.serverPid);
            metrics.add("kib_per_conn_" + std::to_string(target), double(rss - base) / double(target));
            if (lostAfterJoin) {
                error = "the server closed idle connections";
                return false;
            }
        }
        metrics.add("connects_per_s", double(total) / (double(connectNs) / 1e9));
        return true;
    }
};

// S2: broadcast fan-out.
class Broadcast : public Scenario
{
public:
    using Scenario::Scenario;
    static constexpr int Ring = 4096;

    bool run() override
    {
        if (!connectMany(opt.receivers + 1, Mode::WebSocket, 60000))
            return false;
        sender = conns.back();
        expected = std::uint32_t(conns.size());   // every socket is in "all", the sender too
        idle(300);
        counts.assign(Ring, 0);
        payloadText.assign(std::size_t(std::max(opt.payloadSize, 10)), 'x');
        payloadText[0] = 'b';

        std::int64_t lastProgress = nowNs();
        std::uint64_t lastCompleted = 0;
        auto tick = [&] {
            topUp();
            if (completed != lastCompleted) {
                lastCompleted = completed;
                lastProgress = nowNs();
            }
        };
        auto stalled = [&] { return nowNs() - lastProgress > msToNs(5000) || !sender || lostAfterJoin; };

        topUp();
        const std::int64_t warmEnd = nowNs() + msToNs(opt.warmupMs);
        loop.runUntil([&] { return stalled() || nowNs() >= warmEnd; }, warmEnd + msToNs(1000), tick);
        const Mark a = mark(deliveries);
        const std::uint64_t completedA = completed;
        const std::int64_t end = a.t + msToNs(opt.measureMs);
        loop.runUntil([&] { return stalled() || nowNs() >= end; }, end + msToNs(1000), tick);
        const Mark b = mark(deliveries);
        if (stalled()) {
            error = "broadcasts stalled";
            return false;
        }
        addIntervalFigures(a, b);
        const double seconds = double(b.t - a.t) / 1e9;
        const double delivered = double(b.count - a.count);
        if (delivered <= 0 || badPayloads > 0) {
            error = "broadcasts missing or wrong (" + std::to_string(badPayloads) + " wrong)";
            return false;
        }
        metrics.add("receivers", double(expected));
        metrics.add("window", double(opt.window));
        metrics.add("deliveries_per_s", delivered / seconds);
        metrics.add("broadcasts_per_s", double(completed - completedA) / seconds);
        metrics.add("server_us_per_delivery", delivered > 0 ? double(b.serverCpu - a.serverCpu) / delivered : 0);
        metrics.add("server_main_us_per_delivery",
                    delivered > 0 ? double(b.serverMainCpu - a.serverMainCpu) / delivered : 0);
        metrics.add("bad_payloads", double(badPayloads));
        return true;
    }

    void topUp()
    {
        while (sender && sent - completed < std::uint64_t(opt.window)) {
            char digits[16];
            std::snprintf(digits, sizeof digits, "%08llu", static_cast<unsigned long long>(sent % 100000000));
            std::memcpy(&payloadText[1], digits, 8);
            std::string packet = "2[\"bcast\",\"";
            packet += payloadText;
            packet += "\"]";
            loop.sendSio(sender, packet);
            ++sent;
        }
    }

    void onEvent(Conn *, std::string_view json) override
    {
        static constexpr std::string_view prefix = "[\"bcast\",\"b";
        if (json.size() != prefix.size() + payloadText.size() + 1 || json.compare(0, prefix.size(), prefix) != 0) {
            ++badPayloads;
            return;
        }
        std::uint64_t seq = 0;
        for (std::size_t i = prefix.size(); i < prefix.size() + 8; ++i)
            seq = seq * 10 + std::uint64_t(json[i] - '0');
        ++deliveries;
        std::uint32_t &n = counts[seq % Ring];
        if (++n == expected) {
            n = 0;
            ++completed;
        }
    }
    void onFailed(Conn *c, const char *why) override
    {
        if (c == sender)
            sender = nullptr;
        Scenario::onFailed(c, why);
    }

    Conn *sender = nullptr;
    std::uint32_t expected = 0;
    std::vector<std::uint32_t> counts;
    std::string payloadText;
    std::uint64_t sent = 0;
    std::uint64_t completed = 0;
    std::uint64_t deliveries = 0;
    std::uint64_t badPayloads = 0;
};

// S6: cross-node broadcast. The sender and half the receivers on node A (--port), the other half on node B
// (--port2), every socket in "all" on its node, the nodes linked by a cluster adapter. Closed loop with a window
// as S2; a broadcast counts as complete when every socket got it, or as lost 3 s after it was sent. Latency from
// the send to each delivery, kept apart for node B's sockets (through the adapter) and node A's.
class CrossNode : public Scenario
{
public:
    using Scenario::Scenario;
    static constexpr int Ring = 4096;
    static constexpr std::int64_t LostAfterNs = 3000000000;

    bool run() override
    {
        const int half = std::max(1, opt.receivers / 2);
        if (!connectMany(half + 1, Mode::WebSocket, 60000))
            return false;
        sender = conns.back();
        firstRemote = nextIndex;
        loop.setPort(opt.port2);
        if (!connectMany(half, Mode::WebSocket, 60000))
            return false;
        expected = std::uint32_t(conns.size());
        idle(500);
        counts.assign(Ring, 0);
        sentAt.assign(Ring, 0);
        payloadText.assign(std::size_t(std::max(opt.payloadSize, 10)), 'x');
        payloadText[0] = 'b';

        auto tick = [&] {
            retire();
            topUp();
        };
        auto broken = [&] { return !sender || lostAfterJoin; };
        topUp();
        // At least 3 s of warm-up: what a node sent before both were linked is retired as lost first.
        const std::int64_t warmEnd = nowNs() + msToNs(std::max(opt.warmupMs, 3000));
        loop.runUntil([&] { return broken() || nowNs() >= warmEnd; }, warmEnd + msToNs(1000), tick);
        remoteLatency.clear();
        localLatency.clear();
        measuring = true;
        const std::uint64_t lostA = lost;
        const std::uint64_t completedA = completed;
        const Mark a = mark(deliveries);
        const std::int64_t end = a.t + msToNs(opt.measureMs);
        loop.runUntil([&] { return broken() || nowNs() >= end; }, end + msToNs(1000), tick);
        const Mark b = mark(deliveries);
        measuring = false;
        if (broken()) {
            error = "a connection was lost";
            return false;
        }
        addIntervalFigures(a, b);
        const double seconds = double(b.t - a.t) / 1e9;
        const double delivered = double(b.count - a.count);
        if (delivered <= 0 || remoteLatency.empty() || badPayloads > 0) {
            error = "no broadcast crossed the nodes (" + std::to_string(badPayloads) + " wrong payloads)";
            return false;
        }
        metrics.add("receivers", double(expected));
        metrics.add("window", double(opt.window));
        metrics.add("deliveries_per_s", delivered / seconds);
        metrics.add("broadcasts_per_s", double(completed - completedA) / seconds);
        metrics.add("lost_broadcasts", double(lost - lostA));
        metrics.add("remote_p50_ms", percentile(remoteLatency, 0.50));
        metrics.add("remote_p99_ms", percentile(remoteLatency, 0.99));
        metrics.add("local_p50_ms", percentile(localLatency, 0.50));
        metrics.add("local_p99_ms", percentile(localLatency, 0.99));
        metrics.add("bad_payloads", double(badPayloads));
        return true;
    }

    static double percentile(std::vector<std::int64_t> &v, double q)
    {
        if (v.empty())
            return 0;
        const std::size_t k = std::min(v.size() - 1, std::size_t(q * double(v.size())));
        std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(k), v.end());
        return double(v[k]) / 1e6;
    }

    void topUp()
    {
        while (sender && sent - completed < std::uint64_t(opt.window)) {
            char digits[16];
            std::snprintf(digits, sizeof digits, "%08llu", static_cast<unsigned long long>(sent % 100000000));
            std::memcpy(&payloadText[1], digits, 8);
            std::string packet = "2[\"bcast\",\"";
            packet += payloadText;
            packet += "\"]";
            sentAt[sent % Ring] = nowNs();
            counts[sent % Ring] = 0;
            loop.sendSio(sender, packet);
            ++sent;
        }
    }

    // In send order: what every socket got, or what waited too long.
    void retire()
    {
        const std::int64_t now = nowNs();
        while (completed < sent) {
            const std::size_t slot = completed % Ring;
            if (counts[slot] >= expected) {
                ++completed;
            } else if (now - sentAt[slot] > LostAfterNs) {
                ++lost;
                ++completed;
            } else {
                break;
            }
        }
    }

    void onEvent(Conn *c, std::string_view json) override
    {
        static constexpr std::string_view prefix = "[\"bcast\",\"b";
        if (json.size() != prefix.size() + payloadText.size() + 1 || json.compare(0, prefix.size(), prefix) != 0) {
            ++badPayloads;
            return;
        }
        std::uint64_t seq = 0;
        for (std::size_t i = prefix.size(); i < prefix.size() + 8; ++i)
            seq = seq * 10 + std::uint64_t(json[i] - '0');
        // Only what is still outstanding (a late one of a retired broadcast is not counted twice).
        if (seq < completed % 100000000 || seq >= sent % 100000000)
            return;
        ++deliveries;
        const std::size_t slot = seq % Ring;
        ++counts[slot];
        if (measuring) {
            const std::int64_t latency = nowNs() - sentAt[slot];
            (c->index >= firstRemote ? remoteLatency : localLatency).push_back(latency);
        }
    }
    void onFailed(Conn *c, const char *why) override
    {
        if (c == sender)
            sender = nullptr;
        Scenario::onFailed(c, why);
    }

    Conn *sender = nullptr;
    std::uint32_t firstRemote = 0;
    std::uint32_t expected = 0;
    std::vector<std::uint32_t> counts;
    std::vector<std::int64_t> sentAt;
    std::vector<std::int64_t> remoteLatency;
    std::vector<std::int64_t> localLatency;
    std::string payloadText;
    bool measuring = false;
    std::uint64_t sent = 0;
    std::uint64_t completed = 0;
    std::uint64_t lost = 0;
    std::uint64_t deliveries = 0;
    std::uint64_t badPayloads = 0;
};

// S3 and S5: closed-loop echo with ack (text object, or a binary attachment).
class Echo : public Scenario
{
public:
    Echo(const Options &options, bool withBinary, bool messagePack = false)
        : Scenario(options), binary(withBinary), msgpack(messagePack)
    {
        loop.setMessagePack(msgpack);
    }

    bool run() override
    {
        const int clients = binary ? opt.binaryClients : opt.echoClients;
        if (!connectMany(clients, Mode::WebSocket, 30000))
            return false;
        if (binary) {
            blob.resize(std::size_t(opt.binarySize));
            for (std::size_t i = 0; i < blob.size(); ++i)
                blob[i] = char((i * 131 + 7) & 0xff);
        }
        idle(200);
        for (Conn *c : conns)
            send(c);
        latencies.reserve(1 << 20);

        std::int64_t lastProgress = nowNs();
        std::uint64_t lastCount = 0;
        auto tick = [&] {
            if (roundTrips != lastCount) {
                lastCount = roundTrips;
                lastProgress = nowNs();
            }
        };
        auto stalled = [&] { return nowNs() - lastProgress > msToNs(5000) || lostAfterJoin; };
        const std::int64_t warmEnd = nowNs() + msToNs(opt.warmupMs);
        loop.runUntil([&] { return stalled() || nowNs() >= warmEnd; }, warmEnd + msToNs(1000), tick);
        const Mark a = mark(roundTrips);
        measuring = true;
        const std::int64_t end = a.t + msToNs(opt.measureMs);
        loop.runUntil([&] { return stalled() || nowNs() >= end; }, end + msToNs(1000), tick);
        measuring = false;
        const Mark b = mark(roundTrips);
        if (stalled()) {
            error = "echo stalled";
            return false;
        }
        addIntervalFigures(a, b);
        const double seconds = double(b.t - a.t) / 1e9;
        const double trips = double(b.count - a.count);
        if (trips <= 0 || badAnswers > 0) {
            error = "echo answers missing or wrong (" + std::to_string(badAnswers) + " wrong)";
            return false;
        }
        metrics.add("clients", double(clients));
        metrics.add("roundtrips_per_s", trips / seconds);
        if (binary)
            metrics.add("mb_per_s", trips * double(opt.binarySize) / seconds / 1e6);
        if (binary)
            metrics.add("attachment_bytes", double(opt.binarySize));
        std::sort(latencies.begin(), latencies.end());
        auto percentile = [&](double p) {
            if (latencies.empty())
                return 0.0;
            const std::size_t i = std::min(latencies.size() - 1, std::size_t(p * double(latencies.size())));
            return double(latencies[i]) / 1000.0;
        };
        metrics.add("p50_ms", percentile(0.50));
        metrics.add("p99_ms", percentile(0.99));
        metrics.add("p999_ms", percentile(0.999));
        metrics.add("server_us_per_roundtrip", trips > 0 ? double(b.serverCpu - a.serverCpu) / trips : 0);
        metrics.add("bad_answers", double(badAnswers));
        return true;
    }

    void send(Conn *c)
    {
        const std::int64_t id = c->nextAckId++;
        c->pendingAckId = id;
        c->opStart = nowNs();
        if (binary) {
            loop.sendSio(c, "51-" + std::to_string(id) + "[\"echo\",{\"_placeholder\":true,\"num\":0}]");
            loop.sendBinary(c, blob);
            return;
        }
        if (msgpack) {
            // {"type":2,"data":["echo",<object>],"nsp":"/","id":<id>}; the ack's data is [<object>], byte for byte
            // as both servers write it back (the shortest forms, keys in order).
            std::string object;
            if (opt.echoString) {
                msgpackString(object, "abcdefghijklmnopqrstuvwxyz-" + std::to_string(c->counter++));
            } else {
                msgpackMap(object, 2);
                msgpackString(object, "n");
                msgpackUnsigned(object, c->counter++);
                msgpackString(object, "s");
                msgpackString(object, "abcdefghijklmnopqrstuvwxyz012345");
            }
            c->expect.clear();
            msgpackArray(c->expect, 1);
            c->expect += object;
            std::string packet;
            msgpackMap(packet, 4);
            msgpackString(packet, "type");
            msgpackUnsigned(packet, 2);
            msgpackString(packet, "data");
            msgpackArray(packet, 2);
            msgpackString(packet, "echo");
            packet += object;
            msgpackString(packet, "nsp");
            msgpackString(packet, "/");
            msgpackString(packet, "id");
            msgpackUnsigned(packet, std::uint64_t(id));
            loop.sendBinary(c, packet);
            return;
        }
        const std::string object = opt.echoString
                ? "\"abcdefghijklmnopqrstuvwxyz-" + std::to_string(c->counter++) + "\""
                : "{\"n\":" + std::to_string(c->counter++) + ",\"s\":\"abcdefghijklmnopqrstuvwxyz012345\"}";
        c->expect = "[" + object + "]";
        loop.sendSio(c, "2" + std::to_string(id) + "[\"echo\"," + object + "]");
    }

    void onAck(Conn *c, std::int64_t id, std::string_view json, std::uint64_t binaryBytes) override
    {
        if (id != c->pendingAckId) {
            ++badAnswers;
            return;
        }
        if (binary ? binaryBytes != blob.size() : json != c->expect)
            ++badAnswers;
        const std::int64_t latency = nowNs() - c->opStart;
        ++roundTrips;
        if (measuring)
            latencies.push_back(std::uint32_t(std::min<std::int64_t>(latency / 1000, 0xffffffff)));
        send(c);
    }

    bool binary;
    bool msgpack;
    bool measuring = false;
    std::string blob;
    std::vector<std::uint32_t> latencies;   // microseconds
    std::uint64_t roundTrips = 0;
    std::uint64_t badAnswers = 0;
};

// S4: handshakes (and joins) per second.
class ConnectRate : public Scenario
{
public:
    ConnectRate(const Options &options, Mode connectMode) : Scenario(options), mode(connectMode) {}

    bool run() override
    {
        // Warm up (Node's JIT needs a few hundred handshakes to optimise its hot paths), then let the server
        // finish those disconnects before the measured burst.
        if (!connectMany(500, mode, 60000))
            return false;
        closeAll();
        idle(1000);
        const int count = mode == Mode::WebSocket ? opt.connectsWs : opt.connectsPolling;
        const Mark a = mark(joinedCount);
        if (!connectMany(count, mode, 60000))
            return false;
        const Mark b = mark(joinedCount);
        addIntervalFigures(a, b);
        const double seconds = double(b.t - a.t) / 1e9;
        metrics.add("connections", double(count));
        metrics.add("connects_per_s", double(count) / seconds);
        metrics.add("server_us_per_connect", double(b.serverCpu - a.serverCpu) / double(count));
        return true;
    }

    Mode mode;
};

bool parseInt(const char *text, int *out)
{
    char *end = nullptr;
    const long v = std::strtol(text, &end, 10);
    if (!end || *end || v < 0 || v > 100000000)
        return false;
    *out = int(v);
    return true;
}

void usage()
{
    std::fprintf(stderr,
                 "usage: sioload --port P [--port2 P2] --server-pid PID --scenario s1|s2|s3|s3mp|s4ws|s4poll|s5|s6\n"
                 "       [--label NAME] [--rep N] [--no-pin] [--spread-server] [--concurrency N] [--warmup-ms N] [--measure-ms N]\n"
                 "       [--s1-counts N,N] [--s1-settle-ms N] [--receivers N] [--window N] [--payload N]\n"
                 "       [--echo-clients N] [--echo-string] [--connects-ws N] [--connects-polling N]\n"
                 "       [--binary-clients N] [--binary-size N] [--busy-poll]\n");
}

} // namespace

int main(int argc, char **argv)
{
    std::signal(SIGPIPE, SIG_IGN);
    Options opt;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> const char * {
            if (i + 1 >= argc) {
                usage();
                std::exit(2);
            }
            return argv[++i];
        };
        auto intValue = [&](int *out) {
            const char *v = value();
            if (!parseInt(v, out)) {
                std::fprintf(stderr, "sioload: bad value for %s: %s\n", arg.c_str(), v);
                std::exit(2);
            }
        };
        int port = 0, pid = 0;
        if (arg == "--port") {
            intValue(&port);
            opt.port = std::uint16_t(port);
        } else if (arg == "--port2") {
            intValue(&port);
            opt.port2 = std::uint16_t(port);
        } else if (arg == "--server-pid") {
            intValue(&pid);
            opt.serverPid = pid_t(pid);
        } else if (arg == "--scenario") {
            opt.scenario = value();
        } else if (arg == "--label") {
            opt.label = value();
        } else if (arg == "--rep") {
            intValue(&opt.rep);
        } else if (arg == "--busy-poll") {
            opt.busyPoll = true;
        } else if (arg == "--no-pin") {
            opt.pin = false;
        } else if (arg == "--spread-server") {
            opt.spreadServer = true;
        } else if (arg == "--concurrency") {
            intValue(&opt.concurrency);
        } else if (arg == "--warmup-ms") {
            intValue(&opt.warmupMs);
        } else if (arg == "--measure-ms") {
            intValue(&opt.measureMs);
        } else if (arg == "--s1-counts") {
            opt.s1Counts.clear();
            std::stringstream list(value());
            std::string item;
            int previous = 0;
            while (std::getline(list, item, ',')) {
                int n = 0;
                if (!parseInt(item.c_str(), &n) || n <= previous) {
                    std::fprintf(stderr, "sioload: --s1-counts wants increasing numbers\n");
                    return 2;
                }
                opt.s1Counts.push_back(n);
                previous = n;
            }
        } else if (arg == "--s1-settle-ms") {
            intValue(&opt.s1SettleMs);
        } else if (arg == "--receivers") {
            intValue(&opt.receivers);
        } else if (arg == "--window") {
            intValue(&opt.window);
        } else if (arg == "--payload") {
            intValue(&opt.payloadSize);
        } else if (arg == "--echo-string") {
            opt.echoString = true;
        } else if (arg == "--echo-clients") {
            intValue(&opt.echoClients);
        } else if (arg == "--connects-ws") {
            intValue(&opt.connectsWs);
        } else if (arg == "--connects-polling") {
            intValue(&opt.connectsPolling);
        } else if (arg == "--binary-clients") {
            intValue(&opt.binaryClients);
        } else if (arg == "--binary-size") {
            intValue(&opt.binarySize);
        } else {
            usage();
            return 2;
        }
    }
    if (opt.port == 0 || opt.serverPid <= 0 || opt.scenario.empty()) {
        usage();
        return 2;
    }

    std::unique_ptr<Scenario> scenario;
    if (opt.scenario == "s1")
        scenario = std::make_unique<IdleMemory>(opt);
    else if (opt.scenario == "s2")
        scenario = std::make_unique<Broadcast>(opt);
    else if (opt.scenario == "s3")
        scenario = std::make_unique<Echo>(opt, false);
    else if (opt.scenario == "s3mp")
        scenario = std::make_unique<Echo>(opt, false, true);
    else if (opt.scenario == "s4ws")
        scenario = std::make_unique<ConnectRate>(opt, Mode::WebSocket);
    else if (opt.scenario == "s4poll")
        scenario = std::make_unique<ConnectRate>(opt, Mode::PollingUpgrade);
    else if (opt.scenario == "s5")
        scenario = std::make_unique<Echo>(opt, true);
    else if (opt.scenario == "s6" && opt.port2 != 0)
        scenario = std::make_unique<CrossNode>(opt);
    else {
        usage();
        return 2;
    }

    const bool pinned = opt.pin && pinCpus(opt.serverPid, 0, opt.spreadServer ? -1 : 1);
    scenario->loop.setBusyPoll(opt.busyPoll);
    const bool ok = scenario->run();
    scenario->closeAll();

    Json out;
    out.add("scenario", opt.scenario);
    out.add("label", opt.label);
    out.add("rep", double(opt.rep));
    out.addRaw("ok", ok ? "true" : "false");
    if (!ok)
        out.add("error", scenario->error);
    out.addRaw("pinned", pinned ? "true" : "false");
    out.addRaw("metrics", scenario->metrics.str());
    out.add("loadgen_cpu_pct", scenario->loadgenCpuPct);
    out.add("loadgen_busy_pct", scenario->loadgenBusyPct);
    out.add("other_cpu_pct", scenario->otherCpuPct);
    out.addRaw("busy_poll", opt.busyPoll ? "true" : "false");
    const Stats &stats = scenario->loop.stats();
    out.add("failures", double(scenario->failures));
    out.add("unexpected", double(stats.unexpected));
    out.add("pings_answered", double(stats.pingsAnswered));
    std::printf("%s\n", out.str().c_str());
    std::fflush(stdout);
    return ok ? 0 : 1;
}
