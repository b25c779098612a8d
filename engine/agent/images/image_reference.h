// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace slipway::agent::images {

/// An image reference split into its parts and normalised as Docker and containerd do it:
///   "nginx"                      → docker.io/library/nginx:latest
///   "bitnami/redis:7"            → docker.io/bitnami/redis:7
///   "localhost:5000/app"         → localhost:5000/app:latest
///   "slipway.local/hello:1"      → slipway.local/hello:1
///   "nginx@sha256:<64 hex>"      → docker.io/library/nginx@sha256:<64 hex> (no tag added)
/// The first path component is a registry when it contains '.' or ':' or is "localhost";
/// "index.docker.io" is spelled "docker.io". Repositories must be lowercase.
struct ImageReference {
    std::string registry;    ///< "docker.io", "localhost:5000", "[::1]:5000", "slipway.local"
    std::string repository;  ///< "library/nginx"
    std::string tag;         ///< "latest"; empty when only a digest was given
    std::string digest;      ///< "sha256:<64 hex>" or empty

    /// "docker.io/library/nginx"
    std::string name() const;
    /// The full normalised form: name:tag, name@digest, or name:tag@digest.
    std::string str() const;
    /// "docker.io/library/nginx:latest"; empty when there is no tag.
    std::string tagged() const;
    /// "docker.io/library/nginx@sha256:…"; empty when there is no digest.
    std::string digested() const;
    /// The short form people type: "nginx:latest", "bitnami/redis:7", "slipway.local/hello:1".
    std::string familiar() const;

    friend bool operator==(const ImageReference&, const ImageReference&) = default;
};

/// Parses and normalises a reference; Invalid with Docker's wording on bad input
/// ("invalid reference format", "repository name must be lowercase").
core::Result<ImageReference> parseReference(std::string_view text);

/// parseReference(text).str(): "nginx" → "docker.io/library/nginx:latest".
core::Result<std::string> normalizeReference(std::string_view text);

/// True for "sha256:" followed by 64 lowercase hex digits.
bool isSha256Digest(std::string_view digest);

}  // namespace slipway::agent::images
