// SPDX-License-Identifier: Apache-2.0
// The garbage collector against a real in-process API server: what it deletes, what it keeps,
// and which references it removes.
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/controllers/garbagecollector/garbage_collector.h"

#include "../client/test_server.h"

using namespace slipway;
using nlohmann::json;

namespace {

const client::ResourceRef kConfigMaps("", "v1", "configmaps", "default");

json owned(const std::string& name, const json& owners) {
    return {{"apiVersion", "v1"},
            {"kind", "ConfigMap"},
            {"metadata", {{"name", name}, {"ownerReferences", owners}}}};
}

json ownerReference(const json& owner) {
    return {{"apiVersion", "v1"},
            {"kind", "ConfigMap"},
            {"name", owner.at("metadata").at("name")},
            {"uid", owner.at("metadata").at("uid")}};
}

}  // namespace

class TstGarbageCollector : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;
    std::unique_ptr<controllers::GarbageCollector> m_collector;

    json create(const std::string& name, const json& owners = json::array()) {
        auto created = m_client->create(kConfigMaps, owned(name, owners));
        if (!created) {
            qWarning("create %s: %s", name.c_str(), created.error().message().c_str());
            return {};
        }
        return *created;
    }

    bool exists(const std::string& name) {
        return static_cast<bool>(m_client->get(kConfigMaps.named(name)));
    }

private slots:
    void init() {
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("server")));
        m_server = std::make_unique<testing::TestServer>(m_dir.filePath("server").toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();
        m_collector = std::make_unique<controllers::GarbageCollector>(*m_client);
        m_collector->start();
        QVERIFY(m_collector->waitForSync(std::chrono::seconds(10)));
    }

    void cleanup() {
        m_collector.reset();
        m_client.reset();
        m_server.reset();
        QDir(m_dir.filePath("server")).removeRecursively();
    }

    void watchesDeletableResourcesButNotEvents() {
        const auto resources = m_collector->monitoredResources();
        const auto has = [&resources](const std::string& key) {
            return std::find(resources.begin(), resources.end(), key) != resources.end();
        };
        QVERIFY(has("/pods"));
        QVERIFY(has("apps/deployments"));
        QVERIFY(!has("/events"));
        QVERIFY(!has("events.k8s.io/events"));
    }

    void aDependentOfAVanishedOwnerIsDeleted() {
        // The owner never existed: the reference dangles from the start.
        create("orphaned", json::array({{{"apiVersion", "v1"},
                                         {"kind", "ConfigMap"},
                                         {"name", "ghost"},
                                         {"uid", "0000"}}}));
        QTRY_VERIFY_WITH_TIMEOUT(!exists("orphaned"), 10000);
    }

    void aDependentWithALivingOwnerKeepsItAndLosesTheOther() {
        const json first = create("first");
        const json second = create("second");
        create("shared", json::array({ownerReference(first), ownerReference(second)}));
        QVERIFY(m_client->remove(kConfigMaps.named("first")));
        QTRY_COMPARE_WITH_TIMEOUT(
            m_client->get(kConfigMaps.named("shared"))->at("metadata").at("ownerReferences").size(),
            std::size_t(1), 10000);
        const auto shared = m_client->get(kConfigMaps.named("shared"));
        QVERIFY(shared);
        QCOMPARE(shared->at("metadata").at("ownerReferences")[0].at("name").get<std::string>(),
                 std::string("second"));
    }

    void foregroundWaitsForBlockingDependentsAcrossGenerations() {
        const json root = create("root");
        json childReference = ownerReference(root);
        childReference["blockOwnerDeletion"] = true;
        const json child = create("child", json::array({childReference}));
        json grandchildReference = ownerReference(child);
        grandchildReference["blockOwnerDeletion"] = true;
        create("grandchild", json::array({grandchildReference}));

        client::DeleteOptions foreground;
        foreground.propagationPolicy = client::PropagationPolicy::Foreground;
        auto deleting = m_client->remove(kConfigMaps.named("root"), foreground);
        QVERIFY(deleting);
        QTRY_VERIFY_WITH_TIMEOUT(!exists("root"), 10000);
        QVERIFY(!exists("child"));
        QVERIFY(!exists("grandchild"));
    }

    void orphanReleasesEveryDependent() {
        const json owner = create("owner");
        create("a", json::array({ownerReference(owner)}));
        create("b", json::array({ownerReference(owner)}));
        client::DeleteOptions orphan;
        orphan.propagationPolicy = client::PropagationPolicy::Orphan;
        QVERIFY(m_client->remove(kConfigMaps.named("owner"), orphan));
        QTRY_VERIFY_WITH_TIMEOUT(!exists("owner"), 10000);
        for (const char* name : {"a", "b"}) {
            auto dependent = m_client->get(kConfigMaps.named(name));
            QVERIFY(dependent);
            QVERIFY(!dependent->at("metadata").contains("ownerReferences"));
        }
    }
};

QTEST_GUILESS_MAIN(TstGarbageCollector)
#include "tst_garbage_collector.moc"
