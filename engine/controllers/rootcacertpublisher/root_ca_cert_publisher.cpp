// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/rootcacertpublisher/root_ca_cert_publisher.h"

#include "engine/admission/service_account.h"

namespace slipway::controllers {
namespace {

using nlohmann::json;

constexpr int kMaxRetries = 15;
constexpr const char* kDescription =
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
    "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
    "guaranteed across distributions of Kubernetes clusters.";

client::InformerOptions rootCaConfigMaps() {
    client::InformerOptions options(client::resources::configMaps());
    options.fieldSelector = std::string("metadata.name=") + admission::kRootCaConfigMap;
    return options;
}

client::WorkQueueOptions queueOptions() {
    client::WorkQueueOptions options;
    options.name = "root_ca_cert_publisher";
    return options;
}

std::string namespaceOf(const json& object) {
    return object.value("/metadata/namespace"_json_pointer, std::string());
}

}  // namespace

RootCaCertPublisher::RootCaCertPublisher(const ControllerContext& context)
    : m_client(context.client),
      m_caPem(context.options.rootCaPem),
      m_namespaces(context.informers.informerFor(client::resources::namespaces())),
      m_configMaps(context.informers.informerFor(rootCaConfigMaps())),
      m_queue(queueOptions()) {
    if (m_caPem.empty()) {
        return;
    }
    const auto byName = [this](const client::ObjectPtr& ns) {
        m_queue.add(ns->value("/metadata/name"_json_pointer, std::string()));
    };
    m_namespaces.addEventHandler(client::EventHandlers{
        byName, [byName](const client::ObjectPtr&, const client::ObjectPtr& ns) { byName(ns); },
        nullptr});
    const auto owner = [this](const client::ObjectPtr& configMap) {
        m_queue.add(namespaceOf(*configMap));
    };
    m_configMaps.addEventHandler(client::EventHandlers{
        nullptr, [owner](const client::ObjectPtr&, const client::ObjectPtr& cm) { owner(cm); },
        owner});
}

RootCaCertPublisher::~RootCaCertPublisher() {
    stop();
}

void RootCaCertPublisher::run(int workers) {
    if (m_caPem.empty()) {
        return;
    }
    m_workers.start(
        m_queue, workers, [this](const std::string& ns) { return sync(ns); }, kMaxRetries);
}

void RootCaCertPublisher::stop() {
    m_queue.shutDown();
    m_workers.stop();
}

json RootCaCertPublisher::configMap(const std::string& nameSpace, const std::string& caPem) {
    return {{"apiVersion", "v1"},
            {"kind", "ConfigMap"},
            {"metadata",
             {{"name", admission::kRootCaConfigMap},
              {"namespace", nameSpace},
              {"annotations", {{"kubernetes.io/description", kDescription}}}}},
            {"data", {{"ca.crt", caPem}}}};
}

core::Result<void> RootCaCertPublisher::sync(const std::string& nameSpace) {
    const auto ns = m_namespaces.lister().get("", nameSpace);
    if (!ns || ns->value("/status/phase"_json_pointer, std::string()) == "Terminating" ||
        ns->contains("/metadata/deletionTimestamp"_json_pointer)) {
        return core::success();
    }
    const auto current = m_configMaps.lister().get(nameSpace, admission::kRootCaConfigMap);
    const auto refs = client::resources::configMaps().in(nameSpace);
    if (!current) {
        auto created = m_client.create(refs, configMap(nameSpace, m_caPem));
        if (!created && created.error().code() != core::ErrorCode::AlreadyExists) {
            return created.error();
        }
        return core::success();
    }
    const json& data = current->value("data", json::object());
    const json& annotations = current->value("/metadata/annotations"_json_pointer, json::object());
    if (data.size() == 1 && data.value("ca.crt", std::string()) == m_caPem &&
        annotations.value("kubernetes.io/description", std::string()) == kDescription) {
        return core::success();
    }
    json updated = *current;
    updated["data"] = {{"ca.crt", m_caPem}};
    updated["metadata"]["annotations"]["kubernetes.io/description"] = kDescription;
    auto written = m_client.update(refs.named(admission::kRootCaConfigMap), updated);
    if (!written) {
        return written.error();
    }
    return core::success();
}

}  // namespace slipway::controllers
