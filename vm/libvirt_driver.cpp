// SPDX-License-Identifier: Apache-2.0
#include "vm/libvirt_driver.h"

#include <optional>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/core/atomic_file.h"
#include "engine/pki/cluster_pki.h"
#include "engine/pki/kubeconfig.h"
#include "vm/image/guest_image.h"
#include "vm/libvirt_connection.h"
#include "vm/local_process_driver.h"
#include "vm/process.h"

namespace slipway::vm {
namespace {

constexpr const char* kMachineFile = "machine.json";
constexpr const char* kForwardsFile = "forwards.json";
constexpr const char* kDataDisk = "data.qcow2";
constexpr const char* kInitrd = "initrd.img";
constexpr const char* kConsoleLog = "console.log";
constexpr std::uint16_t kGuestApiPort = 6443;

void report(const ProgressCallback& progress, const std::string& phase) {
    if (progress) {
        progress(phase);
    }
}

/// What launch recorded about the machines: where they were defined and how they run.
struct MachineRecord {
    std::string uri;
    std::string accelerator;  ///< "kvm", "tcg" or "test"
    std::string reason;       ///< why that accelerator
};

std::optional<MachineRecord> loadMachineRecord(const std::filesystem::path& dir) {
    auto text = core::readFile(dir / kMachineFile);
    if (!text) {
        return std::nullopt;
    }
    try {
        const auto json = nlohmann::json::parse(*text);
        return MachineRecord{json.value("uri", std::string()),
                             json.value("accelerator", std::string()),
                             json.value("reason", std::string())};
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

core::Result<void> saveMachineRecord(const std::filesystem::path& dir,
                                     const MachineRecord& record) {
    const nlohmann::json json = {
        {"uri", record.uri}, {"accelerator", record.accelerator}, {"reason", record.reason}};
    return core::writeFileAtomically(dir / kMachineFile, json.dump(2) + "\n");
}

/// Guest port → host port of the forwards `slipway service` asked for.
using ForwardMap = std::map<std::uint16_t, std::uint16_t>;

ForwardMap loadForwards(const std::filesystem::path& dir) {
    ForwardMap forwards;
    auto text = core::readFile(dir / kForwardsFile);
    if (!text) {
        return forwards;
    }
    try {
        for (const auto& item : nlohmann::json::parse(*text)) {
            forwards[item.at("guestPort").get<std::uint16_t>()] =
                item.at("hostPort").get<std::uint16_t>();
        }
    } catch (const nlohmann::json::exception&) {
        forwards.clear();  // a damaged file only costs the forwards, re-made on demand
    }
    return forwards;
}

core::Result<void> saveForwards(const std::filesystem::path& dir, const ForwardMap& forwards) {
    auto items = nlohmann::json::array();
    for (const auto& [guest, host] : forwards) {
        items.push_back({{"guestPort", guest}, {"hostPort", host}});
    }
    return core::writeFileAtomically(dir / kForwardsFile, items.dump(2) + "\n");
}

/// Whether QEMU's `info usernet` lists a host forward from `hostPort` to `guestPort`:
///   TCP[HOST_FORWARD]  13       127.0.0.1 41234       10.0.2.15 30080     0     0
bool forwardListed(const std::string& usernet, std::uint16_t hostPort, std::uint16_t guestPort) {
    std::istringstream lines(usernet);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.find("HOST_FORWARD") == std::string::npos) {
            continue;
        }
        std::istringstream words(line);
        std::string protocol;
        std::string fd;
        std::string sourceAddress;
        std::string sourcePort;
        std::string destinationAddress;
        std::string destinationPort;
        words >> protocol >> fd >> sourceAddress >> sourcePort >> destinationAddress >>
            destinationPort;
        if (sourcePort == std::to_string(hostPort) &&
            destinationPort == std::to_string(guestPort)) {
            return true;
        }
    }
    return false;
}

/// Adds one forward through the monitor. HMP reports failures as text, not as errors.
core::Result<void> addForward(Domain& domain, const std::string& netdevId,
                              const HostForward& forward) {
    auto reply = domain.qemuMonitorCommand(hostForwardAddCommand(netdevId, forward));
    if (!reply) {
        return reply.error();
    }
    std::string text = *reply;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    if (!text.empty()) {
        return core::Error(core::ErrorCode::Network,
                           "forwarding 127.0.0.1:" + std::to_string(forward.hostPort) +
                               " to the guest failed: " + text);
    }
    return core::success();
}

bool isTestUri(const std::string& uri) {
    return uri.rfind("test:", 0) == 0;
}

std::string lastLine(const std::filesystem::path& file) {
    std::string last = tailOfFile(file, 1);
    while (!last.empty() && (last.back() == '\n' || last.back() == '\r')) {
        last.pop_back();
    }
    return last;
}

}  // namespace

LibvirtDriver::LibvirtDriver(LibvirtDriverOptions options) : m_options(std::move(options)) {
    if (m_options.probeCacheFile.empty()) {
        m_options.probeCacheFile = defaultProbeCacheFile();
    }
    m_options.qemuImg = findExecutable(m_options.qemuImg.string());
    m_options.qemu = findExecutable(m_options.qemu.string());
}

LibvirtDriver::~LibvirtDriver() = default;

std::string LibvirtDriver::uriFor(const ClusterSpec& spec) {
    return spec.libvirtUri.empty() ? defaultLibvirtUri() : spec.libvirtUri;
}

std::string LibvirtDriver::domainName(const std::string& nodeName) {
    return "slipway-" + nodeName;
}

std::vector<std::string> LibvirtDriver::nodeNames(const ClusterSpec& spec) const {
    return {spec.name};
}

std::filesystem::path LibvirtDriver::logPath(const ClusterSpec& spec,
                                             const std::filesystem::path& dir) const {
    return dir / spec.name / kConsoleLog;
}

std::string LibvirtDriver::definedUri(const ClusterSpec& spec,
                                      const std::filesystem::path& dir) const {
    const auto record = loadMachineRecord(dir);
    return record && !record->uri.empty() ? record->uri : uriFor(spec);
}

core::Result<std::shared_ptr<LibvirtConnection>> LibvirtDriver::connect(
    const std::string& uri) const {
    const std::lock_guard lock(m_mutex);
    auto found = m_connections.find(uri);
    if (found != m_connections.end() && found->second->isAlive()) {
        return found->second;
    }
    auto opened = LibvirtConnection::open(uri);
    if (!opened) {
        return opened.error();
    }
    auto connection = std::make_shared<LibvirtConnection>(std::move(*opened));
    m_connections[uri] = connection;
    return connection;
}

DomainSpec LibvirtDriver::domainSpec(const ClusterSpec& spec, const std::filesystem::path& dir,
                                     VirtType type, const std::filesystem::path& kernel) const {
    const std::string node = spec.name;
    const auto nodeDir = dir / node;
    DomainSpec domain;
    domain.name = domainName(node);
    domain.title = "Slipway cluster " + spec.name + ", node " + node;
    domain.type = type;
    domain.machine = m_options.machine;
    domain.memoryMiB = spec.memoryMiB;
    domain.vcpus = spec.cpus;
    domain.kernel = kernel;
    domain.initrd = nodeDir / kInitrd;
    domain.cmdline = std::string(image::kKernelCommandLine);
    if (domain.machine == MachineType::Microvm) {
        domain.cmdline += " reboot=t";
    }
    domain.disks.push_back(DiskSpec{nodeDir / kDataDisk, "qcow2", "vda", {}});
    domain.serialLog = nodeDir / kConsoleLog;
    domain.userNetwork.forwards.push_back(HostForward{"127.0.0.1", spec.apiPort, kGuestApiPort});
    // qemu:///system runs QEMU as an unprivileged user that cannot read root's home, where
    // the cluster folder is: run it as root, without relabelling the user's files.
    if (uriFor(spec).rfind("qemu:///system", 0) == 0) {
        domain.securityLabel = SecurityLabel::RunAsRoot;
    }
    return domain;
}

core::Result<void> LibvirtDriver::launch(ClusterSpec& spec, const std::filesystem::path& dir,
                                         const ProgressCallback& progress) {
    if (spec.nodes != 1) {
        return core::Error(core::ErrorCode::BadRequest,
                           "the libvirt driver runs single-node clusters for now (--nodes 1)");
    }
    const std::string uri = uriFor(spec);
    const std::string node = spec.name;
    const auto nodeDir = dir / node;
    std::error_code ec;
    std::filesystem::create_directories(nodeDir, ec);
    if (ec) {
        return core::Error(core::ErrorCode::Io,
                           "cannot create " + nodeDir.string() + ": " + ec.message());
    }

    // Image first: without it nothing else is worth doing.
    report(progress, "Preparing the guest image");
    std::filesystem::path imageDir = m_options.guestImageDir;
    if (imageDir.empty()) {
        auto located = image::locateGuestImage();
        if (!located) {
            return located.error();
        }
        imageDir = *located;
    }
    const auto kernel = imageDir / image::kKernelFileName;
    const auto baseInitrd = imageDir / image::kInitramfsFileName;
    for (const auto& file : {kernel, baseInitrd}) {
        if (!std::filesystem::exists(file, ec)) {
            return core::Error(
                core::ErrorCode::NotFound,
                "the guest image has no " + file.string() + " (build the slipway-guest target)");
        }
    }

    auto connection = connect(uri);
    if (!connection) {
        return connection.error();
    }

    MachineRecord record{uri, "tcg", {}};
    VirtType type = VirtType::Qemu;
    if (isTestUri(uri)) {
        type = VirtType::Test;
        record = {uri, "test", "libvirt's test driver runs no guest"};
    } else if (spec.accel == Accelerator::Tcg) {
        record.reason = "--accel tcg";
    } else if (spec.accel == Accelerator::Kvm) {
        type = VirtType::Kvm;
        record = {uri, "kvm", "--accel kvm"};
    } else {
        report(progress, "Checking whether KVM works");
        KvmProbeOptions probe;
        probe.qemu = m_options.qemu;
        probe.kernel = kernel;
        probe.deadline = m_options.probeDeadline;
        probe.cacheFile = m_options.probeCacheFile;
        const AcceleratorChoice choice = probeKvm(probe);
        type = choice.accelerator == Accelerator::Kvm ? VirtType::Kvm : VirtType::Qemu;
        record = {uri, std::string(acceleratorName(choice.accelerator)),
                  choice.reason + (choice.cached ? " (probed earlier in this boot)" : "")};
    }
    report(progress, type == VirtType::Kvm ? "Accelerator: KVM (" + record.reason + ")"
                     : type == VirtType::Qemu
                         ? "Accelerator: TCG, software emulation (" + record.reason + ")"
                         : "Accelerator: none (" + record.reason + ")");

    // The host keeps the cluster's PKI and hands it to the guest at every boot.
    auto pki = pki::ensureClusterPki(dir / "pki");
    if (!pki) {
        return pki.error().wrap("creating the cluster's certificates");
    }
    image::GuestConfig config;
    config.role = "server";
    config.nodeName = node;
    config.clusterName = contextName(spec.name);
    config.apiPort = kGuestApiPort;
    config.pki.caCertificate = pki->authority.certificatePem;
    config.pki.caKey = pki->authority.keyPem;
    config.pki.adminCertificate = pki->admin.certificatePem;
    config.pki.adminKey = pki->admin.keyPem;
    const auto configArchive = nodeDir / "config.cpio";
    if (auto written = image::writeConfigInitramfs(config, configArchive); !written) {
        return written.error().wrap("writing the node's configuration");
    }
    auto initrd = image::writeNodeInitrd(baseInitrd, configArchive, nodeDir / kInitrd);
    std::filesystem::remove(configArchive, ec);
    if (!initrd) {
        return initrd.error().wrap("writing the node's initrd");
    }
    ::chmod((nodeDir / kInitrd).c_str(), 0600);

    const auto disk = nodeDir / kDataDisk;
    if (!std::filesystem::exists(disk, ec)) {
        report(progress, "Creating the data disk (" + std::to_string(spec.diskGiB) + " GiB qcow2)");
        // Made under a temporary name: a crash never leaves a half-written disk behind that a
        // later start would take for the real one.
        const auto partial = nodeDir / "data.qcow2.partial";
        auto created = runProcess({m_options.qemuImg.string(), "create", "-q", "-f", "qcow2",
                                   partial.string(), std::to_string(spec.diskGiB) + "G"},
                                  std::chrono::seconds(60));
        if (!created) {
            return created.error().wrap("creating the data disk");
        }
        if (created->exitCode != 0) {
            std::filesystem::remove(partial, ec);
            return core::Error(core::ErrorCode::Io, "qemu-img create failed: " + created->output);
        }
        std::filesystem::rename(partial, disk, ec);
        if (ec) {
            return core::Error(core::ErrorCode::Io, "cannot rename the data disk: " + ec.message());
        }
    } else {
        report(progress, "Using the data disk " + disk.string());
    }

    // Keep the port of earlier starts so kubeconfigs stay valid; move only if it was taken.
    if (!loopbackPortFree(spec.apiPort)) {
        auto port = pickFreeLoopbackPort();
        if (!port) {
            return port.error().wrap("choosing an API server port");
        }
        spec.apiPort = *port;
    }

    const std::string name = domainName(node);
    report(progress, "Defining domain " + name + " on " + uri);
    // Recorded before the domain exists, so that delete knows where to look even if this
    // start dies half-way.
    if (auto saved = saveMachineRecord(dir, record); !saved) {
        return saved;
    }
    DomainSpec definition = domainSpec(spec, dir, type, kernel);
    // Defining again needs the UUID of the definition it replaces.
    if (auto existing = (*connection)->lookupDomain(name)) {
        definition.uuid = existing->uuid();
    }
    auto xml = domainXml(definition);
    if (!xml) {
        return xml.error();
    }
    // Defining again replaces the definition: edited settings (CPUs, memory) take effect.
    auto domain = (*connection)->defineDomain(*xml);
    if (!domain) {
        return domain.error();
    }

    auto kubeconfig = pki::Kubeconfig::forTlsServer(
        contextName(spec.name), "https://127.0.0.1:" + std::to_string(spec.apiPort),
        pki->authority.certificatePem, pki->admin);
    if (auto saved = kubeconfig.save(dir / "kubeconfig"); !saved) {
        return saved;
    }

    report(progress, "Booting " + name + " (console: " + (nodeDir / kConsoleLog).string() + ")");
    if (!domain->isActive()) {
        if (auto started = domain->start(); !started) {
            return started;
        }
    }
    return addForwards(spec, dir, progress);
}

core::Result<void> LibvirtDriver::addForwards(const ClusterSpec& spec,
                                              const std::filesystem::path& dir,
                                              const ProgressCallback& progress) {
    ForwardMap forwards = loadForwards(dir);
    if (forwards.empty()) {
        return core::success();
    }
    auto connection = connect(definedUri(spec, dir));
    if (!connection) {
        return connection.error();
    }
    auto domain = (*connection)->lookupDomain(domainName(spec.name));
    if (!domain) {
        return domain.error();
    }
    const UserNetwork network;
    for (auto& [guest, host] : forwards) {
        report(progress, "Forwarding 127.0.0.1:" + std::to_string(host) + " to node port " +
                             std::to_string(guest));
        if (addForward(*domain, network.netdevId, {"127.0.0.1", host, guest})) {
            continue;
        }
        // Taken by something else meanwhile: a new port (`slipway service` prints it).
        auto port = pickFreeLoopbackPort();
        if (!port) {
            return port.error();
        }
        if (auto added = addForward(*domain, network.netdevId, {"127.0.0.1", *port, guest});
            !added) {
            return added;
        }
        host = *port;
    }
    return saveForwards(dir, forwards);
}

core::Result<void> LibvirtDriver::halt(const ClusterSpec& spec, const std::filesystem::path& dir,
                                       std::chrono::milliseconds grace,
                                       const ProgressCallback& progress) {
    if (!loadMachineRecord(dir)) {
        return core::success();  // never defined
    }
    auto connection = connect(definedUri(spec, dir));
    if (!connection) {
        return connection.error();
    }
    const std::string name = domainName(spec.name);
    auto domain = (*connection)->lookupDomain(name);
    if (!domain) {
        return domain.error().code() == core::ErrorCode::NotFound ? core::success()
                                                                  : domain.error();
    }
    if (!domain->isActive()) {
        return core::success();
    }
    if (grace.count() <= 0) {
        report(progress, "Powering " + name + " off");
        return domain->destroy();
    }
    // A frozen guest cannot hear the power button.
    if (auto resumed = domain->resume(); !resumed) {
        return resumed;
    }
    report(progress,
           "Shutting down " + name + " (up to " + std::to_string(grace.count() / 1000) + " s)");
    if (auto asked = domain->shutdown(); !asked) {
        return asked;
    }
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + grace;
    while (domain->isActive() && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (domain->isActive()) {
        report(progress, "Powering " + name + " off (no shutdown within the grace period)");
        return domain->destroy();
    }
    return core::success();
}

MachineState LibvirtDriver::observe(const ClusterSpec& spec,
                                    const std::filesystem::path& dir) const {
    const auto record = loadMachineRecord(dir);
    if (!record) {
        return MachineState::stopped();
    }
    auto connection = connect(record->uri.empty() ? uriFor(spec) : record->uri);
    if (!connection) {
        return MachineState::stopped(connection.error().message());
    }
    auto domain = (*connection)->lookupDomain(domainName(spec.name));
    if (!domain) {
        return MachineState::stopped(domain.error().code() == core::ErrorCode::NotFound
                                         ? std::string()
                                         : domain.error().message());
    }
    auto state = domain->state();
    if (!state) {
        return MachineState::stopped(state.error().message());
    }
    MachineState machine;
    machine.accelerator = record->accelerator;
    switch (*state) {
        case DomainState::Running:
        case DomainState::Blocked:
        case DomainState::ShuttingDown:
        case DomainState::NoState:
            machine.running = true;
            break;
        case DomainState::Paused:
        case DomainState::Suspended:
            machine.running = true;
            machine.paused = true;
            break;
        case DomainState::Crashed:
            machine.message = "the VM crashed: " + lastLine(logPath(spec, dir));
            break;
        case DomainState::Shutoff:
            break;
    }
    if (!machine.running) {
        machine.accelerator.clear();
    }
    return machine;
}

core::Result<void> LibvirtDriver::release(const ClusterSpec& spec, const std::filesystem::path& dir,
                                          const ProgressCallback& progress) {
    if (!loadMachineRecord(dir)) {
        return core::success();  // nothing was ever defined
    }
    auto connection = connect(definedUri(spec, dir));
    if (!connection) {
        return connection.error();
    }
    const std::string name = domainName(spec.name);
    auto domain = (*connection)->lookupDomain(name);
    if (!domain) {
        return domain.error().code() == core::ErrorCode::NotFound ? core::success()
                                                                  : domain.error();
    }
    report(progress, "Removing domain " + name);
    // Forwards live in the QEMU process: they end with it.
    if (auto destroyed = domain->destroy(); !destroyed) {
        return destroyed;
    }
    auto undefined = domain->undefine();
    if (!undefined && undefined.error().code() != core::ErrorCode::NotFound) {
        return undefined;
    }
    std::error_code ec;
    std::filesystem::remove(dir / kMachineFile, ec);
    return core::success();
}

core::Result<void> LibvirtDriver::withRunningDomain(
    const ClusterSpec& spec, const std::filesystem::path& dir,
    const std::function<core::Result<void>(Domain&)>& action) const {
    auto connection = connect(definedUri(spec, dir));
    if (!connection) {
        return connection.error();
    }
    auto domain = (*connection)->lookupDomain(domainName(spec.name));
    if (!domain || !domain->isActive()) {
        return core::Error(core::ErrorCode::Unavailable,
                           "cluster \"" + spec.name + "\" is not running");
    }
    return action(*domain);
}

core::Result<void> LibvirtDriver::pause(const ClusterSpec& spec, const std::filesystem::path& dir) {
    return withRunningDomain(spec, dir, [](Domain& domain) { return domain.suspend(); });
}

core::Result<void> LibvirtDriver::resume(const ClusterSpec& spec,
                                         const std::filesystem::path& dir) {
    return withRunningDomain(spec, dir, [](Domain& domain) { return domain.resume(); });
}

core::Result<std::uint16_t> LibvirtDriver::exposePort(const ClusterSpec& spec,
                                                      const std::filesystem::path& dir,
                                                      std::uint16_t guestPort) {
    auto connection = connect(definedUri(spec, dir));
    if (!connection) {
        return connection.error();
    }
    auto domain = (*connection)->lookupDomain(domainName(spec.name));
    if (!domain || !domain->isActive()) {
        return core::Error(core::ErrorCode::Unavailable,
                           "cluster \"" + spec.name + "\" is not running");
    }
    const UserNetwork network;
    ForwardMap forwards = loadForwards(dir);
    const auto known = forwards.find(guestPort);
    if (known != forwards.end()) {
        auto usernet = domain->qemuMonitorCommand("info usernet");
        if (!usernet) {
            return usernet.error();
        }
        if (forwardListed(*usernet, known->second, guestPort)) {
            return known->second;
        }
    }
    // The port used before if it is still free, else a new one.
    std::uint16_t hostPort = known != forwards.end() ? known->second : 0;
    if (!loopbackPortFree(hostPort)) {
        auto port = pickFreeLoopbackPort();
        if (!port) {
            return port.error();
        }
        hostPort = *port;
    }
    if (auto added = addForward(*domain, network.netdevId, {"127.0.0.1", hostPort, guestPort});
        !added) {
        return added.error();
    }
    forwards[guestPort] = hostPort;
    if (auto saved = saveForwards(dir, forwards); !saved) {
        return saved.error();
    }
    return hostPort;
}

}  // namespace slipway::vm
