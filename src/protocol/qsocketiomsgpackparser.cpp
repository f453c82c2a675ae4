// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "protocol/qsocketiomsgpackparser_p.h"

#include "qtsocketiologging_p.h"
#include "qtsocketioutf8_p.h"

#include <QtCore/qassociativeiterable.h>
#include <QtCore/qdatetime.h>
#include <QtCore/qjsonarray.h>
#include <QtCore/qjsondocument.h>
#include <QtCore/qjsonobject.h>
#include <QtCore/qjsonvalue.h>
#include <QtCore/qlocale.h>
#include <QtCore/qsequentialiterable.h>

#include <msgpack.hpp>

#include <cmath>
#include <exception>
#include <limits>
#include <vector>

namespace QSocketIoProtocol {

namespace {

// ---- encoding ----

// msgpack::packer's stream, writing into one growing QByteArray.
struct ByteArraySink
{
    QByteArray &out;
    void write(const char *data, size_t size) { out.append(data, qsizetype(size)); }
};

using Packer = msgpack::packer<ByteArraySink>;

template <typename T>
const T &held(const QVariant &value)
{
    return *static_cast<const T *>(value.constData());
}

class MessagePackWriter
{
public:
    explicit MessagePackWriter(Packer &packer) : m_pk(packer) { }

    void write(const QVariant &value)
    {
        switch (value.typeId()) {
        case QMetaType::UnknownType:
        case QMetaType::Nullptr:
            m_pk.pack_nil();
            return;
        case QMetaType::Bool:
            held<bool>(value) ? m_pk.pack_true() : m_pk.pack_false();
            return;
        case QMetaType::Int:
        case QMetaType::Short:
        case QMetaType::SChar:
        case QMetaType::Char:
        case QMetaType::Long:
        case QMetaType::LongLong:
            m_pk.pack_int64(value.toLongLong());
            return;
        case QMetaType::UInt:
        case QMetaType::UShort:
        case QMetaType::UChar:
        case QMetaType::ULong:
        case QMetaType::ULongLong:
            m_pk.pack_uint64(value.toULongLong());
            return;
        case QMetaType::Double:
            m_pk.pack_double(held<double>(value));
            return;
        case QMetaType::Float:
            m_pk.pack_double(double(held<float>(value)));
            return;
        case QMetaType::QString:
            writeString(held<QString>(value));
            return;
        case QMetaType::QByteArray: {
            const QByteArray &bytes = held<QByteArray>(value);
            m_pk.pack_bin(uint32_t(bytes.size()));
            m_pk.pack_bin_body(bytes.constData(), uint32_t(bytes.size()));
            return;
        }
        case QMetaType::QStringList: {
            const QStringList &list = held<QStringList>(value);
            m_pk.pack_array(uint32_t(list.size()));
            for (const QString &item : list)
                writeString(item);
            return;
        }
        case QMetaType::QVariantList: {
            const QVariantList &list = held<QVariantList>(value);
            m_pk.pack_array(uint32_t(list.size()));
            for (const QVariant &item : list)
                write(item);
            return;
        }
        case QMetaType::QVariantMap:
            writeMap(held<QVariantMap>(value));
            return;
        case QMetaType::QVariantHash:
            writeMap(held<QVariantHash>(value));
            return;
        case QMetaType::QDateTime:
            writeDate(held<QDateTime>(value));
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
                m_pk.pack_nil();
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
            m_pk.pack_nil();
            return;
        case QJsonValue::Bool:
            value.toBool() ? m_pk.pack_true() : m_pk.pack_false();
            return;
        case QJsonValue::Double: {
            const QVariant number = value.toVariant();   // qlonglong for the integers QJsonValue keeps exactly
            if (number.typeId() == QMetaType::LongLong)
                m_pk.pack_int64(held<qlonglong>(number));
            else
                m_pk.pack_double(value.toDouble());
            return;
        }
        case QJsonValue::String:
            writeString(value.toString());
            return;
        case QJsonValue::Array:
            write(value.toArray());
            return;
        case QJsonValue::Object:
            write(value.toObject());
            return;
        }
        m_pk.pack_nil();
    }

    void write(const QJsonArray &array)
    {
        m_pk.pack_array(uint32_t(array.size()));
        for (qsizetype i = 0, n = array.size(); i < n; ++i)
            write(array.at(i));
    }

    void write(const QJsonObject &object)
    {
        m_pk.pack_map(uint32_t(object.size()));
        for (auto it = object.constBegin(), end = object.constEnd(); it != end; ++it) {
            writeString(it.key());
            write(QJsonValue(it.value()));
        }
    }

    void writeString(QStringView text)
    {
        const QByteArray utf8 = text.toUtf8();
        m_pk.pack_str(uint32_t(utf8.size()));
        m_pk.pack_str_body(utf8.constData(), uint32_t(utf8.size()));
    }

private:
    template <typename Map>
    void writeMap(const Map &map)
    {
        m_pk.pack_map(uint32_t(map.size()));
        for (auto it = map.constBegin(), end = map.constEnd(); it != end; ++it) {
            writeString(it.key());
            write(it.value());
        }
    }

    // notepack's Date: fixext 8, type 0, the milliseconds since the epoch as a big-endian int32 (high) and
    // uint32 (low). An invalid date is null, as JSON.stringify writes an invalid Date.
    void writeDate(const QDateTime &dateTime)
    {
        if (!dateTime.isValid()) {
            m_pk.pack_nil();
            return;
        }
        const qint64 ms = dateTime.toMSecsSinceEpoch();
        const qint64 high = ms >= 0 ? ms / 4294967296LL : -((-ms + 4294967295LL) / 4294967296LL);   // floor
        const quint32 low = quint32(ms - high * 4294967296LL);
        const quint32 hi32 = quint32(qint32(high));
        const char body[8] = { char(hi32 >> 24), char(hi32 >> 16), char(hi32 >> 8), char(hi32),
                               char(low >> 24),  char(low >> 16),  char(low >> 8),  char(low) };
        m_pk.pack_ext(8, 0);
        m_pk.pack_ext_body(body, 8);
    }

    // As JsonWriter::writeOther(): other containers as arrays and maps, what converts to QString as a
    // string, the rest as nil.
    void writeOther(const QVariant &value)
    {
        if (value.canConvert<QAssociativeIterable>()) {
            const QAssociativeIterable iterable = value.value<QAssociativeIterable>();
            m_pk.pack_map(uint32_t(iterable.size()));
            for (auto it = iterable.begin(), end = iterable.end(); it != end; ++it) {
                writeString(it.key().toString());
                write(it.value());
            }
        } else if (value.canConvert<QSequentialIterable>()) {
            const QSequentialIterable iterable = value.value<QSequentialIterable>();
            m_pk.pack_array(uint32_t(iterable.size()));
            for (const QVariant &item : iterable)
                write(item);
        } else if (value.canConvert<QString>()) {
            writeString(value.toString());
        } else {
            m_pk.pack_nil();
        }
    }

    Packer &m_pk;
};

bool isNull(const QVariant &value)
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

// ---- decoding ----

enum class Kind { Other, Nil, Undefined, Integer, Float };

// Builds QVariants from msgpack-cxx's parser events. It never sizes anything from a header: a container's
// announced count is only compared with the message size (each element takes at least a byte), and storage
// grows with the elements actually read; strings and binaries are only copied once all their bytes are there.
// (msgpack::unpack() with an msgpack::unpack_limit is not enough: its object builder allocates the announced
// count times 16 bytes for every array before reading it, up to the limit, once per nesting level.)
class VariantBuilder : public msgpack::null_visitor
{
public:
    VariantBuilder(size_t messageSize, int maxDepth) : m_size(messageSize), m_maxDepth(maxDepth) { }

    bool visit_nil() { return store(QVariant(), Kind::Nil); }
    bool visit_boolean(bool v) { return store(QVariant(v), Kind::Other); }
    bool visit_positive_integer(uint64_t v)
    {
        if (v > uint64_t(std::numeric_limits<qint64>::max()))
            return store(QVariant(double(v)), Kind::Float);
        return store(QVariant(qlonglong(v)), Kind::Integer);
    }
    bool visit_negative_integer(int64_t v) { return store(QVariant(qlonglong(v)), Kind::Integer); }
    bool visit_float32(float v) { return store(QVariant(double(v)), Kind::Float); }
    bool visit_float64(double v) { return store(QVariant(v), Kind::Float); }
    bool visit_str(const char *v, uint32_t size)
    {
        // Not QString::fromUtf8(), which drops a leading U+FEFF (qtsocketioutf8_p.h).
        return store(QVariant(QtSocketIoPrivate::utf8ToString(QByteArrayView(v, qsizetype(size)))), Kind::Other);
    }
    bool visit_bin(const char *v, uint32_t size) { return store(QVariant(QByteArray(v, qsizetype(size))), Kind::Other); }

    // v: the extension type byte, then size - 1 bytes of data. The byte before the type tells the fixext
    // forms (0xd4 to 0xd8) from ext 8/16/32, whose byte there is (the low byte of) a length.
    bool visit_ext(const char *v, uint32_t size)
    {
        const qint8 type = qint8(v[0]);
        const char *data = v + 1;
        const uint32_t length = size - 1;
        const uchar marker = uchar(v[-1]);
        if (type == 0) {
            if (length == 1 && marker == 0xd4)
                return store(QVariant(), Kind::Undefined);
            if (length == 8 && marker == 0xd7) {
                const auto byte = [data](int i) { return quint64(uchar(data[i])); };
                const qint32 high = qint32(quint32(byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3)));
                const quint32 low = quint32(byte(4) << 24 | byte(5) << 16 | byte(6) << 8 | byte(7));
                const double ms = double(high) * 4294967296.0 + double(low);
                // A JavaScript Date holds at most 8.64e15 ms either side of the epoch; beyond is an invalid Date.
                if (!(std::fabs(ms) <= 8.64e15))
                    return store(QVariant(), Kind::Other);
                return store(QVariant(QDateTime::fromMSecsSinceEpoch(qint64(ms), Qt::UTC)), Kind::Other);
            }
            if (marker < 0xd4 || marker > 0xd8)
                return store(QVariant(QByteArray(data, qsizetype(length))), Kind::Other);
        }
        return store(QVariant(QVariantList{ qlonglong(type), QByteArray(data, qsizetype(length)) }), Kind::Other);
    }

    bool start_array(uint32_t count) { return open(false, count); }
    bool end_array() { return close(); }
    bool start_map(uint32_t count) { return open(true, count); }
    bool start_map_key()
    {
        m_stack.back().inKey = true;
        return true;
    }
    bool start_map_value()
    {
        m_stack.back().inKey = false;
        return true;
    }
    bool end_map() { return close(); }

    void parse_error(size_t, size_t) { setError(QStringLiteral("invalid MessagePack (byte 0xc1)")); }
    void insufficient_bytes(size_t, size_t) { setError(QStringLiteral("truncated MessagePack")); }

    QVariant root;
    QString error;
    // The top-level map's "data" and "id" as read, before they became QVariants.
    bool hasData = false;          // "data" is there, and not undefined
    Kind idKind = Kind::Other;

private:
    struct Frame
    {
        bool isMap = false;
        bool inKey = false;
        QVariantList list;
        QVariantMap map;
        QString key;
    };

    bool open(bool isMap, uint32_t count)
    {
        if (m_stack.size() >= size_t(m_maxDepth))
            return setError(QStringLiteral("MessagePack nested deeper than %1").arg(m_maxDepth));
        // Each element takes at least one byte (a map entry two): a count beyond the message is a lie.
        if (uint64_t(count) * (isMap ? 2 : 1) > m_size)
            return setError(QStringLiteral("MessagePack %1 of %2 elements in a message of %3 bytes")
                                    .arg(isMap ? QLatin1String("map") : QLatin1String("array"))
                                    .arg(count)
                                    .arg(m_size));
        m_stack.emplace_back();
        m_stack.back().isMap = isMap;
        if (!isMap)
            m_stack.back().list.reserve(qsizetype(qMin<uint32_t>(count, 16)));
        return true;
    }

    bool close()
    {
        Frame frame = std::move(m_stack.back());
        m_stack.pop_back();
        return frame.isMap ? store(QVariant(std::move(frame.map)), Kind::Other)
                           : store(QVariant(std::move(frame.list)), Kind::Other);
    }

    bool store(QVariant &&value, Kind kind)
    {
        if (m_stack.empty()) {
            root = std::move(value);
            return true;
        }
        Frame &top = m_stack.back();
        if (!top.isMap) {
            top.list.append(std::move(value));
            return true;
        }
        if (top.inKey) {
            if (value.typeId() != QMetaType::QString)
                return setError(QStringLiteral("a MessagePack map key is not a string"));
            top.key = held<QString>(value);
            return true;
        }
        if (m_stack.size() == 1) {
            if (top.key == QLatin1String("data"))
                hasData = kind != Kind::Undefined;
            else if (top.key == QLatin1String("id"))
                idKind = kind;
        }
        top.map.insert(top.key, std::move(value));
        return true;
    }

    bool setError(const QString &why)
    {
        if (error.isEmpty())
            error = why;
        return false;
    }

    std::vector<Frame> m_stack;
    size_t m_size;
    int m_maxDepth;
};

bool isReservedEventName(const QString &name)
{
    static constexpr QLatin1String reserved[] = {
        QLatin1String("connect"),       QLatin1String("connect_error"), QLatin1String("disconnect"),
        QLatin1String("disconnecting"), QLatin1String("newListener"),   QLatin1String("removeListener"),
    };
    for (const QLatin1String &r : reserved) {
        if (name == r)
            return true;
    }
    return false;
}

// A whole number (Number.isInteger()), as an integer or an integral float.
bool toInteger(const QVariant &value, qint64 *result)
{
    if (value.typeId() == QMetaType::LongLong) {
        *result = held<qlonglong>(value);
        return true;
    }
    if (value.typeId() == QMetaType::Double) {
        const double d = held<double>(value);
        if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9007199254740992.0) {
            *result = qint64(d);
            return true;
        }
    }
    return false;
}

} // namespace

QByteArray toMessagePack(const QVariant &value)
{
    QByteArray out;
    ByteArraySink sink{ out };
    Packer packer(sink);
    MessagePackWriter(packer).write(value);
    return out;
}

EncodedPacket encodeMessagePack(const Packet &packet)
{
    EncodedPacket result;
    result.binary = true;
    QByteArray &out = result.text;
    out.reserve(64);
    ByteArraySink sink{ out };
    Packer packer(sink);
    MessagePackWriter writer(packer);

    PacketType type = packet.type;
    if (type == PacketType::BinaryEvent)
        type = PacketType::Event;
    else if (type == PacketType::BinaryAck)
        type = PacketType::Ack;
    const bool withData = type != PacketType::Disconnect && !isNull(packet.data);
    const bool withId = packet.id >= 0;

    // The keys in the order socket.io writes them: type, data, nsp, id.
    packer.pack_map(2 + (withData ? 1 : 0) + (withId ? 1 : 0));
    writer.writeString(u"type");
    packer.pack_int(int(type));
    if (withData) {
        writer.writeString(u"data");
        writer.write(packet.data);
    }
    writer.writeString(u"nsp");
    writer.writeString(packet.nsp.isEmpty() ? QStringLiteral("/") : packet.nsp);
    if (withId) {
        writer.writeString(u"id");
        packer.pack_int64(packet.id);
    }
    return result;
}

PacketDecoder::Status MessagePackDecoder::addText(QByteArrayView)
{
    return fail(QStringLiteral("got a text message, but the MessagePack parser reads binary messages only"));
}

PacketDecoder::Status MessagePackDecoder::addBinary(const QByteArray &message)
{
    return addMessage(QByteArrayView(message));
}

PacketDecoder::Status MessagePackDecoder::addMessage(QByteArrayView message)
{
    m_packet = Packet();
    if (message.isEmpty())
        return fail(QStringLiteral("empty packet"));
    if (message.size() > m_limits.maxMessageSize)
        return fail(QStringLiteral("message of %1 bytes (the limit is %2)").arg(message.size()).arg(m_limits.maxMessageSize));

    VariantBuilder builder(size_t(message.size()), m_limits.maxDepth);
    size_t offset = 0;
    bool parsed = false;
    try {
        parsed = msgpack::parse(message.data(), size_t(message.size()), offset, builder);
    } catch (const std::exception &e) {
        return fail(QStringLiteral("invalid MessagePack: %1").arg(QString::fromLocal8Bit(e.what())));
    }
    if (!parsed)
        return fail(builder.error.isEmpty() ? QStringLiteral("invalid MessagePack") : builder.error);
    if (offset != size_t(message.size()))
        return fail(QStringLiteral("%1 trailing bytes after the MessagePack packet").arg(size_t(message.size()) - offset));
    if (builder.root.typeId() != QMetaType::QVariantMap)
        return fail(QStringLiteral("the packet is not a MessagePack map"));
    QVariantMap &fields = *static_cast<QVariantMap *>(builder.root.data());

    // socket.io-msgpack-parser's checkPacket(), then what socket.io-parser checks too.
    Packet packet;
    qint64 type = -1;
    if (!toInteger(fields.value(QStringLiteral("type")), &type) || type < 0 || type > 4)
        return fail(QStringLiteral("invalid packet type"));
    packet.type = PacketType(type);

    const QVariant nsp = fields.value(QStringLiteral("nsp"));
    if (nsp.typeId() != QMetaType::QString)
        return fail(QStringLiteral("invalid namespace"));
    packet.nsp = held<QString>(nsp);

    const auto idIt = fields.constFind(QStringLiteral("id"));
    if (idIt != fields.constEnd() && builder.idKind != Kind::Undefined) {   // undefined is no id; nil is wrong
        if (!toInteger(idIt.value(), &packet.id) || packet.id < 0)
            return fail(QStringLiteral("invalid packet id"));
    }
    if (packet.type == PacketType::Ack && packet.id < 0)
        return fail(QStringLiteral("an ACK packet needs an id"));

    QVariant data = fields.take(QStringLiteral("data"));
    const bool hasData = builder.hasData;
    switch (packet.type) {
    case PacketType::Connect:
        if (hasData && data.typeId() != QMetaType::QVariantMap)
            return fail(QStringLiteral("invalid payload: a CONNECT payload must be a map"));
        break;
    case PacketType::Disconnect:
        if (hasData)
            return fail(QStringLiteral("invalid payload: a DISCONNECT packet has no payload"));
        break;
    case PacketType::ConnectError:
        if (data.typeId() != QMetaType::QVariantMap && data.typeId() != QMetaType::QString)
            return fail(QStringLiteral("invalid payload: a CONNECT_ERROR payload must be a map or a string"));
        break;
    case PacketType::Event: {
        if (data.typeId() != QMetaType::QVariantList)
            return fail(QStringLiteral("invalid payload: an EVENT payload must be an array"));
        QVariantList &list = *static_cast<QVariantList *>(data.data());
        if (list.isEmpty())
            return fail(QStringLiteral("invalid payload: an EVENT payload must not be empty"));
        QVariant &name = list.first();
        if (name.typeId() == QMetaType::LongLong) {
            name = QString::number(held<qlonglong>(name));
        } else if (name.typeId() == QMetaType::Double) {
            // as JavaScript's String(number), which names the event
            const double d = held<double>(name);
            name = std::isnan(d) ? QStringLiteral("NaN")
                    : std::isinf(d) ? (d > 0 ? QStringLiteral("Infinity") : QStringLiteral("-Infinity"))
                    : QString::number(d, 'g', QLocale::FloatingPointShortest);
        } else if (name.typeId() != QMetaType::QString) {
            return fail(QStringLiteral("invalid payload: the event name must be a string or a number"));
        }
        if (isReservedEventName(held<QString>(name)))
            return fail(QStringLiteral("invalid payload: \"%1\" is a reserved event name").arg(held<QString>(name)));
        break;
    }
    case PacketType::Ack:
        if (data.typeId() != QMetaType::QVariantList)
            return fail(QStringLiteral("invalid payload: an ACK payload must be an array"));
        break;
    case PacketType::BinaryEvent:
    case PacketType::BinaryAck:
        Q_UNREACHABLE();
        break;
    }
    packet.data = std::move(data);
    m_packet = std::move(packet);
    return Status::Complete;
}

Packet MessagePackDecoder::takePacket()
{
    Packet packet = std::move(m_packet);
    m_packet = Packet();
    return packet;
}

PacketDecoder::Status MessagePackDecoder::fail(const QString &why)
{
    m_packet = Packet();
    m_error = why;
    qCDebug(lcProtocol) << "cannot decode MessagePack packet:" << why;
    return Status::Error;
}

} // namespace QSocketIoProtocol
