// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// SocketIoMonitor and SocketIoInspector: the sockets, rooms, namespaces and event log models follow real
// socket.io-client instances (Node.js) as they connect, join, emit, upgrade and disconnect, under
// QAbstractItemModelTester (ModelTester: a broken model contract aborts the test); the log is bounded; the
// rates move; the inspector item shows client text as plain text.
import QtQuick
import QtTest
import QtSocketIo
import QtSocketIo.Test

TestCase {
    id: tc
    name: "SocketIoMonitor"
    when: windowShown
    width: 500
    height: 500

    NodeClient { id: client }
    SocketIoServer {
        id: server
        port: 0
        SocketIoNamespace { id: chat; name: "/chat" }
        Component.onCompleted: {
            server.on("join", (socket, args) => socket.join(String(args[0])))
            server.on("leave", (socket, args) => socket.leave(String(args[0])))
            server.on("name", (socket, args) => socket.setDataValue("name", String(args[0])))
            server.on("echo", (socket, args) => socket.emitEvent("echo", args[0]))
        }
    }
    SocketIoMonitor { id: monitor; server: server; rateInterval: 200 }
    ModelTester { id: socketsTester; model: monitor.sockets }
    ModelTester { id: roomsTester; model: monitor.rooms }
    ModelTester { id: namespacesTester; model: monitor.namespaces }
    ModelTester { id: eventsTester; model: monitor.events }

    Component {
        id: inspectorComponent
        SocketIoInspector { anchors.fill: parent }
    }

    function connectClient(id, options, nsp) {
        client.send({ op: "connect", id: id, url: server.url, nsp: nsp || "/", options: options || {} })
        tryVerify(() => client.last("connect", id) !== undefined, 5000, "client " + id + " connected")
        return client.last("connect", id).sid
    }
    function emitFrom(id, event, args) {
        client.send({ op: "emit", id: id, event: event, args: args })
    }
    function column(model, role) {
        const out = []
        for (let r = 0; r < model.rowCount(); ++r)
            out.push(model.data(model.index(r, 0), role))
        return out
    }
    function logEntries(kind) {
        const kinds = column(monitor.events, SocketIoEventLogModel.KindRole)
        const details = column(monitor.events, SocketIoEventLogModel.DetailRole)
        const events = column(monitor.events, SocketIoEventLogModel.EventRole)
        const ids = column(monitor.events, SocketIoEventLogModel.SocketIdRole)
        const out = []
        for (let i = 0; i < kinds.length; ++i) {
            if (kinds[i] === kind)
                out.push({ event: events[i], detail: details[i], socketId: ids[i] })
        }
        return out
    }

    function initTestCase() {
        tryVerify(() => client.ready, 10000, "the Node.js driver started")
        tryVerify(() => server.running, 5000)
    }
    function cleanup() {
        server.running = false
        server.running = true
        tryCompare(monitor.sockets, "count", 0)
        tryCompare(monitor.rooms, "count", 0)
        monitor.events.maxCount = 500
        monitor.events.clear()
        client.clear()
    }

    function test_socketsRoomsNamespaces() {
        const names = column(monitor.namespaces, SocketIoNamespaceModel.NameRole)
        verify(names.indexOf("/") >= 0 && names.indexOf("/chat") >= 0, names)
        const a = connectClient("a", { transports: ["websocket"] })
        const b = connectClient("b", { transports: ["polling"] }, "/chat")
        tryCompare(monitor.sockets, "count", 2)
        compare(column(monitor.sockets, SocketIoMonitorSocketModel.SocketIdRole), [a, b])
        compare(column(monitor.sockets, SocketIoMonitorSocketModel.NamespaceNameRole), ["/", "/chat"])
        compare(column(monitor.sockets, SocketIoMonitorSocketModel.TransportRole), ["websocket", "polling"])
        tryVerify(() => column(monitor.namespaces, SocketIoNamespaceModel.SocketCountRole).reduce((x, y) => x + y, 0) === 2,
                  2000)

        // Rooms: created with their first member, gone with their last; the socket's own room is left out.
        emitFrom("a", "join", ["blue"])
        tryCompare(monitor.rooms, "count", 1)
        compare(column(monitor.rooms, SocketIoRoomModel.NameRole), ["blue"])
        compare(column(monitor.rooms, SocketIoRoomModel.MembersRole), [[a]])
        compare(column(monitor.rooms, SocketIoRoomModel.NamespaceNameRole), ["/"])
        const mainRow = column(monitor.namespaces, SocketIoNamespaceModel.NameRole).indexOf("/")
        compare(monitor.namespaces.data(monitor.namespaces.index(mainRow, 0), SocketIoNamespaceModel.RoomCountRole), 1)
        compare(column(monitor.sockets, SocketIoMonitorSocketModel.RoomsRole)[0], ["blue"])
        emitFrom("a", "join", ["green"])
        tryCompare(monitor.rooms, "count", 2)
        emitFrom("a", "leave", ["blue"])
        tryCompare(monitor.rooms, "count", 1)
        compare(column(monitor.rooms, SocketIoRoomModel.NameRole), ["green"])
        tryVerify(() => logEntries("join").some(e => e.detail === "blue" && e.socketId === a), 2000)
        tryVerify(() => logEntries("leave").some(e => e.detail === "blue"), 2000)

        // The user name (data.name) once set.
        emitFrom("a", "name", ["Alice"])
        tryVerify(() => monitor.sockets.data(monitor.sockets.index(0, 0), SocketIoMonitorSocketModel.NameRole) === "Alice", 2000)

        // Disconnect: the row, its rooms and the log line.
        client.send({ op: "disconnect", id: "a" })
        tryCompare(monitor.sockets, "count", 1)
        compare(monitor.rooms.count, 0)
        tryVerify(() => logEntries("disconnect").some(e => e.socketId === a && e.detail === "client namespace disconnect"), 2000)
        verify(logEntries("connect").length >= 2)
        verify(socketsTester.changes > 0 && roomsTester.changes > 0 && eventsTester.changes > 0)
    }

    function test_dynamicNamespace() {
        const parent = server.of(/^\/dyn-\d+$/)
        verify(parent)
        connectClient("d", { transports: ["websocket"] }, "/dyn-7")
        tryVerify(() => column(monitor.namespaces, SocketIoNamespaceModel.NameRole).indexOf("/dyn-7") >= 0, 3000)
        tryCompare(monitor.sockets, "count", 1)
        compare(column(monitor.sockets, SocketIoMonitorSocketModel.NamespaceNameRole), ["/dyn-7"])
    }

    function test_eventsAndRates() {
        const inBefore = monitor.totalEventsIn
        const outBefore = monitor.totalEventsOut
        const a = connectClient("a", { transports: ["websocket"] })
        for (let i = 0; i < 10; ++i)
            emitFrom("a", "echo", ["n" + i])
        tryVerify(() => client.count("event", "a") >= 10, 5000, "the echoes came back")
        tryVerify(() => logEntries("in").length >= 10, 2000)
        tryVerify(() => logEntries("out").length >= 10, 2000)
        const ins = logEntries("in")
        compare(ins[0].event, "echo")
        compare(ins[0].detail, '"n0"')
        compare(ins[9].detail, '"n9"')
        compare(monitor.totalEventsIn - inBefore, 10)
        compare(monitor.totalEventsOut - outBefore, 10)
        // The counts per socket are published on the rate tick; a tick with events gives a rate above zero.
        tryVerify(() => monitor.sockets.data(monitor.sockets.index(0, 0), SocketIoMonitorSocketModel.EventsInRole) === 10, 2000)
        compare(monitor.sockets.data(monitor.sockets.index(0, 0), SocketIoMonitorSocketModel.EventsOutRole), 10)
        tryVerify(() => monitor.inRateHistory.some(v => v > 0), 2000, JSON.stringify(monitor.inRateHistory))
        verify(monitor.inRateHistory.length <= monitor.historyLength)
        // No events: the rate falls back to 0 on the next ticks.
        tryCompare(monitor, "eventsInPerSecond", 0, 2000)
    }

    function test_upgradeIsLogged() {
        const b = connectClient("b", { transports: ["polling", "websocket"] })
        tryVerify(() => client.last("upgrade", "b") !== undefined, 5000, "the client upgraded")
        tryVerify(() => logEntries("upgrade").some(e => e.socketId === b && e.detail === "websocket"), 2000)
        tryVerify(() => monitor.sockets.data(monitor.sockets.index(0, 0), SocketIoMonitorSocketModel.TransportRole) === "websocket", 2000)
    }

    function test_logIsBounded() {
        monitor.events.maxCount = 20
        const inBefore = monitor.totalEventsIn
        connectClient("a", { transports: ["websocket"] })
        let maxSeen = 0
        const watch = () => { maxSeen = Math.max(maxSeen, monitor.events.count) }
        monitor.events.countChanged.connect(watch)
        for (let i = 0; i < 200; ++i)
            emitFrom("a", "echo", [i])
        tryVerify(() => client.count("event", "a") >= 200, 10000)
        tryVerify(() => logEntries("out").some(e => e.detail === "199"), 2000)
        monitor.events.countChanged.disconnect(watch)
        compare(monitor.events.count, 20)
        verify(maxSeen <= 20, "at most maxCount rows at any time: " + maxSeen)
        compare(monitor.totalEventsIn - inBefore, 200)
    }

    function test_longArgumentsAreSummarised() {
        connectClient("a", { transports: ["websocket"] })
        emitFrom("a", "big", ["x".repeat(100000), { nested: [1, 2, { deep: true }] }])
        tryVerify(() => logEntries("in").length === 1, 3000)
        const detail = logEntries("in")[0].detail
        verify(detail.length <= 160, "detail is bounded: " + detail.length)
        verify(detail.startsWith('"xxxx'))
    }

    function test_serverChange() {
        connectClient("a", { transports: ["websocket"] })
        tryCompare(monitor.sockets, "count", 1)
        const namespaces = monitor.namespaces.count
        monitor.server = null
        compare(monitor.sockets.count, 0)
        compare(monitor.namespaces.count, 0)
        const before = monitor.totalEventsIn
        emitFrom("a", "echo", ["unwatched"])
        tryVerify(() => client.count("event", "a") >= 1, 5000)
        compare(monitor.totalEventsIn, before)
        monitor.server = server
        compare(monitor.sockets.count, 1)
        compare(monitor.namespaces.count, namespaces)
    }

    function test_inspectorItem() {
        const inspector = createTemporaryObject(inspectorComponent, tc, { server: server })
        verify(inspector)
        compare(inspector.monitor.server, server)
        connectClient("a", { transports: ["websocket"] })
        emitFrom("a", "name", ["<b>Mallory</b>"])
        emitFrom("a", "join", ["<h1>room</h1>"])
        emitFrom("a", "echo", ['<a href="http://example.com">link</a>'])
        tryVerify(() => client.count("event", "a") >= 1, 5000)

        const views = {}
        for (const name of ["socketsView", "roomsView", "namespacesView", "eventsView"])
            views[name] = findChild(inspector, name)
        tryCompare(views.socketsView, "count", 1)
        tryCompare(views.roomsView, "count", 1)
        compare(views.namespacesView.count, monitor.namespaces.count)
        inspector.currentTab = 3
        tryVerify(() => views.eventsView.count >= 5, 3000)
        // Every delegate that shows client text is plain text: the tags stay visible, no link is made.
        waitForRendering(inspector)
        let checked = 0
        for (const name of ["roomsView", "eventsView"]) {
            const view = views[name]
            for (let i = 0; i < view.count; ++i) {
                const item = view.itemAtIndex(i)
                if (!item || item.text.indexOf("<") < 0)
                    continue
                compare(item.textFormat, Text.PlainText, item.text)
                compare(item.linkAt(item.width / 2, item.height / 2), "")
                ++checked
            }
        }
        verify(checked >= 3, "client-derived lines seen: " + checked)
        const rate = findChild(inspector, "rateLabel")
        tryVerify(() => rate.text.indexOf("total " + inspector.monitor.totalEventsIn + " / "
                                     + inspector.monitor.totalEventsOut) >= 0 && inspector.monitor.totalEventsIn >= 3, 3000, rate.text)
    }
}
