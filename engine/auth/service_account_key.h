// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/core/result.h"

namespace slipway::auth {

/// The key the API server signs service-account tokens with: an EC P-256 key, so tokens are
/// ES256 JSON Web Tokens (RFC 7515/7519) as kube-apiserver issues them with an EC key.
/// Thread-safe once made (OpenSSL keys are safe to share for signing and verifying).
class ServiceAccountKey {
public:
    /// Loads the PEM private key at `path`, or creates one there (mode 0600) if it is missing.
    static core::Result<ServiceAccountKey> loadOrCreate(const std::filesystem::path& path);
    /// A new key held in memory only (tests).
    static core::Result<ServiceAccountKey> generate();
    /// A key from its PEM private key.
    static core::Result<ServiceAccountKey> fromPem(const std::string& privateKeyPem);

    /// The JWS "kid": base64url of the SHA-256 of the DER public key, as kube-apiserver.
    const std::string& keyId() const { return m_keyId; }
    std::string privateKeyPem() const;

    /// A compact JWS of `claims`: base64url(header).base64url(claims).base64url(R||S).
    core::Result<std::string> sign(const nlohmann::json& claims) const;
    /// The claims of a compact JWS signed by this key; Unauthorized when it is malformed,
    /// not ES256 or its signature does not verify. Claims are not checked here.
    core::Result<nlohmann::json> verify(std::string_view token) const;

private:
    explicit ServiceAccountKey(std::shared_ptr<void> key);

    std::shared_ptr<void> m_key;  ///< EVP_PKEY, opaque to keep OpenSSL out of the header
    std::string m_keyId;
};

/// base64url without padding (RFC 4648 §5), as JWTs use it.
std::string base64UrlEncode(std::string_view bytes);
core::Result<std::string> base64UrlDecode(std::string_view text);

}  // namespace slipway::auth
