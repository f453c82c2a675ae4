// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOSQLITESESSIONSTORE_H
#define QSOCKETIOSQLITESESSIONSTORE_H

#include <QtSocketIo/qsocketiosessionstore.h>

#include <memory>

class QSocketIoSqliteSessionStorePrivate;

// A QSocketIoSessionStore in an SQLite file (QtSql's QSQLITE driver, in WAL mode). Values are kept with
// QDataStream, so binary arguments and nested maps survive.
class QTSOCKETIO_EXPORT QSocketIoSqliteSessionStore : public QSocketIoSessionStore
{
    Q_OBJECT
    Q_PROPERTY(Error error READ error NOTIFY errorOccurred)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorOccurred)
public:
    enum class Error {
        NoError,
        OpenError,   // the database could not be opened or set up (isOpen() is false)
        QueryError,  // a read or write failed; the server keeps working from memory
    };
    Q_ENUM(Error)

    // Opens (creating when missing) the database file.
    explicit QSocketIoSqliteSessionStore(const QString &fileName, QObject *parent = nullptr);
    ~QSocketIoSqliteSessionStore() override;

    bool isOpen() const;
    // The last error, with the driver's message in errorString().
    Error error() const;
    QString errorString() const;
    QString fileName() const;

    QList<QSocketIoStoredSession> loadSessions(const QString &nsp) override;
    QList<QSocketIoStoredPacket> loadPackets(const QString &nsp) override;
    qint64 prunedOffset(const QString &nsp) override;
    void saveSession(const QString &nsp, const QSocketIoStoredSession &session) override;
    void removeSession(const QString &nsp, const QString &pid) override;
    void savePacket(const QString &nsp, const QSocketIoStoredPacket &packet) override;
    void removePackets(const QString &nsp, qint64 upTo) override;

Q_SIGNALS:
    // A query failed (an open failure happens in the constructor: check isOpen() or error()).
    void errorOccurred(QSocketIoSqliteSessionStore::Error error);

private:
    friend class QSocketIoSqliteSessionStorePrivate;
    std::unique_ptr<QSocketIoSqliteSessionStorePrivate> d;
};

#endif
