// SPDX-License-Identifier: Apache-2.0
#include "vm/libvirt_driver.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <random>
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
constexpr const char* kNodesFile = "nodes.json";
constexpr const char* kJoinTokenFile = "join-token";
constexpr std::uint16_t kGuestApiPort = 6443;
/// TCG's translation cache per VM. With QEMU's 1 GiB default the cached code of a 512 MiB
/// guest running the demo app grew QEMU's resident memory past the guest's own size; 64 MiB
/// boots as fast as 128 (bench_vm_start: 15.0 against 14.1 s, within the noise).
constexpr std::int64_t kTcgCacheMiB = 64;
/// The private network: 192.168.213.0/24 (LibvirtDriver::kPrivateSubnet), server at .10.
constexpr const char* kPrivatePrefix = "192.168.213.";
constexpr int kPrivatePrefixLength = 24;
constexpr int kServerHost = 10;
constexpr const char* kPrivateInterface = "eth1";
constexpr const char* kServerRole = "server";
constexpr const char* kAgentRole = "agent";

void report(const ProgressCallback& progress, const std::string& phase) {
    if (progress) {
        progress(phase);
    }
}

/// Destroys and undefines what a lookup found (a domain or a network), saying so; one that is
/// not there (any more) is fine.
template <typename Object>
core::Result<void> removeDefined(core::Result<Object> found, const std::string& what,
                                 const ProgressCallback& progress) {
    if (!found) {
        return found.error().code() == core::ErrorCode::NotFound
                   ? core::success()
                   : core::Result<void>(found.error());
    }
    report(progress, "Removing " + what);
    if (auto destroyed = found->destroy(); !destroyed) {
        return destroyed;
    }
    auto undefined = found->undefine();
    if (!undefined && undefined.error().code() != core::ErrorCode::NotFound) {
        return undefined;
    }
    return core::success();
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

/// The number of agent `<cluster>-mNN` (2 for -m02), or 0 for a name of another form.
int agentNumber(const std::string& cluster, const std::string& node) {
    const std::string prefix = cluster + "-m";
    if (node.rfind(prefix, 0) != 0 || node.size() <= prefix.size()) {
        return 0;
    }
    int number = 0;
    for (const char c : node.substr(prefix.size())) {
        if (c < '0' || c > '9') {
            return 0;
        }
        number = number * 10 + (c - '0');
    }
    return number;
}

NodeMachine agentMachine(const std::string& cluster, int number, bool privateNetwork) {
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "-m%02d", number);
    NodeMachine node;
    node.name = cluster + suffix;
    node.role = kAgentRole;
    node.address =
        privateNetwork ? kPrivatePrefix + std::to_string(kServerHost - 1 + number) : "10.0.2.15";
    return node;
}

NodeMachine serverMachine(const std::string& cluster, bool privateNetwork) {
    return {cluster, kServerRole,
            privateNetwork ? kPrivatePrefix + std::to_string(kServerHost) : "10.0.2.15", false,
            false};
}

/// The nodes of nodes.json; nothing when the file is missing or damaged.
std::vector<NodeMachine> loadNodeList(const std::filesystem::path& dir) {
    std::vector<NodeMachine> nodes;
    auto text = core::readFile(dir / kNodesFile);
    if (!text) {
        return nodes;
    }
    try {
        for (const auto& item : nlohmann::json::parse(*text)) {
            nodes.push_back({item.at("name").get<std::string>(), item.at("role").get<std::string>(),
                             item.value("address", std::string()), false, false});
        }
    } catch (const nlohmann::json::exception&) {
        nodes.clear();
    }
    return nodes;
}

core::Result<void> saveNodeList(const std::filesystem::path& dir,
                                const std::vector<NodeMachine>& nodes) {
    auto items = nlohmann::json::array();
    for (const auto& node : nodes) {
        items.push_back({{"name", node.name}, {"role", node.role}, {"address", node.address}});
    }
    return core::writeFileAtomically(dir / kNodesFile, items.dump(2) + "\n");
}

/// The cluster's join token (32 hex digits), made once and kept in the cluster's folder.
core::Result<std::string> ensureJoinToken(const std::filesystem::path& dir) {
    if (auto existing = core::readFile(dir / kJoinTokenFile); existing && existing->size() >= 32) {
        return existing->substr(0, 32);
    }
    std::random_device random;
    std::string token;
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = 0; i < 32; ++i) {
        token.push_back(kHex[random() % 16]);
    }
    if (auto saved = core::writeFileAtomically(dir / kJoinTokenFile, token, 0600); !saved) {
        return saved.error();
    }
    return token;
}

/// A stable locally administered MAC address for a domain's private NIC: QEMU's 52:54:00
/// prefix and three bytes of a hash of the domain's name.
std::string privateMacAddress(const std::string& domain) {
    std::uint32_t hash = 2166136261u;
    for (const char c : domain) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 16777619u;
    }
    char mac[32];
    std::snprintf(mac, sizeof mac, "52:54:00:%02x:%02x:%02x", (hash >> 16) & 0xff,
                  (hash >> 8) & 0xff, hash & 0xff);
    return mac;
}

bool domainRunning(LibvirtConnection& connection, const std::string& name) {
    auto domain = connection.lookupDomain(name);
    return domain && domain->isActive();
}

core::Result<void> ensureDataDisk(const std::filesystem::path& qemuImg,
                                  const std::filesystem::path& nodeDir, std::int64_t sizeGiB,
                                  const ProgressCallback& progress) {
    std::error_code ec;
    const auto disk = nodeDir / kDataDisk;
    if (std::filesystem::exists(disk, ec)) {
        report(progress, "Using the data disk " + disk.string());
        return core::success();
    }
    report(progress, "Creating the data disk of " + nodeDir.filename().string() + " (" +
                         std::to_string(sizeGiB) + " GiB qcow2)");
    // Made under a temporary name: a crash never leaves a half-written disk behind that a
    // later start would take for the real one.
    const auto partial = nodeDir / "data.qcow2.partial";
    auto created = runProcess({qemuImg.string(), "create", "-q", "-f", "qcow2", partial.string(),
                               std::to_string(sizeGiB) + "G"},
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
    return core::success();
}

/// Defines the cluster's isolated network if missing and starts it.
core::Result<void> ensureNetwork(LibvirtConnection& connection, const std::string& name,
                                 const ProgressCallback& progress) {
    auto network = connection.lookupNetwork(name);
    if (!network) {
        if (network.error().code() != core::ErrorCode::NotFound) {
            return network.error();
        }
        report(progress, "Creating the private network " + name + " (isolated, " +
                             LibvirtDriver::kPrivateSubnet + ")");
        auto xml = isolatedNetworkXml({name, {}});
        if (!xml) {
            return xml.error();
        }
        network = connection.defineNetwork(*xml);
        if (!network) {
            return network.error();
        }
    } else if (!network->isActive()) {
        report(progress, "Starting the private network " + name);
    }
    return network->start();
}

VirtType virtTypeOf(const std::string& accelerator) {
    if (accelerator == "kvm") {
        return VirtType::Kvm;
    }
    return accelerator == "test" ? VirtType::Test : VirtType::Qemu;
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

std::string LibvirtDriver::networkName(const std::string& clusterName) {
    return "slipway-" + clusterName;
}

bool LibvirtDriver::hasPrivateNetwork(const std::string& uri) {
    return uri.rfind("qemu:///system", 0) == 0 || isTestUri(uri);
}

std::vector<NodeMachine> LibvirtDriver::nodes(const ClusterSpec& spec,
                                              const std::filesystem::path& dir) const {
    auto list = loadNodeList(dir);
    if (list.empty()) {
        // Before the first start (or a cluster of an older Slipway): the server alone.
        list.push_back(serverMachine(spec.name, hasPrivateNetwork(definedUri(spec, dir))));
    }
    if (!loadMachineRecord(dir)) {
        return list;  // never defined: nothing runs
    }
    auto connection = connect(definedUri(spec, dir));
    if (!connection) {
        return list;
    }
    for (auto& node : list) {
        auto domain = (*connection)->lookupDomain(domainName(node.name));
        if (!domain) {
            continue;
        }
        auto state = domain->state();
        node.running = domain->isActive();
        node.paused = state && (*state == DomainState::Paused);
    }
    return list;
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

core::Result<LibvirtDriver::Image> LibvirtDriver::guestImage() const {
    std::filesystem::path imageDir = m_options.guestImageDir;
    if (imageDir.empty()) {
        auto located = image::locateGuestImage();
        if (!located) {
            return located.error();
        }
        imageDir = *located;
    }
    Image image{image::bootKernel(imageDir), imageDir / image::kInitramfsFileName};
    std::error_code ec;
    for (const auto& file : {image.kernel, image.initrd}) {
        if (!std::filesystem::exists(file, ec)) {
            return core::Error(
                core::ErrorCode::NotFound,
                "the guest image has no " + file.string() + " (build the slipway-guest target)");
        }
    }
    return image;
}

DomainSpec LibvirtDriver::domainSpec(const ClusterSpec& spec, const std::filesystem::path& dir,
                                     const NodeMachine& node, VirtType type,
                                     const std::filesystem::path& kernel) const {
    const auto nodeDir = dir / node.name;
    DomainSpec domain;
    domain.name = domainName(node.name);
    domain.title = "Slipway cluster " + spec.name + ", node " + node.name;
    domain.type = type;
    domain.machine = m_options.machine;
    domain.memoryMiB = spec.memoryMiB;
    domain.vcpus = spec.cpus;
    domain.tcgCacheMiB = type == VirtType::Qemu ? kTcgCacheMiB : 0;
    domain.freePageReporting = true;
    domain.kernel = kernel;
    domain.initrd = nodeDir / kInitrd;
    domain.cmdline = std::string(image::kKernelCommandLine);
    if (domain.machine == MachineType::Microvm) {
        domain.cmdline += " reboot=t";
    }
    domain.disks.push_back(DiskSpec{nodeDir / kDataDisk, "qcow2", "vda", {}});
    domain.serialLog = nodeDir / kConsoleLog;
    // Only the server is reachable from the host: its API server and the node ports.
    if (node.role == kServerRole) {
        domain.userNetwork.forwards.push_back(
            HostForward{"127.0.0.1", spec.apiPort, kGuestApiPort});
    }
    const std::string uri = uriFor(spec);
    if (hasPrivateNetwork(uri)) {
        domain.interfaces.push_back(
            NetworkInterface{networkName(spec.name), privateMacAddress(domain.name), 0x11});
    }
    // qemu:///system runs QEMU as an unprivileged user that cannot read root's home, where
    // the cluster folder is: run it as root, without relabelling the user's files.
    if (uri.rfind("qemu:///system", 0) == 0) {
        domain.securityLabel = SecurityLabel::RunAsRoot;
    }
    return domain;
}

core::Result<void> LibvirtDriver::bootNode(LibvirtConnection& connection, const ClusterSpec& spec,
                                           const std::filesystem::path& dir,
                                           const NodeMachine& node, VirtType type,
                                           const Image& image, const ProgressCallback& progress) {
    const std::string name = domainName(node.name);
    if (domainRunning(connection, name)) {
        report(progress, "Node " + node.name + " runs already");
        return core::success();
    }
    const auto nodeDir = dir / node.name;
    std::error_code ec;
    std::filesystem::create_directories(nodeDir, ec);
    if (ec) {
        return core::Error(core::ErrorCode::Io,
                           "cannot create " + nodeDir.string() + ": " + ec.message());
    }
    // The host keeps the cluster's PKI and hands it to the guest at every boot.
    auto pki = pki::ensureClusterPki(dir / "pki");
    if (!pki) {
        return pki.error().wrap("creating the cluster's certificates");
    }
    const bool privateNetwork = hasPrivateNetwork(uriFor(spec));
    image::GuestConfig config;
    config.role = node.role;
    config.nodeName = node.name;
    config.clusterName = contextName(spec.name);
    config.apiPort = kGuestApiPort;
    config.pki.caCertificate = pki->authority.certificatePem;
    if (privateNetwork) {
        config.privateNetwork = {kPrivateInterface,
                                 node.address + "/" + std::to_string(kPrivatePrefixLength)};
        auto token = ensureJoinToken(dir);
        if (!token) {
            return token.error().wrap("making the cluster's join token");
        }
        config.joinToken = *token;
    }
    if (node.role == kServerRole) {
        // The host cannot reach the node's address: LoadBalancer Services and Ingresses get
        // theirs from `slipway tunnel` (127.0.0.1) and stay <pending> until one runs.
        config.extraArgs.push_back("--load-balancer-addresses=external");
        config.pki.caKey = pki->authority.keyPem;
        config.pki.adminCertificate = pki->admin.certificatePem;
        config.pki.adminKey = pki->admin.keyPem;
    } else {
        // An agent gets the CA, the join token and a serving certificate for its streaming
        // server, issued here: never the CA's key or the admin's.
        const NodeMachine server = serverMachine(spec.name, privateNetwork);
        config.serverUrl = "https://" + server.address + ":" + std::to_string(kGuestApiPort);
        pki::CertificateRequest request;
        request.commonName = "system:node:" + node.name;
        request.organizations = {"system:nodes"};
        request.ipAddresses = {node.address};
        request.dnsNames = {node.name};
        request.serverAuth = true;
        auto issued = pki::issueCertificate(pki->authority, request);
        if (!issued) {
            return issued.error().wrap("issuing the certificate of node " + node.name);
        }
        config.pki.kubeletCertificate = issued->certificatePem;
        config.pki.kubeletKey = issued->keyPem;
    }
    const auto configArchive = nodeDir / "config.cpio";
    if (auto written = image::writeConfigInitramfs(config, configArchive); !written) {
        return written.error().wrap("writing the node's configuration");
    }
    auto initrd = image::writeNodeInitrd(image.initrd, configArchive, nodeDir / kInitrd);
    std::filesystem::remove(configArchive, ec);
    if (!initrd) {
        return initrd.error().wrap("writing the node's initrd");
    }
    ::chmod((nodeDir / kInitrd).c_str(), 0600);
    if (auto disk = ensureDataDisk(m_options.qemuImg, nodeDir, spec.diskGiB, progress); !disk) {
        return disk;
    }

    report(progress, "Defining domain " + name + " on " + connection.uri());
    DomainSpec definition = domainSpec(spec, dir, node, type, image.kernel);
    // Defining again needs the UUID of the definition it replaces.
    if (auto existing = connection.lookupDomain(name)) {
        definition.uuid = existing->uuid();
    }
    auto xml = domainXml(definition);
    if (!xml) {
        return xml.error();
    }
    // Defining again replaces the definition: edited settings (CPUs, memory) take effect.
    auto domain = connection.defineDomain(*xml);
    if (!domain) {
        return domain.error();
    }
    report(progress, "Booting " + name + " (console: " + (nodeDir / kConsoleLog).string() + ")");
    if (!domain->isActive()) {
        return domain->start();
    }
    return core::success();
}

core::Result<void> LibvirtDriver::launch(ClusterSpec& spec, const std::filesystem::path& dir,
                                         const ProgressCallback& progress) {
    const std::string uri = uriFor(spec);
    const bool privateNetwork = hasPrivateNetwork(uri);
    // The node list is authoritative once made; the first start makes it from spec.nodes.
    auto nodeList = loadNodeList(dir);
    if (nodeList.empty()) {
        nodeList.push_back(serverMachine(spec.name, privateNetwork));
        for (int number = 2; number <= spec.nodes; ++number) {
            nodeList.push_back(agentMachine(spec.name, number, privateNetwork));
        }
    }
    if (nodeList.size() > 1 && !privateNetwork) {
        return core::Error(core::ErrorCode::BadRequest,
                           "clusters of several nodes need a private network between the VMs, "
                           "which only qemu:///system makes (run as root, or --libvirt-uri "
                           "qemu:///system); " +
                               uri + " runs single-node clusters");
    }
    spec.nodes = static_cast<int>(nodeList.size());

    // Image first: without it nothing else is worth doing.
    report(progress, "Preparing the guest image");
    auto image = guestImage();
    if (!image) {
        return image.error();
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
        probe.kernel = image->kernel;
        probe.deadline = m_options.probeDeadline;
        probe.cacheFile = m_options.probeCacheFile;
        const AcceleratorChoice choice = probeKvm(probe);
        type = choice.accelerator == Accelerator::Kvm ? VirtType::Kvm : VirtType::Qemu;
        record = {uri, std::string(acceleratorName(choice.accelerator)),
                  choice.reason + (choice.cached ? " (probed earlier in this boot)" : "")};
    }
    const bool serverRunning = domainRunning(**connection, domainName(spec.name));
    if (serverRunning) {
        // Starting what is missing of a running cluster: the running machines keep how they
        // were started.
        if (const auto earlier = loadMachineRecord(dir)) {
            record = *earlier;
            type = virtTypeOf(record.accelerator);
        }
    }
    report(progress, type == VirtType::Kvm ? "Accelerator: KVM (" + record.reason + ")"
                     : type == VirtType::Qemu
                         ? "Accelerator: TCG, software emulation (" + record.reason + ")"
                         : "Accelerator: none (" + record.reason + ")");

    // Keep the port of earlier starts so kubeconfigs stay valid; move only if it was taken
    // (by something else than the running server).
    if (!serverRunning && !loopbackPortFree(spec.apiPort)) {
        auto port = pickFreeLoopbackPort();
        if (!port) {
            return port.error().wrap("choosing an API server port");
        }
        spec.apiPort = *port;
    }

    // Recorded before anything is defined, so that delete knows where to look even if this
    // start dies half-way.
    if (auto saved = saveMachineRecord(dir, record); !saved) {
        return saved;
    }
    if (auto saved = saveNodeList(dir, nodeList); !saved) {
        return saved;
    }
    if (privateNetwork) {
        if (auto network = ensureNetwork(**connection, networkName(spec.name), progress);
            !network) {
            return network.error().wrap("the cluster's private network");
        }
    }
    auto pki = pki::ensureClusterPki(dir / "pki");
    if (!pki) {
        return pki.error().wrap("creating the cluster's certificates");
    }
    auto kubeconfig = pki::Kubeconfig::forTlsServer(
        contextName(spec.name), "https://127.0.0.1:" + std::to_string(spec.apiPort),
        pki->authority.certificatePem, pki->admin);
    if (auto saved = kubeconfig.save(dir / "kubeconfig"); !saved) {
        return saved;
    }
    // The server first; agents boot meanwhile and wait for its API server.
    for (const auto& node : nodeList) {
        if (auto booted = bootNode(**connection, spec, dir, node, type, *image, progress);
            !booted) {
            return booted.error().wrap("node " + node.name);
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
    // Every node at once: each gets the whole grace period.
    std::vector<Domain> running;
    for (const auto& node : nodes(spec, dir)) {
        auto domain = (*connection)->lookupDomain(domainName(node.name));
        if (!domain) {
            if (domain.error().code() != core::ErrorCode::NotFound) {
                return domain.error();
            }
            continue;
        }
        if (domain->isActive()) {
            running.push_back(std::move(*domain));
        }
    }
    if (grace.count() <= 0) {
        for (auto& domain : running) {
            report(progress, "Powering " + domain.name() + " off");
            if (auto destroyed = domain.destroy(); !destroyed) {
                return destroyed;
            }
        }
        return core::success();
    }
    for (auto& domain : running) {
        // A frozen guest cannot hear the power button.
        if (auto resumed = domain.resume(); !resumed) {
            return resumed;
        }
        report(progress, "Shutting down " + domain.name() + " (up to " +
                             std::to_string(grace.count() / 1000) + " s)");
        if (auto asked = domain.shutdown(); !asked) {
            return asked;
        }
    }
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + grace;
    const auto anyActive = [&] {
        return std::any_of(running.begin(), running.end(),
                           [](const Domain& domain) { return domain.isActive(); });
    };
    while (anyActive() && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    for (auto& domain : running) {
        if (domain.isActive()) {
            report(progress,
                   "Powering " + domain.name() + " off (no shutdown within the grace period)");
            if (auto destroyed = domain.destroy(); !destroyed) {
                return destroyed;
            }
        }
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
        return machine;
    }
    for (const auto& node : nodes(spec, dir)) {
        if (!node.running) {
            machine.partial = true;
            machine.message = "node " + node.name + " does not run (slipway start boots it)";
        }
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
    for (const auto& node : nodes(spec, dir)) {
        const std::string name = domainName(node.name);
        // Forwards live in the QEMU process: they end with it.
        if (auto removed =
                removeDefined((*connection)->lookupDomain(name), "domain " + name, progress);
            !removed) {
            return removed;
        }
    }
    // The network goes once no domain uses it; one left from a start that died half-way too.
    const std::string network = networkName(spec.name);
    if (auto removed =
            removeDefined((*connection)->lookupNetwork(network), "network " + network, progress);
        !removed) {
        return removed;
    }
    std::error_code ec;
    std::filesystem::remove(dir / kMachineFile, ec);
    return core::success();
}

core::Result<Domain> LibvirtDriver::runningServer(const ClusterSpec& spec,
                                                  const std::filesystem::path& dir) const {
    auto connection = connect(definedUri(spec, dir));
    if (!connection) {
        return connection.error();
    }
    auto domain = (*connection)->lookupDomain(domainName(spec.name));
    if (!domain || !domain->isActive()) {
        return core::Error(core::ErrorCode::Unavailable,
                           "cluster \"" + spec.name + "\" is not running");
    }
    return std::move(*domain);
}

core::Result<void> LibvirtDriver::withRunningDomains(
    const ClusterSpec& spec, const std::filesystem::path& dir,
    const std::function<core::Result<void>(Domain&)>& action) const {
    if (auto server = runningServer(spec, dir); !server) {
        return server.error();
    }
    auto connection = connect(definedUri(spec, dir));
    if (!connection) {
        return connection.error();
    }
    for (const auto& node : nodes(spec, dir)) {
        auto domain = (*connection)->lookupDomain(domainName(node.name));
        if (!domain || !domain->isActive()) {
            continue;
        }
        if (auto done = action(*domain); !done) {
            return done;
        }
    }
    return core::success();
}

core::Result<void> LibvirtDriver::pause(const ClusterSpec& spec, const std::filesystem::path& dir) {
    return withRunningDomains(spec, dir, [](Domain& domain) { return domain.suspend(); });
}

core::Result<void> LibvirtDriver::resume(const ClusterSpec& spec,
                                         const std::filesystem::path& dir) {
    return withRunningDomains(spec, dir, [](Domain& domain) { return domain.resume(); });
}

core::Result<NodeMachine> LibvirtDriver::addNode(const ClusterSpec& spec,
                                                 const std::filesystem::path& dir,
                                                 const ProgressCallback& progress) {
    const auto record = loadMachineRecord(dir);
    const std::string uri = definedUri(spec, dir);
    if (!hasPrivateNetwork(uri)) {
        return core::Error(core::ErrorCode::BadRequest,
                           "adding a node needs a private network between the VMs, which only "
                           "qemu:///system makes; cluster \"" +
                               spec.name + "\" runs on " + uri);
    }
    auto connection = connect(uri);
    if (!connection) {
        return connection.error();
    }
    if (!record || !domainRunning(**connection, domainName(spec.name))) {
        return core::Error(core::ErrorCode::Unavailable,
                           "cluster \"" + spec.name + "\" is not running (slipway start first)");
    }
    auto image = guestImage();
    if (!image) {
        return image.error();
    }
    auto nodeList = loadNodeList(dir);
    if (nodeList.empty()) {
        nodeList.push_back(serverMachine(spec.name, true));
    }
    // The lowest free number: -m02 again after -m02 was deleted.
    int number = 2;
    while (std::any_of(nodeList.begin(), nodeList.end(), [&](const NodeMachine& node) {
        return agentNumber(spec.name, node.name) == number;
    })) {
        ++number;
    }
    if (kServerHost - 1 + number > 254) {
        return core::Error(core::ErrorCode::BadRequest, "the private network has no address left");
    }
    NodeMachine node = agentMachine(spec.name, number, true);
    nodeList.push_back(node);
    // Listed before it exists, so that delete finds a node whose boot failed half-way.
    if (auto saved = saveNodeList(dir, nodeList); !saved) {
        return saved.error();
    }
    if (auto network = ensureNetwork(**connection, networkName(spec.name), progress); !network) {
        return network.error().wrap("the cluster's private network");
    }
    if (auto booted = bootNode(**connection, spec, dir, node, virtTypeOf(record->accelerator),
                               *image, progress);
        !booted) {
        return booted.error().wrap("node " + node.name);
    }
    node.running = true;
    return node;
}

core::Result<void> LibvirtDriver::removeNode(const ClusterSpec& spec,
                                             const std::filesystem::path& dir,
                                             const std::string& nodeName,
                                             const ProgressCallback& progress) {
    auto nodeList = loadNodeList(dir);
    const auto found = std::find_if(nodeList.begin(), nodeList.end(),
                                    [&](const NodeMachine& node) { return node.name == nodeName; });
    if (found == nodeList.end()) {
        return core::Error(core::ErrorCode::NotFound,
                           "node \"" + nodeName + "\" not found in cluster \"" + spec.name + "\"");
    }
    if (found->role == kServerRole) {
        return core::Error(
            core::ErrorCode::BadRequest,
            "node \"" + nodeName + "\" runs the control plane; delete the cluster instead");
    }
    if (loadMachineRecord(dir)) {
        auto connection = connect(definedUri(spec, dir));
        if (!connection) {
            return connection.error();
        }
        const std::string name = domainName(nodeName);
        if (auto removed =
                removeDefined((*connection)->lookupDomain(name), "domain " + name, progress);
            !removed) {
            return removed;
        }
    }
    nodeList.erase(found);
    if (auto saved = saveNodeList(dir, nodeList); !saved) {
        return saved;
    }
    report(progress, "Removing " + (dir / nodeName).string());
    std::error_code ec;
    std::filesystem::remove_all(dir / nodeName, ec);
    if (ec) {
        return core::Error(core::ErrorCode::Io,
                           "cannot remove " + (dir / nodeName).string() + ": " + ec.message());
    }
    return core::success();
}

core::Result<std::uint16_t> LibvirtDriver::exposePort(const ClusterSpec& spec,
                                                      const std::filesystem::path& dir,
                                                      std::uint16_t guestPort) {
    auto domain = runningServer(spec, dir);
    if (!domain) {
        return domain.error();
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

core::Result<void> LibvirtDriver::forwardHostPort(const ClusterSpec& spec,
                                                  const std::filesystem::path& dir,
                                                  std::uint16_t hostPort, std::uint16_t guestPort) {
    auto domain = runningServer(spec, dir);
    if (!domain) {
        return domain.error();
    }
    return addForward(*domain, UserNetwork().netdevId, {"127.0.0.1", hostPort, guestPort});
}

core::Result<void> LibvirtDriver::unforwardHostPort(const ClusterSpec& spec,
                                                    const std::filesystem::path& dir,
                                                    std::uint16_t hostPort) {
    auto domain = runningServer(spec, dir);
    if (!domain) {
        // Not running: the forward went with the QEMU process.
        return domain.error().code() == core::ErrorCode::Unavailable ? core::success()
                                                                     : domain.error();
    }
    const UserNetwork network;
    auto reply = domain->qemuMonitorCommand(
        hostForwardRemoveCommand(network.netdevId, {"127.0.0.1", hostPort, 0}));
    if (!reply) {
        return reply.error();
    }
    // HMP answers in text: "host forwarding rule for tcp:127.0.0.1:80 removed", or "... not
    // found" when it was not there (fine: removing is idempotent); anything else is a failure.
    std::string text = *reply;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    if (!text.empty() && text.find(" removed") == std::string::npos &&
        text.find(" not found") == std::string::npos) {
        return core::Error(
            core::ErrorCode::Network,
            "removing the forward from 127.0.0.1:" + std::to_string(hostPort) + " failed: " + text);
    }
    return core::success();
}

}  // namespace slipway::vm
