// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include "engine/apiserver/router.h"

namespace slipway::api {
class KindRegistry;
}

namespace slipway::apiserver {

/// The OpenAPI v3 documents kubectl reads before `create -f` and `apply` with its default
/// `--validate=strict` (kubectl-wire.md section 4): the index at /openapi/v3 naming one
/// document per group-version, and each document with, for every kind, the item path whose
/// `patch` operation carries `x-kubernetes-group-version-kind` and a `fieldValidation`
/// parameter. Seeing them, kubectl leaves field validation to the server
/// (fieldValidation=Strict) instead of failing with "failed to download openapi".
class OpenApi {
public:
    explicit OpenApi(const api::KindRegistry& registry) : m_registry(registry) {}

    /// Answers GET /openapi/v3 and /openapi/v3/{api/v1|apis/group/version}; 404 otherwise.
    HttpResponse handle(const std::string& path) const;

private:
    const api::KindRegistry& m_registry;
};

}  // namespace slipway::apiserver
