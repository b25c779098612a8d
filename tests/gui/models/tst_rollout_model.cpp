// SPDX-License-Identifier: Apache-2.0
// RolloutModel against a real slipwayd with simulated nodes: revisions, timeline samples, the
// pods of each revision, and its commands (set image, undo, pause, resume, restart, scale)
// applied through RolloutService; a rollout whose pods never become ready reported stuck.
#include <algorithm>
#include <memory>

#include <QSignalSpy>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/client/https_client.h"
#include "engine/client/resource_ref.h"
#include "gui/models/rollout_model.h"
#include "gui/services/cluster_connection.h"
#include "gui/services/rollout_service.h"

#include "tests/gui/rollout_fixtures.h"
#include "tests/integration/test_support.h"

using namespace slipway;
using gui::RolloutModel;
using nlohmann::json;

namespace {

json deployment(const char* name, int replicas, const char* image) {
    return testing::rolloutDeployment(name, replicas, image, "web", "first release");
}

}  // namespace

class TstRolloutModel : public QObject {
    Q_OBJECT

    testing::SlipwaydServer m_server;
    std::unique_ptr<client::HttpsClient> m_api;
    std::unique_ptr<gui::ClusterConnection> m_connection;
    std::unique_ptr<gui::RolloutService> m_service;
    std::unique_ptr<RolloutModel> m_model;

    json liveDeployment(const char* name) const {
        auto d = m_api->get(client::resources::deployments().in("default").named(name));
        return d.ok() ? d.value() : json();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_server.start(testing::args(
            {"--sim-nodes", "3", "--sim-start-delay", "100ms", "--sim-ready-delay", "300ms"})));
        m_api = m_server.apiClient();
        const gui::ConnectionTarget target{m_server.kubeconfigPath(), {}, QStringLiteral("test")};
        m_model = std::make_unique<RolloutModel>();
        m_connection = std::make_unique<gui::ClusterConnection>(target);
        m_service = std::make_unique<gui::RolloutService>(target);
        connect(m_connection.get(), &gui::ClusterConnection::eventsReceived, m_model.get(),
                &RolloutModel::applyEvents);
        connect(m_model.get(), &RolloutModel::patchRequested, m_service.get(),
                &gui::RolloutService::applyPatch);
        connect(m_service.get(), &gui::RolloutService::patchApplied, m_model.get(),
                &RolloutModel::commandFinished);
        QSignalSpy synced(m_connection.get(), &gui::ClusterConnection::synced);
        m_connection->start();
        QVERIFY(synced.wait(30000));
    }

    void showsTheFirstRevision() {
        QVERIFY(m_api
                    ->create(client::resources::deployments().in("default"),
                             deployment("web", 3, "nginx:1.25"))
                    .ok());
        m_model->setDeployment(QStringLiteral("default"), QStringLiteral("web"));
        QTRY_COMPARE_WITH_TIMEOUT(m_model->state(), RolloutModel::State::Complete, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(testing::podsOfRevision(*m_model, 1), 3, 10000);
        QCOMPARE(m_model->rowCount(), 1);
        QCOMPARE(m_model->revisions().at(0).revision, 1LL);
        QCOMPARE(m_model->revisions().at(0).images, QStringList{QStringLiteral("nginx:1.25")});
        QCOMPARE(m_model->revisions().at(0).changeCause, QStringLiteral("first release"));
        QVERIFY(m_model->revisions().at(0).isNew);
        QVERIFY(m_model->deployments().contains(QStringLiteral("default/web")));
        // Defaults: maxSurge 25% of 3 rounds up to 1, maxUnavailable 25% of 3 down to 0.
        QVERIFY2(m_model->strategyText().contains(
                     QStringLiteral("at most 1 extra pod (maxSurge 25% of 3, rounded up)")),
                 qPrintable(m_model->strategyText()));
        QVERIFY2(m_model->strategyText().contains(QStringLiteral("at most 0 unavailable")),
                 qPrintable(m_model->strategyText()));
        QCOMPARE(m_model->statusText(),
                 QStringLiteral("Deployment \"web\" successfully rolled out"));
    }

    void setImageRollsOutRevisionTwo() {
        const auto samplesBefore = m_model->samples().size();
        QSignalSpy messages(m_model.get(), &RolloutModel::commandMessage);
        QVERIFY(m_model->setImage(QStringLiteral("web"), QStringLiteral("nginx:1.26")));
        QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 2, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(m_model->currentRevision(), 2LL, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(m_model->state(), RolloutModel::State::Complete, 30000);
        // Every old pod gone, every new one there: the counts moved from one revision to the
        // other.
        QTRY_COMPARE_WITH_TIMEOUT(testing::podsOfRevision(*m_model, 1), 0, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(testing::podsOfRevision(*m_model, 2), 3, 15000);
        QCOMPARE(m_model->revisions().at(0).revision, 2LL);
        QCOMPARE(m_model->revisions().at(0).images, QStringList{QStringLiteral("nginx:1.26")});
        QCOMPARE(m_model->revisions().at(1).revision, 1LL);
        QCOMPARE(m_model->revisions().at(1).images, QStringList{QStringLiteral("nginx:1.25")});
        QCOMPARE(m_model->index(0, RolloutModel::RevisionColumn).data().toString(),
                 QStringLiteral("2 (current)"));
        // The timeline recorded the rollout: samples with both ReplicaSets holding pods, and
        // the last one with the old at 0 and the new at the desired count.
        const auto& samples = m_model->samples();
        QVERIFY(samples.size() > samplesBefore + 2);
        QVERIFY(std::any_of(
            samples.begin() + samplesBefore, samples.end(),
            [](const gui::RolloutSample& s) { return s.oldReplicas > 0 && s.newReplicas > 0; }));
        QTRY_COMPARE_WITH_TIMEOUT(m_model->samples().constLast().oldReplicas, 0, 10000);
        QCOMPARE(m_model->samples().constLast().newReplicas, 3);
        QCOMPARE(m_model->samples().constLast().available, 3);
        QVERIFY(std::is_sorted(samples.begin(), samples.end(),
                               [](const auto& a, const auto& b) { return a.msecs < b.msecs; }));
        QVERIFY(std::any_of(messages.begin(), messages.end(), [](const QList<QVariant>& m) {
            return m.at(0).toString() == QStringLiteral("Set image web=nginx:1.26: done");
        }));
        QCOMPARE(liveDeployment("web")["spec"]["template"]["spec"]["containers"][0]["image"],
                 json("nginx:1.26"));
    }

    void undoReturnsToRevisionOneAsRevisionThree() {
        QVERIFY(!m_model->undoTo(7));
        QCOMPARE(m_model->lastError(),
                 QStringLiteral("Unable to find specified revision 7 in history."));
        QVERIFY(m_model->undoTo(1));
        // As kubectl rollout undo: revision 1's ReplicaSet becomes revision 3.
        QTRY_COMPARE_WITH_TIMEOUT(m_model->currentRevision(), 3LL, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(m_model->state(), RolloutModel::State::Complete, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(testing::podsOfRevision(*m_model, 3), 3, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(testing::podsOfRevision(*m_model, 2), 0, 15000);
        QCOMPARE(m_model->rowCount(), 2);
        QCOMPARE(m_model->revisions().at(0).revision, 3LL);
        QCOMPARE(m_model->revisions().at(0).images, QStringList{QStringLiteral("nginx:1.25")});
        QCOMPARE(m_model->revisions().at(1).revision, 2LL);
        const json live = liveDeployment("web");
        QCOMPARE(live["spec"]["template"]["spec"]["containers"][0]["image"], json("nginx:1.25"));
        QCOMPARE(live["metadata"]["annotations"]["kubernetes.io/change-cause"],
                 json("first release"));
        QVERIFY(!live["spec"]["template"]["metadata"]["labels"].contains("pod-template-hash"));
        // Undoing to what is already there is refused, as kubectl skips it.
        QVERIFY(!m_model->undoTo(3));
        QVERIFY(m_model->lastError().startsWith(QStringLiteral("Skipped rollback")));
    }

    void pauseAndResume() {
        QVERIFY(m_model->pause());
        QTRY_VERIFY_WITH_TIMEOUT(m_model->paused(), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(m_model->state(), RolloutModel::State::Paused, 5000);
        QCOMPARE(liveDeployment("web")["spec"]["paused"], json(true));
        QVERIFY(!m_model->undoTo(2));  // kubectl refuses to roll back a paused Deployment
        QVERIFY(m_model->lastError().contains(QStringLiteral("paused")));
        QVERIFY(m_model->resume());
        QTRY_VERIFY_WITH_TIMEOUT(!m_model->paused(), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(m_model->state(), RolloutModel::State::Complete, 15000);
        QVERIFY(!liveDeployment("web")["spec"].value("paused", false));
    }

    void restartRollsOutANewRevision() {
        QVERIFY(m_model->restart());
        QTRY_COMPARE_WITH_TIMEOUT(m_model->currentRevision(), 4LL, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(m_model->state(), RolloutModel::State::Complete, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(testing::podsOfRevision(*m_model, 4), 3, 15000);
        const json live = liveDeployment("web");
        QVERIFY(live["spec"]["template"]["metadata"]["annotations"].contains(
            RolloutModel::kRestartedAtAnnotation));
    }

    void scale() {
        QVERIFY(m_model->scale(5));
        QTRY_COMPARE_WITH_TIMEOUT(m_model->specReplicas(), 5, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(testing::podsOfRevision(*m_model, 4), 5, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(m_model->state(), RolloutModel::State::Complete, 30000);
        QCOMPARE(m_model->rowCount(), 3);  // scaling makes no revision
    }

    void neverReadyPodsAreStuck() {
        json stuck = deployment("stuck", 2, "nginx:1.25");
        stuck["spec"]["progressDeadlineSeconds"] = 2;
        stuck["spec"]["template"]["metadata"]["annotations"] = {{"sim.slipway.dev/ready", "false"}};
        QVERIFY(m_api->create(client::resources::deployments().in("default"), stuck).ok());
        m_model->setDeployment(QStringLiteral("default"), QStringLiteral("stuck"));
        QTRY_COMPARE_WITH_TIMEOUT(m_model->state(), RolloutModel::State::Stuck, 30000);
        QVERIFY2(m_model->stuckReason().startsWith(QStringLiteral("ProgressDeadlineExceeded")),
                 qPrintable(m_model->stuckReason()));
        QVERIFY(m_model->stuckReason().contains(QStringLiteral("progress")));
        QCOMPARE(m_model->rowCount(), 1);
    }

    void failingImageIsStuckWithItsReason() {
        json bad = deployment("badimage", 1, "nginx:1.25");
        QVERIFY(m_api->create(client::resources::deployments().in("default"), bad).ok());
        m_model->setDeployment(QStringLiteral("default"), QStringLiteral("badimage"));
        QTRY_COMPARE_WITH_TIMEOUT(m_model->state(), RolloutModel::State::Complete, 30000);
        QVERIFY(m_model->setImage(QStringLiteral("web"), QStringLiteral("doesnotexist:1")));
        QTRY_COMPARE_WITH_TIMEOUT(m_model->state(), RolloutModel::State::Stuck, 30000);
        QVERIFY2(m_model->stuckReason().contains(QStringLiteral("ErrImagePull")) ||
                     m_model->stuckReason().contains(QStringLiteral("ImagePullBackOff")),
                 qPrintable(m_model->stuckReason()));
        // The old pod keeps serving (maxUnavailable 0).
        QCOMPARE(testing::podsOfRevision(*m_model, 1), 1);
    }

    void recreateStrategyInWords() {
        json d = deployment("r", 4, "x");
        d["spec"]["strategy"] = {{"type", "Recreate"}};
        QVERIFY(RolloutModel::describeStrategy(d).startsWith(
            QStringLiteral("Recreate: all 4 old pods are stopped before any new pod starts")));
        d["spec"]["strategy"] = {{"type", "RollingUpdate"},
                                 {"rollingUpdate", {{"maxSurge", 0}, {"maxUnavailable", "10%"}}}};
        // Both resolve to 0: one pod may be unavailable, or the rollout could never move.
        QVERIFY2(
            RolloutModel::describeStrategy(d).contains(QStringLiteral("at most 1 unavailable")),
            qPrintable(RolloutModel::describeStrategy(d)));
    }

    void cleanupTestCase() {
        m_connection.reset();
        m_service.reset();
        QCOMPARE(m_server.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TstRolloutModel)
#include "tst_rollout_model.moc"
