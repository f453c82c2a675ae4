// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qqmlsocketiomonitor_p.h"
#include "qqmlsocketioeventlogmodel_p.h"
#include "qqmlsocketiomonitorsocketmodel_p.h"
#include "qqmlsocketionamespacemodel_p.h"
#include "qqmlsocketioroommodel_p.h"
#include "qqmlsocketioserver_p.h"

#include <QtSocketIo/qsocketiohandshake.h>
#include <QtSocketIo/qsocketionamespace.h>
#include <QtSocketIo/qsocketioserver.h>
#include <QtSocketIo/qsocketiosocket.h>

/*!
    \qmltype SocketIoMonitor
    \inqmlmodule QtSocketIo
    \brief Watches a SocketIoServer: live models of its sockets, rooms and namespaces, an event log and rates.

    Set \l server and show the models in views (the SocketIoInspector item does). The monitor connects to the
    server's signals only while it watches one, so a server without a monitor pays nothing for it. Everything
    it holds is bounded: the event log keeps SocketIoEventLogModel::maxCount entries, the rate histories
    \l historyLength samples, and the rates are computed every \l rateInterval milliseconds, not per event.

    It sees this node's sockets: with a cluster adapter, each node's monitor shows its own clients.

    \qml
    SocketIoMonitor {
        id: monitor
        server: myServer
    }
    ListView { model: monitor.events; delegate: Text { text: event + " " + detail; textFormat: Text.PlainText } }
    \endqml
*/

namespace {

// A short, bounded text for event arguments: JSON-like, binary as its size, cut at `budget` characters.
void summarise(const QVariant &value, QString &out, int budget)
{
    if (out.size() >= budget)
        return;
    switch (value.typeId()) {
    case QMetaType::QByteArray:
        out += u'<' + QString::number(value.toByteArray().size()) + QLatin1String(" bytes>");
        return;
    case QMetaType::QString:
        out += u'"' + value.toString().left(budget - out.size()) + u'"';
        return;
    case QMetaType::QVariantList: {
        out += u'[';
        const QVariantList list = value.toList();
        for (qsizetype i = 0; i < list.size() && out.size() < budget; ++i) {
            if (i)
                out += u',';
            summarise(list.at(i), out, budget);
        }
        out += u']';
        return;
    }
    case QMetaType::QVariantMap: {
        out += u'{';
        const QVariantMap map = value.toMap();
        bool first = true;
        for (auto it = map.cbegin(); it != map.cend() && out.size() < budget; ++it) {
            if (!first)
                out += u',';
            first = false;
            out += it.key().left(budget - out.size()) + u':';
            summarise(it.value(), out, budget);
        }
        out += u'}';
        return;
    }
    default:
        if (value.isNull())
            out += QLatin1String("null");
        else
            out += value.toString().left(budget - out.size());
    }
}

QString summary(const QVariantList &args)
{
    constexpr int budget = 160;
    QString out;
    for (qsizetype i = 0; i < args.size() && out.size() < budget; ++i) {
        if (i)
            out += QLatin1String(", ");
        summarise(args.at(i), out, budget);
    }
    if (out.size() > budget) {
        out.truncate(budget - 1);
        out += QChar(0x2026);
    }
    return out;
}

} // namespace

QQmlSocketIoMonitor::QQmlSocketIoMonitor(QObject *parent)
    : QObject(parent),
      m_sockets(new QQmlSocketIoMonitorSocketModel(this)),
      m_rooms(new QQmlSocketIoRoomModel(this)),
      m_namespaces(new QQmlSocketIoNamespaceModel(this)),
      m_events(new QQmlSocketIoEventLogModel(this))
{
    m_rateTimer.setInterval(1000);
    connect(&m_rateTimer, &QTimer::timeout, this, &QQmlSocketIoMonitor::tick);
}

QQmlSocketIoMonitor::~QQmlSocketIoMonitor()
{
    delete m_context;  // no slot of ours runs while the models go
}

void QQmlSocketIoMonitor::setServer(QQmlSocketIoServer *server)
{
    if (server == m_server)
        return;
    detach();
    m_server = server;
    if (server && server->coreServer()) {
        m_context = new QObject(this);
        QSocketIoServer *core = server->coreServer();
        // Not through m_context: detach() deletes it.
        m_serverGone = connect(server, &QObject::destroyed, this, [this] {
            detach();
            Q_EMIT serverChanged();
        });
        connect(core, &QSocketIoServer::namespaceCreated, m_context,
                [this](QSocketIoNamespace *nsp) { watchNamespace(nsp); });
        // Every namespace the server made: named ones, and the children of dynamic parents (of(pattern)).
        for (QSocketIoNamespace *nsp : core->findChildren<QSocketIoNamespace *>(Qt::FindDirectChildrenOnly))
            watchNamespace(nsp);
        m_sinceTick.start();
        m_rateTimer.start();
    }
    Q_EMIT serverChanged();
}

void QQmlSocketIoMonitor::setRateInterval(int milliseconds)
{
    milliseconds = qBound(100, milliseconds, 60000);
    if (milliseconds == m_rateTimer.interval())
        return;
    m_rateTimer.setInterval(milliseconds);
    Q_EMIT rateIntervalChanged();
}

void QQmlSocketIoMonitor::setHistoryLength(int samples)
{
    samples = qBound(1, samples, 3600);
    if (samples == m_historyLength)
        return;
    m_historyLength = samples;
    while (m_inHistory.size() > m_historyLength)
        m_inHistory.removeFirst();
    while (m_outHistory.size() > m_historyLength)
        m_outHistory.removeFirst();
    Q_EMIT historyLengthChanged();
    Q_EMIT ratesChanged();
}

void QQmlSocketIoMonitor::detach()
{
    disconnect(m_serverGone);
    delete m_context;
    m_context = nullptr;
    m_rateTimer.stop();
    m_watched.clear();
    m_byId.clear();
    m_sockets->clear();
    m_rooms->clear();
    m_namespaces->clear();
}

void QQmlSocketIoMonitor::watchNamespace(QSocketIoNamespace *nsp)
{
    // A dynamic parent (of(pattern) or of(predicate)) is no namespace of its own: its children are.
    if (!nsp || m_watched.contains(nsp) || !nsp->name().startsWith(u'/'))
        return;
    const QString name = nsp->name();
    m_watched.insert(nsp, name);
    m_namespaces->addNamespace(name, int(nsp->sockets().size()));
    connect(nsp, &QObject::destroyed, m_context, [this, nsp, name] {
        m_watched.remove(nsp);
        m_namespaces->removeNamespace(name);
    });
    connect(nsp, &QSocketIoNamespace::socketCountChanged, m_context,
            [this, nsp, name] { m_namespaces->setSocketCount(name, int(nsp->sockets().size())); });
    connect(nsp, &QSocketIoNamespace::newConnection, m_context,
            [this](QSocketIoSocket *socket) { watchSocket(socket); });
    // The adapter's room events (Node's join-room and leave-room): the rooms model and the log. A socket's
    // own room (its id) is left out.
    connect(nsp, &QSocketIoNamespace::roomJoined, m_context,
            [this, name](const QString &room, const QString &socketId) { joined(name, room, socketId); });
    connect(nsp, &QSocketIoNamespace::roomLeft, m_context,
            [this, name](const QString &room, const QString &socketId) { left(name, room, socketId); });
    for (QSocketIoSocket *socket : nsp->sockets())
        watchSocket(socket);
    for (const QString &room : nsp->rooms()) {
        for (const QString &socketId : nsp->roomMembers(room))
            joined(name, room, socketId);
    }
}

void QQmlSocketIoMonitor::watchSocket(QSocketIoSocket *socket)
{
    if (!socket || m_sockets->contains(socket) || !socket->isConnected())
        return;
    m_sockets->addSocket(socket);
    m_byId.insert(socket->namespaceName() + u'\n' + socket->id(), socket);
    log(socket, QStringLiteral("connect"), QString(),
        socket->transport() + QLatin1String(" from ") + socket->handshake().address());
    connect(socket, &QSocketIoSocket::eventReceived, m_context,
            [this, socket](const QString &event, const QVariantList &args) {
                ++m_in;
                ++m_totalIn;
                m_sockets->countIn(socket);
                log(socket, QStringLiteral("in"), event, summary(args));
            });
    connect(socket, &QSocketIoSocket::eventSent, m_context,
            [this, socket](const QString &event, const QVariantList &args) {
                ++m_out;
                ++m_totalOut;
                m_sockets->countOut(socket);
                log(socket, QStringLiteral("out"), event, summary(args));
            });
    connect(socket, &QSocketIoSocket::roomsChanged, m_context, [this, socket] { m_sockets->refresh(socket); });
    connect(socket, &QSocketIoSocket::dataChanged, m_context, [this, socket] { m_sockets->refresh(socket); });
    connect(socket, &QSocketIoSocket::transportChanged, m_context, [this, socket] {
        m_sockets->refresh(socket);
        log(socket, QStringLiteral("upgrade"), QString(), socket->transport());
    });
    connect(socket, &QSocketIoSocket::disconnected, m_context,
            [this, socket](QSocketIoSocket::DisconnectReason reason) {
                socketGone(socket, QSocketIoSocket::reasonString(reason), true);
            });
    connect(socket, &QObject::destroyed, m_context, [this, socket] { socketGone(socket, QString(), false); });
}

// Never dereferences socket: it may be in its destructor. What it needs was cached by the sockets model.
void QQmlSocketIoMonitor::socketGone(QSocketIoSocket *socket, const QString &reason, bool logIt)
{
    if (!m_sockets->contains(socket))
        return;
    const QString id = m_sockets->cachedId(socket);
    const QString nsp = m_sockets->cachedNamespace(socket);
    if (logIt)
        log(socket, QStringLiteral("disconnect"), QString(), reason);
    // The namespace reports the leaves of a disconnection (roomLeft); a socket that went without them (its
    // server destroyed) leaves its rooms here. left() does nothing for a room it is no longer in.
    for (const QString &room : m_sockets->cachedRooms(socket))
        left(nsp, room, id);
    m_sockets->removeSocket(socket);
    m_byId.remove(nsp + u'\n' + id);
    if (m_context)
        disconnect(socket, nullptr, m_context, nullptr);
}

void QQmlSocketIoMonitor::joined(const QString &nsp, const QString &room, const QString &socketId)
{
    if (room == socketId)
        return;
    const auto change = m_rooms->join(nsp, room, socketId);
    if (change == QQmlSocketIoRoomModel::Change::None)
        return;
    if (change == QQmlSocketIoRoomModel::Change::Room)
        m_namespaces->setRoomCount(nsp, m_rooms->roomCount(nsp));
    log(nsp, socketId, QStringLiteral("join"), room);
}

void QQmlSocketIoMonitor::left(const QString &nsp, const QString &room, const QString &socketId)
{
    if (room == socketId)
        return;
    const auto change = m_rooms->leave(nsp, room, socketId);
    if (change == QQmlSocketIoRoomModel::Change::None)
        return;
    if (change == QQmlSocketIoRoomModel::Change::Room)
        m_namespaces->setRoomCount(nsp, m_rooms->roomCount(nsp));
    log(nsp, socketId, QStringLiteral("leave"), room);
}

void QQmlSocketIoMonitor::log(QSocketIoSocket *socket, const QString &kind, const QString &event,
                              const QString &detail)
{
    QQmlSocketIoEventLogModel::Entry entry;
    entry.time = QDateTime::currentDateTime();
    entry.kind = kind;
    entry.namespaceName = m_sockets->cachedNamespace(socket);
    entry.socketId = m_sockets->cachedId(socket);
    entry.name = m_sockets->cachedName(socket);
    entry.event = event;
    entry.detail = detail;
    m_events->append(std::move(entry));
}

void QQmlSocketIoMonitor::log(const QString &nsp, const QString &socketId, const QString &kind,
                              const QString &detail)
{
    QQmlSocketIoEventLogModel::Entry entry;
    entry.time = QDateTime::currentDateTime();
    entry.kind = kind;
    entry.namespaceName = nsp;
    entry.socketId = socketId;
    if (QSocketIoSocket *socket = m_byId.value(nsp + u'\n' + socketId))
        entry.name = m_sockets->cachedName(socket);
    entry.detail = detail;
    m_events->append(std::move(entry));
}

void QQmlSocketIoMonitor::tick()
{
    const qint64 elapsed = qMax<qint64>(1, m_sinceTick.restart());
    m_events->flush();
    m_sockets->publishCounts();
    m_inRate = double(m_in) * 1000.0 / double(elapsed);
    m_outRate = double(m_out) * 1000.0 / double(elapsed);
    m_in = m_out = 0;
    m_inHistory.append(m_inRate);
    m_outHistory.append(m_outRate);
    while (m_inHistory.size() > m_historyLength)
        m_inHistory.removeFirst();
    while (m_outHistory.size() > m_historyLength)
        m_outHistory.removeFirst();
    Q_EMIT ratesChanged();
}
