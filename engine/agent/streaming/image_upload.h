// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "engine/apiserver/router.h"
#include "engine/core/result.h"

namespace slipway::agent::streaming {

class StreamingBackend;

/// `POST /images/load` of the node agent: the body (a `docker save` or OCI-layout tarball) is
/// written to a file under the backend's upload directory, loaded into the node's image
/// store, and removed. Small bodies arrive in `request.body`; large ones (the usual case) are
/// streamed: the answer takes the connection over and a thread of `spawn` receives the body
/// into the file as it arrives, so an image of any size costs no memory. The answer is 200
/// with `{"images":[{"id":…,"repoTags":[…]}]}`, or a Kubernetes Status.
class ImageUpload {
public:
    using Spawn = std::function<void(std::function<void()>)>;

    ImageUpload(StreamingBackend& backend, Spawn spawn)
        : m_backend(backend), m_spawn(std::move(spawn)) {}

    apiserver::HttpResponse handle(const apiserver::HttpRequest& request) const;

    /// Reads exactly `length` bytes from `fd` into a new file `path`.
    static core::Result<void> receive(int fd, std::uint64_t length,
                                      const std::filesystem::path& path);
    /// `response` as HTTP/1.1 bytes with Content-Length and Connection: close.
    static std::string serialize(const apiserver::HttpResponse& response);

private:
    apiserver::HttpResponse load(const std::filesystem::path& archive) const;
    core::Result<std::filesystem::path> newUploadPath() const;

    StreamingBackend& m_backend;
    Spawn m_spawn;
};

}  // namespace slipway::agent::streaming
