// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/apiextensions/custom_resource_type.h"

using nlohmann::json;
namespace apiextensions = slipway::apiextensions;

namespace {

json crontabCrd() {
    return json::parse(R"({
      "metadata": {"name": "crontabs.stable.example.com"},
      "spec": {"group": "stable.example.com", "scope": "Cluster",
               "names": {"plural": "crontabs", "singular": "crontab", "kind": "CronTab",
                         "listKind": "CronTabList", "shortNames": ["ct"],
                         "categories": ["all"]},
               "versions": [
                 {"name": "v1beta1", "served": false, "storage": false},
                 {"name": "v1", "served": true, "storage": true,
                  "subresources": {"status": {}, "scale": {
                    "specReplicasPath": ".spec.size",
                    "statusReplicasPath": ".status.current",
                    "labelSelectorPath": ".status.selector"}},
                  "additionalPrinterColumns": [
                    {"name": "Spec", "type": "string", "jsonPath": ".spec.cronSpec"},
                    {"name": "Size", "type": "integer", "jsonPath": ".spec.size",
                     "priority": 1}],
                  "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                    "spec": {"type": "object", "properties": {
                      "cronSpec": {"type": "string"},
                      "size": {"type": "integer", "default": 1}}},
                    "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}
                  }}}}]}})");
}

}  // namespace

class TstCustomResourceType : public QObject {
    Q_OBJECT

private slots:
    void onlyServedVersionsAreServed() {
        const auto types = apiextensions::servedResourceTypes(crontabCrd());
        QCOMPARE(types.size(), std::size_t(1));
        const auto& type = types[0];
        QCOMPARE(type.apiVersion(), std::string("stable.example.com/v1"));
        QCOMPARE(type.kind, std::string("CronTab"));
        QCOMPARE(type.singular, std::string("crontab"));
        QCOMPARE(type.shortNames, std::vector<std::string>{"ct"});
        QCOMPARE(type.categories, std::vector<std::string>{"all"});
        QVERIFY(!type.namespaced);
        QVERIFY(type.tracksGeneration);
        QVERIFY(type.allows("deletecollection") && type.allows("watch") && type.allows("patch"));
        // No strategic merge patch for custom resources: a PATCH of that type is 415.
        QVERIFY(type.patchMetadata == nullptr);
        const auto* scale = type.findSubresource("scale");
        QVERIFY(scale != nullptr);
        QCOMPARE(scale->group + "/" + scale->version + " " + scale->kind,
                 std::string("autoscaling/v1 Scale"));
        QVERIFY(type.hasSubresource("status"));
    }

    void otherVersionsConvertByApiVersionOnly() {
        json crd = crontabCrd();
        crd["spec"]["versions"][0]["served"] = true;
        const auto types = apiextensions::servedResourceTypes(crd);
        QCOMPARE(types.size(), std::size_t(2));
        const auto& beta = types[0];
        QCOMPARE(beta.version, std::string("v1beta1"));
        QVERIFY(beta.fromStorage && beta.toStorage);
        const json stored = {
            {"apiVersion", "stable.example.com/v1"}, {"kind", "CronTab"}, {"spec", {{"size", 3}}}};
        const json read = beta.fromStorage(stored);
        QCOMPARE(read.at("apiVersion"), json("stable.example.com/v1beta1"));
        QCOMPARE(read.at("spec"), stored.at("spec"));
        QCOMPARE(beta.toStorage(read), stored);
        // The storage version itself needs no conversion.
        QVERIFY(!types[1].fromStorage && !types[1].toStorage);
    }

    void scaleFollowsTheCrdsPaths() {
        const auto type = apiextensions::servedResourceTypes(crontabCrd()).at(0);
        const json object = {{"metadata", {{"name", "c1"}, {"resourceVersion", "7"}}},
                             {"spec", {{"size", 3}}},
                             {"status", {{"current", 2}, {"selector", "app=cron"}}}};
        const json scale = type.toScale(object);
        QCOMPARE(scale["apiVersion"], json("autoscaling/v1"));
        QCOMPARE(scale["metadata"]["resourceVersion"], json("7"));
        QCOMPARE(scale["spec"]["replicas"], json(3));
        QCOMPARE(scale["status"], json({{"replicas", 2}, {"selector", "app=cron"}}));
        const json scaled = type.fromScale(object, 5);
        QCOMPARE(scaled["spec"]["size"], json(5));
        QCOMPARE(scaled["status"], object["status"]);
        // Absent paths read as 0.
        QCOMPARE(type.toScale({{"metadata", {{"name", "c2"}}}})["spec"]["replicas"], json(0));
    }

    void defaulterPrunesDefaultsAndDropsEmptyStatus() {
        const auto type = apiextensions::servedResourceTypes(crontabCrd()).at(0);
        json object = {{"apiVersion", "stable.example.com/v1"},
                       {"kind", "CronTab"},
                       {"metadata", {{"name", "c1"}}},
                       {"spec", {{"cronSpec", "* * * * */5"}, {"image", "pruned"}}},
                       {"status", json::object()}};
        type.defaulter(object);
        QCOMPARE(object["spec"], json({{"cronSpec", "* * * * */5"}, {"size", 1}}));
        QVERIFY(!object.contains("status"));
        QVERIFY(type.validator(object, nullptr).empty());
        object["spec"]["size"] = "two";
        QCOMPARE(type.validator(object, nullptr).size(), std::size_t(1));
    }

    void printerColumnsComeFromTheVersion() {
        const auto type = apiextensions::servedResourceTypes(crontabCrd()).at(0);
        QCOMPARE(type.columns.size(), std::size_t(3));
        QCOMPARE(type.columns[0].name, std::string("Name"));
        QCOMPARE(type.columns[1].name, std::string("Spec"));
        QCOMPARE(type.columns[2].priority, 1);
        const json cells = type.cells(
            {{"metadata", {{"name", "c1"}}}, {"spec", {{"cronSpec", "*/5"}, {"size", 2}}}},
            std::chrono::system_clock::now());
        QCOMPARE(cells, json::array({"c1", "*/5", 2}));
    }

    void valueAtPathReadsDottedPaths() {
        const json object = {{"spec", {{"a", {{"b", 1}}}}}};
        QCOMPARE(*apiextensions::valueAtPath(object, ".spec.a.b"), json(1));
        QVERIFY(apiextensions::valueAtPath(object, ".spec.x") == nullptr);
    }
};

QTEST_GUILESS_MAIN(TstCustomResourceType)
#include "tst_custom_resource_type.moc"
