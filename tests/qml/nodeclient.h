// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef NODECLIENT_H
#define NODECLIENT_H

#include <QtCore/qobject.h>
#include <QtCore/qvariant.h>
#include <QtQml/qqml.h>

#include "spawnedprocess.h"

// Test helper, QML type NodeClient: runs tests/qml/client-driver.mjs in Node.js, which drives real
// socket.io-client instances from npm. Commands go to the driver as JSON lines (send()); what the clients
// see comes back as JSON lines (messages, received()). Binary travels as {"$bin": base64} on the pipe and
// is a QByteArray (an ArrayBuffer in QML) on this side. The process is started in componentComplete (with
// posix_spawn, tests/shared/spawnedprocess.h, so that the QML tests also run under ThreadSanitizer) and stopped
// when the object goes away: its standard input closed, then its own PID terminated, then killed, each wait bounded.
class NodeClient : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    Q_PROPERTY(bool ready READ isReady NOTIFY readyChanged)
    Q_PROPERTY(QVariantList messages READ messages NOTIFY received)
public:
    explicit NodeClient(QObject *parent = nullptr);
    ~NodeClient() override;

    bool isReady() const { return m_ready; }
    QVariantList messages() const { return m_messages; }

    // Sends one command object to the driver, e.g. {op: "connect", id: "a", url: ..., nsp: "/"}.
    Q_INVOKABLE void send(const QVariantMap &command);
    // The messages of that type (and client id, when given) so far / the last one (or undefined).
    Q_INVOKABLE QVariantList all(const QString &type, const QString &id = QString()) const;
    Q_INVOKABLE QVariant last(const QString &type, const QString &id = QString()) const;
    Q_INVOKABLE int count(const QString &type, const QString &id = QString()) const;
    Q_INVOKABLE void clear();
    Q_INVOKABLE void stop();

    void classBegin() override { }
    void componentComplete() override;

Q_SIGNALS:
    void readyChanged();
    void received(const QVariantMap &message);

private:
    void readOutput();

    SpawnedProcess m_process;
    QByteArray m_buffer;
    QVariantList m_messages;
    bool m_ready = false;
};

#endif
