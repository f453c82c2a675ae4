#!/usr/bin/env python3
# Writes a small qdoc index of the Qt classes and types QtSocketIo's API uses, pointing at Qt's online
# documentation (https://doc.qt.io/qt-6/), for machines without Qt's own index files (Debian 12 packages none
# for Qt 6). With it, QObject, QString, QVariantMap... in signatures and \l links go to Qt's pages.
#   qt-links.py <output .index file>
import sys
from xml.sax.saxutils import quoteattr

CLASSES = '''QAbstractListModel QByteArray QByteArrayView QDataStream QDateTime QHash QHostAddress QJSEngine QJSValue
QList QLoggingCategory QMap QMetaObject QObject QPair QPointer QQmlListProperty QRegularExpression
QSharedDataPointer QExplicitlySharedDataPointer QSocketNotifier QSqlDatabase QSslCertificate QSslConfiguration
QSslKey QSslServer QString QStringList QTcpServer QThread QTimer QUrl QVariant QWebSocket QWebSocketServer'''.split()
TYPEDEFS = {  # typedef -> page#anchor
    'QVariantList': 'qvariant.html#QVariantList-typedef',
    'QVariantMap': 'qvariant.html#QVariantMap-typedef',
    'QVariantHash': 'qvariant.html#QVariantHash-typedef',
    'qint64': 'qttypes.html#qint64-typedef',
    'quint16': 'qttypes.html#quint16-typedef',
    'qsizetype': 'qttypes.html#qsizetype-typedef',
}
lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE QDOCINDEX>',
         '<INDEX url="https://doc.qt.io/qt-6" title="Qt links for QtSocketIo" version="6" project="QtLinks"'
         ' indexTitle="Qt">',
         '    <namespace name="" status="active" access="public" module="qtlinks">']
for c in CLASSES:
    lines.append('        <class name=%s href=%s status="active" access="public" location=%s documented="true"'
                 ' module="QtLinks" brief=""/>' % (quoteattr(c), quoteattr(c.lower() + '.html'),
                                                   quoteattr(c.lower() + '.h')))
for t, href in TYPEDEFS.items():
    lines.append('        <typedef name=%s href=%s status="active" access="public" location="qglobal.h"'
                 ' documented="true"/>' % (quoteattr(t), quoteattr(href)))
lines += ['    </namespace>', '</INDEX>', '']
open(sys.argv[1], 'w').write('\n'.join(lines))
