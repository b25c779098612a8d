// SPDX-License-Identifier: Apache-2.0
// The create wizard's rules without widgets: name validation and its messages, driver
// availability, resource bounds from the host, node count, example apps.
#include <QSignalSpy>
#include <QTest>

#include "gui/models/cluster_wizard_model.h"

using slipway::gui::ClusterWizardModel;
using slipway::vm::DriverKind;

namespace {

slipway::vm::HostResources host(int cpus, std::int64_t memoryMiB, std::int64_t diskGiB) {
    slipway::vm::HostResources resources;
    resources.cpus = cpus;
    resources.memoryMiB = memoryMiB;
    resources.diskFreeGiB = diskGiB;
    return resources;
}

/// A machine where both drivers work and several nodes are possible.
void checkEverythingAvailable(ClusterWizardModel& model) {
    model.setHostResources(host(8, 16000, 100));
    model.setMultiNodeAvailability(true, {});
    model.setDriverAvailability(DriverKind::Local, true, {});
    model.setDriverAvailability(DriverKind::Libvirt, true, {});
}

}  // namespace

class TestClusterWizardModel : public QObject {
    Q_OBJECT

private slots:
    void suggestsAFreeName() {
        ClusterWizardModel model;
        QCOMPARE(model.name(), QStringLiteral("slipway"));
        model.setExistingClusterNames({QStringLiteral("slipway"), QStringLiteral("slipway-2")});
        QCOMPARE(model.name(), QStringLiteral("slipway-3"));
        QVERIFY(model.nameError().isEmpty());
        // A name the user typed is theirs: new listings do not replace it.
        model.setName(QStringLiteral("dev"));
        model.setExistingClusterNames({QStringLiteral("other")});
        QCOMPARE(model.name(), QStringLiteral("dev"));
    }

    void validatesTheNameAsADnsLabel_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QString() << QStringLiteral("Enter a name for the cluster.");
        QTest::newRow("upper") << QStringLiteral("Dev")
                               << QStringLiteral("Use lower-case letters: \"D\" is not allowed.");
        QTest::newRow("underscore")
            << QStringLiteral("my_cluster")
            << QStringLiteral("Only lower-case letters, digits and '-' are allowed, not \"_\".");
        QTest::newRow("dot")
            << QStringLiteral("a.b")
            << QStringLiteral("Only lower-case letters, digits and '-' are allowed, not \".\".");
        QTest::newRow("leading dash")
            << QStringLiteral("-dev")
            << QStringLiteral("The name must start and end with a letter or a digit.");
        QTest::newRow("trailing dash")
            << QStringLiteral("dev-")
            << QStringLiteral("The name must start and end with a letter or a digit.");
        QTest::newRow("64 characters")
            << QString(64, QLatin1Char('a'))
            << QStringLiteral("A name has at most 63 characters (this one has 64).");
        QTest::newRow("taken") << QStringLiteral("prod")
                               << QStringLiteral("A cluster called \"prod\" already exists.");
        QTest::newRow("63 characters") << QString(63, QLatin1Char('a')) << QString();
        QTest::newRow("digits and dashes") << QStringLiteral("1-dev-2") << QString();
    }

    void validatesTheNameAsADnsLabel() {
        QFETCH(QString, name);
        QFETCH(QString, message);
        ClusterWizardModel model;
        checkEverythingAvailable(model);
        model.setExistingClusterNames({QStringLiteral("prod")});
        QSignalSpy changed(&model, &ClusterWizardModel::changed);
        model.setName(name);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.nameError(), message);
        QCOMPARE(model.canCreate(), message.isEmpty());
        if (!message.isEmpty()) {
            QCOMPARE(model.blockingReason(), message);
        }
    }

    void nothingIsCreatedBeforeTheHostIsChecked() {
        ClusterWizardModel model;
        QVERIFY(!model.hostChecked());
        QVERIFY(!model.canCreate());
        QVERIFY(!model.isDriverChecked(DriverKind::Libvirt));
        QCOMPARE(model.blockingReason(),
                 QStringLiteral("Checking whether this machine can run it\u2026"));
        // Defaults stay what a laptop gets until there is a host to shrink them to.
        QCOMPARE(model.cpus(), 2);
        QCOMPARE(model.memoryMiB(), std::int64_t{2048});
        QCOMPARE(model.diskGiB(), std::int64_t{20});
    }

    void unavailableDriversSayWhyAndAreNotChosen() {
        ClusterWizardModel model;
        model.setHostResources(host(4, 8000, 50));
        model.setDriverAvailability(DriverKind::Libvirt, false,
                                    QStringLiteral("libvirt is not reachable: no socket"));
        model.setDriverAvailability(DriverKind::Local, true, {});
        QVERIFY(!model.isDriverAvailable(DriverKind::Libvirt));
        QCOMPARE(model.driverUnavailableReason(DriverKind::Libvirt),
                 QStringLiteral("libvirt is not reachable: no socket"));
        QVERIFY(model.driverUnavailableReason(DriverKind::Local).isEmpty());
        // The wizard moved to the driver that works.
        QCOMPARE(model.driver(), DriverKind::Local);
        QVERIFY(model.canCreate());

        // Choosing the unavailable one anyway blocks Create, with the reason.
        model.setDriver(DriverKind::Libvirt);
        QVERIFY(!model.canCreate());
        QCOMPARE(model.blockingReason(), QStringLiteral("libvirt is not reachable: no socket"));

        // Neither available: nothing can be created.
        ClusterWizardModel none;
        none.setHostResources(host(4, 8000, 50));
        none.setDriverAvailability(DriverKind::Local, false, QStringLiteral("needs root"));
        none.setDriverAvailability(DriverKind::Libvirt, false, QStringLiteral("no guest image"));
        QVERIFY(!none.canCreate());
    }

    void resourcesAreBoundedByTheHost() {
        ClusterWizardModel model;
        // A small machine: 1 CPU, 1.5 GiB, 10 GiB free. The defaults shrink to fit.
        model.setHostResources(host(1, 1500, 10));
        QCOMPARE(model.maxCpus(), 1);
        QCOMPARE(model.cpus(), 1);
        QCOMPARE(model.maxMemoryMiB(), std::int64_t{1280});  // whole 256 MiB steps
        QCOMPARE(model.memoryMiB(), std::int64_t{1280});
        QCOMPARE(model.maxDiskGiB(), std::int64_t{10});
        QCOMPARE(model.diskGiB(), std::int64_t{10});

        ClusterWizardModel big;
        big.setHostResources(host(16, 65536, 500));
        QCOMPARE(big.cpus(), 2);
        big.setCpus(99);
        QCOMPARE(big.cpus(), 16);
        big.setCpus(0);
        QCOMPARE(big.cpus(), ClusterWizardModel::kMinCpus);
        big.setMemoryMiB(100);
        QCOMPARE(big.memoryMiB(), ClusterWizardModel::kMinMemoryMiB);
        big.setMemoryMiB(1'000'000);
        QCOMPARE(big.memoryMiB(), std::int64_t{65536});
        big.setDiskGiB(1);
        QCOMPARE(big.diskGiB(), ClusterWizardModel::kMinDiskGiB);
        big.setDiskGiB(10'000);
        QCOMPARE(big.diskGiB(), std::int64_t{500});
        QVERIFY(big.resourcesError().isEmpty());

        // A full disk is said, and blocks Create.
        ClusterWizardModel full;
        full.setHostResources(host(4, 8000, 1));
        full.setDriverAvailability(DriverKind::Local, true, {});
        QCOMPARE(full.resourcesError(),
                 QStringLiteral("Only 1 GiB are free where clusters are kept; a cluster needs at "
                                "least 2 GiB."));
        QVERIFY(!full.canCreate());
    }

    void severalNodesOnlyOnLibvirtSystem() {
        ClusterWizardModel model;
        model.setHostResources(host(8, 16000, 100));
        model.setDriverAvailability(DriverKind::Libvirt, true, {});
        model.setDriverAvailability(DriverKind::Local, true, {});
        model.setMultiNodeAvailability(false, QStringLiteral("only qemu:///system"));
        QCOMPARE(model.driver(), DriverKind::Libvirt);
        QCOMPARE(model.maxNodes(), 1);
        model.setNodes(3);
        QCOMPARE(model.nodes(), 1);
        QCOMPARE(model.nodesHint(), QStringLiteral("only qemu:///system"));

        model.setMultiNodeAvailability(true, {});
        QCOMPARE(model.maxNodes(), ClusterWizardModel::kMaxNodes);
        model.setNodes(3);
        QCOMPARE(model.nodes(), 3);
        QCOMPARE(model.spec().nodes, 3);
        model.setNodes(100);
        QCOMPARE(model.nodes(), ClusterWizardModel::kMaxNodes);

        // The local driver runs one node, this machine.
        model.setDriver(DriverKind::Local);
        QVERIFY(!model.nodesEditable());
        QCOMPARE(model.nodes(), 1);
        QCOMPARE(model.spec().nodes, 1);
        QVERIFY(!model.nodesHint().isEmpty());
    }

    void examplesAreChosenAndParsed() {
        ClusterWizardModel model;
        QVERIFY(model.examples().size() >= 2);
        QCOMPARE(model.examples().front().id, QStringLiteral("hello"));
        QCOMPARE(model.selectedExampleIds(), QStringList{QStringLiteral("hello")});
        const auto objects = model.selectedExampleObjects();
        QCOMPARE(objects.size(), std::size_t{2});
        QCOMPARE(objects[0].at("kind").get<std::string>(), std::string("Deployment"));
        QCOMPARE(
            objects[0].at("/spec/template/spec/containers/0/image"_json_pointer).get<std::string>(),
            std::string("slipway.local/hello:1"));
        QCOMPARE(objects[1].at("kind").get<std::string>(), std::string("Service"));

        model.setExampleSelected(QStringLiteral("countdown-job"), true);
        model.setExampleSelected(QStringLiteral("no-such-app"), true);
        QCOMPARE(model.selectedExampleIds(),
                 (QStringList{QStringLiteral("hello"), QStringLiteral("countdown-job")}));
        QCOMPARE(model.selectedExampleObjects().size(), std::size_t{3});
        model.setExampleSelected(QStringLiteral("hello"), false);
        model.setExampleSelected(QStringLiteral("countdown-job"), false);
        QVERIFY(model.selectedExampleObjects().empty());
    }

    void specCarriesTheChoices() {
        ClusterWizardModel model;
        checkEverythingAvailable(model);
        model.setName(QStringLiteral("dev"));
        model.setDriver(DriverKind::Local);
        model.setCpus(3);
        model.setMemoryMiB(3072);
        model.setDiskGiB(30);
        const auto spec = model.spec();
        QCOMPARE(spec.name, std::string("dev"));
        QCOMPARE(spec.driver, DriverKind::Local);
        QCOMPARE(spec.cpus, 3);
        QCOMPARE(spec.memoryMiB, std::int64_t{3072});
        QCOMPARE(spec.diskGiB, std::int64_t{30});
        QVERIFY(spec.libvirtUri.empty());
        QVERIFY(model.canCreate());
    }
};

QTEST_GUILESS_MAIN(TestClusterWizardModel)
#include "tst_cluster_wizard_model.moc"
