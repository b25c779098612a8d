// SPDX-License-Identifier: Apache-2.0
#include "gui/models/topology_model.h"

#include <algorithm>
#include <tuple>

#include "gui/models/graphviz_layout.h"

namespace slipway::gui {

using nlohmann::json;

namespace {

long long integer(const json& object, const json::json_pointer& pointer, long long fallback = 0) {
    if (!object.contains(pointer)) {
        return fallback;
    }
    const json& value = object.at(pointer);
    return value.is_number_integer() ? value.get<long long>() : fallback;
}

bool flag(const json& object, const json::json_pointer& pointer) {
    return object.contains(pointer) && object.at(pointer).is_boolean() &&
           object.at(pointer).get<bool>();
}

const json& arrayAt(const json& object, const json::json_pointer& pointer) {
    static const json kEmpty = json::array();
    if (!object.contains(pointer) || !object.at(pointer).is_array()) {
        return kEmpty;
    }
    return object.at(pointer);
}

/// The condition of `type` in status.conditions, or null.
const json* condition(const json& object, const char* type) {
    for (const json& c : arrayAt(object, "/status/conditions"_json_pointer)) {
        if (c.is_object() && c.value("type", std::string()) == type) {
            return &c;
        }
    }
    return nullptr;
}

bool conditionTrue(const json& object, const char* type) {
    const json* c = condition(object, type);
    return c != nullptr && c->value("status", std::string()) == "True";
}

QString fraction(long long a, long long b) {
    return QStringLiteral("%1/%2").arg(a).arg(b);
}

VertexKind vertexKindOf(ResourceKind kind) {
    switch (kind) {
        case ResourceKind::Namespace:
            return VertexKind::Namespace;
        case ResourceKind::Node:
            return VertexKind::Node;
        case ResourceKind::Deployment:
            return VertexKind::Deployment;
        case ResourceKind::ReplicaSet:
            return VertexKind::ReplicaSet;
        case ResourceKind::StatefulSet:
            return VertexKind::StatefulSet;
        case ResourceKind::DaemonSet:
            return VertexKind::DaemonSet;
        case ResourceKind::Job:
            return VertexKind::Job;
        case ResourceKind::Service:
            return VertexKind::Service;
        case ResourceKind::Pod:
        case ResourceKind::EndpointSlice:
            break;
    }
    return VertexKind::Pod;
}

bool isSkeletonKind(VertexKind kind) {
    return kind != VertexKind::Pod && kind != VertexKind::Node && kind != VertexKind::Namespace;
}

std::optional<VertexKind> vertexKindNamed(const QString& name) {
    static const QHash<QString, VertexKind> kKinds = {
        {QStringLiteral("Deployment"), VertexKind::Deployment},
        {QStringLiteral("ReplicaSet"), VertexKind::ReplicaSet},
        {QStringLiteral("StatefulSet"), VertexKind::StatefulSet},
        {QStringLiteral("DaemonSet"), VertexKind::DaemonSet},
        {QStringLiteral("Job"), VertexKind::Job},
    };
    auto it = kKinds.find(name);
    if (it == kKinds.end()) {
        return std::nullopt;
    }
    return *it;
}

/// The state kubectl's STATUS word stands for.
VertexState podStateOf(const QString& reason, int readyContainers, int containers) {
    static const QSet<QString> kFailing = {
        QStringLiteral("Error"),
        QStringLiteral("ErrImagePull"),
        QStringLiteral("ImagePullBackOff"),
        QStringLiteral("ErrImageNeverPull"),
        QStringLiteral("InvalidImageName"),
        QStringLiteral("CreateContainerConfigError"),
        QStringLiteral("CreateContainerError"),
        QStringLiteral("RunContainerError"),
        QStringLiteral("ContainerCannotRun"),
        QStringLiteral("OOMKilled"),
        QStringLiteral("StartError"),
    };
    if (reason == QLatin1String("Running")) {
        return containers > 0 && readyContainers == containers ? VertexState::Ready
                                                               : VertexState::Running;
    }
    if (reason == QLatin1String("NotReady")) {
        return VertexState::NotReady;
    }
    if (reason == QLatin1String("Terminating")) {
        return VertexState::Terminating;
    }
    if (reason == QLatin1String("Completed") || reason == QLatin1String("Succeeded")) {
        return VertexState::Succeeded;
    }
    if (reason == QLatin1String("Failed") || reason == QLatin1String("Evicted")) {
        return VertexState::Failed;
    }
    if (reason == QLatin1String("Pending")) {
        return VertexState::Pending;
    }
    if (reason == QLatin1String("Unknown") || reason.isEmpty()) {
        return VertexState::Unknown;
    }
    if (reason.endsWith(QLatin1String("CrashLoopBackOff"))) {
        return VertexState::CrashLoopBackOff;
    }
    const QString bare = reason.startsWith(QLatin1String("Init:")) ? reason.mid(5) : reason;
    if (kFailing.contains(bare) || bare.startsWith(QLatin1String("ExitCode:")) ||
        bare.startsWith(QLatin1String("Signal:")) || bare.endsWith(QLatin1String("BackOff"))) {
        return VertexState::Error;
    }
    // ContainerCreating, PodInitializing, Init:0/1 and other waiting reasons.
    return VertexState::ContainerCreating;
}

/// Numbers compared as numbers, so that sim-node-2 comes before sim-node-10. (QCollator's
/// numeric mode needs ICU, which the C locale's fallback collator does not use.)
bool naturalLess(const QString& a, const QString& b) {
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            qsizetype iEnd = i;
            qsizetype jEnd = j;
            while (iEnd < a.size() && a[iEnd].isDigit()) {
                ++iEnd;
            }
            while (jEnd < b.size() && b[jEnd].isDigit()) {
                ++jEnd;
            }
            // Without leading zeros, the longer run of digits is the larger number.
            const QStringView x = QStringView(a).mid(i, iEnd - i);
            const QStringView y = QStringView(b).mid(j, jEnd - j);
            if (x.size() != y.size()) {
                return x.size() < y.size();
            }
            if (const int order = x.compare(y); order != 0) {
                return order < 0;
            }
            i = iEnd;
            j = jEnd;
            continue;
        }
        if (a[i] != b[j]) {
            return a[i] < b[j];
        }
        ++i;
        ++j;
    }
    if ((a.size() - i) != (b.size() - j)) {
        return (a.size() - i) < (b.size() - j);
    }
    return a < b;
}

}  // namespace

QRectF TopologyVertex::rect() const {
    if (kind == VertexKind::Namespace || kind == VertexKind::Node) {
        return QRectF(position, size);
    }
    return QRectF(position - QPointF(size.width() / 2, size.height() / 2), size);
}

bool TopologyDelta::isEmpty() const {
    return added.isEmpty() && removed.isEmpty() && changed.isEmpty() && moved.isEmpty() &&
           edgesAdded.isEmpty() && edgesRemoved.isEmpty() && !relaidOut;
}

TopologyModel::TopologyModel(QObject* parent)
    : QObject(parent), m_graphviz(std::make_unique<GraphvizLayout>()) {
    qRegisterMetaType<TopologyDelta>();
}

TopologyModel::~TopologyModel() = default;

QString TopologyModel::vertexId(VertexKind kind, const QString& nameSpace, const QString& name) {
    return kindName(kind) + QLatin1Char('/') + nameSpace + QLatin1Char('/') + name;
}

QString TopologyModel::kindName(VertexKind kind) {
    switch (kind) {
        case VertexKind::Namespace:
            return QStringLiteral("Namespace");
        case VertexKind::Node:
            return QStringLiteral("Node");
        case VertexKind::Deployment:
            return QStringLiteral("Deployment");
        case VertexKind::ReplicaSet:
            return QStringLiteral("ReplicaSet");
        case VertexKind::StatefulSet:
            return QStringLiteral("StatefulSet");
        case VertexKind::DaemonSet:
            return QStringLiteral("DaemonSet");
        case VertexKind::Job:
            return QStringLiteral("Job");
        case VertexKind::Service:
            return QStringLiteral("Service");
        case VertexKind::Pod:
            return QStringLiteral("Pod");
    }
    return {};
}

QString TopologyModel::stateText(VertexState state) {
    switch (state) {
        case VertexState::Unknown:
            return tr("Unknown");
        case VertexState::Pending:
            return tr("Pending");
        case VertexState::ContainerCreating:
            return tr("Creating containers");
        case VertexState::Progressing:
            return tr("Progressing");
        case VertexState::Running:
            return tr("Running");
        case VertexState::Ready:
            return tr("Ready");
        case VertexState::NotReady:
            return tr("Not ready");
        case VertexState::CrashLoopBackOff:
            return tr("Crash loop");
        case VertexState::Error:
            return tr("Error");
        case VertexState::Terminating:
            return tr("Terminating");
        case VertexState::Succeeded:
            return tr("Succeeded");
        case VertexState::Failed:
            return tr("Failed");
    }
    return {};
}

ColorRole TopologyModel::colorRoleOf(VertexState state) {
    switch (state) {
        case VertexState::Unknown:
            return ColorRole::Neutral;
        case VertexState::Pending:
        case VertexState::ContainerCreating:
            return ColorRole::Waiting;
        case VertexState::Progressing:
        case VertexState::Running:
            return ColorRole::Progress;
        case VertexState::Ready:
            return ColorRole::Healthy;
        case VertexState::NotReady:
            return ColorRole::Warning;
        case VertexState::CrashLoopBackOff:
        case VertexState::Error:
        case VertexState::Failed:
            return ColorRole::Danger;
        case VertexState::Terminating:
            return ColorRole::Muted;
        case VertexState::Succeeded:
            return ColorRole::Done;
    }
    return ColorRole::Neutral;
}

TopologyModel::PodStatus TopologyModel::podStatus(const json& pod) {
    // The algorithm of kubectl's STATUS column (printPod), written from its description: the
    // phase, overridden by status.reason, by the first init container that has not succeeded,
    // else by the last container that is waiting or terminated with a reason; Terminating once
    // a deletion is pending.
    PodStatus result;
    QString reason = qStringAt(pod, "/status/phase"_json_pointer);
    if (const QString podReason = qStringAt(pod, "/status/reason"_json_pointer);
        !podReason.isEmpty()) {
        reason = podReason;
    }
    const json& containers = arrayAt(pod, "/spec/containers"_json_pointer);
    const json& initContainers = arrayAt(pod, "/spec/initContainers"_json_pointer);
    int ready = 0;
    int restarts = 0;
    bool initializing = false;
    const json& initStatuses = arrayAt(pod, "/status/initContainerStatuses"_json_pointer);
    for (std::size_t i = 0; i < initStatuses.size(); ++i) {
        const json& c = initStatuses[i];
        restarts += static_cast<int>(integer(c, "/restartCount"_json_pointer));
        const bool terminated = c.contains("/state/terminated"_json_pointer);
        if (terminated && integer(c, "/state/terminated/exitCode"_json_pointer) == 0) {
            continue;
        }
        if (terminated) {
            const QString why = qStringAt(c, "/state/terminated/reason"_json_pointer);
            if (!why.isEmpty()) {
                reason = QStringLiteral("Init:") + why;
            } else if (const auto signal = integer(c, "/state/terminated/signal"_json_pointer)) {
                reason = QStringLiteral("Init:Signal:%1").arg(signal);
            } else {
                reason = QStringLiteral("Init:ExitCode:%1")
                             .arg(integer(c, "/state/terminated/exitCode"_json_pointer));
            }
        } else if (const QString waiting = qStringAt(c, "/state/waiting/reason"_json_pointer);
                   !waiting.isEmpty() && waiting != QLatin1String("PodInitializing")) {
            reason = QStringLiteral("Init:") + waiting;
        } else {
            reason = QStringLiteral("Init:%1/%2").arg(i).arg(initContainers.size());
        }
        initializing = true;
        break;
    }
    if (!initializing) {
        restarts = 0;
        bool hasRunning = false;
        const json& statuses = arrayAt(pod, "/status/containerStatuses"_json_pointer);
        for (auto it = statuses.rbegin(); it != statuses.rend(); ++it) {
            const json& c = *it;
            restarts += static_cast<int>(integer(c, "/restartCount"_json_pointer));
            const QString waiting = qStringAt(c, "/state/waiting/reason"_json_pointer);
            const bool terminated = c.contains("/state/terminated"_json_pointer);
            const QString terminatedReason = qStringAt(c, "/state/terminated/reason"_json_pointer);
            if (!waiting.isEmpty()) {
                reason = waiting;
            } else if (terminated && !terminatedReason.isEmpty()) {
                reason = terminatedReason;
            } else if (terminated) {
                if (const auto signal = integer(c, "/state/terminated/signal"_json_pointer)) {
                    reason = QStringLiteral("Signal:%1").arg(signal);
                } else {
                    reason = QStringLiteral("ExitCode:%1")
                                 .arg(integer(c, "/state/terminated/exitCode"_json_pointer));
                }
            } else if (flag(c, "/ready"_json_pointer) &&
                       c.contains("/state/running"_json_pointer)) {
                hasRunning = true;
                ++ready;
            }
        }
        // A pod whose last container completed but another still runs is Running (or NotReady).
        if (reason == QLatin1String("Completed") && hasRunning) {
            reason = conditionTrue(pod, "Ready") ? QStringLiteral("Running")
                                                 : QStringLiteral("NotReady");
        }
    }
    const bool deleting = pod.contains("/metadata/deletionTimestamp"_json_pointer) &&
                          !pod.at("/metadata/deletionTimestamp"_json_pointer).is_null();
    if (deleting && qStringAt(pod, "/status/reason"_json_pointer) == QLatin1String("NodeLost")) {
        reason = QStringLiteral("Unknown");
    } else if (deleting) {
        reason = QStringLiteral("Terminating");
    }
    result.status = reason;
    result.ready = fraction(ready, static_cast<long long>(containers.size()));
    result.restarts = restarts;
    result.state = podStateOf(reason, ready, static_cast<int>(containers.size()));
    return result;
}

TopologyVertex TopologyModel::derive(ResourceKind kind, const client::ObjectPtr& object) const {
    const json& o = *object;
    TopologyVertex v;
    v.kind = vertexKindOf(kind);
    v.object = object;
    v.name = qStringAt(o, "/metadata/name"_json_pointer);
    v.nameSpace = qStringAt(o, "/metadata/namespace"_json_pointer);
    v.uid = qStringAt(o, "/metadata/uid"_json_pointer);
    v.id = vertexId(v.kind, v.nameSpace, v.name);
    if (o.contains("/metadata/labels"_json_pointer)) {
        for (const auto& [key, value] : o.at("/metadata/labels"_json_pointer).items()) {
            if (value.is_string()) {
                v.labels.insert(QString::fromStdString(key),
                                QString::fromStdString(value.get<std::string>()));
            }
        }
    }
    const json* owner = nullptr;
    for (const json& ref : arrayAt(o, "/metadata/ownerReferences"_json_pointer)) {
        if (owner == nullptr || flag(ref, "/controller"_json_pointer)) {
            owner = &ref;
        }
    }
    if (owner != nullptr) {
        if (auto ownerKind = vertexKindNamed(qStringAt(*owner, "/kind"_json_pointer))) {
            v.ownerId = vertexId(*ownerKind, v.nameSpace, qStringAt(*owner, "/name"_json_pointer));
        }
    }
    const bool deleting = o.contains("/metadata/deletionTimestamp"_json_pointer) &&
                          !o.at("/metadata/deletionTimestamp"_json_pointer).is_null();

    // Ready when every desired replica is ready (and, for those that report it, updated).
    auto replicated = [&v](long long desired, long long ready, long long current,
                           long long updated) {
        v.ready = fraction(ready, desired);
        if (desired == 0 && current == 0) {
            v.state = VertexState::Ready;
            v.status = tr("Scaled to zero");
        } else if (ready >= desired && current == desired && updated >= desired) {
            v.state = VertexState::Ready;
            v.status = tr("Ready");
        } else {
            v.state = VertexState::Progressing;
            v.status = tr("Progressing");
        }
    };

    switch (v.kind) {
        case VertexKind::Pod: {
            v.size = kPodSize;
            v.nodeName = qStringAt(o, "/spec/nodeName"_json_pointer);
            const PodStatus status = podStatus(o);
            v.status = status.status;
            v.ready = status.ready;
            v.restarts = status.restarts;
            v.state = status.state;
            break;
        }
        case VertexKind::Deployment: {
            v.size = kControllerSize;
            const long long desired = integer(o, "/spec/replicas"_json_pointer, 1);
            replicated(desired, integer(o, "/status/readyReplicas"_json_pointer),
                       integer(o, "/status/replicas"_json_pointer),
                       integer(o, "/status/updatedReplicas"_json_pointer));
            if (const json* progressing = condition(o, "Progressing");
                progressing != nullptr &&
                progressing->value("reason", std::string()) == "ProgressDeadlineExceeded") {
                v.state = VertexState::Failed;
                v.status = tr("Progress deadline exceeded");
            } else if (flag(o, "/spec/paused"_json_pointer)) {
                v.status = tr("Paused");
            }
            break;
        }
        case VertexKind::ReplicaSet:
        case VertexKind::StatefulSet: {
            v.size = kControllerSize;
            const long long desired = integer(o, "/spec/replicas"_json_pointer, 1);
            const long long current = integer(o, "/status/replicas"_json_pointer);
            replicated(desired, integer(o, "/status/readyReplicas"_json_pointer), current,
                       v.kind == VertexKind::StatefulSet
                           ? integer(o, "/status/updatedReplicas"_json_pointer, current)
                           : current);
            if (desired == 0 && current == 0) {
                // An old revision of a Deployment: kept for rollback, drawn as such.
                v.state = VertexState::Terminating;
            }
            break;
        }
        case VertexKind::DaemonSet: {
            v.size = kControllerSize;
            const long long desired = integer(o, "/status/desiredNumberScheduled"_json_pointer);
            replicated(desired, integer(o, "/status/numberReady"_json_pointer),
                       integer(o, "/status/currentNumberScheduled"_json_pointer),
                       integer(o, "/status/updatedNumberScheduled"_json_pointer, desired));
            break;
        }
        case VertexKind::Job: {
            v.size = kControllerSize;
            const long long succeeded = integer(o, "/status/succeeded"_json_pointer);
            const bool hasCompletions = o.contains("/spec/completions"_json_pointer) &&
                                        o.at("/spec/completions"_json_pointer).is_number_integer();
            v.ready = hasCompletions
                          ? fraction(succeeded, integer(o, "/spec/completions"_json_pointer))
                          : QString::number(succeeded);
            if (conditionTrue(o, "Complete")) {
                v.state = VertexState::Succeeded;
                v.status = tr("Complete");
            } else if (conditionTrue(o, "Failed")) {
                v.state = VertexState::Failed;
                v.status = tr("Failed");
            } else if (flag(o, "/spec/suspend"_json_pointer)) {
                v.state = VertexState::Pending;
                v.status = tr("Suspended");
            } else {
                v.state = VertexState::Running;
                v.status = tr("Running");
            }
            break;
        }
        case VertexKind::Service: {
            v.size = kControllerSize;
            QString type = qStringAt(o, "/spec/type"_json_pointer);
            if (type.isEmpty()) {
                type = QStringLiteral("ClusterIP");
            }
            v.status = type;
            v.state = VertexState::Unknown;  // from its endpoints, in computeEdges
            break;
        }
        case VertexKind::Node: {
            const json* ready = condition(o, "Ready");
            const bool isReady =
                ready != nullptr && ready->value("status", std::string()) == "True";
            v.state = isReady ? VertexState::Ready : VertexState::NotReady;
            v.status = isReady ? QStringLiteral("Ready") : QStringLiteral("NotReady");
            if (flag(o, "/spec/unschedulable"_json_pointer)) {
                v.status += QStringLiteral(",SchedulingDisabled");
            }
            break;
        }
        case VertexKind::Namespace: {
            v.status = qStringAt(o, "/status/phase"_json_pointer);
            v.state = v.status == QLatin1String("Terminating") ? VertexState::Terminating
                                                               : VertexState::Ready;
            break;
        }
    }
    if (deleting && v.kind != VertexKind::Pod && v.kind != VertexKind::Namespace) {
        v.state = VertexState::Terminating;
        v.status = QStringLiteral("Terminating");
    }
    v.color = colorRoleOf(v.state);
    return v;
}

void TopologyModel::applyEvents(const ResourceEvents& events) {
    bool namespacesTouched = false;
    for (const ResourceEvent& event : events) {
        if (!event.object) {
            continue;
        }
        const json& o = *event.object;
        const QString nameSpace = qStringAt(o, "/metadata/namespace"_json_pointer);
        const QString name = qStringAt(o, "/metadata/name"_json_pointer);
        const QString key = nameSpace + QLatin1Char('/') + name;
        auto& objects = m_objects.at(static_cast<std::size_t>(event.kind));
        const bool isVertex = event.kind != ResourceKind::EndpointSlice;
        namespacesTouched = namespacesTouched || event.kind == ResourceKind::Namespace;
        if (event.type == ResourceEvent::Type::Deleted) {
            objects.remove(key);
            if (isVertex) {
                m_derived.remove(vertexId(vertexKindOf(event.kind), nameSpace, name));
            }
        } else {
            objects.insert(key, event.object);
            if (isVertex) {
                TopologyVertex v = derive(event.kind, event.object);
                m_derived.insert(v.id, std::move(v));
            }
        }
    }
    if (namespacesTouched) {
        QStringList names;
        for (const auto& object : m_objects.at(static_cast<std::size_t>(ResourceKind::Namespace))) {
            names.append(qStringAt(*object, "/metadata/name"_json_pointer));
        }
        std::sort(names.begin(), names.end());
        if (names != m_namespaces) {
            m_namespaces = names;
            emit namespacesChanged();
        }
    }
    rebuild(false);
}

void TopologyModel::clear() {
    for (auto& objects : m_objects) {
        objects.clear();
    }
    m_derived.clear();
    m_namespaces.clear();
    emit namespacesChanged();
    rebuild(true);
}

const TopologyVertex* TopologyModel::vertex(const QString& id) const {
    auto it = m_visible.constFind(id);
    return it == m_visible.constEnd() ? nullptr : &it.value();
}

QList<const TopologyVertex*> TopologyModel::verticesOfKind(VertexKind kind) const {
    QList<const TopologyVertex*> result;
    for (const TopologyVertex& v : m_visible) {
        if (v.kind == kind) {
            result.append(&v);
        }
    }
    std::sort(result.begin(), result.end(), [](const TopologyVertex* a, const TopologyVertex* b) {
        return std::tie(a->nameSpace, a->name) < std::tie(b->nameSpace, b->name);
    });
    return result;
}

QStringList TopologyModel::targetsOf(const QString& id, TopologyEdge::Kind kind) const {
    QStringList result;
    for (const TopologyEdge& edge : m_edges) {
        if (edge.from == id && edge.kind == kind) {
            result.append(edge.to);
        }
    }
    std::sort(result.begin(), result.end());
    return result;
}

QStringList TopologyModel::allNamespaces() const {
    return m_namespaces;
}

QRectF TopologyModel::boundingRect() const {
    QRectF rect = m_skeletonRect;
    for (const TopologyVertex& v : m_visible) {
        if (v.kind == VertexKind::Node || v.kind == VertexKind::Pod) {
            rect = rect.united(v.rect());
        }
    }
    if (!m_unscheduledLane.isNull()) {
        rect = rect.united(m_unscheduledLane);
    }
    return rect;
}

QString TopologyModel::setFilter(const TopologyFilter& filter) {
    std::optional<core::LabelSelector> selector;
    if (!filter.labelSelector.trimmed().isEmpty()) {
        auto parsed = core::LabelSelector::parse(filter.labelSelector.toStdString());
        if (!parsed.ok()) {
            return QString::fromStdString(parsed.error().message());
        }
        selector = std::move(parsed).value();
    }
    if (filter == m_filter) {
        return {};
    }
    m_filter = filter;
    m_selector = std::move(selector);
    rebuild(true);
    return {};
}

bool TopologyModel::passesFilter(const TopologyVertex& v) const {
    if (v.kind == VertexKind::Node) {
        return true;
    }
    const QString& nameSpace = v.kind == VertexKind::Namespace ? v.name : v.nameSpace;
    if (!m_filter.namespaces.isEmpty() && !m_filter.namespaces.contains(nameSpace)) {
        return false;
    }
    if (v.kind == VertexKind::Namespace) {
        return true;
    }
    if (!m_filter.kinds.isEmpty() && !m_filter.kinds.contains(v.kind)) {
        return false;
    }
    if (m_selector) {
        core::Labels labels;
        for (auto it = v.labels.cbegin(); it != v.labels.cend(); ++it) {
            labels.emplace(it.key().toStdString(), it.value().toStdString());
        }
        if (!m_selector->matches(labels)) {
            return false;
        }
    }
    return true;
}

QStringList TopologyModel::search(const QString& needle) const {
    const QString query = needle.trimmed();
    if (query.isEmpty()) {
        return {};
    }
    QList<const TopologyVertex*> found;
    for (const TopologyVertex& v : m_visible) {
        bool match =
            v.name.contains(query, Qt::CaseInsensitive) ||
            (kindName(v.kind) + QLatin1Char('/') + v.name).contains(query, Qt::CaseInsensitive);
        for (auto it = v.labels.cbegin(); !match && it != v.labels.cend(); ++it) {
            match = it.value().contains(query, Qt::CaseInsensitive);
        }
        if (match) {
            found.append(&v);
        }
    }
    std::sort(found.begin(), found.end(), [](const TopologyVertex* a, const TopologyVertex* b) {
        return std::tie(a->kind, a->nameSpace, a->name) < std::tie(b->kind, b->nameSpace, b->name);
    });
    QStringList ids;
    for (const TopologyVertex* v : found) {
        ids.append(v->id);
    }
    return ids;
}

QHash<QString, TopologyEdge> TopologyModel::computeEdges(
    QHash<QString, TopologyVertex>& vertices) const {
    QHash<QString, TopologyEdge> edges;
    auto add = [&edges](const QString& from, const QString& to, TopologyEdge::Kind kind) {
        TopologyEdge edge{from, to, kind};
        edges.insert(edge.key(), edge);
    };
    for (const TopologyVertex& v : vertices) {
        if (!v.ownerId.isEmpty() && vertices.contains(v.ownerId)) {
            add(v.ownerId, v.id, TopologyEdge::Kind::Owns);
        }
    }

    // Services reach pods through their EndpointSlices (what the proxy uses); a Service
    // without slices yet falls back to its selector.
    struct Backends {
        int total = 0;
        int ready = 0;
        bool hasSlices = false;
    };
    QHash<QString, Backends> backends;
    for (const auto& slice : m_objects.at(static_cast<std::size_t>(ResourceKind::EndpointSlice))) {
        const json& s = *slice;
        const QString nameSpace = qStringAt(s, "/metadata/namespace"_json_pointer);
        const QString service =
            qStringAt(s, "/metadata/labels/kubernetes.io~1service-name"_json_pointer);
        if (service.isEmpty()) {
            continue;
        }
        const QString serviceId = vertexId(VertexKind::Service, nameSpace, service);
        Backends& b = backends[serviceId];
        b.hasSlices = true;
        for (const json& endpoint : arrayAt(s, "/endpoints"_json_pointer)) {
            ++b.total;
            if (!endpoint.contains("/conditions/ready"_json_pointer) ||
                flag(endpoint, "/conditions/ready"_json_pointer)) {
                ++b.ready;
            }
            if (qStringAt(endpoint, "/targetRef/kind"_json_pointer) != QLatin1String("Pod")) {
                continue;
            }
            QString podNamespace = qStringAt(endpoint, "/targetRef/namespace"_json_pointer);
            if (podNamespace.isEmpty()) {
                podNamespace = nameSpace;
            }
            const QString podId = vertexId(VertexKind::Pod, podNamespace,
                                           qStringAt(endpoint, "/targetRef/name"_json_pointer));
            if (vertices.contains(podId) && vertices.contains(serviceId)) {
                add(serviceId, podId, TopologyEdge::Kind::Routes);
            }
        }
    }
    for (TopologyVertex& service : vertices) {
        if (service.kind != VertexKind::Service) {
            continue;
        }
        Backends& b = backends[service.id];
        const json* selector = nullptr;
        if (service.object->contains("/spec/selector"_json_pointer) &&
            service.object->at("/spec/selector"_json_pointer).is_object() &&
            !service.object->at("/spec/selector"_json_pointer).empty()) {
            selector = &service.object->at("/spec/selector"_json_pointer);
        }
        if (!b.hasSlices && selector != nullptr) {
            for (const TopologyVertex& pod : std::as_const(vertices)) {
                if (pod.kind != VertexKind::Pod || pod.nameSpace != service.nameSpace) {
                    continue;
                }
                bool selected = true;
                for (const auto& [key, value] : selector->items()) {
                    if (!value.is_string() ||
                        pod.labels.value(QString::fromStdString(key)) !=
                            QString::fromStdString(value.get<std::string>())) {
                        selected = false;
                        break;
                    }
                }
                if (selected) {
                    ++b.total;
                    b.ready += pod.state == VertexState::Ready ? 1 : 0;
                    add(service.id, pod.id, TopologyEdge::Kind::Routes);
                }
            }
        }
        if (service.state == VertexState::Terminating) {
            continue;
        }
        service.ready = fraction(b.ready, b.total);
        if (selector == nullptr && !b.hasSlices) {
            service.state = VertexState::Unknown;
            service.ready.clear();
        } else {
            service.state = b.ready > 0 ? VertexState::Ready : VertexState::NotReady;
        }
        service.color = colorRoleOf(service.state);
    }
    return edges;
}

void TopologyModel::layoutSkeleton(QHash<QString, TopologyVertex>& vertices,
                                   const QHash<QString, TopologyEdge>& edges, bool force) {
    LayoutGraph graph;
    QStringList signature;
    QSet<QString> namespacesWithMembers;
    QList<const TopologyVertex*> members;
    for (const TopologyVertex& v : std::as_const(vertices)) {
        if (isSkeletonKind(v.kind)) {
            members.append(&v);
            namespacesWithMembers.insert(v.nameSpace);
        }
    }
    // Sorted input: dot's result depends on the order nodes are declared in.
    std::sort(members.begin(), members.end(), [](const TopologyVertex* a, const TopologyVertex* b) {
        return std::tie(a->nameSpace, a->kind, a->name) < std::tie(b->nameSpace, b->kind, b->name);
    });
    QStringList namespaceNames;
    for (const TopologyVertex& v : std::as_const(vertices)) {
        if (v.kind == VertexKind::Namespace) {
            namespaceNames.append(v.name);
        }
    }
    std::sort(namespaceNames.begin(), namespaceNames.end());
    for (const QString& nameSpace : std::as_const(namespaceNames)) {
        graph.clusters.append({nameSpace, nameSpace});
        signature.append(QStringLiteral("c:") + nameSpace);
        if (!namespacesWithMembers.contains(nameSpace)) {
            // An empty namespace still gets its (small) box.
            graph.nodes.append({QStringLiteral("empty:") + nameSpace, QSizeF(150, 20), nameSpace});
        }
    }
    for (const TopologyVertex* v : std::as_const(members)) {
        const QString cluster = namespaceNames.contains(v->nameSpace) ? v->nameSpace : QString();
        graph.nodes.append({v->id, v->size, cluster});
        signature.append(QStringLiteral("n:") + v->id);
    }
    // Edges for the layout: ownership between skeleton vertices, and a Service to the owners of
    // the pods it routes to, so that a Service sits beside the workload it fronts.
    QSet<QString> layoutEdges;
    QList<QPair<QString, QString>> sortedEdges;
    for (const TopologyEdge& edge : edges) {
        const TopologyVertex& from = vertices[edge.from];
        const TopologyVertex& to = vertices[edge.to];
        QString target;
        if (isSkeletonKind(to.kind)) {
            target = to.id;
        } else if (from.kind == VertexKind::Service && to.kind == VertexKind::Pod &&
                   vertices.contains(to.ownerId)) {
            target = to.ownerId;
        }
        if (!target.isEmpty() && isSkeletonKind(from.kind)) {
            const QString key = from.id + QLatin1Char('>') + target;
            if (!layoutEdges.contains(key)) {
                layoutEdges.insert(key);
                sortedEdges.append({from.id, target});
            }
        }
    }
    std::sort(sortedEdges.begin(), sortedEdges.end());
    for (const auto& [from, to] : std::as_const(sortedEdges)) {
        graph.edges.append({from, to});
        signature.append(QStringLiteral("e:") + from + QLatin1Char('>') + to);
    }

    const QString joined = signature.join(QLatin1Char('\n'));
    if (force || joined != m_skeletonSignature) {
        m_skeletonSignature = joined;
        const LayoutResult result = m_graphviz->layout(graph);
        ++m_skeletonLayouts;
        const QPointF offset(-kSkeletonGap - result.boundingRect.width(), 0);
        m_skeletonPositions.clear();
        for (auto it = result.positions.cbegin(); it != result.positions.cend(); ++it) {
            m_skeletonPositions.insert(it.key(), it.value() + offset);
        }
        m_namespaceRects.clear();
        for (auto it = result.clusterRects.cbegin(); it != result.clusterRects.cend(); ++it) {
            m_namespaceRects.insert(it.key(), it.value().translated(offset));
        }
        m_skeletonRect = result.boundingRect.translated(offset);
    }
    for (TopologyVertex& v : vertices) {
        if (isSkeletonKind(v.kind)) {
            v.position = m_skeletonPositions.value(v.id);
        } else if (v.kind == VertexKind::Namespace) {
            const QRectF rect = m_namespaceRects.value(v.name);
            v.position = rect.topLeft();
            v.size = rect.size();
        }
    }
}

void TopologyModel::layoutLanes(QHash<QString, TopologyVertex>& vertices) {
    QStringList nodes;
    for (const TopologyVertex& v : std::as_const(vertices)) {
        if (v.kind == VertexKind::Node) {
            nodes.append(v.name);
        }
    }
    std::sort(nodes.begin(), nodes.end(), naturalLess);
    QHash<QString, int> laneOf;
    for (int i = 0; i < nodes.size(); ++i) {
        laneOf.insert(nodes[i], i);
    }

    // Free the slots of pods that are gone or changed lanes.
    QList<const TopologyVertex*> newcomers;
    for (auto it = m_podSlots.begin(); it != m_podSlots.end();) {
        auto v = vertices.constFind(it.key());
        const QString lane = v == vertices.constEnd()       ? QString()
                             : laneOf.contains(v->nodeName) ? v->nodeName
                                                            : QString();
        if (v == vertices.constEnd() || lane != it.value().first) {
            m_lanes[it.value().first].podIds[it.value().second].clear();
            it = m_podSlots.erase(it);
        } else {
            ++it;
        }
    }
    for (const TopologyVertex& v : std::as_const(vertices)) {
        if (v.kind == VertexKind::Pod && !m_podSlots.contains(v.id)) {
            newcomers.append(&v);
        }
    }
    // Newcomers of one update take slots in a stable order: by owner, then name.
    std::sort(newcomers.begin(), newcomers.end(),
              [](const TopologyVertex* a, const TopologyVertex* b) {
                  return std::tie(a->ownerId, a->nameSpace, a->name) <
                         std::tie(b->ownerId, b->nameSpace, b->name);
              });
    for (const TopologyVertex* pod : std::as_const(newcomers)) {
        const QString lane = laneOf.contains(pod->nodeName) ? pod->nodeName : QString();
        QStringList& podIds = m_lanes[lane].podIds;
        int slot = static_cast<int>(podIds.indexOf(QString()));
        if (slot < 0) {
            slot = static_cast<int>(podIds.size());
            podIds.append(pod->id);
        } else {
            podIds[slot] = pod->id;
        }
        m_podSlots.insert(pod->id, {lane, slot});
    }
    for (auto it = m_lanes.begin(); it != m_lanes.end();) {
        QStringList& podIds = it.value().podIds;
        while (!podIds.isEmpty() && podIds.constLast().isEmpty()) {
            podIds.removeLast();
        }
        it = podIds.isEmpty() && !laneOf.contains(it.key()) ? m_lanes.erase(it) : std::next(it);
    }

    auto laneWidth = [this](const QString& lane) {
        const auto used = static_cast<int>(m_lanes.value(lane).podIds.size());
        return kLaneHeaderWidth + std::max(used, kMinimumLaneSlots) * kSlotWidth;
    };
    m_unscheduledLane = m_lanes.contains(QString())
                            ? QRectF(0, -kLaneHeight, laneWidth(QString()), kLaneHeight)
                            : QRectF();
    for (TopologyVertex& v : vertices) {
        if (v.kind == VertexKind::Node) {
            v.position = QPointF(0, laneOf.value(v.name) * kLaneHeight);
            v.size = QSizeF(laneWidth(v.name), kLaneHeight);
        } else if (v.kind == VertexKind::Pod) {
            const auto [lane, slot] = m_podSlots.value(v.id);
            const double y = lane.isEmpty() ? -kLaneHeight : laneOf.value(lane) * kLaneHeight;
            v.position =
                QPointF(kLaneHeaderWidth + slot * kSlotWidth + kSlotWidth / 2, y + kLaneHeight / 2);
        }
    }
}

void TopologyModel::rebuild(bool fullLayout) {
    QHash<QString, TopologyEdge> allEdges = computeEdges(m_derived);
    QHash<QString, TopologyVertex> visible;
    visible.reserve(m_derived.size());
    for (const TopologyVertex& v : std::as_const(m_derived)) {
        if (passesFilter(v)) {
            visible.insert(v.id, v);
        }
    }
    QHash<QString, TopologyEdge> edges;
    for (const TopologyEdge& edge : std::as_const(allEdges)) {
        if (visible.contains(edge.from) && visible.contains(edge.to)) {
            edges.insert(edge.key(), edge);
        }
    }
    if (fullLayout) {
        m_podSlots.clear();
        m_lanes.clear();
    }
    const int layoutsBefore = m_skeletonLayouts;
    layoutSkeleton(visible, edges, fullLayout);
    layoutLanes(visible);

    TopologyDelta delta;
    delta.relaidOut = m_skeletonLayouts != layoutsBefore;
    for (const TopologyVertex& v : std::as_const(visible)) {
        auto old = m_visible.constFind(v.id);
        if (old == m_visible.constEnd()) {
            delta.added.append(v.id);
            continue;
        }
        if (old->object != v.object || old->state != v.state || old->status != v.status ||
            old->ready != v.ready || old->color != v.color) {
            delta.changed.append(v.id);
        }
        if (old->position != v.position || old->size != v.size) {
            delta.moved.append(v.id);
        }
    }
    for (auto it = m_visible.cbegin(); it != m_visible.cend(); ++it) {
        if (!visible.contains(it.key())) {
            delta.removed.append(it.key());
        }
    }
    for (const TopologyEdge& edge : std::as_const(edges)) {
        if (!m_edges.contains(edge.key())) {
            delta.edgesAdded.append(edge);
        }
    }
    for (const TopologyEdge& edge : std::as_const(m_edges)) {
        if (!edges.contains(edge.key())) {
            delta.edgesRemoved.append(edge);
        }
    }
    m_visible = std::move(visible);
    m_edges = std::move(edges);
    if (!delta.isEmpty()) {
        emit topologyChanged(delta);
    }
}

}  // namespace slipway::gui
