// SPDX-License-Identifier: Apache-2.0
#include "engine/core/go_format.h"

namespace slipway::core {

std::string goQuote(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (const char c : s) {
        const auto byte = static_cast<unsigned char>(c);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (byte < 0x20 || byte == 0x7f) {
                    out.append("\\x").append(1, kHex[byte >> 4]).append(1, kHex[byte & 0xf]);
                } else {
                    out += c;
                }
        }
    }
    out += '"';
    return out;
}

std::string expandVariables(std::string_view text, const std::map<std::string, std::string>& env) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '$' || i + 1 >= text.size()) {
            out += text[i];
            continue;
        }
        if (text[i + 1] == '$') {
            out += '$';
            ++i;
            continue;
        }
        if (text[i + 1] == '(') {
            const auto close = text.find(')', i + 2);
            if (close != std::string_view::npos) {
                const std::string name(text.substr(i + 2, close - i - 2));
                const auto found = env.find(name);
                if (found != env.end()) {
                    out += found->second;
                } else {
                    out += text.substr(i, close - i + 1);
                }
                i = close;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

}  // namespace slipway::core
