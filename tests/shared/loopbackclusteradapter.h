// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef LOOPBACKCLUSTERADAPTER_H
#define LOOPBACKCLUSTERADAPTER_H

// A cluster without a broker: adapters derived from the public QSocketIoClusterAdapter (as the Redis and
// PostgreSQL ones are) that pass the base's requests and responses over an in-process bus, always
// asynchronously, echoing each message to its sender too (as Redis pub/sub does). Header-only; needs QtSocketIo.

#include <QtSocketIo/qsocketioclusteradapter.h>

#include <QtCore/qlist.h>
#include <QtCore/qobject.h>

#include <functional>

class LoopbackAdapter;

// Every adapter of the bus hears every message (its own included), on a later event-loop pass.
class LoopbackBus : public QObject
{
public:
    QList<LoopbackAdapter *> adapters;
    LoopbackAdapter *mutedNode = nullptr;   // hears but never answers (for the timeouts)
    inline void post(const std::function<void(LoopbackAdapter *)> &deliver);
};

class LoopbackAdapter : public QSocketIoClusterAdapter
{
public:
    LoopbackAdapter(QSocketIoNamespace *nsp, LoopbackBus *bus) : QSocketIoClusterAdapter(nsp), m_bus(bus)
    {
        m_bus->adapters.append(this);
    }
    ~LoopbackAdapter() override { m_bus->adapters.removeAll(this); }

protected:
    void publishBroadcast(const QSocketIoBroadcastPacket &packet, const QSocketIoBroadcastOptions &options) override
    {
        const QString from = uid();
        m_bus->post([from, packet, options](LoopbackAdapter *to) { to->handleBroadcast(from, packet, options); });
    }
    void publishRequest(const Request &request) override
    {
        m_bus->post([request](LoopbackAdapter *to) { to->handleRequest(request); });
    }
    void publishResponse(const Request &, const Response &response) override
    {
        if (m_bus->mutedNode == this)
            return;
        m_bus->post([response](LoopbackAdapter *to) { to->handleResponse(response); });
    }
    void serverCount(const std::function<void(int)> &done) const override { done(int(m_bus->adapters.size())); }

private:
    LoopbackBus *m_bus;
};

void LoopbackBus::post(const std::function<void(LoopbackAdapter *)> &deliver)
{
    for (LoopbackAdapter *adapter : std::as_const(adapters)) {
        QMetaObject::invokeMethod(this, [this, adapter, deliver] {
            if (adapters.contains(adapter))
                deliver(adapter);
        }, Qt::QueuedConnection);
    }
}

#endif
