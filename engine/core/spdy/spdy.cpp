// SPDX-License-Identifier: Apache-2.0
#include "engine/core/spdy/spdy.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <zlib.h>

namespace slipway::core::spdy {

namespace {

Error protocolError(std::string message) {
    return Error(ErrorCode::BadRequest, "spdy: " + std::move(message));
}

void putU32(std::string& out, std::uint32_t value) {
    out.push_back(static_cast<char>((value >> 24) & 0xff));
    out.push_back(static_cast<char>((value >> 16) & 0xff));
    out.push_back(static_cast<char>((value >> 8) & 0xff));
    out.push_back(static_cast<char>(value & 0xff));
}

std::uint32_t getU32(std::string_view in, std::size_t at) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(in[at])) << 24) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(in[at + 1])) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(in[at + 2])) << 8) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(in[at + 3]));
}

std::string lowered(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

/// The uncompressed name/value block: number of pairs, then length-prefixed names and
/// values (32-bit lengths in SPDY/3). A name given twice becomes one pair, values joined by
/// NUL, as the spec requires.
std::string serialiseBlock(const HeaderBlock& headers) {
    std::vector<std::pair<std::string, std::string>> merged;
    for (const auto& [name, value] : headers.pairs()) {
        const std::string key = lowered(name);
        const auto it = std::find_if(merged.begin(), merged.end(),
                                     [&key](const auto& pair) { return pair.first == key; });
        if (it == merged.end()) {
            merged.emplace_back(key, value);
        } else {
            it->second.push_back('\0');
            it->second += value;
        }
    }
    std::string out;
    putU32(out, static_cast<std::uint32_t>(merged.size()));
    for (const auto& [name, value] : merged) {
        putU32(out, static_cast<std::uint32_t>(name.size()));
        out += name;
        putU32(out, static_cast<std::uint32_t>(value.size()));
        out += value;
    }
    return out;
}

Result<HeaderBlock> parseBlock(std::string_view block) {
    if (block.size() < 4) {
        return protocolError("header block too short");
    }
    const std::uint32_t count = getU32(block, 0);
    std::size_t at = 4;
    HeaderBlock headers;
    // Each pair takes at least 8 bytes: a count beyond that is a lie, not an allocation.
    if (count > (block.size() - 4) / 8) {
        return protocolError("header block count exceeds its length");
    }
    for (std::uint32_t i = 0; i < count; ++i) {
        std::string fields[2];
        for (auto& field : fields) {
            if (block.size() - at < 4) {
                return protocolError("header block truncated");
            }
            const std::uint32_t length = getU32(block, at);
            at += 4;
            if (block.size() - at < length) {
                return protocolError("header block truncated");
            }
            field.assign(block.substr(at, length));
            at += length;
        }
        if (fields[0].empty()) {
            return protocolError("empty header name");
        }
        headers.add(lowered(fields[0]), std::move(fields[1]));
    }
    if (at != block.size()) {
        return protocolError("trailing bytes after header block");
    }
    return headers;
}

}  // namespace

std::string HeaderBlock::value(std::string_view name) const {
    const std::string key = lowered(name);
    for (const auto& [headerName, value] : m_pairs) {
        if (lowered(headerName) == key) {
            // Several values travel NUL-separated: the first one, as http.Header.Get.
            return value.substr(0, value.find('\0'));
        }
    }
    return {};
}

std::string_view headerDictionary() {
    // The SPDY/3 dictionary is the 32-bit-length-prefixed words below followed by a block of
    // status codes, reason phrases, dates and media types, exactly as the spec lists them.
    static const std::string dictionary = [] {
        static constexpr std::array<std::string_view, 65> kWords = {
            "options",
            "head",
            "post",
            "put",
            "delete",
            "trace",
            "accept",
            "accept-charset",
            "accept-encoding",
            "accept-language",
            "accept-ranges",
            "age",
            "allow",
            "authorization",
            "cache-control",
            "connection",
            "content-base",
            "content-encoding",
            "content-language",
            "content-length",
            "content-location",
            "content-md5",
            "content-range",
            "content-type",
            "date",
            "etag",
            "expect",
            "expires",
            "from",
            "host",
            "if-match",
            "if-modified-since",
            "if-none-match",
            "if-range",
            "if-unmodified-since",
            "last-modified",
            "location",
            "max-forwards",
            "pragma",
            "proxy-authenticate",
            "proxy-authorization",
            "range",
            "referer",
            "retry-after",
            "server",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "user-agent",
            "vary",
            "via",
            "warning",
            "www-authenticate",
            "method",
            "get",
            "status",
            "200 OK",
            "version",
            "HTTP/1.1",
            "url",
            "public",
            "set-cookie",
            "keep-alive",
            "origin",
        };
        std::string out;
        for (const auto word : kWords) {
            putU32(out, static_cast<std::uint32_t>(word.size()));
            out += word;
        }
        out +=
            "100101201202205206300302303304305306307402405406407408409410411412413414415416417"
            "502504505"
            "203 Non-Authoritative Information"
            "204 No Content"
            "301 Moved Permanently"
            "400 Bad Request"
            "401 Unauthorized"
            "403 Forbidden"
            "404 Not Found"
            "500 Internal Server Error"
            "501 Not Implemented"
            "503 Service Unavailable"
            "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec"
            " 00:00:00"
            " Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT"
            "chunked,text/html,image/png,image/jpg,image/gif,application/xml,"
            "application/xhtml+xml,text/plain,text/javascript,public"
            "privatemax-age=gzip,deflate,sdch"
            "charset=utf-8charset=iso-8859-1,utf-,*,enq=0.";
        return out;
    }();
    return dictionary;
}

// ---- header compression

struct HeaderCompressor::Impl {
    z_stream stream{};
    bool ok = false;
};

HeaderCompressor::HeaderCompressor() : m_impl(std::make_unique<Impl>()) {
    auto& stream = m_impl->stream;
    if (deflateInit(&stream, Z_BEST_COMPRESSION) == Z_OK) {
        const auto dictionary = headerDictionary();
        m_impl->ok =
            deflateSetDictionary(&stream, reinterpret_cast<const Bytef*>(dictionary.data()),
                                 static_cast<uInt>(dictionary.size())) == Z_OK;
    }
}

HeaderCompressor::~HeaderCompressor() {
    deflateEnd(&m_impl->stream);
}

std::string HeaderCompressor::compress(const HeaderBlock& headers) {
    std::string input = serialiseBlock(headers);
    std::string out;
    auto& stream = m_impl->stream;
    stream.next_in = reinterpret_cast<Bytef*>(input.data());
    stream.avail_in = static_cast<uInt>(input.size());
    std::array<char, 4096> chunk{};
    // A sync flush ends the block on a byte boundary with everything emitted, so the peer can
    // decompress this frame alone; the zlib stream itself goes on across frames.
    do {
        stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
        stream.avail_out = static_cast<uInt>(chunk.size());
        deflate(&stream, Z_SYNC_FLUSH);
        out.append(chunk.data(), chunk.size() - stream.avail_out);
    } while (stream.avail_out == 0);
    return out;
}

struct HeaderDecompressor::Impl {
    z_stream stream{};
    bool ok = false;
    bool broken = false;
    std::size_t maxBlockSize = 0;
};

HeaderDecompressor::HeaderDecompressor(std::size_t maxBlockSize)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->maxBlockSize = maxBlockSize;
    m_impl->ok = inflateInit(&m_impl->stream) == Z_OK;
}

HeaderDecompressor::~HeaderDecompressor() {
    inflateEnd(&m_impl->stream);
}

Result<HeaderBlock> HeaderDecompressor::decompress(std::string_view compressed) {
    auto& impl = *m_impl;
    if (!impl.ok || impl.broken) {
        return protocolError("header decompression failed earlier");
    }
    auto& stream = impl.stream;
    std::string out;
    std::array<char, 4096> chunk{};
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    stream.avail_in = static_cast<uInt>(compressed.size());
    while (true) {
        stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
        stream.avail_out = static_cast<uInt>(chunk.size());
        int result = inflate(&stream, Z_SYNC_FLUSH);
        if (result == Z_NEED_DICT) {
            const auto dictionary = headerDictionary();
            if (inflateSetDictionary(&stream, reinterpret_cast<const Bytef*>(dictionary.data()),
                                     static_cast<uInt>(dictionary.size())) != Z_OK) {
                impl.broken = true;
                return protocolError("header block uses an unknown dictionary");
            }
            continue;
        }
        out.append(chunk.data(), chunk.size() - stream.avail_out);
        if (out.size() > impl.maxBlockSize) {
            impl.broken = true;
            return protocolError("header block too large");
        }
        if (result == Z_BUF_ERROR && stream.avail_in == 0) {
            break;  // all input consumed, no progress possible: the block is complete
        }
        if (result != Z_OK && result != Z_BUF_ERROR) {
            impl.broken = true;
            return protocolError(std::string("header decompression: ") +
                                 (stream.msg != nullptr ? stream.msg : "zlib error"));
        }
        if (stream.avail_in == 0 && stream.avail_out != 0) {
            break;
        }
    }
    return parseBlock(out);
}

// ---- frames

Frame Frame::makeData(std::uint32_t streamId, std::string data, bool fin) {
    Frame frame;
    frame.type = FrameType::Data;
    frame.streamId = streamId;
    frame.data = std::move(data);
    frame.flags = fin ? kFlagFin : 0;
    return frame;
}

Frame Frame::makeSynStream(std::uint32_t streamId, HeaderBlock headers, bool fin,
                           std::uint8_t priority) {
    Frame frame;
    frame.type = FrameType::SynStream;
    frame.streamId = streamId;
    frame.headers = std::move(headers);
    frame.flags = fin ? kFlagFin : 0;
    frame.priority = priority;
    return frame;
}

Frame Frame::makeSynReply(std::uint32_t streamId, HeaderBlock headers, bool fin) {
    Frame frame;
    frame.type = FrameType::SynReply;
    frame.streamId = streamId;
    frame.headers = std::move(headers);
    frame.flags = fin ? kFlagFin : 0;
    return frame;
}

Frame Frame::makeRstStream(std::uint32_t streamId, RstStatus status) {
    Frame frame;
    frame.type = FrameType::RstStream;
    frame.streamId = streamId;
    frame.status = static_cast<std::uint32_t>(status);
    return frame;
}

Frame Frame::makePing(std::uint32_t id) {
    Frame frame;
    frame.type = FrameType::Ping;
    frame.pingId = id;
    return frame;
}

Frame Frame::makeGoAway(std::uint32_t lastGoodStreamId, GoAwayStatus status) {
    Frame frame;
    frame.type = FrameType::GoAway;
    frame.lastGoodStreamId = lastGoodStreamId;
    frame.status = static_cast<std::uint32_t>(status);
    return frame;
}

Frame Frame::makeWindowUpdate(std::uint32_t streamId, std::uint32_t delta) {
    Frame frame;
    frame.type = FrameType::WindowUpdate;
    frame.streamId = streamId;
    frame.deltaWindowSize = delta;
    return frame;
}

Frame Frame::makeSettings(std::vector<Setting> settings) {
    Frame frame;
    frame.type = FrameType::Settings;
    frame.settings = std::move(settings);
    return frame;
}

std::string FrameEncoder::encode(const Frame& frame) {
    std::string out;
    if (frame.type == FrameType::Data) {
        putU32(out, frame.streamId & 0x7fffffff);
        putU32(out, (static_cast<std::uint32_t>(frame.flags) << 24) |
                        (static_cast<std::uint32_t>(frame.data.size()) & 0xffffff));
        out += frame.data;
        return out;
    }
    std::string payload;
    switch (frame.type) {
        case FrameType::SynStream:
            putU32(payload, frame.streamId & 0x7fffffff);
            putU32(payload, frame.associatedStreamId & 0x7fffffff);
            payload.push_back(static_cast<char>((frame.priority & 0x7) << 5));
            payload.push_back(static_cast<char>(frame.slot));
            payload += m_compressor.compress(frame.headers);
            break;
        case FrameType::SynReply:
        case FrameType::Headers:
            putU32(payload, frame.streamId & 0x7fffffff);
            payload += m_compressor.compress(frame.headers);
            break;
        case FrameType::RstStream:
            putU32(payload, frame.streamId & 0x7fffffff);
            putU32(payload, frame.status);
            break;
        case FrameType::Settings:
            putU32(payload, static_cast<std::uint32_t>(frame.settings.size()));
            for (const auto& setting : frame.settings) {
                putU32(payload,
                       (static_cast<std::uint32_t>(setting.flags) << 24) | (setting.id & 0xffffff));
                putU32(payload, setting.value);
            }
            break;
        case FrameType::Ping:
            putU32(payload, frame.pingId);
            break;
        case FrameType::GoAway:
            putU32(payload, frame.lastGoodStreamId & 0x7fffffff);
            putU32(payload, frame.status);
            break;
        case FrameType::WindowUpdate:
            putU32(payload, frame.streamId & 0x7fffffff);
            putU32(payload, frame.deltaWindowSize & 0x7fffffff);
            break;
        case FrameType::Data:
        case FrameType::Unknown:
            break;
    }
    const std::uint16_t type =
        frame.type == FrameType::Unknown ? frame.rawType : static_cast<std::uint16_t>(frame.type);
    putU32(out, 0x80000000u | (static_cast<std::uint32_t>(kVersion) << 16) | type);
    putU32(out, (static_cast<std::uint32_t>(frame.flags) << 24) |
                    (static_cast<std::uint32_t>(payload.size()) & 0xffffff));
    out += payload;
    return out;
}

FrameDecoder::FrameDecoder(std::size_t maxFrameLength) : m_maxFrameLength(maxFrameLength) {}

Result<std::optional<Frame>> FrameDecoder::next() {
    const std::string_view pending = std::string_view(m_buffer).substr(m_offset);
    if (pending.size() < 8) {
        return std::optional<Frame>();
    }
    const std::uint32_t first = getU32(pending, 0);
    const std::uint32_t second = getU32(pending, 4);
    const std::size_t length = second & 0xffffff;
    if (length > m_maxFrameLength) {
        return protocolError("frame of " + std::to_string(length) + " bytes is too large");
    }
    if (pending.size() < 8 + length) {
        return std::optional<Frame>();
    }
    // The frame leaves the buffer here (a copy: the buffer may move when compacted).
    std::string body(pending.substr(8, length));
    m_offset += 8 + length;
    if (m_offset == m_buffer.size()) {
        m_buffer.clear();
        m_offset = 0;
    } else if (m_offset > 64 * 1024 && m_offset * 2 > m_buffer.size()) {
        m_buffer.erase(0, m_offset);
        m_offset = 0;
    }
    const std::string_view payload = body;
    Frame frame;
    frame.flags = static_cast<std::uint8_t>(second >> 24);
    if ((first & 0x80000000u) == 0) {
        frame.type = FrameType::Data;
        frame.streamId = first & 0x7fffffff;
        frame.data = std::move(body);
        return std::optional<Frame>(std::move(frame));
    }
    const auto version = static_cast<std::uint16_t>((first >> 16) & 0x7fff);
    if (version != kVersion) {
        return protocolError("unsupported version " + std::to_string(version));
    }
    const auto type = static_cast<std::uint16_t>(first & 0xffff);
    const auto need = [&payload](std::size_t bytes) -> Result<void> {
        if (payload.size() < bytes) {
            return protocolError("control frame too short");
        }
        return {};
    };
    switch (type) {
        case static_cast<std::uint16_t>(FrameType::SynStream): {
            if (auto ok = need(10); !ok) {
                return ok.error();
            }
            frame.type = FrameType::SynStream;
            frame.streamId = getU32(payload, 0) & 0x7fffffff;
            frame.associatedStreamId = getU32(payload, 4) & 0x7fffffff;
            frame.priority = static_cast<std::uint8_t>(static_cast<unsigned char>(payload[8]) >> 5);
            frame.slot = static_cast<std::uint8_t>(payload[9]);
            auto headers = m_decompressor.decompress(payload.substr(10));
            if (!headers) {
                return headers.error();
            }
            frame.headers = std::move(*headers);
            break;
        }
        case static_cast<std::uint16_t>(FrameType::SynReply):
        case static_cast<std::uint16_t>(FrameType::Headers): {
            if (auto ok = need(4); !ok) {
                return ok.error();
            }
            frame.type = static_cast<FrameType>(type);
            frame.streamId = getU32(payload, 0) & 0x7fffffff;
            auto headers = m_decompressor.decompress(payload.substr(4));
            if (!headers) {
                return headers.error();
            }
            frame.headers = std::move(*headers);
            break;
        }
        case static_cast<std::uint16_t>(FrameType::RstStream):
            if (auto ok = need(8); !ok) {
                return ok.error();
            }
            frame.type = FrameType::RstStream;
            frame.streamId = getU32(payload, 0) & 0x7fffffff;
            frame.status = getU32(payload, 4);
            break;
        case static_cast<std::uint16_t>(FrameType::Settings): {
            if (auto ok = need(4); !ok) {
                return ok.error();
            }
            frame.type = FrameType::Settings;
            const std::uint32_t count = getU32(payload, 0);
            if (count > (payload.size() - 4) / 8) {
                return protocolError("SETTINGS count exceeds the frame");
            }
            for (std::uint32_t i = 0; i < count; ++i) {
                const std::uint32_t word = getU32(payload, 4 + 8 * i);
                frame.settings.push_back({static_cast<std::uint8_t>(word >> 24), word & 0xffffff,
                                          getU32(payload, 8 + 8 * i)});
            }
            break;
        }
        case static_cast<std::uint16_t>(FrameType::Ping):
            if (auto ok = need(4); !ok) {
                return ok.error();
            }
            frame.type = FrameType::Ping;
            frame.pingId = getU32(payload, 0);
            break;
        case static_cast<std::uint16_t>(FrameType::GoAway):
            if (auto ok = need(8); !ok) {
                return ok.error();
            }
            frame.type = FrameType::GoAway;
            frame.lastGoodStreamId = getU32(payload, 0) & 0x7fffffff;
            frame.status = getU32(payload, 4);
            break;
        case static_cast<std::uint16_t>(FrameType::WindowUpdate):
            if (auto ok = need(8); !ok) {
                return ok.error();
            }
            frame.type = FrameType::WindowUpdate;
            frame.streamId = getU32(payload, 0) & 0x7fffffff;
            frame.deltaWindowSize = getU32(payload, 4) & 0x7fffffff;
            break;
        default:
            // NOOP (SPDY/2), CREDENTIAL and anything newer: the spec says ignore.
            frame.type = FrameType::Unknown;
            frame.rawType = type;
            frame.data.assign(payload);
            break;
    }
    return std::optional<Frame>(std::move(frame));
}

// ---- connection

Connection::Connection(Role role, Handlers handlers)
    : m_role(role),
      m_handlers(std::move(handlers)),
      // Clients open odd streams and send odd pings; servers even ones.
      m_nextStreamId(role == Role::Client ? 1 : 2),
      m_nextPingId(role == Role::Client ? 1 : 2) {}

void Connection::queue(const Frame& frame) {
    m_output += m_encoder.encode(frame);
}

std::string Connection::takeOutput() {
    std::string out;
    out.swap(m_output);
    return out;
}

Result<void> Connection::receive(std::string_view bytes) {
    m_decoder.feed(bytes);
    const std::uint32_t peerParity = m_role == Role::Server ? 1 : 0;
    while (true) {
        auto next = m_decoder.next();
        if (!next) {
            goAway(GoAwayStatus::ProtocolError);
            return next.error();
        }
        if (!*next) {
            return {};
        }
        Frame& frame = **next;
        switch (frame.type) {
            case FrameType::SynStream: {
                const std::uint32_t id = frame.streamId;
                if (id == 0 || (id & 1) != peerParity || id <= m_lastPeerStreamId) {
                    // Stream ids only grow, and each side has its parity.
                    queue(Frame::makeRstStream(id, RstStatus::ProtocolError));
                    break;
                }
                m_lastPeerStreamId = id;
                if (m_goneAway) {
                    queue(Frame::makeRstStream(id, RstStatus::RefusedStream));
                    break;
                }
                if (m_handlers.stream) {
                    m_handlers.stream(id, frame.headers, frame.fin());
                }
                break;
            }
            case FrameType::SynReply:
                if (m_handlers.reply) {
                    m_handlers.reply(frame.streamId, frame.headers, frame.fin());
                }
                break;
            case FrameType::Headers:
                // Extra headers carry nothing port-forwarding uses; a FIN on them still ends
                // the peer's half.
                if (frame.fin() && m_handlers.data) {
                    m_handlers.data(frame.streamId, {}, true);
                }
                break;
            case FrameType::Data:
                if (m_handlers.data) {
                    m_handlers.data(frame.streamId, frame.data, frame.fin());
                }
                break;
            case FrameType::RstStream:
                if (m_handlers.reset) {
                    m_handlers.reset(frame.streamId, static_cast<RstStatus>(frame.status));
                }
                break;
            case FrameType::Ping:
                // The peer's pings (its parity) come back unchanged; ours are answers.
                if ((frame.pingId & 1) == peerParity) {
                    queue(frame);
                }
                break;
            case FrameType::GoAway:
                m_goneAway = true;
                if (m_handlers.goAway) {
                    m_handlers.goAway(static_cast<GoAwayStatus>(frame.status));
                }
                break;
            case FrameType::Settings:
            case FrameType::WindowUpdate:
            case FrameType::Unknown:
                break;
        }
    }
}

std::uint32_t Connection::openStream(const HeaderBlock& headers, bool fin) {
    const std::uint32_t id = m_nextStreamId;
    m_nextStreamId += 2;
    queue(Frame::makeSynStream(id, headers, fin));
    return id;
}

void Connection::reply(std::uint32_t id, const HeaderBlock& headers, bool fin) {
    queue(Frame::makeSynReply(id, headers, fin));
}

void Connection::sendData(std::uint32_t id, std::string_view data, bool fin) {
    constexpr std::size_t kMaxChunk = 32 * 1024;
    do {
        const std::size_t size = std::min(kMaxChunk, data.size());
        const bool last = size == data.size();
        queue(Frame::makeData(id, std::string(data.substr(0, size)), fin && last));
        data.remove_prefix(size);
    } while (!data.empty());
}

void Connection::reset(std::uint32_t id, RstStatus status) {
    queue(Frame::makeRstStream(id, status));
}

void Connection::ping() {
    queue(Frame::makePing(m_nextPingId));
    m_nextPingId += 2;
}

void Connection::goAway(GoAwayStatus status) {
    if (m_goneAway && status == GoAwayStatus::Ok) {
        return;
    }
    m_goneAway = true;
    queue(Frame::makeGoAway(m_lastPeerStreamId, status));
}

}  // namespace slipway::core::spdy
