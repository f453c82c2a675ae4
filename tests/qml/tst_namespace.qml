// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// SocketIoNamespace (declared with server:, declared inside the server, or from of()) and dynamic
// namespaces, against real socket.io-client instances.
import QtQuick
import QtTest
import QtSocketIo
import QtSocketIo.Test

TestCase {
    id: tc
    name: "SocketIoNamespace"

    NodeClient { id: client }
    SocketIoServer {
        id: server
        port: 0
        SocketIoNamespace {
            id: inner
            name: "/inner"
        }
    }
    SocketIoNamespace {
        id: chat
        server: server
        name: "/chat"
        Component.onCompleted: chat.on("say", function (socket, args, ack) {
            chat.emitExcept(socket.id, "said", socket.id, args[0])
            if (ack)
                ack(chat.socketCount)
        })
    }
    SignalSpy { id: chatConnected; target: chat; signalName: "socketConnected" }
    SignalSpy { id: chatDisconnected; target: chat; signalName: "socketDisconnected" }
    SignalSpy { id: serverConnected; target: server; signalName: "socketConnected" }

    function connectClient(id, nsp, options) {
        client.send({ op: "connect", id: id, url: server.url, nsp: nsp, options: options || {} })
        tryVerify(() => client.last("connect", id) !== undefined || client.last("connect_error", id) !== undefined,
                  5000, "client " + id + " answered")
        return client.last("connect", id) ? client.last("connect", id).sid : null
    }
    function eventsOf(id, event) {
        return client.all("event", id).filter(m => m.event === event)
    }
    function initTestCase() {
        tryVerify(() => client.ready, 10000, "the Node.js driver started")
    }
    function cleanup() {
        // A restart closes every connection, even one in the middle of its upgrade to WebSocket.
        server.running = false
        compare(server.connectionCount, 0)
        compare(server.sockets.count, 0)
        server.running = true
        client.clear()
        chatConnected.clear()
        chatDisconnected.clear()
        serverConnected.clear()
    }

    function test_declared() {
        compare(chat.name, "/chat")
        compare(chat.server, server)
        compare(inner.server, server, "a namespace declared inside the server finds it")
        const a = connectClient("a", "/chat"), b = connectClient("b", "/chat")
        compare(chatConnected.count, 2)
        compare(serverConnected.count, 0, "the server's signals are for the main namespace")
        compare(chat.socketCount, 2)
        compare(server.socketCount, 0)
        compare(chat.sockets.count, 2)
        compare(chat.socket(a).namespaceName, "/chat")
        compare(server.socket(a), null)

        client.send({ op: "emit", id: "a", event: "say", args: ["hello"], ack: true })
        tryVerify(() => client.last("ack", "a") !== undefined)
        compare(client.last("ack", "a").args, [2])
        tryVerify(() => eventsOf("b", "said").length === 1)
        compare(eventsOf("b", "said")[0].args, [a, "hello"])
        compare(eventsOf("a", "said").length, 0)

        verify(chat.emitEvent("all", 1))
        chat.socket(a).join("x")
        verify(chat.emitTo("x", "onlyA"))
        tryVerify(() => eventsOf("a", "all").length === 1 && eventsOf("b", "all").length === 1 && eventsOf("a", "onlyA").length === 1)
        compare(eventsOf("b", "onlyA").length, 0)

        client.send({ op: "disconnect", id: "b" })
        tryCompare(chatDisconnected, "count", 1)
        compare(chatDisconnected.signalArguments[0][1], "client namespace disconnect")
        compare(chat.socketCount, 1)

        connectClient("c", "/inner")
        compare(inner.socketCount, 1)
        compare(inner.sockets.count, 1)
    }

    function test_of() {
        const admin = server.of("/admin")
        verify(admin)
        compare(server.of("admin"), admin, "one object per name")
        compare(admin.name, "/admin")
        compare(admin.server, server)
        const spy = createTemporaryObject(spyComponent, tc, { target: admin, signalName: "socketConnected" })
        admin.on("who", function (socket, args, ack) { ack(socket.id) })
        const a = connectClient("a", "/admin")
        compare(spy.count, 1)
        compare(admin.socketCount, 1)
        client.send({ op: "emit", id: "a", event: "who", args: [], ack: true })
        tryVerify(() => client.last("ack", "a") !== undefined)
        compare(client.last("ack", "a").args, [a])
        compare(server.of("/").name, "/")
        verify(server.sockets.indexOf(a) >= 0)

        // A namespace nobody opened is refused.
        compare(connectClient("nobody", "/nowhere"), null)
        compare(client.last("connect_error", "nobody").message, "Invalid namespace")
    }

    function test_dynamic() {
        const rooms = server.of(/^\/room-\d+$/)
        verify(rooms)
        compare(server.of(/^\/room-\d+$/), rooms)
        const spy = createTemporaryObject(spyComponent, tc, { target: rooms, signalName: "socketConnected" })
        const a = connectClient("a", "/room-1"), b = connectClient("b", "/room-22")
        tryCompare(spy, "count", 2)
        compare(spy.signalArguments[0][0].namespaceName, "/room-1")
        compare(spy.signalArguments[1][0].namespaceName, "/room-22")
        compare(rooms.socket(b).namespaceName, "/room-22")
        verify(rooms.emitEvent("tick", 1))
        tryVerify(() => eventsOf("a", "tick").length === 1 && eventsOf("b", "tick").length === 1)
        compare(connectClient("c", "/room-x"), null)
        compare(rooms.sockets.count, 2)
        verify(server.sockets.indexOf(a) >= 0)
    }

    function test_serverAssignedLater() {
        const nsp = createTemporaryObject(nspComponent, tc, { name: "/late" })
        compare(nsp.server, null)
        compare(nsp.socketCount, 0)
        compare(nsp.emitEvent("x"), false, "no server yet")
        nsp.server = server
        const a = connectClient("a", "/late")
        compare(nsp.socketCount, 1)
        nsp.name = "/later"
        compare(nsp.socketCount, 0, "renamed: now another namespace")
        const b = connectClient("b", "/later")
        compare(nsp.socketCount, 1)
        compare(nsp.socket(b).id, b)
        server.of("/late").disconnectSockets(true)
        nsp.disconnectSockets(true)
    }

    Component { id: spyComponent; SignalSpy { } }
    Component { id: nspComponent; SocketIoNamespace { } }
}
