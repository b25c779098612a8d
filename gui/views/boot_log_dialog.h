// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDialog>

class QLabel;
class QPlainTextEdit;

namespace slipway::gui {

/// Shows a cluster's boot log (the guest's serial console for VMs, slipwayd's log for a local
/// process) as it grows: text arrives through appendText() (from a LogFileFollower), and the
/// view keeps to the end unless the user has scrolled up.
class BootLogDialog : public QDialog {
    Q_OBJECT

public:
    BootLogDialog(const QString& cluster, const QString& path, QWidget* parent = nullptr);
    ~BootLogDialog() override;

    QString text() const;

public slots:
    void appendText(const QString& text);
    /// The file was truncated or replaced: start again.
    void clearText();
    /// The file does not exist yet.
    void showMissing();

private:
    QPlainTextEdit* m_text;
    QLabel* m_status;
    QString m_partialLine;
};

}  // namespace slipway::gui
