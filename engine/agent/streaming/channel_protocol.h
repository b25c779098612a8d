// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/agent/streaming/streaming_backend.h"
#include "engine/core/result.h"

namespace slipway::agent::streaming {

/// Kubernetes' WebSocket stream protocols for exec and attach (k8s.io/apimachinery's
/// wsstream and kubelet's remotecommand). Every binary message starts with its channel byte.
/// v4 made channel 3 carry a JSON Status; v5 added the close message (255, channel) that
/// ends one stream, which is how a client signals the end of its stdin.
enum class ChannelProtocol { V4, V5 };

inline constexpr std::uint8_t kStdinChannel = 0;
inline constexpr std::uint8_t kStdoutChannel = 1;
inline constexpr std::uint8_t kStderrChannel = 2;
inline constexpr std::uint8_t kErrorChannel = 3;
inline constexpr std::uint8_t kResizeChannel = 4;
inline constexpr std::uint8_t kCloseStream = 255;

/// "v5.channel.k8s.io" or "v4.channel.k8s.io".
std::string_view channelProtocolName(ChannelProtocol protocol);

/// The protocol to speak given the client's Sec-WebSocket-Protocol header (a comma-separated
/// list in the client's order of preference); the first one supported wins. None if the
/// client offers neither v5 nor v4.
std::optional<ChannelProtocol> negotiateChannelProtocol(std::string_view offered);

/// What one message from the client means.
struct ClientFrame {
    enum class Kind { Stdin, CloseStdin, Resize, Ignored };
    Kind kind = Kind::Ignored;
    std::string data;   ///< Stdin: the bytes
    TerminalSize size;  ///< Resize: {"Width":W,"Height":H}
};
ClientFrame parseClientFrame(ChannelProtocol protocol, std::string_view message);

/// The Status sent on channel 3 when the process has ended, as the kubelet sends it:
/// Success for exit code 0; Failure with reason NonZeroExitCode and an ExitCode cause
/// (kubectl exits with that code) otherwise; an InternalError for a runtime error.
nlohmann::json exitStatus(const core::Result<int>& exit);

}  // namespace slipway::agent::streaming
