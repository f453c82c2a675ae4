// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qsocketiomsgpack_p.h"
#include "qtsocketioutf8_p.h"

#include <QtCore/qjsonarray.h>
#include <QtCore/qjsondocument.h>
#include <QtCore/qjsonobject.h>

#include <msgpack.hpp>

#include <exception>

namespace QSocketIoMsgpack {

namespace {

// Bounds on what one value may unpack to: a broken or hostile message is refused, not followed.
constexpr std::size_t MaxElements = 1 << 20;
constexpr std::size_t MaxBytes = 256u << 20;
constexpr std::size_t MaxDepth = 64;

using Packer = msgpack::packer<msgpack::sbuffer>;

void packString(Packer &pk, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    pk.pack_str(uint32_t(utf8.size()));
    pk.pack_str_body(utf8.constData(), uint32_t(utf8.size()));
}

void packValue(Packer &pk, const QVariant &value, int depth = 0)
{
    if (depth > int(MaxDepth)) {
        pk.pack_nil();
        return;
    }
    switch (value.typeId()) {
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
        pk.pack_nil();
        return;
    case QMetaType::Bool:
        value.toBool() ? pk.pack_true() : pk.pack_false();
        return;
    case QMetaType::Int:
    case QMetaType::Short:
    case QMetaType::SChar:
    case QMetaType::Char:
    case QMetaType::Long:
    case QMetaType::LongLong:
        pk.pack_int64(value.toLongLong());
        return;
    case QMetaType::UInt:
    case QMetaType::UShort:
    case QMetaType::UChar:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
        pk.pack_uint64(value.toULongLong());
        return;
    case QMetaType::Float:
    case QMetaType::Double: {
        // An integral number goes as an integer, as notepack.io writes JavaScript numbers. The range first: a
        // double outside qint64's (or NaN) has no qint64 to convert to (undefined behaviour, seen by UBSan).
        const double d = value.toDouble();
        if (d >= -9007199254740992.0 && d <= 9007199254740992.0 && d == double(qint64(d)))
            pk.pack_int64(qint64(d));
        else
            pk.pack_double(d);
        return;
    }
    case QMetaType::QString:
        packString(pk, value.toString());
        return;
    case QMetaType::QByteArray: {
        const QByteArray bytes = value.toByteArray();
        pk.pack_bin(uint32_t(bytes.size()));
        pk.pack_bin_body(bytes.constData(), uint32_t(bytes.size()));
        return;
    }
    case QMetaType::QStringList: {
        const QStringList list = value.toStringList();
        pk.pack_array(uint32_t(list.size()));
        for (const QString &s : list)
            packString(pk, s);
        return;
    }
    case QMetaType::QVariantList: {
        const QVariantList list = value.toList();
        pk.pack_array(uint32_t(list.size()));
        for (const QVariant &v : list)
            packValue(pk, v, depth + 1);
        return;
    }
    case QMetaType::QVariantMap:
    case QMetaType::QVariantHash: {
        const QVariantMap map = value.toMap();
        pk.pack_map(uint32_t(map.size()));
        for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
            packString(pk, it.key());
            packValue(pk, it.value(), depth + 1);
        }
        return;
    }
    case QMetaType::QJsonValue:
    case QMetaType::QJsonArray:
    case QMetaType::QJsonObject:
        packValue(pk, value.value<QJsonValue>().toVariant(), depth + 1);
        return;
    case QMetaType::QJsonDocument:
        packValue(pk, value.value<QJsonDocument>().toVariant(), depth + 1);
        return;
    default:
        if (value.canConvert<QString>())
            packString(pk, value.toString());
        else
            pk.pack_nil();
        return;
    }
}

QVariant toVariant(const msgpack::object &o)
{
    switch (o.type) {
    case msgpack::type::NIL:
        return QVariant::fromValue(nullptr);
    case msgpack::type::BOOLEAN:
        return o.via.boolean;
    case msgpack::type::POSITIVE_INTEGER:
        if (o.via.u64 <= quint64(std::numeric_limits<qint64>::max()))
            return qint64(o.via.u64);
        return quint64(o.via.u64);
    case msgpack::type::NEGATIVE_INTEGER:
        return qint64(o.via.i64);
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64:
        return o.via.f64;
    case msgpack::type::STR:
        // Every string and map key comes this way: a leading U+FEFF is a character, not a byte order mark.
        return QtSocketIoPrivate::utf8ToString(QByteArrayView(o.via.str.ptr, qsizetype(o.via.str.size)));
    case msgpack::type::BIN:
        return QByteArray(o.via.bin.ptr, qsizetype(o.via.bin.size));
    case msgpack::type::EXT:
        // notepack.io: undefined is fixext 1 of type 0 (one zero byte), an ArrayBuffer is ext type 0.
        if (o.via.ext.type() == 0) {
            if (o.via.ext.size == 1 && o.via.ext.data()[0] == 0)
                return QVariant::fromValue(nullptr);
            return QByteArray(o.via.ext.data(), qsizetype(o.via.ext.size));
        }
        // Any other extension (@msgpack/msgpack writes a Date as the timestamp extension, -1) has no meaning here.
        return QVariant::fromValue(nullptr);
    case msgpack::type::ARRAY: {
        QVariantList list;
        list.reserve(qsizetype(o.via.array.size));
        for (uint32_t i = 0; i < o.via.array.size; ++i)
            list.append(toVariant(o.via.array.ptr[i]));
        return list;
    }
    case msgpack::type::MAP: {
        QVariantMap map;
        for (uint32_t i = 0; i < o.via.map.size; ++i) {
            const msgpack::object_kv &kv = o.via.map.ptr[i];
            const QVariant key = toVariant(kv.key);
            map.insert(key.toString(), toVariant(kv.val));
        }
        return map;
    }
    }
    return QVariant();
}

} // namespace

QByteArray pack(const QVariant &value)
{
    msgpack::sbuffer buffer;
    Packer pk(&buffer);
    packValue(pk, value);
    return QByteArray(buffer.data(), qsizetype(buffer.size()));
}

bool unpack(const QByteArray &bytes, QVariant *value, QString *error)
{
    if (bytes.isEmpty()) {
        *error = QStringLiteral("empty message");
        return false;
    }
    try {
        std::size_t offset = 0;
        const msgpack::unpack_limit limit(MaxElements, MaxElements, MaxBytes, MaxBytes, MaxBytes, MaxDepth);
        msgpack::object_handle handle = msgpack::unpack(bytes.constData(), std::size_t(bytes.size()), offset,
                                                        nullptr, nullptr, limit);
        if (offset != std::size_t(bytes.size())) {
            *error = QStringLiteral("%1 bytes after the MessagePack value").arg(bytes.size() - qsizetype(offset));
            return false;
        }
        *value = toVariant(handle.get());
        return true;
    } catch (const std::exception &e) {
        *error = QStringLiteral("invalid MessagePack: ") + QString::fromUtf8(e.what());
        return false;
    }
}

bool containsBinary(const QVariant &value, int depth)
{
    if (depth > int(MaxDepth))
        return false;
    switch (value.typeId()) {
    case QMetaType::QByteArray:
        return true;
    case QMetaType::QVariantList: {
        const QVariantList list = value.toList();
        for (const QVariant &v : list) {
            if (containsBinary(v, depth + 1))
                return true;
        }
        return false;
    }
    case QMetaType::QVariantMap:
    case QMetaType::QVariantHash: {
        const QVariantMap map = value.toMap();
        for (const QVariant &v : map) {
            if (containsBinary(v, depth + 1))
                return true;
        }
        return false;
    }
    default:
        return false;
    }
}

} // namespace QSocketIoMsgpack
