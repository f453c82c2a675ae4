// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef SIOLOAD_LOOP_H
#define SIOLOAD_LOOP_H

// The load generator's client side: one epoll loop driving many raw TCP connections that speak
// HTTP/1.1 (polling handshake), WebSocket (RFC 6455 client side, masked frames), Engine.IO v4 and
// Socket.IO v5 - just enough of each to load a server, identically for every server.

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace sioload {

std::int64_t nowNs();

// What a connection is doing. Each TCP connection is one Conn; a polling client that upgrades has two
// (its HTTP connection and its WebSocket), linked through peer.
enum class Phase : std::uint8_t {
    TcpConnecting,     // non-blocking connect() in progress
    WsHandshake,       // upgrade request sent, waiting for "101"
    EioOpen,           // WebSocket open, waiting for the Engine.IO open packet
    SioConnect,        // "40" sent, waiting for the Socket.IO CONNECT answer
    PollOpen,          // polling handshake GET sent
    PollPost,          // POST "40" sent
    PollGet,           // GET sent, waiting for "40{...}"
    PollIdle,          // polling connection waiting for its WebSocket to take over
    ProbeHandshake,    // upgrade WebSocket: waiting for "101"
    Probe,             // "2probe" sent, waiting for "3probe"
    UpgradeConfirm,    // "5" and an acked "echo" sent, waiting for the ack
    Ready,             // joined "/", usable
    Closed,
};

enum class Mode : std::uint8_t { WebSocket, PollingUpgrade };

struct Conn
{
    int fd = -1;
    std::uint32_t index = 0;        // given by the scenario
    Phase phase = Phase::Closed;
    Mode mode = Mode::WebSocket;
    bool dirty = false;             // has bytes in out and is in the flush list
    bool writeArmed = false;        // EPOLLOUT registered
    bool joined = false;            // reached Ready once
    std::uint8_t fragOpcode = 0;    // opcode of a fragmented message being assembled
    std::uint16_t pendingAttachments = 0;   // binary packet: attachments still to come
    std::int64_t binaryAckId = -1;          // binary ack being assembled
    std::int64_t pendingAckId = -1;         // the ack awaited (upgrade check, then scenario use)
    std::uint64_t attachmentBytes = 0;
    std::int64_t opStart = 0;       // ns, when the current request was sent (scenario use)
    std::int64_t nextAckId = 0;
    std::uint64_t counter = 0;      // scenario use
    std::uint32_t pollRounds = 0;   // polling GETs that did not bring "40" yet
    Conn *peer = nullptr;           // polling upgrade: the other connection of the same client
    std::string in;                 // bytes read and not yet parsed
    std::string out;                // bytes not yet written
    std::string frag;               // fragmented message being assembled
    std::string key;                // Sec-WebSocket-Key while the handshake runs
    std::string sid;                // Engine.IO sid (polling upgrade)
    std::string expect;             // scenario use: the answer expected next
};

// What a scenario hears.
class Handler
{
public:
    virtual ~Handler() = default;
    // The connection joined the main namespace (WebSocket), or finished its upgrade (polling).
    virtual void onReady(Conn *c) = 0;
    // A Socket.IO EVENT packet; json is the text after "42" (the array, with an optional ack id before it).
    virtual void onEvent(Conn *c, std::string_view json) { (void)c; (void)json; }
    // A Socket.IO ACK (json after the id), or a BINARY_ACK once all its attachments arrived.
    virtual void onAck(Conn *c, std::int64_t id, std::string_view json, std::uint64_t binaryBytes)
    { (void)c; (void)id; (void)json; (void)binaryBytes; }
    // The connection failed or was closed by the server (not called for close() by the scenario).
    virtual void onFailed(Conn *c, const char *why) = 0;
};

struct Stats
{
    std::uint64_t framesIn = 0;
    std::uint64_t bytesIn = 0;
    std::uint64_t bytesOut = 0;
    std::uint64_t pingsAnswered = 0;
    std::uint64_t failures = 0;        // connections that failed or were closed by the server
    std::uint64_t unexpected = 0;      // packets the load generator did not expect (logged, not fatal)
    std::int64_t workNs = 0;           // time spent handling events (not waiting for them): the load
                                       // generator's real load, whether it sleeps or busy-polls
};

class Loop
{
public:
    Loop(std::uint16_t port, Handler *handler);
    ~Loop();
    Loop(const Loop &) = delete;
    Loop &operator=(const Loop &) = delete;

    // Starts a client: TCP connect, then the WebSocket or polling handshake, then "40"; onReady() follows.
    // Returns nullptr (and counts an error) when the socket cannot even be created.
    Conn *connect(std::uint32_t index, Mode mode);
    // The server the next connections go to (S6: two nodes of one cluster).
    void setPort(std::uint16_t port);
    // Closes the connection (and its peer) without telling the handler. The Conn is freed later.
    void close(Conn *c);

    // Queue a Socket.IO packet ("2[...]", "3<id>[...]") as an Engine.IO message in a masked text frame.
    void sendSio(Conn *c, std::string_view packet);
    // Queue raw Engine.IO text (e.g. "3") / a binary message.
    void sendEioText(Conn *c, std::string_view text);
    void sendBinary(Conn *c, std::string_view data);

    // Runs until done() is true or the deadline (ns, from nowNs()) passes; tick() is called at least
    // every 10 ms and after each batch of events. Returns true when done() became true.
    bool runUntil(const std::function<bool()> &done, std::int64_t deadlineNs,
                  const std::function<void()> &tick = {});

    // socket.io-msgpack-parser's wire format (WebSocket mode only): the CONNECT and every packet from the server
    // are MessagePack maps {type, data, nsp, id} in binary messages; onEvent() / onAck() then get the raw
    // MessagePack bytes of "data" (the array) instead of JSON text. Scenarios send with sendBinary().
    void setMessagePack(bool on) { m_msgpack = on; }

    // Poll without sleeping (epoll_wait with a zero timeout): the load generator's CPU is always busy, and the
    // server never has to wake it up across CPUs.
    void setBusyPoll(bool on) { m_busyPoll = on; }

    const Stats &stats() const { return m_stats; }
    std::size_t openCount() const { return m_open; }
    std::uint64_t failures() const { return m_stats.failures; }

private:
    void handleEvents(Conn *c, std::uint32_t events);
    void onConnected(Conn *c);
    void readable(Conn *c);
    bool parseHttp(Conn *c);
    void handlePollBody(Conn *c, std::string_view body);
    bool parseFrames(Conn *c, const char *data, std::size_t size, std::size_t *consumed);
    void handleMessage(Conn *c, std::uint8_t opcode, std::string_view payload);
    void handleEio(Conn *c, std::string_view text);
    void handleSio(Conn *c, std::string_view packet);
    void handleMessagePack(Conn *c, std::string_view packet);
    void sioConnected(Conn *c);
    void startUpgrade(Conn *polling);
    void sendHttp(Conn *c, std::string_view method, std::string_view query, std::string_view body);
    void appendFrame(Conn *c, std::uint8_t opcode, std::string_view prefix, std::string_view payload);
    void sendUpgradeRequest(Conn *c);
    void processInput(Conn *c);
    void markDirty(Conn *c);
    void flush(Conn *c);
    void flushAll();
    void fail(Conn *c, const char *why);
    void destroy(Conn *c);
    void updateEpoll(Conn *c, bool wantWrite);
    std::uint32_t nextMask();

    std::uint16_t m_port;
    Handler *m_handler;
    int m_epoll = -1;
    std::uint64_t m_rng;
    Stats m_stats;
    std::size_t m_open = 0;
    bool m_busyPoll = false;
    bool m_msgpack = false;
    std::vector<Conn *> m_dirty;
    std::vector<Conn *> m_graveyard;
    std::unordered_set<Conn *> m_all;
    std::vector<char> m_scratch;
    std::string m_host;
};

// The few MessagePack pieces the load generator writes (big-endian, shortest form, as notepack.io writes them).
void msgpackString(std::string &out, std::string_view s);
void msgpackUnsigned(std::string &out, std::uint64_t v);
inline void msgpackMap(std::string &out, std::uint8_t n) { out += char(0x80 | n); }     // n < 16
inline void msgpackArray(std::string &out, std::uint8_t n) { out += char(0x90 | n); }   // n < 16

// SHA-1 of data, then Base64: the Sec-WebSocket-Accept check.
std::string webSocketAccept(std::string_view key);
std::string base64(const unsigned char *data, std::size_t size);

} // namespace sioload

#endif
