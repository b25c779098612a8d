// SPDX-License-Identifier: Apache-2.0
#include "vm/image_loader.h"

#include <chrono>
#include <system_error>

#include <nlohmann/json.hpp>

#include "engine/client/https_client.h"
#include "engine/client/resource_ref.h"
#include "engine/client/status_error.h"
#include "vm/client_config.h"

namespace slipway::vm {
namespace {

using nlohmann::json;

/// Simulated nodes (slipwayd --sim-nodes) carry type=sim: they run nothing.
bool simulated(const json& node) {
    const auto labels = node.value("/metadata/labels"_json_pointer, json::object());
    return labels.is_object() && labels.value("type", std::string()) == "sim";
}

}  // namespace

core::Result<std::vector<LoadedImage>> loadImage(
    const std::filesystem::path& kubeconfig, const std::filesystem::path& archive,
    const std::function<void(const std::string&)>& progress) {
    std::error_code error;
    const auto size = std::filesystem::file_size(archive, error);
    if (error) {
        return core::Error(core::ErrorCode::BadRequest,
                           "reading " + archive.string() + ": " + error.message());
    }
    auto config = clientConfigFrom(kubeconfig);
    if (!config) {
        return config.error();
    }
    const client::HttpsClient api(*config);
    auto nodes = api.list(client::ResourceRef("", "v1", "nodes"));
    if (!nodes) {
        return nodes.error();
    }
    std::vector<LoadedImage> images;
    int realNodes = 0;
    for (const auto& node : nodes->items) {
        const auto name = node.value("/metadata/name"_json_pointer, std::string());
        if (name.empty() || simulated(node)) {
            continue;
        }
        ++realNodes;
        if (progress) {
            progress("node " + name + ": loading " + archive.filename().string() + " (" +
                     std::to_string((size + 1024 * 1024 - 1) / (1024 * 1024)) + " MiB)");
        }
        client::Request request("POST", "/api/v1/nodes/" + name + "/proxy/images/load");
        request.bodyFile = archive;
        request.contentType = "application/x-tar";
        // Unpacking and verifying layers takes a while on a slow (TCG) guest.
        request.timeout = std::chrono::minutes(10);
        auto answer = api.send(request);
        if (!answer) {
            return core::Error(answer.error().code(),
                               "node " + name + ": " + answer.error().message());
        }
        if (answer->status < 200 || answer->status >= 300) {
            const auto refused = client::errorFromStatus(answer->status, answer->body);
            return core::Error(refused.code(), "node " + name + ": " + refused.message());
        }
        const auto body = json::parse(answer->body, nullptr, false);
        if (body.is_discarded() || !body.contains("images") || !body["images"].is_array()) {
            return core::Error(core::ErrorCode::Internal,
                               "node " + name + " answered without a list of images");
        }
        for (const auto& image : body["images"]) {
            LoadedImage item;
            item.node = name;
            item.id = image.value("id", std::string());
            item.repoTags = image.value("repoTags", std::vector<std::string>());
            images.push_back(std::move(item));
        }
    }
    if (realNodes == 0) {
        return core::Error(core::ErrorCode::Unavailable,
                           "the cluster has no node that runs containers yet");
    }
    return images;
}

}  // namespace slipway::vm
