// SPDX-License-Identifier: Apache-2.0
// The kubelet's gRPC prober: grpc.health.v1.Health/Check over cleartext HTTP/2 (h2c), with
// libnghttp2 for the framing and the two one-field protobuf messages encoded by hand:
//   HealthCheckRequest  { string service = 1; }
//   HealthCheckResponse { ServingStatus status = 1; }  UNKNOWN 0, SERVING 1, NOT_SERVING 2,
//                                                       SERVICE_UNKNOWN 3
// Messages are those of the kubelet's prober on top of grpc-go's status errors.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <thread>

#include <nghttp2/nghttp2.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/agent/probes/probe_internal.h"

namespace slipway::agent::probes::detail {

namespace {

constexpr const char* kPath = "/grpc.health.v1.Health/Check";

const char* codeName(int code) {
    static const char* const names[] = {
        "OK",       "Canceled",       "Unknown",          "InvalidArgument",   "DeadlineExceeded",
        "NotFound", "AlreadyExists",  "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
        "Aborted",  "OutOfRange",     "Unimplemented",    "Internal",          "Unavailable",
        "DataLoss", "Unauthenticated"};
    if (code >= 0 && code < 17) {
        return names[code];
    }
    return "Unknown";
}

const char* servingStatusName(std::uint64_t status) {
    switch (status) {
        case 0:
            return "UNKNOWN";
        case 1:
            return "SERVING";
        case 2:
            return "NOT_SERVING";
        case 3:
            return "SERVICE_UNKNOWN";
        default:
            return nullptr;
    }
}

void appendVarint(std::string& out, std::uint64_t value) {
    while (value >= 0x80) {
        out += static_cast<char>((value & 0x7f) | 0x80);
        value >>= 7;
    }
    out += static_cast<char>(value);
}

/// grpc-message is percent-encoded (the gRPC HTTP/2 spec).
std::string percentDecode(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            const auto hex = text.substr(i + 1, 2);
            char* end = nullptr;
            const long value = std::strtol(hex.c_str(), &end, 16);
            if (end == hex.c_str() + 2) {
                out += static_cast<char>(value);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

struct Call {
    std::string request;  // length-prefixed message
    std::size_t sent = 0;
    std::int32_t streamId = -1;
    bool settingsReceived = false;
    bool closed = false;
    std::uint32_t resetCode = 0;
    int httpStatus = 0;
    std::string grpcStatus;
    std::string grpcMessage;
    std::string data;
};

ssize_t readRequest(nghttp2_session*, std::int32_t, std::uint8_t* buffer, std::size_t length,
                    std::uint32_t* flags, nghttp2_data_source*, void* user) {
    auto* call = static_cast<Call*>(user);
    const std::size_t n = std::min(length, call->request.size() - call->sent);
    std::memcpy(buffer, call->request.data() + call->sent, n);
    call->sent += n;
    if (call->sent == call->request.size()) {
        *flags |= NGHTTP2_DATA_FLAG_EOF;
    }
    return static_cast<ssize_t>(n);
}

int onFrameRecv(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    if (frame->hd.type == NGHTTP2_SETTINGS) {
        static_cast<Call*>(user)->settingsReceived = true;
    }
    return 0;
}

int onHeader(nghttp2_session*, const nghttp2_frame* frame, const std::uint8_t* name,
             std::size_t nameLength, const std::uint8_t* value, std::size_t valueLength,
             std::uint8_t, void* user) {
    auto* call = static_cast<Call*>(user);
    if (frame->hd.stream_id != call->streamId) {
        return 0;
    }
    const std::string key(reinterpret_cast<const char*>(name), nameLength);
    const std::string text(reinterpret_cast<const char*>(value), valueLength);
    if (key == ":status") {
        call->httpStatus = std::atoi(text.c_str());
    } else if (key == "grpc-status") {
        call->grpcStatus = text;
    } else if (key == "grpc-message") {
        call->grpcMessage = percentDecode(text);
    }
    return 0;
}

int onData(nghttp2_session*, std::uint8_t, std::int32_t streamId, const std::uint8_t* data,
           std::size_t length, void* user) {
    auto* call = static_cast<Call*>(user);
    if (streamId == call->streamId && call->data.size() < 64 * 1024) {
        call->data.append(reinterpret_cast<const char*>(data), length);
    }
    return 0;
}

int onStreamClose(nghttp2_session*, std::int32_t streamId, std::uint32_t errorCode, void* user) {
    auto* call = static_cast<Call*>(user);
    if (streamId == call->streamId) {
        call->closed = true;
        call->resetCode = errorCode;
    }
    return 0;
}

/// A header naming storage that outlives the request: literals and the caller's strings.
nghttp2_nv header(const char* name, std::string_view value) {
    nghttp2_nv nv;
    nv.name = reinterpret_cast<std::uint8_t*>(const_cast<char*>(name));
    nv.namelen = std::strlen(name);
    nv.value = reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data()));
    nv.valuelen = value.size();
    nv.flags = NGHTTP2_NV_FLAG_NONE;
    return nv;
}

int millisLeft(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left <= 0 ? 0 : static_cast<int>(left);
}

/// The outcome of one connection attempt.
struct Attempt {
    bool connected = false;  // the server's SETTINGS arrived: grpc-go's READY
    bool timedOut = false;
    std::string error;  // transport error before or after READY
};

/// Talks HTTP/2 on `fd` until the call ends, the connection fails or the deadline passes.
Attempt converse(int fd, Call& call, const std::string& authority, const std::string& service,
                 std::chrono::milliseconds timeout, Clock::time_point deadline,
                 const ProberOptions& options) {
    Attempt attempt;
    nghttp2_session_callbacks* callbacks = nullptr;
    nghttp2_session_callbacks_new(&callbacks);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, onFrameRecv);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, onHeader);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, onData);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, onStreamClose);
    nghttp2_session* session = nullptr;
    nghttp2_session_client_new(&session, callbacks, &call);
    nghttp2_session_callbacks_del(callbacks);

    std::string message;
    if (!service.empty()) {
        message += '\x0a';
        appendVarint(message, service.size());
        message += service;
    }
    call.request.assign(1, '\0');
    const auto length = static_cast<std::uint32_t>(message.size());
    for (int shift = 24; shift >= 0; shift -= 8) {
        call.request += static_cast<char>((length >> shift) & 0xff);
    }
    call.request += message;

    nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, nullptr, 0);
    const std::string grpcTimeout = std::to_string(timeout.count()) + "m";
    const std::string path = kPath;
    const nghttp2_nv headers[] = {
        header(":method", "POST"),
        header(":scheme", "http"),
        header(":path", path),
        header(":authority", authority),
        header("content-type", "application/grpc"),
        header("user-agent", options.userAgent),
        header("te", "trailers"),
        header("grpc-timeout", grpcTimeout),
    };
    nghttp2_data_provider provider{};
    provider.read_callback = readRequest;
    call.streamId = nghttp2_submit_request(
        session, nullptr, headers, sizeof(headers) / sizeof(headers[0]), &provider, nullptr);

    std::string pending;
    char buffer[16 * 1024];
    while (!call.closed) {
        for (;;) {
            const std::uint8_t* chunk = nullptr;
            const ssize_t n = nghttp2_session_mem_send(session, &chunk);
            if (n <= 0) {
                break;
            }
            pending.append(reinterpret_cast<const char*>(chunk), static_cast<std::size_t>(n));
        }
        const int left = millisLeft(deadline);
        if (left == 0) {
            attempt.timedOut = true;
            break;
        }
        pollfd waiting{fd, static_cast<short>(POLLIN | (pending.empty() ? 0 : POLLOUT)), 0};
        const int rc = ::poll(&waiting, 1, left);
        if (rc < 0 && errno == EINTR) {
            continue;
        }
        if (rc < 0) {
            attempt.error = errnoText(errno);
            break;
        }
        if ((waiting.revents & POLLOUT) != 0 && !pending.empty()) {
            // send(MSG_NOSIGNAL): a server that hung up must not SIGPIPE the agent.
            const ssize_t n = ::send(fd, pending.data(), pending.size(), MSG_NOSIGNAL);
            if (n < 0 && errno != EAGAIN && errno != EINTR) {
                attempt.error = "write: " + errnoText(errno);
                break;
            }
            if (n > 0) {
                pending.erase(0, static_cast<std::size_t>(n));
            }
        }
        if ((waiting.revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
            const ssize_t n = ::read(fd, buffer, sizeof(buffer));
            if (n == 0) {
                attempt.error = "error reading from server: EOF";
                break;
            }
            if (n < 0 && errno != EAGAIN && errno != EINTR) {
                attempt.error = "error reading from server: read: " + errnoText(errno);
                break;
            }
            if (n > 0) {
                const ssize_t used =
                    nghttp2_session_mem_recv(session, reinterpret_cast<const std::uint8_t*>(buffer),
                                             static_cast<std::size_t>(n));
                if (used < 0) {
                    attempt.error = std::string("connection error: ") +
                                    nghttp2_strerror(static_cast<int>(used));
                    break;
                }
            }
        }
    }
    attempt.connected = call.settingsReceived;
    nghttp2_session_del(session);
    return attempt;
}

ProbeOutcome failure(std::string message) {
    return {ProbeResult::Failure, std::move(message)};
}

}  // namespace

ProbeOutcome runGrpcProbe(const std::string& host, int port, const std::string& service,
                          std::chrono::milliseconds timeout, const std::string& netnsPath,
                          const ProberOptions& options) {
    const auto deadline = Clock::now() + timeout;
    const std::string address = joinHostPort(host, port);
    const std::string connectTimeout = "timeout: failed to connect service \"" + address +
                                       "\" within " + goDuration(timeout) +
                                       ": context deadline exceeded";
    // grpc-go with WithBlock retries a failing connection until the deadline; so do we, with a
    // short pause between attempts.
    for (;;) {
        auto dialed = dial(netnsPath, host, port, deadline);
        if (dialed.fd < 0) {
            const int left = millisLeft(deadline);
            if (dialed.timedOut || left == 0) {
                return failure(connectTimeout);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min(left, 100)));
            continue;
        }
        Call call;
        const Attempt attempt =
            converse(dialed.fd, call, address, service, timeout, deadline, options);
        ::close(dialed.fd);
        if (!attempt.connected) {
            if (attempt.timedOut || millisLeft(deadline) == 0) {
                return failure(connectTimeout);
            }
            std::this_thread::sleep_for(
                std::chrono::milliseconds(std::min(millisLeft(deadline), 100)));
            continue;
        }
        if (attempt.timedOut) {
            return failure("timeout: health rpc did not complete within " + goDuration(timeout));
        }
        if (!attempt.error.empty()) {
            return failure("error: health rpc probe failed: rpc error: code = Unavailable desc = " +
                           attempt.error);
        }
        if (call.grpcStatus.empty()) {
            if (call.resetCode != 0) {
                return failure(
                    "error: health rpc probe failed: rpc error: code = Internal desc = stream "
                    "terminated by RST_STREAM with error code: " +
                    std::string(nghttp2_http2_strerror(call.resetCode)));
            }
            return failure(
                "error: health rpc probe failed: rpc error: code = Unknown desc = "
                "unexpected HTTP status code received from server: " +
                std::to_string(call.httpStatus));
        }
        const int code = std::atoi(call.grpcStatus.c_str());
        if (code == 12) {
            return failure(
                "error: this server does not implement the grpc health protocol "
                "(grpc.health.v1.Health): " +
                call.grpcMessage);
        }
        if (code == 4) {
            return failure("timeout: health rpc did not complete within " + goDuration(timeout));
        }
        if (code != 0) {
            return failure("error: health rpc probe failed: rpc error: code = " +
                           std::string(codeName(code)) + " desc = " + call.grpcMessage);
        }
        // One length-prefixed HealthCheckResponse; field 1 (varint) is the status, absent = 0.
        std::uint64_t status = 0;
        if (call.data.size() >= 5) {
            const std::string body = call.data.substr(5);
            std::size_t i = 0;
            while (i < body.size()) {
                const auto tag = static_cast<unsigned char>(body[i++]);
                std::uint64_t value = 0;
                int shift = 0;
                while (i < body.size()) {
                    const auto byte = static_cast<unsigned char>(body[i++]);
                    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
                    shift += 7;
                    if ((byte & 0x80) == 0) {
                        break;
                    }
                }
                if (tag == 0x08) {
                    status = value;
                } else {
                    break;  // no other field exists in the message
                }
            }
        }
        if (status != 1) {
            const char* name = servingStatusName(status);
            return failure("service unhealthy (responded with \"" +
                           (name != nullptr ? std::string(name) : std::to_string(status)) + "\")");
        }
        return {ProbeResult::Success, "service healthy"};
    }
}

}  // namespace slipway::agent::probes::detail
