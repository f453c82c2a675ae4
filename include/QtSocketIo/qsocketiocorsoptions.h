// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QSOCKETIOCORSOPTIONS_H
#define QSOCKETIOCORSOPTIONS_H

#include <QtSocketIo/qtsocketioglobal.h>

#include <QtCore/qshareddata.h>
#include <QtCore/qstringlist.h>

#include <functional>

class QSocketIoCorsOptionsPrivate;

// Cross-origin rules for the HTTP long-polling transport (browsers apply CORS to XHR/fetch, not to
// WebSocket). Off until an origin rule is set. Mirrors the `cors` option of the Node.js server.
class QTSOCKETIO_EXPORT QSocketIoCorsOptions
{
public:
    QSocketIoCorsOptions();
    QSocketIoCorsOptions(const QSocketIoCorsOptions &other);
    QSocketIoCorsOptions &operator=(const QSocketIoCorsOptions &other);
    // A moved-from object may only be assigned to or destroyed.
    QSocketIoCorsOptions(QSocketIoCorsOptions &&other) noexcept;
    QT_MOVE_ASSIGNMENT_OPERATOR_IMPL_VIA_PURE_SWAP(QSocketIoCorsOptions)
    ~QSocketIoCorsOptions();

    void swap(QSocketIoCorsOptions &other) noexcept { d.swap(other.d); }

    bool isEnabled() const;

    // Origins allowed, e.g. {"https://example.com"}; {"*"} allows any origin with a literal "*".
    void setAllowedOrigins(const QStringList &origins);
    QStringList allowedOrigins() const;
    // Any origin, echoed back (works with credentials, unlike "*").
    void setReflectOrigin(bool reflect);
    bool reflectOrigin() const;
    // Decides per origin; consulted after allowedOrigins().
    void setOriginPredicate(const std::function<bool(const QString &origin)> &predicate);
    std::function<bool(const QString &origin)> originPredicate() const;

    // Default: GET, HEAD, PUT, PATCH, POST, DELETE.
    void setMethods(const QStringList &methods);
    QStringList methods() const;
    // Empty (the default): the preflight's Access-Control-Request-Headers are echoed.
    void setAllowedHeaders(const QStringList &headers);
    QStringList allowedHeaders() const;
    void setExposedHeaders(const QStringList &headers);
    QStringList exposedHeaders() const;
    void setCredentials(bool credentials);
    bool credentials() const;
    // Seconds; -1 (the default) sends no Access-Control-Max-Age.
    void setMaxAge(int seconds);
    int maxAge() const;

private:
    QSharedDataPointer<QSocketIoCorsOptionsPrivate> d;
};

Q_DECLARE_SHARED(QSocketIoCorsOptions)

#endif
