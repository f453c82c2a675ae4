// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The Qt Quick demo: a window that hosts a Socket.IO chat server (QML module QtSocketIo) and its web page.
// Usage: quickdemo [port] [web folder]   (defaults: 3000, the "web" folder next to the binary)
// Without a display (no DISPLAY or WAYLAND_DISPLAY, QT_QPA_PLATFORM unset) it runs headless on the
// offscreen platform. Lines typed on stdin are sent to the browsers as if typed in the window; lines
// starting with "/" are commands: /list (the socket ids the window shows), /stats (the events in and out
// the inspector counted so far, as of its last rate tick), /screenshot <file.png>, /quit.
#include <QtCore/qdir.h>
#include <QtCore/qfileinfo.h>
#include <QtCore/qsocketnotifier.h>
#include <QtCore/qtextstream.h>
#include <QtGui/qguiapplication.h>
#include <QtGui/qimage.h>
#include <QtQml/qqmlapplicationengine.h>
#include <QtQuick/qquickwindow.h>
#include <QtQuickControls2/qquickstyle.h>

#include <csignal>
#include <cstdio>
#include <unistd.h>

// Lines for stdout, flushed at once (the tests read them): the window's `output` property.
class DemoOutput : public QObject
{
    Q_OBJECT
public:
    Q_INVOKABLE void print(const QString &line)
    {
        std::fputs(qPrintable(line), stdout);
        std::fputc('\n', stdout);
        std::fflush(stdout);
    }
};

int main(int argc, char **argv)
{
    const bool headless = qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
            && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
    if (headless)
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    app.setApplicationName(QStringLiteral("QtSocketIo demo"));
    // A real Qt Quick Controls style, not the bare Basic look: Material (Debian's qml6-module-qtquick-controls
    // ships it, with Fusion, Universal and Imagine). QT_QUICK_CONTROLS_STYLE picks another one.
    if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_STYLE"))
        QQuickStyle::setStyle(QStringLiteral("Material"));
    // Ctrl+C / SIGTERM: quit the event loop so that the server closes its connections cleanly. The handler
    // only writes to a pipe (async-signal-safe); the event loop reads it.
    static int signalPipe[2] = {-1, -1};
    if (::pipe(signalPipe) == 0) {
        auto handler = [](int) {
            const char byte = 1;
            [[maybe_unused]] const ssize_t n = ::write(signalPipe[1], &byte, 1);
        };
        std::signal(SIGINT, handler);
        std::signal(SIGTERM, handler);
    }
    QSocketNotifier signalNotifier(signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &app, [] { QCoreApplication::quit(); });

    const QStringList args = app.arguments();
    const int port = args.value(1, QStringLiteral("3000")).toInt();
    const QString web = args.value(2, app.applicationDirPath() + QStringLiteral("/web"));
    DemoOutput out;
    if (headless) {
        out.print(QStringLiteral("No display found (DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM are unset): "
                                 "running headless on the offscreen platform. Chat from a browser; lines "
                                 "typed here are sent as the Qt side's messages."));
    }

    QQmlApplicationEngine engine;
#ifdef QUICKDEMO_IMPORT_PATH
    if (QFileInfo::exists(QStringLiteral(QUICKDEMO_IMPORT_PATH "/QtSocketIo/qmldir")))
        engine.addImportPath(QStringLiteral(QUICKDEMO_IMPORT_PATH));
#endif
    engine.setInitialProperties({
            {QStringLiteral("serverPort"), port},
            {QStringLiteral("webRoot"), QUrl::fromLocalFile(QDir(web).absolutePath())},
            {QStringLiteral("headless"), headless},
            {QStringLiteral("output"), QVariant::fromValue<QObject *>(&out)},
    });
    QObject::connect(&engine, &QQmlApplicationEngine::objectCreated, &app, [](QObject *object, const QUrl &) {
        if (!object)
            QCoreApplication::exit(1);
    }, Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/QuickDemo/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());

    // stdin: chat lines and commands.
    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QByteArray pending;
    QObject::connect(&input, &QSocketNotifier::activated, &app, [&] {
        char buffer[4096];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n <= 0) {
            input.setEnabled(false);  // end of input (or none): the window goes on
            return;
        }
        pending.append(buffer, n);
        qsizetype end;
        while ((end = pending.indexOf('\n')) >= 0) {
            const QString line = QString::fromUtf8(pending.left(end)).trimmed();
            pending.remove(0, end + 1);
            if (line.isEmpty())
                continue;
            if (line == QLatin1String("/quit")) {
                QCoreApplication::quit();
            } else if (line.startsWith(QLatin1String("/screenshot ")) && window) {
                const QString file = line.mid(12).trimmed();
                const QImage image = window->grabWindow();
                out.print((image.save(file) ? QStringLiteral("SCREENSHOT ") : QStringLiteral("SCREENSHOT-FAILED "))
                          + file + QStringLiteral(" %1x%2").arg(image.width()).arg(image.height()));
            } else {
                QMetaObject::invokeMethod(window, "command", Q_ARG(QVariant, line));
            }
        }
    });
    return app.exec();
}

#include "main.moc"
