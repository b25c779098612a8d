// SPDX-License-Identifier: Apache-2.0
#include "tests/vm/vm_test_cluster.h"

#include <unistd.h>

#include "vm/libvirt_connection.h"

namespace slipway::testing {

VmTestCluster::VmTestCluster(const QString& prefix)
    : m_name(QStringLiteral("%1-%2").arg(prefix).arg(::getpid())), m_uri(vm::defaultLibvirtUri()) {}

QString VmTestCluster::libvirtUnusable() {
    auto connection = vm::LibvirtConnection::open(vm::defaultLibvirtUri());
    return connection.ok()
               ? QString()
               : "libvirt is not usable: " + QString::fromStdString(connection.error().message());
}

QString VmTestCluster::clusterDir() const {
    return m_home.path() + "/data/slipway/clusters/" + m_name;
}

QProcessEnvironment VmTestCluster::environment() const {
    // Clusters under data/, the user's kubeconfig at .kube/config: never the real user's.
    auto environment = slipwayEnvironment(m_home.path());
    environment.insert(QStringLiteral("XDG_DATA_HOME"), m_home.path() + "/data");
    environment.insert(QStringLiteral("XDG_CACHE_HOME"), m_home.path() + "/cache");
    return environment;
}

CommandResult VmTestCluster::slipway(const QStringList& arguments, int timeoutMs) const {
    return run(binary(QStringLiteral("slipway")), arguments + QStringList{"--cluster", m_name},
               environment(), timeoutMs);
}

QString VmTestCluster::serviceUrl(const QString& service) const {
    const auto result = slipway({"service", service, "--url"});
    if (result.exitCode != 0) {
        qWarning("slipway service: %s", qPrintable(result.err));
        return {};
    }
    return result.out.trimmed();
}

bool VmTestCluster::domainDefined(const std::string& node) const {
    auto connection = vm::LibvirtConnection::open(m_uri);
    return connection.ok() && connection->lookupDomain("slipway-" + node).ok();
}

bool VmTestCluster::networkDefined() const {
    auto connection = vm::LibvirtConnection::open(m_uri);
    return connection.ok() && connection->lookupNetwork("slipway-" + m_name.toStdString()).ok();
}

void VmTestCluster::removeEverything() const {
    slipway({"delete"}, 180000);
    auto connection = vm::LibvirtConnection::open(m_uri);
    if (!connection.ok()) {
        return;
    }
    const std::string prefix = "slipway-" + m_name.toStdString();
    const auto domains = connection->domainNames();
    for (const auto& name : domains.ok() ? *domains : std::vector<std::string>{}) {
        if (name == prefix || name.rfind(prefix + "-m", 0) == 0) {
            auto domain = connection->lookupDomain(name);
            if (domain.ok()) {
                (void)domain->destroy();
                (void)domain->undefine();
            }
        }
    }
    auto network = connection->lookupNetwork(prefix);
    if (network.ok()) {
        (void)network->destroy();
        (void)network->undefine();
    }
}

quint16 portOfUrl(const QString& url) {
    return url.section(':', 2).toUShort();
}

}  // namespace slipway::testing
