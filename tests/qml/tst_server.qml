// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// SocketIoServer: every property, signal and method, against real socket.io-client instances.
import QtQuick
import QtTest
import QtSocketIo
import QtSocketIo.Test

TestCase {
    id: tc
    name: "SocketIoServer"

    NodeClient { id: client }

    SocketIoServer {
        id: server
        port: 0
        pingInterval: 400
        pingTimeout: 300
        documentRoot: Qt.resolvedUrl("web")
    }
    SocketIoServer { id: idle; running: false }

    SignalSpy { id: connectedSpy; target: server; signalName: "socketConnected" }
    SignalSpy { id: disconnectedSpy; target: server; signalName: "socketDisconnected" }
    // The socket objects go away soon after socketDisconnected: note their ids while they exist.
    property var disconnectedIds: []
    Connections {
        target: server
        function onSocketDisconnected(socket, reason) {
            tc.disconnectedIds.push(socket.id)
            verify(!socket.connected)
        }
    }

    Component { id: serverComponent; SocketIoServer { } }

    // HTTP GET/OPTIONS with XMLHttpRequest; the returned object fills in when the answer arrives.
    function http(method, url, headers) {
        const result = { done: false, status: -1, text: "", headers: "" }
        const xhr = new XMLHttpRequest()
        xhr.onreadystatechange = function () {
            if (xhr.readyState === XMLHttpRequest.DONE) {
                result.status = xhr.status
                result.text = xhr.responseText
                result.headers = xhr.getAllResponseHeaders().toLowerCase()
                result.done = true
            }
        }
        xhr.open(method, url)
        for (const name in (headers || {}))
            xhr.setRequestHeader(name, headers[name])
        xhr.send()
        return result
    }
    function handshake(srv) {
        const r = http("GET", srv.url + srv.path + "?EIO=4&transport=polling")
        tryVerify(() => r.done, 5000, "polling handshake answered")
        compare(r.status, 200)
        verify(r.text.startsWith("0{"), r.text)
        return JSON.parse(r.text.substring(1))
    }
    function connectClient(id, options, srv) {
        const target = srv || server
        client.send({ op: "connect", id: id, url: target.url, options: options || {} })
        tryVerify(() => client.last("connect", id) !== undefined, 5000, "client " + id + " connected")
        return client.last("connect", id).sid
    }
    function disconnectClient(id) {
        client.send({ op: "disconnect", id: id })
        tryVerify(() => client.last("disconnect", id) !== undefined, 5000, "client " + id + " disconnected")
    }
    function eventsOf(id, event) {
        return client.all("event", id).filter(m => m.event === event)
    }

    function initTestCase() {
        tryVerify(() => client.ready, 10000, "the Node.js driver started")
        tryCompare(server, "running", true)
    }
    function cleanup() {
        server.maxHttpBufferSize = 1000000
        server.allowUpgrades = true
        server.allowEIO3 = false
        server.off("sum")
        server.off("ping")
        // A restart closes every connection, even one in the middle of its upgrade to WebSocket.
        server.running = false
        compare(server.connectionCount, 0)
        compare(server.socketCount, 0)
        server.running = true
        client.clear()
        connectedSpy.clear()
        disconnectedSpy.clear()
        disconnectedIds = []
    }

    function test_defaults() {
        compare(idle.host, "127.0.0.1")
        compare(idle.port, 0)
        compare(idle.path, "/socket.io/")
        compare(idle.running, false)
        compare(idle.url, "")
        compare(idle.pingInterval, 25000)
        compare(idle.pingTimeout, 20000)
        compare(idle.connectTimeout, 45000)
        compare(idle.upgradeTimeout, 10000)
        compare(idle.maxHttpBufferSize, 1000000)
        compare(idle.allowUpgrades, true)
        compare(idle.allowEIO3, false)
        compare(idle.corsOrigins, [])
        compare(idle.documentRoot, "")
        compare(idle.maxConnections, 0)
        compare(idle.maxConnectionsPerAddress, 0)
        compare(idle.maxBufferedBytes, 32 * 1024 * 1024)
        compare(idle.maxNamespacesPerConnection, 0)
        compare(idle.maxPendingAcksPerSocket, 0)
        compare(idle.maxAttachments, 10)   // socket.io-parser's default
        compare(idle.eventRateLimit, 0)    // off, as Node.js has no such option
        compare(idle.eventRateBurst, 0)
        compare(idle.secure, false)
        compare(idle.connectionCount, 0)
        compare(idle.socketCount, 0)
        compare(idle.sockets.count, 0)
        compare(idle.errorString, "")
        compare(idle.connectionStateRecovery, false)
        compare(idle.maxDisconnectionDuration, 120000)
        idle.maxDisconnectionDuration = 5000
        idle.connectionStateRecovery = true
        compare(idle.maxDisconnectionDuration, 5000)
        compare(idle.connectionStateRecovery, true)
        idle.connectionStateRecovery = false
        idle.maxDisconnectionDuration = 120000
    }

    function test_portWrittenBack() {
        verify(server.running)
        verify(server.port > 0, "port 0 was replaced by the real one")
        compare(server.url, "http://127.0.0.1:" + server.port)
    }

    function test_optionsReachTheWire() {
        let open = handshake(server)
        compare(open.pingInterval, 400)
        compare(open.pingTimeout, 300)
        compare(open.maxPayload, 1000000)
        compare(open.upgrades, ["websocket"])
        server.maxHttpBufferSize = 5000
        server.allowUpgrades = false
        open = handshake(server)
        compare(open.maxPayload, 5000)
        compare(open.upgrades, [])
        server.maxHttpBufferSize = 1000000
        server.allowUpgrades = true
        server.upgradeTimeout = 2000
        compare(server.upgradeTimeout, 2000)
    }

    function test_allowEIO3() {
        const url = server.url + server.path + "?EIO=3&transport=polling"
        let r = http("GET", url)
        tryVerify(() => r.done, 5000, "v3 handshake answered")
        compare(r.status, 400)
        compare(JSON.parse(r.text).message, "Unsupported protocol version")
        server.allowEIO3 = true
        compare(server.allowEIO3, true)
        r = http("GET", url)
        tryVerify(() => r.done, 5000, "v3 handshake answered")
        compare(r.status, 200)
        const m = /^(\d+):0(\{.*\})$/.exec(r.text)
        verify(m !== null, r.text)
        const open = JSON.parse(m[2])
        compare(open.pingInterval, 400)
        verify(open.maxPayload === undefined, "no maxPayload in a v3 handshake")
        // A v2 client is in the main namespace without asking.
        tryCompare(server, "socketCount", 1, 5000)
        compare(connectedSpy.count, 1)
    }

    function test_maxHttpBufferSize() {
        server.maxHttpBufferSize = 2000
        const sid = connectClient("big", { transports: ["websocket"] })
        client.send({ op: "emit", id: "big", event: "large", args: ["x".repeat(5000)] })
        tryVerify(() => client.last("disconnect", "big") !== undefined, 5000, "an oversized message closes the connection")
        tryCompare(disconnectedSpy, "count", 1)
        compare(disconnectedIds, [sid])
        compare(disconnectedSpy.signalArguments[0][1], "transport error")
    }

    function test_connectionLimits() {
        const srv = createTemporaryObject(serverComponent, tc, { port: 0, maxConnections: 1 })
        tryCompare(srv, "running", true)
        compare(srv.maxConnections, 1)
        connectClient("first", { transports: ["websocket"] }, srv)
        // The second connection is refused with 503: the client reports a connect_error.
        client.send({ op: "connect", id: "second", url: srv.url, options: { transports: ["websocket"] } })
        tryVerify(() => client.last("connect_error", "second") !== undefined, 5000, "second connection refused")
        compare(client.last("connect", "second"), undefined)
        srv.maxConnections = 0
        srv.maxConnectionsPerAddress = 1
        compare(srv.maxConnectionsPerAddress, 1)
        client.send({ op: "connect", id: "third", url: srv.url, options: { transports: ["websocket"] } })
        tryVerify(() => client.last("connect_error", "third") !== undefined, 5000, "per-address cap applies")
        disconnectClient("first")
        tryCompare(srv, "connectionCount", 0)
        connectClient("fourth", { transports: ["websocket"] }, srv)
        disconnectClient("fourth")
    }

    function test_namespaceAndAckLimits() {
        const srv = createTemporaryObject(serverComponent, tc, { port: 0, maxNamespacesPerConnection: 1,
                                                                 maxPendingAcksPerSocket: 5, maxAttachments: 3,
                                                                 maxBufferedBytes: 1 << 20 })
        tryCompare(srv, "running", true)
        compare(srv.maxNamespacesPerConnection, 1)
        compare(srv.maxPendingAcksPerSocket, 5)
        compare(srv.maxAttachments, 3)
        compare(srv.maxBufferedBytes, 1 << 20)
        srv.maxAttachments = 1
        compare(srv.maxAttachments, 1)
        const rateSpy = createTemporaryObject(spyComponent, tc, { target: srv, signalName: "eventRateLimitChanged" })
        srv.eventRateLimit = 50
        srv.eventRateBurst = 80
        compare(srv.eventRateLimit, 50)
        compare(srv.eventRateBurst, 80)
        compare(rateSpy.count, 1)
        srv.eventRateLimit = 0
        // Two binary attachments in one packet: over the limit, the connection is closed as a parse error.
        connectClient("bin", { transports: ["websocket"] }, srv)
        client.send({ op: "emit", id: "bin", event: "two", args: [{ $bin: "AQI=" }, { $bin: "AwQ=" }] })
        tryVerify(() => client.last("disconnect", "bin") !== undefined, 5000, "too many attachments closes")
    }

    function test_messagePackParser() {
        compare(idle.parser, SocketIoServer.Json)
        const srv = createTemporaryObject(serverComponent, tc, { port: 0, parser: SocketIoServer.MessagePack })
        tryCompare(srv, "running", true)
        compare(srv.parser, SocketIoServer.MessagePack)
        srv.on("echo", (socket, args, ack) => { if (ack) ack(args[0], args[1]) })
        for (const transport of ["polling", "websocket"]) {
            const id = "mp-" + transport
            connectClient(id, { msgpack: true, transports: [transport] }, srv)
            client.send({ op: "emit", id: id, event: "echo", args: [{ n: 1.5, list: ["a", null, true] }, { $bin: "AQID" }],
                          ack: true })
            tryVerify(() => client.last("ack", id) !== undefined, 5000, "echo acked over " + transport)
            const answer = client.last("ack", id).args   // NodeClient hands binary back as an ArrayBuffer
            compare(answer[0], { n: 1.5, list: ["a", null, true] })
            verify(answer[1] instanceof ArrayBuffer, "binary comes back as binary")
            compare(Array.from(new Uint8Array(answer[1])), [1, 2, 3])
        }
        // Back to JSON: the server restarts, and a MessagePack client can no longer join.
        srv.parser = SocketIoServer.Json
        tryCompare(srv, "running", true)
        compare(srv.parser, SocketIoServer.Json)
        connectClient("json-again", { transports: ["websocket"] }, srv)
    }

    function test_tls() {
        verify(tlsCaPem.length > 0, "openssl made a test certificate")
        const srv = createTemporaryObject(serverComponent, tc, { port: 0 })
        tryCompare(srv, "running", true)
        verify(srv.url.startsWith("http://"))
        const plainPort = srv.port
        srv.certificate = tlsCertificate
        compare(srv.secure, false)   // not until the key is there too
        srv.privateKey = tlsKey
        compare(srv.secure, true)
        tryCompare(srv, "running", true)   // restarted on TLS
        verify(srv.url.startsWith("https://127.0.0.1:"), srv.url)
        const sids = []
        for (const transports of [["polling"], ["websocket"], ["polling", "websocket"]]) {
            const id = "tls-" + transports.join("-")
            sids.push(connectClient(id, { transports: transports, ca: tlsCaPem }, srv))
            if (transports.length === 2)
                tryVerify(() => client.last("upgrade", id) !== undefined, 5000, "upgraded over TLS")
        }
        tryCompare(srv, "socketCount", 3)
        // A client that does not trust the certificate is refused by its own TLS layer.
        client.send({ op: "connect", id: "untrusting", url: srv.url, options: { transports: ["websocket"] } })
        tryVerify(() => client.last("connect_error", "untrusting") !== undefined, 5000, "untrusted certificate refused")
        // A broken key file: the server says why and stays on plain HTTP.
        const errors = []
        srv.errorOccurred.connect((message) => errors.push(message))
        srv.privateKey = Qt.resolvedUrl("no-such-key.pem")
        compare(srv.secure, false)
        compare(errors.length, 1)
        verify(errors[0].indexOf("private key") >= 0, errors[0])
        tryCompare(srv, "running", true)
        verify(srv.url.startsWith("http://"), srv.url)
        for (const id of ["tls-polling", "tls-websocket", "tls-polling-websocket"])
            tryVerify(() => client.last("disconnect", id) !== undefined, 5000, id + " disconnected by the restart")
    }

    function test_connectTimeout() {
        const srv = createTemporaryObject(serverComponent, tc, { port: 0, connectTimeout: 300 })
        tryCompare(srv, "running", true)
        compare(srv.connectTimeout, 300)
        const open = handshake(srv)  // an Engine.IO connection that never joins a namespace
        compare(srv.connectionCount, 1)
        // Its long poll gets the close packet once connectTimeout passed.
        const poll = http("GET", srv.url + srv.path + "?EIO=4&transport=polling&sid=" + open.sid)
        tryVerify(() => poll.done, 3000)
        compare(poll.text, "1")
        tryCompare(srv, "connectionCount", 0, 3000)
    }

    function test_cors() {
        compare(server.corsOrigins, [])
        let r = http("GET", server.url + "/socket.io/?EIO=4&transport=polling", { "Origin": "http://allowed.test" })
        tryVerify(() => r.done)
        verify(r.headers.indexOf("access-control-allow-origin") < 0, r.headers)
        server.corsOrigins = ["http://allowed.test"]
        compare(server.corsOrigins, ["http://allowed.test"])
        r = http("GET", server.url + "/socket.io/?EIO=4&transport=polling", { "Origin": "http://allowed.test" })
        tryVerify(() => r.done)
        verify(r.headers.indexOf("access-control-allow-origin: http://allowed.test") >= 0, r.headers)
        server.corsOrigins = []
    }

    function test_metrics() {
        compare(server.metricsPort, -1, "off by default")
        verify(server.metricsText().endsWith("# EOF\n"), "the text is there while the endpoint is off")
        connectClient("metered", { transports: ["websocket"] })
        const portSpy = signalSpyFor(server, "metricsPortChanged")
        server.metricsPort = 0
        verify(server.metricsPort > 0, "a free port, written back")
        verify(portSpy.count >= 1)
        let r = http("GET", "http://127.0.0.1:" + server.metricsPort + "/metrics")
        tryVerify(() => r.done, 5000)
        compare(r.status, 200)
        verify(r.headers.indexOf("application/openmetrics-text") >= 0, r.headers)
        verify(/\nsocketio_connections\{transport="websocket"\} [1-9]\d*\n/.test(r.text), r.text)
        verify(/\nsocketio_sockets\{namespace="\/"\} [1-9]\d*\n/.test(server.metricsText()))
        disconnectClient("metered")
        const port = server.metricsPort
        server.metricsPort = -1
        r = http("GET", "http://127.0.0.1:" + port + "/metrics")
        tryVerify(() => r.done, 5000)
        compare(r.status, 0, "the endpoint is closed")
    }

    function test_documentRoot() {
        verify(String(server.documentRoot).endsWith("/web"))
        let r = http("GET", server.url + "/")
        tryVerify(() => r.done)
        compare(r.status, 200)
        verify(r.text.indexOf("served by SocketIoServer.documentRoot") >= 0, r.text)
        r = http("GET", server.url + "/missing.html")
        tryVerify(() => r.done)
        compare(r.status, 404)
    }

    function test_running() {
        const port = server.port
        const runningSpy = signalSpyFor(server, "runningChanged")
        server.running = false
        compare(server.running, false)
        compare(server.url, "")
        verify(runningSpy.count >= 1)
        let r = http("GET", "http://127.0.0.1:" + port + "/")
        tryVerify(() => r.done)
        compare(r.status, 0, "nothing listens any more")
        server.running = true
        compare(server.running, true)
        compare(server.port, port, "the written-back port is used again")
        r = http("GET", server.url + "/")
        tryVerify(() => r.done)
        compare(r.status, 200)
    }

    function test_portInUseAndHost() {
        const errorSpy = signalSpyFor(null, "")
        const srv = createTemporaryObject(serverComponent, tc, { port: server.port })
        compare(srv.running, false)
        verify(srv.errorString.length > 0)
        // Listening again on a free port clears the error; host and port changes restart it.
        srv.port = 0
        srv.running = true
        tryCompare(srv, "running", true)
        compare(srv.errorString, "")
        const first = srv.port
        srv.host = "localhost"
        compare(srv.host, "localhost")
        compare(srv.running, true)
        srv.host = "not an address"
        compare(srv.running, false)
        verify(srv.errorString.indexOf("not an address") >= 0)
        srv.host = "127.0.0.1"
        srv.running = true
        compare(srv.running, true)
        verify(first > 0)
    }

    function test_errorOccurred() {
        const srv = createTemporaryObject(serverComponent, tc, { running: false, port: server.port })
        const spy = createTemporaryObject(spyComponent, tc, { target: srv, signalName: "errorOccurred" })
        srv.running = true
        compare(spy.count, 1)
        compare(spy.signalArguments[0][0], srv.errorString)
        compare(srv.running, false)
    }

    function test_path() {
        const srv = createTemporaryObject(serverComponent, tc, { port: 0, path: "/custom/" })
        tryCompare(srv, "running", true)
        compare(srv.path, "/custom/")
        connectClient("p", { path: "/custom/" }, srv)
        compare(srv.socketCount, 1)
        disconnectClient("p")
        tryCompare(srv, "socketCount", 0)
        const port = srv.port
        srv.path = "/other/"
        compare(srv.running, true, "restarted")
        compare(srv.port, port)
        const open = handshake(srv)
        verify(open.sid.length > 0)
    }

    function test_connectionSignalsAndCounts() {
        const sid = connectClient("a")
        tryCompare(connectedSpy, "count", 1)
        const socket = connectedSpy.signalArguments[0][0]
        compare(socket.id, sid)
        compare(server.socketCount, 1)
        compare(server.connectionCount, 1)
        compare(server.sockets.count, 1)
        compare(server.socket(sid), socket)
        compare(server.socket("nope"), null)
        disconnectClient("a")
        tryCompare(disconnectedSpy, "count", 1)
        compare(disconnectedIds, [sid])
        compare(disconnectedSpy.signalArguments[0][1], "client namespace disconnect")
        tryCompare(server, "socketCount", 0)
        compare(server.sockets.count, 0)
    }

    function test_emitMethods() {
        const a = connectClient("a"), b = connectClient("b"), c = connectClient("c")
        server.socket(a).join("red")
        server.socket(b).join(["blue", "green"])
        verify(server.emitEvent("all", 1, "x", { k: true, n: null }, [1.5, -2]))
        tryVerify(() => eventsOf("a", "all").length === 1 && eventsOf("b", "all").length === 1 && eventsOf("c", "all").length === 1)
        compare(eventsOf("c", "all")[0].args, [1, "x", { k: true, n: null }, [1.5, -2]])

        verify(server.emitTo("red", "to", "red only"))
        verify(server.emitTo(["green", "red"], "to2"))
        verify(server.emitExcept("red", "except", 7))
        verify(server.emitExcept(["red", "blue"], "except2"))
        verify(server.emitTo(c, "direct"))  // a socket id is a room
        verify(server.emitEvent("none"))
        verify(server.emitEvent("six", 1, 2, 3, 4, 5, 6))
        // Each client on its own connection (on its own I/O thread with QTSOCKETIO_IO_THREADS): "six", the last
        // emit, at all three means the earlier ones have arrived (each socket keeps its order).
        tryVerify(() => ["a", "b", "c"].every(id => eventsOf(id, "six").length === 1))
        compare(eventsOf("c", "six")[0].args, [1, 2, 3, 4, 5, 6])
        compare(eventsOf("a", "to").map(m => m.args[0]), ["red only"])
        compare(eventsOf("b", "to").length + eventsOf("c", "to").length, 0)
        compare(eventsOf("a", "to2").length + eventsOf("b", "to2").length, 2)
        compare(eventsOf("c", "to2").length, 0)
        compare(eventsOf("a", "except").length, 0)
        compare(eventsOf("b", "except")[0].args, [7])
        compare(eventsOf("c", "except").length, 1)
        compare(eventsOf("a", "except2").length + eventsOf("b", "except2").length, 0)
        compare(eventsOf("c", "except2").length, 1)
        compare(eventsOf("c", "direct").length, 1)
        compare(eventsOf("a", "direct").length + eventsOf("b", "direct").length, 0)
        compare(eventsOf("a", "none")[0].args, [])
        compare(server.emitEvent("connect"), false, "reserved event names are refused")
        compare(server.emitTo("red", "disconnect"), false)
    }

    function test_onAndAck() {
        const calls = []
        const handler = function (socket, args, ack) {
            calls.push({ socket: socket.id, args: args, hasAck: typeof ack === "function" })
            if (ack)
                ack(args[0] + args[1], "sum")
        }
        server.on("sum", handler)
        const sid = connectClient("a")
        client.send({ op: "emit", id: "a", event: "sum", args: [2, 3], ack: true })
        tryVerify(() => client.last("ack", "a") !== undefined)
        compare(client.last("ack", "a").err, null)
        compare(client.last("ack", "a").args, [5, "sum"])
        client.send({ op: "emit", id: "a", event: "sum", args: [1, 1] })
        tryCompare(calls, "length", 2)
        compare(calls[0].socket, sid)
        compare(calls[0].args, [2, 3])
        compare(calls[0].hasAck, true)
        compare(calls[1].hasAck, false, "no ack function when the client asked for none")

        // A second handler runs too; off(event, handler) removes one, off(event) all.
        let second = 0
        const other = function () { second++ }
        server.on("sum", other)
        client.send({ op: "emit", id: "a", event: "sum", args: [0, 0] })
        tryCompare(calls, "length", 3)
        tryCompare(tc, "dummy", 0)
        compare(second, 1)
        server.off("sum", handler)
        client.send({ op: "emit", id: "a", event: "sum", args: [0, 0] })
        tryVerify(() => second === 2)
        compare(calls.length, 3)
        server.off("sum")
        client.send({ op: "emit", id: "a", event: "sum", args: [0, 0], ack: true, timeout: 300 })
        tryVerify(() => client.all("ack", "a").length === 2, 3000)
        compare(client.last("ack", "a").err, "operation has timed out", "nobody answers without a handler")
        compare(second, 2)

        // A handler that throws is reported and the next event still arrives.
        server.on("ping", function () { throw new Error("boom") })
        ignoreWarning(new RegExp("threw Error: boom"))
        client.send({ op: "emit", id: "a", event: "ping" })
        server.on("ping", function (socket, args, ack) { if (ack) ack("pong") })
        client.send({ op: "emit", id: "a", event: "ping", ack: true })
        tryVerify(() => client.all("ack", "a").length === 3)
        compare(client.last("ack", "a").args, ["pong"])
    }
    property int dummy: 0

    function test_broadcastEmitWithAck() {
        connectClient("a", {}), connectClient("b", {})
        client.send({ op: "connect", id: "yes1", url: server.url, answers: { question: [42] } })
        client.send({ op: "connect", id: "yes2", url: server.url, answers: { question: ["fine"] } })
        tryVerify(() => client.count("connect") === 4)
        server.socket(client.last("connect", "a").sid).disconnectSocket()
        server.socket(client.last("connect", "b").sid).disconnectSocket()
        tryCompare(server, "socketCount", 2)
        let result = null
        verify(server.emitWithAck("question", ["how?"], 2000, function (err, responses) { result = { err: err, responses: responses } }))
        tryVerify(() => result !== null)
        compare(result.err, null)
        compare(result.responses.sort(), [42, "fine"].sort())
        const q = eventsOf("yes1", "question")[0]
        compare(q.args, ["how?"])

        // One recipient that never answers: err after the timeout, with the answers that did arrive.
        client.send({ op: "connect", id: "mute", url: server.url })
        tryVerify(() => client.last("connect", "mute") !== undefined)
        result = null
        server.emitWithAck("question", "single", 300, function (err, responses) { result = { err: err, responses: responses } })
        tryVerify(() => result !== null, 3000)
        verify(result.err instanceof Error)
        compare(result.err.message, "operation has timed out")
        compare(result.responses.length, 2)
        compare(eventsOf("mute", "question")[0].args, ["single"])
    }

    function test_roomsAndDisconnectSockets() {
        const a = connectClient("a"), b = connectClient("b")
        server.socketsJoin(["hall", "lab"])
        verify(server.socket(a).rooms.indexOf("hall") >= 0)
        verify(server.socket(b).rooms.indexOf("lab") >= 0)
        server.socketsLeave("lab")
        compare(server.socket(a).rooms.indexOf("lab"), -1)
        verify(server.socket(b).rooms.indexOf("hall") >= 0)
        server.disconnectSockets()
        tryVerify(() => client.last("disconnect", "a") !== undefined && client.last("disconnect", "b") !== undefined)
        compare(client.last("disconnect", "a").reason, "io server disconnect")
        tryCompare(disconnectedSpy, "count", 2)
        compare(disconnectedSpy.signalArguments[0][1], "server namespace disconnect")
    }

    Component { id: spyComponent; SignalSpy { } }
    function signalSpyFor(target, signalName) {
        return createTemporaryObject(spyComponent, tc, target ? { target: target, signalName: signalName } : {})
    }
}
