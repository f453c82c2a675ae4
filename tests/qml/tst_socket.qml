// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// SocketIoSocket: its properties, signals and methods, against real socket.io-client instances.
import QtQuick
import QtTest
import QtSocketIo
import QtSocketIo.Test

TestCase {
    id: tc
    name: "SocketIoSocket"

    NodeClient { id: client }
    SocketIoServer { id: server; port: 0 }
    SignalSpy { id: connectedSpy; target: server; signalName: "socketConnected" }

    function connectClient(id, options, extra) {
        const command = Object.assign({ op: "connect", id: id, url: server.url, options: options || {} }, extra || {})
        client.send(command)
        tryVerify(() => client.last("connect", id) !== undefined, 5000, "client " + id + " connected")
        const sid = client.last("connect", id).sid
        tryVerify(() => server.socket(sid) !== null)
        return server.socket(sid)
    }
    function eventsOf(id, event) {
        return client.all("event", id).filter(m => m.event === event)
    }
    function initTestCase() {
        tryVerify(() => client.ready, 10000, "the Node.js driver started")
        tryCompare(server, "running", true)
    }
    function cleanup() {
        // A restart closes every connection, even one in the middle of its upgrade to WebSocket.
        server.running = false
        compare(server.connectionCount, 0)
        server.running = true
        client.clear()
        connectedSpy.clear()
    }

    function test_properties() {
        const before = new Date()
        const socket = connectClient("a", { query: { room: "blue" }, auth: { token: "s3cret", n: 1, nothing: null },
                                            extraHeaders: { "X-Test": "yes" }, transports: ["polling"] })
        compare(connectedSpy.count, 1)
        compare(connectedSpy.signalArguments[0][0], socket)
        compare(socket.id, client.last("connect", "a").sid)
        compare(socket.namespaceName, "/")
        compare(socket.address, "127.0.0.1")
        compare(socket.connected, true)
        compare(socket.transport, "polling")
        compare(socket.recovered, false)
        compare(socket.rooms, [socket.id])
        verify(socket.connectedSince instanceof Date)
        verify(socket.connectedSince.getTime() >= before.getTime() - 1000)
        const h = socket.handshake
        compare(h.address, "127.0.0.1")
        compare(h.query.room, "blue")
        compare(h.query.EIO, "4")
        compare(h.auth.token, "s3cret")
        compare(h.auth.n, 1)
        compare(h.auth.nothing, null)
        compare(h.headers["x-test"], "yes")
        verify(h.url.indexOf("/socket.io/") === 0, h.url)
        compare(h.secure, false)
        compare(h.xdomain, false)
        verify(h.time instanceof Date)
    }

    function test_transportUpgrade() {
        // Follow the socket from its first moment: the upgrade may finish before connectClient returns.
        const transports = []
        const follow = function (s) {
            transports.push(s.transport)
            s.transportChanged.connect(() => transports.push(s.transport))
        }
        server.socketConnected.connect(follow)
        const socket = connectClient("a")
        server.socketConnected.disconnect(follow)
        tryCompare(socket, "transport", "websocket")
        compare(transports, ["polling", "websocket"])
        tryVerify(() => client.last("upgrade", "a") !== undefined)
    }

    function test_rooms() {
        const socket = connectClient("a")
        const spy = createTemporaryObject(spyComponent, tc, { target: socket, signalName: "roomsChanged" })
        socket.join("red")
        socket.join(["green", "blue"])
        compare(spy.count, 2)
        compare(socket.rooms, [socket.id, "red", "green", "blue"])
        verify(socket.isInRoom("green"))
        socket.leave("green")
        compare(socket.isInRoom("green"), false)
        socket.leave(["red", "missing"])
        compare(socket.rooms, [socket.id, "blue"])
        // A QStringList property goes out as an array.
        verify(socket.emitEvent("rooms", socket.rooms))
        tryVerify(() => client.last("event", "a") !== undefined)
        compare(client.last("event", "a").args, [[socket.id, "blue"]])
        socket.leaveAll()
        compare(socket.rooms.indexOf("blue"), -1)
    }

    function test_data() {
        const socket = connectClient("a")
        const spy = createTemporaryObject(spyComponent, tc, { target: socket, signalName: "dataChanged" })
        compare(socket.data, {})
        socket.data = { name: "Ada", tags: ["x", 1], nested: { ok: true } }
        compare(spy.count, 1)
        compare(socket.data.name, "Ada")
        compare(socket.data.tags, ["x", 1])
        compare(socket.data.nested.ok, true)
        socket.setDataValue("name", "Grace")
        compare(spy.count, 2)
        compare(socket.data.name, "Grace")
        compare(socket.data.tags, ["x", 1])
        socket.data = socket.data  // no change, no signal
        compare(spy.count, 2)
    }

    function test_emitEventAndBroadcast() {
        const a = connectClient("a"), b = connectClient("b"), c = connectClient("c")
        b.join("room")
        verify(a.emitEvent("hello", "you", 2, { deep: [true, null] }))
        verify(a.emitEvent("empty"))
        verify(a.emitEvent("many", 1, 2, 3, 4, 5, 6))
        tryVerify(() => eventsOf("a", "many").length === 1)
        compare(eventsOf("a", "hello")[0].args, ["you", 2, { deep: [true, null] }])
        compare(eventsOf("a", "empty")[0].args, [])
        compare(eventsOf("a", "many")[0].args, [1, 2, 3, 4, 5, 6])
        compare(eventsOf("b", "hello").length, 0)
        compare(a.emitEvent("connect_error"), false, "a reserved name")

        verify(a.broadcast("news", "for others"))
        verify(a.broadcastTo("room", "roomnews", 1))
        verify(b.broadcastTo(["room"], "self-excluded"))
        tryVerify(() => eventsOf("b", "news").length === 1 && eventsOf("c", "news").length === 1)
        tryVerify(() => eventsOf("b", "roomnews").length === 1)
        compare(eventsOf("a", "news").length, 0)
        compare(eventsOf("c", "roomnews").length, 0)
        compare(eventsOf("b", "self-excluded").length, 0)
    }

    function test_broadcastOperator() {
        // The C++ vocabulary through SocketIoBroadcast, from the server and from a socket; one 6-argument cap.
        const a = connectClient("a"), b = connectClient("b"), c = connectClient("c")
        a.join("room")
        b.join("room")
        c.join("other")
        verify(a.to("room").emitEvent("op1", 1, 2, 3, 4, 5, 6))
        verify(server.to(["room", "other"]).except("other").emitEvent("op2", "x"))
        verify(server.in("other").compress(false).timeout(100).emitEvent("op3"))
        verify(server.asVolatile().local().emitEvent("op4"))
        verify(a.except("other").emitEvent("op5"))
        verify(a.broadcast("cap", 1, 2, 3, 4, 5, 6))
        verify(server.emitTo("room", "cap2", 1, 2, 3, 4, 5, 6))
        tryVerify(() => eventsOf("b", "op1").length === 1 && eventsOf("b", "op2").length === 1
                  && eventsOf("c", "op3").length === 1 && eventsOf("b", "op5").length === 1
                  && eventsOf("c", "cap").length === 1 && eventsOf("b", "cap2").length === 1)
        compare(eventsOf("b", "op1")[0].args, [1, 2, 3, 4, 5, 6])
        compare(eventsOf("c", "cap")[0].args, [1, 2, 3, 4, 5, 6])
        compare(eventsOf("a", "op1").length, 0)
        compare(eventsOf("c", "op2").length, 0)
        compare(eventsOf("a", "op5").length, 0)
        compare(eventsOf("c", "op5").length, 0)

        // socket.timeout(ms).emitWithAck: the client never answers.
        let result = null
        const start = Date.now()
        verify(a.timeout(200).emitWithAck("silence", [], function (err) { result = { err: err } }))
        tryVerify(() => result !== null, 3000)
        verify(Date.now() - start >= 150)
        verify(result.err instanceof Error)
        compare(result.err.message, "operation has timed out")
    }

    function test_emitWithAck() {
        const socket = connectClient("a", {}, { answers: { auto: ["yes", 2] } })
        let result = null
        verify(socket.emitWithAck("auto", ["q", 1], 2000, function (err, first, second) {
            result = { err: err, first: first, second: second }
        }))
        tryVerify(() => result !== null)
        compare(result.err, null)
        compare(result.first, "yes")
        compare(result.second, 2)
        compare(eventsOf("a", "auto")[0].args, ["q", 1])

        // Answered by hand later; without a timeout.
        result = null
        verify(socket.emitWithAck("manual", "one", function (err, answer) { result = { err: err, answer: answer } }))
        tryVerify(() => eventsOf("a", "manual").length === 1)
        compare(eventsOf("a", "manual")[0].args, ["one"])
        client.send({ op: "reply", ackId: eventsOf("a", "manual")[0].ackId, args: [{ ok: true }] })
        tryVerify(() => result !== null)
        compare(result.err, null)
        compare(result.answer, { ok: true })

        // Nobody answers: the callback gets an Error after the timeout.
        result = null
        const start = Date.now()
        verify(socket.emitWithAck("silence", [], 300, function (err) { result = { err: err } }))
        tryVerify(() => result !== null, 3000)
        verify(Date.now() - start >= 250)
        verify(result.err instanceof Error)
        compare(result.err.message, "operation has timed out")
    }

    function test_eventReceivedAndOn() {
        const socket = connectClient("a")
        const spy = createTemporaryObject(spyComponent, tc, { target: socket, signalName: "eventReceived" })
        const seen = []
        const handler = function (args, ack) {
            seen.push(args)
            if (ack)
                ack("got " + args[0])
        }
        socket.on("greet", handler)
        client.send({ op: "emit", id: "a", event: "greet", args: ["hi", { n: 1 }], ack: true })
        tryVerify(() => client.last("ack", "a") !== undefined)
        compare(client.last("ack", "a").args, ["got hi"])
        compare(seen, [["hi", { n: 1 }]])
        compare(spy.count, 1)
        compare(spy.signalArguments[0][0], "greet")
        compare(spy.signalArguments[0][1], ["hi", { n: 1 }])

        client.send({ op: "emit", id: "a", event: "other", args: [null] })
        tryCompare(spy, "count", 2)
        compare(spy.signalArguments[1][1], [null])
        compare(seen.length, 1)

        socket.off("greet", handler)
        client.send({ op: "emit", id: "a", event: "greet", args: ["again"] })
        tryCompare(spy, "count", 3)
        compare(seen.length, 1)
        socket.on("greet", handler)
        socket.off("greet")
        client.send({ op: "emit", id: "a", event: "greet", args: ["more"] })
        tryCompare(spy, "count", 4)
        compare(seen.length, 1)
    }

    function test_disconnectSocket() {
        const socket = connectClient("a")
        const id = socket.id
        let reason = ""
        socket.disconnected.connect(r => reason = r)
        const connectedChanged = createTemporaryObject(spyComponent, tc, { target: socket, signalName: "connectedChanged" })
        socket.disconnectSocket()
        compare(reason, "server namespace disconnect")
        compare(connectedChanged.count, 1)
        tryVerify(() => client.last("disconnect", "a") !== undefined)
        compare(client.last("disconnect", "a").reason, "io server disconnect")
        compare(server.socket(id), null)

        // With close, the connection goes too.
        const other = connectClient("b")
        compare(server.connectionCount, 1)
        // (Closing in the middle of the upgrade to WebSocket is another case: the client may see
        // "transport close" first.)
        tryCompare(other, "transport", "websocket")
        other.disconnectSocket(true)
        tryVerify(() => client.last("disconnect", "b") !== undefined)
        compare(client.last("disconnect", "b").reason, "io server disconnect")
        tryCompare(server, "connectionCount", 0)
    }

    function test_clientDisconnect() {
        const socket = connectClient("a")
        const spy = createTemporaryObject(spyComponent, tc, { target: socket, signalName: "disconnected" })
        client.send({ op: "disconnect", id: "a" })
        tryCompare(spy, "count", 1)
        compare(spy.signalArguments[0][0], "client namespace disconnect")
    }

    Component { id: spyComponent; SignalSpy { } }
}
