// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/replicaset/controller_utils.h"

#include "engine/core/timestamp.h"

namespace slipway::controllers {

using nlohmann::json;

namespace {

/// Expectations older than this are ignored (kube's ExpectationsTimeout): a lost watch event
/// must not block a controller forever.
constexpr std::chrono::minutes kExpectationsTimeout{5};

const json* readyCondition(const json& pod) {
    const auto status = pod.find("status");
    if (status == pod.end() || !status->is_object()) {
        return nullptr;
    }
    const auto conditions = status->find("conditions");
    if (conditions == status->end() || !conditions->is_array()) {
        return nullptr;
    }
    for (const auto& condition : *conditions) {
        if (condition.is_object() && condition.value("type", "") == "Ready") {
            return &condition;
        }
    }
    return nullptr;
}

}  // namespace

std::int64_t intAt(const json& object, const json::json_pointer& pointer, std::int64_t fallback) {
    if (!object.contains(pointer)) {
        return fallback;
    }
    const json& value = object.at(pointer);
    return value.is_number_integer() ? value.get<std::int64_t>() : fallback;
}

std::string stringAt(const json& object, const json::json_pointer& pointer) {
    if (!object.contains(pointer)) {
        return {};
    }
    const json& value = object.at(pointer);
    return value.is_string() ? value.get<std::string>() : std::string();
}

Clock::time_point creationTime(const json& object) {
    return core::parseTimestamp(stringAt(object, json::json_pointer("/metadata/creationTimestamp")))
        .value_or(Clock::time_point{});
}

bool isBeingDeleted(const json& object) {
    return !stringAt(object, json::json_pointer("/metadata/deletionTimestamp")).empty();
}

const json* controllerRefOf(const json& object) {
    const auto metadata = object.find("metadata");
    if (metadata == object.end() || !metadata->is_object()) {
        return nullptr;
    }
    const auto refs = metadata->find("ownerReferences");
    if (refs == metadata->end() || !refs->is_array()) {
        return nullptr;
    }
    for (const auto& ref : *refs) {
        if (ref.is_object() && ref.value("controller", false)) {
            return &ref;
        }
    }
    return nullptr;
}

json makeControllerRef(const json& owner, const std::string& apiVersion, const std::string& kind) {
    return {{"apiVersion", apiVersion},
            {"kind", kind},
            {"name", stringAt(owner, json::json_pointer("/metadata/name"))},
            {"uid", stringAt(owner, json::json_pointer("/metadata/uid"))},
            {"controller", true},
            {"blockOwnerDeletion", true}};
}

bool isPodReady(const json& pod) {
    const json* condition = readyCondition(pod);
    return condition != nullptr && condition->value("status", "") == "True";
}

std::optional<Clock::time_point> podReadyTime(const json& pod) {
    const json* condition = readyCondition(pod);
    if (condition == nullptr) {
        return std::nullopt;
    }
    return core::parseTimestamp(condition->value("lastTransitionTime", ""));
}

bool isPodAvailable(const json& pod, std::int64_t minReadySeconds, Clock::time_point now) {
    if (!isPodReady(pod)) {
        return false;
    }
    if (minReadySeconds <= 0) {
        return true;
    }
    const auto since = podReadyTime(pod);
    return since && *since + std::chrono::seconds(minReadySeconds) < now;
}

bool isPodActive(const json& pod) {
    const std::string phase = stringAt(pod, json::json_pointer("/status/phase"));
    return phase != "Succeeded" && phase != "Failed" && !isBeingDeleted(pod);
}

void ControllerExpectations::expectCreations(const std::string& key, std::int64_t count) {
    const std::lock_guard lock(m_mutex);
    m_expectations[key] = Expectation{count, {}, std::chrono::steady_clock::now()};
}

void ControllerExpectations::expectDeletions(const std::string& key,
                                             const std::vector<std::string>& podKeys) {
    const std::lock_guard lock(m_mutex);
    m_expectations[key] = Expectation{0, std::set<std::string>(podKeys.begin(), podKeys.end()),
                                      std::chrono::steady_clock::now()};
}

void ControllerExpectations::creationObserved(const std::string& key) {
    const std::lock_guard lock(m_mutex);
    if (auto it = m_expectations.find(key); it != m_expectations.end()) {
        --it->second.add;
    }
}

void ControllerExpectations::deletionObserved(const std::string& key, const std::string& podKey) {
    const std::lock_guard lock(m_mutex);
    if (auto it = m_expectations.find(key); it != m_expectations.end()) {
        it->second.deletions.erase(podKey);
    }
}

bool ControllerExpectations::satisfied(const std::string& key) const {
    const std::lock_guard lock(m_mutex);
    const auto it = m_expectations.find(key);
    if (it == m_expectations.end()) {
        return true;
    }
    const Expectation& expectation = it->second;
    if (expectation.add <= 0 && expectation.deletions.empty()) {
        return true;
    }
    return std::chrono::steady_clock::now() - expectation.setAt > kExpectationsTimeout;
}

void ControllerExpectations::remove(const std::string& key) {
    const std::lock_guard lock(m_mutex);
    m_expectations.erase(key);
}

core::Result<bool> claimObject(const client::Client& client, const client::ResourceRef& ref,
                               const json& object, const json& owner, const json& ownerRef,
                               const core::LabelSelector& selector,
                               const std::function<core::Result<void>()>& canAdopt) {
    const std::string ownerUid = ownerRef.value("uid", "");
    static const json kNoLabels = json::object();
    const json::json_pointer labelsPath("/metadata/labels");
    const bool selected =
        selector.matches(object.contains(labelsPath) ? object.at(labelsPath) : kNoLabels);
    const json* controllerRef = controllerRefOf(object);
    // The common case first, without building anything: ours and still selected.
    if (controllerRef != nullptr && selected && controllerRef->value("uid", "") == ownerUid) {
        return true;
    }
    const auto target = ref.in(stringAt(object, json::json_pointer("/metadata/namespace")))
                            .named(stringAt(object, json::json_pointer("/metadata/name")));
    json refs = object.contains(json::json_pointer("/metadata/ownerReferences"))
                    ? object.at(json::json_pointer("/metadata/ownerReferences"))
                    : json::array();
    const json precondition = {
        {"op", "test"},
        {"path", "/metadata/resourceVersion"},
        {"value", stringAt(object, json::json_pointer("/metadata/resourceVersion"))}};

    if (controllerRef != nullptr) {
        if (controllerRef->value("uid", "") != ownerUid) {
            return false;  // another controller's
        }
        if (selected) {
            return true;
        }
        if (isBeingDeleted(owner)) {
            return false;
        }
        // Ours but no longer selected: release it, dropping our reference.
        json kept = json::array();
        for (const auto& each : refs) {
            if (each.value("uid", "") != ownerUid) {
                kept.push_back(each);
            }
        }
        json patch = json::array();
        patch.push_back(precondition);
        patch.push_back({{"op", "add"}, {"path", "/metadata/ownerReferences"}, {"value", kept}});
        auto released = client.patch(target, client::PatchType::Json, patch);
        if (!released && released.error().code() != core::ErrorCode::NotFound) {
            return released.error();
        }
        return false;
    }

    // An orphan: adopt it if it is selected, nobody is being deleted, and the owner is still
    // the one we read.
    if (isBeingDeleted(owner) || !selected || isBeingDeleted(object)) {
        return false;
    }
    if (canAdopt) {
        if (auto allowed = canAdopt(); !allowed) {
            return allowed.error();
        }
    }
    refs.push_back(ownerRef);
    json patch = json::array();
    patch.push_back(precondition);
    patch.push_back({{"op", "add"}, {"path", "/metadata/ownerReferences"}, {"value", refs}});
    auto adopted = client.patch(target, client::PatchType::Json, patch);
    if (!adopted) {
        if (adopted.error().code() == core::ErrorCode::NotFound) {
            return false;
        }
        return adopted.error();
    }
    return true;
}

std::function<core::Result<void>()> recheckOwner(const client::Client& client,
                                                 client::ResourceRef ownerRef, std::string uid) {
    auto checked = std::make_shared<std::optional<core::Result<void>>>();
    return [&client, ownerRef = std::move(ownerRef), uid = std::move(uid),
            checked]() -> core::Result<void> {
        if (*checked) {
            return **checked;
        }
        auto fresh = client.get(ownerRef);
        core::Result<void> verdict;
        if (!fresh) {
            verdict = fresh.error();
        } else if (stringAt(*fresh, json::json_pointer("/metadata/uid")) != uid) {
            verdict = core::Error(core::ErrorCode::Conflict,
                                  "original " + ownerRef.describe() + " is gone: got uid " +
                                      stringAt(*fresh, json::json_pointer("/metadata/uid")) +
                                      ", wanted " + uid);
        } else if (isBeingDeleted(*fresh)) {
            verdict = core::Error(core::ErrorCode::Conflict,
                                  ownerRef.describe() + " has just been deleted");
        }
        *checked = verdict;
        return verdict;
    };
}

}  // namespace slipway::controllers
