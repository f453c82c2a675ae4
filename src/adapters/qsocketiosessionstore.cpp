// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include <QtSocketIo/qsocketiosessionstore.h>

/*!
    \class QSocketIoSessionStore
    \inmodule QtSocketIo
    \brief Persistence for connection state recovery: kept sessions and replayable packets.

    Set one with QSocketIoServer::setSessionStore(). The server works from memory and writes every change
    through, so a restarted server that is given the same store recovers the clients that come back in time.
*/

QSocketIoSessionStore::QSocketIoSessionStore(QObject *parent) : QObject(parent) {}
QSocketIoSessionStore::~QSocketIoSessionStore() = default;
