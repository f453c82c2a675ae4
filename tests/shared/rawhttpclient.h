// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef RAWHTTPCLIENT_H
#define RAWHTTPCLIENT_H

// A byte-level HTTP/1.1 client for loopback tests: it writes whatever bytes a test gives it (well-formed,
// pipelined, malformed or trickled) and parses the responses as they arrive. Header-only, no Q_OBJECT, so any
// test can include it without extra moc sources. Wait on it with QTRY_* or QTest::qWaitFor.

#include <QtCore/qbytearray.h>
#include <QtCore/qlist.h>
#include <QtCore/qpair.h>
#include <QtNetwork/qhostaddress.h>
#include <QtNetwork/qtcpsocket.h>
#include <QtTest/qtest.h>

#include <memory>

struct RawHttpResponse
{
    int status = 0;
    QByteArray reason;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    // The first value of a header (case-insensitive name), or a null QByteArray.
    QByteArray header(QByteArrayView name) const
    {
        for (const auto &h : headers) {
            if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
    bool hasHeader(QByteArrayView name) const { return !header(name).isNull(); }
    int headerCount(QByteArrayView name) const
    {
        int n = 0;
        for (const auto &h : headers)
            n += QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0 ? 1 : 0;
        return n;
    }
};

class RawHttpClient
{
public:
    RawHttpClient() : m_socket(std::make_unique<QTcpSocket>())
    {
        QObject::connect(m_socket.get(), &QTcpSocket::readyRead, m_socket.get(), [this] { readAvailable(); });
        QObject::connect(m_socket.get(), &QTcpSocket::disconnected, m_socket.get(), [this] {
            readAvailable();
            m_disconnected = true;
            // A response without Content-Length ends with the connection.
            if (m_headDone && m_contentLength < 0) {
                finishResponse(m_buffer);
                m_buffer.clear();
            }
        });
    }

    bool connectToServer(quint16 port, const QHostAddress &address = QHostAddress::LocalHost)
    {
        m_socket->connectToHost(address, port);
        return m_socket->waitForConnected(5000);
    }

    QTcpSocket *socket() const { return m_socket.get(); }
    void write(const QByteArray &bytes)
    {
        m_socket->write(bytes);
        m_socket->flush();
    }
    void sendGet(const QByteArray &target, const QByteArray &extraHeaders = {})
    {
        write(request("GET", target, {}, extraHeaders));
    }
    void sendPost(const QByteArray &target, const QByteArray &body, const QByteArray &extraHeaders = {})
    {
        write(request("POST", target, body, extraHeaders));
    }

    // A well-formed request. extraHeaders are whole lines, each ending with "\r\n".
    static QByteArray request(const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
                              const QByteArray &extraHeaders = {})
    {
        QByteArray out = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders;
        if (method == "POST" || method == "PUT" || !body.isEmpty())
            out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        out += "\r\n";
        out += body;
        return out;
    }

    const QList<RawHttpResponse> &responses() const { return m_responses; }
    int responseCount() const { return int(m_responses.size()); }
    const RawHttpResponse &response(int i) const { return m_responses.at(i); }
    const RawHttpResponse &lastResponse() const { return m_responses.constLast(); }
    bool isDisconnected() const { return m_disconnected; }
    // Bytes that did not parse as a response (should stay empty).
    QByteArray leftover() const { return m_buffer; }

    // Waits (running the event loop) until `count` responses arrived in total.
    bool waitForResponses(int count, int timeout = 5000)
    {
        return QTest::qWaitFor([&] { return responseCount() >= count; }, timeout);
    }
    bool waitForDisconnected(int timeout = 5000)
    {
        return QTest::qWaitFor([&] { return m_disconnected; }, timeout);
    }

private:
    void readAvailable()
    {
        if (m_socket->isOpen())
            m_buffer += m_socket->readAll();
        while (parseOne()) {
        }
    }

    bool parseOne()
    {
        if (!m_headDone) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return false;
            const QList<QByteArray> lines = m_buffer.left(end).split('\n');
            m_buffer.remove(0, end + 4);
            m_current = RawHttpResponse();
            const QByteArray statusLine = lines.first().trimmed();
            const QList<QByteArray> parts = statusLine.split(' ');
            m_current.status = parts.value(1).toInt();
            m_current.reason = statusLine.mid(parts.value(0).size() + parts.value(1).size() + 2);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines.at(i).trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon > 0)
                    m_current.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
            }
            m_headDone = true;
            const QByteArray length = m_current.header("content-length");
            if (!length.isNull())
                m_contentLength = length.toLongLong();
            else if (m_current.status == 101 || m_current.status == 204 || m_current.status == 304)
                m_contentLength = 0;
            else
                m_contentLength = -1;
        }
        if (m_contentLength < 0 || m_buffer.size() < m_contentLength)
            return false;
        const QByteArray body = m_buffer.left(m_contentLength);
        m_buffer.remove(0, m_contentLength);
        finishResponse(body);
        // After a 101 the bytes are WebSocket frames, not HTTP.
        return m_responses.constLast().status != 101;
    }

    void finishResponse(const QByteArray &body)
    {
        m_current.body = body;
        m_responses.append(m_current);
        m_headDone = false;
        m_contentLength = -1;
    }

    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_buffer;
    QList<RawHttpResponse> m_responses;
    RawHttpResponse m_current;
    bool m_headDone = false;
    qint64 m_contentLength = -1;
    bool m_disconnected = false;
};

#endif
