// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The Qt Quick demo's window (examples/quickdemo/Main.qml) with a real socket.io-client (Node.js): chat lines
// with <h1> and <a href> are shown as plain text (the tags stay visible, the text is as wide as its plain
// characters, no link), the user name replaces the id once set, an upgrade gets its own log line, the
// "no client" text is shown again when the last client left, and the inspector and the rate view are there.
import QtQuick
import QtTest
import QtSocketIo
import QtSocketIo.Test

TestCase {
    id: tc
    name: "QuickDemo"
    when: windowShown

    NodeClient { id: client }
    // Stands for main.cpp's output object (which prints lines on stdout).
    property var output: ({ print: function (line) { } })
    TextMetrics { id: metrics }

    property var window: null

    function initTestCase() {
        tryVerify(() => client.ready, 10000, "the Node.js driver started")
        const component = Qt.createComponent(Qt.resolvedUrl("../../examples/quickdemo/Main.qml"))
        compare(component.status, Component.Ready, component.errorString())
        window = component.createObject(null, {
            serverPort: 0, webRoot: Qt.resolvedUrl("../../examples/quickdemo/web"), headless: true, output: output })
        verify(window)
        tryVerify(() => window.server.running, 5000)
    }
    function cleanupTestCase() {
        if (window)
            window.destroy()
    }

    function connectClient(id, options) {
        client.send({ op: "connect", id: id, url: window.server.url, options: options || {} })
        tryVerify(() => client.last("connect", id) !== undefined, 5000, "client " + id + " connected")
        return client.last("connect", id).sid
    }
    function logItems(view) {
        const items = []
        for (let i = 0; i < view.count; ++i) {
            view.positionViewAtIndex(i, ListView.Contain)
            const item = view.itemAtIndex(i)
            if (item)
                items.push(item)
        }
        return items
    }
    function findLine(view, fragment) {
        return logItems(view).find(item => item.text.indexOf(fragment) >= 0)
    }
    // Rendered as plain text: the tags are characters of the line (its width is that of every character in
    // its font), and nothing in it is a link.
    function verifyPlain(item) {
        compare(item.textFormat, Text.PlainText, item.text)
        metrics.font = item.font
        metrics.text = item.text
        verify(Math.abs(item.contentWidth - metrics.advanceWidth) < 2,
               item.text + ": contentWidth " + item.contentWidth + " vs plain advance " + metrics.advanceWidth)
        for (let x = 1; x < item.contentWidth; x += 4)
            compare(item.linkAt(x, item.contentHeight / 2), "", "no link at x=" + x + " in " + item.text)
    }

    function test_1_chatIsPlainText() {
        const logView = findChild(window.contentItem, "logView")
        verify(logView)
        connectClient("eve", { transports: ["websocket"] })
        client.send({ op: "emit", id: "eve", event: "name", args: ["<i>Eve</i>"] })
        client.send({ op: "emit", id: "eve", event: "chat", args: ["<h1>big</h1>"] })
        client.send({ op: "emit", id: "eve", event: "chat", args: ['<a href="http://example.com/">click</a>'] })
        client.send({ op: "emit", id: "eve", event: "join", args: ["<b>room</b>"] })
        tryVerify(() => findLine(logView, '<i>Eve</i>: <a href="http://example.com/">click</a>') !== undefined, 5000)
        waitForRendering(window.contentItem)

        let line = null
        tryVerify(() => (line = findLine(logView, "<h1>big</h1>")) !== undefined, 3000)
        verifyPlain(line)
        line = findLine(logView, "<a href")
        verify(line)
        verifyPlain(line)
        line = findLine(logView, "is now called <i>Eve</i>")
        verify(line)
        verifyPlain(line)

        // The socket list shows the user name (plain) instead of the id; the inspector's log too.
        const socketView = findChild(window.contentItem, "socketView")
        tryCompare(socketView, "count", 1)
        const row = socketView.itemAtIndex(0)
        tryCompare(row, "userName", "<i>Eve</i>")
        const inspector = findChild(window.contentItem, "inspector")
        verify(inspector)
        const events = findChild(inspector, "eventsView")
        // The rename reaches the inspector's log, and the view makes its delegates, each in its own time.
        let named = []
        tryVerify(() => (named = logItems(events).filter(item => item.text.indexOf("<i>Eve</i>") >= 0)).length > 0,
                  5000, "the inspector's log shows the new name")
        waitForRendering(inspector)
        for (const item of named)
            compare(item.textFormat, Text.PlainText, item.text)
    }

    function test_2_upgradeAndEmptyText() {
        const logView = findChild(window.contentItem, "logView")
        const empty = findChild(window.contentItem, "emptyLabel")
        const sid = connectClient("up", { transports: ["polling", "websocket"] })
        tryVerify(() => client.last("upgrade", "up") !== undefined, 5000, "the client upgraded")
        tryVerify(() => findLine(logView, sid + " upgraded to websocket") !== undefined, 3000)
        // The rate view moves with the chat's events.
        const rate = findChild(window.contentItem, "rateLabel")
        verify(rate.text.startsWith("events in "))
        tryVerify(() => window.monitor.totalEventsIn >= 4, 3000)
        // The inspector's rate line follows the totals on its rate tick.
        const inspectorRate = findChild(findChild(window.contentItem, "inspector"), "rateLabel")
        tryVerify(() => inspectorRate.text.endsWith("total " + window.monitor.totalEventsIn + " / "
                                                    + window.monitor.totalEventsOut), 3000, inspectorRate.text)

        client.send({ op: "disconnect", id: "up" })
        client.send({ op: "disconnect", id: "eve" })
        const socketView = findChild(window.contentItem, "socketView")
        tryCompare(socketView, "count", 0, 5000)
        verify(empty.visible)
        verify(empty.text.startsWith("No client connected."), empty.text)
        verify(findLine(logView, "disconnected <i>Eve</i>: client namespace disconnect") !== undefined)
    }
}
