// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The slow-consumer bound on every outgoing path, against the Socket.IO test server (tests/interop/sioserver)
// run as a child process with a small --max-buffered-bytes: a peer that sends and never reads is closed once
// the bound is crossed, and the server's memory stays near the bound (VmHWM from /proc/<pid>/status). Each
// row makes the server queue bytes a different way. Also Engine.IO v4 strictness that protects memory: a client
// ping closes the session, an unmasked client frame closes the WebSocket with 1002, and a probe is answered
// once per upgrade.

#include "serverprocess.h"

#include <QtCore/qdeadlinetimer.h>
#include <QtCore/qdir.h>
#include <QtCore/qfile.h>
#include <QtCore/qprocess.h>
#include <QtCore/qregularexpression.h>
#include <QtCore/qtemporarydir.h>
#include <QtNetwork/qsslsocket.h>
#include <QtNetwork/qtcpsocket.h>
#include <QtTest/qtest.h>

#include <memory>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 Bound = 4 * 1024 * 1024;            // the server's --max-buffered-bytes
constexpr qint64 Margin = 24 * 1024 * 1024;          // heap slack, request buffers, allocator granularity
constexpr qint64 AttackBudget = 160 * 1024 * 1024;   // bytes an attack sends at most (it stops once closed)
constexpr int AttackTime = 15000;                    // ms an attack runs at most

qint64 procStatusBytes(qint64 pid, QByteArrayView field)
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field)) {
            const QByteArray kb = line.mid(field.size() + 1).trimmed().split(' ').value(0);
            return kb.toLongLong() * 1024;
        }
    }
    return -1;
}

// One RFC 6455 client frame: FIN set, masked unless told otherwise.
QByteArray clientFrame(int opcode, const QByteArray &payload, bool masked = true)
{
    QByteArray frame;
    frame.append(char(0x80 | opcode));
    const char maskBit = masked ? char(0x80) : char(0);
    const qsizetype n = payload.size();
    if (n < 126) {
        frame.append(char(maskBit | char(n)));
    } else if (n <= 0xffff) {
        frame.append(char(maskBit | 126));
        frame.append(char(n >> 8));
        frame.append(char(n & 0xff));
    } else {
        frame.append(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(n) >> shift) & 0xff));
    }
    if (!masked)
        return frame + payload;
    const char key[4] = {0x12, 0x34, 0x56, 0x78};
    frame.append(key, 4);
    QByteArray body = payload;
    for (qsizetype i = 0; i < body.size(); ++i)
        body[i] = char(body[i] ^ key[i % 4]);
    return frame + body;
}

// A byte-level peer on one TCP (or TLS) connection: blocking reads while it sets a session up, then writes
// without ever reading again.
class RawPeer
{
public:
    bool connectTo(quint16 port, bool tls)
    {
        if (tls) {
            auto *ssl = new QSslSocket;
            ssl->setPeerVerifyMode(QSslSocket::VerifyNone);
            m_socket.reset(ssl);
            ssl->connectToHostEncrypted(u"127.0.0.1"_s, port);
            return ssl->waitForEncrypted(10000);
        }
        m_socket = std::make_unique<QTcpSocket>();
        m_socket->connectToHost(QHostAddress::LocalHost, port);
        return m_socket->waitForConnected(10000);
    }
    QTcpSocket *socket() const { return m_socket.get(); }

    // Reads until buffer holds n bytes (or the deadline).
    bool fill(qsizetype n, int timeout = 10000)
    {
        QDeadlineTimer deadline(timeout);
        while (m_in.size() < n) {
            m_in += m_socket->readAll();
            if (m_in.size() >= n)
                break;
            if (deadline.hasExpired() || m_socket->state() != QAbstractSocket::ConnectedState)
                return false;
            m_socket->waitForReadyRead(50);
        }
        return true;
    }
    QByteArray take(qsizetype n)
    {
        const QByteArray out = m_in.left(n);
        m_in.remove(0, n);
        return out;
    }
    // One HTTP response; returns its status and body.
    int readResponse(QByteArray *body)
    {
        QDeadlineTimer deadline(10000);
        qsizetype end;
        while ((end = m_in.indexOf("\r\n\r\n")) < 0) {
            if (!fill(m_in.size() + 1, int(deadline.remainingTime())))
                return 0;
        }
        const QByteArray head = take(end + 4);
        const QRegularExpressionMatch length = QRegularExpression(u"(?i)content-length: *(\\d+)"_s)
                                                   .match(QString::fromLatin1(head));
        const qsizetype n = length.hasMatch() ? length.captured(1).toLongLong() : 0;
        if (!fill(n))
            return 0;
        if (body)
            *body = take(n);
        return head.mid(9, 3).toInt();
    }
    int request(const QByteArray &method, const QByteArray &target, const QByteArray &body, QByteArray *response)
    {
        m_socket->write(requestBytes(method, target, body));
        return readResponse(response);
    }
    static QByteArray requestBytes(const QByteArray &method, const QByteArray &target, const QByteArray &body)
    {
        QByteArray out = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        if (method == "POST")
            out += "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
        return out + "\r\n" + body;
    }
    // The WebSocket opening handshake; true on 101.
    bool upgrade(const QByteArray &target)
    {
        m_socket->write("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        "Sec-WebSocket-Version: 13\r\n\r\n");
        return readResponse(nullptr) == 101;
    }
    // One server frame (servers do not mask): its opcode and payload; opcode -1 when none came.
    int readFrame(QByteArray *payload, int timeout = 10000)
    {
        if (!fill(2, timeout))
            return -1;
        const int opcode = uchar(m_in[0]) & 0x0f;
        qsizetype length = uchar(m_in[1]) & 0x7f;
        qsizetype header = 2;
        if (length == 126 || length == 127) {
            const int extended = length == 126 ? 2 : 8;
            if (!fill(2 + extended, timeout))
                return -1;
            length = 0;
            for (int i = 0; i < extended; ++i)
                length = (length << 8) | uchar(m_in[2 + i]);
            header += extended;
        }
        if (!fill(header + length, timeout))
            return -1;
        take(header);
        *payload = take(length);
        return opcode;
    }
    // Stops reading: Qt keeps at most a few KiB, the kernel buffers fill, and the server's sends back up.
    void stopReading() { m_socket->setReadBufferSize(4096); }

    // Writes what next() makes again and again until the server drops the connection, stop() says so, the
    // budget is spent, or time is up. Returns the bytes written.
    qint64 flood(const std::function<QByteArray()> &next, qint64 budget, const std::function<bool()> &stop)
    {
        QDeadlineTimer deadline(AttackTime);
        qint64 written = 0;
        while (written < budget && !deadline.hasExpired() && !stop()
               && m_socket->state() == QAbstractSocket::ConnectedState) {
            if (m_socket->bytesToWrite() > 2 * 1024 * 1024) {
                m_socket->waitForBytesWritten(20);
                continue;
            }
            const QByteArray bytes = next();
            if (m_socket->write(bytes) < 0)
                break;
            written += bytes.size();
        }
        return written;
    }
    // Waits until the server has ended the connection (FIN or RST), without reading: the kernel's view of the
    // socket (QAbstractSocket's wait functions spin when its read buffer is full).
    bool waitClosed(int timeout)
    {
        QDeadlineTimer deadline(timeout);
        for (;;) {
            const qintptr fd = m_socket->socketDescriptor();
            if (fd < 0 || m_socket->state() == QAbstractSocket::UnconnectedState)
                return true;
            tcp_info info = {};
            socklen_t length = sizeof info;
            if (::getsockopt(int(fd), IPPROTO_TCP, TCP_INFO, &info, &length) != 0 || info.tcpi_state != TCP_ESTABLISHED)
                return true;
            if (deadline.hasExpired())
                return false;
            QTest::qSleep(20);
        }
    }

private:
    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_in;
};

} // namespace

class tst_OutboundBound : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void neverReads_data();
    void neverReads();

    void unmaskedFrame_data();
    void unmaskedFrame();
    void probeOncePerUpgrade();

private:
    bool startServer(bool tls, QString *error);
    QByteArray pollingSession(RawPeer *peer);
    QByteArray webSocketSession(RawPeer *peer, const QByteArray &query = {});
    bool waitForOutput(const QString &pattern, int timeout);

    QString m_program;
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_server;
    quint16 m_port = 0;
    QByteArray m_output;
};

void tst_OutboundBound::initTestCase()
{
    m_program = qEnvironmentVariable("SIO_SERVER");
    QVERIFY2(QFile::exists(m_program), "SIO_SERVER must name the sioserver binary (set by ctest)");
    QVERIFY(m_dir.isValid());
}

void tst_OutboundBound::cleanup()
{
    if (m_server)
        ServerProcess::stop(m_server.get(), SIGTERM, 5000);
    m_server.reset();
    m_output.clear();
}

bool tst_OutboundBound::startServer(bool tls, QString *error)
{
    m_port = ServerProcess::freeLoopbackPort();
    QStringList args{u"--port"_s, QString::number(m_port), u"--max-buffered-bytes"_s, QString::number(Bound)};
    if (tls) {
        const QString cert = m_dir.filePath(u"cert.pem"_s);
        const QString key = m_dir.filePath(u"key.pem"_s);
        if (!QFile::exists(cert)) {
            QProcess openssl;
            openssl.setProcessChannelMode(QProcess::MergedChannels);
            openssl.start(u"openssl"_s, {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s,
                                         u"-keyout"_s, key, u"-out"_s, cert, u"-days"_s, u"1"_s,
                                         u"-subj"_s, u"/CN=127.0.0.1"_s});
            if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0) {
                *error = u"openssl could not make a certificate: "_s + QString::fromLocal8Bit(openssl.readAll());
                return false;
            }
        }
        args << u"--tls-cert"_s << cert << u"--tls-key"_s << key;
    }
    m_server = std::make_unique<QProcess>();
    if (!ServerProcess::start(m_server.get(), m_program, args, "LISTENING", 15000, error))
        return false;
    return m_port != 0;
}

bool tst_OutboundBound::waitForOutput(const QString &pattern, int timeout)
{
    const QRegularExpression re(pattern);
    QDeadlineTimer deadline(timeout);
    while (!re.match(QString::fromLatin1(m_output)).hasMatch()) {
        if (deadline.hasExpired())
            return false;
        m_server->waitForReadyRead(50);
        m_output += m_server->readAll();
    }
    return true;
}

// Opens a polling session and joins "/"; returns the Engine.IO sid.
QByteArray tst_OutboundBound::pollingSession(RawPeer *peer)
{
    QByteArray body;
    if (peer->request("GET", "/socket.io/?EIO=4&transport=polling", {}, &body) != 200 || !body.startsWith('0'))
        return {};
    const QByteArray sid = QRegularExpression(u"\"sid\":\"([^\"]+)\""_s).match(QString::fromLatin1(body)).captured(1).toLatin1();
    const QByteArray target = "/socket.io/?EIO=4&transport=polling&sid=" + sid;
    if (peer->request("POST", target, "40", &body) != 200)
        return {};
    if (peer->request("GET", target, {}, &body) != 200 || !body.startsWith("40"))
        return {};
    return sid;
}

// Opens a WebSocket session (or, with a sid in query, a probe) and, for a new session, joins "/".
QByteArray tst_OutboundBound::webSocketSession(RawPeer *peer, const QByteArray &query)
{
    if (!peer->upgrade("/socket.io/?EIO=4&transport=websocket" + query))
        return {};
    if (!query.isEmpty())
        return "probe";
    QByteArray payload;
    if (peer->readFrame(&payload) != 1 || !payload.startsWith('0'))
        return {};
    peer->socket()->write(clientFrame(1, "40"));
    if (peer->readFrame(&payload) != 1 || !payload.startsWith("40"))
        return {};
    return payload;
}

void tst_OutboundBound::neverReads_data()
{
    QTest::addColumn<QString>("transport");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<QString>("attack");
    QTest::addColumn<QString>("reason");

    // Engine.IO pings from the client were answered with pongs echoing their data, queued past the bound.
    QTest::newRow("websocket: engine.io pings") << u"websocket"_s << false << u"eio-ping"_s << u"transport error"_s;
    QTest::newRow("polling: engine.io pings") << u"polling"_s << false << u"eio-ping"_s << u"transport error"_s;
    // WebSocket pings (opcode 9) are answered by QWebSocket itself, straight to the socket.
    QTest::newRow("websocket: websocket pings") << u"websocket"_s << false << u"ws-ping"_s << u"transport error"_s;
    QTest::newRow("wss: websocket pings") << u"websocket"_s << true << u"ws-ping"_s << u"transport error"_s;
    // Events the server emits (the "flood" handler), acks it sends back ("echo" with an ack id).
    QTest::newRow("websocket: events") << u"websocket"_s << false << u"events"_s << u"transport error"_s;
    QTest::newRow("wss: events") << u"websocket"_s << true << u"events"_s << u"transport error"_s;
    QTest::newRow("websocket: acks") << u"websocket"_s << false << u"acks"_s << u"transport error"_s;
    QTest::newRow("polling: events") << u"polling"_s << false << u"events"_s << u"transport error"_s;
    QTest::newRow("polling: acks") << u"polling"_s << false << u"acks"_s << u"transport error"_s;
    // Poll responses (pipelined GETs) that are never read.
    QTest::newRow("polling: pipelined polls") << u"polling"_s << false << u"pipelined"_s << u"transport error"_s;
}

void tst_OutboundBound::neverReads()
{
#if defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer keeps freed memory in quarantine and adds shadow memory, so the server's RSS says nothing
    // about what it holds; the release build (./dev test) runs these rows.
    QSKIP("RSS bounds are not measurable under AddressSanitizer");
#endif
    QFETCH(QString, transport);
    QFETCH(bool, tls);
    QFETCH(QString, attack);
    QFETCH(QString, reason);

    QString error;
    QVERIFY2(startServer(tls, &error), qPrintable(error));
    const qint64 pid = m_server->processId();

    RawPeer peer;
    QVERIFY(peer.connectTo(m_port, tls));
    QByteArray sid;
    if (transport == u"websocket"_s)
        QVERIFY(!(sid = webSocketSession(&peer)).isEmpty());
    else
        QVERIFY(!(sid = pollingSession(&peer)).isEmpty());
    QVERIFY(waitForOutput(u"CONNECT / "_s, 5000));
    const qint64 baseline = procStatusBytes(pid, "VmRSS:");
    QVERIFY(baseline > 0);
    peer.stopReading();

    const QByteArray target = "/socket.io/?EIO=4&transport=polling&sid=" + sid;
    std::function<QByteArray()> next;
    qint64 budget = AttackBudget;
    const bool ws = transport == u"websocket"_s;
    if (attack == u"eio-ping"_s) {
        const QByteArray data = ws ? QByteArray(60 * 1024, 'p') : QByteArray(990 * 1000, 'p');
        const QByteArray unit = ws ? clientFrame(1, '2' + data) : RawPeer::requestBytes("POST", target, '2' + data);
        next = [unit] { return unit; };
    } else if (attack == u"ws-ping"_s) {
        const QByteArray unit = clientFrame(9, QByteArray(125, 'w')).repeated(256);
        next = [unit] { return unit; };
    } else if (attack == u"events"_s) {
        // Each request asks for 64 events of 64 KiB.
        const QByteArray packet = R"(42["flood",64,65536])";
        const QByteArray unit = ws ? clientFrame(1, packet) : RawPeer::requestBytes("POST", target, packet);
        next = [unit] { return unit; };
    } else if (attack == u"acks"_s) {
        // "echo" acknowledges with its arguments: 64 KiB back for every event (15 events in a POST).
        auto id = std::make_shared<qint64>(0);
        const QByteArray arg = QByteArray(64 * 1024, 'a');
        next = [id, arg, ws, target] {
            QByteArray payload;
            for (int i = 0; i < (ws ? 1 : 15); ++i) {
                if (!payload.isEmpty())
                    payload += '\x1e';
                payload += "42" + QByteArray::number((*id)++) + R"(["echo",")" + arg + "\"]";
            }
            return ws ? clientFrame(1, payload) : RawPeer::requestBytes("POST", target, payload);
        };
    } else if (attack == u"pipelined"_s) {
        // A POST that makes the server emit 60 kB, then a GET that takes it, pipelined: each GET drains the
        // session's queue into a connection whose answers are never read.
        const QByteArray unit = RawPeer::requestBytes("POST", target, R"(42["flood",1,60000])")
                                + RawPeer::requestBytes("GET", target, {});
        next = [unit] { return unit; };
    }
    // Over polling the session ends but the connection may stay (its next POSTs get 400): stop at the
    // server's DISCONNECT line.
    const qint64 written = peer.flood(next, budget, [this] {
        m_server->waitForReadyRead(0);
        m_output += m_server->readAll();
        return m_output.contains("DISCONNECT");
    });
    qDebug() << attack << "over" << transport << (tls ? "(tls)" : "") << "wrote" << written / 1024 << "KiB; server"
             << "RSS" << baseline / 1024 << "KiB before, peak so far" << procStatusBytes(pid, "VmHWM:") / 1024 << "KiB";

    if (!reason.isEmpty())
        QVERIFY2(waitForOutput(u"DISCONNECT / \\S+ "_s + reason, 10000), m_output.constData());
    if (ws)
        QVERIFY2(peer.waitClosed(20000), "the server kept the connection of a peer that never reads");
    const qint64 peak = procStatusBytes(pid, "VmHWM:");
    qDebug() << "server RSS" << baseline / 1024 << "KiB before, peak" << peak / 1024 << "KiB";
    QVERIFY2(peak - baseline < Bound + Margin,
             qPrintable(u"server grew by %1 KiB (bound %2 KiB)"_s.arg((peak - baseline) / 1024).arg(Bound / 1024)));
}

void tst_OutboundBound::unmaskedFrame_data()
{
    QTest::addColumn<bool>("probe");
    QTest::addColumn<int>("maskedBefore");
    QTest::addColumn<bool>("tls");

    QTest::newRow("first frame") << false << 0 << false;
    QTest::newRow("after masked frames") << false << 3 << false;
    QTest::newRow("tls, after masked frames") << false << 3 << true;
    QTest::newRow("upgrade probe") << true << 0 << false;
}

void tst_OutboundBound::unmaskedFrame()
{
    QFETCH(bool, probe);
    QFETCH(int, maskedBefore);
    QFETCH(bool, tls);

    QString error;
    QVERIFY2(startServer(tls, &error), qPrintable(error));
    RawPeer polling;
    QByteArray sid;
    if (probe) {
        QVERIFY(polling.connectTo(m_port, tls));
        QVERIFY(!(sid = pollingSession(&polling)).isEmpty());
    }
    RawPeer peer;
    QVERIFY(peer.connectTo(m_port, tls));
    QVERIFY(!webSocketSession(&peer, probe ? "&sid=" + sid : QByteArray()).isEmpty());
    QByteArray payload;
    for (int i = 0; i < maskedBefore; ++i) {
        // Masked frames of several header sizes go through untouched ("echo" answers with an ack).
        const QByteArray packet = "42" + QByteArray::number(i) + R"(["echo",")" + QByteArray(i * 40000, 'm') + "\"]";
        peer.socket()->write(clientFrame(1, packet));
        QCOMPARE(peer.readFrame(&payload), 1);
        QVERIFY(payload.startsWith("43" + QByteArray::number(i)));
    }
    peer.socket()->write(clientFrame(1, probe ? "2probe" : R"(42["echo","x"])", false));
    // The answer is a close frame with 1002 (protocol error), then the end of the connection.
    int opcode;
    while ((opcode = peer.readFrame(&payload)) == 1) { }
    QCOMPARE(opcode, 8);
    QVERIFY(payload.size() >= 2);
    QCOMPARE((uchar(payload[0]) << 8) | uchar(payload[1]), 1002);
    QVERIFY(peer.waitClosed(10000));
    if (probe) {
        // The polling session goes on: the probe failed, not the session.
        QByteArray body;
        QCOMPARE(polling.request("POST", "/socket.io/?EIO=4&transport=polling&sid=" + sid, "6", &body), 200);
    } else {
        QVERIFY2(waitForOutput(u"DISCONNECT / \\S+ transport error"_s, 10000), m_output.constData());
    }
}

void tst_OutboundBound::probeOncePerUpgrade()
{
    QString error;
    QVERIFY2(startServer(false, &error), qPrintable(error));
    RawPeer polling;
    QVERIFY(polling.connectTo(m_port, false));
    const QByteArray sid = pollingSession(&polling);
    QVERIFY(!sid.isEmpty());
    RawPeer peer;
    QVERIFY(peer.connectTo(m_port, false));
    QVERIFY(!webSocketSession(&peer, "&sid=" + sid).isEmpty());
    QByteArray payload;
    peer.socket()->write(clientFrame(1, "2probe"));
    QCOMPARE(peer.readFrame(&payload), 1);
    QCOMPARE(payload, QByteArray("3probe"));
    peer.socket()->write(clientFrame(1, "2probe"));
    // No second "3probe": the probe WebSocket closes.
    int opcode;
    while ((opcode = peer.readFrame(&payload)) == 1)
        QVERIFY2(payload != "3probe", "a second probe was answered");
    QVERIFY(peer.waitClosed(10000));
    // The polling session goes on.
    QByteArray body;
    QCOMPARE(polling.request("POST", "/socket.io/?EIO=4&transport=polling&sid=" + sid, "6", &body), 200);
    QCOMPARE(body, QByteArray("ok"));
}

QTEST_MAIN(tst_OutboundBound)

#include "tst_outboundbound.moc"
