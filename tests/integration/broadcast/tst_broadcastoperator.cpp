// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// One broadcast vocabulary on four entry points. Each check runs once per entry point (a data row each):
// QSocketIoServer (its main namespace), QSocketIoNamespace, QSocketIoBroadcast and QSocketIoSocket (whose
// to/in/except/local select every socket but itself, and whose asVolatile/timeout/compress flag what goes to
// itself), with raw SioTestClient clients over loopback.

#include <QtSocketIo/qsocketioack.h>
#include <QtSocketIo/qsocketiobroadcast.h>
#include <QtSocketIo/qsocketionamespace.h>
#include <QtSocketIo/qsocketioserver.h>
#include <QtSocketIo/qsocketiosocket.h>

#include "sioclient.h"
#include "siojoin.h"

#include <QtCore/qelapsedtimer.h>
#include <QtCore/qjsonarray.h>
#include <QtCore/qpointer.h>
#include <QtCore/qregularexpression.h>
#include <QtTest/qsignalspy.h>
#include <QtTest/qtest.h>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using Packet = SioTestClient::Packet;

namespace {

enum class Entry { Server, Namespace, Operator, Socket };

// Three clients in the main namespace: a (rooms r), b (r, x), c (y). The socket entry point is a's socket.
struct Fixture
{
    QSocketIoServer server;
    SioTestClient a, b, c;
    QPointer<QSocketIoSocket> sa, sb, sc;

    bool start()
    {
        if (!server.listen())
            return false;
        sa = SioTest::join(server, a);
        sb = SioTest::join(server, b);
        sc = SioTest::join(server, c);
        if (!sa || !sb || !sc)
            return false;
        sa->join(u"r"_s);
        sb->join(QStringList{u"r"_s, u"x"_s});
        sc->join(u"y"_s);
        return true;
    }
    SioTestClient *client(const QString &name)
    {
        return name == u"a"_s ? &a : name == u"b"_s ? &b : &c;
    }
    // Which of a, b, c got `event` (each exactly once), after a marker sent to all of them behind it.
    QStringList receivers(const QString &event)
    {
        static int round = 0;
        const QString marker = u"marker-"_s + QString::number(++round);
        server.emitEvent(marker);
        QStringList out;
        for (const QString &name : {u"a"_s, u"b"_s, u"c"_s}) {
            SioTestClient *cl = client(name);
            if (!cl->waitForEvent(marker))
                return {u"no marker for "_s + name};
            const int count = cl->countEvents(event);
            if (count > 1)
                return {u"twice to "_s + name};
            if (count == 1)
                out.append(name);
        }
        return out;
    }
};

// Each entry point's own members are called (the server's and the namespace's are the forwarders).
template <typename E>
QSocketIoBroadcast select(const E &e, const QString &how)
{
    if (how == u"to(QString)")
        return e.to(u"r"_s);
    if (how == u"to(QStringList)")
        return e.to(QStringList{u"x"_s, u"y"_s});
    if (how == u"in(QString)")
        return e.in(u"y"_s);
    if (how == u"in(QStringList)")
        return e.in(QStringList{u"r"_s, u"y"_s});
    if (how == u"except(QString)")
        return e.except(u"x"_s);
    if (how == u"except(QStringList)")
        return e.except(QStringList{u"x"_s, u"y"_s});
    if (how == u"to().except()")
        return e.to(u"r"_s).except(u"x"_s);
    if (how == u"local()")
        return e.local();
    Q_UNREACHABLE();
    return e.local();
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

} // namespace

Q_DECLARE_METATYPE(Entry)

class tst_BroadcastOperator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void selection_data();
    void selection();
    void flags_data();
    void flags();
    void emitWithAckForms_data();
    void emitWithAckForms();
    void ackTimeout_data();
    void ackTimeout();
    void noTimeoutStopsWaitingForDisconnected_data();
    void noTimeoutStopsWaitingForDisconnected();
    void socketOperations_data();
    void socketOperations();
    void socketFlags();
    void socketFlagsThenBroadcast();
    void socketNoTimeoutThenDisconnect();

private:
    void addEntryRows(bool withSocket = true);
    template <typename Check>
    void onEntry(Fixture &f, Entry entry, const Check &check);
    // The same, for checks that do not apply to a socket.
    template <typename Check>
    void onBroadcastEntry(Fixture &f, Entry entry, const Check &check);
};

void tst_BroadcastOperator::addEntryRows(bool withSocket)
{
    QTest::addColumn<Entry>("entry");
    QTest::addRow("server") << Entry::Server;
    QTest::addRow("namespace") << Entry::Namespace;
    QTest::addRow("QSocketIoBroadcast") << Entry::Operator;
    if (withSocket)
        QTest::addRow("socket") << Entry::Socket;
}

// Runs check(entryPoint) with the entry point of the row; the same generic lambda for every kind.
template <typename Check>
void tst_BroadcastOperator::onEntry(Fixture &f, Entry entry, const Check &check)
{
    switch (entry) {
    case Entry::Server: check(f.server); break;
    case Entry::Namespace: check(*f.server.mainNamespace()); break;
    case Entry::Operator: {
        QSocketIoBroadcast op = f.server.all();
        check(op);
        break;
    }
    case Entry::Socket: check(*f.sa); break;
    }
}

template <typename Check>
void tst_BroadcastOperator::onBroadcastEntry(Fixture &f, Entry entry, const Check &check)
{
    switch (entry) {
    case Entry::Server: check(f.server); break;
    case Entry::Namespace: check(*f.server.mainNamespace()); break;
    case Entry::Operator: {
        QSocketIoBroadcast op = f.server.all();
        check(op);
        break;
    }
    case Entry::Socket: QFAIL("no socket row"); break;
    }
}

void tst_BroadcastOperator::selection_data()
{
    QTest::addColumn<Entry>("entry");
    QTest::addColumn<QString>("how");
    QTest::addColumn<QStringList>("expected");
    const struct { const char *how; QStringList all; QStringList others; } cases[] = {
        // Everyone / the socket entry point (a), which never selects itself.
        {"to(QString)", {u"a"_s, u"b"_s}, {u"b"_s}},
        {"to(QStringList)", {u"b"_s, u"c"_s}, {u"b"_s, u"c"_s}},
        {"in(QString)", {u"c"_s}, {u"c"_s}},
        {"in(QStringList)", {u"a"_s, u"b"_s, u"c"_s}, {u"b"_s, u"c"_s}},
        {"except(QString)", {u"a"_s, u"c"_s}, {u"c"_s}},
        {"except(QStringList)", {u"a"_s}, {}},
        {"to().except()", {u"a"_s}, {}},
        {"local()", {u"a"_s, u"b"_s, u"c"_s}, {u"b"_s, u"c"_s}},
    };
    const struct { const char *name; Entry entry; } entries[] = {
        {"server", Entry::Server}, {"namespace", Entry::Namespace},
        {"QSocketIoBroadcast", Entry::Operator}, {"socket", Entry::Socket},
    };
    for (const auto &e : entries) {
        for (const auto &c : cases) {
            QTest::addRow("%s %s", e.name, c.how) << e.entry << QString::fromLatin1(c.how)
                                                  << (e.entry == Entry::Socket ? c.others : c.all);
        }
    }
}

void tst_BroadcastOperator::selection()
{
    QFETCH(Entry, entry);
    QFETCH(QString, how);
    QFETCH(QStringList, expected);
    Fixture f;
    QVERIFY(f.start());
    onEntry(f, entry, [&](auto &e) { QVERIFY(select(e, how).emitEvent(u"news"_s, {1})); });
    QCOMPARE(f.receivers(u"news"_s), expected);
}

void tst_BroadcastOperator::flags_data()
{
    addEntryRows();
}

void tst_BroadcastOperator::flags()
{
    // The flags are accepted on every entry point and the event still goes out (every client's WebSocket
    // is idle, so a volatile one is not dropped). On the socket entry point they apply to the socket itself.
    QFETCH(Entry, entry);
    Fixture f;
    QVERIFY(f.start());
    const QStringList everyone{u"a"_s, u"b"_s, u"c"_s};
    const QStringList self = entry == Entry::Socket ? QStringList{u"a"_s} : everyone;
    onEntry(f, entry, [&](auto &e) {
        QVERIFY(e.asVolatile().emitEvent(u"volatile"_s, {1}));
        QVERIFY(e.compress(false).emitEvent(u"uncompressed"_s, {2}));
        QVERIFY(e.compress(true).asVolatile().send({3}));
        QVERIFY(e.emitEvent(u"plain"_s, {4}));
        QVERIFY(e.send({5}));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"reserved event"_s));
        QVERIFY(!e.emitEvent(u"connect"_s));   // reserved everywhere
    });
    QCOMPARE(f.receivers(u"volatile"_s), self);
    QCOMPARE(f.receivers(u"uncompressed"_s), self);
    QCOMPARE(f.receivers(u"plain"_s), self);
    Packet packet;
    QVERIFY(f.a.waitForEvent(u"message"_s, &packet));
    QCOMPARE(packet.eventArgs(), QJsonArray{3});
    QVERIFY(f.a.waitForEvent(u"message"_s, &packet));
    QCOMPARE(packet.eventArgs(), QJsonArray{5});
}

void tst_BroadcastOperator::emitWithAckForms_data()
{
    QTest::addColumn<Entry>("entry");
    QTest::addColumn<QString>("form");
    const struct { const char *name; Entry entry; } entries[] = {
        {"server", Entry::Server}, {"namespace", Entry::Namespace},
        {"QSocketIoBroadcast", Entry::Operator}, {"socket", Entry::Socket},
    };
    for (const auto &e : entries) {
        for (const char *form : {"reply", "reply+timeoutMs", "timeout().reply", "functor", "functor+timeoutMs"})
            QTest::addRow("%s %s", e.name, form) << e.entry << QString::fromLatin1(form);
    }
}

void tst_BroadcastOperator::emitWithAckForms()
{
    // The same overload set on every entry point. The entry point itself sends to every socket (a broadcast
    // reply, one answer per socket), or for the socket entry point to that socket (its client's answer).
    QFETCH(Entry, entry);
    QFETCH(QString, form);
    Fixture f;
    QVERIFY(f.start());
    const bool single = entry == Entry::Socket;
    QPointer<QSocketIoAck> reply;
    bool called = false;
    bool functorTimedOut = true;
    QVariantList answers;
    auto functor = [&](bool timedOut, const QVariantList &args) {
        called = true;
        functorTimedOut = timedOut;
        answers = args;
    };
    onEntry(f, entry, [&](auto &e) {
        if (form == u"reply")
            reply = e.emitWithAck(u"q"_s, {1});
        else if (form == u"reply+timeoutMs")
            reply = e.emitWithAck(u"q"_s, {1}, 5000);
        else if (form == u"timeout().reply")
            reply = e.timeout(5000).emitWithAck(u"q"_s, {1});
        else if (form == u"functor")
            e.emitWithAck(u"q"_s, {1}, this, functor);
        else
            e.emitWithAck(u"q"_s, {1}, 5000, this, functor);
    });
    QList<QVariantList> responses;
    QVariantList arguments;
    bool finished = false;
    if (reply) {
        QCOMPARE(reply->isBroadcast(), !single);
        connect(reply, &QSocketIoAck::finished, this, [&] {
            finished = true;
            responses = reply->responses();
            arguments = reply->arguments();
        });
    }
    const QStringList answering = single ? QStringList{u"a"_s} : QStringList{u"a"_s, u"b"_s, u"c"_s};
    for (const QString &name : answering) {
        Packet packet;
        QVERIFY(f.client(name)->waitForEvent(u"q"_s, &packet));
        QVERIFY(packet.id >= 0);
        f.client(name)->sendAck(packet.id, {name});
    }
    if (form.startsWith(u"functor")) {
        QTRY_VERIFY(called);
        QVERIFY(!functorTimedOut);
        if (single) {
            QCOMPARE(answers, QVariantList{u"a"_s});
        } else {
            QStringList got;
            for (const QVariant &answer : std::as_const(answers))
                got.append(answer.toList().value(0).toString());
            QCOMPARE(sorted(got), answering);
        }
    } else {
        QTRY_VERIFY(finished);
        if (single) {
            QCOMPARE(arguments, QVariantList{u"a"_s});
        } else {
            QStringList got;
            for (const QVariantList &response : std::as_const(responses))
                got.append(response.value(0).toString());
            QCOMPARE(sorted(got), answering);
        }
    }
    if (!single) {
        QCOMPARE(f.receivers(u"q"_s), QStringList());   // each got it once, taken above
    }
}

void tst_BroadcastOperator::ackTimeout_data()
{
    addEntryRows();
}

void tst_BroadcastOperator::ackTimeout()
{
    // timeout(ms) bounds the wait on every entry point; nobody answers here.
    QFETCH(Entry, entry);
    Fixture f;
    QVERIFY(f.start());
    QElapsedTimer elapsed;
    elapsed.start();
    QPointer<QSocketIoAck> reply;
    bool functorTimedOut = false;
    onEntry(f, entry, [&](auto &e) {
        reply = e.timeout(150).emitWithAck(u"silent"_s);
        e.timeout(std::chrono::milliseconds(150)).emitWithAck(u"silent2"_s, {}, this,
                                                              [&](bool timedOut, const QVariantList &) {
            functorTimedOut = timedOut;
        });
    });
    QVERIFY(reply);
    QSignalSpy timedOut(reply, &QSocketIoAck::timedOut);
    QSignalSpy finished(reply, &QSocketIoAck::finished);
    QTRY_COMPARE_WITH_TIMEOUT(timedOut.count(), 1, 3000);
    QVERIFY2(elapsed.elapsed() >= 120, qPrintable(QString::number(elapsed.elapsed())));
    QCOMPARE(finished.count(), 0);
    QTRY_VERIFY(functorTimedOut);
}

void tst_BroadcastOperator::noTimeoutStopsWaitingForDisconnected_data()
{
    addEntryRows();
}

void tst_BroadcastOperator::noTimeoutStopsWaitingForDisconnected()
{
    // No timeout() (the default everywhere): a broadcast waits for its recipients, but not for one that
    // disconnected. except("nobody") is every socket, or every other one from the socket entry point.
    QFETCH(Entry, entry);
    Fixture f;
    QVERIFY(f.start());
    QPointer<QSocketIoAck> reply;
    onEntry(f, entry, [&](auto &e) { reply = e.except(u"nobody"_s).emitWithAck(u"q"_s); });
    QVERIFY(reply);
    QSignalSpy timedOut(reply, &QSocketIoAck::timedOut);
    QStringList responded;
    int expected = -1;
    bool finished = false;
    connect(reply, &QSocketIoAck::finished, this, [&] {
        finished = true;
        responded = reply->respondedSocketIds();
        expected = reply->expectedCount();
    });
    QStringList answering{f.sb->id()};
    if (entry != Entry::Socket)
        answering.prepend(f.sa->id());
    for (SioTestClient *client : {&f.a, &f.b}) {
        Packet packet;
        if (client == &f.a && entry == Entry::Socket)
            continue;
        QVERIFY(client->waitForEvent(u"q"_s, &packet));
        client->sendAck(packet.id, {1});
    }
    QVERIFY(f.c.waitForEvent(u"q"_s));
    QTest::qWait(100);
    QVERIFY(!finished);   // still waiting for c
    f.c.close();
    QTRY_VERIFY(finished);
    QCOMPARE(timedOut.count(), 0);
    QCOMPARE(sorted(responded), sorted(answering));
    QCOMPARE(expected, int(answering.size()));
}

void tst_BroadcastOperator::socketOperations_data()
{
    addEntryRows(false);   // Node's Socket has none of these either
}

void tst_BroadcastOperator::socketOperations()
{
    QFETCH(Entry, entry);
    Fixture f;
    QVERIFY(f.start());
    onBroadcastEntry(f, entry, [&](auto &e) {
        e.to(u"x"_s).socketsJoin({u"joined"_s});
        QVERIFY(f.sb->isInRoom(u"joined"_s));
        QVERIFY(!f.sa->isInRoom(u"joined"_s));
        e.socketsJoin({u"everyone"_s});
        QVERIFY(f.sa->isInRoom(u"everyone"_s) && f.sc->isInRoom(u"everyone"_s));
        e.except(u"r"_s).socketsLeave({u"everyone"_s});
        QVERIFY(!f.sc->isInRoom(u"everyone"_s) && f.sa->isInRoom(u"everyone"_s));

        QStringList fetched;
        bool fetchedDone = false;
        e.in(u"r"_s).fetchSockets(this, [&](const QList<QSocketIoSocket *> &sockets) {
            for (QSocketIoSocket *socket : sockets)
                fetched.append(socket->id());
            fetchedDone = true;
        });
        QStringList remote;
        bool remoteDone = false;
        e.fetchRemoteSockets(this, [&](const QList<QSocketIoRemoteSocket> &sockets, const QString &error) {
            QVERIFY(error.isEmpty());
            for (const QSocketIoRemoteSocket &socket : sockets)
                remote.append(socket.id());
            remoteDone = true;
        });
        QTRY_VERIFY(fetchedDone && remoteDone);
        QCOMPARE(sorted(fetched), sorted({f.sa->id(), f.sb->id()}));
        QCOMPARE(sorted(remote), sorted({f.sa->id(), f.sb->id(), f.sc->id()}));

        e.in(u"y"_s).disconnectSockets();
        QTRY_VERIFY(!f.sc);
        QVERIFY(f.sa && f.sb);
    });
    QVERIFY(f.c.waitForType(1));   // DISCONNECT from the server
}

void tst_BroadcastOperator::socketFlags()
{
    // Node's socket.volatile / socket.compress(false) / socket.timeout(ms): flags for what goes to this socket.
    Fixture f;
    QVERIFY(f.start());
    QVERIFY(f.sa->asVolatile().emitEvent(u"v"_s, {1}));
    QVERIFY(f.sa->compress(false).emitEvent(u"c"_s, {2}));
    QCOMPARE(f.receivers(u"v"_s), QStringList{u"a"_s});
    QCOMPARE(f.receivers(u"c"_s), QStringList{u"a"_s});

    // socket->timeout(100).emitWithAck(): a single reply that times out like Node's socket.timeout(100).emit(ev, cb).
    QElapsedTimer elapsed;
    elapsed.start();
    QPointer<QSocketIoAck> reply = f.sa->timeout(100).emitWithAck(u"silent"_s);
    QVERIFY(reply && !reply->isBroadcast());
    QSignalSpy timedOut(reply, &QSocketIoAck::timedOut);
    QTRY_COMPARE_WITH_TIMEOUT(timedOut.count(), 1, 3000);
    QVERIFY2(elapsed.elapsed() >= 80, qPrintable(QString::number(elapsed.elapsed())));
    QVERIFY(f.a.waitForEvent(u"silent"_s));

    // Answered in time: the client's arguments.
    QVariantList answer;
    f.sa->timeout(5000).emitWithAck(u"ask"_s, {}, this, [&](bool didTimeOut, const QVariantList &args) {
        QVERIFY(!didTimeOut);
        answer = args;
    });
    Packet packet;
    QVERIFY(f.a.waitForEvent(u"ask"_s, &packet));
    f.a.sendAck(packet.id, {u"yes"_s, 2});
    QTRY_COMPARE(answer, (QVariantList{u"yes"_s, 2}));

    // The flags do not stick to the socket (Node resets them after each emit).
    QPointer<QSocketIoAck> forever = f.sa->emitWithAck(u"later"_s);
    QTest::qWait(200);
    QVERIFY(forever && !forever->isTimedOut() && !forever->isFinished());
    QVERIFY(f.a.waitForEvent(u"later"_s, &packet));
    f.a.sendAck(packet.id, {});
    QTRY_VERIFY(!forever);
}

void tst_BroadcastOperator::socketFlagsThenBroadcast()
{
    // socket.timeout(100).to("r"): a broadcast to the others in r (not a itself) with the flag, as in Node.
    Fixture f;
    QVERIFY(f.start());
    QPointer<QSocketIoAck> reply = f.sa->timeout(100).to(u"r"_s).emitWithAck(u"q"_s);
    QVERIFY(reply && reply->isBroadcast());
    QSignalSpy timedOut(reply, &QSocketIoAck::timedOut);
    QStringList pending;
    connect(reply, &QSocketIoAck::timedOut, this, [&] { pending = reply->timedOutSocketIds(); });
    QTRY_COMPARE_WITH_TIMEOUT(timedOut.count(), 1, 3000);
    QCOMPARE(pending, QStringList{f.sb->id()});
    QCOMPARE(f.receivers(u"q"_s), QStringList{u"b"_s});

    QVERIFY(f.sa->asVolatile().local().emitEvent(u"v"_s));
    QCOMPARE(f.receivers(u"v"_s), (QStringList{u"b"_s, u"c"_s}));
    QVERIFY(f.sa->compress(false).except(u"y"_s).emitEvent(u"w"_s));
    QCOMPARE(f.receivers(u"w"_s), QStringList{u"b"_s});
}

void tst_BroadcastOperator::socketNoTimeoutThenDisconnect()
{
    // A socket's own emitWithAck with no timeout times out when the socket goes away.
    Fixture f;
    QVERIFY(f.start());
    QPointer<QSocketIoAck> reply = f.sb->emitWithAck(u"q"_s);
    QSignalSpy timedOut(reply, &QSocketIoAck::timedOut);
    QVERIFY(f.b.waitForEvent(u"q"_s));
    f.b.close();
    QTRY_COMPARE(timedOut.count(), 1);
}

QTEST_MAIN(tst_BroadcastOperator)

#include "tst_broadcastoperator.moc"
