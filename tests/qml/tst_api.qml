// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The QML faces of issue 14, against real socket.io-client instances: allowConnection (the namespace
// middleware: refusals with a message and data, and a handler that throws or returns garbage), once(),
// handshake.issued, and the cluster operations (fetchRemoteSockets across nodes, serverSideEmit, with and
// without an acknowledgement) between two SocketIoServers on one in-process cluster bus (TestCluster).
import QtQuick
import QtTest
import QtSocketIo
import QtSocketIo.Test

TestCase {
    id: tc
    name: "SocketIoApi"

    NodeClient { id: client }
    TestCluster { id: cluster }
    SocketIoServer {
        id: server
        port: 0
        onSocketConnected: function (socket) {
            socket.once("once", function (args, ack) {
                socket.emitEvent("onceFired", args[0])
            })
            socket.on("issued", function (args, ack) {
                ack(socket.handshake.issued)
            })
        }
    }
    SocketIoServer {
        id: other
        port: 0
        onServerSideEvent: function (event, args, ack) {
            otherHeard = otherHeard.concat([{ event: event, args: args }])
            if (ack)
                ack("pong:" + args[0])
        }
        property var otherHeard: []
    }
    SocketIoNamespace {
        id: guarded
        server: server
        name: "/guarded"
        allowConnection: function (auth, handshake) {
            guarded.seen.push(handshake.namespace)
            switch (auth.mode) {
            case "allow": return true
            case "deny": return false
            case "message": return "go away"
            case "object": return { message: "refused", data: { code: 42, why: ["token", "expired"] } }
            case "throw": throw new Error("handler bug")
            case "garbage": return 42
            default: return undefined
            }
        }
        property var seen: []
    }
    SignalSpy { id: guardedConnected; target: guarded; signalName: "socketConnected" }

    function connectClient(id, url, nsp, options) {
        client.send({ op: "connect", id: id, url: url, nsp: nsp, options: options || {} })
        tryVerify(() => client.last("connect", id) !== undefined || client.last("connect_error", id) !== undefined,
                  5000, "client " + id + " answered")
        return client.last("connect", id) ? client.last("connect", id).sid : null
    }
    function eventsOf(id, event) {
        return client.all("event", id).filter(m => m.event === event)
    }
    function initTestCase() {
        tryVerify(() => client.ready, 10000, "the Node.js driver started")
        verify(cluster.link(server))
        verify(cluster.link(other))
        tryVerify(() => server.running && other.running, 5000)
    }
    function cleanup() {
        client.clear()
        guardedConnected.clear()
    }

    function test_allowConnection_data() {
        return [
            { tag: "true lets in", mode: "allow", connected: true },
            { tag: "false", mode: "deny", connected: false, message: "not authorized", data: null },
            { tag: "a message", mode: "message", connected: false, message: "go away", data: null },
            { tag: "message and data", mode: "object", connected: false, message: "refused",
              data: { code: 42, why: ["token", "expired"] } },
            { tag: "throws: warning and refusal", mode: "throw", connected: false, message: "connection refused",
              data: null, warning: /allowConnection threw Error: handler bug/ },
            { tag: "garbage: warning and refusal", mode: "garbage", connected: false, message: "connection refused",
              data: null, warning: /allowConnection returned 42/ },
            { tag: "nothing: warning and refusal", mode: "none", connected: false, message: "connection refused",
              data: null, warning: /allowConnection returned undefined/ },
        ]
    }
    function test_allowConnection(row) {
        const id = "g-" + row.mode
        if (row.warning)
            ignoreWarning(row.warning)
        const sid = connectClient(id, server.url, "/guarded", { auth: { mode: row.mode } })
        compare(guarded.seen[guarded.seen.length - 1], "/guarded")
        if (row.connected) {
            verify(sid !== null)
            compare(guardedConnected.count, 1)
            return
        }
        compare(sid, null)
        const error = client.last("connect_error", id)
        compare(error.message, row.message)
        compare(error.data, row.data)
        compare(guardedConnected.count, 0)
        // The server is still there for the next client.
        verify(connectClient(id + "-after", server.url, "/guarded", { auth: { mode: "allow" } }) !== null)
    }

    function test_once() {
        connectClient("o", server.url, "/")
        client.send({ op: "emit", id: "o", event: "once", args: ["first"] })
        client.send({ op: "emit", id: "o", event: "once", args: ["second"] })
        client.send({ op: "emit", id: "o", event: "issued", args: [], ack: true })
        tryVerify(() => client.last("ack", "o") !== undefined)
        tryVerify(() => eventsOf("o", "onceFired").length === 1)
        wait(100)
        compare(eventsOf("o", "onceFired").length, 1)
        compare(eventsOf("o", "onceFired")[0].args, ["first"])
    }

    function test_handshakeIssued() {
        const before = Date.now()
        connectClient("h", server.url, "/")
        client.send({ op: "emit", id: "h", event: "issued", args: [], ack: true })
        tryVerify(() => client.last("ack", "h") !== undefined)
        const issued = client.last("ack", "h").args[0]
        verify(typeof issued === "number")
        verify(issued >= before - 1000 && issued <= Date.now() + 1000, "issued " + issued)
    }

    function test_fetchRemoteSockets() {
        // (earlier tests left clients of their own on "/": only these two are looked at)
        const here = connectClient("here", server.url, "/")
        const there = connectClient("there", other.url, "/")
        other.socket(there).join("far-room")
        let result = null
        server.fetchRemoteSockets(function (sockets, error) { result = { sockets: sockets, error: error } })
        tryVerify(() => result !== null, 5000)
        compare(result.error, "")
        const ids = result.sockets.map(s => s.id)
        verify(ids.indexOf(here) >= 0 && ids.indexOf(there) >= 0, "both nodes' sockets: " + ids)
        const far = result.sockets.find(s => s.id === there)
        compare(far.local, false)
        verify(far.rooms.indexOf("far-room") >= 0)
        compare(result.sockets.find(s => s.id === here).local, true)

        // The operator form, by room.
        let inRoom = null
        server.to("far-room").fetchRemoteSockets(function (sockets, error) { inRoom = sockets })
        tryVerify(() => inRoom !== null, 5000)
        compare(inRoom.map(s => s.id), [there])
        // And acting on it through its id reaches the client on the other node.
        server.to(there).emitEvent("fromAfar", 7)
        tryVerify(() => eventsOf("there", "fromAfar").length === 1)
        compare(eventsOf("there", "fromAfar")[0].args, [7])
    }

    function test_serverSideEmit() {
        other.otherHeard = []
        verify(server.serverSideEmit("hello", [1, "two"]))
        tryVerify(() => other.otherHeard.length === 1, 5000)
        compare(other.otherHeard[0].event, "hello")
        compare(other.otherHeard[0].args, [1, "two"])

        let answer = null
        verify(server.serverSideEmitWithAck("ping", ["x"], function (err, responses) {
            answer = { err: err, responses: responses }
        }))
        tryVerify(() => answer !== null, 5000)
        compare(answer.err, null)
        compare(answer.responses, ["pong:x"])
    }
}
