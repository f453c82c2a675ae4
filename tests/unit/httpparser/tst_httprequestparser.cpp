// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "engine/codec/qhttprequestparser_p.h"

#include <QtTest/QtTest>

using Status = QHttpRequestParser::Status;
using Limits = QHttpRequestParser::Limits;

Q_DECLARE_METATYPE(QHttpRequestParser::Status)
Q_DECLARE_METATYPE(QHttpRequestParser::Limits)

char *toString(QHttpRequestParser::Status status)
{
    const char *name = "?";
    switch (status) {
    case Status::NeedMore: name = "NeedMore"; break;
    case Status::HeadersComplete: name = "HeadersComplete"; break;
    case Status::MessageComplete: name = "MessageComplete"; break;
    case Status::Error: name = "Error"; break;
    case Status::HeadersTooLarge: name = "HeadersTooLarge"; break;
    case Status::BodyTooLarge: name = "BodyTooLarge"; break;
    }
    return qstrdup(name);
}

namespace {

struct Outcome
{
    Status status = Status::NeedMore;
    qsizetype consumed = 0;        // bytes of the whole input that belong to the request
    bool consumedEveryPart = true; // each NeedMore feed consumed its whole part
};

// Feeds input in the parts that the cut offsets delimit, stopping at the first status other than NeedMore.
Outcome feedParts(QHttpRequestParser &parser, QByteArrayView input, const QList<qsizetype> &cuts)
{
    Outcome outcome;
    qsizetype offset = 0;
    QList<qsizetype> ends = cuts;
    ends.append(input.size());
    for (qsizetype end : std::as_const(ends)) {
        const auto result = parser.feed(input.sliced(offset, end - offset));
        if (result.status != Status::NeedMore) {
            outcome.status = result.status;
            outcome.consumed = offset + result.consumed;
            return outcome;
        }
        if (result.consumed != end - offset)
            outcome.consumedEveryPart = false;
        offset = end;
    }
    outcome.consumed = offset;
    return outcome;
}

QList<qsizetype> bytewise(qsizetype size)
{
    QList<qsizetype> cuts;
    for (qsizetype i = 1; i < size; ++i)
        cuts.append(i);
    return cuts;
}

// Every way of cutting the input: whole, in two parts at each offset, and byte by byte.
QList<QPair<QByteArray, QList<qsizetype>>> feedingPlans(qsizetype size)
{
    QList<QPair<QByteArray, QList<qsizetype>>> plans;
    plans.append({QByteArrayLiteral("whole"), {}});
    for (qsizetype i = 1; i < size; ++i)
        plans.append({QByteArrayLiteral("split at ") + QByteArray::number(i), {i}});
    plans.append({QByteArrayLiteral("byte by byte"), bytewise(size)});
    return plans;
}

QByteArrayList flatten(const QHttpHeaderList &headers)
{
    QByteArrayList flat;
    for (const auto &header : headers.list())
        flat << header.first << header.second;
    return flat;
}

Limits limits(qsizetype headerBytes, qsizetype headerCount, qsizetype bodyBytes)
{
    Limits l;
    l.maxHeaderBytes = headerBytes;
    l.maxHeaderCount = headerCount;
    l.maxBodyBytes = bodyBytes;
    return l;
}

} // namespace

class tst_HttpRequestParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void pipelined_data();
    void pipelined();
    void rejected_data();
    void rejected();
    void headerLimitBoundary_data();
    void headerLimitBoundary();
    void failedStateIsSticky();
    void completeStateUntilReset();
    void takeRequest();
    void queryItem_data();
    void queryItem();
    void headerList();
};

void tst_HttpRequestParser::parse_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<Status>("status");
    QTest::addColumn<int>("consumed");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<int>("versionMinor");
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("keepAlive");
    QTest::addColumn<bool>("upgrade");

    const QByteArray get = QByteArrayLiteral(
            "GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: localhost:3000\r\n"
            "Accept: */*\r\n\r\n");
    QTest::addRow("simple GET")
            << get << Status::MessageComplete << int(get.size()) << QByteArray("GET")
            << QByteArray("/socket.io/?EIO=4&transport=polling") << QByteArray("/socket.io/")
            << QByteArray("EIO=4&transport=polling") << 1
            << QByteArrayList{"Host", "localhost:3000", "Accept", "*/*"} << QByteArray() << true << false;

    const QByteArray noQuery = QByteArrayLiteral("GET / HTTP/1.1\r\n\r\n");
    QTest::addRow("GET without headers or query")
            << noQuery << Status::MessageComplete << int(noQuery.size()) << QByteArray("GET")
            << QByteArray("/") << QByteArray("/") << QByteArray() << 1 << QByteArrayList{} << QByteArray()
            << true << false;

    const QByteArray post = QByteArrayLiteral(
            "POST /engine.io/?EIO=4&transport=polling&sid=abc HTTP/1.1\r\nHost: a\r\n"
            "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: 15\r\n\r\n"
            "4hello\x1e" "2\x1e" "4world");
    QTest::addRow("POST with Content-Length body")
            << post << Status::MessageComplete << int(post.size()) << QByteArray("POST")
            << QByteArray("/engine.io/?EIO=4&transport=polling&sid=abc") << QByteArray("/engine.io/")
            << QByteArray("EIO=4&transport=polling&sid=abc") << 1
            << QByteArrayList{"Host", "a", "Content-Type", "text/plain;charset=UTF-8", "Content-Length", "15"}
            << QByteArray("4hello\x1e" "2\x1e" "4world") << true << false;

    const QByteArray chunked = QByteArrayLiteral(
            "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
            "6\r\n4hello\r\n" "a;ext=1\r\n\x1e" "4world!!!\r\n" "0\r\n\r\n");
    QTest::addRow("chunked POST")
            << chunked << Status::MessageComplete << int(chunked.size()) << QByteArray("POST")
            << QByteArray("/x") << QByteArray("/x") << QByteArray() << 1
            << QByteArrayList{"Transfer-Encoding", "chunked"} << QByteArray("4hello\x1e" "4world!!!")
            << true << false;

    const QByteArray trailer = QByteArrayLiteral(
            "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
            "3\r\nabc\r\n0\r\nX-Trailer: yes\r\n\r\n");
    QTest::addRow("chunked POST with a trailer (not kept)")
            << trailer << Status::MessageComplete << int(trailer.size()) << QByteArray("POST")
            << QByteArray("/x") << QByteArray("/x") << QByteArray() << 1
            << QByteArrayList{"Transfer-Encoding", "chunked"} << QByteArray("abc") << true << false;

    const QByteArray close = QByteArrayLiteral("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    QTest::addRow("HTTP/1.1 Connection: close")
            << close << Status::MessageComplete << int(close.size()) << QByteArray("GET") << QByteArray("/")
            << QByteArray("/") << QByteArray() << 1 << QByteArrayList{"Connection", "close"} << QByteArray()
            << false << false;

    const QByteArray keep = QByteArrayLiteral("GET / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n");
    QTest::addRow("HTTP/1.1 Connection: keep-alive")
            << keep << Status::MessageComplete << int(keep.size()) << QByteArray("GET") << QByteArray("/")
            << QByteArray("/") << QByteArray() << 1 << QByteArrayList{"Connection", "keep-alive"}
            << QByteArray() << true << false;

    const QByteArray http10 = QByteArrayLiteral("GET /a?b=c HTTP/1.0\r\nHost: x\r\n\r\n");
    QTest::addRow("HTTP/1.0 closes by default")
            << http10 << Status::MessageComplete << int(http10.size()) << QByteArray("GET")
            << QByteArray("/a?b=c") << QByteArray("/a") << QByteArray("b=c") << 0
            << QByteArrayList{"Host", "x"} << QByteArray() << false << false;

    const QByteArray http10keep = QByteArrayLiteral("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
    QTest::addRow("HTTP/1.0 with Connection: Keep-Alive")
            << http10keep << Status::MessageComplete << int(http10keep.size()) << QByteArray("GET")
            << QByteArray("/") << QByteArray("/") << QByteArray() << 0
            << QByteArrayList{"Connection", "Keep-Alive"} << QByteArray() << true << false;

    const QByteArray spelling = QByteArrayLiteral(
            "OPTIONS /socket.io/ HTTP/1.1\r\nORIGIN: http://example.com\r\nx-custom: a\r\n"
            "X-Custom: b\r\nX-Empty:\r\nX-Spaces:   padded value \t \r\n\r\n");
    QTest::addRow("header names as sent, duplicates, empty and padded values")
            << spelling << Status::MessageComplete << int(spelling.size()) << QByteArray("OPTIONS")
            << QByteArray("/socket.io/") << QByteArray("/socket.io/") << QByteArray() << 1
            << QByteArrayList{"ORIGIN", "http://example.com", "x-custom", "a", "X-Custom", "b", "X-Empty", "",
                              "X-Spaces", "padded value"}
            << QByteArray() << true << false;

    const QByteArray head = QByteArrayLiteral(
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: localhost\r\n"
            "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    const QByteArrayList upgradeHeaders{"Host", "localhost", "Connection", "Upgrade", "Upgrade", "websocket",
                                        "Sec-WebSocket-Version", "13", "Sec-WebSocket-Key",
                                        "dGhlIHNhbXBsZSBub25jZQ=="};
    QTest::addRow("upgrade request alone")
            << head << Status::HeadersComplete << int(head.size()) << QByteArray("GET")
            << QByteArray("/socket.io/?EIO=4&transport=websocket") << QByteArray("/socket.io/")
            << QByteArray("EIO=4&transport=websocket") << 1 << upgradeHeaders << QByteArray() << true << true;
    QTest::addRow("upgrade request followed by WebSocket frames")
            << head + QByteArray("\x81\x86\x01\x02\x03\x04" "5probe", 12) << Status::HeadersComplete
            << int(head.size()) << QByteArray("GET") << QByteArray("/socket.io/?EIO=4&transport=websocket")
            << QByteArray("/socket.io/") << QByteArray("EIO=4&transport=websocket") << 1 << upgradeHeaders
            << QByteArray() << true << true;

    const QByteArray upgradeWithLength = QByteArrayLiteral(
            "GET /ws HTTP/1.1\r\nContent-Length: 4\r\nConnection: keep-alive, Upgrade\r\n"
            "Upgrade: websocket\r\n\r\n");
    QTest::addRow("upgrade request with Content-Length stops at the head")
            << upgradeWithLength + "abcdef" << Status::HeadersComplete << int(upgradeWithLength.size())
            << QByteArray("GET") << QByteArray("/ws") << QByteArray("/ws") << QByteArray() << 1
            << QByteArrayList{"Content-Length", "4", "Connection", "keep-alive, Upgrade", "Upgrade", "websocket"}
            << QByteArray() << true << true;

    const QByteArray h2c = QByteArrayLiteral(
            "GET / HTTP/1.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");
    QTest::addRow("upgrade to another protocol is reported too")
            << h2c + "PRI" << Status::HeadersComplete << int(h2c.size()) << QByteArray("GET") << QByteArray("/")
            << QByteArray("/") << QByteArray() << 1
            << QByteArrayList{"Connection", "Upgrade, HTTP2-Settings", "Upgrade", "h2c", "HTTP2-Settings",
                              "AAMAAABkAAQAAP__"}
            << QByteArray() << true << true;

    const QByteArray folded = QByteArrayLiteral("GET / HTTP/1.1\r\nX-Folded: a\r\n b\r\nHost: h\r\n\r\n");
    QTest::addRow("obsolete line folding joins the value")
            << folded << Status::MessageComplete << int(folded.size()) << QByteArray("GET") << QByteArray("/")
            << QByteArray("/") << QByteArray() << 1 << QByteArrayList{"X-Folded", "a b", "Host", "h"}
            << QByteArray() << true << false;

    const QByteArray upgradeNoConnection = QByteArrayLiteral("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n");
    QTest::addRow("Upgrade without Connection: upgrade is a plain request")
            << upgradeNoConnection + "GET" << Status::MessageComplete << int(upgradeNoConnection.size())
            << QByteArray("GET") << QByteArray("/ws") << QByteArray("/ws") << QByteArray() << 1
            << QByteArrayList{"Upgrade", "websocket"} << QByteArray() << true << false;

    const QByteArray connect = QByteArrayLiteral("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n");
    QTest::addRow("CONNECT completes without upgrade and closes")
            << connect + "\x16\x03\x01" << Status::MessageComplete << int(connect.size())
            << QByteArray("CONNECT") << QByteArray("example.com:443") << QByteArray("example.com:443")
            << QByteArray() << 1 << QByteArrayList{"Host", "example.com"} << QByteArray() << false << false;

    QTest::addRow("first of two pipelined requests")
            << post + get << Status::MessageComplete << int(post.size()) << QByteArray("POST")
            << QByteArray("/engine.io/?EIO=4&transport=polling&sid=abc") << QByteArray("/engine.io/")
            << QByteArray("EIO=4&transport=polling&sid=abc") << 1
            << QByteArrayList{"Host", "a", "Content-Type", "text/plain;charset=UTF-8", "Content-Length", "15"}
            << QByteArray("4hello\x1e" "2\x1e" "4world") << true << false;

    const QByteArray leading = QByteArrayLiteral("\r\n\r\nGET /l HTTP/1.1\r\n\r\n");
    QTest::addRow("empty lines before the request line are skipped")
            << leading << Status::MessageComplete << int(leading.size()) << QByteArray("GET") << QByteArray("/l")
            << QByteArray("/l") << QByteArray() << 1 << QByteArrayList{} << QByteArray() << true << false;

    const QByteArray partial = QByteArrayLiteral("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n12345");
    QTest::addRow("incomplete body needs more")
            << partial << Status::NeedMore << int(partial.size()) << QByteArray("POST") << QByteArray("/")
            << QByteArray("/") << QByteArray() << 1 << QByteArrayList{"Content-Length", "10"}
            << QByteArray("12345") << true << false;
}

void tst_HttpRequestParser::parse()
{
    QFETCH(QByteArray, input);
    QFETCH(Status, status);
    QFETCH(int, consumed);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, query);
    QFETCH(int, versionMinor);
    QFETCH(QByteArrayList, headers);
    QFETCH(QByteArray, body);
    QFETCH(bool, keepAlive);
    QFETCH(bool, upgrade);

    const auto plans = feedingPlans(input.size());
    for (const auto &plan : plans) {
        QHttpRequestParser parser;
        const Outcome outcome = feedParts(parser, input, plan.second);
        const QByteArray context = "feeding " + plan.first;
        QVERIFY2(outcome.consumedEveryPart, context.constData());
        QCOMPARE(outcome.status, status);
        QVERIFY2(outcome.consumed == consumed,
                 (context + ": consumed " + QByteArray::number(outcome.consumed)).constData());
        QVERIFY(parser.headersComplete());
        const QHttpRequest &request = parser.request();
        QCOMPARE(request.method, method);
        QCOMPARE(request.target, target);
        QCOMPARE(request.path, path);
        QCOMPARE(request.query, query);
        QCOMPARE(request.versionMajor, 1);
        QCOMPARE(request.versionMinor, versionMinor);
        QVERIFY2(flatten(request.headers) == headers, context.constData());
        QVERIFY2(request.body == body, context.constData());
        if (status != Status::NeedMore)
            QCOMPARE(request.keepAlive, keepAlive);
        QCOMPARE(request.upgrade, upgrade);
        QVERIFY(parser.errorReason().isEmpty());
    }
}

void tst_HttpRequestParser::pipelined_data()
{
    QTest::addColumn<QByteArrayList>("requests");

    const QByteArray get = QByteArrayLiteral("GET /socket.io/?EIO=4&transport=polling&sid=s1 HTTP/1.1\r\nHost: a\r\n\r\n");
    const QByteArray post = QByteArrayLiteral(
            "POST /socket.io/?EIO=4&transport=polling&sid=s1 HTTP/1.1\r\nContent-Length: 7\r\n\r\n4hello\x1e");
    const QByteArray chunked = QByteArrayLiteral(
            "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n40\r\n0\r\n\r\n");
    const QByteArray upgrade = QByteArrayLiteral(
            "GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");

    QTest::addRow("two GETs") << QByteArrayList{get, get};
    QTest::addRow("POST then GET") << QByteArrayList{post, get};
    QTest::addRow("GET, chunked POST, POST") << QByteArrayList{get, chunked, post};
    QTest::addRow("GET then upgrade") << QByteArrayList{get, upgrade};
}

void tst_HttpRequestParser::pipelined()
{
    QFETCH(QByteArrayList, requests);
    const QByteArray all = requests.join();

    // Feed everything at once, then the leftover after each reset(); also the whole stream cut at every
    // position into two feeds (the tail goes in after the first request is done).
    for (qsizetype cut = 0; cut < all.size(); ++cut) {
        QHttpRequestParser parser;
        QByteArray pending = all.first(cut == 0 ? all.size() : cut);
        QByteArray later = cut == 0 ? QByteArray() : all.sliced(cut);
        qsizetype index = 0;
        for (int guard = 0; guard < 100 && index < requests.size(); ++guard) {
            if (pending.isEmpty()) {
                QVERIFY(!later.isEmpty());
                pending = std::exchange(later, QByteArray());
            }
            const auto result = parser.feed(pending);
            if (result.status == Status::NeedMore) {
                QCOMPARE(result.consumed, pending.size());
                pending.clear();
                continue;
            }
            QVERIFY(result.status == Status::MessageComplete || result.status == Status::HeadersComplete);
            pending.remove(0, result.consumed);
            const QByteArray &expected = requests.at(index);
            const QByteArray firstLine = expected.first(expected.indexOf(' '));
            QCOMPARE(parser.request().method, firstLine);
            QCOMPARE(parser.request().upgrade, result.status == Status::HeadersComplete);
            parser.reset();
            ++index;
        }
        QCOMPARE(index, requests.size());
        QVERIFY(pending.isEmpty());
        QVERIFY(later.isEmpty());
    }
}

void tst_HttpRequestParser::rejected_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<Limits>("limits");
    QTest::addColumn<Status>("status");
    QTest::addColumn<QByteArray>("reason");

    const Limits defaults;
    QTest::addRow("malformed request line")
            << QByteArray("GARBAGE\r\n\r\n") << defaults << Status::Error << QByteArray("Invalid method encountered");
    QTest::addRow("unknown method") << QByteArray("BREW /pot HTTP/1.1\r\n\r\n") << defaults << Status::Error
                                    << QByteArray("Invalid method encountered");
    QTest::addRow("space in the target") << QByteArray("GET /a b HTTP/1.1\r\n\r\n") << defaults << Status::Error
                                         << QByteArray("Expected HTTP/");
    QTest::addRow("bad HTTP version") << QByteArray("GET / HTTP/9.1\r\n\r\n") << defaults << Status::Error
                                      << QByteArray("Invalid HTTP version");
    QTest::addRow("control char in header value")
            << QByteArray("GET / HTTP/1.1\r\nHost: a\x01" "b\r\n\r\n") << defaults << Status::Error
            << QByteArray("Invalid header value char");
    QTest::addRow("'@' in header name") << QByteArray("GET / HTTP/1.1\r\nHo@st: a\r\n\r\n") << defaults
                                        << Status::Error << QByteArray("Invalid header token");
    QTest::addRow("space in header name") << QByteArray("GET / HTTP/1.1\r\nHo st: a\r\n\r\n") << defaults
                                          << Status::Error << QByteArray("Invalid header token");
    QTest::addRow("space before the colon") << QByteArray("GET / HTTP/1.1\r\nHost : a\r\n\r\n") << defaults
                                            << Status::Error << QByteArray("Invalid header token");
    QTest::addRow("empty header name") << QByteArray("GET / HTTP/1.1\r\n: a\r\n\r\n") << defaults
                                       << Status::Error << QByteArray();
    QTest::addRow("duplicate Content-Length")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab") << defaults
            << Status::Error << QByteArray("Duplicate Content-Length");
    QTest::addRow("Content-Length with chunked")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
            << defaults << Status::Error << QByteArray("Content-Length can't be present with Transfer-Encoding");
    QTest::addRow("non-numeric Content-Length")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n") << defaults << Status::Error
            << QByteArray("Invalid character in Content-Length");
    QTest::addRow("bad chunk size")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << defaults
            << Status::Error << QByteArray("Invalid character in chunk size");

    const QByteArray bigHeader = "GET / HTTP/1.1\r\nX-Big: " + QByteArray(200, 'a') + "\r\n\r\n";
    QTest::addRow("header too large") << bigHeader << limits(100, 100, 1000) << Status::HeadersTooLarge
                                      << QByteArray("Header overflow");
    QTest::addRow("request line too large")
            << "GET /" + QByteArray(200, 'a') + " HTTP/1.1\r\n\r\n" << limits(100, 100, 1000)
            << Status::HeadersTooLarge << QByteArray("Header overflow");
    QTest::addRow("head too large in whitespace")
            << "GET / HTTP/1.1\r\nX-Pad:" + QByteArray(200, ' ') + "x\r\n\r\n" << limits(100, 100, 1000)
            << Status::HeadersTooLarge << QByteArray("Header overflow");
    QByteArray many = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 5; ++i)
        many += "X-" + QByteArray::number(i) + ": v\r\n";
    many += "\r\n";
    QTest::addRow("too many headers") << many << limits(16384, 4, 1000) << Status::HeadersTooLarge
                                      << QByteArray("Too many headers");
    QTest::addRow("body too large by Content-Length (head only)")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1001\r\n\r\n") << limits(16384, 100, 1000)
            << Status::BodyTooLarge << QByteArray("Request body too large");
    QTest::addRow("huge Content-Length")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 99999999999999\r\n\r\n") << defaults
            << Status::BodyTooLarge << QByteArray("Request body too large");
    QTest::addRow("body too large by chunked growth")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n")
            << limits(16384, 100, 10) << Status::BodyTooLarge << QByteArray("Request body too large");
}

void tst_HttpRequestParser::rejected()
{
    QFETCH(QByteArray, input);
    QFETCH(Limits, limits);
    QFETCH(Status, status);
    QFETCH(QByteArray, reason);

    for (bool bytewiseFeed : {false, true}) {
        QHttpRequestParser parser(limits);
        const Outcome outcome = feedParts(parser, input, bytewiseFeed ? bytewise(input.size()) : QList<qsizetype>());
        QCOMPARE(outcome.status, status);
        if (!reason.isEmpty())
            QCOMPARE(parser.errorReason(), reason);
        else
            QVERIFY(!parser.errorReason().isEmpty());
    }
}

void tst_HttpRequestParser::headerLimitBoundary_data()
{
    QTest::addColumn<int>("extraBytes");
    QTest::addColumn<Status>("status");
    QTest::addRow("exactly at the limit") << 0 << Status::MessageComplete;
    QTest::addRow("one byte over") << 1 << Status::HeadersTooLarge;
}

void tst_HttpRequestParser::headerLimitBoundary()
{
    QFETCH(int, extraBytes);
    QFETCH(Status, status);

    const QByteArray head = "GET / HTTP/1.1\r\nX-Fill: " + QByteArray(40 + extraBytes, 'f') + "\r\n\r\n";
    const qsizetype limit = head.size() - extraBytes;
    for (bool bytewiseFeed : {false, true}) {
        QHttpRequestParser parser(limits(limit, 100, 0));
        const Outcome outcome = feedParts(parser, head, bytewiseFeed ? bytewise(head.size()) : QList<qsizetype>());
        QCOMPARE(outcome.status, status);
    }

    // The header count limit has the same boundary.
    QByteArray counted = "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n";
    if (extraBytes)
        counted += "D: 4\r\n";
    counted += "\r\n";
    QHttpRequestParser parser(limits(16384, 3, 0));
    QCOMPARE(parser.feed(counted).status, status);
}

void tst_HttpRequestParser::failedStateIsSticky()
{
    QHttpRequestParser parser;
    const auto bad = parser.feed("GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n");
    QCOMPARE(bad.status, Status::Error);
    const QByteArray reason = parser.errorReason();
    QVERIFY(!reason.isEmpty());

    const auto again = parser.feed("GET / HTTP/1.1\r\n\r\n");
    QCOMPARE(again.status, Status::Error);
    QCOMPARE(again.consumed, 0);
    QCOMPARE(parser.errorReason(), reason);

    parser.reset();
    QVERIFY(parser.errorReason().isEmpty());
    QVERIFY(!parser.headersComplete());
    const auto good = parser.feed("GET / HTTP/1.1\r\n\r\n");
    QCOMPARE(good.status, Status::MessageComplete);

    // Same for a limit.
    QHttpRequestParser limited(limits(16384, 100, 5));
    QCOMPARE(limited.feed("POST / HTTP/1.1\r\nContent-Length: 6\r\n\r\n").status, Status::BodyTooLarge);
    QCOMPARE(limited.feed("123456").status, Status::BodyTooLarge);
    limited.reset();
    QCOMPARE(limited.feed("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n12345").status, Status::MessageComplete);
    QCOMPARE(limited.request().body, QByteArray("12345"));
}

void tst_HttpRequestParser::completeStateUntilReset()
{
    QHttpRequestParser parser;
    const QByteArray request = "GET /one HTTP/1.1\r\n\r\n";
    QCOMPARE(parser.feed(request).status, Status::MessageComplete);
    // Without reset() nothing more is consumed.
    const auto more = parser.feed("GET /two HTTP/1.1\r\n\r\n");
    QCOMPARE(more.status, Status::MessageComplete);
    QCOMPARE(more.consumed, 0);
    QCOMPARE(parser.request().path, QByteArray("/one"));

    parser.reset();
    QCOMPARE(parser.feed(QByteArrayView()).status, Status::NeedMore);
    QCOMPARE(parser.feed("GET /two HTTP/1.1\r\n\r\n").status, Status::MessageComplete);
    QCOMPARE(parser.request().path, QByteArray("/two"));
}

void tst_HttpRequestParser::takeRequest()
{
    QHttpRequestParser parser;
    QCOMPARE(parser.feed("POST /t?x=1 HTTP/1.1\r\nContent-Length: 2\r\n\r\nok").status, Status::MessageComplete);
    const QHttpRequest taken = parser.takeRequest();
    QCOMPARE(taken.method, QByteArray("POST"));
    QCOMPARE(taken.queryItem("x"), QByteArray("1"));
    QCOMPARE(taken.body, QByteArray("ok"));
    QVERIFY(parser.request().method.isEmpty());
    QVERIFY(parser.request().headers.isEmpty());
}

void tst_HttpRequestParser::queryItem_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("isNull");

    QTest::addRow("plain") << QByteArray("EIO=4&transport=polling") << QByteArray("transport")
                           << QByteArray("polling") << false;
    QTest::addRow("escaped slash decoded") << QByteArray("path=%2Fa%2fb") << QByteArray("path") << QByteArray("/a/b") << false;
    QTest::addRow("+ is a space") << QByteArray("q=a+b+c") << QByteArray("q") << QByteArray("a b c") << false;
    QTest::addRow("escaped plus stays a plus") << QByteArray("q=a%2Bb") << QByteArray("q") << QByteArray("a+b") << false;
    QTest::addRow("UTF-8 bytes") << QByteArray("q=%E2%82%AC") << QByteArray("q") << QByteArray("\xe2\x82\xac")
                                 << false;
    QTest::addRow("invalid escape kept") << QByteArray("q=100%zz") << QByteArray("q") << QByteArray("100%zz")
                                         << false;
    QTest::addRow("missing") << QByteArray("EIO=4") << QByteArray("sid") << QByteArray() << true;
    QTest::addRow("empty query") << QByteArray() << QByteArray("sid") << QByteArray() << true;
    QTest::addRow("prefix of another name is missing") << QByteArray("sidx=1") << QByteArray("sid")
                                                       << QByteArray() << true;
    QTest::addRow("empty value with =") << QByteArray("a=&b=2") << QByteArray("a") << QByteArray("") << false;
    QTest::addRow("empty value without =") << QByteArray("b=2&a") << QByteArray("a") << QByteArray("") << false;
    QTest::addRow("first of duplicates") << QByteArray("a=1&a=2") << QByteArray("a") << QByteArray("1") << false;
    QTest::addRow("encoded name") << QByteArray("my%20key=v") << QByteArray("my key") << QByteArray("v") << false;
    QTest::addRow("value with =") << QByteArray("t=a=b") << QByteArray("t") << QByteArray("a=b") << false;
    QTest::addRow("empty pairs skipped") << QByteArray("&&a=1&") << QByteArray("a") << QByteArray("1") << false;
}

void tst_HttpRequestParser::queryItem()
{
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    QFETCH(bool, isNull);

    // Through the parser, so that query is filled the way the server sees it.
    QHttpRequestParser parser;
    const QByteArray request = "GET /p" + (query.isNull() ? QByteArray() : "?" + query) + " HTTP/1.1\r\n\r\n";
    QCOMPARE(parser.feed(request).status, Status::MessageComplete);
    const QByteArray item = parser.request().queryItem(name);
    QCOMPARE(item.isNull(), isNull);
    QCOMPARE(item, value);
}

void tst_HttpRequestParser::headerList()
{
    QHttpRequestParser parser;
    QCOMPARE(parser.feed("GET / HTTP/1.1\r\nContent-Type: text/plain\r\nX-Empty:\r\nx-dup: 1\r\nX-Dup: 2\r\n\r\n")
                     .status,
             Status::MessageComplete);
    QHttpHeaderList headers = parser.request().headers;
    QCOMPARE(headers.value("content-type"), QByteArray("text/plain"));
    QCOMPARE(headers.value("CONTENT-TYPE"), QByteArray("text/plain"));
    QVERIFY(headers.contains("x-empty"));
    QVERIFY(!headers.value("X-Empty").isNull());
    QVERIFY(headers.value("X-Empty").isEmpty());
    QVERIFY(headers.value("Content-Typ").isNull());
    QVERIFY(!headers.contains("Content-Type-X"));
    QCOMPARE(headers.value("X-DUP"), QByteArray("1"));

    headers.set("X-Dup", "3");
    QCOMPARE(headers.size(), 3);
    QCOMPARE(headers.value("x-dup"), QByteArray("3"));
    headers.set("Set-Cookie", "a=b");
    QCOMPARE(headers.size(), 4);
    QCOMPARE(headers.list().last().first, QByteArray("Set-Cookie"));

    headers.remove("CONTENT-type");
    QVERIFY(!headers.contains("Content-Type"));
    QCOMPARE(headers.size(), 3);
    headers.clear();
    QVERIFY(headers.isEmpty());
}

QTEST_APPLESS_MAIN(tst_HttpRequestParser)
#include "tst_httprequestparser.moc"
