// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qsocketiopostgresconnection_p.h"

#include <QtCore/qpointer.h>
#include <QtCore/qrandom.h>
#include <QtCore/qsocketnotifier.h>
#include <QtCore/qtimer.h>

#include <libpq-fe.h>

#include <vector>

Q_LOGGING_CATEGORY(lcPostgres, "qtsocketio.adapter.postgres", QtInfoMsg)

// How long one connection attempt may take before it counts as failed (a host that drops packets).
static constexpr int ConnectTimeoutMs = 10000;

QSocketIoPostgresConnection::QSocketIoPostgresConnection(QObject *parent)
    : QObject(parent), m_retry(new QTimer(this))
{
    m_retry->setSingleShot(true);
    connect(m_retry, &QTimer::timeout, this, &QSocketIoPostgresConnection::startConnect);
}

QSocketIoPostgresConnection::~QSocketIoPostgresConnection()
{
    m_open = false;
    resetSocket();
    if (m_conn)
        PQfinish(m_conn);
}

QByteArray QSocketIoPostgresConnection::quoteIdentifier(const QString &identifier)
{
    QByteArray quoted = identifier.toUtf8();
    quoted.replace('"', "\"\"");
    return '"' + quoted + '"';
}

void QSocketIoPostgresConnection::open()
{
    if (m_open)
        return;
    m_open = true;
    startConnect();
}

void QSocketIoPostgresConnection::close()
{
    m_open = false;
    m_retry->stop();
    if (m_conn)
        fail(QStringLiteral("closed"));
}

QString QSocketIoPostgresConnection::connectionError() const
{
    return m_conn ? QString::fromUtf8(PQerrorMessage(m_conn)).simplified() : QStringLiteral("no connection");
}

void QSocketIoPostgresConnection::startConnect()
{
    if (!m_open || m_conn)
        return;
    m_conn = PQconnectStart(m_conninfo.constData());
    if (!m_conn) {
        fail(QStringLiteral("cannot allocate a libpq connection"));
        return;
    }
    if (PQstatus(m_conn) == CONNECTION_BAD) {
        fail(connectionError());
        return;
    }
    // The server's notices (and its FATAL goodbye on shutdown) go to the log, not to stderr.
    PQsetNoticeProcessor(m_conn, [](void *, const char *message) {
        qCDebug(lcPostgres).noquote() << "server:" << QString::fromUtf8(message).simplified();
    }, nullptr);
    m_connecting = true;
    watchSocket();
    // As libpq asks: behave as if PQconnectPoll had answered PGRES_POLLING_WRITING.
    m_readNotifier->setEnabled(false);
    m_writeNotifier->setEnabled(true);
    pg_conn *attempt = m_conn;
    QTimer::singleShot(ConnectTimeoutMs, this, [this, attempt] {
        if (m_conn == attempt && m_connecting)
            fail(QStringLiteral("timeout while connecting"));
    });
}

void QSocketIoPostgresConnection::watchSocket()
{
    const int socket = PQsocket(m_conn);
    if (socket == m_socket && m_readNotifier)
        return;
    resetSocket();
    m_socket = socket;
    if (socket < 0)
        return;
    m_readNotifier = new QSocketNotifier(socket, QSocketNotifier::Read, this);
    m_writeNotifier = new QSocketNotifier(socket, QSocketNotifier::Write, this);
    m_writeNotifier->setEnabled(false);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &QSocketIoPostgresConnection::onReadable);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &QSocketIoPostgresConnection::onWritable);
}

void QSocketIoPostgresConnection::resetSocket()
{
    // The notifiers are disabled before libpq closes their socket, and deleted later: this may run inside
    // one of their activated() signals.
    for (QSocketNotifier *notifier : {m_readNotifier, m_writeNotifier}) {
        if (notifier) {
            notifier->setEnabled(false);
            notifier->disconnect(this);
            notifier->deleteLater();
        }
    }
    m_readNotifier = nullptr;
    m_writeNotifier = nullptr;
    m_socket = -1;
}

void QSocketIoPostgresConnection::pollConnect()
{
    const PostgresPollingStatusType status = PQconnectPoll(m_conn);
    if (status == PGRES_POLLING_FAILED) {
        fail(connectionError());
        return;
    }
    watchSocket();   // libpq may have opened another socket (another address, SSL fallback)
    if (!m_readNotifier) {
        fail(QStringLiteral("no socket"));
        return;
    }
    switch (status) {
    case PGRES_POLLING_READING:
        m_readNotifier->setEnabled(true);
        m_writeNotifier->setEnabled(false);
        return;
    case PGRES_POLLING_WRITING:
        m_readNotifier->setEnabled(false);
        m_writeNotifier->setEnabled(true);
        return;
    case PGRES_POLLING_OK:
        break;
    default:
        return;
    }
    m_connecting = false;
    m_readNotifier->setEnabled(true);
    m_writeNotifier->setEnabled(false);
    if (PQsetnonblocking(m_conn, 1) != 0) {
        fail(connectionError());
        return;
    }
    m_backoff = 0;
    qCDebug(lcPostgres) << "connected to" << PQhost(m_conn) << PQport(m_conn);
    m_ready = true;
    Q_EMIT ready();
}

void QSocketIoPostgresConnection::exec(const QByteArray &sql, const QList<Param> &params, bool binaryResult,
                                       const Callback &callback)
{
    if (!m_ready) {
        queueFailure(callback, QStringLiteral("not connected to PostgreSQL"));
        return;
    }
    Query query;
    query.sql = sql;
    query.params = params;
    query.binaryResult = binaryResult;
    query.callback = callback;
    m_queue.enqueue(query);
    startNext();
}

void QSocketIoPostgresConnection::execSimple(const QByteArray &sql, const Callback &callback)
{
    if (!m_ready) {
        queueFailure(callback, QStringLiteral("not connected to PostgreSQL"));
        return;
    }
    Query query;
    query.sql = sql;
    query.simple = true;
    query.callback = callback;
    m_queue.enqueue(query);
    startNext();
}

void QSocketIoPostgresConnection::queueFailure(const Callback &callback, const QString &error)
{
    if (!callback)
        return;
    QMetaObject::invokeMethod(this, [callback, error] {
        Result result;
        result.error = error;
        result.connectionLost = true;
        callback(result);
    }, Qt::QueuedConnection);
}

void QSocketIoPostgresConnection::startNext()
{
    if (m_busy || m_queue.isEmpty() || !m_conn || m_connecting)
        return;
    m_current = m_queue.dequeue();
    m_currentResult = Result();
    int sent = 0;
    if (m_current.simple) {
        sent = PQsendQuery(m_conn, m_current.sql.constData());
    } else {
        const int n = int(m_current.params.size());
        std::vector<const char *> values(static_cast<std::size_t>(n));
        std::vector<int> lengths(static_cast<std::size_t>(n));
        std::vector<int> formats(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            const Param &p = m_current.params.at(i);
            values[size_t(i)] = p.isNull ? nullptr : p.value.constData();
            lengths[size_t(i)] = int(p.value.size());
            formats[size_t(i)] = p.binary ? 1 : 0;
        }
        sent = PQsendQueryParams(m_conn, m_current.sql.constData(), n, nullptr, values.data(), lengths.data(),
                                 formats.data(), m_current.binaryResult ? 1 : 0);
    }
    if (!sent) {
        fail(connectionError());
        return;
    }
    m_busy = true;
    flush();
}

void QSocketIoPostgresConnection::flush()
{
    if (!m_conn || m_connecting)
        return;
    const int pending = PQflush(m_conn);
    if (pending < 0) {
        fail(connectionError());
        return;
    }
    m_writeNotifier->setEnabled(pending == 1);
}

void QSocketIoPostgresConnection::onWritable()
{
    if (m_connecting)
        pollConnect();
    else
        flush();
}

void QSocketIoPostgresConnection::onReadable()
{
    if (m_connecting) {
        pollConnect();
        return;
    }
    if (!m_conn)
        return;
    if (!PQconsumeInput(m_conn)) {
        fail(connectionError());
        return;
    }
    const QPointer<QSocketIoPostgresConnection> self(this);
    collectResults();
    if (!self || !m_conn)
        return;
    drainNotifications();
    if (!self || !m_conn)
        return;
    if (PQstatus(m_conn) == CONNECTION_BAD)
        fail(connectionError());
}

void QSocketIoPostgresConnection::collectResults()
{
    const QPointer<QSocketIoPostgresConnection> self(this);
    while (self && m_conn && m_busy && !PQisBusy(m_conn)) {
        PGresult *res = PQgetResult(m_conn);
        if (!res) {
            // The query is complete.
            m_busy = false;
            const Query query = std::move(m_current);
            const Result result = std::move(m_currentResult);
            m_current = Query();
            if (query.callback)
                query.callback(result);
            if (!self)
                return;
            startNext();
            continue;
        }
        switch (PQresultStatus(res)) {
        case PGRES_TUPLES_OK: {
            const int rows = PQntuples(res);
            const int columns = PQnfields(res);
            for (int r = 0; r < rows; ++r) {
                QList<QByteArray> row;
                for (int c = 0; c < columns; ++c)
                    row.append(QByteArray(PQgetvalue(res, r, c), PQgetlength(res, r, c)));
                m_currentResult.rows.append(row);
            }
            break;
        }
        case PGRES_COMMAND_OK:
        case PGRES_EMPTY_QUERY:
            break;
        default:
            if (m_currentResult.error.isEmpty())
                m_currentResult.error = QString::fromUtf8(PQresultErrorMessage(res)).simplified();
            break;
        }
        PQclear(res);
    }
}

void QSocketIoPostgresConnection::drainNotifications()
{
    const QPointer<QSocketIoPostgresConnection> self(this);
    while (self && m_conn) {
        PGnotify *notify = PQnotifies(m_conn);
        if (!notify)
            return;
        const QByteArray channel(notify->relname);
        const QByteArray payload(notify->extra);
        PQfreemem(notify);
        Q_EMIT notification(channel, payload);
    }
}

void QSocketIoPostgresConnection::fail(const QString &error)
{
    resetSocket();
    if (m_conn) {
        PQfinish(m_conn);
        m_conn = nullptr;
    }
    m_connecting = false;
    m_ready = false;
    QList<Query> failed;
    if (m_busy)
        failed.append(m_current);
    m_busy = false;
    m_current = Query();
    while (!m_queue.isEmpty())
        failed.append(m_queue.dequeue());
    for (const Query &q : std::as_const(failed))
        queueFailure(q.callback, error);
    if (m_open) {
        m_backoff = m_backoff ? qMin(m_backoff * 2, m_maxBackoff) : m_initialBackoff;
        // Some jitter, so that the nodes of a cluster do not all come back in the same millisecond.
        const int delay = m_backoff + int(QRandomGenerator::global()->bounded(m_backoff / 4 + 1));
        qCDebug(lcPostgres) << "reconnecting in" << delay << "ms";
        m_retry->start(delay);
    }
    Q_EMIT lost(error);
}
