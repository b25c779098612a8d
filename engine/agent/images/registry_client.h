// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "engine/agent/images/image_store.h"
#include "engine/core/result.h"

namespace slipway::agent::images {

/// Credentials for one registry, as a dockerconfigjson "auths" entry holds them.
struct RegistryCredentials {
    std::string username;
    std::string password;
    std::string identityToken;  ///< an OAuth refresh token, used instead of the password
};

/// Credentials keyed by registry host ("docker.io", "localhost:5000").
using RegistryCredentialMap = std::map<std::string, RegistryCredentials>;

/// Parses a `kubernetes.io/dockerconfigjson` secret's `.dockerconfigjson` (or a
/// `~/.docker/config.json`): `{"auths": {"https://index.docker.io/v1/": {"auth": base64
/// (user:password)}, "localhost:5000": {"username": …, "password": …}}}`. Keys are reduced to
/// hosts ("https://index.docker.io/v1/" → "docker.io").
core::Result<RegistryCredentialMap> parseDockerConfigJson(std::string_view json);

/// How a pull went so far, for progress events ("Pulling image …", bytes per layer).
struct PullProgress {
    enum class Phase { Resolving, Downloading, Downloaded, Done };
    Phase phase = Phase::Resolving;
    std::string digest;            ///< the blob this is about (empty while resolving / when done)
    std::uint64_t bytesDone = 0;   ///< of this blob
    std::uint64_t bytesTotal = 0;  ///< of this blob
    std::uint64_t imageBytesDone = 0;   ///< all layers so far
    std::uint64_t imageBytesTotal = 0;  ///< all layers
};

/// Called from the pulling threads (serialised: never two calls at once).
using PullProgressCallback = std::function<void(const PullProgress&)>;

struct RegistryOptions {
    /// Registries reached over plain HTTP besides those on loopback (localhost, 127.0.0.0/8,
    /// [::1], which always are, as Docker treats them); all others use HTTPS with the system's
    /// CAs.
    std::set<std::string> insecureRegistries;
    /// Layers downloaded at once.
    int parallelDownloads = 3;
    /// Attempts per blob; each one resumes (HTTP Range) where the last stopped.
    int attempts = 4;
    /// Deadline of each HTTP exchange without progress.
    std::chrono::milliseconds timeout = std::chrono::seconds(30);
    std::string os = "linux";
    std::string architecture = "amd64";
    std::string userAgent = "slipway";
};

/// Pulls images over the OCI distribution API v2 into an ImageStore: the manifest (an image
/// index or manifest list resolves to the linux/amd64 entry), the config, then the layers in
/// parallel, each verified by sha256 and resumable. Bearer-token auth as Docker Hub does it
/// (the WWW-Authenticate challenge names a realm that trades credentials for a token) and
/// Basic auth. Thread-safe; each pull is independent.
class RegistryClient {
public:
    RegistryClient(ImageStore& store, RegistryOptions options = {});
    ~RegistryClient();
    RegistryClient(const RegistryClient&) = delete;
    RegistryClient& operator=(const RegistryClient&) = delete;

    /// Pulls `reference` (normalised as parseReference does) and returns the stored image.
    /// Errors: NotFound (no such repository, tag or digest: the registry's "manifest unknown"),
    /// Unauthorized (credentials refused or missing), Network / Timeout (unreachable), Invalid
    /// (a blob whose digest does not match).
    core::Result<Image> pull(std::string_view reference,
                             const RegistryCredentialMap& credentials = {},
                             const PullProgressCallback& progress = {});

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

namespace detail {

/// One challenge of a WWW-Authenticate header: scheme ("Bearer", "Basic") and parameters
/// (realm, service, scope).
struct AuthChallenge {
    std::string scheme;
    std::map<std::string, std::string> params;
};

/// Parses `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="…"`.
AuthChallenge parseAuthChallenge(std::string_view header);

/// The host a credentials key names: "https://index.docker.io/v1/" → "docker.io",
/// "http://localhost:5000/x" → "localhost:5000".
std::string credentialHost(std::string_view key);

}  // namespace detail

}  // namespace slipway::agent::images
