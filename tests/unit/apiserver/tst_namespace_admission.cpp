// SPDX-License-Identifier: Apache-2.0
// ServiceAccount, LimitRanger and ResourceQuota admission on creates, through an in-process
// API server.
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

    void podsGetTheirServiceAccountCredentialsMounted() {
        json withInit = pod("web");
        withInit["spec"]["initContainers"] = json::array({{{"name", "init"}, {"image", "i:1"}}});
        auto created = m_client->create(client::resources::pods().in("default"), withInit);
        QVERIFY2(created.ok(), created ? "" : created.error().message().c_str());
        const json& volumes = (*created)["spec"]["volumes"];
        QCOMPARE(volumes.size(), std::size_t(1));
        const std::string name = volumes[0].value("name", "");
        QVERIFY(name.starts_with("kube-api-access-"));
        QCOMPARE(name.size(), std::string("kube-api-access-").size() + 5);
        const json& sources = volumes[0]["projected"]["sources"];
        QCOMPARE(volumes[0]["projected"].value("defaultMode", 0), 420);
        QCOMPARE(sources[0]["serviceAccountToken"].value("expirationSeconds", 0), 3607);
        QCOMPARE(sources[0]["serviceAccountToken"].value("path", ""), std::string("token"));
        QCOMPARE(sources[1]["configMap"].value("name", ""), std::string("kube-root-ca.crt"));
        QCOMPARE(sources[2]["downwardAPI"]["items"][0].value("path", ""), std::string("namespace"));
        for (const char* list : {"initContainers", "containers"}) {
            const json& mount = (*created)["spec"][list][0]["volumeMounts"][0];
            QCOMPARE(mount.value("name", ""), name);
            QCOMPARE(mount.value("mountPath", ""),
                     std::string("/var/run/secrets/kubernetes.io/serviceaccount"));
            QCOMPARE(mount.value("readOnly", false), true);
        }

        // Opting out on the pod, or on its ServiceAccount, mounts nothing.
        json optOut = pod("quiet");
        optOut["spec"]["automountServiceAccountToken"] = false;
        auto quiet = m_client->create(client::resources::pods().in("default"), optOut);
        QVERIFY(quiet.ok());
        QVERIFY(!(*quiet)["spec"].contains("volumes"));
        const json robot = {{"apiVersion", "v1"},
                            {"kind", "ServiceAccount"},
                            {"metadata", {{"name", "robot"}, {"namespace", "default"}}},
                            {"automountServiceAccountToken", false}};
        QVERIFY(m_client->create(client::resources::serviceAccounts().in("default"), robot).ok());
        json asRobot = pod("robotic");
        asRobot["spec"]["serviceAccountName"] = "robot";
        auto robotic = m_client->create(client::resources::pods().in("default"), asRobot);
        QVERIFY(robotic.ok());
        QVERIFY(!(*robotic)["spec"].contains("volumes"));

        // A ServiceAccount that does not exist is refused, in kube's words.
        json ghost = pod("ghostly");
        ghost["spec"]["serviceAccountName"] = "ghost";
        auto refused = m_client->create(client::resources::pods().in("default"), ghost);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().message(),
                 std::string("pods \"ghostly\" is forbidden: error looking up service account "
                             "default/ghost: serviceaccount \"ghost\" not found"));
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

    void ingressesGetTheDefaultClass() {
        const client::ResourceRef ingresses("networking.k8s.io", "v1", "ingresses", "default");
        const client::ResourceRef classes("networking.k8s.io", "v1", "ingressclasses");
        const auto ingress = [](const std::string& name) {
            return json{{"apiVersion", "networking.k8s.io/v1"},
                        {"kind", "Ingress"},
                        {"metadata", {{"name", name}}},
                        {"spec",
                         {{"defaultBackend",
                           {{"service", {{"name", "web"}, {"port", {{"number", 80}}}}}}}}}};
        };
        const auto ingressClass = [](const std::string& name, bool isDefault) {
            json object = {{"apiVersion", "networking.k8s.io/v1"},
                           {"kind", "IngressClass"},
                           {"metadata", {{"name", name}}},
                           {"spec", {{"controller", "example.com/" + name}}}};
            if (isDefault) {
                object["metadata"]["annotations"] = {
                    {"ingressclass.kubernetes.io/is-default-class", "true"}};
            }
            return object;
        };
        // No default class: left without one.
        auto created = m_client->create(ingresses, ingress("before"));
        QVERIFY2(created.ok(), created ? "" : created.error().message().c_str());
        QVERIFY(!created->contains("/spec/ingressClassName"_json_pointer));

        QVERIFY(m_client->create(classes, ingressClass("other", false)).ok());
        QVERIFY(m_client->create(classes, ingressClass("slipway", true)).ok());
        created = m_client->create(ingresses, ingress("after"));
        QVERIFY(created.ok());
        QCOMPARE(created->value("/spec/ingressClassName"_json_pointer, std::string()),
                 std::string("slipway"));

        // A class named explicitly, or by the legacy annotation, stays.
        json named = ingress("named");
        named["spec"]["ingressClassName"] = "other";
        created = m_client->create(ingresses, named);
        QVERIFY(created.ok());
        QCOMPARE(created->value("/spec/ingressClassName"_json_pointer, std::string()),
                 std::string("other"));
        json legacy = ingress("legacy");
        legacy["metadata"]["annotations"] = {{"kubernetes.io/ingress.class", "other"}};
        created = m_client->create(ingresses, legacy);
        QVERIFY(created.ok());
        QVERIFY(!created->contains("/spec/ingressClassName"_json_pointer));
    }
};

QTEST_GUILESS_MAIN(TstNamespaceAdmission)
#include "tst_namespace_admission.moc"
