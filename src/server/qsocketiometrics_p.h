// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOMETRICS_P_H
#define QSOCKETIOMETRICS_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtCore/qbytearray.h>
#include <QtCore/qhash.h>
#include <QtCore/qobject.h>
#include <QtCore/qpointer.h>
#include <QtNetwork/qhostaddress.h>

#include <array>
#include <functional>

QT_BEGIN_NAMESPACE
class QTcpServer;
class QTcpSocket;
QT_END_NAMESPACE

// What the Socket.IO layer counts for the metrics endpoint. It lives in the server's thread (acks are
// registered and answered there), so plain integers do.
struct QSocketIoServerMetrics
{
    // Ack latency (emitWithAck() to the client's answer), seconds: the upper bounds of the histogram's buckets.
    static constexpr std::array<double, 12> AckBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                          0.25, 0.5, 1.0, 2.5, 5.0, 10.0};
    std::array<quint64, AckBuckets.size() + 1> ackBucketCounts {};   // not cumulative; the last is +Inf
    quint64 ackCount = 0;
    double ackSecondsSum = 0;
    quint64 volatileDroppedWithoutSession = 0;
    void recordAck(qint64 nanoseconds);
};

// The namespaces named in the sockets-by-namespace gauge; the others are summed under one label value (the
// children of dynamic namespaces can be created without bound).
inline constexpr int MaxNamespaceLabels = 32;

// The OpenMetrics text exposition endpoint: a small HTTP/1.1 server on a port of its own that answers GET
// (and HEAD) of one path with what text() returns, anything else with 404 or 405; one request per connection,
// a request head of at most 8 KiB, 10 s to send it.
class QSocketIoMetricsEndpoint : public QObject
{
    Q_OBJECT
public:
    explicit QSocketIoMetricsEndpoint(std::function<QByteArray()> text, QObject *parent = nullptr);
    ~QSocketIoMetricsEndpoint() override;

    bool listen(const QHostAddress &address, quint16 port, QString *errorString);
    void close();
    quint16 port() const;
    void setPath(const QByteArray &path) { m_path = path; }

private:
    void accept();
    void readRequest(QTcpSocket *socket);
    void respond(QTcpSocket *socket, int status, const QByteArray &reason, const QByteArray &contentType,
                 const QByteArray &body, bool head);

    std::function<QByteArray()> m_text;
    QTcpServer *m_server = nullptr;
    QByteArray m_path = QByteArrayLiteral("/metrics");
};

#endif
