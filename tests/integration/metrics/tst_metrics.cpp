// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The metrics endpoint (QSocketIoServer::listenMetrics(), metricsText()): a real socket.io-client (drive.mjs,
// in Node) drives a known amount of traffic, the test scrapes the endpoint over HTTP, checks the OpenMetrics
// text exposition strictly and compares the figures with the traffic: the Engine.IO packets and bytes with
// what the client counted on its side, the gauges and the other counters with the row's plan.

#include <QtSocketIo/QSocketIoServer>
#include <QtSocketIo/QSocketIoNamespace>
#include <QtSocketIo/QSocketIoSocket>
#include <QtSocketIo/QSocketIoAckCallback>
#include <QtSocketIo/QSocketIoAck>

#include <QtCore/qjsonarray.h>
#include <QtCore/qjsondocument.h>
#include <QtCore/qjsonobject.h>
#include <QtCore/qelapsedtimer.h>
#include <QtCore/qprocess.h>
#include <QtCore/qregularexpression.h>
#include <QtNetwork/qtcpsocket.h>
#include <QtTest/qsignalspy.h>
#include <QtTest/qtest.h>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

struct Scrape
{
    int status = 0;
    QByteArray headers;
    QByteArray body;
};

Scrape httpGet(quint16 port, const QByteArray &target, const QByteArray &method = "GET")
{
    Scrape result;
    // The server runs in this thread: wait with the event loop running, never in a blocking call.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    socket.write(method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/openmetrics-text\r\n\r\n");
    QByteArray raw;
    QElapsedTimer timer;
    timer.start();
    bool wasConnected = false;
    while (timer.elapsed() < 10000) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        raw += socket.readAll();
        wasConnected = wasConnected || socket.state() == QAbstractSocket::ConnectedState;
        if (wasConnected && socket.state() == QAbstractSocket::UnconnectedState)
            break;
        if (!wasConnected && socket.error() != QAbstractSocket::UnknownSocketError)
            break;
    }
    raw += socket.readAll();
    const qsizetype end = raw.indexOf("\r\n\r\n");
    if (end < 0)
        return result;
    result.headers = raw.left(end);
    result.body = raw.mid(end + 4);
    const QList<QByteArray> statusLine = result.headers.left(result.headers.indexOf("\r\n")).split(' ');
    if (statusLine.size() >= 2)
        result.status = statusLine.at(1).toInt();
    return result;
}

// A strict reader of the OpenMetrics 1.0 text format, for what this server writes: families (TYPE, then
// optional UNIT and HELP) each followed by their samples, samples named as their type requires, label sets
// well formed and unique, numbers parseable, histogram buckets cumulative and ending at +Inf with _count, and
// "# EOF" as the last line. Returns the samples, "name{labels}" -> value; fails the test on any violation.
QHash<QString, double> parseOpenMetrics(const QByteArray &text, QString *error)
{
    QHash<QString, double> samples;
    auto fail = [&](const QString &why) { *error = why; return QHash<QString, double>(); };
    if (!text.endsWith("# EOF\n"))
        return fail(u"the text does not end with \"# EOF\\n\""_s);
    const QList<QByteArray> lines = text.chopped(1).split('\n');
    static const QRegularExpression nameRe(u"^[a-zA-Z_:][a-zA-Z0-9_:]*$"_s);
    static const QRegularExpression sampleRe(
            uR"re(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})? (\S+)$)re"_s);
    static const QRegularExpression labelRe(uR"re(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)")re"_s);
    static const QStringList types = {u"counter"_s, u"gauge"_s, u"histogram"_s};
    QString family;
    QString type;
    QSet<QString> families;
    bool sawSample = false;
    bool sawUnit = false;
    bool sawHelp = false;
    double lastBucket = -1;
    double lastLe = -INFINITY;
    double infBucket = NAN;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = QString::fromUtf8(lines.at(i));
        if (line == u"# EOF"_s) {
            if (i != lines.size() - 1)
                return fail(u"\"# EOF\" before the end"_s);
            break;
        }
        if (line.startsWith(u"# "_s)) {
            const QStringList parts = line.split(u' ');
            if (parts.size() < 4)
                return fail(u"short metadata line: "_s + line);
            const QString kind = parts.at(1);
            const QString name = parts.at(2);
            if (kind == u"TYPE"_s) {
                if (!nameRe.match(name).hasMatch() || !types.contains(parts.at(3)) || parts.size() != 4)
                    return fail(u"bad TYPE line: "_s + line);
                if (families.contains(name))
                    return fail(u"family given twice: "_s + name);
                if (type == u"histogram"_s && !std::isnan(infBucket))
                    return fail(u"histogram without _count after +Inf: "_s + family);
                families.insert(name);
                family = name;
                type = parts.at(3);
                sawSample = sawUnit = sawHelp = false;
                lastBucket = -1;
                lastLe = -INFINITY;
                infBucket = NAN;
                if (type == u"counter"_s && name.endsWith(u"_total"_s))
                    return fail(u"a counter family's name must not end with _total: "_s + name);
            } else if (kind == u"UNIT"_s) {
                if (name != family || sawSample || sawUnit || sawHelp || parts.size() != 4
                    || !family.endsWith(u'_' + parts.at(3)))
                    return fail(u"bad UNIT line: "_s + line);
                sawUnit = true;
            } else if (kind == u"HELP"_s) {
                if (name != family || sawSample || sawHelp)
                    return fail(u"bad HELP line: "_s + line);
                sawHelp = true;
            } else {
                return fail(u"unknown metadata: "_s + line);
            }
            continue;
        }
        const QRegularExpressionMatch m = sampleRe.match(line);
        if (!m.hasMatch())
            return fail(u"malformed sample line: "_s + line);
        if (family.isEmpty())
            return fail(u"sample before any TYPE: "_s + line);
        const QString name = m.captured(1);
        const QString labels = m.captured(3);
        bool ok = false;
        const QString valueText = m.captured(4);
        const double value = valueText == u"+Inf"_s ? INFINITY : valueText.toDouble(&ok);
        if (!ok && valueText != u"+Inf"_s)
            return fail(u"bad value: "_s + line);
        QStringList labelNames;
        QString le;
        for (auto it = labelRe.globalMatch(labels); it.hasNext();) {
            const QRegularExpressionMatch label = it.next();
            if (labelNames.contains(label.captured(1)))
                return fail(u"label given twice: "_s + line);
            labelNames.append(label.captured(1));
            if (label.captured(1) == u"le"_s)
                le = label.captured(2);
        }
        if (!labels.isEmpty() && labels.endsWith(u','))
            return fail(u"trailing comma in labels: "_s + line);
        if (type == u"counter"_s) {
            if (name != family + u"_total"_s || value < 0)
                return fail(u"counter sample must be <family>_total and non-negative: "_s + line);
        } else if (type == u"gauge"_s) {
            if (name != family)
                return fail(u"gauge sample must be named as its family: "_s + line);
        } else {
            if (name == family + u"_bucket"_s) {
                if (le.isEmpty() || !std::isnan(infBucket))
                    return fail(u"bucket without le, or after +Inf: "_s + line);
                const double bound = le == u"+Inf"_s ? INFINITY : le.toDouble(&ok);
                if (le != u"+Inf"_s && (!ok || !le.contains(u'.')))
                    return fail(u"le is not a canonical float: "_s + line);
                if (bound <= lastLe || value < lastBucket)
                    return fail(u"buckets not increasing: "_s + line);
                lastLe = bound;
                lastBucket = value;
                if (std::isinf(bound))
                    infBucket = value;
            } else if (name == family + u"_count"_s) {
                if (std::isnan(infBucket) || value != infBucket)
                    return fail(u"_count differs from the +Inf bucket: "_s + line);
                infBucket = NAN;
            } else if (name == family + u"_sum"_s) {
                if (value < 0)
                    return fail(u"negative _sum: "_s + line);
            } else {
                return fail(u"sample outside its histogram: "_s + line);
            }
        }
        sawSample = true;
        const QString key = labels.isEmpty() ? name : name + u'{' + labels + u'}';
        if (samples.contains(key))
            return fail(u"sample given twice: "_s + key);
        samples.insert(key, value);
    }
    return samples;
}

struct Plan
{
    QString transport;
    QStringList namespaces;
    int echoes = 0;
    int rooms = 0;
    int answered = 0;
    int held = 0;
    int volatileBurst = 0;
    bool flood = false;
};

} // namespace

Q_DECLARE_METATYPE(Plan)

class tst_Metrics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void traffic_data();
    void traffic();
    void endpoint();
    void labelsAreBounded();

private:
    void setUpServer(QSocketIoServer &server);
    QString m_node;
    QString m_modules;
    QString m_driver;
};

void tst_Metrics::initTestCase()
{
    m_node = qEnvironmentVariable("QTSOCKETIO_NODE", u"node"_s);
    m_modules = qEnvironmentVariable("QTSOCKETIO_NODE_MODULES");
    m_driver = qEnvironmentVariable("QTSOCKETIO_METRICS_DRIVER");
    QVERIFY2(!m_modules.isEmpty() && !m_driver.isEmpty(),
             "QTSOCKETIO_NODE_MODULES and QTSOCKETIO_METRICS_DRIVER must be set (CTest sets them)");
}

void tst_Metrics::setUpServer(QSocketIoServer &server)
{
    server.setPingInterval(60000);   // no heartbeat packets during a row
    server.setMaxBufferedBytes(256 * 1024);
    auto handlers = [&server](QSocketIoNamespace *nsp) {
        QObject::connect(nsp, &QSocketIoNamespace::newConnection, &server, [&server](QSocketIoSocket *socket) {
            socket->on(u"echo"_s, &server, [](const QVariantList &args, const QSocketIoAckCallback &ack) {
                ack(args);
            });
            socket->on(u"join"_s, &server, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
                socket->join(args.value(0).toString());
                ack();
            });
            socket->on(u"ask"_s, &server, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
                for (int i = 0; i < args.value(0).toInt(); ++i)
                    socket->emitWithAck(u"q"_s, {i});
                for (int i = 0; i < args.value(1).toInt(); ++i)
                    socket->emitWithAck(u"hold"_s, {i});
                ack();
            });
            socket->on(u"burst"_s, &server, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
                // 100 KiB each: after the first, the WebSocket holds more than 64 KiB unsent in this turn, so
                // the others are dropped.
                const QString big(100 * 1024, u'v');
                for (int i = 0; i < args.value(0).toInt(); ++i)
                    socket->asVolatile().emitEvent(u"big"_s, {big});
                ack();
            });
            socket->on(u"flood"_s, &server, [socket](const QVariantList &, const QSocketIoAckCallback &) {
                // 400 KiB in one turn, over maxBufferedBytes (256 KiB): closed as a slow consumer.
                const QString chunk(100 * 1024, u'f');
                for (int i = 0; i < 4 && socket->isConnected(); ++i)
                    socket->emitEvent(u"flood"_s, {chunk});
            });
        });
    };
    handlers(server.of(u"/"_s));
    handlers(server.of(u"/chat"_s));
    handlers(server.of(QRegularExpression(u"^/dyn-\\d+$"_s)));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QVERIFY(server.listenMetrics(QHostAddress::LocalHost, 0));
    QVERIFY(server.metricsPort() != 0);
}

void tst_Metrics::traffic_data()
{
    QTest::addColumn<Plan>("plan");
    QTest::addColumn<int>("namespaces");   // socketio_namespaces expected while connected
    QTest::addColumn<int>("dropped");      // socketio_volatile_dropped_total

    QTest::newRow("websocket, echoes") << Plan{u"websocket"_s, {u"/"_s}, 5, 0, 0, 0, 0, false} << 2 << 0;
    QTest::newRow("polling, echoes") << Plan{u"polling"_s, {u"/"_s}, 5, 0, 0, 0, 0, false} << 2 << 0;
    QTest::newRow("websocket, two namespaces, rooms")
            << Plan{u"websocket"_s, {u"/"_s, u"/chat"_s}, 2, 3, 0, 0, 0, false} << 2 << 0;
    QTest::newRow("polling, rooms and acks")
            << Plan{u"polling"_s, {u"/"_s}, 1, 2, 4, 2, 0, false} << 2 << 0;
    QTest::newRow("websocket, server acks")
            << Plan{u"websocket"_s, {u"/"_s}, 0, 0, 6, 3, 0, false} << 2 << 0;
    QTest::newRow("websocket, dynamic namespace")
            << Plan{u"websocket"_s, {u"/dyn-7"_s}, 1, 1, 1, 0, 0, false} << 3 << 0;
    QTest::newRow("websocket, volatile burst")
            << Plan{u"websocket"_s, {u"/"_s}, 0, 0, 0, 0, 5, false} << 2 << 4;
    QTest::newRow("websocket, slow consumer")
            << Plan{u"websocket"_s, {u"/"_s}, 0, 0, 0, 0, 0, true} << 2 << 0;
}

void tst_Metrics::traffic()
{
    QFETCH(Plan, plan);
    QFETCH(int, namespaces);
    QFETCH(int, dropped);

    QSocketIoServer server;
    setUpServer(server);
    if (QTest::currentTestFailed())
        return;

    QJsonObject json{{u"url"_s, u"http://127.0.0.1:%1"_s.arg(server.serverPort())},
                     {u"transport"_s, plan.transport},
                     {u"namespaces"_s, QJsonArray::fromStringList(plan.namespaces)},
                     {u"echoes"_s, plan.echoes}, {u"rooms"_s, plan.rooms}, {u"answered"_s, plan.answered},
                     {u"held"_s, plan.held}, {u"volatileBurst"_s, plan.volatileBurst}, {u"flood"_s, plan.flood}};
    QProcess node;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QTSOCKETIO_NODE_MODULES"_s, m_modules);
    node.setProcessEnvironment(env);
    node.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    node.start(m_node, {m_driver, QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact))});
    QVERIFY2(node.waitForStarted(10000), qPrintable(node.errorString()));
    auto cleanup = qScopeGuard([&node] {
        if (node.state() != QProcess::NotRunning) {
            node.kill();
            node.waitForFinished(5000);
        }
    });
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += node.readAllStandardOutput()).contains('\n')
                             || node.state() == QProcess::NotRunning, 60000);
    QVERIFY2(out.contains('\n'), "the driver ended without a report");
    const QJsonObject client = QJsonDocument::fromJson(out.left(out.indexOf('\n'))).object();
    QVERIFY(!client.isEmpty());

    // The server may still be reading the client's last packet (a slow-consumer close, say): wait until the
    // figures settle, then check them strictly.
    QHash<QString, double> m;
    QString error;
    QByteArray previous;
    QTRY_VERIFY_WITH_TIMEOUT([&] {
        const Scrape scrape = httpGet(server.metricsPort(), "/metrics");
        if (scrape.status != 200)
            return false;
        const bool same = scrape.body == previous;
        previous = scrape.body;
        return same;
    }(), 10000);
    const Scrape scrape = httpGet(server.metricsPort(), "/metrics");
    QCOMPARE(scrape.status, 200);
    QVERIFY2(scrape.headers.contains("\r\nContent-Type: application/openmetrics-text; version=1.0.0; charset=utf-8"),
             scrape.headers.constData());
    m = parseOpenMetrics(scrape.body, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error + u"\n"_s + QString::fromUtf8(scrape.body)));
    QCOMPARE(scrape.body, server.metricsText().toUtf8());   // the accessor gives the same text

    const bool open = !plan.flood;
    QCOMPARE(m.value(u"socketio_connections{transport=\"websocket\"}"_s),
             open && plan.transport == u"websocket"_s ? 1 : 0);
    QCOMPARE(m.value(u"socketio_connections{transport=\"polling\"}"_s), open && plan.transport == u"polling"_s ? 1 : 0);
    // "/" and "/chat" always (a dynamic parent is a pattern, not counted); a dynamic child while its socket is
    // connected.
    QCOMPARE(m.value(u"socketio_namespaces"_s), namespaces);
    const int onMain = open && plan.namespaces.contains(u"/"_s) ? 1 : 0;
    QCOMPARE(m.value(u"socketio_sockets{namespace=\"/\"}"_s), onMain);
    QCOMPARE(m.value(u"socketio_sockets{namespace=\"/chat\"}"_s), plan.namespaces.contains(u"/chat"_s) ? 1 : 0);
    QCOMPARE(m.value(u"socketio_sockets{namespace=\"(dynamic)\"}"_s), namespaces == 3 ? 1 : 0);
    QCOMPARE(m.value(u"socketio_rooms"_s), plan.rooms);
    QCOMPARE(m.value(u"socketio_acks_pending"_s), plan.held);
    QCOMPARE(m.value(u"socketio_ack_latency_seconds_count"_s), plan.answered);
    QCOMPARE(m.value(u"socketio_ack_latency_seconds_bucket{le=\"+Inf\"}"_s), plan.answered);
    QCOMPARE(m.value(u"socketio_ack_latency_seconds_sum"_s) > 0, plan.answered > 0);
    QVERIFY(m.value(u"socketio_ack_latency_seconds_sum"_s) < 10.0 * plan.answered + 1);
    QCOMPARE(m.value(u"socketio_volatile_dropped_total"_s), dropped);
    QCOMPARE(client.value(u"volatileReceived"_s).toInt(), plan.volatileBurst - dropped);
    QCOMPARE(m.value(u"socketio_slow_consumer_closes_total"_s), plan.flood ? 1 : 0);
    QCOMPARE(m.value(u"socketio_adapter_reconnects_total"_s), 0);
    // What the client sent, the server received, packet for packet and byte for byte.
    QCOMPARE(qint64(m.value(u"socketio_packets_received_total"_s)), client.value(u"sentPackets"_s).toInteger());
    QCOMPARE(qint64(m.value(u"socketio_received_bytes_total"_s)), client.value(u"sentBytes"_s).toInteger());
    if (plan.flood) {
        // Queued before the close, not all delivered.
        QVERIFY(m.value(u"socketio_packets_sent_total"_s) >= client.value(u"receivedPackets"_s).toInteger());
    } else {
        QCOMPARE(qint64(m.value(u"socketio_packets_sent_total"_s)), client.value(u"receivedPackets"_s).toInteger());
        QCOMPARE(qint64(m.value(u"socketio_sent_bytes_total"_s)), client.value(u"receivedBytes"_s).toInteger());
    }

    node.write("quit\n");
    QVERIFY(node.waitForFinished(10000));
    QCOMPARE(node.exitCode(), 0);
    // Gone: the gauges drop, the counters stay.
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, 10000);
    QHash<QString, double> after;
    QTRY_VERIFY_WITH_TIMEOUT((after = parseOpenMetrics(server.metricsText().toUtf8(), &error),
                              after.value(u"socketio_sockets{namespace=\"/\"}"_s) == 0
                              && after.value(u"socketio_acks_pending"_s) == 0), 10000);
    QVERIFY(after.value(u"socketio_packets_received_total"_s) >= m.value(u"socketio_packets_received_total"_s));
    QCOMPARE(after.value(u"socketio_ack_latency_seconds_count"_s), plan.answered);
}

void tst_Metrics::endpoint()
{
    QSocketIoServer server;
    QCOMPARE(server.metricsPort(), quint16(0));
    QSignalSpy portSpy(&server, &QSocketIoServer::metricsPortChanged);
    QVERIFY(server.listenMetrics(QHostAddress::LocalHost, 0));
    QCOMPARE(portSpy.size(), 1);
    const quint16 port = server.metricsPort();
    QVERIFY(port != 0);
    QCOMPARE(httpGet(port, "/metrics").status, 200);
    QCOMPARE(httpGet(port, "/metrics?x=1").status, 200);
    QCOMPARE(httpGet(port, "/other").status, 404);
    QCOMPARE(httpGet(port, "/metrics", "POST").status, 405);
    const Scrape head = httpGet(port, "/metrics", "HEAD");
    QCOMPARE(head.status, 200);
    QVERIFY(head.body.isEmpty());
    QCOMPARE(httpGet(port, "/metrics", "GET /x").status, 400);

    QSignalSpy pathSpy(&server, &QSocketIoServer::metricsPathChanged);
    server.setMetricsPath(u"prom"_s);
    QCOMPARE(server.metricsPath(), u"/prom"_s);
    QCOMPARE(pathSpy.size(), 1);
    QCOMPARE(httpGet(port, "/prom").status, 200);
    QCOMPARE(httpGet(port, "/metrics").status, 404);

    // A request head that never ends is cut off at 8 KiB.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    socket.write("GET /prom HTTP/1.1\r\nX: " + QByteArray(16 * 1024, 'a'));
    QTRY_VERIFY_WITH_TIMEOUT(socket.peek(64).startsWith("HTTP/1.1 431"), 10000);

    server.closeMetrics();
    QCOMPARE(server.metricsPort(), quint16(0));
    QCOMPARE(portSpy.size(), 2);
    QCOMPARE(httpGet(port, "/prom").status, 0);   // nobody listens there any more
}

// Namespaces can be made without bound (dynamic children, or an app calling of() in a loop): the sockets
// gauge names at most 32 of them.
void tst_Metrics::labelsAreBounded()
{
    QSocketIoServer server;
    for (int i = 0; i < 100; ++i)
        server.of(u"/n%1"_s.arg(i, 3, 10, QLatin1Char('0')));
    QString error;
    const QByteArray text = server.metricsText().toUtf8();
    const QHash<QString, double> m = parseOpenMetrics(text, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    int labelled = 0;
    for (auto it = m.cbegin(); it != m.cend(); ++it)
        labelled += it.key().startsWith(u"socketio_sockets{"_s);
    QCOMPARE(labelled, 32);   // no socket anywhere: no "(other)" line
    QCOMPARE(m.value(u"socketio_namespaces"_s), 101);
    // A namespace name with a quote, a backslash and a newline is escaped in its label.
    QSocketIoServer other;
    other.of(u"/a\"b\\c\nd"_s);
    const QByteArray escaped = other.metricsText().toUtf8();
    QVERIFY2(escaped.contains("socketio_sockets{namespace=\"/a\\\"b\\\\c\\nd\"} 0\n"), escaped.constData());
    QVERIFY(parseOpenMetrics(escaped, &error).size() > 0);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

QTEST_MAIN(tst_Metrics)
#include "tst_metrics.moc"
