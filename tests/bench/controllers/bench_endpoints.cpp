// SPDX-License-Identifier: Apache-2.0
// Figures for docs/BENCHMARKS.md: how long the Endpoints and EndpointSlice controllers take to
// list 1,000 pods behind one Service once they turn ready. The pods exist with IPs but not
// ready; the benchmark then sets all 1,000 Ready (4 writer threads, as many kubelets would) and
// measures until the Endpoints lists 1,000 ready addresses and the EndpointSlices 1,000 ready
// endpoints (read from the controllers' own informer caches). Asserts the end state.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include <QtTest>

#include "engine/controllers/endpoints/endpoints_controller.h"
#include "engine/controllers/endpointslice/endpoint_slice_controller.h"

#include "../../unit/controllers/controller_test_support.h"

using namespace slipway;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kPods = 1000;
constexpr int kWriters = 4;

double millis(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

std::string ipOf(int i) {
    return "10.2." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1);
}

}  // namespace

class BenchEndpoints : public QObject {
    Q_OBJECT

private slots:
    void thousandPodsTurnReady() {
        testing::ControllerHarness harness;
        QVERIFY2(harness.server->error().empty(), harness.server->error().c_str());
        const client::Client& api = *harness.client;
        controllers::EndpointsController endpoints(*harness.context);
        controllers::EndpointSliceController slices(*harness.context);
        auto& endpointsInformer = harness.informers->informerFor(client::resources::endpoints());
        auto& slicesInformer =
            harness.informers->informerFor({"discovery.k8s.io", "v1", "endpointslices"});
        QVERIFY(harness.start());
        endpoints.run(2);
        slices.run(2);

        const json service = {
            {"apiVersion", "v1"},
            {"kind", "Service"},
            {"metadata", {{"name", "web"}, {"namespace", "default"}}},
            {"spec",
             {{"selector", {{"app", "web"}}},
              {"ports", json::array({{{"name", "http"}, {"port", 80}, {"targetPort", "http"}}})}}}};
        QVERIFY(api.create(client::resources::services().in("default"), service).ok());

        // 1,000 pods with IPs, not ready.
        std::vector<json> pods(kPods);
        const auto write = [&](const std::function<bool(int)>& step) {
            std::atomic<bool> failed{false};
            std::vector<std::thread> writers;
            for (int w = 0; w < kWriters; ++w) {
                writers.emplace_back([&, w] {
                    for (int i = w; i < kPods; i += kWriters) {
                        if (!step(i)) {
                            failed = true;
                        }
                    }
                });
            }
            for (auto& writer : writers) {
                writer.join();
            }
            return !failed;
        };
        QVERIFY(write([&](int i) {
            auto created = api.create(
                client::resources::pods().in("default"),
                testing::podJson("default", "web-" + std::to_string(i), {{"app", "web"}}));
            if (!created) {
                return false;
            }
            auto running = testing::setPodStatus(api, *created, "Running", ipOf(i), false);
            if (!running) {
                return false;
            }
            pods[static_cast<std::size_t>(i)] = std::move(*running);
            return true;
        }));

        const auto countEndpoints = [&](const char* field) {
            std::size_t n = 0;
            if (auto object = endpointsInformer.lister().get("default", "web")) {
                for (const json& subset : object->value("subsets", json::array())) {
                    n += subset.value(field, json::array()).size();
                }
            }
            return n;
        };
        const auto countSlices = [&](bool ready) {
            std::size_t n = 0;
            std::size_t objects = 0;
            for (const auto& slice : slicesInformer.lister().list("default")) {
                ++objects;
                for (const json& endpoint : slice->value("endpoints", json::array())) {
                    if (endpoint.value("/conditions/ready"_json_pointer, false) == ready) {
                        ++n;
                    }
                }
            }
            return std::pair{n, objects};
        };
        QTRY_VERIFY_WITH_TIMEOUT(
            countEndpoints("notReadyAddresses") == kPods && countSlices(false).first == kPods,
            120000);

        // All turn ready.
        const auto start = Clock::now();
        QVERIFY(write([&](int i) {
            return testing::setPodStatus(api, pods[static_cast<std::size_t>(i)], "Running", ipOf(i),
                                         true)
                .ok();
        }));
        const auto written = Clock::now();
        Clock::time_point endpointsDone{};
        Clock::time_point slicesDone{};
        const auto deadline = start + std::chrono::seconds(120);
        while ((endpointsDone == Clock::time_point{} || slicesDone == Clock::time_point{}) &&
               Clock::now() < deadline) {
            if (endpointsDone == Clock::time_point{} && countEndpoints("addresses") == kPods) {
                endpointsDone = Clock::now();
            }
            if (slicesDone == Clock::time_point{} && countSlices(true).first == kPods) {
                slicesDone = Clock::now();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        QVERIFY(endpointsDone != Clock::time_point{});
        QVERIFY(slicesDone != Clock::time_point{});
        const auto [readyEndpoints, sliceObjects] = countSlices(true);
        QCOMPARE(readyEndpoints, static_cast<std::size_t>(kPods));
        QCOMPARE(sliceObjects, static_cast<std::size_t>(10));

        std::printf("BENCH 1,000 pods turn ready (status writes from %d threads): %.0f ms\n",
                    kWriters, millis(written - start));
        std::printf(
            "BENCH   Endpoints lists all 1,000 ready: %.0f ms after the first write, "
            "%.0f ms after the last\n",
            millis(endpointsDone - start), millis(endpointsDone - written));
        std::printf(
            "BENCH   EndpointSlices (%zu) list all 1,000 ready: %.0f ms after the first "
            "write, %.0f ms after the last\n",
            sliceObjects, millis(slicesDone - start), millis(slicesDone - written));
        endpoints.stop();
        slices.stop();
    }
};

QTEST_GUILESS_MAIN(BenchEndpoints)
#include "bench_endpoints.moc"
