// SPDX-License-Identifier: Apache-2.0
#include <filesystem>
#include <memory>
#include <vector>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "gui/services/cluster_service.h"
#include "vm/cluster.h"

using slipway::gui::ClusterService;
using slipway::vm::ClusterStatus;
using namespace std::chrono_literals;

namespace {

/// Writes `<root>/<name>/cluster.json` the way `slipway start` does before launching.
void createStoppedCluster(const QString& root, const char* name) {
    const std::filesystem::path dir = std::filesystem::path(root.toStdString()) / name;
    std::filesystem::create_directories(dir);
    slipway::vm::ClusterSpec spec;
    spec.name = name;
    spec.createdAt =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto saved = slipway::vm::saveClusterSpec(dir / "cluster.json", spec);
    QVERIFY2(saved.ok(), saved.ok() ? "" : saved.error().message().c_str());
}

slipway::vm::ClusterManagerOptions optionsFor(const QString& root) {
    slipway::vm::ClusterManagerOptions options;
    options.clustersRoot = root.toStdString();
    return options;
}

/// Records what a service answers, and on which thread.
struct Recorder {
    explicit Recorder(ClusterService& service) {
        QObject::connect(&service, &ClusterService::clustersChanged, &service,
                         [this](const std::vector<ClusterStatus>& clusters) {
                             listings.push_back(clusters);
                             threads.push_back(QThread::currentThread());
                         });
        QObject::connect(&service, &ClusterService::errorOccurred, &service,
                         [this](const QString& message) { errors << message; });
    }
    std::vector<std::vector<ClusterStatus>> listings;
    std::vector<QThread*> threads;
    QStringList errors;
};

}  // namespace

class TestClusterService : public QObject {
    Q_OBJECT

private slots:
    void missingRootListsNothing() {
        QTemporaryDir root;
        ClusterService service(optionsFor(root.filePath(QStringLiteral("absent"))));
        Recorder recorder(service);
        service.refresh();
        QTRY_COMPARE(recorder.listings.size(), std::size_t{1});
        QVERIFY(recorder.listings.front().empty());
        QVERIFY(recorder.errors.isEmpty());
    }

    void listsOffThisThreadAndAnswersOnIt() {
        QTemporaryDir root;
        createStoppedCluster(root.path(), "beta");
        createStoppedCluster(root.path(), "alpha");
        ClusterService service(optionsFor(root.path()));
        Recorder recorder(service);

        service.refresh();
        // Had the listing run inside refresh(), its answer would already be here.
        QCOMPARE(recorder.listings.size(), std::size_t{0});

        QTRY_COMPARE(recorder.listings.size(), std::size_t{1});
        QCOMPARE(recorder.threads.front(), QThread::currentThread());
        const auto& clusters = recorder.listings.front();
        QCOMPARE(clusters.size(), std::size_t{2});
        QCOMPARE(clusters[0].spec.name, std::string("alpha"));
        QCOMPARE(clusters[1].spec.name, std::string("beta"));
        QCOMPARE(clusters[0].state, slipway::vm::ClusterState::Stopped);
    }

    void pollsWhileActive() {
        QTemporaryDir root;
        createStoppedCluster(root.path(), "one");
        ClusterService service(optionsFor(root.path()));
        QCOMPARE(service.pollInterval(), 2000ms);
        service.setPollInterval(50ms);
        Recorder recorder(service);

        service.setActive(true);
        QVERIFY(service.isActive());
        QTRY_COMPARE(recorder.listings.size(), std::size_t{1});
        QCOMPARE(recorder.listings.back().size(), std::size_t{1});

        // Nobody calls refresh() again: only the timer can bring the new cluster in.
        createStoppedCluster(root.path(), "two");
        QTRY_COMPARE(recorder.listings.back().size(), std::size_t{2});

        service.setActive(false);
        QVERIFY(!service.isActive());
    }

    void reportsAnUnreadableRoot() {
        QTemporaryDir dir;
        const QString notADirectory = dir.filePath(QStringLiteral("file"));
        QFile file(notADirectory);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();

        ClusterService service(optionsFor(notADirectory));
        Recorder recorder(service);
        service.refresh();
        QTRY_COMPARE(recorder.errors.size(), 1);
        QVERIFY2(recorder.errors.front().contains(notADirectory),
                 qPrintable(recorder.errors.front()));
        QVERIFY(recorder.listings.empty());
    }

    void destroyingWithAListingInFlightIsSafe() {
        QTemporaryDir root;
        createStoppedCluster(root.path(), "one");
        for (int i = 0; i < 20; ++i) {
            auto doomed = std::make_unique<ClusterService>(optionsFor(root.path()));
            doomed->refresh();
        }
        // The abandoned answers are dropped; a new service still gets its own.
        ClusterService service(optionsFor(root.path()));
        Recorder recorder(service);
        service.refresh();
        QTRY_COMPARE(recorder.listings.size(), std::size_t{1});
        QCOMPARE(recorder.listings.front().size(), std::size_t{1});
    }

    void clustersRootDefaultsLikeTheManager() {
        ClusterService service{slipway::vm::ClusterManagerOptions{}};
        QCOMPARE(
            service.clustersRoot(),
            QString::fromStdString(slipway::vm::ClusterManager::defaultClustersRoot().string()));
    }
};

QTEST_GUILESS_MAIN(TestClusterService)
#include "tst_cluster_service.moc"
