// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include <QtSocketIo/qsocketiosqlitesessionstore.h>

#include "qtsocketiologging_p.h"

#include <QtCore/qdatastream.h>
#include <QtCore/qiodevice.h>
#include <QtSql/qsqldatabase.h>
#include <QtSql/qsqlerror.h>
#include <QtSql/qsqlquery.h>

#include <atomic>

/*!
    \class QSocketIoSqliteSessionStore
    \inmodule QtSocketIo
    \brief A QSocketIoSessionStore in an SQLite database file.
*/

class QSocketIoSqliteSessionStorePrivate
{
public:
    QSocketIoSqliteSessionStore *q = nullptr;
    QString fileName;
    QString connection;
    QString error;
    QSocketIoSqliteSessionStore::Error errorCode = QSocketIoSqliteSessionStore::Error::NoError;
    bool open = false;

    QSqlDatabase db() const { return QSqlDatabase::database(connection, false); }
    void setError(QSocketIoSqliteSessionStore::Error code, const QString &message)
    {
        errorCode = code;
        error = message;
        Q_EMIT q->errorOccurred(code);
    }
    bool exec(QSqlQuery &query)
    {
        if (query.exec())
            return true;
        qCWarning(lcRecovery) << "session store" << fileName << ":" << query.lastError().text();
        setError(open ? QSocketIoSqliteSessionStore::Error::QueryError : QSocketIoSqliteSessionStore::Error::OpenError,
                 query.lastError().text());
        return false;
    }
};

namespace {

template <typename T>
QByteArray pack(const T &value)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << value;
    return bytes;
}

template <typename T>
T unpack(const QByteArray &bytes)
{
    T value;
    QDataStream in(bytes);
    in.setVersion(QDataStream::Qt_6_4);
    in >> value;
    if (in.status() != QDataStream::Ok)
        return T();
    return value;
}

} // namespace

QSocketIoSqliteSessionStore::QSocketIoSqliteSessionStore(const QString &fileName, QObject *parent)
    : QSocketIoSessionStore(parent), d(std::make_unique<QSocketIoSqliteSessionStorePrivate>())
{
    static std::atomic<int> counter{0};
    d->q = this;
    d->fileName = fileName;
    d->connection = QStringLiteral("qtsocketio-sessionstore-%1").arg(++counter);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), d->connection);
    db.setDatabaseName(fileName);
    if (!db.open()) {
        d->setError(Error::OpenError, db.lastError().text());
        qCWarning(lcRecovery) << "cannot open the session store" << fileName << ":" << d->error;
        return;
    }
    const char *const statements[] = {
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=NORMAL",
        "CREATE TABLE IF NOT EXISTS sessions (nsp TEXT NOT NULL, pid TEXT NOT NULL, sid TEXT NOT NULL,"
        " rooms BLOB, data BLOB, disconnected_at INTEGER NOT NULL, base_offset INTEGER NOT NULL,"
        " PRIMARY KEY (nsp, pid))",
        "CREATE TABLE IF NOT EXISTS packets (nsp TEXT NOT NULL, offset INTEGER NOT NULL,"
        " emitted_at INTEGER NOT NULL, rooms BLOB, except_rooms BLOB, data BLOB, PRIMARY KEY (nsp, offset))",
        "CREATE TABLE IF NOT EXISTS pruned (nsp TEXT PRIMARY KEY, up_to INTEGER NOT NULL)",
    };
    for (const char *statement : statements) {
        QSqlQuery query(db);
        query.prepare(QString::fromLatin1(statement));
        if (!d->exec(query))
            return;
    }
    d->open = true;
}

QSocketIoSqliteSessionStore::~QSocketIoSqliteSessionStore()
{
    {
        QSqlDatabase db = d->db();
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(d->connection);
}

bool QSocketIoSqliteSessionStore::isOpen() const { return d->open; }
QSocketIoSqliteSessionStore::Error QSocketIoSqliteSessionStore::error() const { return d->errorCode; }
QString QSocketIoSqliteSessionStore::errorString() const { return d->error; }
QString QSocketIoSqliteSessionStore::fileName() const { return d->fileName; }

QList<QSocketIoStoredSession> QSocketIoSqliteSessionStore::loadSessions(const QString &nsp)
{
    QList<QSocketIoStoredSession> out;
    if (!d->open)
        return out;
    QSqlQuery query(d->db());
    query.prepare(QStringLiteral("SELECT pid, sid, rooms, data, disconnected_at, base_offset FROM sessions"
                                 " WHERE nsp = ?"));
    query.addBindValue(nsp);
    if (!d->exec(query))
        return out;
    while (query.next()) {
        QSocketIoStoredSession session;
        session.pid = query.value(0).toString();
        session.sid = query.value(1).toString();
        session.rooms = unpack<QStringList>(query.value(2).toByteArray());
        session.data = unpack<QVariantMap>(query.value(3).toByteArray());
        session.disconnectedAt = query.value(4).toLongLong();
        session.baseOffset = query.value(5).toLongLong();
        out.append(session);
    }
    return out;
}

QList<QSocketIoStoredPacket> QSocketIoSqliteSessionStore::loadPackets(const QString &nsp)
{
    QList<QSocketIoStoredPacket> out;
    if (!d->open)
        return out;
    QSqlQuery query(d->db());
    query.prepare(QStringLiteral("SELECT offset, emitted_at, rooms, except_rooms, data FROM packets"
                                 " WHERE nsp = ? ORDER BY offset"));
    query.addBindValue(nsp);
    if (!d->exec(query))
        return out;
    while (query.next()) {
        QSocketIoStoredPacket packet;
        packet.offset = query.value(0).toLongLong();
        packet.emittedAt = query.value(1).toLongLong();
        packet.rooms = unpack<QStringList>(query.value(2).toByteArray());
        packet.except = unpack<QStringList>(query.value(3).toByteArray());
        packet.data = unpack<QVariantList>(query.value(4).toByteArray());
        if (!packet.data.isEmpty())
            out.append(packet);
    }
    return out;
}

qint64 QSocketIoSqliteSessionStore::prunedOffset(const QString &nsp)
{
    if (!d->open)
        return -1;
    QSqlQuery query(d->db());
    query.prepare(QStringLiteral("SELECT up_to FROM pruned WHERE nsp = ?"));
    query.addBindValue(nsp);
    if (!d->exec(query) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

void QSocketIoSqliteSessionStore::saveSession(const QString &nsp, const QSocketIoStoredSession &session)
{
    if (!d->open)
        return;
    QSqlQuery query(d->db());
    query.prepare(QStringLiteral("INSERT OR REPLACE INTO sessions (nsp, pid, sid, rooms, data, disconnected_at,"
                                 " base_offset) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(nsp);
    query.addBindValue(session.pid);
    query.addBindValue(session.sid);
    query.addBindValue(pack(session.rooms));
    query.addBindValue(pack(session.data));
    query.addBindValue(session.disconnectedAt);
    query.addBindValue(session.baseOffset);
    d->exec(query);
}

void QSocketIoSqliteSessionStore::removeSession(const QString &nsp, const QString &pid)
{
    if (!d->open)
        return;
    QSqlQuery query(d->db());
    query.prepare(QStringLiteral("DELETE FROM sessions WHERE nsp = ? AND pid = ?"));
    query.addBindValue(nsp);
    query.addBindValue(pid);
    d->exec(query);
}

void QSocketIoSqliteSessionStore::savePacket(const QString &nsp, const QSocketIoStoredPacket &packet)
{
    if (!d->open)
        return;
    QSqlQuery query(d->db());
    query.prepare(QStringLiteral("INSERT OR REPLACE INTO packets (nsp, offset, emitted_at, rooms, except_rooms, data)"
                                 " VALUES (?, ?, ?, ?, ?, ?)"));
    query.addBindValue(nsp);
    query.addBindValue(packet.offset);
    query.addBindValue(packet.emittedAt);
    query.addBindValue(pack(packet.rooms));
    query.addBindValue(pack(packet.except));
    query.addBindValue(pack(packet.data));
    d->exec(query);
}

void QSocketIoSqliteSessionStore::removePackets(const QString &nsp, qint64 upTo)
{
    if (!d->open)
        return;
    QSqlDatabase db = d->db();
    db.transaction();
    QSqlQuery remove(db);
    remove.prepare(QStringLiteral("DELETE FROM packets WHERE nsp = ? AND offset <= ?"));
    remove.addBindValue(nsp);
    remove.addBindValue(upTo);
    d->exec(remove);
    QSqlQuery mark(db);
    mark.prepare(QStringLiteral("INSERT INTO pruned (nsp, up_to) VALUES (?, ?)"
                                " ON CONFLICT(nsp) DO UPDATE SET up_to = MAX(up_to, excluded.up_to)"));
    mark.addBindValue(nsp);
    mark.addBindValue(upTo);
    d->exec(mark);
    db.commit();
}
