// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef REDISFIXTURE_H
#define REDISFIXTURE_H

// A redis-server of the test's own, on a free loopback port, without persistence, stopped by its own PID.
// Header-only, Qt only. The binary is $REDIS_SERVER (the cluster tier's CMakeLists.txt sets it), else
// redis-server on PATH. Optionally: TLS on a port of its own (startTls(): a self-signed certificate made with
// openssl in a temporary directory), a Sentinel watching it (startSentinel(): redis-server --sentinel), extra
// arguments (setExtraArguments(), e.g. requirepass), restarted on the same port (start() again after stop()).

#include "serverprocess.h"

#include <QtCore/qfile.h>
#include <QtCore/qfileinfo.h>
#include <QtCore/qprocess.h>
#include <QtCore/qstandardpaths.h>
#include <QtCore/qstring.h>
#include <QtCore/qtemporarydir.h>

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
    // SIGKILL, at once.
    void kill()
    {
        if (server)
            ServerProcess::stop(server.get(), SIGKILL, 5000);
        server.reset();
    }
    quint16 port() const { return m_port; }
    void setExtraArguments(const QStringList &arguments) { m_extra = arguments; }
    // TLS next to the plain port (tlsPort()), the certificate's CA (itself) in caFile(); call before start().
    inline bool enableTls(QString *error);
    quint16 tlsPort() const { return m_tlsPort; }
    QString caFile() const { return m_dir ? m_dir->filePath(QStringLiteral("cert.pem")) : QString(); }
    // A Sentinel on sentinelPort() that watches this server as master "name" (call after start()).
    inline bool startSentinel(const QString &name, QString *error);
    quint16 sentinelPort() const { return m_sentinelPort; }
    ~RedisFixture()
    {
        stop();
        if (sentinel)
            ServerProcess::stop(sentinel.get(), SIGTERM, 5000);
    }

private:
    QString binary() const
    {
        const QString configured = qEnvironmentVariable("REDIS_SERVER");
        return configured.isEmpty() ? QStandardPaths::findExecutable(QStringLiteral("redis-server")) : configured;
    }

    bool makeDir(QString *error)
    {
        if (!m_dir)
            m_dir = std::make_unique<QTemporaryDir>();
        if (!m_dir->isValid()) {
            *error = QStringLiteral("no temporary directory");
            return false;
        }
        return true;
    }

    quint16 m_port = 0;
    quint16 m_tlsPort = 0;
    quint16 m_sentinelPort = 0;
    QStringList m_extra;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> server;
    std::unique_ptr<QProcess> sentinel;
};

bool RedisFixture::enableTls(QString *error)
{
    if (!makeDir(error))
        return false;
    QProcess openssl;
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                   QStringLiteral("-nodes"), QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                   QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                   QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost"), QStringLiteral("-keyout"),
                   m_dir->filePath(QStringLiteral("key.pem")), QStringLiteral("-out"), caFile()});
    if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0) {
        *error = QStringLiteral("openssl could not make a certificate: ") + QString::fromLocal8Bit(openssl.readAll());
        return false;
    }
    m_tlsPort = ServerProcess::freeLoopbackPort();
    return true;
}

bool RedisFixture::startSentinel(const QString &name, QString *error)
{
    if (!makeDir(error))
        return false;
    m_sentinelPort = ServerProcess::freeLoopbackPort();
    // Sentinel rewrites its configuration file: one of its own, in the temporary directory.
    QFile config(m_dir->filePath(QStringLiteral("sentinel.conf")));
    if (!config.open(QIODevice::WriteOnly)) {
        *error = config.errorString();
        return false;
    }
    config.write(QStringLiteral("port %1\nbind 127.0.0.1\nsentinel monitor %2 127.0.0.1 %3 1\n"
                                "sentinel down-after-milliseconds %2 60000\n")
                         .arg(m_sentinelPort).arg(name).arg(m_port).toUtf8());
    config.close();
    sentinel = std::make_unique<QProcess>();
    return ServerProcess::start(sentinel.get(), binary(), {config.fileName(), QStringLiteral("--sentinel")},
                                "Sentinel ID is", 10000, error);
}

bool RedisFixture::start(QString *error)
{
    if (m_port == 0)
        m_port = ServerProcess::freeLoopbackPort();   // a restart keeps its port
    server = std::make_unique<QProcess>();
    QStringList arguments{QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
                          QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
                          QStringLiteral("--appendonly"), QStringLiteral("no")};
    if (m_tlsPort != 0) {
        arguments += {QStringLiteral("--tls-port"), QString::number(m_tlsPort), QStringLiteral("--tls-cert-file"),
                      caFile(), QStringLiteral("--tls-key-file"), m_dir->filePath(QStringLiteral("key.pem")),
                      QStringLiteral("--tls-ca-cert-file"), caFile(), QStringLiteral("--tls-auth-clients"),
                      QStringLiteral("no")};
    }
    arguments += m_extra;
    return ServerProcess::start(server.get(), binary(), arguments, "Ready to accept connections", 10000, error);
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
