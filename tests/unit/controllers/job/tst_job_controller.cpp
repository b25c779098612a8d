// SPDX-License-Identifier: Apache-2.0
// The Job and TTL-after-finished controllers against an in-process API server, with a stand-in
// kubelet running the pods.
#include <QtTest>

#include "engine/controllers/job/job_controller.h"

#include "../controller_test_support.h"

using namespace slipway;
using nlohmann::json;

namespace {

json job(const std::string& name, const json& spec) {
    json full = {{"template",
                  {{"spec",
                    {{"restartPolicy", "Never"},
                     {"containers", json::array({{{"name", "work"}, {"image", "busybox"}}})}}}}}};
    full.update(spec);
    return {{"apiVersion", "batch/v1"},
            {"kind", "Job"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec", full}};
}

std::optional<json> findCondition(const json& job, const std::string& type) {
    for (const json& condition : job.value("/status/conditions"_json_pointer, json::array())) {
        if (condition.value("type", std::string()) == type &&
            condition.value("status", std::string()) == "True") {
            return condition;
        }
    }
    return std::nullopt;
}

}  // namespace

class TstJobController : public QObject {
    Q_OBJECT

    std::unique_ptr<testing::ControllerHarness> m_harness;
    std::unique_ptr<controllers::JobController> m_jobs;
    std::unique_ptr<controllers::TtlAfterFinishedController> m_ttl;

    const client::Client& api() { return *m_harness->client; }

    json getJob(const std::string& name) {
        auto got = api().get(client::resources::jobs().in("default").named(name));
        return got ? *got : json();
    }
    bool hasCondition(const std::string& name, const std::string& type) {
        const json current = getJob(name);
        return !current.is_null() && findCondition(current, type).has_value();
    }
    std::vector<json> podsOf(const std::string& jobName) {
        client::ListOptions options;
        options.labelSelector = "batch.kubernetes.io/job-name=" + jobName;
        auto listed = api().list(client::resources::pods().in("default"), options);
        return listed ? listed->items : std::vector<json>{};
    }
    /// Sets spec.suspend, retrying when the controller's status writes get in between.
    bool setSuspend(const std::string& name, bool suspend) {
        for (int attempt = 0; attempt < 20; ++attempt) {
            json current = getJob(name);
            current["spec"]["suspend"] = suspend;
            if (api().update(client::resources::jobs().in("default").named(name), current).ok()) {
                return true;
            }
        }
        return false;
    }
    void start(controllers::JobController::Options options = {}) {
        options.backoffBase = std::chrono::milliseconds(50);
        m_jobs = std::make_unique<controllers::JobController>(*m_harness->context, options);
        m_ttl = std::make_unique<controllers::TtlAfterFinishedController>(*m_harness->context);
        QVERIFY(m_harness->start());
        m_jobs->run(2);
        m_ttl->run(1);
    }

private slots:
    void init() {
        m_harness = std::make_unique<testing::ControllerHarness>();
        QVERIFY2(m_harness->server->error().empty(), m_harness->server->error().c_str());
    }
    void cleanup() {
        m_harness->informers->stop();  // no handler may run into a destroyed controller
        m_jobs.reset();
        m_ttl.reset();
        m_harness.reset();
    }

    void completionsWithParallelism() {
        start();
        testing::FakeKubelet kubelet(
            api(), "default", [](const json&, std::chrono::milliseconds running) {
                return running > std::chrono::milliseconds(150) ? "Succeeded" : "";
            });
        QVERIFY(api()
                    .create(client::resources::jobs().in("default"),
                            job("work", {{"completions", 5}, {"parallelism", 2}}))
                    .ok());
        QTRY_VERIFY_WITH_TIMEOUT(hasCondition("work", "Complete"), 20000);
        QVERIFY(kubelet.maxActive() <= 2);
        QVERIFY(kubelet.maxActive() >= 1);
        const json done = getJob("work");
        QCOMPARE(done["status"]["succeeded"], json(5));
        QVERIFY(!done["status"].contains("failed"));
        QCOMPARE(done["status"]["ready"], json(0));
        QCOMPARE(done["status"]["terminating"], json(0));
        QCOMPARE(done["status"]["uncountedTerminatedPods"], json::object());
        QVERIFY(done["status"].contains("startTime"));
        QVERIFY(done["status"].contains("completionTime"));
        const auto complete = findCondition(done, "Complete");
        QCOMPARE((*complete)["reason"], json("CompletionsReached"));
        QCOMPARE((*complete)["message"], json("Reached expected number of succeeded pods"));
        QVERIFY(findCondition(done, "SuccessCriteriaMet").has_value());

        const auto pods = podsOf("work");
        QCOMPARE(pods.size(), 5u);
        for (const json& pod : pods) {
            QVERIFY(!pod["metadata"].contains("finalizers") ||
                    pod["metadata"]["finalizers"].empty());
            QCOMPARE(pod["metadata"]["labels"]["job-name"], json("work"));
            QCOMPARE(pod["metadata"]["labels"]["batch.kubernetes.io/controller-uid"],
                     done["metadata"]["uid"]);
            QCOMPARE(pod["metadata"]["ownerReferences"][0]["kind"], json("Job"));
            QVERIFY(pod["metadata"]["generateName"].get<std::string>() == "work-");
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            testing::eventReasons(api(), "default", "work").count("Completed") == 1, 5000);
        const auto reasons = testing::eventReasons(api(), "default", "work");
        QCOMPARE(reasons.count("SuccessfulCreate"), 5u);
    }

    void backoffLimitExceeded() {
        start();
        testing::FakeKubelet kubelet(
            api(), "default", [](const json&, std::chrono::milliseconds running) {
                return running > std::chrono::milliseconds(50) ? "Failed" : "";
            });
        QVERIFY(api()
                    .create(client::resources::jobs().in("default"),
                            job("flaky", {{"backoffLimit", 1}}))
                    .ok());
        QTRY_VERIFY_WITH_TIMEOUT(hasCondition("flaky", "Failed"), 20000);
        const json failed = getJob("flaky");
        QCOMPARE(failed["status"]["failed"], json(2));
        QCOMPARE((*findCondition(failed, "Failed"))["reason"], json("BackoffLimitExceeded"));
        QCOMPARE((*findCondition(failed, "Failed"))["message"],
                 json("Job has reached the specified backoff limit"));
        QVERIFY(findCondition(failed, "FailureTarget").has_value());
        QVERIFY(!failed["status"].contains("completionTime"));
        QTRY_VERIFY_WITH_TIMEOUT(
            testing::eventReasons(api(), "default", "flaky").count("BackoffLimitExceeded") == 1,
            5000);
        QCOMPARE(podsOf("flaky").size(), 2u);
    }

    void indexedJob() {
        start();
        testing::FakeKubelet kubelet(
            api(), "default", [](const json&, std::chrono::milliseconds running) {
                return running > std::chrono::milliseconds(50) ? "Succeeded" : "";
            });
        QVERIFY(api()
                    .create(client::resources::jobs().in("default"),
                            job("indexed", {{"completions", 4},
                                            {"parallelism", 4},
                                            {"completionMode", "Indexed"}}))
                    .ok());
        QTRY_VERIFY_WITH_TIMEOUT(hasCondition("indexed", "Complete"), 20000);
        const json done = getJob("indexed");
        QCOMPARE(done["status"]["completedIndexes"], json("0-3"));
        QCOMPARE(done["status"]["succeeded"], json(4));
        std::set<std::string> indexes;
        for (const json& pod : podsOf("indexed")) {
            const std::string index =
                pod["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"];
            indexes.insert(index);
            QCOMPARE(pod["metadata"]["labels"]["batch.kubernetes.io/job-completion-index"],
                     json(index));
            QCOMPARE(pod["spec"]["hostname"], json("indexed-" + index));
            QVERIFY(pod["metadata"]["name"].get<std::string>().rfind("indexed-" + index + "-", 0) ==
                    0);
            QCOMPARE(pod["spec"]["containers"][0]["env"][0]["name"], json("JOB_COMPLETION_INDEX"));
        }
        QCOMPARE(indexes, (std::set<std::string>{"0", "1", "2", "3"}));
    }

    void activeDeadline() {
        start();
        testing::FakeKubelet kubelet(api(), "default",
                                     [](const json&, std::chrono::milliseconds) { return ""; });
        QVERIFY(
            api()
                .create(client::resources::jobs().in("default"),
                        job("slow",
                            {{"parallelism", 2}, {"completions", 2}, {"activeDeadlineSeconds", 1}}))
                .ok());
        QTRY_VERIFY_WITH_TIMEOUT(hasCondition("slow", "Failed"), 20000);
        const json failed = getJob("slow");
        QCOMPARE((*findCondition(failed, "Failed"))["reason"], json("DeadlineExceeded"));
        QCOMPARE((*findCondition(failed, "Failed"))["message"],
                 json("Job was active longer than specified deadline"));
        QVERIFY(!failed["status"].contains("active"));
        // The running pods were deleted (and, unscheduled, went at once).
        QTRY_VERIFY_WITH_TIMEOUT(podsOf("slow").empty(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            testing::eventReasons(api(), "default", "slow").count("SuccessfulDelete") == 2, 5000);
    }

    void ttlAfterFinishedDeletes() {
        start();
        testing::FakeKubelet kubelet(
            api(), "default", [](const json&, std::chrono::milliseconds running) {
                return running > std::chrono::milliseconds(20) ? "Succeeded" : "";
            });
        QVERIFY(api()
                    .create(client::resources::jobs().in("default"),
                            job("brief", {{"ttlSecondsAfterFinished", 1}}))
                    .ok());
        QTRY_VERIFY_WITH_TIMEOUT(hasCondition("brief", "Complete"), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(getJob("brief").is_null(), 10000);
    }

    void deletedJobReleasesItsPods() {
        start();
        testing::FakeKubelet kubelet(api(), "default",
                                     [](const json&, std::chrono::milliseconds) { return ""; });
        QVERIFY(api()
                    .create(client::resources::jobs().in("default"),
                            job("gone", {{"parallelism", 2}, {"completions", 2}}))
                    .ok());
        QTRY_VERIFY_WITH_TIMEOUT(podsOf("gone").size() == 2, 10000);
        client::DeleteOptions orphan;
        orphan.propagationPolicy = client::PropagationPolicy::Orphan;
        QVERIFY(api().remove(client::resources::jobs().in("default").named("gone"), orphan).ok());
        const auto released = [&] {
            const auto pods = podsOf("gone");
            return pods.size() == 2 && std::none_of(pods.begin(), pods.end(), [](const json& pod) {
                       return pod["metadata"].contains("finalizers") &&
                              pod["metadata"]["finalizers"].dump().find("job-tracking") !=
                                  std::string::npos;
                   });
        };
        QTRY_VERIFY_WITH_TIMEOUT(released(), 10000);
    }

    void suspendDeletesPodsAndResumeRestarts() {
        start();
        testing::FakeKubelet kubelet(api(), "default",
                                     [](const json&, std::chrono::milliseconds) { return ""; });
        QVERIFY(api()
                    .create(client::resources::jobs().in("default"),
                            job("paused", {{"parallelism", 2}, {"completions", 4}}))
                    .ok());
        QTRY_VERIFY_WITH_TIMEOUT(getJob("paused").value("/status/active"_json_pointer, 0) == 2,
                                 10000);
        QVERIFY(setSuspend("paused", true));
        QTRY_VERIFY_WITH_TIMEOUT(hasCondition("paused", "Suspended"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(podsOf("paused").empty(), 10000);
        QCOMPARE(findCondition(getJob("paused"), "Suspended")->at("reason"), json("JobSuspended"));
        QVERIFY(setSuspend("paused", false));
        QTRY_VERIFY_WITH_TIMEOUT(getJob("paused").value("/status/active"_json_pointer, 0) == 2,
                                 10000);
        QVERIFY(!hasCondition("paused", "Suspended"));
        // Pods deleted for the suspension are not failures.
        QVERIFY(!getJob("paused")["status"].contains("failed"));
    }
};

QTEST_GUILESS_MAIN(TstJobController)
#include "tst_job_controller.moc"
