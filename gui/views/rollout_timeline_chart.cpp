// SPDX-License-Identifier: Apache-2.0
#include "gui/views/rollout_timeline_chart.h"

#include <algorithm>

#include <QChart>
#include <QLegend>
#include <QLineSeries>
#include <QPalette>
#include <QPen>
#include <QTimer>
#include <QValueAxis>

#include "gui/models/rollout_model.h"

namespace slipway::gui {

namespace {

struct SeriesSpec {
    const char* name;
    QColor color;
    Qt::PenStyle style;
};

}  // namespace

RolloutTimelineChart::RolloutTimelineChart(RolloutModel* model, QWidget* parent)
    : QChartView(parent),
      m_model(model),
      m_time(new QValueAxis(this)),
      m_replicas(new QValueAxis(this)),
      m_tick(new QTimer(this)) {
    auto* chart = new QChart;
    // The chart draws its own background: follow a dark system palette (Qt 6.4 has no colour
    // scheme hint; the window colour's lightness tells). Set before the series' own pens.
    chart->setTheme(palette().color(QPalette::Window).lightness() < 128 ? QChart::ChartThemeDark
                                                                        : QChart::ChartThemeLight);
    chart->setTitle(tr("Replicas during the rollout"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    const SeriesSpec specs[] = {
        {QT_TR_NOOP("desired"), QColor(0x64, 0x74, 0x8b), Qt::DashLine},
        {QT_TR_NOOP("updated"), QColor(0x25, 0x63, 0xeb), Qt::SolidLine},
        {QT_TR_NOOP("ready"), QColor(0x16, 0xa3, 0x4a), Qt::SolidLine},
        {QT_TR_NOOP("available"), QColor(0x0d, 0x94, 0x88), Qt::DotLine},
        {QT_TR_NOOP("old ReplicaSets"), QColor(0xea, 0x58, 0x0c), Qt::SolidLine},
        {QT_TR_NOOP("new ReplicaSet"), QColor(0x93, 0x33, 0xea), Qt::SolidLine},
    };
    m_time->setTitleText(tr("seconds"));
    m_time->setLabelFormat(QStringLiteral("%d"));
    m_replicas->setTitleText(tr("replicas"));
    m_replicas->setLabelFormat(QStringLiteral("%d"));
    chart->addAxis(m_time, Qt::AlignBottom);
    chart->addAxis(m_replicas, Qt::AlignLeft);
    for (const SeriesSpec& spec : specs) {
        auto* series = new QLineSeries;
        series->setName(tr(spec.name));
        QPen pen(spec.color);
        pen.setWidthF(2.0);
        pen.setStyle(spec.style);
        series->setPen(pen);
        chart->addSeries(series);
        series->attachAxis(m_time);
        series->attachAxis(m_replicas);
        m_series.append(series);
    }
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(360, 240);
    setAccessibleName(tr("Rollout timeline"));
    connect(model, &RolloutModel::sampleRecorded, this, &RolloutTimelineChart::refresh);
    connect(model, &RolloutModel::changed, this, &RolloutTimelineChart::refresh);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &RolloutTimelineChart::refresh);
    m_tick->start();
    refresh();
}

void RolloutTimelineChart::refresh() {
    static constexpr int RolloutSample::*kFields[] = {
        &RolloutSample::desired,   &RolloutSample::updated,     &RolloutSample::ready,
        &RolloutSample::available, &RolloutSample::oldReplicas, &RolloutSample::newReplicas,
    };
    const QList<RolloutSample>& samples = m_model->samples();
    const double now = static_cast<double>(m_model->elapsedMsecs()) / 1000.0;
    int most = 1;
    for (qsizetype i = 0; i < m_series.size(); ++i) {
        const int RolloutSample::*field = kFields[i];
        QList<QPointF> points;
        points.reserve(samples.size() * 2 + 1);
        for (qsizetype s = 0; s < samples.size(); ++s) {
            const double t = static_cast<double>(samples.at(s).msecs) / 1000.0;
            const int value = samples.at(s).*field;
            most = std::max(most, value);
            // Steps: a count holds until the next sample changes it.
            if (s > 0) {
                points.append(QPointF(t, samples.at(s - 1).*field));
            }
            points.append(QPointF(t, value));
        }
        if (!samples.isEmpty()) {
            points.append(QPointF(now, samples.constLast().*field));
        }
        m_series.at(i)->replace(points);
    }
    m_time->setRange(0, std::max(10.0, now));
    m_time->applyNiceNumbers();  // whole seconds on the ticks
    m_replicas->setRange(0, most + 1);
    m_replicas->setTickCount(std::min(most + 2, 8));
}

}  // namespace slipway::gui
