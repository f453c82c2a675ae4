// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qqmlsocketiovalues_p.h"

#include <QtCore/qdatetime.h>
#include <QtCore/qhash.h>
#include <QtQml/qjsvalueiterator.h>
#include <QtQml/qqmlinfo.h>

Q_LOGGING_CATEGORY(lcQml, "qtsocketio.qml", QtWarningMsg)

namespace QQmlSocketIoValues {

namespace {

// Small JavaScript helpers, compiled once per engine.
struct EngineHelpers
{
    QJSValue forwarder;  // (target) -> function(...args) { target.reply(args) }
    // (value) -> the ArrayBuffer of an ArrayBuffer or typed array; a real array for an array-like sequence
    // (a QStringList property, say); else null.
    QJSValue normalize;
};

EngineHelpers &helpers(QJSEngine *engine)
{
    static QHash<QJSEngine *, EngineHelpers> perEngine;
    auto it = perEngine.find(engine);
    if (it != perEngine.end())
        return *it;
    EngineHelpers h;
    h.forwarder = engine->evaluate(QStringLiteral(
        "(function (target) { return function () { target.reply(Array.prototype.slice.call(arguments)); }; })"));
    h.normalize = engine->evaluate(QStringLiteral(
        "(function (v) {"
        "  if (v instanceof ArrayBuffer) return v;"
        "  if (ArrayBuffer.isView(v)) return v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength);"
        "  if (typeof v.length === 'number' && Object.getPrototypeOf(v) !== Object.prototype)"
        "    return Array.prototype.slice.call(v);"
        "  return null; })"));
    QObject::connect(engine, &QObject::destroyed, engine, [engine] { perEngine.remove(engine); });
    return *perEngine.insert(engine, h);
}

} // namespace

QJSValue toJs(QJSEngine *engine, const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
        return QJSValue(QJSValue::NullValue);
    case QMetaType::Bool:
        return QJSValue(value.toBool());
    case QMetaType::Int:
        return QJSValue(value.toInt());
    case QMetaType::UInt:
        return QJSValue(value.toUInt());
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::Double:
    case QMetaType::Float:
        return QJSValue(value.toDouble());
    case QMetaType::QString:
        return QJSValue(value.toString());
    case QMetaType::QByteArray:
        return engine->toScriptValue(value.toByteArray());  // an ArrayBuffer
    case QMetaType::QStringList: {
        const QStringList list = value.toStringList();
        QJSValue array = engine->newArray(uint(list.size()));
        for (qsizetype i = 0; i < list.size(); ++i)
            array.setProperty(quint32(i), list.at(i));
        return array;
    }
    case QMetaType::QVariantList:
        return toJsArray(engine, value.toList());
    case QMetaType::QVariantMap: {
        const QVariantMap map = value.toMap();
        QJSValue object = engine->newObject();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            object.setProperty(it.key(), toJs(engine, it.value()));
        return object;
    }
    case QMetaType::QVariantHash: {
        const QVariantHash hash = value.toHash();
        QJSValue object = engine->newObject();
        for (auto it = hash.cbegin(); it != hash.cend(); ++it)
            object.setProperty(it.key(), toJs(engine, it.value()));
        return object;
    }
    default:
        if (value.metaType() == QMetaType::fromType<QJSValue>())
            return value.value<QJSValue>();
        return engine->toScriptValue(value);
    }
}

QJSValue toJsArray(QJSEngine *engine, const QVariantList &values)
{
    QJSValue array = engine->newArray(uint(values.size()));
    for (qsizetype i = 0; i < values.size(); ++i)
        array.setProperty(quint32(i), toJs(engine, values.at(i)));
    return array;
}

QVariant fromJs(QJSEngine *engine, const QJSValue &value)
{
    if (value.isUndefined() || value.isNull() || value.isCallable())
        return QVariant();
    if (value.isBool())
        return value.toBool();
    if (value.isNumber()) {
        const double number = value.toNumber();
        // Integers travel as integers ("1", not "1.0" or "1e0").
        if (number == double(qint64(number)) && qAbs(number) < 9007199254740992.0)
            return qint64(number);
        return number;
    }
    if (value.isString())
        return value.toString();
    if (value.isArray()) {
        QVariantList list;
        const quint32 length = value.property(QStringLiteral("length")).toUInt();
        list.reserve(length);
        for (quint32 i = 0; i < length; ++i)
            list.append(fromJs(engine, value.property(i)));
        return list;
    }
    if (value.isDate())
        return value.toDateTime().toUTC().toString(Qt::ISODateWithMs);
    if (value.isQObject() || value.isVariant())
        return value.toVariant();
    if (value.isObject()) {
        if (engine) {
            const QJSValue normal = helpers(engine).normalize.call({value});
            if (normal.isArray())
                return fromJs(engine, normal);
            if (normal.isObject())
                return normal.toVariant();  // an ArrayBuffer: QByteArray
        }
        QVariantMap map;
        QJSValueIterator it(value);
        while (it.hasNext()) {
            it.next();
            const QJSValue item = it.value();
            if (item.isUndefined() || item.isCallable())
                continue;  // JSON.stringify leaves these out too
            map.insert(it.name(), fromJs(engine, item));
        }
        return map;
    }
    return value.toVariant();
}

QVariantList fromJsList(QJSEngine *engine, const QJSValue &value)
{
    if (value.isUndefined())
        return {};
    if (value.isArray())
        return fromJs(engine, value).toList();
    return {fromJs(engine, value)};
}

QVariantList fromJsValues(QJSEngine *engine, const QJSValueList &values)
{
    QVariantList out;
    out.reserve(values.size());
    for (const QJSValue &value : values)
        out.append(fromJs(engine, value));
    return out;
}

QStringList toStringList(const QJSValue &value)
{
    QStringList list;
    if (value.isArray()) {
        const quint32 length = value.property(QStringLiteral("length")).toUInt();
        for (quint32 i = 0; i < length; ++i)
            list.append(value.property(i).toString());
    } else if (!value.isUndefined() && !value.isNull()) {
        list.append(value.toString());
    }
    return list;
}

QJSValue makeForwardingFunction(QJSEngine *engine, QObject *target)
{
    return helpers(engine).forwarder.call({engine->newQObject(target)});
}

QJSValue makeError(QJSEngine *engine, const QString &message)
{
    return engine->newErrorObject(QJSValue::GenericError, message);
}

QJSValue callHandler(const QObject *owner, QJSValue function, const QJSValueList &args, const char *what)
{
    if (!function.isCallable())
        return QJSValue();
    QJSValue result = function.call(args);
    if (result.isError()) {
        qmlWarning(owner) << what << " threw " << result.toString() << " ("
                          << result.property(QStringLiteral("fileName")).toString() << ':'
                          << result.property(QStringLiteral("lineNumber")).toInt() << ')';
    }
    return result;
}

} // namespace QQmlSocketIoValues
