// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "engine/core/result.h"

// libvirt's handles, declared here so users of this header need not include libvirt.
struct _virConnect;
struct _virDomain;

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
    core::Result<void> start();
    core::Result<DomainState> state() const;
    /// Forced power-off. A domain that is not running is success (idempotent).
    core::Result<void> destroy();
    /// Removes the definition. The handle stays valid until this object dies.
    core::Result<void> undefine();

private:
    friend class LibvirtConnection;
    explicit Domain(_virDomain* domain);
    struct Free {
        void operator()(_virDomain* domain) const;
    };
    std::unique_ptr<_virDomain, Free> m_domain;
};

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

private:
    explicit LibvirtConnection(_virConnect* connection);
    struct Close {
        void operator()(_virConnect* connection) const;
    };
    std::unique_ptr<_virConnect, Close> m_connection;
};

}  // namespace slipway::vm
