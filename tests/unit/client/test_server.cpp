// SPDX-License-Identifier: Apache-2.0
#include "test_server.h"

#include "engine/pki/cluster_pki.h"
#include "engine/pki/kubeconfig.h"

namespace slipway::testing {

namespace {

apiserver::Identity admin() {
    return {"system:admin", {"system:masters"}, true};
}

/// A stream that the test can end, as a dropped connection ends a watch.
class CuttableStream final : public apiserver::ResponseStream {
public:
    explicit CuttableStream(std::shared_ptr<apiserver::ResponseStream> inner)
        : m_inner(std::move(inner)) {}

    void start(std::function<void()> wake) override {
        {
            std::lock_guard lock(m_mutex);
            m_wake = wake;
        }
        m_inner->start(std::move(wake));
    }
    bool read(std::string& out) override {
        if (m_cut) {
            return false;
        }
        return m_inner->read(out);
    }
    void cancel() override { m_inner->cancel(); }

    void cut() {
        m_cut = true;
        std::function<void()> wake;
        {
            std::lock_guard lock(m_mutex);
            wake = m_wake;
        }
        if (wake) {
            wake();
        }
    }

private:
    std::shared_ptr<apiserver::ResponseStream> m_inner;
    std::atomic<bool> m_cut{false};
    std::mutex m_mutex;
    std::function<void()> m_wake;
};

}  // namespace

struct TestServer::Switch {
    explicit Switch(const apiserver::Router& serving) : router(serving) {}

    apiserver::HttpResponse handle(const apiserver::HttpRequest& request) {
        if (down) {
            return apiserver::HttpResponse::make(
                503, "application/json",
                R"({"kind":"Status","apiVersion":"v1","status":"Failure",)"
                R"("message":"the server is down for a test","reason":"ServiceUnavailable","code":503})");
        }
        auto response = router.handle(request);
        if (response.stream) {
            auto cuttable = std::make_shared<CuttableStream>(std::move(response.stream));
            {
                std::lock_guard lock(mutex);
                std::erase_if(streams, [](const auto& weak) { return weak.expired(); });
                streams.push_back(cuttable);
            }
            response.stream = std::move(cuttable);
        }
        return response;
    }

    void setDown(bool isDown) {
        down = isDown;
        if (!isDown) {
            return;
        }
        std::vector<std::weak_ptr<CuttableStream>> open;
        {
            std::lock_guard lock(mutex);
            open.swap(streams);
        }
        for (const auto& weak : open) {
            if (auto stream = weak.lock()) {
                stream->cut();
            }
        }
    }

    const apiserver::Router& router;
    std::atomic<bool> down{false};
    std::mutex mutex;
    std::vector<std::weak_ptr<CuttableStream>> streams;
};

TestServer::TestServer(const std::filesystem::path& dir) {
    auto opened = store::Store::open(dir / "store.db");
    if (!opened) {
        m_error = "store: " + opened.error().message();
        return;
    }
    m_store = std::move(*opened);
    m_registry = api::KindRegistry::withBuiltinKinds();
    m_resources = std::make_unique<apiserver::ResourceHandler>(*m_store, *m_registry);
    m_admission = std::make_unique<apiserver::NamespaceAdmission>(*m_store);
    m_resources->setAdmission(m_admission.get());
    m_serviceAllocator = std::make_unique<apiserver::ServiceAllocator>();
    m_resources->setStorageHooks(m_serviceAllocator.get());
    if (auto bootstrapped = m_resources->bootstrap(); !bootstrapped) {
        m_error = "bootstrap: " + bootstrapped.error().message();
        return;
    }
    m_discovery = std::make_unique<apiserver::Discovery>(*m_registry);
    m_openApi = std::make_unique<apiserver::OpenApi>(*m_registry);
    m_router = std::make_unique<apiserver::Router>(*m_discovery, *m_openApi, *m_resources);
    m_router->setReady(true);
    m_switch = std::make_shared<Switch>(*m_router);

    // The serving certificate always names 127.0.0.1, where the server listens.
    auto clusterPki = pki::ensureClusterPki(dir / "pki");
    if (!clusterPki) {
        m_error = "pki: " + clusterPki.error().message();
        return;
    }
    m_serverOptions.address = "127.0.0.1";
    m_serverOptions.port = 0;
    m_serverOptions.tls =
        apiserver::TlsOptions{clusterPki->apiServer.certificatePem, clusterPki->apiServer.keyPem,
                              clusterPki->authority.certificatePem};
    if (!startHttp()) {
        return;
    }
    const auto kubeconfig =
        pki::Kubeconfig::forTlsServer("test", "https://127.0.0.1:" + std::to_string(m_port),
                                      clusterPki->authority.certificatePem, clusterPki->admin);
    auto config = client::ClientConfig::fromKubeconfig(kubeconfig);
    if (!config) {
        m_error = "kubeconfig: " + config.error().message();
        return;
    }
    m_adminConfig = std::move(*config);
}

TestServer::~TestServer() {
    stopHttp();
}

bool TestServer::startHttp() {
    m_serverOptions.port = m_port;
    m_http = std::make_unique<apiserver::HttpServer>(m_serverOptions, *m_router);
    auto bound = m_http->start();
    if (!bound) {
        m_error = "http: " + bound.error().message();
        m_http.reset();
        return false;
    }
    m_port = bound->port;
    return true;
}

void TestServer::stopHttp() {
    if (m_http) {
        m_http->stop();
        m_http.reset();
    }
}

void TestServer::setDown(bool down) {
    m_switch->setDown(down);
}

bool TestServer::setTransportDown(const std::string& transport, bool down) {
    if (transport == "https") {
        if (down) {
            stopHttp();
            return true;
        }
        return startHttp();
    }
    setDown(down);
    return true;
}

std::unique_ptr<client::HttpsClient> TestServer::httpsClient(
    client::HttpsClientOptions options) const {
    return std::make_unique<client::HttpsClient>(m_adminConfig, std::move(options));
}

std::unique_ptr<client::InProcessClient> TestServer::inProcessClient() const {
    auto switchboard = m_switch;
    return std::make_unique<client::InProcessClient>(
        [switchboard](const apiserver::HttpRequest& request) {
            return switchboard->handle(request);
        },
        admin());
}

std::unique_ptr<client::InProcessClient> TestServer::directClient() const {
    return std::make_unique<client::InProcessClient>(*m_router, admin());
}

std::unique_ptr<client::Client> TestServer::client(const std::string& transport) const {
    if (transport == "https") {
        return httpsClient();
    }
    return inProcessClient();
}

nlohmann::json configMap(const std::string& nameSpace, const std::string& name,
                         const nlohmann::json& data, const nlohmann::json& labels) {
    nlohmann::json object = {{"apiVersion", "v1"},
                             {"kind", "ConfigMap"},
                             {"metadata", {{"name", name}, {"namespace", nameSpace}}},
                             {"data", data}};
    if (!labels.empty()) {
        object["metadata"]["labels"] = labels;
    }
    return object;
}

}  // namespace slipway::testing
