// SPDX-License-Identifier: Apache-2.0
#include <fstream>

#include <QtTest>

#include "engine/api/patch.h"
#include "engine/api/patch_metadata.h"
#include "engine/api/strategic_merge_patch.h"

using nlohmann::json;
using slipway::api::applyStrategicMergePatch;
using slipway::api::builtinPatchMetadata;
using slipway::api::PatchField;
using slipway::api::PatchMetadata;
using slipway::core::ErrorCode;

namespace {

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

// The MergeItem type of apimachinery's strategicpatch tests, as patch metadata. The Go type is
// recursive; six levels cover every case in the table.
std::shared_ptr<const PatchMetadata> mergeItemSchema(int depth) {
    auto item = std::make_shared<PatchMetadata>();
    if (depth == 0) {
        return item;
    }
    const auto inner = mergeItemSchema(depth - 1);
    auto retainKeysItem = std::make_shared<PatchMetadata>();
    retainKeysItem->set("mergingIntList", PatchField::mergeSet())
        .set("mergingList", PatchField::mergeList("name", inner));
    item->set("mergingList", PatchField::mergeList("name", inner))
        .set("mergingIntList", PatchField::mergeSet())
        .set("mergeItemPtr", PatchField::mergeList("name", inner))
        .set("replacingItem", PatchField::replaceObject())
        .set("retainKeysMap", PatchField::object(retainKeysItem).withRetainKeys())
        .set("retainKeysMergingList", PatchField::mergeList("name", inner).withRetainKeys());
    return item;
}

// apimachinery compares these results after sorting merged lists (sortMergeListsByName): in
// those cases only the content is specified, not the order.
json sortMergeLists(const json& value, const PatchMetadata* schema) {
    if (!value.is_object()) {
        return value;
    }
    json out = json::object();
    for (const auto& [key, child] : value.items()) {
        const PatchField* field = schema != nullptr ? schema->find(key) : nullptr;
        if (field == nullptr) {
            out[key] = child;
        } else if (child.is_object()) {
            out[key] = sortMergeLists(child, field->schema.get());
        } else if (child.is_array() && field->merge) {
            std::vector<json> elements;
            for (const auto& element : child) {
                elements.push_back(sortMergeLists(element, field->schema.get()));
            }
            std::stable_sort(elements.begin(), elements.end(), [&](const json& a, const json& b) {
                if (field->mergeKey.empty() || !a.is_object() || !b.is_object()) {
                    return a < b;
                }
                return a.value(field->mergeKey, json()) < b.value(field->mergeKey, json());
            });
            out[key] = elements;
        } else {
            out[key] = child;
        }
    }
    return out;
}

json loadCases() {
    const QString path =
        QStringLiteral(SLIPWAY_TEST_DATA_DIR "/patch/apimachinery_strategic_merge_cases.json");
    std::ifstream in(path.toStdString());
    if (!in) {
        qFatal("cannot open the strategic merge patch cases");
    }
    return json::parse(in).at("cases");
}

json apply(const json& object, const json& patch, std::string_view group, std::string_view kind) {
    const auto result = applyStrategicMergePatch(object, patch, *builtinPatchMetadata(group, kind));
    if (!result) {
        qWarning("patch failed: %s", result.error().message().c_str());
        return json();
    }
    return *result;
}

// What kube-apiserver stores for `kubectl create -f` of a small web Deployment, defaults
// included, after a first apply: containers web (env A, B; port 80) and side.
const json kLiveDeployment = json::parse(R"({
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": {
    "name": "web", "namespace": "default", "uid": "5f7c1a52-d1", "resourceVersion": "1042",
    "generation": 1, "labels": {"app": "web"},
    "annotations": {"deployment.kubernetes.io/revision": "1"}
  },
  "spec": {
    "replicas": 2,
    "revisionHistoryLimit": 10,
    "progressDeadlineSeconds": 600,
    "selector": {"matchLabels": {"app": "web"}},
    "strategy": {"type": "RollingUpdate",
                 "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
    "template": {
      "metadata": {"labels": {"app": "web"}, "annotations": {"team": "blue"}},
      "spec": {
        "containers": [
          {"name": "web", "image": "nginx:1", "imagePullPolicy": "IfNotPresent",
           "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "1"}],
           "ports": [{"containerPort": 80, "protocol": "TCP"}],
           "resources": {}, "terminationMessagePath": "/dev/termination-log",
           "terminationMessagePolicy": "File"},
          {"name": "side", "image": "busybox", "command": ["sleep", "3600"],
           "imagePullPolicy": "Always", "resources": {},
           "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}
        ],
        "restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
        "dnsPolicy": "ClusterFirst", "schedulerName": "default-scheduler", "securityContext": {}
      }
    }
  },
  "status": {"observedGeneration": 1, "replicas": 2, "readyReplicas": 2,
             "conditions": [{"type": "Available", "status": "True"}]}
})");

// The patch kubectl 1.32 sent for `kubectl apply` after the file changed: Recreate strategy,
// nginx:2, env A removed and B changed, port 443 added, a volume, sidecar removed
// (kubectl-wire.md, section 4).
constexpr std::string_view kCapturedApplyPatch =
    R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"},"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"$setElementOrder/env":[{"name":"B"}],"$setElementOrder/ports":[{"containerPort":80},{"containerPort":443}],"env":[{"name":"B","value":"2"},{"$patch":"delete","name":"A"}],"image":"nginx:2","name":"web","ports":[{"containerPort":443}],"volumeMounts":[{"mountPath":"/data","name":"data"}]},{"$patch":"delete","name":"side"}],"volumes":[{"emptyDir":{},"name":"data"}]}}}})";

const json kPod = json::parse(R"({
  "apiVersion": "v1", "kind": "Pod",
  "metadata": {"name": "p", "namespace": "default", "labels": {"app": "web", "tier": "fe"},
               "finalizers": ["a.example.com/x", "b.example.com/y"],
               "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs1",
                                    "uid": "u1", "controller": true}]},
  "spec": {
    "containers": [{"name": "app", "image": "app:1", "args": ["--a", "--b"],
                    "env": [{"name": "X", "value": "1"}]},
                   {"name": "log", "image": "log:1"}],
    "volumes": [{"name": "cache", "emptyDir": {}}, {"name": "conf", "configMap": {"name": "c"}}],
    "tolerations": [{"key": "a", "operator": "Exists"}],
    "nodeSelector": {"disk": "ssd"}
  },
  "status": {"phase": "Running",
             "conditions": [{"type": "Ready", "status": "False"},
                            {"type": "PodScheduled", "status": "True"}]}
})");

}  // namespace

class TstStrategicMergePatch : public QObject {
    Q_OBJECT
private slots:
    // Every application case of apimachinery's own strategic merge patch tests.
    void matchesApimachineryCases_data() {
        QTest::addColumn<int>("index");
        const json cases = loadCases();
        QVERIFY(cases.size() > 200);
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const std::string name = cases[i].at("source").get<std::string>() + ": " +
                                     cases[i].at("description").get<std::string>();
            QTest::newRow(name.c_str()) << static_cast<int>(i);
        }
    }
    void matchesApimachineryCases() {
        QFETCH(int, index);
        static const json cases = loadCases();
        static const auto schema = mergeItemSchema(6);
        const json& c = cases.at(static_cast<std::size_t>(index));
        const auto result = applyStrategicMergePatch(c.at("original"), c.at("patch"), *schema);
        if (c.contains("error")) {
            QVERIFY(!result.ok());
            QVERIFY2(result.error().message().find(c.at("error").get<std::string>()) !=
                         std::string::npos,
                     result.error().message().c_str());
            QCOMPARE(result.error().code(), ErrorCode::BadRequest);
            return;
        }
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message().c_str());
        json actual = *result;
        json expected = c.at("expected");
        if (!c.at("ordered").get<bool>()) {
            actual = sortMergeLists(actual, schema.get());
            expected = sortMergeLists(expected, schema.get());
        }
        QVERIFY2(actual == expected,
                 ("got " + actual.dump() + "\nwant " + expected.dump()).c_str());
    }

    // The captured `kubectl apply` patch on the live Deployment gives exactly the new spec.
    void appliesCapturedKubectlApplyPatch() {
        const auto result =
            applyStrategicMergePatch(kLiveDeployment, json::parse(kCapturedApplyPatch),
                                     *builtinPatchMetadata("apps", "Deployment"));
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message().c_str());

        json expected = kLiveDeployment;
        expected["spec"]["strategy"] = {{"type", "Recreate"}};  // rollingUpdate cleared
        auto& podSpec = expected["spec"]["template"]["spec"];
        podSpec["containers"] = json::parse(R"([
          {"name": "web", "image": "nginx:2", "imagePullPolicy": "IfNotPresent",
           "env": [{"name": "B", "value": "2"}],
           "ports": [{"containerPort": 80, "protocol": "TCP"}, {"containerPort": 443}],
           "volumeMounts": [{"mountPath": "/data", "name": "data"}],
           "resources": {}, "terminationMessagePath": "/dev/termination-log",
           "terminationMessagePolicy": "File"}])");
        podSpec["volumes"] = json::parse(R"([{"emptyDir": {}, "name": "data"}])");
        QVERIFY2(*result == expected, result->dump(2).c_str());

        // The same facts, one by one, for a readable failure.
        const auto& spec = result->at("spec");
        QCOMPARE(spec.at("strategy"), json::parse(R"({"type":"Recreate"})"));
        const auto& containers = spec.at("template").at("spec").at("containers");
        QCOMPARE(containers.size(), std::size_t(1));
        QCOMPARE(containers[0].at("env"), json::parse(R"([{"name":"B","value":"2"}])"));
        QCOMPARE(containers[0].at("ports"),
                 json::parse(R"([{"containerPort":80,"protocol":"TCP"},{"containerPort":443}])"));
        QCOMPARE(result->dump().find('$'), std::string::npos);  // no directive left behind
    }

    // A port the server added (not in the applied file) keeps its place after the ones kubectl
    // orders: $setElementOrder sorts what it names, the rest follows the live order.
    void setElementOrderKeepsServerOnlyItems() {
        json live = kLiveDeployment;
        live["spec"]["template"]["spec"]["containers"][0]["ports"] =
            json::parse(R"([{"containerPort":8080,"protocol":"TCP"},
                            {"containerPort":80,"protocol":"TCP"}])");
        const auto result = applyStrategicMergePatch(live, json::parse(kCapturedApplyPatch),
                                                     *builtinPatchMetadata("apps", "Deployment"));
        QVERIFY(result.ok());
        const auto& ports =
            result->at("spec").at("template").at("spec").at("containers")[0].at("ports");
        // 8080 came before 80 live, so it stays before 80; 443 follows 80 as ordered.
        QCOMPARE(ports, json::parse(R"([{"containerPort":8080,"protocol":"TCP"},
                                        {"containerPort":80,"protocol":"TCP"},
                                        {"containerPort":443}])"));
    }

    // `kubectl rollout restart` sets a template annotation; nothing else moves.
    void appliesRolloutRestartPatch() {
        const json patch = json::parse(R"({"spec":{"template":{"metadata":{"annotations":{
            "kubectl.kubernetes.io/restartedAt":"2025-05-01T10:00:00Z"}}}}})");
        const json result = apply(kLiveDeployment, patch, "apps", "Deployment");
        json expected = kLiveDeployment;
        expected["spec"]["template"]["metadata"]["annotations"]
                ["kubectl.kubernetes.io/restartedAt"] = "2025-05-01T10:00:00Z";
        QCOMPARE(result, expected);
        QCOMPARE(result["spec"]["template"]["metadata"]["annotations"]["team"], json("blue"));
    }

    void appliesPauseAndResumePatches() {
        const json paused = apply(kLiveDeployment, json::parse(R"({"spec":{"paused":true}})"),
                                  "apps", "Deployment");
        QCOMPARE(paused["spec"]["paused"], json(true));
        const json resumed =
            apply(paused, json::parse(R"({"spec":{"paused":null}})"), "apps", "Deployment");
        QVERIFY(!resumed["spec"].contains("paused"));
        QCOMPARE(resumed, kLiveDeployment);
    }

    // The example of the Kubernetes documentation ("Update API Objects in Place Using kubectl
    // patch"): a new container lands first; tolerations, which have no merge key, are replaced.
    void addsContainersFirstAndReplacesPlainLists() {
        const json result =
            apply(kPod, json::parse(R"({"spec":{"containers":[{"name":"new","image":"redis"}],
                                    "tolerations":[{"effect":"NoSchedule","key":"disktype"}]}})"),
                  "", "Pod");
        const auto& containers = result["spec"]["containers"];
        QCOMPARE(containers.size(), std::size_t(3));
        QCOMPARE(containers[0]["name"], json("new"));
        QCOMPARE(containers[1]["name"], json("app"));
        QCOMPARE(containers[2]["name"], json("log"));
        QCOMPARE(result["spec"]["tolerations"],
                 json::parse(R"([{"effect":"NoSchedule","key":"disktype"}])"));
    }

    void mergesChangedElementsInPlace() {
        const json result =
            apply(kPod, json::parse(R"({"spec":{"containers":[{"name":"log","image":"log:2"}]}})"),
                  "", "Pod");
        QCOMPARE(result["spec"]["containers"],
                 json::parse(R"([{"name":"app","image":"app:1","args":["--a","--b"],
                                  "env":[{"name":"X","value":"1"}]},
                                 {"name":"log","image":"log:2"}])"));
    }

    void replacesNonMergeListsInsideMergedElements() {
        const json result =
            apply(kPod, json::parse(R"({"spec":{"containers":[{"name":"app","args":["--c"]}]}})"),
                  "", "Pod");
        QCOMPARE(result["spec"]["containers"][0]["args"], json::parse(R"(["--c"])"));
        QCOMPARE(result["spec"]["containers"][0]["env"],
                 json::parse(R"([{"name":"X","value":"1"}])"));
    }

    void mergesFinalizersAsASet() {
        const json added = apply(
            kPod,
            json::parse(R"({"metadata":{"finalizers":["c.example.com/z","a.example.com/x"]}})"), "",
            "Pod");
        QCOMPARE(added["metadata"]["finalizers"],
                 json::parse(R"(["c.example.com/z","a.example.com/x","b.example.com/y"])"));
        const json removed = apply(
            kPod,
            json::parse(
                R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["a.example.com/x"]}})"),
            "", "Pod");
        QCOMPARE(removed["metadata"]["finalizers"], json::parse(R"(["b.example.com/y"])"));
        // Deleting from a list the object lacks adds nothing.
        json bare = kPod;
        bare["metadata"].erase("finalizers");
        const json untouched = apply(
            bare, json::parse(R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["x"]}})"), "",
            "Pod");
        QVERIFY(!untouched["metadata"].contains("finalizers"));
    }

    void mergesOwnerReferencesByUid() {
        const json updated = apply(
            kPod,
            json::parse(R"({"metadata":{"ownerReferences":[{"uid":"u1","blockOwnerDeletion":true},
                           {"apiVersion":"v1","kind":"Node","name":"n","uid":"u2"}]}})"),
            "", "Pod");
        const auto& refs = updated["metadata"]["ownerReferences"];
        QCOMPARE(refs.size(), std::size_t(2));
        QCOMPARE(refs[0]["uid"], json("u1"));
        QCOMPARE(refs[0]["blockOwnerDeletion"], json(true));
        QCOMPARE(refs[0]["name"], json("rs1"));
        QCOMPARE(refs[1]["uid"], json("u2"));
        const json orphaned = apply(
            kPod,
            json::parse(R"({"metadata":{"ownerReferences":[{"$patch":"delete","uid":"u1"}]}})"), "",
            "Pod");
        QCOMPARE(orphaned["metadata"]["ownerReferences"], json::array());
    }

    void mergesStatusConditionsByType() {
        const json result = apply(
            kPod, json::parse(R"({"status":{"conditions":[{"type":"Ready","status":"True"}]}})"),
            "", "Pod");
        QCOMPARE(result["status"]["conditions"], json::parse(R"([{"type":"Ready","status":"True"},
                                 {"type":"PodScheduled","status":"True"}])"));
    }

    void mergesServicePortsByPort() {
        const json service = json::parse(R"({"kind":"Service","spec":{"ports":[
            {"port":80,"targetPort":8080,"protocol":"TCP"}],"selector":{"app":"web"}}})");
        const json result =
            apply(service,
                  json::parse(R"({"spec":{"ports":[{"port":80,"targetPort":9090},{"port":443}]}})"),
                  "", "Service");
        QCOMPARE(result["spec"]["ports"],
                 json::parse(R"([{"port":80,"targetPort":9090,"protocol":"TCP"},{"port":443}])"));
    }

    // The pod template is found wherever Kubernetes puts it.
    void findsPodTemplatesInEveryWorkload_data() {
        QTest::addColumn<QString>("group");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("pathToPodSpec");
        QTest::newRow("Deployment") << "apps"
                                    << "Deployment"
                                    << "/spec/template/spec";
        QTest::newRow("ReplicaSet") << "apps"
                                    << "ReplicaSet"
                                    << "/spec/template/spec";
        QTest::newRow("StatefulSet") << "apps"
                                     << "StatefulSet"
                                     << "/spec/template/spec";
        QTest::newRow("DaemonSet") << "apps"
                                   << "DaemonSet"
                                   << "/spec/template/spec";
        QTest::newRow("Job") << "batch"
                             << "Job"
                             << "/spec/template/spec";
        QTest::newRow("ReplicationController") << ""
                                               << "ReplicationController"
                                               << "/spec/template/spec";
        QTest::newRow("PodTemplate") << ""
                                     << "PodTemplate"
                                     << "/template/spec";
        QTest::newRow("CronJob") << "batch"
                                 << "CronJob"
                                 << "/spec/jobTemplate/spec/template/spec";
        QTest::newRow("Pod") << ""
                             << "Pod"
                             << "/spec";
    }
    void findsPodTemplatesInEveryWorkload() {
        QFETCH(QString, group);
        QFETCH(QString, kind);
        QFETCH(QString, pathToPodSpec);
        const json::json_pointer podSpec(pathToPodSpec.toStdString());
        json object;
        object[podSpec / "containers"] = json::parse(R"([
            {"name":"a","image":"a:1","env":[{"name":"E","value":"1"}]},
            {"name":"b","image":"b:1"}])");
        json patch;
        patch[podSpec / "containers"] =
            json::parse(R"([{"name":"a","env":[{"name":"F","value":"2"}]}])");
        const json result = apply(object, patch, group.toStdString(), kind.toStdString());
        const auto& containers = result.at(podSpec / "containers");
        QCOMPARE(containers.size(), std::size_t(2));
        QCOMPARE(containers[0]["image"], json("a:1"));
        QCOMPARE(containers[0]["env"],
                 json::parse(R"([{"name":"F","value":"2"},{"name":"E","value":"1"}])"));
        QCOMPARE(containers[1]["name"], json("b"));
    }

    void deletesWithNull() {
        const json result =
            apply(kPod, json::parse(R"({"metadata":{"labels":{"tier":null,"missing":null}}})"), "",
                  "Pod");
        QCOMPARE(result["metadata"]["labels"], json::parse(R"({"app":"web"})"));
    }

    void dropsNullsAndDirectivesFromNewContent() {
        const json result = apply(
            kPod, json::parse(R"({"spec":{"affinity":{"nodeAffinity":null,"podAffinity":{"x":1}},
                "containers":[{"name":"new","$setElementOrder/env":[{"name":"E"}],
                               "env":[{"name":"E","value":"1"},{"$patch":"delete","name":"G"}],
                               "securityContext":{"runAsUser":null}}]}})"),
            "", "Pod");
        QCOMPARE(result["spec"]["affinity"], json::parse(R"({"podAffinity":{"x":1}})"));
        QCOMPARE(result["spec"]["containers"][0],
                 json::parse(R"({"name":"new","env":[{"name":"E","value":"1"}],
                                 "securityContext":{}})"));
    }

    void replacesTypeChanges() {
        const json result =
            apply(kPod, json::parse(R"({"spec":{"nodeSelector":"none","tolerations":{"a":1}}})"),
                  "", "Pod");
        QCOMPARE(result["spec"]["nodeSelector"], json("none"));
        QCOMPARE(result["spec"]["tolerations"], json::parse(R"({"a":1})"));
    }

    void replaceDirectiveOnMapAndList() {
        const json labels = apply(
            kPod, json::parse(R"({"metadata":{"labels":{"$patch":"replace","only":"this"}}})"), "",
            "Pod");
        QCOMPARE(labels["metadata"]["labels"], json::parse(R"({"only":"this"})"));

        const json containers = apply(
            kPod,
            json::parse(
                R"({"spec":{"containers":[{"name":"solo","image":"s"},{"$patch":"replace"}]}})"),
            "", "Pod");
        QCOMPARE(containers["spec"]["containers"], json::parse(R"([{"name":"solo","image":"s"}])"));

        // Slipway keeps `$patch: replace` content for a map the object lacks.
        const json added = apply(
            kPod,
            json::parse(R"({"spec":{"dnsConfig":{"$patch":"replace","nameservers":["1.1.1.1"]}}})"),
            "", "Pod");
        QCOMPARE(added["spec"]["dnsConfig"], json::parse(R"({"nameservers":["1.1.1.1"]})"));
    }

    void deleteDirectiveOnMapLeavesItEmpty() {
        const json result =
            apply(kLiveDeployment, json::parse(R"({"spec":{"strategy":{"$patch":"delete"}}})"),
                  "apps", "Deployment");
        QCOMPARE(result["spec"]["strategy"], json::object());
        // A map the object lacks stays absent.
        const json absent =
            apply(kPod, json::parse(R"({"spec":{"dnsConfig":{"$patch":"delete"}}})"), "", "Pod");
        QVERIFY(!absent["spec"].contains("dnsConfig"));
    }

    void retainKeysSwitchesAVolumeSource() {
        const json result = apply(
            kPod,
            json::parse(R"({"spec":{"volumes":[{"$retainKeys":["name","secret"],"name":"cache",
                                                 "secret":{"secretName":"s"}}]}})"),
            "", "Pod");
        QCOMPARE(result["spec"]["volumes"],
                 json::parse(R"([{"name":"cache","secret":{"secretName":"s"}},
                                 {"name":"conf","configMap":{"name":"c"}}])"));
    }

    void setElementOrderReordersWithoutAList() {
        const json result = apply(
            kPod,
            json::parse(
                R"({"spec":{"$setElementOrder/containers":[{"name":"log"},{"name":"app"}]}})"),
            "", "Pod");
        QCOMPARE(result["spec"]["containers"][0]["name"], json("log"));
        QCOMPARE(result["spec"]["containers"][1]["name"], json("app"));
        QCOMPARE(result["spec"]["containers"][1]["image"], json("app:1"));
    }

    void ignoresUnknownDirectives() {
        const json result =
            apply(kPod, json::parse(R"({"$frobnicate":1,"spec":{"$other/x":[1],"nodeName":"n1"}})"),
                  "", "Pod");
        json expected = kPod;
        expected["spec"]["nodeName"] = "n1";
        QCOMPARE(result, expected);
    }

    void rejectsMalformedPatches_data() {
        QTest::addColumn<QString>("patch");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        const int badRequest = static_cast<int>(ErrorCode::BadRequest);
        QTest::newRow("not JSON") << "{" << badRequest << "error decoding patch: ";
        QTest::newRow("not an object") << "[]" << badRequest
                                       << "error decoding patch: a strategic merge patch must be a "
                                          "JSON object, got array";
        QTest::newRow("retainKeys misses a patched field")
            << R"({"spec":{"volumes":[{"$retainKeys":["name"],"name":"cache","secret":{}}]}})"
            << badRequest << "invalid patch format of retainKeys";
        QTest::newRow("retainKeys not a list") << R"({"spec":{"$retainKeys":"all"}})" << badRequest
                                               << "invalid patch format of retainKeys";
        QTest::newRow("setElementOrder not a list")
            << R"({"spec":{"$setElementOrder/containers":{"name":"a"}}})" << badRequest
            << "invalid patch format of setElementOrder list";
        QTest::newRow("setElementOrder without field")
            << R"({"spec":{"$setElementOrder":[{"name":"a"}]}})" << badRequest
            << "invalid patch format of setElementOrder list";
        QTest::newRow("deleteFromPrimitiveList without field")
            << R"({"metadata":{"$deleteFromPrimitiveList":["a"]}})" << badRequest
            << "invalid patch format of primitive list";
        QTest::newRow("element without merge key")
            << R"({"spec":{"containers":[{"image":"x"}]}})" << badRequest
            << R"(map: {"image":"x"} does not contain declared merge key: name)";
        QTest::newRow("delete element without merge key")
            << R"({"spec":{"containers":[{"$patch":"delete"}]}})" << badRequest
            << R"(map: {"$patch":"delete"} does not contain declared merge key: name)";
        QTest::newRow("merge directive in a list")
            << R"({"spec":{"containers":[{"$patch":"merge"}]}})" << badRequest
            << "merging lists cannot yet be specified in the patch";
        QTest::newRow("merge directive on a map")
            << R"({"spec":{"$patch":"merge"}})" << badRequest
            << R"(unknown patch type: merge in map: {"$patch":"merge"})";
        QTest::newRow("unknown directive value in a list")
            << R"({"spec":{"containers":[{"$patch":"frob","name":"a"}]}})" << badRequest
            << R"(unknown patch type: frob in map: {"$patch":"frob","name":"a"})";
        QTest::newRow("order contradicts the patch")
            << R"({"spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"log"}],
                           "containers":[{"name":"log","image":"l"},{"name":"app","image":"a"}]}})"
            << badRequest << "doesn't match $setElementOrder list";
        QTest::newRow("mixed element types") << R"({"metadata":{"finalizers":[1]}})" << badRequest
                                             << "list element types are not identical";
        QTest::newRow("list of lists")
            << R"({"status":{"conditions":[["x"]]}})" << static_cast<int>(ErrorCode::Invalid)
            << "lists of lists are not supported";
    }
    void rejectsMalformedPatches() {
        QFETCH(QString, patch);
        QFETCH(int, code);
        QFETCH(QString, message);
        json pod = kPod;
        pod["status"]["conditions"] = json::array();
        const auto meta = builtinPatchMetadata("", "Pod");
        const auto result = slipway::api::applyPatch(slipway::api::PatchType::StrategicMerge, pod,
                                                     patch.toStdString(), meta.get());
        QVERIFY(!result.ok());
        QCOMPARE(static_cast<int>(result.error().code()), code);
        QVERIFY2(q(result.error().message()).contains(message), result.error().message().c_str());
    }

    void publishesBuiltinMetadata() {
        const auto deployment = builtinPatchMetadata("apps", "Deployment");
        const auto* spec = deployment->find("spec");
        QVERIFY(spec != nullptr && spec->schema != nullptr);
        QCOMPARE(q(spec->schema->find("strategy")->strategyString()), QString("retainKeys"));
        const auto* podSpec = spec->schema->find("template")->schema->find("spec");
        QVERIFY(podSpec != nullptr);
        const auto* containers = podSpec->schema->find("containers");
        QCOMPARE(q(containers->mergeKey), QString("name"));
        QCOMPARE(q(containers->strategyString()), QString("merge"));
        QCOMPARE(q(containers->schema->find("ports")->mergeKey), QString("containerPort"));
        QCOMPARE(q(containers->schema->find("volumeMounts")->mergeKey), QString("mountPath"));
        const auto* volumes = podSpec->schema->find("volumes");
        QCOMPARE(q(volumes->strategyString()), QString("merge,retainKeys"));
        QVERIFY(podSpec->schema->find("tolerations") == nullptr);

        const auto* finalizers = deployment->find("metadata")->schema->find("finalizers");
        QVERIFY(finalizers->merge && finalizers->mergeKey.empty());

        const auto pdb = builtinPatchMetadata("policy", "PodDisruptionBudget");
        QCOMPARE(q(pdb->find("spec")->schema->find("selector")->strategyString()),
                 QString("replace"));

        // Any other built-in kind still merges ObjectMeta by its rules.
        const auto configMap = builtinPatchMetadata("", "ConfigMap");
        QVERIFY(configMap->find("metadata") != nullptr);
        QVERIFY(configMap->find("data") == nullptr);
    }

    void replaceStrategyReplacesAMap() {
        const json pdb = json::parse(R"({"spec":{"selector":{"matchLabels":{"a":"1"},
            "matchExpressions":[{"key":"b","operator":"Exists"}]},"minAvailable":1}})");
        const json result =
            apply(pdb, json::parse(R"({"spec":{"selector":{"matchLabels":{"c":"3"}}}})"), "policy",
                  "PodDisruptionBudget");
        QCOMPARE(result["spec"]["selector"], json::parse(R"({"matchLabels":{"c":"3"}})"));
        QCOMPARE(result["spec"]["minAvailable"], json(1));
    }
};

QTEST_GUILESS_MAIN(TstStrategicMergePatch)
#include "tst_strategic_merge_patch.moc"
