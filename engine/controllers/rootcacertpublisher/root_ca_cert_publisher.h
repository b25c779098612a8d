// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/controllers/manager/controller.h"
#include "engine/core/result.h"

namespace slipway::controllers {

/// kube-controller-manager's root-ca-cert-publisher
/// (pkg/controller/certificates/rootcacertpublisher): every active namespace has a ConfigMap
/// `kube-root-ca.crt` whose `ca.crt` is the cluster CA, annotated with kube's description. Pods
/// read it through their projected service-account volume to trust the API server. A namespace
/// added, or the ConfigMap changed or deleted, queues its namespace; the sync creates or corrects
/// the ConfigMap.
///
/// Watches only ConfigMaps of that name (a field selector), so large ConfigMaps elsewhere cost
/// nothing. Without a CA (a plain-HTTP test server) it does nothing.
class RootCaCertPublisher final : public Controller {
public:
    explicit RootCaCertPublisher(const ControllerContext& context);
    ~RootCaCertPublisher() override;

    std::string_view name() const override { return "root-ca-cert-publisher"; }
    void run(int workers) override;
    void stop() override;

    /// Makes `nameSpace`'s kube-root-ca.crt hold the CA (level-triggered, from the listers).
    core::Result<void> sync(const std::string& nameSpace);

    /// The ConfigMap as kube's publisher writes it.
    static nlohmann::json configMap(const std::string& nameSpace, const std::string& caPem);

private:
    const client::Client& m_client;
    const std::string m_caPem;
    client::Informer& m_namespaces;
    client::Informer& m_configMaps;
    client::WorkQueue m_queue;
    ControllerWorkers m_workers;
};

}  // namespace slipway::controllers
