// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "spawnedprocess.h"

#include <QtCore/qdeadlinetimer.h>
#include <QtCore/qfile.h>
#include <QtCore/qsocketnotifier.h>
#include <QtCore/qtimer.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <utility>
#include <vector>

extern char **environ;

namespace {

// Owns the argument or environment strings and the NULL-terminated array posix_spawn() takes.
struct CStrings
{
    std::vector<QByteArray> strings;
    std::vector<char *> pointers;
    void append(const QByteArray &s) { strings.push_back(s); }
    char **data()
    {
        pointers.clear();
        for (const QByteArray &s : strings)
            pointers.push_back(const_cast<char *>(s.constData()));   // posix_spawn() writes none of them
        pointers.push_back(nullptr);
        return pointers.data();
    }
};

void closeFd(int &fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

} // namespace

SpawnedProcess::SpawnedProcess(QObject *parent) : QObject(parent)
{
    // A write to the standard input of a child that has just exited must fail with EPIPE, not end the test (Qt Test
    // handles SIGPIPE as a crash): ignored, as Qt's own sockets and QProcess do (qt_ignore_sigpipe()).
    ::signal(SIGPIPE, SIG_IGN);
}

SpawnedProcess::~SpawnedProcess()
{
    closeInput();
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        const QSignalBlocker blocker(this);
        reap(true);
    }
    closeOutput();
}

bool SpawnedProcess::start(const QString &program, const QStringList &arguments, Output output)
{
    if (m_pid > 0) {
        m_error = QStringLiteral("already running");
        return false;
    }
    m_error.clear();
    m_input.clear();
    m_output.clear();
    m_closeInputWhenWritten = false;
    m_exitCode = -1;
    m_exitSignal = 0;

    int in[2] = {-1, -1};
    int out[2] = {-1, -1};
    if (::pipe2(in, O_CLOEXEC) != 0 || (output != Output::Inherited && ::pipe2(out, O_CLOEXEC) != 0)) {
        m_error = QString::fromLocal8Bit(::strerror(errno));
        for (int &fd : in)
            closeFd(fd);
        return false;
    }

    // The child's ends become its 0, 1 (and 2); the originals close on exec (O_CLOEXEC), as do the test's own fds.
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
    if (output != Output::Inherited)
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    if (output == Output::Merged)
        posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
    const QByteArray directory = QFile::encodeName(m_workingDirectory);
    if (!directory.isEmpty())
        posix_spawn_file_actions_addchdir_np(&actions, directory.constData());

    // Default dispositions and an empty mask in the child, whatever the test ignores or blocks (SIGPIPE above).
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    CStrings argv;
    argv.append(QFile::encodeName(program));
    for (const QString &argument : arguments)
        argv.append(argument.toLocal8Bit());
    CStrings envp;
    QList<QByteArray> extra;
    for (const QString &variable : std::as_const(m_extraEnvironment))
        extra.append(variable.toLocal8Bit());
    for (char **e = environ; *e; ++e) {
        const QByteArray variable(*e);
        const QByteArray name = variable.left(variable.indexOf('=') + 1);
        bool replaced = false;
        for (const QByteArray &x : std::as_const(extra))
            replaced = replaced || x.startsWith(name);
        if (!replaced)
            envp.append(variable);
    }
    for (const QByteArray &x : std::as_const(extra))
        envp.append(x);

    pid_t pid = 0;
    const int result = ::posix_spawnp(&pid, argv.strings.front().constData(), &actions, &attributes, argv.data(),
                                      envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(in[0]);
    if (out[1] >= 0)
        ::close(out[1]);
    if (result != 0) {
        ::close(in[1]);
        if (out[0] >= 0)
            ::close(out[0]);
        m_error = program + QStringLiteral(": ") + QString::fromLocal8Bit(::strerror(result));
        return false;
    }
    m_pid = pid;
    m_stdin = in[1];
    m_stdout = out[0];
    ::fcntl(m_stdin, F_SETFL, ::fcntl(m_stdin, F_GETFL) | O_NONBLOCK);
    m_inputNotifier = new QSocketNotifier(m_stdin, QSocketNotifier::Write, this);
    m_inputNotifier->setEnabled(false);
    connect(m_inputNotifier, &QSocketNotifier::activated, this, &SpawnedProcess::writeInput);
    if (m_stdout >= 0) {
        ::fcntl(m_stdout, F_SETFL, ::fcntl(m_stdout, F_GETFL) | O_NONBLOCK);
        m_outputNotifier = new QSocketNotifier(m_stdout, QSocketNotifier::Read, this);
        connect(m_outputNotifier, &QSocketNotifier::activated, this, [this] {
            if (readOutput())
                Q_EMIT readyRead();
        });
    }
    // The child's end: polled (waitpid() with WNOHANG), the pipes do not tell when it inherited none of them.
    m_reaper = new QTimer(this);
    m_reaper->setInterval(50);
    connect(m_reaper, &QTimer::timeout, this, [this] { reap(false); });
    m_reaper->start();
    return true;
}

void SpawnedProcess::write(const QByteArray &data)
{
    if (m_stdin < 0 || m_closeInputWhenWritten)
        return;
    m_input += data;
    writeInput();
}

void SpawnedProcess::closeWriteChannel()
{
    m_closeInputWhenWritten = true;
    if (m_input.isEmpty())
        closeInput();
}

void SpawnedProcess::writeInput()
{
    while (m_stdin >= 0 && !m_input.isEmpty()) {
        const ssize_t n = ::write(m_stdin, m_input.constData(), size_t(m_input.size()));
        if (n > 0) {
            m_input.remove(0, n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            m_inputNotifier->setEnabled(true);
            return;
        } else {   // EPIPE: the child closed its standard input or ended
            m_input.clear();
            closeInput();
            return;
        }
    }
    if (m_inputNotifier)
        m_inputNotifier->setEnabled(false);
    if (m_closeInputWhenWritten)
        closeInput();
}

bool SpawnedProcess::readOutput()
{
    bool some = false;
    char buffer[16384];
    while (m_stdout >= 0) {
        const ssize_t n = ::read(m_stdout, buffer, sizeof buffer);
        if (n > 0) {
            m_output.append(buffer, n);
            some = true;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            break;
        } else {   // end of file: the child and whatever inherited the pipe closed it
            closeOutput();
        }
    }
    return some;
}

QByteArray SpawnedProcess::readAll()
{
    return std::exchange(m_output, QByteArray());
}

bool SpawnedProcess::waitForReadyRead(int timeout)
{
    const QDeadlineTimer deadline(timeout);
    while (m_stdout >= 0) {
        pollfd fd = {m_stdout, POLLIN, 0};
        const int remaining = int(qMin<qint64>(deadline.remainingTime(), 50));
        ::poll(&fd, 1, remaining);
        if (readOutput()) {
            Q_EMIT readyRead();
            return true;
        }
        if (deadline.hasExpired())
            return false;
    }
    return false;
}

bool SpawnedProcess::waitForFinished(int timeout)
{
    const QDeadlineTimer deadline(timeout);
    while (m_pid > 0) {
        // Keep the pipes moving, so that a child blocked on a full one can get to its end.
        pollfd fds[2];
        nfds_t count = 0;
        if (m_stdout >= 0)
            fds[count++] = {m_stdout, POLLIN, 0};
        if (m_stdin >= 0 && !m_input.isEmpty())
            fds[count++] = {m_stdin, POLLOUT, 0};
        ::poll(fds, count, int(qMin<qint64>(deadline.remainingTime(), 10)));
        if (readOutput())
            Q_EMIT readyRead();
        writeInput();
        if (reap(false))
            return true;
        if (deadline.hasExpired())
            return false;
    }
    return true;
}

bool SpawnedProcess::reap(bool block)
{
    if (m_pid <= 0)
        return true;
    int status = 0;
    pid_t result;
    do {
        result = ::waitpid(m_pid, &status, block ? 0 : WNOHANG);
    } while (result < 0 && errno == EINTR);
    if (result == 0)
        return false;
    m_pid = 0;
    if (m_reaper) {
        m_reaper->stop();
        m_reaper->deleteLater();
        m_reaper = nullptr;
    }
    if (result > 0 && WIFEXITED(status)) {
        m_exitCode = WEXITSTATUS(status);
    } else {
        m_exitCode = -1;
        m_exitSignal = result > 0 && WIFSIGNALED(status) ? WTERMSIG(status) : SIGKILL;
    }
    closeInput();
    // What it wrote last (the pipe may stay open in a descendant: read what is there, do not wait for its end).
    if (readOutput())
        Q_EMIT readyRead();
    Q_EMIT finished(m_exitCode, crashed());
    return true;
}

void SpawnedProcess::closeInput()
{
    if (m_inputNotifier) {
        m_inputNotifier->setEnabled(false);
        m_inputNotifier->deleteLater();
        m_inputNotifier = nullptr;
    }
    closeFd(m_stdin);
}

void SpawnedProcess::closeOutput()
{
    if (m_outputNotifier) {
        m_outputNotifier->setEnabled(false);
        m_outputNotifier->deleteLater();
        m_outputNotifier = nullptr;
    }
    closeFd(m_stdout);
}

void SpawnedProcess::sendSignal(int signal)
{
    if (m_pid > 0)
        ::kill(m_pid, signal);
}

void SpawnedProcess::terminate()
{
    sendSignal(SIGTERM);
}

void SpawnedProcess::kill()
{
    sendSignal(SIGKILL);
}
