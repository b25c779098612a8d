// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>

#include "engine/client/client.h"
#include "gui/models/resource_event.h"

namespace slipway::gui {

/// One revision of a Deployment: a ReplicaSet it owns and its
/// `deployment.kubernetes.io/revision`.
struct RolloutRevision {
    long long revision = 0;
    QString replicaSet;
    /// The images of its pod template's containers, in order.
    QStringList images;
    /// Its `kubernetes.io/change-cause` annotation (what `kubectl rollout history` shows).
    QString changeCause;
    int desired = 0;    ///< spec.replicas
    int replicas = 0;   ///< status.replicas
    int ready = 0;      ///< status.readyReplicas
    int available = 0;  ///< status.availableReplicas
    /// The ReplicaSet whose template is the Deployment's current one.
    bool isNew = false;
};

/// Replica counts at one moment of a rollout, for the timeline chart.
struct RolloutSample {
    qint64 msecs = 0;  ///< since the model started watching this Deployment
    int desired = 0;
    int updated = 0;
    int ready = 0;
    int available = 0;
    int oldReplicas = 0;  ///< pods the old ReplicaSets have (status.replicas)
    int newReplicas = 0;  ///< pods the new ReplicaSet has

    /// Same counts (the time aside).
    bool sameCounts(const RolloutSample& other) const {
        return desired == other.desired && updated == other.updated && ready == other.ready &&
               available == other.available && oldReplicas == other.oldReplicas &&
               newReplicas == other.newReplicas;
    }
};

/// The pods that exist now for one revision.
struct RevisionPods {
    long long revision = 0;
    bool isNew = false;
    QStringList pods;  ///< names, sorted
    int ready = 0;
    int terminating = 0;
};

/// A change to the Deployment, as kubectl would send it: what RolloutModel's commands produce
/// and RolloutService applies.
struct DeploymentPatch {
    QString nameSpace;
    QString name;
    client::PatchType type = client::PatchType::StrategicMerge;
    nlohmann::json body;
    /// What the user asked for, for messages ("Set image web=nginx:1.26").
    QString description;
};

/// The rollout of one Deployment, computed from the Deployments, ReplicaSets and Pods an
/// informer delivers: its revision history (one row per owned ReplicaSet, newest first), a
/// timeline of replica counts, the pods of each revision, its state (progressing, complete,
/// paused, stuck and why) and its strategy in words.
///
/// The commands (setImage, scale, pause, resume, restart, undoTo) build the patch `kubectl set
/// image / scale / rollout pause|resume|restart|undo` sends and emit it as patchRequested; a
/// service applies it off the GUI thread and answers with commandFinished. No widgets.
class RolloutModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { RevisionColumn, ImagesColumn, PodsColumn, ChangeCauseColumn, ReplicaSetColumn };
    static constexpr int kColumnCount = 5;

    enum class State { NotFound, Progressing, Complete, Paused, Stuck };
    Q_ENUM(State)

    /// Annotations kubectl reads and writes.
    static constexpr const char* kRevisionAnnotation = "deployment.kubernetes.io/revision";
    static constexpr const char* kChangeCauseAnnotation = "kubernetes.io/change-cause";
    static constexpr const char* kRestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

    explicit RolloutModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /// Watches `nameSpace`/`name` from now on; the timeline starts again.
    void setDeployment(const QString& nameSpace, const QString& name);
    QString nameSpace() const { return m_nameSpace; }
    QString name() const { return m_name; }
    /// Every Deployment known, as "namespace/name", sorted.
    QStringList deployments() const;

    State state() const { return m_state; }
    /// One line saying where the rollout is, in kubectl rollout status' words.
    QString statusText() const { return m_statusText; }
    /// Why the rollout is stuck (the Progressing condition's reason and message, or what keeps
    /// the new pods from becoming ready); empty unless state() is Stuck.
    QString stuckReason() const { return m_stuckReason; }
    /// The strategy with its numbers worked out for the current replica count.
    QString strategyText() const { return m_strategyText; }
    bool paused() const;
    int specReplicas() const;
    /// The container names of the Deployment's pod template, and their images.
    QStringList containerNames() const;
    QStringList containerImages() const;

    const QList<RolloutRevision>& revisions() const { return m_revisions; }
    /// The revision the Deployment is at (its new ReplicaSet's), 0 when unknown.
    long long currentRevision() const;
    const QList<RolloutSample>& samples() const { return m_samples; }
    /// Now on the samples' clock.
    qint64 elapsedMsecs() const { return m_clock.elapsed(); }
    /// Pods per revision, newest revision first; revisions without pods are left out.
    const QList<RevisionPods>& revisionPods() const { return m_revisionPods; }
    /// The Deployment as last delivered, or null.
    const nlohmann::json* deploymentObject() const;

    /// Commands. Each emits patchRequested and returns true, or sets lastError() and returns
    /// false when kubectl would refuse (no Deployment, unknown revision, a paused Deployment
    /// for undo, nothing to do).
    bool setImage(const QString& container, const QString& image);
    bool scale(int replicas);
    bool pause();
    bool resume();
    bool restart();
    bool undoTo(long long revision);
    QString lastError() const { return m_lastError; }

    /// Worded with its numbers: "RollingUpdate: at most 1 extra pod (maxSurge 25% of 3,
    /// rounded up) and at most 0 unavailable (maxUnavailable 25% of 3, rounded down). …"
    static QString describeStrategy(const nlohmann::json& deployment);

public slots:
    void applyEvents(const slipway::gui::ResourceEvents& events);
    /// A service's answer to patchRequested: empty `error` for success.
    void commandFinished(const QString& description, const QString& error);

signals:
    /// Anything shown changed (state, texts, pods, counts).
    void changed();
    void deploymentsChanged();
    void sampleRecorded(const slipway::gui::RolloutSample& sample);
    void patchRequested(const slipway::gui::DeploymentPatch& patch);
    /// A command's progress or outcome, fit to show ("Set image web=nginx:1.26: done").
    void commandMessage(const QString& message, bool failed);

private:
    void recompute();
    bool request(client::PatchType type, nlohmann::json body, const QString& description);
    bool refuse(const QString& error);

    QString m_nameSpace;
    QString m_name;
    // Objects as delivered, by "namespace/name".
    WorkloadObjects m_objects;

    QList<RolloutRevision> m_revisions;
    QList<RevisionPods> m_revisionPods;
    QList<RolloutSample> m_samples;
    QElapsedTimer m_clock;
    State m_state = State::NotFound;
    QString m_statusText;
    QString m_stuckReason;
    QString m_strategyText;
    QString m_lastError;
};

}  // namespace slipway::gui

Q_DECLARE_METATYPE(slipway::gui::RolloutSample)
Q_DECLARE_METATYPE(slipway::gui::DeploymentPatch)
