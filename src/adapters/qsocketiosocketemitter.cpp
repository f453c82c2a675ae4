// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include <QtSocketIo/qsocketiosocketemitter.h>

/*!
    \class QSocketIoSocketEmitter
    \inmodule QtSocketIo
    \brief The namespace's side of the adapter seam: what an adapter may do to the local sockets.

    A QSocketIoAdapter reaches the sockets of its namespace only through this interface (modelled on
    socketioxide's \c SocketEmitter): the local socket ids, delivery of one packet to many sockets (encoded
    once), delivery with an acknowledgement, rooms, disconnection, snapshots for fetchSockets, and server-side
    events handed up from other nodes. The namespace implements it; QSocketIoAdapter::emitter() returns it.

    Every function takes the ids of local sockets and skips those that are not (or no longer) connected to the
    namespace. Call it in the server's thread. It is owned by the namespace and lives as long as the adapter.
*/

/*!
    \typedef QSocketIoSocketEmitter::AckCallback
    Called by sendWithAck() for each client answer, with the socket id and the client's arguments.
*/
/*!
    \typedef QSocketIoSocketEmitter::ReplyFunction
    The acknowledgement function of a server-side event handed up with serverSideEvent(): call it with the
    answer's arguments.
*/

/*!
    Destroys the emitter.
*/
QSocketIoSocketEmitter::~QSocketIoSocketEmitter() = default;

/*!
    \fn QSocketIoSocketEmitter::QSocketIoSocketEmitter()
    Constructs the interface; for the namespace that implements it.
*/
/*!
    \fn QString QSocketIoSocketEmitter::namespaceName() const
    Returns the name of the namespace, such as \c "/" or \c "/chat".
*/
/*!
    \fn QStringList QSocketIoSocketEmitter::socketIds() const
    Returns the ids of the sockets connected to this namespace on this node.
*/
/*!
    \fn bool QSocketIoSocketEmitter::isWritable(const QString &socketId) const
    Returns whether the connection of \a socketId can take a packet now without buffering it: a volatile
    packet is dropped for a socket that is not writable. \c false for an unknown socket.
*/
/*!
    \fn void QSocketIoSocketEmitter::send(const QStringList &socketIds, const QSocketIoBroadcastPacket &packet, bool isVolatile)
    Encodes \a packet once (as an EVENT of this namespace, BINARY_EVENT when it holds binary) and sends it to
    each socket of \a socketIds. With \a isVolatile, a socket that is not writable skips it.
*/
/*!
    \fn QStringList QSocketIoSocketEmitter::sendWithAck(const QStringList &socketIds, const QSocketIoBroadcastPacket &packet, QObject *lifetime, const AckCallback &ack)
    Gives \a packet a new acknowledgement id of this namespace, encodes it once and sends it to each socket of
    \a socketIds, except those whose pending acknowledgements reached the server's maxPendingAcksPerSocket
    (they are skipped with a warning). Calls \a ack for each answer as long as \a lifetime exists. Returns the
    sockets the packet went to.
*/
/*!
    \fn void QSocketIoSocketEmitter::joinRooms(const QStringList &socketIds, const QStringList &rooms)
    Makes each socket of \a socketIds join \a rooms, as QSocketIoSocket::join() does (the adapter's addAll()
    is called back).
*/
/*!
    \fn void QSocketIoSocketEmitter::leaveRooms(const QStringList &socketIds, const QStringList &rooms)
    Makes each socket of \a socketIds leave \a rooms, as QSocketIoSocket::leave() does.
*/
/*!
    \fn void QSocketIoSocketEmitter::disconnectSockets(const QStringList &socketIds, bool close)
    Disconnects each socket of \a socketIds from the namespace; with \a close, its whole connection is closed.
    A socket that goes while others are disconnected is skipped.
*/
/*!
    \fn QList<QSocketIoRemoteSocket> QSocketIoSocketEmitter::socketSnapshots(const QStringList &socketIds) const
    Returns a snapshot of each connected socket of \a socketIds: id, handshake (in Node's form), rooms and
    data, marked local.
*/
/*!
    \fn void QSocketIoSocketEmitter::serverSideEvent(const QString &event, const QVariantList &args, const ReplyFunction &reply)
    Hands the server-side event \a event with \a args from another node to the namespace: it emits
    QSocketIoNamespace::serverSideEventReceived(), or, when \a reply is set,
    QSocketIoNamespace::serverSideEventWithAckReceived() with an acknowledgement that calls \a reply once.
*/
