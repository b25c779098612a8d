// SPDX-License-Identifier: Apache-2.0
// The PersistentVolume controller (binder and hostPath provisioner) against an in-process
// API server.
#include <QTemporaryDir>
#include <QtTest>

#include "engine/client/shared_informers.h"
#include "engine/controllers/volume/persistent_volume_controller.h"

#include "../../client/test_server.h"

using namespace slipway;
using nlohmann::json;

namespace {

const client::ResourceRef kClaims("", "v1", "persistentvolumeclaims");
const client::ResourceRef kVolumes("", "v1", "persistentvolumes");

json claim(const std::string& name, const std::string& size, const json& storageClass = nullptr) {
    json object = {{"apiVersion", "v1"},
                   {"kind", "PersistentVolumeClaim"},
                   {"metadata", {{"name", name}, {"namespace", "default"}}},
                   {"spec",
                    {{"accessModes", json::array({"ReadWriteOnce"})},
                     {"resources", {{"requests", {{"storage", size}}}}}}}};
    if (!storageClass.is_null()) {
        object["spec"]["storageClassName"] = storageClass;
    }
    return object;
}

}  // namespace

class TstPersistentVolumeController : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;
    std::unique_ptr<client::SharedInformers> m_informers;
    std::unique_ptr<controllers::PersistentVolumeController> m_controller;

    json get(const client::ResourceRef& ref) {
        auto object = m_client->get(ref);
        return object ? *object : json();
    }

private slots:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<testing::TestServer>(m_dir->path().toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();
        m_informers = std::make_unique<client::SharedInformers>(*m_client);
        m_controller = std::make_unique<controllers::PersistentVolumeController>(
            controllers::ControllerContext{*m_client, *m_informers});
        m_informers->start();
        QVERIFY(m_informers->waitForSync(std::chrono::seconds(5)));
        m_controller->run(1);
    }

    void cleanup() {
        m_informers->stop();  // no handler may run into a destroyed controller
        m_controller.reset();
        m_informers.reset();
        m_client.reset();
        m_server.reset();
        m_dir.reset();
    }

    void claimWithoutClassIsProvisionedFromTheDefault() {
        const auto standard =
            get(client::ResourceRef("storage.k8s.io", "v1", "storageclasses").named("standard"));
        QCOMPARE(standard["metadata"]["annotations"]["storageclass.kubernetes.io/is-default-class"],
                 json("true"));
        auto created = m_client->create(kClaims.in("default"), claim("data", "1Gi"));
        QVERIFY(created.ok());
        const std::string uid = (*created)["metadata"]["uid"];
        QTRY_COMPARE_WITH_TIMEOUT(
            get(kClaims.in("default").named("data"))["status"].value("phase", ""),
            std::string("Bound"), 5000);
        const auto bound = get(kClaims.in("default").named("data"));
        QCOMPARE(bound["spec"]["storageClassName"], json("standard"));
        QCOMPARE(bound["spec"]["volumeName"], json("pvc-" + uid));
        QCOMPARE(bound["status"]["capacity"]["storage"], json("1Gi"));
        const auto volume = get(kVolumes.named("pvc-" + uid));
        QCOMPARE(volume["status"]["phase"], json("Bound"));
        QCOMPARE(volume["spec"]["claimRef"]["uid"], json(uid));
        QCOMPARE(volume["spec"]["persistentVolumeReclaimPolicy"], json("Delete"));
        QVERIFY(volume["spec"]["hostPath"]["path"].get<std::string>().ends_with("/default/data"));

        // Deleting the claim reclaims (deletes) the provisioned volume.
        QVERIFY(m_client->remove(kClaims.in("default").named("data")).ok());
        QTRY_VERIFY_WITH_TIMEOUT(!m_client->get(kVolumes.named("pvc-" + uid)).ok(), 5000);
    }

    void claimBindsToAFittingManualVolume() {
        for (const auto& [name, size] : std::vector<std::pair<std::string, std::string>>{
                 {"small", "1Gi"}, {"large", "10Gi"}}) {
            const json volume = {{"apiVersion", "v1"},
                                 {"kind", "PersistentVolume"},
                                 {"metadata", {{"name", name}}},
                                 {"spec",
                                  {{"capacity", {{"storage", size}}},
                                   {"accessModes", json::array({"ReadWriteOnce"})},
                                   {"persistentVolumeReclaimPolicy", "Retain"},
                                   {"storageClassName", "manual"},
                                   {"hostPath", {{"path", "/tmp/" + name}}}}}};
            QVERIFY(m_client->create(kVolumes, volume).ok());
        }
        QVERIFY(m_client->create(kClaims.in("default"), claim("wants-5", "5Gi", "manual")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            get(kClaims.in("default").named("wants-5"))["spec"].value("volumeName", ""),
            std::string("large"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(get(kVolumes.named("large"))["status"].value("phase", ""),
                                  std::string("Bound"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(get(kVolumes.named("small"))["status"].value("phase", ""),
                                  std::string("Available"), 5000);
        // Retain: the volume is Released, not deleted, when its claim goes.
        QVERIFY(m_client->remove(kClaims.in("default").named("wants-5")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(get(kVolumes.named("large"))["status"].value("phase", ""),
                                  std::string("Released"), 5000);
        // A claim too big for any volume of a class nobody provisions stays Pending.
        QVERIFY(m_client->create(kClaims.in("default"), claim("huge", "100Gi", "manual")).ok());
        QTest::qWait(300);
        QVERIFY(get(kClaims.in("default").named("huge"))["spec"].value("volumeName", "").empty());
    }
};

QTEST_GUILESS_MAIN(TstPersistentVolumeController)
#include "tst_persistent_volume_controller.moc"
