// SPDX-License-Identifier: Apache-2.0
// Figures for docs/BENCHMARKS.md: requests per second and latency of small GETs through the
// ingress proxy versus straight to the backend, on keep-alive connections from several
// threads. Prints figures; asserts only that every request was answered 200.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include <QtTest>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "engine/ingress/ingress_proxy.h"

#include "../../unit/ingress/http_test_support.h"

using namespace slipway;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

double percentile(std::vector<double> values, double p) {
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

struct Figures {
    double perSecond = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    bool failed = false;
};

/// GET / with Host `host` on one keep-alive connection per thread, for `duration`.
Figures measure(std::uint16_t port, int threads, std::chrono::seconds duration) {
    std::atomic<bool> failed{false};
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(threads));
    const auto start = Clock::now();
    const auto until = start + duration;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            asio::io_context io;
            beast::tcp_stream stream(io);
            boost::system::error_code ec;
            stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
            if (ec) {
                failed = true;
                return;
            }
            beast::flat_buffer buffer;
            http::request<http::empty_body> request{http::verb::get, "/", 11};
            request.set(http::field::host, "bench.example.com");
            while (Clock::now() < until) {
                const auto sent = Clock::now();
                http::write(stream, request, ec);
                http::response<http::string_body> response;
                if (!ec) {
                    http::read(stream, buffer, response, ec);
                }
                if (ec || response.result_int() != 200) {
                    failed = true;
                    return;
                }
                latencies[static_cast<std::size_t>(t)].push_back(
                    std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
            }
        });
    }
    for (auto& worker : workers) {
        worker.join();
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    std::vector<double> all;
    for (const auto& each : latencies) {
        all.insert(all.end(), each.begin(), each.end());
    }
    return {static_cast<double>(all.size()) / elapsed, percentile(all, 0.5), percentile(all, 0.99),
            failed.load()};
}

}  // namespace

class BenchIngressProxy : public QObject {
    Q_OBJECT

private slots:
    void throughProxyVersusDirect() {
        testing::TestBackend backend("bench");
        const nlohmann::json ingressObject = {
            {"metadata", {{"name", "bench"}, {"namespace", "default"}}},
            {"spec",
             {{"rules",
               nlohmann::json::array(
                   {{{"host", "bench.example.com"},
                     {"http",
                      {{"paths",
                        nlohmann::json::array(
                            {{{"path", "/"},
                              {"pathType", "Prefix"},
                              {"backend",
                               {{"service",
                                 {{"name", "bench"}, {"port", {{"number", 80}}}}}}}}})}}}}})}}}};
        const nlohmann::json service = {
            {"metadata", {{"name", "bench"}, {"namespace", "default"}}},
            {"spec", {{"ports", nlohmann::json::array({{{"name", "http"}, {"port", 80}}})}}}};
        const nlohmann::json slice = {
            {"metadata",
             {{"name", "bench-1"},
              {"namespace", "default"},
              {"labels", {{"kubernetes.io/service-name", "bench"}}}}},
            {"addressType", "IPv4"},
            {"ports", nlohmann::json::array({{{"name", "http"}, {"port", backend.port()}}})},
            {"endpoints",
             nlohmann::json::array({{{"addresses", nlohmann::json::array({"127.0.0.1"})}}})}};
        ingress::RoutingInput input;
        input.ingresses.push_back(std::make_shared<const nlohmann::json>(ingressObject));
        input.services.push_back(std::make_shared<const nlohmann::json>(service));
        input.endpointSlices.push_back(std::make_shared<const nlohmann::json>(slice));

        ingress::IngressProxyOptions options;
        options.address = "127.0.0.1";
        options.httpPort = -1;
        options.httpsPort = 0;
        ingress::IngressProxy proxy(options);
        QVERIFY(proxy.start().ok());
        proxy.setTable(ingress::RoutingTable::build(input));

        for (const int threads : {1, 8}) {
            const auto direct = measure(backend.port(), threads, 3s);
            const auto proxied = measure(proxy.httpPort(), threads, 3s);
            QVERIFY(!direct.failed && !proxied.failed);
            std::printf(
                "%d connection(s): direct %.0f req/s (p50 %.3f ms, p99 %.3f ms); "
                "through the ingress %.0f req/s (p50 %.3f ms, p99 %.3f ms), %.0f%%\n",
                threads, direct.perSecond, direct.p50Ms, direct.p99Ms, proxied.perSecond,
                proxied.p50Ms, proxied.p99Ms, 100.0 * proxied.perSecond / direct.perSecond);
        }
    }
};

QTEST_GUILESS_MAIN(BenchIngressProxy)
#include "bench_ingress_proxy.moc"
