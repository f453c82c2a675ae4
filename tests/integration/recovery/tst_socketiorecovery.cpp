// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Connection state recovery (issue 8) through the public API, over loopback with a raw client: the wire
// (pid, offsets, missed packets before the CONNECT reply), restore of id, rooms and data, expiry, the stored
// packet cap, middlewares, bad input, and the SQLite store shared by two server instances in turn.

#include <QtSocketIo/qsocketioconnectionstaterecovery.h>
#include <QtSocketIo/qsocketionamespace.h>
#include <QtSocketIo/qsocketionext.h>
#include <QtSocketIo/qsocketioserver.h>
#include <QtSocketIo/qsocketiosqlitesessionstore.h>
#include <QtSocketIo/qsocketiosocket.h>

#include "siojoin.h"

#include <QtCore/qjsonarray.h>
#include <QtCore/qjsonobject.h>
#include <QtCore/qpointer.h>
#include <QtCore/qtemporarydir.h>
#include <QtSql/qsqldatabase.h>
#include <QtSql/qsqlquery.h>
#include <QtTest/qsignalspy.h>
#include <QtTest/qtest.h>

#include <memory>

using namespace Qt::StringLiterals;
using Packet = SioTestClient::Packet;

namespace {

QSocketIoConnectionStateRecovery recoveryOn(int maxDuration = 5000, int maxPackets = 10000, bool skip = true)
{
    QSocketIoConnectionStateRecovery options;
    options.setEnabled(true);
    options.setMaxDisconnectionDuration(maxDuration);
    options.setMaxStoredPackets(maxPackets);
    options.setSkipMiddlewares(skip);
    return options;
}

struct Joined
{
    QPointer<QSocketIoSocket> socket;
    QString sid;
    QString pid;
};

// Opens the client, joins "/" with auth and returns the server's socket with the CONNECT reply's sid and pid.
Joined join(QSocketIoServer &server, SioTestClient &client, const QJsonObject &auth = {})
{
    Joined out;
    Packet reply;
    out.socket = SioTest::join(server, client, u"/"_s, auth, &reply);
    if (reply.type == 0) {
        out.sid = reply.data.toObject().value(u"sid"_s).toString();
        out.pid = reply.data.toObject().value(u"pid"_s).toString();
    }
    return out;
}

// A store in memory that watches one pid: whether its session row was ever missing after it was first written.
// A crash at that moment would lose the session.
class WatchingStore : public QSocketIoSessionStore
{
public:
    QString watched;
    bool written = false;
    bool gap = false;
    QHash<QString, QSocketIoStoredSession> sessions;
    QList<QSocketIoStoredPacket> packets;

    QList<QSocketIoStoredSession> loadSessions(const QString &) override { return sessions.values(); }
    QList<QSocketIoStoredPacket> loadPackets(const QString &) override { return packets; }
    qint64 prunedOffset(const QString &) override { return -1; }
    void saveSession(const QString &, const QSocketIoStoredSession &session) override
    {
        sessions.insert(session.pid, session);
        written = written || session.pid == watched;
    }
    void removeSession(const QString &, const QString &pid) override
    {
        sessions.remove(pid);
        gap = gap || (written && pid == watched);
    }
    void savePacket(const QString &, const QSocketIoStoredPacket &packet) override { packets.append(packet); }
    void removePackets(const QString &, qint64 upTo) override
    {
        packets.removeIf([upTo](const QSocketIoStoredPacket &p) { return p.offset <= upTo; });
    }
};

} // namespace

class tst_SocketIoRecovery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<QSocketIoSocket *>(); }
    void defaults();
    void offByDefault();
    void offsetsOnTheWire();
    void restore();
    void staleConnectionReplaced();
    void voluntaryDisconnectNotKept();
    void expiry();
    void packetCap_data();
    void packetCap();
    void middlewares_data();
    void middlewares();
    void badInput_data();
    void badInput();
    void sqliteStoreAcrossServers();
    void sqliteStoreErrors();
    void storeKeepsSessionThroughRecovery();
};

void tst_SocketIoRecovery::defaults()
{
    const QSocketIoConnectionStateRecovery options;
    QVERIFY(!options.isEnabled());
    QCOMPARE(options.maxDisconnectionDuration(), 120000);
    QVERIFY(options.skipMiddlewares());
    QCOMPARE(options.maxStoredPackets(), 10000);
    QSocketIoServer server;
    QVERIFY(!server.connectionStateRecovery().isEnabled());
    QSignalSpy changed(&server, &QSocketIoServer::connectionStateRecoveryChanged);
    server.setConnectionStateRecovery(recoveryOn());
    server.setConnectionStateRecovery(recoveryOn());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(server.connectionStateRecovery(), recoveryOn());
}

void tst_SocketIoRecovery::offByDefault()
{
    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient client;
    const Joined j = join(server, client);
    QVERIFY(j.socket);
    QVERIFY(j.pid.isEmpty());
    server.emitEvent(u"hello"_s, {1});
    Packet p;
    QVERIFY(client.waitForEvent(u"hello"_s, &p));
    QCOMPARE(p.eventArgs(), QJsonArray({1}));
}

void tst_SocketIoRecovery::offsetsOnTheWire()
{
    QSocketIoServer server;
    server.setConnectionStateRecovery(recoveryOn());
    QVERIFY(server.listen());
    SioTestClient client;
    const Joined j = join(server, client);
    QVERIFY(j.socket);
    QVERIFY(!j.pid.isEmpty());
    QVERIFY(j.pid != j.sid);
    server.emitEvent(u"broadcast"_s, {1});
    j.socket->emitEvent(u"direct"_s, {2});
    server.asVolatile().emitEvent(u"volatile"_s, {3});
    Packet a, b, c;
    QVERIFY(client.waitForEvent(u"broadcast"_s, &a));
    QVERIFY(client.waitForEvent(u"direct"_s, &b));
    QVERIFY(client.waitForEvent(u"volatile"_s, &c));
    QCOMPARE(a.eventArgs().size(), 2);
    QCOMPARE(b.eventArgs().size(), 2);
    QCOMPARE(c.eventArgs(), QJsonArray({3}));   // volatile: not stored, no offset
    QVERIFY(b.eventArgs().at(1).toString().toLongLong() > a.eventArgs().at(1).toString().toLongLong());
    // With an ack id: no offset either.
    j.socket->emitWithAck(u"ask"_s, {4}, 1000);
    QVERIFY(client.waitForEvent(u"ask"_s, &a));
    QCOMPARE(a.eventArgs(), QJsonArray({4}));
}

void tst_SocketIoRecovery::restore()
{
    QSocketIoServer server;
    server.setConnectionStateRecovery(recoveryOn());
    QVERIFY(server.listen());
    SioTestClient first;
    Joined j = join(server, first);
    QVERIFY(j.socket);
    j.socket->join(u"a"_s);
    j.socket->setDataValue(u"user"_s, u"bob"_s);
    server.to(u"a"_s).emitEvent(u"m0"_s);
    Packet p;
    QVERIFY(first.waitForEvent(u"m0"_s, &p));
    const QString offset = p.eventArgs().last().toString();
    QSignalSpy gone(j.socket.data(), &QSocketIoSocket::disconnected);
    first.close();
    QTRY_COMPARE_WITH_TIMEOUT(gone.count(), 1, 5000);
    QCOMPARE(gone.first().first().value<QSocketIoSocket::DisconnectReason>(),
             QSocketIoSocket::DisconnectReason::TransportClose);

    server.to(u"a"_s).emitEvent(u"m1"_s, {QByteArray("\x01\x02", 2)});   // binary: replayed with its attachment
    server.to(u"b"_s).emitEvent(u"m2"_s);
    server.except(u"a"_s).emitEvent(u"m3"_s);
    server.emitEvent(u"m4"_s);

    QSignalSpy recovered(server.mainNamespace(), &QSocketIoNamespace::connectionRecovered);
    QSignalSpy connections(&server, &QSocketIoServer::newConnection);
    SioTestClient second;
    second.open(server.serverPort());
    QVERIFY(second.waitForOpen());
    second.connectNamespace(u"/"_s, QJsonObject{{u"pid"_s, j.pid}, {u"offset"_s, offset}});
    QVERIFY(second.waitForType(0));
    QCOMPARE(recovered.count(), 1);
    QCOMPARE(connections.count(), 1);
    QSocketIoSocket *socket = server.mainNamespace()->socket(j.sid);
    QVERIFY(socket);
    QCOMPARE(socket->id(), j.sid);
    QVERIFY(socket->isRecovered());
    QCOMPARE(socket->rooms(), QStringList({j.sid, u"a"_s}));
    QCOMPARE(socket->data().value(u"user"_s).toString(), u"bob"_s);
    // The Socket.IO frames: the missed events in order, then the CONNECT reply with the same sid and pid.
    QStringList frames;
    for (const QString &frame : second.textFrames()) {
        if (frame.startsWith(u'4'))
            frames.append(frame);
    }
    QCOMPARE(frames.size(), 3);
    QVERIFY2(frames.at(0).startsWith(u"451-[\"m1\",{\"_placeholder\":true,\"num\":0},\""_s), qPrintable(frames.at(0)));
    QVERIFY2(frames.at(1).startsWith(u"42[\"m4\",\""_s), qPrintable(frames.at(1)));
    QCOMPARE(frames.at(2), u"40{\"pid\":\"%1\",\"sid\":\"%2\"}"_s.arg(j.pid, j.sid));
    Packet m1;
    QVERIFY(second.waitForEvent(u"m1"_s, &m1));
    QCOMPARE(m1.attachments, QList<QByteArray>({QByteArray("\x01\x02", 2)}));
}

void tst_SocketIoRecovery::staleConnectionReplaced()
{
    QSocketIoServer server;
    server.setConnectionStateRecovery(recoveryOn());
    QVERIFY(server.listen());
    SioTestClient stale;
    Joined j = join(server, stale);
    QVERIFY(j.socket);
    j.socket->join(u"a"_s);
    QSocketIoNamespace *chat = server.of(u"/chat"_s);
    stale.joinNamespace(u"/chat"_s);   // a second namespace on the stale connection: closed along
    QTRY_COMPARE(chat->socketCount(), 1);
    QSignalSpy gone(j.socket.data(), &QSocketIoSocket::disconnected);
    server.to(u"a"_s).emitEvent(u"lost"_s);   // written to the stale connection; its client never reads it

    SioTestClient fresh;
    const Joined again = join(server, fresh, QJsonObject{{u"pid"_s, j.pid}});
    QVERIFY(again.socket);
    QCOMPARE(again.sid, j.sid);
    QVERIFY(again.socket->isRecovered());
    QCOMPARE(gone.count(), 1);
    QCOMPARE(gone.first().first().value<QSocketIoSocket::DisconnectReason>(),
             QSocketIoSocket::DisconnectReason::ForcedClose);
    QCOMPARE(fresh.countEvents(u"lost"_s), 1);
    QVERIFY(stale.waitForClosed());
    QTRY_COMPARE(chat->socketCount(), 0);
    QCOMPARE(server.mainNamespace()->socketCount(), 1);
}

void tst_SocketIoRecovery::voluntaryDisconnectNotKept()
{
    QSocketIoServer server;
    server.setConnectionStateRecovery(recoveryOn());
    QVERIFY(server.listen());
    SioTestClient first;
    Joined j = join(server, first);
    QVERIFY(j.socket);
    first.disconnectNamespace();
    QTRY_VERIFY(!j.socket);
    SioTestClient second;
    const Joined again = join(server, second, QJsonObject{{u"pid"_s, j.pid}});
    QVERIFY(again.socket);
    QVERIFY(again.sid != j.sid);
    QVERIFY(!again.socket->isRecovered());
}

void tst_SocketIoRecovery::expiry()
{
    QSocketIoServer server;
    server.setConnectionStateRecovery(recoveryOn(300));
    QVERIFY(server.listen());
    SioTestClient first;
    Joined j = join(server, first);
    QVERIFY(j.socket);
    j.socket->join(u"x"_s);
    j.socket->setDataValue(u"k"_s, 1);
    QSignalSpy expired(server.mainNamespace(), &QSocketIoNamespace::sessionExpired);
    first.close();
    QTRY_COMPARE_WITH_TIMEOUT(expired.count(), 1, 5000);
    QCOMPARE(expired.first().at(0).toString(), j.sid);
    QCOMPARE(expired.first().at(1).toStringList(), QStringList({j.sid, u"x"_s}));
    QCOMPARE(expired.first().at(2).toMap().value(u"k"_s).toInt(), 1);
    SioTestClient second;
    const Joined again = join(server, second, QJsonObject{{u"pid"_s, j.pid}});
    QVERIFY(again.socket);
    QVERIFY(!again.socket->isRecovered());
}

void tst_SocketIoRecovery::packetCap_data()
{
    QTest::addColumn<int>("cap");
    QTest::addColumn<bool>("recovers");
    QTest::newRow("cap above the missed packets") << 10 << true;
    QTest::newRow("missed packets pushed out") << 3 << false;
    QTest::newRow("no cap") << 0 << true;
}

void tst_SocketIoRecovery::packetCap()
{
    QFETCH(int, cap);
    QFETCH(bool, recovers);
    QSocketIoServer server;
    server.setConnectionStateRecovery(recoveryOn(5000, cap));
    QVERIFY(server.listen());
    SioTestClient first;
    Joined j = join(server, first);
    QVERIFY(j.socket);
    server.emitEvent(u"m0"_s);
    Packet p;
    QVERIFY(first.waitForEvent(u"m0"_s, &p));
    const QString offset = p.eventArgs().last().toString();
    first.close();
    QTRY_VERIFY(!j.socket);
    for (int i = 1; i <= 5; ++i)
        server.emitEvent(u"m"_s + QString::number(i));
    SioTestClient second;
    const Joined again = join(server, second, QJsonObject{{u"pid"_s, j.pid}, {u"offset"_s, offset}});
    QVERIFY(again.socket);
    QCOMPARE(again.socket->isRecovered(), recovers);
    QCOMPARE(again.sid == j.sid, recovers);
    QCOMPARE(second.countEvents(u"m5"_s), recovers ? 1 : 0);
}

void tst_SocketIoRecovery::middlewares_data()
{
    QTest::addColumn<bool>("skip");
    QTest::newRow("skipMiddlewares") << true;
    QTest::newRow("middlewares run first") << false;
}

void tst_SocketIoRecovery::middlewares()
{
    QFETCH(bool, skip);
    QSocketIoServer server;
    server.setConnectionStateRecovery(recoveryOn(5000, 100, skip));
    int calls = 0;
    bool refuse = false;
    server.mainNamespace()->use([&](QSocketIoSocket *, const QSocketIoNext &next) {
        ++calls;
        if (refuse)
            next.reject(u"not now"_s);
        else
            next();
    });
    QVERIFY(server.listen());
    SioTestClient first;
    Joined j = join(server, first);
    QVERIFY(j.socket);
    QCOMPARE(calls, 1);
    first.close();
    QTRY_VERIFY(!j.socket);
    server.emitEvent(u"missed"_s);

    if (!skip) {
        // Refused: nothing was replayed, and the session is still kept.
        refuse = true;
        SioTestClient refused;
        refused.open(server.serverPort());
        QVERIFY(refused.waitForOpen());
        refused.connectNamespace(u"/"_s, QJsonObject{{u"pid"_s, j.pid}});
        QVERIFY(refused.waitForType(4));
        QCOMPARE(refused.countEvents(u"missed"_s), 0);
        QCOMPARE(calls, 2);
        refuse = false;
    }
    SioTestClient second;
    const Joined again = join(server, second, QJsonObject{{u"pid"_s, j.pid}});
    QVERIFY(again.socket);
    QVERIFY(again.socket->isRecovered());
    QCOMPARE(again.sid, j.sid);
    QCOMPARE(second.countEvents(u"missed"_s), 1);
    QCOMPARE(calls, skip ? 1 : 3);
}

void tst_SocketIoRecovery::badInput_data()
{
    QTest::addColumn<QString>("auth");   // %1: the real pid
    QTest::newRow("pid number") << u"{\"pid\":5,\"offset\":\"1\"}"_s;
    QTest::newRow("pid object") << u"{\"pid\":{\"a\":1}}"_s;
    QTest::newRow("pid null") << u"{\"pid\":null,\"offset\":null}"_s;
    QTest::newRow("unknown pid") << u"{\"pid\":\"nope\",\"offset\":\"1\"}"_s;
    QTest::newRow("offset number") << u"{\"pid\":\"%1\",\"offset\":12}"_s;
    QTest::newRow("offset array") << u"{\"pid\":\"%1\",\"offset\":[\"1\"]}"_s;
    QTest::newRow("offset garbage") << u"{\"pid\":\"%1\",\"offset\":\"zz\"}"_s;
    QTest::newRow("offset negative") << u"{\"pid\":\"%1\",\"offset\":\"-5\"}"_s;
    QTest::newRow("offset from the future") << u"{\"pid\":\"%1\",\"offset\":\"9223372036854775807\"}"_s;
    QTest::newRow("offset overflow") << u"{\"pid\":\"%1\",\"offset\":\"99999999999999999999999\"}"_s;
}

void tst_SocketIoRecovery::badInput()
{
    QFETCH(QString, auth);
    QSocketIoServer server;
    server.setConnectionStateRecovery(recoveryOn());
    QVERIFY(server.listen());
    SioTestClient first;
    Joined j = join(server, first);
    QVERIFY(j.socket);
    first.close();
    QTRY_VERIFY(!j.socket);

    SioTestClient second;
    second.open(server.serverPort());
    QVERIFY(second.waitForOpen());
    second.sendPacket(u"0"_s + (auth.contains(u"%1"_s) ? auth.arg(j.pid) : auth));
    Packet reply;
    if (second.waitForPacket([](const Packet &p) { return p.type == 0 || p.type == 4; }, &reply, 3000) && reply.type == 0) {
        QVERIFY(reply.data.toObject().value(u"sid"_s).toString() != j.sid);
        QVERIFY(!reply.data.toObject().value(u"pid"_s).toString().isEmpty());
    } else {
        QVERIFY(reply.type == 4 || second.isClosed() || second.waitForClosed(3000));   // refused, not crashed
    }
    // The kept session is still there for the real client.
    SioTestClient third;
    const Joined again = join(server, third, QJsonObject{{u"pid"_s, j.pid}});
    QVERIFY(again.socket);
    QVERIFY(again.socket->isRecovered());
}

void tst_SocketIoRecovery::sqliteStoreAcrossServers()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(u"sessions.sqlite"_s);
    QString sid, pid, offset;
    {
        QSocketIoSqliteSessionStore store(file);
        QVERIFY2(store.isOpen(), qPrintable(store.errorString()));
        QSocketIoServer server;
        server.setConnectionStateRecovery(recoveryOn(10000));
        server.setSessionStore(&store);
        QVERIFY(server.listen());
        SioTestClient client;
        Joined j = join(server, client);
        QVERIFY(j.socket);
        j.socket->join(u"a"_s);
        j.socket->setData({{u"nested"_s, QVariantMap{{u"list"_s, QVariantList{1, u"two"_s}}}}});
        server.to(u"a"_s).emitEvent(u"m0"_s);
        Packet p;
        QVERIFY(client.waitForEvent(u"m0"_s, &p));
        offset = p.eventArgs().last().toString();
        sid = j.sid;
        pid = j.pid;
        client.close();
        QTRY_VERIFY(!j.socket);
        server.to(u"a"_s).emitEvent(u"m1"_s, {QByteArray("bin")});
        server.to(u"b"_s).emitEvent(u"other"_s);
        server.close();
    }
    QSocketIoSqliteSessionStore store(file);
    QVERIFY(store.isOpen());
    QCOMPARE(store.loadSessions(u"/"_s).size(), 1);
    QSocketIoServer server;
    server.setConnectionStateRecovery(recoveryOn(10000));
    server.setSessionStore(&store);
    QVERIFY(server.listen());
    server.to(u"a"_s).emitEvent(u"m2"_s);
    SioTestClient client;
    const Joined again = join(server, client, QJsonObject{{u"pid"_s, pid}, {u"offset"_s, offset}});
    QVERIFY(again.socket);
    QVERIFY(again.socket->isRecovered());
    QCOMPARE(again.sid, sid);
    QCOMPARE(again.socket->rooms(), QStringList({sid, u"a"_s}));
    QCOMPARE(again.socket->data().value(u"nested"_s).toMap().value(u"list"_s).toList(), QVariantList({1, u"two"_s}));
    Packet m1, m2;
    QVERIFY(client.waitForEvent(u"m1"_s, &m1));
    QCOMPARE(m1.attachments, QList<QByteArray>({QByteArray("bin")}));
    QVERIFY(client.waitForEvent(u"m2"_s, &m2));
    QCOMPARE(client.countEvents(u"other"_s), 0);
    // Taken back, and stored again as a live session (a crash of this process would keep it).
    QList<QSocketIoStoredSession> rows = store.loadSessions(u"/"_s);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().sid, sid);
    QCOMPARE(rows.first().disconnectedAt, 0);
    // A voluntary disconnect removes it.
    client.disconnectNamespace();
    QTRY_VERIFY(!again.socket);
    QVERIFY(store.loadSessions(u"/"_s).isEmpty());
    server.setSessionStore(nullptr);
}

// The store's errors have the library's one shape: error() + errorString() + errorOccurred(Error).
void tst_SocketIoRecovery::sqliteStoreErrors()
{
    using Error = QSocketIoSqliteSessionStore::Error;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // A file in a folder that does not exist cannot be opened.
    QSocketIoSqliteSessionStore missing(dir.filePath(u"no/such/folder/sessions.sqlite"_s));
    QVERIFY(!missing.isOpen());
    QCOMPARE(missing.error(), Error::OpenError);
    QVERIFY(!missing.errorString().isEmpty());

    // A write that fails (its table was dropped behind the store's back) is signalled as a QueryError.
    const QString file = dir.filePath(u"sessions.sqlite"_s);
    QSocketIoSqliteSessionStore store(file);
    QVERIFY2(store.isOpen(), qPrintable(store.errorString()));
    QCOMPARE(store.error(), Error::NoError);
    QVERIFY(store.errorString().isEmpty());
    {
        QSqlDatabase other = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst-drop"_s);
        other.setDatabaseName(file);
        QVERIFY(other.open());
        QSqlQuery drop(other);
        QVERIFY(drop.exec(u"DROP TABLE packets"_s));
        other.close();
    }
    QSqlDatabase::removeDatabase(u"tst-drop"_s);
    QSignalSpy errors(&store, &QSocketIoSqliteSessionStore::errorOccurred);
    store.savePacket(u"/"_s, {1, 1, {}, {}, {u"event"_s, u"1"_s}});
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.first().first().value<Error>(), Error::QueryError);
    QCOMPARE(store.error(), Error::QueryError);
    QVERIFY(!store.errorString().isEmpty());
}

// A crash (SIGKILL) can come at any instruction: while a session is taken back (its missed packets sent, the
// CONNECT reply not yet), its row must stay in the store, or the client, which never got the reply and comes back
// with the same pid, would get a fresh session from the restarted server.
void tst_SocketIoRecovery::storeKeepsSessionThroughRecovery()
{
    WatchingStore store;
    QSocketIoServer server;
    server.setConnectionStateRecovery(recoveryOn(10000));
    server.setSessionStore(&store);
    QVERIFY(server.listen());
    SioTestClient client;
    Joined j = join(server, client);
    QVERIFY(j.socket);
    store.watched = j.pid;
    j.socket->join(u"a"_s);   // written again as live
    QVERIFY(store.written);
    server.to(u"a"_s).emitEvent(u"m0"_s);
    Packet p;
    QVERIFY(client.waitForEvent(u"m0"_s, &p));
    const QString offset = p.eventArgs().last().toString();
    client.close();
    QTRY_VERIFY(!j.socket);
    server.to(u"a"_s).emitEvent(u"m1"_s);

    SioTestClient again;
    const Joined back = join(server, again, QJsonObject{{u"pid"_s, j.pid}, {u"offset"_s, offset}});
    QVERIFY(back.socket);
    QVERIFY(back.socket->isRecovered());
    QVERIFY(again.waitForEvent(u"m1"_s));
    QVERIFY2(!store.gap, "the session's row was removed while it was taken back");
    QVERIFY(store.sessions.contains(j.pid));
    QCOMPARE(store.sessions.value(j.pid).disconnectedAt, 0);
    server.setSessionStore(nullptr);
}

QTEST_MAIN(tst_SocketIoRecovery)
#include "tst_socketiorecovery.moc"
