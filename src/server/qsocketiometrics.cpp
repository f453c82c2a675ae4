// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "server/qsocketiometrics_p.h"
#include "server/qsocketionamespace_p.h"
#include "server/qsocketioserver_p.h"
#include "server/qsocketiosocket_p.h"
#include "engine/qengineioserver_p.h"
#include "engine/qengineiosession_p.h"
#include "qtsocketiologging_p.h"

#include <QtCore/qtimer.h>
#include <QtNetwork/qtcpserver.h>
#include <QtNetwork/qtcpsocket.h>

#include <algorithm>
#include <map>

void QSocketIoServerMetrics::recordAck(qint64 nanoseconds)
{
    const double seconds = double(qMax<qint64>(0, nanoseconds)) / 1e9;
    std::size_t bucket = 0;
    while (bucket < AckBuckets.size() && seconds > AckBuckets[bucket])
        ++bucket;
    ++ackBucketCounts[bucket];
    ++ackCount;
    ackSecondsSum += seconds;
}

namespace {

// A label value as OpenMetrics wants it: backslash, double quote and line feed escaped.
QByteArray labelValue(const QString &value)
{
    QByteArray out;
    const QByteArray utf8 = value.toUtf8();
    out.reserve(utf8.size());
    for (char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

// A number in OpenMetrics' form: "+Inf", integers without exponent, other values with the shortest exact
// decimal representation.
QByteArray number(double value)
{
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    QByteArray text = QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
    if (!text.contains('.') && !text.contains('e'))
        text += ".0";
    return text;
}

class Writer
{
public:
    void family(const char *name, const char *type, const char *help, const char *unit = nullptr)
    {
        out += QByteArrayLiteral("# TYPE ") + name + ' ' + type + '\n';
        if (unit)
            out += QByteArrayLiteral("# UNIT ") + name + ' ' + unit + '\n';
        out += QByteArrayLiteral("# HELP ") + name + ' ' + help + '\n';
    }
    void sample(const QByteArray &name, quint64 value, const QByteArray &labels = {})
    {
        out += name;
        if (!labels.isEmpty())
            out += '{' + labels + '}';
        out += ' ' + QByteArray::number(value) + '\n';
    }
    void sample(const QByteArray &name, double value, const QByteArray &labels = {})
    {
        out += name;
        if (!labels.isEmpty())
            out += '{' + labels + '}';
        out += ' ' + number(value) + '\n';
    }
    QByteArray out;
};

} // namespace

QByteArray QSocketIoServerPrivate::metricsText() const
{
    Writer w;

    // Gauges, counted now (a scrape walks the sessions, namespaces and sockets: no cost between scrapes).
    quint64 polling = 0;
    quint64 websocket = 0;
    for (const QEngineIoSession *session : engine->sessions()) {
        if (!session->isOpen())
            continue;
        if (session->transport() == QEngineIo::Transport::WebSocket)
            ++websocket;
        else
            ++polling;
    }
    w.family("socketio_connections", "gauge", "Open Engine.IO connections, by transport.");
    w.sample("socketio_connections", polling, "transport=\"polling\"");
    w.sample("socketio_connections", websocket, "transport=\"websocket\"");

    w.family("socketio_namespaces", "gauge", "Namespaces, dynamic children included.");
    w.sample("socketio_namespaces", quint64(namespaces.size()));

    // Sockets by namespace: the namespaces of of() by name (the first MaxNamespaceLabels in name order); the
    // children of dynamic namespaces and any further ones under one label each.
    std::map<QString, quint64> named;
    quint64 dynamicSockets = 0;
    quint64 otherSockets = 0;
    quint64 rooms = 0;
    quint64 acksPending = 0;
    quint64 adapterReconnects = 0;
    for (QSocketIoNamespace *nsp : namespaces) {
        const QSocketIoNamespacePrivate *nd = QSocketIoNamespacePrivate::get(nsp);
        const quint64 count = quint64(nd->sockets.size());
        if (nd->parent)
            dynamicSockets += count;
        else
            named[nsp->name()] += count;
        for (const QSocketIoSocket *socket : nd->sockets)
            acksPending += quint64(QSocketIoSocketPrivate::get(const_cast<QSocketIoSocket *>(socket))->acks.size());
        if (nd->adapter) {
            // Every socket is in a room of its own id: those are not counted.
            const QStringList names = nd->adapter->rooms();
            for (const QString &room : names) {
                if (!nd->sockets.contains(room))
                    ++rooms;
            }
            adapterReconnects += nd->adapter->reconnectCount();
        }
    }
    w.family("socketio_sockets", "gauge",
             "Connected sockets, by namespace (children of dynamic namespaces under \\\"(dynamic)\\\", namespaces "
             "beyond the first 32 under \\\"(other)\\\").");
    int labelled = 0;
    for (const auto &[name, count] : named) {
        if (labelled++ < MaxNamespaceLabels)
            w.sample("socketio_sockets", count, "namespace=\"" + labelValue(name) + '"');
        else
            otherSockets += count;
    }
    if (dynamicSockets)
        w.sample("socketio_sockets", dynamicSockets, "namespace=\"(dynamic)\"");
    if (otherSockets)
        w.sample("socketio_sockets", otherSockets, "namespace=\"(other)\"");

    w.family("socketio_rooms", "gauge", "Rooms of this server's namespaces, without the room of each socket's id.");
    w.sample("socketio_rooms", rooms);

    w.family("socketio_acks_pending", "gauge", "Acknowledgements the server waits for (emitWithAck).");
    w.sample("socketio_acks_pending", acksPending);

    // Counters: summed from the engine's sessions (closed ones included) at scrape time.
    const QEngineIo::CounterValues c = engine->counterTotals();
    w.family("socketio_packets_received", "counter", "Engine.IO packets received, of every type.");
    w.sample("socketio_packets_received_total", c.packetsIn);
    w.family("socketio_packets_sent", "counter", "Engine.IO packets sent, of every type.");
    w.sample("socketio_packets_sent_total", c.packetsOut);
    w.family("socketio_received_bytes", "counter",
             "Bytes of the Engine.IO packets received (type byte and data; no HTTP or WebSocket framing).", "bytes");
    w.sample("socketio_received_bytes_total", c.bytesIn);
    w.family("socketio_sent_bytes", "counter",
             "Bytes of the Engine.IO packets sent (type byte and data; no HTTP or WebSocket framing).", "bytes");
    w.sample("socketio_sent_bytes_total", c.bytesOut);
    w.family("socketio_volatile_dropped", "counter",
             "Volatile packets not sent because the connection could not take them.");
    w.sample("socketio_volatile_dropped_total", c.volatileDropped + metrics.volatileDroppedWithoutSession);
    w.family("socketio_slow_consumer_closes", "counter",
             "Connections closed because their peer did not read (maxBufferedBytes).");
    w.sample("socketio_slow_consumer_closes_total", c.slowConsumerCloses);
    w.family("socketio_adapter_reconnects", "counter",
             "Times the adapters re-established their connection to the other nodes (Redis, PostgreSQL).");
    w.sample("socketio_adapter_reconnects_total", adapterReconnects);

    w.family("socketio_ack_latency_seconds", "histogram",
             "Time from an emitWithAck() to the client's acknowledgement.", "seconds");
    quint64 cumulative = 0;
    for (std::size_t i = 0; i < metrics.ackBucketCounts.size(); ++i) {
        cumulative += metrics.ackBucketCounts[i];
        const double bound = i < QSocketIoServerMetrics::AckBuckets.size()
                ? QSocketIoServerMetrics::AckBuckets[i] : std::numeric_limits<double>::infinity();
        w.sample("socketio_ack_latency_seconds_bucket", cumulative, "le=\"" + number(bound) + '"');
    }
    w.sample("socketio_ack_latency_seconds_count", metrics.ackCount);
    w.sample("socketio_ack_latency_seconds_sum", metrics.ackSecondsSum);
    w.out += "# EOF\n";
    return w.out;
}

// --- QSocketIoMetricsEndpoint --------------------------------------------------------------------------------

static constexpr qint64 MaxRequestHead = 8 * 1024;
static constexpr int RequestTimeoutMs = 10000;

QSocketIoMetricsEndpoint::QSocketIoMetricsEndpoint(std::function<QByteArray()> text, QObject *parent)
    : QObject(parent),
      m_text(std::move(text))
{
}

QSocketIoMetricsEndpoint::~QSocketIoMetricsEndpoint() = default;

bool QSocketIoMetricsEndpoint::listen(const QHostAddress &address, quint16 port, QString *errorString)
{
    close();
    m_server = new QTcpServer(this);
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &QSocketIoMetricsEndpoint::accept);
    if (!m_server->listen(address, port)) {
        if (errorString)
            *errorString = m_server->errorString();
        delete m_server;
        m_server = nullptr;
        return false;
    }
    return true;
}

void QSocketIoMetricsEndpoint::close()
{
    delete m_server;   // its pending and accepted sockets are its children
    m_server = nullptr;
}

quint16 QSocketIoMetricsEndpoint::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

void QSocketIoMetricsEndpoint::accept()
{
    while (m_server && m_server->hasPendingConnections()) {
        QTcpSocket *socket = m_server->nextPendingConnection();
        auto *timer = new QTimer(socket);
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, socket, [socket] { socket->abort(); socket->deleteLater(); });
        timer->start(RequestTimeoutMs);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readRequest(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        readRequest(socket);
    }
}

void QSocketIoMetricsEndpoint::readRequest(QTcpSocket *socket)
{
    if (socket->property("answered").toBool())
        return;
    const QByteArray buffered = socket->peek(MaxRequestHead + 4);
    const qsizetype end = buffered.indexOf("\r\n\r\n");
    if (end < 0) {
        if (buffered.size() > MaxRequestHead)
            respond(socket, 431, "Request Header Fields Too Large", "text/plain; charset=utf-8",
                    "request head too large\n", false);
        return;
    }
    socket->skip(end + 4);
    const QByteArray requestLine = buffered.left(buffered.indexOf("\r\n"));
    const QList<QByteArray> parts = requestLine.split(' ');
    if (parts.size() != 3 || !parts.at(2).startsWith("HTTP/1.")) {
        respond(socket, 400, "Bad Request", "text/plain; charset=utf-8", "bad request\n", false);
        return;
    }
    const QByteArray &method = parts.at(0);
    QByteArray target = parts.at(1);
    if (const qsizetype query = target.indexOf('?'); query >= 0)
        target.truncate(query);
    if (target != m_path) {
        respond(socket, 404, "Not Found", "text/plain; charset=utf-8", "not found\n", method == "HEAD");
        return;
    }
    if (method != "GET" && method != "HEAD") {
        respond(socket, 405, "Method Not Allowed", "text/plain; charset=utf-8", "method not allowed\n", false);
        return;
    }
    respond(socket, 200, "OK", "application/openmetrics-text; version=1.0.0; charset=utf-8", m_text(),
            method == "HEAD");
}

void QSocketIoMetricsEndpoint::respond(QTcpSocket *socket, int status, const QByteArray &reason,
                                       const QByteArray &contentType, const QByteArray &body, bool head)
{
    socket->setProperty("answered", true);
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    out += "Content-Type: " + contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    if (status == 405)
        out += "Allow: GET, HEAD\r\n";
    out += "Cache-Control: no-store\r\nConnection: close\r\n\r\n";
    if (!head)
        out += body;
    socket->write(out);
    socket->disconnectFromHost();   // after the response is written; disconnected() deletes it
}
