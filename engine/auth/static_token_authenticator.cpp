// SPDX-License-Identifier: Apache-2.0
#include "engine/auth/static_token_authenticator.h"

#include <algorithm>
#include <sstream>

#include <openssl/crypto.h>

#include "engine/core/atomic_file.h"

namespace slipway::auth {
namespace {

/// The fields of one CSV record: commas separate, double quotes enclose a field that holds
/// commas, and "" inside quotes is one quote (RFC 4180, as Go's encoding/csv reads it).
core::Result<std::vector<std::string>> csvFields(const std::string& line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                fields.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                fields.back() += c;
            }
        } else if (c == '"' && fields.back().empty()) {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else {
            fields.back() += c;
        }
    }
    if (quoted) {
        return core::Error(core::ErrorCode::Invalid, "unterminated quoted field");
    }
    for (auto& field : fields) {
        const auto first = field.find_first_not_of(" \t");
        field = first == std::string::npos ? std::string() : field.substr(first);
    }
    return fields;
}

std::vector<std::string> splitGroups(const std::string& text) {
    std::vector<std::string> groups;
    std::stringstream in(text);
    std::string group;
    while (std::getline(in, group, ',')) {
        if (!group.empty()) {
            groups.push_back(group);
        }
    }
    return groups;
}

}  // namespace

core::Result<StaticTokenAuthenticator> StaticTokenAuthenticator::load(
    const std::filesystem::path& file) {
    auto text = core::readFile(file);
    if (!text) {
        return text.error().wrap("reading the token file " + file.string());
    }
    auto parsed = parse(*text);
    if (!parsed) {
        return parsed.error().wrap(file.string());
    }
    return parsed;
}

core::Result<StaticTokenAuthenticator> StaticTokenAuthenticator::parse(const std::string& text) {
    StaticTokenAuthenticator result;
    std::stringstream in(text);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.find_first_not_of(" \t") == std::string::npos || line.front() == '#') {
            continue;
        }
        const auto invalid = [number](const std::string& why) {
            return core::Error(core::ErrorCode::Invalid,
                               "line " + std::to_string(number) + ": " + why);
        };
        auto fields = csvFields(line);
        if (!fields) {
            return invalid(fields.error().message());
        }
        if (fields->size() < 3) {
            return invalid("want token,user,uid[,\"group1,group2\"], got " +
                           std::to_string(fields->size()) + " columns");
        }
        const std::string& token = (*fields)[0];
        const std::string& user = (*fields)[1];
        if (token.empty() || user.empty()) {
            return invalid(token.empty() ? "empty token" : "empty user name");
        }
        const bool duplicate =
            std::any_of(result.m_identities.begin(), result.m_identities.end(),
                        [&token](const auto& entry) { return entry.first == token; });
        if (duplicate) {
            return invalid("the token of user " + user + " is given twice");
        }
        apiserver::Identity identity{user, {}, true};
        if (fields->size() > 3) {
            identity.groups = splitGroups((*fields)[3]);
        }
        if (std::find(identity.groups.begin(), identity.groups.end(), "system:authenticated") ==
            identity.groups.end()) {
            identity.groups.emplace_back("system:authenticated");
        }
        result.m_identities.emplace_back(token, std::move(identity));
    }
    return result;
}

core::Result<apiserver::Identity> StaticTokenAuthenticator::authenticateToken(
    const std::string& token) const {
    const apiserver::Identity* found = nullptr;
    for (const auto& [known, identity] : m_identities) {
        // Every entry is compared, in constant time per entry of the same length.
        if (known.size() == token.size() &&
            CRYPTO_memcmp(known.data(), token.data(), token.size()) == 0) {
            found = &identity;
        }
    }
    if (found == nullptr) {
        return core::Error(core::ErrorCode::Unauthorized, "Unauthorized");
    }
    return *found;
}

core::Result<apiserver::Identity> UnionAuthenticator::authenticateToken(
    const std::string& token) const {
    for (const auto* authenticator : m_authenticators) {
        auto identity = authenticator->authenticateToken(token);
        if (identity) {
            return identity;
        }
    }
    return core::Error(core::ErrorCode::Unauthorized, "Unauthorized");
}

}  // namespace slipway::auth
