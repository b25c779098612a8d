// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace slipway::gui {

class RolloutModel;
class RolloutPodsView;
class RolloutTimelineChart;

/// The rollout of one Deployment: a Deployment chooser, its state (stuck in red, with the
/// reason), its strategy in words, the revision history, the pods of each revision, the
/// replica timeline, and the commands (Set image, Scale, Pause, Resume, Restart, Undo to
/// revision N). It shows its RolloutModel and hands commands to it; nothing else.
class RolloutPage : public QWidget {
    Q_OBJECT

public:
    explicit RolloutPage(RolloutModel* model, QWidget* parent = nullptr);

    QComboBox* deploymentBox() const { return m_deploymentBox; }
    QLabel* stateLabel() const { return m_state; }
    QLabel* strategyLabel() const { return m_strategy; }
    QTableView* revisionsView() const { return m_revisions; }
    RolloutTimelineChart* chart() const { return m_chart; }
    QPushButton* undoButton() const { return m_undo; }
    QLabel* messageLabel() const { return m_message; }

public slots:
    /// A line about the connection ("Connecting…", an error).
    void setConnectionStatus(const QString& text, bool isError);

private:
    void updateDeploymentChoices();
    void updateState();
    void chooseDeployment();
    void setImage();
    void scale();
    void undo();
    long long selectedRevision() const;

    RolloutModel* m_model;
    QComboBox* m_deploymentBox;
    QLabel* m_status;
    QLabel* m_state;
    QLabel* m_stuck;
    QLabel* m_strategy;
    QTableView* m_revisions;
    RolloutPodsView* m_pods;
    RolloutTimelineChart* m_chart;
    QPushButton* m_setImage;
    QPushButton* m_scale;
    QPushButton* m_pause;
    QPushButton* m_resume;
    QPushButton* m_restart;
    QPushButton* m_undo;
    QLabel* m_message;
};

}  // namespace slipway::gui
