// SPDX-License-Identifier: Apache-2.0
// A Docker registry (Debian's docker-registry) on 127.0.0.1 for tests, and the few calls of
// the OCI distribution API needed to push images into it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include <QProcess>

namespace slipway::testing {

/// One HTTP/1.1 exchange with 127.0.0.1:`port` (Connection: close).
struct RawResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  ///< lowercase names
    std::string body;
};
RawResponse rawHttp(std::uint16_t port, const std::string& method, const std::string& target,
                    const std::map<std::string, std::string>& headers = {},
                    const std::string& body = {});

/// A free TCP port on 127.0.0.1.
std::uint16_t freeLoopbackPort();

/// "sha256:<hex>" of `content`.
std::string sha256Digest(const std::string& content);

/// docker-registry serving `dir` on a free loopback port, stopped by the destructor.
class TestRegistry {
public:
    static constexpr const char* kBinary = "/usr/bin/docker-registry";
    static bool installed();

    ~TestRegistry();
    /// Starts it and waits until /v2/ answers.
    bool start(const std::filesystem::path& dir);
    std::uint16_t port() const { return m_port; }
    /// "127.0.0.1:PORT".
    std::string address() const;

    bool pushBlob(const std::string& repo, const std::string& content);
    bool pushManifest(const std::string& repo, const std::string& reference,
                      const std::string& mediaType, const std::string& content);
    /// Pushes the image of an OCI image layout tarball (its first manifest) as repo:tag.
    bool pushOciArchive(const std::filesystem::path& tarball, const std::string& repo,
                        const std::string& tag, const std::filesystem::path& scratch);

private:
    QProcess m_process;
    std::uint16_t m_port = 0;
};

}  // namespace slipway::testing
