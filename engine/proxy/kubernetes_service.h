// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "engine/client/client.h"
#include "engine/core/result.h"

namespace slipway::proxy {

/// kube-apiserver's endpoint reconciler: the Service default/kubernetes (cluster IP
/// 10.96.0.1, port https 443) with Endpoints and an EndpointSlice naming the API server's
/// address and port, so that pods reach the API at https://kubernetes.default.svc. Checked at
/// start and every `interval`, repaired if changed or deleted.
class KubernetesServiceReconciler {
public:
    struct Options {
        /// Where pods reach the API server (the node IP, or the advertised address).
        std::string address;
        int port = 6443;
        std::string clusterIp = "10.96.0.1";
        std::chrono::milliseconds interval = std::chrono::seconds(10);
    };

    KubernetesServiceReconciler(const client::Client& client, Options options);
    ~KubernetesServiceReconciler();
    KubernetesServiceReconciler(const KubernetesServiceReconciler&) = delete;
    KubernetesServiceReconciler& operator=(const KubernetesServiceReconciler&) = delete;

    /// One pass: creates or corrects the three objects.
    core::Result<void> reconcile() const;
    /// Reconciles now, then every interval on a thread of its own.
    void start();
    void stop();

private:
    const client::Client& m_client;
    Options m_options;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

}  // namespace slipway::proxy
