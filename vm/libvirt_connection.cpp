// SPDX-License-Identifier: Apache-2.0
#include "vm/libvirt_connection.h"

#include <cstdlib>
#include <mutex>
#include <thread>

#include <libvirt/libvirt-qemu.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <unistd.h>

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
    const bool missing =
        error != nullptr && (error->code == VIR_ERR_NO_DOMAIN || error->code == VIR_ERR_NO_NETWORK);
    return core::Error(missing ? core::ErrorCode::NotFound : core::ErrorCode::Hypervisor,
                       what + ": " + message);
}

/// Takes a string libvirt allocated.
std::string adopt(char* text) {
    if (text == nullptr) {
        return {};
    }
    std::string result(text);
    std::free(text);
    return result;
}

}  // namespace

void ensureLibvirtEventLoop() {
    static std::once_flag once;
    std::call_once(once, [] {
        installErrorHandler();
        if (virEventRegisterDefaultImpl() < 0) {
            return;  // connections still work, without keepalive
        }
        // With nothing to watch, virEventRunDefaultImpl would wait in poll() forever; a
        // periodic timer lets each iteration end.
        virEventAddTimeout(
            1000, [](int /*timer*/, void* /*opaque*/) {}, nullptr, nullptr);
        std::thread([] {
            while (virEventRunDefaultImpl() == 0) {
            }
        }).detach();
    });
}

std::string defaultLibvirtUri() {
    return ::geteuid() == 0 ? "qemu:///system" : "qemu:///session";
}

void Domain::Free::operator()(_virDomain* domain) const {
    virDomainFree(domain);
}

Domain::Domain(_virDomain* domain) : m_domain(domain) {}

Domain::~Domain() = default;

std::string Domain::name() const {
    const char* name = virDomainGetName(m_domain.get());
    return name != nullptr ? name : std::string();
}

std::string Domain::uuid() const {
    char uuid[VIR_UUID_STRING_BUFLEN] = {};
    if (virDomainGetUUIDString(m_domain.get(), uuid) < 0) {
        return {};
    }
    return uuid;
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

core::Result<void> Domain::shutdown() {
    if (!isActive()) {
        return core::success();
    }
    if (virDomainShutdownFlags(m_domain.get(), VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN) < 0) {
        const virErrorPtr error = virGetLastError();
        if (error != nullptr && error->code == VIR_ERR_OPERATION_INVALID) {
            return core::success();  // stopped between the check and the call
        }
        // Drivers without the ACPI flag (test:///) take the default method.
        if (virDomainShutdown(m_domain.get()) < 0) {
            return lastError("shutting down domain " + name());
        }
    }
    return core::success();
}

core::Result<void> Domain::suspend() {
    auto current = state();
    if (!current) {
        return current.error();
    }
    if (*current == DomainState::Paused) {
        return core::success();
    }
    if (virDomainSuspend(m_domain.get()) < 0) {
        return lastError("pausing domain " + name());
    }
    return core::success();
}

core::Result<void> Domain::resume() {
    auto current = state();
    if (!current) {
        return current.error();
    }
    if (*current != DomainState::Paused) {
        return core::success();
    }
    if (virDomainResume(m_domain.get()) < 0) {
        return lastError("resuming domain " + name());
    }
    return core::success();
}

bool Domain::isActive() const {
    return virDomainIsActive(m_domain.get()) == 1;
}

core::Result<std::string> Domain::qemuMonitorCommand(const std::string& command, bool hmp) {
    char* reply = nullptr;
    const unsigned int flags = hmp ? VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP : 0;
    if (virDomainQemuMonitorCommand(m_domain.get(), command.c_str(), &reply, flags) < 0) {
        return lastError("monitor command '" + command + "' on domain " + name());
    }
    return adopt(reply);
}

core::Result<std::string> Domain::xmlDesc() const {
    char* xml = virDomainGetXMLDesc(m_domain.get(), 0);
    if (xml == nullptr) {
        return lastError("reading the definition of domain " + name());
    }
    return adopt(xml);
}

void Network::Free::operator()(_virNetwork* network) const {
    virNetworkFree(network);
}

Network::Network(_virNetwork* network) : m_network(network) {}

Network::~Network() = default;

std::string Network::name() const {
    const char* name = virNetworkGetName(m_network.get());
    return name != nullptr ? name : std::string();
}

std::string Network::uuid() const {
    char uuid[VIR_UUID_STRING_BUFLEN] = {};
    if (virNetworkGetUUIDString(m_network.get(), uuid) < 0) {
        return {};
    }
    return uuid;
}

bool Network::isActive() const {
    return virNetworkIsActive(m_network.get()) == 1;
}

core::Result<void> Network::start() {
    if (isActive()) {
        return core::success();
    }
    if (virNetworkCreate(m_network.get()) < 0) {
        const virErrorPtr error = virGetLastError();
        if (error != nullptr && error->code == VIR_ERR_OPERATION_INVALID && isActive()) {
            return core::success();  // started by someone else meanwhile
        }
        return lastError("starting network " + name());
    }
    return core::success();
}

core::Result<void> Network::destroy() {
    if (!isActive()) {
        return core::success();
    }
    if (virNetworkDestroy(m_network.get()) < 0) {
        const virErrorPtr error = virGetLastError();
        if (error != nullptr && error->code == VIR_ERR_OPERATION_INVALID) {
            return core::success();  // stopped between the check and the call
        }
        return lastError("stopping network " + name());
    }
    return core::success();
}

core::Result<void> Network::undefine() {
    if (virNetworkUndefine(m_network.get()) < 0) {
        return lastError("undefining network " + name());
    }
    return core::success();
}

std::string Network::bridgeName() const {
    if (!isActive()) {
        return {};
    }
    return adopt(virNetworkGetBridgeName(m_network.get()));
}

core::Result<std::string> Network::xmlDesc() const {
    char* xml = virNetworkGetXMLDesc(m_network.get(), 0);
    if (xml == nullptr) {
        return lastError("reading the definition of network " + name());
    }
    return adopt(xml);
}

void LibvirtConnection::Close::operator()(_virConnect* connection) const {
    virConnectClose(connection);
}

LibvirtConnection::LibvirtConnection(_virConnect* connection) : m_connection(connection) {}

LibvirtConnection::~LibvirtConnection() = default;

core::Result<LibvirtConnection> LibvirtConnection::open(const std::string& uri) {
    installErrorHandler();
    ensureLibvirtEventLoop();
    virConnectPtr connection = virConnectOpen(uri.c_str());
    if (connection == nullptr) {
        return lastError("connecting to " + uri);
    }
    return LibvirtConnection(connection);
}

std::string LibvirtConnection::uri() const {
    return adopt(virConnectGetURI(m_connection.get()));
}

bool LibvirtConnection::isAlive() const {
    return virConnectIsAlive(m_connection.get()) == 1;
}

core::Result<std::vector<std::string>> LibvirtConnection::domainNames() {
    virDomainPtr* domains = nullptr;
    const int count = virConnectListAllDomains(m_connection.get(), &domains, 0);
    if (count < 0) {
        return lastError("listing domains");
    }
    std::vector<std::string> names;
    for (int i = 0; i < count; ++i) {
        const char* name = virDomainGetName(domains[i]);
        if (name != nullptr) {
            names.emplace_back(name);
        }
        virDomainFree(domains[i]);
    }
    std::free(domains);
    return names;
}

core::Result<std::vector<std::string>> LibvirtConnection::networkNames() {
    virNetworkPtr* networks = nullptr;
    const int count = virConnectListAllNetworks(m_connection.get(), &networks, 0);
    if (count < 0) {
        return lastError("listing networks");
    }
    std::vector<std::string> names;
    for (int i = 0; i < count; ++i) {
        const char* name = virNetworkGetName(networks[i]);
        if (name != nullptr) {
            names.emplace_back(name);
        }
        virNetworkFree(networks[i]);
    }
    std::free(networks);
    return names;
}

core::Result<Network> LibvirtConnection::defineNetwork(const std::string& xml) {
    virNetworkPtr network = virNetworkDefineXML(m_connection.get(), xml.c_str());
    if (network == nullptr) {
        return lastError("defining network");
    }
    return Network(network);
}

core::Result<Network> LibvirtConnection::lookupNetwork(const std::string& name) {
    virNetworkPtr network = virNetworkLookupByName(m_connection.get(), name.c_str());
    if (network == nullptr) {
        return lastError("looking up network " + name);
    }
    return Network(network);
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
