// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The value classes behave like Qt's: copies share until written, moves are noexcept and leave an object that
// can be assigned to and destroyed, swap() (member and free) exchanges values, and Q_DECLARE_SHARED makes them
// relocatable. Each test runs once per class (the data rows).
#include <QtSocketIo/qsocketioack.h>
#include <QtSocketIo/qsocketiobroadcast.h>
#include <QtSocketIo/qsocketioconnectionstaterecovery.h>
#include <QtSocketIo/qsocketiocorsoptions.h>
#include <QtSocketIo/qsocketiohandshake.h>
#include <QtSocketIo/qsocketionext.h>
#include <QtSocketIo/qsocketioremotesocket.h>
#include <QtSocketIo/qsocketioserver.h>
#include <QtSocketIo/qsocketiosessionstore.h>

#include "engine/qengineio_p.h"
#include "server/qsocketioackcallback_p.h"
#include "engine/qsocketiohandshake_p.h"

#include <QtTest/qtest.h>

#include <memory>
#include <type_traits>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

QSocketIoServer *theServer = nullptr;   // for QSocketIoBroadcast, which only a namespace makes

// For each class: two different values, what can be observed of one (equal fingerprints: equal values), and
// for the classes with setters a write (to check that a copy detaches).
template <typename T>
struct Sample;

template <>
struct Sample<QSocketIoHandshake>
{
    static QSocketIoHandshake make(const QByteArray &target, const QByteArray &origin, const QVariantMap &auth)
    {
        QEngineIo::RequestInfo request;
        request.http.method = "GET";
        request.http.target = target;
        request.http.query = target.mid(target.indexOf('?') + 1);
        if (!origin.isEmpty())
            request.http.headers.append("Origin", origin);
        request.http.headers.append("X-Test", target);
        request.peerAddress = QHostAddress::LocalHost;
        return QSocketIoHandshakePrivate::create(request, auth);
    }
    static QSocketIoHandshake first() { return make("/socket.io/?EIO=4&a=1", "http://a", {{u"token"_s, 1}}); }
    static QSocketIoHandshake second() { return make("/socket.io/?EIO=4&b=2", {}, {}); }
    static QVariant fingerprint(const QSocketIoHandshake &v)
    {
        return QVariantList{v.headers(), v.query(), v.auth(), v.address(), v.url(), v.isSecure(), v.isCrossDomain()};
    }
    static constexpr bool writable = false;
    static void write(QSocketIoHandshake &) {}
};

template <>
struct Sample<QSocketIoCorsOptions>
{
    static QSocketIoCorsOptions first()
    {
        QSocketIoCorsOptions v;
        v.setAllowedOrigins({u"https://a.example"_s});
        v.setMaxAge(10);
        return v;
    }
    static QSocketIoCorsOptions second()
    {
        QSocketIoCorsOptions v;
        v.setReflectOrigin(true);
        v.setCredentials(true);
        v.setExposedHeaders({u"X-B"_s});
        return v;
    }
    static QVariant fingerprint(const QSocketIoCorsOptions &v)
    {
        return QVariantList{v.isEnabled(), v.allowedOrigins(), v.reflectOrigin(), v.methods(), v.allowedHeaders(),
                            v.exposedHeaders(), v.credentials(), v.maxAge()};
    }
    static constexpr bool writable = true;
    static void write(QSocketIoCorsOptions &v) { v.setMethods({u"GET"_s}); }
};

template <>
struct Sample<QSocketIoRemoteSocket>
{
    static QSocketIoRemoteSocket first()
    {
        return QSocketIoRemoteSocket(u"id-a"_s, {{u"url"_s, u"/a"_s}}, {u"id-a"_s, u"room"_s}, 1, true);
    }
    static QSocketIoRemoteSocket second() { return QSocketIoRemoteSocket(u"id-b"_s, {}, {u"id-b"_s}, u"b"_s); }
    static QVariant fingerprint(const QSocketIoRemoteSocket &v)
    {
        return QVariantList{v.isNull(), v.id(), v.handshake(), v.rooms(), v.data(), v.isLocal()};
    }
    static constexpr bool writable = false;
    static void write(QSocketIoRemoteSocket &) {}
};

template <>
struct Sample<QSocketIoConnectionStateRecovery>
{
    static QSocketIoConnectionStateRecovery first()
    {
        QSocketIoConnectionStateRecovery v;
        v.setEnabled(true);
        v.setMaxDisconnectionDuration(5000);
        return v;
    }
    static QSocketIoConnectionStateRecovery second()
    {
        QSocketIoConnectionStateRecovery v;
        v.setSkipMiddlewares(false);
        v.setMaxStoredPackets(7);
        return v;
    }
    static QVariant fingerprint(const QSocketIoConnectionStateRecovery &v)
    {
        return QVariantList{v.isEnabled(), v.maxDisconnectionDuration(), v.skipMiddlewares(), v.maxStoredPackets()};
    }
    static constexpr bool writable = true;
    static void write(QSocketIoConnectionStateRecovery &v) { v.setMaxStoredPackets(v.maxStoredPackets() + 1); }
};

// Explicitly shared: copies are the same callback, so the fingerprint is its state (valid, answered).
template <>
struct Sample<QSocketIoAckCallback>
{
    static QSocketIoAckCallback first() { return QSocketIoAckCallbackPrivate::create([](const QVariantList &) {}); }
    static QSocketIoAckCallback second()
    {
        QSocketIoAckCallback v = QSocketIoAckCallbackPrivate::create([](const QVariantList &) {});
        v.reply({1});
        return v;
    }
    static QVariant fingerprint(const QSocketIoAckCallback &v) { return QVariantList{v.isValid(), v.isAnswered()}; }
    static constexpr bool writable = false;
    static void write(QSocketIoAckCallback &) {}
};

template <>
struct Sample<QSocketIoNext>
{
    static QSocketIoNext first() { return QSocketIoNext([](bool, const QString &, const QVariant &) {}); }
    static QSocketIoNext second()
    {
        QSocketIoNext v([](bool, const QString &, const QVariant &) {});
        v.reject(u"no"_s);
        return v;
    }
    static QVariant fingerprint(const QSocketIoNext &v) { return QVariantList{v.isDone()}; }
    static constexpr bool writable = false;
    static void write(QSocketIoNext &) {}
};

// A broadcast shows nothing of its selection: the fingerprint is what it selects (nothing, without clients).
template <>
struct Sample<QSocketIoBroadcast>
{
    static QSocketIoBroadcast first() { return theServer->to(u"a"_s); }
    static QSocketIoBroadcast second() { return theServer->to(u"b"_s).except(u"c"_s); }
    static QVariant fingerprint(const QSocketIoBroadcast &v) { return QVariantList{v.sockets().size()}; }
    static constexpr bool writable = false;
    static void write(QSocketIoBroadcast &) {}
};

template <>
struct Sample<QSocketIoStoredSession>
{
    static QSocketIoStoredSession first() { return {u"sid-a"_s, u"pid-a"_s, {u"sid-a"_s, u"r"_s}, {{u"k"_s, 1}}, 10, 3}; }
    static QSocketIoStoredSession second() { return {u"sid-b"_s, u"pid-b"_s, {u"sid-b"_s}, {}, 20, -1}; }
    static QVariant fingerprint(const QSocketIoStoredSession &v)
    {
        return QVariantList{v.sid, v.pid, v.rooms, v.data, v.disconnectedAt, v.baseOffset};
    }
    static constexpr bool writable = true;
    static void write(QSocketIoStoredSession &v) { v.rooms.append(u"more"_s); }
};

template <>
struct Sample<QSocketIoStoredPacket>
{
    static QSocketIoStoredPacket first() { return {1, 100, {u"r"_s}, {u"x"_s}, {u"event"_s, 1, u"1"_s}}; }
    static QSocketIoStoredPacket second() { return {2, 200, {}, {}, {u"other"_s, u"2"_s}}; }
    static QVariant fingerprint(const QSocketIoStoredPacket &v)
    {
        return QVariantList{v.offset, v.emittedAt, v.rooms, v.except, v.data};
    }
    static constexpr bool writable = true;
    static void write(QSocketIoStoredPacket &v) { v.data.append(3); }
};

// What Q_DECLARE_SHARED and the move/swap block promise, checked by the compiler.
template <typename T>
constexpr bool isQtValue()
{
    return std::is_nothrow_move_constructible_v<T> && std::is_nothrow_move_assignable_v<T>
            && noexcept(std::declval<T &>().swap(std::declval<T &>()))
            && noexcept(swap(std::declval<T &>(), std::declval<T &>())) && QTypeInfo<T>::isRelocatable
            && std::is_copy_constructible_v<T> && std::is_copy_assignable_v<T>;
}
static_assert(isQtValue<QSocketIoHandshake>());
static_assert(isQtValue<QSocketIoCorsOptions>());
static_assert(isQtValue<QSocketIoRemoteSocket>());
static_assert(isQtValue<QSocketIoConnectionStateRecovery>());
static_assert(isQtValue<QSocketIoAckCallback>());
static_assert(isQtValue<QSocketIoNext>());
static_assert(isQtValue<QSocketIoBroadcast>());
static_assert(isQtValue<QSocketIoStoredSession>());
static_assert(isQtValue<QSocketIoStoredPacket>());

} // namespace

class tst_ValueClasses : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void samplesDiffer_data() { rows(); }
    void samplesDiffer();
    void copy_data() { rows(); }
    void copy();
    void moveConstruct_data() { rows(); }
    void moveConstruct();
    void moveAssign_data() { rows(); }
    void moveAssign();
    void movedFromIsValid_data() { rows(); }
    void movedFromIsValid();
    void swapValues_data() { rows(); }
    void swapValues();
    void inContainers_data() { rows(); }
    void inContainers();

    void movedFromAckCallbackIsInvalid();

private:
    void rows();
    template <typename T> void checkSamplesDiffer();
    template <typename T> void checkCopy();
    template <typename T> void checkMoveConstruct();
    template <typename T> void checkMoveAssign();
    template <typename T> void checkMovedFromIsValid();
    template <typename T> void checkSwap();
    template <typename T> void checkInContainers();
};

enum Kind {
    Handshake, CorsOptions, RemoteSocket, ConnectionStateRecovery, AckCallback, Next, Broadcast, StoredSession,
    StoredPacket
};

void tst_ValueClasses::rows()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("QSocketIoHandshake") << int(Handshake);
    QTest::newRow("QSocketIoCorsOptions") << int(CorsOptions);
    QTest::newRow("QSocketIoRemoteSocket") << int(RemoteSocket);
    QTest::newRow("QSocketIoConnectionStateRecovery") << int(ConnectionStateRecovery);
    QTest::newRow("QSocketIoAckCallback") << int(AckCallback);
    QTest::newRow("QSocketIoNext") << int(Next);
    QTest::newRow("QSocketIoBroadcast") << int(Broadcast);
    QTest::newRow("QSocketIoStoredSession") << int(StoredSession);
    QTest::newRow("QSocketIoStoredPacket") << int(StoredPacket);
}

// Runs check<T>() for the row's class.
#define QTSOCKETIO_FOR_ROW(check) \
    do { \
        QFETCH(int, kind); \
        switch (Kind(kind)) { \
        case Handshake: check<QSocketIoHandshake>(); break; \
        case CorsOptions: check<QSocketIoCorsOptions>(); break; \
        case RemoteSocket: check<QSocketIoRemoteSocket>(); break; \
        case ConnectionStateRecovery: check<QSocketIoConnectionStateRecovery>(); break; \
        case AckCallback: check<QSocketIoAckCallback>(); break; \
        case Next: check<QSocketIoNext>(); break; \
        case Broadcast: check<QSocketIoBroadcast>(); break; \
        case StoredSession: check<QSocketIoStoredSession>(); break; \
        case StoredPacket: check<QSocketIoStoredPacket>(); break; \
        } \
    } while (false)

void tst_ValueClasses::initTestCase() { theServer = new QSocketIoServer; }

void tst_ValueClasses::cleanupTestCase()
{
    delete theServer;
    theServer = nullptr;
}

template <typename T>
void tst_ValueClasses::checkSamplesDiffer()
{
    using S = Sample<T>;
    // Two samples made alike compare alike (the fingerprint is a fair equality).
    QCOMPARE(S::fingerprint(S::first()), S::fingerprint(S::first()));
    if constexpr (!std::is_same_v<T, QSocketIoBroadcast>)
        QVERIFY(S::fingerprint(S::first()) != S::fingerprint(S::second()));
}
void tst_ValueClasses::samplesDiffer() { QTSOCKETIO_FOR_ROW(checkSamplesDiffer); }

template <typename T>
void tst_ValueClasses::checkCopy()
{
    using S = Sample<T>;
    const T original = S::first();
    const QVariant value = S::fingerprint(original);

    T constructed(original);
    QCOMPARE(S::fingerprint(constructed), value);
    T assigned = S::second();
    assigned = original;
    QCOMPARE(S::fingerprint(assigned), value);
    QCOMPARE(S::fingerprint(original), value);

    // Self-assignment keeps the value.
    T &alias = assigned;
    assigned = alias;
    QCOMPARE(S::fingerprint(assigned), value);

    // Writing to a copy detaches it: the original keeps its value.
    if constexpr (S::writable) {
        S::write(constructed);
        QVERIFY(S::fingerprint(constructed) != value);
        QCOMPARE(S::fingerprint(original), value);
        QCOMPARE(S::fingerprint(assigned), value);
    }
}
void tst_ValueClasses::copy() { QTSOCKETIO_FOR_ROW(checkCopy); }

template <typename T>
void tst_ValueClasses::checkMoveConstruct()
{
    using S = Sample<T>;
    T source = S::first();
    const QVariant value = S::fingerprint(source);
    T moved(std::move(source));
    QCOMPARE(S::fingerprint(moved), value);
    // A copy that shared the data still has it: the move took the reference, not the data.
    T shared = S::second();
    const T keep = shared;
    T taken(std::move(shared));
    QCOMPARE(S::fingerprint(taken), S::fingerprint(keep));
}
void tst_ValueClasses::moveConstruct() { QTSOCKETIO_FOR_ROW(checkMoveConstruct); }

template <typename T>
void tst_ValueClasses::checkMoveAssign()
{
    using S = Sample<T>;
    T source = S::first();
    T target = S::second();
    const QVariant sourceValue = S::fingerprint(source);
    const QVariant targetValue = S::fingerprint(target);
    target = std::move(source);
    QCOMPARE(S::fingerprint(target), sourceValue);
    // Move assignment is a swap for the implicitly shared classes: the source is left with a valid value.
    if constexpr (!std::is_same_v<T, QSocketIoStoredSession> && !std::is_same_v<T, QSocketIoStoredPacket>)
        QCOMPARE(S::fingerprint(source), targetValue);
    // Self-move-assignment leaves a valid object.
    T &alias = target;
    target = std::move(alias);
    Q_UNUSED(S::fingerprint(target));
}
void tst_ValueClasses::moveAssign() { QTSOCKETIO_FOR_ROW(checkMoveAssign); }

template <typename T>
void tst_ValueClasses::checkMovedFromIsValid()
{
    using S = Sample<T>;
    const QVariant first = S::fingerprint(S::first());
    const QVariant second = S::fingerprint(S::second());

    // A moved-from object can be copy-assigned to and then used.
    T a = S::first();
    T b(std::move(a));
    a = S::second();
    QCOMPARE(S::fingerprint(a), second);
    QCOMPARE(S::fingerprint(b), first);

    // ... move-assigned to.
    T c = S::first();
    T d(std::move(c));
    T e = S::second();
    c = std::move(e);
    QCOMPARE(S::fingerprint(c), second);
    QCOMPARE(S::fingerprint(d), first);

    // ... swapped with, and given a value back that way.
    T f = S::first();
    T g(std::move(f));
    T h = S::second();
    f.swap(h);
    QCOMPARE(S::fingerprint(f), second);
    h = g;
    QCOMPARE(S::fingerprint(h), first);

    // ... and destroyed (here, and on the heap).
    auto onHeap = std::make_unique<T>(S::first());
    T i(std::move(*onHeap));
    onHeap.reset();
    QCOMPARE(S::fingerprint(i), first);
}
void tst_ValueClasses::movedFromIsValid() { QTSOCKETIO_FOR_ROW(checkMovedFromIsValid); }

template <typename T>
void tst_ValueClasses::checkSwap()
{
    using S = Sample<T>;
    const QVariant first = S::fingerprint(S::first());
    const QVariant second = S::fingerprint(S::second());
    T a = S::first();
    T b = S::second();
    a.swap(b);
    QCOMPARE(S::fingerprint(a), second);
    QCOMPARE(S::fingerprint(b), first);
    swap(a, b);   // Q_DECLARE_SHARED's free swap(), found by ADL
    QCOMPARE(S::fingerprint(a), first);
    QCOMPARE(S::fingerprint(b), second);
    std::swap(a, b);
    QCOMPARE(S::fingerprint(a), second);
    QCOMPARE(S::fingerprint(b), first);
    a.swap(a);
    QCOMPARE(S::fingerprint(a), second);
}
void tst_ValueClasses::swapValues() { QTSOCKETIO_FOR_ROW(checkSwap); }

template <typename T>
void tst_ValueClasses::checkInContainers()
{
    using S = Sample<T>;
    // Relocatable: QList moves the bytes when it grows or erases; the values must survive that.
    QList<T> list;
    for (int i = 0; i < 100; ++i)
        list.append(i % 2 ? S::second() : S::first());
    list.removeFirst();
    list.insert(0, S::first());
    list.squeeze();
    for (int i = 0; i < list.size(); ++i)
        QCOMPARE(S::fingerprint(list.at(i)), S::fingerprint(i % 2 ? S::second() : S::first()));
}
void tst_ValueClasses::inContainers() { QTSOCKETIO_FOR_ROW(checkInContainers); }

// The explicitly shared callback is fully usable after a move: an invalid callback that ignores calls.
void tst_ValueClasses::movedFromAckCallbackIsInvalid()
{
    int calls = 0;
    QSocketIoAckCallback callback = QSocketIoAckCallbackPrivate::create([&calls](const QVariantList &) { ++calls; });
    QSocketIoAckCallback taken(std::move(callback));
    QVERIFY(!callback.isValid());   // NOLINT(bugprone-use-after-move): what is tested
    QVERIFY(!callback.isAnswered());
    callback({1});
    QCOMPARE(calls, 0);
    QVERIFY(taken.isValid());
    taken({1});
    QCOMPARE(calls, 1);
}

QTEST_GUILESS_MAIN(tst_ValueClasses)
#include "tst_valueclasses.moc"
