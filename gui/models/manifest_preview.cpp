// SPDX-License-Identifier: Apache-2.0
#include "gui/models/manifest_preview.h"

#include <cstdint>
#include <memory>
#include <set>

namespace slipway::gui {

using nlohmann::json;

namespace {

std::string stringAt(const json& object, const json::json_pointer& pointer,
                     const std::string& fallback = {}) {
    if (object.contains(pointer) && object.at(pointer).is_string()) {
        return object.at(pointer).get<std::string>();
    }
    return fallback;
}

std::int64_t intAt(const json& object, const json::json_pointer& pointer, std::int64_t fallback) {
    if (object.contains(pointer) && object.at(pointer).is_number_integer()) {
        return object.at(pointer).get<std::int64_t>();
    }
    return fallback;
}

/// FNV-1a of `text`, for names that stay the same while the template does.
std::uint64_t fnv(const std::string& text) {
    std::uint64_t hash = 1469598103934665603ULL;
    for (const char c : text) {
        hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    return hash;
}

/// Characters Kubernetes uses for generated names (no vowels, no look-alikes).
std::string suffix(std::uint64_t value, std::size_t length) {
    static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    std::string out;
    for (std::size_t i = 0; i < length; ++i) {
        out += kAlphabet[value % (sizeof(kAlphabet) - 1)];
        value /= sizeof(kAlphabet) - 1;
    }
    return out;
}

json metadataOf(const std::string& name, const std::string& nameSpace, const std::string& kind) {
    return {{"name", name},
            {"namespace", nameSpace},
            {"uid", "preview/" + kind + "/" + nameSpace + "/" + name}};
}

json ownerRef(const std::string& kind, const std::string& name, const std::string& nameSpace) {
    return json::array({{{"kind", kind},
                         {"name", name},
                         {"uid", "preview/" + kind + "/" + nameSpace + "/" + name},
                         {"controller", true}}});
}

json podOf(const json& podTemplate, const std::string& name, const std::string& nameSpace,
           const std::string& ownerKind, const std::string& ownerName,
           const json& extraLabels = json::object()) {
    json metadata = metadataOf(name, nameSpace, "Pod");
    json labels = podTemplate.value("/metadata/labels"_json_pointer, json::object());
    if (!labels.is_object()) {
        labels = json::object();
    }
    labels.update(extraLabels);
    metadata["labels"] = labels;
    metadata["ownerReferences"] = ownerRef(ownerKind, ownerName, nameSpace);
    json spec = podTemplate.value("spec", json::object());
    if (!spec.is_object()) {
        spec = json::object();
    }
    return {{"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", metadata},
            {"spec", spec},
            {"status", {{"phase", "Pending"}}}};
}

}  // namespace

std::vector<std::pair<ResourceKind, json>> ManifestPreview::previewObjects(
    const std::vector<json>& objects) {
    std::vector<std::pair<ResourceKind, json>> out;
    std::set<std::string> namespaces;
    for (const json& object : objects) {
        if (!object.is_object()) {
            continue;
        }
        const std::string kind = object.value("kind", std::string());
        const std::string name = stringAt(object, "/metadata/name"_json_pointer);
        if (name.empty()) {
            continue;
        }
        const std::string nameSpace =
            stringAt(object, "/metadata/namespace"_json_pointer, "default");
        const json podTemplate = object.value("/spec/template"_json_pointer, json::object());
        json shown = object;
        shown["metadata"]["namespace"] = nameSpace;
        shown["metadata"]["uid"] = "preview/" + kind + "/" + nameSpace + "/" + name;
        shown.erase("status");
        if (kind == "Deployment" || kind == "ReplicaSet") {
            const std::int64_t replicas = intAt(object, "/spec/replicas"_json_pointer, 1);
            std::string owner = name;
            std::string ownerKind = kind;
            json extraLabels = json::object();
            if (kind == "Deployment") {
                out.emplace_back(ResourceKind::Deployment, shown);
                const std::string hash = suffix(
                    fnv(podTemplate.dump(-1, ' ', false, json::error_handler_t::replace)), 10);
                const std::string replicaSetName = name + "-" + hash;
                json metadata = metadataOf(replicaSetName, nameSpace, "ReplicaSet");
                metadata["ownerReferences"] = ownerRef("Deployment", name, nameSpace);
                out.emplace_back(ResourceKind::ReplicaSet,
                                 json{{"apiVersion", "apps/v1"},
                                      {"kind", "ReplicaSet"},
                                      {"metadata", metadata},
                                      {"spec", {{"replicas", replicas}}}});
                owner = replicaSetName;
                ownerKind = "ReplicaSet";
                extraLabels["pod-template-hash"] = hash;
            } else {
                out.emplace_back(ResourceKind::ReplicaSet, shown);
            }
            for (std::int64_t i = 0; i < std::min<std::int64_t>(replicas, 200); ++i) {
                const std::string podName = owner + "-" + suffix(fnv(owner + std::to_string(i)), 5);
                out.emplace_back(ResourceKind::Pod, podOf(podTemplate, podName, nameSpace,
                                                          ownerKind, owner, extraLabels));
            }
        } else if (kind == "StatefulSet") {
            out.emplace_back(ResourceKind::StatefulSet, shown);
            const std::int64_t replicas = intAt(object, "/spec/replicas"_json_pointer, 1);
            for (std::int64_t i = 0; i < std::min<std::int64_t>(replicas, 200); ++i) {
                out.emplace_back(ResourceKind::Pod,
                                 podOf(podTemplate, name + "-" + std::to_string(i), nameSpace,
                                       "StatefulSet", name));
            }
        } else if (kind == "DaemonSet") {
            out.emplace_back(ResourceKind::DaemonSet, shown);
        } else if (kind == "Job") {
            out.emplace_back(ResourceKind::Job, shown);
            const std::int64_t parallelism = intAt(object, "/spec/parallelism"_json_pointer, 1);
            for (std::int64_t i = 0; i < std::min<std::int64_t>(parallelism, 200); ++i) {
                out.emplace_back(
                    ResourceKind::Pod,
                    podOf(podTemplate, name + "-" + suffix(fnv(name + std::to_string(i)), 5),
                          nameSpace, "Job", name, {{"job-name", name}}));
            }
        } else if (kind == "Pod") {
            shown["status"] = {{"phase", "Pending"}};
            out.emplace_back(ResourceKind::Pod, shown);
        } else if (kind == "Service") {
            out.emplace_back(ResourceKind::Service, shown);
        } else {
            continue;
        }
        namespaces.insert(nameSpace);
    }
    for (const std::string& nameSpace : namespaces) {
        out.emplace_back(
            ResourceKind::Namespace,
            json{{"apiVersion", "v1"},
                 {"kind", "Namespace"},
                 {"metadata", {{"name", nameSpace}, {"uid", "preview/ns/" + nameSpace}}},
                 {"status", {{"phase", "Active"}}}});
    }
    return out;
}

ResourceEvents ManifestPreview::update(const std::vector<json>& objects) {
    std::map<std::string, std::pair<ResourceKind, json>> next;
    for (auto& [kind, object] : previewObjects(objects)) {
        std::string key = std::string(resourceKindName(kind)) + "/" +
                          stringAt(object, "/metadata/namespace"_json_pointer) + "/" +
                          stringAt(object, "/metadata/name"_json_pointer);
        next.emplace(std::move(key), std::make_pair(kind, std::move(object)));
    }
    ResourceEvents events;
    for (const auto& [key, shown] : m_shown) {
        if (next.find(key) == next.end()) {
            events.push_back({ResourceEvent::Type::Deleted, shown.first,
                              std::make_shared<const json>(shown.second)});
        }
    }
    for (const auto& [key, shown] : next) {
        const auto previous = m_shown.find(key);
        if (previous == m_shown.end()) {
            events.push_back({ResourceEvent::Type::Added, shown.first,
                              std::make_shared<const json>(shown.second)});
        } else if (previous->second.second != shown.second) {
            events.push_back({ResourceEvent::Type::Modified, shown.first,
                              std::make_shared<const json>(shown.second)});
        }
    }
    m_shown = std::move(next);
    return events;
}

}  // namespace slipway::gui
