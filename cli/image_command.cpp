// SPDX-License-Identifier: Apache-2.0
// `slipway image load FILE`: a docker-archive or OCI-layout tarball into every node.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "vm/cluster_manager.h"
#include "vm/image_loader.h"

namespace slipway::cli {

int imageLoadCommand(vm::ClusterManager& manager, const GlobalOptions& global,
                     const std::string& file) {
    auto status = manager.status(global.cluster);
    if (!status) {
        std::cerr << "slipway: " << status.error().message() << "\n";
        return kExitError;
    }
    if (status->state != vm::ClusterState::Running || status->kubeconfigPath.empty()) {
        std::cerr << "slipway: cluster \"" << global.cluster
                  << "\" is not running (start it with: slipway start)\n";
        return kExitNotRunning;
    }
    const bool json = global.output == "json";
    auto loaded = vm::loadImage(status->kubeconfigPath, file, [json](const std::string& line) {
        if (!json) {
            std::cout << "* " << line << std::endl;
        }
    });
    if (!loaded) {
        std::cerr << "slipway: image load: " << loaded.error().message() << "\n";
        return kExitError;
    }
    if (json) {
        nlohmann::json images = nlohmann::json::array();
        for (const auto& image : *loaded) {
            images.push_back(
                {{"node", image.node}, {"id", image.id}, {"repoTags", image.repoTags}});
        }
        std::cout << nlohmann::json{{"images", images}}.dump(2) << "\n";
        return kExitOk;
    }
    for (const auto& image : *loaded) {
        std::string tags;
        for (const auto& tag : image.repoTags) {
            tags += (tags.empty() ? "" : ", ") + tag;
        }
        std::cout << "Loaded " << (tags.empty() ? image.id : tags) << " on " << image.node << "\n";
    }
    return kExitOk;
}

}  // namespace slipway::cli
