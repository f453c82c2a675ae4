// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOACK_H
#define QSOCKETIOACK_H

#include <QtSocketIo/qtsocketioglobal.h>

#include <QtCore/qmetatype.h>
#include <QtCore/qobject.h>
#include <QtCore/qshareddata.h>
#include <QtCore/qstringlist.h>
#include <QtCore/qvariant.h>

#include <memory>

class QSocketIoAckPrivate;

// The reply to an event sent with an acknowledgement: one client's answer, or, for a broadcast, every
// recipient's answer.
class QTSOCKETIO_EXPORT QSocketIoAck : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool finished READ isFinished NOTIFY finished)
    Q_PROPERTY(bool timedOut READ isTimedOut NOTIFY timedOut)
    Q_PROPERTY(QVariantList arguments READ arguments NOTIFY finished)
public:
    ~QSocketIoAck() override;

    bool isFinished() const;
    bool isTimedOut() const;
    bool isBroadcast() const;
    // The acknowledgement's arguments (a single recipient).
    QVariantList arguments() const;
    // A broadcast: each answering socket's arguments, in the order they arrived, and their ids.
    QList<QVariantList> responses() const;
    QStringList respondedSocketIds() const;
    // A broadcast: the recipients that had not answered when the timeout fired.
    QStringList timedOutSocketIds() const;
    // How many answers are awaited; for a cluster broadcast it grows as the nodes report their clients.
    int expectedCount() const;
    // Why it timed out ("operation has timed out", or for QSocketIoNamespace::serverSideEmitWithAck()
    // "timeout reached: only 1 responses received out of 2"); empty otherwise.
    QString errorString() const;

Q_SIGNALS:
    // Every answer arrived. For a single recipient, args are its arguments; for a broadcast, see responses().
    void finished(const QVariantList &arguments);
    // The timeout fired first. For a broadcast, responses() has what did arrive.
    void timedOut();

private:
    friend class QSocketIoAckPrivate;
    explicit QSocketIoAck(QObject *parent = nullptr);
    Q_DECLARE_PRIVATE(QSocketIoAck)
    Q_DISABLE_COPY(QSocketIoAck)
    std::unique_ptr<QSocketIoAckPrivate> d_ptr;
};

#endif
