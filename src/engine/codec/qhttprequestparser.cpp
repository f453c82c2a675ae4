// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "engine/codec/qhttprequestparser_p.h"

#include "qtsocketiologging_p.h"

#include <llhttp.h>

#include <utility>

// ---- QHttpHeaderList --------------------------------------------------------------------------------

static bool sameName(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

QByteArray QHttpHeaderList::value(QByteArrayView name) const
{
    for (const auto &header : m_headers) {
        if (sameName(header.first, name)) {
            // An empty value is still a value: keep it distinguishable from "absent".
            return header.second.isNull() ? QByteArray("", 0) : header.second;
        }
    }
    return QByteArray();
}

void QHttpHeaderList::set(const QByteArray &name, const QByteArray &value)
{
    qsizetype at = -1;
    for (qsizetype i = 0; i < m_headers.size();) {
        if (sameName(m_headers.at(i).first, name)) {
            if (at < 0) {
                at = i;
                m_headers[i] = {name, value};
                ++i;
            } else {
                m_headers.removeAt(i);
            }
        } else {
            ++i;
        }
    }
    if (at < 0)
        m_headers.append({name, value});
}

void QHttpHeaderList::remove(QByteArrayView name)
{
    m_headers.removeIf([name](const QPair<QByteArray, QByteArray> &header) {
        return sameName(header.first, name);
    });
}

// ---- QHttpRequest -----------------------------------------------------------------------------------

static int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
        return (c | 0x20) - 'a' + 10;
    return -1;
}

// Like Node's querystring: '+' is a space and %XX a byte; an invalid escape stays as it is.
static QByteArray decodeQueryComponent(QByteArrayView component)
{
    QByteArray decoded("", 0);  // not null: an empty value is present
    decoded.reserve(component.size());
    for (qsizetype i = 0; i < component.size(); ++i) {
        const char c = component.at(i);
        if (c == '+') {
            decoded.append(' ');
        } else if (c == '%' && i + 2 < component.size() && hexValue(component.at(i + 1)) >= 0
                   && hexValue(component.at(i + 2)) >= 0) {
            decoded.append(char(hexValue(component.at(i + 1)) * 16 + hexValue(component.at(i + 2))));
            i += 2;
        } else {
            decoded.append(c);
        }
    }
    return decoded;
}

QByteArray QHttpRequest::queryItem(QByteArrayView name) const
{
    const QByteArrayView all(query);
    qsizetype from = 0;
    while (from <= all.size()) {
        qsizetype end = all.indexOf('&', from);
        if (end < 0)
            end = all.size();
        const QByteArrayView pair = all.sliced(from, end - from);
        if (!pair.isEmpty()) {
            const qsizetype eq = pair.indexOf('=');
            const QByteArrayView key = eq < 0 ? pair : pair.first(eq);
            const QByteArrayView value = eq < 0 ? QByteArrayView() : pair.sliced(eq + 1);
            const bool plainKey = !key.contains('%') && !key.contains('+');
            if (plainKey ? key == name : decodeQueryComponent(key) == name)
                return decodeQueryComponent(value);
        }
        from = end + 1;
    }
    return QByteArray();
}

// ---- QHttpRequestParser -----------------------------------------------------------------------------

using Status = QHttpRequestParser::Status;

struct QHttpRequestParser::Private
{
    enum class State { Parsing, Done, Failed };
    enum class Pause { None, HeadersComplete, MessageComplete };

    llhttp_t parser;
    llhttp_settings_t settings;
    Limits limits;

    QHttpRequest request;
    QByteArray field;              // the header name being read (may arrive in pieces)
    QByteArray value;              // its value (may arrive in pieces)
    qsizetype headerCount = 0;     // headers and trailers seen
    qsizetype headRawBytes = 0;    // bytes of the head consumed so far (exact at HeadersComplete)
    qsizetype spanBytes = 0;       // bytes of URL / names / values reported by llhttp (an early bound)
    bool headersDone = false;

    State state = State::Parsing;
    Status doneStatus = Status::NeedMore;   // the final status in Done / Failed
    Pause pause = Pause::None;
    Status callbackFailure = Status::NeedMore;  // a limit or rule a callback enforced (NeedMore: none)
    const char *callbackReason = nullptr;
    QByteArray reason;

    Private();
    void start();
    Result finish(State newState, Status status, qsizetype consumed);
    Result fail(Status status, const QByteArray &why);
    int failInCallback(Status status, const char *why);
    int trackSpan(size_t length);

    static Private *self(llhttp_t *p) { return static_cast<Private *>(p->data); }

    static int onUrl(llhttp_t *p, const char *at, size_t length);
    static int onHeaderField(llhttp_t *p, const char *at, size_t length);
    static int onHeaderFieldComplete(llhttp_t *p);
    static int onHeaderValue(llhttp_t *p, const char *at, size_t length);
    static int onHeaderValueComplete(llhttp_t *p);
    static int onHeadersComplete(llhttp_t *p);
    static int onBody(llhttp_t *p, const char *at, size_t length);
    static int onMessageComplete(llhttp_t *p);
};

QHttpRequestParser::Private::Private()
{
    llhttp_settings_init(&settings);
    settings.on_url = &Private::onUrl;
    settings.on_header_field = &Private::onHeaderField;
    settings.on_header_field_complete = &Private::onHeaderFieldComplete;
    settings.on_header_value = &Private::onHeaderValue;
    settings.on_header_value_complete = &Private::onHeaderValueComplete;
    settings.on_headers_complete = &Private::onHeadersComplete;
    settings.on_body = &Private::onBody;
    settings.on_message_complete = &Private::onMessageComplete;
    start();
}

void QHttpRequestParser::Private::start()
{
    llhttp_init(&parser, HTTP_REQUEST, &settings);
    parser.data = this;
    request = QHttpRequest();
    field.clear();
    value.clear();
    headerCount = 0;
    headRawBytes = 0;
    spanBytes = 0;
    headersDone = false;
    state = State::Parsing;
    doneStatus = Status::NeedMore;
    pause = Pause::None;
    callbackFailure = Status::NeedMore;
    callbackReason = nullptr;
    reason.clear();
}

QHttpRequestParser::Result QHttpRequestParser::Private::finish(State newState, Status status,
                                                               qsizetype consumed)
{
    state = newState;
    doneStatus = status;
    return Result{status, consumed};
}

QHttpRequestParser::Result QHttpRequestParser::Private::fail(Status status, const QByteArray &why)
{
    reason = why;
    qCDebug(lcHttp) << "request rejected:" << why;
    return finish(State::Failed, status, 0);
}

int QHttpRequestParser::Private::failInCallback(Status status, const char *why)
{
    // llhttp replaces the reason of a failing llhttp_cb callback with its own, so keep ours here.
    callbackFailure = status;
    callbackReason = why;
    llhttp_set_error_reason(&parser, why);
    return HPE_USER;
}

int QHttpRequestParser::Private::trackSpan(size_t length)
{
    spanBytes += qsizetype(length);
    if (spanBytes > limits.maxHeaderBytes)
        return failInCallback(Status::HeadersTooLarge, "Header overflow");
    return HPE_OK;
}

int QHttpRequestParser::Private::onUrl(llhttp_t *p, const char *at, size_t length)
{
    Private *d = self(p);
    if (int rc = d->trackSpan(length))
        return rc;
    d->request.target.append(at, qsizetype(length));
    return HPE_OK;
}

int QHttpRequestParser::Private::onHeaderField(llhttp_t *p, const char *at, size_t length)
{
    Private *d = self(p);
    if (int rc = d->trackSpan(length))
        return rc;
    d->field.append(at, qsizetype(length));
    return HPE_OK;
}

// RFC 9110 token characters. llhttp (built without strict mode) lets a space inside or after a name pass.
static bool isTokenChar(uchar c)
{
    if (c >= '0' && c <= '9')
        return true;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

int QHttpRequestParser::Private::onHeaderFieldComplete(llhttp_t *p)
{
    Private *d = self(p);
    if (d->field.isEmpty())
        return d->failInCallback(Status::Error, "Invalid header token");
    for (char c : std::as_const(d->field)) {
        if (!isTokenChar(uchar(c)))
            return d->failInCallback(Status::Error, "Invalid header token");
    }
    if (++d->headerCount > d->limits.maxHeaderCount)
        return d->failInCallback(Status::HeadersTooLarge, "Too many headers");
    return HPE_OK;
}

int QHttpRequestParser::Private::onHeaderValue(llhttp_t *p, const char *at, size_t length)
{
    Private *d = self(p);
    if (int rc = d->trackSpan(length))
        return rc;
    d->value.append(at, qsizetype(length));
    return HPE_OK;
}

int QHttpRequestParser::Private::onHeaderValueComplete(llhttp_t *p)
{
    Private *d = self(p);
    if (!d->headersDone) {  // trailers of a chunked body are counted, not kept
        // llhttp drops the whitespace before a value but keeps the whitespace after it.
        qsizetype size = d->value.size();
        while (size > 0 && (d->value.at(size - 1) == ' ' || d->value.at(size - 1) == '\t'))
            --size;
        d->value.truncate(size);
        d->request.headers.append(d->field, d->value.isNull() ? QByteArray("", 0) : d->value);
    }
    d->field.clear();
    d->value.clear();
    return HPE_OK;
}

int QHttpRequestParser::Private::onHeadersComplete(llhttp_t *p)
{
    Private *d = self(p);
    QHttpRequest &r = d->request;
    d->headersDone = true;
    r.method = QByteArray(llhttp_method_name(llhttp_method_t(llhttp_get_method(p))));
    r.versionMajor = llhttp_get_http_major(p);
    r.versionMinor = llhttp_get_http_minor(p);
    const qsizetype question = r.target.indexOf('?');
    if (question < 0) {
        r.path = r.target;
        r.query.clear();
    } else {
        r.path = r.target.first(question);
        r.query = r.target.sliced(question + 1);
    }
    r.keepAlive = llhttp_should_keep_alive(p) != 0;
    // Pause so that feed() learns where the head ends: it checks the size limits there, and stops for an
    // upgrade before any byte of the new protocol.
    d->pause = Pause::HeadersComplete;
    return HPE_PAUSED;
}

int QHttpRequestParser::Private::onBody(llhttp_t *p, const char *at, size_t length)
{
    Private *d = self(p);
    if (d->request.body.size() + qsizetype(length) > d->limits.maxBodyBytes)
        return d->failInCallback(Status::BodyTooLarge, "Request body too large");
    d->request.body.append(at, qsizetype(length));
    return HPE_OK;
}

int QHttpRequestParser::Private::onMessageComplete(llhttp_t *p)
{
    Private *d = self(p);
    d->request.keepAlive = llhttp_should_keep_alive(p) != 0;
    // Stop here: bytes after this belong to the next request (pipelining) and are not consumed.
    d->pause = Pause::MessageComplete;
    return HPE_PAUSED;
}

QHttpRequestParser::QHttpRequestParser() : d(std::make_unique<Private>()) { }

QHttpRequestParser::QHttpRequestParser(const Limits &limits) : QHttpRequestParser()
{
    d->limits = limits;
}

QHttpRequestParser::~QHttpRequestParser() = default;

void QHttpRequestParser::setLimits(const Limits &limits)
{
    d->limits = limits;
}

QHttpRequestParser::Limits QHttpRequestParser::limits() const
{
    return d->limits;
}

QHttpRequestParser::Result QHttpRequestParser::feed(QByteArrayView data)
{
    if (d->state != Private::State::Parsing)
        return Result{d->doneStatus, 0};
    if (data.isEmpty())
        return Result{Status::NeedMore, 0};

    const char *const begin = data.data();
    const char *const end = begin + data.size();
    const char *p = begin;
    for (;;) {
        d->pause = Private::Pause::None;
        const llhttp_errno_t err = llhttp_execute(&d->parser, p, size_t(end - p));

        if (err == HPE_OK) {
            if (!d->headersDone) {
                d->headRawBytes += end - p;
                if (d->headRawBytes > d->limits.maxHeaderBytes)
                    return d->fail(Status::HeadersTooLarge, QByteArrayLiteral("Header overflow"));
            }
            return Result{Status::NeedMore, data.size()};
        }

        if (err == HPE_PAUSED && d->pause == Private::Pause::HeadersComplete) {
            const char *const pos = llhttp_get_error_pos(&d->parser);
            d->headRawBytes += pos - p;
            if (d->headRawBytes > d->limits.maxHeaderBytes)
                return d->fail(Status::HeadersTooLarge, QByteArrayLiteral("Header overflow"));
            if (d->parser.upgrade) {
                if (d->parser.method == HTTP_CONNECT) {
                    // A tunnel request: no body, and nothing we serve. Report it as a complete message the
                    // server answers with an error; the connection cannot carry on after it.
                    d->request.keepAlive = false;
                    return d->finish(Private::State::Done, Status::MessageComplete, pos - begin);
                }
                d->request.upgrade = true;
                return d->finish(Private::State::Done, Status::HeadersComplete, pos - begin);
            }
            if ((d->parser.flags & F_CONTENT_LENGTH)
                && d->parser.content_length > quint64(d->limits.maxBodyBytes)) {
                return d->fail(Status::BodyTooLarge, QByteArrayLiteral("Request body too large"));
            }
            llhttp_resume(&d->parser);
            p = pos;
            continue;  // with the body (and, without a body, to on_message_complete at once)
        }

        if (err == HPE_PAUSED && d->pause == Private::Pause::MessageComplete) {
            const char *const pos = llhttp_get_error_pos(&d->parser);
            return d->finish(Private::State::Done, Status::MessageComplete, pos - begin);
        }

        if (d->callbackFailure != Status::NeedMore)
            return d->fail(d->callbackFailure, QByteArray(d->callbackReason));
        const char *why = llhttp_get_error_reason(&d->parser);
        return d->fail(Status::Error, why ? QByteArray(why) : QByteArray(llhttp_errno_name(err)));
    }
}

bool QHttpRequestParser::headersComplete() const
{
    return d->headersDone;
}

const QHttpRequest &QHttpRequestParser::request() const
{
    return d->request;
}

QHttpRequest QHttpRequestParser::takeRequest()
{
    return std::exchange(d->request, QHttpRequest());
}

QByteArray QHttpRequestParser::errorReason() const
{
    return d->reason;
}

void QHttpRequestParser::reset()
{
    d->start();
}
