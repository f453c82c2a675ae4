// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qsocketioredisconnection_p.h"

#include <QtCore/qtimer.h>
#include <QtCore/qurl.h>
#include <QtCore/qurlquery.h>
#include <QtNetwork/qsslsocket.h>

// Each connection and its failures (debug); the adapters say what matters to the user.
Q_LOGGING_CATEGORY(lcRedisConnection, "qtsocketio.adapter.redis.connection", QtWarningMsg)

// --- QSocketIoRedisOptions ----------------------------------------------------------------------------------

QString QSocketIoRedisOptions::describe() const
{
    if (!usesSentinel())
        return QStringLiteral("%1:%2").arg(hostName).arg(port);
    QStringList list;
    for (const auto &s : sentinels)
        list.append(QStringLiteral("%1:%2").arg(s.first).arg(s.second));
    return QStringLiteral("master %1 via Sentinel %2").arg(sentinelMaster, list.join(QLatin1Char(',')));
}

// host[:port] or [v6][:port]
static bool parseHostPort(const QString &text, quint16 defaultPort, QString *host, quint16 *port)
{
    QString h = text;
    QString p;
    if (h.startsWith(QLatin1Char('['))) {
        const qsizetype close = h.indexOf(QLatin1Char(']'));
        if (close < 0)
            return false;
        const QString rest = h.mid(close + 1);
        h = h.mid(1, close - 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(QLatin1Char(':')))
                return false;
            p = rest.mid(1);
        }
    } else {
        const qsizetype colon = h.lastIndexOf(QLatin1Char(':'));
        if (colon >= 0) {
            p = h.mid(colon + 1);
            h = h.left(colon);
        }
    }
    if (h.isEmpty() || h.contains(QLatin1Char('/')) || h.contains(QLatin1Char('@')))
        return false;
    *host = h;
    *port = defaultPort;
    if (!p.isEmpty()) {
        bool ok = false;
        const uint value = p.toUInt(&ok);
        if (!ok || value == 0 || value > 65535)
            return false;
        *port = quint16(value);
    }
    return true;
}

bool QSocketIoRedisOptions::parseUrl(const QString &url, QSocketIoRedisOptions *options, QString *error)
{
    auto fail = [error](const QString &why) {
        *error = why;
        return false;
    };
    const qsizetype schemeEnd = url.indexOf(QLatin1String("://"));
    if (schemeEnd < 0)
        return fail(QStringLiteral("not a URL (redis://, rediss://, redis+sentinel:// or rediss+sentinel://)"));
    const QString scheme = url.left(schemeEnd).toLower();
    bool tls = false;
    bool sentinel = false;
    if (scheme == QLatin1String("redis")) {
    } else if (scheme == QLatin1String("rediss")) {
        tls = true;
    } else if (scheme == QLatin1String("redis+sentinel")) {
        sentinel = true;
    } else if (scheme == QLatin1String("rediss+sentinel")) {
        tls = sentinel = true;
    } else {
        return fail(QStringLiteral("unknown scheme \"%1\" (redis, rediss, redis+sentinel, rediss+sentinel)").arg(scheme));
    }
    QString rest = url.mid(schemeEnd + 3);
    QString query;
    if (const qsizetype q = rest.indexOf(QLatin1Char('?')); q >= 0) {
        query = rest.mid(q + 1);
        rest = rest.left(q);
    }
    if (rest.contains(QLatin1Char('#')))
        return fail(QStringLiteral("a fragment (#) in a Redis URL"));
    QString path;
    if (const qsizetype slash = rest.indexOf(QLatin1Char('/')); slash >= 0) {
        path = rest.mid(slash + 1);
        rest = rest.left(slash);
    }
    QSocketIoRedisOptions parsed = *options;
    parsed.tls = tls;
    parsed.sentinels.clear();
    parsed.sentinelMaster.clear();
    if (const qsizetype at = rest.lastIndexOf(QLatin1Char('@')); at >= 0) {
        const QString userInfo = rest.left(at);
        rest = rest.mid(at + 1);
        const qsizetype colon = userInfo.indexOf(QLatin1Char(':'));
        const QString user = colon < 0 ? userInfo : userInfo.left(colon);
        const QString secret = colon < 0 ? QString() : userInfo.mid(colon + 1);
        // redis://secret@host is the password alone, as redis-cli and the Node clients read it.
        if (colon < 0) {
            parsed.userName.clear();
            parsed.password = QUrl::fromPercentEncoding(user.toUtf8());
        } else {
            parsed.userName = QUrl::fromPercentEncoding(user.toUtf8());
            parsed.password = QUrl::fromPercentEncoding(secret.toUtf8());
        }
    }
    if (rest.isEmpty())
        return fail(QStringLiteral("no host in the Redis URL"));
    if (sentinel) {
        for (const QString &one : rest.split(QLatin1Char(','))) {
            QString host;
            quint16 port = 0;
            if (!parseHostPort(one, 26379, &host, &port))
                return fail(QStringLiteral("a malformed Sentinel address \"%1\"").arg(one));
            parsed.sentinels.append({host, port});
        }
        const qsizetype slash = path.indexOf(QLatin1Char('/'));
        parsed.sentinelMaster = QUrl::fromPercentEncoding((slash < 0 ? path : path.left(slash)).toUtf8());
        path = slash < 0 ? QString() : path.mid(slash + 1);
        if (parsed.sentinelMaster.isEmpty())
            return fail(QStringLiteral("no master name in the Sentinel URL (redis+sentinel://host:26379/mymaster)"));
    } else {
        if (!parseHostPort(rest, 6379, &parsed.hostName, &parsed.port))
            return fail(QStringLiteral("a malformed host or port \"%1\"").arg(rest));
    }
    auto database = [&](const QString &text) {
        bool ok = false;
        const int db = text.toInt(&ok);
        if (!ok || db < 0)
            return false;
        parsed.database = db;
        return true;
    };
    parsed.database = 0;
    if (!path.isEmpty() && !database(path))
        return fail(QStringLiteral("a malformed database number \"%1\"").arg(path));
    const QUrlQuery items(query);
    for (const auto &item : items.queryItems(QUrl::FullyDecoded)) {
        if (item.first == QLatin1String("db")) {
            if (!database(item.second))
                return fail(QStringLiteral("a malformed database number \"%1\"").arg(item.second));
        } else if (item.first == QLatin1String("sentinelPassword") && sentinel) {
            parsed.sentinelPassword = item.second;
        } else {
            return fail(QStringLiteral("unknown URL parameter \"%1\"").arg(item.first));
        }
    }
    *options = parsed;
    return true;
}

// --- QSocketIoRedisConnection -------------------------------------------------------------------------------

QSocketIoRedisConnection::QSocketIoRedisConnection(const QByteArray &role, QObject *parent)
    : QObject(parent), m_role(role)
{
}

QSocketIoRedisConnection::~QSocketIoRedisConnection()
{
    m_open = false;
    m_sentinel.reset();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        delete m_socket;
        m_socket = nullptr;
    }
    // Callbacks still waiting are not called: their owner is going too.
}

QString QSocketIoRedisConnection::peer() const
{
    return QStringLiteral("%1:%2").arg(m_host).arg(m_port);
}

QByteArray QSocketIoRedisConnection::encode(const QList<QByteArray> &args)
{
    QByteArray out;
    qsizetype size = 16;
    for (const QByteArray &arg : args)
        size += arg.size() + 16;
    out.reserve(size);
    out += '*' + QByteArray::number(args.size()) + "\r\n";
    for (const QByteArray &arg : args) {
        out += '$' + QByteArray::number(arg.size()) + "\r\n";
        out += arg;
        out += "\r\n";
    }
    return out;
}

void QSocketIoRedisConnection::open()
{
    if (m_open)
        return;
    m_open = true;
    m_backoff = 0;
    if (m_options.usesSentinel())
        discover(0);
    else
        connectTo(m_options.hostName, m_options.port);
}

void QSocketIoRedisConnection::close()
{
    m_open = false;
    if (m_retry)
        m_retry->stop();
    m_sentinel.reset();
    if (m_socket || m_up)
        drop(QStringLiteral("closed"), false);
}

void QSocketIoRedisConnection::discover(int index)
{
    if (!m_open)
        return;
    if (index >= m_options.sentinels.size()) {
        m_sentinel.reset();
        drop(QStringLiteral("no Sentinel (%1) named a master \"%2\"%3")
                     .arg(m_options.describe(), m_options.sentinelMaster,
                          m_lastFailure.isEmpty() ? QString() : QStringLiteral(": ") + m_lastFailure),
             true);
        return;
    }
    QSocketIoRedisOptions sentinelOptions;
    sentinelOptions.hostName = m_options.sentinels.at(index).first;
    sentinelOptions.port = m_options.sentinels.at(index).second;
    sentinelOptions.password = m_options.sentinelPassword;
    sentinelOptions.tls = m_options.tls;
    sentinelOptions.sslConfiguration = m_options.sslConfiguration;
    sentinelOptions.connectTimeout = m_options.connectTimeout;
    m_sentinel = std::make_unique<QSocketIoRedisConnection>(m_role + "-sentinel");
    m_sentinel->setOptions(sentinelOptions);
    m_sentinel->setReconnect(false);
    QSocketIoRedisConnection *asked = m_sentinel.get();
    auto next = [this, index, asked](const QString &why) {
        if (m_sentinel.get() != asked)
            return;
        m_lastFailure = QStringLiteral("%1 (%2)").arg(asked->peer(), why);
        qCDebug(lcRedisConnection).noquote() << m_role << "Sentinel" << asked->peer() << "failed:" << why;
        // Not from inside the Sentinel connection's own signal.
        QTimer::singleShot(0, this, [this, index, asked] {
            if (m_sentinel.get() == asked)
                discover(index + 1);
        });
    };
    connect(asked, &QSocketIoRedisConnection::failed, this,
            [next](QSocketIoRedisConnection::Failure, const QString &message) { next(message); });
    connect(asked, &QSocketIoRedisConnection::down, this, [next](const QString &why) { next(why); });
    connect(asked, &QSocketIoRedisConnection::up, this, [this, asked, next] {
        asked->command({"SENTINEL", "get-master-addr-by-name", m_options.sentinelMaster.toUtf8()},
                       [this, asked, next](const QSocketIoRedisReply &reply) {
                           if (m_sentinel.get() != asked)
                               return;
                           bool ok = false;
                           const uint port = reply.text(1).toUInt(&ok);
                           if (!reply.isArray() || reply.elements.size() != 2 || !ok || port == 0 || port > 65535) {
                               next(reply.isError() ? QString::fromUtf8(reply.string)
                                                    : QStringLiteral("does not know the master"));
                               return;
                           }
                           const QString host = QString::fromUtf8(reply.text(0));
                           qCDebug(lcRedisConnection).noquote() << m_role << "Sentinel" << asked->peer()
                                                                << "names the master" << host << port;
                           asked->disconnect(this);
                           QTimer::singleShot(0, this, [this, asked, host, port] {
                               if (m_sentinel.get() != asked)
                                   return;
                               m_sentinel.reset();
                               connectTo(host, quint16(port));
                           });
                       });
    });
    asked->open();
}

void QSocketIoRedisConnection::connectTo(const QString &host, quint16 port)
{
    if (!m_open)
        return;
    m_host = host;
    m_port = port;
    m_tlsFailure.clear();
    m_parser.reset();
    m_socket = new QSslSocket(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    connect(m_socket, &QSslSocket::readyRead, this, &QSocketIoRedisConnection::onReadyRead);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        onSocketError(m_socket ? m_socket->errorString() : QString());
    });
    connect(m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        QStringList list;
        for (const QSslError &e : errors)
            list.append(e.errorString());
        m_tlsFailure = QStringLiteral("TLS: ") + list.join(QStringLiteral("; "));
    });
    connect(m_socket, &QAbstractSocket::disconnected, this, [this] {
        onSocketError(QStringLiteral("the server closed the connection"));
    });
    if (!m_connectTimer) {
        m_connectTimer = new QTimer(this);
        m_connectTimer->setSingleShot(true);
        connect(m_connectTimer, &QTimer::timeout, this, [this] {
            onSocketError(QStringLiteral("no answer within %1 ms").arg(m_options.connectTimeout));
        });
    }
    m_connectTimer->start(m_options.connectTimeout);
    qCDebug(lcRedisConnection).noquote() << m_role << "connecting to" << peer() << (m_options.tls ? "(TLS)" : "");
    if (m_options.tls) {
        m_socket->setSslConfiguration(m_options.sslConfiguration);
        connect(m_socket, &QSslSocket::encrypted, this, &QSocketIoRedisConnection::onTransportReady);
        m_socket->connectToHostEncrypted(host, port);
    } else {
        connect(m_socket, &QAbstractSocket::connected, this, &QSocketIoRedisConnection::onTransportReady);
        m_socket->connectToHost(host, port);
    }
}

void QSocketIoRedisConnection::onTransportReady()
{
    // The handshake: AUTH, SELECT, and through Sentinel ROLE; up() once every one of them answered as hoped.
    m_handshake = 0;
    auto step = [this](const QList<QByteArray> &args, std::function<QString(const QSocketIoRedisReply &)> check,
                       Failure kind) {
        ++m_handshake;
        Pending pending;
        pending.internal = true;
        pending.callback = [this, check, kind](const QSocketIoRedisReply &reply) {
            if (reply.lost)
                return;
            const QString problem = check(reply);
            if (!problem.isEmpty()) {
                drop(problem, true, kind);
                return;
            }
            if (--m_handshake == 0)
                handshakeDone();
        };
        send(args, std::move(pending));
    };
    const QString where = peer();
    if (!m_options.password.isEmpty()) {
        QList<QByteArray> auth{"AUTH"};
        if (!m_options.userName.isEmpty())
            auth.append(m_options.userName.toUtf8());
        auth.append(m_options.password.toUtf8());
        step(auth, [where](const QSocketIoRedisReply &r) {
            return r.isError() ? QStringLiteral("Redis at %1 refused the credentials (%2)")
                                         .arg(where, QString::fromUtf8(r.string))
                               : QString();
        }, Failure::Authentication);
    }
    if (m_options.database != 0) {
        step({"SELECT", QByteArray::number(m_options.database)}, [where](const QSocketIoRedisReply &r) {
            return r.isError() ? QStringLiteral("Redis at %1 refused SELECT (%2)").arg(where, QString::fromUtf8(r.string))
                               : QString();
        }, Failure::Protocol);
    }
    if (m_options.usesSentinel()) {
        step({"ROLE"}, [where](const QSocketIoRedisReply &r) {
            if (r.isArray() && r.text(0) == "master")
                return QString();
            return QStringLiteral("the server Sentinel named (%1) is not a master (%2)")
                    .arg(where, QString::fromUtf8(r.isError() ? r.string : r.text(0)));
        }, Failure::Connection);
    }
    if (m_handshake == 0)
        handshakeDone();
}

void QSocketIoRedisConnection::handshakeDone()
{
    if (m_connectTimer)
        m_connectTimer->stop();
    m_up = true;
    m_backoff = 0;
    m_lastFailure.clear();
    qCDebug(lcRedisConnection).noquote() << m_role << (m_everUp ? "reconnected to" : "connected to") << peer();
    m_everUp = true;
    Q_EMIT up();
}

void QSocketIoRedisConnection::onReadyRead()
{
    if (!m_socket)
        return;
    m_parser.append(m_socket->readAll());
    QSocketIoRedisReply reply;
    QPointer<QSocketIoRedisConnection> alive(this);
    QSslSocket *socket = m_socket;
    while (alive && m_socket == socket && m_parser.next(&reply))
        handle(std::move(reply));
    if (alive && m_socket == socket && m_parser.hasError())
        drop(QStringLiteral("Redis at %1 sent what is not RESP: %2").arg(peer(), m_parser.errorString()), true,
             Failure::Protocol);
}

static bool isPushKind(const QByteArray &kind)
{
    return kind == "message" || kind == "pmessage" || kind == "smessage";
}

static bool isConfirmation(const QByteArray &kind)
{
    return kind == "subscribe" || kind == "psubscribe" || kind == "ssubscribe" || kind == "unsubscribe"
            || kind == "punsubscribe" || kind == "sunsubscribe";
}

void QSocketIoRedisConnection::handle(QSocketIoRedisReply &&reply)
{
    if (reply.isArray() && !reply.elements.isEmpty()) {
        const QByteArray kind = reply.text(0);
        if (isPushKind(kind)) {
            Q_EMIT pushed(reply);
            return;
        }
        if (isConfirmation(kind)) {
            if (!m_pending.isEmpty() && m_pending.head().confirmations > 0) {
                if (--m_pending.head().confirmations == 0) {
                    Pending done = m_pending.dequeue();
                    if (done.callback)
                        done.callback(reply);
                }
            } else {
                Q_EMIT pushed(reply);   // a server-side unsubscription (a slot that moved), say
            }
            return;
        }
    }
    if (m_pending.isEmpty()) {
        qCDebug(lcRedisConnection) << m_role << "a reply no command waits for: dropped";
        return;
    }
    Pending done = m_pending.dequeue();
    if (done.callback)
        done.callback(reply);
}

void QSocketIoRedisConnection::send(const QList<QByteArray> &args, Pending &&pending)
{
    m_pending.enqueue(std::move(pending));
    m_socket->write(encode(args));
}

bool QSocketIoRedisConnection::command(const QList<QByteArray> &args, const Callback &callback)
{
    if (!m_up || !m_socket)
        return false;
    Pending pending;
    pending.callback = callback;
    send(args, std::move(pending));
    return true;
}

bool QSocketIoRedisConnection::subscription(const QByteArray &verb, const QList<QByteArray> &channels,
                                            const Callback &callback)
{
    if (!m_up || !m_socket || channels.isEmpty())
        return false;
    Pending pending;
    pending.callback = callback;
    pending.confirmations = int(channels.size());
    QList<QByteArray> args{verb};
    args += channels;
    send(args, std::move(pending));
    return true;
}

void QSocketIoRedisConnection::onSocketError(const QString &why)
{
    if (!m_socket)
        return;
    // What Redis sent before it closed is still to be read: messages a subscriber must not lose.
    if (m_socket->bytesAvailable() > 0) {
        QPointer<QSocketIoRedisConnection> alive(this);
        onReadyRead();
        if (!alive || !m_socket)
            return;
    }
    const QString detail = m_tlsFailure.isEmpty() ? why : m_tlsFailure;
    drop(detail.isEmpty() ? QStringLiteral("connection error") : detail, !m_up);
}

void QSocketIoRedisConnection::drop(const QString &why, bool failure, Failure kind)
{
    const bool wasUp = m_up;
    m_up = false;
    if (m_connectTimer)
        m_connectTimer->stop();
    if (m_socket) {
        QSslSocket *socket = std::exchange(m_socket, nullptr);
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
    m_parser.reset();
    QPointer<QSocketIoRedisConnection> alive(this);
    QQueue<Pending> waiting = std::exchange(m_pending, {});
    QSocketIoRedisReply lost;
    lost.type = QSocketIoRedisReply::Error;
    lost.lost = true;
    lost.string = "connection lost: " + why.toUtf8();
    for (Pending &pending : waiting) {
        if (pending.callback && !pending.internal)
            pending.callback(lost);
        if (!alive)
            return;
    }
    qCDebug(lcRedisConnection).noquote() << m_role << "to" << peer() << "down:" << why;
    m_lastFailure = why;
    if (failure)
        Q_EMIT failed(kind, why);
    if (!alive)
        return;
    if (wasUp)
        Q_EMIT down(why);
    else if (!failure)
        Q_EMIT down(why);
    if (!alive)
        return;
    scheduleRetry();
}

void QSocketIoRedisConnection::scheduleRetry()
{
    if (!m_open)
        return;
    if (!m_reconnect) {
        m_open = false;
        return;
    }
    m_backoff = m_backoff == 0 ? m_initialBackoff : qMin(m_backoff * 2, m_maxBackoff);
    if (!m_retry) {
        m_retry = new QTimer(this);
        m_retry->setSingleShot(true);
        connect(m_retry, &QTimer::timeout, this, [this] {
            if (!m_open || m_socket || m_sentinel)
                return;
            if (m_options.usesSentinel())
                discover(0);
            else
                connectTo(m_options.hostName, m_options.port);
        });
    }
    qCDebug(lcRedisConnection) << m_role << "retrying in" << m_backoff << "ms";
    m_retry->start(m_backoff);
}
