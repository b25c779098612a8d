// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/streaming/image_upload.h"

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>

#include <boost/beast/http/status.hpp>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/agent/streaming/streaming_backend.h"
#include "engine/api/status.h"

namespace slipway::agent::streaming {
namespace {

using apiserver::HttpRequest;
using apiserver::HttpResponse;

HttpResponse statusOf(const core::Error& error) {
    return HttpResponse::make(core::httpStatus(error.code()), "application/json",
                              api::failureStatus(error).dump());
}

bool writeAll(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t written = ::write(fd, data.data(), data.size());
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written <= 0) {
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(written));
    }
    return true;
}

}  // namespace

HttpResponse ImageUpload::handle(const HttpRequest& request) const {
    const auto [path, query] = apiserver::splitTarget(request.target);
    if (path != "/images/load") {
        return statusOf(core::Error(core::ErrorCode::NotFound, "404 page not found"));
    }
    if (request.method != "POST") {
        return statusOf(core::Error(core::ErrorCode::MethodNotAllowed,
                                    request.method + " is not allowed on /images/load"));
    }
    auto upload = newUploadPath();
    if (!upload) {
        return statusOf(upload.error());
    }
    if (!request.streamedBodyLength) {
        {
            std::ofstream out(*upload, std::ios::binary | std::ios::trunc);
            out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
            if (!out) {
                return statusOf(core::Error(core::ErrorCode::Internal,
                                            "writing " + upload->string() + " failed"));
            }
        }
        return load(*upload);
    }
    HttpResponse response;
    response.takeover = [this, length = *request.streamedBodyLength,
                         upload = *upload](int fd) mutable {
        m_spawn([this, fd, length, upload = std::move(upload)] {
            auto received = receive(fd, length, upload);
            const HttpResponse answer = received ? load(upload) : statusOf(received.error());
            std::error_code ignored;
            std::filesystem::remove(upload, ignored);
            writeAll(fd, serialize(answer));
            ::shutdown(fd, SHUT_WR);
            ::close(fd);
        });
    };
    return response;
}

HttpResponse ImageUpload::load(const std::filesystem::path& archive) const {
    auto loaded = m_backend.loadImages(archive);
    std::error_code ignored;
    std::filesystem::remove(archive, ignored);
    if (!loaded) {
        return statusOf(loaded.error());
    }
    return HttpResponse::make(200, "application/json", loaded->dump());
}

core::Result<std::filesystem::path> ImageUpload::newUploadPath() const {
    static std::atomic<std::uint64_t> sequence{0};
    const auto directory = m_backend.uploadDirectory();
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error) {
        return core::Error(core::ErrorCode::Internal,
                           "creating " + directory.string() + ": " + error.message());
    }
    return directory / ("upload-" + std::to_string(::getpid()) + "-" +
                        std::to_string(sequence.fetch_add(1)) + ".tar");
}

core::Result<void> ImageUpload::receive(int fd, std::uint64_t length,
                                        const std::filesystem::path& path) {
    const int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0) {
        return core::Error(core::ErrorCode::Internal,
                           "creating " + path.string() + ": " + std::strerror(errno));
    }
    std::array<char, 256 * 1024> buffer{};
    std::uint64_t left = length;
    while (left > 0) {
        const ssize_t got = ::read(fd, buffer.data(), std::min<std::uint64_t>(left, buffer.size()));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            ::close(out);
            return core::Error(core::ErrorCode::BadRequest,
                               "the upload ended after " + std::to_string(length - left) + " of " +
                                   std::to_string(length) + " bytes");
        }
        if (!writeAll(out, std::string_view(buffer.data(), static_cast<std::size_t>(got)))) {
            ::close(out);
            return core::Error(core::ErrorCode::Internal,
                               "writing " + path.string() + ": " + std::strerror(errno));
        }
        left -= static_cast<std::uint64_t>(got);
    }
    if (::close(out) != 0) {
        return core::Error(core::ErrorCode::Internal,
                           "writing " + path.string() + ": " + std::strerror(errno));
    }
    return {};
}

std::string ImageUpload::serialize(const HttpResponse& response) {
    std::string text = "HTTP/1.1 " + std::to_string(response.status) + " " +
                       std::string(boost::beast::http::obsolete_reason(
                           static_cast<boost::beast::http::status>(response.status))) +
                       "\r\nContent-Type: " + response.contentType +
                       "\r\nContent-Length: " + std::to_string(response.body.size()) +
                       "\r\nConnection: close\r\n\r\n";
    return text + response.body;
}

}  // namespace slipway::agent::streaming
