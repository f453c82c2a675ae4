// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef RECORDINGENGINEHANDLER_H
#define RECORDINGENGINEHANDLER_H

// A QEngineIo::Handler that records every call, for engine tests. Optional hooks let a test act inside a
// callback (reply to a message, poke a closing session).

#include "engine/qengineio_p.h"
#include "engine/qengineiosession_p.h"

#include <QtCore/qlist.h>
#include <QtCore/qpointer.h>

#include <functional>

class RecordingEngineHandler : public QEngineIo::Handler
{
public:
    struct Message
    {
        QByteArray sid;
        QByteArray data;
        bool binary = false;
    };
    struct Closed
    {
        QByteArray sid;
        QEngineIo::CloseReason reason = QEngineIo::CloseReason::ForcedClose;
        QString description;
    };

    void sessionOpened(QEngineIoSession *session) override
    {
        sessions.append(session);
        opened.append(session->sid());
        if (onOpened)
            onOpened(session);
    }
    void messageReceived(QEngineIoSession *session, const QByteArray &data, bool binary) override
    {
        messages.append({session->sid(), data, binary});
        if (onMessage)
            onMessage(session, data, binary);
    }
    void sessionClosed(QEngineIoSession *session, QEngineIo::CloseReason reason, const QString &description) override
    {
        closed.append({session->sid(), reason, description});
        if (onClosed)
            onClosed(session, reason);
    }
    void sessionUpgraded(QEngineIoSession *session) override
    {
        upgraded.append(session->sid());
        if (onUpgraded)
            onUpgraded(session);
    }

    void clear()
    {
        sessions.clear();
        opened.clear();
        messages.clear();
        closed.clear();
        upgraded.clear();
        onOpened = nullptr;
        onMessage = nullptr;
        onClosed = nullptr;
        onUpgraded = nullptr;
    }

    // How often the session with this sid was reported closed.
    int closedCount(const QByteArray &sid) const
    {
        int n = 0;
        for (const Closed &c : closed)
            n += c.sid == sid ? 1 : 0;
        return n;
    }
    QList<QByteArray> messageData() const
    {
        QList<QByteArray> out;
        for (const Message &m : messages)
            out.append(m.data);
        return out;
    }

    QList<QPointer<QEngineIoSession>> sessions;
    QList<QByteArray> opened;
    QList<Message> messages;
    QList<Closed> closed;
    QList<QByteArray> upgraded;

    std::function<void(QEngineIoSession *)> onOpened;
    std::function<void(QEngineIoSession *, const QByteArray &, bool)> onMessage;
    std::function<void(QEngineIoSession *, QEngineIo::CloseReason)> onClosed;
    std::function<void(QEngineIoSession *)> onUpgraded;
};

#endif
