// SPDX-License-Identifier: Apache-2.0
#include "gui/models/event_model.h"

#include <algorithm>
#include <set>

#include "gui/models/resource_event.h"

namespace slipway::gui {

using nlohmann::json;

namespace {

QDateTime timeOf(const json& event) {
    for (const char* field : {"/lastTimestamp", "/eventTime", "/series/lastObservedTime",
                              "/firstTimestamp", "/metadata/creationTimestamp"}) {
        const QString value = qStringAt(event, json::json_pointer(field));
        if (!value.isEmpty()) {
            QDateTime time = QDateTime::fromString(value, Qt::ISODateWithMs);
            if (time.isValid()) {
                return time;
            }
        }
    }
    return {};
}

}  // namespace

EventModel::EventModel(QObject* parent) : QAbstractTableModel(parent) {
    qRegisterMetaType<EventChanges>();
}

int EventModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int EventModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kColumnCount;
}

QString EventModel::age(const QDateTime& time) const {
    if (!time.isValid()) {
        return tr("<unknown>");
    }
    const QDateTime now = m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc();
    const qint64 seconds = std::max<qint64>(0, time.secsTo(now));
    // kubectl's short ages: 45s, 3m, 5h, 2d.
    if (seconds < 120) {
        return tr("%1s").arg(seconds);
    }
    if (seconds < 3 * 3600) {
        return tr("%1m").arg(seconds / 60);
    }
    if (seconds < 2 * 86400) {
        return tr("%1h").arg(seconds / 3600);
    }
    return tr("%1d").arg(seconds / 86400);
}

QVariant EventModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size()) {
        return {};
    }
    const ClusterEvent& r = m_rows.at(index.row());
    switch (role) {
        case Qt::DisplayRole:
            switch (index.column()) {
                case LastSeenColumn:
                    return age(r.lastSeen);
                case TypeColumn:
                    return r.type == QLatin1String("Warning") ? tr("Warning") : tr("Normal");
                case ReasonColumn:
                    return r.reason;
                case ObjectColumn:
                    return r.objectKind.toLower() + QLatin1Char('/') + r.objectName;
                case NamespaceColumn:
                    return r.nameSpace;
                case MessageColumn:
                    return r.message;
                case CountColumn:
                    return r.count;
                default:
                    return {};
            }
        case Qt::ToolTipRole: {
            const QString explanation = explain(r.reason, r.message);
            return explanation.isEmpty() ? r.message
                                         : r.message + QStringLiteral("\n\n") + explanation;
        }
        case TimeRole:
            return r.lastSeen.isValid() ? r.lastSeen.toMSecsSinceEpoch() : 0;
        case ExplanationRole:
            return explain(r.reason, r.message);
        case TypeRole:
            return r.type;
        case KindRole:
            return r.objectKind;
        case NamespaceRole:
            return r.nameSpace;
        case SearchTextRole:
            return QStringList{r.reason, r.message, r.objectKind, r.objectName, r.source}.join(
                QLatin1Char('\n'));
        default:
            return {};
    }
}

QVariant EventModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
        case LastSeenColumn:
            return tr("Last seen");
        case TypeColumn:
            return tr("Type");
        case ReasonColumn:
            return tr("Reason");
        case ObjectColumn:
            return tr("Object");
        case NamespaceColumn:
            return tr("Namespace");
        case MessageColumn:
            return tr("Message");
        case CountColumn:
            return tr("Count");
        default:
            return {};
    }
}

QStringList EventModel::namespaces() const {
    std::set<QString> names;
    for (const ClusterEvent& r : m_rows) {
        if (!r.nameSpace.isEmpty()) {
            names.insert(r.nameSpace);
        }
    }
    return QStringList(names.begin(), names.end());
}

QStringList EventModel::kinds() const {
    std::set<QString> names;
    for (const ClusterEvent& r : m_rows) {
        if (!r.objectKind.isEmpty()) {
            names.insert(r.objectKind);
        }
    }
    return QStringList(names.begin(), names.end());
}

ClusterEvent EventModel::rowOf(const json& event) {
    ClusterEvent r;
    r.uid = qStringAt(event, "/metadata/uid"_json_pointer);
    if (r.uid.isEmpty()) {
        r.uid = qStringAt(event, "/metadata/namespace"_json_pointer) + QLatin1Char('/') +
                qStringAt(event, "/metadata/name"_json_pointer);
    }
    r.nameSpace = qStringAt(event, "/metadata/namespace"_json_pointer);
    r.type = qStringAt(event, "/type"_json_pointer);
    r.reason = qStringAt(event, "/reason"_json_pointer);
    r.message = qStringAt(event, "/message"_json_pointer).trimmed();
    r.objectKind = qStringAt(event, "/involvedObject/kind"_json_pointer);
    r.objectName = qStringAt(event, "/involvedObject/name"_json_pointer);
    r.source = qStringAt(event, "/reportingController"_json_pointer);
    if (r.source.isEmpty()) {
        r.source = qStringAt(event, "/source/component"_json_pointer);
    }
    r.count = std::max(1, event.value("count", 1));
    if (event.contains("/series/count"_json_pointer)) {
        r.count = std::max(r.count, event.value("/series/count"_json_pointer, 1));
    }
    r.lastSeen = timeOf(event);
    return r;
}

void EventModel::applyChanges(const EventChanges& changes) {
    const int kindsBefore = static_cast<int>(kinds().size());
    const int namespacesBefore = static_cast<int>(namespaces().size());
    QList<ClusterEvent> added;
    for (const EventChange& change : changes) {
        if (!change.object) {
            continue;
        }
        ClusterEvent row = rowOf(*change.object);
        auto it = m_rowOfUid.constFind(row.uid);
        if (change.deleted) {
            if (it != m_rowOfUid.constEnd()) {
                const int index = it.value();
                beginRemoveRows({}, index, index);
                m_rows.removeAt(index);
                endRemoveRows();
                m_rowOfUid.clear();
                for (int i = 0; i < m_rows.size(); ++i) {
                    m_rowOfUid.insert(m_rows.at(i).uid, i);
                }
            }
        } else if (it != m_rowOfUid.constEnd()) {
            const int index = it.value();
            m_rows[index] = std::move(row);
            emit dataChanged(this->index(index, 0), this->index(index, kColumnCount - 1));
        } else {
            added.append(std::move(row));
        }
    }
    if (!added.isEmpty()) {
        const int first = static_cast<int>(m_rows.size());
        beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
        for (ClusterEvent& row : added) {
            m_rowOfUid.insert(row.uid, static_cast<int>(m_rows.size()));
            m_rows.append(std::move(row));
        }
        endInsertRows();
    }
    if (m_rows.size() > kMaxRows) {
        const int excess = static_cast<int>(m_rows.size()) - kMaxRows;
        beginRemoveRows({}, 0, excess - 1);
        m_rows.remove(0, excess);
        endRemoveRows();
        m_rowOfUid.clear();
        for (int i = 0; i < m_rows.size(); ++i) {
            m_rowOfUid.insert(m_rows.at(i).uid, i);
        }
    }
    if (kinds().size() != kindsBefore || namespaces().size() != namespacesBefore) {
        emit choicesChanged();
    }
}

void EventModel::clear() {
    beginResetModel();
    m_rows.clear();
    m_rowOfUid.clear();
    endResetModel();
    emit choicesChanged();
}

QString EventModel::explain(const QString& reason, const QString& message) {
    const std::string r = reason.toStdString();
    if (r == "FailedScheduling") {
        QString why;
        if (message.contains(QLatin1String("Insufficient cpu"))) {
            why = tr(" No node has enough free CPU for the pod's requests.");
        } else if (message.contains(QLatin1String("Insufficient memory"))) {
            why = tr(" No node has enough free memory for the pod's requests.");
        } else if (message.contains(QLatin1String("taint"))) {
            why = tr(" The nodes carry taints the pod does not tolerate.");
        } else if (message.contains(QLatin1String("affinity")) ||
                   message.contains(QLatin1String("selector"))) {
            why = tr(" No node matches the pod's node selector or affinity rules.");
        }
        return tr("The scheduler found no node to run this pod on, so it stays Pending.") + why +
               tr(" Lower its resource requests, add or free nodes, or relax its constraints; "
                  "the scheduler keeps trying.");
    }
    if (r == "BackOff") {
        if (message.contains(QLatin1String("pull"), Qt::CaseInsensitive)) {
            return tr(
                "Pulling the image failed several times; the node now waits longer and "
                "longer before trying again (ImagePullBackOff). Check the image name, tag "
                "and registry credentials.");
        }
        return tr(
            "The container keeps exiting and the node waits longer and longer before "
            "restarting it (CrashLoopBackOff). Look at the container's logs, including "
            "those of its previous run, to see why it exits.");
    }
    if (r == "Unhealthy") {
        return tr(
            "A probe failed. A failing readiness probe takes the pod out of its Services' "
            "endpoints; a failing liveness probe gets the container restarted. Check the "
            "probe's path, port and timings against what the application does.");
    }
    if (r == "ScalingReplicaSet") {
        return tr(
            "The Deployment controller changed how many pods a ReplicaSet should have. "
            "During a rollout it scales the new ReplicaSet up and the old one down, step "
            "by step, within maxSurge and maxUnavailable.");
    }
    if (r == "Killing") {
        return tr(
            "The node is stopping this container: the pod is being deleted (scale down, "
            "rollout, eviction) or a liveness probe failed. It gets its grace period to "
            "shut down cleanly.");
    }
    if (r == "Pulling") {
        return tr("The node is downloading the container image.");
    }
    if (r == "Pulled") {
        return tr("The container image is on the node and the container can be created.");
    }
    if (r == "ErrImagePull" || r == "ImagePullBackOff" ||
        (r == "Failed" && (message.contains(QLatin1String("pull"), Qt::CaseInsensitive) ||
                           message.contains(QLatin1String("ErrImagePull"))))) {
        return tr(
            "The node could not download the container image: the name or tag may be "
            "wrong, the registry unreachable, or credentials (imagePullSecrets) missing. "
            "The node retries with growing delays.");
    }
    if (r == "Failed") {
        return tr("Starting the container failed; the message says why.");
    }
    if (r == "SuccessfulCreate") {
        return tr("A controller created a pod (or Job) it owns, to reach the number it wants.");
    }
    if (r == "SuccessfulDelete") {
        return tr("A controller deleted a pod it owns, because it has more than it wants.");
    }
    if (r == "FailedCreate") {
        return tr(
            "A controller could not create a pod: a quota, a policy or an invalid "
            "template refused it. The message names the cause.");
    }
    if (r == "ProgressDeadlineExceeded") {
        return tr(
            "The Deployment made no progress for progressDeadlineSeconds: its new pods do "
            "not become available. The rollout is stuck (not rolled back); fix the "
            "template or undo to an earlier revision.");
    }
    if (r == "Scheduled") {
        return tr("The scheduler chose a node for the pod; the node now starts it.");
    }
    if (r == "Created") {
        return tr("The node created the container.");
    }
    if (r == "Started") {
        return tr("The container's process is running.");
    }
    if (r == "FailedMount" || r == "FailedAttachVolume") {
        return tr(
            "A volume of the pod could not be mounted, so its containers cannot start. A "
            "missing ConfigMap, Secret or PersistentVolumeClaim is the usual cause.");
    }
    if (r == "OOMKilling" || r == "OOMKilled") {
        return tr(
            "The container used more memory than its limit and was killed. Raise the "
            "memory limit or reduce what the application uses.");
    }
    if (r == "Evicted") {
        return tr("The node removed the pod to reclaim a scarce resource (memory, disk).");
    }
    if (r == "NodeNotReady") {
        return tr(
            "The node stopped reporting that it is healthy; its pods may be evicted if "
            "it does not come back.");
    }
    if (r == "NodeReady" || r == "RegisteredNode" || r == "Starting") {
        return tr("The node joined the cluster or became ready to run pods.");
    }
    if (r == "Completed" || r == "SawCompletedJob") {
        return tr("The Job's pods finished successfully.");
    }
    return {};
}

EventFilterModel::EventFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(EventModel::TimeRole);
    sort(EventModel::LastSeenColumn, Qt::DescendingOrder);
    setDynamicSortFilter(true);
}

void EventFilterModel::setNamespaceFilter(const QString& nameSpace) {
    m_nameSpace = nameSpace;
    invalidateFilter();
}

void EventFilterModel::setKindFilter(const QString& kind) {
    m_kind = kind;
    invalidateFilter();
}

void EventFilterModel::setTypeFilter(const QString& type) {
    m_type = type;
    invalidateFilter();
}

void EventFilterModel::setTextFilter(const QString& text) {
    m_text = text;
    invalidateFilter();
}

bool EventFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    auto role = [&index](int r) { return index.data(r).toString(); };
    if (!m_nameSpace.isEmpty() && role(EventModel::NamespaceRole) != m_nameSpace) {
        return false;
    }
    if (!m_kind.isEmpty() && role(EventModel::KindRole) != m_kind) {
        return false;
    }
    if (!m_type.isEmpty() && role(EventModel::TypeRole) != m_type) {
        return false;
    }
    return m_text.isEmpty() ||
           role(EventModel::SearchTextRole).contains(m_text, Qt::CaseInsensitive);
}

}  // namespace slipway::gui
