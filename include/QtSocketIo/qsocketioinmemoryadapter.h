// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOINMEMORYADAPTER_H
#define QSOCKETIOINMEMORYADAPTER_H

#include <QtSocketIo/qsocketioadapter.h>

class QSocketIoInMemoryAdapterPrivate;

class QTSOCKETIO_EXPORT QSocketIoInMemoryAdapter : public QSocketIoAdapter
{
public:
    explicit QSocketIoInMemoryAdapter(QSocketIoNamespace *nsp);
    ~QSocketIoInMemoryAdapter() override;

    void addAll(const QString &socketId, const QStringList &rooms) override;
    void del(const QString &socketId, const QString &room) override;
    void delAll(const QString &socketId) override;
    QStringList socketRooms(const QString &socketId) const override;
    QStringList rooms() const override;
    bool hasRoom(const QString &room) const override;
    QStringList selectSockets(const QSocketIoBroadcastOptions &options) const override;

protected:
    QSocketIoInMemoryAdapter(QSocketIoInMemoryAdapterPrivate &dd, QSocketIoNamespace *nsp);

private:
    Q_DECLARE_PRIVATE(QSocketIoInMemoryAdapter)
    Q_DISABLE_COPY(QSocketIoInMemoryAdapter)
};

#endif
