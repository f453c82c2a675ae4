// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOACK_P_H
#define QSOCKETIOACK_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtSocketIo/qsocketioack.h>

#include <QtCore/qstringlist.h>
#include <QtCore/qvariant.h>

class QTimer;

class QSocketIoAckPrivate
{
public:
    static QSocketIoAck *create(QObject *parent, int timeoutMs, bool broadcast);
    static QSocketIoAckPrivate *get(QSocketIoAck *ack) { return ack->d_func(); }
    // A single recipient answered.
    void resolve(const QVariantList &args);
    // One broadcast recipient answered.
    void addResponse(const QString &socketId, const QVariantList &args);
    void expect(const QStringList &socketIds);
    void timeout();
    void finish();
    // A broadcast through an adapter (possibly a cluster): each node reports its client count, then its
    // clients answer; it finishes when the expected number of nodes reported and every client answered.
    void startCluster(int targets);
    void addServerCount(int count);
    void addClientCount(int count, const QStringList &localSocketIds);
    void addClusterResponse(const QString &socketId, const QVariantList &args);
    void armCluster();
    void checkCluster();
    // A broadcast recipient of this node disconnected: it cannot answer, so it is no longer waited for.
    void dropRecipient(const QString &socketId);
    // No timeout was set and other nodes take part: they are waited for at most this long (the cluster
    // adapter's requestsTimeout); then, if some of them are still missing, it times out.
    void boundRemoteWait(int milliseconds);
    bool remoteMissing() const;

    QSocketIoAck *q_ptr = nullptr;
    bool broadcast = false;
    // A broadcast to one socket that answers as that socket would (Node's expectSingleResponse, which
    // RemoteSocket.timeout() sets): when it finishes, arguments are the first response's.
    bool singleResponse = false;
    bool finished = false;
    bool timedOut = false;
    QVariantList arguments;
    QList<QVariantList> responses;
    QStringList responded;
    QStringList pending;
    int expected = 0;
    QTimer *timer = nullptr;
    QString errorString;
    // Cluster broadcasts.
    bool cluster = false;
    bool armed = false;
    int serverCountsPending = 0;   // targets whose serverCount() has not answered yet
    int expectedServers = 0;
    int reportedServers = 0;
    int localExpected = 0;     // of expected: this node's recipients
    int remoteResponses = 0;   // of responses: the other nodes' clients
    QTimer *remoteTimer = nullptr;
};

#endif
