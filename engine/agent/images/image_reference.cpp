// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/images/image_reference.h"

#include <algorithm>
#include <cctype>

namespace slipway::agent::images {
namespace {

constexpr std::string_view kDefaultRegistry = "docker.io";
constexpr std::string_view kOfficialPrefix = "library/";

core::Error invalid(std::string message) {
    return core::Error(core::ErrorCode::Invalid, std::move(message));
}

bool isLowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// One path component: [a-z0-9]+ ((\.|_|__|-+) [a-z0-9]+)*
bool validPathComponent(std::string_view s) {
    if (s.empty() || !isLowerAlnum(s.front()) || !isLowerAlnum(s.back())) {
        return false;
    }
    for (std::size_t i = 0; i < s.size();) {
        if (isLowerAlnum(s[i])) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < s.size() && !isLowerAlnum(s[j])) {
            ++j;
        }
        const std::string_view sep = s.substr(i, j - i);
        const bool ok = sep == "." || sep == "_" || sep == "__" ||
                        std::all_of(sep.begin(), sep.end(), [](char c) { return c == '-'; });
        if (!ok) {
            return false;
        }
        i = j;
    }
    return true;
}

// A registry host: DNS labels separated by dots, or an IPv6 literal in brackets, with an
// optional :port.
bool validRegistry(std::string_view s) {
    if (s.empty()) {
        return false;
    }
    std::string_view host = s;
    std::string_view port;
    if (host.front() == '[') {
        const auto close = host.find(']');
        if (close == std::string_view::npos || close == 1) {
            return false;
        }
        for (char c : host.substr(1, close - 1)) {
            if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':') {
                return false;
            }
        }
        const std::string_view rest = host.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') {
                return false;
            }
            port = rest.substr(1);
            if (port.empty()) {
                return false;
            }
        }
    } else {
        const auto colon = host.find(':');
        if (colon != std::string_view::npos) {
            port = host.substr(colon + 1);
            host = host.substr(0, colon);
            if (port.empty()) {
                return false;
            }
        }
        std::size_t start = 0;
        while (start <= host.size()) {
            auto dot = host.find('.', start);
            if (dot == std::string_view::npos) {
                dot = host.size();
            }
            const std::string_view label = host.substr(start, dot - start);
            if (label.empty() || label.front() == '-' || label.back() == '-') {
                return false;
            }
            for (char c : label) {
                if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') {
                    return false;
                }
            }
            start = dot + 1;
        }
    }
    return std::all_of(port.begin(), port.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// [\w][\w.-]{0,127}
bool validTag(std::string_view s) {
    if (s.empty() || s.size() > 128) {
        return false;
    }
    const auto word = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    };
    if (!word(s.front())) {
        return false;
    }
    return std::all_of(s.begin(), s.end(), [&](char c) { return word(c) || c == '.' || c == '-'; });
}

}  // namespace

bool isSha256Digest(std::string_view digest) {
    constexpr std::string_view prefix = "sha256:";
    if (digest.size() != prefix.size() + 64 || !digest.starts_with(prefix)) {
        return false;
    }
    return std::all_of(digest.begin() + prefix.size(), digest.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string ImageReference::name() const {
    return registry + "/" + repository;
}

std::string ImageReference::str() const {
    std::string out = name();
    if (!tag.empty()) {
        out += ":" + tag;
    }
    if (!digest.empty()) {
        out += "@" + digest;
    }
    return out;
}

std::string ImageReference::tagged() const {
    return tag.empty() ? std::string() : name() + ":" + tag;
}

std::string ImageReference::digested() const {
    return digest.empty() ? std::string() : name() + "@" + digest;
}

std::string ImageReference::familiar() const {
    std::string out;
    if (registry == kDefaultRegistry) {
        out = repository.starts_with(kOfficialPrefix) &&
                      repository.find('/', kOfficialPrefix.size()) == std::string::npos
                  ? repository.substr(kOfficialPrefix.size())
                  : repository;
    } else {
        out = name();
    }
    if (!tag.empty()) {
        out += ":" + tag;
    }
    if (!digest.empty()) {
        out += "@" + digest;
    }
    return out;
}

core::Result<ImageReference> parseReference(std::string_view text) {
    if (text.empty()) {
        return invalid("invalid reference format: empty image name");
    }
    if (text.size() > 4096) {
        return invalid("invalid reference format: too long");
    }
    ImageReference ref;
    std::string_view rest = text;

    if (const auto at = rest.find('@'); at != std::string_view::npos) {
        ref.digest = std::string(rest.substr(at + 1));
        rest = rest.substr(0, at);
        if (!isSha256Digest(ref.digest)) {
            return invalid("invalid reference format: bad digest \"" + ref.digest + "\"");
        }
    }

    // The registry is the first component when it looks like a host.
    std::string_view remainder = rest;
    const auto slash = rest.find('/');
    if (slash != std::string_view::npos) {
        const std::string_view first = rest.substr(0, slash);
        if (first.find('.') != std::string_view::npos ||
            first.find(':') != std::string_view::npos || first == "localhost" ||
            first.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string_view::npos) {
            if (!validRegistry(first)) {
                return invalid("invalid reference format: bad registry \"" + std::string(first) +
                               "\"");
            }
            ref.registry = std::string(first);
            remainder = rest.substr(slash + 1);
        }
    }
    if (ref.registry.empty() || ref.registry == "index.docker.io") {
        ref.registry = std::string(kDefaultRegistry);
    }

    // A tag follows the last ':' of the last path component.
    const auto lastSlash = remainder.rfind('/');
    const auto colon = remainder.rfind(':');
    if (colon != std::string_view::npos &&
        (lastSlash == std::string_view::npos || colon > lastSlash)) {
        ref.tag = std::string(remainder.substr(colon + 1));
        remainder = remainder.substr(0, colon);
        if (!validTag(ref.tag)) {
            return invalid("invalid reference format: bad tag \"" + ref.tag + "\"");
        }
    }

    if (remainder.empty()) {
        return invalid("invalid reference format: empty repository");
    }
    if (std::any_of(remainder.begin(), remainder.end(),
                    [](char c) { return c >= 'A' && c <= 'Z'; })) {
        return invalid("invalid reference format: repository name must be lowercase");
    }
    std::size_t start = 0;
    while (start <= remainder.size()) {
        auto next = remainder.find('/', start);
        if (next == std::string_view::npos) {
            next = remainder.size();
        }
        if (!validPathComponent(remainder.substr(start, next - start))) {
            return invalid("invalid reference format: \"" + std::string(text) + "\"");
        }
        start = next + 1;
    }
    ref.repository = std::string(remainder);
    if (ref.registry == kDefaultRegistry && ref.repository.find('/') == std::string::npos) {
        ref.repository = std::string(kOfficialPrefix) + ref.repository;
    }
    if (ref.tag.empty() && ref.digest.empty()) {
        ref.tag = "latest";
    }
    if (ref.name().size() > 255) {
        return invalid(
            "invalid reference format: repository name must not be more than 255 "
            "characters");
    }
    return ref;
}

core::Result<std::string> normalizeReference(std::string_view text) {
    auto ref = parseReference(text);
    if (!ref) {
        return ref.error();
    }
    return ref->str();
}

}  // namespace slipway::agent::images
