// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QQMLSOCKETIOACKFUNCTION_P_H
#define QQMLSOCKETIOACKFUNCTION_P_H

#include <QtSocketIo/qsocketioackcallback.h>

#include <QtCore/qobject.h>
#include <QtCore/qpointer.h>
#include <QtQml/qjsengine.h>
#include <QtQml/qjsvalue.h>

// The object behind the `ack` function handed to JavaScript event handlers. Owned by JavaScript.
class QQmlSocketIoAckFunction : public QObject
{
    Q_OBJECT
public:
    QQmlSocketIoAckFunction(QJSEngine *engine, const QSocketIoAckCallback &callback);
    Q_INVOKABLE void reply(const QJSValue &arguments);

    // The JavaScript function for the callback, or undefined when the client asked for no acknowledgement.
    static QJSValue create(QJSEngine *engine, const QSocketIoAckCallback &callback);

private:
    QPointer<QJSEngine> m_engine;
    QSocketIoAckCallback m_callback;
};

#endif
