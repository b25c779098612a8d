// SPDX-License-Identifier: Apache-2.0
// Figures for docs/BENCHMARKS.md: Slipway Studio's topology with 2,000 pods on 100 simulated
// nodes (a real slipwayd, `--sim-nodes 100`), fed through ClusterConnection's informers.
//
// - change latency: from just before a pod is patched (a label) or deleted to the moment the
//   TopologyModel and the TopologyView's scene show it (target: < 200 ms);
// - panning: frames per second while the offscreen view scrolls across the node lanes, each
//   frame rendered into a QImage (target: >= 30 fps), at 100 % zoom and zoomed out to fit.
// Asserts only that the operations succeeded.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QScrollBar>
#include <QThread>
#include <QThreadPool>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/client/https_client.h"
#include "engine/client/resource_ref.h"
#include "gui/models/topology_model.h"
#include "gui/services/cluster_connection.h"
#include "gui/views/topology_items.h"
#include "gui/views/topology_view.h"

#include "tests/integration/test_support.h"

using namespace slipway;
using gui::TopologyModel;
using gui::VertexKind;
using gui::VertexState;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kNodes = 100;
constexpr int kPods = 2000;
constexpr int kSamples = 20;

double millis(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

json deployment(int replicas) {
    json container = {{"name", "web"}, {"image", "nginx:1.25"}};
    return {{"apiVersion", "apps/v1"},
            {"kind", "Deployment"},
            {"metadata", {{"name", "big"}, {"namespace", "default"}}},
            {"spec",
             {{"replicas", replicas},
              {"selector", {{"matchLabels", {{"app", "big"}}}}},
              {"template",
               {{"metadata", {{"labels", {{"app", "big"}}}}},
                {"spec", {{"containers", json::array({container})}}}}}}}};
}

struct Stats {
    double median = 0;
    double p95 = 0;
    double max = 0;
};

/// Waits for `condition`, checking it after every event the loop handles (at most 2 ms apart):
/// testing::eventually polls every 250 ms, too coarse for a latency.
bool waitFor(const std::function<bool()>& condition, int ms) {
    QDeadlineTimer deadline(ms);
    while (!condition()) {
        if (deadline.hasExpired()) {
            return false;
        }
        QCoreApplication::processEvents(QEventLoop::AllEvents, 2);
        QCoreApplication::sendPostedEvents();
        QThread::usleep(500);
    }
    return true;
}

Stats statsOf(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    Stats s;
    if (samples.empty()) {
        return s;
    }
    s.median = samples[samples.size() / 2];
    s.p95 = samples[std::min(samples.size() - 1, samples.size() * 95 / 100)];
    s.max = samples.back();
    return s;
}

}  // namespace

class BenchTopology : public QObject {
    Q_OBJECT

    testing::SlipwaydServer m_server;
    std::unique_ptr<client::HttpsClient> m_api;
    std::unique_ptr<gui::ClusterConnection> m_connection;
    std::unique_ptr<TopologyModel> m_model;
    std::unique_ptr<gui::TopologyView> m_view;

    int readyPods() const {
        int ready = 0;
        for (const auto& v : m_model->vertices()) {
            ready += v.kind == VertexKind::Pod && v.state == VertexState::Ready ? 1 : 0;
        }
        return ready;
    }

    /// Renders the view's viewport into an image: what a frame costs.
    void renderFrame(QImage& image) {
        QPainter painter(&image);
        m_view->render(&painter, QRectF(image.rect()), m_view->viewport()->rect());
    }

    /// Frames per second while scrolling `distance` pixels right in `frames` steps.
    double panFps(int frames, int stepPixels) {
        QImage image(m_view->viewport()->size(), QImage::Format_ARGB32_Premultiplied);
        QScrollBar* horizontal = m_view->horizontalScrollBar();
        QScrollBar* vertical = m_view->verticalScrollBar();
        const auto start = Clock::now();
        for (int i = 0; i < frames; ++i) {
            // Zig-zag across the lanes: right, and down one step every 10 frames.
            horizontal->setValue(horizontal->value() +
                                 ((i / 30) % 2 == 0 ? stepPixels : -stepPixels));
            if (i % 10 == 0) {
                vertical->setValue(vertical->value() + stepPixels / 2);
            }
            renderFrame(image);
        }
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        return frames / seconds;
    }

private slots:
    void initTestCase() {
        QVERIFY(
            m_server.start(testing::args({"--sim-nodes", "100", "--sim-start-delay", "0",
                                          "--sim-ready-delay", "0", "--sim-node-pods", "110"})));
        m_api = m_server.apiClient();
        m_model = std::make_unique<TopologyModel>();
        m_view = std::make_unique<gui::TopologyView>(m_model.get());
        m_view->resize(1280, 800);
        m_view->show();
        m_connection = std::make_unique<gui::ClusterConnection>(
            gui::ConnectionTarget{m_server.kubeconfigPath(), {}, QStringLiteral("bench")});
        connect(m_connection.get(), &gui::ClusterConnection::eventsReceived, m_model.get(),
                &TopologyModel::applyEvents);
        QSignalSpy synced(m_connection.get(), &gui::ClusterConnection::synced);
        m_connection->start();
        QVERIFY(synced.wait(60000));
        QTRY_COMPARE_WITH_TIMEOUT(m_model->verticesOfKind(VertexKind::Node).size(), kNodes, 60000);
    }

    void twoThousandPodsArrive() {
        const auto start = Clock::now();
        const auto created =
            m_api->create(client::resources::deployments().in("default"), deployment(kPods));
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message().c_str());
        QVERIFY(testing::eventually([this] { return readyPods() == kPods; }, 300000));
        std::printf(
            "BENCH topology: Deployment of %d replicas created -> %d pods Ready in the "
            "model: %.1f s (%d dot layouts)\n",
            kPods, kPods, std::chrono::duration<double>(Clock::now() - start).count(),
            m_model->skeletonLayoutCount());
        QCOMPARE(m_view->vertexItemCount(), static_cast<int>(m_model->vertices().size()));
    }

    void changeLatency() {
        const auto pods = m_model->verticesOfKind(VertexKind::Pod);
        QVERIFY(pods.size() >= kSamples);
        QStringList ids;
        QStringList names;
        for (int i = 0; i < kSamples; ++i) {
            const auto* pod = pods[i * (static_cast<int>(pods.size()) / kSamples)];
            ids.append(pod->id);
            names.append(pod->name);
        }
        // An update: a label on one pod, until the model and the scene's item carry it.
        std::vector<double> updates;
        for (int i = 0; i < kSamples; ++i) {
            const QString value = QStringLiteral("v%1").arg(i);
            const auto start = Clock::now();
            const auto patched =
                m_api->patch(client::resources::pods().in("default").named(names[i].toStdString()),
                             client::PatchType::Merge,
                             json{{"metadata", {{"labels", {{"bench", value.toStdString()}}}}}});
            QVERIFY(patched.ok());
            QVERIFY(waitFor(
                [&] {
                    const auto* item = m_view->vertexItem(ids[i]);
                    return item != nullptr &&
                           item->vertex().labels.value(QStringLiteral("bench")) == value;
                },
                10000));
            updates.push_back(millis(Clock::now() - start));
        }
        // A removal: a pod deleted at once, until it is gone from the model and the scene.
        std::vector<double> removals;
        for (int i = 0; i < 5; ++i) {
            client::DeleteOptions now;
            now.gracePeriodSeconds = 0;
            const auto start = Clock::now();
            const auto removed = m_api->remove(
                client::resources::pods().in("default").named(names[i].toStdString()), now);
            QVERIFY(removed.ok());
            QVERIFY(waitFor(
                [&] { return m_model->vertex(ids[i]) == nullptr && !m_view->vertexItem(ids[i]); },
                10000));
            removals.push_back(millis(Clock::now() - start));
        }
        const Stats u = statsOf(updates);
        const Stats r = statsOf(removals);
        std::printf(
            "BENCH topology: pod label patch -> model and scene: median %.0f ms, p95 %.0f "
            "ms, max %.0f ms (%d samples, %zu vertices)\n",
            u.median, u.p95, u.max, kSamples, static_cast<std::size_t>(m_model->vertices().size()));
        std::printf(
            "BENCH topology: pod delete -> gone from model and scene: median %.0f ms, "
            "max %.0f ms (5 samples)\n",
            r.median, r.max);
    }

    void panning() {
        QVERIFY(testing::eventually([this] { return readyPods() == kPods; }, 60000));
        // 100 %: cards with names and states readable, the lanes' first pods in view.
        m_view->resetTransform();
        m_view->centerOn(QPointF(600, 400));
        const double full = panFps(150, 40);
        // Zoomed out to fit all 2,000 pods (cards drawn as coloured blocks).
        m_view->zoomToFit();
        const double fittedZoom = m_view->zoom();
        const double fitted = panFps(150, 20);
        m_view->resetTransform();
        m_view->scale(0.5, 0.5);
        const double half = panFps(150, 40);
        std::printf(
            "BENCH topology: panning, 1280x800 frames rendered offscreen: %.0f fps at "
            "100%%, %.0f fps at 50%%, %.0f fps fitted (zoom %.3f), %d items\n",
            full, half, fitted, fittedZoom, static_cast<int>(m_view->scene()->items().size()));
        QVERIFY(full > 0 && fitted > 0);
    }

    void cleanupTestCase() {
        m_view.reset();
        m_connection.reset();
        m_model.reset();
        m_api.reset();
        QThreadPool::globalInstance()->waitForDone(30000);
        m_server.terminate();
    }
};

QTEST_MAIN(BenchTopology)
#include "bench_topology.moc"
