// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "engine/qengineioiothread_p.h"
#include "engine/qengineiohttpconnection_p.h"
#include "engine/qengineioserver_p.h"
#include "engine/qengineiosession_p.h"
#include "qtsocketiologging_p.h"

#include <QtCore/qcoreapplication.h>
#include <QtCore/qsocketnotifier.h>
#include <QtCore/qthread.h>
#include <QtNetwork/qsslsocket.h>
#include <QtNetwork/qtcpserver.h>
#include <QtNetwork/qtcpsocket.h>

#include <cerrno>

#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace QEngineIo;

namespace {

constexpr char SidAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int alphabetIndex(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return 26 + (c - 'a');
    if (c >= '0' && c <= '9')
        return 52 + (c - '0');
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

// Hands accepted descriptors on instead of making sockets of them here.
class Acceptor : public QTcpServer
{
public:
    Acceptor(std::function<void(qintptr)> onIncoming, QObject *parent)
        : QTcpServer(parent), m_onIncoming(std::move(onIncoming)) {}

protected:
    void incomingConnection(qintptr descriptor) override { m_onIncoming(descriptor); }

private:
    std::function<void(qintptr)> m_onIncoming;
};

} // namespace

// In an I/O thread: the observer of a session whose mirror's observer listens (IoCommand::ReportPackets); it
// hands what it hears to the server's thread with the session's other events, in order. A child of the session.
class QEngineIoPacketReporter : public QObject, public SessionObserver
{
public:
    QEngineIoPacketReporter(QEngineIoIoWorker *worker, QEngineIoSession *session)
        : QObject(session), m_worker(worker), m_sid(session->sid()) {}

    void packetReceived(int type, const QByteArray &data) override { report(IoEvent::PacketIn, type, data); }
    void packetCreated(int type, const QByteArray &data) override { report(IoEvent::PacketOut, type, data); }
    void flushed(int packetCount) override { report(IoEvent::Flushed, packetCount); }
    void heartbeat() override { report(IoEvent::Heartbeat); }
    void upgrading() override {}   // every session reports it (QEngineIoIoWorker::sessionUpgrading())

private:
    void report(IoEvent::Kind kind, int number = 0, const QByteArray &data = {})
    {
        IoEvent event;
        event.kind = kind;
        event.sid = m_sid;
        event.number = number;
        event.data = data;
        m_worker->post(std::move(event));
    }

    QEngineIoIoWorker *m_worker;
    QByteArray m_sid;
};

namespace QEngineIo {

int sidOwner(const QByteArray &sid, int count)
{
    if (sid.isEmpty() || count <= 0)
        return -1;
    const int index = alphabetIndex(sid.at(0));
    return index < 0 ? -1 : index % count;
}

void markSid(QByteArray &sid, int index, int count)
{
    if (sid.isEmpty() || count <= 1)
        return;
    int c = alphabetIndex(sid.at(0));
    c = (c / count) * count + index;
    if (c >= 64)
        c = index;
    sid[0] = SidAlphabet[c];
}

} // namespace QEngineIo

// --- the server's thread ---------------------------------------------------------------------------------

QEngineIoMailbox::QEngineIoMailbox(QObject *receiver)
    : m_receiver(receiver), m_fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
{
    if (m_fd < 0)
        qFatal("QtSocketIo: eventfd() failed for an I/O thread");
}

QEngineIoMailbox::~QEngineIoMailbox()
{
    delete m_notifier;
    ::close(m_fd);
}

void QEngineIoMailbox::attach()
{
    if (m_notifier)
        return;
    m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read);
    QObject::connect(m_notifier, &QSocketNotifier::activated, m_receiver, [this] { drain(); });
}

void QEngineIoMailbox::post(std::function<void()> &&call)
{
    // The wake-up is written under the lock too: the receiver's thread takes the lock before it closes the
    // eventfd (QEngineIoIoThread::run()), so that no write can race with that close.
    std::lock_guard<std::mutex> lock(m_mutex);
    const bool wasEmpty = m_calls.empty();
    m_calls.push_back(std::move(call));
    if (wasEmpty) {
        const quint64 one = 1;
        while (::write(m_fd, &one, sizeof one) < 0 && errno == EINTR) {
        }
    }
}

void QEngineIoMailbox::drain()
{
    // Reset the wake-up before taking the calls: a call posted after this read wakes the thread again.
    quint64 count = 0;
    while (::read(m_fd, &count, sizeof count) < 0 && errno == EINTR) {
    }
    std::vector<std::function<void()>> calls;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        calls.swap(m_calls);
    }
    // A call may delete the receiver (the server, from a handler): each checks what it needs itself, and the
    // calls after it are dropped with this local list.
    QPointer<QObject> receiver(m_receiver);
    for (auto &call : calls) {
        call();
        if (!receiver)
            return;
    }
}

void QEngineIoMailbox::clear()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_calls.clear();
}

QEngineIoIoThreads::QEngineIoIoThreads(QEngineIoServerPrivate *engine, int count)
    : QObject(engine), m_engine(engine), m_mailbox(this)
{
    m_mailbox.attach();
    const bool secure = !engine->options().sslConfiguration.isNull();
    m_outboxes.resize(size_t(count));
    for (int i = 0; i < count; ++i)
        m_counters.push_back(std::make_unique<Counters>());
    for (int i = 0; i < count; ++i) {
        auto *thread = new QEngineIoIoThread;
        thread->setObjectName(QStringLiteral("SocketIo I/O %1").arg(i));
        auto *worker = new QEngineIoIoWorker(this, i, count);
        worker->moveToThread(thread);
        // The worker's mailbox starts in its thread (a direct call there; what was posted before waits).
        connect(thread, &QThread::started, worker, [worker] { worker->mailbox().attach(); }, Qt::DirectConnection);
        thread->worker = worker;
        m_threads.push_back(thread);
        m_workers.push_back(worker);
    }
    for (int i = 0; i < count; ++i) {
        m_threads[size_t(i)]->start();
        QEngineIoIoWorker *worker = m_workers[size_t(i)];
        worker->mailbox().post([worker, secure] { worker->start(secure); });
    }
    applyOptions();
}

QEngineIoIoThreads::~QEngineIoIoThreads()
{
    delete m_acceptor;
    m_acceptor = nullptr;
    flushOutboxes();
    // Each I/O thread closes its engine, deletes what it owns and ends; nothing waits on this thread meanwhile.
    for (size_t i = 0; i < m_workers.size(); ++i) {
        QEngineIoIoWorker *worker = m_workers[i];
        worker->mailbox().post([worker] { worker->shutdown(); });
    }
    // Without a QCoreApplication (a server deleted with it, as a child of the application object) Qt delivers
    // no event in any thread, the mailboxes' notifications included: the loops are ended directly, and each
    // thread shuts its worker down after its loop (QEngineIoIoThread::run()).
    if (!QCoreApplication::instance()) {
        for (QThread *thread : m_threads)
            thread->quit();
    }
    for (QEngineIoIoThread *thread : m_threads) {
        thread->wait();
        thread->joined();
        delete thread;
    }
    m_mailbox.clear();   // what the threads posted while ending (connections gone): nobody needs it now
    // The threads' traffic stays in the server's totals (a later listen() may start new threads).
    for (const auto &counters : m_counters)
        m_engine->m_closedTotals.add(*counters);
}

void QEngineIoIoThreads::addCounterTotals(CounterValues &totals) const
{
    for (const auto &counters : m_counters)
        totals.add(*counters);
}

int QEngineIoIoThreads::customSidOwner(const QByteArray &sid)
{
    if (m_customSidCount.load(std::memory_order_acquire) == 0)
        return -1;
    std::lock_guard<std::mutex> lock(m_customSidsMutex);
    return m_customSids.value(sid, -1);
}

void QEngineIoIoThreads::releaseCustomSid(const QByteArray &sid)
{
    std::lock_guard<std::mutex> lock(m_customSidsMutex);
    if (m_customSids.remove(sid))
        m_customSidCount.store(int(m_customSids.size()), std::memory_order_release);
}

QByteArray QEngineIoIoThreads::chooseId(int index, const RequestInfo &request)
{
    Handler *handler = m_engine->m_handler;
    const QByteArray id = handler ? handler->generateId(request) : QByteArray();
    if (id.isEmpty())
        return id;
    const bool valid = isValidSessionId(id);
    {
        std::lock_guard<std::mutex> lock(m_customSidsMutex);
        // Taken: by a mirror, or by a session that is still opening or still closing in its I/O thread.
        if (valid && !m_engine->m_sessions.contains(id) && !m_customSids.contains(id)) {
            m_customSids.insert(id, index);
            m_customSidCount.store(int(m_customSids.size()), std::memory_order_release);
            return id;
        }
    }
    qCWarning(lcEngine) << "generateId returned" << (valid ? "an id in use" : "an invalid id") << id.left(64)
                        << "; using a generated one";
    return {};
}

void QEngineIoIoThreads::applyOptions()
{
    Options options = m_engine->options();
    if (options.allowRequest) {
        // The hook is the application's: it runs in the server's thread, its answer goes back to the I/O thread.
        QPointer<QEngineIoIoThreads> front(this);
        const AllowRequestHook hook = options.allowRequest;
        options.allowRequest = [front, hook](const RequestInfo &request, const AllowRequestCallback &answer) {
            QThread *ioThread = QThread::currentThread();
            QEngineIoIoThreads *target = front.data();
            if (!target)
                return;
            target->m_mailbox.post([front, hook, request, answer, ioThread] {
                if (!front)
                    return;
                hook(request, [front, answer, ioThread](bool allowed, int status, const QByteArray &message) {
                    if (!front)
                        return;
                    for (size_t i = 0; i < front->m_threads.size(); ++i) {
                        if (front->m_threads[i] == ioThread)
                            front->m_workers[i]->mailbox().post([answer, allowed, status, message] {
                                answer(allowed, status, message);
                            });
                    }
                });
            });
        };
    }
    const auto fallback = m_engine->m_fallback;
    for (QEngineIoIoWorker *worker : m_workers) {
        worker->mailbox().post([worker, options, fallback] { worker->setOptions(options, fallback); });
        worker->mailbox().post([worker, ids = m_engine->m_handlerGeneratesIds,
                                reports = m_engine->m_reportPacketsFromOpen] { worker->setFrontHooks(ids, reports); });
    }
}

bool QEngineIoIoThreads::listen(const QHostAddress &address, quint16 port)
{
    if (!m_acceptor) {
        m_acceptor = new Acceptor([this](qintptr descriptor) { incoming(descriptor); }, this);
        m_acceptor->setMaxPendingConnections(1 << 20);
    }
    return m_acceptor->listen(address, port);
}

bool QEngineIoIoThreads::isListening() const { return m_acceptor && m_acceptor->isListening(); }
quint16 QEngineIoIoThreads::serverPort() const { return m_acceptor ? m_acceptor->serverPort() : 0; }
QHostAddress QEngineIoIoThreads::serverAddress() const { return m_acceptor ? m_acceptor->serverAddress() : QHostAddress(); }
QString QEngineIoIoThreads::errorString() const { return m_acceptor ? m_acceptor->errorString() : QString(); }

void QEngineIoIoThreads::stopListening()
{
    m_adopting = false;
    if (m_acceptor)
        m_acceptor->close();
}

void QEngineIoIoThreads::closeEngines()
{
    flushOutboxes();
    for (QEngineIoIoWorker *worker : m_workers)
        worker->mailbox().post([worker] { worker->closeEngine(); });
}

void QEngineIoIoThreads::incoming(qintptr descriptor)
{
    sockaddr_storage storage = {};
    socklen_t length = sizeof(storage);
    QString address;
    if (::getpeername(int(descriptor), reinterpret_cast<sockaddr *>(&storage), &length) == 0)
        address = QHostAddress(reinterpret_cast<const sockaddr *>(&storage)).toString();
    const bool overLimit = admit(address);
    const int index = m_next;
    m_next = (m_next + 1) % count();
    QEngineIoIoWorker *worker = m_workers[size_t(index)];
    const bool counted = !overLimit;
    worker->mailbox().post([worker, descriptor, overLimit, address, counted] {
        worker->adopt(descriptor, overLimit, address, counted);
    });
}

void QEngineIoIoThreads::connectionGone(const QString &address, bool counted)
{
    if (!counted)
        return;
    --m_engine->m_connectionCount;
    auto it = m_engine->m_connectionsPerAddress.find(address);
    if (it != m_engine->m_connectionsPerAddress.end() && --*it <= 0)
        m_engine->m_connectionsPerAddress.erase(it);
}

void QEngineIoIoThreads::enqueue(int index, IoCommand &&command)
{
    QList<IoCommand> &outbox = m_outboxes[size_t(index)];
    if (command.kind == IoCommand::Send && !outbox.isEmpty()) {
        // The next recipient of a broadcast (the same bytes, not equal ones): it joins the previous command.
        IoCommand &last = outbox.last();
        if (last.kind == IoCommand::Send && last.data.constData() == command.data.constData()
            && last.data.size() == command.data.size() && last.binary == command.binary
            && last.isVolatile == command.isVolatile && last.compress == command.compress && !command.data.isEmpty()) {
            last.moreSids.append(std::move(command.sid));
            return;
        }
    }
    outbox.append(std::move(command));
    if (!m_flushScheduled) {
        m_flushScheduled = true;
        QMetaObject::invokeMethod(this, &QEngineIoIoThreads::flushOutboxes, Qt::QueuedConnection);
    }
}

void QEngineIoIoThreads::flushOutboxes()
{
    m_flushScheduled = false;
    for (size_t i = 0; i < m_outboxes.size(); ++i) {
        if (m_outboxes[i].isEmpty())
            continue;
        QList<IoCommand> batch = std::exchange(m_outboxes[i], {});
        QEngineIoIoWorker *worker = m_workers[i];
        worker->mailbox().post([worker, batch = std::move(batch)] { worker->runCommands(batch); });
    }
}

void QEngineIoIoThreads::handleEvents(int index, const QList<IoEvent> &events)
{
    // A handler may delete the server, this object with it.
    QPointer<QEngineIoIoThreads> self(this);
    QEngineIoServerPrivate *engine = m_engine;
    for (const IoEvent &event : events) {
        switch (event.kind) {
        case IoEvent::Opened: {
            if ((!engine->isListening() && !m_adopting) || engine->m_sessions.contains(event.sid)) {
                // Opened while the server was closing: it ends at once.
                IoCommand close;
                close.kind = IoCommand::Close;
                close.reason = CloseReason::ServerShuttingDown;
                close.sid = event.sid;
                enqueue(index, std::move(close));
                break;
            }
            auto *session = new QEngineIoSession(engine, event.sid, *event.handshake, event.transport);
            session->m_io = this;
            session->m_ioIndex = index;
            session->m_packetReports = event.flag;   // reporting from its start
            engine->m_sessions.insert(event.sid, session);
            Q_EMIT engine->sessionCountChanged();
            if (!self)
                return;
            QPointer<QEngineIoSession> guard(session);
            if (QEngineIo::Handler *handler = engine->m_handler)
                handler->sessionOpened(session);
            if (!self)
                return;
            if (guard && guard->isOpen() && guard->m_packetReports
                && !(guard->observer() && guard->observer()->wantsPackets())) {
                // Nothing connected while it opened: the I/O thread stops reporting (what came meanwhile is dropped).
                guard->m_packetReports = false;
                IoCommand stop;
                stop.kind = IoCommand::StopReports;
                stop.sid = event.sid;
                enqueue(index, std::move(stop));
            }
            break;
        }
        case IoEvent::Message: {
            QEngineIoSession *session = engine->m_sessions.value(event.sid);
            if (session && session->isOpen()) {
                if (QEngineIo::Handler *handler = engine->m_handler)
                    handler->messageReceived(session, event.data, event.binary);
            }
            break;
        }
        case IoEvent::Upgraded: {
            QEngineIoSession *session = engine->m_sessions.value(event.sid);
            if (session && session->isOpen()) {
                session->m_transport = Transport::WebSocket;
                session->m_mirrorUpgrading = false;
                if (QEngineIo::Handler *handler = engine->m_handler)
                    handler->sessionUpgraded(session);
            }
            break;
        }
        case IoEvent::Closed:
            if (QEngineIoSession *session = engine->m_sessions.value(event.sid))
                session->remoteClosed(event.reason, event.description);
            break;
        case IoEvent::PacketIn:
        case IoEvent::PacketOut:
        case IoEvent::Flushed:
        case IoEvent::Heartbeat: {
            QEngineIoSession *session = engine->m_sessions.value(event.sid);
            SessionObserver *observer = session && session->isOpen() ? session->observer() : nullptr;
            if (!observer)
                break;
            if (event.kind == IoEvent::PacketIn)
                observer->packetReceived(event.number, event.data);
            else if (event.kind == IoEvent::PacketOut)
                observer->packetCreated(event.number, event.data);
            else if (event.kind == IoEvent::Flushed)
                observer->flushed(event.number);
            else
                observer->heartbeat();
            break;
        }
        case IoEvent::Upgrading: {
            QEngineIoSession *session = engine->m_sessions.value(event.sid);
            if (!session || !session->isOpen())
                break;
            session->m_mirrorUpgrading = event.flag;
            if (event.flag) {
                if (SessionObserver *observer = session->observer())
                    observer->upgrading();
            }
            break;
        }
        case IoEvent::ConnectionError:
            if (Handler *handler = engine->m_handler)
                handler->connectionError(*event.handshake, event.code, event.context);
            break;
        }
        if (!self)
            return;
    }
    flushOutboxes();
}

// --- an I/O thread ---------------------------------------------------------------------------------------

QEngineIoIoWorker::QEngineIoIoWorker(QEngineIoIoThreads *front, int index, int count)
    : m_front(front), m_mailbox(this), m_index(index), m_count(count)
{
}

QEngineIoIoWorker::~QEngineIoIoWorker() = default;

void QEngineIoIoWorker::start(bool secure)
{
    m_secure = secure;
    m_engine = new QEngineIoServerPrivate(this);
    m_engine->prepareIoEngine(m_index, m_count, secure);
    m_engine->setHandler(this);
    m_engine->m_router = [this](QEngineIoHttpConnection *connection, QHttpRequest &&request, int owner) {
        routeRequest(connection, std::move(request), owner);
    };
    QEngineIoIoThreads *front = m_front;
    m_engine->m_sharedCounters = front->counters(m_index);
    m_engine->m_customSidOwner = [front](const QByteArray &sid) { return front->customSidOwner(sid); };
    m_engine->m_idUnused = [front](const QByteArray &sid) { front->releaseCustomSid(sid); };
}

void QEngineIoIoWorker::setFrontHooks(bool ask, bool reportFromOpen)
{
    if (!m_engine)
        return;
    m_reportFromOpen = reportFromOpen;
    if (!ask) {
        m_engine->m_idRequest = nullptr;
        return;
    }
    // The handler runs in the server's thread, as without I/O threads; its answer comes back here.
    QEngineIoIoThreads *front = m_front;
    const int index = m_index;
    m_engine->m_idRequest = [front, index](const RequestInfo &request, std::function<void(const QByteArray &)> &&answer) {
        auto shared = std::make_shared<std::function<void(const QByteArray &)>>(std::move(answer));
        front->m_mailbox.post([front, index, request, shared] {
            const QByteArray id = front->chooseId(index, request);
            QEngineIoIoWorker *worker = front->worker(index);
            worker->mailbox().post([shared, id] { (*shared)(id); });
        });
    };
}

void QEngineIoIoWorker::setOptions(const Options &options,
                                   const std::function<bool(QEngineIoHttpConnection *, const QHttpRequest &)> &fallback)
{
    m_ssl = options.sslConfiguration;
    m_engine->setOptions(options);
    m_engine->setFallbackHandler(fallback);
}

std::function<void()> QEngineIoIoWorker::goneNotice(const QString &address, bool counted) const
{
    QEngineIoIoThreads *front = m_front;
    return [front, address, counted] {
        front->m_mailbox.post([front, address, counted] { front->connectionGone(address, counted); });
    };
}

void QEngineIoIoWorker::adopt(qintptr descriptor, bool overLimit, const QString &address, bool counted)
{
    QTcpSocket *socket = nullptr;
    QSslSocket *ssl = nullptr;
    if (m_secure) {
        ssl = new QSslSocket;
        socket = ssl;
    } else {
        socket = new QTcpSocket;
    }
    const auto gone = goneNotice(address, counted);
    if (!socket->setSocketDescriptor(descriptor) || m_closing) {
        qCDebug(lcEngine) << "cannot take a connection from" << address << ":" << socket->errorString();
        if (socket->socketDescriptor() != descriptor)
            ::close(int(descriptor));
        delete socket;
        gone();
        return;
    }
    // The TCP socket lives on after a WebSocket hand-off (inside the QWebSocket): counted until it is gone.
    new QEngineIoGoneNotifier(socket, gone);
    if (ssl) {
        connect(ssl, &QSslSocket::sslErrors, ssl, [ssl](const QList<QSslError> &errors) {
            for (const QSslError &error : errors)
                qCDebug(lcEngine) << "TLS peer verification:" << error.errorString();
        });
        ssl->setSslConfiguration(m_ssl);
        ssl->startServerEncryption();
    }
    m_engine->adoptSocket(socket, overLimit);
}

void QEngineIoIoWorker::routeRequest(QEngineIoHttpConnection *connection, QHttpRequest &&request, int owner)
{
    // Moved once the caller has unwound (it still uses the connection and its socket).
    QPointer<QEngineIoHttpConnection> guard(connection);
    auto shared = std::make_shared<QHttpRequest>(std::move(request));
    QMetaObject::invokeMethod(this, [this, guard, shared, owner] {
        QEngineIoHttpConnection *connection = guard.data();
        if (!connection || !connection->socket() || m_closing)
            return;
        m_engine->releaseConnection(connection);
        QEngineIoIoWorker *target = m_front->worker(owner);
        connection->moveToThread(m_front->thread(owner));
        target->mailbox().post([target, guard, shared] {
            if (QEngineIoHttpConnection *moved = guard.data())
                target->adoptMoved(moved, std::move(*shared));
        });
    }, Qt::QueuedConnection);
}

void QEngineIoIoWorker::adoptMoved(QEngineIoHttpConnection *connection, QHttpRequest &&request)
{
    if (!connection->socket() || m_closing) {
        connection->deleteLater();
        return;
    }
    m_engine->adoptConnection(connection);
    m_engine->handleRequest(connection, std::move(request));
}

void QEngineIoIoWorker::runCommands(const QList<IoCommand> &commands)
{
    if (!m_engine)
        return;
    for (const IoCommand &command : commands) {
        if (command.kind == IoCommand::Send) {
            if (QEngineIoSession *session = m_engine->session(command.sid))
                session->send(command.data, command.binary, command.isVolatile, command.compress);
            for (const QByteArray &sid : command.moreSids) {
                if (QEngineIoSession *session = m_engine->session(sid))
                    session->send(command.data, command.binary, command.isVolatile, command.compress);
            }
            continue;
        }
        QEngineIoSession *session = m_engine->session(command.sid);
        if (!session)
            continue;
        switch (command.kind) {
        case IoCommand::Send:
            break;
        case IoCommand::Close:
            session->closeWithReason(command.reason, command.description);
            break;
        case IoCommand::PolicyClose:
            session->closeForPolicyViolation(command.description);
            break;
        case IoCommand::ReportPackets:
            if (!session->observer())
                session->setObserver(new QEngineIoPacketReporter(this, session));
            break;
        case IoCommand::StopReports:
            if (auto *reporter = dynamic_cast<QEngineIoPacketReporter *>(session->observer())) {
                session->setObserver(nullptr);
                delete reporter;
            }
            break;
        }
    }
}

void QEngineIoIoWorker::closeEngine()
{
    if (m_engine)
        m_engine->close();
}

void QEngineIoIoWorker::shutdown()
{
    closeDown();
    QThread::currentThread()->quit();   // the thread deletes this worker after its loop
}

void QEngineIoIoWorker::closeDown()
{
    m_closing = true;
    m_events.clear();
    if (m_engine) {
        m_engine->setHandler(nullptr);
        delete m_engine;
        m_engine = nullptr;
    }
}

void QEngineIoIoThread::run()
{
    exec();
    // In this thread, after the loop: the worker's shutdown() ran, or the loop was ended without it (no
    // QCoreApplication any more); either way its engine goes here, where its objects live.
    if (worker) {
        worker->mailbox().clear();   // what was posted and not run (also: orders those posts before the close)
        worker->closeDown();
        delete worker;
    }
    m_ran.store(true, std::memory_order_release);
}

void QEngineIoIoWorker::post(IoEvent &&event)
{
    if (m_closing)
        return;
    m_events.append(std::move(event));
    if (!m_flushScheduled) {
        m_flushScheduled = true;
        QMetaObject::invokeMethod(this, &QEngineIoIoWorker::flushEvents, Qt::QueuedConnection);
    }
}

void QEngineIoIoWorker::flushEvents()
{
    m_flushScheduled = false;
    if (m_events.isEmpty() || m_closing)
        return;
    QEngineIoIoThreads *front = m_front;
    const int index = m_index;
    front->m_mailbox.post([front, index, events = std::exchange(m_events, {})] {
        front->handleEvents(index, events);
    });
}

void QEngineIoIoWorker::sessionOpened(QEngineIoSession *session)
{
    const QByteArray &sid = session->sid();
    if (sid == session->handshakeRequest().newSid) {
        // The handler's id, in the server's thread's table (for stickiness) until the session is gone here.
        QEngineIoIoThreads *front = m_front;
        connect(session, &QObject::destroyed, this, [front, sid] { front->releaseCustomSid(sid); });
    }
    IoEvent event;
    event.kind = IoEvent::Opened;
    if (m_reportFromOpen && !session->observer()) {
        session->setObserver(new QEngineIoPacketReporter(this, session));
        event.flag = true;
    }
    event.sid = session->sid();
    event.transport = session->transport();
    event.handshake = std::make_shared<const RequestInfo>(session->handshakeRequest());
    post(std::move(event));
}

void QEngineIoIoWorker::messageReceived(QEngineIoSession *session, const QByteArray &data, bool binary)
{
    IoEvent event;
    event.kind = IoEvent::Message;
    event.sid = session->sid();
    event.data = data;
    event.binary = binary;
    post(std::move(event));
}

void QEngineIoIoWorker::sessionClosed(QEngineIoSession *session, CloseReason reason, const QString &description)
{
    IoEvent event;
    event.kind = IoEvent::Closed;
    event.sid = session->sid();
    event.reason = reason;
    event.description = description;
    post(std::move(event));
}

void QEngineIoIoWorker::sessionUpgrading(QEngineIoSession *session, bool upgrading)
{
    IoEvent event;
    event.kind = IoEvent::Upgrading;
    event.sid = session->sid();
    event.flag = upgrading;
    post(std::move(event));
}

void QEngineIoIoWorker::connectionError(const RequestInfo &request, ErrorCode code, const QVariantMap &context)
{
    // Told in the server's thread, with the other events.
    IoEvent event;
    event.kind = IoEvent::ConnectionError;
    event.code = code;
    event.context = context;
    RequestInfo copy = request;
    copy.http.body.clear();
    event.handshake = std::make_shared<const RequestInfo>(std::move(copy));
    post(std::move(event));
}

void QEngineIoIoWorker::sessionUpgraded(QEngineIoSession *session)
{
    IoEvent event;
    event.kind = IoEvent::Upgraded;
    event.sid = session->sid();
    post(std::move(event));
}
