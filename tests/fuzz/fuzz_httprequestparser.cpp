// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Parses the input as a stream of pipelined requests twice: in one feed, and in pieces whose sizes the
// first input byte chooses. Both must see the same requests and stop at the same offsets; a failure
// (of any kind) must happen in both.

#include "engine/codec/qhttprequestparser_p.h"

#include <cstdlib>

using Status = QHttpRequestParser::Status;

static void check(bool condition)
{
    if (!condition)
        std::abort();
}

namespace {

struct Event
{
    Status status;
    qsizetype end;  // offset in the stream where the request ended
    QHttpRequest request;
};

bool isFailure(Status status)
{
    return status == Status::Error || status == Status::HeadersTooLarge || status == Status::BodyTooLarge;
}

QList<Event> parseStream(QByteArrayView stream, qsizetype piece)
{
    QHttpRequestParser::Limits limits;
    limits.maxHeaderBytes = 512;
    limits.maxHeaderCount = 16;
    limits.maxBodyBytes = 256;
    QHttpRequestParser parser(limits);

    QList<Event> events;
    qsizetype offset = 0;
    while (offset < stream.size()) {
        const qsizetype size = qMin(piece, stream.size() - offset);
        const auto result = parser.feed(stream.sliced(offset, size));
        check(result.consumed >= 0 && result.consumed <= size);
        if (result.status == Status::NeedMore) {
            check(result.consumed == size);
            offset += size;
            continue;
        }
        if (isFailure(result.status)) {
            check(!parser.errorReason().isEmpty());
            check(parser.feed(stream.sliced(offset)).status == result.status);  // sticky
            events.append({result.status, -1, {}});
            return events;
        }
        offset += result.consumed;
        const QHttpRequest &request = parser.request();
        check(parser.headersComplete());
        check(request.body.size() <= limits.maxBodyBytes);
        check(request.headers.size() <= limits.maxHeaderCount);
        check(request.upgrade == (result.status == Status::HeadersComplete));
        check(request.target.startsWith(request.path));
        events.append({result.status, offset, parser.takeRequest()});
        if (result.status == Status::HeadersComplete)
            return events;  // the rest belongs to another protocol
        parser.reset();
    }
    return events;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const qsizetype piece = qsizetype(data[0] % 16) + 1;
    const QByteArrayView stream(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    const QList<Event> whole = parseStream(stream, stream.size() ? stream.size() : 1);
    const QList<Event> pieces = parseStream(stream, piece);
    check(whole.size() == pieces.size());
    for (qsizetype i = 0; i < whole.size(); ++i) {
        const Event &a = whole.at(i);
        const Event &b = pieces.at(i);
        if (isFailure(a.status) || isFailure(b.status)) {
            check(isFailure(a.status) && isFailure(b.status));
            continue;
        }
        check(a.status == b.status && a.end == b.end);
        check(a.request.method == b.request.method && a.request.target == b.request.target);
        check(a.request.headers.list() == b.request.headers.list());
        check(a.request.body == b.request.body && a.request.keepAlive == b.request.keepAlive);
    }
    return 0;
}
