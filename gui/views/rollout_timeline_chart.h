// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QChartView>

class QLineSeries;
class QTimer;
class QValueAxis;

namespace slipway::gui {

class RolloutModel;

/// The timeline of a rollout (Qt Charts): desired, updated, ready and available replicas of the
/// Deployment, and the pods of the old and new ReplicaSets, as steps over the seconds since the
/// page started watching. Time keeps flowing while nothing changes.
class RolloutTimelineChart : public QChartView {
    Q_OBJECT

public:
    explicit RolloutTimelineChart(RolloutModel* model, QWidget* parent = nullptr);

    /// The series in legend order: desired, updated, ready, available, old RS, new RS.
    QList<QLineSeries*> series() const { return m_series; }

public slots:
    void refresh();

private:
    RolloutModel* m_model;
    QList<QLineSeries*> m_series;
    QValueAxis* m_time;
    QValueAxis* m_replicas;
    QTimer* m_tick;
};

}  // namespace slipway::gui
