// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOREDISCLUSTER_P_H
#define QSOCKETIOREDISCLUSTER_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include "qsocketioredisconnection_p.h"

#include <QtCore/qhash.h>
#include <QtCore/qset.h>

#include <vector>

// Sharded pub/sub (SPUBLISH / SSUBSCRIBE, Redis 7) over a Redis Cluster, or over one server when cluster support is
// off. The slot map comes from CLUSTER SLOTS on the seed (the options: a URL, TLS, Sentinel); each master gets a
// publish and a subscribe connection. A channel's slot is CRC16 (XMODEM) of the channel, or of its {hash tag},
// modulo 16384, as the Redis Cluster specification defines it. A MOVED answer updates the slot and resends there
// (and asks for a new map); ASK resends once to the node named, after ASKING. A subscription Redis drops (its slot
// moved: an unsolicited "sunsubscribe") is made again on the slot's new owner.
class QSocketIoRedisCluster : public QObject
{
    Q_OBJECT
public:
    static constexpr int SlotCount = 16384;

    explicit QSocketIoRedisCluster(QObject *parent = nullptr);
    ~QSocketIoRedisCluster() override;

    void setOptions(const QSocketIoRedisOptions &seed) { m_options = seed; }
    void start();
    // The slot map is known and every master's connections are up.
    bool isReady() const { return m_ready; }
    bool isStandalone() const { return m_standalone; }
    int nodeCount() const { return int(m_nodes.size()); }

    // SPUBLISH through the slot's master; false when it has no connection now.
    bool publish(const QByteArray &channel, const QByteArray &message);
    // SSUBSCRIBE / SUNSUBSCRIBE, kept across reconnections and slot moves.
    void subscribe(const QByteArray &channel);
    void unsubscribe(const QByteArray &channel);
    bool isSubscribed(const QByteArray &channel) const { return m_channels.contains(channel); }
    // PUBSUB SHARDNUMSUB on the slot's master; done(-1) when it cannot be asked.
    void shardNumSub(const QByteArray &channel, const std::function<void(int)> &done);

    static quint16 crc16(const QByteArray &bytes);
    static int keySlot(const QByteArray &key);
    // "MOVED 3999 127.0.0.1:6381" / "ASK ...": the slot and the address; false when the error is neither.
    static bool parseRedirect(const QByteArray &error, bool *ask, int *slot, QString *host, quint16 *port);

Q_SIGNALS:
    void message(const QByteArray &channel, const QByteArray &payload);
    void readyChanged();
    void failed(QSocketIoRedisConnection::Failure failure, const QString &message);

private:
    struct Node
    {
        QString host;
        quint16 port = 0;
        QSocketIoRedisConnection *pub = nullptr;
        QSocketIoRedisConnection *sub = nullptr;
    };

    Node *node(const QString &host, quint16 port);
    Node *route(const QByteArray &channel) const;
    void refresh();
    void scheduleRefresh();
    void applySlots(const QSocketIoRedisReply &reply);
    void resubscribe();
    void onPushed(Node *node, const QSocketIoRedisReply &reply);
    void onSubscriberDown(Node *node);
    void sendPublish(Node *node, const QByteArray &channel, const QByteArray &message, int redirects, bool asking);
    void updateReady();

    QSocketIoRedisOptions m_options;
    QSocketIoRedisConnection *m_seed = nullptr;
    QHash<QString, Node *> m_nodes;   // by "host:port"
    std::vector<Node *> m_slots;
    QSet<QByteArray> m_channels;
    QHash<QByteArray, Node *> m_subscribedAt;
    QSet<QByteArray> m_confirmed;   // subscriptions Redis confirmed where they are now
    QTimer *m_refresh = nullptr;
    bool m_mapped = false;
    bool m_standalone = false;
    bool m_ready = false;
    bool m_refreshing = false;
};

#endif
