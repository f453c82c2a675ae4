// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include <QtSocketIo/qsocketioadminui.h>
#include <QtSocketIo/qsocketioclusteradapter.h>
#include <QtSocketIo/qsocketionamespace.h>
#include <QtSocketIo/qsocketioserver.h>
#include <QtSocketIo/qsocketiosocket.h>

#include "server/qsocketioclient_p.h"
#include "server/qsocketionamespace_p.h"
#include "server/qsocketioserver_p.h"
#include "server/qsocketiosocket_p.h"
#include "qtsocketiologging_p.h"

#include <QtCore/qcoreapplication.h>
#include <QtCore/qdatetime.h>
#include <QtCore/qelapsedtimer.h>
#include <QtCore/qfile.h>
#include <QtCore/qpointer.h>
#include <QtCore/qrandom.h>
#include <QtCore/qregularexpression.h>
#include <QtCore/qsysinfo.h>
#include <QtCore/qthreadpool.h>
#include <QtCore/qtimer.h>

#include <crypt.h>
#include <unistd.h>

#include <cstring>
#include <memory>

namespace {

const QString kAdmin = QStringLiteral("_admin");
// Logins kept (the UI's sessionId lets it reconnect without the password); the oldest goes first.
constexpr int MaxSessions = 1024;
// A password longer than this is refused before bcrypt (which reads 72 bytes of it anyway).
constexpr qsizetype MaxPasswordBytes = 4096;

QString nowString()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

bool isString(const QVariant &v)
{
    return v.metaType().id() == QMetaType::QString;
}

// A filter argument of a UI command: absent, null or a string.
bool isOptionalString(const QVariant &v)
{
    return !v.isValid() || v.isNull() || isString(v);
}

// Seconds since this process started (Node's process.uptime()); Linux /proc, else since first asked.
double processUptime()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    QFile uptime(QStringLiteral("/proc/uptime"));
    if (stat.open(QIODevice::ReadOnly) && uptime.open(QIODevice::ReadOnly)) {
        const QByteArray line = stat.read(4096);
        const qsizetype close = line.lastIndexOf(')');   // the command name may hold spaces
        const QList<QByteArray> fields = line.mid(close + 2).split(' ');
        // After "(comm)": field 3 is the state, so starttime (field 22) is index 19.
        const double ticks = sysconf(_SC_CLK_TCK);
        bool okStart = false;
        bool okUp = false;
        const double start = fields.value(19).toDouble(&okStart);
        const double up = uptime.read(64).split(' ').value(0).toDouble(&okUp);
        if (okStart && okUp && ticks > 0)
            return qMax(0.0, up - start / ticks);
    }
    static QElapsedTimer since;
    if (!since.isValid())
        since.start();
    return since.elapsed() / 1000.0;
}

// Node's serialize() of a socket for the UI, from Node's handshake fields (as fetchSockets gives them).
QVariantMap serializeSocket(const QString &id, const QString &nsp, const QVariantMap &handshake,
                            const QStringList &rooms, const QVariant &data)
{
    QVariantMap userData = data.toMap();
    const QVariantMap admin = userData.take(kAdmin).toMap();
    const QVariantMap headers = handshake.value(QStringLiteral("headers")).toMap();
    QVariant address = headers.value(QStringLiteral("cf-connecting-ip"));
    if (address.toString().isEmpty())
        address = headers.value(QStringLiteral("x-forwarded-for"));
    if (address.toString().isEmpty())
        address = handshake.value(QStringLiteral("address"));
    QVariantMap shake{{QStringLiteral("address"), address}, {QStringLiteral("headers"), headers}};
    for (const char *key : {"query", "issued", "secure", "time", "url", "xdomain"})
        shake.insert(QLatin1String(key), handshake.value(QLatin1String(key)));
    return QVariantMap{
        {QStringLiteral("id"), id},
        {QStringLiteral("clientId"), admin.value(QStringLiteral("clientId"))},
        {QStringLiteral("transport"), admin.value(QStringLiteral("transport"))},
        {QStringLiteral("nsp"), nsp},
        {QStringLiteral("data"), userData},
        {QStringLiteral("handshake"), shake},
        {QStringLiteral("rooms"), rooms},
    };
}

QVariantMap withoutAdmin(QVariantMap data)
{
    data.remove(kAdmin);
    return data;
}

} // namespace

class QSocketIoAdminUiPrivate
{
    Q_DECLARE_PUBLIC(QSocketIoAdminUi)
public:
    explicit QSocketIoAdminUiPrivate(QSocketIoAdminUi *q) : q_ptr(q) {}

    QList<QSocketIoNamespace *> namespaces() const;
    QSocketIoNamespace *findNamespace(const QString &name) const;
    QVariantList supportedFeatures() const;
    // Whether a report can reach a UI: one on this node, or another node's through a cluster adapter.
    bool hasAudience() const;
    void broadcast(const QString &event, const QVariantList &args);
    void authenticate(QSocketIoSocket *socket, const QSocketIoNext &next);
    void adminConnected(QSocketIoSocket *socket);
    void watchNamespace(QSocketIoNamespace *nsp);
    void socketConnected(QSocketIoSocket *socket);
    // The per-event reports (event_received, event_sent) are connected only while they can be heard: with no UI
    // and no cluster, a socket's events cost nothing here.
    void watchEvents(QSocketIoSocket *socket, bool watch);
    void updateEventWatching();
    void setAdminData(QSocketIoSocket *socket, const QVariantMap &admin);
    void registerCommands(QSocketIoSocket *socket);
    void runCommand(const QString &command, const QVariantList &args);
    void emitStats();

    QSocketIoAdminUi *q_ptr;
    QString namespaceName = QStringLiteral("/admin");
    QSocketIoAdminUi::Mode mode = QSocketIoAdminUi::Mode::Development;
    bool readonly = false;
    QString serverId;
    int statsInterval = 2000;
    QString username;
    QByteArray passwordHash;   // empty: no authentication

    QPointer<QSocketIoServer> server;
    QPointer<QSocketIoNamespace> adminNsp;
    struct EventWatch
    {
        QString nsp;
        QString id;
        QMetaObject::Connection received;
        QMetaObject::Connection sent;
    };
    QHash<QSocketIoSocket *, EventWatch> eventWatches;   // the reported sockets (not the admin namespace's)
    bool watchingEvents = false;
    QString errorString;
    QTimer statsTimer;
    QStringList sessions;                     // session ids handed to logged-in UIs, oldest first
    QHash<QString, QString> pendingSessions;  // admin socket id -> its new session id, sent once connected
    // Where a password check done on the thread pool comes back to: kept alive by every check in flight.
    std::shared_ptr<QObject> relay;
    QSet<QSocketIoNamespace *> watched;
    bool settingAdminData = false;
};

/*
    The Admin UI protocol, as @socket.io/admin-ui 0.5's server speaks it (its dist/index.js):
    - to the UI (the admin namespace): "session" (id), "config" ({supportedFeatures}), "server_stats" (every
      2 s), "all_sockets" (on connection, development mode), "socket_connected", "socket_updated",
      "socket_disconnected", "room_joined", "room_left", "event_received", "event_sent";
    - from the UI: "emit" (nsp, filter, event, ...args), "join" / "leave" (nsp, room, filter), "_disconnect"
      (nsp, close, filter). Every one of them goes through the adapter, so a cluster acts as one server: the
      events reach the UIs connected to any node, and the commands reach the sockets of every node.
*/

QList<QSocketIoNamespace *> QSocketIoAdminUiPrivate::namespaces() const
{
    QList<QSocketIoNamespace *> out;
    if (!server)
        return out;
    // Node's io._nsps: the named namespaces (a dynamic parent is a pattern, its children are listed).
    for (QSocketIoNamespace *nsp : server->namespaces()) {
        if (nsp->isDynamic()) {
            out += nsp->childNamespaces();
            continue;
        }
        out.append(nsp);
    }
    return out;
}

QSocketIoNamespace *QSocketIoAdminUiPrivate::findNamespace(const QString &name) const
{
    for (QSocketIoNamespace *nsp : namespaces()) {
        if (nsp->name() == name)
            return nsp;
    }
    return nullptr;
}

QVariantList QSocketIoAdminUiPrivate::supportedFeatures() const
{
    QVariantList features;
    if (!readonly) {
        for (const char *f : {"EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT"})
            features.append(QString::fromLatin1(f));
    }
    features.append(QStringLiteral("AGGREGATED_EVENTS"));
    if (mode == QSocketIoAdminUi::Mode::Development)
        features.append(QStringLiteral("ALL_EVENTS"));
    return features;
}

bool QSocketIoAdminUiPrivate::hasAudience() const
{
    // Nobody to tell: no UI on this node, and no other node (a cluster adapter) whose UIs could listen.
    return adminNsp
            && (adminNsp->socketCount() > 0 || dynamic_cast<QSocketIoClusterAdapter *>(adminNsp->adapter()));
}

void QSocketIoAdminUiPrivate::broadcast(const QString &event, const QVariantList &args)
{
    if (!hasAudience())
        return;
    adminNsp->emitEvent(event, args);   // through the adapter: the UIs of every node
}

void QSocketIoAdminUiPrivate::authenticate(QSocketIoSocket *socket, const QSocketIoNext &next)
{
    const QVariantMap auth = socket->handshake().auth();
    const QVariant sessionId = auth.value(QStringLiteral("sessionId"));
    if (isString(sessionId) && sessions.contains(sessionId.toString())) {
        qCDebug(lcAdminUi) << "admin UI authenticated by its session id";
        next();
        return;
    }
    const QVariant user = auth.value(QStringLiteral("username"));
    const QVariant password = auth.value(QStringLiteral("password"));
    if (!isString(user) || user.toString() != username || !isString(password)
        || password.toString().size() > MaxPasswordBytes) {
        qCDebug(lcAdminUi) << "admin UI refused: invalid credentials";
        next.reject(QStringLiteral("invalid credentials"));
        return;
    }
    // bcrypt is slow on purpose (tens of ms at cost 10): the event loop goes on while a pool thread checks.
    QPointer<QSocketIoSocket> guard(socket);
    QPointer<QSocketIoAdminUi> self(q_ptr);
    QObject *const target = relay.get();
    QThreadPool::globalInstance()->start(
        [relay = relay, target, phrase = password.toString().toUtf8(), hash = passwordHash, guard, self, next]() {
            const bool ok = QSocketIoAdminUi::verifyPassword(phrase, hash);
            QMetaObject::invokeMethod(target, [ok, guard, self, next] {
                if (!self || !guard) {
                    next.reject(QStringLiteral("invalid credentials"));
                    return;
                }
                if (!ok) {
                    qCDebug(lcAdminUi) << "admin UI refused: invalid credentials";
                    next.reject(QStringLiteral("invalid credentials"));
                    return;
                }
                QSocketIoAdminUiPrivate *d = self->d_func();
                const QString session = QString::fromLatin1(QByteArray::number(
                        QRandomGenerator::system()->generate64(), 16).rightJustified(16, '0'));
                d->sessions.append(session);
                while (d->sessions.size() > MaxSessions)
                    d->sessions.removeFirst();
                d->pendingSessions.insert(guard->id(), session);
                next();
            }, Qt::QueuedConnection);
        });
}

void QSocketIoAdminUiPrivate::adminConnected(QSocketIoSocket *socket)
{
    if (const QString session = pendingSessions.take(socket->id()); !session.isEmpty())
        socket->emitEvent(QStringLiteral("session"), {session});
    registerCommands(socket);
    socket->emitEvent(QStringLiteral("config"),
                      {QVariantMap{{QStringLiteral("supportedFeatures"), supportedFeatures()}}});
    if (mode != QSocketIoAdminUi::Mode::Development)
        return;
    // Every socket of every namespace, of every node (fetchSockets through the adapters).
    const QList<QSocketIoNamespace *> all = namespaces();
    struct Pending
    {
        int left = 0;
        QVariantList sockets;
    };
    auto pending = std::make_shared<Pending>();
    pending->left = int(all.size());
    for (QSocketIoNamespace *nsp : all) {
        const QString name = nsp->name();
        nsp->fetchRemoteSockets(socket, [socket, pending, name](const QList<QSocketIoRemoteSocket> &sockets,
                                                                const QString &error) {
            if (!error.isEmpty())
                qCWarning(lcAdminUi) << "admin UI: the sockets of" << name << "are incomplete:" << error;
            for (const QSocketIoRemoteSocket &s : sockets)
                pending->sockets.append(serializeSocket(s.id(), name, s.handshake(), s.rooms(), s.data()));
            if (--pending->left == 0)
                socket->emitEvent(QStringLiteral("all_sockets"), QVariantList{QVariant(pending->sockets)});
        });
    }
}

void QSocketIoAdminUiPrivate::registerCommands(QSocketIoSocket *socket)
{
    for (const char *name : {"emit", "join", "leave", "_disconnect"}) {
        const QString command = QString::fromLatin1(name);
        socket->on(command, q_ptr, [this, command](const QVariantList &args) {
            if (readonly) {
                qCWarning(lcAdminUi).noquote() << "admin UI: ignored the" << command << "command (readonly)";
                return;
            }
            runCommand(command, args);
        });
    }
}

void QSocketIoAdminUiPrivate::runCommand(const QString &command, const QVariantList &args)
{
    // emit: (nsp, filter, event, ...args); join / leave: (nsp, room, filter); _disconnect: (nsp, close, filter).
    const bool isEmit = command == QStringLiteral("emit");
    const bool isDisconnect = command == QStringLiteral("_disconnect");
    const QVariant filterArg = args.value(isEmit ? 1 : 2);
    const QVariant second = args.value(isEmit ? 2 : 1);
    bool wellFormed = !args.isEmpty() && isString(args.at(0)) && isOptionalString(filterArg);
    if (isDisconnect)
        wellFormed = wellFormed && second.metaType().id() == QMetaType::Bool;
    else
        wellFormed = wellFormed && isString(second) && !second.toString().isEmpty();
    if (!wellFormed) {
        qCWarning(lcAdminUi).noquote() << "admin UI: ignored a malformed" << command << "command";
        return;
    }
    QSocketIoNamespace *nsp = findNamespace(args.at(0).toString());
    if (!nsp) {
        qCWarning(lcAdminUi).noquote() << "admin UI: ignored the" << command << "command for the unknown namespace"
                                       << args.at(0).toString();
        return;
    }
    const QString filter = filterArg.toString();
    QSocketIoBroadcast target = nsp->all();
    if (!filter.isEmpty()) {
        // A socket id or a room: it may be on another node of a cluster, so the command still goes out.
        if (!nsp->rooms().contains(filter)) {
            qCWarning(lcAdminUi).noquote() << "admin UI:" << command << "command: no socket or room" << filter
                                           << "in" << nsp->name() << "on this node";
        }
        target = target.in(filter);
    }
    if (isEmit) {
        qCDebug(lcAdminUi) << "admin UI: emit" << second.toString() << "in" << nsp->name() << filter;
        target.emitEvent(second.toString(), args.mid(3));
    } else if (command == QStringLiteral("join")) {
        target.socketsJoin(QStringList{second.toString()});
    } else if (command == QStringLiteral("leave")) {
        target.socketsLeave(QStringList{second.toString()});
    } else {
        target.disconnectSockets(second.toBool());
    }
}

void QSocketIoAdminUiPrivate::setAdminData(QSocketIoSocket *socket, const QVariantMap &admin)
{
    settingAdminData = true;
    socket->setDataValue(kAdmin, admin);
    settingAdminData = false;
}

void QSocketIoAdminUiPrivate::watchNamespace(QSocketIoNamespace *nsp)
{
    if (!nsp || nsp->isDynamic() || watched.contains(nsp))
        return;
    watched.insert(nsp);
    Q_Q(QSocketIoAdminUi);
    QObject::connect(nsp, &QObject::destroyed, q, [this, nsp] { watched.remove(nsp); });
    QObject::connect(nsp, &QSocketIoNamespace::newConnection, q, [this](QSocketIoSocket *socket) {
        socketConnected(socket);
    });
    const QString name = nsp->name();
    QObject::connect(nsp, &QSocketIoNamespace::roomJoined, q, [this, name](const QString &room, const QString &id) {
        broadcast(QStringLiteral("room_joined"), {name, room, id, nowString()});
    });
    QObject::connect(nsp, &QSocketIoNamespace::roomLeft, q, [this, name](const QString &room, const QString &id) {
        // After the socket's own events, as Node defers it (a disconnection leaves its rooms first).
        const QString at = nowString();
        QTimer::singleShot(0, q_ptr, [this, name, room, id, at] {
            broadcast(QStringLiteral("room_left"), {name, room, id, at});
        });
    });
    // The sockets already there (instrument() after clients connected) are reported from now on too.
    for (QSocketIoSocket *socket : nsp->sockets())
        socketConnected(socket);
}

void QSocketIoAdminUiPrivate::socketConnected(QSocketIoSocket *socket)
{
    Q_Q(QSocketIoAdminUi);
    QSocketIoSocketPrivate *sd = QSocketIoSocketPrivate::get(socket);
    const QString sid = sd->client && sd->client->session ? QString::fromLatin1(sd->client->session->sid())
                                                          : QString();
    setAdminData(socket, QVariantMap{{QStringLiteral("clientId"), sid.left(12)},
                                     {QStringLiteral("transport"), socket->transport()}});
    const QString nspName = socket->namespaceName();
    const QString id = socket->id();
    broadcast(QStringLiteral("socket_connected"),
              {serializeSocket(id, nspName, qtsocketio_handshakeToNode(socket->handshake()), socket->rooms(),
                               socket->data()),
               nowString()});
    QObject::connect(socket, &QSocketIoSocket::transportChanged, q, [this, socket, nspName, id] {
        const QString transport = socket->transport();
        if (transport.isEmpty())
            return;
        QVariantMap admin = socket->data().value(kAdmin).toMap();
        admin.insert(QStringLiteral("transport"), transport);
        setAdminData(socket, admin);
        broadcast(QStringLiteral("socket_updated"), {QVariantMap{
                {QStringLiteral("id"), id}, {QStringLiteral("nsp"), nspName}, {QStringLiteral("transport"), transport}}});
    });
    QObject::connect(socket, &QSocketIoSocket::dataChanged, q, [this, socket, nspName, id] {
        if (settingAdminData)
            return;
        broadcast(QStringLiteral("socket_updated"), {QVariantMap{
                {QStringLiteral("id"), id}, {QStringLiteral("nsp"), nspName},
                {QStringLiteral("data"), withoutAdmin(socket->data())}}});
    });
    if (socket->nsp() != adminNsp) {
        eventWatches.insert(socket, EventWatch{nspName, id, {}, {}});
        QObject::connect(socket, &QObject::destroyed, q, [this, socket] { eventWatches.remove(socket); });
        if (watchingEvents)
            watchEvents(socket, true);
    }
    QObject::connect(socket, &QSocketIoSocket::disconnected, q,
                     [this, socket, nspName, id](QSocketIoSocket::DisconnectReason reason) {
        watchEvents(socket, false);
        eventWatches.remove(socket);
        broadcast(QStringLiteral("socket_disconnected"),
                  {nspName, id, QSocketIoSocket::reasonString(reason), nowString()});
    });
}

void QSocketIoAdminUiPrivate::watchEvents(QSocketIoSocket *socket, bool watch)
{
    Q_Q(QSocketIoAdminUi);
    const auto it = eventWatches.find(socket);
    if (it == eventWatches.end())
        return;
    EventWatch &w = it.value();
    if (!watch) {
        QObject::disconnect(w.received);
        QObject::disconnect(w.sent);
        w.received = w.sent = {};
        return;
    }
    if (w.received)
        return;
    const QString nspName = w.nsp;
    const QString id = w.id;
    w.received = QObject::connect(socket, &QSocketIoSocket::eventReceived, q,
                                  [this, nspName, id](const QString &event, const QVariantList &args) {
        broadcast(QStringLiteral("event_received"), {nspName, id, QVariantList{event} + args, nowString()});
    });
    w.sent = QObject::connect(socket, &QSocketIoSocket::eventSent, q,
                              [this, nspName, id](const QString &event, const QVariantList &args) {
        broadcast(QStringLiteral("event_sent"), {nspName, id, QVariantList{event} + args, nowString()});
    });
}

void QSocketIoAdminUiPrivate::updateEventWatching()
{
    const bool want = mode == QSocketIoAdminUi::Mode::Development && hasAudience();
    if (want == watchingEvents)
        return;
    watchingEvents = want;
    qCDebug(lcAdminUi) << "admin UI: per-event reports" << (want ? "on" : "off") << "for" << eventWatches.size()
                       << "socket(s)";
    const QList<QSocketIoSocket *> sockets = eventWatches.keys();
    for (QSocketIoSocket *socket : sockets)
        watchEvents(socket, want);
}

void QSocketIoAdminUiPrivate::emitStats()
{
    if (!server)
        return;
    updateEventWatching();   // in case the admin namespace's adapter changed (a cluster one has an audience)
    QVariantList nsps;
    for (QSocketIoNamespace *nsp : namespaces()) {
        nsps.append(QVariantMap{{QStringLiteral("name"), nsp->name()},
                                {QStringLiteral("socketsCount"), nsp->socketCount()}});
    }
    QVariantList events;
    QSocketIoTraffic *traffic = QSocketIoServerPrivate::get(server)->traffic.get();
    const auto add = [&events](qint64 timestamp, const char *type, qint64 count, const QString &subType = {}) {
        if (count == 0)
            return;
        QVariantMap e{{QStringLiteral("timestamp"), timestamp}, {QStringLiteral("type"), QString::fromLatin1(type)},
                      {QStringLiteral("count"), count}};
        if (!subType.isEmpty())
            e.insert(QStringLiteral("subType"), subType);
        events.append(e);
    };
    if (traffic) {
        for (const QSocketIoTraffic::Second &s : traffic->take()) {
            add(s.timestamp, "rawConnection", s.connections);
            for (auto it = s.disconnections.cbegin(); it != s.disconnections.cend(); ++it)
                add(s.timestamp, "rawDisconnection", it.value(), it.key());
            add(s.timestamp, "packetsIn", s.packetsIn);
            add(s.timestamp, "packetsOut", s.packetsOut);
            add(s.timestamp, "bytesIn", s.bytesIn);
            add(s.timestamp, "bytesOut", s.bytesOut);
        }
    }
    const QString host = QSysInfo::machineHostName();
    broadcast(QStringLiteral("server_stats"), {QVariantMap{
            {QStringLiteral("serverId"), serverId.isEmpty() ? host : serverId},
            {QStringLiteral("hostname"), host},
            {QStringLiteral("pid"), QCoreApplication::applicationPid()},
            {QStringLiteral("uptime"), processUptime()},
            {QStringLiteral("clientsCount"), server->connectionCount()},
            {QStringLiteral("pollingClientsCount"), traffic ? traffic->pollingClients : 0},
            {QStringLiteral("aggregatedEvents"), events},
            {QStringLiteral("namespaces"), nsps},
    }});
}

QSocketIoAdminUi::QSocketIoAdminUi(QObject *parent)
    : QObject(parent), d_ptr(new QSocketIoAdminUiPrivate(this))
{
    Q_D(QSocketIoAdminUi);
    d->statsTimer.setTimerType(Qt::CoarseTimer);
    connect(&d->statsTimer, &QTimer::timeout, this, [d] { d->emitStats(); });
}

QSocketIoAdminUi::~QSocketIoAdminUi() = default;

QString QSocketIoAdminUi::namespaceName() const { return d_func()->namespaceName; }

void QSocketIoAdminUi::setNamespaceName(const QString &name)
{
    Q_D(QSocketIoAdminUi);
    const QString normalized = name.startsWith(QLatin1Char('/')) ? name : QLatin1Char('/') + name;
    if (d->adminNsp || d->namespaceName == normalized)
        return;
    d->namespaceName = normalized;
    Q_EMIT namespaceNameChanged();
}

QSocketIoAdminUi::Mode QSocketIoAdminUi::mode() const { return d_func()->mode; }

void QSocketIoAdminUi::setMode(Mode mode)
{
    Q_D(QSocketIoAdminUi);
    if (d->adminNsp || d->mode == mode)
        return;
    d->mode = mode;
    Q_EMIT modeChanged();
}

bool QSocketIoAdminUi::isReadonly() const { return d_func()->readonly; }

void QSocketIoAdminUi::setReadonly(bool readonly)
{
    Q_D(QSocketIoAdminUi);
    if (d->readonly == readonly)
        return;
    d->readonly = readonly;
    Q_EMIT readonlyChanged();
}

QString QSocketIoAdminUi::serverId() const { return d_func()->serverId; }

void QSocketIoAdminUi::setServerId(const QString &id)
{
    Q_D(QSocketIoAdminUi);
    if (d->serverId == id)
        return;
    d->serverId = id;
    Q_EMIT serverIdChanged();
}

int QSocketIoAdminUi::statsInterval() const { return d_func()->statsInterval; }

void QSocketIoAdminUi::setStatsInterval(int milliseconds)
{
    Q_D(QSocketIoAdminUi);
    milliseconds = qMax(100, milliseconds);
    if (d->statsInterval == milliseconds)
        return;
    d->statsInterval = milliseconds;
    if (d->statsTimer.isActive())
        d->statsTimer.start(milliseconds);
    Q_EMIT statsIntervalChanged();
}

bool QSocketIoAdminUi::setBasicAuth(const QString &username, const QByteArray &bcryptHash)
{
    Q_D(QSocketIoAdminUi);
    static const QRegularExpression bcrypt(QStringLiteral("^\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}$"));
    if (!bcrypt.match(QString::fromLatin1(bcryptHash)).hasMatch()) {
        d->errorString = QStringLiteral("the `password` field must be a valid bcrypt hash");
        qCWarning(lcAdminUi) << "admin UI:" << d->errorString;
        return false;
    }
    d->username = username;
    d->passwordHash = bcryptHash;
    return true;
}

void QSocketIoAdminUi::clearAuth()
{
    Q_D(QSocketIoAdminUi);
    d->username.clear();
    d->passwordHash.clear();
}

bool QSocketIoAdminUi::hasAuth() const { return !d_func()->passwordHash.isEmpty(); }

bool QSocketIoAdminUi::verifyPassword(const QByteArray &password, const QByteArray &bcryptHash)
{
    if (!bcryptHash.startsWith("$2") || password.contains('\0') || bcryptHash.contains('\0'))
        return false;
    crypt_data data;
    std::memset(&data, 0, sizeof(data));
    const char *out = crypt_rn(password.constData(), bcryptHash.constData(), &data, int(sizeof(data)));
    if (!out || out[0] == '*')
        return false;
    const QByteArray computed(out);
    if (computed.size() != bcryptHash.size())
        return false;
    unsigned char diff = 0;   // in constant time
    for (qsizetype i = 0; i < computed.size(); ++i)
        diff |= static_cast<unsigned char>(computed.at(i) ^ bcryptHash.at(i));
    return diff == 0;
}

bool QSocketIoAdminUi::instrument(QSocketIoServer *server)
{
    Q_D(QSocketIoAdminUi);
    if (!server) {
        d->errorString = QStringLiteral("no server");
        return false;
    }
    if (d->adminNsp || d->server) {
        d->errorString = QStringLiteral("already instrumented");
        return false;
    }
    if (!hasAuth())
        qCDebug(lcAdminUi) << "admin UI: authentication is disabled, please use with caution";
    d->server = server;
    QSocketIoServerPrivate *sd = QSocketIoServerPrivate::get(server);
    if (!sd->traffic)
        sd->traffic = std::make_unique<QSocketIoTraffic>();
    d->relay = std::shared_ptr<QObject>(new QObject, [](QObject *o) { o->deleteLater(); });
    d->adminNsp = server->of(d->namespaceName);
    if (hasAuth()) {
        QPointer<QSocketIoAdminUi> self(this);
        d->adminNsp->use([self](QSocketIoSocket *socket, const QSocketIoNext &next) {
            if (!self) {
                next.reject(QStringLiteral("invalid credentials"));   // the instrumentation is gone: nobody gets in
                return;
            }
            if (!self->hasAuth()) {
                next();
                return;
            }
            self->d_func()->authenticate(socket, next);
        });
    }
    // Development mode first: an admin socket is reported (and gets its _admin data) before it gets the config
    // and every socket, as Node's prepended listener does.
    if (d->mode == Mode::Development) {
        for (QSocketIoNamespace *nsp : d->namespaces())
            d->watchNamespace(nsp);
        connect(server, &QSocketIoServer::namespaceCreated, this, [d](QSocketIoNamespace *nsp) {
            d->watchNamespace(nsp);
        });
    }
    connect(d->adminNsp, &QSocketIoNamespace::newConnection, this, [d](QSocketIoSocket *socket) {
        d->adminConnected(socket);
    });
    // A UI arriving or the last one leaving turns the per-event reports on or off (a cluster keeps them on).
    connect(d->adminNsp, &QSocketIoNamespace::socketCountChanged, this, [d] { d->updateEventWatching(); });
    d->updateEventWatching();
    d->statsTimer.start(d->statsInterval);
    d->emitStats();
    Q_EMIT instrumentedChanged();
    return true;
}

bool QSocketIoAdminUi::isInstrumented() const { return d_func()->adminNsp != nullptr; }

QSocketIoServer *QSocketIoAdminUi::server() const { return d_func()->server; }

QString QSocketIoAdminUi::errorString() const { return d_func()->errorString; }
