// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The code the documentation shows (\snippet snippets.cpp <name>). Built with the tests (target
// qtsocketio_doc_snippets, never run) so that it cannot fall behind the API.

#include <QtSocketIo/QtSocketIo>
#ifdef QTSOCKETIO_SNIPPETS_REDIS
#include <QtSocketIo/QSocketIoRedisAdapter>
#include <QtSocketIo/QSocketIoRedisStreamsAdapter>
#endif
#ifdef QTSOCKETIO_SNIPPETS_POSTGRES
#include <QtSocketIo/QSocketIoPostgresAdapter>
#endif

#include <QtCore/QCoreApplication>
#include <QtCore/QDebug>
#include <QtCore/QRegularExpression>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>

using namespace Qt::StringLiterals;

namespace {

void listen(QSocketIoServer &server)
{
//! [listen]
if (!server.listen(QHostAddress::Any, 3000))
    qWarning() << "cannot listen:" << server.errorString();
//! [listen]
}

void socketOn(QSocketIoSocket *socket)
{
//! [socket-on]
socket->on(u"chat"_s, socket, [socket](const QVariantList &args, const QSocketIoAckCallback &ack) {
    socket->broadcast().emitEvent(u"chat"_s, args);   // every other socket of the namespace
    ack({true});                                      // answers the sender, when it asked
});
//! [socket-on]
}

void rooms(QSocketIoServer &server, QSocketIoSocket *socket)
{
//! [rooms]
socket->join(u"room1"_s);
socket->to(u"room1"_s).emitEvent(u"news"_s, {u"hello"_s});      // room1 minus the sender
server.to(u"room1"_s).except(u"muted"_s).emitEvent(u"news"_s);  // everyone in room1 but the muted
server.of(u"/admin"_s)->in(u"staff"_s).socketsJoin({u"on-call"_s});
socket->leave(u"room1"_s);
//! [rooms]
}

void namespaceMiddleware(QSocketIoServer &server)
{
//! [namespace-middleware]
QSocketIoNamespace *admin = server.of(u"/admin"_s);
admin->use([](QSocketIoSocket *socket, const QSocketIoNext &next) {
    if (socket->handshake().auth().value(u"token"_s) == u"secret"_s)
        next();                                                        // let it in
    else
        next.reject(u"not authorized"_s, QVariantMap{{u"code"_s, 401}});  // the client's connect_error
});
QObject::connect(admin, &QSocketIoNamespace::newConnection, admin, [](QSocketIoSocket *socket) {
    socket->emitEvent(u"welcome"_s);
});
//! [namespace-middleware]
}

void dynamicNamespace(QSocketIoServer &server)
{
//! [dynamic-namespace]
QSocketIoNamespace *workspaces = server.of(QRegularExpression(u"^/workspace-\\d+$"_s));
QObject::connect(workspaces, &QSocketIoNamespace::newConnection, workspaces, [](QSocketIoSocket *socket) {
    // socket->nsp() is the child, such as "/workspace-42"; socket->nsp()->parentNamespace() is workspaces
    socket->emitEvent(u"hello"_s, {socket->namespaceName()});
});
workspaces->emitEvent(u"maintenance"_s);   // reaches every child
//! [dynamic-namespace]
}

void broadcastAck(QSocketIoServer &server, QObject *context)
{
//! [broadcast-ack]
server.to(u"players"_s).timeout(5000).emitWithAck(u"vote"_s, {}, context,
    [](bool timedOut, const QVariantList &answers) {
        // one QVariantList per answering socket; on a timeout, those that did answer
        qDebug() << answers.size() << "votes" << (timedOut ? "(some did not answer)" : "");
    });
//! [broadcast-ack]
}

void socketAck(QSocketIoSocket *socket, QObject *context)
{
//! [socket-ack]
// Node: socket.timeout(2000).emit("question", 42, (err, answer) => {})
socket->timeout(2000).emitWithAck(u"question"_s, {42}, context, [](bool timedOut, const QVariantList &answer) {
    if (timedOut)
        qDebug() << "no answer in time";
    else
        qDebug() << "answer:" << answer.value(0);
});

// Or keep the reply object: it emits finished() or timedOut(), then deletes itself.
QSocketIoAck *reply = socket->emitWithAck(u"question"_s, {43});
QObject::connect(reply, &QSocketIoAck::finished, context, [](const QVariantList &answer) {
    qDebug() << "answer:" << answer;
});
//! [socket-ack]
}

void binary(QSocketIoSocket *socket)
{
//! [binary]
// A QByteArray anywhere in the arguments, nested too, travels as a binary attachment; the client gets an
// ArrayBuffer (a Buffer in Node.js). What the client sends as binary arrives as QByteArray.
const QByteArray image(1024, '\0');
socket->emitEvent(u"image"_s, {QVariantMap{{u"name"_s, u"logo.png"_s}, {u"bytes"_s, image}}});
socket->on(u"upload"_s, socket, [](const QVariantList &args) {
    const QByteArray bytes = args.value(0).toByteArray();
    qDebug() << "received" << bytes.size() << "bytes";
});
//! [binary]
}

void recovery(QSocketIoServer &server)
{
//! [recovery]
QSocketIoConnectionStateRecovery recovery;
recovery.setEnabled(true);
recovery.setMaxDisconnectionDuration(2 * 60 * 1000);   // ms, the default
server.setConnectionStateRecovery(recovery);

static QSocketIoSqliteSessionStore store(u"sessions.sqlite"_s);   // optional; must outlive the server
server.setSessionStore(&store);

QObject::connect(server.mainNamespace(), &QSocketIoNamespace::connectionRecovered, &server,
                 [](QSocketIoSocket *socket) { qDebug() << socket->id() << "is back, in" << socket->rooms(); });
//! [recovery]
}

void limits(QSocketIoServer &server)
{
//! [limits]
server.setMaxConnections(10000);             // 503 beyond
server.setMaxConnectionsPerAddress(50);
server.setMaxHttpBufferSize(100 * 1024);     // bytes per message
server.setMaxNamespacesPerConnection(4);
server.setMaxPendingAcksPerSocket(100);
server.setMaxAttachments(4);

QSocketIoCorsOptions cors;
cors.setAllowedOrigins({u"https://example.com"_s});
cors.setCredentials(true);
server.setCors(cors);

server.setAllowRequest([](const QSocketIoHandshake &request, const QSocketIoServer::RequestVerdict &verdict) {
    const bool known = request.query().value(u"token"_s).toString() == u"let-me-in"_s;
    verdict(known, 403, known ? QString() : u"unknown token"_s);
});
//! [limits]
}

void tls(QSocketIoServer &server, const QByteArray &certificatePem, const QByteArray &keyPem)
{
//! [tls]
QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
ssl.setLocalCertificate(QSslCertificate(certificatePem));
ssl.setPrivateKey(QSslKey(keyPem, QSsl::Rsa));
server.setSslConfiguration(ssl);   // the next listen() speaks HTTPS and WSS only
//! [tls]
}

void transports(QSocketIoServer &server)
{
//! [transports]
server.setTransports(QSocketIoServer::WebSocket);   // no long-polling: clients need transports: ["websocket"]
server.setPingInterval(std::chrono::seconds(10));
server.setPingTimeout(std::chrono::seconds(5));
//! [transports]
}

#ifdef QTSOCKETIO_SNIPPETS_REDIS
void redis(QSocketIoServer &server)
{
//! [redis]
auto *redis = new QSocketIoRedisAdapter(&server);
redis->setHostName(u"10.0.0.5"_s);
redis->attach(&server);   // every namespace; connects, and retries while Redis is unreachable

server.fetchRemoteSockets(&server, [](const QList<QSocketIoRemoteSocket> &sockets, const QString &error) {
    qDebug() << sockets.size() << "sockets on every node" << error;
});
//! [redis]
}

void redisStreams(QSocketIoServer &server)
{
//! [redis-streams]
QSocketIoConnectionStateRecovery recovery;
recovery.setEnabled(true);   // sessions kept in Redis: a client may come back to any node
server.setConnectionStateRecovery(recovery);
auto *streams = new QSocketIoRedisStreamsAdapter(u"10.0.0.5"_s, 6379, &server);
streams->attach(&server);    // one stream "socket.io", as @socket.io/redis-streams-adapter
//! [redis-streams]
}
#endif

#ifdef QTSOCKETIO_SNIPPETS_POSTGRES
void postgres(QSocketIoServer &server)
{
//! [postgres]
auto *postgres = new QSocketIoPostgresAdapter(&server);
postgres->setConnectionString(u"host=10.0.0.5 dbname=app user=app"_s);
postgres->attach(&server);
//! [postgres]
}
#endif

} // namespace

int main(int argc, char *argv[])
{
    // Never run: the snippets only have to compile.
    QCoreApplication app(argc, argv);
    QSocketIoServer server;
    QObject::connect(&server, &QSocketIoServer::newConnection, &server, [&](QSocketIoSocket *socket) {
        socketOn(socket);
        rooms(server, socket);
        socketAck(socket, &server);
        binary(socket);
        broadcastAck(server, &server);
    });
    namespaceMiddleware(server);
    dynamicNamespace(server);
    recovery(server);
    limits(server);
    tls(server, {}, {});
    transports(server);
#ifdef QTSOCKETIO_SNIPPETS_REDIS
    redis(server);
    redisStreams(server);
#endif
#ifdef QTSOCKETIO_SNIPPETS_POSTGRES
    postgres(server);
#endif
    listen(server);
    return 0;
}
