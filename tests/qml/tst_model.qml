// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// SocketIoSocketModel: rows come and go with the sockets, roles update live, a ListView shows them.
import QtQuick
import QtTest
import QtSocketIo
import QtSocketIo.Test

TestCase {
    id: tc
    name: "SocketIoSocketModel"
    when: windowShown
    width: 400
    height: 400

    NodeClient { id: client }
    SocketIoServer {
        id: server
        port: 0
        SocketIoNamespace { id: chat; name: "/chat" }
    }

    ListView {
        id: view
        anchors.fill: parent
        model: server.sockets
        delegate: Text {
            required property string socketId
            required property string address
            required property string transport
            required property var rooms
            required property date connectedSince
            required property string namespaceName
            required property var socket
            required property var model
            text: socketId + " " + namespaceName + " " + transport + " " + rooms.join(",")
        }
    }

    function connectClient(id, options, nsp) {
        client.send({ op: "connect", id: id, url: server.url, nsp: nsp || "/", options: options || {} })
        tryVerify(() => client.last("connect", id) !== undefined, 5000, "client " + id + " connected")
        return client.last("connect", id).sid
    }
    // The view makes a row's delegate when it lays out, a polish after its count changed: null until then.
    function delegateAt(index) {
        tryVerify(() => view.itemAtIndex(index) !== null, 5000, "the view made the delegate of row " + index)
        return view.itemAtIndex(index)
    }
    function initTestCase() {
        tryVerify(() => client.ready, 10000, "the Node.js driver started")
    }
    function cleanup() {
        // A restart closes every connection, even one in the middle of its upgrade to WebSocket.
        server.running = false
        compare(server.connectionCount, 0)
        server.running = true
        tryCompare(server.sockets, "count", 0)
        client.clear()
    }

    function test_rowsAndRoles() {
        const model = server.sockets
        let inserted = 0
        const onInserted = () => inserted++
        model.rowsInserted.connect(onInserted)
        const a = connectClient("a", { transports: ["polling"] })
        compare(model.count, 1)
        compare(inserted, 1)
        tryCompare(view, "count", 1)
        const b = connectClient("b", { transports: ["websocket"] })
        compare(model.count, 2)
        tryCompare(view, "count", 2)

        compare(model.get(0).id, a)
        compare(model.get(1).id, b)
        compare(model.get(2), null)
        compare(model.indexOf(b), 1)
        compare(model.indexOf("nope"), -1)

        const item = delegateAt(0)
        verify(item)
        compare(item.socketId, a)
        compare(item.model.id, a)
        compare(item.address, "127.0.0.1")
        compare(item.transport, "polling")
        compare(item.rooms, [a])
        compare(item.namespaceName, "/")
        compare(item.socket, model.get(0))
        verify(item.connectedSince.getTime() > 0)
        compare(delegateAt(1).transport, "websocket")

        // Rows go when their socket disconnects, whichever side ends it.
        let removed = 0
        const onRemoved = () => removed++
        model.rowsRemoved.connect(onRemoved)
        client.send({ op: "disconnect", id: "a" })
        tryCompare(model, "count", 1)
        compare(removed, 1)
        model.rowsInserted.disconnect(onInserted)
        compare(model.get(0).id, b)
        tryCompare(view, "count", 1)
        model.get(0).disconnectSocket()
        compare(model.count, 0)
        tryCompare(view, "count", 0)
        compare(removed, 2)
        model.rowsRemoved.disconnect(onRemoved)
    }

    function test_liveUpdates() {
        const model = server.sockets
        const changedRoles = []
        const onChanged = (topLeft, bottomRight, roles) => changedRoles.push(roles)
        model.dataChanged.connect(onChanged)
        const id = connectClient("a")  // polling first, then the upgrade to WebSocket
        tryCompare(view, "count", 1)
        delegateAt(0)
        tryVerify(() => view.itemAtIndex(0).transport === "websocket", 5000, "the row shows the upgrade")
        verify(changedRoles.length >= 1)
        const before = changedRoles.length
        model.get(0).join("red")
        compare(changedRoles.length, before + 1)
        model.dataChanged.disconnect(onChanged)
        compare(view.itemAtIndex(0).rooms, [id, "red"])
        verify(view.itemAtIndex(0).text.indexOf("red") > 0)
        model.get(0).leave("red")
        compare(view.itemAtIndex(0).rooms, [id])
    }

    function test_namespaces() {
        const main = connectClient("a")
        const other = connectClient("b", {}, "/chat")
        compare(server.sockets.count, 2, "the server's model lists every namespace")
        compare(server.sockets.get(1).namespaceName, "/chat")
        compare(chat.sockets.count, 1, "a namespace's model lists its own")
        compare(chat.sockets.get(0).id, other)
        tryCompare(view, "count", 2)
        compare(delegateAt(1).namespaceName, "/chat")
        client.send({ op: "disconnect", id: "b" })
        tryCompare(chat.sockets, "count", 0)
        compare(server.sockets.count, 1)
        compare(server.sockets.get(0).id, main)
    }

    Component { id: spyComponent; SignalSpy { } }
}
