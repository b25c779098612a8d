// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/podautoscaler/horizontal_controller.h"

#include <spdlog/spdlog.h>

#include "engine/core/label_selector.h"
#include "engine/core/quantity.h"
#include "engine/core/timestamp.h"

namespace slipway::controllers {
namespace {

using nlohmann::json;
using podautoscaler::LimitedReplicas;
using podautoscaler::NormalizationArgs;
using podautoscaler::ScalingBehavior;
using podautoscaler::ScalingHistory;

const client::ResourceRef kHorizontalPodAutoscalers("autoscaling", "v2",
                                                    "horizontalpodautoscalers");
const client::ResourceRef kPodMetrics("metrics.k8s.io", "v1beta1", "pods");

const json& at(const json& object, const char* name) {
    static const json kNull;
    if (!object.is_object()) {
        return kNull;
    }
    const auto it = object.find(name);
    return it == object.end() ? kNull : *it;
}

std::string stringAt(const json& object, const char* name) {
    const json& value = at(object, name);
    return value.is_string() ? value.get<std::string>() : std::string();
}

std::int32_t intAt(const json& object, const char* name, std::int32_t fallback) {
    const json& value = at(object, name);
    return value.is_number_integer() ? value.get<std::int32_t>() : fallback;
}

core::Error failure(std::string message) {
    return core::Error(core::ErrorCode::BadRequest, std::move(message));
}

}  // namespace

HorizontalController::HorizontalController(const ControllerContext& context,
                                           HorizontalControllerOptions options)
    : m_client(context.client),
      m_options(std::move(options)),
      m_calculator(m_options.calculator),
      m_hpas(context.informers.informerFor(kHorizontalPodAutoscalers)),
      m_pods(context.informers.informerFor(client::resources::pods())),
      m_recorder(context.recorder("horizontal-pod-autoscaler")),
      m_queue(client::WorkQueueOptions{"horizontalpodautoscaler", 100'000, {}}) {
    // As kube's HPA queue (a fixed-interval rate limiter): every HPA, new or changed, is
    // reconciled one sync period after it was last queued, so that its own status writes do
    // not make it scale again at once.
    const auto enqueue = [this](const client::ObjectPtr& object) {
        m_queue.addAfter(client::objectKey(*object), m_options.syncPeriod);
    };
    client::EventHandlers handlers;
    handlers.onAdd = enqueue;
    handlers.onUpdate = [enqueue](const client::ObjectPtr&, const client::ObjectPtr& object) {
        enqueue(object);
    };
    handlers.onDelete = [this](const client::ObjectPtr& object) {
        const std::lock_guard lock(m_mutex);
        m_history.erase(client::objectKey(*object));
    };
    m_hpas.addEventHandler(std::move(handlers));
}

HorizontalController::~HorizontalController() {
    stop();
}

void HorizontalController::run(int workers) {
    m_workers.start(
        m_queue, workers,
        [this](const std::string& key) -> core::Result<void> {
            // Failures are reported in events and conditions; the key comes back after the
            // sync period anyway, as in kube.
            if (auto synced = sync(key); !synced) {
                spdlog::warn("horizontal-pod-autoscaler {}: {}", key, synced.error().message());
            }
            return {};
        },
        0);
}

void HorizontalController::stop() {
    m_queue.shutDown();  // also when run() never started the workers
    m_workers.stop();
}

std::chrono::system_clock::time_point HorizontalController::now() const {
    return m_options.clock ? m_options.clock() : std::chrono::system_clock::now();
}

core::Result<void> HorizontalController::sync(const std::string& key) {
    const auto hpa = m_hpas.lister().getByKey(key);
    if (hpa == nullptr) {
        const std::lock_guard lock(m_mutex);
        m_history.erase(key);
        return {};
    }
    m_queue.addAfter(key, m_options.syncPeriod);
    return reconcile(key, *hpa);
}

void HorizontalController::event(const json& hpa, const std::string& type,
                                 const std::string& reason, const std::string& message) {
    m_recorder->event(client::ObjectReference::to(hpa, "autoscaling/v2", "HorizontalPodAutoscaler"),
                      type, reason, message);
}

void HorizontalController::setCondition(json& hpa, const std::string& type,
                                        const std::string& status, const std::string& reason,
                                        const std::string& message) {
    if (type.empty()) {
        return;
    }
    json& hpaStatus = hpa["status"];
    if (!hpaStatus.is_object()) {
        hpaStatus = json::object();
    }
    json& conditions = hpaStatus["conditions"];
    if (!conditions.is_array()) {
        conditions = json::array();
    }
    json* existing = nullptr;
    for (auto& condition : conditions) {
        if (stringAt(condition, "type") == type) {
            existing = &condition;
        }
    }
    if (existing == nullptr) {
        conditions.push_back({{"type", type}});
        existing = &conditions.back();
    }
    if (stringAt(*existing, "status") != status || !existing->contains("lastTransitionTime")) {
        (*existing)["lastTransitionTime"] = core::formatTimestamp(now());
    }
    (*existing)["status"] = status;
    (*existing)["reason"] = reason;
    (*existing)["message"] = message;
}

core::Result<void> HorizontalController::updateStatusIfNeeded(const json& original,
                                                              const json& hpa) {
    if (at(hpa, "status") == original) {
        return {};
    }
    const auto& metadata = at(hpa, "metadata");
    auto updated =
        m_client.updateStatus(kHorizontalPodAutoscalers.in(stringAt(metadata, "namespace"))
                                  .named(stringAt(metadata, "name")),
                              hpa);
    if (!updated) {
        return updated.error();
    }
    return {};
}

core::Result<std::string> HorizontalController::resourceOf(const std::string& apiVersion,
                                                           const std::string& kind) {
    const std::string cacheKey = apiVersion + "/" + kind;
    {
        const std::lock_guard lock(m_mutex);
        if (const auto it = m_resources.find(cacheKey); it != m_resources.end()) {
            return it->second;
        }
    }
    const auto slash = apiVersion.find('/');
    const std::string group = slash == std::string::npos ? "" : apiVersion.substr(0, slash);
    if (apiVersion.empty() ||
        apiVersion.find('/', slash == std::string::npos ? 0 : slash + 1) != std::string::npos) {
        return failure(
            "invalid API version in scale target reference: unexpected GroupVersion "
            "string: " +
            apiVersion);
    }
    // The scale target's resource, as kube's RESTMapper finds it: from discovery.
    const std::string path = group.empty() ? "/api/" + apiVersion : "/apis/" + apiVersion;
    auto answer = m_client.send(client::Request("GET", path));
    const std::string noMatch =
        "unable to determine resource for scale target reference: no "
        "matches for kind \"" +
        kind + "\" in group \"" + group + "\"";
    if (!answer) {
        return answer.error();
    }
    if (answer->status != 200) {
        return failure(noMatch);
    }
    const json document = json::parse(answer->body, nullptr, false);
    for (const auto& resource : at(document, "resources")) {
        const std::string name = stringAt(resource, "name");
        if (stringAt(resource, "kind") == kind && name.find('/') == std::string::npos) {
            const std::lock_guard lock(m_mutex);
            m_resources[cacheKey] = name;
            return name;
        }
    }
    return failure(noMatch);
}

core::Result<void> HorizontalController::reconcile(const std::string& key, const json& cached) {
    json hpa = cached;  // never change the cache
    const json original = at(hpa, "status");
    const json& spec = at(hpa, "spec");
    const json& target = at(spec, "scaleTargetRef");
    const std::string nameSpace = stringAt(at(hpa, "metadata"), "namespace");
    const std::string targetKind = stringAt(target, "kind");
    const std::string targetName = stringAt(target, "name");
    const std::string apiVersion = stringAt(target, "apiVersion");
    const std::string reference = targetKind + "/" + nameSpace + "/" + targetName;

    const auto scaleFailed = [&](const std::string& message) -> core::Result<void> {
        event(hpa, client::EventRecorder::kWarning, "FailedGetScale", message);
        setCondition(hpa, "AbleToScale", "False", "FailedGetScale",
                     "the HPA controller was unable to get the target's current scale: " + message);
        if (auto updated = updateStatusIfNeeded(original, hpa); !updated) {
            return updated;
        }
        return failure("failed to query scale subresource for " + reference + ": " + message);
    };
    auto resource = resourceOf(apiVersion, targetKind);
    if (!resource) {
        return scaleFailed(resource.error().message());
    }
    const auto slash = apiVersion.find('/');
    const client::ResourceRef scaleRef =
        client::ResourceRef(slash == std::string::npos ? "" : apiVersion.substr(0, slash),
                            slash == std::string::npos ? apiVersion : apiVersion.substr(slash + 1),
                            *resource, nameSpace, targetName)
            .sub("scale");
    auto fetched = m_client.get(scaleRef);
    if (!fetched) {
        return scaleFailed(fetched.error().message());
    }
    json scale = std::move(*fetched);
    setCondition(hpa, "AbleToScale", "True", "SucceededGetScale",
                 "the HPA controller was able to get the target's current scale");

    const std::int32_t currentReplicas = intAt(at(scale, "spec"), "replicas", 0);
    {
        // The first recommendation is the current size.
        const std::lock_guard lock(m_mutex);
        auto& history = m_history[key];
        if (history.recommendations.empty()) {
            history.recommendations.push_back({currentReplicas, now()});
        }
    }
    const std::int32_t minReplicas = intAt(spec, "minReplicas", 1);
    const std::int32_t maxReplicas = intAt(spec, "maxReplicas", 1);
    std::int32_t desiredReplicas = 0;
    std::string rescaleReason;
    bool rescale = true;
    json statuses = json::array();
    std::optional<core::Error> partialError;

    if (currentReplicas == 0 && minReplicas != 0) {
        // Scaled to zero by hand: autoscaling is off until someone scales it up again.
        desiredReplicas = 0;
        rescale = false;
        setCondition(hpa, "ScalingActive", "False", "ScalingDisabled",
                     "scaling is disabled since the replica count of the target is zero");
    } else if (currentReplicas > maxReplicas) {
        rescaleReason = "Current number of replicas above Spec.MaxReplicas";
        desiredReplicas = maxReplicas;
    } else if (currentReplicas < minReplicas) {
        rescaleReason = "Current number of replicas below Spec.MinReplicas";
        desiredReplicas = minReplicas;
    } else {
        MetricsResult metrics = computeReplicasForMetrics(hpa, scale);
        statuses = metrics.statuses;
        if (metrics.error && metrics.replicas == -1) {
            json& status = hpa["status"];
            status["currentReplicas"] = currentReplicas;
            if (!status.contains("desiredReplicas")) {
                status["desiredReplicas"] = 0;
            }
            if (statuses.empty()) {
                status.erase("currentMetrics");
            } else {
                status["currentMetrics"] = statuses;
            }
            if (auto updated = updateStatusIfNeeded(original, hpa); !updated) {
                return updated;
            }
            event(hpa, client::EventRecorder::kWarning, "FailedComputeMetricsReplicas",
                  metrics.error->message());
            return failure(
                "failed to compute desired number of replicas based on listed metrics for " +
                reference + ": " + metrics.error->message());
        }
        partialError = metrics.error;  // some metrics work: scale on them, report the rest
        std::string rescaleMetric;
        if (metrics.replicas > desiredReplicas) {
            desiredReplicas = metrics.replicas;
            rescaleMetric = metrics.metricName;
        }
        if (desiredReplicas > currentReplicas) {
            rescaleReason = rescaleMetric + " above target";
        }
        if (desiredReplicas < currentReplicas) {
            rescaleReason = "All metrics below target";
        }
        desiredReplicas =
            normalizeDesiredReplicas(hpa, key, currentReplicas, desiredReplicas, minReplicas);
        rescale = desiredReplicas != currentReplicas;
    }

    if (rescale) {
        scale["spec"]["replicas"] = desiredReplicas;
        auto updated = m_client.update(scaleRef, scale);
        if (!updated) {
            const std::string message = updated.error().message();
            event(hpa, client::EventRecorder::kWarning, "FailedRescale",
                  "New size: " + std::to_string(desiredReplicas) + "; reason: " + rescaleReason +
                      "; error: " + message);
            setCondition(hpa, "AbleToScale", "False", "FailedUpdateScale",
                         "the HPA controller was unable to update the target scale: " + message);
            json& status = hpa["status"];
            status["currentReplicas"] = currentReplicas;
            if (!status.contains("desiredReplicas")) {
                status["desiredReplicas"] = 0;
            }
            if (!statuses.empty()) {
                status["currentMetrics"] = statuses;
            }
            if (auto written = updateStatusIfNeeded(original, hpa); !written) {
                return written;
            }
            return failure("failed to rescale " + reference + ": " + message);
        }
        setCondition(hpa, "AbleToScale", "True", "SucceededRescale",
                     "the HPA controller was able to update the target scale to " +
                         std::to_string(desiredReplicas));
        event(hpa, client::EventRecorder::kNormal, "SuccessfulRescale",
              "New size: " + std::to_string(desiredReplicas) + "; reason: " + rescaleReason);
        if (const auto behavior = ScalingBehavior::fromSpec(spec)) {
            const std::lock_guard lock(m_mutex);
            podautoscaler::storeScaleEvent(m_history[key], *behavior, currentReplicas,
                                           desiredReplicas, now());
        }
        spdlog::info("horizontal-pod-autoscaler {}: scaled {} from {} to {} ({})", key, reference,
                     currentReplicas, desiredReplicas, rescaleReason);
    } else {
        desiredReplicas = currentReplicas;
    }

    json& status = hpa["status"];
    status["currentReplicas"] = currentReplicas;
    status["desiredReplicas"] = desiredReplicas;
    if (statuses.empty()) {
        status.erase("currentMetrics");
    } else {
        status["currentMetrics"] = statuses;
    }
    if (rescale) {
        status["lastScaleTime"] = core::formatTimestamp(now());
    }
    if (auto updated = updateStatusIfNeeded(original, hpa); !updated) {
        return updated;
    }
    if (partialError) {
        return *partialError;
    }
    return {};
}

HorizontalController::MetricsResult HorizontalController::computeReplicasForMetrics(
    json& hpa, const json& scale) {
    MetricsResult result;
    const std::string selector = stringAt(at(scale, "status"), "selector");
    if (selector.empty()) {
        const std::string message = "selector is required";
        event(hpa, client::EventRecorder::kWarning, "SelectorRequired", message);
        setCondition(hpa, "ScalingActive", "False", "InvalidSelector",
                     "the HPA target's scale is missing a selector");
        result.error = failure(message);
        return result;
    }
    if (auto parsed = core::LabelSelector::parse(selector); !parsed) {
        const std::string message =
            "couldn't convert selector into a corresponding internal selector object: " +
            parsed.error().message();
        event(hpa, client::EventRecorder::kWarning, "InvalidSelector", message);
        setCondition(hpa, "ScalingActive", "False", "InvalidSelector", message);
        result.error = failure(message);
        return result;
    }
    const std::int32_t specReplicas = intAt(at(scale, "spec"), "replicas", 0);
    const json& specs = at(at(hpa, "spec"), "metrics");
    const std::size_t count = specs.is_array() ? specs.size() : 0;

    std::int32_t replicas = 0;
    std::string metric;
    std::size_t invalid = 0;
    std::optional<core::Error> firstError;
    std::string conditionReason;
    std::string conditionMessage;
    for (std::size_t i = 0; i < count; ++i) {
        // A metric that fails leaves an empty status, as kube's zero MetricStatus.
        json status = {{"type", ""}};
        MetricFailure metricFailure;
        auto proposal =
            computeReplicasForMetric(hpa, specs[i], specReplicas, selector, status, metricFailure);
        result.statuses.push_back(std::move(status));
        if (!proposal) {
            if (invalid == 0) {
                firstError = proposal.error();
                conditionReason = metricFailure.reason;
                conditionMessage =
                    "the HPA was unable to compute the replica count: " + metricFailure.message;
            }
            ++invalid;
            continue;
        }
        if (replicas == 0 || proposal->first > replicas) {
            replicas = proposal->first;
            metric = proposal->second;
        }
    }
    if (firstError) {
        result.error =
            failure("invalid metrics (" + std::to_string(invalid) + " invalid out of " +
                    std::to_string(count) + "), first error is: " + firstError->message());
    }
    // All metrics failed, or some did and the rest would scale down: do nothing.
    if (count > 0 && (invalid >= count || (invalid > 0 && replicas < specReplicas))) {
        setCondition(hpa, "ScalingActive", "False", conditionReason, conditionMessage);
        result.replicas = -1;
        return result;
    }
    setCondition(hpa, "ScalingActive", "True", "ValidMetricFound",
                 "the HPA was able to successfully calculate a replica count from " + metric);
    result.replicas = replicas;
    result.metricName = metric;
    return result;
}

core::Result<std::pair<std::int32_t, std::string>> HorizontalController::computeReplicasForMetric(
    const json& hpa, const json& spec, std::int32_t specReplicas, const std::string& selector,
    json& status, MetricFailure& metricFailure) {
    const std::string type = stringAt(spec, "type");
    const std::string nameSpace = stringAt(at(hpa, "metadata"), "namespace");
    const bool containerResource = type == "ContainerResource";
    if (type != "Resource" && !containerResource) {
        // Pods, Object and External metrics come from the custom and external metrics APIs,
        // which nothing serves here.
        std::string lower = type;
        for (char& c : lower) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        metricFailure.reason =
            type.empty() ? "InvalidMetricSourceType" : "FailedGet" + type + "Metric";
        const std::string message =
            type.empty() ? "unknown metric source type \"\""
                         : "failed to get " + lower +
                               " metric value: unable to get metric: no custom or external "
                               "metrics API is served by this cluster";
        metricFailure.message = message;
        event(hpa, client::EventRecorder::kWarning, metricFailure.reason, message);
        return failure(message);
    }
    const json& source = at(spec, containerResource ? "containerResource" : "resource");
    const std::string resource = stringAt(source, "name");
    const std::string container = containerResource ? stringAt(source, "container") : "";
    const json& target = at(source, "target");
    metricFailure.reason =
        containerResource ? "FailedGetContainerResourceMetric" : "FailedGetResourceMetric";
    const std::string outer = containerResource
                                  ? "failed to get " + resource + " container metric value: "
                                  : "failed to get " + resource + " resource metric value: ";
    const auto failed =
        [&](const std::string& message) -> core::Result<std::pair<std::int32_t, std::string>> {
        metricFailure.message = message;
        event(hpa, client::EventRecorder::kWarning, metricFailure.reason, message);
        return failure(outer + message);
    };

    // The pods' usage from the resource metrics API, as kube's metrics client reads it.
    podautoscaler::PodMetricsInfo metrics;
    std::optional<std::string> metricsError;
    client::ListOptions options;
    options.labelSelector = selector;
    auto list = m_client.list(kPodMetrics.in(nameSpace), options);
    if (!list) {
        metricsError =
            "unable to fetch metrics from resource metrics API: " + list.error().message();
    } else if (list->items.empty()) {
        metricsError = "no metrics returned from resource metrics API";
    } else {
        json document = {{"items", std::move(list->items)}};
        metrics = podautoscaler::podMetricsFromList(document, resource, container);
    }
    std::vector<json> pods;
    if (!metricsError) {
        auto parsed = core::LabelSelector::parse(selector);
        for (const auto& pod : m_pods.lister().list(nameSpace, *parsed)) {
            pods.push_back(*pod);
        }
    }

    const std::string metricsFailure =
        metricsError ? "unable to get metrics for resource " + resource + ": " + *metricsError
                     : std::string();
    const json& averageValue = at(target, "averageValue");
    if (!averageValue.is_null()) {
        auto quantity = core::Quantity::fromJson(averageValue);
        if (!quantity) {
            return failed("failed to get " + resource + " usage: " + quantity.error().message());
        }
        if (metricsError) {
            return failed("failed to get " + resource + " usage: " + metricsFailure);
        }
        auto replicas =
            m_calculator.rawResourceReplicas(specReplicas, quantity->milliValue(), resource,
                                             container, pods, std::move(metrics), now());
        if (!replicas) {
            return failed("failed to get " + resource + " usage: " + replicas.error().message());
        }
        json current = {{"averageValue", core::Quantity::fromMilli(replicas->usage).toString()}};
        status =
            containerResource
                ? json{{"type", type},
                       {"containerResource",
                        {{"name", resource}, {"container", container}, {"current", current}}}}
                : json{{"type", type}, {"resource", {{"name", resource}, {"current", current}}}};
        return std::pair{replicas->replicas, resource + " resource"};
    }
    const json& averageUtilization = at(target, "averageUtilization");
    if (!averageUtilization.is_number_integer()) {
        return failed(
            "invalid resource metric source: neither an average utilization target nor an "
            "average value (usage) target was set");
    }
    if (metricsError) {
        return failed("failed to get " + resource + " utilization: " + metricsFailure);
    }
    auto replicas =
        m_calculator.resourceReplicas(specReplicas, averageUtilization.get<std::int32_t>(),
                                      resource, container, pods, std::move(metrics), now());
    if (!replicas) {
        return failed("failed to get " + resource + " utilization: " + replicas.error().message());
    }
    json current = {
        {"averageUtilization", replicas->utilization},
        {"averageValue", core::Quantity::fromMilli(replicas->rawUtilization).toString()}};
    status = containerResource
                 ? json{{"type", type},
                        {"containerResource",
                         {{"name", resource}, {"container", container}, {"current", current}}}}
                 : json{{"type", type}, {"resource", {{"name", resource}, {"current", current}}}};
    return std::pair{replicas->replicas, resource + (containerResource ? " container" : "") +
                                             " resource utilization (percentage of request)"};
}

std::int32_t HorizontalController::normalizeDesiredReplicas(json& hpa, const std::string& key,
                                                            std::int32_t current,
                                                            std::int32_t desired,
                                                            std::int32_t minReplicas) {
    const json& spec = at(hpa, "spec");
    const std::int32_t maxReplicas = intAt(spec, "maxReplicas", 1);
    auto behavior = ScalingBehavior::fromSpec(spec);
    const auto time = now();
    ScalingHistory history;
    {
        const std::lock_guard lock(m_mutex);
        history = m_history[key];
    }
    std::int32_t stabilized = 0;
    LimitedReplicas limited;
    if (!behavior) {
        stabilized = podautoscaler::stabilizeRecommendation(
            history, desired, m_options.downscaleStabilizationWindow, time);
        if (stabilized != desired) {
            setCondition(hpa, "AbleToScale", "True", "ScaleDownStabilized",
                         "recent recommendations were higher than current one, applying the "
                         "highest recent recommendation");
        } else {
            setCondition(hpa, "AbleToScale", "True", "ReadyForNewScale",
                         "recommended size matches current size");
        }
        limited = podautoscaler::convertDesiredReplicasWithRules(current, stabilized, minReplicas,
                                                                 maxReplicas);
    } else {
        if (!behavior->scaleDown.stabilizationWindowSeconds) {
            behavior->scaleDown.stabilizationWindowSeconds =
                static_cast<std::int32_t>(m_options.downscaleStabilizationWindow.count());
        }
        NormalizationArgs args{*behavior, minReplicas, maxReplicas, current, desired};
        const auto result =
            podautoscaler::stabilizeRecommendationWithBehaviors(history, args, time);
        stabilized = result.replicas;
        if (stabilized != desired) {
            setCondition(hpa, "AbleToScale", "True", result.reason, result.message);
        } else {
            setCondition(hpa, "AbleToScale", "True", "ReadyForNewScale",
                         "recommended size matches current size");
        }
        args.desiredReplicas = stabilized;
        limited = podautoscaler::convertDesiredReplicasWithBehaviorRate(history, args, time);
    }
    setCondition(hpa, "ScalingLimited", limited.replicas == stabilized ? "False" : "True",
                 limited.reason, limited.message);
    {
        const std::lock_guard lock(m_mutex);
        auto& stored = m_history[key];
        stored.recommendations = std::move(history.recommendations);
    }
    return limited.replicas;
}

}  // namespace slipway::controllers
