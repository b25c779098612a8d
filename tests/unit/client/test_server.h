// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/api/kind_registry.h"
#include "engine/apiserver/admission.h"
#include "engine/apiserver/discovery.h"
#include "engine/apiserver/http_server.h"
#include "engine/apiserver/openapi.h"
#include "engine/apiserver/resource_handler.h"
#include "engine/apiserver/router.h"
#include "engine/apiserver/service_allocator.h"
#include "engine/client/https_client.h"
#include "engine/client/in_process/in_process_client.h"
#include "engine/store/store.h"

namespace slipway::testing {

/// A real slipwayd API server inside the test process, wired as engine/cmd/server_command.cpp
/// wires it: a Store on a file under `dir`, the built-in kinds, ResourceHandler, Discovery,
/// OpenApi and Router, and an HttpServer on 127.0.0.1 (a free port) with TLS from ensureClusterPki.
///
/// Clients of two kinds: over HTTPS with the admin certificate, and in-process. The in-process
/// ones go through a switch that can take the server "down" (503 for every request, and open
/// watch streams end), the in-process counterpart of stopHttp().
class TestServer {
public:
    explicit TestServer(const std::filesystem::path& dir);
    ~TestServer();

    /// Empty when the server is up; otherwise what failed.
    const std::string& error() const { return m_error; }

    store::Store& store() { return *m_store; }
    api::KindRegistry& registry() { return *m_registry; }
    const apiserver::Router& router() const { return *m_router; }
    /// For registering handlers (addReadOnlyResource, …) before the test sends requests.
    apiserver::Router& mutableRouter() { return *m_router; }
    /// Cluster IPs and node ports of Services, as slipwayd allocates them.
    apiserver::ServiceAllocator& serviceAllocator() { return *m_serviceAllocator; }
    std::uint16_t port() const { return m_port; }
    /// The admin's ClientConfig, read back from the kubeconfig the server would write.
    const client::ClientConfig& adminConfig() const { return m_adminConfig; }

    std::unique_ptr<client::HttpsClient> httpsClient(client::HttpsClientOptions options = {}) const;
    /// In-process as system:admin, through the down switch.
    std::unique_ptr<client::InProcessClient> inProcessClient() const;
    /// In-process straight to the router: unaffected by setDown().
    std::unique_ptr<client::InProcessClient> directClient() const;
    /// "https" or "in-process".
    std::unique_ptr<client::Client> client(const std::string& transport) const;

    /// Closes the HTTPS listener and every connection; startHttp() listens again on the same
    /// port.
    void stopHttp();
    bool startHttp();
    /// In-process outage: while down every request gets 503 and open watch streams end.
    void setDown(bool down);
    /// Takes the whole server down or up, for the given transport.
    bool setTransportDown(const std::string& transport, bool down);

private:
    struct Switch;

    std::string m_error;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<api::KindRegistry> m_registry;
    std::unique_ptr<apiserver::ResourceHandler> m_resources;
    std::unique_ptr<apiserver::NamespaceAdmission> m_admission;
    std::unique_ptr<apiserver::ServiceAllocator> m_serviceAllocator;
    std::unique_ptr<apiserver::Discovery> m_discovery;
    std::unique_ptr<apiserver::OpenApi> m_openApi;
    std::unique_ptr<apiserver::Router> m_router;
    apiserver::ServerOptions m_serverOptions;
    std::unique_ptr<apiserver::HttpServer> m_http;
    std::uint16_t m_port = 0;
    client::ClientConfig m_adminConfig;
    std::shared_ptr<Switch> m_switch;
};

/// A ConfigMap named `name` in `nameSpace` with `data` and `labels`.
nlohmann::json configMap(const std::string& nameSpace, const std::string& name,
                         const nlohmann::json& data = nlohmann::json::object(),
                         const nlohmann::json& labels = nlohmann::json::object());

}  // namespace slipway::testing
