// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// A Socket.IO chat server in QML alone, run by the qml tool (Debian: qml-qt6), port 3001 unless given:
//   /usr/lib/qt6/bin/qml -I <build>/qml examples/qmlserver/main.qml [-- <port>]
// No -I once QtSocketIo is installed; QT_QPA_PLATFORM=offscreen runs it without a display.
import QtQuick
import QtSocketIo

Window {
    width: 420; height: 300; visible: true
    title: "QtSocketIo " + server.url

    //! [server]
    SocketIoServer {
        id: server
        readonly property string lastArgument: Qt.application.arguments[Qt.application.arguments.length - 1]
        port: /^\d+$/.test(lastArgument) ? Number(lastArgument) : 3001

        onRunningChanged: if (running) console.log("LISTENING", port)
        onSocketConnected: (socket) => {
            socket.join("lobby")
            socket.emitEvent("welcome", "Hello " + socket.id, server.socketCount)
        }
        onSocketDisconnected: (socket, reason) => console.log("disconnected", socket.id, reason)

        Component.onCompleted: {
            // chat: to everyone else in the lobby; the ack answers how many got it.
            on("chat", (socket, args, ack) => {
                socket.broadcastTo("lobby", "chat", { from: socket.data.name || socket.id, text: args[0] })
                if (ack) ack(server.socketCount - 1)
            })
            on("name", (socket, args) => socket.setDataValue("name", args[0]))
            // Binary in, binary out: the bytes reversed.
            on("reverse", (socket, args, ack) => ack(new Uint8Array(args[0]).reverse().buffer))
        }
    }
    //! [server]

    ListView {  // the connected sockets, live
        anchors { fill: parent; margins: 8 }
        model: server.sockets
        header: Text { text: server.sockets.count + " socket(s) on " + server.url; font.bold: true }
        delegate: Text {
            required property string socketId
            required property string transport
            required property var rooms
            text: socketId + " · " + transport + " · " + rooms.join(", ")
        }
    }
}
