// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "loop.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <ctime>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sioload {

namespace {

constexpr std::size_t ScratchSize = 256 * 1024;
constexpr std::uint64_t MaxMessage = 64u * 1024 * 1024;
constexpr std::size_t MaxHttpHead = 64 * 1024;
constexpr std::uint32_t MaxPollRounds = 8;

bool isHttpPhase(Phase p)
{
    switch (p) {
    case Phase::WsHandshake:
    case Phase::ProbeHandshake:
    case Phase::PollOpen:
    case Phase::PollPost:
    case Phase::PollGet:
    case Phase::PollIdle:
        return true;
    default:
        return false;
    }
}

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// Parses leading decimal digits; returns how many there were.
std::size_t parseDigits(std::string_view s, std::int64_t *value)
{
    std::size_t i = 0;
    std::int64_t v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i < 18) {
        v = v * 10 + (s[i] - '0');
        ++i;
    }
    *value = v;
    return i;
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out) {
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    }
    return out;
}

// The value of a header in a lower-cased HTTP head ("\r\nname: value\r\n"), trimmed; empty when missing.
std::string_view headerValue(std::string_view head, std::string_view name)
{
    std::string needle = "\r\n";
    needle += name;
    needle += ':';
    const std::size_t at = head.find(needle);
    if (at == std::string_view::npos)
        return {};
    std::size_t start = at + needle.size();
    std::size_t end = head.find("\r\n", start);
    if (end == std::string_view::npos)
        end = head.size();
    while (start < end && (head[start] == ' ' || head[start] == '\t'))
        ++start;
    while (end > start && (head[end - 1] == ' ' || head[end - 1] == '\t'))
        --end;
    return head.substr(start, end - start);
}

// The end of the MessagePack value at p (nullptr when malformed or cut), nested at most 32 deep.
const char *msgpackSkip(const char *p, const char *end, int depth = 0)
{
    if (p >= end || depth > 32)
        return nullptr;
    const std::uint8_t b = std::uint8_t(*p++);
    auto be = [&](int bytes, std::uint64_t *v) {
        if (end - p < bytes)
            return false;
        *v = 0;
        for (int i = 0; i < bytes; ++i)
            *v = (*v << 8) | std::uint8_t(*p++);
        return true;
    };
    auto skip = [&](std::uint64_t n) -> const char * {
        if (std::uint64_t(end - p) < n)
            return nullptr;
        return p + n;
    };
    auto items = [&](std::uint64_t n) -> const char * {
        for (std::uint64_t i = 0; i < n && p; ++i)
            p = msgpackSkip(p, end, depth + 1);
        return p;
    };
    std::uint64_t n = 0;
    if (b < 0x80 || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3)
        return p;
    if ((b & 0xe0) == 0xa0)
        return skip(b & 0x1f);
    if ((b & 0xf0) == 0x90)
        return items(b & 0x0f);
    if ((b & 0xf0) == 0x80)
        return items(2 * (b & 0x0f));
    switch (b) {
    case 0xcc: case 0xd0: return skip(1);
    case 0xcd: case 0xd1: return skip(2);
    case 0xce: case 0xd2: case 0xca: return skip(4);
    case 0xcf: case 0xd3: case 0xcb: return skip(8);
    case 0xd4: return skip(2);
    case 0xd5: return skip(3);
    case 0xd6: return skip(5);
    case 0xd7: return skip(9);
    case 0xd8: return skip(17);
    case 0xc4: case 0xd9: return be(1, &n) ? skip(n) : nullptr;
    case 0xc5: case 0xda: return be(2, &n) ? skip(n) : nullptr;
    case 0xc6: case 0xdb: return be(4, &n) ? skip(n) : nullptr;
    case 0xc7: return be(1, &n) ? skip(n + 1) : nullptr;
    case 0xc8: return be(2, &n) ? skip(n + 1) : nullptr;
    case 0xc9: return be(4, &n) ? skip(n + 1) : nullptr;
    case 0xdc: return be(2, &n) ? items(n) : nullptr;
    case 0xdd: return be(4, &n) ? items(n) : nullptr;
    case 0xde: return be(2, &n) ? items(2 * n) : nullptr;
    case 0xdf: return be(4, &n) ? items(2 * n) : nullptr;
    default: return nullptr;
    }
}

// An integer value [p, end) (exactly one value), or false.
bool msgpackInteger(const char *p, const char *end, std::int64_t *value)
{
    if (p >= end)
        return false;
    const std::uint8_t b = std::uint8_t(*p++);
    if (b < 0x80 || b >= 0xe0) {
        *value = std::int8_t(b);
        return p == end;
    }
    int bytes = 0;
    bool isSigned = false;
    switch (b) {
    case 0xcc: bytes = 1; break;
    case 0xcd: bytes = 2; break;
    case 0xce: bytes = 4; break;
    case 0xcf: bytes = 8; break;
    case 0xd0: bytes = 1; isSigned = true; break;
    case 0xd1: bytes = 2; isSigned = true; break;
    case 0xd2: bytes = 4; isSigned = true; break;
    case 0xd3: bytes = 8; isSigned = true; break;
    default: return false;
    }
    if (end - p != bytes)
        return false;
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v = (v << 8) | std::uint8_t(p[i]);
    if (isSigned && bytes < 8 && (v >> (8 * bytes - 1)))
        v |= ~std::uint64_t(0) << (8 * bytes);
    *value = std::int64_t(v);
    return true;
}

} // namespace

void msgpackString(std::string &out, std::string_view s)
{
    const std::size_t n = s.size();
    if (n < 32) {
        out += char(0xa0 | n);
    } else if (n < 0x100) {
        out += char(0xd9);
        out += char(n);
    } else if (n < 0x10000) {
        out += char(0xda);
        out += char(n >> 8);
        out += char(n);
    } else {
        out += char(0xdb);
        for (int shift = 24; shift >= 0; shift -= 8)
            out += char(n >> shift);
    }
    out.append(s.data(), n);
}

void msgpackUnsigned(std::string &out, std::uint64_t v)
{
    if (v < 0x80) {
        out += char(v);
        return;
    }
    int bytes = 8;
    std::uint8_t marker = 0xcf;
    if (v < 0x100) {
        bytes = 1;
        marker = 0xcc;
    } else if (v < 0x10000) {
        bytes = 2;
        marker = 0xcd;
    } else if (v < 0x100000000ULL) {
        bytes = 4;
        marker = 0xce;
    }
    out += char(marker);
    for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8)
        out += char(v >> shift);
}

std::int64_t nowNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void Loop::setPort(std::uint16_t port)
{
    m_port = port;
    m_host = "127.0.0.1:" + std::to_string(port);
}

Loop::Loop(std::uint16_t port, Handler *handler)
    : m_port(port), m_handler(handler), m_rng(std::uint64_t(nowNs()) ^ 0x9E3779B97F4A7C15ull)
{
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_scratch.resize(ScratchSize);
    m_host = "127.0.0.1:" + std::to_string(port);
}

Loop::~Loop()
{
    for (Conn *c : m_all) {
        if (c->fd >= 0)
            ::close(c->fd);
        delete c;
    }
    for (Conn *c : m_graveyard)
        delete c;
    if (m_epoll >= 0)
        ::close(m_epoll);
}

std::uint32_t Loop::nextMask()
{
    // xorshift64*
    m_rng ^= m_rng >> 12;
    m_rng ^= m_rng << 25;
    m_rng ^= m_rng >> 27;
    return std::uint32_t((m_rng * 0x2545F4914F6CDD1Dull) >> 32);
}

Conn *Loop::connect(std::uint32_t index, Mode mode)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        ++m_stats.failures;
        std::fprintf(stderr, "sioload: socket(): %s\n", std::strerror(errno));
        return nullptr;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_port = htons(m_port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    auto *c = new Conn;
    c->fd = fd;
    c->index = index;
    c->mode = mode;
    c->phase = Phase::TcpConnecting;
    const int r = ::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address);
    if (r < 0 && errno != EINPROGRESS) {
        std::fprintf(stderr, "sioload: connect(): %s\n", std::strerror(errno));
        ::close(fd);
        delete c;
        ++m_stats.failures;
        return nullptr;
    }
    epoll_event ev = {};
    ev.events = EPOLLIN | EPOLLOUT;
    ev.data.ptr = c;
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
    c->writeArmed = true;
    m_all.insert(c);
    ++m_open;
    // A loopback connect() may complete at once; the EPOLLOUT that follows handles both cases.
    return c;
}

void Loop::updateEpoll(Conn *c, bool wantWrite)
{
    if (c->writeArmed == wantWrite)
        return;
    epoll_event ev = {};
    ev.events = EPOLLIN | (wantWrite ? EPOLLOUT : 0u);
    ev.data.ptr = c;
    epoll_ctl(m_epoll, EPOLL_CTL_MOD, c->fd, &ev);
    c->writeArmed = wantWrite;
}

void Loop::close(Conn *c)
{
    if (!c || c->phase == Phase::Closed)
        return;
    c->phase = Phase::Closed;
    epoll_ctl(m_epoll, EPOLL_CTL_DEL, c->fd, nullptr);
    ::close(c->fd);
    c->fd = -1;
    --m_open;
    m_all.erase(c);
    m_graveyard.push_back(c);
    if (Conn *peer = c->peer) {
        c->peer = nullptr;
        peer->peer = nullptr;
        close(peer);
    }
}

void Loop::fail(Conn *c, const char *why)
{
    if (c->phase == Phase::Closed)
        return;
    ++m_stats.failures;
    close(c);
    m_handler->onFailed(c, why);
}

void Loop::onConnected(Conn *c)
{
    int error = 0;
    socklen_t length = sizeof error;
    if (::getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
        static char message[128];
        std::snprintf(message, sizeof message, "connect failed: %s", std::strerror(error ? error : errno));
        fail(c, message);
        return;
    }
    if (c->mode == Mode::WebSocket) {
        c->phase = Phase::WsHandshake;
        sendUpgradeRequest(c);
    } else if (c->peer) {
        c->phase = Phase::ProbeHandshake;
        sendUpgradeRequest(c);
    } else {
        c->phase = Phase::PollOpen;
        sendHttp(c, "GET", {}, {});
    }
    flush(c);
}

void Loop::sendUpgradeRequest(Conn *c)
{
    unsigned char nonce[16];
    for (int i = 0; i < 16; i += 4) {
        const std::uint32_t r = nextMask();
        std::memcpy(nonce + i, &r, 4);
    }
    c->key = base64(nonce, sizeof nonce);
    std::string &out = c->out;
    out += "GET /socket.io/?EIO=4&transport=websocket";
    if (!c->sid.empty()) {
        out += "&sid=";
        out += c->sid;
    }
    out += " HTTP/1.1\r\nHost: ";
    out += m_host;
    out += "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ";
    out += c->key;
    out += "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    markDirty(c);
}

void Loop::sendHttp(Conn *c, std::string_view method, std::string_view query, std::string_view body)
{
    std::string &out = c->out;
    out += method;
    out += " /socket.io/?EIO=4&transport=polling";
    out += query;
    out += " HTTP/1.1\r\nHost: ";
    out += m_host;
    out += "\r\nAccept: */*\r\n";
    if (method == "POST") {
        out += "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: ";
        out += std::to_string(body.size());
        out += "\r\n";
    }
    out += "\r\n";
    out += body;
    markDirty(c);
}

void Loop::appendFrame(Conn *c, std::uint8_t opcode, std::string_view prefix, std::string_view payload)
{
    const std::size_t length = prefix.size() + payload.size();
    const std::size_t lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
    std::string &out = c->out;
    const std::size_t start = out.size();
    out.resize(start + 2 + lengthBytes + 4 + length);
    auto *p = reinterpret_cast<unsigned char *>(&out[start]);
    *p++ = 0x80 | opcode;
    if (lengthBytes == 0) {
        *p++ = 0x80 | std::uint8_t(length);
    } else if (lengthBytes == 2) {
        *p++ = 0x80 | 126;
        *p++ = std::uint8_t(length >> 8);
        *p++ = std::uint8_t(length);
    } else {
        *p++ = 0x80 | 127;
        for (int i = 7; i >= 0; --i)
            *p++ = std::uint8_t(std::uint64_t(length) >> (i * 8));
    }
    const std::uint32_t mask = nextMask();
    std::memcpy(p, &mask, 4);
    unsigned char key[4];
    std::memcpy(key, &mask, 4);
    p += 4;
    if (!prefix.empty())
        std::memcpy(p, prefix.data(), prefix.size());
    if (!payload.empty())
        std::memcpy(p + prefix.size(), payload.data(), payload.size());
    // Mask eight bytes at a time: the key repeated twice, in memory order.
    std::uint64_t mask64;
    std::memcpy(&mask64, key, 4);
    std::memcpy(reinterpret_cast<unsigned char *>(&mask64) + 4, key, 4);
    std::size_t i = 0;
    for (; i + 8 <= length; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, p + i, 8);
        word ^= mask64;
        std::memcpy(p + i, &word, 8);
    }
    for (; i < length; ++i)
        p[i] ^= key[i & 3];
    markDirty(c);
}

void Loop::sendSio(Conn *c, std::string_view packet)
{
    if (c->phase == Phase::Closed)
        return;
    appendFrame(c, 0x1, "4", packet);
}

void Loop::sendEioText(Conn *c, std::string_view text)
{
    if (c->phase == Phase::Closed)
        return;
    appendFrame(c, 0x1, {}, text);
}

void Loop::sendBinary(Conn *c, std::string_view data)
{
    if (c->phase == Phase::Closed)
        return;
    appendFrame(c, 0x2, {}, data);
}

void Loop::markDirty(Conn *c)
{
    if (!c->dirty) {
        c->dirty = true;
        m_dirty.push_back(c);
    }
}

void Loop::flush(Conn *c)
{
    if (c->phase == Phase::Closed || c->phase == Phase::TcpConnecting)
        return;
    std::size_t done = 0;
    while (done < c->out.size()) {
        const ssize_t n = ::send(c->fd, c->out.data() + done, c->out.size() - done, MSG_NOSIGNAL);
        if (n > 0) {
            done += std::size_t(n);
            m_stats.bytesOut += std::uint64_t(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        c->out.erase(0, done);
        fail(c, "write failed");
        return;
    }
    c->out.erase(0, done);
    updateEpoll(c, !c->out.empty());
}

void Loop::flushAll()
{
    // Flushing may fail a connection, which never adds to the list: iterate by index anyway.
    for (std::size_t i = 0; i < m_dirty.size(); ++i) {
        Conn *c = m_dirty[i];
        c->dirty = false;
        if (c->phase != Phase::Closed && !c->out.empty() && !c->writeArmed)
            flush(c);
    }
    m_dirty.clear();
}

void Loop::handleEvents(Conn *c, std::uint32_t events)
{
    if (c->phase == Phase::TcpConnecting) {
        if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
            onConnected(c);
        return;
    }
    if ((events & EPOLLOUT) && c->writeArmed) {
        flush(c);
        if (c->phase == Phase::Closed)
            return;
    }
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
        readable(c);
}

void Loop::readable(Conn *c)
{
    char *scratch = m_scratch.data();
    for (int round = 0; round < 16; ++round) {
        const ssize_t n = ::read(c->fd, scratch, m_scratch.size());
        if (n > 0) {
            m_stats.bytesIn += std::uint64_t(n);
            if (c->in.empty() && !isHttpPhase(c->phase)) {
                // The common case: parse straight from the scratch buffer, keep only a partial frame.
                std::size_t consumed = 0;
                if (!parseFrames(c, scratch, std::size_t(n), &consumed))
                    return;
                if (consumed < std::size_t(n))
                    c->in.assign(scratch + consumed, std::size_t(n) - consumed);
            } else {
                c->in.append(scratch, std::size_t(n));
                processInput(c);
                if (c->phase == Phase::Closed)
                    return;
            }
            if (std::size_t(n) < m_scratch.size())
                return;
            continue;
        }
        if (n == 0) {
            fail(c, "connection closed by the server");
            return;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            fail(c, "read failed");
        return;
    }
}

void Loop::processInput(Conn *c)
{
    while (c->phase != Phase::Closed && !c->in.empty()) {
        if (isHttpPhase(c->phase)) {
            if (!parseHttp(c))
                return;
            continue;
        }
        std::size_t consumed = 0;
        // The handler may queue data on c but never touches c->in.
        std::string buffer;
        buffer.swap(c->in);
        const bool alive = parseFrames(c, buffer.data(), buffer.size(), &consumed);
        if (!alive)
            return;
        buffer.erase(0, consumed);
        if (c->in.empty())
            c->in.swap(buffer);
        else
            c->in.insert(0, buffer);
        return;
    }
}

bool Loop::parseHttp(Conn *c)
{
    const std::size_t headEnd = c->in.find("\r\n\r\n");
    if (headEnd == std::string::npos) {
        if (c->in.size() > MaxHttpHead)
            fail(c, "HTTP response head too large");
        return false;
    }
    const std::string head = lower(std::string_view(c->in).substr(0, headEnd + 2));
    if (!startsWith(head, "http/1.1 ") || head.size() < 12) {
        fail(c, "not an HTTP/1.1 response");
        return false;
    }
    const int status = std::atoi(head.c_str() + 9);
    const std::size_t bodyStart = headEnd + 4;

    if (c->phase == Phase::WsHandshake || c->phase == Phase::ProbeHandshake) {
        if (status != 101) {
            fail(c, "WebSocket upgrade refused");
            return false;
        }
        const std::string expected = lower(webSocketAccept(c->key));
        if (headerValue(head, "sec-websocket-accept") != expected) {
            fail(c, "bad Sec-WebSocket-Accept");
            return false;
        }
        c->key.clear();
        c->in.erase(0, bodyStart);
        if (c->phase == Phase::WsHandshake) {
            c->phase = Phase::EioOpen;
        } else {
            c->phase = Phase::Probe;
            sendEioText(c, "2probe");
        }
        return true;
    }

    const std::string_view lengthText = headerValue(head, "content-length");
    if (lengthText.empty()) {
        fail(c, "polling response without Content-Length");
        return false;
    }
    const std::size_t length = std::size_t(std::strtoull(std::string(lengthText).c_str(), nullptr, 10));
    if (c->in.size() < bodyStart + length)
        return false;
    if (status != 200) {
        fail(c, "polling request refused");
        return false;
    }
    const std::string body = c->in.substr(bodyStart, length);
    c->in.erase(0, bodyStart + length);
    handlePollBody(c, body);
    return true;
}

void Loop::handlePollBody(Conn *c, std::string_view body)
{
    switch (c->phase) {
    case Phase::PollOpen: {
        const std::size_t at = body.find("\"sid\":\"");
        if (!startsWith(body, "0{") || at == std::string_view::npos) {
            fail(c, "bad polling open packet");
            return;
        }
        const std::size_t start = at + 7;
        const std::size_t end = body.find('"', start);
        if (end == std::string_view::npos) {
            fail(c, "bad polling open packet");
            return;
        }
        c->sid.assign(body.substr(start, end - start));
        c->phase = Phase::PollPost;
        sendHttp(c, "POST", "&sid=" + c->sid, "40");
        return;
    }
    case Phase::PollPost:
        if (body != "ok") {
            fail(c, "polling POST not answered \"ok\"");
            return;
        }
        c->phase = Phase::PollGet;
        sendHttp(c, "GET", "&sid=" + c->sid, {});
        return;
    case Phase::PollGet: {
        bool joined = false;
        std::size_t start = 0;
        while (start <= body.size()) {
            std::size_t end = body.find('\x1e', start);
            if (end == std::string_view::npos)
                end = body.size();
            const std::string_view packet = body.substr(start, end - start);
            if (startsWith(packet, "40"))
                joined = true;
            else if (startsWith(packet, "44") || startsWith(packet, "1")) {
                fail(c, "namespace join refused over polling");
                return;
            }
            start = end + 1;
        }
        if (joined) {
            c->phase = Phase::PollIdle;
            startUpgrade(c);
            return;
        }
        if (++c->pollRounds > MaxPollRounds) {
            fail(c, "no CONNECT answer over polling");
            return;
        }
        sendHttp(c, "GET", "&sid=" + c->sid, {});
        return;
    }
    default:
        ++m_stats.unexpected;
        return;
    }
}

void Loop::startUpgrade(Conn *polling)
{
    Conn *ws = connect(polling->index, Mode::PollingUpgrade);
    if (!ws) {
        fail(polling, "cannot open the upgrade connection");
        return;
    }
    ws->sid = polling->sid;
    ws->peer = polling;
    polling->peer = ws;
}

bool Loop::parseFrames(Conn *c, const char *data, std::size_t size, std::size_t *consumed)
{
    std::size_t pos = 0;
    const auto *u = reinterpret_cast<const unsigned char *>(data);
    while (size - pos >= 2) {
        const unsigned char b0 = u[pos];
        const unsigned char b1 = u[pos + 1];
        const bool fin = b0 & 0x80;
        const std::uint8_t opcode = b0 & 0x0f;
        std::uint64_t length = b1 & 0x7f;
        std::size_t header = 2;
        if (b1 & 0x80) {
            fail(c, "masked frame from the server");
            return false;
        }
        if (length == 126) {
            if (size - pos < 4)
                break;
            length = (std::uint64_t(u[pos + 2]) << 8) | u[pos + 3];
            header = 4;
        } else if (length == 127) {
            if (size - pos < 10)
                break;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | u[pos + 2 + i];
            header = 10;
        }
        if (length > MaxMessage) {
            fail(c, "frame too large");
            return false;
        }
        if (size - pos < header + length)
            break;
        const std::string_view payload(data + pos + header, std::size_t(length));
        pos += header + std::size_t(length);
        ++m_stats.framesIn;

        switch (opcode) {
        case 0x8:   // close
            fail(c, "WebSocket closed by the server");
            return false;
        case 0x9:   // ping
            appendFrame(c, 0xA, {}, payload);
            break;
        case 0xA:   // pong
            break;
        case 0x0:   // continuation
            if (c->fragOpcode == 0) {
                fail(c, "continuation without a message");
                return false;
            }
            c->frag.append(payload);
            if (fin) {
                const std::uint8_t op = c->fragOpcode;
                c->fragOpcode = 0;
                std::string message;
                message.swap(c->frag);
                handleMessage(c, op, message);
            }
            break;
        case 0x1:
        case 0x2:
            if (!fin) {
                c->fragOpcode = opcode;
                c->frag.assign(payload);
                break;
            }
            handleMessage(c, opcode, payload);
            break;
        default:
            fail(c, "unknown WebSocket opcode");
            return false;
        }
        if (c->phase == Phase::Closed)
            return false;
    }
    *consumed = pos;
    return true;
}

void Loop::handleMessage(Conn *c, std::uint8_t opcode, std::string_view payload)
{
    if (opcode == 0x2 && m_msgpack) {
        handleMessagePack(c, payload);
        return;
    }
    if (opcode == 0x2) {
        if (c->pendingAttachments == 0) {
            ++m_stats.unexpected;
            return;
        }
        c->attachmentBytes += payload.size();
        if (--c->pendingAttachments == 0 && c->binaryAckId >= 0) {
            const std::int64_t id = c->binaryAckId;
            c->binaryAckId = -1;
            m_handler->onAck(c, id, {}, c->attachmentBytes);
        }
        return;
    }
    handleEio(c, payload);
}

void Loop::handleEio(Conn *c, std::string_view text)
{
    if (text.empty()) {
        fail(c, "empty Engine.IO packet");
        return;
    }
    switch (text[0]) {
    case '0':   // open
        if (c->phase != Phase::EioOpen) {
            ++m_stats.unexpected;
            return;
        }
        c->phase = Phase::SioConnect;
        if (m_msgpack) {
            // {"type":0,"nsp":"/"}
            std::string connect;
            msgpackMap(connect, 2);
            msgpackString(connect, "type");
            msgpackUnsigned(connect, 0);
            msgpackString(connect, "nsp");
            msgpackString(connect, "/");
            sendBinary(c, connect);
        } else {
            sendEioText(c, "40");
        }
        return;
    case '1':
        fail(c, "Engine.IO close packet");
        return;
    case '2': {   // ping: answer with a pong carrying the same data
        ++m_stats.pingsAnswered;
        std::string pong(text);
        pong[0] = '3';
        sendEioText(c, pong);
        return;
    }
    case '3':
        if (c->phase == Phase::Probe && text == "3probe") {
            sendEioText(c, "5");
            c->phase = Phase::UpgradeConfirm;
            c->pendingAckId = c->nextAckId++;
            sendSio(c, "2" + std::to_string(c->pendingAckId) + "[\"echo\",\"upgraded\"]");
            return;
        }
        ++m_stats.unexpected;
        return;
    case '4':
        handleSio(c, text.substr(1));
        return;
    case '6':
        return;
    default:
        fail(c, "unknown Engine.IO packet");
        return;
    }
}

void Loop::handleSio(Conn *c, std::string_view p)
{
    if (p.empty()) {
        fail(c, "empty Socket.IO packet");
        return;
    }
    switch (p[0]) {
    case '0':   // CONNECT answer
        sioConnected(c);
        return;
    case '1':
        fail(c, "Socket.IO DISCONNECT from the server");
        return;
    case '2':
        m_handler->onEvent(c, p.substr(1));
        return;
    case '3': {
        std::int64_t id = 0;
        const std::size_t digits = parseDigits(p.substr(1), &id);
        if (digits == 0) {
            fail(c, "ACK without an id");
            return;
        }
        if (c->phase == Phase::UpgradeConfirm) {
            if (id != c->pendingAckId) {
                ++m_stats.unexpected;
                return;
            }
            c->pendingAckId = -1;
            c->phase = Phase::Ready;
            c->joined = true;
            if (Conn *polling = c->peer) {
                c->peer = nullptr;
                polling->peer = nullptr;
                close(polling);
            }
            m_handler->onReady(c);
            return;
        }
        m_handler->onAck(c, id, p.substr(1 + digits), 0);
        return;
    }
    case '4':
        fail(c, "Socket.IO CONNECT_ERROR");
        return;
    case '5':
    case '6': {   // "5<n>-[...]" / "6<n>-<id>[...]": wait for n binary messages
        std::int64_t count = 0;
        std::size_t digits = parseDigits(p.substr(1), &count);
        if (digits == 0 || p.size() < 2 + digits || p[1 + digits] != '-') {
            fail(c, "bad binary packet head");
            return;
        }
        std::string_view rest = p.substr(2 + digits);
        std::int64_t id = -1;
        if (p[0] == '6') {
            digits = parseDigits(rest, &id);
            if (digits == 0) {
                fail(c, "BINARY_ACK without an id");
                return;
            }
            rest = rest.substr(digits);
        }
        c->pendingAttachments = std::uint16_t(count);
        c->attachmentBytes = 0;
        c->binaryAckId = id;
        if (count == 0 && id >= 0) {
            c->binaryAckId = -1;
            m_handler->onAck(c, id, rest, 0);
        }
        return;
    }
    default:
        fail(c, "unknown Socket.IO packet");
        return;
    }
}

void Loop::sioConnected(Conn *c)
{
    if (c->phase == Phase::SioConnect) {
        c->phase = Phase::Ready;
        c->joined = true;
        m_handler->onReady(c);
        return;
    }
    ++m_stats.unexpected;
}

// A socket.io-msgpack-parser packet: a map with "type", "nsp", maybe "data" and "id", in any order.
void Loop::handleMessagePack(Conn *c, std::string_view packet)
{
    const char *p = packet.data();
    const char *const end = p + packet.size();
    if (p == end || (std::uint8_t(*p) & 0xf0) != 0x80) {
        fail(c, "MessagePack packet is not a small map");
        return;
    }
    const int fields = std::uint8_t(*p++) & 0x0f;
    std::int64_t type = -1;
    std::int64_t id = -1;
    std::string_view data;
    for (int i = 0; i < fields; ++i) {
        const char *keyStart = p;
        const char *valueStart = msgpackSkip(p, end);
        const char *valueEnd = valueStart ? msgpackSkip(valueStart, end) : nullptr;
        if (!valueEnd || (std::uint8_t(*keyStart) & 0xe0) != 0xa0) {
            fail(c, "malformed MessagePack packet");
            return;
        }
        const std::string_view key(keyStart + 1, std::size_t(valueStart - keyStart - 1));
        if (key == "type" && !msgpackInteger(valueStart, valueEnd, &type)) {
            fail(c, "MessagePack packet type is not an integer");
            return;
        }
        if (key == "id" && !msgpackInteger(valueStart, valueEnd, &id)) {
            fail(c, "MessagePack packet id is not an integer");
            return;
        }
        if (key == "data")
            data = std::string_view(valueStart, std::size_t(valueEnd - valueStart));
        p = valueEnd;
    }
    if (p != end) {
        fail(c, "trailing bytes after a MessagePack packet");
        return;
    }
    switch (type) {
    case 0:
        sioConnected(c);
        return;
    case 1:
        fail(c, "Socket.IO DISCONNECT from the server");
        return;
    case 2:
        m_handler->onEvent(c, data);
        return;
    case 3:
        if (id < 0) {
            fail(c, "ACK without an id");
            return;
        }
        m_handler->onAck(c, id, data, 0);
        return;
    case 4:
        fail(c, "Socket.IO CONNECT_ERROR");
        return;
    default:
        fail(c, "unknown Socket.IO packet type");
        return;
    }
}

bool Loop::runUntil(const std::function<bool()> &done, std::int64_t deadlineNs, const std::function<void()> &tick)
{
    epoll_event events[512];
    for (;;) {
        if (done())
            return true;
        const std::int64_t now = nowNs();
        if (now >= deadlineNs)
            return false;
        const int timeout = m_busyPoll ? 0 : int(std::min<std::int64_t>(10, (deadlineNs - now) / 1000000 + 1));
        const int n = epoll_wait(m_epoll, events, 512, timeout);
        const std::int64_t woke = n > 0 ? nowNs() : 0;
        for (int i = 0; i < n; ++i) {
            auto *c = static_cast<Conn *>(events[i].data.ptr);
            if (c->phase != Phase::Closed)
                handleEvents(c, events[i].events);
        }
        flushAll();
        if (tick) {
            tick();
            flushAll();
        }
        for (Conn *c : m_graveyard)
            delete c;
        m_graveyard.clear();
        if (n > 0)
            m_stats.workNs += nowNs() - woke;
    }
}

} // namespace sioload
