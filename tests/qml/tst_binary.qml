// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Binary arguments: from clients they reach QML as ArrayBuffer (nested too); ArrayBuffer and typed arrays
// from QML go out as binary attachments (Buffers in Node.js), in events, broadcasts and acks.
import QtQuick
import QtTest
import QtSocketIo
import QtSocketIo.Test

TestCase {
    id: tc
    name: "Binary"

    NodeClient { id: client }
    SocketIoServer { id: server; port: 0 }

    function connectClient(id, extra) {
        client.send(Object.assign({ op: "connect", id: id, url: server.url }, extra || {}))
        tryVerify(() => client.last("connect", id) !== undefined, 5000, "client " + id + " connected")
        const sid = client.last("connect", id).sid
        tryVerify(() => server.socket(sid) !== null)
        return server.socket(sid)
    }
    function bytes(buffer) {
        return Array.prototype.slice.call(new Uint8Array(buffer))
    }
    function binaryArg(id) {
        // NodeClient turns the {"$bin": ...} that the driver reports back into a QByteArray: an ArrayBuffer here.
        return client.all("event", id).filter(m => m.event === "bin")
    }
    function initTestCase() {
        tryVerify(() => client.ready, 10000, "the Node.js driver started")
    }
    function cleanup() {
        server.off("upload")
        // A restart closes every connection, even one in the middle of its upgrade to WebSocket.
        server.running = false
        compare(server.connectionCount, 0)
        server.running = true
        client.clear()
    }

    function test_fromClient() {
        let received = null
        server.on("upload", function (socket, args, ack) {
            received = args
            ack(args[0], { copy: args[1].inner })  // back out as binary, nested
        })
        connectClient("a")
        const payload = []
        for (let i = 0; i < 256; ++i)
            payload.push(i)
        client.send({ op: "emit", id: "a", event: "upload", ack: true,
                      args: [new Uint8Array(payload).buffer, { inner: new Uint8Array([1, 2, 3]).buffer, text: "t" }] })
        tryVerify(() => received !== null)
        verify(received[0] instanceof ArrayBuffer, "top-level binary is an ArrayBuffer")
        compare(received[0].byteLength, 256)
        compare(bytes(received[0]), payload)
        verify(received[1].inner instanceof ArrayBuffer, "nested binary is an ArrayBuffer")
        compare(bytes(received[1].inner), [1, 2, 3])
        compare(received[1].text, "t")

        tryVerify(() => client.last("ack", "a") !== undefined)
        const answer = client.last("ack", "a").args
        verify(answer[0] instanceof ArrayBuffer)
        compare(bytes(answer[0]), payload)
        compare(bytes(answer[1].copy), [1, 2, 3])
    }

    function test_eventReceivedSignal() {
        const socket = connectClient("a")
        let args = null
        socket.eventReceived.connect((event, a) => args = a)
        client.send({ op: "emit", id: "a", event: "raw", args: [[new Uint8Array([9, 8]).buffer]] })
        tryVerify(() => args !== null)
        verify(args[0][0] instanceof ArrayBuffer)
        compare(bytes(args[0][0]), [9, 8])
    }

    function test_toClient() {
        const socket = connectClient("a")
        connectClient("b")
        const buffer = new Uint8Array([0, 255, 10, 13]).buffer
        verify(socket.emitEvent("bin", buffer, { nested: new Uint8Array([7, 7]) }, "text"))
        tryVerify(() => binaryArg("a").length === 1)
        const args = binaryArg("a")[0].args
        verify(args[0] instanceof ArrayBuffer)
        compare(bytes(args[0]), [0, 255, 10, 13])
        compare(bytes(args[1].nested), [7, 7], "a typed array goes out as its bytes")
        compare(args[2], "text")

        // A slice of a bigger buffer: only the view's bytes.
        const view = new Uint8Array([1, 2, 3, 4, 5]).subarray(1, 3)
        verify(server.emitEvent("bin", view))
        tryVerify(() => binaryArg("b").length === 1)
        compare(bytes(binaryArg("b")[0].args[0]), [2, 3])

        // emitWithAck with binary out and binary back.
        let answer = null
        client.send({ op: "connect", id: "c", url: server.url, answers: { echo: [{ $bin: "AQID" }] } })
        tryVerify(() => client.last("connect", "c") !== undefined)
        const c = server.socket(client.last("connect", "c").sid)
        c.emitWithAck("echo", [buffer], 2000, function (err, value) { answer = value })
        tryVerify(() => answer !== null)
        verify(answer instanceof ArrayBuffer)
        compare(bytes(answer), [1, 2, 3])
        const echo = client.all("event", "c").filter(m => m.event === "echo")[0]
        compare(bytes(echo.args[0]), [0, 255, 10, 13])
    }
}
