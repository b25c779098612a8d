// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

namespace slipway::gui {

class RolloutModel;

/// The pods of each revision, one row per revision with pods, one square per pod (filled when
/// ready, outlined while starting, crossed while terminating), so a rollout is seen moving pods
/// from the old revision to the new one.
class RolloutPodsView : public QWidget {
    Q_OBJECT

public:
    explicit RolloutPodsView(RolloutModel* model, QWidget* parent = nullptr);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void update();
    /// "Revision 3 (new): 4", one a row, as painted.
    QStringList labels() const;

    RolloutModel* m_model;
};

}  // namespace slipway::gui
