// SPDX-License-Identifier: Apache-2.0
// The resource quota controller keeps status.used true against an in-process API server.
#include <QTemporaryDir>
#include <QtTest>

#include "engine/client/shared_informers.h"
#include "engine/controllers/resourcequota/resource_quota_controller.h"

#include "../../client/test_server.h"

using namespace slipway;
using nlohmann::json;

namespace {

json pod(const std::string& name, const std::string& cpu, const std::string& phase = "Running") {
    return {{"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec",
             {{"containers", json::array({{{"name", "app"},
                                           {"image", "app:1"},
                                           {"resources",
                                            {{"requests", {{"cpu", cpu}, {"memory", "64Mi"}}},
                                             {"limits", {{"cpu", cpu}}}}}}})}}},
            {"status", {{"phase", phase}}}};
}

}  // namespace

class TstResourceQuotaController : public QObject {
    Q_OBJECT

private slots:
    void statusFollowsTheNamespace() {
        QTemporaryDir dir;
        testing::TestServer server(dir.path().toStdString());
        QVERIFY2(server.error().empty(), server.error().c_str());
        auto client = server.directClient();
        client::SharedInformers informers(*client);
        controllers::ResourceQuotaController controller({*client, informers});
        informers.start();
        QVERIFY(informers.waitForSync(std::chrono::seconds(5)));
        controller.run(1);

        const client::ResourceRef quotas("", "v1", "resourcequotas");
        const json quota = {{"apiVersion", "v1"},
                            {"kind", "ResourceQuota"},
                            {"metadata", {{"name", "compute"}, {"namespace", "default"}}},
                            {"spec", {{"hard", {{"pods", "4"}, {"requests.cpu", "1"}}}}}};
        QVERIFY(client->create(quotas.in("default"), quota).ok());
        const auto used = [&] {
            auto object = client->get(quotas.in("default").named("compute"));
            return object ? (*object)["status"].value("used", json::object()) : json();
        };
        QTRY_COMPARE_WITH_TIMEOUT(used().value("pods", ""), std::string("0"), 5000);
        QVERIFY(client->create(client::resources::pods().in("default"), pod("a", "300m")).ok());
        QVERIFY(client->create(client::resources::pods().in("default"), pod("b", "200m")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(used().value("requests.cpu", ""), std::string("500m"), 5000);
        QCOMPARE(used().value("pods", ""), std::string("2"));
        client::DeleteOptions now;
        now.gracePeriodSeconds = 0;
        QVERIFY(client->remove(client::resources::pods().in("default").named("a"), now).ok());
        QTRY_COMPARE_WITH_TIMEOUT(used().value("requests.cpu", ""), std::string("200m"), 5000);
        controller.stop();
        informers.stop();
    }
};

QTEST_GUILESS_MAIN(TstResourceQuotaController)
#include "tst_resource_quota_controller.moc"
