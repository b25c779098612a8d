// SPDX-License-Identifier: Apache-2.0
#include <spdlog/spdlog.h>

#include "engine/controllers/job/job_controller.h"
#include "engine/core/timestamp.h"

namespace slipway::controllers {

using nlohmann::json;

namespace {

constexpr int kMaxRetries = 15;

client::WorkQueueOptions queueOptions() {
    client::WorkQueueOptions options;
    options.name = "ttl_jobs_to_delete";
    return options;
}

/// When the Job finished (the lastTransitionTime of its Complete or Failed condition), if it
/// did and has a TTL.
std::optional<std::chrono::system_clock::time_point> finishedAt(const json& job) {
    for (const json& condition : job.value("/status/conditions"_json_pointer, json::array())) {
        const std::string type = condition.value("type", std::string());
        if ((type == "Complete" || type == "Failed") &&
            condition.value("status", std::string()) == "True") {
            return core::parseTimestamp(condition.value("lastTransitionTime", std::string()));
        }
    }
    return std::nullopt;
}

bool needsCleanup(const json& job) {
    return job.contains("/spec/ttlSecondsAfterFinished"_json_pointer) &&
           job.at("/spec/ttlSecondsAfterFinished"_json_pointer).is_number_integer() &&
           finishedAt(job).has_value() && !job.contains("/metadata/deletionTimestamp"_json_pointer);
}

}  // namespace

TtlAfterFinishedController::TtlAfterFinishedController(
    const ControllerContext& context, std::function<std::chrono::system_clock::time_point()> now)
    : m_client(context.client),
      m_now(std::move(now)),
      m_jobs(context.informers.informerFor(client::resources::jobs())),
      m_queue(queueOptions()) {
    client::EventHandlers handlers;
    handlers.onAdd = [this](const client::ObjectPtr& job) {
        if (needsCleanup(*job)) {
            m_queue.add(client::objectKey(*job));
        }
    };
    handlers.onUpdate = [this](const client::ObjectPtr&, const client::ObjectPtr& job) {
        if (needsCleanup(*job)) {
            m_queue.add(client::objectKey(*job));
        }
    };
    m_jobs.addEventHandler(std::move(handlers));
}

TtlAfterFinishedController::~TtlAfterFinishedController() {
    stop();
}

void TtlAfterFinishedController::run(int workers) {
    m_workers.start(
        m_queue, workers, [this](const std::string& key) { return sync(key); }, kMaxRetries);
}

void TtlAfterFinishedController::stop() {
    m_queue.shutDown();  // also when run() never started the workers
    m_workers.stop();
}

core::Result<void> TtlAfterFinishedController::sync(const std::string& key) {
    const auto parts = client::splitObjectKey(key);
    const auto ref = client::resources::jobs().in(parts.nameSpace).named(parts.name);
    const auto expiry = [this](const json& job) -> std::optional<std::chrono::nanoseconds> {
        if (!needsCleanup(job)) {
            return std::nullopt;
        }
        const auto ttl = std::chrono::seconds(
            job.at("/spec/ttlSecondsAfterFinished"_json_pointer).get<std::int64_t>());
        return *finishedAt(job) + ttl - m_now();
    };
    const auto cached = m_jobs.lister().getByKey(key);
    if (!cached) {
        return core::success();
    }
    auto left = expiry(*cached);
    if (!left) {
        return core::success();
    }
    if (*left > std::chrono::nanoseconds(0)) {
        m_queue.addAfter(key, *left);
        return core::success();
    }
    // The cache may be stale: check the TTL against the Job as it is now (kube does the same).
    auto fresh = m_client.get(ref);
    if (!fresh) {
        return fresh.error().code() == core::ErrorCode::NotFound
                   ? core::success()
                   : core::Result<void>(fresh.error());
    }
    left = expiry(*fresh);
    if (!left) {
        return core::success();
    }
    if (*left > std::chrono::nanoseconds(0)) {
        m_queue.addAfter(key, *left);
        return core::success();
    }
    client::DeleteOptions options;
    options.propagationPolicy = client::PropagationPolicy::Background;
    options.preconditionResourceVersion =
        fresh->value("/metadata/resourceVersion"_json_pointer, std::string());
    spdlog::debug("ttl-after-finished: deleting job {}", key);
    auto removed = m_client.remove(ref, options);
    if (!removed && removed.error().code() != core::ErrorCode::NotFound) {
        return removed.error();
    }
    return core::success();
}

}  // namespace slipway::controllers
