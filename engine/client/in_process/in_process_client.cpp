// SPDX-License-Identifier: Apache-2.0
#include "engine/client/in_process/in_process_client.h"

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "engine/client/status_error.h"
#include "engine/client/watch_channel.h"

namespace slipway::client {

namespace {

using Clock = std::chrono::steady_clock;

/// Moves a Router's ResponseStream into a WatchChannel, on the consumer's thread (the
/// channel's demand hook). Holds the channel weakly: the channel holds this through its hooks.
class StreamPump {
public:
    StreamPump(std::shared_ptr<apiserver::ResponseStream> stream,
               std::weak_ptr<WatchChannel> channel, std::optional<Clock::time_point> deadline)
        : m_stream(std::move(stream)), m_channel(std::move(channel)), m_deadline(deadline) {}

    /// Reads what the stream has now, while the channel has room.
    void pump() {
        std::lock_guard lock(m_mutex);
        auto channel = m_channel.lock();
        if (!channel || m_done) {
            return;
        }
        for (;;) {
            if (!pushLines(*channel, m_lines)) {
                endLocked();
                return;
            }
            if (channel->pauseIfFull()) {
                return;  // the consumer pumps again once it has made room
            }
            if (m_streamEnded) {
                break;
            }
            if (m_deadline && Clock::now() >= *m_deadline) {
                // The server's end of a watch (timeoutSeconds), as the HTTP server would.
                m_stream->cancel();
                m_streamEnded = true;
                break;
            }
            const std::size_t before = m_lines.size();
            if (!m_stream->read(m_lines)) {
                m_streamEnded = true;
                continue;  // push what the last read gave, then end
            }
            if (m_lines.size() == before) {
                return;  // nothing more for now; the stream's wake flags the channel
            }
        }
        if (!m_lines.empty()) {
            channel->pushLine(m_lines);
            m_lines.clear();
        }
        channel->finish(std::nullopt);
        m_done = true;
    }

    void cancel() {
        std::lock_guard lock(m_mutex);
        endLocked();
    }

private:
    void endLocked() {
        if (!m_streamEnded) {
            m_stream->cancel();
            m_streamEnded = true;
        }
        m_done = true;
    }

    std::mutex m_mutex;
    std::shared_ptr<apiserver::ResponseStream> m_stream;
    std::weak_ptr<WatchChannel> m_channel;
    std::optional<Clock::time_point> m_deadline;
    std::string m_lines;
    bool m_streamEnded = false;
    bool m_done = false;
};

}  // namespace

InProcessClient::InProcessClient(const apiserver::Router& router, apiserver::Identity identity)
    : InProcessClient(
          [&router](const apiserver::HttpRequest& request) { return router.handle(request); },
          std::move(identity)) {}

InProcessClient::InProcessClient(Handler handler, apiserver::Identity identity)
    : m_handler(std::move(handler)), m_identity(std::move(identity)) {}

apiserver::HttpRequest InProcessClient::toHttpRequest(const Request& request) const {
    apiserver::HttpRequest http(request.method, request.target, request.body);
    http.accept = request.accept;
    http.contentType = request.contentType;
    http.identity = m_identity;
    return http;
}

core::Result<Response> InProcessClient::send(const Request& request) const {
    apiserver::HttpResponse answer = m_handler(toHttpRequest(request));
    if (answer.stream) {
        // A streaming answer to a plain call (a watch sent through send()): there is no whole
        // body to give, so end the stream and say so.
        answer.stream->cancel();
        return core::Error(core::ErrorCode::BadRequest, request.method + " " + request.target +
                                                            " answers with a stream: use watch()");
    }
    Response response;
    response.status = answer.status;
    response.contentType = std::move(answer.contentType);
    response.body = std::move(answer.body);
    return response;
}

core::Result<Watch> InProcessClient::stream(const Request& request,
                                            std::size_t bufferCapacity) const {
    apiserver::HttpResponse answer = m_handler(toHttpRequest(request));
    if (!answer.stream) {
        if (answer.status >= 200 && answer.status < 300) {
            return core::Error(core::ErrorCode::Internal, request.method + " " + request.target +
                                                              " did not answer with a "
                                                              "stream");
        }
        return errorFromStatus(answer.status, answer.body);
    }
    auto channel = std::make_shared<WatchChannel>(bufferCapacity);
    std::optional<Clock::time_point> deadline;
    if (answer.streamTimeout.count() > 0) {
        deadline = Clock::now() + answer.streamTimeout;
        channel->setDeadline(*deadline);
    }
    auto pump = std::make_shared<StreamPump>(answer.stream, channel, deadline);
    channel->setHooks([pump] { pump->pump(); }, [pump] { pump->cancel(); });
    const std::weak_ptr<WatchChannel> weak = channel;
    answer.stream->start([weak] {
        if (auto target = weak.lock()) {
            target->signal();
        }
    });
    return Watch(std::move(channel));
}

}  // namespace slipway::client
