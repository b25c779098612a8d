// SPDX-License-Identifier: Apache-2.0
#include "engine/store/continue_token.h"

#include <charconv>

namespace slipway::store::detail {

namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";

int hexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

core::Error invalid(std::string_view text) {
    return core::Error(core::ErrorCode::BadRequest,
                       "invalid continue token \"" + std::string(text.substr(0, 64)) +
                           "\"; pass back the token of the previous page unchanged");
}

}  // namespace

std::string encodeContinueToken(const ContinueToken& token) {
    std::string text = std::to_string(token.revision);
    text.reserve(text.size() + 1 + 2 * token.lastKey.size());
    text.push_back('.');
    for (const char c : token.lastKey) {
        const auto byte = static_cast<unsigned char>(c);
        text.push_back(kHexDigits[byte >> 4U]);
        text.push_back(kHexDigits[byte & 0x0FU]);
    }
    return text;
}

core::Result<ContinueToken> decodeContinueToken(std::string_view text) {
    const auto dot = text.find('.');
    if (dot == std::string_view::npos || dot == 0) {
        return invalid(text);
    }
    ContinueToken token;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + dot, token.revision);
    if (ec != std::errc() || end != text.data() + dot || token.revision <= 0) {
        return invalid(text);
    }
    const std::string_view hex = text.substr(dot + 1);
    if (hex.empty() || hex.size() % 2 != 0) {
        return invalid(text);
    }
    token.lastKey.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int high = hexValue(hex[i]);
        const int low = hexValue(hex[i + 1]);
        if (high < 0 || low < 0) {
            return invalid(text);
        }
        token.lastKey.push_back(static_cast<char>((high << 4) | low));
    }
    return token;
}

}  // namespace slipway::store::detail
