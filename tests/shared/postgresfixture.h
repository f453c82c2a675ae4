// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef POSTGRESFIXTURE_H
#define POSTGRESFIXTURE_H

// A PostgreSQL cluster of the test's own: initdb in a temporary directory, postgres on a free loopback port (as
// the "postgres" user when the test runs as root), stopped by its own PID. Header-only, Qt only. The binaries
// come from $PG_BINDIR (the cluster tier's CMakeLists.txt sets it), else /usr/lib/postgresql/15/bin.

#include "serverprocess.h"

#include <QtCore/qdir.h>
#include <QtCore/qfileinfo.h>
#include <QtCore/qprocess.h>
#include <QtCore/qstring.h>
#include <QtCore/qtemporarydir.h>

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <memory>

class PostgresFixture
{
public:
    // Whether initdb and postgres are there; why not in *why.
    bool isAvailable(QString *why) const
    {
        for (const char *name : {"initdb", "postgres"}) {
            if (!QFileInfo(binary(name)).isExecutable()) {
                *why = binary(name) + QStringLiteral(" not found (set PG_BINDIR; ./dev deps installs PostgreSQL)");
                return false;
            }
        }
        return true;
    }
    inline bool init(QString *error);
    inline bool start(QString *error);
    inline bool stop();
    QString conninfo() const
    {
        return QStringLiteral("host=127.0.0.1 port=%1 dbname=postgres user=postgres").arg(port);
    }
    ~PostgresFixture() { stop(); }

private:
    inline void runAsPostgres(QProcess *process) const;
    QString binary(const char *name) const { return binDir + u'/' + QLatin1String(name); }

    QString binDir = qEnvironmentVariable("PG_BINDIR", QStringLiteral("/usr/lib/postgresql/15/bin"));
    QTemporaryDir dir;
    quint16 port = 0;
    uid_t uid = 0;
    gid_t gid = 0;
    bool asOtherUser = false;
    std::unique_ptr<QProcess> server;
};

void PostgresFixture::runAsPostgres(QProcess *process) const
{
    if (!asOtherUser)
        return;
    const uid_t u = uid;
    const gid_t g = gid;
    // initdb and postgres refuse to run as root: drop to the postgres user in the child, before exec, so
    // that the PID QProcess knows is the server's own.
    process->setChildProcessModifier([u, g] {
        if (::setgroups(0, nullptr) != 0 || ::setgid(g) != 0 || ::setuid(u) != 0)
            ::_exit(126);
    });
}

bool PostgresFixture::init(QString *error)
{
    if (!dir.isValid()) {
        *error = QStringLiteral("no temporary directory");
        return false;
    }
    if (::geteuid() == 0) {
        const passwd *pw = ::getpwnam("postgres");
        if (!pw) {
            *error = QStringLiteral("running as root and there is no postgres user");
            return false;
        }
        uid = pw->pw_uid;
        gid = pw->pw_gid;
        asOtherUser = true;
        if (::chown(QFile::encodeName(dir.path()).constData(), uid, gid) != 0) {
            *error = QStringLiteral("cannot chown the temporary directory");
            return false;
        }
    }
    port = ServerProcess::freeLoopbackPort();

    QProcess initdb;
    runAsPostgres(&initdb);
    initdb.setWorkingDirectory(dir.path());
    initdb.start(binary("initdb"), {QStringLiteral("-D"), dir.filePath(QStringLiteral("data")),
                                    QStringLiteral("-U"), QStringLiteral("postgres"), QStringLiteral("--auth=trust"),
                                    QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--no-sync"),
                                    QStringLiteral("--locale=C")});
    if (!initdb.waitForFinished(60000) || initdb.exitStatus() != QProcess::NormalExit || initdb.exitCode() != 0) {
        *error = QStringLiteral("initdb failed: ") + QString::fromLocal8Bit(initdb.readAllStandardError());
        return false;
    }
    return start(error);
}

bool PostgresFixture::start(QString *error)
{
    server = std::make_unique<QProcess>();
    runAsPostgres(server.get());
    server->setWorkingDirectory(dir.path());
    return ServerProcess::start(server.get(), binary("postgres"),
                                {QStringLiteral("-D"), dir.filePath(QStringLiteral("data")),
                                 QStringLiteral("-c"), QStringLiteral("listen_addresses=127.0.0.1"),
                                 QStringLiteral("-p"), QString::number(port), QStringLiteral("-k"), dir.path(),
                                 QStringLiteral("-c"), QStringLiteral("fsync=off"),
                                 QStringLiteral("-c"), QStringLiteral("synchronous_commit=off")},
                                "ready to accept connections", 20000, error);
}

bool PostgresFixture::stop()
{
    if (!server)
        return true;
    // Fast shutdown: the clients are disconnected at once (SIGTERM would wait for them).
    const bool stopped = ServerProcess::stop(server.get(), SIGINT, 15000);
    server.reset();
    return stopped;
}

#endif
