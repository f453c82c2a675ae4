// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOADMINUI_H
#define QSOCKETIOADMINUI_H

#include <QtSocketIo/qtsocketioglobal.h>

#include <QtCore/qobject.h>
#include <QtCore/qstring.h>

#include <memory>

class QSocketIoServer;
class QSocketIoAdminUiPrivate;

// The server side of the Socket.IO Admin UI (@socket.io/admin-ui 0.5, Node's instrument()): the admin namespace
// with the server's stats, sockets, rooms and events, and the UI's commands. Set the options, then instrument().
class QTSOCKETIO_EXPORT QSocketIoAdminUi : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString namespaceName READ namespaceName WRITE setNamespaceName NOTIFY namespaceNameChanged)
    Q_PROPERTY(Mode mode READ mode WRITE setMode NOTIFY modeChanged)
    Q_PROPERTY(bool readonly READ isReadonly WRITE setReadonly NOTIFY readonlyChanged)
    Q_PROPERTY(QString serverId READ serverId WRITE setServerId NOTIFY serverIdChanged)
    Q_PROPERTY(int statsInterval READ statsInterval WRITE setStatsInterval NOTIFY statsIntervalChanged)
    Q_PROPERTY(bool instrumented READ isInstrumented NOTIFY instrumentedChanged)
public:
    enum class Mode { Development, Production };
    Q_ENUM(Mode)

    explicit QSocketIoAdminUi(QObject *parent = nullptr);
    ~QSocketIoAdminUi() override;

    QString namespaceName() const;
    void setNamespaceName(const QString &name);
    Mode mode() const;
    void setMode(Mode mode);
    bool isReadonly() const;
    void setReadonly(bool readonly);
    QString serverId() const;
    void setServerId(const QString &id);
    int statsInterval() const;
    void setStatsInterval(int milliseconds);

    // Basic authentication: the UI's user name and a bcrypt hash of its password ("$2b$10$..."). Returns false
    // (and changes nothing) when the hash is not a bcrypt hash. Without it there is no authentication.
    bool setBasicAuth(const QString &username, const QByteArray &bcryptHash);
    void clearAuth();
    bool hasAuth() const;
    // Whether password matches bcryptHash (libcrypt's crypt_rn()); false for anything that is not a bcrypt hash.
    static bool verifyPassword(const QByteArray &password, const QByteArray &bcryptHash);

    // Serves the admin namespace on server with the options set so far. Once per object; false with
    // errorString() when already instrumented or when server is null.
    bool instrument(QSocketIoServer *server);
    bool isInstrumented() const;
    QSocketIoServer *server() const;
    QString errorString() const;

Q_SIGNALS:
    void namespaceNameChanged();
    void modeChanged();
    void readonlyChanged();
    void serverIdChanged();
    void statsIntervalChanged();
    void instrumentedChanged();

private:
    Q_DECLARE_PRIVATE(QSocketIoAdminUi)
    Q_DISABLE_COPY(QSocketIoAdminUi)
    std::unique_ptr<QSocketIoAdminUiPrivate> d_ptr;
};

#endif
