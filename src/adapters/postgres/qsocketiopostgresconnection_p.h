// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOPOSTGRESCONNECTION_P_H
#define QSOCKETIOPOSTGRESCONNECTION_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtCore/qbytearray.h>
#include <QtCore/qlist.h>
#include <QtCore/qloggingcategory.h>
#include <QtCore/qobject.h>
#include <QtCore/qqueue.h>

#include <functional>

Q_DECLARE_LOGGING_CATEGORY(lcPostgres)   // qtsocketio.adapter.postgres

class QSocketNotifier;
class QTimer;
struct pg_conn;

// One PostgreSQL connection on libpq's asynchronous API, driven by the event loop: PQconnectStart /
// PQconnectPoll to connect, PQsendQueryParams for one query at a time from a queue, PQconsumeInput /
// PQnotifies when the socket is readable, PQflush when it is writable. Nothing here waits on the server.
// When the connection breaks (or cannot be made) it fails the queued queries, reports it, and tries again
// after a backoff that doubles up to maxBackoff.
class QSocketIoPostgresConnection : public QObject
{
    Q_OBJECT
public:
    struct Param
    {
        QByteArray value;
        bool isNull = false;
        bool binary = false;   // sent in binary format (bytea)
    };
    // The rows of a result (first column of each, or every column), in text unless binaryResult was asked;
    // error is empty on success.
    struct Result
    {
        QString error;
        bool connectionLost = false;   // not run, or not finished, for want of a connection
        QList<QList<QByteArray>> rows;
    };
    using Callback = std::function<void(const Result &result)>;

    explicit QSocketIoPostgresConnection(QObject *parent = nullptr);
    ~QSocketIoPostgresConnection() override;

    void setConnectionString(const QByteArray &conninfo) { m_conninfo = conninfo; }
    void setBackoff(int initialMs, int maxMs) { m_initialBackoff = initialMs; m_maxBackoff = maxMs; }

    void open();
    void close();
    bool isReady() const { return m_ready; }

    // Queues a query. Refused at once (callback with an error, later, from the event loop) while the
    // connection is not ready. A null callback ignores the result.
    void exec(const QByteArray &sql, const QList<Param> &params = {}, bool binaryResult = false,
              const Callback &callback = {});
    // Several statements in one string, without parameters.
    void execSimple(const QByteArray &sql, const Callback &callback = {});

    static QByteArray quoteIdentifier(const QString &identifier);

Q_SIGNALS:
    void ready();
    void lost(const QString &error);
    void notification(const QByteArray &channel, const QByteArray &payload);

private:
    struct Query
    {
        QByteArray sql;
        QList<Param> params;
        bool binaryResult = false;
        bool simple = false;
        Callback callback;
    };

    void startConnect();
    void pollConnect();
    void onReadable();
    void onWritable();
    void flush();
    void startNext();
    void collectResults();
    void drainNotifications();
    void fail(const QString &error);
    void resetSocket();
    void watchSocket();
    void queueFailure(const Callback &callback, const QString &error);   // connectionLost set
    QString connectionError() const;

    QByteArray m_conninfo;
    pg_conn *m_conn = nullptr;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    int m_socket = -1;
    bool m_connecting = false;
    bool m_ready = false;
    bool m_open = false;
    bool m_busy = false;   // a query was sent, its results are being collected
    Query m_current;
    Result m_currentResult;
    QQueue<Query> m_queue;
    QTimer *m_retry = nullptr;
    int m_initialBackoff = 250;
    int m_maxBackoff = 5000;
    int m_backoff = 0;
};

#endif
