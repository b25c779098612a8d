// SPDX-License-Identifier: Apache-2.0
// LimitRanger and ResourceQuota admission on creates, through an in-process API server.
#include <QTemporaryDir>
#include <QtTest>

#include "../client/test_server.h"

using namespace slipway;
using nlohmann::json;

namespace {

json pod(const std::string& name, const json& resources = json::object()) {
    json container = {{"name", "app"}, {"image", "app:1"}};
    if (!resources.empty()) {
        container["resources"] = resources;
    }
    return {{"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec", {{"containers", json::array({container})}}}};
}

}  // namespace

class TstNamespaceAdmission : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;

private slots:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<testing::TestServer>(m_dir->path().toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();
    }

    void cleanup() {
        m_client.reset();
        m_server.reset();
        m_dir.reset();
    }

    void limitRangesDefaultAndBoundPods() {
        const json range = {{"apiVersion", "v1"},
                            {"kind", "LimitRange"},
                            {"metadata", {{"name", "limits"}, {"namespace", "default"}}},
                            {"spec",
                             {{"limits", json::array({{{"type", "Container"},
                                                       {"default", {{"cpu", "500m"}}},
                                                       {"defaultRequest", {{"cpu", "100m"}}},
                                                       {"max", {{"cpu", "1"}}}}})}}}};
        QVERIFY(m_client->create(client::ResourceRef("", "v1", "limitranges").in("default"), range)
                    .ok());
        auto created = m_client->create(client::resources::pods().in("default"), pod("plain"));
        QVERIFY2(created.ok(), created ? "" : created.error().message().c_str());
        const json& resources = (*created)["spec"]["containers"][0]["resources"];
        QCOMPARE(resources["limits"]["cpu"], json("500m"));
        QCOMPARE(resources["requests"]["cpu"], json("100m"));

        auto refused = m_client->create(client::resources::pods().in("default"),
                                        pod("greedy", {{"limits", {{"cpu", "2"}}}}));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code(), core::ErrorCode::Forbidden);
        QCOMPARE(refused.error().message(),
                 std::string("pods \"greedy\" is forbidden: maximum cpu usage per Container is 1, "
                             "but limit is 2"));
        QVERIFY(!m_client->get(client::resources::pods().in("default").named("greedy")).ok());
    }

    void quotasRefuseWhatWouldExceedThem() {
        const json quota = {{"apiVersion", "v1"},
                            {"kind", "ResourceQuota"},
                            {"metadata", {{"name", "small"}, {"namespace", "default"}}},
                            {"spec", {{"hard", {{"pods", "1"}, {"configmaps", "5"}}}}}};
        QVERIFY(
            m_client->create(client::ResourceRef("", "v1", "resourcequotas").in("default"), quota)
                .ok());
        QVERIFY(m_client->create(client::resources::pods().in("default"), pod("first")).ok());
        auto refused = m_client->create(client::resources::pods().in("default"), pod("second"));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code(), core::ErrorCode::Forbidden);
        QCOMPARE(refused.error().message(),
                 std::string("pods \"second\" is forbidden: exceeded quota: small, requested: "
                             "pods=1, used: pods=1, limited: pods=1"));
        // Other namespaces are not limited.
        json elsewhere = pod("second");
        elsewhere["metadata"]["namespace"] = "kube-system";
        QVERIFY(m_client->create(client::resources::pods().in("kube-system"), elsewhere).ok());
    }
};

QTEST_GUILESS_MAIN(TstNamespaceAdmission)
#include "tst_namespace_admission.moc"
