// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QUITONSIGNAL_H
#define QUITONSIGNAL_H

// Turns SIGTERM and SIGINT into a call of `onSignal` in the event loop (the self-pipe trick), so that a test
// server stopped by its PID closes its connections cleanly before it exits.

#include <QtCore/qobject.h>
#include <QtCore/qsocketnotifier.h>

#include <csignal>
#include <functional>
#include <unistd.h>

namespace QuitOnSignal {

inline int &writeEnd()
{
    static int fd = -1;
    return fd;
}

inline void install(QObject *context, const std::function<void()> &onSignal)
{
    int fds[2];
    if (::pipe(fds) != 0)
        return;
    writeEnd() = fds[1];
    auto *notifier = new QSocketNotifier(fds[0], QSocketNotifier::Read, context);
    QObject::connect(notifier, &QSocketNotifier::activated, context, [notifier, onSignal] {
        char c;
        if (::read(int(notifier->socket()), &c, 1) > 0) {
            notifier->setEnabled(false);
            onSignal();
        }
    });
    struct sigaction action = {};
    action.sa_handler = [](int) {
        const char c = 1;
        [[maybe_unused]] auto n = ::write(writeEnd(), &c, 1);
    };
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
}

} // namespace QuitOnSignal

#endif
