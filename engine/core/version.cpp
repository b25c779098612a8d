// SPDX-License-Identifier: Apache-2.0
#include "engine/core/version.h"

#include "engine/core/build_info.h"

namespace slipway::core {

std::string slipwayVersion() {
    return detail::kSlipwayVersion;
}

std::string kubernetesGitVersion() {
    return std::string("v") + detail::kKubeMajor + "." + detail::kKubeMinor + "." +
           std::to_string(detail::kKubePatch) + "-slipway." + detail::kSlipwayVersion;
}

nlohmann::json versionInfo() {
    // Same fields as k8s.io/apimachinery/pkg/version.Info.
    return {
        {"major", detail::kKubeMajor},
        {"minor", detail::kKubeMinor},
        {"gitVersion", kubernetesGitVersion()},
        {"gitCommit", "unknown"},
        {"gitTreeState", "clean"},
        {"buildDate", "1970-01-01T00:00:00Z"},
        {"goVersion", "n/a"},
        {"compiler", "gcc"},
        {"platform", "linux/amd64"},
    };
}

}  // namespace slipway::core
