// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <functional>
#include <vector>

#include <QAbstractTableModel>

#include "vm/cluster.h"

namespace slipway::gui {

/// The clusters under one clusters root, one row per cluster, as `slipway list` shows them.
///
/// Rows stay sorted by name. setClusters() merges a fresh listing into the rows by name
/// (rowsInserted, rowsRemoved, dataChanged; never a reset), so a view's selection and any
/// QPersistentModelIndex survive the periodic refresh.
class ClusterListModel : public QAbstractTableModel {
    Q_OBJECT

public:
    /// The columns, in display order.
    enum Column {
        NameColumn,
        StateColumn,
        DriverColumn,
        CpusColumn,
        MemoryColumn,
        NodesColumn,
        ApiAddressColumn,
        AgeColumn,
        ColumnCount,
    };
    Q_ENUM(Column)

    /// Roles beyond Qt's own; valid on every column of a row.
    enum Role {
        /// The cluster's vm::ClusterState (`index.data(StateRole).value<vm::ClusterState>()`).
        StateRole = Qt::UserRole + 1,
        /// The cluster's name as a QString; the key rows are merged by.
        NameRole,
        /// When the cluster was created, as a QDateTime (invalid if unknown); sorts the Age column.
        CreatedAtRole,
        /// The cluster's own kubeconfig file as a QString (empty before its first start).
        KubeconfigPathRole,
        /// The cluster's driver (vm::DriverKind).
        DriverRole,
    };
    Q_ENUM(Role)

    /// What "now" is when the Age column is computed; tests pin it.
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    explicit ClusterListModel(QObject* parent = nullptr);
    ~ClusterListModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Merges a fresh listing into the rows, matching clusters by name: clusters that are gone
    /// are removed, new ones inserted at their sorted position, the others updated in place.
    /// Ages are recomputed, so a refresh also advances the Age column.
    void setClusters(std::vector<vm::ClusterStatus> clusters);

    /// The cluster shown in `row`; `row` must be in [0, rowCount()).
    const vm::ClusterStatus& clusterAt(int row) const;
    /// The row of the cluster called `name`, or -1.
    int rowOf(const QString& name) const;

    /// Replaces the clock the Age column is computed against (default: system_clock::now).
    void setClock(Clock clock);

    /// An age the way kubectl prints one (k8s.io/apimachinery HumanDuration): "5s", "119s",
    /// "3m10s", "3m", "2h30m", "2h", "4d5h", "30d", "2y100d", "12y". Negative ages from a clock
    /// a second behind print "0s"; anything earlier is "<invalid>".
    static QString formatAge(std::chrono::seconds age);
    /// A memory size for people: "512 MiB", "2 GiB", "1.5 GiB".
    static QString formatMemory(std::int64_t mebibytes);
    /// The translated name of a state ("Running", "Stopped", ...).
    static QString stateText(vm::ClusterState state);

private:
    QVariant displayData(const vm::ClusterStatus& cluster, int column) const;

    std::vector<vm::ClusterStatus> m_clusters;
    Clock m_clock;
};

}  // namespace slipway::gui
