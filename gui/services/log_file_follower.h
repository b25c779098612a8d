// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <memory>

#include <QObject>
#include <QString>
#include <QTimer>

namespace slipway::gui {

/// Follows a growing text file (a guest's serial console log, slipwayd's log) as `tail -f`
/// does: the last kInitialBytes first, then what is appended, read every interval on a pool
/// thread so the GUI thread never touches the disk. A file that shrinks (truncated, replaced
/// by a new boot) is read again from its start, announced with restarted().
class LogFileFollower : public QObject {
    Q_OBJECT

public:
    static constexpr qint64 kInitialBytes = 256 * 1024;

    explicit LogFileFollower(QString path, QObject* parent = nullptr);
    ~LogFileFollower() override;

    const QString& path() const { return m_path; }
    void setInterval(std::chrono::milliseconds interval) { m_timer.setInterval(interval); }

public slots:
    void start();
    void stop();

signals:
    /// New text at the end of the file (whole lines and what follows the last one).
    void appended(const QString& text);
    /// The file was truncated or replaced: what was shown is no longer in it.
    void restarted();
    /// The file does not exist (yet); it is looked for again at the next interval.
    void missing();

private:
    struct Shared;
    void poll();

    QString m_path;
    std::shared_ptr<Shared> m_shared;
    QTimer m_timer;
    qint64 m_offset = -1;  // -1: nothing read yet
    bool m_inFlight = false;
};

}  // namespace slipway::gui
