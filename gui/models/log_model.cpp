// SPDX-License-Identifier: Apache-2.0
#include "gui/models/log_model.h"

#include <algorithm>

namespace slipway::gui {

using nlohmann::json;

namespace {

QString controllerOf(const json& object, const char* kind) {
    const json::json_pointer pointer("/metadata/ownerReferences");
    if (!object.contains(pointer) || !object.at(pointer).is_array()) {
        return {};
    }
    for (const json& owner : object.at(pointer)) {
        if (owner.is_object() && owner.value("kind", std::string()) == kind &&
            owner.value("controller", false)) {
            return QString::fromStdString(owner.value("name", std::string()));
        }
    }
    return {};
}

/// A pod whose containers have started at least once has a log to give.
/// The restarts of all of a pod's containers, and whether one of them runs now.
long long restartsOf(const json& pod) {
    long long restarts = 0;
    const json::json_pointer statuses("/status/containerStatuses");
    if (pod.contains(statuses) && pod.at(statuses).is_array()) {
        for (const json& container : pod.at(statuses)) {
            const auto count = container.find("restartCount");
            if (count != container.end() && count->is_number_integer()) {
                restarts += count->get<long long>();
            }
        }
    }
    return restarts;
}

bool hasRunningContainer(const json& pod) {
    const json::json_pointer statuses("/status/containerStatuses");
    if (!pod.contains(statuses) || !pod.at(statuses).is_array()) {
        return false;
    }
    return std::any_of(pod.at(statuses).begin(), pod.at(statuses).end(),
                       [](const json& c) { return c.contains("/state/running"_json_pointer); });
}

bool hasLog(const json& pod) {
    const QString phase = qStringAt(pod, "/status/phase"_json_pointer);
    if (phase == QLatin1String("Running") || phase == QLatin1String("Succeeded") ||
        phase == QLatin1String("Failed")) {
        return true;
    }
    const json::json_pointer statuses("/status/containerStatuses");
    if (!pod.contains(statuses) || !pod.at(statuses).is_array()) {
        return false;
    }
    return std::any_of(pod.at(statuses).begin(), pod.at(statuses).end(), [](const json& c) {
        return c.contains("/state/running"_json_pointer) ||
               c.contains("/state/terminated"_json_pointer) ||
               c.contains("/lastState/terminated"_json_pointer);
    });
}

QStringList sortedKeys(const QHash<QString, client::ObjectPtr>& objects) {
    QStringList keys = objects.keys();
    std::sort(keys.begin(), keys.end());
    return keys;
}

}  // namespace

LogModel::LogModel(QObject* parent) : QAbstractListModel(parent) {}

int LogModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_lines.size());
}

bool LogModel::showsPrefix() const {
    return m_deployment;
}

QVariant LogModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_lines.size()) {
        return {};
    }
    const LogLine& line = m_lines.at(index.row());
    switch (role) {
        case Qt::DisplayRole:
            if (line.notice) {
                return QStringLiteral("\u2014 ") + line.text;
            }
            return showsPrefix() ? QLatin1Char('[') + line.pod + QStringLiteral("] ") + line.text
                                 : line.text;
        case Qt::ToolTipRole:
            return line.time.isValid() ? line.time.toString(Qt::ISODateWithMs) : QVariant();
        case PodRole:
            return line.pod;
        case TextRole:
            return line.text;
        case NoticeRole:
            return line.notice;
        default:
            return {};
    }
}

QString LogModel::text() const {
    QStringList lines;
    lines.reserve(m_lines.size());
    for (int i = 0; i < m_lines.size(); ++i) {
        lines.append(data(index(i), Qt::DisplayRole).toString());
    }
    return lines.join(QLatin1Char('\n'));
}

QStringList LogModel::streamedPods() const {
    QStringList pods(m_streaming.begin(), m_streaming.end());
    std::sort(pods.begin(), pods.end());
    return pods;
}

QStringList LogModel::pods() const {
    return sortedKeys(m_objects.pods);
}

QStringList LogModel::deployments() const {
    return sortedKeys(m_objects.deployments);
}

void LogModel::follow(const QString& nameSpace, const QString& name, bool deployment) {
    const QStringList previous = streamedPods();
    for (const QString& pod : previous) {
        emit streamStopRequested(m_nameSpace, pod);
    }
    m_streaming.clear();
    m_ended.clear();
    clear();
    m_nameSpace = nameSpace;
    m_name = name;
    m_deployment = deployment;
    reconcileStreams();
}

void LogModel::clear() {
    beginResetModel();
    m_lines.clear();
    m_partial.clear();
    endResetModel();
}

void LogModel::applyEvents(const ResourceEvents& events) {
    bool targets = false;
    for (const ResourceEvent& event : events) {
        const auto change = m_objects.apply(event);
        // Deployments and pods are what a log can follow; ReplicaSets only link them.
        targets = targets || (change && change->kind != ResourceKind::ReplicaSet &&
                              (change->appeared || change->vanished));
    }
    if (targets) {
        emit targetsChanged();
    }
    reconcileStreams();
}

void LogModel::reconcileStreams() {
    if (m_name.isEmpty()) {
        return;
    }
    const QString prefix = m_nameSpace + QLatin1Char('/');
    QSet<QString> wanted;
    QSet<QString> known;
    for (auto it = m_objects.pods.constBegin(); it != m_objects.pods.constEnd(); ++it) {
        if (!it.key().startsWith(prefix)) {
            continue;
        }
        const json& pod = *it.value();
        const QString podName = qStringAt(pod, "/metadata/name"_json_pointer);
        bool mine = podName == m_name && !m_deployment;
        if (m_deployment) {
            const QString replicaSet = controllerOf(pod, "ReplicaSet");
            auto rs = m_objects.replicaSets.constFind(prefix + replicaSet);
            mine = !replicaSet.isEmpty() && rs != m_objects.replicaSets.constEnd() &&
                   controllerOf(*rs.value(), "Deployment") == m_name;
        }
        if (!mine) {
            continue;
        }
        known.insert(podName);
        if (const auto ended = m_ended.constFind(podName); ended != m_ended.constEnd()) {
            // Its stream ended with its container: follow the one that replaced it.
            if (restartsOf(pod) > ended.value() && hasRunningContainer(pod)) {
                m_ended.erase(ended);
            }
        }
        if (hasLog(pod)) {
            wanted.insert(podName);
        }
    }
    for (const QString& pod : std::as_const(wanted)) {
        if (!m_streaming.contains(pod) && !m_ended.contains(pod)) {
            m_streaming.insert(pod);
            emit streamRequested(m_nameSpace, pod);
        }
    }
    // Pods that are gone: their streams end by themselves, but do not wait for it.
    const QSet<QString> streaming = m_streaming;
    for (const QString& pod : streaming) {
        if (!known.contains(pod)) {
            m_streaming.remove(pod);
            emit streamStopRequested(m_nameSpace, pod);
        }
    }
}

void LogModel::insertLine(LogLine line) {
    // Lines mostly arrive in order: append. A pod's backlog older than what is shown is placed
    // by time (after every line of the same time, so each pod keeps its own order).
    int position = static_cast<int>(m_lines.size());
    if (line.time.isValid() && !m_lines.isEmpty()) {
        const QDateTime& last = m_lines.constLast().time;
        if (last.isValid() && line.time < last) {
            auto it = std::upper_bound(m_lines.begin(), m_lines.end(), line.time,
                                       [](const QDateTime& time, const LogLine& l) {
                                           return l.time.isValid() && time < l.time;
                                       });
            position = static_cast<int>(it - m_lines.begin());
        }
    }
    beginInsertRows({}, position, position);
    m_lines.insert(position, std::move(line));
    endInsertRows();
    if (m_lines.size() > kMaxLines) {
        beginRemoveRows({}, 0, 0);
        m_lines.removeFirst();
        endRemoveRows();
    }
}

void LogModel::appendChunk(const QString& pod, const QByteArray& chunk) {
    QByteArray& buffer = m_partial[pod];
    buffer.append(chunk);
    qsizetype start = 0;
    for (qsizetype end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n', start)) {
        QString lineText = QString::fromUtf8(buffer.constData() + start, end - start);
        start = end + 1;
        if (lineText.endsWith(QLatin1Char('\r'))) {
            lineText.chop(1);
        }
        LogLine line;
        line.pod = pod;
        // "2024-05-01T10:00:00.123456789Z text": the time the runtime took the line.
        const qsizetype space = lineText.indexOf(QLatin1Char(' '));
        if (space > 0) {
            const QDateTime time = QDateTime::fromString(lineText.left(space), Qt::ISODateWithMs);
            if (time.isValid()) {
                line.time = time;
                lineText = lineText.mid(space + 1);
            }
        }
        line.text = lineText;
        insertLine(std::move(line));
    }
    buffer.remove(0, start);
}

void LogModel::streamEnded(const QString& pod, const QString& error) {
    if (!m_streaming.contains(pod)) {
        return;  // stopped on purpose
    }
    m_streaming.remove(pod);
    const auto object = m_objects.pods.constFind(m_nameSpace + QLatin1Char('/') + pod);
    m_ended.insert(pod, object != m_objects.pods.constEnd() ? restartsOf(*object.value()) : 0);
    const QByteArray rest = m_partial.take(pod);
    if (!rest.isEmpty()) {
        appendChunk(pod, rest + '\n');
    }
    LogLine notice;
    notice.pod = pod;
    notice.notice = true;
    notice.text = error.isEmpty() ? tr("log of %1 ended").arg(pod)
                                  : tr("log of %1 unavailable: %2").arg(pod, error);
    if (!m_lines.isEmpty()) {
        notice.time = m_lines.constLast().time;
    }
    insertLine(std::move(notice));
}

}  // namespace slipway::gui
