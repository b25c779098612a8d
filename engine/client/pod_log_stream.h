// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/client/rest_client.h"
#include "engine/core/result.h"

namespace slipway::client {

/// What `kubectl logs [-f] [--timestamps] [--tail N] POD -c CONTAINER` asks for.
struct PodLogRequest {
    std::string nameSpace;
    std::string pod;
    /// Empty for the pod's only container (the server refuses it for several).
    std::string container;
    bool follow = false;
    /// Each line starts with its RFC 3339 time and a space (`timestamps=true`).
    bool timestamps = false;
    std::optional<std::int64_t> tailLines;
    /// Bounds connecting, the TLS handshake and the answer's headers, not the stream itself.
    std::chrono::milliseconds connectTimeout = std::chrono::seconds(10);
};

/// One pod's log read through the API server (`GET …/pods/NAME/log`), delivering the body as it
/// arrives: the whole log without follow, the log then every new line with it, until the
/// container ends, the server closes, or cancel(). Chunks are not split at lines.
///
/// run() blocks the calling thread (a worker's, never the GUI's); cancel() may be called from
/// any thread, before or during run(), and makes run() return Cancelled soon.
class PodLogStream {
public:
    /// Called on run()'s thread with each piece of the body, in order.
    using ChunkHandler = std::function<void(std::string_view chunk)>;

    PodLogStream(ClientConfig config, PodLogRequest request);
    ~PodLogStream();
    PodLogStream(const PodLogStream&) = delete;
    PodLogStream& operator=(const PodLogStream&) = delete;

    /// Streams until the end. Errors: the refusal's Status (NotFound for a missing pod,
    /// BadRequest for a pod without a node or a container to choose, the node's own error
    /// when it has no log to give), transport failures, Cancelled after cancel().
    core::Result<void> run(const ChunkHandler& onChunk);
    void cancel();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace slipway::client
