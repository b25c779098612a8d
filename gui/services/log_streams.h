// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>

#include "gui/services/cluster_connection.h"

namespace slipway::gui {

/// Follows pods' logs through the API server (engine/client's PodLogStream), each on a thread
/// of its own since a followed log lasts as long as its container; what arrives is delivered
/// to this object's thread as chunkReceived. Starting and stopping never block the GUI thread.
class LogStreams : public QObject {
    Q_OBJECT

public:
    explicit LogStreams(ConnectionTarget target, QObject* parent = nullptr);
    /// Cancels every stream; their threads are joined off this thread.
    ~LogStreams() override;

    /// Lines from before the stream started that each new stream asks for (`tailLines`).
    void setTailLines(int lines) { m_tailLines = lines; }
    int activeStreams() const { return static_cast<int>(m_streams.size()); }

public slots:
    /// Follows `nameSpace`/`pod` (its only container) with timestamps.
    void follow(const QString& nameSpace, const QString& pod);
    void stop(const QString& nameSpace, const QString& pod);
    void stopAll();

signals:
    void chunkReceived(const QString& pod, const QByteArray& chunk);
    /// The stream has ended: `error` empty when the log simply ended (the container stopped).
    void streamEnded(const QString& pod, const QString& error);

private:
    struct Shared;
    struct Stream;
    void finished(const QString& key);

    std::shared_ptr<Shared> m_shared;
    QHash<QString, std::shared_ptr<Stream>> m_streams;  // by "namespace/pod"
    int m_tailLines = 1000;
};

}  // namespace slipway::gui
