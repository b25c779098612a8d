// SPDX-License-Identifier: Apache-2.0
// LimitRanger defaults and limits, and quota usage and admission, as kube-apiserver words them.
#include <QtTest>

#include "engine/admission/limit_ranger.h"
#include "engine/admission/quota.h"

using namespace slipway;
using nlohmann::json;

namespace {

json pod(const std::string& name, const json& requests, const json& limits = json::object(),
         const std::string& phase = "Running") {
    json container = {{"name", "app"}, {"image", "app:1"}};
    if (!requests.empty()) {
        container["resources"]["requests"] = requests;
    }
    if (!limits.empty()) {
        container["resources"]["limits"] = limits;
    }
    return {{"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec", {{"containers", json::array({container})}}},
            {"status", {{"phase", phase}}}};
}

json limitRange(const json& items) {
    return {{"metadata", {{"name", "limits"}}}, {"spec", {{"limits", items}}}};
}

json quota(const json& hard) {
    return {{"metadata", {{"name", "compute"}, {"namespace", "default"}}},
            {"spec", {{"hard", hard}}}};
}

}  // namespace

class TstAdmission : public QObject {
    Q_OBJECT

private slots:
    void podResourcesTakeInitContainersAndOverheadIntoAccount() {
        json object = pod("p", {{"cpu", "250m"}, {"memory", "64Mi"}});
        object["spec"]["containers"].push_back(
            {{"name", "side"}, {"resources", {{"requests", {{"cpu", "250m"}}}}}});
        object["spec"]["initContainers"] =
            json::array({{{"name", "init"}, {"resources", {{"requests", {{"cpu", "1"}}}}}}});
        object["spec"]["overhead"] = {{"cpu", "10m"}};
        const auto resources = admission::podResources(object);
        QCOMPARE(resources.requests.at("cpu").toString(), std::string("1010m"));
        QCOMPARE(resources.requests.at("memory").toString(), std::string("64Mi"));
    }

    void usageCountsLivePodsAndObjects() {
        const json compute = quota({{"pods", "10"},
                                    {"requests.cpu", "2"},
                                    {"limits.cpu", "4"},
                                    {"requests.memory", "1Gi"},
                                    {"configmaps", "5"},
                                    {"services.nodeports", "2"}});
        const admission::NamespaceObjects objects = {
            {"pods",
             {pod("a", {{"cpu", "500m"}, {"memory", "64Mi"}}, {{"cpu", "500m"}}),
              pod("b", {{"cpu", "250m"}, {"memory", "64Mi"}}, {{"cpu", "250m"}}),
              pod("done", {{"cpu", "1"}}, {}, "Succeeded")}},
            {"configmaps", {json::object(), json::object()}},
            {"services",
             {{{"spec", {{"type", "NodePort"}, {"ports", json::array({{{"port", 80}}})}}}},
              {{"spec", {{"type", "ClusterIP"}}}}}}};
        const json used = admission::quotaUsage(compute, objects);
        QCOMPARE(used["pods"], json("2"));
        QCOMPARE(used["requests.cpu"], json("750m"));
        QCOMPARE(used["limits.cpu"], json("750m"));
        QCOMPARE(used["requests.memory"], json("128Mi"));
        QCOMPARE(used["configmaps"], json("2"));
        QCOMPARE(used["services.nodeports"], json("1"));

        json bestEffortOnly = compute;
        bestEffortOnly["spec"]["scopes"] = json::array({"BestEffort"});
        QCOMPARE(admission::quotaUsage(bestEffortOnly, objects)["pods"], json("0"));
    }

    void quotaRefusesWhatWouldExceedIt() {
        const json compute = quota({{"pods", "2"}, {"requests.cpu", "1"}});
        const admission::NamespaceObjects objects = {{"pods", {pod("a", {{"cpu", "800m"}})}}};
        QVERIFY(!admission::quotaViolation(compute, objects, "pods", pod("b", {{"cpu", "200m"}})));
        QCOMPARE(admission::quotaViolation(compute, objects, "pods", pod("b", {{"cpu", "500m"}}))
                     .value_or(""),
                 std::string("exceeded quota: compute, requested: requests.cpu=500m, used: "
                             "requests.cpu=800m, limited: requests.cpu=1"));
        QCOMPARE(admission::quotaViolation(compute, objects, "pods", pod("c", json::object()))
                     .value_or(""),
                 std::string("failed quota: compute: must specify requests.cpu"));
        const json counts = quota({{"configmaps", "1"}});
        const admission::NamespaceObjects one = {{"configmaps", {json::object()}}};
        QCOMPARE(admission::quotaViolation(counts, one, "configmaps", json::object()).value_or(""),
                 std::string("exceeded quota: compute, requested: configmaps=1, used: "
                             "configmaps=1, limited: configmaps=1"));
        // A quota that does not name the resource has nothing to say.
        QVERIFY(!admission::quotaViolation(counts, one, "secrets", json::object()));
    }

    void limitRangeDefaultsContainers() {
        const std::vector<json> ranges = {
            limitRange(json::array({{{"type", "Container"},
                                     {"default", {{"cpu", "500m"}, {"memory", "256Mi"}}},
                                     {"defaultRequest", {{"cpu", "100m"}}}}}))};
        json object = pod("p", json::object(), {{"memory", "128Mi"}});
        admission::applyLimitRangeDefaults(object, ranges);
        const json& resources = object["spec"]["containers"][0]["resources"];
        QCOMPARE(resources["limits"]["cpu"], json("500m"));
        QCOMPARE(resources["limits"]["memory"], json("128Mi"));  // the pod's own limit stays
        QCOMPARE(resources["requests"]["cpu"], json("100m"));
        QCOMPARE(resources["requests"]["memory"], json("128Mi"));  // request = limit
        QVERIFY(object["metadata"]["annotations"]["kubernetes.io/limit-ranger"]
                    .get<std::string>()
                    .starts_with("LimitRanger plugin set: cpu limit, cpu request"));
    }

    void limitRangeRefusesOutOfRangeContainers() {
        const std::vector<json> ranges = {
            limitRange(json::array({{{"type", "Container"},
                                     {"max", {{"cpu", "1"}}},
                                     {"min", {{"memory", "64Mi"}}},
                                     {"maxLimitRequestRatio", {{"cpu", "2"}}}}}))};
        const auto violations = admission::limitRangeViolations(
            pod("p", {{"cpu", "500m"}, {"memory", "32Mi"}}, {{"cpu", "2"}}), ranges);
        QCOMPARE(violations.size(), std::size_t{3});
        QCOMPARE(violations[0], std::string("minimum memory usage per Container is 64Mi, but "
                                            "request is 32Mi"));
        QCOMPARE(violations[1],
                 std::string("maximum cpu usage per Container is 1, but limit is 2"));
        QCOMPARE(violations[2], std::string("maximum cpu limit to request ratio per Container is "
                                            "2, but provided ratio is 4.000000"));
        QVERIFY(admission::limitRangeViolations(
                    pod("ok", {{"cpu", "500m"}, {"memory", "64Mi"}}, {{"cpu", "1"}}), ranges)
                    .empty());

        const std::vector<json> storage = {limitRange(
            json::array({{{"type", "PersistentVolumeClaim"}, {"max", {{"storage", "5Gi"}}}}}))};
        const json claim = {{"spec", {{"resources", {{"requests", {{"storage", "10Gi"}}}}}}}};
        QCOMPARE(admission::claimLimitViolations(claim, storage).at(0),
                 std::string("maximum storage usage per PersistentVolumeClaim is 5Gi, but request "
                             "is 10Gi"));
    }
};

QTEST_GUILESS_MAIN(TstAdmission)
#include "tst_admission.moc"
