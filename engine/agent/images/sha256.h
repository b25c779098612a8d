// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace slipway::agent::images::detail {

/// Incremental SHA-256 (OpenSSL EVP) producing OCI digests ("sha256:<hex>").
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(const void* data, std::size_t size);
    void update(std::string_view data) { update(data.data(), data.size()); }
    /// "sha256:<64 hex>"; the hasher is finished afterwards.
    std::string digest();

private:
    void* m_ctx;
};

/// sha256 of a string, as a digest.
std::string sha256Digest(std::string_view data);

/// sha256 of a file's contents.
core::Result<std::string> sha256File(const std::filesystem::path& path);

/// The hex part of "sha256:<hex>".
inline std::string digestHex(std::string_view digest) {
    const auto colon = digest.find(':');
    return std::string(colon == std::string_view::npos ? digest : digest.substr(colon + 1));
}

}  // namespace slipway::agent::images::detail
