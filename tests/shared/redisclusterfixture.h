// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef REDISCLUSTERFIXTURE_H
#define REDISCLUSTERFIXTURE_H

// A Redis Cluster of the test's own: three masters (redis-server --cluster-enabled yes) on loopback ports whose
// cluster bus ports (+10000) are free too, slots assigned by `redis-cli --cluster create`, in a temporary
// directory; stopped by their own PIDs. Header-only, Qt only. $REDIS_SERVER, else redis-server on PATH; redis-cli
// next to it or on PATH.

#include "serverprocess.h"

#include <QtCore/qdeadlinetimer.h>
#include <QtCore/qfileinfo.h>
#include <QtCore/qprocess.h>
#include <QtCore/qrandom.h>
#include <QtCore/qstandardpaths.h>
#include <QtCore/qthread.h>
#include <QtCore/qtemporarydir.h>
#include <QtNetwork/qtcpserver.h>

#include <memory>
#include <vector>

class RedisClusterFixture
{
public:
    static constexpr int Masters = 3;

    bool isAvailable(QString *why) const
    {
        if (server().isEmpty() || cli().isEmpty()) {
            *why = QStringLiteral("redis-server or redis-cli not found (./dev deps installs them)");
            return false;
        }
        return true;
    }

    bool start(QString *error)
    {
        if (!m_dir.isValid()) {
            *error = QStringLiteral("no temporary directory");
            return false;
        }
        for (int i = 0; i < Masters; ++i) {
            const quint16 port = pickPort();
            if (port == 0) {
                *error = QStringLiteral("no free port pair");
                return false;
            }
            m_ports.push_back(port);
            auto process = std::make_unique<QProcess>();
            const QString conf = m_dir.filePath(QStringLiteral("nodes-%1.conf").arg(port));
            if (!ServerProcess::start(process.get(), server(),
                                      {QStringLiteral("--port"), QString::number(port), QStringLiteral("--bind"),
                                       QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
                                       QStringLiteral("--appendonly"), QStringLiteral("no"),
                                       QStringLiteral("--cluster-enabled"), QStringLiteral("yes"),
                                       QStringLiteral("--cluster-config-file"), conf,
                                       QStringLiteral("--dir"), m_dir.path()},
                                      "Ready to accept connections", 10000, error)) {
                return false;
            }
            m_servers.push_back(std::move(process));
        }
        QStringList create{QStringLiteral("--cluster"), QStringLiteral("create")};
        for (quint16 port : m_ports)
            create.append(QStringLiteral("127.0.0.1:%1").arg(port));
        create += {QStringLiteral("--cluster-replicas"), QStringLiteral("0"), QStringLiteral("--cluster-yes")};
        QString output;
        if (!run(create, &output)) {
            *error = QStringLiteral("redis-cli --cluster create failed: ") + output;
            return false;
        }
        // Every master agrees the cluster is up.
        QDeadlineTimer deadline(20000);
        for (quint16 port : m_ports) {
            for (;;) {
                run({QStringLiteral("-p"), QString::number(port), QStringLiteral("cluster"), QStringLiteral("info")},
                    &output);
                if (output.contains(QLatin1String("cluster_state:ok")))
                    break;
                if (deadline.hasExpired()) {
                    *error = QStringLiteral("the cluster did not become ok: ") + output;
                    return false;
                }
                QThread::msleep(100);
            }
        }
        return true;
    }

    // What the adapters take: the first master (a seed; the rest comes from CLUSTER SLOTS).
    QString url() const { return QStringLiteral("redis://127.0.0.1:%1").arg(m_ports.at(0)); }
    const std::vector<quint16> &ports() const { return m_ports; }

    // A redis-cli command on one master; its output.
    QString cli(quint16 port, const QStringList &arguments)
    {
        QString output;
        run(QStringList{QStringLiteral("-p"), QString::number(port)} + arguments, &output);
        return output;
    }

    ~RedisClusterFixture()
    {
        for (auto &process : m_servers)
            ServerProcess::stop(process.get(), SIGTERM, 5000);
    }

private:
    QString server() const
    {
        const QString configured = qEnvironmentVariable("REDIS_SERVER");
        return configured.isEmpty() ? QStandardPaths::findExecutable(QStringLiteral("redis-server")) : configured;
    }
    QString cli() const
    {
        const QString next = QFileInfo(server()).absolutePath() + QStringLiteral("/redis-cli");
        return QFileInfo(next).isExecutable() ? next : QStandardPaths::findExecutable(QStringLiteral("redis-cli"));
    }
    bool run(const QStringList &arguments, QString *output)
    {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(cli(), arguments);
        const bool finished = process.waitForFinished(30000);
        *output = QString::fromLocal8Bit(process.readAll());
        return finished && process.exitCode() == 0;
    }
    static bool isFree(quint16 port)
    {
        QTcpServer probe;
        return probe.listen(QHostAddress::LocalHost, port);
    }
    // A port whose cluster bus port (+10000) is free too.
    static quint16 pickPort()
    {
        for (int attempt = 0; attempt < 200; ++attempt) {
            const auto port = quint16(QRandomGenerator::global()->bounded(20000, 40000));
            if (isFree(port) && isFree(quint16(port + 10000)))
                return port;
        }
        return 0;
    }

    QTemporaryDir m_dir;
    std::vector<quint16> m_ports;
    std::vector<std::unique_ptr<QProcess>> m_servers;
};

#endif
