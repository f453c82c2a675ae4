// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef REDISFIXTURE_H
#define REDISFIXTURE_H

// A redis-server of the test's own, on a free loopback port, without persistence, stopped by its own PID.
// Header-only, Qt only. The binary is $REDIS_SERVER (the cluster tier's CMakeLists.txt sets it), else
// redis-server on PATH.

#include "serverprocess.h"

#include <QtCore/qfileinfo.h>
#include <QtCore/qprocess.h>
#include <QtCore/qstandardpaths.h>
#include <QtCore/qstring.h>

#include <memory>

class RedisFixture
{
public:
    // Whether redis-server is there; why not in *why.
    bool isAvailable(QString *why) const
    {
        if (binary().isEmpty() || !QFileInfo(binary()).isExecutable()) {
            *why = QStringLiteral("redis-server not found (set REDIS_SERVER; ./dev deps installs it)");
            return false;
        }
        return true;
    }
    inline bool start(QString *error);
    inline bool stop();
    quint16 port() const { return m_port; }
    ~RedisFixture() { stop(); }

private:
    QString binary() const
    {
        const QString configured = qEnvironmentVariable("REDIS_SERVER");
        return configured.isEmpty() ? QStandardPaths::findExecutable(QStringLiteral("redis-server")) : configured;
    }

    quint16 m_port = 0;
    std::unique_ptr<QProcess> server;
};

bool RedisFixture::start(QString *error)
{
    m_port = ServerProcess::freeLoopbackPort();
    server = std::make_unique<QProcess>();
    return ServerProcess::start(server.get(), binary(),
                                {QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
                                 QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
                                 QStringLiteral("--appendonly"), QStringLiteral("no")},
                                "Ready to accept connections", 10000, error);
}

bool RedisFixture::stop()
{
    if (!server)
        return true;
    const bool stopped = ServerProcess::stop(server.get(), SIGTERM, 5000);
    server.reset();
    return stopped;
}

#endif
