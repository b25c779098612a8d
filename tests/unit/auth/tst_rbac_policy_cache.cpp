// SPDX-License-Identifier: Apache-2.0
// The authorizer's policy follows the RBAC objects in the store through a watch.
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/auth/bootstrap_policy.h"
#include "engine/auth/rbac_authorizer.h"
#include "engine/auth/rbac_policy_cache.h"
#include "engine/store/store.h"

using namespace slipway;
using nlohmann::json;

namespace {

const apiserver::Identity kJane{"jane", {"system:authenticated"}, true};

apiserver::AuthorizationAttributes listPods(const std::string& nameSpace) {
    return apiserver::AuthorizationAttributes::forResource(kJane, "list", "", "pods", nameSpace);
}

std::string janeViews(const std::string& nameSpace) {
    return json{
        {"apiVersion", "rbac.authorization.k8s.io/v1"},
        {"kind", "RoleBinding"},
        {"metadata", {{"name", "jane-view"}, {"namespace", nameSpace}}},
        {"roleRef",
         {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "ClusterRole"}, {"name", "view"}}},
        {"subjects", {{{"kind", "User"}, {"name", "jane"}}}}}
        .dump();
}

}  // namespace

class TstRbacPolicyCache : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<store::Store> m_store;

private slots:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        auto opened = store::Store::open(m_dir->filePath(QStringLiteral("store.db")).toStdString());
        QVERIFY(opened.ok());
        m_store = std::move(*opened);
        QVERIFY(auth::ensureBootstrapPolicy(*m_store, std::chrono::system_clock::now()).ok());
    }

    void cleanup() {
        m_store.reset();
        m_dir.reset();
    }

    void bootstrapIsIdempotent() {
        const auto revision = m_store->currentRevision();
        QVERIFY(auth::ensureBootstrapPolicy(*m_store, std::chrono::system_clock::now()).ok());
        QCOMPARE(m_store->currentRevision(), revision);
        const auto view = m_store->get("/registry/rbac.authorization.k8s.io/clusterroles/view");
        QVERIFY(view.ok());
        const auto object = json::parse(view->value);
        QCOMPARE(object.at("metadata").at("labels").at("kubernetes.io/bootstrapping"),
                 json("rbac-defaults"));
        QVERIFY(!object.at("metadata").at("uid").get<std::string>().empty());
    }

    void policyFollowsCreatesAndDeletes() {
        auth::RbacAuthorizer authorizer;
        auth::RbacPolicyCache cache(*m_store, authorizer);
        QVERIFY(cache.start().ok());
        // The first policy is there before start() returns.
        QVERIFY(authorizer.policy()->clusterRole("view") != nullptr);
        QVERIFY(!authorizer.authorize(listPods("team")).allowed);

        const std::string key = "/registry/rbac.authorization.k8s.io/rolebindings/team/jane-view";
        QVERIFY(m_store->create(key, janeViews("team")).ok());
        QTRY_VERIFY_WITH_TIMEOUT(authorizer.authorize(listPods("team")).allowed, 5000);
        QCOMPARE(authorizer.authorize(listPods("team")).reason,
                 std::string("RBAC: allowed by RoleBinding \"jane-view/team\" of ClusterRole "
                             "\"view\" to User \"jane\""));
        QVERIFY(!authorizer.authorize(listPods("other")).allowed);
        QCOMPARE(cache.revision(), m_store->currentRevision());

        // Removing the role the binding names takes the permission away too.
        QVERIFY(m_store->remove("/registry/rbac.authorization.k8s.io/clusterroles/view").ok());
        QTRY_VERIFY_WITH_TIMEOUT(!authorizer.authorize(listPods("team")).allowed, 5000);
        QCOMPARE(authorizer.authorize(listPods("team")).reason,
                 std::string("RBAC: clusterrole.rbac.authorization.k8s.io \"view\" not found"));

        // Other writes do not disturb it.
        QVERIFY(m_store->create("/registry/core/pods/team/p", "{}").ok());
        QVERIFY(m_store->remove(key).ok());
        QTRY_COMPARE_WITH_TIMEOUT(cache.revision(), m_store->currentRevision(), 5000);
        QVERIFY(authorizer.policy()->roleBindings("team").empty());
        cache.stop();
    }
};

QTEST_GUILESS_MAIN(TstRbacPolicyCache)
#include "tst_rbac_policy_cache.moc"
