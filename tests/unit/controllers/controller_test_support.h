// SPDX-License-Identifier: Apache-2.0
// What the tests of the issue-4 controllers share: an in-process API server with shared
// informers and a ControllerContext, pod builders, and a stand-in kubelet that sets pod
// status through the API as a node agent would.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include <QDir>
#include <QTemporaryDir>
#include <nlohmann/json.hpp>

#include "engine/client/shared_informers.h"
#include "engine/controllers/manager/controller.h"

#include "../client/test_server.h"

namespace slipway::testing {

/// TestServer + direct client + SharedInformers + ControllerContext.
struct ControllerHarness {
    QTemporaryDir dir;
    std::unique_ptr<TestServer> server;
    std::unique_ptr<client::InProcessClient> client;
    std::unique_ptr<client::SharedInformers> informers;
    std::unique_ptr<controllers::ControllerContext> context;

    ControllerHarness() {
        QDir().mkpath(dir.path());
        server = std::make_unique<TestServer>(dir.path().toStdString());
        client = server->directClient();
        informers = std::make_unique<client::SharedInformers>(*client);
        context = std::make_unique<controllers::ControllerContext>(
            controllers::ControllerContext{*client, *informers});
    }
    /// Starts the informers and waits for them.
    bool start() {
        informers->start();
        return informers->waitForSync(std::chrono::seconds(10));
    }
    ~ControllerHarness() {
        if (informers) {
            informers->stop();
        }
    }
};

inline nlohmann::json podJson(const std::string& nameSpace, const std::string& name,
                              const nlohmann::json& labels) {
    return {{"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", {{"name", name}, {"namespace", nameSpace}, {"labels", labels}}},
            {"spec",
             {{"containers", nlohmann::json::array(
                                 {{{"name", "app"},
                                   {"image", "nginx"},
                                   {"ports", nlohmann::json::array({{{"name", "http"},
                                                                     {"containerPort", 8080},
                                                                     {"protocol", "TCP"}}})}}})}}}};
}

/// Sets a pod's status as a kubelet would: phase, podIP and the Ready condition.
inline core::Result<nlohmann::json> setPodStatus(const client::Client& client, nlohmann::json pod,
                                                 const std::string& phase, const std::string& ip,
                                                 bool ready) {
    const std::string now = "2026-01-01T00:00:00Z";
    nlohmann::json& status = pod["status"];
    status["phase"] = phase;
    if (!ip.empty()) {
        status["podIP"] = ip;
        status["podIPs"] = nlohmann::json::array({{{"ip", ip}}});
    }
    status["conditions"] = nlohmann::json::array(
        {{{"type", "Ready"}, {"status", ready ? "True" : "False"}, {"lastTransitionTime", now}}});
    const std::string ns = pod["metadata"]["namespace"];
    const std::string name = pod["metadata"]["name"];
    return client.updateStatus(client::resources::pods().in(ns).named(name), pod);
}

/// A stand-in kubelet: every few milliseconds it looks at the pods of a namespace, starts
/// pending ones (Running, an IP, Ready) and asks `outcome` whether a running pod, started that
/// long ago, is to finish ("Succeeded" or "Failed") or keep running (""). It also keeps the
/// most pods it saw active at once, per label value of `countLabel`.
class FakeKubelet {
public:
    using Outcome =
        std::function<std::string(const nlohmann::json& pod, std::chrono::milliseconds running)>;

    FakeKubelet(const client::Client& client, std::string nameSpace, Outcome outcome)
        : m_client(client), m_nameSpace(std::move(nameSpace)), m_outcome(std::move(outcome)) {
        m_thread = std::thread([this] { loop(); });
    }
    ~FakeKubelet() {
        m_stop = true;
        m_thread.join();
    }
    /// The most non-terminal, non-deleting pods seen at once.
    int maxActive() const { return m_maxActive; }

private:
    void loop() {
        int nextIp = 1;
        while (!m_stop) {
            auto pods = m_client.list(client::resources::pods().in(m_nameSpace));
            if (pods) {
                int active = 0;
                const auto now = std::chrono::steady_clock::now();
                for (auto& pod : pods->items) {
                    const std::string uid = pod["metadata"]["uid"];
                    const std::string phase =
                        pod.value("/status/phase"_json_pointer, std::string());
                    const bool deleting = pod["metadata"].contains("deletionTimestamp");
                    if (deleting || phase == "Succeeded" || phase == "Failed") {
                        continue;
                    }
                    ++active;
                    if (phase != "Running") {
                        const std::string ip = "10.1." + std::to_string(nextIp / 250) + "." +
                                               std::to_string(nextIp % 250 + 1);
                        ++nextIp;
                        if (setPodStatus(m_client, pod, "Running", ip, true)) {
                            m_started[uid] = now;
                        }
                        continue;
                    }
                    const auto started = m_started.find(uid);
                    const auto running =
                        started == m_started.end()
                            ? std::chrono::milliseconds(0)
                            : std::chrono::duration_cast<std::chrono::milliseconds>(
                                  now - started->second);
                    const std::string finish = m_outcome(pod, running);
                    if (!finish.empty()) {
                        (void)setPodStatus(m_client, pod, finish,
                                           pod.value("/status/podIP"_json_pointer, std::string()),
                                           false);
                    }
                }
                m_maxActive = std::max(m_maxActive.load(), active);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }

    const client::Client& m_client;
    const std::string m_nameSpace;
    const Outcome m_outcome;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_maxActive{0};
    std::map<std::string, std::chrono::steady_clock::time_point> m_started;
    std::thread m_thread;
};

/// The reasons of the Events about the object named `name` in `nameSpace`, with their counts.
inline std::multiset<std::string> eventReasons(const client::Client& client,
                                               const std::string& nameSpace,
                                               const std::string& name) {
    std::multiset<std::string> reasons;
    client::ListOptions options;
    options.fieldSelector = "involvedObject.name=" + name;
    auto events = client.list(client::resources::events().in(nameSpace), options);
    if (!events) {
        return reasons;
    }
    for (const auto& event : events->items) {
        const auto count = event.value("count", 1);
        for (int i = 0; i < count; ++i) {
            reasons.insert(event.value("reason", std::string()));
        }
    }
    return reasons;
}

}  // namespace slipway::testing
