// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/client/client.h"
#include "engine/client/resource_ref.h"

namespace slipway::client {

/// One resource a server serves, as its discovery document describes it (an APIResource).
struct ApiResource {
    std::string group;     ///< "" for core
    std::string version;   ///< "v1"
    std::string resource;  ///< plural: "deployments"
    std::string kind;      ///< "Deployment"
    bool namespaced = true;
    std::vector<std::string> verbs;

    bool allows(std::string_view verb) const;
    /// "v1" or "apps/v1".
    std::string apiVersion() const { return group.empty() ? version : group + "/" + version; }
    /// The collection, in `nameSpace` ("" = all namespaces, or a cluster-scoped resource).
    ResourceRef ref(std::string nameSpace = {}) const {
        return ResourceRef(group, version, resource, std::move(nameSpace));
    }
};

/// Every resource (not subresources) of the preferred version of every group the server
/// serves, read through the legacy discovery documents (/api, /api/v1, /apis,
/// /apis/GROUP/VERSION) that every Kubernetes API server answers: client-go's
/// ServerPreferredResources. The namespace and garbage-collector controllers learn from it
/// what to delete and watch, including custom resources.
core::Result<std::vector<ApiResource>> discoverPreferredResources(const Client& client);

}  // namespace slipway::client
