// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef QENGINEIOSTATICFILES_P_H
#define QENGINEIOSTATICFILES_P_H

//
//  W A R N I N G
//  -------------
// This file is not part of the QtSocketIo API. It may change from version to version.
//

#include <QtCore/qstring.h>

class QEngineIoHttpConnection;
struct QHttpRequest;

// Serves the files under one folder for the GET requests that the Engine.IO path does not take (the server's
// documentRoot): a fallback of QEngineIoServerPrivate. Nothing outside the folder is reachable.
class QEngineIoStaticFiles
{
public:
    QString root() const { return m_root; }
    void setRoot(const QString &directory) { m_root = directory; }

    // Answers the request when it names a readable file under the root (a folder: its index.html); returns
    // false, having sent nothing, otherwise.
    bool serve(QEngineIoHttpConnection *connection, const QHttpRequest &request) const;

private:
    QString m_root;   // empty: serves nothing
};

#endif
