// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QQMLSOCKETIOHANDLERTABLE_P_H
#define QQMLSOCKETIOHANDLERTABLE_P_H

#include <QtCore/qhash.h>
#include <QtCore/qlist.h>
#include <QtCore/qstring.h>
#include <QtQml/qjsvalue.h>

class QObject;

// JavaScript handlers registered per event name by on() / off() of the QML wrappers.
class QQmlSocketIoHandlerTable
{
public:
    // Warns (through context) and ignores a handler that is not a function.
    void add(const QObject *context, const QString &event, const QJSValue &handler);
    // An undefined handler removes every handler of the event.
    void remove(const QString &event, const QJSValue &handler);
    QList<QJSValue> handlers(const QString &event) const { return m_handlers.value(event); }

private:
    QHash<QString, QList<QJSValue>> m_handlers;
};

#endif
