// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef MODELTESTER_H
#define MODELTESTER_H

#include <QtCore/qabstractitemmodel.h>
#include <QtCore/qobject.h>
#include <QtCore/qpointer.h>
#include <QtQml/qqml.h>
#include <QtTest/qabstractitemmodeltester.h>

#include <memory>

// Test helper, QML type ModelTester (import QtSocketIo.Test): runs QAbstractItemModelTester on `model` for
// as long as it is set. A broken model contract (bad row counts, signals out of order, invalid data) is
// fatal: the test process aborts, so the CTest test fails. `checks` counts the model changes it watched.
class ModelTester : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QAbstractItemModel *model READ model WRITE setModel NOTIFY modelChanged)
    Q_PROPERTY(int changes READ changes NOTIFY changesChanged)
public:
    using QObject::QObject;
    QAbstractItemModel *model() const { return m_model; }
    void setModel(QAbstractItemModel *model)
    {
        if (model == m_model)
            return;
        m_tester.reset();
        if (m_model)
            disconnect(m_model, nullptr, this, nullptr);
        m_model = model;
        if (model) {
            m_tester = std::make_unique<QAbstractItemModelTester>(
                    model, QAbstractItemModelTester::FailureReportingMode::Fatal);
            const auto count = [this] { ++m_changes; Q_EMIT changesChanged(); };
            connect(model, &QAbstractItemModel::rowsInserted, this, count);
            connect(model, &QAbstractItemModel::rowsRemoved, this, count);
            connect(model, &QAbstractItemModel::dataChanged, this, count);
            connect(model, &QAbstractItemModel::modelReset, this, count);
        }
        Q_EMIT modelChanged();
    }
    int changes() const { return m_changes; }

Q_SIGNALS:
    void modelChanged();
    void changesChanged();

private:
    QPointer<QAbstractItemModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    int m_changes = 0;
};

#endif
