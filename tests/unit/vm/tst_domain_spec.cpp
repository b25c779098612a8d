// SPDX-License-Identifier: Apache-2.0
// Domain XML from a typed DomainSpec, compared with golden files in tests/data/vm/. Set
// SLIPWAY_UPDATE_GOLDEN=1 to rewrite them after a deliberate change (and review the diff).
#include <QtTest>

#include "engine/core/atomic_file.h"
#include "vm/domain_spec.h"
#include "vm/libvirt_connection.h"

using namespace slipway;

namespace {

std::string goldenPath(const char* name) {
    return std::string(SLIPWAY_TEST_DATA_DIR) + "/vm/" + name;
}

/// The spec the libvirt driver writes for a node under TCG.
vm::DomainSpec nodeSpec() {
    vm::DomainSpec spec;
    spec.name = "slipway-demo";
    spec.title = "Slipway cluster demo, node demo";
    spec.type = vm::VirtType::Qemu;
    spec.machine = vm::MachineType::Pc;
    spec.tcgCacheMiB = 128;
    spec.freePageReporting = true;
    spec.memoryMiB = 2048;
    spec.vcpus = 2;
    spec.kernel = "/usr/share/slipway/guest/vmlinuz";
    spec.initrd = "/root/.local/share/slipway/clusters/demo/demo/initrd.img";
    spec.cmdline = "console=ttyS0 panic=-1 quiet";
    spec.disks.push_back(
        {"/root/.local/share/slipway/clusters/demo/demo/data.qcow2", "qcow2", "vda", {}});
    spec.serialLog = "/root/.local/share/slipway/clusters/demo/demo/console.log";
    spec.userNetwork.forwards.push_back({"127.0.0.1", 41234, 6443});
    spec.securityLabel = vm::SecurityLabel::RunAsRoot;
    return spec;
}

}  // namespace

class TstDomainSpec : public QObject {
    Q_OBJECT

    void compareWithGolden(const vm::DomainSpec& spec, const char* file) {
        const auto xml = vm::domainXml(spec);
        QVERIFY2(xml.ok(), xml.ok() ? "" : xml.error().message().c_str());
        if (qEnvironmentVariableIsSet("SLIPWAY_UPDATE_GOLDEN")) {
            QVERIFY(core::writeFileAtomically(goldenPath(file), *xml).ok());
        }
        const auto golden = core::readFile(goldenPath(file));
        QVERIFY2(golden.ok(), file);
        QCOMPARE(*xml, *golden);
    }

private slots:
    void tcgNodeOnPc() { compareWithGolden(nodeSpec(), "domain_pc_tcg.xml"); }

    void kvmNodeOnQ35() {
        auto spec = nodeSpec();
        spec.type = vm::VirtType::Kvm;
        spec.machine = vm::MachineType::Q35;
        spec.disks.front().cache = "none";
        spec.userNetwork.forwards.push_back({"127.0.0.1", 41235, 30080});
        spec.userNetwork.macAddress = "52:54:00:12:34:57";
        spec.uuid = "4dea22b3-1d52-d8f3-2516-782e98ab3fa0";
        compareWithGolden(spec, "domain_q35_kvm.xml");
    }

    void microvmHasNoAcpiAndMmioNic() {
        auto spec = nodeSpec();
        spec.machine = vm::MachineType::Microvm;
        spec.cmdline += " reboot=t";
        spec.securityLabel = vm::SecurityLabel::Default;
        compareWithGolden(spec, "domain_microvm.xml");
    }

    void testDriverDomainHasNoQemuNamespace() {
        auto spec = nodeSpec();
        spec.type = vm::VirtType::Test;
        spec.securityLabel = vm::SecurityLabel::Default;
        compareWithGolden(spec, "domain_test.xml");
    }

    void markupInValuesIsEscaped() {
        auto spec = nodeSpec();
        spec.title = "it's <b>\"quoted\"</b> & more";
        spec.cmdline = "console=ttyS0 x='<y>'";
        spec.serialLog = "/tmp/a&b/\"console\".log";
        compareWithGolden(spec, "domain_escaping.xml");
        const auto xml = vm::domainXml(spec);
        QVERIFY(xml->find("<b>") == std::string::npos);
        QVERIFY(xml->find("&lt;b&gt;") != std::string::npos);
        QVERIFY(xml->find("a&amp;b") != std::string::npos);
    }

    void theTestDriverAcceptsTheXmlAndReadsItBack() {
        auto spec = nodeSpec();
        spec.type = vm::VirtType::Test;
        spec.name = "slipway-unit-domain-spec";
        spec.title = "a \"title\" with <markup> & 'quotes'";
        auto connection = vm::LibvirtConnection::open("test:///default");
        QVERIFY(connection.ok());
        const auto xml = vm::domainXml(spec);
        QVERIFY(xml.ok());
        auto domain = connection->defineDomain(*xml);
        QVERIFY2(domain.ok(), domain.ok() ? "" : domain.error().message().c_str());
        const auto described = domain->xmlDesc();
        QVERIFY(described.ok());
        QVERIFY(described->find("<title>a \"title\" with &lt;markup&gt; &amp; 'quotes'</title>") !=
                    std::string::npos ||
                described->find("<title>a &quot;title&quot; with &lt;markup&gt; &amp; "
                                "&apos;quotes&apos;</title>") != std::string::npos);
        QVERIFY(described->find("<memory unit='KiB'>2097152</memory>") != std::string::npos);
        QVERIFY(domain->undefine().ok());
    }

    void unsafeValuesAreRefused() {
        auto spec = nodeSpec();
        spec.userNetwork.netdevId = "net0,hostfwd=tcp::22-:22";
        auto xml = vm::domainXml(spec);
        QVERIFY(!xml.ok());
        QCOMPARE(xml.error().code(), core::ErrorCode::Invalid);

        spec = nodeSpec();
        spec.userNetwork.forwards.front().hostAddress = "0.0.0.0,guestfwd=x";
        QVERIFY(!vm::domainXml(spec).ok());

        spec = nodeSpec();
        spec.disks.front().cache = "unsafe";
        xml = vm::domainXml(spec);
        QVERIFY(!xml.ok());
        QVERIFY(xml.error().message().find("unsafe") != std::string::npos);

        spec = nodeSpec();
        spec.kernel.clear();
        QVERIFY(!vm::domainXml(spec).ok());
        spec = nodeSpec();
        spec.name.clear();
        QVERIFY(!vm::domainXml(spec).ok());
    }

    void agentNodeOnThePrivateNetwork() {
        // An agent: no host forwards, a second NIC on the cluster's isolated network.
        auto spec = nodeSpec();
        spec.name = "slipway-demo-m02";
        spec.title = "Slipway cluster demo, node demo-m02";
        spec.userNetwork.forwards.clear();
        spec.interfaces.push_back({"slipway-demo", "52:54:00:ab:cd:ef", 0x11});
        compareWithGolden(spec, "domain_agent_private.xml");
    }

    void privateNicSlotMustNotBeTheUserNics() {
        auto spec = nodeSpec();
        spec.interfaces.push_back({"slipway-demo", {}, 0x10});
        QVERIFY(!vm::domainXml(spec).ok());
        spec.interfaces.front() = {{}, {}, 0x11};
        QVERIFY(!vm::domainXml(spec).ok());
        spec.interfaces.front() = {"slipway-demo", "52:54:00:00:00:01,x=y", 0x11};
        QVERIFY(!vm::domainXml(spec).ok());
    }

    void isolatedNetwork() {
        const auto xml = vm::isolatedNetworkXml({"slipway-demo", {}});
        QVERIFY(xml.ok());
        if (qEnvironmentVariableIsSet("SLIPWAY_UPDATE_GOLDEN")) {
            QVERIFY(core::writeFileAtomically(goldenPath("network_isolated.xml"), *xml).ok());
        }
        QCOMPARE(*xml, *core::readFile(goldenPath("network_isolated.xml")));
        // No address of the host's, no forwarding, no DHCP.
        QVERIFY(xml->find("<ip") == std::string::npos);
        QVERIFY(xml->find("<forward") == std::string::npos);
        QVERIFY(!vm::isolatedNetworkXml({}).ok());
    }

    void theTestDriverAcceptsTheNetworkAndADomainOnIt() {
        auto connection = vm::LibvirtConnection::open("test:///default");
        QVERIFY(connection.ok());
        auto network = connection->defineNetwork(
            *vm::isolatedNetworkXml({"slipway-unit-domain-spec-net", {}}));
        QVERIFY2(network.ok(), network.ok() ? "" : network.error().message().c_str());
        QVERIFY(!network->isActive());
        QVERIFY(network->start().ok());
        QVERIFY(network->isActive());
        QVERIFY(network->start().ok());  // idempotent
        const auto described = network->xmlDesc();
        QVERIFY(described.ok());
        QVERIFY(described->find("<ip") == std::string::npos);

        auto spec = nodeSpec();
        spec.type = vm::VirtType::Test;
        spec.name = "slipway-unit-domain-spec-nic";
        spec.securityLabel = vm::SecurityLabel::Default;
        spec.interfaces.push_back({"slipway-unit-domain-spec-net", "52:54:00:ab:cd:ef", 0x11});
        auto domain = connection->defineDomain(*vm::domainXml(spec));
        QVERIFY2(domain.ok(), domain.ok() ? "" : domain.error().message().c_str());
        QVERIFY(domain->xmlDesc()->find("<source network='slipway-unit-domain-spec-net'") !=
                std::string::npos);
        QVERIFY(domain->undefine().ok());

        QVERIFY(network->destroy().ok());
        QVERIFY(network->destroy().ok());  // idempotent
        QVERIFY(network->undefine().ok());
        const auto gone = connection->lookupNetwork("slipway-unit-domain-spec-net");
        QVERIFY(!gone.ok());
        QCOMPARE(gone.error().code(), core::ErrorCode::NotFound);
    }

    void monitorCommandsForForwards() {
        const vm::HostForward forward{"127.0.0.1", 41235, 30080};
        QCOMPARE(vm::hostForwardAddCommand("net0", forward),
                 std::string("hostfwd_add net0 tcp:127.0.0.1:41235-:30080"));
        QCOMPARE(vm::hostForwardRemoveCommand("net0", forward),
                 std::string("hostfwd_remove net0 tcp:127.0.0.1:41235"));
        vm::UserNetwork network;
        network.forwards = {{"127.0.0.1", 1, 2}, {"127.0.0.1", 3, 4}};
        QCOMPARE(vm::userNetdevArgument(network),
                 std::string("user,id=net0,hostfwd=tcp:127.0.0.1:1-:2,hostfwd=tcp:127.0.0.1:3-:4"));
    }

    void machineTypesParse() {
        QVERIFY(*vm::parseMachineType("q35") == vm::MachineType::Q35);
        QVERIFY(*vm::parseMachineType("microvm") == vm::MachineType::Microvm);
        QVERIFY(!vm::parseMachineType("isapc").ok());
    }
};

QTEST_GUILESS_MAIN(TstDomainSpec)
#include "tst_domain_spec.moc"
