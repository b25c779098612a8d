// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include "gui/models/resource_event.h"

namespace slipway::gui {

/// One line of a container's log.
struct LogLine {
    QString pod;
    /// From the `timestamps=true` prefix; invalid when the line had none.
    QDateTime time;
    QString text;
    /// A line Studio wrote (a stream started or ended), not the container.
    bool notice = false;
};

/// The log of one pod, or of every pod of a Deployment merged, as the view shows it.
///
/// Streams deliver raw chunks (appendChunk); the model cuts them into lines per pod, keeping a
/// partial last line until its end arrives, takes the RFC 3339 time off the front of each line
/// and keeps the lines in time order, so that the backlog of several pods interleaves as it
/// happened. With several pods each line is shown prefixed by its pod's name, as `kubectl logs
/// -l … --prefix` does.
///
/// For a Deployment, the model follows its pods from the informer's events: it asks for a
/// stream (streamRequested) for each pod that has started and for new ones as they come, and
/// asks to stop (streamStopRequested) when a pod goes. No widgets.
class LogModel : public QAbstractListModel {
    Q_OBJECT

public:
    enum Role { PodRole = Qt::UserRole + 1, TextRole, NoticeRole };
    /// Oldest lines go beyond this many.
    static constexpr int kMaxLines = 20000;

    explicit LogModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    /// Follows one pod (`deployment` false) or every pod of a Deployment. Clears the lines and
    /// asks to stop the streams of the previous target.
    void follow(const QString& nameSpace, const QString& name, bool deployment);
    QString nameSpace() const { return m_nameSpace; }
    QString targetName() const { return m_name; }
    bool followsDeployment() const { return m_deployment; }
    /// The pods being streamed, sorted.
    QStringList streamedPods() const;

    const LogLine& lineAt(int row) const { return m_lines.at(row); }
    /// Every line as shown, joined by newlines (for copying and tests).
    QString text() const;

    /// Pods and Deployments known from the informer, as "namespace/name", sorted.
    QStringList pods() const;
    QStringList deployments() const;

public slots:
    void applyEvents(const slipway::gui::ResourceEvents& events);
    /// A piece of `pod`'s log as it arrived.
    void appendChunk(const QString& pod, const QByteArray& chunk);
    /// `pod`'s stream has ended (`error` empty when the container's log simply ended).
    void streamEnded(const QString& pod, const QString& error);
    void clear();

signals:
    /// Start streaming `pod` (follow, with timestamps).
    void streamRequested(const QString& nameSpace, const QString& pod);
    void streamStopRequested(const QString& nameSpace, const QString& pod);
    void targetsChanged();

private:
    void insertLine(LogLine line);
    void reconcileStreams();
    bool showsPrefix() const;

    QString m_nameSpace;
    QString m_name;
    bool m_deployment = false;
    QList<LogLine> m_lines;
    QHash<QString, QByteArray> m_partial;  // per pod: the unfinished last line
    QSet<QString> m_streaming;             // pods whose stream was requested
    // Pods whose stream ended, with their containers' restarts then: asked for again only
    // once a container has restarted and runs (the new instance's log), as `kubectl logs -f`
    // run again would show.
    QHash<QString, long long> m_ended;
    WorkloadObjects m_objects;
};

}  // namespace slipway::gui
