// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/result.h"

/// SPDY/3.1 framing, as `kubectl port-forward` speaks it (moby/spdystream under
/// k8s.io/apimachinery's httpstream/spdy), both over a raw upgraded connection (`Upgrade:
/// SPDY/3.1`) and tunnelled in WebSocket binary messages (`SPDY/3.1+portforward.k8s.io`).
///
/// No Debian package implements SPDY (nghttp2 dropped it, spdylay is gone), so the framing is
/// ours; zlib does the header compression. Everything here is sans-I/O: bytes in, frames and
/// bytes out, so the agent's asio session and the CLI's forwarder share it and tests feed it
/// byte vectors.
namespace slipway::core::spdy {

inline constexpr std::uint16_t kVersion = 3;

enum class FrameType : std::uint16_t {
    Data = 0,  ///< not a control frame type: the C bit is clear
    SynStream = 1,
    SynReply = 2,
    RstStream = 3,
    Settings = 4,
    Ping = 6,
    GoAway = 7,
    Headers = 8,
    WindowUpdate = 9,
    Unknown = 0xffff,  ///< a control frame type we do not know (NOOP, CREDENTIAL): ignored
};

/// Frame flags: FIN on DATA, SYN_STREAM, SYN_REPLY and HEADERS; UNIDIRECTIONAL on
/// SYN_STREAM; CLEAR_SETTINGS on SETTINGS.
inline constexpr std::uint8_t kFlagFin = 0x01;
inline constexpr std::uint8_t kFlagUnidirectional = 0x02;

/// RST_STREAM status codes (SPDY/3.1 section 2.6.3).
enum class RstStatus : std::uint32_t {
    ProtocolError = 1,
    InvalidStream = 2,
    RefusedStream = 3,
    UnsupportedVersion = 4,
    Cancel = 5,
    InternalError = 6,
    FlowControlError = 7,
    StreamInUse = 8,
    StreamAlreadyClosed = 9,
    FrameTooLarge = 11,
};

/// GOAWAY status codes.
enum class GoAwayStatus : std::uint32_t { Ok = 0, ProtocolError = 1, InternalError = 2 };

/// A header block: name → value in order. Names are lower case; several values of one name
/// travel as one value joined by NUL (the encoder joins repeated names, the decoder splits
/// nothing: `value()` returns the joined text).
class HeaderBlock {
public:
    HeaderBlock() = default;
    HeaderBlock(std::initializer_list<std::pair<std::string, std::string>> pairs)
        : m_pairs(pairs) {}

    void add(std::string name, std::string value) {
        m_pairs.emplace_back(std::move(name), std::move(value));
    }
    /// The first value of `name` (compared case-insensitively, as Go's http.Header.Get), or
    /// empty.
    std::string value(std::string_view name) const;
    const std::vector<std::pair<std::string, std::string>>& pairs() const { return m_pairs; }
    bool empty() const { return m_pairs.empty(); }
    friend bool operator==(const HeaderBlock&, const HeaderBlock&) = default;

private:
    std::vector<std::pair<std::string, std::string>> m_pairs;
};

struct Setting {
    std::uint8_t flags = 0;
    std::uint32_t id = 0;  ///< 24 bits
    std::uint32_t value = 0;
    friend bool operator==(const Setting&, const Setting&) = default;
};

/// One frame, data or control. The fields a type does not have stay zero or empty.
struct Frame {
    FrameType type = FrameType::Data;
    std::uint8_t flags = 0;
    /// DATA, SYN_STREAM, SYN_REPLY, RST_STREAM, HEADERS, WINDOW_UPDATE (0: the session).
    std::uint32_t streamId = 0;
    /// SYN_STREAM.
    std::uint32_t associatedStreamId = 0;
    std::uint8_t priority = 0;  ///< 0 (highest) … 7
    std::uint8_t slot = 0;
    /// SYN_STREAM, SYN_REPLY, HEADERS.
    HeaderBlock headers;
    /// RST_STREAM and GOAWAY status.
    std::uint32_t status = 0;
    /// PING.
    std::uint32_t pingId = 0;
    /// GOAWAY.
    std::uint32_t lastGoodStreamId = 0;
    /// WINDOW_UPDATE.
    std::uint32_t deltaWindowSize = 0;
    /// SETTINGS.
    std::vector<Setting> settings;
    /// DATA payload.
    std::string data;
    /// The control frame type number when `type` is Unknown.
    std::uint16_t rawType = 0;

    bool fin() const { return (flags & kFlagFin) != 0; }
    friend bool operator==(const Frame&, const Frame&) = default;

    static Frame makeData(std::uint32_t streamId, std::string data, bool fin = false);
    static Frame makeSynStream(std::uint32_t streamId, HeaderBlock headers, bool fin = false,
                               std::uint8_t priority = 0);
    static Frame makeSynReply(std::uint32_t streamId, HeaderBlock headers, bool fin = false);
    static Frame makeRstStream(std::uint32_t streamId, RstStatus status);
    static Frame makePing(std::uint32_t id);
    static Frame makeGoAway(std::uint32_t lastGoodStreamId, GoAwayStatus status);
    static Frame makeWindowUpdate(std::uint32_t streamId, std::uint32_t delta);
    static Frame makeSettings(std::vector<Setting> settings);
};

/// The zlib dictionary of SPDY/3 header compression (spec section 2.6.10.1), 1423 bytes.
std::string_view headerDictionary();

/// Header blocks of one direction of a connection: one zlib stream with the SPDY dictionary,
/// each block ending with a sync flush, so each frame's payload is complete.
class HeaderCompressor {
public:
    HeaderCompressor();
    ~HeaderCompressor();
    HeaderCompressor(const HeaderCompressor&) = delete;
    HeaderCompressor& operator=(const HeaderCompressor&) = delete;

    /// The compressed name/value block (repeated names are joined by NUL).
    std::string compress(const HeaderBlock& headers);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

class HeaderDecompressor {
public:
    /// A block may not decompress to more than `maxBlockSize` bytes.
    explicit HeaderDecompressor(std::size_t maxBlockSize = 256 * 1024);
    ~HeaderDecompressor();
    HeaderDecompressor(const HeaderDecompressor&) = delete;
    HeaderDecompressor& operator=(const HeaderDecompressor&) = delete;

    /// The header block of one frame. An error breaks the connection's zlib state: the
    /// connection must end (GOAWAY PROTOCOL_ERROR).
    Result<HeaderBlock> decompress(std::string_view compressed);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// Serialises frames of one direction (it owns that direction's header compressor).
class FrameEncoder {
public:
    std::string encode(const Frame& frame);

private:
    HeaderCompressor m_compressor;
};

/// Parses frames of one direction from bytes as they arrive.
class FrameDecoder {
public:
    /// Frames longer than `maxFrameLength` (payload bytes) are a protocol error. The field
    /// holds 24 bits; spdystream writes DATA frames of at most 32 KiB.
    explicit FrameDecoder(std::size_t maxFrameLength = 1 << 24);

    void feed(std::string_view bytes) { m_buffer.append(bytes); }
    /// The next complete frame, nothing if more bytes are needed, or a protocol error (the
    /// connection must end).
    Result<std::optional<Frame>> next();
    /// Bytes received but not yet parsed.
    std::size_t buffered() const { return m_buffer.size() - m_offset; }

private:
    std::string m_buffer;
    std::size_t m_offset = 0;
    std::size_t m_maxFrameLength;
    HeaderDecompressor m_decompressor;
};

/// One SPDY connection's stream bookkeeping, sans I/O: feed it what arrives, send what
/// `takeOutput()` returns. It answers PINGs, ignores SETTINGS and WINDOW_UPDATE (spdystream
/// never sends WINDOW_UPDATE and does not keep windows: flow control is TCP's back-pressure,
/// the reader simply stops reading), refuses streams with ids the peer may not use, and
/// reports streams, replies, data, resets and GOAWAY through the handlers.
class Connection {
public:
    enum class Role { Client, Server };

    struct Handlers {
        /// The peer opened a stream (SYN_STREAM); `fin`: it will send nothing on it. The
        /// handler answers with reply() or reset().
        std::function<void(std::uint32_t id, const HeaderBlock& headers, bool fin)> stream;
        /// The peer accepted a stream we opened (SYN_REPLY).
        std::function<void(std::uint32_t id, const HeaderBlock& headers, bool fin)> reply;
        /// Data on a stream; `fin`: the peer's half of the stream is closed (data may be
        /// empty then).
        std::function<void(std::uint32_t id, std::string_view data, bool fin)> data;
        /// The peer reset a stream.
        std::function<void(std::uint32_t id, RstStatus status)> reset;
        /// The peer is going away.
        std::function<void(GoAwayStatus status)> goAway;
    };

    Connection(Role role, Handlers handlers);

    /// Bytes from the peer. An error is a protocol error: a GOAWAY is queued, and the caller
    /// should send what is left and close.
    Result<void> receive(std::string_view bytes);

    /// Opens a stream (SYN_STREAM); its id.
    std::uint32_t openStream(const HeaderBlock& headers, bool fin = false);
    void reply(std::uint32_t id, const HeaderBlock& headers = {}, bool fin = false);
    /// Data on a stream, cut into frames of at most 32 KiB; `fin` closes our half.
    void sendData(std::uint32_t id, std::string_view data, bool fin = false);
    void reset(std::uint32_t id, RstStatus status);
    void ping();
    void goAway(GoAwayStatus status = GoAwayStatus::Ok);

    /// What to write to the peer next (empties the queue).
    std::string takeOutput();
    bool hasOutput() const { return !m_output.empty(); }
    /// Whether the peer sent GOAWAY or we did.
    bool goingAway() const { return m_goneAway; }

private:
    void queue(const Frame& frame);

    Role m_role;
    Handlers m_handlers;
    FrameDecoder m_decoder;
    FrameEncoder m_encoder;
    std::string m_output;
    std::uint32_t m_nextStreamId;
    std::uint32_t m_lastPeerStreamId = 0;
    std::uint32_t m_nextPingId;
    bool m_goneAway = false;
};

}  // namespace slipway::core::spdy
