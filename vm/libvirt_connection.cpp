// SPDX-License-Identifier: Apache-2.0
#include "vm/libvirt_connection.h"

#include <cstdlib>
#include <mutex>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

namespace slipway::vm {
namespace {

/// libvirt prints every error to stderr unless a handler is installed; errors reach users
/// through Result instead.
void quietErrors(void* /*userData*/, virErrorPtr /*error*/) {}

void installErrorHandler() {
    static std::once_flag once;
    std::call_once(once, [] { virSetErrorFunc(nullptr, quietErrors); });
}

/// The calling thread's last libvirt error as an Error, with `what` for context.
core::Error lastError(const std::string& what) {
    const virErrorPtr error = virGetLastError();
    const std::string message =
        error != nullptr && error->message != nullptr ? error->message : "unknown libvirt error";
    const bool missing = error != nullptr && (error->code == VIR_ERR_NO_DOMAIN);
    return core::Error(missing ? core::ErrorCode::NotFound : core::ErrorCode::Hypervisor,
                       what + ": " + message);
}

}  // namespace

void Domain::Free::operator()(_virDomain* domain) const {
    virDomainFree(domain);
}

Domain::Domain(_virDomain* domain) : m_domain(domain) {}

Domain::~Domain() = default;

std::string Domain::name() const {
    const char* name = virDomainGetName(m_domain.get());
    return name != nullptr ? name : std::string();
}

core::Result<void> Domain::start() {
    if (virDomainCreate(m_domain.get()) < 0) {
        return lastError("starting domain " + name());
    }
    return core::success();
}

core::Result<DomainState> Domain::state() const {
    int state = 0;
    int reason = 0;
    if (virDomainGetState(m_domain.get(), &state, &reason, 0) < 0) {
        return lastError("reading the state of domain " + name());
    }
    switch (state) {
        case VIR_DOMAIN_RUNNING:
            return DomainState::Running;
        case VIR_DOMAIN_BLOCKED:
            return DomainState::Blocked;
        case VIR_DOMAIN_PAUSED:
            return DomainState::Paused;
        case VIR_DOMAIN_SHUTDOWN:
            return DomainState::ShuttingDown;
        case VIR_DOMAIN_SHUTOFF:
            return DomainState::Shutoff;
        case VIR_DOMAIN_CRASHED:
            return DomainState::Crashed;
        case VIR_DOMAIN_PMSUSPENDED:
            return DomainState::Suspended;
        default:
            return DomainState::NoState;
    }
}

core::Result<void> Domain::destroy() {
    if (virDomainIsActive(m_domain.get()) == 0) {
        return core::success();
    }
    if (virDomainDestroy(m_domain.get()) < 0) {
        const virErrorPtr error = virGetLastError();
        if (error != nullptr && error->code == VIR_ERR_OPERATION_INVALID) {
            return core::success();  // stopped between the check and the call
        }
        return lastError("destroying domain " + name());
    }
    return core::success();
}

core::Result<void> Domain::undefine() {
    if (virDomainUndefine(m_domain.get()) < 0) {
        return lastError("undefining domain " + name());
    }
    return core::success();
}

void LibvirtConnection::Close::operator()(_virConnect* connection) const {
    virConnectClose(connection);
}

LibvirtConnection::LibvirtConnection(_virConnect* connection) : m_connection(connection) {}

LibvirtConnection::~LibvirtConnection() = default;

core::Result<LibvirtConnection> LibvirtConnection::open(const std::string& uri) {
    installErrorHandler();
    virConnectPtr connection = virConnectOpen(uri.c_str());
    if (connection == nullptr) {
        return lastError("connecting to " + uri);
    }
    return LibvirtConnection(connection);
}

std::string LibvirtConnection::uri() const {
    char* uri = virConnectGetURI(m_connection.get());
    if (uri == nullptr) {
        return {};
    }
    std::string result(uri);
    std::free(uri);
    return result;
}

core::Result<Domain> LibvirtConnection::defineDomain(const std::string& xml) {
    virDomainPtr domain = virDomainDefineXML(m_connection.get(), xml.c_str());
    if (domain == nullptr) {
        return lastError("defining domain");
    }
    return Domain(domain);
}

core::Result<Domain> LibvirtConnection::lookupDomain(const std::string& name) {
    virDomainPtr domain = virDomainLookupByName(m_connection.get(), name.c_str());
    if (domain == nullptr) {
        return lastError("looking up domain " + name);
    }
    return Domain(domain);
}

}  // namespace slipway::vm
