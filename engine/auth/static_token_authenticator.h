// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "engine/apiserver/authentication.h"

namespace slipway::auth {

/// kube-apiserver's static token file (--token-auth-file): a CSV of `token,user,uid` with an
/// optional fourth column of comma-separated groups (quoted when there are several):
///
///     31ada4fd-adec-460c-809a-9e56ceb75269,system:node:m2,node-m2,"system:nodes"
///
/// Slipway's VM driver gives each joining node agent its own line, so a node authenticates as
/// itself. Blank lines and lines starting with '#' are skipped. Every identity also gets the
/// group system:authenticated. Thread-safe (immutable after load).
class StaticTokenAuthenticator final : public apiserver::Authenticator {
public:
    /// Parses the file; Invalid names the line that is wrong (fewer than three columns, an
    /// empty token or user, a token given twice).
    static core::Result<StaticTokenAuthenticator> load(const std::filesystem::path& file);
    static core::Result<StaticTokenAuthenticator> parse(const std::string& text);

    core::Result<apiserver::Identity> authenticateToken(const std::string& token) const override;

    std::size_t size() const { return m_identities.size(); }

private:
    /// Keyed by token. Looked up by comparing every token in constant time, so the answer's
    /// timing says nothing about how much of a guessed token was right.
    std::vector<std::pair<std::string, apiserver::Identity>> m_identities;
};

/// Tries authenticators in order (kube's union authenticator): the first that accepts a token
/// decides; Unauthorized when none does. Borrowed pointers: they must outlive this.
class UnionAuthenticator final : public apiserver::Authenticator {
public:
    explicit UnionAuthenticator(std::vector<const apiserver::Authenticator*> authenticators)
        : m_authenticators(std::move(authenticators)) {}

    core::Result<apiserver::Identity> authenticateToken(const std::string& token) const override;

private:
    std::vector<const apiserver::Authenticator*> m_authenticators;
};

}  // namespace slipway::auth
