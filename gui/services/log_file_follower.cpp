// SPDX-License-Identifier: Apache-2.0
#include "gui/services/log_file_follower.h"

#include <mutex>

#include <QFile>
#include <QMetaObject>
#include <QThreadPool>

namespace slipway::gui {

/// Lets a read on a pool thread find out whether its follower still exists (see
/// ClusterService::Shared for the pattern).
struct LogFileFollower::Shared {
    std::mutex mutex;
    LogFileFollower* receiver = nullptr;  // guarded by mutex
};

LogFileFollower::LogFileFollower(QString path, QObject* parent)
    : QObject(parent),
      m_path(std::move(path)),
      m_shared(std::make_shared<Shared>()),
      m_timer(this) {
    m_shared->receiver = this;
    m_timer.setInterval(std::chrono::milliseconds(500));
    connect(&m_timer, &QTimer::timeout, this, &LogFileFollower::poll);
}

LogFileFollower::~LogFileFollower() {
    const std::lock_guard lock(m_shared->mutex);
    m_shared->receiver = nullptr;
}

void LogFileFollower::start() {
    m_timer.start();
    poll();
}

void LogFileFollower::stop() {
    m_timer.stop();
}

void LogFileFollower::poll() {
    if (m_inFlight) {
        return;
    }
    m_inFlight = true;
    QThreadPool::globalInstance()->start([shared = m_shared, path = m_path, offset = m_offset] {
        struct Read {
            bool exists = false;
            bool restarted = false;
            qint64 offset = 0;
            QByteArray bytes;
        } read;
        QFile file(path);
        if (file.open(QIODevice::ReadOnly)) {
            read.exists = true;
            const qint64 size = file.size();
            qint64 from = offset;
            if (offset < 0) {
                from = std::max<qint64>(0, size - kInitialBytes);
            } else if (size < offset) {
                read.restarted = true;
                from = 0;
            }
            file.seek(from);
            read.bytes = file.read(std::max<qint64>(0, size - from));
            read.offset = from + read.bytes.size();
        }
        const std::lock_guard lock(shared->mutex);
        if (shared->receiver == nullptr) {
            return;
        }
        LogFileFollower* receiver = shared->receiver;
        QMetaObject::invokeMethod(
            receiver,
            [receiver, read = std::move(read)] {
                receiver->m_inFlight = false;
                if (!read.exists) {
                    emit receiver->missing();
                    return;
                }
                if (read.restarted) {
                    emit receiver->restarted();
                }
                receiver->m_offset = read.offset;
                if (!read.bytes.isEmpty()) {
                    emit receiver->appended(QString::fromUtf8(read.bytes));
                }
            },
            Qt::QueuedConnection);
    });
}

}  // namespace slipway::gui
