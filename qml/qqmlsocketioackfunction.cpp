// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "qqmlsocketioackfunction_p.h"
#include "qqmlsocketiovalues_p.h"

QQmlSocketIoAckFunction::QQmlSocketIoAckFunction(QJSEngine *engine, const QSocketIoAckCallback &callback)
    : m_engine(engine), m_callback(callback)
{
}

void QQmlSocketIoAckFunction::reply(const QJSValue &arguments)
{
    m_callback.reply(QQmlSocketIoValues::fromJsList(m_engine, arguments));
}

QJSValue QQmlSocketIoAckFunction::create(QJSEngine *engine, const QSocketIoAckCallback &callback)
{
    if (!engine || !callback.isValid())
        return QJSValue();
    // No parent: the JavaScript function holds the only reference and the garbage collector deletes it.
    auto *target = new QQmlSocketIoAckFunction(engine, callback);
    return QQmlSocketIoValues::makeForwardingFunction(engine, target);
}
