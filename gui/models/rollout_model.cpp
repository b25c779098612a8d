// SPDX-License-Identifier: Apache-2.0
#include "gui/models/rollout_model.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <QDateTime>
#include <QSet>

namespace slipway::gui {

using nlohmann::json;

namespace {

int integer(const json& object, const json::json_pointer& pointer) {
    if (!object.contains(pointer)) {
        return 0;
    }
    const json& value = object.at(pointer);
    return value.is_number_integer() ? value.get<int>() : 0;
}

QString annotation(const json& object, const char* key) {
    const json* annotations = nullptr;
    if (auto m = object.find("metadata"); m != object.end() && m->is_object()) {
        if (auto a = m->find("annotations"); a != m->end() && a->is_object()) {
            annotations = &*a;
        }
    }
    if (annotations == nullptr) {
        return {};
    }
    auto it = annotations->find(key);
    return it != annotations->end() && it->is_string()
               ? QString::fromStdString(it->get<std::string>())
               : QString();
}

/// Whether `object` has a controller ownerReference to `kind` `name` (and `uid` when given).
bool ownedBy(const json& object, const char* kind, const QString& name, const QString& uid) {
    const json::json_pointer pointer("/metadata/ownerReferences");
    if (!object.contains(pointer) || !object.at(pointer).is_array()) {
        return false;
    }
    for (const json& owner : object.at(pointer)) {
        if (!owner.is_object() || owner.value("kind", std::string()) != kind ||
            QString::fromStdString(owner.value("name", std::string())) != name) {
            continue;
        }
        const QString ownerUid = QString::fromStdString(owner.value("uid", std::string()));
        if (uid.isEmpty() || ownerUid.isEmpty() || ownerUid == uid) {
            return true;
        }
    }
    return false;
}

/// The pod template as the Deployment has it: the ReplicaSet's minus the pod-template-hash
/// label the controller adds (what kubectl rollout undo copies back).
json templateWithoutHash(const json& replicaSet) {
    json podTemplate = replicaSet.value("/spec/template"_json_pointer, json::object());
    if (auto m = podTemplate.find("metadata"); m != podTemplate.end() && m->is_object()) {
        if (auto labels = m->find("labels"); labels != m->end() && labels->is_object()) {
            labels->erase("pod-template-hash");
        }
    }
    return podTemplate;
}

QStringList imagesOf(const json& podTemplate) {
    QStringList images;
    const json::json_pointer pointer("/spec/containers");
    if (podTemplate.contains(pointer) && podTemplate.at(pointer).is_array()) {
        for (const json& c : podTemplate.at(pointer)) {
            images.append(QString::fromStdString(c.value("image", std::string())));
        }
    }
    return images;
}

/// maxSurge / maxUnavailable: an integer, or a percentage of `replicas` rounded up (surge) or
/// down (unavailable), as the deployment controller resolves them.
struct Resolved {
    int value = 0;
    QString given;  // "25%" or "1"
    bool percent = false;
};

Resolved resolve(const json& strategy, const char* field, int replicas, bool roundUp) {
    Resolved r;
    const json value =
        strategy.value(json::json_pointer(std::string("/rollingUpdate/") + field), json("25%"));
    if (value.is_number_integer()) {
        r.value = value.get<int>();
        r.given = QString::number(r.value);
        return r;
    }
    const QString percent = value.is_string() ? QString::fromStdString(value.get<std::string>())
                                              : QStringLiteral("25%");
    r.given = percent;
    r.percent = percent.endsWith(QLatin1Char('%'));
    const double fraction = percent.chopped(r.percent ? 1 : 0).toDouble() / 100.0;
    const double exact = fraction * replicas;
    r.value = static_cast<int>(roundUp ? std::ceil(exact - 1e-9) : std::floor(exact + 1e-9));
    return r;
}

/// Container waiting reasons that mean a pod will not become ready on its own.
bool isFailingReason(const QString& reason) {
    static const QSet<QString> kFailing = {
        QStringLiteral("ErrImagePull"),         QStringLiteral("ImagePullBackOff"),
        QStringLiteral("InvalidImageName"),     QStringLiteral("ErrImageNeverPull"),
        QStringLiteral("CrashLoopBackOff"),     QStringLiteral("CreateContainerConfigError"),
        QStringLiteral("CreateContainerError"), QStringLiteral("RunContainerError"),
    };
    return kFailing.contains(reason);
}

bool podReady(const json& pod) {
    const json::json_pointer pointer("/status/conditions");
    if (!pod.contains(pointer) || !pod.at(pointer).is_array()) {
        return false;
    }
    return std::any_of(pod.at(pointer).begin(), pod.at(pointer).end(), [](const json& c) {
        return c.value("type", std::string()) == "Ready" &&
               c.value("status", std::string()) == "True";
    });
}

}  // namespace

RolloutModel::RolloutModel(QObject* parent) : QAbstractTableModel(parent) {
    qRegisterMetaType<RolloutSample>();
    qRegisterMetaType<DeploymentPatch>();
    m_clock.start();
}

int RolloutModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_revisions.size());
}

int RolloutModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kColumnCount;
}

QVariant RolloutModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_revisions.size()) {
        return {};
    }
    const RolloutRevision& r = m_revisions.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
            case RevisionColumn:
                return r.isNew ? tr("%1 (current)").arg(r.revision) : QString::number(r.revision);
            case ImagesColumn:
                return r.images.join(QStringLiteral(", "));
            case PodsColumn:
                if (r.desired != r.replicas) {
                    //: pods ready of pods it has, then the count it is being scaled to
                    return tr("%1 of %2 ready \u2192 %3")
                        .arg(r.ready)
                        .arg(r.replicas)
                        .arg(r.desired);
                }
                //: pods ready of pods it has
                return tr("%1 of %2 ready").arg(r.ready).arg(r.replicas);
            case ChangeCauseColumn:
                return r.changeCause.isEmpty() ? tr("<none>") : r.changeCause;
            case ReplicaSetColumn:
                return r.replicaSet;
            default:
                break;
        }
    } else if (role == Qt::UserRole) {
        return r.revision;
    } else if (role == Qt::ToolTipRole) {
        return tr("Revision %1: ReplicaSet %2, %3 pods, %4 ready, %5 available")
            .arg(r.revision)
            .arg(r.replicaSet)
            .arg(r.replicas)
            .arg(r.ready)
            .arg(r.available);
    }
    return {};
}

QVariant RolloutModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
        case RevisionColumn:
            return tr("Revision");
        case ImagesColumn:
            return tr("Images");
        case PodsColumn:
            return tr("Pods");
        case ChangeCauseColumn:
            return tr("Change cause");
        case ReplicaSetColumn:
            return tr("ReplicaSet");
        default:
            return {};
    }
}

void RolloutModel::setDeployment(const QString& nameSpace, const QString& name) {
    m_nameSpace = nameSpace;
    m_name = name;
    m_samples.clear();
    m_clock.restart();
    recompute();
}

QStringList RolloutModel::deployments() const {
    QStringList keys = m_objects.deployments.keys();
    std::sort(keys.begin(), keys.end());
    return keys;
}

const json* RolloutModel::deploymentObject() const {
    auto it = m_objects.deployments.constFind(m_nameSpace + QLatin1Char('/') + m_name);
    return it == m_objects.deployments.constEnd() ? nullptr : it.value().get();
}

bool RolloutModel::paused() const {
    const json* d = deploymentObject();
    return d != nullptr && d->value("/spec/paused"_json_pointer, false);
}

int RolloutModel::specReplicas() const {
    const json* d = deploymentObject();
    return d == nullptr ? 0 : d->value("/spec/replicas"_json_pointer, 1);
}

QStringList RolloutModel::containerNames() const {
    QStringList names;
    const json* d = deploymentObject();
    const json::json_pointer pointer("/spec/template/spec/containers");
    if (d != nullptr && d->contains(pointer) && d->at(pointer).is_array()) {
        for (const json& c : d->at(pointer)) {
            names.append(QString::fromStdString(c.value("name", std::string())));
        }
    }
    return names;
}

QStringList RolloutModel::containerImages() const {
    const json* d = deploymentObject();
    return d == nullptr ? QStringList() : imagesOf(d->value("/spec/template"_json_pointer, json()));
}

long long RolloutModel::currentRevision() const {
    for (const RolloutRevision& r : m_revisions) {
        if (r.isNew) {
            return r.revision;
        }
    }
    return 0;
}

void RolloutModel::applyEvents(const ResourceEvents& events) {
    bool deploymentSetChanged = false;
    bool relevant = false;
    for (const ResourceEvent& event : events) {
        const auto change = m_objects.apply(event);
        if (!change) {
            continue;
        }
        relevant = relevant || change->nameSpace == m_nameSpace;
        deploymentSetChanged = deploymentSetChanged || (change->kind == ResourceKind::Deployment &&
                                                        (change->appeared || change->vanished));
    }
    if (deploymentSetChanged) {
        emit deploymentsChanged();
    }
    if (relevant) {
        recompute();
    }
}

void RolloutModel::recompute() {
    const json* deployment = deploymentObject();
    QList<RolloutRevision> revisions;
    QList<RevisionPods> revisionPods;
    m_stuckReason.clear();
    if (deployment == nullptr) {
        m_state = State::NotFound;
        m_statusText = m_name.isEmpty() ? tr("Choose a Deployment.")
                                        : tr("Deployment %1 not found.").arg(m_name);
        m_strategyText.clear();
    } else {
        const QString uid = qStringAt(*deployment, "/metadata/uid"_json_pointer);
        const json deploymentTemplate =
            deployment->value("/spec/template"_json_pointer, json::object());
        const long long deploymentRevision =
            annotation(*deployment, kRevisionAnnotation).toLongLong();
        const QString prefix = m_nameSpace + QLatin1Char('/');
        // ReplicaSets owned by the Deployment, and which of them is the new one: the one whose
        // template is the Deployment's (as the controller decides), else the Deployment's
        // revision.
        std::map<QString, const json*> owned;
        for (auto it = m_objects.replicaSets.constBegin(); it != m_objects.replicaSets.constEnd();
             ++it) {
            if (it.key().startsWith(prefix) && ownedBy(*it.value(), "Deployment", m_name, uid)) {
                owned.emplace(qStringAt(*it.value(), "/metadata/name"_json_pointer),
                              it.value().get());
            }
        }
        QString newReplicaSet;
        for (const auto& [name, rs] : owned) {
            if (templateWithoutHash(*rs) == deploymentTemplate) {
                newReplicaSet = name;
            }
        }
        if (newReplicaSet.isEmpty()) {
            for (const auto& [name, rs] : owned) {
                if (deploymentRevision != 0 &&
                    annotation(*rs, kRevisionAnnotation).toLongLong() == deploymentRevision) {
                    newReplicaSet = name;
                }
            }
        }
        for (const auto& [name, rs] : owned) {
            RolloutRevision r;
            r.revision = annotation(*rs, kRevisionAnnotation).toLongLong();
            r.replicaSet = name;
            r.images = imagesOf(rs->value("/spec/template"_json_pointer, json::object()));
            r.changeCause = annotation(*rs, kChangeCauseAnnotation);
            r.desired = integer(*rs, "/spec/replicas"_json_pointer);
            r.replicas = integer(*rs, "/status/replicas"_json_pointer);
            r.ready = integer(*rs, "/status/readyReplicas"_json_pointer);
            r.available = integer(*rs, "/status/availableReplicas"_json_pointer);
            r.isNew = name == newReplicaSet;
            revisions.append(r);
        }
        std::sort(revisions.begin(), revisions.end(),
                  [](const RolloutRevision& a, const RolloutRevision& b) {
                      return a.revision > b.revision;
                  });

        // Pods of each revision, and what keeps the new ones from becoming ready.
        QString failingReason;
        QString failingMessage;
        for (const RolloutRevision& r : std::as_const(revisions)) {
            RevisionPods group;
            group.revision = r.revision;
            group.isNew = r.isNew;
            for (auto it = m_objects.pods.constBegin(); it != m_objects.pods.constEnd(); ++it) {
                const json& pod = *it.value();
                if (!it.key().startsWith(prefix) ||
                    !ownedBy(pod, "ReplicaSet", r.replicaSet, QString())) {
                    continue;
                }
                group.pods.append(qStringAt(pod, "/metadata/name"_json_pointer));
                group.ready += podReady(pod) ? 1 : 0;
                group.terminating += pod.contains("/metadata/deletionTimestamp"_json_pointer);
                if (!r.isNew || !failingReason.isEmpty()) {
                    continue;
                }
                const json::json_pointer statuses("/status/containerStatuses");
                if (pod.contains(statuses) && pod.at(statuses).is_array()) {
                    for (const json& c : pod.at(statuses)) {
                        const QString reason = qStringAt(c, "/state/waiting/reason"_json_pointer);
                        if (isFailingReason(reason)) {
                            failingReason = reason;
                            failingMessage = qStringAt(c, "/state/waiting/message"_json_pointer);
                            break;
                        }
                    }
                }
            }
            std::sort(group.pods.begin(), group.pods.end());
            if (!group.pods.isEmpty()) {
                revisionPods.append(group);
            }
        }

        const int desired = deployment->value("/spec/replicas"_json_pointer, 1);
        const int updated = integer(*deployment, "/status/updatedReplicas"_json_pointer);
        const int replicas = integer(*deployment, "/status/replicas"_json_pointer);
        const int available = integer(*deployment, "/status/availableReplicas"_json_pointer);
        const int ready = integer(*deployment, "/status/readyReplicas"_json_pointer);
        RolloutSample sample;
        sample.msecs = m_clock.elapsed();
        sample.desired = desired;
        sample.updated = updated;
        sample.ready = ready;
        sample.available = available;
        for (const RolloutRevision& r : std::as_const(revisions)) {
            (r.isNew ? sample.newReplicas : sample.oldReplicas) += r.replicas;
        }
        if (m_samples.isEmpty() || !m_samples.constLast().sameCounts(sample)) {
            m_samples.append(sample);
            emit sampleRecorded(sample);
        }

        // The Progressing condition the controller maintains.
        QString progressingStatus;
        QString progressingReason;
        QString progressingMessage;
        const json::json_pointer conditions("/status/conditions");
        if (deployment->contains(conditions) && deployment->at(conditions).is_array()) {
            for (const json& c : deployment->at(conditions)) {
                if (c.value("type", std::string()) == "Progressing") {
                    progressingStatus = QString::fromStdString(c.value("status", std::string()));
                    progressingReason = QString::fromStdString(c.value("reason", std::string()));
                    progressingMessage = QString::fromStdString(c.value("message", std::string()));
                }
            }
        }
        const long long generation = deployment->value("/metadata/generation"_json_pointer, 0LL);
        const long long observed =
            deployment->value("/status/observedGeneration"_json_pointer, 0LL);
        if (progressingStatus == QLatin1String("False") &&
            progressingReason == QLatin1String("ProgressDeadlineExceeded")) {
            m_state = State::Stuck;
            m_stuckReason = progressingMessage.isEmpty()
                                ? progressingReason
                                : progressingReason + QStringLiteral(": ") + progressingMessage;
            m_statusText =
                tr("Stuck: deployment \"%1\" exceeded its progress deadline").arg(m_name);
        } else if (!failingReason.isEmpty()) {
            m_state = State::Stuck;
            m_stuckReason =
                tr("New pods are not becoming ready: %1")
                    .arg(failingMessage.isEmpty() ? failingReason
                                                  : failingReason + QStringLiteral(" (") +
                                                        failingMessage + QLatin1Char(')'));
            m_statusText = tr("Stuck: the new pods of deployment \"%1\" are failing").arg(m_name);
        } else if (deployment->value("/spec/paused"_json_pointer, false)) {
            m_state = State::Paused;
            m_statusText = tr("Paused: changes to the template are recorded but not rolled out");
        } else if (observed < generation) {
            m_state = State::Progressing;
            m_statusText = tr("Waiting for deployment spec update to be observed\u2026");
        } else if (updated < desired) {
            m_state = State::Progressing;
            m_statusText = tr("Waiting for deployment \"%1\" rollout to finish: %2 out of %3 new "
                              "replicas have been updated\u2026")
                               .arg(m_name)
                               .arg(updated)
                               .arg(desired);
        } else if (replicas > updated) {
            m_state = State::Progressing;
            m_statusText = tr("Waiting for deployment \"%1\" rollout to finish: %2 old replicas "
                              "are pending termination\u2026")
                               .arg(m_name)
                               .arg(replicas - updated);
        } else if (available < updated) {
            m_state = State::Progressing;
            m_statusText = tr("Waiting for deployment \"%1\" rollout to finish: %2 of %3 updated "
                              "replicas are available\u2026")
                               .arg(m_name)
                               .arg(available)
                               .arg(updated);
        } else {
            m_state = State::Complete;
            m_statusText = tr("Deployment \"%1\" successfully rolled out").arg(m_name);
        }
        m_strategyText = describeStrategy(*deployment);
    }

    const bool rowsChanged = revisions.size() != m_revisions.size() ||
                             !std::equal(revisions.begin(), revisions.end(), m_revisions.begin(),
                                         [](const RolloutRevision& a, const RolloutRevision& b) {
                                             return a.replicaSet == b.replicaSet;
                                         });
    if (rowsChanged) {
        beginResetModel();
        m_revisions = std::move(revisions);
        endResetModel();
    } else {
        m_revisions = std::move(revisions);
        if (!m_revisions.isEmpty()) {
            emit dataChanged(index(0, 0), index(rowCount() - 1, kColumnCount - 1));
        }
    }
    m_revisionPods = std::move(revisionPods);
    emit changed();
}

QString RolloutModel::describeStrategy(const json& deployment) {
    const json strategy = deployment.value("/spec/strategy"_json_pointer, json::object());
    const int replicas = deployment.value("/spec/replicas"_json_pointer, 1);
    const std::string type = strategy.value("type", std::string("RollingUpdate"));
    if (type == "Recreate") {
        // Singular apart, so English needs no translation file for its plural (as
        // MainWindow's cluster count).
        if (replicas == 1) {
            return tr(
                "Recreate: the old pod is stopped before the new pod starts, so the "
                "application is unavailable in between.");
        }
        return tr(
            "Recreate: all %n old pods are stopped before any new pod starts, so the "
            "application is unavailable in between.",
            nullptr, replicas);
    }
    const Resolved surge = resolve(strategy, "maxSurge", replicas, true);
    Resolved unavailable = resolve(strategy, "maxUnavailable", replicas, false);
    // Both zero would never make progress: the controller then lets one pod be unavailable.
    const bool forcedOne = surge.value == 0 && unavailable.value == 0;
    if (forcedOne) {
        unavailable.value = 1;
    }
    auto how = [replicas](const Resolved& r, const QString& field, bool up) {
        if (!r.percent) {
            return field + QLatin1Char(' ') + r.given;
        }
        return up ? tr("%1 %2 of %3, rounded up").arg(field, r.given).arg(replicas)
                  : tr("%1 %2 of %3, rounded down").arg(field, r.given).arg(replicas);
    };
    const QString surgeHow = how(surge, QStringLiteral("maxSurge"), true);
    QString text =
        surge.value == 1
            ? tr("RollingUpdate: at most 1 extra pod (%1)").arg(surgeHow)
            : tr("RollingUpdate: at most %n extra pods (%1)", nullptr, surge.value).arg(surgeHow);
    text += tr(" and at most %1 unavailable (%2).")
                .arg(unavailable.value)
                .arg(forcedOne ? tr("both resolve to 0, so 1 is allowed")
                               : how(unavailable, QStringLiteral("maxUnavailable"), false));
    text += QLatin1Char(' ') +
            tr("During a rollout there are at most %1 pods and at least %2 available.")
                .arg(replicas + surge.value)
                .arg(std::max(0, replicas - unavailable.value));
    return text;
}

bool RolloutModel::refuse(const QString& error) {
    m_lastError = error;
    emit commandMessage(error, true);
    return false;
}

bool RolloutModel::request(client::PatchType type, json body, const QString& description) {
    if (deploymentObject() == nullptr) {
        return refuse(tr("No Deployment chosen."));
    }
    m_lastError.clear();
    DeploymentPatch patch;
    patch.nameSpace = m_nameSpace;
    patch.name = m_name;
    patch.type = type;
    patch.body = std::move(body);
    patch.description = description;
    emit commandMessage(tr("%1\u2026").arg(description), false);
    emit patchRequested(patch);
    return true;
}

bool RolloutModel::setImage(const QString& container, const QString& image) {
    if (!containerNames().contains(container)) {
        return refuse(tr("Deployment %1 has no container %2.").arg(m_name, container));
    }
    if (image.trimmed().isEmpty()) {
        return refuse(tr("The image must not be empty."));
    }
    // kubectl set image sends a strategic merge patch: containers merge by name.
    json body = {
        {"spec",
         {{"template",
           {{"spec",
             {{"containers", json::array({{{"name", container.toStdString()},
                                           {"image", image.trimmed().toStdString()}}})}}}}}}}};
    return request(client::PatchType::StrategicMerge, std::move(body),
                   tr("Set image %1=%2").arg(container, image.trimmed()));
}

bool RolloutModel::scale(int replicas) {
    if (replicas < 0) {
        return refuse(tr("Replicas must not be negative."));
    }
    return request(
        client::PatchType::Merge, {{"spec", {{"replicas", replicas}}}},
        replicas == 1 ? tr("Scale to 1 replica") : tr("Scale to %n replicas", nullptr, replicas));
}

bool RolloutModel::pause() {
    if (paused()) {
        return refuse(tr("Deployment %1 is already paused.").arg(m_name));
    }
    return request(client::PatchType::Merge, {{"spec", {{"paused", true}}}}, tr("Pause rollout"));
}

bool RolloutModel::resume() {
    if (deploymentObject() != nullptr && !paused()) {
        return refuse(tr("Deployment %1 is not paused.").arg(m_name));
    }
    // kubectl rollout resume sets paused to null (removing it), not false.
    return request(client::PatchType::Merge, {{"spec", {{"paused", nullptr}}}},
                   tr("Resume rollout"));
}

bool RolloutModel::restart() {
    if (paused()) {
        return refuse(tr("Deployment %1 is paused; resume it before restarting.").arg(m_name));
    }
    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    json body = {
        {"spec",
         {{"template",
           {{"metadata", {{"annotations", {{kRestartedAtAnnotation, now.toStdString()}}}}}}}}}};
    return request(client::PatchType::StrategicMerge, std::move(body), tr("Restart rollout"));
}

bool RolloutModel::undoTo(long long revision) {
    const json* deployment = deploymentObject();
    if (deployment == nullptr) {
        return refuse(tr("No Deployment chosen."));
    }
    if (paused()) {
        // kubectl's refusal.
        return refuse(tr("You cannot rollback a paused deployment; resume it first."));
    }
    const QString prefix = m_nameSpace + QLatin1Char('/');
    const json* source = nullptr;
    for (const RolloutRevision& r : std::as_const(m_revisions)) {
        if (r.revision == revision) {
            auto it = m_objects.replicaSets.constFind(prefix + r.replicaSet);
            source = it == m_objects.replicaSets.constEnd() ? nullptr : it.value().get();
        }
    }
    if (source == nullptr) {
        return refuse(tr("Unable to find specified revision %1 in history.").arg(revision));
    }
    const json podTemplate = templateWithoutHash(*source);
    if (podTemplate == deployment->value("/spec/template"_json_pointer, json::object())) {
        return refuse(
            tr("Skipped rollback (current template already matches revision %1).").arg(revision));
    }
    // As kubectl rollout undo: the Deployment keeps the annotations the controller owns, and
    // takes the others (the change-cause among them) from the ReplicaSet of that revision.
    static const char* const kSkipped[] = {
        "kubectl.kubernetes.io/last-applied-configuration",
        kRevisionAnnotation,
        "deployment.kubernetes.io/revision-history",
        "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas",
        "deprecated.deployment.rollback.to",
    };
    json annotations = json::object();
    const json current = deployment->value("/metadata/annotations"_json_pointer, json::object());
    const json fromSource = source->value("/metadata/annotations"_json_pointer, json::object());
    for (const char* key : kSkipped) {
        if (auto it = current.find(key); it != current.end()) {
            annotations[key] = *it;
        }
    }
    for (auto it = fromSource.begin(); it != fromSource.end(); ++it) {
        if (std::none_of(std::begin(kSkipped), std::end(kSkipped),
                         [&](const char* skipped) { return it.key() == skipped; })) {
            annotations[it.key()] = it.value();
        }
    }
    json body = json::array({
        {{"op", "replace"}, {"path", "/spec/template"}, {"value", podTemplate}},
        {{"op", "replace"}, {"path", "/metadata/annotations"}, {"value", annotations}},
    });
    return request(client::PatchType::Json, std::move(body),
                   tr("Undo to revision %1").arg(revision));
}

void RolloutModel::commandFinished(const QString& description, const QString& error) {
    if (error.isEmpty()) {
        m_lastError.clear();
        emit commandMessage(tr("%1: done").arg(description), false);
    } else {
        m_lastError = error;
        emit commandMessage(tr("%1 failed: %2").arg(description, error), true);
    }
}

}  // namespace slipway::gui
