// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/history/controller_history.h"

#include <algorithm>
#include <string_view>

#include "engine/api/json_fields.h"

namespace slipway::controllers::history {

namespace {

using api::detail::intAt;
using api::detail::objectAt;
using api::detail::stringAt;
using nlohmann::json;

}  // namespace

std::string templateHash(const json& podTemplate, std::int64_t collisionCount) {
    std::uint32_t hash = 2166136261U;  // FNV-1a, as Kubernetes' ComputeHash
    const auto feed = [&hash](std::string_view bytes) {
        for (const char c : bytes) {
            hash ^= static_cast<unsigned char>(c);
            hash *= 16777619U;
        }
    };
    feed(podTemplate.dump());
    if (collisionCount > 0) {
        feed(std::to_string(collisionCount));
    }
    static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    std::string encoded;
    for (std::uint32_t rest = hash; rest > 0 || encoded.empty();
         rest /= static_cast<std::uint32_t>(kAlphabet.size())) {
        encoded += kAlphabet[rest % kAlphabet.size()];
    }
    return encoded;
}

json controllerReference(const json& owner, const std::string& apiVersion,
                         const std::string& kind) {
    return {{"apiVersion", apiVersion},
            {"kind", kind},
            {"name", stringAt(owner, {"metadata", "name"})},
            {"uid", stringAt(owner, {"metadata", "uid"})},
            {"controller", true},
            {"blockOwnerDeletion", true}};
}

core::Result<Revision> ensureCurrentRevision(const client::Client& client,
                                             const std::vector<client::ObjectPtr>& existing,
                                             const json& owner, const std::string& ownerKind) {
    const std::string nameSpace = stringAt(owner, {"metadata", "namespace"});
    const std::string ownerName = stringAt(owner, {"metadata", "name"});
    const json& podTemplate = objectAt(owner, {"spec", "template"});
    const client::ResourceRef revisionsRef =
        client::ResourceRef("apps", "v1", "controllerrevisions").in(nameSpace);

    Revision revision;
    revision.hash = templateHash(podTemplate, intAt(owner, {"status", "collisionCount"}));
    revision.name = ownerName + "-" + revision.hash;
    std::int64_t highest = 0;
    client::ObjectPtr found;
    for (const auto& candidate : existing) {
        highest = std::max(highest, intAt(*candidate, {"revision"}));
        if (stringAt(*candidate, {"metadata", "name"}) == revision.name) {
            found = candidate;
        }
    }
    if (found) {
        revision.number = intAt(*found, {"revision"});
        if (revision.number < highest) {
            auto bumped = client.patch(revisionsRef.named(revision.name), client::PatchType::Merge,
                                       json{{"revision", highest + 1}});
            if (!bumped) {
                return bumped.error();
            }
            revision.number = highest + 1;
        }
        return revision;
    }

    json templatePatch = podTemplate;
    templatePatch["$patch"] = "replace";
    json labels = objectAt(podTemplate, {"metadata", "labels"});
    labels[kRevisionHashLabel] = revision.hash;
    json object = {
        {"apiVersion", "apps/v1"},
        {"kind", "ControllerRevision"},
        {"metadata",
         {{"name", revision.name},
          {"namespace", nameSpace},
          {"labels", labels},
          {"ownerReferences", json::array({controllerReference(owner, "apps/v1", ownerKind)})}}},
        {"data", {{"spec", {{"template", templatePatch}}}}},
        {"revision", highest + 1},
    };
    // The owner's annotations (kubernetes.io/change-cause) show in `kubectl rollout history`.
    json annotations = objectAt(owner, {"metadata", "annotations"});
    annotations.erase("kubectl.kubernetes.io/last-applied-configuration");
    annotations.erase("deprecated.daemonset.template.generation");
    if (!annotations.empty()) {
        object["metadata"]["annotations"] = annotations;
    }
    auto created = client.create(revisionsRef, object);
    if (!created) {
        return created.error();  // AlreadyExists: the informer will show it; retried
    }
    revision.number = highest + 1;
    return revision;
}

void pruneRevisions(const client::Client& client, const std::vector<client::ObjectPtr>& existing,
                    const std::set<std::string>& hashesInUse, std::int64_t limit) {
    std::vector<client::ObjectPtr> unused;
    for (const auto& revision : existing) {
        if (!hashesInUse.contains(
                stringAt(*revision, {"metadata", "labels", kRevisionHashLabel}))) {
            unused.push_back(revision);
        }
    }
    if (static_cast<std::int64_t>(unused.size()) <= limit) {
        return;
    }
    std::sort(unused.begin(), unused.end(), [](const auto& a, const auto& b) {
        return intAt(*a, {"revision"}) < intAt(*b, {"revision"});
    });
    const auto excess = unused.size() - static_cast<std::size_t>(std::max<std::int64_t>(limit, 0));
    for (std::size_t i = 0; i < excess; ++i) {
        (void)client.remove(client::ResourceRef("apps", "v1", "controllerrevisions")
                                .in(stringAt(*unused[i], {"metadata", "namespace"}))
                                .named(stringAt(*unused[i], {"metadata", "name"})));
    }
}

}  // namespace slipway::controllers::history
