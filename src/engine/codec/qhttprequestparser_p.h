// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QHTTPREQUESTPARSER_P_H
#define QHTTPREQUESTPARSER_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtCore/qbytearray.h>
#include <QtCore/qbytearrayview.h>
#include <QtCore/qlist.h>
#include <QtCore/qpair.h>
#include <QtCore/qurl.h>

#include <memory>

// A request head and body as the server sees it. Header names keep the client's spelling; look-ups
// ignore case. Qt 6.4 has no public QHttpHeaders, so this is our own small map.
class QHttpHeaderList
{
public:
    void append(const QByteArray &name, const QByteArray &value) { m_headers.append({name, value}); }
    // The first value of a header, or a null QByteArray. Case-insensitive name.
    QByteArray value(QByteArrayView name) const;
    bool contains(QByteArrayView name) const { return !value(name).isNull(); }
    // Replaces every header of that name with one (appends when absent).
    void set(const QByteArray &name, const QByteArray &value);
    void remove(QByteArrayView name);
    const QList<QPair<QByteArray, QByteArray>> &list() const { return m_headers; }
    qsizetype size() const { return m_headers.size(); }
    bool isEmpty() const { return m_headers.isEmpty(); }
    void clear() { m_headers.clear(); }

private:
    QList<QPair<QByteArray, QByteArray>> m_headers;
};

struct QHttpRequest
{
    QByteArray method;        // "GET", "POST", "OPTIONS", ...
    QByteArray target;        // the raw request-target: "/socket.io/?EIO=4&transport=polling"
    QByteArray path;          // target up to '?', not percent-decoded
    QByteArray query;         // after '?', without it, not decoded
    int versionMajor = 1;
    int versionMinor = 1;
    QHttpHeaderList headers;  // in order; values without surrounding whitespace; chunked trailers are not kept
    QByteArray body;
    bool keepAlive = true;    // llhttp_should_keep_alive() at message end
    // A "Connection: upgrade" + "Upgrade: <any protocol>" request (the parser pauses after the head): the
    // caller checks that Upgrade is "websocket". CONNECT is not an upgrade here: it completes as a message
    // with keepAlive false, for the server to refuse.
    bool upgrade = false;

    // The query item's value, percent-decoded; null when absent.
    QByteArray queryItem(QByteArrayView name) const;
};

// An incremental HTTP/1.1 request parser on llhttp. No sockets: feed bytes, read events.
// One request at a time: after MessageComplete (or HeadersComplete for an upgrade) the caller takes the
// request and calls reset() before feeding the bytes of the next one.
class QHttpRequestParser
{
public:
    struct Limits {
        qsizetype maxHeaderBytes = 16 * 1024;   // request line + all headers
        qsizetype maxHeaderCount = 100;
        qsizetype maxBodyBytes = 1000000;       // body beyond this: Status::BodyTooLarge
    };

    enum class Status {
        NeedMore,         // every byte was consumed; the request is not complete yet
        HeadersComplete,  // only for upgrade requests: the head is complete, `consumed` bytes end the head
        MessageComplete,  // the whole request (head + body) ends after `consumed` bytes of this feed
        Error,            // malformed (HTTP 400)
        HeadersTooLarge,  // over maxHeaderBytes or maxHeaderCount (HTTP 431)
        BodyTooLarge,     // over maxBodyBytes, by Content-Length or by the bytes received (HTTP 413)
    };

    struct Result {
        Status status = Status::NeedMore;
        qsizetype consumed = 0;  // bytes of this feed() that belong to the current request
    };

    QHttpRequestParser();
    explicit QHttpRequestParser(const Limits &limits);
    ~QHttpRequestParser();
    Q_DISABLE_COPY_MOVE(QHttpRequestParser)

    void setLimits(const Limits &limits);
    Limits limits() const;

    // Feeds the next bytes. Bytes after the end of the request are not consumed (Result::consumed says
    // where it ended); feed them again after reset(). After an Error or *TooLarge status, the parser stays in
    // that state until reset().
    Result feed(QByteArrayView data);

    // True once the request line and headers are complete (so request() has them).
    bool headersComplete() const;
    // What was parsed so far. Valid in full after HeadersComplete / MessageComplete.
    const QHttpRequest &request() const;
    QHttpRequest takeRequest();
    // A short English reason for the last Error, e.g. "Invalid header value char".
    QByteArray errorReason() const;

    // Starts over for the next request on the same connection.
    void reset();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

#endif
