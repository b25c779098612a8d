// SPDX-License-Identifier: Apache-2.0
// A network namespace made by a test, so that everything a networking test sends (pod traffic,
// Service virtual IPs, DNS, node ports) stays on hosts the test made itself.
#pragma once

#include <string>
#include <vector>

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace slipway::testing {

/// `ip netns add slipway-t<pid>-<n>` with loopback up, deleted (with everything still inside
/// it) by the destructor. Needs root: `available()` says whether this process can make one.
///
/// A program runs inside through `wrap`: `nsenter --net=/run/netns/NAME -- program args...`,
/// which execs the program itself, so the QProcess's pid is the program's and SIGTERM reaches
/// it. Only the network namespace changes: unlike `ip netns exec`, nsenter keeps the mount
/// namespace, so /sys/fs/cgroup (runc needs it) stays visible. `exec` uses `ip netns exec`,
/// whose /sys shows the namespace's own interfaces.
class NetworkNamespace {
public:
    /// True when running as root with `ip` on the PATH.
    static bool available();

    NetworkNamespace();
    ~NetworkNamespace();
    NetworkNamespace(const NetworkNamespace&) = delete;
    NetworkNamespace& operator=(const NetworkNamespace&) = delete;

    /// False when `ip netns add` failed (error() says why).
    bool ok() const { return m_ok; }
    const QString& error() const { return m_error; }
    const QString& name() const { return m_name; }
    /// The namespace's bind mount, which setns(2) accepts: /run/netns/<name>.
    QString path() const { return QStringLiteral("/run/netns/") + m_name; }

    /// Adds an interface `name` holding `cidr` (e.g. "192.168.213.2/24"), up: the address a
    /// node inside the namespace uses as its node IP. It is one end of a veth pair whose other
    /// end (`name` + "p") stays in the namespace too: kernels without the dummy module have veth.
    bool addDummy(const QString& name, const QString& cidr);
    /// Runs `command` (sh -c) inside the namespace and returns its exit code; stdout in `out`.
    int exec(const QString& command, QString* out = nullptr) const;

    /// The program and arguments that run `program args` inside the namespace.
    QString program() const { return QStringLiteral("/usr/bin/nsenter"); }
    QStringList wrap(const QString& program, const QStringList& arguments) const;

private:
    QString m_name;
    QString m_error;
    bool m_ok = false;
};

}  // namespace slipway::testing
