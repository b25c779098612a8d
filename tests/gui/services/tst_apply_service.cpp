// SPDX-License-Identifier: Apache-2.0
// The manifest editor's dry run, diff and apply against a real slipwayd: what the cluster holds
// afterwards, read through the client.
#include <QSignalSpy>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/client/https_client.h"
#include "engine/client/resource_ref.h"
#include "gui/models/manifest_document.h"
#include "gui/services/apply_service.h"

#include "tests/integration/test_support.h"

using namespace slipway;
using gui::ApplyOutcome;
using gui::ApplyService;
using nlohmann::json;

namespace {

const char* const kManifest =
    "# the shop front\n"
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: shop\n"
    "spec:\n"
    "  replicas: 2  # enough for now\n"
    "  selector:\n"
    "    matchLabels:\n"
    "      app: shop\n"
    "  template:\n"
    "    metadata:\n"
    "      labels:\n"
    "        app: shop\n"
    "    spec:\n"
    "      containers:\n"
    "        - name: web\n"
    "          image: slipway.local/hello:1\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata:\n"
    "  name: shop\n"
    "spec:\n"
    "  selector:\n"
    "    app: shop\n"
    "  ports:\n"
    "    - port: 80\n"
    "      targetPort: 8080\n";

std::vector<json> manifestObjects(const char* text = kManifest) {
    return gui::ManifestDocument(text).objects();
}

}  // namespace

class TstApplyService : public QObject {
    Q_OBJECT

    testing::SlipwaydServer m_server;
    std::unique_ptr<client::HttpsClient> m_api;
    std::unique_ptr<ApplyService> m_service;

    /// Runs `operation` and waits for its answer: the outcomes and the diff text.
    std::pair<QList<ApplyOutcome>, QString> run(ApplyService::Operation operation,
                                                const std::vector<json>& objects) {
        QSignalSpy finished(m_service.get(), &ApplyService::finished);
        QSignalSpy failed(m_service.get(), &ApplyService::failed);
        switch (operation) {
            case ApplyService::Operation::DryRun:
                m_service->dryRun(objects);
                break;
            case ApplyService::Operation::Diff:
                m_service->diff(objects);
                break;
            case ApplyService::Operation::Apply:
                m_service->apply(objects);
                break;
        }
        [&] { QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() > 0, 30000); }();
        if (finished.isEmpty()) {
            qWarning() << failed.constFirst().at(1).toString();
            return {};
        }
        return {finished.constFirst().at(1).value<QList<ApplyOutcome>>(),
                finished.constFirst().at(2).toString()};
    }

    static QStringList actions(const QList<ApplyOutcome>& outcomes) {
        QStringList result;
        for (const auto& outcome : outcomes) {
            result << (outcome.error.isEmpty()
                           ? outcome.object + QLatin1Char(' ') + outcome.action
                           : outcome.object + QStringLiteral(" error: ") + outcome.error);
        }
        return result;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_server.start());
        m_api = m_server.apiClient();
        m_service = std::make_unique<ApplyService>();
        m_service->setTarget(gui::ConnectionTarget{m_server.kubeconfigPath(), {}, {}});
    }

    void dryRunCreatesNothing() {
        QSignalSpy busy(m_service.get(), &ApplyService::busyChanged);
        const auto [outcomes, diff] = run(ApplyService::Operation::DryRun, manifestObjects());
        QCOMPARE(actions(outcomes),
                 QStringList({QStringLiteral("deployment.apps/shop created (server dry run)"),
                              QStringLiteral("service/shop created (server dry run)")}));
        QCOMPARE(busy.count(), 2);
        QVERIFY(!m_service->isBusy());
        const client::ResourceRef deployments("apps", "v1", "deployments", "default");
        auto deployment = m_api->get(deployments.named("shop"));
        QVERIFY(!deployment.ok());
        QCOMPARE(deployment.error().code(), core::ErrorCode::NotFound);
        QVERIFY(!m_api->get(client::resources::services().in("default").named("shop")).ok());
    }

    void applyCreatesTheObjects() {
        const auto [outcomes, diff] = run(ApplyService::Operation::Apply, manifestObjects());
        QCOMPARE(actions(outcomes), QStringList({QStringLiteral("deployment.apps/shop created"),
                                                 QStringLiteral("service/shop created")}));
        const client::ResourceRef deployments("apps", "v1", "deployments", "default");
        auto deployment = m_api->get(deployments.named("shop"));
        QVERIFY(deployment.ok());
        QCOMPARE(deployment->at("/spec/replicas"_json_pointer), json(2));
        const std::string lastApplied = deployment->value(
            json::json_pointer(
                "/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration"),
            std::string());
        QCOMPARE(json::parse(lastApplied).at("/spec/replicas"_json_pointer), json(2));
        auto service = m_api->get(client::resources::services().in("default").named("shop"));
        QVERIFY(service.ok());
        QCOMPARE(service->at("/spec/ports/0/port"_json_pointer), json(80));

        // Nothing changed: nothing to do.
        const auto [again, noDiff] = run(ApplyService::Operation::Apply, manifestObjects());
        QCOMPARE(actions(again), QStringList({QStringLiteral("deployment.apps/shop unchanged"),
                                              QStringLiteral("service/shop unchanged")}));
    }

    void diffShowsAClusterSideChange() {
        const client::ResourceRef deployments("apps", "v1", "deployments", "default");
        const auto [before, noDiff] = run(ApplyService::Operation::Diff, manifestObjects());
        QVERIFY2(noDiff.isEmpty(), qPrintable(noDiff));

        // Someone scales the Deployment in the cluster: the diff shows it going back.
        QVERIFY(m_api
                    ->patch(deployments.named("shop"), client::PatchType::Merge,
                            json{{"spec", {{"replicas", 5}}}})
                    .ok());
        const auto [outcomes, diff] = run(ApplyService::Operation::Diff, manifestObjects());
        QCOMPARE(actions(outcomes),
                 QStringList({QStringLiteral("deployment.apps/shop configured (server dry run)"),
                              QStringLiteral("service/shop unchanged (server dry run)")}));
        QVERIFY2(diff.contains(QStringLiteral("--- live/deployment.apps/shop\n")),
                 qPrintable(diff));
        QVERIFY2(diff.contains(QStringLiteral("\n-  replicas: 5\n")), qPrintable(diff));
        QVERIFY2(diff.contains(QStringLiteral("\n+  replicas: 2\n")), qPrintable(diff));
        QVERIFY(!diff.contains(QStringLiteral("service/shop")));
        // The diff was a dry run: the cluster still has 5.
        QCOMPARE(m_api->get(deployments.named("shop"))->at("/spec/replicas"_json_pointer), json(5));

        // Applying puts the manifest's replicas back.
        const auto [applied, unused] = run(ApplyService::Operation::Apply, manifestObjects());
        QCOMPARE(actions(applied).value(0), QStringLiteral("deployment.apps/shop configured"));
        QCOMPARE(m_api->get(deployments.named("shop"))->at("/spec/replicas"_json_pointer), json(2));
    }

    void invalidObjectsAreRefusedWithTheServersWords() {
        QString text = QString::fromUtf8(kManifest);
        text.replace(QStringLiteral("  name: shop\nspec:\n  selector:\n    app"),
                     QStringLiteral("  name: Shop_2\nspec:\n  selector:\n    app"));
        const auto [outcomes, diff] = run(ApplyService::Operation::DryRun,
                                          gui::ManifestDocument(text.toStdString()).objects());
        QCOMPARE(outcomes.size(), 2);
        QVERIFY2(outcomes.at(1).error.contains(QStringLiteral("Service \"Shop_2\" is invalid")),
                 qPrintable(outcomes.at(1).error));
    }

    void threeWayPatchDeletesWhatTheManifestDropped() {
        const json original = {{"metadata", {{"labels", {{"a", "1"}, {"b", "2"}}}}}};
        const json modified = {{"metadata", {{"labels", {{"a", "1"}}}}}};
        const json current = {{"metadata", {{"labels", {{"a", "1"}, {"b", "2"}, {"c", "3"}}}}}};
        QCOMPARE(gui::threeWayMergePatch(original, modified, current),
                 json({{"metadata", {{"labels", {{"b", nullptr}}}}}}));
        QVERIFY(gui::threeWayMergePatch(modified, modified, current).empty());
    }

    void strategicPatchMergesListsOnTheirKeys() {
        auto deployment = [](const json& containers) {
            return json{{"apiVersion", "apps/v1"},
                        {"kind", "Deployment"},
                        {"spec", {{"template", {{"spec", {{"containers", containers}}}}}}}};
        };
        const json original = deployment(json::array(
            {{{"name", "web"}, {"image", "a"}}, {{"name", "sidecar"}, {"image", "s"}}}));
        const json modified = deployment(json::array({{{"name", "web"}, {"image", "b"}}}));
        const json current = deployment(json::array(
            {{{"name", "web"}, {"image", "a"}, {"imagePullPolicy", "IfNotPresent"}},
             {{"name", "sidecar"}, {"image", "s"}, {"imagePullPolicy", "IfNotPresent"}}}));
        const json expected = {
            {"spec",
             {{"template",
               {{"spec",
                 {{"containers", json::array({{{"name", "web"}, {"image", "b"}},
                                              {{"name", "sidecar"}, {"$patch", "delete"}}})},
                  {"$setElementOrder/containers", json::array({{{"name", "web"}}})}}}}}}}};
        QCOMPARE(gui::threeWayStrategicMergePatch(original, modified, current), expected);
        // Defaults inside the elements are no change.
        QVERIFY(gui::threeWayStrategicMergePatch(
                    modified, modified,
                    deployment(json::array(
                        {{{"name", "web"}, {"image", "b"}, {"imagePullPolicy", "IfNotPresent"}}})))
                    .empty());
    }

    void applyKeepsWhatTheServerSetInsideLists() {
        const char* service =
            "apiVersion: v1\n"
            "kind: Service\n"
            "metadata:\n"
            "  name: edge\n"
            "spec:\n"
            "  type: NodePort\n"
            "  selector:\n"
            "    app: shop\n"
            "  ports:\n"
            "    - port: 80\n"
            "      targetPort: 8080\n";
        const auto [created, unused] =
            run(ApplyService::Operation::Apply, manifestObjects(service));
        QCOMPARE(actions(created), QStringList{QStringLiteral("service/edge created")});
        const auto ref = client::resources::services().in("default").named("edge");
        const json nodePort = m_api->get(ref)->at("/spec/ports/0/nodePort"_json_pointer);
        QVERIFY(nodePort.is_number_integer());

        QString changed = QString::fromUtf8(service);
        changed.replace(QStringLiteral("targetPort: 8080"), QStringLiteral("targetPort: 9090"));
        const auto [configured, unused2] =
            run(ApplyService::Operation::Apply, manifestObjects(changed.toUtf8().constData()));
        QCOMPARE(actions(configured), QStringList{QStringLiteral("service/edge configured")});
        const auto live = m_api->get(ref);
        QVERIFY(live.ok());
        QCOMPARE(live->at("/spec/ports/0/targetPort"_json_pointer), json(9090));
        QCOMPARE(live->at("/spec/ports/0/nodePort"_json_pointer), nodePort);  // not reallocated
    }

    void applySwitchesTheStrategyCleanly() {
        // RollingUpdate (defaulted with its rollingUpdate) to Recreate: $retainKeys drops
        // rollingUpdate, or the server would refuse the mix.
        QString text = QString::fromUtf8(kManifest);
        text.replace(
            QStringLiteral("  replicas: 2  # enough for now\n"),
            QStringLiteral("  replicas: 2  # enough for now\n  strategy:\n    type: Recreate\n"));
        const auto [outcomes, unused] = run(ApplyService::Operation::Apply,
                                            gui::ManifestDocument(text.toStdString()).objects());
        QCOMPARE(actions(outcomes).value(0), QStringLiteral("deployment.apps/shop configured"));
        const auto live =
            m_api->get(client::ResourceRef("apps", "v1", "deployments", "default").named("shop"));
        QVERIFY(live.ok());
        QCOMPARE(live->at("/spec/strategy"_json_pointer), json({{"type", "Recreate"}}));
    }

    void cleanupTestCase() {
        m_service.reset();
        m_api.reset();
    }
};

QTEST_GUILESS_MAIN(TstApplyService)
#include "tst_apply_service.moc"
