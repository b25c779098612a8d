// SPDX-License-Identifier: Apache-2.0
#include "gui/services/log_streams.h"

#include <mutex>
#include <thread>

#include <QMetaObject>
#include <QThreadPool>

#include "engine/client/pod_log_stream.h"
#include "gui/services/api_session.h"

namespace slipway::gui {

struct LogStreams::Shared {
    explicit Shared(ConnectionTarget target) : session(std::move(target)) {}

    ApiSession session;
    std::mutex mutex;
    LogStreams* receiver = nullptr;  // guarded by mutex

    template <typename Function>
    void post(Function function) {
        const std::lock_guard lock(mutex);
        if (receiver == nullptr) {
            return;
        }
        LogStreams* target = receiver;
        QMetaObject::invokeMethod(
            target, [target, function = std::move(function)]() mutable { function(*target); },
            Qt::QueuedConnection);
    }
};

/// One followed pod: its thread, and the PodLogStream once the thread has made it.
struct LogStreams::Stream {
    std::mutex mutex;
    bool cancelled = false;                           // guarded by mutex
    std::shared_ptr<client::PodLogStream> logStream;  // guarded by mutex
    std::thread thread;

    void cancel() {
        const std::lock_guard lock(mutex);
        cancelled = true;
        if (logStream) {
            logStream->cancel();
        }
    }
};

namespace {

/// Cancels and joins `stream` on a pool thread (a cancelled stream ends quickly, but joining
/// is still a wait the GUI thread must not do).
template <typename StreamPtr>
void retire(StreamPtr stream) {
    stream->cancel();
    QThreadPool::globalInstance()->start([stream = std::move(stream)] {
        if (stream->thread.joinable()) {
            stream->thread.join();
        }
    });
}

}  // namespace

LogStreams::LogStreams(ConnectionTarget target, QObject* parent)
    : QObject(parent), m_shared(std::make_shared<Shared>(std::move(target))) {
    m_shared->receiver = this;
}

LogStreams::~LogStreams() {
    {
        const std::lock_guard lock(m_shared->mutex);
        m_shared->receiver = nullptr;
    }
    stopAll();
}

void LogStreams::follow(const QString& nameSpace, const QString& pod) {
    const QString key = nameSpace + QLatin1Char('/') + pod;
    if (m_streams.contains(key)) {
        return;
    }
    auto stream = std::make_shared<Stream>();
    m_streams.insert(key, stream);
    client::PodLogRequest request;
    request.nameSpace = nameSpace.toStdString();
    request.pod = pod.toStdString();
    request.follow = true;
    request.timestamps = true;
    request.tailLines = m_tailLines;
    // The thread holds the Stream only weakly through `raw`: the Stream outlives the thread,
    // as whoever drops it from m_streams retires (joins) it first.
    Stream* raw = stream.get();
    stream->thread = std::thread([shared = m_shared, raw, request, key, pod] {
        QString error;
        auto config = shared->session.config();
        if (!config.ok()) {
            error = QString::fromStdString(config.error().message());
        } else {
            auto logStream = std::make_shared<client::PodLogStream>(config.value(), request);
            {
                const std::lock_guard lock(raw->mutex);
                raw->logStream = logStream;
                if (raw->cancelled) {
                    logStream->cancel();
                }
            }
            auto result = logStream->run([&shared, &pod](std::string_view chunk) {
                QByteArray bytes(chunk.data(), static_cast<qsizetype>(chunk.size()));
                shared->post([pod, bytes](LogStreams& s) { emit s.chunkReceived(pod, bytes); });
            });
            if (!result.ok()) {
                if (result.error().code() == core::ErrorCode::Cancelled) {
                    return;
                }
                error = QString::fromStdString(result.error().message());
            }
        }
        shared->post([key, pod, error, raw](LogStreams& s) {
            // Only if `key` is still this stream, not one started again since.
            auto it = s.m_streams.constFind(key);
            if (it != s.m_streams.constEnd() && it.value().get() == raw) {
                s.finished(key);
            }
            emit s.streamEnded(pod, error);
        });
    });
}

void LogStreams::finished(const QString& key) {
    if (auto stream = m_streams.take(key)) {
        retire(std::move(stream));
    }
}

void LogStreams::stop(const QString& nameSpace, const QString& pod) {
    finished(nameSpace + QLatin1Char('/') + pod);
}

void LogStreams::stopAll() {
    const auto streams = std::exchange(m_streams, {});
    for (const auto& stream : streams) {
        retire(stream);
    }
}

}  // namespace slipway::gui
