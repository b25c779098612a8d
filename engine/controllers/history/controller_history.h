// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/client/client.h"
#include "engine/client/indexer.h"
#include "engine/core/result.h"

namespace slipway::controllers::history {

/// The label naming the revision a pod was made from.
inline constexpr const char* kRevisionHashLabel = "controller-revision-hash";

/// A short, stable hash of a pod template and the owner's collisionCount, in the alphabet
/// Kubernetes uses for generated names (no vowels, no look-alike digits): the suffix of a
/// ControllerRevision's name and the value of controller-revision-hash.
std::string templateHash(const nlohmann::json& podTemplate, std::int64_t collisionCount);

/// The revision history of a DaemonSet or StatefulSet, as kube's controller history keeps it:
/// one apps/v1 ControllerRevision per distinct template, named `<owner>-<hash>`, owned by the
/// workload, holding `{"spec":{"template":{…,"$patch":"replace"}}}` (what `kubectl rollout
/// undo` applies) and a revision number.
struct Revision {
    std::string name;
    std::string hash;
    std::int64_t number = 0;
};

/// The current revision of `owner` (kind "DaemonSet" or "StatefulSet") among `existing` (its
/// ControllerRevisions): found by the hash of spec.template, or created with the next number.
/// A template seen before (a rollback) gets the next number again, as kube renumbers it.
core::Result<Revision> ensureCurrentRevision(const client::Client& client,
                                             const std::vector<client::ObjectPtr>& existing,
                                             const nlohmann::json& owner,
                                             const std::string& ownerKind);

/// Deletes the oldest of `existing` whose hash no pod uses (`hashesInUse`) beyond `limit`
/// (revisionHistoryLimit). Failures are left for the next sync.
void pruneRevisions(const client::Client& client, const std::vector<client::ObjectPtr>& existing,
                    const std::set<std::string>& hashesInUse, std::int64_t limit);

/// An ownerReference naming `owner` as controller (blockOwnerDeletion set), for what a
/// controller creates.
nlohmann::json controllerReference(const nlohmann::json& owner, const std::string& apiVersion,
                                   const std::string& kind);

}  // namespace slipway::controllers::history
