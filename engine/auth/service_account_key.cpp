// SPDX-License-Identifier: Apache-2.0
#include "engine/auth/service_account_key.h"

#include <array>
#include <system_error>
#include <vector>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "engine/core/atomic_file.h"
#include "engine/pki/certificates.h"

namespace slipway::auth {
namespace {

using nlohmann::json;

/// An ES256 signature is R and S, each a 32-byte big-endian integer (RFC 7518 §3.4), not
/// the DER ECDSA-Sig-Value OpenSSL produces and consumes.
constexpr std::size_t kCoordinateBytes = 32;

EVP_PKEY* pkeyOf(const std::shared_ptr<void>& key) {
    return static_cast<EVP_PKEY*>(key.get());
}

std::shared_ptr<void> wrap(EVP_PKEY* key) {
    return std::shared_ptr<void>(key, [](void* k) { EVP_PKEY_free(static_cast<EVP_PKEY*>(k)); });
}

core::Error unauthorized(const std::string& why) {
    return core::Error(core::ErrorCode::Unauthorized, why);
}

std::string sha256(std::string_view bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
    return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

/// DER ECDSA-Sig-Value → R||S.
core::Result<std::string> rawSignature(const std::vector<unsigned char>& der) {
    const unsigned char* cursor = der.data();
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size()));
    if (sig == nullptr) {
        return core::Error(core::ErrorCode::Internal, "cannot decode the ECDSA signature");
    }
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig, &r, &s);
    std::string raw(2 * kCoordinateBytes, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    const bool ok = BN_bn2binpad(r, out, kCoordinateBytes) == kCoordinateBytes &&
                    BN_bn2binpad(s, out + kCoordinateBytes, kCoordinateBytes) == kCoordinateBytes;
    ECDSA_SIG_free(sig);
    if (!ok) {
        return core::Error(core::ErrorCode::Internal, "cannot encode the ECDSA signature");
    }
    return raw;
}

/// R||S → DER ECDSA-Sig-Value; empty when `raw` has the wrong size.
std::vector<unsigned char> derSignature(std::string_view raw) {
    if (raw.size() != 2 * kCoordinateBytes) {
        return {};
    }
    const auto* in = reinterpret_cast<const unsigned char*>(raw.data());
    BIGNUM* r = BN_bin2bn(in, kCoordinateBytes, nullptr);
    BIGNUM* s = BN_bin2bn(in + kCoordinateBytes, kCoordinateBytes, nullptr);
    ECDSA_SIG* sig = ECDSA_SIG_new();
    if (r == nullptr || s == nullptr || sig == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(sig);
        return {};
    }
    unsigned char* der = nullptr;
    const int length = i2d_ECDSA_SIG(sig, &der);
    ECDSA_SIG_free(sig);
    if (length <= 0) {
        return {};
    }
    std::vector<unsigned char> result(der, der + length);
    OPENSSL_free(der);
    return result;
}

}  // namespace

std::string base64UrlEncode(std::string_view bytes) {
    std::string text = pki::base64Encode(std::string(bytes));
    while (!text.empty() && text.back() == '=') {
        text.pop_back();
    }
    for (char& c : text) {
        c = c == '+' ? '-' : (c == '/' ? '_' : c);
    }
    return text;
}

core::Result<std::string> base64UrlDecode(std::string_view text) {
    std::string standard(text);
    for (char& c : standard) {
        if (c == '+' || c == '/' || c == '=') {
            return core::Error(core::ErrorCode::BadRequest, "invalid base64url text");
        }
        c = c == '-' ? '+' : (c == '_' ? '/' : c);
    }
    if (standard.size() % 4 == 1) {
        return core::Error(core::ErrorCode::BadRequest, "invalid base64url length");
    }
    standard.append((4 - standard.size() % 4) % 4, '=');
    return pki::base64Decode(standard);
}

ServiceAccountKey::ServiceAccountKey(std::shared_ptr<void> key) : m_key(std::move(key)) {
    unsigned char* der = nullptr;
    const int length = i2d_PUBKEY(pkeyOf(m_key), &der);
    if (length > 0) {
        m_keyId = base64UrlEncode(sha256(std::string_view(reinterpret_cast<const char*>(der),
                                                          static_cast<std::size_t>(length))));
        OPENSSL_free(der);
    }
}

core::Result<ServiceAccountKey> ServiceAccountKey::generate() {
    EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    if (key == nullptr) {
        return core::Error(core::ErrorCode::Internal, "cannot generate an EC P-256 key");
    }
    return ServiceAccountKey(wrap(key));
}

core::Result<ServiceAccountKey> ServiceAccountKey::fromPem(const std::string& privateKeyPem) {
    BIO* bio = BIO_new_mem_buf(privateKeyPem.data(), static_cast<int>(privateKeyPem.size()));
    EVP_PKEY* key =
        bio != nullptr ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr;
    BIO_free(bio);
    if (key == nullptr) {
        return core::Error(core::ErrorCode::Invalid, "not a PEM private key");
    }
    if (!EVP_PKEY_is_a(key, "EC") || EVP_PKEY_get_bits(key) != 256) {
        EVP_PKEY_free(key);
        return core::Error(core::ErrorCode::Invalid, "not an EC P-256 key");
    }
    return ServiceAccountKey(wrap(key));
}

core::Result<ServiceAccountKey> ServiceAccountKey::loadOrCreate(const std::filesystem::path& path) {
    auto pem = core::readFile(path);
    if (pem) {
        auto key = fromPem(*pem);
        if (!key) {
            return key.error().wrap("service-account key " + path.string());
        }
        return key;
    }
    if (pem.error().code() != core::ErrorCode::NotFound) {
        return pem.error();
    }
    auto key = generate();
    if (!key) {
        return key.error();
    }
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (auto saved = core::writeFileAtomically(path, key->privateKeyPem(), 0600); !saved) {
        return saved.error().wrap("writing the service-account key");
    }
    return key;
}

std::string ServiceAccountKey::privateKeyPem() const {
    BIO* bio = BIO_new(BIO_s_mem());
    std::string pem;
    if (bio != nullptr &&
        PEM_write_bio_PrivateKey(bio, pkeyOf(m_key), nullptr, nullptr, 0, nullptr, nullptr) == 1) {
        char* data = nullptr;
        const long length = BIO_get_mem_data(bio, &data);
        pem.assign(data, static_cast<std::size_t>(length));
    }
    BIO_free(bio);
    return pem;
}

core::Result<std::string> ServiceAccountKey::sign(const json& claims) const {
    const json header = {{"alg", "ES256"}, {"kid", m_keyId}};
    const std::string signingInput =
        base64UrlEncode(header.dump()) + "." + base64UrlEncode(claims.dump());
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    std::vector<unsigned char> der;
    std::size_t length = 0;
    bool ok = context != nullptr &&
              EVP_DigestSignInit(context, nullptr, EVP_sha256(), nullptr, pkeyOf(m_key)) == 1 &&
              EVP_DigestSign(context, nullptr, &length,
                             reinterpret_cast<const unsigned char*>(signingInput.data()),
                             signingInput.size()) == 1;
    if (ok) {
        der.resize(length);
        ok = EVP_DigestSign(context, der.data(), &length,
                            reinterpret_cast<const unsigned char*>(signingInput.data()),
                            signingInput.size()) == 1;
        der.resize(length);
    }
    EVP_MD_CTX_free(context);
    if (!ok) {
        return core::Error(core::ErrorCode::Internal, "cannot sign the token");
    }
    auto raw = rawSignature(der);
    if (!raw) {
        return raw.error();
    }
    return signingInput + "." + base64UrlEncode(*raw);
}

core::Result<json> ServiceAccountKey::verify(std::string_view token) const {
    const auto firstDot = token.find('.');
    const auto lastDot = token.rfind('.');
    if (firstDot == std::string_view::npos || firstDot == lastDot ||
        token.find('.', firstDot + 1) != lastDot) {
        return unauthorized("malformed token");
    }
    const auto headerText = base64UrlDecode(token.substr(0, firstDot));
    const auto claimsText = base64UrlDecode(token.substr(firstDot + 1, lastDot - firstDot - 1));
    const auto signature = base64UrlDecode(token.substr(lastDot + 1));
    if (!headerText || !claimsText || !signature) {
        return unauthorized("malformed token");
    }
    const auto header = json::parse(*headerText, nullptr, false);
    if (!header.is_object() || header.value("alg", std::string()) != "ES256") {
        return unauthorized("unsupported token signature algorithm");
    }
    const auto der = derSignature(*signature);
    if (der.empty()) {
        return unauthorized("invalid token signature");
    }
    const std::string_view signingInput = token.substr(0, lastDot);
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    const bool verified =
        context != nullptr &&
        EVP_DigestVerifyInit(context, nullptr, EVP_sha256(), nullptr, pkeyOf(m_key)) == 1 &&
        EVP_DigestVerify(context, der.data(), der.size(),
                         reinterpret_cast<const unsigned char*>(signingInput.data()),
                         signingInput.size()) == 1;
    EVP_MD_CTX_free(context);
    if (!verified) {
        return unauthorized("invalid token signature");
    }
    auto claims = json::parse(*claimsText, nullptr, false);
    if (!claims.is_object()) {
        return unauthorized("malformed token claims");
    }
    return claims;
}

}  // namespace slipway::auth
