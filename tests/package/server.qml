// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Run by tests/package/run.sh with Qt's qml tool and no import path (QT_QPA_PLATFORM=offscreen
// /usr/lib/qt6/bin/qml server.qml): `import QtSocketIo` must come from the Debian package, in Qt's QML folder.
// It starts a server on a free loopback port, asks it for an Engine.IO handshake over HTTP and exits 0 when the
// answer carries a session id (1 on an error, 2 on a timeout). The root is an Item: Qt 6.4's qml tool loads
// nothing else.
import QtQuick
import QtSocketIo

Item {
    SocketIoServer {
        id: server
        host: "127.0.0.1"
        port: 0
    }

    Timer {
        interval: 20000
        running: true
        onTriggered: {
            console.log("no handshake within 20 s")
            Qt.exit(2)
        }
    }

    Timer {  // once loaded: Qt.exit() during the load would be lost
        interval: 0
        running: true
        onTriggered: {
            if (!server.running || server.port <= 0) {
                console.log("the server does not listen: " + server.errorString)
                Qt.exit(1)
                return
            }
            console.log("SocketIoServer listening on " + server.url)
            const request = new XMLHttpRequest()
            request.onreadystatechange = function() {
                if (request.readyState !== XMLHttpRequest.DONE)
                    return
                const ok = request.status === 200 && request.responseText.indexOf("\"sid\"") >= 0
                console.log("handshake " + (ok ? "ok" : "failed") + ": HTTP " + request.status + " "
                            + request.responseText)
                Qt.exit(ok ? 0 : 1)
            }
            request.open("GET", "http://127.0.0.1:" + server.port + "/socket.io/?EIO=4&transport=polling")
            request.send()
        }
    }
}
