// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <set>

#include <QtTest>

#include "engine/api/kind_registry.h"

using slipway::api::GroupVersionInfo;
using slipway::api::KindRegistry;
using slipway::api::ResourceType;

namespace {

QString q(const std::string& text) {
    return QString::fromStdString(text);
}

QStringList list(const std::vector<std::string>& values) {
    QStringList out;
    for (const auto& value : values) {
        out << q(value);
    }
    return out;
}

std::shared_ptr<const ResourceType> findPlural(const KindRegistry& registry, const QString& group,
                                               const QString& version, const QString& plural) {
    return registry.find(group.toStdString(), version.toStdString(), plural.toStdString());
}

}  // namespace

class TstBuiltinKinds : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { m_registry = KindRegistry::withBuiltinKinds(); }

    // Names as `kubectl api-resources -o wide` lists them against kube-apiserver 1.32.
    void namesMatchKubeApiserver_data() {
        QTest::addColumn<QString>("group");
        QTest::addColumn<QString>("version");
        QTest::addColumn<QString>("plural");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("singular");
        QTest::addColumn<QStringList>("shortNames");
        QTest::addColumn<QStringList>("categories");
        QTest::addColumn<bool>("namespaced");

        const QStringList all{"all"};
        QTest::newRow("pods") << ""
                              << "v1"
                              << "pods"
                              << "Pod"
                              << "pod" << QStringList{"po"} << all << true;
        QTest::newRow("services") << ""
                                  << "v1"
                                  << "services"
                                  << "Service"
                                  << "service" << QStringList{"svc"} << all << true;
        QTest::newRow("endpoints") << ""
                                   << "v1"
                                   << "endpoints"
                                   << "Endpoints"
                                   << "endpoints" << QStringList{"ep"} << QStringList{} << true;
        QTest::newRow("configmaps") << ""
                                    << "v1"
                                    << "configmaps"
                                    << "ConfigMap"
                                    << "configmap" << QStringList{"cm"} << QStringList{} << true;
        QTest::newRow("secrets") << ""
                                 << "v1"
                                 << "secrets"
                                 << "Secret"
                                 << "secret" << QStringList{} << QStringList{} << true;
        QTest::newRow("namespaces") << ""
                                    << "v1"
                                    << "namespaces"
                                    << "Namespace"
                                    << "namespace" << QStringList{"ns"} << QStringList{} << false;
        QTest::newRow("nodes") << ""
                               << "v1"
                               << "nodes"
                               << "Node"
                               << "node" << QStringList{"no"} << QStringList{} << false;
        QTest::newRow("serviceaccounts")
            << ""
            << "v1"
            << "serviceaccounts"
            << "ServiceAccount"
            << "serviceaccount" << QStringList{"sa"} << QStringList{} << true;
        QTest::newRow("events") << ""
                                << "v1"
                                << "events"
                                << "Event"
                                << "event" << QStringList{"ev"} << QStringList{} << true;
        QTest::newRow("pv") << ""
                            << "v1"
                            << "persistentvolumes"
                            << "PersistentVolume"
                            << "persistentvolume" << QStringList{"pv"} << QStringList{} << false;
        QTest::newRow("pvc") << ""
                             << "v1"
                             << "persistentvolumeclaims"
                             << "PersistentVolumeClaim"
                             << "persistentvolumeclaim" << QStringList{"pvc"} << QStringList{}
                             << true;
        QTest::newRow("limitranges")
            << ""
            << "v1"
            << "limitranges"
            << "LimitRange"
            << "limitrange" << QStringList{"limits"} << QStringList{} << true;
        QTest::newRow("resourcequotas")
            << ""
            << "v1"
            << "resourcequotas"
            << "ResourceQuota"
            << "resourcequota" << QStringList{"quota"} << QStringList{} << true;
        QTest::newRow("replicationcontrollers")
            << ""
            << "v1"
            << "replicationcontrollers"
            << "ReplicationController"
            << "replicationcontroller" << QStringList{"rc"} << all << true;
        QTest::newRow("deployments") << "apps"
                                     << "v1"
                                     << "deployments"
                                     << "Deployment"
                                     << "deployment" << QStringList{"deploy"} << all << true;
        QTest::newRow("replicasets") << "apps"
                                     << "v1"
                                     << "replicasets"
                                     << "ReplicaSet"
                                     << "replicaset" << QStringList{"rs"} << all << true;
        QTest::newRow("statefulsets") << "apps"
                                      << "v1"
                                      << "statefulsets"
                                      << "StatefulSet"
                                      << "statefulset" << QStringList{"sts"} << all << true;
        QTest::newRow("daemonsets") << "apps"
                                    << "v1"
                                    << "daemonsets"
                                    << "DaemonSet"
                                    << "daemonset" << QStringList{"ds"} << all << true;
        QTest::newRow("controllerrevisions")
            << "apps"
            << "v1"
            << "controllerrevisions"
            << "ControllerRevision"
            << "controllerrevision" << QStringList{} << QStringList{} << true;
        QTest::newRow("jobs") << "batch"
                              << "v1"
                              << "jobs"
                              << "Job"
                              << "job" << QStringList{} << all << true;
        QTest::newRow("cronjobs") << "batch"
                                  << "v1"
                                  << "cronjobs"
                                  << "CronJob"
                                  << "cronjob" << QStringList{"cj"} << all << true;
        QTest::newRow("hpa") << "autoscaling"
                             << "v2"
                             << "horizontalpodautoscalers"
                             << "HorizontalPodAutoscaler"
                             << "horizontalpodautoscaler" << QStringList{"hpa"} << all << true;
        QTest::newRow("ingresses") << "networking.k8s.io"
                                   << "v1"
                                   << "ingresses"
                                   << "Ingress"
                                   << "ingress" << QStringList{"ing"} << QStringList{} << true;
        QTest::newRow("ingressclasses")
            << "networking.k8s.io"
            << "v1"
            << "ingressclasses"
            << "IngressClass"
            << "ingressclass" << QStringList{} << QStringList{} << false;
        QTest::newRow("networkpolicies")
            << "networking.k8s.io"
            << "v1"
            << "networkpolicies"
            << "NetworkPolicy"
            << "networkpolicy" << QStringList{"netpol"} << QStringList{} << true;
        QTest::newRow("endpointslices")
            << "discovery.k8s.io"
            << "v1"
            << "endpointslices"
            << "EndpointSlice"
            << "endpointslice" << QStringList{} << QStringList{} << true;
        QTest::newRow("leases") << "coordination.k8s.io"
                                << "v1"
                                << "leases"
                                << "Lease"
                                << "lease" << QStringList{} << QStringList{} << true;
        QTest::newRow("events.k8s.io") << "events.k8s.io"
                                       << "v1"
                                       << "events"
                                       << "Event"
                                       << "event" << QStringList{"ev"} << QStringList{} << true;
        QTest::newRow("roles") << "rbac.authorization.k8s.io"
                               << "v1"
                               << "roles"
                               << "Role"
                               << "role" << QStringList{} << QStringList{} << true;
        QTest::newRow("clusterroles") << "rbac.authorization.k8s.io"
                                      << "v1"
                                      << "clusterroles"
                                      << "ClusterRole"
                                      << "clusterrole" << QStringList{} << QStringList{} << false;
        QTest::newRow("rolebindings") << "rbac.authorization.k8s.io"
                                      << "v1"
                                      << "rolebindings"
                                      << "RoleBinding"
                                      << "rolebinding" << QStringList{} << QStringList{} << true;
        QTest::newRow("clusterrolebindings")
            << "rbac.authorization.k8s.io"
            << "v1"
            << "clusterrolebindings"
            << "ClusterRoleBinding"
            << "clusterrolebinding" << QStringList{} << QStringList{} << false;
        QTest::newRow("storageclasses")
            << "storage.k8s.io"
            << "v1"
            << "storageclasses"
            << "StorageClass"
            << "storageclass" << QStringList{"sc"} << QStringList{} << false;
        QTest::newRow("crds") << "apiextensions.k8s.io"
                              << "v1"
                              << "customresourcedefinitions"
                              << "CustomResourceDefinition"
                              << "customresourcedefinition" << QStringList{"crd", "crds"}
                              << QStringList{"api-extensions"} << false;
        QTest::newRow("pdb") << "policy"
                             << "v1"
                             << "poddisruptionbudgets"
                             << "PodDisruptionBudget"
                             << "poddisruptionbudget" << QStringList{"pdb"} << QStringList{}
                             << true;
        QTest::newRow("priorityclasses")
            << "scheduling.k8s.io"
            << "v1"
            << "priorityclasses"
            << "PriorityClass"
            << "priorityclass" << QStringList{"pc"} << QStringList{} << false;
    }

    void namesMatchKubeApiserver() {
        QFETCH(QString, group);
        QFETCH(QString, version);
        QFETCH(QString, plural);
        QFETCH(QString, kind);
        QFETCH(QString, singular);
        QFETCH(QStringList, shortNames);
        QFETCH(QStringList, categories);
        QFETCH(bool, namespaced);
        const auto type = findPlural(*m_registry, group, version, plural);
        QVERIFY2(type != nullptr, qPrintable(plural + " is not registered"));
        QCOMPARE(q(type->kind), kind);
        QCOMPARE(q(type->singular), singular);
        QCOMPARE(list(type->shortNames), shortNames);
        QCOMPARE(list(type->categories), categories);
        QCOMPARE(type->namespaced, namespaced);
        const auto byKind =
            m_registry->findKind(group.toStdString(), version.toStdString(), kind.toStdString());
        QCOMPARE(byKind.get(), type.get());
    }

    void scaleSubresourcesAreAutoscalingV1Scale_data() {
        QTest::addColumn<QString>("group");
        QTest::addColumn<QString>("plural");
        QTest::newRow("deployments") << "apps"
                                     << "deployments";
        QTest::newRow("replicasets") << "apps"
                                     << "replicasets";
        QTest::newRow("statefulsets") << "apps"
                                      << "statefulsets";
        QTest::newRow("replicationcontrollers") << ""
                                                << "replicationcontrollers";
    }

    void scaleSubresourcesAreAutoscalingV1Scale() {
        QFETCH(QString, group);
        QFETCH(QString, plural);
        const auto type = findPlural(*m_registry, group, "v1", plural);
        QVERIFY(type != nullptr);
        const auto* scale = type->findSubresource("scale");
        QVERIFY(scale != nullptr);
        QCOMPARE(q(scale->group), QString("autoscaling"));
        QCOMPARE(q(scale->version), QString("v1"));
        QCOMPARE(q(scale->kind), QString("Scale"));
        QCOMPARE(list(scale->verbs), (QStringList{"get", "patch", "update"}));
        QVERIFY(type->hasSubresource("status"));
    }

    void daemonSetsHaveNoScale() {
        const auto type = m_registry->find("apps", "v1", "daemonsets");
        QVERIFY(type->hasSubresource("status"));
        QVERIFY(!type->hasSubresource("scale"));
    }

    void podSubresourcesAndKinds() {
        const auto pods = m_registry->find("", "v1", "pods");
        QStringList names;
        for (const auto& sub : pods->subresources) {
            names << q(sub.name);
        }
        QCOMPARE(names, (QStringList{"attach", "binding", "ephemeralcontainers", "eviction", "exec",
                                     "log", "portforward", "proxy", "status"}));
        QCOMPARE(q(pods->findSubresource("eviction")->group), QString("policy"));
        QCOMPARE(q(pods->findSubresource("eviction")->kind), QString("Eviction"));
        QCOMPARE(q(pods->findSubresource("binding")->kind), QString("Binding"));
        QCOMPARE(list(pods->findSubresource("binding")->verbs), QStringList{"create"});
        QCOMPARE(list(pods->findSubresource("exec")->verbs), (QStringList{"create", "get"}));
        QCOMPARE(list(pods->findSubresource("log")->verbs), QStringList{"get"});
        QCOMPARE(q(pods->findSubresource("exec")->kind), QString("PodExecOptions"));
    }

    void namespacesHaveFinalizeAndNoDeleteCollection() {
        const auto namespaces = m_registry->find("", "v1", "namespaces");
        QVERIFY(!namespaces->allows("deletecollection"));
        QVERIFY(namespaces->allows("delete"));
        QVERIFY(namespaces->allows("watch"));
        QCOMPARE(list(namespaces->findSubresource("finalize")->verbs), QStringList{"update"});
        QVERIFY(namespaces->hasSubresource("status"));
        QVERIFY(m_registry->find("", "v1", "pods")->allows("deletecollection"));
    }

    void otherSubresources() {
        QVERIFY(m_registry->find("", "v1", "services")->hasSubresource("proxy"));
        QVERIFY(m_registry->find("", "v1", "services")->hasSubresource("status"));
        QVERIFY(m_registry->find("", "v1", "nodes")->hasSubresource("proxy"));
        QVERIFY(m_registry->find("batch", "v1", "jobs")->hasSubresource("status"));
        QVERIFY(m_registry->find("batch", "v1", "cronjobs")->hasSubresource("status"));
        QVERIFY(m_registry->find("networking.k8s.io", "v1", "ingresses")->hasSubresource("status"));
        QVERIFY(m_registry->find("apiextensions.k8s.io", "v1", "customresourcedefinitions")
                    ->hasSubresource("status"));
        const auto* token = m_registry->find("", "v1", "serviceaccounts")->findSubresource("token");
        QVERIFY(token != nullptr);
        QCOMPARE(q(token->group), QString("authentication.k8s.io"));
        QCOMPARE(q(token->kind), QString("TokenRequest"));
        QVERIFY(!m_registry->find("", "v1", "configmaps")->hasSubresource("status"));
    }

    void groupVersionsInDiscoveryOrder() {
        QStringList order;
        for (const GroupVersionInfo& gv : m_registry->groupVersions()) {
            order << q(gv.toString());
            // autoscaling/v1 is served too (kubectl autoscale creates v1), v2 preferred.
            QCOMPARE(gv.preferred, gv.toString() != "autoscaling/v1");
        }
        QCOMPARE(order, (QStringList{
                            "v1", "apps/v1", "batch/v1", "autoscaling/v2", "autoscaling/v1",
                            "networking.k8s.io/v1", "discovery.k8s.io/v1", "coordination.k8s.io/v1",
                            "events.k8s.io/v1", "rbac.authorization.k8s.io/v1", "storage.k8s.io/v1",
                            "apiextensions.k8s.io/v1", "policy/v1", "scheduling.k8s.io/v1",
                            "authentication.k8s.io/v1", "authorization.k8s.io/v1"}));
    }

    void resourcesOfAGroupVersionAreAlphabetical() {
        for (const auto& gv : m_registry->groupVersions()) {
            std::vector<std::string> plurals;
            for (const auto& type : m_registry->resources(gv.group, gv.version)) {
                plurals.push_back(type->plural);
            }
            QVERIFY2(std::is_sorted(plurals.begin(), plurals.end()), qPrintable(q(gv.toString())));
        }
    }

    void everyKindHasPrinterAndPatchMetadata() {
        std::set<std::string> seen;
        for (const auto& type : m_registry->all()) {
            const std::string id = type->group + "/" + type->version + "/" + type->plural;
            QVERIFY2(seen.insert(id).second, id.c_str());
            QVERIFY2(static_cast<bool>(type->cells), id.c_str());
            QVERIFY2(!type->columns.empty(), id.c_str());
            // Events lead with LAST SEEN; every other table leads with NAME.
            QCOMPARE(q(type->columns.front().name),
                     QString(type->kind == "Event" ? "Last Seen" : "Name"));
            QVERIFY2(type->patchMetadata != nullptr, id.c_str());
            QVERIFY2(!type->verbs.empty(), id.c_str());
        }
        QCOMPARE(seen.size(), std::size_t{44});
    }

    void behaviourIsAttachedWhereKubeHasIt() {
        QVERIFY(static_cast<bool>(m_registry->find("apps", "v1", "deployments")->defaulter));
        QVERIFY(static_cast<bool>(m_registry->find("apps", "v1", "deployments")->validator));
        QVERIFY(static_cast<bool>(m_registry->find("", "v1", "services")->defaulter));
        // kube-apiserver defaults nothing in ConfigMaps and ServiceAccounts.
        QVERIFY(!m_registry->find("", "v1", "configmaps")->defaulter);
        QVERIFY(!m_registry->find("", "v1", "serviceaccounts")->defaulter);
        QVERIFY(static_cast<bool>(m_registry->find("", "v1", "configmaps")->validator));
    }

    void generationIsTrackedForSpecKinds() {
        QVERIFY(m_registry->find("apps", "v1", "deployments")->tracksGeneration);
        QVERIFY(m_registry->find("batch", "v1", "jobs")->tracksGeneration);
        QVERIFY(m_registry->find("networking.k8s.io", "v1", "ingresses")->tracksGeneration);
        QVERIFY(!m_registry->find("", "v1", "pods")->tracksGeneration);
        QVERIFY(!m_registry->find("", "v1", "services")->tracksGeneration);
        QVERIFY(!m_registry->find("", "v1", "configmaps")->tracksGeneration);
    }

    void qualifiedNames() {
        const auto deployments = m_registry->find("apps", "v1", "deployments");
        QCOMPARE(q(deployments->qualifiedKind()), QString("Deployment.apps"));
        QCOMPARE(q(deployments->qualifiedResource()), QString("deployments.apps"));
        QCOMPARE(q(m_registry->find("", "v1", "pods")->qualifiedKind()), QString("Pod"));
    }

private:
    std::unique_ptr<KindRegistry> m_registry;
};

QTEST_GUILESS_MAIN(TstBuiltinKinds)
#include "tst_builtin_kinds.moc"
