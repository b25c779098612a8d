// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vector>

#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>

#include "gui/models/example_apps.h"
#include "vm/cluster.h"
#include "vm/host_capabilities.h"

namespace slipway::gui {

/// The state and rules of the *Create cluster* wizard, without widgets: the name (a DNS-1123
/// label no other cluster has), the driver (only one this machine can run), CPUs, memory and
/// disk bounded by the host, the node count (libvirt only; more than one needs
/// qemu:///system) and the example apps to deploy once the cluster is up.
///
/// What the host offers arrives from outside (ClusterService::checkHost runs the probes off
/// the GUI thread): until then both drivers count as "being checked" and nothing can be
/// created. Every setter clamps to the current bounds and emits changed().
class ClusterWizardModel : public QObject {
    Q_OBJECT

public:
    static constexpr int kMinCpus = 1;
    static constexpr std::int64_t kMinMemoryMiB = 512;
    static constexpr std::int64_t kMemoryStepMiB = 256;
    static constexpr std::int64_t kMinDiskGiB = 2;
    /// Server plus agents: the private network's addresses and a laptop's patience both end
    /// well before this.
    static constexpr int kMaxNodes = 8;

    explicit ClusterWizardModel(QObject* parent = nullptr);
    ~ClusterWizardModel() override;

    // What the world says.
    void setExistingClusterNames(const QStringList& names);
    void setHostResources(const vm::HostResources& host);
    /// `reason` says why the driver is unavailable (shown beside its choice).
    void setDriverAvailability(vm::DriverKind driver, bool available, const QString& reason);
    /// Whether the libvirt URI new clusters get allows several nodes, and if not, why.
    void setMultiNodeAvailability(bool available, const QString& reason);
    bool hostChecked() const { return m_hostChecked; }

    // The name.
    QString name() const { return m_name; }
    void setName(const QString& name);
    /// Why the name cannot be used, for display next to the field; empty when it can.
    QString nameError() const;
    /// The same rules for any name (exposed for tests and for the CLI's wording).
    QString nameErrorFor(const QString& name) const;

    // The driver.
    vm::DriverKind driver() const { return m_driver; }
    void setDriver(vm::DriverKind driver);
    bool isDriverChecked(vm::DriverKind driver) const;
    bool isDriverAvailable(vm::DriverKind driver) const;
    /// Why `driver` cannot be chosen ("Checking…" until checked); empty when it can.
    QString driverUnavailableReason(vm::DriverKind driver) const;

    // Resources.
    int cpus() const { return m_cpus; }
    void setCpus(int cpus);
    int maxCpus() const;
    std::int64_t memoryMiB() const { return m_memoryMiB; }
    void setMemoryMiB(std::int64_t mebibytes);
    std::int64_t maxMemoryMiB() const;
    std::int64_t diskGiB() const { return m_diskGiB; }
    void setDiskGiB(std::int64_t gibibytes);
    std::int64_t maxDiskGiB() const;
    /// Why the host cannot give a cluster even the minimum ("Only 1 GiB free…"); else empty.
    QString resourcesError() const;

    // Nodes.
    int nodes() const { return m_nodes; }
    void setNodes(int nodes);
    /// 1 for the local driver and when several nodes are not possible, else kMaxNodes.
    int maxNodes() const;
    /// Whether the node count may be changed at all (libvirt only).
    bool nodesEditable() const { return m_driver == vm::DriverKind::Libvirt; }
    /// Why the node count is limited to 1, for display beside it; empty when it is not.
    QString nodesHint() const;

    // Example apps.
    const QList<ExampleApp>& examples() const { return m_examples; }
    bool isExampleSelected(const QString& id) const;
    void setExampleSelected(const QString& id, bool selected);
    /// The objects of the selected examples, in the order examples() lists them.
    std::vector<nlohmann::json> selectedExampleObjects() const;
    QStringList selectedExampleIds() const;

    /// Everything is valid and the host has been checked.
    bool canCreate() const;
    /// The first thing that keeps canCreate() false, in words; empty when it is true.
    QString blockingReason() const;
    /// The cluster to create (createdAt is left for the manager to set).
    vm::ClusterSpec spec() const;

signals:
    void changed();

private:
    struct DriverState {
        bool checked = false;
        bool available = false;
        QString reason;
    };
    const DriverState& stateOf(vm::DriverKind driver) const;
    void clampAll();

    QStringList m_existing;
    vm::HostResources m_host;
    bool m_hostChecked = false;
    DriverState m_local;
    DriverState m_libvirt;
    bool m_multiNode = false;
    QString m_multiNodeReason;
    bool m_driverChosen = false;  // the user picked one: availability no longer moves it

    QString m_name;
    vm::DriverKind m_driver = vm::DriverKind::Libvirt;
    int m_cpus = 2;
    std::int64_t m_memoryMiB = 2048;
    std::int64_t m_diskGiB = 20;
    int m_nodes = 1;
    QList<ExampleApp> m_examples;
    QSet<QString> m_selectedExamples;
};

}  // namespace slipway::gui
