// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "engine/apiserver/router.h"

namespace slipway::api {
class KindRegistry;
}

namespace slipway::apiserver {

/// The OpenAPI documents of the served kinds, which kubectl reads for `explain`, for `apply`'s
/// patch metadata and, before `create -f` and `apply` with its default `--validate=strict`,
/// to learn that the server validates fields itself (kubectl-wire.md section 4):
/// - /openapi/v3: the index naming one document per group-version, with a `hash` parameter
///   (with the current hash a document is immutable; with a stale one, 301 to the current);
/// - /openapi/v3/{api/v1|apis/group/version}: that group-version's paths (every operation with
///   `x-kubernetes-group-version-kind` and a `fieldValidation` parameter) and the component
///   schemas of its kinds and everything they reference (api::BuiltinSchemas; an open schema
///   for kinds without one, such as custom resources);
/// - /openapi/v2: Swagger 2.0 of everything, in JSON only. kubectl asks for it with a protobuf
///   Accept when v3 is missing; a protobuf-only Accept gets 406, which client-go understands.
///
/// Documents are serialised once per registry state and cached; a group-version's cache entry
/// is rebuilt when its kinds change (CRDs come and go).
class OpenApi {
public:
    /// Builds the documents of the registry's current kinds, so that start-up pays for them.
    explicit OpenApi(const api::KindRegistry& registry);

    /// Answers GET /openapi/v3[/...] and /openapi/v2; 404 otherwise.
    HttpResponse handle(const HttpRequest& request) const;

private:
    struct Document {
        std::string fingerprint;  ///< the kinds it was built from
        std::string body;
        std::string hash;
    };

    /// The serialised document of one group-version path ("apis/apps/v1"), or null if the
    /// registry serves no such group-version.
    std::shared_ptr<const Document> v3Document(const std::string& path) const;
    std::shared_ptr<const Document> v2Document() const;

    const api::KindRegistry& m_registry;
    mutable std::mutex m_mutex;
    mutable std::map<std::string, std::shared_ptr<const Document>> m_v3;
    mutable std::shared_ptr<const Document> m_v2;
};

}  // namespace slipway::apiserver
