// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Integration tests of the public Socket.IO API: a QSocketIoServer on loopback, driven by SioTestClient, a raw
// Engine.IO v4 / Socket.IO v5 client over QWebSocket (and RawHttpClient for the polling transport).

#include <QtSocketIo/qsocketioack.h>
#include <QtSocketIo/qsocketiobroadcast.h>
#include <QtSocketIo/qsocketiohandshake.h>
#include <QtSocketIo/qsocketionamespace.h>
#include <QtSocketIo/qsocketionext.h>
#include <QtSocketIo/qsocketioserver.h>
#include <QtSocketIo/qsocketiosocket.h>

#include "rawhttpclient.h"
#include "siojoin.h"

#include <QtCore/qelapsedtimer.h>
#include <QtCore/qeventloop.h>
#include <QtCore/qjsonarray.h>
#include <QtCore/qjsondocument.h>
#include <QtCore/qjsonobject.h>
#include <QtCore/qmetaobject.h>
#include <QtCore/qpointer.h>
#include <QtCore/qregularexpression.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qtcpserver.h>
#include <QtTest/qsignalspy.h>
#include <QtTest/qtest.h>

#include <memory>

using namespace Qt::StringLiterals;
using Reason = QSocketIoSocket::DisconnectReason;
using Packet = SioTestClient::Packet;
using SioTest::join;

namespace {

QJsonArray toJson(const QVariantList &list)
{
    return QJsonArray::fromVariantList(list);
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

QStringList ids(const QList<QSocketIoSocket *> &sockets)
{
    QStringList out;
    for (QSocketIoSocket *socket : sockets)
        out.append(socket->id());
    return sorted(out);
}

// What a reply showed when it signalled: it deletes itself right after, so tests look at this instead.
struct AckSnapshot
{
    int finishedCount = 0;
    int timedOutCount = 0;
    bool isFinished = false;
    bool isTimedOut = false;
    QVariantList arguments;
    QList<QVariantList> responses;
    QStringList responded;
    QStringList timedOutIds;

    void watch(QSocketIoAck *ack, QObject *context)
    {
        const auto take = [this, ack] {
            isFinished = ack->isFinished();
            isTimedOut = ack->isTimedOut();
            arguments = ack->arguments();
            responses = ack->responses();
            responded = ack->respondedSocketIds();
            timedOutIds = ack->timedOutSocketIds();
        };
        QObject::connect(ack, &QSocketIoAck::finished, context, [this, take] { ++finishedCount; take(); });
        QObject::connect(ack, &QSocketIoAck::timedOut, context, [this, take] { ++timedOutCount; take(); });
    }
};

} // namespace

class tst_SocketIoServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // QSocketIoServer
    void defaults();
    void setters_data();
    void setters();
    void chronoSetters();
    void listenAndClose();
    void listenOnBusyPort();
    void connectionCount();

    // Namespaces
    void connectNamespace_data();
    void connectNamespace();
    void severalNamespacesOnOneConnection();
    void disconnectInNewConnection();
    void invalidNamespace_data();
    void invalidNamespace();
    void dynamicNamespace_data();
    void dynamicNamespace();

    // Middleware
    void middleware_data();
    void middleware();
    void middlewareConnectionGone();
    void packetMiddleware();

    // Events and acknowledgements
    void events();
    void onAnyAndOff();
    void outgoingWatchers_data();
    void outgoingWatchers();
    void ackCallback_data();
    void ackCallback();
    void emitEvent_data();
    void emitEvent();
    void binaryEventFromClient();
    void reservedEvents_data();
    void reservedEvents();
    void emitWithAckFinished();
    void emitWithAckTimeout();
    void emitWithAckFunctor_data();
    void emitWithAckFunctor();
    void unknownAckIgnored();

    // Rooms and broadcasts
    void rooms();
    void broadcast_data();
    void broadcast();
    void volatileOnPolling();
    void broadcastWithAck_data();
    void broadcastWithAck();
    void fetchSockets();
    void socketsJoinLeave();
    void disconnectSockets_data();
    void disconnectSockets();

    // Socket state
    void data();
    void handshake_data();
    void handshake();

    // Disconnection
    void disconnectReasons_data();
    void disconnectReasons();
    void disconnectWhileDisconnecting();
    void connectTimeout();
    void ackAfterDisconnect();
    void upgradeChangesTransport();
    void emitOnDisconnectedSocket();
    void deleteServerWithClients();
    void deleteServerInsideHandler_data();
    void deleteServerInsideHandler();
};

void tst_SocketIoServer::initTestCase()
{
    qRegisterMetaType<QSocketIoSocket *>();
    qRegisterMetaType<QSocketIoAckCallback>();
}

// --- QSocketIoServer ---------------------------------------------------------------------------------------

void tst_SocketIoServer::defaults()
{
    QSocketIoServer server;
    QCOMPARE(server.path(), u"/socket.io/"_s);
    QCOMPARE(server.pingInterval(), 25000);
    QCOMPARE(server.pingTimeout(), 20000);
    QCOMPARE(server.upgradeTimeout(), 10000);
    QCOMPARE(server.connectTimeout(), 45000);
    QCOMPARE(server.maxHttpBufferSize(), qint64(1000000));
    QCOMPARE(server.transports(), QSocketIoServer::Transports(QSocketIoServer::Polling | QSocketIoServer::WebSocket));
    QVERIFY(server.allowUpgrades());
    QVERIFY(!server.allowEIO3());
    QVERIFY(!server.isListening());
    QCOMPARE(server.serverPort(), quint16(0));
    QCOMPARE(server.error(), QSocketIoServer::Error::NoError);
    QVERIFY(server.errorString().isEmpty());
    QCOMPARE(server.connectionCount(), 0);
    QVERIFY(server.mainNamespace());
    QCOMPARE(server.mainNamespace()->name(), u"/"_s);
    QCOMPARE(server.mainNamespace()->server(), &server);
    QCOMPARE(server.mainNamespace()->socketCount(), 0);
    QVERIFY(!server.mainNamespace()->isDynamic());
    QVERIFY(server.namespaces().contains(server.mainNamespace()));
    QCOMPARE(server.of(u"/"_s), server.mainNamespace());
    QCOMPARE(server.of(QString()), server.mainNamespace());
    // of() normalizes and returns the same object for the same name.
    QCOMPARE(server.of(u"chat"_s), server.of(u"/chat"_s));
    QCOMPARE(server.of(u"/chat"_s)->name(), u"/chat"_s);
}

void tst_SocketIoServer::setters_data()
{
    QTest::addColumn<QByteArray>("property");
    QTest::addColumn<QVariant>("value");

    QTest::addRow("path") << QByteArray("path") << QVariant(u"/custom/"_s);
    QTest::addRow("pingInterval") << QByteArray("pingInterval") << QVariant(300);
    QTest::addRow("pingTimeout") << QByteArray("pingTimeout") << QVariant(200);
    QTest::addRow("upgradeTimeout") << QByteArray("upgradeTimeout") << QVariant(1500);
    QTest::addRow("connectTimeout") << QByteArray("connectTimeout") << QVariant(300);
    QTest::addRow("maxHttpBufferSize") << QByteArray("maxHttpBufferSize") << QVariant(qint64(4096));
    QTest::addRow("transports") << QByteArray("transports")
                                << QVariant::fromValue(QSocketIoServer::Transports(QSocketIoServer::WebSocket));
    QTest::addRow("allowUpgrades") << QByteArray("allowUpgrades") << QVariant(false);
    QTest::addRow("allowEIO3") << QByteArray("allowEIO3") << QVariant(true);
}

void tst_SocketIoServer::setters()
{
    QFETCH(QByteArray, property);
    QFETCH(QVariant, value);

    QSocketIoServer server;
    const QMetaObject *mo = server.metaObject();
    const int index = mo->indexOfProperty(property.constData());
    QVERIFY(index >= 0);
    const QMetaProperty prop = mo->property(index);
    QVERIFY(prop.isWritable());
    QVERIFY(prop.hasNotifySignal());
    QSignalSpy spy(&server, prop.notifySignal());
    QVERIFY(spy.isValid());

    // Writing the current value changes nothing.
    QVERIFY(prop.write(&server, prop.read(&server)));
    QCOMPARE(spy.count(), 0);

    QVERIFY(prop.write(&server, value));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(prop.read(&server), value);

    QVERIFY(prop.write(&server, value));
    QCOMPARE(spy.count(), 1);
}

void tst_SocketIoServer::chronoSetters()
{
    using namespace std::chrono_literals;
    QSocketIoServer server;
    QSignalSpy intervalSpy(&server, &QSocketIoServer::pingIntervalChanged);
    server.setPingInterval(1s);
    server.setPingTimeout(500ms);
    server.setConnectTimeout(2s);
    QCOMPARE(server.pingInterval(), 1000);
    QCOMPARE(server.pingTimeout(), 500);
    QCOMPARE(server.connectTimeout(), 2000);
    server.setPingInterval(1000ms);
    QCOMPARE(intervalSpy.count(), 1);

    // A path is normalized to start and end with '/'.
    QSignalSpy pathSpy(&server, &QSocketIoServer::pathChanged);
    server.setPath(u"custom"_s);
    QCOMPARE(server.path(), u"/custom/"_s);
    server.setPath(u"/custom/"_s);
    QCOMPARE(pathSpy.count(), 1);

    // The new path is served.
    QVERIFY(server.listen());
    SioTestClient client;
    client.open(server.serverPort(), {}, {}, {}, u"/custom/"_s);
    QVERIFY(client.waitForOpen());
}

void tst_SocketIoServer::listenAndClose()
{
    QSocketIoServer server;
    QSignalSpy listeningSpy(&server, &QSocketIoServer::listeningChanged);
    QSignalSpy portSpy(&server, &QSocketIoServer::serverPortChanged);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QVERIFY(server.isListening());
    QVERIFY(server.serverPort() > 0);
    QCOMPARE(server.serverAddress(), QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(listeningSpy.count(), 1);
    QCOMPARE(portSpy.count(), 1);
    QCOMPARE(server.error(), QSocketIoServer::Error::NoError);

    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);

    server.close();
    QVERIFY(!server.isListening());
    QCOMPARE(listeningSpy.count(), 2);
    QVERIFY(client.waitForClosed());

    // Closing twice is harmless and signals nothing.
    server.close();
    QCOMPARE(listeningSpy.count(), 2);

    // Listening again works.
    QVERIFY(server.listen());
    QVERIFY(server.isListening());
    QCOMPARE(listeningSpy.count(), 3);
    SioTestClient again;
    QVERIFY(join(server, again));
}

void tst_SocketIoServer::listenOnBusyPort()
{
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));

    QSocketIoServer server;
    QSignalSpy errorSpy(&server, &QSocketIoServer::errorOccurred);
    QSignalSpy listeningSpy(&server, &QSocketIoServer::listeningChanged);
    QVERIFY(!server.listen(QHostAddress::LocalHost, blocker.serverPort()));
    QVERIFY(!server.isListening());
    QCOMPARE(server.error(), QSocketIoServer::Error::ListenError);
    QVERIFY(!server.errorString().isEmpty());
    QCOMPARE(errorSpy.count(), 1);
    QCOMPARE(errorSpy.at(0).at(0).value<QSocketIoServer::Error>(), QSocketIoServer::Error::ListenError);
    QCOMPARE(listeningSpy.count(), 0);

    // A later successful listen() resets the error.
    QVERIFY(server.listen());
    QCOMPARE(server.error(), QSocketIoServer::Error::NoError);
    QVERIFY(server.errorString().isEmpty());
}

void tst_SocketIoServer::connectionCount()
{
    QSocketIoServer server;
    QVERIFY(server.listen());
    // What a binding would see: the value read when the signal fires.
    QList<int> seen;
    connect(&server, &QSocketIoServer::connectionCountChanged, this,
            [&] { seen.append(server.connectionCount()); });

    SioTestClient a;
    a.open(server.serverPort());
    QVERIFY(a.waitForOpen());
    QTRY_COMPARE(server.connectionCount(), 1);
    SioTestClient b;
    b.open(server.serverPort());
    QVERIFY(b.waitForOpen());
    QTRY_COMPARE(server.connectionCount(), 2);
    a.close();
    QTRY_COMPARE(server.connectionCount(), 1);
    b.close();
    QTRY_COMPARE(server.connectionCount(), 0);
    QTRY_COMPARE(seen, QList<int>({1, 2, 1, 0}));
}

// --- Namespaces --------------------------------------------------------------------------------------------

void tst_SocketIoServer::connectNamespace_data()
{
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<QJsonObject>("auth");

    QTest::addRow("main") << u"/"_s << QJsonObject();
    QTest::addRow("main with auth") << u"/"_s << QJsonObject{{u"token"_s, u"abc"_s}, {u"n"_s, 1}};
    QTest::addRow("chat") << u"/chat"_s << QJsonObject();
    QTest::addRow("chat with auth") << u"/chat"_s << QJsonObject{{u"token"_s, u"xyz"_s}};
}

void tst_SocketIoServer::connectNamespace()
{
    QFETCH(QString, nsp);
    QFETCH(QJsonObject, auth);

    QSocketIoServer server;
    QVERIFY(server.listen());
    QSocketIoNamespace *ns = server.of(nsp);
    QSignalSpy serverSpy(&server, &QSocketIoServer::newConnection);
    QSignalSpy nspSpy(ns, &QSocketIoNamespace::newConnection);
    QSignalSpy countSpy(ns, &QSocketIoNamespace::socketCountChanged);

    SioTestClient client;
    client.open(server.serverPort());
    QVERIFY(client.waitForOpen());
    QVERIFY(!client.engineSid().isEmpty());
    QCOMPARE(client.openPacket().value(u"pingInterval"_s).toInt(), 25000);
    QCOMPARE(client.openPacket().value(u"pingTimeout"_s).toInt(), 20000);

    Packet reply;
    QString sid;
    QVERIFY(client.joinNamespace(nsp, auth, &sid, &reply));
    QCOMPARE(nspSpy.count(), 1);
    QCOMPARE(serverSpy.count(), nsp == u"/"_s ? 1 : 0);
    QCOMPARE(countSpy.count(), 1);
    auto *socket = nspSpy.at(0).at(0).value<QSocketIoSocket *>();
    QVERIFY(socket);
    QCOMPARE(socket->id(), sid);
    QVERIFY(sid != client.engineSid());
    QCOMPARE(reply.text, SioTestClient::nspPrefix(nsp).prepend(u'0') + u"{\"sid\":\""_s + sid + u"\"}"_s);
    QCOMPARE(socket->namespaceName(), nsp);
    QCOMPARE(socket->nsp(), ns);
    QCOMPARE(socket->server(), &server);
    QVERIFY(socket->isConnected());
    QCOMPARE(socket->transport(), u"websocket"_s);
    QCOMPARE(socket->handshake().auth(), auth.toVariantMap());
    QCOMPARE(ns->socketCount(), 1);
    QCOMPARE(ns->socket(sid), socket);
    QCOMPARE(ns->sockets(), QList<QSocketIoSocket *>{socket});
}

void tst_SocketIoServer::severalNamespacesOnOneConnection()
{
    QSocketIoServer server;
    QVERIFY(server.listen());
    server.of(u"/chat"_s);
    SioTestClient client;
    QPointer<QSocketIoSocket> main = join(server, client);
    QPointer<QSocketIoSocket> chat = join(server, client, u"/chat"_s);
    QVERIFY(main);
    QVERIFY(chat);
    QVERIFY(main->id() != chat->id());
    QCOMPARE(server.connectionCount(), 1);

    // Each socket hears its own namespace only.
    QSignalSpy mainSpy(main, &QSocketIoSocket::eventReceived);
    QSignalSpy chatSpy(chat, &QSocketIoSocket::eventReceived);
    client.emitEvent(u"hello"_s, {1}, u"/chat"_s);
    client.emitEvent(u"hello"_s, {2});
    QTRY_COMPARE(mainSpy.count(), 1);
    QTRY_COMPARE(chatSpy.count(), 1);
    QCOMPARE(mainSpy.at(0).at(1).toList().value(0).toInt(), 2);
    QCOMPARE(chatSpy.at(0).at(1).toList().value(0).toInt(), 1);

    // Leaving one namespace keeps the other.
    QSignalSpy chatGone(chat, &QSocketIoSocket::disconnected);
    client.disconnectNamespace(u"/chat"_s);
    QTRY_COMPARE(chatGone.count(), 1);
    QVERIFY(main->isConnected());
    QVERIFY(main->emitEvent(u"still"_s));
    QVERIFY(client.waitForEvent(u"still"_s));
}

void tst_SocketIoServer::disconnectInNewConnection()
{
    // A namespace handler refuses the socket at once: the server-wide newConnection() does not announce it.
    QSocketIoServer server;
    QVERIFY(server.listen());
    connect(server.mainNamespace(), &QSocketIoNamespace::newConnection, this, [](QSocketIoSocket *socket) {
        if (socket->handshake().auth().value(u"kick"_s).toBool())
            socket->disconnectSocket();
    });
    QSignalSpy spy(&server, &QSocketIoServer::newConnection);
    SioTestClient client;
    client.open(server.serverPort());
    QVERIFY(client.waitForOpen());
    QVERIFY(client.joinNamespace(u"/"_s, QJsonObject{{u"kick"_s, true}}));
    QVERIFY(client.waitForType(1));
    QCOMPARE(spy.count(), 0);
    QVERIFY(join(server, client));
    QCOMPARE(spy.count(), 1);
}

void tst_SocketIoServer::invalidNamespace_data()
{
    QTest::addColumn<QString>("nsp");
    QTest::addRow("unknown") << u"/nope"_s;
    QTest::addRow("sub path") << u"/chat/sub"_s;
}

void tst_SocketIoServer::invalidNamespace()
{
    QFETCH(QString, nsp);

    QSocketIoServer server;
    QVERIFY(server.listen());
    server.of(u"/chat"_s);
    const int namespaceCount = int(server.namespaces().size());
    SioTestClient client;
    client.open(server.serverPort());
    QVERIFY(client.waitForOpen());
    Packet reply;
    QVERIFY(!client.joinNamespace(nsp, {}, nullptr, &reply));
    QCOMPARE(reply.text, u"4"_s + nsp + u",{\"message\":\"Invalid namespace\"}"_s);
    // Nothing was created, and the connection is still usable.
    QCOMPARE(server.namespaces().size(), namespaceCount);
    QVERIFY(client.joinNamespace(u"/chat"_s));
}

void tst_SocketIoServer::dynamicNamespace_data()
{
    QTest::addColumn<bool>("byPredicate");
    QTest::addRow("regular expression") << false;
    QTest::addRow("predicate") << true;
}

void tst_SocketIoServer::dynamicNamespace()
{
    QFETCH(bool, byPredicate);

    QSocketIoServer server;
    QVERIFY(server.listen());
    QSignalSpy createdSpy(&server, &QSocketIoServer::namespaceCreated);
    QStringList predicateCalls;
    QSocketIoNamespace *parent = byPredicate
            ? server.of([&](const QString &name, const QVariantMap &auth) {
                  predicateCalls.append(name);
                  return name.startsWith(u"/dyn-"_s) && auth.value(u"ok"_s).toBool();
              })
            : server.of(QRegularExpression(u"^/dyn-\\d+$"_s));
    QVERIFY(parent->isDynamic());
    QCOMPARE(createdSpy.count(), 1);
    QCOMPARE(createdSpy.at(0).at(0).value<QSocketIoNamespace *>(), parent);
    // The parent's middleware applies to its children, those created later too.
    parent->use([](QSocketIoSocket *socket, const QSocketIoNext &next) {
        socket->setDataValue(u"checked"_s, true);
        if (socket->handshake().auth().value(u"deny"_s).toBool())
            next.reject(u"denied"_s);
        else
            next();
    });
    QSignalSpy parentSpy(parent, &QSocketIoNamespace::newConnection);
    QSignalSpy parentCountSpy(parent, &QSocketIoNamespace::socketCountChanged);

    const QJsonObject auth{{u"ok"_s, true}};
    SioTestClient a;
    QPointer<QSocketIoSocket> socket = join(server, a, u"/dyn-1"_s, auth);
    QVERIFY(socket);
    QCOMPARE(parentSpy.count(), 1);
    QCOMPARE(parentSpy.at(0).at(0).value<QSocketIoSocket *>(), socket.data());
    QCOMPARE(parentCountSpy.count(), 1);
    QSocketIoNamespace *child = socket->nsp();
    QCOMPARE(child->name(), u"/dyn-1"_s);
    QVERIFY(!child->isDynamic());
    QCOMPARE(child->parentNamespace(), parent);
    QCOMPARE(createdSpy.count(), 2);
    QCOMPARE(createdSpy.at(1).at(0).value<QSocketIoNamespace *>(), child);
    QCOMPARE(parent->childNamespaces(), QList<QSocketIoNamespace *>{child});
    QVERIFY(server.namespaces().contains(child));
    QCOMPARE(socket->data().value(u"checked"_s).toBool(), true);
    QCOMPARE(parent->socketCount(), 1);
    QCOMPARE(parent->sockets(), QList<QSocketIoSocket *>{socket.data()});
    QCOMPARE(parent->socket(socket->id()), socket.data());
    if (byPredicate)
        QCOMPARE(predicateCalls, QStringList{u"/dyn-1"_s});

    // A second client of the same name joins the same child.
    SioTestClient b;
    QPointer<QSocketIoSocket> second = join(server, b, u"/dyn-1"_s, auth);
    QVERIFY(second);
    QCOMPARE(second->nsp(), child);
    QCOMPARE(parent->childNamespaces().size(), 1);
    QCOMPARE(parentSpy.count(), 2);

    // A middleware added now reaches the existing child.
    parent->use([](QSocketIoSocket *socket, const QSocketIoNext &next) {
        socket->setDataValue(u"late"_s, true);
        next();
    });
    SioTestClient c;
    QPointer<QSocketIoSocket> third = join(server, c, u"/dyn-1"_s, auth);
    QVERIFY(third);
    QCOMPARE(third->data().value(u"late"_s).toBool(), true);

    // The parent's middleware rejects for its children.
    SioTestClient d;
    Packet reply;
    QVERIFY(!join(server, d, u"/dyn-2"_s, QJsonObject{{u"ok"_s, true}, {u"deny"_s, true}}, &reply));
    QCOMPARE(reply.text, u"4/dyn-2,{\"message\":\"denied\"}"_s);

    // A name the parent does not match is invalid.
    SioTestClient e;
    const QString bad = byPredicate ? u"/dyn-3"_s : u"/dyn-x"_s;
    QVERIFY(!join(server, e, bad, QJsonObject{{u"ok"_s, false}}, &reply));
    QCOMPARE(reply.text, u"4"_s + bad + u",{\"message\":\"Invalid namespace\"}"_s);

    // Broadcasting on the parent reaches the children's sockets.
    QVERIFY(parent->emitEvent(u"hi"_s, {1}));
    Packet packet;
    QVERIFY(a.waitForEvent(u"hi"_s, &packet, u"/dyn-1"_s));
    QCOMPARE(packet.text, u"2/dyn-1,[\"hi\",1]"_s);
    QVERIFY(b.waitForEvent(u"hi"_s, nullptr, u"/dyn-1"_s));
}

// --- Middleware --------------------------------------------------------------------------------------------

void tst_SocketIoServer::middleware_data()
{
    QTest::addColumn<bool>("async");
    QTest::addColumn<bool>("reject");
    QTest::addColumn<QVariant>("data");
    QTest::addColumn<QJsonObject>("expected");   // the CONNECT_ERROR payload

    const QJsonObject message{{u"message"_s, u"not authorized"_s}};
    QJsonObject withData = message;
    withData.insert(u"data"_s, QJsonObject{{u"code"_s, 42}});
    QJsonObject withMoreData = message;
    withMoreData.insert(u"data"_s, QJsonObject{{u"code"_s, 42}, {u"why"_s, u"token"_s}});
    QTest::addRow("sync accept") << false << false << QVariant() << QJsonObject();
    QTest::addRow("async accept") << true << false << QVariant() << QJsonObject();
    QTest::addRow("sync reject") << false << true << QVariant(QVariantMap{{u"code"_s, 42}}) << withData;
    QTest::addRow("async reject") << true << true << QVariant(QVariantMap{{u"code"_s, 42}, {u"why"_s, u"token"_s}})
                                  << withMoreData;
    QTest::addRow("reject without data") << false << true << QVariant() << message;
    QTest::addRow("reject with a string") << false << true << QVariant(u"plain"_s)
                                          << QJsonObject{{u"message"_s, u"not authorized"_s}, {u"data"_s, u"plain"_s}};
}

void tst_SocketIoServer::middleware()
{
    QFETCH(bool, async);
    QFETCH(bool, reject);
    QFETCH(QVariant, data);
    QFETCH(QJsonObject, expected);

    QSocketIoServer server;
    QVERIFY(server.listen());
    QStringList order;
    QSocketIoNamespace *ns = server.mainNamespace();
    ns->use([&](QSocketIoSocket *socket, const QSocketIoNext &next) {
        order.append(u"first"_s);
        // Joining: not connected yet, but the handshake is known.
        QVERIFY(!socket->isConnected());
        QCOMPARE(socket->handshake().auth().value(u"user"_s).toString(), u"me"_s);
        next();
        next();   // only the first call counts
    });
    ns->use([&, async, reject, data](QSocketIoSocket *, const QSocketIoNext &next) {
        order.append(u"second"_s);
        const auto decide = [next, reject, data] {
            if (reject)
                next.reject(u"not authorized"_s, data);
            else
                next();
            QVERIFY(next.isDone());
        };
        if (async)
            QTimer::singleShot(50, this, decide);
        else
            decide();
    });
    ns->use([&](QSocketIoSocket *, const QSocketIoNext &next) {
        order.append(u"third"_s);
        next();
    });
    connect(ns, &QSocketIoNamespace::newConnection, this, [&] { order.append(u"newConnection"_s); });

    SioTestClient client;
    Packet reply;
    QSocketIoSocket *socket = join(server, client, u"/"_s, QJsonObject{{u"user"_s, u"me"_s}}, &reply);
    if (reject) {
        QVERIFY(!socket);
        QCOMPARE(reply.type, 4);
        QCOMPARE(reply.nsp, u"/"_s);
        QVERIFY(reply.text.startsWith(u"4{"_s));
        QCOMPARE(reply.data.toObject(), expected);
        QCOMPARE(order, QStringList({u"first"_s, u"second"_s}));
        QCOMPARE(ns->socketCount(), 0);
        // The connection stays usable for another try.
        QVERIFY(client.isOpen());
    } else {
        QVERIFY(socket);
        QCOMPARE(order, QStringList({u"first"_s, u"second"_s, u"third"_s, u"newConnection"_s}));
        QCOMPARE(ns->socketCount(), 1);
    }
}

void tst_SocketIoServer::middlewareConnectionGone()
{
    // The connection goes away while an asynchronous middleware runs: the socket never joins, and using it
    // from the middleware is safe.
    QSocketIoServer server;
    QVERIFY(server.listen());
    QSocketIoNext pending([](bool, const QString &, const QVariant &) {});
    QPointer<QSocketIoSocket> joining;
    server.mainNamespace()->use([&](QSocketIoSocket *socket, const QSocketIoNext &next) {
        joining = socket;
        pending = next;
    });
    QSignalSpy spy(&server, &QSocketIoServer::newConnection);
    SioTestClient client;
    client.open(server.serverPort());
    QVERIFY(client.waitForOpen());
    client.connectNamespace();
    QTRY_VERIFY(joining);
    client.close();
    QTRY_COMPARE(server.connectionCount(), 0);
    QVERIFY(joining);
    QVERIFY(!joining->isConnected());
    QVERIFY(joining->transport().isEmpty());
    QVERIFY(!joining->emitEvent(u"x"_s));
    joining->join(u"room"_s);
    QVERIFY(joining->rooms().isEmpty());
    pending();
    QCOMPARE(spy.count(), 0);
    QTRY_VERIFY(!joining);
}

void tst_SocketIoServer::packetMiddleware()
{
    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);
    QStringList seen;
    socket->use([&](QSocketIoSocket *s, const QString &event, QVariantList &args, const QSocketIoNext &next) {
        QCOMPARE(s, socket.data());
        seen.append(event);
        if (event == u"modify"_s) {
            args[0] = args.at(0).toInt() * 10;
            args.append(u"added"_s);
            next();
        } else if (event == u"reject"_s) {
            next.reject(u"rejected: "_s + event);
        } else if (event == u"later"_s) {
            QTimer::singleShot(20, this, [next] { next(); });
        } else if (event != u"drop"_s) {
            next();
        }
    });
    // A second middleware sees what the first one let through, changed.
    QStringList second;
    socket->use([&](QSocketIoSocket *, const QString &event, QVariantList &, const QSocketIoNext &next) {
        second.append(event);
        next();
    });
    QSignalSpy events(socket, &QSocketIoSocket::eventReceived);
    QSignalSpy errors(socket, &QSocketIoSocket::errorOccurred);

    client.emitEvent(u"modify"_s, {4});
    client.emitEvent(u"drop"_s, {1});
    client.emitEvent(u"reject"_s, {2});
    client.emitEvent(u"later"_s, {3}, u"/"_s, 5);
    client.emitEvent(u"plain"_s, {5});
    QTRY_COMPARE(events.count(), 3);
    QCOMPARE(seen, QStringList({u"modify"_s, u"drop"_s, u"reject"_s, u"later"_s, u"plain"_s}));
    QCOMPARE(events.at(0).at(0).toString(), u"modify"_s);
    QCOMPARE(toJson(events.at(0).at(1).toList()), QJsonArray({40, u"added"_s}));
    QCOMPARE(events.at(1).at(0).toString(), u"plain"_s);
    QCOMPARE(events.at(2).at(0).toString(), u"later"_s);
    QVERIFY(events.at(2).at(2).value<QSocketIoAckCallback>().isValid());
    QCOMPARE(second, QStringList({u"modify"_s, u"plain"_s, u"later"_s}));
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.at(0).at(0).toString(), u"rejected: reject"_s);
    // A rejected or dropped event does not disturb the connection.
    QVERIFY(socket->isConnected());
    QVERIFY(client.isOpen());
}

// --- Events and acknowledgements ---------------------------------------------------------------------------

void tst_SocketIoServer::events()
{
    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);

    QSignalSpy spy(socket, &QSocketIoSocket::eventReceived);
    QList<QVariantList> argsOnly;
    QList<bool> withAck;
    socket->on(u"hello"_s, this, [&](const QVariantList &args) { argsOnly.append(args); });
    socket->on(u"hello"_s, this, [&](const QVariantList &, const QSocketIoAckCallback &ack) {
        withAck.append(ack.isValid());
    });
    int others = 0;
    socket->on(u"other"_s, this, [&](const QVariantList &) { ++others; });
    // The handler goes with its context object.
    auto context = std::make_unique<QObject>();
    int contextCalls = 0;
    socket->on(u"hello"_s, context.get(), [&](const QVariantList &) { ++contextCalls; });

    const QJsonArray args{1, u"two"_s, QJsonObject{{u"three"_s, 3}, {u"list"_s, QJsonArray{4.5, false}}},
                          QJsonArray{QJsonValue::Null}, true};
    client.emitEvent(u"hello"_s, args);
    QTRY_COMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), u"hello"_s);
    QCOMPARE(toJson(spy.at(0).at(1).toList()), args);
    QVERIFY(!spy.at(0).at(2).value<QSocketIoAckCallback>().isValid());
    QCOMPARE(argsOnly.size(), 1);
    QCOMPARE(toJson(argsOnly.at(0)), args);
    QCOMPARE(withAck, QList<bool>{false});
    QCOMPARE(contextCalls, 1);
    QCOMPARE(others, 0);

    context.reset();
    client.emitEvent(u"hello"_s, {}, u"/"_s, 3);
    QTRY_COMPARE(spy.count(), 2);
    QCOMPARE(argsOnly.size(), 2);
    QVERIFY(argsOnly.at(1).isEmpty());
    QCOMPARE(withAck, QList<bool>({false, true}));
    QCOMPARE(contextCalls, 1);

    // With a single node, a server-side emit goes nowhere (and not to the clients).
    QSignalSpy serverSide(server.mainNamespace(), &QSocketIoNamespace::serverSideEventReceived);
    QVERIFY(server.serverSideEmit(u"cluster"_s, {1}));

    // "message" is the event send() uses.
    QVERIFY(socket->send({u"text"_s}));
    Packet packet;
    QVERIFY(client.waitForEvent(u"message"_s, &packet));
    QCOMPARE(packet.text, u"2[\"message\",\"text\"]"_s);
    QCOMPARE(client.packets().size(), 0);
    QCOMPARE(serverSide.count(), 0);
}

void tst_SocketIoServer::onAnyAndOff()
{
    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);

    QStringList incoming;
    QList<QPair<QString, QVariantList>> outgoing;
    const QMetaObject::Connection any = socket->onAny(
            this, [&](const QString &event, const QVariantList &, const QSocketIoAckCallback &) { incoming.append(event); });
    const QMetaObject::Connection anyOut = socket->onAnyOutgoing(
            this, [&](const QString &event, const QVariantList &args) { outgoing.append({event, args}); });
    QSignalSpy spy(socket, &QSocketIoSocket::eventReceived);

    client.emitEvent(u"a"_s);
    client.emitEvent(u"b"_s, {1});
    QTRY_COMPARE(spy.count(), 2);
    QCOMPARE(incoming, QStringList({u"a"_s, u"b"_s}));

    QVERIFY(socket->emitEvent(u"out"_s, {1, u"x"_s}));
    QVERIFY(server.emitEvent(u"everyone"_s, {2}));
    QCOMPARE(outgoing.size(), 2);
    QCOMPARE(outgoing.at(0).first, u"out"_s);
    QCOMPARE(toJson(outgoing.at(0).second), QJsonArray({1, u"x"_s}));
    QCOMPARE(outgoing.at(1).first, u"everyone"_s);

    QVERIFY(QSocketIoSocket::off(any));
    QVERIFY(QSocketIoSocket::off(anyOut));
    QVERIFY(!QSocketIoSocket::off(any));
    client.emitEvent(u"c"_s);
    QTRY_COMPARE(spy.count(), 3);
    QCOMPARE(incoming.size(), 2);
    QVERIFY(socket->emitEvent(u"out"_s));
    QCOMPARE(outgoing.size(), 2);
}

void tst_SocketIoServer::outgoingWatchers_data()
{
    QTest::addColumn<bool>("firstBySignal");    // the first watcher: eventSent (true) or onAnyOutgoing
    QTest::addColumn<bool>("secondBySignal");
    QTest::addRow("signal, then listener") << true << false;
    QTest::addRow("listener, then signal") << false << true;
    QTest::addRow("signal twice") << true << true;
    QTest::addRow("listener twice") << false << false;
}

// A broadcast walks its recipients for eventSent and onAnyOutgoing only while a socket of the namespace may watch
// (a flag, cleared by a broadcast to everyone that found none): whoever starts watching at any point sees every
// broadcast from then on, also after an earlier watcher went away and the flag was cleared.
void tst_SocketIoServer::outgoingWatchers()
{
    QFETCH(bool, firstBySignal);
    QFETCH(bool, secondBySignal);
    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient clientA, clientB;
    QPointer<QSocketIoSocket> a = join(server, clientA);
    QPointer<QSocketIoSocket> b = join(server, clientB);
    QVERIFY(a && b);
    a->join(u"room"_s);
    b->join(u"room"_s);

    QVERIFY(server.emitEvent(u"unwatched"_s, {0}));   // nobody watches yet

    QStringList seenByB, seenByA;
    const auto watch = [this](QSocketIoSocket *socket, bool bySignal, QStringList *seen) {
        if (bySignal) {
            return connect(socket, &QSocketIoSocket::eventSent, this,
                           [seen](const QString &event, const QVariantList &) { seen->append(event); });
        }
        return socket->onAnyOutgoing(this, [seen](const QString &event, const QVariantList &) { seen->append(event); });
    };
    QMetaObject::Connection first = watch(b, firstBySignal, &seenByB);
    QVERIFY(server.to(u"room"_s).emitEvent(u"toRoom"_s, {1}));
    QVERIFY(server.emitEvent(u"toAll"_s, {2}));
    QCOMPARE(seenByB, QStringList({u"toRoom"_s, u"toAll"_s}));

    // The watcher goes; a broadcast to everyone finds nobody watching and clears the flag.
    QVERIFY(firstBySignal ? disconnect(first) : QSocketIoSocket::off(first));
    QVERIFY(server.emitEvent(u"afterOff"_s, {3}));
    QCOMPARE(seenByB.size(), 2);

    // A new watcher, on another socket, sees a room broadcast at once.
    const QMetaObject::Connection second = watch(a, secondBySignal, &seenByA);
    QVERIFY(server.to(u"room"_s).emitEvent(u"again"_s, {4}));
    QVERIFY(server.except(u"nobody"_s).emitEvent(u"except"_s, {5}));
    QCOMPARE(seenByA, QStringList({u"again"_s, u"except"_s}));
    QCOMPARE(seenByB.size(), 2);
    QVERIFY(secondBySignal ? disconnect(second) : QSocketIoSocket::off(second));

    // A socket that starts watching in a middleware, while a broadcast to everyone clears the flag before it
    // joins, is watched once it joined.
    QStringList seenByC;
    QList<QSocketIoNext> held;
    QMetaObject::Connection third;
    server.mainNamespace()->use([&](QSocketIoSocket *socket, const QSocketIoNext &next) {
        third = watch(socket, firstBySignal, &seenByC);
        held.append(next);
    });
    SioTestClient clientC;
    clientC.open(server.serverPort());
    QVERIFY(clientC.waitForOpen());
    clientC.sendPacket(u"0"_s);   // CONNECT "/"
    QTRY_COMPARE_WITH_TIMEOUT(held.size(), 1, 10000);
    QVERIFY(server.emitEvent(u"whileHeld"_s, {6}));
    held.first()();
    QTRY_COMPARE_WITH_TIMEOUT(server.mainNamespace()->socketCount(), 3, 10000);
    QVERIFY(server.to(u"room"_s).except(u"room"_s).emitEvent(u"nobody"_s));
    QVERIFY(server.except(u"room"_s).emitEvent(u"toC"_s, {7}));
    QCOMPARE(seenByC, QStringList({u"toC"_s}));
    QVERIFY(firstBySignal ? disconnect(third) : QSocketIoSocket::off(third));

    // Every event still reached both clients.
    for (SioTestClient *client : {&clientA, &clientB}) {
        for (const QString &event : {u"unwatched"_s, u"toRoom"_s, u"toAll"_s, u"afterOff"_s, u"again"_s, u"except"_s}) {
            Packet packet;
            QVERIFY2(client->waitForEvent(event, &packet), qPrintable(event));
        }
    }
}

void tst_SocketIoServer::ackCallback_data()
{
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<qint64>("id");
    QTest::addColumn<QVariantList>("answer");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QList<QByteArray>>("attachments");

    QTest::addRow("main") << u"/"_s << qint64(7) << QVariantList{u"ok"_s, 1}
                          << u"37[\"ok\",1]"_s << QList<QByteArray>();
    QTest::addRow("id 0, no arguments") << u"/"_s << qint64(0) << QVariantList() << u"30[]"_s << QList<QByteArray>();
    QTest::addRow("namespace") << u"/chat"_s << qint64(12) << QVariantList{QVariantMap{{u"a"_s, true}}}
                               << u"3/chat,12[{\"a\":true}]"_s << QList<QByteArray>();
    QTest::addRow("binary") << u"/"_s << qint64(9) << QVariantList{QByteArray("\x01\x02", 2), u"s"_s}
                            << u"61-9[{\"_placeholder\":true,\"num\":0},\"s\"]"_s
                            << QList<QByteArray>{QByteArray("\x01\x02", 2)};
    QTest::addRow("binary namespace") << u"/chat"_s << qint64(1234567) << QVariantList{QByteArray("x")}
                                      << u"61-/chat,1234567[{\"_placeholder\":true,\"num\":0}]"_s
                                      << QList<QByteArray>{QByteArray("x")};
}

void tst_SocketIoServer::ackCallback()
{
    QFETCH(QString, nsp);
    QFETCH(qint64, id);
    QFETCH(QVariantList, answer);
    QFETCH(QString, expected);
    QFETCH(QList<QByteArray>, attachments);

    QSocketIoServer server;
    QVERIFY(server.listen());
    server.of(nsp);
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client, nsp);
    QVERIFY(socket);
    QSocketIoAckCallback saved;
    socket->on(u"ask"_s, this, [&](const QVariantList &, const QSocketIoAckCallback &ack) {
        QVERIFY(ack.isValid());
        QVERIFY(!ack.isAnswered());
        saved = ack;
        ack(answer);
        QVERIFY(ack.isAnswered());
    });
    client.emitEvent(u"ask"_s, {1}, nsp, id);
    Packet packet;
    QVERIFY(client.waitForPacket([](const Packet &p) { return p.type == 3 || p.type == 6; }, &packet));
    QCOMPARE(packet.text, expected);
    QCOMPARE(packet.id, id);
    QCOMPARE(packet.attachments, attachments);

    // A second answer is ignored.
    QVERIFY(saved.isAnswered());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"answered twice"_s));
    saved({u"again"_s});
    QVERIFY(socket->emitEvent(u"marker"_s));
    QVERIFY(client.waitForEvent(u"marker"_s, nullptr, nsp));
    QCOMPARE(client.packets().size(), 0);

    // An invalid callback ignores calls.
    QSocketIoAckCallback invalid;
    QVERIFY(!invalid.isValid());
    invalid({1});
    QVERIFY(!invalid.isAnswered());
}

void tst_SocketIoServer::emitEvent_data()
{
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<QVariantList>("args");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QList<QByteArray>>("attachments");

    const QByteArray bytes("\x00\xff\x10", 3);
    QTest::addRow("no arguments") << u"/"_s << QVariantList() << u"2[\"ev\"]"_s << QList<QByteArray>();
    QTest::addRow("nested json")
            << u"/"_s
            << QVariantList{QVariantMap{{u"deep"_s, QVariantMap{{u"list"_s, QVariantList{1, 2.5, u"s"_s, QVariant(), true}}}}},
                            u"\u00e9\"q\""_s}
            << u"2[\"ev\",{\"deep\":{\"list\":[1,2.5,\"s\",null,true]}},\"\u00e9\\\"q\\\"\"]"_s << QList<QByteArray>();
    QTest::addRow("one attachment") << u"/"_s << QVariantList{bytes}
                                    << u"51-[\"ev\",{\"_placeholder\":true,\"num\":0}]"_s << QList<QByteArray>{bytes};
    QTest::addRow("nested attachments")
            << u"/"_s
            << QVariantList{QVariantMap{{u"a"_s, QVariantList{1, QByteArray("first")}}, {u"b"_s, u"x"_s}},
                            QByteArray("second"), QByteArray()}
            << u"53-[\"ev\",{\"a\":[1,{\"_placeholder\":true,\"num\":0}],\"b\":\"x\"},"
               "{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":2}]"_s
            << QList<QByteArray>{QByteArray("first"), QByteArray("second"), QByteArray()};
    QTest::addRow("namespace with attachment") << u"/chat"_s << QVariantList{bytes, 3}
                                               << u"51-/chat,[\"ev\",{\"_placeholder\":true,\"num\":0},3]"_s
                                               << QList<QByteArray>{bytes};
}

void tst_SocketIoServer::emitEvent()
{
    QFETCH(QString, nsp);
    QFETCH(QVariantList, args);
    QFETCH(QString, expected);
    QFETCH(QList<QByteArray>, attachments);

    QSocketIoServer server;
    QVERIFY(server.listen());
    server.of(nsp);
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client, nsp);
    QVERIFY(socket);

    QVERIFY(socket->emitEvent(u"ev"_s, args));
    Packet packet;
    QVERIFY(client.waitForEvent(u"ev"_s, &packet, nsp));
    QCOMPARE(packet.text, expected);
    QCOMPARE(packet.attachments, attachments);

    // The same through a broadcast.
    QVERIFY(server.of(nsp)->emitEvent(u"ev"_s, args));
    QVERIFY(client.waitForEvent(u"ev"_s, &packet, nsp));
    QCOMPARE(packet.text, expected);
    QCOMPARE(packet.attachments, attachments);
}

void tst_SocketIoServer::binaryEventFromClient()
{
    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);
    QSignalSpy spy(socket, &QSocketIoSocket::eventReceived);

    const QByteArray first("\x00\x01\x02", 3);
    const QByteArray second("zz");
    client.sendPacket(u"52-4[\"upload\",{\"_placeholder\":true,\"num\":0},{\"nested\":[{\"_placeholder\":true,\"num\":1}]},\"meta\"]"_s);
    client.sendBinary(first);
    QTest::qWait(50);
    QCOMPARE(spy.count(), 0);   // still waiting for the second attachment
    client.sendBinary(second);
    QTRY_COMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), u"upload"_s);
    const QVariantList args = spy.at(0).at(1).toList();
    QCOMPARE(args.size(), 3);
    QCOMPARE(args.at(0).toByteArray(), first);
    QCOMPARE(args.at(1).toMap().value(u"nested"_s).toList().value(0).toByteArray(), second);
    QCOMPARE(args.at(2).toString(), u"meta"_s);
    const auto ack = spy.at(0).at(2).value<QSocketIoAckCallback>();
    QVERIFY(ack.isValid());
    ack({args.at(0)});
    Packet packet;
    QVERIFY(client.waitForType(6, &packet));
    QCOMPARE(packet.text, u"61-4[{\"_placeholder\":true,\"num\":0}]"_s);
    QCOMPARE(packet.attachments, QList<QByteArray>{first});
}

void tst_SocketIoServer::reservedEvents_data()
{
    QTest::addColumn<QString>("event");
    for (const char *name : {"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"})
        QTest::addRow("%s", name) << QString::fromLatin1(name);
}

void tst_SocketIoServer::reservedEvents()
{
    QFETCH(QString, event);

    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);

    const QRegularExpression warning(u"reserved"_s);
    QTest::ignoreMessage(QtWarningMsg, warning);
    QVERIFY(!socket->emitEvent(event, {1}));
    QTest::ignoreMessage(QtWarningMsg, warning);
    QVERIFY(!server.emitEvent(event));
    QTest::ignoreMessage(QtWarningMsg, warning);
    QVERIFY(!server.to(socket->id()).emitEvent(event));
    QTest::ignoreMessage(QtWarningMsg, warning);
    QVERIFY(!socket->broadcast().emitEvent(event));
    QVERIFY(!server.serverSideEmit(event));

    QTest::ignoreMessage(QtWarningMsg, warning);
    QSocketIoAck *ack = socket->emitWithAck(event, {}, 5000);
    QSignalSpy timedOut(ack, &QSocketIoAck::timedOut);
    QTest::ignoreMessage(QtWarningMsg, warning);
    QSocketIoAck *broadcastAck = server.emitWithAck(event);
    QSignalSpy broadcastTimedOut(broadcastAck, &QSocketIoAck::timedOut);
    QSignalSpy broadcastFinished(broadcastAck, &QSocketIoAck::finished);
    QTRY_COMPARE(timedOut.count(), 1);
    QTRY_COMPARE(broadcastTimedOut.count(), 1);
    QCOMPARE(broadcastFinished.count(), 0);

    // Nothing reached the client.
    QVERIFY(socket->emitEvent(u"marker"_s));
    QVERIFY(client.waitForEvent(u"marker"_s));
    QCOMPARE(client.packets().size(), 0);
}

void tst_SocketIoServer::emitWithAckFinished()
{
    QSocketIoServer server;
    QVERIFY(server.listen());
    server.of(u"/chat"_s);
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client, u"/chat"_s);
    QVERIFY(socket);

    QPointer<QSocketIoAck> ack = socket->emitWithAck(u"question"_s, {1, QByteArray("b")}, 5000);
    QVERIFY(ack);
    QVERIFY(!ack->isBroadcast());
    QSignalSpy finished(ack, &QSocketIoAck::finished);
    QSignalSpy timedOut(ack, &QSocketIoAck::timedOut);
    // The reply's state when it signals (it deletes itself afterwards).
    bool wasFinished = false, wasTimedOut = true;
    QVariantList arguments;
    connect(ack, &QSocketIoAck::finished, this, [&] {
        wasFinished = ack->isFinished();
        wasTimedOut = ack->isTimedOut();
        arguments = ack->arguments();
    });
    Packet packet;
    QVERIFY(client.waitForEvent(u"question"_s, &packet, u"/chat"_s));
    QVERIFY(packet.id >= 0);
    QCOMPARE(packet.text, u"51-/chat,%1[\"question\",1,{\"_placeholder\":true,\"num\":0}]"_s.arg(packet.id));
    QCOMPARE(packet.attachments, QList<QByteArray>{QByteArray("b")});

    // The client answers with a binary ack.
    client.sendPacket(u"61-/chat,%1[\"answer\",{\"_placeholder\":true,\"num\":0}]"_s.arg(packet.id));
    client.sendBinary(QByteArray("\x07", 1));
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(timedOut.count(), 0);
    const QVariantList args = finished.at(0).at(0).toList();
    QCOMPARE(args.size(), 2);
    QCOMPARE(args.at(0).toString(), u"answer"_s);
    QCOMPARE(args.at(1).toByteArray(), QByteArray("\x07", 1));
    QVERIFY(wasFinished);
    QVERIFY(!wasTimedOut);
    QCOMPARE(arguments, args);
    // The reply deletes itself.
    QTRY_VERIFY(ack.isNull());

    // A second answer to the same id is ignored.
    client.sendAck(packet.id, {u"again"_s}, u"/chat"_s);
    QVERIFY(socket->emitEvent(u"marker"_s));
    QVERIFY(client.waitForEvent(u"marker"_s, nullptr, u"/chat"_s));
    QVERIFY(socket->isConnected());
}

void tst_SocketIoServer::emitWithAckTimeout()
{
    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);

    QElapsedTimer timer;
    timer.start();
    QPointer<QSocketIoAck> ack = socket->emitWithAck(u"question"_s, {}, 150);
    AckSnapshot snapshot;
    snapshot.watch(ack, this);
    Packet packet;
    QVERIFY(client.waitForEvent(u"question"_s, &packet));
    QTRY_COMPARE(snapshot.timedOutCount, 1);
    QVERIFY(timer.elapsed() >= 140);
    QCOMPARE(snapshot.finishedCount, 0);
    QVERIFY(snapshot.isTimedOut);
    QVERIFY(!snapshot.isFinished);
    QTRY_VERIFY(ack.isNull());

    // A late answer is ignored and the connection stays usable.
    client.sendAck(packet.id, {1});
    QSignalSpy events(socket, &QSocketIoSocket::eventReceived);
    client.emitEvent(u"after"_s);
    QTRY_COMPARE(events.count(), 1);
    QVERIFY(socket->isConnected());

    // No timeout: the reply waits until the socket goes away, then times out.
    QPointer<QSocketIoAck> forever = socket->emitWithAck(u"question"_s);
    QSignalSpy foreverTimedOut(forever, &QSocketIoAck::timedOut);
    QTest::qWait(100);
    QCOMPARE(foreverTimedOut.count(), 0);
    socket->disconnectSocket();
    QCOMPARE(foreverTimedOut.count(), 1);
    QTRY_VERIFY(forever.isNull());
}

void tst_SocketIoServer::emitWithAckFunctor_data()
{
    QTest::addColumn<bool>("answer");
    QTest::addRow("answered") << true;
    QTest::addRow("timed out") << false;
}

void tst_SocketIoServer::emitWithAckFunctor()
{
    QFETCH(bool, answer);

    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);

    int calls = 0;
    bool timedOut = false;
    QVariantList received;
    socket->emitWithAck(u"q"_s, {u"x"_s}, 200, this, [&](bool didTimeOut, const QVariantList &args) {
        ++calls;
        timedOut = didTimeOut;
        received = args;
    });
    Packet packet;
    QVERIFY(client.waitForEvent(u"q"_s, &packet));
    if (answer)
        client.sendAck(packet.id, {u"yes"_s, 2});
    QTRY_COMPARE(calls, 1);
    QCOMPARE(timedOut, !answer);
    QCOMPARE(toJson(received), answer ? QJsonArray({u"yes"_s, 2}) : QJsonArray());
    QTest::qWait(300);
    QCOMPARE(calls, 1);
}

void tst_SocketIoServer::unknownAckIgnored()
{
    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);
    QSignalSpy gone(socket, &QSocketIoSocket::disconnected);
    QSignalSpy events(socket, &QSocketIoSocket::eventReceived);
    client.sendPacket(u"3999[]"_s);
    client.sendPacket(u"3999[\"late\",1]"_s);
    client.emitEvent(u"still"_s);
    QTRY_COMPARE(events.count(), 1);
    QCOMPARE(gone.count(), 0);
    QVERIFY(client.isOpen());
}

// --- Rooms and broadcasts ----------------------------------------------------------------------------------

void tst_SocketIoServer::rooms()
{
    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);
    const QString id = socket->id();
    QSignalSpy spy(socket, &QSocketIoSocket::roomsChanged);

    QCOMPARE(socket->rooms(), QStringList{id});
    socket->join(u"a"_s);
    QCOMPARE(socket->rooms(), QStringList({id, u"a"_s}));
    QCOMPARE(spy.count(), 1);
    socket->join(u"a"_s);
    QCOMPARE(spy.count(), 1);
    socket->join(QStringList{u"b"_s, u"c"_s, u"a"_s});
    QCOMPARE(socket->rooms(), QStringList({id, u"a"_s, u"b"_s, u"c"_s}));
    QCOMPARE(spy.count(), 2);
    QVERIFY(socket->isInRoom(u"b"_s));
    QVERIFY(socket->isInRoom(id));
    QVERIFY(!socket->isInRoom(u"zzz"_s));
    QCOMPARE(server.to(u"b"_s).sockets(), QList<QSocketIoSocket *>{socket.data()});

    socket->leave(u"b"_s);
    QCOMPARE(socket->rooms(), QStringList({id, u"a"_s, u"c"_s}));
    QCOMPARE(spy.count(), 3);
    socket->leave(u"zzz"_s);
    QCOMPARE(spy.count(), 3);
    QVERIFY(server.to(u"b"_s).sockets().isEmpty());

    // leaveAll() leaves the joined rooms; the socket keeps its own room and can still be reached by id.
    socket->leaveAll();
    QCOMPARE(socket->rooms(), QStringList{id});
    QCOMPARE(spy.count(), 4);
    socket->leaveAll();
    QCOMPARE(spy.count(), 4);
    QVERIFY(server.to(u"a"_s).sockets().isEmpty());
    QVERIFY(server.to(id).emitEvent(u"direct"_s));
    QVERIFY(client.waitForEvent(u"direct"_s));

    // Rooms are per namespace.
    server.of(u"/chat"_s);
    QPointer<QSocketIoSocket> chat = join(server, client, u"/chat"_s);
    QVERIFY(chat);
    chat->join(u"a"_s);
    QVERIFY(server.to(u"a"_s).sockets().isEmpty());
    QCOMPARE(server.of(u"/chat"_s)->to(u"a"_s).sockets(), QList<QSocketIoSocket *>{chat.data()});

    // A disconnected socket is in no room.
    socket->join(u"x"_s);
    socket->disconnectSocket();
    QVERIFY(socket->rooms().isEmpty());
    QVERIFY(server.to(u"x"_s).sockets().isEmpty());
}

void tst_SocketIoServer::broadcast_data()
{
    // Clients: A in r1; B in r1 and r2; C in r2. D is on /chat only, in r1 there.
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QString>("expected");

    QTest::addRow("server all") << u"server"_s << u"ABC"_s;
    QTest::addRow("namespace all") << u"namespace"_s << u"ABC"_s;
    QTest::addRow("to r1") << u"to r1"_s << u"AB"_s;
    QTest::addRow("in r2") << u"in r2"_s << u"BC"_s;
    QTest::addRow("to r1 and r2") << u"to r1 r2"_s << u"ABC"_s;
    QTest::addRow("to r1, to r2") << u"to r1, to r2"_s << u"ABC"_s;
    QTest::addRow("to unknown room") << u"to nobody"_s << QString();
    QTest::addRow("except r2") << u"except r2"_s << u"A"_s;
    QTest::addRow("to r1 except r2") << u"to r1 except r2"_s << u"A"_s;
    QTest::addRow("to a socket id") << u"to B"_s << u"B"_s;
    QTest::addRow("to two socket ids") << u"to A C"_s << u"AC"_s;
    QTest::addRow("local, compress") << u"local"_s << u"ABC"_s;
    QTest::addRow("A broadcast") << u"A broadcast"_s << u"BC"_s;
    QTest::addRow("A to r1") << u"A to r1"_s << u"B"_s;
    QTest::addRow("B to r2") << u"B to r2"_s << u"C"_s;
    QTest::addRow("A except r2") << u"A except r2"_s << QString();
    QTest::addRow("send to r2") << u"send r2"_s << u"BC"_s;
}

void tst_SocketIoServer::broadcast()
{
    QFETCH(QString, operation);
    QFETCH(QString, expected);

    QSocketIoServer server;
    QVERIFY(server.listen());
    QSocketIoNamespace *chat = server.of(u"/chat"_s);
    SioTestClient a, b, c, d;
    QPointer<QSocketIoSocket> sa = join(server, a);
    QPointer<QSocketIoSocket> sb = join(server, b);
    QPointer<QSocketIoSocket> sc = join(server, c);
    QPointer<QSocketIoSocket> sd = join(server, d, u"/chat"_s);
    QVERIFY(sa && sb && sc && sd);
    sa->join(u"r1"_s);
    sb->join({u"r1"_s, u"r2"_s});
    sc->join(u"r2"_s);
    sd->join(u"r1"_s);

    const QString event = operation == u"send r2"_s ? u"message"_s : u"ev"_s;
    const QVariantList args{operation};
    bool ok = false;
    if (operation == u"server"_s)
        ok = server.emitEvent(event, args);
    else if (operation == u"namespace"_s)
        ok = server.mainNamespace()->emitEvent(event, args);
    else if (operation == u"to r1"_s)
        ok = server.to(u"r1"_s).emitEvent(event, args);
    else if (operation == u"in r2"_s)
        ok = server.in(u"r2"_s).emitEvent(event, args);
    else if (operation == u"to r1 r2"_s)
        ok = server.to(QStringList{u"r1"_s, u"r2"_s}).emitEvent(event, args);
    else if (operation == u"to r1, to r2"_s)
        ok = server.mainNamespace()->to(u"r1"_s).to(u"r2"_s).emitEvent(event, args);
    else if (operation == u"to nobody"_s)
        ok = server.to(u"nobody"_s).emitEvent(event, args);
    else if (operation == u"except r2"_s)
        ok = server.except(u"r2"_s).emitEvent(event, args);
    else if (operation == u"to r1 except r2"_s)
        ok = server.mainNamespace()->in(u"r1"_s).except(u"r2"_s).emitEvent(event, args);
    else if (operation == u"to B"_s)
        ok = server.to(sb->id()).emitEvent(event, args);
    else if (operation == u"to A C"_s)
        ok = server.to(QStringList{sa->id(), sc->id()}).emitEvent(event, args);
    else if (operation == u"local"_s)
        ok = server.local().compress(false).emitEvent(event, args);
    else if (operation == u"A broadcast"_s)
        ok = sa->broadcast().emitEvent(event, args);
    else if (operation == u"A to r1"_s)
        ok = sa->to(u"r1"_s).emitEvent(event, args);
    else if (operation == u"B to r2"_s)
        ok = sb->in(u"r2"_s).emitEvent(event, args);
    else if (operation == u"A except r2"_s)
        ok = sa->except(u"r2"_s).emitEvent(event, args);
    else if (operation == u"send r2"_s)
        ok = server.to(u"r2"_s).send(args);
    QVERIFY2(ok, qPrintable(operation));

    // Everyone in "/" gets a marker after the broadcast; what came before it is what the broadcast sent.
    QVERIFY(server.emitEvent(u"marker"_s));
    QVERIFY(chat->emitEvent(u"marker"_s));
    const QList<QPair<QChar, SioTestClient *>> clients{{u'A', &a}, {u'B', &b}, {u'C', &c}};
    for (const auto &[name, client] : clients) {
        QVERIFY(client->waitForEvent(u"marker"_s));
        QCOMPARE(client->countEvents(event), expected.contains(name) ? 1 : 0);
        if (expected.contains(name)) {
            Packet packet;
            QVERIFY(client->waitForEvent(event, &packet));
            QCOMPARE(packet.text, u"2[\"%1\",\"%2\"]"_s.arg(event, operation));
        }
    }
    QVERIFY(d.waitForEvent(u"marker"_s, nullptr, u"/chat"_s));
    QCOMPARE(d.packets().size(), 0);
}

void tst_SocketIoServer::volatileOnPolling()
{
    QSocketIoServer server;
    QVERIFY(server.listen());
    // A WebSocket client, always writable.
    SioTestClient ws;
    QVERIFY(join(server, ws));

    // A polling client: handshake, CONNECT, and read the CONNECT reply.
    RawHttpClient http;
    QVERIFY(http.connectToServer(server.serverPort()));
    http.sendGet("/socket.io/?EIO=4&transport=polling");
    QVERIFY(http.waitForResponses(1));
    QCOMPARE(http.lastResponse().status, 200);
    const QByteArray open = http.lastResponse().body;
    QVERIFY(open.startsWith('0'));
    const QByteArray sid = QJsonDocument::fromJson(open.mid(1)).object().value(u"sid"_s).toString().toLatin1();
    QVERIFY(!sid.isEmpty());
    const QByteArray target = "/socket.io/?EIO=4&transport=polling&sid=" + sid;
    http.sendPost(target, "40");
    QVERIFY(http.waitForResponses(2));
    QCOMPARE(http.lastResponse().body, QByteArray("ok"));
    http.sendGet(target);
    QVERIFY(http.waitForResponses(3));
    QVERIFY(http.lastResponse().body.startsWith("40{\"sid\":"));
    QTRY_COMPARE(server.mainNamespace()->socketCount(), 2);
    QSocketIoSocket *polling = nullptr;
    for (QSocketIoSocket *s : server.mainNamespace()->sockets()) {
        if (s->transport() == u"polling"_s)
            polling = s;
    }
    QVERIFY(polling);

    // No poll is waiting: the volatile event is dropped for the polling client, the normal one is kept.
    QVERIFY(server.asVolatile().emitEvent(u"vol"_s, {1}));
    QVERIFY(server.emitEvent(u"after"_s));
    QVERIFY(ws.waitForEvent(u"vol"_s));
    QVERIFY(ws.waitForEvent(u"after"_s));
    http.sendGet(target);
    QVERIFY(http.waitForResponses(4));
    QCOMPARE(http.lastResponse().body, QByteArray("42[\"after\"]"));

    // With a poll waiting, a volatile event goes out.
    http.sendGet(target);
    QVERIFY(QTest::qWaitFor([&] {
        server.asVolatile().to(polling->id()).emitEvent(u"vol2"_s);
        return http.responseCount() >= 5;
    }, 5000));
    QVERIFY(http.lastResponse().body.startsWith("42[\"vol2\"]"));
}

void tst_SocketIoServer::broadcastWithAck_data()
{
    QTest::addColumn<int>("answering");   // how many of the three clients answer
    QTest::addColumn<bool>("nobody");     // select nobody

    QTest::addRow("all answer") << 3 << false;
    QTest::addRow("one silent") << 2 << false;
    QTest::addRow("none answer") << 0 << false;
    QTest::addRow("nobody selected") << 0 << true;
}

void tst_SocketIoServer::broadcastWithAck()
{
    QFETCH(int, answering);
    QFETCH(bool, nobody);

    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient clients[3];
    QStringList socketIds;
    for (SioTestClient &client : clients) {
        QSocketIoSocket *socket = join(server, client);
        QVERIFY(socket);
        socketIds.append(socket->id());
    }

    QPointer<QSocketIoAck> ack = nobody ? server.to(u"empty"_s).timeout(300).emitWithAck(u"poll"_s, {1})
                                        : server.timeout(300).emitWithAck(u"poll"_s, {1});
    QVERIFY(ack);
    QVERIFY(ack->isBroadcast());
    QCOMPARE(ack->expectedCount(), nobody ? 0 : 3);
    AckSnapshot snapshot;
    snapshot.watch(ack, this);

    if (!nobody) {
        for (int i = 0; i < 3; ++i) {
            Packet packet;
            QVERIFY(clients[i].waitForEvent(u"poll"_s, &packet));
            QCOMPARE(packet.eventArgs(), QJsonArray{1});
            QVERIFY(packet.id >= 0);
            if (i < answering)
                clients[i].sendAck(packet.id, {i});
        }
    }
    if (answering == 3 || nobody) {
        QTRY_COMPARE(snapshot.finishedCount, 1);
        QCOMPARE(snapshot.timedOutCount, 0);
        QVERIFY(snapshot.isFinished);
        QVERIFY(snapshot.timedOutIds.isEmpty());
    } else {
        QTRY_COMPARE(snapshot.timedOutCount, 1);
        QCOMPARE(snapshot.finishedCount, 0);
        QVERIFY(snapshot.isTimedOut);
        QCOMPARE(sorted(snapshot.timedOutIds), sorted(socketIds.mid(answering)));
    }
    QCOMPARE(snapshot.responses.size(), answering);
    QCOMPARE(sorted(snapshot.responded), sorted(socketIds.mid(0, answering)));
    for (int i = 0; i < answering; ++i) {
        const int from = int(socketIds.indexOf(snapshot.responded.at(i)));
        QCOMPARE(snapshot.responses.at(i), QVariantList{from});
    }
    QTRY_VERIFY(ack.isNull());
}

void tst_SocketIoServer::fetchSockets()
{
    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient a, b, c;
    QPointer<QSocketIoSocket> sa = join(server, a);
    QPointer<QSocketIoSocket> sb = join(server, b);
    QPointer<QSocketIoSocket> sc = join(server, c);
    QVERIFY(sa && sb && sc);
    sa->join(u"r1"_s);
    sb->join(u"r1"_s);
    sa->setDataValue(u"name"_s, u"alice"_s);

    bool called = false;
    QList<QSocketIoSocket *> result;
    server.mainNamespace()->fetchSockets(this, [&](const QList<QSocketIoSocket *> &sockets) {
        called = true;
        result = sockets;
    });
    QVERIFY(!called);   // asynchronous
    QTRY_VERIFY(called);
    QCOMPARE(ids(result), ids({sa, sb, sc}));

    called = false;
    server.mainNamespace()->to(u"r1"_s).fetchSockets(this, [&](const QList<QSocketIoSocket *> &sockets) {
        called = true;
        result = sockets;
    });
    QTRY_VERIFY(called);
    QCOMPARE(ids(result), ids({sa, sb}));
    for (QSocketIoSocket *socket : std::as_const(result)) {
        if (socket == sa)
            QCOMPARE(socket->data().value(u"name"_s).toString(), u"alice"_s);
    }

    called = false;
    server.except(u"r1"_s).fetchSockets(this, [&](const QList<QSocketIoSocket *> &sockets) {
        called = true;
        result = sockets;
    });
    QTRY_VERIFY(called);
    QCOMPARE(ids(result), ids({sc}));

    // A socket that leaves before the answer is not in it.
    called = false;
    server.mainNamespace()->fetchSockets(this, [&](const QList<QSocketIoSocket *> &sockets) {
        called = true;
        result = sockets;
    });
    sc->disconnectSocket();
    QTRY_VERIFY(called);
    QCOMPARE(ids(result), ids({sa, sb}));

    // The functor goes with its context.
    auto context = std::make_unique<QObject>();
    bool contextCalled = false;
    server.mainNamespace()->fetchSockets(context.get(), [&](const QList<QSocketIoSocket *> &) { contextCalled = true; });
    context.reset();
    QTest::qWait(100);
    QVERIFY(!contextCalled);
}

void tst_SocketIoServer::socketsJoinLeave()
{
    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient a, b, c;
    QPointer<QSocketIoSocket> sa = join(server, a);
    QPointer<QSocketIoSocket> sb = join(server, b);
    QPointer<QSocketIoSocket> sc = join(server, c);
    QVERIFY(sa && sb && sc);
    sa->join(u"r1"_s);
    sb->join(u"r1"_s);

    QSignalSpy roomsA(sa, &QSocketIoSocket::roomsChanged);
    server.to(u"r1"_s).socketsJoin({u"x"_s, u"y"_s});
    QVERIFY(sa->isInRoom(u"x"_s) && sa->isInRoom(u"y"_s));
    QVERIFY(sb->isInRoom(u"x"_s) && sb->isInRoom(u"y"_s));
    QVERIFY(!sc->isInRoom(u"x"_s));
    QCOMPARE(roomsA.count(), 1);

    server.in(sc->id()).socketsJoin({u"solo"_s});
    QCOMPARE(ids(server.to(u"solo"_s).sockets()), ids({sc}));

    server.socketsJoin({u"everyone"_s});
    QCOMPARE(ids(server.to(u"everyone"_s).sockets()), ids({sa, sb, sc}));

    server.except(u"solo"_s).socketsLeave({u"x"_s, u"everyone"_s});
    QVERIFY(!sa->isInRoom(u"x"_s));
    QVERIFY(sa->isInRoom(u"y"_s));
    QCOMPARE(ids(server.to(u"everyone"_s).sockets()), ids({sc}));

    server.mainNamespace()->socketsLeave({u"y"_s, u"solo"_s, u"everyone"_s});
    QCOMPARE(sa->rooms(), QStringList({sa->id(), u"r1"_s}));
    QCOMPARE(sc->rooms(), QStringList{sc->id()});
}

void tst_SocketIoServer::disconnectSockets_data()
{
    QTest::addColumn<bool>("closeConnection");
    QTest::addRow("namespace only") << false;
    QTest::addRow("close connection") << true;
}

void tst_SocketIoServer::disconnectSockets()
{
    QFETCH(bool, closeConnection);

    QSocketIoServer server;
    QVERIFY(server.listen());
    server.of(u"/chat"_s);
    SioTestClient a, b, c;
    QPointer<QSocketIoSocket> sa = join(server, a);
    QPointer<QSocketIoSocket> saChat = join(server, a, u"/chat"_s);
    QPointer<QSocketIoSocket> sb = join(server, b);
    QPointer<QSocketIoSocket> sc = join(server, c);
    QVERIFY(sa && saChat && sb && sc);
    sa->join(u"r1"_s);
    sb->join(u"r1"_s);
    QSignalSpy goneA(sa, &QSocketIoSocket::disconnected);
    QSignalSpy goneAChat(saChat, &QSocketIoSocket::disconnected);
    QSignalSpy goneB(sb, &QSocketIoSocket::disconnected);
    QSignalSpy goneC(sc, &QSocketIoSocket::disconnected);

    server.to(u"r1"_s).disconnectSockets(closeConnection);
    QCOMPARE(goneA.count(), 1);
    QCOMPARE(goneB.count(), 1);
    QCOMPARE(goneA.at(0).at(0).value<Reason>(), Reason::ServerNamespaceDisconnect);
    QCOMPARE(goneB.at(0).at(0).value<Reason>(), Reason::ServerNamespaceDisconnect);

    // The clients hear a DISCONNECT for "/".
    Packet packet;
    QVERIFY(a.waitForType(1, &packet));
    QCOMPARE(packet.text, u"1"_s);
    QVERIFY(b.waitForType(1, &packet));
    if (closeConnection) {
        // Every namespace of the connection goes, then the connection.
        QCOMPARE(goneAChat.count(), 1);
        QCOMPARE(goneAChat.at(0).at(0).value<Reason>(), Reason::ServerNamespaceDisconnect);
        QVERIFY(a.waitForType(1, &packet, u"/chat"_s));
        QCOMPARE(packet.text, u"1/chat,"_s);
        QVERIFY(a.waitForClosed());
        QVERIFY(b.waitForClosed());
        QTRY_COMPARE(server.connectionCount(), 1);
    } else {
        QTest::qWait(100);
        QVERIFY(a.isOpen());
        QVERIFY(b.isOpen());
        QCOMPARE(goneAChat.count(), 0);
        QVERIFY(saChat->isConnected());
        QCOMPARE(server.connectionCount(), 3);
        // The connection can join again.
        QVERIFY(join(server, a));
    }
    QCOMPARE(goneC.count(), 0);
    QVERIFY(sc->isConnected());
    QVERIFY(c.isOpen());
}

// --- Socket state ------------------------------------------------------------------------------------------

void tst_SocketIoServer::data()
{
    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);
    QSignalSpy spy(socket, &QSocketIoSocket::dataChanged);
    QVERIFY(socket->data().isEmpty());

    socket->setData({{u"a"_s, 1}});
    QCOMPARE(spy.count(), 1);
    socket->setData({{u"a"_s, 1}});
    QCOMPARE(spy.count(), 1);
    socket->setDataValue(u"b"_s, u"x"_s);
    QCOMPARE(spy.count(), 2);
    socket->setDataValue(u"b"_s, u"x"_s);
    QCOMPARE(spy.count(), 2);
    socket->setDataValue(u"b"_s, u"y"_s);
    QCOMPARE(spy.count(), 3);
    const QVariantMap expected{{u"a"_s, 1}, {u"b"_s, u"y"_s}};
    QCOMPARE(socket->data(), expected);
    QCOMPARE(socket->property("data").toMap(), expected);

    // Through the property, as QML writes it.
    QVERIFY(socket->setProperty("data", QVariantMap{{u"c"_s, true}}));
    QCOMPARE(spy.count(), 4);
    QCOMPARE(socket->data(), QVariantMap({{u"c"_s, true}}));
}

void tst_SocketIoServer::handshake_data()
{
    QTest::addColumn<QString>("origin");
    QTest::addRow("same origin") << QString();
    QTest::addRow("cross origin") << u"http://example.com"_s;
}

void tst_SocketIoServer::handshake()
{
    QFETCH(QString, origin);

    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient client;
    client.open(server.serverPort(), u"foo=bar&space=a%20b"_s, {{"X-Custom", "hello"}}, origin);
    QVERIFY(client.waitForOpen());
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    QPointer<QSocketIoSocket> socket = join(server, client, u"/"_s, QJsonObject{{u"token"_s, u"t0k"_s}});
    QVERIFY(socket);

    const QSocketIoHandshake hs = socket->handshake();
    QCOMPARE(hs.auth(), QVariantMap({{u"token"_s, u"t0k"_s}}));
    const QVariantMap query = hs.query();
    QCOMPARE(query.value(u"foo"_s).toString(), u"bar"_s);
    QCOMPARE(query.value(u"space"_s).toString(), u"a b"_s);
    QCOMPARE(query.value(u"EIO"_s).toString(), u"4"_s);
    QCOMPARE(query.value(u"transport"_s).toString(), u"websocket"_s);
    const QVariantMap headers = hs.headers();
    QCOMPARE(headers.value(u"x-custom"_s).toString(), u"hello"_s);
    QVERIFY(headers.contains(u"host"_s));
    QCOMPARE(hs.header("x-custom"), QByteArray("hello"));
    QCOMPARE(hs.header("X-Custom"), QByteArray("hello"));
    QCOMPARE(hs.address(), u"127.0.0.1"_s);
    QVERIFY(hs.peerAddress().isLoopback());
    QVERIFY(hs.url().startsWith(u"/socket.io/?EIO=4&transport=websocket"_s));
    QVERIFY(hs.url().contains(u"foo=bar"_s));
    QVERIFY(!hs.isSecure());
    QVERIFY(hs.time() >= before);
    QVERIFY(hs.time() <= QDateTime::currentDateTimeUtc());
    QCOMPARE(hs.isCrossDomain(), !origin.isEmpty());
    if (!origin.isEmpty())
        QCOMPARE(headers.value(u"origin"_s).toString(), origin);

    // The gadget's properties, as QML reads them.
    const QMetaObject &mo = QSocketIoHandshake::staticMetaObject;
    const QMetaProperty xdomain = mo.property(mo.indexOfProperty("xdomain"));
    QCOMPARE(xdomain.readOnGadget(&hs).toBool(), !origin.isEmpty());
    QCOMPARE(socket->property("handshake").value<QSocketIoHandshake>().auth(), hs.auth());
}

// --- Disconnection -----------------------------------------------------------------------------------------

void tst_SocketIoServer::disconnectReasons_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("frame");        // the Engine.IO frame the client sends, for "send"
    QTest::addColumn<Reason>("reason");
    QTest::addColumn<bool>("connectionClosed");

    QTest::addRow("client namespace disconnect") << u"send"_s << u"41"_s << Reason::ClientNamespaceDisconnect << false;
    QTest::addRow("server disconnectSocket") << u"disconnectSocket"_s << QString() << Reason::ServerNamespaceDisconnect << false;
    QTest::addRow("server disconnectSocket(true)") << u"disconnectSocket(true)"_s << QString()
                                                   << Reason::ServerNamespaceDisconnect << true;
    QTest::addRow("client closes websocket") << u"close"_s << QString() << Reason::TransportClose << true;
    QTest::addRow("client sends engine close") << u"send"_s << u"1"_s << Reason::TransportClose << true;
    QTest::addRow("ping timeout") << u"no pong"_s << QString() << Reason::PingTimeout << true;
    QTest::addRow("parse error: {") << u"send"_s << u"4{"_s << Reason::ParseError << true;
    QTest::addRow("parse error: bad type") << u"send"_s << u"47"_s << Reason::ParseError << true;
    QTest::addRow("parse error: event not an array") << u"send"_s << u"42{\"a\":1}"_s << Reason::ParseError << true;
    QTest::addRow("parse error: non-numeric ack id") << u"send"_s << u"42x[\"a\"]"_s << Reason::ParseError << true;
    QTest::addRow("parse error: bad connect payload") << u"send"_s << u"40{"_s << Reason::ParseError << true;
    QTest::addRow("parse error: too many attachments")
            << u"send"_s << u"4511-[\"a\",{\"_placeholder\":true,\"num\":0}]"_s << Reason::ParseError << true;
    QTest::addRow("parse error: engine packet") << u"send"_s << u"9"_s << Reason::ParseError << true;
    QTest::addRow("parse error: empty event") << u"send"_s << u"42[]"_s << Reason::ParseError << true;
    QTest::addRow("parse error: reserved event name") << u"send"_s << u"42[\"disconnect\"]"_s << Reason::ParseError << true;
    QTest::addRow("parse error: connect payload a string") << u"send"_s << u"40/fresh,\"str\""_s << Reason::ParseError << true;
    QTest::addRow("parse error: connect payload an array") << u"send"_s << u"40/fresh,[1]"_s << Reason::ParseError << true;
    QTest::addRow("parse error: ack without id") << u"send"_s << u"43[]"_s << Reason::ParseError << true;
    QTest::addRow("parse error: binary without a binary packet") << u"stray binary"_s << QString() << Reason::ParseError << true;
    QTest::addRow("parse error: text instead of an attachment")
            << u"text for attachment"_s << QString() << Reason::ParseError << true;
    QTest::addRow("message over maxHttpBufferSize") << u"too big"_s << QString() << Reason::TransportError << true;
    QTest::addRow("event on a namespace never joined") << u"send"_s << u"42/other,[\"x\"]"_s << Reason::ForcedClose << true;
    QTest::addRow("ack on a namespace never joined") << u"send"_s << u"43/other,1[]"_s << Reason::ForcedClose << true;
    QTest::addRow("second connect") << u"send"_s << u"40"_s << Reason::ForcedClose << true;
    QTest::addRow("server close") << u"server close"_s << QString() << Reason::ServerShuttingDown << true;
}

void tst_SocketIoServer::disconnectReasons()
{
    QFETCH(QString, action);
    QFETCH(QString, frame);
    QFETCH(Reason, reason);
    QFETCH(bool, connectionClosed);

    QSocketIoServer server;
    server.setPingInterval(300);
    server.setPingTimeout(200);
    server.setMaxHttpBufferSize(1000);
    QVERIFY(server.listen());
    server.of(u"/chat"_s);
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QPointer<QSocketIoSocket> chat = join(server, client, u"/chat"_s);
    QVERIFY(socket && chat);
    socket->join(u"room"_s);
    QPointer<QSocketIoAck> pendingAck = socket->emitWithAck(u"pending"_s);
    QSignalSpy ackTimedOut(pendingAck, &QSocketIoAck::timedOut);

    QList<bool> inRoomWhileDisconnecting;
    connect(socket, &QSocketIoSocket::disconnecting, this, [&](Reason) {
        inRoomWhileDisconnecting.append(socket->isInRoom(u"room"_s));
    });
    QSignalSpy disconnecting(socket, &QSocketIoSocket::disconnecting);
    QSignalSpy disconnected(socket, &QSocketIoSocket::disconnected);
    QSignalSpy connectedChanged(socket, &QSocketIoSocket::connectedChanged);
    QSignalSpy chatDisconnected(chat, &QSocketIoSocket::disconnected);

    if (action == u"send"_s) {
        client.sendText(frame);
    } else if (action == u"disconnectSocket"_s) {
        socket->disconnectSocket();
    } else if (action == u"disconnectSocket(true)"_s) {
        socket->disconnectSocket(true);
    } else if (action == u"close"_s) {
        client.close();
    } else if (action == u"no pong"_s) {
        client.setAutoPong(false);
    } else if (action == u"server close"_s) {
        server.close();
    } else if (action == u"stray binary"_s) {
        client.sendBinary(QByteArray("\x01\x02", 2));
    } else if (action == u"text for attachment"_s) {
        client.sendPacket(u"51-[\"a\",{\"_placeholder\":true,\"num\":0}]"_s);
        client.emitEvent(u"b"_s);
    } else if (action == u"too big"_s) {
        client.emitEvent(u"big"_s, {QString(2000, u'x')});
    }

    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(disconnected.at(0).at(0).value<Reason>(), reason);
    QVERIFY(!disconnected.at(0).at(1).toString().isEmpty());
    QCOMPARE(disconnecting.count(), 1);
    QCOMPARE(disconnecting.at(0).at(0).value<Reason>(), reason);
    QCOMPARE(inRoomWhileDisconnecting, QList<bool>{true});
    QCOMPARE(connectedChanged.count(), 1);
    QCOMPARE(ackTimedOut.count(), 1);
    if (socket) {
        QVERIFY(!socket->isConnected());
        QVERIFY(!socket->emitEvent(u"x"_s));
    }
    QVERIFY(server.to(u"room"_s).sockets().isEmpty());
    QCOMPARE(QSocketIoSocket::reasonString(reason).isEmpty(), false);

    if (connectionClosed) {
        // Every namespace of the connection goes with it.
        QTRY_COMPARE(chatDisconnected.count(), 1);
        QCOMPARE(chatDisconnected.at(0).at(0).value<Reason>(), reason);
        QVERIFY(client.waitForClosed());
        QTRY_COMPARE(server.connectionCount(), 0);
    } else {
        if (reason == Reason::ServerNamespaceDisconnect) {
            Packet packet;
            QVERIFY(client.waitForType(1, &packet));
            QCOMPARE(packet.text, u"1"_s);
        }
        QTest::qWait(50);
        QVERIFY(client.isOpen());
        QCOMPARE(chatDisconnected.count(), 0);
        QVERIFY(chat->isConnected());
        // The connection can join the namespace again.
        QVERIFY(join(server, client));
    }
    QTRY_VERIFY(socket.isNull());
    QTRY_VERIFY(pendingAck.isNull());
}

void tst_SocketIoServer::disconnectWhileDisconnecting()
{
    // Handlers that disconnect again, or emit, while the socket is going away.
    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);
    QList<bool> emitted;
    connect(socket, &QSocketIoSocket::disconnecting, this, [&] {
        socket->disconnectSocket();
        socket->disconnectSocket(true);
    });
    connect(socket, &QSocketIoSocket::disconnected, this, [&] {
        socket->disconnectSocket();
        emitted.append(socket->emitEvent(u"x"_s));
    });
    QSignalSpy disconnecting(socket, &QSocketIoSocket::disconnecting);
    QSignalSpy disconnected(socket, &QSocketIoSocket::disconnected);
    client.disconnectNamespace();
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(disconnecting.count(), 1);
    QCOMPARE(disconnected.at(0).at(0).value<Reason>(), Reason::ClientNamespaceDisconnect);
    QCOMPARE(emitted, QList<bool>{false});
    // disconnectSocket(true) from the handler still closes the connection.
    QVERIFY(client.waitForClosed());
    QCOMPARE(disconnected.count(), 1);
}

void tst_SocketIoServer::ackAfterDisconnect()
{
    // A handler answers after its socket went away: nothing is sent, nothing breaks.
    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);
    QSocketIoAckCallback saved;
    socket->on(u"ask"_s, this, [&](const QVariantList &, const QSocketIoAckCallback &ack) { saved = ack; });
    client.emitEvent(u"ask"_s, {}, u"/"_s, 1);
    QTRY_VERIFY(saved.isValid());
    client.disconnectNamespace();
    QTRY_VERIFY(socket.isNull());
    saved({u"late"_s});
    QVERIFY(saved.isAnswered());
    QVERIFY(join(server, client));
    QTest::qWait(50);
    QCOMPARE(client.packets().size(), 0);
}

void tst_SocketIoServer::upgradeChangesTransport()
{
    // A polling connection joins, then upgrades to WebSocket: the socket reports its new transport.
    QSocketIoServer server;
    QVERIFY(server.listen());
    RawHttpClient http;
    QVERIFY(http.connectToServer(server.serverPort()));
    http.sendGet("/socket.io/?EIO=4&transport=polling");
    QVERIFY(http.waitForResponses(1));
    const QJsonObject open = QJsonDocument::fromJson(http.lastResponse().body.mid(1)).object();
    QCOMPARE(open.value(u"upgrades"_s).toArray(), QJsonArray{u"websocket"_s});
    const QString sid = open.value(u"sid"_s).toString();
    const QByteArray target = "/socket.io/?EIO=4&transport=polling&sid=" + sid.toLatin1();
    QSignalSpy newConnection(&server, &QSocketIoServer::newConnection);
    http.sendPost(target, "40");
    QVERIFY(http.waitForResponses(2));
    QTRY_COMPARE(newConnection.count(), 1);
    QPointer<QSocketIoSocket> socket = newConnection.at(0).at(0).value<QSocketIoSocket *>();
    QCOMPARE(socket->transport(), u"polling"_s);
    QSignalSpy transportChanged(socket, &QSocketIoSocket::transportChanged);

    SioTestClient ws;
    ws.open(server.serverPort(), u"sid="_s + sid);
    QVERIFY(ws.waitForConnected());
    QCOMPARE(transportChanged.count(), 0);
    ws.sendText(u"2probe"_s);
    QTRY_VERIFY(ws.textFrames().contains(u"3probe"_s));
    ws.sendText(u"5"_s);
    QTRY_COMPARE(transportChanged.count(), 1);
    QCOMPARE(socket->transport(), u"websocket"_s);
    // The CONNECT reply waiting for a poll, and what follows, now come over the WebSocket.
    QVERIFY(socket->emitEvent(u"over ws"_s));
    QVERIFY(ws.waitForEvent(u"over ws"_s));
}

void tst_SocketIoServer::connectTimeout()
{
    QSocketIoServer server;
    server.setConnectTimeout(300);
    QVERIFY(server.listen());

    // A connection that joins no namespace is closed.
    SioTestClient idle;
    QElapsedTimer timer;
    timer.start();
    idle.open(server.serverPort());
    QVERIFY(idle.waitForOpen());
    QVERIFY(idle.waitForClosed(3000));
    QVERIFY(timer.elapsed() >= 250);

    // One whose CONNECT was refused too.
    server.mainNamespace()->use([](QSocketIoSocket *socket, const QSocketIoNext &next) {
        if (socket->handshake().auth().value(u"deny"_s).toBool())
            next.reject(u"no"_s);
        else
            next();
    });
    SioTestClient refused;
    refused.open(server.serverPort());
    QVERIFY(refused.waitForOpen());
    QVERIFY(!refused.joinNamespace(u"/"_s, QJsonObject{{u"deny"_s, true}}));
    QVERIFY(refused.waitForClosed(3000));

    // One that joined stays.
    SioTestClient joined;
    QPointer<QSocketIoSocket> socket = join(server, joined);
    QVERIFY(socket);
    QTest::qWait(500);
    QVERIFY(joined.isOpen());
    QVERIFY(socket);
    QVERIFY(socket->isConnected());
}

void tst_SocketIoServer::emitOnDisconnectedSocket()
{
    QSocketIoServer server;
    QVERIFY(server.listen());
    SioTestClient client;
    QPointer<QSocketIoSocket> socket = join(server, client);
    QVERIFY(socket);
    socket->disconnectSocket();
    QVERIFY(socket);
    QVERIFY(!socket->isConnected());
    QVERIFY(!socket->emitEvent(u"x"_s));
    QVERIFY(!socket->send({1}));
    socket->join(u"room"_s);
    QVERIFY(socket->rooms().isEmpty());
    socket->disconnectSocket();   // harmless

    // The reply of an emitWithAck on a disconnected socket times out, even though the socket goes away.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"disconnected socket"_s));
    QSocketIoAck *ack = socket->emitWithAck(u"x"_s, {}, 5000);
    QVERIFY(ack);
    QSignalSpy timedOutSpy(ack, &QSocketIoAck::timedOut);
    QTRY_COMPARE(timedOutSpy.count(), 1);
    QTRY_VERIFY(socket.isNull());

    // The same for a socket disconnected from a slot.
    SioTestClient other;
    QPointer<QSocketIoSocket> second = join(server, other);
    QVERIFY(second);
    // As in an application: from a slot, in a running event loop.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"disconnected socket"_s));
    QEventLoop loop;
    int timedOut = 0;
    QTimer::singleShot(0, this, [&] {
        second->disconnectSocket();
        QSocketIoAck *ack = second->emitWithAck(u"x"_s, {}, 5000);
        connect(ack, &QSocketIoAck::timedOut, this, [&] {
            ++timedOut;
            loop.quit();
        });
    });
    QTimer::singleShot(2000, &loop, &QEventLoop::quit);
    loop.exec();
    QCOMPARE(timedOut, 1);
    QTRY_VERIFY(second.isNull());

    // The client got the DISCONNECT and nothing else.
    Packet packet;
    QVERIFY(client.waitForType(1, &packet));
    QTest::qWait(50);
    QCOMPARE(client.packets().size(), 0);
}

void tst_SocketIoServer::deleteServerWithClients()
{
    auto server = std::make_unique<QSocketIoServer>();
    QVERIFY(server->listen());
    server->of(u"/chat"_s);
    // A connection still joining: its middleware answers after the server is gone.
    QSocketIoNext late([](bool, const QString &, const QVariant &) {});
    bool slowJoining = false;
    server->of(u"/slow"_s)->use([&](QSocketIoSocket *, const QSocketIoNext &next) {
        late = next;
        slowJoining = true;
    });

    SioTestClient a, b, c;
    QPointer<QSocketIoSocket> sa = join(*server, a);
    QPointer<QSocketIoSocket> saChat = join(*server, a, u"/chat"_s);
    QPointer<QSocketIoSocket> sb = join(*server, b);
    QVERIFY(sa && saChat && sb);
    c.open(server->serverPort());
    QVERIFY(c.waitForOpen());
    c.connectNamespace(u"/slow"_s);
    QTRY_VERIFY(slowJoining);

    QPointer<QSocketIoAck> socketAck = sa->emitWithAck(u"pending"_s);
    QPointer<QSocketIoAck> broadcastAck = server->timeout(10000).emitWithAck(u"pending"_s);
    QVERIFY(a.waitForEvent(u"pending"_s));
    QSignalSpy socketAckTimedOut(socketAck, &QSocketIoAck::timedOut);
    QList<Reason> reasons;
    for (QSocketIoSocket *socket : {sa.data(), saChat.data(), sb.data()}) {
        connect(socket, &QSocketIoSocket::disconnected, this, [&](Reason reason) { reasons.append(reason); });
    }
    int fetched = -1;
    server->mainNamespace()->fetchSockets(this, [&](const QList<QSocketIoSocket *> &sockets) {
        fetched = int(sockets.size());
    });

    server.reset();
    QCOMPARE(reasons, QList<Reason>(3, Reason::ServerShuttingDown));
    QCOMPARE(socketAckTimedOut.count(), 1);
    QVERIFY(!sa && !saChat && !sb);
    QVERIFY(!socketAck);
    QVERIFY(!broadcastAck);
    QVERIFY(a.waitForClosed());
    QVERIFY(b.waitForClosed());
    QVERIFY(c.waitForClosed());

    // Late answers and queued work find nothing to act on.
    late();
    QTRY_COMPARE(fetched, 0);
}

void tst_SocketIoServer::deleteServerInsideHandler_data()
{
    QTest::addColumn<QString>("where");
    QTest::addRow("event handler") << u"event"_s;
    QTest::addRow("packet middleware") << u"middleware"_s;
    QTest::addRow("newConnection") << u"connection"_s;
    QTest::addRow("disconnecting, client leaves the namespace") << u"disconnecting:leave"_s;
    QTest::addRow("disconnected, client leaves the namespace") << u"disconnected:leave"_s;
    QTest::addRow("disconnected, transport closed") << u"disconnected:close"_s;
    QTest::addRow("disconnected, ping timeout") << u"disconnected:silent"_s;
    QTest::addRow("disconnected, server disconnects the socket") << u"disconnected:kick"_s;
    QTest::addRow("disconnected, second socket of the connection") << u"disconnected:two"_s;
}

// Deleting the server from inside one of its own callbacks must not crash, and the clients see their
// connection end.
void tst_SocketIoServer::deleteServerInsideHandler()
{
    QFETCH(QString, where);
    QPointer<QSocketIoServer> server = new QSocketIoServer;
    server->setPingInterval(200);
    server->setPingTimeout(200);
    QVERIFY(server->listen());
    const quint16 port = server->serverPort();
    server->of(u"/second"_s);
    const QString signal = where.section(u':', 0, 0);
    const QString how = where.section(u':', 1);
    QObject::connect(server, &QSocketIoServer::newConnection, server, [&](QSocketIoSocket *socket) {
        if (where == u"connection"_s) {
            delete server.data();
            return;
        }
        if (signal == u"disconnecting"_s)
            QObject::connect(socket, &QSocketIoSocket::disconnecting, server, [&] { delete server.data(); });
        if (signal == u"disconnected"_s)
            QObject::connect(socket, &QSocketIoSocket::disconnected, server, [&] { delete server.data(); });
        socket->on(u"kick"_s, socket, [socket](const QVariantList &) { socket->disconnectSocket(); });
        if (where == u"middleware"_s) {
            socket->use([&](QSocketIoSocket *, const QString &, QVariantList &, const QSocketIoNext &) {
                delete server.data();
            });
        }
        socket->on(u"die"_s, socket, [&](const QVariantList &) { delete server.data(); });
    });

    SioTestClient client;
    client.open(port);
    QVERIFY(client.waitForOpen());
    client.connectNamespace(u"/"_s);
    if (how == u"two"_s)
        client.connectNamespace(u"/second"_s);
    if (where != u"connection"_s) {
        QTRY_VERIFY_WITH_TIMEOUT(server && server->mainNamespace()->socketCount() == 1, 5000);
        if (how == u"two"_s)
            QTRY_VERIFY_WITH_TIMEOUT(server && server->of(u"/second"_s)->socketCount() == 1, 5000);
        if (how.isEmpty())
            client.emitEvent(u"die"_s);
        else if (how == u"leave"_s)
            client.disconnectNamespace(u"/"_s);
        else if (how == u"close"_s || how == u"two"_s)
            client.close();
        else if (how == u"silent"_s)
            client.setAutoPong(false);
        else if (how == u"kick"_s)
            client.emitEvent(u"kick"_s);
    }
    QTRY_VERIFY_WITH_TIMEOUT(!server, 5000);
    if (how == u"close"_s || how == u"two"_s)
        return;
    QTRY_VERIFY_WITH_TIMEOUT(!client.isOpen(), 5000);
}

QTEST_MAIN(tst_SocketIoServer)

#include "tst_socketioserver.moc"
