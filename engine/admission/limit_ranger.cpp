// SPDX-License-Identifier: Apache-2.0
#include "engine/admission/limit_ranger.h"

#include <cstdio>
#include <map>
#include <optional>

#include "engine/admission/quota.h"
#include "engine/api/json_fields.h"
#include "engine/core/quantity.h"

namespace slipway::admission {

namespace {

using api::detail::arrayAt;
using api::detail::objectAt;
using api::detail::stringAt;
using nlohmann::json;

std::optional<core::Quantity> quantityIn(const json& list, const std::string& resource) {
    if (!list.is_object() || !list.contains(resource)) {
        return std::nullopt;
    }
    auto parsed = core::Quantity::fromJson(list[resource]);
    return parsed ? std::optional<core::Quantity>(*parsed) : std::nullopt;
}

/// Every limit item of `type` across the namespace's LimitRanges.
std::vector<json> itemsOfType(const std::vector<json>& limitRanges, const std::string& type) {
    std::vector<json> items;
    for (const auto& range : limitRanges) {
        for (const auto& item : arrayAt(range, {"spec", "limits"})) {
            if (item.value("type", "") == type) {
                items.push_back(item);
            }
        }
    }
    return items;
}

/// kube's minConstraint / maxConstraint / limitRequestRatioConstraint for one resource.
void check(std::vector<std::string>& violations, const json& item, const std::string& type,
           const std::string& resource, const std::optional<core::Quantity>& request,
           const std::optional<core::Quantity>& limit) {
    if (auto minimum = quantityIn(item.value("min", json()), resource)) {
        if (!request) {
            violations.push_back("minimum " + resource + " usage per " + type + " is " +
                                 minimum->toString() + ".  No request is specified");
        } else if (*request < *minimum) {
            violations.push_back("minimum " + resource + " usage per " + type + " is " +
                                 minimum->toString() + ", but request is " + request->toString());
        }
    }
    if (auto maximum = quantityIn(item.value("max", json()), resource)) {
        if (!limit) {
            violations.push_back("maximum " + resource + " usage per " + type + " is " +
                                 maximum->toString() + ".  No limit is specified");
        } else if (*limit > *maximum) {
            violations.push_back("maximum " + resource + " usage per " + type + " is " +
                                 maximum->toString() + ", but limit is " + limit->toString());
        }
    }
    if (auto ratio = quantityIn(item.value("maxLimitRequestRatio", json()), resource)) {
        if (!request || !limit || request->milliValue() == 0) {
            violations.push_back(resource + " max limit to request ratio per " + type + " is " +
                                 ratio->toString() +
                                 ", but no request is specified or request is 0");
        } else {
            const double actual = static_cast<double>(limit->milliValue()) /
                                  static_cast<double>(request->milliValue());
            if (actual > static_cast<double>(ratio->milliValue()) / 1000.0) {
                char text[32];
                std::snprintf(text, sizeof text, "%f", actual);
                violations.push_back("maximum " + resource + " limit to request ratio per " + type +
                                     " is " + ratio->toString() + ", but provided ratio is " +
                                     text);
            }
        }
    }
}

std::vector<std::string> resourcesNamed(const json& item) {
    std::vector<std::string> names;
    for (const char* field : {"min", "max", "maxLimitRequestRatio"}) {
        const json& list = objectAt(item, {field});
        if (list.is_object()) {
            for (const auto& [name, value] : list.items()) {
                (void)value;
                if (std::find(names.begin(), names.end(), name) == names.end()) {
                    names.push_back(name);
                }
            }
        }
    }
    return names;
}

}  // namespace

void applyLimitRangeDefaults(json& pod, const std::vector<json>& limitRanges) {
    const auto items = itemsOfType(limitRanges, "Container");
    if (items.empty()) {
        return;
    }
    std::vector<std::string> notes;
    for (const char* containersField : {"initContainers", "containers"}) {
        json* containers = api::detail::member(pod["spec"], containersField);
        if (containers == nullptr || !containers->is_array()) {
            continue;
        }
        for (auto& container : *containers) {
            json& resources = api::detail::ensureObject(container, "resources");
            json& limits = api::detail::ensureObject(resources, "limits");
            json& requests = api::detail::ensureObject(resources, "requests");
            std::vector<std::string> set;
            for (const auto& item : items) {
                const json& defaults = objectAt(item, {"default"});
                const json& defaultRequests = objectAt(item, {"defaultRequest"});
                for (const auto& [resource, value] : defaults.items()) {
                    if (!limits.contains(resource)) {
                        limits[resource] = value;
                        set.push_back(resource + " limit");
                    }
                }
                for (const auto& [resource, value] : defaultRequests.items()) {
                    if (!requests.contains(resource)) {
                        requests[resource] = value;
                        set.push_back(resource + " request");
                    }
                }
            }
            // A limit without a request: the request is the limit.
            for (const auto& [resource, value] : limits.items()) {
                if (!requests.contains(resource)) {
                    requests[resource] = value;
                    set.push_back(resource + " request");
                }
            }
            if (limits.empty()) {
                resources.erase("limits");
            }
            if (requests.empty()) {
                resources.erase("requests");
            }
            if (!set.empty()) {
                std::string list;
                for (const auto& entry : set) {
                    list += (list.empty() ? "" : ", ") + entry;
                }
                notes.push_back(list + " for " +
                                std::string(containersField == std::string("containers")
                                                ? "container "
                                                : "init container ") +
                                stringAt(container, {"name"}));
            }
        }
    }
    if (!notes.empty()) {
        std::string annotation = "LimitRanger plugin set: ";
        for (std::size_t i = 0; i < notes.size(); ++i) {
            annotation += (i == 0 ? "" : "; ") + notes[i];
        }
        pod["metadata"]["annotations"]["kubernetes.io/limit-ranger"] = annotation;
    }
}

std::vector<std::string> limitRangeViolations(const json& pod,
                                              const std::vector<json>& limitRanges) {
    std::vector<std::string> violations;
    for (const auto& item : itemsOfType(limitRanges, "Container")) {
        for (const auto& container : arrayAt(pod, {"spec", "containers"})) {
            for (const auto& resource : resourcesNamed(item)) {
                check(violations, item, "Container", resource,
                      quantityIn(objectAt(container, {"resources", "requests"}), resource),
                      quantityIn(objectAt(container, {"resources", "limits"}), resource));
            }
        }
    }
    const auto items = itemsOfType(limitRanges, "Pod");
    if (!items.empty()) {
        const auto totals = podResources(pod);
        const auto find = [](const std::map<std::string, core::Quantity>& list,
                             const std::string& resource) -> std::optional<core::Quantity> {
            const auto it = list.find(resource);
            return it == list.end() ? std::nullopt : std::optional<core::Quantity>(it->second);
        };
        for (const auto& item : items) {
            for (const auto& resource : resourcesNamed(item)) {
                check(violations, item, "Pod", resource, find(totals.requests, resource),
                      find(totals.limits, resource));
            }
        }
    }
    return violations;
}

std::vector<std::string> claimLimitViolations(const json& claim,
                                              const std::vector<json>& limitRanges) {
    std::vector<std::string> violations;
    for (const auto& item : itemsOfType(limitRanges, "PersistentVolumeClaim")) {
        const auto request =
            quantityIn(objectAt(claim, {"spec", "resources", "requests"}), "storage");
        if (auto minimum = quantityIn(item.value("min", json()), "storage");
            minimum && request && *request < *minimum) {
            violations.push_back("minimum storage usage per PersistentVolumeClaim is " +
                                 minimum->toString() + ", but request is " + request->toString());
        }
        if (auto maximum = quantityIn(item.value("max", json()), "storage");
            maximum && request && *request > *maximum) {
            violations.push_back("maximum storage usage per PersistentVolumeClaim is " +
                                 maximum->toString() + ", but request is " + request->toString());
        }
    }
    return violations;
}

}  // namespace slipway::admission
