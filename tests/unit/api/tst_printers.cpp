// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/api/json_fields.h"
#include "engine/api/printers.h"

using nlohmann::json;
using slipway::api::builtinPrinter;
using slipway::api::Printer;

namespace {

QString q(const std::string& text) {
    return QString::fromStdString(text);
}

// Every test prints at the same instant: 2024-06-01T12:00:00Z.
std::chrono::system_clock::time_point now() {
    return *slipway::api::detail::parseTimestamp("2024-06-01T12:00:00Z");
}

json cells(const char* group, const char* kind, const json& object) {
    return builtinPrinter(group, kind).cells(object, now());
}

QStringList columnNames(const Printer& printer, int priority) {
    QStringList names;
    for (const auto& column : printer.columns) {
        if (column.priority == priority) {
            names << q(column.name);
        }
    }
    return names;
}

#define COMPARE_JSON(actual, expected)                                                    \
    do {                                                                                  \
        const json a_ = (actual);                                                         \
        const json e_ = (expected);                                                       \
        if (a_ != e_) {                                                                   \
            qWarning("actual:   %s\nexpected: %s", a_.dump().c_str(), e_.dump().c_str()); \
        }                                                                                 \
        QVERIFY(a_ == e_);                                                                \
    } while (false)

}  // namespace

class TstPrinters : public QObject {
    Q_OBJECT
private slots:
    // The headers `kubectl get` prints (upper-cased by kubectl), and those of `-o wide`.
    void columns_data() {
        QTest::addColumn<QString>("group");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QStringList>("normal");
        QTest::addColumn<QStringList>("wide");
        QTest::newRow("pods") << ""
                              << "Pod" << QStringList{"Name", "Ready", "Status", "Restarts", "Age"}
                              << QStringList{"IP", "Node", "Nominated Node", "Readiness Gates"};
        QTest::newRow("deployments")
            << "apps"
            << "Deployment" << QStringList{"Name", "Ready", "Up-to-date", "Available", "Age"}
            << QStringList{"Containers", "Images", "Selector"};
        QTest::newRow("replicasets")
            << "apps"
            << "ReplicaSet" << QStringList{"Name", "Desired", "Current", "Ready", "Age"}
            << QStringList{"Containers", "Images", "Selector"};
        QTest::newRow("statefulsets") << "apps"
                                      << "StatefulSet" << QStringList{"Name", "Ready", "Age"}
                                      << QStringList{"Containers", "Images"};
        QTest::newRow("daemonsets")
            << "apps"
            << "DaemonSet" << QStringList{"Name",       "Desired",   "Current",       "Ready",
                                          "Up-to-date", "Available", "Node Selector", "Age"}
            << QStringList{"Containers", "Images", "Selector"};
        QTest::newRow("jobs") << "batch"
                              << "Job"
                              << QStringList{"Name", "Status", "Completions", "Duration", "Age"}
                              << QStringList{"Containers", "Images", "Selector"};
        QTest::newRow("cronjobs") << "batch"
                                  << "CronJob"
                                  << QStringList{"Name",   "Schedule",      "Timezone", "Suspend",
                                                 "Active", "Last Schedule", "Age"}
                                  << QStringList{"Containers", "Images", "Selector"};
        QTest::newRow("services") << ""
                                  << "Service"
                                  << QStringList{"Name",        "Type",    "Cluster-IP",
                                                 "External-IP", "Port(s)", "Age"}
                                  << QStringList{"Selector"};
        QTest::newRow("endpoints")
            << ""
            << "Endpoints" << QStringList{"Name", "Endpoints", "Age"} << QStringList{};
        QTest::newRow("configmaps")
            << ""
            << "ConfigMap" << QStringList{"Name", "Data", "Age"} << QStringList{};
        QTest::newRow("secrets") << ""
                                 << "Secret" << QStringList{"Name", "Type", "Data", "Age"}
                                 << QStringList{};
        QTest::newRow("namespaces")
            << ""
            << "Namespace" << QStringList{"Name", "Status", "Age"} << QStringList{};
        QTest::newRow("nodes") << ""
                               << "Node" << QStringList{"Name", "Status", "Roles", "Age", "Version"}
                               << QStringList{"Internal-IP", "External-IP", "OS-Image",
                                              "Kernel-Version", "Container-Runtime"};
        QTest::newRow("events") << ""
                                << "Event"
                                << QStringList{"Last Seen", "Type", "Reason", "Object", "Message"}
                                << QStringList{"Subobject", "Source", "First Seen", "Count",
                                               "Name"};
        QTest::newRow("serviceaccounts")
            << ""
            << "ServiceAccount" << QStringList{"Name", "Secrets", "Age"} << QStringList{};
        QTest::newRow("pvc") << ""
                             << "PersistentVolumeClaim" << QStringList{"Name",
                                                                       "Status",
                                                                       "Volume",
                                                                       "Capacity",
                                                                       "Access Modes",
                                                                       "StorageClass",
                                                                       "VolumeAttributesClass",
                                                                       "Age"}
                             << QStringList{"VolumeMode"};
        QTest::newRow("ingresses")
            << "networking.k8s.io"
            << "Ingress" << QStringList{"Name", "Class", "Hosts", "Address", "Ports", "Age"}
            << QStringList{};
        QTest::newRow("leases") << "coordination.k8s.io"
                                << "Lease" << QStringList{"Name", "Holder", "Age"} << QStringList{};
        QTest::newRow("hpa") << "autoscaling"
                             << "HorizontalPodAutoscaler"
                             << QStringList{"Name",    "Reference", "Targets", "MinPods",
                                            "MaxPods", "Replicas",  "Age"}
                             << QStringList{};
        QTest::newRow("rolebindings") << "rbac.authorization.k8s.io"
                                      << "RoleBinding" << QStringList{"Name", "Role", "Age"}
                                      << QStringList{"Users", "Groups", "ServiceAccounts"};
        QTest::newRow("roles") << "rbac.authorization.k8s.io"
                               << "Role" << QStringList{"Name", "Created At"} << QStringList{};
        QTest::newRow("crds") << "apiextensions.k8s.io"
                              << "CustomResourceDefinition" << QStringList{"Name", "Created At"}
                              << QStringList{};
        QTest::newRow("storageclasses") << "storage.k8s.io"
                                        << "StorageClass" << QStringList{"Name",
                                                                         "Provisioner",
                                                                         "ReclaimPolicy",
                                                                         "VolumeBindingMode",
                                                                         "AllowVolumeExpansion",
                                                                         "Age"}
                                        << QStringList{};
    }

    void columns() {
        QFETCH(QString, group);
        QFETCH(QString, kind);
        QFETCH(QStringList, normal);
        QFETCH(QStringList, wide);
        const Printer printer = builtinPrinter(group.toStdString(), kind.toStdString());
        QCOMPARE(columnNames(printer, 0), normal);
        QCOMPARE(columnNames(printer, 1), wide);
        QCOMPARE(q(printer.columns.front().format), QString(kind == "Event" ? "" : "name"));
    }

    void crashLoopingPod() {
        const json pod = R"({
            "metadata": {"name": "web-1", "creationTimestamp": "2024-06-01T11:50:00Z"},
            "spec": {"nodeName": "node-1", "containers": [{"name": "web", "image": "app:1"}]},
            "status": {"phase": "Running", "podIPs": [{"ip": "10.244.0.5"}],
                       "conditions": [{"type": "Ready", "status": "False"}],
                       "containerStatuses": [{"name": "web", "ready": false, "restartCount": 3,
                           "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                           "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                               "finishedAt": "2024-06-01T11:55:00Z"}}}]}})"_json;
        COMPARE_JSON(cells("", "Pod", pod), R"j(["web-1", "0/1", "CrashLoopBackOff", "3 (5m ago)",
                                                 "10m", "10.244.0.5", "node-1", "<none>",
                                                 "<none>"])j"_json);
    }

    void podStatuses_data() {
        QTest::addColumn<QString>("pod");
        QTest::addColumn<QString>("ready");
        QTest::addColumn<QString>("status");
        QTest::newRow("pending unscheduled")
            << R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Pending"}})"
            << "0/1"
            << "Pending";
        QTest::newRow("container creating")
            << R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Pending",
                  "containerStatuses":[{"name":"a","state":{"waiting":
                  {"reason":"ContainerCreating"}}}]}})"
            << "0/1"
            << "ContainerCreating";
        QTest::newRow("running")
            << R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]},"status":{"phase":"Running",
                  "conditions":[{"type":"Ready","status":"True"}],
                  "containerStatuses":[{"name":"a","ready":true,"state":{"running":{}}},
                  {"name":"b","ready":true,"state":{"running":{}}}]}})"
            << "2/2"
            << "Running";
        QTest::newRow("completed")
            << R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Succeeded",
                  "containerStatuses":[{"name":"a","state":{"terminated":
                  {"exitCode":0,"reason":"Completed"}}}]}})"
            << "0/1"
            << "Completed";
        QTest::newRow("exit code without reason")
            << R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Failed",
                  "containerStatuses":[{"name":"a","state":{"terminated":{"exitCode":3}}}]}})"
            << "0/1"
            << "ExitCode:3";
        QTest::newRow("init waiting")
            << R"({"spec":{"initContainers":[{"name":"i"}],"containers":[{"name":"a"}]},
                  "status":{"phase":"Pending","initContainerStatuses":[{"name":"i",
                  "state":{"waiting":{"reason":"PodInitializing"}}}]}})"
            << "0/1"
            << "Init:0/1";
        QTest::newRow("init crash")
            << R"({"spec":{"initContainers":[{"name":"i"}],"containers":[{"name":"a"}]},
                  "status":{"phase":"Pending","initContainerStatuses":[{"name":"i",
                  "state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}})"
            << "0/1"
            << "Init:CrashLoopBackOff";
        QTest::newRow("init failed")
            << R"({"spec":{"initContainers":[{"name":"i"}],"containers":[{"name":"a"}]},
                  "status":{"phase":"Pending","initContainerStatuses":[{"name":"i",
                  "state":{"terminated":{"exitCode":2}}}]}})"
            << "0/1"
            << "Init:ExitCode:2";
        QTest::newRow("sidecar counts")
            << R"({"spec":{"initContainers":[{"name":"s","restartPolicy":"Always"}],
                  "containers":[{"name":"a"}]},"status":{"phase":"Running",
                  "conditions":[{"type":"Initialized","status":"True"}],
                  "initContainerStatuses":[{"name":"s","started":true,"ready":true,
                  "state":{"running":{}}}],"containerStatuses":[{"name":"a","ready":true,
                  "state":{"running":{}}}]}})"
            << "2/2"
            << "Running";
        QTest::newRow("terminating") << R"({"metadata":{"deletionTimestamp":"2024-06-01T11:59:00Z"},
                  "spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running",
                  "containerStatuses":[{"name":"a","ready":true,"state":{"running":{}}}]}})"
                                     << "1/1"
                                     << "Terminating";
        QTest::newRow("node lost") << R"({"metadata":{"deletionTimestamp":"2024-06-01T11:59:00Z"},
                  "spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running",
                  "reason":"NodeLost"}})"
                                   << "0/1"
                                   << "Unknown";
        QTest::newRow("scheduling gated")
            << R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Pending",
                  "conditions":[{"type":"PodScheduled","status":"False",
                  "reason":"SchedulingGated"}]}})"
            << "0/1"
            << "SchedulingGated";
        QTest::newRow("evicted")
            << R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Failed",
                  "reason":"Evicted"}})"
            << "0/1"
            << "Evicted";
    }

    void podStatuses() {
        QFETCH(QString, pod);
        QFETCH(QString, ready);
        QFETCH(QString, status);
        json object = json::parse(pod.toStdString());
        object["metadata"]["name"] = "p";
        const json row = cells("", "Pod", object);
        QCOMPARE(q(row[1].get<std::string>()), ready);
        QCOMPARE(q(row[2].get<std::string>()), status);
        QCOMPARE(q(slipway::api::podStatus(object)), status);
    }

    void deploymentTwoOfThree() {
        const json deployment = R"({
            "metadata": {"name": "web", "creationTimestamp": "2024-06-01T11:00:00Z"},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.27"},
                                                          {"name": "log", "image": "busybox"}]}}},
            "status": {"replicas": 3, "readyReplicas": 2, "updatedReplicas": 3,
                       "availableReplicas": 2}})"_json;
        COMPARE_JSON(cells("apps", "Deployment", deployment),
                     R"(["web", "2/3", 3, 2, "60m", "web,log", "nginx:1.27,busybox",
                         "app=web"])"_json);
    }

    void nodePortService() {
        const json service = R"({
            "metadata": {"name": "web", "creationTimestamp": "2024-05-30T12:00:00Z"},
            "spec": {"type": "NodePort", "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"],
                     "selector": {"app": "web"},
                     "ports": [{"name": "http", "port": 80, "nodePort": 30080, "protocol": "TCP"},
                               {"name": "dns", "port": 53, "protocol": "UDP"}]}})"_json;
        COMPARE_JSON(cells("", "Service", service),
                     R"(["web", "NodePort", "10.96.0.10", "<none>", "80:30080/TCP,53/UDP", "2d",
                         "app=web"])"_json);
    }

    void serviceExternalIps_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("external");
        QTest::newRow("pending lb") << R"({"type":"LoadBalancer"})"
                                    << "{}"
                                    << "<pending>";
        QTest::newRow("lb") << R"({"type":"LoadBalancer"})"
                            << R"({"loadBalancer":{"ingress":[{"ip":"192.168.1.240"},
                                  {"hostname":"lb.example.com"}]}})"
                            << "192.168.1.240,lb.example.com";
        QTest::newRow("external ips") << R"({"type":"ClusterIP","externalIPs":["1.2.3.4"]})"
                                      << "{}"
                                      << "1.2.3.4";
        QTest::newRow("external name")
            << R"({"type":"ExternalName","externalName":"db.example.com"})"
            << "{}"
            << "db.example.com";
        QTest::newRow("headless") << R"({"type":"ClusterIP","clusterIPs":["None"]})"
                                  << "{}"
                                  << "<none>";
    }

    void serviceExternalIps() {
        QFETCH(QString, spec);
        QFETCH(QString, status);
        QFETCH(QString, external);
        const json service = {{"metadata", {{"name", "s"}}},
                              {"spec", json::parse(spec.toStdString())},
                              {"status", json::parse(status.toStdString())}};
        QCOMPARE(q(cells("", "Service", service)[3].get<std::string>()), external);
        QCOMPARE(q(cells("", "Service", service)[4].get<std::string>()), QString("<none>"));
    }

    void endpoints() {
        const json endpoints = R"({"metadata": {"name": "web"},
            "subsets": [{"addresses": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"},
                                       {"ip": "fd00::3"}, {"ip": "10.0.0.4"}],
                         "ports": [{"port": 8080}]}]})"_json;
        QCOMPARE(q(cells("", "Endpoints", endpoints)[1].get<std::string>()),
                 QString("10.0.0.1:8080,10.0.0.2:8080,[fd00::3]:8080 + 1 more..."));
        QCOMPARE(
            q(cells("", "Endpoints", R"({"metadata":{"name":"e"}})"_json)[1].get<std::string>()),
            QString("<none>"));
    }

    void jobs() {
        const json complete = R"({"metadata": {"name": "pi", "creationTimestamp":
                                     "2024-06-01T11:00:00Z"},
            "spec": {"completions": 1, "parallelism": 1, "selector": {"matchLabels":
                     {"batch.kubernetes.io/controller-uid": "u"}},
                     "template": {"spec": {"containers": [{"name": "pi", "image": "perl"}]}}},
            "status": {"succeeded": 1, "startTime": "2024-06-01T11:00:00Z",
                       "completionTime": "2024-06-01T11:00:42Z",
                       "conditions": [{"type": "Complete", "status": "True"}]}})"_json;
        COMPARE_JSON(cells("batch", "Job", complete),
                     R"(["pi", "Complete", "1/1", "42s", "60m", "pi", "perl",
                         "batch.kubernetes.io/controller-uid=u"])"_json);
        const json running = R"({"metadata": {"name": "w"}, "spec": {"parallelism": 3},
            "status": {"startTime": "2024-06-01T11:57:00Z"}})"_json;
        const json row = cells("batch", "Job", running);
        QCOMPARE(q(row[1].get<std::string>()), QString("Running"));
        QCOMPARE(q(row[2].get<std::string>()), QString("0/1 of 3"));
        QCOMPARE(q(row[3].get<std::string>()), QString("3m"));
    }

    void cronJob() {
        const json cronJob = R"({"metadata": {"name": "nightly", "creationTimestamp":
                                    "2024-05-01T12:00:00Z"},
            "spec": {"schedule": "0 3 * * *", "suspend": false, "jobTemplate": {"spec":
                     {"template": {"spec": {"containers": [{"name": "c", "image": "busybox"}]}}}}},
            "status": {"active": [{"name": "nightly-1"}],
                       "lastScheduleTime": "2024-06-01T03:00:00Z"}})"_json;
        COMPARE_JSON(cells("batch", "CronJob", cronJob),
                     R"(["nightly", "0 3 * * *", "<none>", "False", 1, "9h", "31d", "c",
                         "busybox", "<none>"])"_json);
    }

    void node() {
        const json node = R"({"metadata": {"name": "node-1", "creationTimestamp":
                                 "2024-05-29T12:00:00Z",
                                 "labels": {"node-role.kubernetes.io/control-plane": "",
                                            "node-role.kubernetes.io/master": ""}},
            "spec": {"unschedulable": true},
            "status": {"conditions": [{"type": "MemoryPressure", "status": "False"},
                                      {"type": "Ready", "status": "True"}],
                       "addresses": [{"type": "InternalIP", "address": "10.0.2.15"},
                                     {"type": "Hostname", "address": "node-1"}],
                       "nodeInfo": {"kubeletVersion": "v1.32.0-slipway",
                                    "osImage": "Slipway guest", "kernelVersion": "6.1.0"}}})"_json;
        COMPARE_JSON(cells("", "Node", node),
                     R"(["node-1", "Ready,SchedulingDisabled", "control-plane,master", "3d",
                         "v1.32.0-slipway", "10.0.2.15", "<none>", "Slipway guest", "6.1.0",
                         "<unknown>"])"_json);
    }

    void events() {
        const json event = R"({"metadata": {"name": "web.17a"},
            "involvedObject": {"kind": "Pod", "name": "web", "fieldPath": "spec.containers{web}"},
            "reason": "BackOff", "type": "Warning", "message": "Back-off restarting\n",
            "source": {"component": "kubelet", "host": "node-1"},
            "firstTimestamp": "2024-06-01T11:00:00Z", "lastTimestamp": "2024-06-01T11:58:00Z",
            "count": 7})"_json;
        COMPARE_JSON(cells("", "Event", event),
                     R"(["2m", "Warning", "BackOff", "pod/web", "spec.containers{web}",
                         "kubelet, node-1", "Back-off restarting", "60m", 7, "web.17a"])"_json);
        // events.k8s.io/v1 spells the same fields differently; singletons count 1.
        const json v1 = R"({"apiVersion": "events.k8s.io/v1", "metadata": {"name": "e"},
            "regarding": {"kind": "Node", "name": "node-1"}, "reason": "Starting",
            "type": "Normal", "note": "Starting kubelet.", "reportingController": "kubelet",
            "reportingInstance": "node-1", "eventTime": "2024-06-01T11:59:30.000000Z"})"_json;
        COMPARE_JSON(cells("events.k8s.io", "Event", v1),
                     R"(["30s", "Normal", "Starting", "node/node-1", "", "kubelet, node-1",
                         "Starting kubelet.", "30s", 1, "e"])"_json);
    }

    void storage() {
        const json pvc = R"({"metadata": {"name": "data", "creationTimestamp":
                                "2024-06-01T11:59:00Z"},
            "spec": {"volumeName": "pv-1", "storageClassName": "local-path",
                     "volumeMode": "Filesystem",
                     "resources": {"requests": {"storage": "1Gi"}}},
            "status": {"phase": "Bound", "capacity": {"storage": "2Gi"},
                       "accessModes": ["ReadWriteOnce", "ReadOnlyMany"]}})"_json;
        COMPARE_JSON(cells("", "PersistentVolumeClaim", pvc),
                     R"(["data", "Bound", "pv-1", "2Gi", "RWO,ROX", "local-path", "<unset>", "60s",
                         "Filesystem"])"_json);
        const json pv = R"({"metadata": {"name": "pv-1"},
            "spec": {"capacity": {"storage": "2Gi"}, "accessModes": ["ReadWriteOnce"],
                     "persistentVolumeReclaimPolicy": "Delete",
                     "claimRef": {"namespace": "default", "name": "data"},
                     "storageClassName": "local-path"},
            "status": {"phase": "Bound"}})"_json;
        COMPARE_JSON(cells("", "PersistentVolume", pv),
                     R"(["pv-1", "2Gi", "RWO", "Delete", "Bound", "default/data", "local-path",
                         "<unset>", "", "<unknown>", "<unset>"])"_json);
        const json storageClass = R"({"metadata": {"name": "local-path", "annotations":
                {"storageclass.kubernetes.io/is-default-class": "true"}},
            "provisioner": "rancher.io/local-path", "volumeBindingMode":
            "WaitForFirstConsumer"})"_json;
        COMPARE_JSON(cells("storage.k8s.io", "StorageClass", storageClass),
                     R"j(["local-path (default)", "rancher.io/local-path", "Delete",
                         "WaitForFirstConsumer", false, "<unknown>"])j"_json);
    }

    void configAndNamespaces() {
        COMPARE_JSON(cells("", "ConfigMap", R"({"metadata":{"name":"c"},"data":{"a":"1","b":"2"},
                                                 "binaryData":{"c":"AA=="}})"_json),
                     R"(["c", 3, "<unknown>"])"_json);
        COMPARE_JSON(cells("", "Secret", R"({"metadata":{"name":"s"},"type":"Opaque",
                                              "data":{"a":"eA=="}})"_json),
                     R"(["s", "Opaque", 1, "<unknown>"])"_json);
        COMPARE_JSON(cells("", "Namespace", R"({"metadata":{"name":"default",
                           "creationTimestamp":"2024-06-01T10:00:00Z"},
                           "status":{"phase":"Active"}})"_json),
                     R"(["default", "Active", "120m"])"_json);
    }

    void workloads() {
        const json statefulSet = R"({"metadata": {"name": "db"}, "spec": {"replicas": 3,
            "template": {"spec": {"containers": [{"name": "pg", "image": "postgres:16"}]}}},
            "status": {"readyReplicas": 1}})"_json;
        COMPARE_JSON(cells("apps", "StatefulSet", statefulSet),
                     R"(["db", "1/3", "<unknown>", "pg", "postgres:16"])"_json);
        const json daemonSet = R"({"metadata": {"name": "proxy"}, "spec": {
            "selector": {"matchLabels": {"app": "proxy"}},
            "template": {"spec": {"nodeSelector": {"kubernetes.io/os": "linux"},
                                  "containers": [{"name": "p", "image": "proxy"}]}}},
            "status": {"desiredNumberScheduled": 2, "currentNumberScheduled": 2,
                       "numberReady": 1, "updatedNumberScheduled": 2,
                       "numberAvailable": 1}})"_json;
        COMPARE_JSON(cells("apps", "DaemonSet", daemonSet),
                     R"(["proxy", 2, 2, 1, 2, 1, "kubernetes.io/os=linux", "<unknown>", "p",
                         "proxy", "app=proxy"])"_json);
        const json replicaSet = R"({"metadata": {"name": "web-5d4"}, "spec": {"replicas": 2,
            "selector": {"matchExpressions": [{"key": "app", "operator": "In",
                                               "values": ["web"]}]},
            "template": {"spec": {"containers": []}}},
            "status": {"replicas": 2, "readyReplicas": 2}})"_json;
        COMPARE_JSON(cells("apps", "ReplicaSet", replicaSet),
                     R"j(["web-5d4", 2, 2, 2, "<unknown>", "", "", "app in (web)"])j"_json);
    }

    void networking() {
        const json ingress = R"({"metadata": {"name": "web"},
            "spec": {"ingressClassName": "nginx", "tls": [{"hosts": ["a.example.com"]}],
                     "rules": [{"host": "a.example.com"}, {"host": "b.example.com"}]},
            "status": {"loadBalancer": {"ingress": [{"ip": "192.168.1.240"}]}}})"_json;
        COMPARE_JSON(cells("networking.k8s.io", "Ingress", ingress),
                     R"(["web", "nginx", "a.example.com,b.example.com", "192.168.1.240",
                         "80, 443", "<unknown>"])"_json);
        const json noHosts = R"({"metadata": {"name": "any"}, "spec": {"rules": [{}]}})"_json;
        const json row = cells("networking.k8s.io", "Ingress", noHosts);
        QCOMPARE(q(row[1].get<std::string>()), QString("<none>"));
        QCOMPARE(q(row[2].get<std::string>()), QString("*"));
        QCOMPARE(q(row[4].get<std::string>()), QString("80"));
        const json policy = R"({"metadata": {"name": "db"}, "spec": {}})"_json;
        QCOMPARE(q(cells("networking.k8s.io", "NetworkPolicy", policy)[1].get<std::string>()),
                 QString("<none>"));
        const json slice = R"({"metadata": {"name": "web-abc"}, "addressType": "IPv4",
            "ports": [{"name": "http", "port": 80}],
            "endpoints": [{"addresses": ["10.244.0.5"]}, {"addresses": ["10.244.0.6"]}]})"_json;
        COMPARE_JSON(cells("discovery.k8s.io", "EndpointSlice", slice),
                     R"(["web-abc", "IPv4", "80", "10.244.0.5,10.244.0.6", "<unknown>"])"_json);
    }

    void administration() {
        const json binding = R"({"metadata": {"name": "admins"},
            "roleRef": {"kind": "ClusterRole", "name": "cluster-admin"},
            "subjects": [{"kind": "Group", "name": "system:masters"},
                         {"kind": "User", "name": "jane"},
                         {"kind": "ServiceAccount", "name": "ci", "namespace": "tools"}]})"_json;
        COMPARE_JSON(cells("rbac.authorization.k8s.io", "ClusterRoleBinding", binding),
                     R"(["admins", "ClusterRole/cluster-admin", "<unknown>", "jane",
                         "system:masters", "tools/ci"])"_json);
        const json role = R"({"metadata": {"name": "view", "creationTimestamp":
                                 "2024-05-01T10:00:00Z"}})"_json;
        COMPARE_JSON(cells("rbac.authorization.k8s.io", "ClusterRole", role),
                     R"(["view", "2024-05-01T10:00:00Z"])"_json);
        const json lease = R"({"metadata": {"name": "node-1"},
                               "spec": {"holderIdentity": "node-1"}})"_json;
        COMPARE_JSON(cells("coordination.k8s.io", "Lease", lease),
                     R"(["node-1", "node-1", "<unknown>"])"_json);
        const json hpa = R"({"metadata": {"name": "web"},
            "spec": {"minReplicas": 1, "maxReplicas": 10,
                     "scaleTargetRef": {"kind": "Deployment", "name": "web"},
                     "metrics": [{"type": "Resource", "resource": {"name": "cpu",
                                  "target": {"type": "Utilization", "averageUtilization": 80}}},
                                 {"type": "Resource", "resource": {"name": "memory",
                                  "target": {"type": "AverageValue", "averageValue": "500Mi"}}}]},
            "status": {"currentReplicas": 2, "currentMetrics": [{"type": "Resource",
                       "resource": {"name": "cpu", "current": {"averageUtilization": 40}}}]}})"_json;
        COMPARE_JSON(cells("autoscaling", "HorizontalPodAutoscaler", hpa),
                     R"(["web", "Deployment/web", "cpu: 40%/80%, memory: <unknown>/500Mi", "1",
                         10, 2, "<unknown>"])"_json);
        const json pdb = R"({"metadata": {"name": "web"}, "spec": {"minAvailable": "50%"},
                             "status": {"disruptionsAllowed": 1}})"_json;
        COMPARE_JSON(cells("policy", "PodDisruptionBudget", pdb),
                     R"(["web", "50%", "N/A", 1, "<unknown>"])"_json);
    }

    void customResourceColumns() {
        const json version = R"({"name": "v1", "additionalPrinterColumns": [
            {"name": "Spec", "type": "string", "jsonPath": ".spec.cronSpec"},
            {"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"},
            {"name": "Ready", "type": "string",
             "jsonPath": ".status.conditions[?(@.type=='Ready')].status"},
            {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
            {"name": "Image", "type": "string", "priority": 1, "jsonPath": ".spec.image"}]})"_json;
        const Printer printer = slipway::api::customResourcePrinter(version);
        QCOMPARE(columnNames(printer, 0),
                 (QStringList{"Name", "Spec", "Replicas", "Ready", "Age"}));
        QCOMPARE(columnNames(printer, 1), QStringList{"Image"});
        const json object = R"({"metadata": {"name": "ct", "creationTimestamp":
                                   "2024-06-01T11:00:00Z"},
            "spec": {"cronSpec": "* * * * */5", "replicas": 2},
            "status": {"conditions": [{"type": "Synced", "status": "False"},
                                      {"type": "Ready", "status": "True"}]}})"_json;
        COMPARE_JSON(printer.cells(object, now()),
                     R"(["ct", "* * * * */5", 2, "True", "60m", null])"_json);
        const Printer plain = slipway::api::customResourcePrinter(json::object());
        QCOMPARE(columnNames(plain, 0), (QStringList{"Name", "Age"}));
        COMPARE_JSON(plain.cells(object, now()), R"(["ct", "60m"])"_json);
    }

    void selectorsAndLabels() {
        QCOMPARE(q(slipway::api::formatLabels(R"({"b":"2","a":"1"})"_json)), QString("a=1,b=2"));
        QCOMPARE(q(slipway::api::formatLabels(json::object())), QString("<none>"));
        const json selector = R"({"matchLabels":{"app":"web"},"matchExpressions":[
            {"key":"tier","operator":"NotIn","values":["db"]}]})"_json;
        QCOMPARE(q(slipway::api::formatLabelSelector(&selector)),
                 QString("app=web,tier notin (db)"));
        QCOMPARE(q(slipway::api::formatLabelSelector(nullptr)), QString("<none>"));
    }
};

QTEST_GUILESS_MAIN(TstPrinters)
#include "tst_printers.moc"
