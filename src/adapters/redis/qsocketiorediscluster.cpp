// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qsocketiorediscluster_p.h"
#include "qsocketiorediskeyslot_p.h"

#include <QtCore/qtimer.h>

static constexpr int MaxRedirects = 5;

QSocketIoRedisCluster::QSocketIoRedisCluster(QObject *parent)
    : QObject(parent), m_slots(SlotCount, nullptr)
{
}

QSocketIoRedisCluster::~QSocketIoRedisCluster()
{
    // The connections are children; the nodes are plain structs.
    qDeleteAll(m_nodes);
}

quint16 QSocketIoRedisCluster::crc16(const QByteArray &bytes)
{
    return QSocketIoRedisKeySlot::crc16(bytes);
}

int QSocketIoRedisCluster::keySlot(const QByteArray &key)
{
    return QSocketIoRedisKeySlot::keySlot(key);
}

bool QSocketIoRedisCluster::parseRedirect(const QByteArray &error, bool *ask, int *slot, QString *host, quint16 *port)
{
    const QList<QByteArray> parts = error.split(' ');
    if (parts.size() != 3 || (parts.at(0) != "MOVED" && parts.at(0) != "ASK"))
        return false;
    bool ok = false;
    const int s = parts.at(1).toInt(&ok);
    if (!ok || s < 0 || s >= SlotCount)
        return false;
    const QByteArray &address = parts.at(2);
    const qsizetype colon = address.lastIndexOf(':');
    if (colon < 0)
        return false;
    const uint p = address.mid(colon + 1).toUInt(&ok);
    if (!ok || p == 0 || p > 65535)
        return false;
    *ask = parts.at(0) == "ASK";
    *slot = s;
    QString h = QString::fromUtf8(address.left(colon));
    if (h.startsWith(QLatin1Char('[')) && h.endsWith(QLatin1Char(']')))
        h = h.mid(1, h.size() - 2);
    *host = h;
    *port = quint16(p);
    return true;
}

void QSocketIoRedisCluster::start()
{
    if (m_seed)
        return;
    m_seed = new QSocketIoRedisConnection("cluster-seed", this);
    m_seed->setOptions(m_options);
    connect(m_seed, &QSocketIoRedisConnection::up, this, [this] { refresh(); });
    connect(m_seed, &QSocketIoRedisConnection::failed, this, &QSocketIoRedisCluster::failed);
    m_refresh = new QTimer(this);
    m_refresh->setSingleShot(true);
    connect(m_refresh, &QTimer::timeout, this, [this] { refresh(); });
    m_seed->open();
}

QSocketIoRedisCluster::Node *QSocketIoRedisCluster::node(const QString &host, quint16 port)
{
    const QString key = QStringLiteral("%1:%2").arg(host).arg(port);
    if (Node *existing = m_nodes.value(key))
        return existing;
    auto *n = new Node;
    n->host = host;
    n->port = port;
    QSocketIoRedisOptions options = m_options;
    options.sentinels.clear();
    options.hostName = host;
    options.port = port;
    n->pub = new QSocketIoRedisConnection("cluster-publish " + key.toUtf8(), this);
    n->sub = new QSocketIoRedisConnection("cluster-subscribe " + key.toUtf8(), this);
    for (QSocketIoRedisConnection *c : {n->pub, n->sub}) {
        c->setOptions(options);
        connect(c, &QSocketIoRedisConnection::up, this, [this] { updateReady(); });
        connect(c, &QSocketIoRedisConnection::down, this, [this] {
            updateReady();
            scheduleRefresh();
        });
        connect(c, &QSocketIoRedisConnection::failed, this, [this](QSocketIoRedisConnection::Failure f, const QString &m) {
            updateReady();
            scheduleRefresh();
            Q_EMIT failed(f, m);
        });
    }
    connect(n->sub, &QSocketIoRedisConnection::up, this, [this] { resubscribe(); });
    connect(n->sub, &QSocketIoRedisConnection::down, this, [this, n] { onSubscriberDown(n); });
    connect(n->sub, &QSocketIoRedisConnection::failed, this, [this, n] { onSubscriberDown(n); });
    connect(n->sub, &QSocketIoRedisConnection::pushed, this,
            [this, n](const QSocketIoRedisReply &reply) { onPushed(n, reply); });
    m_nodes.insert(key, n);
    n->pub->open();
    n->sub->open();
    return n;
}

QSocketIoRedisCluster::Node *QSocketIoRedisCluster::route(const QByteArray &channel) const
{
    if (!m_mapped)
        return nullptr;
    return m_slots[size_t(keySlot(channel))];
}

void QSocketIoRedisCluster::scheduleRefresh()
{
    if (m_refresh && !m_refresh->isActive())
        m_refresh->start(200);
}

void QSocketIoRedisCluster::refresh()
{
    if (m_refreshing)
        return;
    // Any connection up can tell: the seed, or a master's publish connection.
    QSocketIoRedisConnection *asked = m_seed && m_seed->isUp() ? m_seed : nullptr;
    for (auto it = m_nodes.cbegin(); !asked && it != m_nodes.cend(); ++it) {
        if (it.value()->pub->isUp())
            asked = it.value()->pub;
    }
    if (!asked) {
        scheduleRefresh();
        return;
    }
    m_refreshing = true;
    const QString seedHost = asked->peer().left(asked->peer().lastIndexOf(QLatin1Char(':')));
    const QString seedPeer = asked->peer();
    asked->command({"CLUSTER", "SLOTS"}, [this, seedHost, seedPeer](const QSocketIoRedisReply &reply) {
        m_refreshing = false;
        if (reply.lost) {
            scheduleRefresh();
            return;
        }
        if (reply.isError()) {
            if (reply.string.contains("cluster support disabled")) {
                // One server: every slot is its.
                const qsizetype colon = seedPeer.lastIndexOf(QLatin1Char(':'));
                Node *only = node(seedPeer.left(colon), quint16(seedPeer.mid(colon + 1).toUInt()));
                std::fill(m_slots.begin(), m_slots.end(), only);
                m_standalone = true;
                m_mapped = true;
                resubscribe();
                updateReady();
                return;
            }
            qCWarning(lcRedisConnection).noquote() << "CLUSTER SLOTS failed:" << QString::fromUtf8(reply.string);
            scheduleRefresh();
            return;
        }
        applySlots(reply);
        Q_UNUSED(seedHost);
    });
}

void QSocketIoRedisCluster::applySlots(const QSocketIoRedisReply &reply)
{
    if (!reply.isArray()) {
        scheduleRefresh();
        return;
    }
    std::vector<Node *> slots(SlotCount, nullptr);
    const QString seedHost = m_options.hostName;
    for (const QSocketIoRedisReply &range : reply.elements) {
        if (!range.isArray() || range.elements.size() < 3 || range.elements.at(0).type != QSocketIoRedisReply::Integer
            || range.elements.at(1).type != QSocketIoRedisReply::Integer || !range.elements.at(2).isArray()) {
            continue;
        }
        const qint64 first = range.elements.at(0).integer;
        const qint64 last = range.elements.at(1).integer;
        const QSocketIoRedisReply &master = range.elements.at(2);
        if (first < 0 || last >= SlotCount || first > last || master.elements.size() < 2
            || master.elements.at(1).type != QSocketIoRedisReply::Integer) {
            continue;
        }
        QString host = QString::fromUtf8(master.text(0));
        if (host.isEmpty() || host == QLatin1String("?"))
            host = seedHost;   // "the node you asked" (an unknown endpoint)
        const qint64 port = master.elements.at(1).integer;
        if (port <= 0 || port > 65535)
            continue;
        Node *n = node(host, quint16(port));
        for (qint64 s = first; s <= last; ++s)
            slots[size_t(s)] = n;
    }
    m_slots = std::move(slots);
    m_standalone = false;
    m_mapped = true;
    resubscribe();
    updateReady();
}

void QSocketIoRedisCluster::resubscribe()
{
    for (const QByteArray &channel : std::as_const(m_channels)) {
        Node *target = route(channel);
        Node *current = m_subscribedAt.value(channel);
        if (current == target)
            continue;
        if (current) {
            m_subscribedAt.remove(channel);
            m_confirmed.remove(channel);
            if (current->sub->isUp())
                current->sub->subscription("SUNSUBSCRIBE", {channel});
        }
        if (!target || !target->sub->isUp())
            continue;
        m_subscribedAt.insert(channel, target);
        target->sub->subscription("SSUBSCRIBE", {channel}, [this, channel, target](const QSocketIoRedisReply &reply) {
            if (reply.lost)
                return;
            if (!reply.isError()) {
                if (m_subscribedAt.value(channel) == target) {
                    m_confirmed.insert(channel);
                    updateReady();
                }
                return;
            }
            qCDebug(lcRedisConnection).noquote() << "SSUBSCRIBE" << channel << "refused:" << QString::fromUtf8(reply.string);
            if (m_subscribedAt.value(channel) == target)
                m_subscribedAt.remove(channel);
            bool ask = false;
            int slot = 0;
            QString host;
            quint16 port = 0;
            if (parseRedirect(reply.string, &ask, &slot, &host, &port) && !ask)
                m_slots[size_t(slot)] = node(host, port);
            scheduleRefresh();
            QTimer::singleShot(0, this, [this] { resubscribe(); });
        });
    }
}

void QSocketIoRedisCluster::onPushed(Node *n, const QSocketIoRedisReply &reply)
{
    const QByteArray kind = reply.text(0);
    if (kind == "smessage" && reply.elements.size() == 3) {
        Q_EMIT message(reply.text(1), reply.text(2));
        return;
    }
    if (kind == "sunsubscribe") {
        // Redis dropped the subscription by itself: the slot moved. Subscribe again where it is now.
        const QByteArray channel = reply.text(1);
        qCDebug(lcRedisConnection).noquote() << "Redis dropped the subscription to" << channel << "(its slot moved)";
        if (m_subscribedAt.value(channel) == n) {
            m_subscribedAt.remove(channel);
            m_confirmed.remove(channel);
            scheduleRefresh();
        }
    }
}

void QSocketIoRedisCluster::onSubscriberDown(Node *n)
{
    for (auto it = m_subscribedAt.begin(); it != m_subscribedAt.end();) {
        if (it.value() == n) {
            m_confirmed.remove(it.key());
            it = m_subscribedAt.erase(it);
        }
        else
            ++it;
    }
}

void QSocketIoRedisCluster::subscribe(const QByteArray &channel)
{
    if (m_channels.contains(channel))
        return;
    m_channels.insert(channel);
    resubscribe();
}

void QSocketIoRedisCluster::unsubscribe(const QByteArray &channel)
{
    if (!m_channels.remove(channel))
        return;
    m_confirmed.remove(channel);
    if (Node *n = m_subscribedAt.take(channel)) {
        if (n->sub->isUp())
            n->sub->subscription("SUNSUBSCRIBE", {channel});
    }
}

bool QSocketIoRedisCluster::publish(const QByteArray &channel, const QByteArray &message)
{
    Node *n = route(channel);
    if (!n || !n->pub->isUp())
        return false;
    sendPublish(n, channel, message, 0, false);
    return true;
}

void QSocketIoRedisCluster::sendPublish(Node *n, const QByteArray &channel, const QByteArray &message, int redirects,
                                        bool asking)
{
    if (asking)
        n->pub->command({"ASKING"});
    n->pub->command({"SPUBLISH", channel, message}, [this, channel, message, redirects](const QSocketIoRedisReply &reply) {
        if (reply.lost || !reply.isError())
            return;
        bool ask = false;
        int slot = 0;
        QString host;
        quint16 port = 0;
        if (!parseRedirect(reply.string, &ask, &slot, &host, &port)) {
            qCWarning(lcRedisConnection).noquote() << "SPUBLISH on" << channel << "failed:" << QString::fromUtf8(reply.string);
            return;
        }
        if (redirects >= MaxRedirects) {
            qCWarning(lcRedisConnection).noquote() << "SPUBLISH on" << channel << "redirected" << redirects
                                                   << "times: dropped";
            return;
        }
        qCDebug(lcRedisConnection).noquote() << "SPUBLISH on" << channel << (ask ? "ASK" : "MOVED") << "to" << host << port;
        Node *target = node(host, port);
        if (!ask) {
            m_slots[size_t(slot)] = target;
            scheduleRefresh();
        }
        if (!target->pub->isUp()) {
            qCWarning(lcRedisConnection).noquote() << "SPUBLISH on" << channel << "moved to" << host << port
                                                   << "which is not connected yet: dropped";
            return;
        }
        sendPublish(target, channel, message, redirects + 1, ask);
    });
}

void QSocketIoRedisCluster::shardNumSub(const QByteArray &channel, const std::function<void(int)> &done)
{
    Node *n = route(channel);
    if (!n || !n->pub->command({"PUBSUB", "SHARDNUMSUB", channel}, [done](const QSocketIoRedisReply &reply) {
            int count = -1;
            if (reply.isArray() && reply.elements.size() == 2
                && reply.elements.at(1).type == QSocketIoRedisReply::Integer) {
                count = int(reply.elements.at(1).integer);
            }
            done(count);
        })) {
        done(-1);
    }
}

void QSocketIoRedisCluster::updateReady()
{
    bool ready = m_mapped && m_confirmed.size() == m_channels.size();
    if (ready) {
        QSet<Node *> used(m_slots.cbegin(), m_slots.cend());
        for (Node *n : std::as_const(used)) {
            if (!n || !n->pub->isUp() || !n->sub->isUp()) {
                ready = false;
                break;
            }
        }
    }
    if (ready == m_ready)
        return;
    m_ready = ready;
    Q_EMIT readyChanged();
}
