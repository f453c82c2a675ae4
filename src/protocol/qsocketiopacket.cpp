// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qsocketiopacket_p.h"

#include "qtsocketiologging_p.h"
#include "qtsocketioutf8_p.h"

#include <QtCore/qassociativeiterable.h>
#include <QtCore/qhash.h>
#include <QtCore/qjsonarray.h>
#include <QtCore/qjsondocument.h>
#include <QtCore/qjsonobject.h>
#include <QtCore/qjsonvalue.h>
#include <QtCore/qmap.h>
#include <QtCore/qsequentialiterable.h>
#include <QtCore/qstringlist.h>

#include <charconv>
#include <cmath>
#include <limits>

namespace QSocketIoProtocol {

namespace {

// The value a QVariant holds, read in place: no copy, no atomic reference count (the caller checked the type).
template <typename T>
const T &held(const QVariant &value)
{
    return *static_cast<const T *>(value.constData());
}

// 2^53: below it every integral double is printed exactly as an integer, as JavaScript does.
constexpr double MaxExactInteger = 9007199254740992.0;

void appendNull(QByteArray &out)
{
    out.append("null", 4);
}

void appendSigned(QByteArray &out, qint64 value)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr - buffer);
}

void appendUnsigned(QByteArray &out, quint64 value)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr - buffer);
}

// Lays out a number given in scientific form with its shortest round-trip digits ("-d.ddde+xx", as
// std::to_chars writes it) the way ECMAScript's Number::toString does, which is what JSON.stringify prints.
void appendJsNumber(QByteArray &out, const char *first, const char *last)
{
    if (first < last && *first == '-') {
        out.append('-');
        ++first;
    }
    char digits[40];
    int k = 0;   // number of significant digits
    const char *p = first;
    for (; p < last && *p != 'e'; ++p) {
        if (*p != '.' && k < int(sizeof digits))
            digits[k++] = *p;
    }
    int exponent = 0;
    if (p < last) {
        ++p;   // 'e'
        if (p < last && *p == '+')
            ++p;   // std::from_chars takes no '+'
        std::from_chars(p, last, exponent);
    }
    // ECMAScript's n: the value is 0.d1d2...dk * 10^n.
    const int n = exponent + 1;
    if (k <= n && n <= 21) {
        out.append(digits, k);
        out.append(qsizetype(n - k), '0');
    } else if (0 < n && n <= 21) {
        out.append(digits, n);
        out.append('.');
        out.append(digits + n, k - n);
    } else if (-6 < n && n <= 0) {
        out.append("0.", 2);
        out.append(qsizetype(-n), '0');
        out.append(digits, k);
    } else {
        out.append(digits[0]);
        if (k > 1) {
            out.append('.');
            out.append(digits + 1, k - 1);
        }
        out.append('e');
        out.append(n - 1 < 0 ? '-' : '+');
        appendSigned(out, std::abs(n - 1));
    }
}

template <typename Float>
void appendFloatingPoint(QByteArray &out, Float value)
{
    if (!std::isfinite(value)) {
        appendNull(out);   // as JSON.stringify writes NaN and Infinity
        return;
    }
    if (std::trunc(value) == value && std::fabs(double(value)) < MaxExactInteger) {
        appendSigned(out, qint64(value));   // 1.0 -> "1", -0.0 -> "0"
        return;
    }
    char buffer[48];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    appendJsNumber(out, buffer, result.ptr);
}

// JSON.stringify's two-character escapes; 0 when the character has none.
char shortEscape(char16_t c)
{
    switch (c) {
    case u'"': return '"';
    case u'\\': return '\\';
    case u'\b': return 'b';
    case u'\f': return 'f';
    case u'\n': return 'n';
    case u'\r': return 'r';
    case u'\t': return 't';
    default: return 0;
    }
}

// A JSON string as JSON.stringify writes it (ES2019 "well-formed" form), in UTF-8: '"' and '\\' escaped,
// control characters as \b \f \n \r \t or \u00xx, lone surrogates as \udxxx, everything else raw.
void appendString(QByteArray &out, QStringView text)
{
    static constexpr char hex[] = "0123456789abcdef";
    const char16_t *units = text.utf16();
    const qsizetype count = text.size();

    // First pass: the exact output size, so that the second pass writes through a plain pointer.
    qsizetype length = 2;
    for (qsizetype i = 0; i < count; ++i) {
        const char16_t c = units[i];
        if (c < 0x80) {
            if (shortEscape(c))
                length += 2;
            else
                length += c < 0x20 ? 6 : 1;
        } else if (c < 0x800) {
            length += 2;
        } else if (QChar::isHighSurrogate(c) && i + 1 < count && QChar::isLowSurrogate(units[i + 1])) {
            length += 4;
            ++i;
        } else if (QChar::isSurrogate(c)) {
            length += 6;
        } else {
            length += 3;
        }
    }

    const qsizetype start = out.size();
    out.resize(start + length);
    char *p = out.data() + start;
    *p++ = '"';
    for (qsizetype i = 0; i < count; ++i) {
        const char16_t c = units[i];
        if (c < 0x80) {
            if (const char e = shortEscape(c)) {
                *p++ = '\\';
                *p++ = e;
            } else if (c < 0x20) {
                *p++ = '\\';
                *p++ = 'u';
                *p++ = '0';
                *p++ = '0';
                *p++ = hex[c >> 4];
                *p++ = hex[c & 0xf];
            } else {
                *p++ = char(c);
            }
        } else if (c < 0x800) {
            *p++ = char(0xc0 | (c >> 6));
            *p++ = char(0x80 | (c & 0x3f));
        } else if (QChar::isHighSurrogate(c) && i + 1 < count && QChar::isLowSurrogate(units[i + 1])) {
            const char32_t ucs4 = QChar::surrogateToUcs4(c, units[++i]);
            *p++ = char(0xf0 | (ucs4 >> 18));
            *p++ = char(0x80 | ((ucs4 >> 12) & 0x3f));
            *p++ = char(0x80 | ((ucs4 >> 6) & 0x3f));
            *p++ = char(0x80 | (ucs4 & 0x3f));
        } else if (QChar::isSurrogate(c)) {
            *p++ = '\\';
            *p++ = 'u';
            *p++ = hex[(c >> 12) & 0xf];
            *p++ = hex[(c >> 8) & 0xf];
            *p++ = hex[(c >> 4) & 0xf];
            *p++ = hex[c & 0xf];
        } else {
            *p++ = char(0xe0 | (c >> 12));
            *p++ = char(0x80 | ((c >> 6) & 0x3f));
            *p++ = char(0x80 | (c & 0x3f));
        }
    }
    *p++ = '"';
    Q_ASSERT(p == out.constData() + out.size());
}

bool isJsonNull(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
        return true;
    case QMetaType::QJsonValue:
        return held<QJsonValue>(value).isNull() || held<QJsonValue>(value).isUndefined();
    case QMetaType::QJsonDocument:
        return held<QJsonDocument>(value).isNull();
    default:
        return false;
    }
}

// Compact JSON straight from QVariant into one growing QByteArray.
class JsonWriter
{
public:
    JsonWriter(QByteArray &out, QList<QByteArray> *attachments) : m_out(out), m_attachments(attachments) { }

    void write(const QVariant &value)
    {
        switch (value.typeId()) {
        case QMetaType::UnknownType:
        case QMetaType::Nullptr:
            appendNull(m_out);
            return;
        case QMetaType::Bool:
            writeBool(held<bool>(value));
            return;
        case QMetaType::Int:
        case QMetaType::Short:
        case QMetaType::SChar:
        case QMetaType::Char:
        case QMetaType::Long:
        case QMetaType::LongLong:
            appendSigned(m_out, value.toLongLong());
            return;
        case QMetaType::UInt:
        case QMetaType::UShort:
        case QMetaType::UChar:
        case QMetaType::ULong:
        case QMetaType::ULongLong:
            appendUnsigned(m_out, value.toULongLong());
            return;
        case QMetaType::Double:
            appendFloatingPoint(m_out, held<double>(value));
            return;
        case QMetaType::Float:
            appendFloatingPoint(m_out, held<float>(value));
            return;
        case QMetaType::QString:
            appendString(m_out, held<QString>(value));
            return;
        case QMetaType::QByteArray:
            writeBinary(held<QByteArray>(value));
            return;
        case QMetaType::QStringList:
            writeStringList(held<QStringList>(value));
            return;
        case QMetaType::QVariantList:
            writeList(held<QVariantList>(value));
            return;
        case QMetaType::QVariantMap:
            writeMap(held<QVariantMap>(value));
            return;
        case QMetaType::QVariantHash:
            writeMap(held<QVariantHash>(value));
            return;
        case QMetaType::QJsonValue:
            write(held<QJsonValue>(value));
            return;
        case QMetaType::QJsonArray:
            write(held<QJsonArray>(value));
            return;
        case QMetaType::QJsonObject:
            write(held<QJsonObject>(value));
            return;
        case QMetaType::QJsonDocument: {
            const QJsonDocument &document = held<QJsonDocument>(value);
            if (document.isArray())
                write(document.array());
            else if (document.isObject())
                write(document.object());
            else
                appendNull(m_out);
            return;
        }
        default:
            writeOther(value);
            return;
        }
    }

    void write(const QJsonValue &value)
    {
        switch (value.type()) {
        case QJsonValue::Null:
        case QJsonValue::Undefined:
            appendNull(m_out);
            return;
        case QJsonValue::Bool:
            writeBool(value.toBool());
            return;
        case QJsonValue::Double: {
            // QJsonValue keeps integers as qint64: print those exactly.
            const QVariant number = value.toVariant();
            if (number.typeId() == QMetaType::LongLong)
                appendSigned(m_out, held<qlonglong>(number));
            else
                appendFloatingPoint(m_out, value.toDouble());
            return;
        }
        case QJsonValue::String:
            appendString(m_out, value.toString());
            return;
        case QJsonValue::Array:
            write(value.toArray());
            return;
        case QJsonValue::Object:
            write(value.toObject());
            return;
        }
        appendNull(m_out);
    }

    void write(const QJsonArray &array)
    {
        m_out.append('[');
        const qsizetype count = array.size();
        for (qsizetype i = 0; i < count; ++i) {
            if (i)
                m_out.append(',');
            write(array.at(i));
        }
        m_out.append(']');
    }

    void write(const QJsonObject &object)
    {
        m_out.append('{');
        bool first = true;
        for (auto it = object.constBegin(), end = object.constEnd(); it != end; ++it) {
            if (!first)
                m_out.append(',');
            first = false;
            appendString(m_out, it.key());
            m_out.append(':');
            write(QJsonValue(it.value()));
        }
        m_out.append('}');
    }

private:
    void writeBool(bool value)
    {
        if (value)
            m_out.append("true", 4);
        else
            m_out.append("false", 5);
    }

    void writeBinary(const QByteArray &bytes)
    {
        if (!m_attachments) {
            appendNull(m_out);
            return;
        }
        m_out.append("{\"_placeholder\":true,\"num\":");
        appendSigned(m_out, m_attachments->size());
        m_out.append('}');
        m_attachments->append(bytes);   // implicitly shared: no copy of the bytes
    }

    void writeList(const QVariantList &list)
    {
        m_out.append('[');
        bool first = true;
        for (const QVariant &item : list) {
            if (!first)
                m_out.append(',');
            first = false;
            write(item);
        }
        m_out.append(']');
    }

    void writeStringList(const QStringList &list)
    {
        m_out.append('[');
        bool first = true;
        for (const QString &item : list) {
            if (!first)
                m_out.append(',');
            first = false;
            appendString(m_out, item);
        }
        m_out.append(']');
    }

    template <typename Map>
    void writeMap(const Map &map)
    {
        m_out.append('{');
        bool first = true;
        for (auto it = map.constBegin(), end = map.constEnd(); it != end; ++it) {
            if (!first)
                m_out.append(',');
            first = false;
            appendString(m_out, it.key());
            m_out.append(':');
            write(it.value());
        }
        m_out.append('}');
    }

    // Other registered containers (QList<int>, QMap<QString, int>, QByteArrayList...) as arrays and objects;
    // anything convertible to QString (QUrl, QUuid, QDateTime...) as a string; the rest as null.
    void writeOther(const QVariant &value)
    {
        if (value.canConvert<QAssociativeIterable>()) {
            const QAssociativeIterable iterable = value.value<QAssociativeIterable>();
            m_out.append('{');
            bool first = true;
            for (auto it = iterable.begin(), end = iterable.end(); it != end; ++it) {
                if (!first)
                    m_out.append(',');
                first = false;
                appendString(m_out, it.key().toString());
                m_out.append(':');
                write(it.value());
            }
            m_out.append('}');
        } else if (value.canConvert<QSequentialIterable>()) {
            const QSequentialIterable iterable = value.value<QSequentialIterable>();
            m_out.append('[');
            bool first = true;
            for (const QVariant &item : iterable) {
                if (!first)
                    m_out.append(',');
                first = false;
                write(item);
            }
            m_out.append(']');
        } else if (value.canConvert<QString>()) {
            appendString(m_out, value.toString());
        } else {
            appendNull(m_out);
        }
    }

    QByteArray &m_out;
    QList<QByteArray> *m_attachments;
};

// ---- decoding ----

// The names socket.io-parser refuses as event names.
bool isReservedEventName(const QString &name)
{
    static constexpr QLatin1String reserved[] = {
        QLatin1String("connect"),    QLatin1String("connect_error"), QLatin1String("disconnect"),
        QLatin1String("disconnecting"), QLatin1String("newListener"), QLatin1String("removeListener"),
    };
    for (const QLatin1String &r : reserved) {
        if (name == r)
            return true;
    }
    return false;
}

constexpr bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isBinaryType(PacketType type)
{
    return type == PacketType::BinaryEvent || type == PacketType::BinaryAck;
}

bool isEventType(PacketType type)
{
    return type == PacketType::Event || type == PacketType::BinaryEvent;
}

bool isAckType(PacketType type)
{
    return type == PacketType::Ack || type == PacketType::BinaryAck;
}

// Parses the JSON part of a packet. QJsonDocument takes only an object or an array at the top, so a string
// (which only CONNECT_ERROR may carry) is parsed inside an array. The JSON must start right after the header:
// socket.io-parser would read a space there as part of the ack id ("2 [...]" has id 0), so refuse it rather
// than guess. Trailing whitespace is fine, as for JSON.parse.
bool parsePayload(QByteArrayView payload, bool allowString, QJsonValue *value, QString *error)
{
    // Qt 6.4 would drop a leading U+FEFF of a string or key parsed without an escape (qtsocketioutf8_p.h).
    const QByteArray escaped = QtSocketIoPrivate::escapeByteOrderMarks(payload);
    if (!escaped.isNull())
        payload = escaped;
    const char first = payload.isEmpty() ? '\0' : payload.front();
    QJsonParseError parseError;
    if (first == '{' || first == '[') {
        const QJsonDocument document =
                QJsonDocument::fromJson(QByteArray::fromRawData(payload.data(), payload.size()), &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            *error = QStringLiteral("invalid JSON payload: %1 at offset %2")
                             .arg(parseError.errorString())
                             .arg(parseError.offset);
            return false;
        }
        *value = document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
        return true;
    }
    if (first == '"' && allowString) {
        QByteArray wrapped;
        wrapped.reserve(payload.size() + 2);
        wrapped.append('[');
        wrapped.append(payload.data(), payload.size());
        wrapped.append(']');
        const QJsonDocument document = QJsonDocument::fromJson(wrapped, &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isArray() || document.array().size() != 1
            || !document.array().at(0).isString()) {
            *error = QStringLiteral("invalid JSON string payload");
            return false;
        }
        *value = document.array().at(0);
        return true;
    }
    *error = QStringLiteral("invalid payload: not a JSON object or array right after the header");
    return false;
}

// socket.io-parser's isPayloadValid(), for a payload that is present. Returns why it is not valid, or a
// null string.
QString checkPayload(PacketType type, const QJsonValue &payload)
{
    switch (type) {
    case PacketType::Connect:
        if (!payload.isObject())
            return QStringLiteral("invalid payload: a CONNECT payload must be an object");
        break;
    case PacketType::Disconnect:
        return QStringLiteral("invalid payload: a DISCONNECT packet has no payload");
    case PacketType::ConnectError:
        if (!payload.isObject() && !payload.isString())
            return QStringLiteral("invalid payload: a CONNECT_ERROR payload must be an object or a string");
        break;
    case PacketType::Event:
    case PacketType::BinaryEvent: {
        if (!payload.isArray())
            return QStringLiteral("invalid payload: an EVENT payload must be an array");
        const QJsonArray array = payload.toArray();
        if (array.isEmpty())
            return QStringLiteral("invalid payload: an EVENT payload must not be empty");
        const QJsonValue name = array.at(0);
        if (name.isString()) {
            if (isReservedEventName(name.toString()))
                return QStringLiteral("invalid payload: \"%1\" is a reserved event name").arg(name.toString());
        } else if (!name.isDouble()) {
            return QStringLiteral("invalid payload: the event name must be a string or a number");
        }
        break;
    }
    case PacketType::Ack:
    case PacketType::BinaryAck:
        if (!payload.isArray())
            return QStringLiteral("invalid payload: an ACK payload must be an array");
        break;
    }
    return QString();
}

// An object with "_placeholder": true stands for an attachment (socket.io-parser tests only that key).
bool isPlaceholder(const QJsonObject &object)
{
    const auto it = object.constFind(QLatin1String("_placeholder"));
    return it != object.constEnd() && it.value().isBool() && it.value().toBool();
}

// The attachment index of a placeholder, or -1 when "num" is not an integer in [0, count).
int placeholderIndex(const QJsonObject &object, int count)
{
    const QJsonValue num = object.value(QLatin1String("num"));
    if (!num.isDouble())
        return -1;
    const double index = num.toDouble();
    if (!(index >= 0 && index < count) || std::trunc(index) != index)
        return -1;
    return int(index);
}

// Every placeholder must name an attachment, and no attachment may be named twice: a reused index would let a
// client multiply one attachment in what the server decodes (and sends on).
bool placeholdersValid(const QJsonValue &value, int count, QList<bool> *seen)
{
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0, n = array.size(); i < n; ++i) {
            if (!placeholdersValid(array.at(i), count, seen))
                return false;
        }
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (isPlaceholder(object)) {
            const int index = placeholderIndex(object, count);
            if (index < 0 || seen->at(index))
                return false;
            (*seen)[index] = true;
            return true;
        }
        for (auto it = object.constBegin(), end = object.constEnd(); it != end; ++it) {
            if (!placeholdersValid(QJsonValue(it.value()), count, seen))
                return false;
        }
    }
    return true;
}

// JSON to QVariant: null -> invalid QVariant, integers -> qlonglong, other numbers -> double, objects ->
// QVariantMap, arrays -> QVariantList; with attachments, placeholders -> the QByteArray they stand for.
QVariant toVariant(const QJsonValue &value, const QList<QByteArray> *attachments)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QVariant();
    case QJsonValue::Bool:
        return QVariant(value.toBool());
    case QJsonValue::Double:
        return value.toVariant();
    case QJsonValue::String:
        return QVariant(value.toString());
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        QVariantList list;
        list.reserve(array.size());
        for (qsizetype i = 0, n = array.size(); i < n; ++i)
            list.append(toVariant(array.at(i), attachments));
        return QVariant(std::move(list));
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        if (attachments && isPlaceholder(object)) {
            const int index = placeholderIndex(object, int(attachments->size()));
            Q_ASSERT(index >= 0);   // checked by placeholdersValid() when the text arrived
            return index >= 0 ? QVariant(attachments->at(index)) : QVariant();
        }
        QVariantMap map;
        for (auto it = object.constBegin(), end = object.constEnd(); it != end; ++it)
            map.insert(it.key(), toVariant(QJsonValue(it.value()), attachments));
        return QVariant(std::move(map));
    }
    }
    return QVariant();
}

// The packet's data: an event's name becomes a QString even when sent as a number, the way Node's
// EventEmitter turns it into a property key.
QVariant packetData(PacketType type, const QJsonValue &payload, const QList<QByteArray> *attachments)
{
    QVariant data = toVariant(payload, attachments);
    if (isEventType(type) && data.typeId() == QMetaType::QVariantList) {
        QVariantList &list = *static_cast<QVariantList *>(data.data());
        if (!list.isEmpty() && list.first().typeId() != QMetaType::QString) {
            QByteArray name;
            appendFloatingPoint(name, payload.toArray().at(0).toDouble());
            list.first() = QString::fromLatin1(name);
        }
    }
    return data;
}

} // namespace

QByteArray toJson(const QVariant &value, QList<QByteArray> *attachments)
{
    QByteArray out;
    out.reserve(64);
    JsonWriter(out, attachments).write(value);
    return out;
}

bool hasBinary(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QByteArray:
        return true;
    case QMetaType::QVariantList:
        for (const QVariant &item : held<QVariantList>(value)) {
            if (hasBinary(item))
                return true;
        }
        return false;
    case QMetaType::QVariantMap:
        for (const QVariant &item : held<QVariantMap>(value)) {
            if (hasBinary(item))
                return true;
        }
        return false;
    case QMetaType::QVariantHash:
        for (const QVariant &item : held<QVariantHash>(value)) {
            if (hasBinary(item))
                return true;
        }
        return false;
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
    case QMetaType::Bool:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Double:
    case QMetaType::Float:
    case QMetaType::QString:
    case QMetaType::QStringList:
    case QMetaType::QJsonValue:
    case QMetaType::QJsonArray:
    case QMetaType::QJsonObject:
    case QMetaType::QJsonDocument:
        return false;
    default:
        break;
    }
    // Other containers, as JsonWriter::writeOther() writes them.
    if (value.canConvert<QAssociativeIterable>()) {
        const QAssociativeIterable iterable = value.value<QAssociativeIterable>();
        for (auto it = iterable.begin(), end = iterable.end(); it != end; ++it) {
            if (hasBinary(it.value()))
                return true;
        }
    } else if (value.canConvert<QSequentialIterable>()) {
        const QSequentialIterable iterable = value.value<QSequentialIterable>();
        for (const QVariant &item : iterable) {
            if (hasBinary(item))
                return true;
        }
    }
    return false;
}

EncodedPacket encode(const Packet &packet)
{
    EncodedPacket result;
    QByteArray &out = result.text;

    // Written as the plain type first; turned into the binary type below if attachments turn up.
    PacketType type = packet.type;
    if (type == PacketType::BinaryEvent)
        type = PacketType::Event;
    else if (type == PacketType::BinaryAck)
        type = PacketType::Ack;
    const bool mayCarryBinary = type == PacketType::Event || type == PacketType::Ack;

    const bool defaultNamespace = packet.nsp.isEmpty() || packet.nsp == QLatin1String("/");
    out.reserve(64 + (defaultNamespace ? 0 : packet.nsp.size() * 3));
    out.append(char('0' + int(type)));
    if (!defaultNamespace) {
        out.append(packet.nsp.toUtf8());
        out.append(',');
    }
    if (packet.id >= 0)
        appendSigned(out, packet.id);
    if (type != PacketType::Disconnect && !isJsonNull(packet.data))
        JsonWriter(out, mayCarryBinary ? &result.attachments : nullptr).write(packet.data);

    if (!result.attachments.isEmpty()) {
        out[0] = type == PacketType::Event ? '5' : '6';
        QByteArray count;
        appendSigned(count, result.attachments.size());
        count.append('-');
        out.insert(1, count);
    }
    return result;
}

Decoder::Status Decoder::addText(QByteArrayView message)
{
    if (m_expected > 0)
        return fail(QStringLiteral("got a text message while a binary packet waits for its attachments"));
    m_packet = Packet();
    m_raw.clear();
    m_attachments.clear();

    const char *text = message.data();
    const qsizetype size = message.size();
    if (size == 0)
        return fail(QStringLiteral("empty packet"));
    if (text[0] < '0' || text[0] > '6')
        return fail(QStringLiteral("unknown packet type"));
    Packet packet;
    packet.type = PacketType(text[0] - '0');
    qsizetype i = 1;

    // <attachments>- for the binary types
    int attachments = 0;
    if (isBinaryType(packet.type)) {
        const qsizetype start = i;
        qint64 count = 0;
        while (i < size && isDigit(text[i])) {
            count = count * 10 + (text[i] - '0');
            if (count > m_limits.maxAttachments)
                return fail(QStringLiteral("too many attachments (the limit is %1)").arg(m_limits.maxAttachments));
            ++i;
        }
        if (i == start || i == size || text[i] != '-' || count < 1)
            return fail(QStringLiteral("illegal attachment count"));
        attachments = int(count);
        ++i;
    }

    // <nsp>, up to the comma or the end of the message, as socket.io-parser reads it
    if (i < size && text[i] == '/') {
        const qsizetype start = i;
        while (i < size && text[i] != ',')
            ++i;
        packet.nsp = QString::fromUtf8(text + start, i - start);
        if (i < size)
            ++i;   // the comma
    }

    // <ackId>
    if (i < size && isDigit(text[i])) {
        qint64 id = 0;
        while (i < size && isDigit(text[i])) {
            const int digit = text[i] - '0';
            if (id > (std::numeric_limits<qint64>::max() - digit) / 10)
                return fail(QStringLiteral("ack id out of range"));
            id = id * 10 + digit;
            ++i;
        }
        packet.id = id;
    }
    if (isAckType(packet.type) && packet.id < 0)
        return fail(QStringLiteral("an ACK packet needs an id"));

    // <JSON>
    const QByteArrayView payload = message.sliced(i);
    QJsonValue json;
    if (payload.isEmpty()) {
        if (isEventType(packet.type) || isAckType(packet.type))
            return fail(QStringLiteral("missing payload"));
    } else {
        if (packet.type == PacketType::Disconnect)
            return fail(QStringLiteral("invalid payload: a DISCONNECT packet has no payload"));
        QString why;
        if (!parsePayload(payload, packet.type == PacketType::ConnectError, &json, &why))
            return fail(why);
        why = checkPayload(packet.type, json);
        if (!why.isNull())
            return fail(why);
    }

    if (attachments > 0) {
        QList<bool> seen(attachments, false);
        if (!placeholdersValid(json, attachments, &seen))
            return fail(QStringLiteral("illegal attachments: a placeholder's num is not an unused index below %1")
                                .arg(attachments));
        m_packet = std::move(packet);
        m_raw = QVariant::fromValue(json);
        m_expected = attachments;
        return Status::NeedAttachments;
    }
    packet.data = packetData(packet.type, json, nullptr);
    m_packet = std::move(packet);
    return Status::Complete;
}

Decoder::Status Decoder::addBinary(const QByteArray &message)
{
    if (m_expected == 0)
        return fail(QStringLiteral("got binary data while no binary packet waits for attachments"));
    m_attachments.append(message);
    if (m_attachments.size() < m_expected)
        return Status::NeedAttachments;
    m_packet.data = packetData(m_packet.type, m_raw.value<QJsonValue>(), &m_attachments);
    m_raw.clear();
    m_attachments.clear();
    m_expected = 0;
    return Status::Complete;
}

Packet Decoder::takePacket()
{
    Packet packet = std::move(m_packet);
    m_packet = Packet();
    return packet;
}

void Decoder::reset()
{
    m_packet = Packet();
    m_raw.clear();
    m_attachments.clear();
    m_expected = 0;
    m_error.clear();
}

Decoder::Status Decoder::fail(const QString &why)
{
    m_packet = Packet();
    m_raw.clear();
    m_attachments.clear();
    m_expected = 0;
    m_error = why;
    qCDebug(lcProtocol) << "cannot decode packet:" << why;
    return Status::Error;
}

} // namespace QSocketIoProtocol
