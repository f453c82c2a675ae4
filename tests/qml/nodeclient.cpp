// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "nodeclient.h"

#include <QtCore/qjsonarray.h>
#include <QtCore/qjsondocument.h>
#include <QtCore/qjsonobject.h>

namespace {

// {"$bin": base64} <-> QByteArray, recursively.
QJsonValue encode(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QByteArray:
        return QJsonObject{{QStringLiteral("$bin"), QString::fromLatin1(value.toByteArray().toBase64())}};
    case QMetaType::QVariantList: {
        QJsonArray array;
        const QVariantList list = value.toList();
        for (const QVariant &item : list)
            array.append(encode(item));
        return array;
    }
    case QMetaType::QVariantMap: {
        QJsonObject object;
        const QVariantMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            object.insert(it.key(), encode(it.value()));
        return object;
    }
    default:
        return QJsonValue::fromVariant(value);
    }
}

QVariant decode(const QJsonValue &value)
{
    if (value.isArray()) {
        QVariantList list;
        const QJsonArray array = value.toArray();
        for (const QJsonValue &item : array)
            list.append(decode(item));
        return list;
    }
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (object.size() == 1 && object.contains(QStringLiteral("$bin")))
            return QByteArray::fromBase64(object.value(QStringLiteral("$bin")).toString().toLatin1());
        QVariantMap map;
        for (auto it = object.begin(); it != object.end(); ++it)
            map.insert(it.key(), decode(it.value()));
        return map;
    }
    return value.toVariant();
}

} // namespace

NodeClient::NodeClient(QObject *parent) : QObject(parent)
{
    connect(&m_process, &SpawnedProcess::readyRead, this, &NodeClient::readOutput);
    connect(&m_process, &SpawnedProcess::finished, this, [this](int code, bool crashed) {
        if (crashed || code != 0)
            qWarning("NodeClient: the driver exited (code %d, %s)", code, crashed ? "crashed" : "normal");
        if (m_ready) {
            m_ready = false;
            Q_EMIT readyChanged();
        }
    });
}

NodeClient::~NodeClient()
{
    // What the driver says while it stops is no longer anyone's (QML may be tearing down this object's users).
    m_process.disconnect(this);
    stop();
}

void NodeClient::componentComplete()
{
    const QString node = qEnvironmentVariable("QTSOCKETIO_NODE", QStringLiteral("node"));
    const QString driver = qEnvironmentVariable("QTSOCKETIO_CLIENT_DRIVER");
    if (driver.isEmpty()) {
        qWarning("NodeClient: QTSOCKETIO_CLIENT_DRIVER is not set (CTest sets it)");
        return;
    }
    // Commands on its standard input, JSON lines on its standard output, its standard error is the test's.
    if (!m_process.start(node, {driver}, SpawnedProcess::Output::Stdout))
        qWarning("NodeClient: cannot start %s: %s", qPrintable(node), qPrintable(m_process.errorString()));
}

void NodeClient::stop()
{
    if (!m_process.isRunning())
        return;
    // Closing stdin asks the driver to disconnect its clients and exit; then SIGTERM, then SIGKILL.
    m_process.closeWriteChannel();
    if (!m_process.waitForFinished(2000)) {
        m_process.terminate();
        if (!m_process.waitForFinished(2000)) {
            m_process.kill();
            m_process.waitForFinished(2000);
        }
    }
}

void NodeClient::send(const QVariantMap &command)
{
    if (!m_process.isRunning()) {
        qWarning("NodeClient: the driver is not running");
        return;
    }
    m_process.write(QJsonDocument(encode(command).toObject()).toJson(QJsonDocument::Compact) + '\n');
}

void NodeClient::readOutput()
{
    m_buffer += m_process.readAll();
    qsizetype end;
    while ((end = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_buffer.left(end);
        m_buffer.remove(0, end + 1);
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(line, &error);
        if (!document.isObject()) {
            qWarning("NodeClient: not a JSON object from the driver: %s", line.constData());
            continue;
        }
        const QVariantMap message = decode(document.object()).toMap();
        if (message.value(QStringLiteral("type")) == QLatin1String("ready")) {
            m_ready = true;
            Q_EMIT readyChanged();
            continue;
        }
        m_messages.append(message);
        Q_EMIT received(message);
    }
}

QVariantList NodeClient::all(const QString &type, const QString &id) const
{
    QVariantList result;
    for (const QVariant &item : m_messages) {
        const QVariantMap message = item.toMap();
        if (message.value(QStringLiteral("type")).toString() == type
            && (id.isEmpty() || message.value(QStringLiteral("id")).toString() == id))
            result.append(message);
    }
    return result;
}

QVariant NodeClient::last(const QString &type, const QString &id) const
{
    const QVariantList list = all(type, id);
    return list.isEmpty() ? QVariant() : list.last();
}

int NodeClient::count(const QString &type, const QString &id) const
{
    return int(all(type, id).size());
}

void NodeClient::clear()
{
    m_messages.clear();
    Q_EMIT received({});
}
