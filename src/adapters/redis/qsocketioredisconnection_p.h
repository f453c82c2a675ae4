// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOREDISCONNECTION_P_H
#define QSOCKETIOREDISCONNECTION_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtCore/qbytearray.h>
#include <QtCore/qlist.h>
#include <QtCore/qloggingcategory.h>
#include <QtCore/qobject.h>
#include <QtCore/qpointer.h>
#include <QtCore/qqueue.h>
#include <QtNetwork/qsslconfiguration.h>

#include <functional>
#include <memory>
#include <utility>

Q_DECLARE_LOGGING_CATEGORY(lcRedisConnection)   // qtsocketio.adapter.redis.connection

class QSslSocket;
class QTimer;

// One RESP2 reply. A connection that broke before the reply came gives an Error reply with lost set.
struct QSocketIoRedisReply
{
    enum Type : quint8 { Nil, Status, Error, Integer, String, Array };
    Type type = Nil;
    bool lost = false;
    QByteArray string;   // Status, Error, String
    qint64 integer = 0;
    QList<QSocketIoRedisReply> elements;

    bool isError() const { return type == Error; }
    bool isArray() const { return type == Array; }
    // Element i's bytes when it is a string (or status), else empty.
    QByteArray text(qsizetype i) const
    {
        if (i < 0 || i >= elements.size())
            return {};
        const QSocketIoRedisReply &e = elements.at(i);
        return e.type == String || e.type == Status ? e.string : QByteArray();
    }
};

// An incremental RESP2 reader, bounded: a bulk string of at most maxBulk bytes, arrays of at most maxElements
// elements, nested at most maxDepth deep. Anything else is a protocol error (the connection is then closed).
class QSocketIoRedisReplyParser
{
public:
    static constexpr qint64 DefaultMaxBulk = 64 * 1024 * 1024;
    static constexpr qint64 MaxElements = 1024 * 1024;
    static constexpr int MaxDepth = 16;

    void setMaxBulk(qint64 bytes) { m_maxBulk = bytes; }
    void append(const QByteArray &bytes);
    // The next complete reply into *reply: true; false when more bytes are needed or on an error (hasError()).
    bool next(QSocketIoRedisReply *reply);
    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    qsizetype buffered() const { return m_buffer.size() - m_pos; }
    void reset();

private:
    enum class Parse { Done, More, Bad };
    Parse parse(qsizetype *pos, QSocketIoRedisReply *reply, int depth);
    Parse readLine(qsizetype *pos, QByteArray *line);

    QByteArray m_buffer;
    qsizetype m_pos = 0;
    qint64 m_maxBulk = DefaultMaxBulk;
    QString m_error;
};

// Where Redis is and how to speak to it: the options every Redis adapter shares. A URL sets them all:
//   redis://[[user][:password]@]host[:port][/db]         plain TCP, port 6379 by default
//   rediss://...                                          TLS (sslConfiguration: CA, client certificate)
//   redis+sentinel://[[user][:password]@]host[:port][,host[:port]...]/master[/db]
//   rediss+sentinel://...                                 Sentinels (port 26379 by default) name the master
// with the query items db=N and sentinelPassword=... (user:password are the master's).
struct QSocketIoRedisOptions
{
    QString hostName = QStringLiteral("127.0.0.1");
    quint16 port = 6379;
    QString userName;
    QString password;
    int database = 0;
    bool tls = false;
    QSslConfiguration sslConfiguration = QSslConfiguration::defaultConfiguration();
    QList<std::pair<QString, quint16>> sentinels;
    QString sentinelMaster;
    QString sentinelPassword;
    int connectTimeout = 5000;

    bool usesSentinel() const { return !sentinels.isEmpty(); }
    // "host:port", or "master <name> via Sentinel host:port,...": for messages.
    QString describe() const;
    // Parses url into *options (only the fields a URL names change; tls and the Sentinel list are set from the
    // scheme); false with a reason in *error when it is not one of the forms above.
    static bool parseUrl(const QString &url, QSocketIoRedisOptions *options, QString *error);
};

// What the public Redis adapters (QSocketIoRedisAdapter, QSocketIoRedisStreamsAdapter) share about their
// connection options, kept in their d-pointer's "options" and "url".

// The getter and setter of a connection option (hostName, port, userName, password) of the public adapter Class,
// with its NOTIFY signal.
#define QTSOCKETIO_REDIS_OPTION_PROPERTY(Class, Type, ParameterType, option, setter) \
    Type Class::option() const { return d_func()->options.option; } \
    void Class::setter(ParameterType value) \
    { \
        Q_D(Class); \
        if (d->options.option == value) \
            return; \
        d->options.option = value; \
        Q_EMIT option##Changed(); \
    }

// Takes the options parsed from url (QSocketIoRedisOptions::parseUrl()) into the d-pointer of the public adapter
// q, and emits the NOTIFY signals of the properties that changed with them, then urlChanged().
template <typename Adapter, typename AdapterPrivate>
void qtsocketioApplyRedisUrl(Adapter *q, AdapterPrivate *d, const QString &url, const QSocketIoRedisOptions &parsed)
{
    const QSocketIoRedisOptions before = std::exchange(d->options, parsed);
    d->url = url;
    if (before.hostName != parsed.hostName)
        Q_EMIT q->hostNameChanged();
    if (before.port != parsed.port)
        Q_EMIT q->portChanged();
    if (before.userName != parsed.userName)
        Q_EMIT q->userNameChanged();
    if (before.password != parsed.password)
        Q_EMIT q->passwordChanged();
    Q_EMIT q->urlChanged();
}

// One connection to a Redis server (or, through Sentinel, to the current master), on a QSslSocket (TLS or not),
// speaking RESP2. It authenticates (AUTH), selects the database, and through Sentinel checks with ROLE that the
// server is the master. Commands are pipelined; each reply goes to its command's callback in order. On a
// subscriber connection, messages ("message", "pmessage", "smessage") and the confirmations no command waits for
// come out as pushed(). When the connection breaks, the waiting callbacks get a reply with lost set, down() is
// emitted, and (unless close() was called) it connects again after a backoff that doubles up to maxBackoff.
class QSocketIoRedisConnection : public QObject
{
    Q_OBJECT
public:
    enum class Failure { Connection, Authentication, Protocol };
    Q_ENUM(Failure)
    using Callback = std::function<void(const QSocketIoRedisReply &reply)>;

    explicit QSocketIoRedisConnection(const QByteArray &role, QObject *parent = nullptr);
    ~QSocketIoRedisConnection() override;

    // Take effect at the next connection.
    void setOptions(const QSocketIoRedisOptions &options) { m_options = options; }
    const QSocketIoRedisOptions &options() const { return m_options; }
    void setBackoff(int initialMs, int maxMs) { m_initialBackoff = initialMs; m_maxBackoff = maxMs; }
    void setReconnect(bool reconnect) { m_reconnect = reconnect; }
    QByteArray role() const { return m_role; }

    void open();
    void close();
    bool isUp() const { return m_up; }
    // The server of the current (or last) connection, "host:port".
    QString peer() const;

    // Sends a command. False (and no callback) while the connection is not up.
    bool command(const QList<QByteArray> &args, const Callback &callback = {});
    // A (P|S)(UN)SUBSCRIBE of channels: callback once Redis confirmed each of them (with the last confirmation),
    // or with the error Redis answered instead (a MOVED, say).
    bool subscription(const QByteArray &verb, const QList<QByteArray> &channels, const Callback &callback = {});

    static QByteArray encode(const QList<QByteArray> &args);

Q_SIGNALS:
    void up();
    void down(const QString &why);
    void failed(QSocketIoRedisConnection::Failure failure, const QString &message);
    void pushed(const QSocketIoRedisReply &reply);

private:
    struct Pending
    {
        Callback callback;
        int confirmations = 0;   // > 0: a subscription command awaiting that many confirmations
        bool internal = false;
    };

    void connectTo(const QString &host, quint16 port);
    void discover(int index);
    void onTransportReady();
    void onReadyRead();
    void onSocketError(const QString &why);
    void handle(QSocketIoRedisReply &&reply);
    void handshakeDone();
    void drop(const QString &why, bool failure, Failure kind = Failure::Connection);
    void scheduleRetry();
    void send(const QList<QByteArray> &args, Pending &&pending);

    QByteArray m_role;
    QSocketIoRedisOptions m_options;
    QString m_host;
    quint16 m_port = 0;
    QSslSocket *m_socket = nullptr;
    std::unique_ptr<QSocketIoRedisConnection> m_sentinel;   // while asking a Sentinel
    QTimer *m_connectTimer = nullptr;
    QTimer *m_retry = nullptr;
    QSocketIoRedisReplyParser m_parser;
    QQueue<Pending> m_pending;
    int m_handshake = 0;   // handshake replies still to come
    bool m_open = false;
    bool m_up = false;
    bool m_everUp = false;
    bool m_reconnect = true;
    int m_initialBackoff = 100;
    int m_maxBackoff = 5000;
    int m_backoff = 0;
    QString m_lastFailure;
    QString m_tlsFailure;   // the certificate errors of the current TLS handshake
};

#endif
