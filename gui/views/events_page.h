// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace slipway::gui {

class EventFilterModel;
class EventModel;

/// The cluster's event stream: filters (namespace, kind, type, text), the events newest first
/// with warnings marked, and below them the selected event's message with what it means in
/// plain words.
class EventsPage : public QWidget {
    Q_OBJECT

public:
    explicit EventsPage(EventModel* model, QWidget* parent = nullptr);

    EventFilterModel* filterModel() const { return m_filter; }
    QComboBox* namespaceBox() const { return m_namespaceBox; }
    QComboBox* kindBox() const { return m_kindBox; }
    QComboBox* typeBox() const { return m_typeBox; }
    QLineEdit* searchEdit() const { return m_searchEdit; }
    QTableView* tableView() const { return m_table; }
    QLabel* explanationLabel() const { return m_explanation; }

public slots:
    void setConnectionStatus(const QString& text, bool isError);

private:
    void updateChoices();
    void showSelected();

    EventModel* m_model;
    EventFilterModel* m_filter;
    QComboBox* m_namespaceBox;
    QComboBox* m_kindBox;
    QComboBox* m_typeBox;
    QLineEdit* m_searchEdit;
    QLabel* m_status;
    QTableView* m_table;
    QLabel* m_explanation;
};

}  // namespace slipway::gui
