// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/result.h"

// libvirt's handles, declared here so users of this header need not include libvirt.
struct _virConnect;
struct _virDomain;
struct _virNetwork;

namespace slipway::vm {

/// The state of a libvirt domain, reduced to what Slipway acts on.
enum class DomainState {
    NoState,
    Running,
    Blocked,
    Paused,
    ShuttingDown,
    Shutoff,
    Crashed,
    Suspended
};

/// One defined libvirt domain. Owns its handle (virDomainFree on destruction).
class Domain {
public:
    Domain(Domain&&) noexcept = default;
    Domain& operator=(Domain&&) noexcept = default;
    ~Domain();

    std::string name() const;
    /// The domain's UUID ("4dea22b3-1d52-d8f3-2516-782e98ab3fa0").
    std::string uuid() const;
    core::Result<void> start();
    core::Result<DomainState> state() const;
    /// Forced power-off. A domain that is not running is success (idempotent).
    core::Result<void> destroy();
    /// Removes the definition. The handle stays valid until this object dies.
    core::Result<void> undefine();
    /// Asks the guest to power off (ACPI power button); returns at once. A domain that is not
    /// running is success.
    core::Result<void> shutdown();
    /// Freezes the guest's CPUs (virDomainSuspend). A paused domain is success.
    core::Result<void> suspend();
    /// Lets a paused guest run again. A running domain is success.
    core::Result<void> resume();
    /// True while the domain runs (running, paused, shutting down...).
    bool isActive() const;
    /// Sends `command` to the domain's QEMU monitor (HMP when `hmp`, else QMP JSON) and
    /// returns QEMU's answer. Only the qemu driver has a monitor.
    core::Result<std::string> qemuMonitorCommand(const std::string& command, bool hmp = true);
    /// The domain's current XML description.
    core::Result<std::string> xmlDesc() const;

private:
    friend class LibvirtConnection;
    explicit Domain(_virDomain* domain);
    struct Free {
        void operator()(_virDomain* domain) const;
    };
    std::unique_ptr<_virDomain, Free> m_domain;
};

/// One defined libvirt virtual network. Owns its handle (virNetworkFree on destruction).
class Network {
public:
    Network(Network&&) noexcept = default;
    Network& operator=(Network&&) noexcept = default;
    ~Network();

    std::string name() const;
    /// The network's UUID.
    std::string uuid() const;
    /// Starts the network (creates its bridge). A running network is success.
    core::Result<void> start();
    /// Stops the network (removes its bridge). A stopped network is success.
    core::Result<void> destroy();
    /// Removes the definition.
    core::Result<void> undefine();
    bool isActive() const;
    /// The host bridge of a running network ("virbr3"); empty when stopped.
    std::string bridgeName() const;
    /// The network's current XML description.
    core::Result<std::string> xmlDesc() const;

private:
    friend class LibvirtConnection;
    explicit Network(_virNetwork* network);
    struct Free {
        void operator()(_virNetwork* network) const;
    };
    std::unique_ptr<_virNetwork, Free> m_network;
};

/// Registers libvirt's default event loop and runs it on a thread of its own, once per
/// process. libvirt needs a running loop for connection keepalives and events; it must be
/// registered before the first connection is opened (LibvirtConnection::open calls this).
void ensureLibvirtEventLoop();

/// qemu:///system as root, qemu:///session otherwise.
std::string defaultLibvirtUri();

/// A connection to a libvirt driver (`qemu:///system`, `qemu:///session`, `test:///default`).
/// Closed (virConnectClose) on destruction.
class LibvirtConnection {
public:
    /// Opens `uri`; the error carries libvirt's own message.
    static core::Result<LibvirtConnection> open(const std::string& uri);

    LibvirtConnection(LibvirtConnection&&) noexcept = default;
    LibvirtConnection& operator=(LibvirtConnection&&) noexcept = default;
    ~LibvirtConnection();

    std::string uri() const;
    /// Defines (persistently) a domain from its XML description.
    core::Result<Domain> defineDomain(const std::string& xml);
    /// Looks a domain up by name; NotFound if there is none.
    core::Result<Domain> lookupDomain(const std::string& name);
    /// The names of every domain, defined or running.
    core::Result<std::vector<std::string>> domainNames();
    /// Defines (persistently) a virtual network from its XML description.
    core::Result<Network> defineNetwork(const std::string& xml);
    /// Looks a network up by name; NotFound if there is none.
    core::Result<Network> lookupNetwork(const std::string& name);
    /// The names of every network, defined or running.
    core::Result<std::vector<std::string>> networkNames();
    /// False once the connection has dropped (daemon restarted, keepalive failed).
    bool isAlive() const;

private:
    explicit LibvirtConnection(_virConnect* connection);
    struct Close {
        void operator()(_virConnect* connection) const;
    };
    std::unique_ptr<_virConnect, Close> m_connection;
};

}  // namespace slipway::vm
