// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef SPAWNEDPROCESS_H
#define SPAWNEDPROCESS_H

// A child process for tests, started with posix_spawn(), for the tests that must also run under ThreadSanitizer.
// QProcess (Qt 6.4, forkfd) starts children with clone(CLONE_VM | CLONE_VFORK | CLONE_PIDFD) through libc's clone(),
// which clang 14's TSan runtime intercepts: the child runs TSan's after-fork code in the parent's memory, and the
// parent then aborts ("CHECK failed: tsan_rtl.cpp:234" in ForkAfter). glibc's posix_spawn() clones inside libc
// (TSan's interceptor only checks its arguments), and the child only makes system calls until it runs the program.
//
// What the tests need of QProcess and no more: the standard input through a pipe (write(), closeWriteChannel()),
// the standard output (optionally with the standard error merged into it) through a pipe read by a
// QSocketNotifier (readyRead(), readAll(), waitForReadyRead()), or both inherited; the process's own PID
// (processId(), sendSignal(), terminate(), kill()) and its end (finished(), waitForFinished(), bounded). The
// destructor kills a child still running (SIGKILL, its own PID) and reaps it.

#include <QtCore/qbytearray.h>
#include <QtCore/qobject.h>
#include <QtCore/qstring.h>
#include <QtCore/qstringlist.h>

#include <sys/types.h>

QT_BEGIN_NAMESPACE
class QSocketNotifier;
class QTimer;
QT_END_NAMESPACE

class SpawnedProcess : public QObject
{
    Q_OBJECT
public:
    enum class Output {
        Inherited,   // the child writes to the test's own standard output and error
        Stdout,      // its standard output comes through readAll(), its standard error is the test's
        Merged,      // its standard output and error both come through readAll()
    };

    explicit SpawnedProcess(QObject *parent = nullptr);
    ~SpawnedProcess() override;

    // Before start(): the child's working directory (default: the test's), and extra environment variables
    // ("NAME=value", added to or replacing the test's own).
    void setWorkingDirectory(const QString &directory) { m_workingDirectory = directory; }
    void setExtraEnvironment(const QStringList &variables) { m_extraEnvironment = variables; }

    // Runs program (searched in PATH when it has no '/'); false with errorString() when it could not be run.
    bool start(const QString &program, const QStringList &arguments, Output output = Output::Stdout);
    QString errorString() const { return m_error; }
    bool isRunning() const { return m_pid > 0; }
    qint64 processId() const { return m_pid; }

    // Queued for the child's standard input (without blocking); closeWriteChannel() closes it once all is written.
    void write(const QByteArray &data);
    void closeWriteChannel();

    QByteArray readAll();
    // Waits at most timeout ms for more output (or for the child's end); true when some came.
    bool waitForReadyRead(int timeout);
    // Waits at most timeout ms for the child to end, reading its output meanwhile; true when it has ended.
    bool waitForFinished(int timeout);

    void sendSignal(int signal);
    void terminate();
    void kill();

    // After finished(): the exit code, or -1 and crashed() when a signal ended it (exitSignal()).
    int exitCode() const { return m_exitCode; }
    bool crashed() const { return m_exitSignal != 0; }
    int exitSignal() const { return m_exitSignal; }

Q_SIGNALS:
    void readyRead();
    void finished(int exitCode, bool crashed);

private:
    bool readOutput();        // reads what is there without blocking; true when some came
    void writeInput();        // writes what is queued without blocking
    bool reap(bool block);    // waitpid(); true when the child has ended (then finished() was emitted)
    void closeInput();
    void closeOutput();

    QString m_workingDirectory;
    QStringList m_extraEnvironment;
    QString m_error;
    pid_t m_pid = 0;
    int m_stdin = -1;
    int m_stdout = -1;
    bool m_closeInputWhenWritten = false;
    QByteArray m_input;
    QByteArray m_output;
    QSocketNotifier *m_inputNotifier = nullptr;
    QSocketNotifier *m_outputNotifier = nullptr;
    QTimer *m_reaper = nullptr;
    int m_exitCode = -1;
    int m_exitSignal = 0;
};

#endif
