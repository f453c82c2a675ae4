// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QQMLSOCKETIOVALUES_P_H
#define QQMLSOCKETIOVALUES_P_H

#include <QtCore/qloggingcategory.h>
#include <QtCore/qobject.h>
#include <QtCore/qstringlist.h>
#include <QtCore/qvariant.h>
#include <QtQml/qjsengine.h>
#include <QtQml/qjsvalue.h>

Q_DECLARE_LOGGING_CATEGORY(lcQml)  // qtsocketio.qml

// The QML methods that take the event's arguments one by one (emitEvent(event, a1, a2...), emitTo(rooms,
// event, ...), broadcast(event, ...)) all take 0 to 6 of them: each is declared through this one macro, which
// calls impl(prefix..., event, QJSValueList{a1, ...}). More arguments: put them in one array and use a
// method that takes an array (emitWithAck) or nest them. Params/Args are parenthesised lists that end with a
// comma, or () for none: QQMLSOCKETIO_ARGS_METHODS(bool, emitTo, (const QJSValue &rooms,), (rooms,), emitList)
#define QQMLSOCKETIO_UNPAREN(...) __VA_ARGS__
#define QQMLSOCKETIO_ARGS_METHODS(Ret, name, Params, Args, impl) \
    Q_INVOKABLE Ret name(QQMLSOCKETIO_UNPAREN Params const QString &event) \
    { return impl(QQMLSOCKETIO_UNPAREN Args event, QJSValueList()); } \
    Q_INVOKABLE Ret name(QQMLSOCKETIO_UNPAREN Params const QString &event, const QJSValue &a1) \
    { return impl(QQMLSOCKETIO_UNPAREN Args event, QJSValueList{a1}); } \
    Q_INVOKABLE Ret name(QQMLSOCKETIO_UNPAREN Params const QString &event, const QJSValue &a1, const QJSValue &a2) \
    { return impl(QQMLSOCKETIO_UNPAREN Args event, QJSValueList{a1, a2}); } \
    Q_INVOKABLE Ret name(QQMLSOCKETIO_UNPAREN Params const QString &event, const QJSValue &a1, const QJSValue &a2, \
                         const QJSValue &a3) \
    { return impl(QQMLSOCKETIO_UNPAREN Args event, QJSValueList{a1, a2, a3}); } \
    Q_INVOKABLE Ret name(QQMLSOCKETIO_UNPAREN Params const QString &event, const QJSValue &a1, const QJSValue &a2, \
                         const QJSValue &a3, const QJSValue &a4) \
    { return impl(QQMLSOCKETIO_UNPAREN Args event, QJSValueList{a1, a2, a3, a4}); } \
    Q_INVOKABLE Ret name(QQMLSOCKETIO_UNPAREN Params const QString &event, const QJSValue &a1, const QJSValue &a2, \
                         const QJSValue &a3, const QJSValue &a4, const QJSValue &a5) \
    { return impl(QQMLSOCKETIO_UNPAREN Args event, QJSValueList{a1, a2, a3, a4, a5}); } \
    Q_INVOKABLE Ret name(QQMLSOCKETIO_UNPAREN Params const QString &event, const QJSValue &a1, const QJSValue &a2, \
                         const QJSValue &a3, const QJSValue &a4, const QJSValue &a5, const QJSValue &a6) \
    { return impl(QQMLSOCKETIO_UNPAREN Args event, QJSValueList{a1, a2, a3, a4, a5, a6}); }

// Conversions between the core API's values (QVariant: JSON-compatible values, QByteArray for binary) and
// JavaScript values. JSON null is null (not undefined) and binary is an ArrayBuffer, both ways and nested.
namespace QQmlSocketIoValues {

QJSValue toJs(QJSEngine *engine, const QVariant &value);
QJSValue toJsArray(QJSEngine *engine, const QVariantList &values);
// ArrayBuffer and typed arrays (their bytes) -> QByteArray; functions -> dropped (undefined, then null in
// arrays, like JSON.stringify); Date -> ISO 8601 string; objects -> QVariantMap; arrays -> QVariantList.
QVariant fromJs(QJSEngine *engine, const QJSValue &value);
// An array's items, or a single non-array value as a one-item list; undefined gives an empty list.
QVariantList fromJsList(QJSEngine *engine, const QJSValue &value);
QVariantList fromJsValues(QJSEngine *engine, const QJSValueList &values);
// A room name or an array of room names.
QStringList toStringList(const QJSValue &value);

// A JavaScript function that calls target->reply(argumentsArray): how an acknowledgement callback is handed
// to a handler so that JavaScript calls it like a function, `ack(1, "x")`.
QJSValue makeForwardingFunction(QJSEngine *engine, QObject *target);
// A JavaScript Error object with this message.
QJSValue makeError(QJSEngine *engine, const QString &message);

// Calls a handler and reports an exception it threw (with the file and line) as a warning.
QJSValue callHandler(const QObject *owner, QJSValue function, const QJSValueList &args, const char *what);

} // namespace QQmlSocketIoValues

#endif
