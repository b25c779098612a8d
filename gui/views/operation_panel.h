// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>

#include <QString>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QVBoxLayout;

namespace slipway::gui {

/// The long cluster operations under way (create, start, stop, delete…), one row each: what
/// is being done to which cluster, a busy progress bar with the current phase, *Cancel* and
/// *Boot Log*. A finished row keeps its outcome (an error stays readable) until dismissed or
/// the cluster's next operation replaces it.
class OperationPanel : public QWidget {
    Q_OBJECT

public:
    explicit OperationPanel(QWidget* parent = nullptr);
    ~OperationPanel() override;

    /// Shows a row for `cluster`: `title` ("Creating “demo”"), a busy bar, Cancel when
    /// `cancellable`, Boot Log when `hasLog`.
    void begin(const QString& cluster, const QString& title, bool cancellable, bool hasLog);
    void setPhase(const QString& cluster, const QString& phase);
    /// Stops the bar and shows the outcome; `message` is the error (or a summary) to keep.
    void finish(const QString& cluster, bool ok, const QString& message);

    /// Rows shown (running or finished, not dismissed).
    int rowCount() const { return static_cast<int>(m_rows.size()); }
    bool isRunning(const QString& cluster) const;
    /// The phase or outcome text of `cluster`'s row (empty when there is none).
    QString text(const QString& cluster) const;

signals:
    void cancelRequested(const QString& cluster);
    void bootLogRequested(const QString& cluster);

private:
    struct Row {
        QWidget* widget = nullptr;
        QLabel* title = nullptr;
        QProgressBar* bar = nullptr;
        QLabel* phase = nullptr;
        QPushButton* cancel = nullptr;
        QPushButton* log = nullptr;
        QPushButton* dismiss = nullptr;
        bool running = false;
    };
    void removeRow(const QString& cluster);

    QVBoxLayout* m_layout;
    std::map<QString, Row> m_rows;
};

}  // namespace slipway::gui
