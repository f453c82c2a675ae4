// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef WSCLIENT_H
#define WSCLIENT_H

// A QWebSocket client for loopback tests, with spies on everything a test waits for: the text and binary
// messages received, connected and disconnected. It sends nothing by itself (no Engine.IO pongs): tests
// write frames through ws and wait on the spies with QTRY_* or QTest::qWaitFor.

#include <QtCore/qbytearray.h>
#include <QtCore/qstring.h>
#include <QtCore/qstringlist.h>
#include <QtTest/qsignalspy.h>
#include <QtWebSockets/qwebsocket.h>

#include <memory>

struct WsClient
{
    WsClient();
    ~WsClient();

    // Opens ws://127.0.0.1:<port><target>, e.g. target "/engine.io/?EIO=4&transport=websocket".
    void open(quint16 port, const QByteArray &target);
    // The i-th text / binary message received.
    QString text(int i) const;
    QByteArray binary(int i) const;
    QStringList allTexts() const;

    std::unique_ptr<QWebSocket> ws;
    QSignalSpy texts;
    QSignalSpy binaries;
    QSignalSpy connected;
    QSignalSpy disconnected;
};

#endif
