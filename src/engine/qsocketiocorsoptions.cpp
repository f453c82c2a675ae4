// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include <QtSocketIo/qsocketiocorsoptions.h>

/*!
    \class QSocketIoCorsOptions
    \inmodule QtSocketIo
    \brief Cross-origin resource sharing rules for the HTTP long-polling transport.
*/

class QSocketIoCorsOptionsPrivate : public QSharedData
{
public:
    QStringList origins;
    bool reflect = false;
    std::function<bool(const QString &)> predicate;
    QStringList methods = {QStringLiteral("GET"), QStringLiteral("HEAD"), QStringLiteral("PUT"),
                           QStringLiteral("PATCH"), QStringLiteral("POST"), QStringLiteral("DELETE")};
    QStringList allowedHeaders;
    QStringList exposedHeaders;
    bool credentials = false;
    int maxAge = -1;
};

QSocketIoCorsOptions::QSocketIoCorsOptions() : d(new QSocketIoCorsOptionsPrivate) {}
QSocketIoCorsOptions::QSocketIoCorsOptions(const QSocketIoCorsOptions &other) = default;
QSocketIoCorsOptions::QSocketIoCorsOptions(QSocketIoCorsOptions &&other) noexcept = default;
QSocketIoCorsOptions &QSocketIoCorsOptions::operator=(const QSocketIoCorsOptions &other) = default;
QSocketIoCorsOptions::~QSocketIoCorsOptions() = default;

bool QSocketIoCorsOptions::isEnabled() const { return !d->origins.isEmpty() || d->reflect || d->predicate; }
void QSocketIoCorsOptions::setAllowedOrigins(const QStringList &origins) { d->origins = origins; }
QStringList QSocketIoCorsOptions::allowedOrigins() const { return d->origins; }
void QSocketIoCorsOptions::setReflectOrigin(bool reflect) { d->reflect = reflect; }
bool QSocketIoCorsOptions::reflectOrigin() const { return d->reflect; }
void QSocketIoCorsOptions::setOriginPredicate(const std::function<bool(const QString &)> &predicate) { d->predicate = predicate; }
std::function<bool(const QString &)> QSocketIoCorsOptions::originPredicate() const { return d->predicate; }
void QSocketIoCorsOptions::setMethods(const QStringList &methods) { d->methods = methods; }
QStringList QSocketIoCorsOptions::methods() const { return d->methods; }
void QSocketIoCorsOptions::setAllowedHeaders(const QStringList &headers) { d->allowedHeaders = headers; }
QStringList QSocketIoCorsOptions::allowedHeaders() const { return d->allowedHeaders; }
void QSocketIoCorsOptions::setExposedHeaders(const QStringList &headers) { d->exposedHeaders = headers; }
QStringList QSocketIoCorsOptions::exposedHeaders() const { return d->exposedHeaders; }
void QSocketIoCorsOptions::setCredentials(bool credentials) { d->credentials = credentials; }
bool QSocketIoCorsOptions::credentials() const { return d->credentials; }
void QSocketIoCorsOptions::setMaxAge(int seconds) { d->maxAge = seconds; }
int QSocketIoCorsOptions::maxAge() const { return d->maxAge; }
