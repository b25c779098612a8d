// SPDX-License-Identifier: Apache-2.0
// The libvirt driver's lifecycle on libvirt's in-process test:/// driver: define, start,
// pause, resume, stop, start again with the data disk kept, delete, and clean-up of clusters
// left half-created. No guest runs here (tests/vm/tst_vm_cluster boots real ones).
#include <QtTest>

#include "engine/core/atomic_file.h"
#include "engine/pki/kubeconfig.h"
#include "vm/cluster_manager.h"
#include "vm/domain_spec.h"
#include "vm/host_capabilities.h"
#include "vm/libvirt_connection.h"
#include "vm/libvirt_driver.h"

using namespace slipway;

namespace {

constexpr const char* kUri = "test:///default";

bool domainExists(vm::LibvirtConnection& connection, const std::string& name) {
    const auto names = connection.domainNames();
    return names.ok() && std::find(names->begin(), names->end(), name) != names->end();
}

bool networkExists(vm::LibvirtConnection& connection, const std::string& name) {
    const auto names = connection.networkNames();
    return names.ok() && std::find(names->begin(), names->end(), name) != names->end();
}

bool domainRunning(vm::LibvirtConnection& connection, const std::string& name) {
    auto domain = connection.lookupDomain(name);
    return domain.ok() && domain->isActive();
}

std::vector<std::string> namesOf(const std::vector<vm::NodeMachine>& nodes) {
    std::vector<std::string> names;
    for (const auto& node : nodes) {
        names.push_back(node.name);
    }
    return names;
}

}  // namespace

class TstLibvirtDriver : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::filesystem::path m_image;
    // Keeps test:///default's state alive between the driver's own connections.
    std::optional<vm::LibvirtConnection> m_connection;

    std::filesystem::path root() const { return m_dir.path().toStdString(); }

    vm::ClusterSpec spec(const std::string& name) const {
        vm::ClusterSpec spec;
        spec.name = name;
        spec.driver = vm::DriverKind::Libvirt;
        spec.libvirtUri = kUri;
        spec.cpus = 1;
        spec.memoryMiB = 512;
        spec.diskGiB = 1;
        return spec;
    }

    vm::LibvirtDriver driver() const {
        vm::LibvirtDriverOptions options;
        options.guestImageDir = m_image;
        return vm::LibvirtDriver(options);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_image = root() / "guest";
        std::filesystem::create_directories(m_image);
        QVERIFY(core::writeFileAtomically(m_image / "vmlinuz", "not a kernel").ok());
        QVERIFY(core::writeFileAtomically(m_image / "initramfs.img", "base").ok());
        auto connection = vm::LibvirtConnection::open(kUri);
        QVERIFY(connection.ok());
        m_connection.emplace(std::move(*connection));
    }

    void fullLifecycle() {
        auto driver = this->driver();
        auto cluster = spec("unit-life");
        const auto dir = root() / "clusters" / cluster.name;
        std::filesystem::create_directories(dir);
        std::vector<std::string> phases;
        const vm::ProgressCallback progress = [&](const std::string& p) { phases.push_back(p); };

        QVERIFY(!driver.observe(cluster, dir).running);
        auto launched = driver.launch(cluster, dir, progress);
        QVERIFY2(launched.ok(), launched.ok() ? "" : launched.error().message().c_str());
        QVERIFY(cluster.apiPort != 0);
        const auto joined = [&] {
            std::string all;
            for (const auto& p : phases) {
                all += p + "\n";
            }
            return all;
        }();
        for (const char* phase : {"Preparing the guest image", "Creating the data disk",
                                  "Defining domain slipway-unit-life", "Booting slipway-unit-life",
                                  "Accelerator: none"}) {
            QVERIFY2(joined.find(phase) != std::string::npos, (phase + ("\n" + joined)).c_str());
        }
        QVERIFY(domainExists(*m_connection, "slipway-unit-life"));
        auto state = driver.observe(cluster, dir);
        QVERIFY(state.running);
        QVERIFY(!state.paused);
        QCOMPARE(state.accelerator, std::string("test"));

        // What the host made for the guest.
        QVERIFY(std::filesystem::exists(dir / "pki" / "ca.crt"));
        QVERIFY(std::filesystem::exists(dir / "pki" / "admin.key"));
        const auto disk = dir / "unit-life" / "data.qcow2";
        QVERIFY(std::filesystem::exists(disk));
        const auto initrd = dir / "unit-life" / "initrd.img";
        QVERIFY(std::filesystem::file_size(initrd) > 4);
        QCOMPARE(std::filesystem::status(initrd).permissions() & std::filesystem::perms::all,
                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        const auto kubeconfig = pki::Kubeconfig::load(dir / "kubeconfig");
        QVERIFY(kubeconfig.ok());
        QCOMPARE(kubeconfig->currentContext, std::string("slipway-unit-life"));
        QCOMPARE(kubeconfig->clusters.front().server,
                 "https://127.0.0.1:" + std::to_string(cluster.apiPort));
        QCOMPARE(driver.logPath(cluster, dir), dir / "unit-life" / "console.log");
        QCOMPARE(namesOf(driver.nodes(cluster, dir)), std::vector<std::string>{"unit-life"});
        // Even one node gets the private network, so that `slipway node add` needs no restart.
        QVERIFY(networkExists(*m_connection, "slipway-unit-life"));
        QVERIFY(m_connection->lookupNetwork("slipway-unit-life")->isActive());

        // Pause and resume are idempotent.
        QVERIFY(driver.pause(cluster, dir).ok());
        QVERIFY(driver.observe(cluster, dir).paused);
        QVERIFY(driver.pause(cluster, dir).ok());
        QVERIFY(driver.resume(cluster, dir).ok());
        QVERIFY(!driver.observe(cluster, dir).paused);
        QVERIFY(driver.resume(cluster, dir).ok());

        // Stop (from paused too), twice.
        QVERIFY(driver.pause(cluster, dir).ok());
        QVERIFY(driver.halt(cluster, dir, std::chrono::seconds(5), progress).ok());
        QVERIFY(!driver.observe(cluster, dir).running);
        QVERIFY(driver.halt(cluster, dir, std::chrono::seconds(5), progress).ok());
        QVERIFY(domainExists(*m_connection, "slipway-unit-life"));
        const auto pauseStopped = driver.pause(cluster, dir);
        QVERIFY(!pauseStopped.ok());
        QVERIFY(pauseStopped.error().message().find("not running") != std::string::npos);

        // Start again: same disk, same port.
        const auto diskWritten = std::filesystem::last_write_time(disk);
        const auto port = cluster.apiPort;
        phases.clear();
        launched = driver.launch(cluster, dir, progress);
        QVERIFY2(launched.ok(), launched.ok() ? "" : launched.error().message().c_str());
        QVERIFY(driver.observe(cluster, dir).running);
        QCOMPARE(std::filesystem::last_write_time(disk), diskWritten);
        QCOMPARE(cluster.apiPort, port);
        QVERIFY(std::any_of(phases.begin(), phases.end(), [](const std::string& p) {
            return p.find("Using the data disk") != std::string::npos;
        }));

        // The test driver has no QEMU monitor: exposing a port fails with libvirt's reason.
        const auto exposed = driver.exposePort(cluster, dir, 30080);
        QVERIFY(!exposed.ok());
        // The same for `slipway tunnel`'s forwards; removing one from a stopped cluster is
        // success (it went with QEMU).
        QVERIFY(!driver.forwardHostPort(cluster, dir, 41234, 30080).ok());

        QVERIFY(driver.halt(cluster, dir, std::chrono::seconds(5), progress).ok());
        const auto unforwarded = driver.unforwardHostPort(cluster, dir, 41234);
        QVERIFY2(unforwarded.ok(), unforwarded ? "" : unforwarded.error().message().c_str());

        // Delete: the domain goes, twice is fine.
        QVERIFY(driver.release(cluster, dir, progress).ok());
        QVERIFY(!domainExists(*m_connection, "slipway-unit-life"));
        QVERIFY(!networkExists(*m_connection, "slipway-unit-life"));
        QVERIFY(!driver.observe(cluster, dir).running);
        QVERIFY(driver.release(cluster, dir, progress).ok());
    }

    void multiNodeLifecycle() {
        auto driver = this->driver();
        auto cluster = spec("unit-multi");
        cluster.nodes = 3;
        const auto dir = root() / "clusters" / cluster.name;
        std::filesystem::create_directories(dir);
        QVERIFY(driver.launch(cluster, dir, {}).ok());

        // A server and two agents on one private network, all running.
        const auto nodes = driver.nodes(cluster, dir);
        QCOMPARE(nodes.size(), std::size_t(3));
        const std::pair<const char*, const char*> expected[] = {
            {"unit-multi", "192.168.213.10"},
            {"unit-multi-m02", "192.168.213.11"},
            {"unit-multi-m03", "192.168.213.12"}};
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            QCOMPARE(nodes[i].name, std::string(expected[i].first));
            QCOMPARE(nodes[i].address, std::string(expected[i].second));
            QCOMPARE(nodes[i].role, std::string(i == 0 ? "server" : "agent"));
            QVERIFY(nodes[i].running);
            QVERIFY(domainRunning(*m_connection, "slipway-" + nodes[i].name));
            QVERIFY(std::filesystem::exists(dir / nodes[i].name / "data.qcow2"));
            QVERIFY(std::filesystem::exists(dir / nodes[i].name / "initrd.img"));
            const auto xml = m_connection->lookupDomain("slipway-" + nodes[i].name)->xmlDesc();
            QVERIFY(xml->find("<source network='slipway-unit-multi'") != std::string::npos);
        }
        QVERIFY(networkExists(*m_connection, "slipway-unit-multi"));
        // The join token stays on the host, readable by its owner only.
        const auto token = dir / "join-token";
        QCOMPARE(std::filesystem::file_size(token), std::uintmax_t(32));
        QCOMPARE(std::filesystem::status(token).permissions() & std::filesystem::perms::all,
                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        QVERIFY(!driver.observe(cluster, dir).partial);

        // Pause and resume reach every node.
        QVERIFY(driver.pause(cluster, dir).ok());
        for (const auto& node : driver.nodes(cluster, dir)) {
            QVERIFY2(node.paused, node.name.c_str());
        }
        QVERIFY(driver.resume(cluster, dir).ok());
        for (const auto& node : driver.nodes(cluster, dir)) {
            QVERIFY2(!node.paused, node.name.c_str());
        }

        // A killed agent: the cluster runs, partially; launching again boots what is missing
        // and keeps the API port.
        QVERIFY(m_connection->lookupDomain("slipway-unit-multi-m02")->destroy().ok());
        const auto partial = driver.observe(cluster, dir);
        QVERIFY(partial.running);
        QVERIFY(partial.partial);
        QVERIFY(partial.message.find("unit-multi-m02") != std::string::npos);
        const auto port = cluster.apiPort;
        QVERIFY(driver.launch(cluster, dir, {}).ok());
        QCOMPARE(cluster.apiPort, port);
        QVERIFY(domainRunning(*m_connection, "slipway-unit-multi-m02"));
        QVERIFY(!driver.observe(cluster, dir).partial);

        // Nodes come and go; a freed number is taken again.
        auto added = driver.addNode(cluster, dir, {});
        QVERIFY2(added.ok(), added.ok() ? "" : added.error().message().c_str());
        QCOMPARE(added->name, std::string("unit-multi-m04"));
        QCOMPARE(added->address, std::string("192.168.213.13"));
        QVERIFY(domainRunning(*m_connection, "slipway-unit-multi-m04"));
        QVERIFY(driver.removeNode(cluster, dir, "unit-multi-m02", {}).ok());
        QVERIFY(!domainExists(*m_connection, "slipway-unit-multi-m02"));
        QVERIFY(!std::filesystem::exists(dir / "unit-multi-m02"));
        QCOMPARE(namesOf(driver.nodes(cluster, dir)),
                 (std::vector<std::string>{"unit-multi", "unit-multi-m03", "unit-multi-m04"}));
        added = driver.addNode(cluster, dir, {});
        QVERIFY(added.ok());
        QCOMPARE(added->name, std::string("unit-multi-m02"));
        QCOMPARE(driver.removeNode(cluster, dir, "unit-multi", {}).error().code(),
                 core::ErrorCode::BadRequest);
        QCOMPARE(driver.removeNode(cluster, dir, "unit-multi-m09", {}).error().code(),
                 core::ErrorCode::NotFound);

        // Stop stops every node; start boots them all again.
        QVERIFY(driver.halt(cluster, dir, std::chrono::seconds(5), {}).ok());
        for (const auto& node : driver.nodes(cluster, dir)) {
            QVERIFY2(!node.running, node.name.c_str());
        }
        QVERIFY(!driver.observe(cluster, dir).running);
        QCOMPARE(driver.addNode(cluster, dir, {}).error().code(), core::ErrorCode::Unavailable);
        QVERIFY(driver.launch(cluster, dir, {}).ok());
        QCOMPARE(cluster.nodes, 4);
        for (const auto& node : driver.nodes(cluster, dir)) {
            QVERIFY2(node.running, node.name.c_str());
        }

        // Delete: no domain, no network.
        QVERIFY(driver.halt(cluster, dir, {}, {}).ok());
        QVERIFY(driver.release(cluster, dir, {}).ok());
        for (const char* name : {"slipway-unit-multi", "slipway-unit-multi-m02",
                                 "slipway-unit-multi-m03", "slipway-unit-multi-m04"}) {
            QVERIFY2(!domainExists(*m_connection, name), name);
        }
        QVERIFY(!networkExists(*m_connection, "slipway-unit-multi"));
    }

    void sessionClustersHaveOneNode() {
        auto driver = this->driver();
        auto cluster = spec("unit-session");
        cluster.libvirtUri = "qemu:///session";
        cluster.nodes = 2;
        const auto dir = root() / "clusters" / cluster.name;
        std::filesystem::create_directories(dir);
        const auto launched = driver.launch(cluster, dir, {});
        QVERIFY(!launched.ok());
        QCOMPARE(launched.error().code(), core::ErrorCode::BadRequest);
        QVERIFY(launched.error().message().find("qemu:///system") != std::string::npos);
        QVERIFY(!vm::LibvirtDriver::hasPrivateNetwork("qemu:///session"));
        QVERIFY(vm::LibvirtDriver::hasPrivateNetwork("qemu:///system"));
    }

    void halfCreatedClustersAreCleanedUp() {
        auto driver = this->driver();
        // Recorded but never defined (a start that died before defining).
        auto cluster = spec("unit-half");
        const auto dir = root() / "clusters" / cluster.name;
        std::filesystem::create_directories(dir);
        QVERIFY(
            core::writeFileAtomically(dir / "machine.json", "{\"uri\": \"test:///default\"}").ok());
        QVERIFY(!driver.observe(cluster, dir).running);
        QVERIFY(driver.halt(cluster, dir, std::chrono::seconds(1), {}).ok());
        QVERIFY(driver.release(cluster, dir, {}).ok());

        // Defined but never started.
        auto defined = m_connection->defineDomain(
            "<domain type='test'><name>slipway-unit-half</name><memory unit='MiB'>128</memory>"
            "<os><type arch='x86_64'>hvm</type></os></domain>");
        QVERIFY(defined.ok());
        QVERIFY(
            core::writeFileAtomically(dir / "machine.json", "{\"uri\": \"test:///default\"}").ok());
        QVERIFY(driver.halt(cluster, dir, std::chrono::seconds(1), {}).ok());
        QVERIFY(driver.release(cluster, dir, {}).ok());
        QVERIFY(!domainExists(*m_connection, "slipway-unit-half"));

        // A network left by a start that died before defining any domain.
        QVERIFY(
            m_connection->defineNetwork(*vm::isolatedNetworkXml({"slipway-unit-half", {}})).ok());
        QVERIFY(
            core::writeFileAtomically(dir / "machine.json", "{\"uri\": \"test:///default\"}").ok());
        QVERIFY(driver.release(cluster, dir, {}).ok());
        QVERIFY(!networkExists(*m_connection, "slipway-unit-half"));

        // Nothing recorded at all: nothing to do, not even a connection.
        auto never = spec("unit-never");
        never.libvirtUri = "nosuchdriver:///system";
        QVERIFY(driver.release(never, root() / "clusters" / "unit-never", {}).ok());
        QVERIFY(driver.halt(never, root() / "clusters" / "unit-never", {}, {}).ok());
    }

    void theManagerDrivesLibvirtClusters() {
        vm::ClusterManagerOptions options;
        options.clustersRoot = root() / "managed";
        options.guestImageDir = m_image;
        options.vmStartTimeout = std::chrono::milliseconds(300);
        options.stopTimeout = std::chrono::seconds(5);
        vm::ClusterManager manager(options);
        // No guest answers on test:///: start defines and boots, then times out waiting.
        const auto started = manager.start(spec("unit-managed"));
        QVERIFY(!started.ok());
        QCOMPARE(started.error().code(), core::ErrorCode::Timeout);
        QVERIFY(started.error().message().find("console.log") != std::string::npos);
        QVERIFY(domainExists(*m_connection, "slipway-unit-managed"));

        auto status = manager.status("unit-managed");
        QVERIFY(status.ok());
        QVERIFY(status->state == vm::ClusterState::Starting);
        QCOMPARE(status->accelerator, std::string("test"));
        QCOMPARE(status->spec.libvirtUri, std::string(kUri));

        QVERIFY(manager.pause("unit-managed").ok());
        QVERIFY(manager.status("unit-managed")->state == vm::ClusterState::Paused);
        QVERIFY(manager.unpause("unit-managed").ok());
        QVERIFY(manager.status("unit-managed")->state == vm::ClusterState::Starting);
        QCOMPARE(*manager.logPath("unit-managed"),
                 options.clustersRoot / "unit-managed" / "unit-managed" / "console.log");

        const auto nodes = manager.nodes("unit-managed");
        QVERIFY(nodes.ok());
        QCOMPARE(nodes->size(), std::size_t(1));
        QCOMPARE(nodes->front().role, std::string("server"));
        QCOMPARE(nodes->front().state, std::string("NotReady"));  // no guest answers here
        QCOMPARE(nodes->front().address, std::string("192.168.213.10"));
        QCOMPARE(manager.removeNode("unit-managed", "unit-managed").error().code(),
                 core::ErrorCode::BadRequest);

        // Settings change only while stopped, and a data disk keeps its size.
        vm::ClusterSettingsChange bigger;
        bigger.cpus = 2;
        bigger.memoryMiB = 768;
        const auto whileRunning = manager.changeSettings("unit-managed", bigger);
        QCOMPARE(whileRunning.error().code(), core::ErrorCode::Conflict);
        QVERIFY(whileRunning.error().message().find("stop it first") != std::string::npos);
        QCOMPARE(manager.status("unit-managed")->spec.cpus, 1);

        QVERIFY(manager.stop("unit-managed").ok());
        QVERIFY(manager.status("unit-managed")->state == vm::ClusterState::Stopped);
        QCOMPARE(manager.nodes("unit-managed")->front().state, std::string("Stopped"));
        vm::ClusterSettingsChange disk;
        disk.diskGiB = 4;
        QCOMPARE(manager.changeSettings("unit-managed", disk).error().code(),
                 core::ErrorCode::BadRequest);
        const auto changed = manager.changeSettings("unit-managed", bigger);
        QVERIFY(changed.ok());
        QCOMPARE(changed->cpus, 2);
        QCOMPARE(manager.status("unit-managed")->spec.memoryMiB, std::int64_t(768));
        // The next start defines the machine with them.
        QVERIFY(!manager.start(spec("unit-managed")).ok());  // no guest answers on test:///
        const auto domain = m_connection->lookupDomain("slipway-unit-managed");
        QVERIFY(domain.ok());
        const auto xml = domain->xmlDesc();
        QVERIFY(xml.ok());
        QVERIFY2(xml->find("<vcpu placement='static'>2</vcpu>") != std::string::npos ||
                     xml->find("<vcpu>2</vcpu>") != std::string::npos,
                 xml->c_str());
        QVERIFY(manager.stop("unit-managed").ok());
        QCOMPARE(manager.addNode("unit-managed").error().code(), core::ErrorCode::Unavailable);
        QVERIFY(domainExists(*m_connection, "slipway-unit-managed"));
        QVERIFY(manager.remove("unit-managed").ok());
        QVERIFY(!domainExists(*m_connection, "slipway-unit-managed"));
        QVERIFY(!std::filesystem::exists(options.clustersRoot / "unit-managed"));
        QCOMPARE(manager.pause("unit-managed").error().code(), core::ErrorCode::NotFound);
    }

    void theManagerRefusesSeveralSessionNodesBeforeMakingAnything() {
        vm::ClusterManagerOptions options;
        options.clustersRoot = root() / "session";
        options.guestImageDir = m_image;
        vm::ClusterManager manager(options);
        auto cluster = spec("unit-session-managed");
        cluster.libvirtUri = "qemu:///session";
        cluster.nodes = 2;
        const auto started = manager.start(cluster);
        QVERIFY(!started.ok());
        QCOMPARE(started.error().code(), core::ErrorCode::BadRequest);
        QVERIFY(!std::filesystem::exists(options.clustersRoot / "unit-session-managed"));
    }

    void aCancelledCreateLeavesNothing() {
        vm::ClusterManagerOptions options;
        options.clustersRoot = root() / "cancelled";
        options.guestImageDir = m_image;
        options.vmStartTimeout = std::chrono::seconds(30);
        options.stopTimeout = std::chrono::seconds(5);
        options.mergeKubeconfig = false;
        vm::ClusterManager manager(options);
        // The user presses Cancel once the VM is defined and booting.
        std::atomic<bool> cancel{false};
        std::vector<std::string> phases;
        const auto progress = [&](const std::string& phase) {
            phases.push_back(phase);
            if (phase.rfind("Waiting for the API server", 0) == 0) {
                QVERIFY(domainExists(*m_connection, "slipway-unit-cancel"));
                cancel = true;
            }
        };
        const auto started = manager.start(spec("unit-cancel"), progress, &cancel);
        QVERIFY(!started.ok());
        QCOMPARE(started.error().code(), core::ErrorCode::Cancelled);
        QVERIFY2(started.error().message().find("nothing was left behind") != std::string::npos,
                 started.error().message().c_str());
        QVERIFY(!domainExists(*m_connection, "slipway-unit-cancel"));
        QVERIFY(!networkExists(*m_connection, "slipway-unit-cancel"));
        QVERIFY(!std::filesystem::exists(options.clustersRoot / "unit-cancel"));
        QVERIFY(std::any_of(phases.begin(), phases.end(), [](const std::string& phase) {
            return phase.rfind("Cancelled", 0) == 0;
        }));

        // Cancelled before it began: nothing is made at all.
        const auto early = manager.start(spec("unit-cancel"), {}, &cancel);
        QCOMPARE(early.error().code(), core::ErrorCode::Cancelled);
        QVERIFY(!std::filesystem::exists(options.clustersRoot / "unit-cancel"));
    }

    void availabilityOfTheLibvirtDriver() {
        QVERIFY(vm::libvirtDriverAvailability(kUri, m_image).available);
        const auto noImage = vm::libvirtDriverAvailability(kUri, root() / "no-image");
        QVERIFY(!noImage.available);
        QVERIFY2(noImage.reason.find("no guest image") != std::string::npos,
                 noImage.reason.c_str());
        const auto unreachable = vm::libvirtDriverAvailability("nosuchdriver:///system", m_image);
        QVERIFY(!unreachable.available);
        QVERIFY2(unreachable.reason.find("libvirt is not reachable") != std::string::npos,
                 unreachable.reason.c_str());
        QVERIFY(vm::multiNodeAvailability("qemu:///system").available);
        const auto session = vm::multiNodeAvailability("qemu:///session");
        QVERIFY(!session.available);
        QVERIFY(session.reason.find("qemu:///system") != std::string::npos);
    }

    void stoppedLocalClustersCannotPause() {
        vm::ClusterManagerOptions options;
        options.clustersRoot = root() / "local";
        vm::ClusterManager manager(options);
        std::filesystem::create_directories(options.clustersRoot / "unit-local");
        vm::ClusterSpec local;
        local.name = "unit-local";
        QVERIFY(
            vm::saveClusterSpec(options.clustersRoot / "unit-local" / "cluster.json", local).ok());
        const auto paused = manager.pause("unit-local");
        QVERIFY(!paused.ok());
        QCOMPARE(paused.error().code(), core::ErrorCode::Unavailable);
        QVERIFY(paused.error().message().find("not running") != std::string::npos);
        QCOMPARE(*manager.logPath("unit-local"),
                 options.clustersRoot / "unit-local" / "slipwayd.log");
        QCOMPARE(manager.logPathFor(local), options.clustersRoot / "unit-local" / "slipwayd.log");
        QCOMPARE(manager.exposeNodePort("unit-local", 30080).error().code(),
                 core::ErrorCode::BadRequest);
    }

    void cleanupTestCase() {
        // Whatever failed above, no domain of ours stays defined.
        for (const char* name :
             {"slipway-unit-life", "slipway-unit-half", "slipway-unit-managed",
              "slipway-unit-multi", "slipway-unit-multi-m02", "slipway-unit-multi-m03",
              "slipway-unit-multi-m04", "slipway-unit-cancel"}) {
            auto domain = m_connection->lookupDomain(name);
            if (domain.ok()) {
                (void)domain->destroy();
                (void)domain->undefine();
            }
            auto network = m_connection->lookupNetwork(name);
            if (network.ok()) {
                (void)network->destroy();
                (void)network->undefine();
            }
        }
    }
};

QTEST_GUILESS_MAIN(TstLibvirtDriver)
#include "tst_libvirt_driver.moc"
