// SPDX-License-Identifier: Apache-2.0
// What the rollout model's and the rollout page's tests share: a Deployment to roll out, and
// how many pods a revision has in the model.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "gui/models/rollout_model.h"

namespace slipway::testing {

/// A Deployment of `replicas` pods of one container (`container`, `image`), labelled app=name,
/// with `changeCause` as its kubernetes.io/change-cause.
inline nlohmann::json rolloutDeployment(const std::string& name, int replicas,
                                        const std::string& image, const std::string& container,
                                        const std::string& changeCause) {
    const nlohmann::json spec = {{"name", container}, {"image", image}};
    return {{"apiVersion", "apps/v1"},
            {"kind", "Deployment"},
            {"metadata",
             {{"name", name},
              {"namespace", "default"},
              {"annotations", {{"kubernetes.io/change-cause", changeCause}}}}},
            {"spec",
             {{"replicas", replicas},
              {"selector", {{"matchLabels", {{"app", name}}}}},
              {"template",
               {{"metadata", {{"labels", {{"app", name}}}}},
                {"spec", {{"containers", nlohmann::json::array({spec})}}}}}}}};
}

/// How many pods the revision has now (0 when it has none).
inline int podsOfRevision(const gui::RolloutModel& model, long long revision) {
    for (const auto& group : model.revisionPods()) {
        if (group.revision == revision) {
            return static_cast<int>(group.pods.size());
        }
    }
    return 0;
}

}  // namespace slipway::testing
