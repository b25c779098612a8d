// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QWidget>

#include "gui/models/object_details.h"

class QComboBox;
class QLabel;
class QPushButton;
class QLineEdit;
class QPlainTextEdit;
class QTableWidget;
class QTabWidget;

namespace slipway::gui {

class TopologyModel;
class TopologyView;
struct TopologyDelta;

/// The topology page of one cluster: a filter bar (namespace, kind, label selector, search,
/// zoom), the TopologyView, and a side panel with the selected object's YAML, conditions and
/// events. It shows what its model holds; the events of an object it asks for
/// (objectEventsRequested) and is given (setObjectEvents).
class TopologyPage : public QWidget {
    Q_OBJECT

public:
    explicit TopologyPage(TopologyModel* model, QWidget* parent = nullptr);
    ~TopologyPage() override;

    TopologyView* view() const { return m_view; }
    QLineEdit* searchEdit() const { return m_searchEdit; }
    QLineEdit* labelSelectorEdit() const { return m_labelEdit; }
    QComboBox* namespaceBox() const { return m_namespaceBox; }
    QComboBox* kindBox() const { return m_kindBox; }
    QPlainTextEdit* yamlView() const { return m_yaml; }
    QTableWidget* conditionsTable() const { return m_conditions; }
    QTableWidget* eventsTable() const { return m_events; }
    /// "Logs…" beside the selected object's title: enabled for a Pod or a Deployment.
    QPushButton* logsButton() const { return m_logs; }
    QString filterError() const;

public slots:
    /// A line about the connection ("Connecting…", an error) in the filter bar.
    void setConnectionStatus(const QString& text, bool isError);
    /// The answer to objectEventsRequested(`requestId`, ...); stale answers are ignored.
    void setObjectEvents(const QString& requestId, const QList<slipway::gui::EventRow>& events);

signals:
    void objectEventsRequested(const QString& requestId, const QString& kind,
                               const QString& nameSpace, const QString& name);
    /// The user asked for the selected Pod's log, or for those of every pod of the selected
    /// Deployment (`deployment`).
    void logsRequested(const QString& nameSpace, const QString& name, bool deployment);

private:
    void applyFilter();
    void search(bool next);
    void showDetails(const QString& id);
    void onTopologyChanged(const TopologyDelta& delta);
    void updateNamespaceChoices();

    TopologyModel* m_model;
    TopologyView* m_view;
    QComboBox* m_namespaceBox;
    QComboBox* m_kindBox;
    QLineEdit* m_labelEdit;
    QLineEdit* m_searchEdit;
    QLabel* m_filterError;
    QLabel* m_status;
    QLabel* m_detailsTitle;
    QPushButton* m_logs;
    QTabWidget* m_details;
    QPlainTextEdit* m_yaml;
    QTableWidget* m_conditions;
    QTableWidget* m_events;
    QString m_shownId;
    QString m_eventsRequest;
    QStringList m_matches;
    int m_matchIndex = -1;
};

}  // namespace slipway::gui
