// SPDX-License-Identifier: Apache-2.0
#include "gui/models/cluster_wizard_model.h"

#include <algorithm>

namespace slipway::gui {

namespace {

bool isLowerAlnum(QChar c) {
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
           (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
}

/// The first unused of "slipway", "slipway-2", "slipway-3"…: what a user who just clicks Next
/// gets.
QString suggestedName(const QStringList& existing) {
    QString name = QStringLiteral("slipway");
    for (int n = 2; existing.contains(name); ++n) {
        name = QStringLiteral("slipway-%1").arg(n);
    }
    return name;
}

}  // namespace

ClusterWizardModel::ClusterWizardModel(QObject* parent)
    : QObject(parent), m_name(suggestedName({})), m_examples(exampleApps()) {
    // The hello app is what a first cluster is for: it is chosen unless the user says no.
    m_selectedExamples.insert(QStringLiteral("hello"));
}

ClusterWizardModel::~ClusterWizardModel() = default;

void ClusterWizardModel::setExistingClusterNames(const QStringList& names) {
    const bool keptSuggestion = m_name == suggestedName(m_existing);
    m_existing = names;
    if (keptSuggestion) {
        m_name = suggestedName(m_existing);
    }
    emit changed();
}

void ClusterWizardModel::setHostResources(const vm::HostResources& host) {
    m_host = host;
    m_hostChecked = true;
    clampAll();
    emit changed();
}

void ClusterWizardModel::setDriverAvailability(vm::DriverKind driver, bool available,
                                               const QString& reason) {
    DriverState& state = driver == vm::DriverKind::Local ? m_local : m_libvirt;
    state = {true, available, available ? QString() : reason};
    // Until the user picks, the wizard offers a driver that works: libvirt first (a real VM),
    // else the local process.
    if (!m_driverChosen) {
        if (m_libvirt.available) {
            m_driver = vm::DriverKind::Libvirt;
        } else if (m_local.available) {
            m_driver = vm::DriverKind::Local;
        }
    }
    clampAll();
    emit changed();
}

void ClusterWizardModel::setMultiNodeAvailability(bool available, const QString& reason) {
    m_multiNode = available;
    m_multiNodeReason = available ? QString() : reason;
    clampAll();
    emit changed();
}

void ClusterWizardModel::setName(const QString& name) {
    if (name == m_name) {
        return;
    }
    m_name = name;
    emit changed();
}

QString ClusterWizardModel::nameError() const {
    return nameErrorFor(m_name);
}

QString ClusterWizardModel::nameErrorFor(const QString& name) const {
    // The rules of vm::validateClusterName (a DNS-1123 label), one message per rule so the user
    // knows what to change.
    if (name.isEmpty()) {
        return tr("Enter a name for the cluster.");
    }
    if (name.size() > 63) {
        return tr("A name has at most 63 characters (this one has %1).").arg(name.size());
    }
    for (const QChar c : name) {
        if (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) {
            return tr("Use lower-case letters: \"%1\" is not allowed.").arg(c);
        }
        if (!isLowerAlnum(c) && c != QLatin1Char('-')) {
            return tr("Only lower-case letters, digits and '-' are allowed, not \"%1\".").arg(c);
        }
    }
    if (!isLowerAlnum(name.front()) || !isLowerAlnum(name.back())) {
        return tr("The name must start and end with a letter or a digit.");
    }
    if (m_existing.contains(name)) {
        return tr("A cluster called \"%1\" already exists.").arg(name);
    }
    return {};
}

void ClusterWizardModel::setDriver(vm::DriverKind driver) {
    m_driverChosen = true;
    if (driver == m_driver) {
        return;
    }
    m_driver = driver;
    clampAll();
    emit changed();
}

const ClusterWizardModel::DriverState& ClusterWizardModel::stateOf(vm::DriverKind driver) const {
    return driver == vm::DriverKind::Local ? m_local : m_libvirt;
}

bool ClusterWizardModel::isDriverChecked(vm::DriverKind driver) const {
    return stateOf(driver).checked;
}

bool ClusterWizardModel::isDriverAvailable(vm::DriverKind driver) const {
    return stateOf(driver).available;
}

QString ClusterWizardModel::driverUnavailableReason(vm::DriverKind driver) const {
    const DriverState& state = stateOf(driver);
    if (!state.checked) {
        return tr("Checking whether this machine can run it\u2026");
    }
    return state.available ? QString() : state.reason;
}

int ClusterWizardModel::maxCpus() const {
    return std::max(kMinCpus, m_host.cpus);
}

std::int64_t ClusterWizardModel::maxMemoryMiB() const {
    // Whole steps of the slider, and never below its minimum (then resourcesError() speaks).
    return std::max(kMinMemoryMiB, m_host.memoryMiB / kMemoryStepMiB * kMemoryStepMiB);
}

std::int64_t ClusterWizardModel::maxDiskGiB() const {
    return std::max(kMinDiskGiB, m_host.diskFreeGiB);
}

void ClusterWizardModel::setCpus(int cpus) {
    cpus = std::clamp(cpus, kMinCpus, maxCpus());
    if (cpus == m_cpus) {
        return;
    }
    m_cpus = cpus;
    emit changed();
}

void ClusterWizardModel::setMemoryMiB(std::int64_t mebibytes) {
    mebibytes = std::clamp(mebibytes, kMinMemoryMiB, maxMemoryMiB());
    if (mebibytes == m_memoryMiB) {
        return;
    }
    m_memoryMiB = mebibytes;
    emit changed();
}

void ClusterWizardModel::setDiskGiB(std::int64_t gibibytes) {
    gibibytes = std::clamp(gibibytes, kMinDiskGiB, maxDiskGiB());
    if (gibibytes == m_diskGiB) {
        return;
    }
    m_diskGiB = gibibytes;
    emit changed();
}

QString ClusterWizardModel::resourcesError() const {
    if (!m_hostChecked) {
        return {};
    }
    if (m_host.memoryMiB < kMinMemoryMiB) {
        return tr("This machine has %1 MiB of memory; a cluster needs at least %2 MiB.")
            .arg(m_host.memoryMiB)
            .arg(kMinMemoryMiB);
    }
    if (m_host.diskFreeGiB < kMinDiskGiB) {
        return tr("Only %1 GiB are free where clusters are kept; a cluster needs at least %2 GiB.")
            .arg(m_host.diskFreeGiB)
            .arg(kMinDiskGiB);
    }
    return {};
}

int ClusterWizardModel::maxNodes() const {
    return nodesEditable() && m_multiNode ? kMaxNodes : 1;
}

QString ClusterWizardModel::nodesHint() const {
    if (!nodesEditable()) {
        return tr("A local-process cluster has one node: this machine.");
    }
    if (!m_multiNode) {
        return m_multiNodeReason;
    }
    return {};
}

void ClusterWizardModel::setNodes(int nodes) {
    nodes = std::clamp(nodes, 1, maxNodes());
    if (nodes == m_nodes) {
        return;
    }
    m_nodes = nodes;
    emit changed();
}

bool ClusterWizardModel::isExampleSelected(const QString& id) const {
    return m_selectedExamples.contains(id);
}

void ClusterWizardModel::setExampleSelected(const QString& id, bool selected) {
    const bool known = std::any_of(m_examples.begin(), m_examples.end(),
                                   [&id](const ExampleApp& app) { return app.id == id; });
    if (!known || selected == isExampleSelected(id)) {
        return;
    }
    if (selected) {
        m_selectedExamples.insert(id);
    } else {
        m_selectedExamples.remove(id);
    }
    emit changed();
}

QStringList ClusterWizardModel::selectedExampleIds() const {
    QStringList ids;
    for (const ExampleApp& app : m_examples) {
        if (isExampleSelected(app.id)) {
            ids << app.id;
        }
    }
    return ids;
}

std::vector<nlohmann::json> ClusterWizardModel::selectedExampleObjects() const {
    std::vector<nlohmann::json> objects;
    for (const ExampleApp& app : m_examples) {
        if (isExampleSelected(app.id)) {
            for (auto& object : app.objects()) {
                objects.push_back(std::move(object));
            }
        }
    }
    return objects;
}

bool ClusterWizardModel::canCreate() const {
    return blockingReason().isEmpty();
}

QString ClusterWizardModel::blockingReason() const {
    if (const QString error = nameError(); !error.isEmpty()) {
        return error;
    }
    if (!isDriverChecked(m_driver)) {
        return driverUnavailableReason(m_driver);
    }
    if (!isDriverAvailable(m_driver)) {
        return driverUnavailableReason(m_driver);
    }
    if (!m_hostChecked) {
        return tr("Checking what this machine has\u2026");
    }
    return resourcesError();
}

vm::ClusterSpec ClusterWizardModel::spec() const {
    vm::ClusterSpec spec;
    spec.name = m_name.toStdString();
    spec.driver = m_driver;
    spec.cpus = m_cpus;
    spec.memoryMiB = m_memoryMiB;
    spec.diskGiB = m_diskGiB;
    spec.nodes = m_driver == vm::DriverKind::Libvirt ? m_nodes : 1;
    return spec;
}

void ClusterWizardModel::clampAll() {
    // Defaults fit a laptop (2 CPUs, 2 GiB, 20 GiB) and shrink to what a small host has; until
    // the host is known there is nothing to shrink to.
    m_nodes = std::clamp(m_nodes, 1, maxNodes());
    if (!m_hostChecked) {
        return;
    }
    m_cpus = std::clamp(m_cpus, kMinCpus, maxCpus());
    m_memoryMiB = std::clamp(m_memoryMiB, kMinMemoryMiB, maxMemoryMiB());
    m_diskGiB = std::clamp(m_diskGiB, kMinDiskGiB, maxDiskGiB());
}

}  // namespace slipway::gui
