// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/api/json_fields.h"
#include "engine/api/kind_registry.h"
#include "engine/api/table.h"

using nlohmann::json;
using slipway::api::KindRegistry;
using slipway::api::ResourceType;
using slipway::api::toTable;

namespace {

QString q(const std::string& text) {
    return QString::fromStdString(text);
}

std::chrono::system_clock::time_point now() {
    return *slipway::api::detail::parseTimestamp("2024-06-01T12:00:00Z");
}

const json kPod = R"({
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "web-1", "namespace": "default", "uid": "u-1",
                 "resourceVersion": "41", "creationTimestamp": "2024-06-01T11:55:00Z",
                 "labels": {"app": "web"}},
    "spec": {"nodeName": "node-1", "containers": [{"name": "web", "image": "nginx"}]},
    "status": {"phase": "Running", "podIPs": [{"ip": "10.244.0.5"}],
               "conditions": [{"type": "Ready", "status": "True"}],
               "containerStatuses": [{"name": "web", "ready": true, "restartCount": 0,
                                      "state": {"running": {}}}]}})"_json;

}  // namespace

class TstTable : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { m_registry = KindRegistry::withBuiltinKinds(); }

    void listTableShape() {
        const auto pods = m_registry->find("", "v1", "pods");
        const json table = toTable(*pods, {kPod}, now(), false, "42", "token-1", true);
        QCOMPARE(q(table["kind"]), QString("Table"));
        QCOMPARE(q(table["apiVersion"]), QString("meta.k8s.io/v1"));
        QVERIFY(table["metadata"] == (json{{"resourceVersion", "42"}, {"continue", "token-1"}}));
        QCOMPARE(table["columnDefinitions"].size(), std::size_t{9});
        const json& first = table["columnDefinitions"][0];
        QCOMPARE(q(first["name"]), QString("Name"));
        QCOMPARE(q(first["type"]), QString("string"));
        QCOMPARE(q(first["format"]), QString("name"));
        QCOMPARE(first["priority"].get<int>(), 0);
        QVERIFY(!first["description"].get<std::string>().empty());
        QCOMPARE(table["columnDefinitions"][5]["priority"].get<int>(), 1);
        QCOMPARE(table["rows"].size(), std::size_t{1});
        const json& row = table["rows"][0];
        QVERIFY(row["cells"] == json::parse(R"(["web-1", "1/1", "Running", "0", "5m", "10.244.0.5",
                                                "node-1", "<none>", "<none>"])"));
        QVERIFY(!row.contains("conditions"));
        // includeObject=Metadata (the default): a PartialObjectMetadata with all of metadata.
        QVERIFY(row["object"] == (json{{"kind", "PartialObjectMetadata"},
                                       {"apiVersion", "meta.k8s.io/v1"},
                                       {"metadata", kPod["metadata"]}}));
    }

    void includeObjectEmbedsTheObject() {
        const auto pods = m_registry->find("", "v1", "pods");
        const json table = toTable(*pods, {kPod}, now(), true, "42", "", true);
        QVERIFY(table["rows"][0]["object"] == kPod);
        QVERIFY(table["metadata"] == (json{{"resourceVersion", "42"}}));
    }

    void watchEventsAfterTheFirstHaveNoColumns() {
        const auto pods = m_registry->find("", "v1", "pods");
        const json table = toTable(*pods, {kPod}, now(), false, "", "", false);
        QVERIFY(table.contains("columnDefinitions"));
        QVERIFY(table["columnDefinitions"].is_null());
        QVERIFY(table["metadata"] == json::object());
        QCOMPARE(table["rows"][0]["cells"].size(), std::size_t{9});
    }

    void emptyListHasEmptyRows() {
        const auto deployments = m_registry->find("apps", "v1", "deployments");
        const json table = toTable(*deployments, {}, now(), false, "7", "", true);
        QVERIFY(table["rows"].is_array());
        QVERIFY(table["rows"].empty());
        QCOMPARE(table["columnDefinitions"].size(), std::size_t{8});
    }

    void finishedPodsCarryCompletedCondition_data() {
        QTest::addColumn<QString>("phase");
        QTest::addColumn<QString>("reason");
        QTest::newRow("succeeded") << "Succeeded"
                                   << "Succeeded";
        QTest::newRow("failed") << "Failed"
                                << "Failed";
    }

    void finishedPodsCarryCompletedCondition() {
        QFETCH(QString, phase);
        QFETCH(QString, reason);
        json pod = kPod;
        pod["status"] = {{"phase", phase.toStdString()}};
        const auto pods = m_registry->find("", "v1", "pods");
        const json table = toTable(*pods, {pod}, now(), false, "1", "", true);
        const json& conditions = table["rows"][0]["conditions"];
        QCOMPARE(conditions.size(), std::size_t{1});
        QCOMPARE(q(conditions[0]["type"]), QString("Completed"));
        QCOMPARE(q(conditions[0]["status"]), QString("True"));
        QCOMPARE(q(conditions[0]["reason"]), reason);
    }

    void typeWithoutPrinterGetsNameAndAge() {
        ResourceType crontabs;
        crontabs.group = "stable.example.com";
        crontabs.version = "v1";
        crontabs.kind = "CronTab";
        crontabs.plural = "crontabs";
        const json object = R"({"apiVersion": "stable.example.com/v1", "kind": "CronTab",
            "metadata": {"name": "ct", "creationTimestamp": "2024-06-01T11:00:00Z"}})"_json;
        const json table = toTable(crontabs, {object}, now(), false, "9", "", true);
        QCOMPARE(table["columnDefinitions"].size(), std::size_t{2});
        QCOMPARE(q(table["columnDefinitions"][1]["name"]), QString("Age"));
        QCOMPARE(q(table["columnDefinitions"][1]["type"]), QString("date"));
        QVERIFY(table["rows"][0]["cells"] == json::parse(R"(["ct", "60m"])"));
    }

    void builtinKindWithoutKubePrinterShowsCreatedAt() {
        const auto roles = m_registry->find("rbac.authorization.k8s.io", "v1", "clusterroles");
        const json role = R"({"metadata": {"name": "view",
                                           "creationTimestamp": "2024-05-01T10:00:00Z"}})"_json;
        const json table = toTable(*roles, {role}, now(), false, "3", "", true);
        QCOMPARE(q(table["columnDefinitions"][1]["name"]), QString("Created At"));
        QVERIFY(table["rows"][0]["cells"] == json::parse(R"(["view", "2024-05-01T10:00:00Z"])"));
    }

    void partialObjectMetadataOfObjectWithoutMetadata() {
        const json partial = slipway::api::partialObjectMetadata(json::object());
        QVERIFY(partial == (json{{"kind", "PartialObjectMetadata"},
                                 {"apiVersion", "meta.k8s.io/v1"},
                                 {"metadata", json::object()}}));
    }

private:
    std::unique_ptr<KindRegistry> m_registry;
};

QTEST_GUILESS_MAIN(TstTable)
#include "tst_table.moc"
