// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QENGINEIOIOTHREAD_P_H
#define QENGINEIOIOTHREAD_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include "engine/qengineio_p.h"

#include <QtCore/qhash.h>
#include <QtCore/qlist.h>
#include <QtCore/qobject.h>
#include <QtCore/qpointer.h>
#include <QtCore/qthread.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

QT_BEGIN_NAMESPACE
class QSocketNotifier;
class QThread;
class QTcpServer;
class QTcpSocket;
class QWebSocket;
QT_END_NAMESPACE

class QEngineIoServerPrivate;
class QEngineIoHttpConnection;
class QEngineIoIoWorker;

// I/O threads (QEngineIoServerPrivate::setIoThreadCount() > 1).
//
// Each I/O thread runs a whole engine of its own (a QEngineIoServerPrivate that never listens): HTTP parsing,
// TLS, polling payloads, its own QWebSocketServer for the hand-off, WebSocket framing, the write path with its
// coalescing and slow-consumer bound, heartbeats. The server's engine (in the server's thread) accepts, counts
// connections against the caps and hands each accepted descriptor to an I/O thread in turn; its sessions are
// mirrors: QEngineIoSession objects in the server's thread that the layer above uses as before, whose sends and
// closes become commands to the I/O thread that owns the real session.
//
// Crossings are batched, one posted event per batch: what the server's thread queues for an I/O thread in one
// event-loop turn (every recipient's part of a broadcast included, the encoded bytes shared, not copied) goes
// as one batch; what an I/O thread hears from its sessions in one turn (opened, messages, upgraded, closed)
// comes back as one batch. Nothing is locked per packet. A session's commands and events keep their order.
//
// Polling is sticky: a session id names the thread that owns it (sidOwner()), and an HTTP request for a
// session of another thread is moved, connection and all, to that thread between two requests (nothing on it
// is in use then) and handled there.
namespace QEngineIo {

// The I/O thread (0..count-1) whose engine made sid, or -1 when sid cannot be one of theirs.
int sidOwner(const QByteArray &sid, int count);
// Makes a fresh random sid one of thread index's (of count).
void markSid(QByteArray &sid, int index, int count);

struct IoCommand
{
    // ReportPackets: the session's packets go to the server's thread from now on (an observer listens there);
    // StopReports: not any more (nobody listened when it opened).
    enum Kind : quint8 { Send, Close, PolicyClose, ReportPackets, StopReports };
    Kind kind = Send;
    bool binary = false;
    bool isVolatile = false;
    bool compress = true;   // the packet asks for HTTP compression (polling)
    CloseReason reason = CloseReason::ForcedClose;
    QByteArray sid;
    QByteArray data;   // shared with every other recipient of the same packet
    QString description;
    // Send: more recipients of the same bytes, queued one after another (a broadcast): one command per batch.
    QList<QByteArray> moreSids;
};

struct IoEvent
{
    // PacketIn to Heartbeat: what the session's observer hears, for a session asked to report (ReportPackets),
    // or one that reports from its start (Opened with flag set).
    // Upgrading: a probe answered (flag true) or failed after that (false). ConnectionError: a refused request
    // (handshake, code, context).
    enum Kind : quint8 { Opened, Message, Upgraded, Closed, PacketIn, PacketOut, Flushed, Heartbeat, Upgrading,
                         ConnectionError };
    Kind kind = Message;
    bool binary = false;
    bool flag = false;
    int number = 0;   // PacketIn, PacketOut: the packet type; Flushed: the packet count
    ErrorCode code = ErrorCode::BadRequest;
    QVariantMap context;
    CloseReason reason = CloseReason::TransportClose;
    Transport transport = Transport::Polling;
    QByteArray sid;
    QByteArray data;
    QString description;
    std::shared_ptr<const RequestInfo> handshake;   // Opened, ConnectionError
};

} // namespace QEngineIo

// Calls handed to the thread of an object, in order. One std::mutex per hand-off (a batch), not per packet; the
// receiver's thread is woken through an eventfd (one write when the box was empty) that a QSocketNotifier in that
// thread watches. No Qt event is posted: Qt's event queue synchronizes in code ThreadSanitizer does not see, the
// mutex is what tells it that what a call carries was written before it runs.
class QEngineIoMailbox
{
public:
    explicit QEngineIoMailbox(QObject *receiver);
    ~QEngineIoMailbox();
    // In the receiver's thread, once: starts watching (calls posted before wait until then).
    void attach();
    void post(std::function<void()> &&call);
    void clear();

private:
    void drain();

    QObject *m_receiver;
    int m_fd = -1;
    QSocketNotifier *m_notifier = nullptr;
    std::mutex m_mutex;
    std::vector<std::function<void()>> m_calls;
};

// An I/O thread: its event loop, then its worker's end in the thread itself (see run()).
class QEngineIoIoThread : public QThread
{
public:
    QEngineIoIoWorker *worker = nullptr;   // set before start(); deleted by run(), in this thread, only
    // After wait(): makes what run() did visible to ThreadSanitizer, which does not see inside QThread::wait()
    // (Qt is not instrumented), before the caller deletes this object.
    void joined() const { (void)m_ran.load(std::memory_order_acquire); }

protected:
    void run() override;

private:
    std::atomic<bool> m_ran{false};
};

// The server's thread's side: owns the I/O threads, the listening socket, and the outboxes. A child of the
// server's engine.
class QEngineIoIoThreads : public QObject
{
    Q_OBJECT
public:
    QEngineIoIoThreads(QEngineIoServerPrivate *engine, int count);
    // Closes the I/O threads' engines and waits for the threads to end.
    ~QEngineIoIoThreads() override;

    int count() const { return int(m_workers.size()); }

    bool listen(const QHostAddress &address, quint16 port);
    bool isListening() const;
    quint16 serverPort() const;
    QHostAddress serverAddress() const;
    QString errorString() const;
    void stopListening();
    // After the mirrors were closed: the I/O threads close what is left (queued packets first).
    void closeEngines();
    // Hands the options to every I/O thread (the allowRequest hook is called in the server's thread).
    void applyOptions();

    // For a mirror session (server's thread only): queued in the outbox of its I/O thread.
    void enqueue(int index, QEngineIo::IoCommand &&command);
    void flushOutboxes();

    // attach() and bind() (qengineioiothreadadopt.cpp), in the server's thread. A TCP connection of the
    // application's QTcpServer (request null) or QHttpServer (with the request it parsed): counted against the
    // caps and handed to the I/O thread that owns the request's session (the next one otherwise), as its
    // descriptor, or as the socket itself when it holds bytes read or not yet written. Returns false, leaving it
    // alone, for a TLS socket: the server's thread serves that one (see the README, Threading).
    bool takeSocket(QTcpSocket *socket, QHttpRequest *request);
    // A WebSocket QHttpServer completed (its TCP socket is its child): moved to the I/O thread that owns sid (the
    // next one for a handshake) and adopted there. Returns false, leaving it alone, over TLS.
    bool takeWebSocket(QWebSocket *ws, const QByteArray &sid);
    // Connections were taken since the last close() (their sessions are kept like listen()'s).
    bool isAdopting() const { return m_adopting; }

    // For the I/O threads: set before they start, never changed.
    QThread *thread(int index) const { return m_threads.at(index); }
    QEngineIoIoWorker *worker(int index) const { return m_workers.at(index); }
    QEngineIo::Counters *counters(int index) const { return m_counters.at(size_t(index)).get(); }

    // The I/O threads' traffic counters (a scrape, in the server's thread).
    void addCounterTotals(QEngineIo::CounterValues &totals) const;
    // Ids the handler chose (generateId) name no thread: a table says whose sessions they are. Any thread.
    int customSidOwner(const QByteArray &sid);
    void releaseCustomSid(const QByteArray &sid);

private:
    friend class QEngineIoIoWorker;
    void incoming(qintptr descriptor);
    void handleEvents(int index, const QList<QEngineIo::IoEvent> &events);
    void connectionGone(const QString &address, bool counted);
    // Counts a new connection from address against the caps; true when it is over them (not counted).
    bool admit(const QString &address);
    // The I/O thread that owns sid, or the next one in turn.
    int pick(const QByteArray &sid);
    // The handler's id for a session I/O thread index opens (reserved in the table), or empty.
    QByteArray chooseId(int index, const QEngineIo::RequestInfo &request);

    QEngineIoServerPrivate *m_engine;
    QEngineIoMailbox m_mailbox;
    QTcpServer *m_acceptor = nullptr;
    std::vector<QEngineIoIoThread *> m_threads;
    std::vector<QEngineIoIoWorker *> m_workers;
    std::vector<QList<QEngineIo::IoCommand>> m_outboxes;
    bool m_flushScheduled = false;
    int m_next = 0;
    bool m_adopting = false;   // attach()/bind() handed connections over since the last close()
    std::vector<std::unique_ptr<QEngineIo::Counters>> m_counters;   // one per I/O thread, written there
    std::mutex m_customSidsMutex;
    QHash<QByteArray, int> m_customSids;   // the handler's ids: sid -> I/O thread, from the id's choice on
    std::atomic<int> m_customSidCount{0};  // lets the threads skip the lock while there are none
};

// Runs a function when its parent (a TCP socket) is destroyed: a child object, because QWebSocketServer
// disconnects every signal of a socket it takes.
class QEngineIoGoneNotifier : public QObject
{
public:
    QEngineIoGoneNotifier(QObject *parent, std::function<void()> onGone)
        : QObject(parent), m_onGone(std::move(onGone)) {}
    ~QEngineIoGoneNotifier() override { m_onGone(); }

private:
    std::function<void()> m_onGone;
};

// One I/O thread's side: lives in that thread, owns its engine, and is the engine's handler.
class QEngineIoIoWorker : public QObject, public QEngineIo::Handler
{
    Q_OBJECT
public:
    QEngineIoIoWorker(QEngineIoIoThreads *front, int index, int count);
    ~QEngineIoIoWorker() override;

    // All in the I/O thread.
    void start(bool secure);
    void setOptions(const QEngineIo::Options &options, const std::function<bool(QEngineIoHttpConnection *,
                                                                                const QHttpRequest &)> &fallback);
    void adopt(qintptr descriptor, bool overLimit, const QString &address, bool counted);
    // attach()/bind() (qengineioiothreadadopt.cpp): a plain connection by its descriptor, or a socket moved
    // here; the request QHttpServer parsed, if any, is answered.
    void adoptTaken(qintptr descriptor, QTcpSocket *moved, bool overLimit, const QString &address, bool counted,
                    const std::shared_ptr<QHttpRequest> &request);
    void adoptTakenWebSocket(QWebSocket *ws);
    void runCommands(const QList<QEngineIo::IoCommand> &commands);
    void closeEngine();
    void shutdown();
    // Closes the engine and drops what waits (in the I/O thread); shutdown() also ends the thread's loop.
    void closeDown();

    void sessionOpened(QEngineIoSession *session) override;
    void messageReceived(QEngineIoSession *session, const QByteArray &data, bool binary) override;
    void sessionClosed(QEngineIoSession *session, QEngineIo::CloseReason reason, const QString &description) override;
    void sessionUpgraded(QEngineIoSession *session) override;
    void sessionUpgrading(QEngineIoSession *session, bool upgrading) override;
    void connectionError(const QEngineIo::RequestInfo &request, QEngineIo::ErrorCode code,
                         const QVariantMap &context) override;
    // Whether new sessions ask the server's thread for their id (its handler generates them), and whether they
    // report their packets from the start (see QEngineIoServerPrivate::m_reportPacketsFromOpen).
    void setFrontHooks(bool askIds, bool reportFromOpen);

    QEngineIoMailbox &mailbox() { return m_mailbox; }

private:
    friend class QEngineIoPacketReporter;
    void post(QEngineIo::IoEvent &&event);
    void flushEvents();
    // Tells the front, from this thread, that a connection taken here is gone (for the caps).
    std::function<void()> goneNotice(const QString &address, bool counted) const;
    void routeRequest(QEngineIoHttpConnection *connection, QHttpRequest &&request, int owner);
    void adoptMoved(QEngineIoHttpConnection *connection, QHttpRequest &&request);

    QEngineIoIoThreads *m_front;   // in the server's thread: only its mailbox is used from here
    QEngineIoMailbox m_mailbox;
    int m_index;
    int m_count;
    bool m_secure = false;
    bool m_closing = false;
    QEngineIoServerPrivate *m_engine = nullptr;
    QSslConfiguration m_ssl;
    QList<QEngineIo::IoEvent> m_events;
    bool m_flushScheduled = false;
    bool m_reportFromOpen = false;
};

#endif
