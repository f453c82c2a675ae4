// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// SocketIoInspector: a ready-made view of a SocketIoMonitor for any Qt Quick window:
//     SocketIoInspector { server: myServer }
// The event rates (numbers and a graph of the last historyLength samples) and four tabs: sockets, rooms,
// namespaces and the live event log. Every text that comes from a client is shown as plain text.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtSocketIo

Pane {
    id: inspector
    property alias server: monitor.server
    readonly property alias monitor: monitor
    property alias currentTab: tabs.currentIndex
    property color inColor: "#2e7d32"
    property color outColor: "#1565c0"

    implicitWidth: 420
    implicitHeight: 480
    padding: 8

    SocketIoMonitor { id: monitor }

    component Cell: Label {
        textFormat: Text.PlainText
        elide: Text.ElideRight
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 6

        RowLayout {
            Layout.fillWidth: true
            Label { text: "Events per second"; font.bold: true }
            Item { Layout.fillWidth: true }
            Label {
                objectName: "rateLabel"
                text: "in " + monitor.eventsInPerSecond.toFixed(1) + " · out " + monitor.eventsOutPerSecond.toFixed(1)
                      + " · total " + monitor.totalEventsIn + " / " + monitor.totalEventsOut
            }
        }
        Canvas {
            id: graph
            objectName: "rateGraph"
            Layout.fillWidth: true
            Layout.preferredHeight: 64
            onWidthChanged: requestPaint()
            onHeightChanged: requestPaint()
            Connections {
                target: monitor
                function onRatesChanged() { graph.requestPaint() }
            }
            onPaint: {
                const ctx = getContext("2d")
                ctx.reset()
                ctx.fillStyle = Qt.rgba(0.5, 0.5, 0.5, 0.08)
                ctx.fillRect(0, 0, width, height)
                const ins = monitor.inRateHistory
                const outs = monitor.outRateHistory
                let peak = 1
                for (const v of ins) peak = Math.max(peak, v)
                for (const v of outs) peak = Math.max(peak, v)
                const slots = Math.max(2, monitor.historyLength)
                const step = width / (slots - 1)
                function line(values, color) {
                    if (values.length === 0)
                        return
                    ctx.strokeStyle = color
                    ctx.lineWidth = 2
                    ctx.beginPath()
                    const offset = slots - values.length
                    for (let i = 0; i < values.length; ++i) {
                        const x = (offset + i) * step
                        const y = height - 2 - (height - 4) * values[i] / peak
                        if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y)
                    }
                    ctx.stroke()
                }
                line(ins, inspector.inColor)
                line(outs, inspector.outColor)
                ctx.fillStyle = inspector.palette.windowText
                ctx.font = "10px sans-serif"
                ctx.fillText(peak.toFixed(peak < 10 ? 1 : 0) + "/s", 4, 12)
            }
        }

        TabBar {
            id: tabs
            Layout.fillWidth: true
            TabButton { text: "Sockets " + monitor.sockets.count; font.capitalization: Font.MixedCase; width: implicitWidth }
            TabButton { text: "Rooms " + monitor.rooms.count; font.capitalization: Font.MixedCase; width: implicitWidth }
            TabButton { text: "Namespaces " + monitor.namespaces.count; font.capitalization: Font.MixedCase; width: implicitWidth }
            TabButton { text: "Events"; font.capitalization: Font.MixedCase; width: implicitWidth }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: tabs.currentIndex

            ListView {
                objectName: "socketsView"
                clip: true
                model: monitor.sockets
                delegate: ColumnLayout {
                    required property string socketId
                    required property string name
                    required property string namespaceName
                    required property string address
                    required property string transport
                    required property var rooms
                    required property real eventsIn
                    required property real eventsOut
                    width: ListView.view.width
                    spacing: 0
                    Cell {
                        Layout.fillWidth: true
                        text: (name.length ? name + " · " : "") + socketId
                        font.bold: true
                    }
                    Cell {
                        Layout.fillWidth: true
                        text: namespaceName + " · " + transport + " · " + address + " · in " + eventsIn + " out " + eventsOut
                              + (rooms.length ? " · rooms: " + rooms.join(", ") : "")
                        opacity: 0.75
                        bottomPadding: 4
                    }
                }
            }
            ListView {
                objectName: "roomsView"
                clip: true
                model: monitor.rooms
                delegate: Cell {
                    required property string name
                    required property string namespaceName
                    required property int memberCount
                    width: ListView.view.width
                    text: namespaceName + "  " + name + "  (" + memberCount + ")"
                }
            }
            ListView {
                objectName: "namespacesView"
                clip: true
                model: monitor.namespaces
                delegate: Cell {
                    required property string name
                    required property int socketCount
                    required property int roomCount
                    width: ListView.view.width
                    text: name + "  sockets " + socketCount + " · rooms " + roomCount
                }
            }
            ListView {
                id: eventsView
                objectName: "eventsView"
                clip: true
                model: monitor.events
                onCountChanged: positionViewAtEnd()
                delegate: Cell {
                    required property date time
                    required property string kind
                    required property string socketId
                    required property string name
                    required property string event
                    required property string detail
                    width: ListView.view.width
                    color: kind === "in" ? inspector.inColor : kind === "out" ? inspector.outColor
                                                                             : inspector.palette.windowText
                    text: Qt.formatTime(time, "HH:mm:ss") + "  " + kind + "  " + (name.length ? name : socketId)
                          + (event.length ? "  " + event : "") + (detail.length ? "  " + detail : "")
                }
            }
        }
    }
}
