// SPDX-License-Identifier: Apache-2.0
#include "gui/models/cluster_list_model.h"

#include <algorithm>
#include <unordered_set>

#include <QDateTime>
#include <QLocale>

#include "engine/core/duration.h"

namespace slipway::gui {

namespace {

/// Both sides show a dash where there is nothing to say (not running, never created).
QString dash() {
    return QStringLiteral("\u2014");
}

bool sameCluster(const vm::ClusterStatus& a, const vm::ClusterStatus& b) {
    return a.spec.name == b.spec.name && a.spec.driver == b.spec.driver &&
           a.spec.cpus == b.spec.cpus && a.spec.memoryMiB == b.spec.memoryMiB &&
           a.spec.nodes == b.spec.nodes && a.spec.createdAt == b.spec.createdAt &&
           a.state == b.state && a.apiServerUrl == b.apiServerUrl &&
           a.kubeconfigPath == b.kubeconfigPath && a.message == b.message;
}

QDateTime toDateTime(std::chrono::system_clock::time_point when) {
    if (when == std::chrono::system_clock::time_point{}) {
        return {};
    }
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count();
    return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(ms));
}

bool byName(const vm::ClusterStatus& a, const vm::ClusterStatus& b) {
    return a.spec.name < b.spec.name;
}

}  // namespace

ClusterListModel::ClusterListModel(QObject* parent)
    : QAbstractTableModel(parent), m_clock([] { return std::chrono::system_clock::now(); }) {}

ClusterListModel::~ClusterListModel() = default;

int ClusterListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_clusters.size());
}

int ClusterListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClusterListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const vm::ClusterStatus& cluster = clusterAt(index.row());
    switch (role) {
        case Qt::DisplayRole:
            return displayData(cluster, index.column());
        case Qt::ToolTipRole:
            if (cluster.state == vm::ClusterState::Error && !cluster.message.empty()) {
                return QString::fromStdString(cluster.message);
            }
            if (index.column() == AgeColumn) {
                const QDateTime created = toDateTime(cluster.spec.createdAt);
                if (created.isValid()) {
                    return tr("Created %1").arg(QLocale().toString(created, QLocale::LongFormat));
                }
            }
            return {};
        case Qt::TextAlignmentRole:
            switch (index.column()) {
                case CpusColumn:
                case MemoryColumn:
                case NodesColumn:
                case AgeColumn:
                    return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
                default:
                    return QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter));
            }
        case StateRole:
            return QVariant::fromValue(cluster.state);
        case NameRole:
            return QString::fromStdString(cluster.spec.name);
        case CreatedAtRole:
            return toDateTime(cluster.spec.createdAt);
        case KubeconfigPathRole:
            return QString::fromStdString(cluster.kubeconfigPath);
        case DriverRole:
            return QVariant::fromValue(cluster.spec.driver);
        default:
            return {};
    }
}

QVariant ClusterListModel::displayData(const vm::ClusterStatus& cluster, int column) const {
    switch (column) {
        case NameColumn:
            return QString::fromStdString(cluster.spec.name);
        case StateColumn:
            return stateText(cluster.state);
        case DriverColumn: {
            const std::string_view driver = vm::driverName(cluster.spec.driver);
            return QString::fromUtf8(driver.data(), static_cast<qsizetype>(driver.size()));
        }
        case CpusColumn:
            return cluster.spec.cpus;
        case MemoryColumn:
            return formatMemory(cluster.spec.memoryMiB);
        case NodesColumn:
            return cluster.spec.nodes;
        case ApiAddressColumn:
            return cluster.apiServerUrl.empty() ? dash()
                                                : QString::fromStdString(cluster.apiServerUrl);
        case AgeColumn: {
            if (cluster.spec.createdAt == std::chrono::system_clock::time_point{}) {
                return dash();
            }
            return formatAge(std::chrono::duration_cast<std::chrono::seconds>(
                m_clock() - cluster.spec.createdAt));
        }
        default:
            return {};
    }
}

QVariant ClusterListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) {
        return {};
    }
    if (role == Qt::TextAlignmentRole) {
        switch (section) {
            case CpusColumn:
            case MemoryColumn:
            case NodesColumn:
            case AgeColumn:
                return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
            default:
                return QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter));
        }
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
        case NameColumn:
            return tr("Name");
        case StateColumn:
            return tr("State");
        case DriverColumn:
            return tr("Driver");
        case CpusColumn:
            return tr("CPUs");
        case MemoryColumn:
            return tr("Memory");
        case NodesColumn:
            return tr("Nodes");
        case ApiAddressColumn:
            return tr("API address");
        case AgeColumn:
            return tr("Age");
        default:
            return {};
    }
}

QHash<int, QByteArray> ClusterListModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(StateRole, QByteArrayLiteral("state"));
    names.insert(NameRole, QByteArrayLiteral("name"));
    names.insert(CreatedAtRole, QByteArrayLiteral("createdAt"));
    names.insert(KubeconfigPathRole, QByteArrayLiteral("kubeconfigPath"));
    names.insert(DriverRole, QByteArrayLiteral("driver"));
    return names;
}

void ClusterListModel::setClusters(std::vector<vm::ClusterStatus> clusters) {
    // Sort the listing and drop repeated names (the first one wins), so the merge below can
    // walk both sorted sequences once: 3 rows and a listing of 4 take 7 steps, not 12.
    std::stable_sort(clusters.begin(), clusters.end(), byName);
    clusters.erase(
        std::unique(clusters.begin(), clusters.end(),
                    [](const auto& a, const auto& b) { return a.spec.name == b.spec.name; }),
        clusters.end());

    // Removals first, bottom-up in contiguous runs, so the row numbers above stay valid.
    std::unordered_set<std::string> incoming;
    incoming.reserve(clusters.size());
    for (const vm::ClusterStatus& cluster : clusters) {
        incoming.insert(cluster.spec.name);
    }
    for (int row = rowCount() - 1; row >= 0;) {
        if (incoming.count(clusterAt(row).spec.name) != 0) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && incoming.count(clusterAt(first - 1).spec.name) == 0) {
            --first;
        }
        beginRemoveRows({}, first, row);
        m_clusters.erase(m_clusters.begin() + first, m_clusters.begin() + row + 1);
        endRemoveRows();
        row = first - 1;
    }

    // Now every row is in the listing; insert the new names and update the others in place.
    std::size_t at = 0;
    for (vm::ClusterStatus& cluster : clusters) {
        const int row = static_cast<int>(at);
        if (at < m_clusters.size() && m_clusters[at].spec.name == cluster.spec.name) {
            if (!sameCluster(m_clusters[at], cluster)) {
                m_clusters[at] = std::move(cluster);
                emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
            }
        } else {
            beginInsertRows({}, row, row);
            m_clusters.insert(m_clusters.begin() + static_cast<std::ptrdiff_t>(at),
                              std::move(cluster));
            endInsertRows();
        }
        ++at;
    }

    // Time has passed since the last listing even where nothing else changed.
    if (!m_clusters.empty()) {
        emit dataChanged(index(0, AgeColumn), index(rowCount() - 1, AgeColumn),
                         {Qt::DisplayRole, Qt::ToolTipRole});
    }
}

const vm::ClusterStatus& ClusterListModel::clusterAt(int row) const {
    Q_ASSERT(row >= 0 && row < rowCount());
    return m_clusters[static_cast<std::size_t>(row)];
}

int ClusterListModel::rowOf(const QString& name) const {
    const std::string key = name.toStdString();
    const auto it = std::find_if(m_clusters.begin(), m_clusters.end(),
                                 [&key](const auto& cluster) { return cluster.spec.name == key; });
    return it == m_clusters.end() ? -1 : static_cast<int>(it - m_clusters.begin());
}

void ClusterListModel::setClock(Clock clock) {
    m_clock = std::move(clock);
    if (!m_clusters.empty()) {
        emit dataChanged(index(0, AgeColumn), index(rowCount() - 1, AgeColumn),
                         {Qt::DisplayRole, Qt::ToolTipRole});
    }
}

QString ClusterListModel::formatAge(std::chrono::seconds age) {
    // kubectl's AGE column, so Studio and the terminal agree on every age.
    return QString::fromStdString(core::humanDuration(age));
}

QString ClusterListModel::formatMemory(std::int64_t mebibytes) {
    if (mebibytes < 1024) {
        return tr("%1 MiB").arg(mebibytes);
    }
    if (mebibytes % 1024 == 0) {
        return tr("%1 GiB").arg(mebibytes / 1024);
    }
    return tr("%1 GiB").arg(QLocale().toString(static_cast<double>(mebibytes) / 1024.0, 'f', 1));
}

QString ClusterListModel::stateText(vm::ClusterState state) {
    switch (state) {
        case vm::ClusterState::Stopped:
            return tr("Stopped");
        case vm::ClusterState::Starting:
            return tr("Starting");
        case vm::ClusterState::Running:
            return tr("Running");
        case vm::ClusterState::Paused:
            return tr("Paused");
        case vm::ClusterState::Error:
            return tr("Error");
    }
    return {};
}

}  // namespace slipway::gui
