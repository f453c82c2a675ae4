// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The demo window: a Socket.IO chat server declared in QML, the live list of its sockets (by user name once
// set), the rooms, a log of chat messages and events, and the inspector (SocketIoInspector: event rates,
// sockets, rooms, namespaces, the live event log). Browsers chat through http://127.0.0.1:<port>/ (served by
// the same server). Everything a client sends is shown as plain text, never as rich text.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtSocketIo

ApplicationWindow {
    id: window
    required property int serverPort
    required property url webRoot
    required property bool headless
    required property var output  // prints a line on stdout (main.cpp)
    readonly property alias server: server   // for tests (tests/qml/tst_demo.qml)

    width: 1240
    height: 720
    visible: true
    title: "QtSocketIo demo — " + (server.running ? server.url : "not listening")

    // --- the server --------------------------------------------------------------------------------------
    SocketIoServer {
        id: server
        host: "127.0.0.1"
        port: window.serverPort
        documentRoot: window.webRoot

        onRunningChanged: if (running) window.announce()
        onErrorOccurred: (message) => {
            window.output.print("ERROR cannot listen on 127.0.0.1:" + window.serverPort + ": " + message)
            Qt.exit(1)
        }
        onSocketConnected: (socket) => {
            socket.join("lobby")
            window.addLog("event", "connected " + socket.id + " from " + socket.address + " (" + socket.transport + ")")
            // The transport the log shows stays right: an upgrade (polling to WebSocket) gets its own line.
            socket.transportChanged.connect(() => {
                if (socket.connected)
                    window.addLog("event", window.nameOf(socket) + " upgraded to " + socket.transport)
            })
            socket.emitEvent("chat", { from: "Qt", text: "Welcome! You are " + socket.id + ", in the lobby." })
        }
        onSocketDisconnected: (socket, reason) => window.addLog("event", "disconnected " + window.nameOf(socket) + ": " + reason)

        Component.onCompleted: {
            // A browser's chat message: to everyone else in the sender's rooms; the ack says how many got it.
            server.on("chat", function (socket, args, ack) {
                const message = { from: window.nameOf(socket), text: String(args[0]) }
                const rooms = socket.rooms.filter(r => r !== socket.id)
                if (rooms.length > 0)
                    socket.broadcastTo(rooms, "chat", message)  // not to the sender: its page shows its own line
                window.addLog("chat", message.from + ": " + message.text)
                window.output.print("CHAT " + message.from + ": " + message.text)
                if (ack)
                    ack(window.recipientsOf(rooms, socket.id))
            })
            server.on("name", function (socket, args) {
                const before = window.nameOf(socket)
                socket.setDataValue("name", String(args[0]).trim().substring(0, 32))
                window.addLog("event", before + " is now called " + window.nameOf(socket))
            })
            server.on("join", function (socket, args, ack) {
                const room = String(args[0]).trim().substring(0, 32)
                if (room.length > 0)
                    socket.join(room)
                window.addLog("event", window.nameOf(socket) + " joined " + room)
                if (ack)
                    ack(socket.rooms)
            })
        }
    }

    function announce() {
        window.output.print("LISTENING " + server.port)
        window.output.print("Chat server on " + server.url + "/ : open it in a browser" +
                         (headless ? "" : "; type in the window to answer"))
    }
    function nameOf(socket) {
        const data = socket.data
        return data && data.name ? data.name : socket.id
    }
    function recipientsOf(rooms, except) {
        let count = 0
        for (let i = 0; i < server.sockets.count; ++i) {
            const s = server.sockets.get(i)
            if (s.id !== except && s.rooms.some(r => rooms.indexOf(r) >= 0))
                ++count
        }
        return count
    }
    function addLog(kind, text) {
        logModel.append({ kind: kind, message: text, time: new Date().toLocaleTimeString(Qt.locale(), "HH:mm:ss") })
        logView.positionViewAtEnd()
    }
    // What the Send button does (and stdin lines): a chat message from the Qt side to every browser.
    function sendFromWindow(text) {
        text = text.trim()
        if (text.length === 0)
            return
        server.emitEvent("chat", { from: "Qt", text: text })
        addLog("qt", "Qt: " + text)
        window.output.print("SENT " + text)
    }
    // Commands from stdin (see main.cpp).
    function command(line) {
        if (line === "/stats") {
            window.output.print("STATS " + window.tickedIn + " " + window.tickedOut)
        } else if (line === "/list") {
            const ids = []
            for (let i = 0; i < socketView.count; ++i) {
                const item = socketView.itemAtIndex(i)
                if (item)
                    ids.push(item.socketId)
            }
            window.output.print("LIST " + ids.join(" "))
        } else {
            sendFromWindow(line)
        }
    }
    // The rooms and how many sockets are in each (sockets' own id rooms left out).
    property var roomSummary: []
    function updateRooms() {
        const counts = {}
        for (let i = 0; i < server.sockets.count; ++i) {
            const s = server.sockets.get(i)
            for (const r of s.rooms) {
                if (r !== s.id)
                    counts[r] = (counts[r] || 0) + 1
            }
        }
        roomSummary = Object.keys(counts).sort().map(r => r + " (" + counts[r] + ")")
    }
    Connections {
        target: server.sockets
        function onCountChanged() {
            window.updateRooms()
            window.output.print("SOCKETS " + server.sockets.count)
        }
        function onDataChanged() { window.updateRooms() }
    }
    ListModel { id: logModel }
    // The inspector's monitor (SocketIoMonitor) also gives the event rates for the header.
    readonly property var monitor: inspector.monitor
    // The totals as of the monitor's last rate tick (what the inspector shows): /stats prints them.
    property real tickedIn: 0
    property real tickedOut: 0
    Connections {
        target: window.monitor
        function onRatesChanged() {
            window.tickedIn = window.monitor.totalEventsIn
            window.tickedOut = window.monitor.totalEventsOut
        }
    }

    // --- the window --------------------------------------------------------------------------------------
    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 12
            Label {
                text: server.running ? "Serving <b>" + server.url + "/</b> — open it in a browser to chat"
                                     : "Not listening " + server.errorString
                textFormat: Text.StyledText
                font.pixelSize: 15
                Layout.fillWidth: true
            }
            Label {
                objectName: "rateLabel"
                text: "events in " + window.monitor.eventsInPerSecond.toFixed(1) + "/s · out "
                      + window.monitor.eventsOutPerSecond.toFixed(1) + "/s"
            }
            Label { text: server.connectionCount + " connection(s)" }
        }
    }

    RowLayout {
        anchors.fill: parent
        anchors.margins: 10
        spacing: 10

        // Left: the live socket list (SocketIoServer.sockets) and the rooms.
        Frame {
            Layout.preferredWidth: 340
            Layout.fillHeight: true
            ColumnLayout {
                anchors.fill: parent
                Label {
                    text: "Connected sockets (" + socketView.count + ")"
                    font.bold: true
                    font.pixelSize: 16
                }
                ListView {
                    id: socketView
                    objectName: "socketView"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    spacing: 6
                    model: server.sockets
                    delegate: Rectangle {
                        id: row
                        required property string socketId
                        required property string address
                        required property string transport
                        required property var rooms
                        required property date connectedSince
                        required property var socket
                        // The user name the client chose, once set ("name" event); the id until then.
                        readonly property string userName: socket && socket.data && socket.data.name ? socket.data.name : ""
                        width: ListView.view.width
                        height: rowColumn.implicitHeight + 12
                        radius: 4
                        color: Qt.rgba(0.5, 0.5, 0.5, 0.08)
                        border.color: Qt.rgba(0.5, 0.5, 0.5, 0.3)
                        ColumnLayout {
                            id: rowColumn
                            anchors.fill: parent
                            anchors.margins: 6
                            spacing: 2
                            RowLayout {
                                ColumnLayout {
                                    spacing: 0
                                    Layout.fillWidth: true
                                    Label {
                                        visible: row.userName.length > 0
                                        text: row.userName
                                        textFormat: Text.PlainText
                                        font.bold: true
                                        elide: Text.ElideRight
                                        Layout.fillWidth: true
                                    }
                                    Label {
                                        text: row.socketId
                                        textFormat: Text.PlainText
                                        font.family: "monospace"
                                        font.bold: row.userName.length === 0
                                        opacity: row.userName.length ? 0.7 : 1
                                    }
                                }
                                Button {
                                    text: "Kick"
                                    onClicked: row.socket.disconnectSocket()
                                }
                            }
                            Label {
                                text: row.address + " · " + row.transport + " · since "
                                      + Qt.formatTime(row.connectedSince, "HH:mm:ss")
                                textFormat: Text.PlainText
                                opacity: 0.85
                            }
                            Label {
                                text: "rooms: " + row.rooms.filter(r => r !== row.socketId).join(", ")
                                textFormat: Text.PlainText
                                wrapMode: Text.Wrap
                                Layout.fillWidth: true
                                opacity: 0.7
                            }
                        }
                    }
                    Label {
                        objectName: "emptyLabel"
                        anchors.centerIn: parent
                        width: parent.width - 20
                        horizontalAlignment: Text.AlignHCenter
                        wrapMode: Text.Wrap
                        visible: socketView.count === 0
                        // True whether none came yet or they all left.
                        text: "No client connected.\nOpen " + server.url + "/ in a browser to chat."
                        textFormat: Text.PlainText
                        opacity: 0.6
                    }
                }
                Label {
                    text: "Rooms: " + (window.roomSummary.length ? window.roomSummary.join(", ") : "none")
                    textFormat: Text.PlainText
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
            }
        }

        // Right: the chat and event log, and the Qt side's message field.
        Frame {
            Layout.fillWidth: true
            Layout.fillHeight: true
            ColumnLayout {
                anchors.fill: parent
                Label { text: "Chat and events"; font.bold: true; font.pixelSize: 16 }
                ListView {
                    id: logView
                    objectName: "logView"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    model: logModel
                    delegate: Label {
                        required property string kind
                        required property string message
                        required property string time
                        width: ListView.view.width
                        wrapMode: Text.Wrap
                        text: time + "  " + message
                        textFormat: Text.PlainText   // chat lines come from clients: "<h1>" stays text
                        opacity: kind === "event" ? 0.6 : 1
                        color: kind === "qt" ? "#1565c0" : palette.windowText
                        font.bold: kind === "qt"
                    }
                }
                RowLayout {
                    Layout.fillWidth: true
                    TextField {
                        id: input
                        Layout.fillWidth: true
                        placeholderText: "Message to every browser"
                        onAccepted: send.clicked()
                    }
                    Button {
                        id: send
                        text: "Send"
                        onClicked: {
                            window.sendFromWindow(input.text)
                            input.text = ""
                        }
                    }
                }
            }
        }

        // Right: the inspector (QtSocketIo's SocketIoInspector item): event rates, sockets, rooms, namespaces
        // and the live event log.
        Frame {
            Layout.preferredWidth: 420
            Layout.fillHeight: true
            padding: 0
            SocketIoInspector {
                id: inspector
                objectName: "inspector"
                anchors.fill: parent
                server: window.server
                currentTab: 3
            }
        }
    }
}
