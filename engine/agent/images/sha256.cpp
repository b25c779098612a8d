// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/images/sha256.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

#include <openssl/evp.h>

namespace slipway::agent::images::detail {

Sha256::Sha256() : m_ctx(EVP_MD_CTX_new()) {
    EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(m_ctx), EVP_sha256(), nullptr);
}

Sha256::~Sha256() {
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(m_ctx));
}

void Sha256::update(const void* data, std::size_t size) {
    EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(m_ctx), data, size);
}

std::string Sha256::digest() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(m_ctx), md.data(), &length);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "sha256:";
    for (unsigned int i = 0; i < length; ++i) {
        out += kHex[md[i] >> 4];
        out += kHex[md[i] & 0xf];
    }
    return out;
}

std::string sha256Digest(std::string_view data) {
    Sha256 hash;
    hash.update(data);
    return hash.digest();
}

core::Result<std::string> sha256File(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return core::Error(core::ErrorCode::Io,
                           "opening " + path.string() + ": " + std::strerror(errno));
    }
    Sha256 hash;
    std::array<char, 1 << 16> buffer{};
    while (in) {
        in.read(buffer.data(), buffer.size());
        hash.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) {
        return core::Error(core::ErrorCode::Io, "reading " + path.string());
    }
    return hash.digest();
}

}  // namespace slipway::agent::images::detail
