// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QQMLSOCKETIOMONITOR_P_H
#define QQMLSOCKETIOMONITOR_P_H

#include "qtsocketioqml_export.h"

#include <QtCore/qelapsedtimer.h>
#include <QtCore/qhash.h>
#include <QtCore/qobject.h>
#include <QtCore/qpointer.h>
#include <QtCore/qtimer.h>
#include <QtQml/qqml.h>

class QSocketIoNamespace;
class QSocketIoSocket;
class QQmlSocketIoServer;
class QQmlSocketIoMonitorSocketModel;
class QQmlSocketIoRoomModel;
class QQmlSocketIoNamespaceModel;
class QQmlSocketIoEventLogModel;
Q_MOC_INCLUDE("qqmlsocketioserver_p.h")
Q_MOC_INCLUDE("qqmlsocketiomonitorsocketmodel_p.h")
Q_MOC_INCLUDE("qqmlsocketioroommodel_p.h")
Q_MOC_INCLUDE("qqmlsocketionamespacemodel_p.h")
Q_MOC_INCLUDE("qqmlsocketioeventlogmodel_p.h")

// SocketIoMonitor: watches a SocketIoServer and keeps four models live (sockets, rooms, namespaces, the event
// log) and the event rates. The core's signals are connected only while a monitor watches a server: a server
// without one pays nothing. Everything is bounded: the log holds maxCount entries, the histories
// historyLength samples, and the rates are computed on a timer (rateInterval), not per event.
class QTSOCKETIOQML_EXPORT QQmlSocketIoMonitor : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(SocketIoMonitor)
    Q_PROPERTY(QQmlSocketIoServer *server READ server WRITE setServer NOTIFY serverChanged)
    Q_PROPERTY(QQmlSocketIoMonitorSocketModel *sockets READ sockets CONSTANT)
    Q_PROPERTY(QQmlSocketIoRoomModel *rooms READ rooms CONSTANT)
    Q_PROPERTY(QQmlSocketIoNamespaceModel *namespaces READ namespaces CONSTANT)
    Q_PROPERTY(QQmlSocketIoEventLogModel *events READ events CONSTANT)
    Q_PROPERTY(int rateInterval READ rateInterval WRITE setRateInterval NOTIFY rateIntervalChanged)
    Q_PROPERTY(int historyLength READ historyLength WRITE setHistoryLength NOTIFY historyLengthChanged)
    Q_PROPERTY(double eventsInPerSecond READ eventsInPerSecond NOTIFY ratesChanged)
    Q_PROPERTY(double eventsOutPerSecond READ eventsOutPerSecond NOTIFY ratesChanged)
    Q_PROPERTY(double totalEventsIn READ totalEventsIn NOTIFY ratesChanged)
    Q_PROPERTY(double totalEventsOut READ totalEventsOut NOTIFY ratesChanged)
    Q_PROPERTY(QList<qreal> inRateHistory READ inRateHistory NOTIFY ratesChanged)
    Q_PROPERTY(QList<qreal> outRateHistory READ outRateHistory NOTIFY ratesChanged)
public:
    explicit QQmlSocketIoMonitor(QObject *parent = nullptr);
    ~QQmlSocketIoMonitor() override;

    QQmlSocketIoServer *server() const { return m_server; }
    void setServer(QQmlSocketIoServer *server);
    QQmlSocketIoMonitorSocketModel *sockets() const { return m_sockets; }
    QQmlSocketIoRoomModel *rooms() const { return m_rooms; }
    QQmlSocketIoNamespaceModel *namespaces() const { return m_namespaces; }
    QQmlSocketIoEventLogModel *events() const { return m_events; }
    int rateInterval() const { return m_rateTimer.interval(); }
    void setRateInterval(int milliseconds);
    int historyLength() const { return m_historyLength; }
    void setHistoryLength(int samples);
    double eventsInPerSecond() const { return m_inRate; }
    double eventsOutPerSecond() const { return m_outRate; }
    double totalEventsIn() const { return double(m_totalIn); }
    double totalEventsOut() const { return double(m_totalOut); }
    QList<qreal> inRateHistory() const { return m_inHistory; }
    QList<qreal> outRateHistory() const { return m_outHistory; }

Q_SIGNALS:
    void serverChanged();
    void rateIntervalChanged();
    void historyLengthChanged();
    void ratesChanged();

private:
    void detach();
    void watchNamespace(QSocketIoNamespace *nsp);
    void watchSocket(QSocketIoSocket *socket);
    void socketGone(QSocketIoSocket *socket, const QString &reason, bool log);
    void joined(const QString &nsp, const QString &room, const QString &socketId);
    void left(const QString &nsp, const QString &room, const QString &socketId);
    void log(QSocketIoSocket *socket, const QString &kind, const QString &event, const QString &detail);
    void log(const QString &nsp, const QString &socketId, const QString &kind, const QString &detail);
    void tick();

    QPointer<QQmlSocketIoServer> m_server;
    QObject *m_context = nullptr;   // receiver of every connection to the server: deleted to drop them all
    QMetaObject::Connection m_serverGone;
    QQmlSocketIoMonitorSocketModel *m_sockets;
    QQmlSocketIoRoomModel *m_rooms;
    QQmlSocketIoNamespaceModel *m_namespaces;
    QQmlSocketIoEventLogModel *m_events;
    QHash<QSocketIoNamespace *, QString> m_watched;
    QHash<QString, QSocketIoSocket *> m_byId;  // namespace + '\n' + socket id: the watched sockets
    QTimer m_rateTimer;
    QElapsedTimer m_sinceTick;
    int m_historyLength = 60;
    quint64 m_in = 0;
    quint64 m_out = 0;
    quint64 m_totalIn = 0;
    quint64 m_totalOut = 0;
    double m_inRate = 0;
    double m_outRate = 0;
    QList<qreal> m_inHistory;
    QList<qreal> m_outHistory;
};

#endif
