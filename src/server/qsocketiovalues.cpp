// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The small value and reply types of the public API: QSocketIoAck, QSocketIoAckCallback, QSocketIoNext,
// QSocketIoHandshake and QSocketIoCorsOptions.

#include "server/qsocketioserver_p.h"
#include "qtsocketiologging_p.h"

#include <QtCore/qurlquery.h>

// --- QSocketIoAck ------------------------------------------------------------------------------------------

/*!
    \class QSocketIoAck
    \inmodule QtSocketIo
    \brief The answer to an event sent with an acknowledgement.

    Returned by QSocketIoSocket::emitWithAck() and QSocketIoBroadcast::emitWithAck(). It emits finished()
    when every recipient answered, or timedOut() when the timeout fired first, and then deletes itself
    (deleteLater()). Connect to it right away; it never finishes before the event loop runs.
*/

QSocketIoAck::QSocketIoAck(QObject *parent)
    : QObject(parent), d_ptr(std::make_unique<QSocketIoAckPrivate>())
{
    d_ptr->q_ptr = this;
}

QSocketIoAck::~QSocketIoAck() = default;

bool QSocketIoAck::isFinished() const { return d_func()->finished; }
bool QSocketIoAck::isTimedOut() const { return d_func()->timedOut; }
bool QSocketIoAck::isBroadcast() const { return d_func()->broadcast; }
QVariantList QSocketIoAck::arguments() const { return d_func()->arguments; }
QList<QVariantList> QSocketIoAck::responses() const { return d_func()->responses; }
QStringList QSocketIoAck::respondedSocketIds() const { return d_func()->responded; }
QStringList QSocketIoAck::timedOutSocketIds() const { return d_func()->timedOut ? d_func()->pending : QStringList(); }
int QSocketIoAck::expectedCount() const { return d_func()->expected; }
QString QSocketIoAck::errorString() const { return d_func()->errorString; }

QSocketIoAck *QSocketIoAckPrivate::create(QObject *parent, int timeoutMs, bool broadcast)
{
    auto *ack = new QSocketIoAck(parent);
    QSocketIoAckPrivate *d = ack->d_func();
    d->broadcast = broadcast;
    if (timeoutMs >= 0) {
        d->timer = new QTimer(ack);
        d->timer->setSingleShot(true);
        QObject::connect(d->timer, &QTimer::timeout, ack, [d] { d->timeout(); });
        d->timer->start(timeoutMs);
    }
    return ack;
}

void QSocketIoAckPrivate::resolve(const QVariantList &args)
{
    if (finished || timedOut)
        return;
    arguments = args;
    finish();
}

void QSocketIoAckPrivate::expect(const QStringList &socketIds)
{
    pending = socketIds;
    expected = int(socketIds.size());
    if (pending.isEmpty()) {
        // Nobody to wait for: finish on the next pass, once the caller connected.
        QMetaObject::invokeMethod(q_ptr, [this] { finish(); }, Qt::QueuedConnection);
    }
}

void QSocketIoAckPrivate::addResponse(const QString &socketId, const QVariantList &args)
{
    if (finished || timedOut || !pending.removeOne(socketId))
        return;
    responses.append(args);
    responded.append(socketId);
    if (pending.isEmpty())
        finish();
}

void QSocketIoAckPrivate::startCluster(int targets)
{
    cluster = true;
    serverCountsPending = targets;
}

void QSocketIoAckPrivate::addServerCount(int count)
{
    --serverCountsPending;
    expectedServers += count;
    checkCluster();
}

void QSocketIoAckPrivate::addClientCount(int count, const QStringList &localSocketIds)
{
    ++reportedServers;
    expected += count;
    pending += localSocketIds;
    checkCluster();
}

void QSocketIoAckPrivate::addClusterResponse(const QString &socketId, const QVariantList &args)
{
    if (finished || timedOut)
        return;
    if (!socketId.isEmpty() && !pending.removeOne(socketId))
        return;
    responses.append(args);
    responded.append(socketId);
    checkCluster();
}

void QSocketIoAckPrivate::armCluster()
{
    // Not before the caller had a chance to connect: finish on the next pass at the earliest.
    QMetaObject::invokeMethod(q_ptr, [this] {
        armed = true;
        checkCluster();
    }, Qt::QueuedConnection);
}

void QSocketIoAckPrivate::checkCluster()
{
    if (!armed || serverCountsPending > 0 || reportedServers < expectedServers || responses.size() < expected)
        return;
    finish();
}

void QSocketIoAckPrivate::finish()
{
    if (finished || timedOut)
        return;
    finished = true;
    if (timer)
        timer->stop();
    Q_EMIT q_ptr->finished(broadcast ? QVariantList() : arguments);
    q_ptr->deleteLater();
}

void QSocketIoAckPrivate::timeout()
{
    if (finished || timedOut)
        return;
    timedOut = true;
    if (timer)
        timer->stop();
    if (errorString.isEmpty())
        errorString = QStringLiteral("operation has timed out");
    Q_EMIT q_ptr->timedOut();
    q_ptr->deleteLater();
}

// --- QSocketIoAckCallback ----------------------------------------------------------------------------------

/*!
    \class QSocketIoAckCallback
    \inmodule QtSocketIo
    \brief Answers an event whose sender asked for an acknowledgement.

    Passed to event handlers. Call it once with the answer's arguments; it may be copied and called later.
*/

class QSocketIoAckCallbackPrivate : public QSharedData
{
public:
    std::function<void(const QVariantList &)> send;
    bool answered = false;
    static QSocketIoAckCallback make(const std::function<void(const QVariantList &)> &send)
    {
        auto *d = new QSocketIoAckCallbackPrivate;
        d->send = send;
        return QSocketIoAckCallback(d);
    }
};

QSocketIoAckCallback qtsocketio_makeAckCallback(const std::function<void(const QVariantList &)> &send)
{
    return QSocketIoAckCallbackPrivate::make(send);
}

QSocketIoAckCallback::QSocketIoAckCallback() = default;
QSocketIoAckCallback::QSocketIoAckCallback(QSocketIoAckCallbackPrivate *d) : d(d) {}
QSocketIoAckCallback::QSocketIoAckCallback(const QSocketIoAckCallback &other) = default;
QSocketIoAckCallback::QSocketIoAckCallback(QSocketIoAckCallback &&other) noexcept = default;
QSocketIoAckCallback &QSocketIoAckCallback::operator=(const QSocketIoAckCallback &other) = default;
QSocketIoAckCallback::~QSocketIoAckCallback() = default;

bool QSocketIoAckCallback::isValid() const { return d && d->send; }
bool QSocketIoAckCallback::isAnswered() const { return d && d->answered; }

void QSocketIoAckCallback::reply(const QVariantList &arguments) const
{
    if (!isValid())
        return;
    if (d->answered) {
        qCWarning(lcServer) << "an acknowledgement was answered twice; the second answer is ignored";
        return;
    }
    d->answered = true;
    d->send(arguments);
}

// --- QSocketIoNext -----------------------------------------------------------------------------------------

/*!
    \class QSocketIoNext
    \inmodule QtSocketIo
    \brief The continuation handed to a middleware: accept() or reject() once, now or later.
*/

class QSocketIoNextPrivate : public QSharedData
{
public:
    QSocketIoNext::Callback callback;
    bool done = false;
};

QSocketIoNext::QSocketIoNext(const Callback &callback) : d(new QSocketIoNextPrivate)
{
    d->callback = callback;
}
QSocketIoNext::QSocketIoNext(const QSocketIoNext &other) = default;
QSocketIoNext::QSocketIoNext(QSocketIoNext &&other) noexcept = default;
QSocketIoNext &QSocketIoNext::operator=(const QSocketIoNext &other) = default;
QSocketIoNext::~QSocketIoNext() = default;

bool QSocketIoNext::isDone() const { return d->done; }

void QSocketIoNext::accept() const
{
    if (d->done)
        return;
    d->done = true;
    if (d->callback)
        d->callback(true, QString(), QVariant());
}

void QSocketIoNext::reject(const QString &message, const QVariant &data) const
{
    if (d->done)
        return;
    d->done = true;
    if (d->callback)
        d->callback(false, message, data);
}

// --- QSocketIoHandshake ------------------------------------------------------------------------------------

/*!
    \class QSocketIoHandshake
    \inmodule QtSocketIo
    \brief What a client sent when it connected: request headers, query, auth payload, address.
*/

class QSocketIoHandshakePrivate : public QSharedData
{
public:
    QHttpHeaderList headers;
    QVariantMap query;
    QVariantMap auth;
    QHostAddress address;
    QDateTime time;
    QString url;
    bool secure = false;

    static QSocketIoHandshake make(const QEngineIo::RequestInfo &request, const QVariantMap &auth);
};

QSocketIoHandshake qtsocketio_makeHandshake(const QEngineIo::RequestInfo &request, const QVariantMap &auth)
{
    return QSocketIoHandshakePrivate::make(request, auth);
}

QSocketIoHandshake QSocketIoHandshakePrivate::make(const QEngineIo::RequestInfo &request, const QVariantMap &auth)
{
    QSocketIoHandshake handshake;
    QSocketIoHandshakePrivate *d = handshake.d.data();
    d->headers = request.http.headers;
    const QUrlQuery query(QString::fromUtf8(request.http.query));
    for (const auto &item : query.queryItems(QUrl::FullyDecoded))
        d->query.insert(item.first, item.second);
    d->auth = auth;
    d->address = request.peerAddress;
    d->time = QDateTime::currentDateTimeUtc();
    d->url = QString::fromUtf8(request.http.target);
    d->secure = request.secure;
    return handshake;
}

QSocketIoHandshake::QSocketIoHandshake() : d(new QSocketIoHandshakePrivate) {}
QSocketIoHandshake::QSocketIoHandshake(const QSocketIoHandshake &other) = default;
QSocketIoHandshake::QSocketIoHandshake(QSocketIoHandshake &&other) noexcept = default;
QSocketIoHandshake &QSocketIoHandshake::operator=(const QSocketIoHandshake &other) = default;
QSocketIoHandshake::~QSocketIoHandshake() = default;

QVariantMap QSocketIoHandshake::headers() const
{
    QVariantMap out;
    for (const auto &header : d->headers.list()) {
        const QString name = QString::fromLatin1(header.first).toLower();
        const QString value = QString::fromUtf8(header.second);
        const auto it = out.find(name);
        if (it == out.end())
            out.insert(name, value);
        else
            *it = QString(it->toString() + QStringLiteral(", ") + value);
    }
    return out;
}

QByteArray QSocketIoHandshake::header(QByteArrayView name) const { return d->headers.value(name); }
QVariantMap QSocketIoHandshake::query() const { return d->query; }
QVariantMap QSocketIoHandshake::auth() const { return d->auth; }
QString QSocketIoHandshake::address() const
{
    // Node reports IPv4 peers as plain dotted quads.
    bool ok = false;
    const quint32 v4 = d->address.toIPv4Address(&ok);
    return ok ? QHostAddress(v4).toString() : d->address.toString();
}
QHostAddress QSocketIoHandshake::peerAddress() const { return d->address; }
QDateTime QSocketIoHandshake::time() const { return d->time; }
QString QSocketIoHandshake::url() const { return d->url; }
bool QSocketIoHandshake::isSecure() const { return d->secure; }
bool QSocketIoHandshake::isCrossDomain() const { return d->headers.contains("origin"); }

// --- QSocketIoCorsOptions ----------------------------------------------------------------------------------

/*!
    \class QSocketIoCorsOptions
    \inmodule QtSocketIo
    \brief Cross-origin resource sharing rules for the HTTP long-polling transport.
*/

class QSocketIoCorsOptionsPrivate : public QSharedData
{
public:
    QStringList origins;
    bool reflect = false;
    std::function<bool(const QString &)> predicate;
    QStringList methods = {QStringLiteral("GET"), QStringLiteral("HEAD"), QStringLiteral("PUT"),
                           QStringLiteral("PATCH"), QStringLiteral("POST"), QStringLiteral("DELETE")};
    QStringList allowedHeaders;
    QStringList exposedHeaders;
    bool credentials = false;
    int maxAge = -1;
};

QSocketIoCorsOptions::QSocketIoCorsOptions() : d(new QSocketIoCorsOptionsPrivate) {}
QSocketIoCorsOptions::QSocketIoCorsOptions(const QSocketIoCorsOptions &other) = default;
QSocketIoCorsOptions::QSocketIoCorsOptions(QSocketIoCorsOptions &&other) noexcept = default;
QSocketIoCorsOptions &QSocketIoCorsOptions::operator=(const QSocketIoCorsOptions &other) = default;
QSocketIoCorsOptions::~QSocketIoCorsOptions() = default;

bool QSocketIoCorsOptions::isEnabled() const { return !d->origins.isEmpty() || d->reflect || d->predicate; }
void QSocketIoCorsOptions::setAllowedOrigins(const QStringList &origins) { d->origins = origins; }
QStringList QSocketIoCorsOptions::allowedOrigins() const { return d->origins; }
void QSocketIoCorsOptions::setReflectOrigin(bool reflect) { d->reflect = reflect; }
bool QSocketIoCorsOptions::reflectOrigin() const { return d->reflect; }
void QSocketIoCorsOptions::setOriginPredicate(const std::function<bool(const QString &)> &predicate) { d->predicate = predicate; }
std::function<bool(const QString &)> QSocketIoCorsOptions::originPredicate() const { return d->predicate; }
void QSocketIoCorsOptions::setMethods(const QStringList &methods) { d->methods = methods; }
QStringList QSocketIoCorsOptions::methods() const { return d->methods; }
void QSocketIoCorsOptions::setAllowedHeaders(const QStringList &headers) { d->allowedHeaders = headers; }
QStringList QSocketIoCorsOptions::allowedHeaders() const { return d->allowedHeaders; }
void QSocketIoCorsOptions::setExposedHeaders(const QStringList &headers) { d->exposedHeaders = headers; }
QStringList QSocketIoCorsOptions::exposedHeaders() const { return d->exposedHeaders; }
void QSocketIoCorsOptions::setCredentials(bool credentials) { d->credentials = credentials; }
bool QSocketIoCorsOptions::credentials() const { return d->credentials; }
void QSocketIoCorsOptions::setMaxAge(int seconds) { d->maxAge = seconds; }
int QSocketIoCorsOptions::maxAge() const { return d->maxAge; }

// --- QSocketIoRemoteSocket ---------------------------------------------------------------------------------

/*!
    \class QSocketIoRemoteSocket
    \inmodule QtSocketIo
    \brief A snapshot of a socket on any node of a cluster, as QSocketIoBroadcast::fetchRemoteSockets() gives.
*/

class QSocketIoRemoteSocketPrivate : public QSharedData
{
public:
    QString id;
    QVariantMap handshake;
    QStringList rooms;
    QVariant data;
    bool local = false;
};

QSocketIoRemoteSocket::QSocketIoRemoteSocket() : d(new QSocketIoRemoteSocketPrivate) {}
QSocketIoRemoteSocket::QSocketIoRemoteSocket(const QString &id, const QVariantMap &handshake, const QStringList &rooms,
                                             const QVariant &data, bool local)
    : d(new QSocketIoRemoteSocketPrivate)
{
    d->id = id;
    d->handshake = handshake;
    d->rooms = rooms;
    d->data = data;
    d->local = local;
}
QSocketIoRemoteSocket::QSocketIoRemoteSocket(const QSocketIoRemoteSocket &other) = default;
QSocketIoRemoteSocket::QSocketIoRemoteSocket(QSocketIoRemoteSocket &&other) noexcept = default;
QSocketIoRemoteSocket &QSocketIoRemoteSocket::operator=(const QSocketIoRemoteSocket &other) = default;
QSocketIoRemoteSocket::~QSocketIoRemoteSocket() = default;

bool QSocketIoRemoteSocket::isNull() const { return d->id.isEmpty(); }
QString QSocketIoRemoteSocket::id() const { return d->id; }
QVariantMap QSocketIoRemoteSocket::handshake() const { return d->handshake; }
QStringList QSocketIoRemoteSocket::rooms() const { return d->rooms; }
QVariant QSocketIoRemoteSocket::data() const { return d->data; }
bool QSocketIoRemoteSocket::isLocal() const { return d->local; }
