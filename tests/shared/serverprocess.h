// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef SERVERPROCESS_H
#define SERVERPROCESS_H

// What the server fixtures (redisfixture.h, postgresfixture.h) share: a loopback port that was free a moment
// ago, starting a server process until it says it is ready, and stopping it by its own PID. Header-only, Qt only.

#include <QtCore/qdeadlinetimer.h>
#include <QtCore/qprocess.h>
#include <QtCore/qstring.h>
#include <QtNetwork/qtcpserver.h>

#include <signal.h>

namespace ServerProcess {

inline quint16 freeLoopbackPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// Starts program (stdout and stderr merged) and waits at most timeout ms until its output holds ready.
inline bool start(QProcess *process, const QString &program, const QStringList &arguments, const QByteArray &ready,
                  int timeout, QString *error)
{
    process->setProcessChannelMode(QProcess::MergedChannels);
    process->start(program, arguments);
    QByteArray output;
    QDeadlineTimer deadline(timeout);
    while (!output.contains(ready)) {
        if (deadline.hasExpired() || process->state() == QProcess::NotRunning) {
            *error = program + QStringLiteral(" did not start: ") + QString::fromLocal8Bit(output + process->readAll());
            return false;
        }
        process->waitForReadyRead(100);
        output += process->readAll();
    }
    return true;
}

// Sends signal to the process's own PID, waits at most timeout ms, then kills it; true when it stopped by itself.
inline bool stop(QProcess *process, int signal, int timeout)
{
    if (process->state() == QProcess::NotRunning)
        return true;
    ::kill(pid_t(process->processId()), signal);
    const bool stopped = process->waitForFinished(timeout);
    if (!stopped) {
        process->kill();
        process->waitForFinished(5000);
    }
    return stopped;
}

} // namespace ServerProcess

#endif
