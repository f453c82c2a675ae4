// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOTRAFFIC_P_H
#define QSOCKETIOTRAFFIC_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtCore/qdatetime.h>
#include <QtCore/qhash.h>
#include <QtCore/qlist.h>
#include <QtCore/qstring.h>

// Engine-level traffic of a server, per second: what the Admin UI's "aggregatedEvents" report (engine
// connections and disconnections, Engine.IO messages and bytes both ways), and the polling connections.
// It exists only once a QSocketIoAdminUi instrumented the server: until then each hook is one null test.
struct QSocketIoTraffic
{
    struct Second
    {
        qint64 timestamp = 0;   // ms since the epoch, at the start of the second
        qint64 packetsIn = 0;
        qint64 packetsOut = 0;
        qint64 bytesIn = 0;
        qint64 bytesOut = 0;
        qint64 connections = 0;
        QHash<QString, qint64> disconnections;   // by Engine.IO close reason
    };
    // At most this many seconds are kept between two reads (a reader that stopped cannot grow it).
    static constexpr int MaxSeconds = 600;

    QList<Second> seconds;
    int pollingClients = 0;

    Second &now()
    {
        const qint64 second = QDateTime::currentMSecsSinceEpoch() / 1000 * 1000;
        if (seconds.isEmpty() || seconds.last().timestamp != second) {
            if (seconds.size() >= MaxSeconds)
                seconds.removeFirst();
            seconds.append(Second{second});
        }
        return seconds.last();
    }
    void packetIn(qint64 bytes) { Second &s = now(); ++s.packetsIn; s.bytesIn += bytes; }
    void packetOut(qint64 bytes) { Second &s = now(); ++s.packetsOut; s.bytesOut += bytes; }
    QList<Second> take() { return std::exchange(seconds, {}); }
};

#endif
