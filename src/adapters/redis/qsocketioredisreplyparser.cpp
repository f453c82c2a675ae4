// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The RESP2 reader of QSocketIoRedisConnection, in a file of its own so that the fuzz target compiles it alone.

#include "qsocketioredisconnection_p.h"

// --- QSocketIoRedisReplyParser ------------------------------------------------------------------------------

void QSocketIoRedisReplyParser::append(const QByteArray &bytes)
{
    if (m_pos > 0 && m_pos == m_buffer.size()) {
        m_buffer.clear();
        m_pos = 0;
    } else if (m_pos > 65536 && m_pos * 2 > m_buffer.size()) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
    m_buffer.append(bytes);
}

void QSocketIoRedisReplyParser::reset()
{
    m_buffer.clear();
    m_pos = 0;
    m_error.clear();
}

bool QSocketIoRedisReplyParser::next(QSocketIoRedisReply *reply)
{
    if (hasError())
        return false;
    qsizetype pos = m_pos;
    QSocketIoRedisReply parsed;
    switch (parse(&pos, &parsed, 0)) {
    case Parse::Done:
        m_pos = pos;
        *reply = std::move(parsed);
        return true;
    case Parse::More:
        return false;
    case Parse::Bad:
        return false;
    }
    return false;
}

QSocketIoRedisReplyParser::Parse QSocketIoRedisReplyParser::readLine(qsizetype *pos, QByteArray *line)
{
    const qsizetype end = m_buffer.indexOf("\r\n", *pos);
    if (end < 0) {
        // A header line is short: a long one without its end is not Redis.
        if (m_buffer.size() - *pos > 64 * 1024) {
            m_error = QStringLiteral("a reply line longer than 64 KiB");
            return Parse::Bad;
        }
        return Parse::More;
    }
    *line = m_buffer.mid(*pos, end - *pos);
    *pos = end + 2;
    return Parse::Done;
}

QSocketIoRedisReplyParser::Parse QSocketIoRedisReplyParser::parse(qsizetype *pos, QSocketIoRedisReply *reply,
                                                                  int depth)
{
    if (*pos >= m_buffer.size())
        return Parse::More;
    if (depth > MaxDepth) {
        m_error = QStringLiteral("replies nested deeper than %1").arg(MaxDepth);
        return Parse::Bad;
    }
    const char kind = m_buffer.at(*pos);
    qsizetype p = *pos + 1;
    QByteArray line;
    const Parse read = readLine(&p, &line);
    if (read != Parse::Done)
        return read;
    auto number = [this, &line](qint64 *value) {
        bool ok = false;
        *value = line.toLongLong(&ok);
        if (!ok)
            m_error = QStringLiteral("a malformed number in a reply");
        return ok;
    };
    switch (kind) {
    case '+':
    case '-':
        reply->type = kind == '+' ? QSocketIoRedisReply::Status : QSocketIoRedisReply::Error;
        reply->string = line;
        *pos = p;
        return Parse::Done;
    case ':':
        reply->type = QSocketIoRedisReply::Integer;
        if (!number(&reply->integer))
            return Parse::Bad;
        *pos = p;
        return Parse::Done;
    case '$': {
        qint64 length = 0;
        if (!number(&length))
            return Parse::Bad;
        if (length == -1) {
            reply->type = QSocketIoRedisReply::Nil;
            *pos = p;
            return Parse::Done;
        }
        if (length < 0 || length > m_maxBulk) {
            m_error = QStringLiteral("a bulk string of %1 bytes (at most %2)").arg(length).arg(m_maxBulk);
            return Parse::Bad;
        }
        if (m_buffer.size() - p < length + 2)
            return Parse::More;
        if (m_buffer.at(p + length) != '\r' || m_buffer.at(p + length + 1) != '\n') {
            m_error = QStringLiteral("a bulk string without its CRLF");
            return Parse::Bad;
        }
        reply->type = QSocketIoRedisReply::String;
        reply->string = m_buffer.mid(p, length);
        *pos = p + length + 2;
        return Parse::Done;
    }
    case '*': {
        qint64 count = 0;
        if (!number(&count))
            return Parse::Bad;
        if (count == -1) {
            reply->type = QSocketIoRedisReply::Nil;
            *pos = p;
            return Parse::Done;
        }
        if (count < 0 || count > MaxElements) {
            m_error = QStringLiteral("an array of %1 elements (at most %2)").arg(count).arg(MaxElements);
            return Parse::Bad;
        }
        // Each element takes 3 bytes at least: do not reserve for elements that are not there yet.
        if ((m_buffer.size() - p) / 3 < count)
            return Parse::More;
        reply->type = QSocketIoRedisReply::Array;
        reply->elements.reserve(count);
        for (qint64 i = 0; i < count; ++i) {
            QSocketIoRedisReply element;
            const Parse r = parse(&p, &element, depth + 1);
            if (r != Parse::Done)
                return r;
            reply->elements.append(std::move(element));
        }
        *pos = p;
        return Parse::Done;
    }
    default:
        m_error = QStringLiteral("an unknown reply type 0x%1").arg(quint8(kind), 2, 16, QLatin1Char('0'));
        return Parse::Bad;
    }
}
