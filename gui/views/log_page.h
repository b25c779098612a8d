// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QListView;
class QPushButton;

namespace slipway::gui {

class LogModel;

/// A log viewer: choose a pod or a Deployment, follow its log (every pod of the Deployment,
/// prefixed by pod name, new pods included), keep scrolled to the end unless told not to.
class LogPage : public QWidget {
    Q_OBJECT

public:
    explicit LogPage(LogModel* model, QWidget* parent = nullptr);

    QComboBox* kindBox() const { return m_kindBox; }
    QComboBox* targetBox() const { return m_targetBox; }
    QPushButton* followButton() const { return m_follow; }
    QListView* linesView() const { return m_lines; }

public slots:
    void setConnectionStatus(const QString& text, bool isError);
    /// Follows one Pod, or every pod of a Deployment (`deployment`), as choosing it in the
    /// bar and pressing Follow would; the choice shows in the bar once the cluster lists it.
    void followTarget(const QString& nameSpace, const QString& name, bool deployment);

private:
    void updateTargets();
    void follow();

    LogModel* m_model;
    QComboBox* m_kindBox;
    QComboBox* m_targetBox;
    QPushButton* m_follow;
    QPushButton* m_clear;
    QCheckBox* m_autoScroll;
    QLabel* m_status;
    QListView* m_lines;
};

}  // namespace slipway::gui
