// SPDX-License-Identifier: Apache-2.0
// What the VM tests share: a cluster with a unique name whose `slipway` commands run in a
// temporary home, and clean-up that leaves no domain or network behind even after a failure.
#pragma once

#include <string>

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include "tests/integration/test_support.h"

namespace slipway::testing {

/// A libvirt cluster under test, `<prefix>-<pid>`: its folder, the user's kubeconfig and
/// caches live in a temporary home, never the real user's.
class VmTestCluster {
public:
    explicit VmTestCluster(const QString& prefix);

    /// Empty if libvirt can be used (defaultLibvirtUri() connects), else why not.
    static QString libvirtUnusable();

    const QString& name() const { return m_name; }
    QString home() const { return m_home.path(); }
    /// The cluster's folder: `<home>/data/slipway/clusters/<name>`.
    QString clusterDir() const;
    /// The cluster's own admin kubeconfig.
    QString kubeconfig() const { return clusterDir() + "/kubeconfig"; }
    /// The user's kubeconfig that start merges the cluster's context into.
    QString userKubeconfig() const { return m_home.path() + "/.kube/config"; }
    QProcessEnvironment environment() const;

    /// `slipway ARGS --cluster NAME`.
    CommandResult slipway(const QStringList& arguments, int timeoutMs = 120000) const;
    /// `slipway service NAME --url`: the URL, or empty (with a warning) if it failed.
    QString serviceUrl(const QString& service) const;

    /// Whether libvirt knows the domain `slipway-<node>` / the network `slipway-<name>`.
    bool domainDefined(const std::string& node) const;
    bool networkDefined() const;

    /// `slipway delete`, then whatever is still defined of the cluster's nodes (`node` and
    /// `node-mNN`) and its network is destroyed and undefined through libvirt directly.
    void removeEverything() const;

private:
    QTemporaryDir m_home;
    QString m_name;
    std::string m_uri;
};

/// The port of "http://127.0.0.1:PORT".
quint16 portOfUrl(const QString& url);

}  // namespace slipway::testing
