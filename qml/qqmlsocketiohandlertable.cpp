// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qqmlsocketiohandlertable_p.h"

#include <QtQml/qqmlinfo.h>

void QQmlSocketIoHandlerTable::add(const QObject *context, const QString &event, const QJSValue &handler)
{
    if (!handler.isCallable()) {
        qmlWarning(context) << "on(" << event << "): the handler is not a function";
        return;
    }
    m_handlers[event].append(handler);
}

void QQmlSocketIoHandlerTable::remove(const QString &event, const QJSValue &handler)
{
    if (handler.isUndefined()) {
        m_handlers.remove(event);
        return;
    }
    auto it = m_handlers.find(event);
    if (it == m_handlers.end())
        return;
    it->removeIf([&handler](const QJSValue &h) { return h.strictlyEquals(handler); });
    if (it->isEmpty())
        m_handlers.erase(it);
}
