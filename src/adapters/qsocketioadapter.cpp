// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "adapters/qsocketioadapter_p.h"
#include "qtsocketiologging_p.h"

#include <QtSocketIo/qsocketionamespace.h>
#include <QtSocketIo/qsocketiosocketemitter.h>

/*!
    \struct QSocketIoBroadcastOptions
    \inmodule QtSocketIo
    \brief Which sockets of a namespace an adapter operation selects, and its flags.

    The counterpart of socket.io-adapter's \c BroadcastOptions. A socket is selected when it is in one of
    \l rooms (or \l rooms is empty) and in none of \l except. Cluster adapters carry these fields between nodes.
*/

/*!
    \variable QSocketIoBroadcastOptions::rooms
    The rooms whose sockets are selected; empty selects every socket of the namespace.
*/

/*!
    \variable QSocketIoBroadcastOptions::except
    The sockets in any of these rooms are left out.
*/

/*!
    \variable QSocketIoBroadcastOptions::local
    When \c true, the operation stays on this node. Default \c false.
*/

/*!
    \variable QSocketIoBroadcastOptions::isVolatile
    When \c true, a socket whose connection cannot take the packet now skips it
    (QSocketIoSocketEmitter::isWritable()). Default \c false.
*/

/*!
    \variable QSocketIoBroadcastOptions::compress
    The \c compress flag of the emit. Default \c true.
*/

/*!
    \variable QSocketIoBroadcastOptions::timeout
    How long QSocketIoAdapter::broadcastWithAck() waits for answers, in milliseconds; -1 when not set.
*/

/*!
    \struct QSocketIoBroadcastPacket
    \inmodule QtSocketIo
    \brief The Socket.IO EVENT packet that crosses the adapter seam.

    What socket.io-adapter calls the packet object: a namespace, an optional acknowledgement id and the
    event data. The namespace encodes it for its sockets (QSocketIoSocketEmitter::send()); an EVENT whose data
    holds a QByteArray goes out as a BINARY_EVENT. Cluster adapters write these fields on their wire as
    \c {{type: 2, nsp, data, id}}.
*/

/*!
    \variable QSocketIoBroadcastPacket::nsp
    The namespace name, \c "/" by default.
*/

/*!
    \variable QSocketIoBroadcastPacket::id
    The acknowledgement id; -1 when none. QSocketIoSocketEmitter::sendWithAck() gives one itself.
*/

/*!
    \variable QSocketIoBroadcastPacket::data
    The event name (a QString) followed by its arguments: JSON-compatible values, QByteArray for binary.
*/

/*!
    \variable QSocketIoBroadcastPacket::compress
    Whether the packet asks for HTTP compression when it is delivered (a polling response is compressed only
    if one of its packets asks for it). localBroadcast() and localBroadcastWithAck() set it from
    QSocketIoBroadcastOptions::compress before handing the packet to the QSocketIoSocketEmitter.
*/

/*!
    \class QSocketIoAdapter
    \inmodule QtSocketIo
    \brief The seam between a namespace and where its rooms live.

    Every namespace has one adapter. Rooms, broadcasts, socket queries and server-side emits go through it.
    The default adapter keeps everything in this process (QSocketIoInMemoryAdapter, plus connection state
    recovery); cluster adapters (QSocketIoClusterAdapter, and the Redis and PostgreSQL components) also reach
    the other nodes. Install your own with QSocketIoServer::setAdapterFactory().

    A subclass implements the room bookkeeping (addAll(), del(), delAll(), socketRooms(), rooms(), hasRoom(),
    selectSockets()). The operations (broadcast(), broadcastWithAck(), addSockets(), delSockets(),
    disconnectSockets(), fetchSockets(), serverSideEmit(), serverSideEmitWithAck(), serverCount()) are
    virtual with a default that acts on this node alone, through the protected \c local* functions: a
    cluster adapter overrides them to also publish the operation to the other nodes, and runs the same local
    part when another node asks.

    The adapter reaches the namespace's sockets only through emitter(), a QSocketIoSocketEmitter; it never
    touches QSocketIoSocket objects. Every call happens in the server's thread.

    The adapter is owned by its namespace, which deletes it when it is replaced or when the namespace goes.
*/

/*!
    \typedef QSocketIoAdapter::ClientCountCallback
    Called by broadcastWithAck() once per node with the number of clients that got the packet there, and, for
    this node, their socket ids (empty for another node).
*/
/*!
    \typedef QSocketIoAdapter::AckCallback
    Called by broadcastWithAck() for every client answer: the socket id (empty when the client is on another
    node) and the client's acknowledgement arguments.
*/
/*!
    \typedef QSocketIoAdapter::SocketsCallback
    Called by fetchSockets() with the selected sockets of every node, and an error (empty when every node
    answered).
*/
/*!
    \typedef QSocketIoAdapter::ServerSideAckCallback
    Called by serverSideEmitWithAck() with an error (empty when every other node answered) and one response
    per node.
*/
/*!
    \typedef QSocketIoAdapter::ServerCountCallback
    Called by serverCount() with the number of nodes serving the namespace, this one included.
*/

/*!
    Constructs the adapter of namespace \a nsp. The namespace takes ownership once the adapter factory
    returns it (QSocketIoServer::setAdapterFactory()).
*/
QSocketIoAdapter::QSocketIoAdapter(QSocketIoNamespace *nsp) : QSocketIoAdapter(*new QSocketIoAdapterPrivate, nsp) {}

/*!
    \internal
    Constructs the adapter with the private object \a dd of a subclass, for namespace \a nsp.
*/
QSocketIoAdapter::QSocketIoAdapter(QSocketIoAdapterPrivate &dd, QSocketIoNamespace *nsp) : d_ptr(&dd)
{
    Q_D(QSocketIoAdapter);
    d->q_ptr = this;
    d->nsp = nsp;
}

/*!
    Destroys the adapter.
*/
QSocketIoAdapter::~QSocketIoAdapter() = default;

/*!
    Returns the namespace this adapter serves. It owns the adapter.
*/
QSocketIoNamespace *QSocketIoAdapter::nsp() const
{
    return d_func()->nsp;
}

/*!
    Returns the namespace's side of the seam: its local socket ids, delivery, rooms and snapshots. Null until
    the namespace installs the adapter (right after the factory returns); owned by the namespace.
*/
QSocketIoSocketEmitter *QSocketIoAdapter::emitter() const
{
    return d_func()->emitter;
}

/*!
    \fn void QSocketIoAdapter::addAll(const QString &socketId, const QStringList &rooms)
    Adds the local socket \a socketId to \a rooms (those it is in already are skipped, the order of joining
    is kept). A socket joins the room named after its id when it connects.
*/
/*!
    \fn void QSocketIoAdapter::del(const QString &socketId, const QString &room)
    Removes the local socket \a socketId from \a room.
*/
/*!
    \fn void QSocketIoAdapter::delAll(const QString &socketId)
    Removes the local socket \a socketId from every room: it disconnected.
*/
/*!
    \fn QStringList QSocketIoAdapter::socketRooms(const QString &socketId) const
    Returns the rooms of the local socket \a socketId, in the order joined.
*/
/*!
    \fn QStringList QSocketIoAdapter::rooms() const
    Returns the rooms with at least one local socket.
*/
/*!
    \fn bool QSocketIoAdapter::hasRoom(const QString &room) const
    Returns whether a local socket is in \a room.
*/
/*!
    \fn QStringList QSocketIoAdapter::selectSockets(const QSocketIoBroadcastOptions &options) const
    Returns the local sockets that \a options select (rooms and except; the flags do not matter here), each
    once.
*/

/*!
    Delivers \a packet to the sockets that \a options select and returns the local recipients. The packet is
    encoded once. The default delivers on this node only (localBroadcast()).
*/
QStringList QSocketIoAdapter::broadcast(const QSocketIoBroadcastPacket &packet,
                                        const QSocketIoBroadcastOptions &options)
{
    return localBroadcast(packet, options);
}

/*!
    Delivers \a packet to the local sockets that \a options select and returns them. Used by broadcast() and,
    in a cluster adapter, for the broadcasts of other nodes.
*/
QStringList QSocketIoAdapter::localBroadcast(const QSocketIoBroadcastPacket &packet,
                                             const QSocketIoBroadcastOptions &options)
{
    Q_D(QSocketIoAdapter);
    const QStringList recipients = selectSockets(options);
    if (!recipients.isEmpty() && d->emitter) {
        QSocketIoBroadcastPacket flagged = packet;
        flagged.compress = options.compress;
        d->emitter->send(recipients, flagged, options.isVolatile);
    }
    return recipients;
}

/*!
    Sends \a packet with one new acknowledgement id to every socket that \a options select. \a clientCount
    is called once per node with how many clients got it (for this node: inside the call), and \a ack for
    every answer. The answers are awaited as long as \a lifetime exists. The default acts on this node only
    (localBroadcastWithAck()).
*/
void QSocketIoAdapter::broadcastWithAck(const QSocketIoBroadcastPacket &packet,
                                        const QSocketIoBroadcastOptions &options, QObject *lifetime,
                                        const ClientCountCallback &clientCount, const AckCallback &ack)
{
    localBroadcastWithAck(packet, options, lifetime, clientCount, ack);
}

/*!
    The local part of broadcastWithAck(): sends \a packet with one acknowledgement id to the local sockets
    that \a options select (with \c isVolatile, only to those QSocketIoSocketEmitter::isWritable() accepts),
    calls \a clientCount with the recipients and then \a ack for each answer while \a lifetime exists.
*/
void QSocketIoAdapter::localBroadcastWithAck(const QSocketIoBroadcastPacket &packet,
                                             const QSocketIoBroadcastOptions &options, QObject *lifetime,
                                             const ClientCountCallback &clientCount, const AckCallback &ack)
{
    Q_D(QSocketIoAdapter);
    QStringList recipients = selectSockets(options);
    if (options.isVolatile && d->emitter) {
        recipients.removeIf([emitter = d->emitter](const QString &id) { return !emitter->isWritable(id); });
    }
    QStringList expected;
    if (!recipients.isEmpty() && d->emitter) {
        QSocketIoBroadcastPacket flagged = packet;
        flagged.compress = options.compress;
        expected = d->emitter->sendWithAck(recipients, flagged, lifetime, ack);
    }
    if (clientCount)
        clientCount(int(expected.size()), expected);
}

/*!
    Makes the sockets that \a options select join \a rooms. The default acts on this node only
    (localAddSockets()).
*/
void QSocketIoAdapter::addSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms)
{
    localAddSockets(options, rooms);
}

/*!
    Makes the sockets that \a options select leave \a rooms. The default acts on this node only
    (localDelSockets()).
*/
void QSocketIoAdapter::delSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms)
{
    localDelSockets(options, rooms);
}

/*!
    Disconnects the sockets that \a options select; with \a close, their whole connection is closed. The
    default acts on this node only (localDisconnectSockets()).
*/
void QSocketIoAdapter::disconnectSockets(const QSocketIoBroadcastOptions &options, bool close)
{
    localDisconnectSockets(options, close);
}

/*!
    Calls \a done with snapshots of the sockets that \a options select on every node. \a done runs later,
    never inside the call. The default answers with this node's sockets (localSockets()).
*/
void QSocketIoAdapter::fetchSockets(const QSocketIoBroadcastOptions &options, const SocketsCallback &done)
{
    const QList<QSocketIoRemoteSocket> sockets = localSockets(options);
    QMetaObject::invokeMethod(nsp(), [done, sockets] { done(sockets, QString()); }, Qt::QueuedConnection);
}

/*!
    Sends a server-side event to the other nodes: \a packet is the event name followed by its arguments.
    The default does nothing: there is no other node.
*/
void QSocketIoAdapter::serverSideEmit(const QVariantList &packet)
{
    Q_UNUSED(packet);
}

/*!
    Sends a server-side event (\a packet: the event name and its arguments) to the other nodes and calls
    \a done with their answers, one per node, or an error when some did not answer in time. \a done runs
    later, never inside the call. The default answers at once with no response: there is no other node.
*/
void QSocketIoAdapter::serverSideEmitWithAck(const QVariantList &packet, const ServerSideAckCallback &done)
{
    Q_UNUSED(packet);
    QMetaObject::invokeMethod(nsp(), [done] { done(QString(), QVariantList()); }, Qt::QueuedConnection);
}

/*!
    Calls \a done with the number of nodes serving this namespace, this one included; \a done may run inside
    the call. The default is 1.
*/
void QSocketIoAdapter::serverCount(const ServerCountCallback &done) const
{
    done(1);
}

/*!
    Returns snapshots of the connected local sockets that \a options select, as fetchSockets() delivers them
    (QSocketIoRemoteSocket::isLocal() is \c true).
*/
QList<QSocketIoRemoteSocket> QSocketIoAdapter::localSockets(const QSocketIoBroadcastOptions &options) const
{
    Q_D(const QSocketIoAdapter);
    if (!d->emitter)
        return {};
    return d->emitter->socketSnapshots(selectSockets(options));
}

/*!
    Makes the local sockets that \a options select join \a rooms.
*/
void QSocketIoAdapter::localAddSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms)
{
    Q_D(QSocketIoAdapter);
    if (d->emitter)
        d->emitter->joinRooms(selectSockets(options), rooms);
}

/*!
    Makes the local sockets that \a options select leave \a rooms.
*/
void QSocketIoAdapter::localDelSockets(const QSocketIoBroadcastOptions &options, const QStringList &rooms)
{
    Q_D(QSocketIoAdapter);
    if (d->emitter)
        d->emitter->leaveRooms(selectSockets(options), rooms);
}

/*!
    Disconnects the local sockets that \a options select; with \a close, their whole connection is closed.
*/
void QSocketIoAdapter::localDisconnectSockets(const QSocketIoBroadcastOptions &options, bool close)
{
    Q_D(QSocketIoAdapter);
    if (d->emitter)
        d->emitter->disconnectSockets(selectSockets(options), close);
}

/*!
    Hands a server-side event of another node to the namespace. \a packet is the event name followed by its
    arguments; one without a name is dropped with a warning. Without \a reply the namespace emits
    QSocketIoNamespace::serverSideEventReceived(), with one serverSideEventWithAckReceived() (the first answer
    is passed to \a reply, later ones are ignored).
*/
void QSocketIoAdapter::localServerSideEvent(const QVariantList &packet,
                                            const std::function<void(const QVariantList &)> &reply)
{
    Q_D(QSocketIoAdapter);
    if (packet.isEmpty() || packet.first().typeId() != QMetaType::QString) {
        qCWarning(lcAdapter) << "dropped a server-side event without an event name from another node";
        return;
    }
    if (d->emitter)
        d->emitter->serverSideEvent(packet.first().toString(), packet.mid(1), reply);
}

/*!
    Returns how many times this adapter re-established its link to the other nodes after losing it (the
    metrics' \c socketio_adapter_reconnects_total sums it over the namespaces). Adapters of several namespaces
    that share one connection report it from one of them. The default is 0: the in-memory adapter has no link.
*/
quint64 QSocketIoAdapter::reconnectCount() const
{
    return 0;
}
