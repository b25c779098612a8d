// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/api/defaulting.h"

using nlohmann::json;
using slipway::api::applyDefaults;
using slipway::api::builtinDefaulter;
using slipway::api::defaultImagePullPolicy;

namespace {

QString q(const std::string& text) {
    return QString::fromStdString(text);
}

// Compares JSON documents and prints both on failure.
#define COMPARE_JSON(actual, expected)                                                    \
    do {                                                                                  \
        const json a_ = (actual);                                                         \
        const json e_ = (expected);                                                       \
        if (a_ != e_) {                                                                   \
            qWarning("actual:   %s\nexpected: %s", a_.dump().c_str(), e_.dump().c_str()); \
        }                                                                                 \
        QVERIFY(a_ == e_);                                                                \
    } while (false)

json defaulted(const char* group, const char* kind, json object) {
    applyDefaults(group, kind, object);
    return object;
}

}  // namespace

class TstDefaulting : public QObject {
    Q_OBJECT
private slots:
    // What `kubectl get deploy web -o json` shows for a bare Deployment on kube-apiserver 1.32.
    void bareDeployment() {
        const json deployment = defaulted("apps", "Deployment", R"({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}
        })"_json);
        COMPARE_JSON(deployment, R"({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "progressDeadlineSeconds": 600,
                "replicas": 1,
                "revisionHistoryLimit": 10,
                "selector": {"matchLabels": {"app": "web"}},
                "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                             "type": "RollingUpdate"},
                "template": {
                    "metadata": {"creationTimestamp": null, "labels": {"app": "web"}},
                    "spec": {
                        "containers": [{"image": "nginx", "imagePullPolicy": "Always",
                                        "name": "web", "resources": {},
                                        "terminationMessagePath": "/dev/termination-log",
                                        "terminationMessagePolicy": "File"}],
                        "dnsPolicy": "ClusterFirst",
                        "restartPolicy": "Always",
                        "schedulerName": "default-scheduler",
                        "securityContext": {},
                        "terminationGracePeriodSeconds": 30
                    }
                }
            }
        })"_json);
    }

    // A bare Pod as kube-apiserver 1.32 stores it (admission included, minus the token volume).
    void barePod() {
        const json pod = defaulted("", "Pod", R"({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.27",
                                     "ports": [{"containerPort": 80}]}]}
        })"_json);
        COMPARE_JSON(pod["spec"], R"({
            "containers": [{"image": "nginx:1.27", "imagePullPolicy": "IfNotPresent",
                            "name": "web", "ports": [{"containerPort": 80, "protocol": "TCP"}],
                            "resources": {},
                            "terminationMessagePath": "/dev/termination-log",
                            "terminationMessagePolicy": "File"}],
            "dnsPolicy": "ClusterFirst",
            "enableServiceLinks": true,
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": 0,
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "serviceAccount": "default",
            "serviceAccountName": "default",
            "terminationGracePeriodSeconds": 30,
            "tolerations": [
                {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready",
                 "operator": "Exists", "tolerationSeconds": 300},
                {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable",
                 "operator": "Exists", "tolerationSeconds": 300}]
        })"_json);
    }

    void podKeepsWhatIsSet() {
        const json pod = defaulted("", "Pod", R"({
            "metadata": {"name": "p"},
            "spec": {"restartPolicy": "Never", "terminationGracePeriodSeconds": 5,
                     "serviceAccountName": "builder", "priorityClassName": "high",
                     "tolerations": [{"operator": "Exists"}],
                     "containers": [{"name": "c", "image": "busybox", "imagePullPolicy": "Never",
                                     "resources": {"limits": {"cpu": "500m"}}}]}
        })"_json);
        QCOMPARE(q(pod["spec"]["restartPolicy"]), QString("Never"));
        QCOMPARE(pod["spec"]["terminationGracePeriodSeconds"].get<int>(), 5);
        QCOMPARE(q(pod["spec"]["serviceAccountName"]), QString("builder"));
        QCOMPARE(q(pod["spec"]["serviceAccount"]), QString("builder"));
        QVERIFY(!pod["spec"].contains("priority"));  // the priority class decides
        // A toleration of everything already tolerates not-ready and unreachable nodes.
        QCOMPARE(pod["spec"]["tolerations"].size(), std::size_t{1});
        QCOMPARE(q(pod["spec"]["containers"][0]["imagePullPolicy"]), QString("Never"));
        // Requests default to limits in pods (not in templates).
        QCOMPARE(q(pod["spec"]["containers"][0]["resources"]["requests"]["cpu"]), QString("500m"));
    }

    void probesAndVolumes() {
        const json pod = defaulted("", "Pod", R"({
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "image": "app:v1",
                                     "livenessProbe": {"httpGet": {"port": 8080}},
                                     "readinessProbe": {"tcpSocket": {"port": 80},
                                                        "periodSeconds": 3},
                                     "env": [{"name": "NODE", "valueFrom":
                                              {"fieldRef": {"fieldPath": "spec.nodeName"}}}]}],
                     "volumes": [{"name": "scratch"},
                                 {"name": "config", "configMap": {"name": "cfg"}},
                                 {"name": "creds", "secret": {"secretName": "s"}}]}
        })"_json);
        const json& container = pod["spec"]["containers"][0];
        COMPARE_JSON(container["livenessProbe"], R"({
            "httpGet": {"path": "/", "port": 8080, "scheme": "HTTP"},
            "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1,
            "failureThreshold": 3})"_json);
        QCOMPARE(container["readinessProbe"]["periodSeconds"].get<int>(), 3);
        QCOMPARE(q(container["env"][0]["valueFrom"]["fieldRef"]["apiVersion"]), QString("v1"));
        COMPARE_JSON(pod["spec"]["volumes"], R"([
            {"name": "scratch", "emptyDir": {}},
            {"name": "config", "configMap": {"name": "cfg", "defaultMode": 420}},
            {"name": "creds", "secret": {"secretName": "s", "defaultMode": 420}}])"_json);
    }

    void imagePullPolicy_data() {
        QTest::addColumn<QString>("image");
        QTest::addColumn<QString>("policy");
        QTest::newRow("no tag") << "nginx"
                                << "Always";
        QTest::newRow("latest") << "nginx:latest"
                                << "Always";
        QTest::newRow("tag") << "nginx:1.27"
                             << "IfNotPresent";
        QTest::newRow("registry port, no tag") << "localhost:5000/app"
                                               << "Always";
        QTest::newRow("registry port, tag") << "localhost:5000/app:v2"
                                            << "IfNotPresent";
        QTest::newRow("digest") << "nginx@sha256:0123456789abcdef"
                                << "IfNotPresent";
        QTest::newRow("tag and digest") << "nginx:latest@sha256:0123456789abcdef"
                                        << "Always";
        QTest::newRow("unparsable") << "NGINX"
                                    << "IfNotPresent";
    }

    void imagePullPolicy() {
        QFETCH(QString, image);
        QFETCH(QString, policy);
        QCOMPARE(q(defaultImagePullPolicy(image.toStdString())), policy);
    }

    void service() {
        const json service = defaulted("", "Service", R"({
            "metadata": {"name": "web"},
            "spec": {"selector": {"app": "web"},
                     "ports": [{"port": 80}, {"port": 443, "targetPort": "https"}]}
        })"_json);
        COMPARE_JSON(service["spec"], R"({
            "selector": {"app": "web"},
            "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80},
                      {"port": 443, "protocol": "TCP", "targetPort": "https"}],
            "type": "ClusterIP",
            "sessionAffinity": "None",
            "internalTrafficPolicy": "Cluster",
            "ipFamilyPolicy": "SingleStack",
            "ipFamilies": ["IPv4"]})"_json);
        COMPARE_JSON(service["status"], R"({"loadBalancer": {}})"_json);
    }

    void nodePortServiceGetsExternalTrafficPolicy() {
        const json service = defaulted("", "Service", R"({
            "metadata": {"name": "web"},
            "spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]}})"_json);
        QCOMPARE(q(service["spec"]["externalTrafficPolicy"]), QString("Cluster"));
        QCOMPARE(service["spec"]["ports"][0]["nodePort"].get<int>(), 30080);
        // Back to ClusterIP: the node port and the policy go, as kube-apiserver drops them.
        json back = service;
        back["spec"]["type"] = "ClusterIP";
        applyDefaults("", "Service", back);
        QVERIFY(!back["spec"]["ports"][0].contains("nodePort"));
        QVERIFY(!back["spec"].contains("externalTrafficPolicy"));
    }

    void externalNameServiceHasNoFamilies() {
        const json service = defaulted("", "Service", R"({
            "metadata": {"name": "db"},
            "spec": {"type": "ExternalName", "externalName": "db.example.com"}})"_json);
        QVERIFY(!service["spec"].contains("ipFamilies"));
        QVERIFY(!service["spec"].contains("internalTrafficPolicy"));
    }

    void jobGetsGeneratedSelectorFromUid() {
        const json job = defaulted("batch", "Job", R"({
            "metadata": {"name": "pi", "namespace": "default", "uid": "1234-abcd"},
            "spec": {"template": {"spec": {"restartPolicy": "Never",
                                            "containers": [{"name": "pi", "image": "perl"}]}}}
        })"_json);
        const json& spec = job["spec"];
        QCOMPARE(spec["completions"].get<int>(), 1);
        QCOMPARE(spec["parallelism"].get<int>(), 1);
        QCOMPARE(spec["backoffLimit"].get<int>(), 6);
        QCOMPARE(q(spec["completionMode"]), QString("NonIndexed"));
        QCOMPARE(spec["suspend"].get<bool>(), false);
        QCOMPARE(q(spec["podReplacementPolicy"]), QString("TerminatingOrFailed"));
        QVERIFY(!spec.contains("manualSelector"));
        COMPARE_JSON(
            spec["selector"],
            R"({"matchLabels": {"batch.kubernetes.io/controller-uid": "1234-abcd"}})"_json);
        const json labels = R"({"batch.kubernetes.io/controller-uid": "1234-abcd",
                                "batch.kubernetes.io/job-name": "pi",
                                "controller-uid": "1234-abcd", "job-name": "pi"})"_json;
        COMPARE_JSON(spec["template"]["metadata"]["labels"], labels);
        COMPARE_JSON(job["metadata"]["labels"], labels);
    }

    void jobWithoutUidKeepsItsSelectorUnset() {
        const json job = defaulted("batch", "Job", R"({
            "metadata": {"name": "pi"},
            "spec": {"completions": 5, "template": {"spec": {"containers": []}}}})"_json);
        QVERIFY(!job["spec"].contains("selector"));
        QCOMPARE(job["spec"]["parallelism"].get<int>(), 1);
        QCOMPARE(job["spec"]["completions"].get<int>(), 5);
    }

    void cronJob() {
        const json cronJob = defaulted("batch", "CronJob", R"({
            "metadata": {"name": "nightly"},
            "spec": {"schedule": "0 3 * * *",
                     "jobTemplate": {"spec": {"template": {"spec": {
                         "restartPolicy": "OnFailure",
                         "containers": [{"name": "c", "image": "busybox:1.36"}]}}}}}})"_json);
        const json& spec = cronJob["spec"];
        QCOMPARE(q(spec["concurrencyPolicy"]), QString("Allow"));
        QCOMPARE(spec["suspend"].get<bool>(), false);
        QCOMPARE(spec["successfulJobsHistoryLimit"].get<int>(), 3);
        QCOMPARE(spec["failedJobsHistoryLimit"].get<int>(), 1);
        // The Job defaults are not applied to the template (the Job created from it gets them).
        QVERIFY(!spec["jobTemplate"]["spec"].contains("backoffLimit"));
        QCOMPARE(q(spec["jobTemplate"]["spec"]["template"]["spec"]["dnsPolicy"]),
                 QString("ClusterFirst"));
        QCOMPARE(
            q(spec["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"]),
            QString("IfNotPresent"));
    }

    void statefulSet() {
        const json statefulSet = defaulted("apps", "StatefulSet", R"({
            "metadata": {"name": "db"},
            "spec": {"serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
                     "template": {"metadata": {"labels": {"app": "db"}},
                                  "spec": {"containers": [{"name": "db", "image": "postgres:16"}]}},
                     "volumeClaimTemplates": [{"metadata": {"name": "data"},
                         "spec": {"accessModes": ["ReadWriteOnce"],
                                  "resources": {"requests": {"storage": "1Gi"}}}}]}})"_json);
        const json& spec = statefulSet["spec"];
        QCOMPARE(spec["replicas"].get<int>(), 1);
        QCOMPARE(q(spec["podManagementPolicy"]), QString("OrderedReady"));
        COMPARE_JSON(spec["updateStrategy"],
                     R"({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})"_json);
        COMPARE_JSON(spec["persistentVolumeClaimRetentionPolicy"],
                     R"({"whenDeleted": "Retain", "whenScaled": "Retain"})"_json);
        QCOMPARE(spec["revisionHistoryLimit"].get<int>(), 10);
        const json& claim = spec["volumeClaimTemplates"][0];
        QCOMPARE(q(claim["kind"]), QString("PersistentVolumeClaim"));
        QCOMPARE(q(claim["spec"]["volumeMode"]), QString("Filesystem"));
        QCOMPARE(q(claim["status"]["phase"]), QString("Pending"));
    }

    void daemonSetAndReplicaSet() {
        const json daemonSet = defaulted("apps", "DaemonSet", R"({"metadata": {"name": "d"},
            "spec": {"template": {"spec": {"containers": []}}}})"_json);
        COMPARE_JSON(daemonSet["spec"]["updateStrategy"],
                     R"({"type": "RollingUpdate",
                         "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}})"_json);
        QCOMPARE(daemonSet["spec"]["revisionHistoryLimit"].get<int>(), 10);
        const json replicaSet = defaulted("apps", "ReplicaSet", R"({"metadata": {"name": "r"},
            "spec": {"template": {"spec": {"containers": []}}}})"_json);
        QCOMPARE(replicaSet["spec"]["replicas"].get<int>(), 1);
    }

    void recreateDeploymentGetsNoRollingUpdate() {
        const json deployment = defaulted("apps", "Deployment", R"({"metadata": {"name": "d"},
            "spec": {"strategy": {"type": "Recreate"}, "template": {"spec": {"containers": []}}}})"_json);
        COMPARE_JSON(deployment["spec"]["strategy"], R"({"type": "Recreate"})"_json);
    }

    void namespaceFinalizerLabelAndPhase() {
        const json ns = defaulted("", "Namespace", R"({"metadata": {"name": "team-a"}})"_json);
        COMPARE_JSON(ns, R"({
            "metadata": {"name": "team-a", "labels": {"kubernetes.io/metadata.name": "team-a"}},
            "spec": {"finalizers": ["kubernetes"]},
            "status": {"phase": "Active"}})"_json);
        // Once deleting, the finalizer the namespace controller removed stays removed.
        const json deleting = defaulted("", "Namespace", R"({
            "metadata": {"name": "team-a", "deletionTimestamp": "2024-05-01T10:00:00Z"},
            "spec": {}, "status": {"phase": "Terminating"}})"_json);
        QVERIFY(!deleting["spec"].contains("finalizers"));
        QCOMPARE(q(deleting["status"]["phase"]), QString("Terminating"));
    }

    void secretTypeAndStringData() {
        const json secret = defaulted("", "Secret", R"({"metadata": {"name": "s"},
            "data": {"a": "eA=="}, "stringData": {"user": "admin", "a": "yz"}})"_json);
        COMPARE_JSON(secret, R"({"metadata": {"name": "s"}, "type": "Opaque",
            "data": {"a": "eXo=", "user": "YWRtaW4="}})"_json);
    }

    void storageKinds() {
        const json pv = defaulted("", "PersistentVolume", R"({"metadata": {"name": "pv1"},
            "spec": {"capacity": {"storage": "1Gi"}, "hostPath": {"path": "/data"}}})"_json);
        QCOMPARE(q(pv["spec"]["persistentVolumeReclaimPolicy"]), QString("Retain"));
        QCOMPARE(q(pv["spec"]["volumeMode"]), QString("Filesystem"));
        QCOMPARE(q(pv["spec"]["hostPath"]["type"]), QString(""));
        QCOMPARE(q(pv["status"]["phase"]), QString("Pending"));
        const json pvc = defaulted("", "PersistentVolumeClaim", R"({"metadata": {"name": "c"},
            "spec": {"resources": {"requests": {"storage": "0.5m"}}}})"_json);
        QCOMPARE(q(pvc["spec"]["volumeMode"]), QString("Filesystem"));
        QCOMPARE(q(pvc["status"]["phase"]), QString("Pending"));
        // Values finer than a thousandth round up to one.
        QCOMPARE(q(pvc["spec"]["resources"]["requests"]["storage"]), QString("1m"));
        const json storageClass = defaulted("storage.k8s.io", "StorageClass",
                                            R"({"metadata": {"name": "fast"},
                                                "provisioner": "rancher.io/local-path"})"_json);
        QCOMPARE(q(storageClass["reclaimPolicy"]), QString("Delete"));
        QCOMPARE(q(storageClass["volumeBindingMode"]), QString("Immediate"));
    }

    void horizontalPodAutoscaler() {
        const json hpa = defaulted("autoscaling", "HorizontalPodAutoscaler", R"({
            "metadata": {"name": "web"},
            "spec": {"maxReplicas": 5,
                     "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                        "name": "web"}}})"_json);
        QCOMPARE(hpa["spec"]["minReplicas"].get<int>(), 1);
        COMPARE_JSON(hpa["spec"]["metrics"], R"([{"type": "Resource", "resource": {"name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": 80}}}])"_json);
        QVERIFY(!hpa["spec"].contains("behavior"));
    }

    void networkPolicyTypes_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("types");
        QTest::newRow("ingress only") << R"({"podSelector": {}})"
                                      << R"(["Ingress"])";
        QTest::newRow("with egress")
            << R"({"podSelector": {}, "egress": [{"ports": [{"port": 53}]}]})"
            << R"(["Ingress","Egress"])";
        QTest::newRow("explicit") << R"({"podSelector": {}, "policyTypes": ["Egress"]})"
                                  << R"(["Egress"])";
    }

    void networkPolicyTypes() {
        QFETCH(QString, spec);
        QFETCH(QString, types);
        json policy = {{"metadata", {{"name", "np"}}}, {"spec", json::parse(spec.toStdString())}};
        applyDefaults("networking.k8s.io", "NetworkPolicy", policy);
        COMPARE_JSON(policy["spec"]["policyTypes"], json::parse(types.toStdString()));
        if (policy["spec"].contains("egress")) {
            QCOMPARE(q(policy["spec"]["egress"][0]["ports"][0]["protocol"]), QString("TCP"));
        }
    }

    void rbacAndPriorityAndCrd() {
        const json binding = defaulted("rbac.authorization.k8s.io", "RoleBinding", R"({
            "metadata": {"name": "b"}, "roleRef": {"kind": "Role", "name": "r"},
            "subjects": [{"kind": "User", "name": "jane"},
                         {"kind": "ServiceAccount", "name": "default", "namespace": "x"}]})"_json);
        QCOMPARE(q(binding["roleRef"]["apiGroup"]), QString("rbac.authorization.k8s.io"));
        QCOMPARE(q(binding["subjects"][0]["apiGroup"]), QString("rbac.authorization.k8s.io"));
        QCOMPARE(q(binding["subjects"][1]["apiGroup"]), QString(""));
        const json priority = defaulted("scheduling.k8s.io", "PriorityClass",
                                        R"({"metadata": {"name": "high"}, "value": 1000})"_json);
        QCOMPARE(q(priority["preemptionPolicy"]), QString("PreemptLowerPriority"));
        const json crd = defaulted("apiextensions.k8s.io", "CustomResourceDefinition", R"({
            "metadata": {"name": "crontabs.stable.example.com"},
            "spec": {"group": "stable.example.com", "names": {"kind": "CronTab",
                     "plural": "crontabs"}, "scope": "Namespaced", "versions": []}})"_json);
        QCOMPARE(q(crd["spec"]["names"]["singular"]), QString("crontab"));
        QCOMPARE(q(crd["spec"]["names"]["listKind"]), QString("CronTabList"));
        COMPARE_JSON(crd["spec"]["conversion"], R"({"strategy": "None"})"_json);
    }

    void endpointsAndSlices() {
        const json endpoints = defaulted("", "Endpoints", R"({"metadata": {"name": "web"},
            "subsets": [{"addresses": [{"ip": "10.0.0.1"}], "ports": [{"port": 80}]}]})"_json);
        QCOMPARE(q(endpoints["subsets"][0]["ports"][0]["protocol"]), QString("TCP"));
        const json slice = defaulted("discovery.k8s.io", "EndpointSlice", R"({
            "metadata": {"name": "web-x"}, "addressType": "IPv4",
            "ports": [{"port": 80}]})"_json);
        COMPARE_JSON(slice["ports"][0], R"({"port": 80, "name": "", "protocol": "TCP"})"_json);
    }

    void nodeAllocatableFromCapacity() {
        const json node = defaulted("", "Node", R"({"metadata": {"name": "n"},
            "status": {"capacity": {"cpu": "2", "memory": "4Gi"}}})"_json);
        COMPARE_JSON(node["status"]["allocatable"], R"({"cpu": "2", "memory": "4Gi"})"_json);
    }

    void limitRangeDefaultsFromMax() {
        const json limitRange = defaulted("", "LimitRange", R"({"metadata": {"name": "l"},
            "spec": {"limits": [{"type": "Container", "max": {"cpu": "1"},
                                 "min": {"memory": "64Mi"}}]}})"_json);
        const json& item = limitRange["spec"]["limits"][0];
        COMPARE_JSON(item["default"], R"({"cpu": "1"})"_json);
        COMPARE_JSON(item["defaultRequest"], R"({"cpu": "1", "memory": "64Mi"})"_json);
    }

    void kindsWithoutDefaults() {
        QVERIFY(!builtinDefaulter("", "ConfigMap"));
        QVERIFY(!builtinDefaulter("", "ServiceAccount"));
        QVERIFY(!builtinDefaulter("coordination.k8s.io", "Lease"));
        json configMap = R"({"metadata": {"name": "c"}, "data": {"a": "b"}})"_json;
        const json before = configMap;
        applyDefaults("", "ConfigMap", configMap);
        COMPARE_JSON(configMap, before);
    }

    void defaultingIsIdempotent_data() {
        QTest::addColumn<QString>("group");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("object");
        QTest::newRow("pod") << ""
                             << "Pod"
                             << R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"c",
                                   "image":"x","resources":{"limits":{"memory":"1Gi"}}}]}})";
        QTest::newRow("deployment") << "apps"
                                    << "Deployment"
                                    << R"({"metadata":{"name":"d"},"spec":{"template":{"spec":
                                          {"containers":[{"name":"c","image":"x"}]}}}})";
        QTest::newRow("job") << "batch"
                             << "Job"
                             << R"({"metadata":{"name":"j","uid":"u"},"spec":{"template":
                                   {"metadata":{"labels":{"app":"j"}},"spec":{"containers":[]}}}})";
        QTest::newRow("service") << ""
                                 << "Service"
                                 << R"({"metadata":{"name":"s"},"spec":{"type":"LoadBalancer",
                                       "ports":[{"port":80}]}})";
        QTest::newRow("secret") << ""
                                << "Secret"
                                << R"({"metadata":{"name":"s"},"stringData":{"k":"v"}})";
    }

    void defaultingIsIdempotent() {
        QFETCH(QString, group);
        QFETCH(QString, kind);
        QFETCH(QString, object);
        json once = json::parse(object.toStdString());
        applyDefaults(group.toStdString(), kind.toStdString(), once);
        json twice = once;
        applyDefaults(group.toStdString(), kind.toStdString(), twice);
        COMPARE_JSON(twice, once);
    }

    void jobLabelsComeFromTheTemplateAsWritten() {
        const json job = defaulted("batch", "Job", R"({
            "metadata": {"name": "pi", "uid": "u-1"},
            "spec": {"template": {"metadata": {"labels": {"app": "pi"}},
                                  "spec": {"containers": []}}}})"_json);
        COMPARE_JSON(job["metadata"]["labels"], R"({"app": "pi"})"_json);
        QCOMPARE(q(job["spec"]["template"]["metadata"]["labels"]["job-name"]), QString("pi"));
    }

    void garbageDoesNotThrow() {
        for (const char* kind : {"Pod", "Service", "Namespace", "Secret", "Endpoints"}) {
            json object = R"({"metadata": 5, "spec": "nonsense", "data": [1]})"_json;
            applyDefaults("", kind, object);
            json array = json::array({1, 2});
            applyDefaults("", kind, array);
            QVERIFY(array.is_array());
        }
        json deployment = R"({"spec": {"template": {"spec": {"containers": [1, "x"]}}}})"_json;
        applyDefaults("apps", "Deployment", deployment);
        QCOMPARE(deployment["spec"]["template"]["spec"]["containers"][0].get<int>(), 1);
    }
};

QTEST_GUILESS_MAIN(TstDefaulting)
#include "tst_defaulting.moc"
