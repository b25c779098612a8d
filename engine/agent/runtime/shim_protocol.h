// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

/// The files and the attach framing shared by slipway-shim and the Runtime. Header-only, no
/// dependencies: the shim stays small.
namespace slipway::agent::runtime::shim {

// Files in a container's bundle directory.
inline constexpr std::string_view kConfigFile = "config.json";        ///< the OCI spec
inline constexpr std::string_view kContainerFile = "container.json";  ///< ContainerConfig
inline constexpr std::string_view kShimPidFile = "shim.pid";
inline constexpr std::string_view kInitPidFile = "init.pid";  ///< runc --pid-file
inline constexpr std::string_view kStartedFile = "started";   ///< RFC3339Nano, by the Runtime
inline constexpr std::string_view kExitFile = "exit.json";    ///< by the shim
inline constexpr std::string_view kAttachSocket = "attach.sock";
inline constexpr std::string_view kConsoleSocket = "console.sock";
inline constexpr std::string_view kShimLog = "shim.log";
inline constexpr std::string_view kRuncLog = "runc.log";

/// Attach frames, both ways: 1 byte kind, 4 bytes big-endian length, payload.
enum class FrameKind : std::uint8_t {
    Stdout = 1,      ///< shim → client
    Stderr = 2,      ///< shim → client
    Stdin = 3,       ///< client → shim
    CloseStdin = 4,  ///< client → shim
    Resize = 5,      ///< client → shim: width, height as 2 + 2 bytes big-endian
    Exit = 6,        ///< shim → client: the container's output ended
};

inline std::string encodeFrame(FrameKind kind, std::string_view payload) {
    std::string frame;
    frame.reserve(5 + payload.size());
    frame.push_back(static_cast<char>(kind));
    const auto size = static_cast<std::uint32_t>(payload.size());
    for (int shift = 24; shift >= 0; shift -= 8) {
        frame.push_back(static_cast<char>((size >> shift) & 0xff));
    }
    frame.append(payload);
    return frame;
}

/// Takes one complete frame off the front of `buffer`; false if it holds none yet.
inline bool decodeFrame(std::string& buffer, FrameKind& kind, std::string& payload) {
    if (buffer.size() < 5) {
        return false;
    }
    std::uint32_t size = 0;
    for (int i = 1; i <= 4; ++i) {
        size = (size << 8) | static_cast<unsigned char>(buffer[static_cast<std::size_t>(i)]);
    }
    if (buffer.size() < 5 + static_cast<std::size_t>(size)) {
        return false;
    }
    kind = static_cast<FrameKind>(static_cast<unsigned char>(buffer[0]));
    payload = buffer.substr(5, size);
    buffer.erase(0, 5 + static_cast<std::size_t>(size));
    return true;
}

}  // namespace slipway::agent::runtime::shim
