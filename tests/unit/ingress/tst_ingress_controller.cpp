// SPDX-License-Identifier: Apache-2.0
// The ingress controller and proxy against an in-process API server, with backends listening
// on 127.0.0.1 as pods would.
#include <QTemporaryDir>
#include <QtTest>

#include "engine/ingress/ingress_controller.h"
#include "engine/ingress/ingress_proxy.h"
#include "engine/pki/certificates.h"

#include "../client/test_server.h"
#include "http_test_support.h"

using namespace slipway;
using nlohmann::json;

namespace {

const client::ResourceRef kIngresses("networking.k8s.io", "v1", "ingresses", "default");
const client::ResourceRef kSlices("discovery.k8s.io", "v1", "endpointslices", "default");

json service(const std::string& name) {
    return {{"apiVersion", "v1"},
            {"kind", "Service"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec",
             {{"selector", {{"app", name}}},
              {"ports", json::array({{{"name", "http"}, {"port", 80}, {"targetPort", 8080}}})}}}};
}

/// An EndpointSlice of `service` with one endpoint on 127.0.0.1:`port`.
json slice(const std::string& name, const std::string& service, std::uint16_t port,
           bool ready = true) {
    return {{"apiVersion", "discovery.k8s.io/v1"},
            {"kind", "EndpointSlice"},
            {"metadata",
             {{"name", name},
              {"namespace", "default"},
              {"labels", {{"kubernetes.io/service-name", service}}}}},
            {"addressType", "IPv4"},
            {"ports", json::array({{{"name", "http"}, {"port", port}, {"protocol", "TCP"}}})},
            {"endpoints", json::array({{{"addresses", json::array({"127.0.0.1"})},
                                        {"conditions", {{"ready", ready}}}}})}};
}

json hostRule(const std::string& host, const std::string& service, const json& port) {
    return {{"host", host},
            {"http",
             {{"paths",
               json::array({{{"path", "/"},
                             {"pathType", "Prefix"},
                             {"backend", {{"service", {{"name", service}, {"port", port}}}}}}})}}}};
}

}  // namespace

class TstIngressController : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;
    std::unique_ptr<testing::TestBackend> m_backendA;
    std::unique_ptr<testing::TestBackend> m_backendB;
    std::unique_ptr<ingress::IngressProxy> m_proxy;
    std::unique_ptr<ingress::IngressController> m_controller;

    bool create(const client::ResourceRef& ref, const json& object) {
        auto created = m_client->create(ref, object);
        if (!created) {
            qWarning("create: %s", created.error().message().c_str());
        }
        return created.ok();
    }

    testing::Reply get(const std::string& host, const std::string& target = "/") {
        return testing::httpRequest(m_proxy->httpPort(), host, target);
    }

private slots:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        QDir(m_dir->path()).mkpath("server");
        m_server = std::make_unique<testing::TestServer>((m_dir->path() + "/server").toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();
        m_backendA = std::make_unique<testing::TestBackend>("backend-a");
        m_backendB = std::make_unique<testing::TestBackend>("backend-b");

        ingress::IngressProxyOptions proxyOptions;
        proxyOptions.address = "127.0.0.1";
        proxyOptions.httpPort = -1;
        proxyOptions.httpsPort = -1;
        proxyOptions.upstreamTimeout = std::chrono::seconds(2);
        m_proxy = std::make_unique<ingress::IngressProxy>(proxyOptions);
        auto started = m_proxy->start();
        QVERIFY2(started.ok(), started ? "" : started.error().message().c_str());
        QVERIFY(m_proxy->httpPort() != 0 && m_proxy->httpsPort() != 0);

        ingress::IngressControllerOptions options;
        options.nodeIp = "127.0.0.1";
        m_controller = std::make_unique<ingress::IngressController>(*m_client, options);
        m_controller->setTableListener(
            [proxy = m_proxy.get()](auto table) { proxy->setTable(std::move(table)); });
        auto controllerStarted = m_controller->start();
        QVERIFY2(controllerStarted.ok(),
                 controllerStarted ? "" : controllerStarted.error().message().c_str());
    }

    void cleanup() {
        m_controller.reset();
        m_proxy.reset();
        m_backendA.reset();
        m_backendB.reset();
        m_client.reset();
        m_server.reset();
        m_dir.reset();
    }

    void createsTheDefaultIngressClass() {
        auto ingressClass = m_client->get(
            client::ResourceRef("networking.k8s.io", "v1", "ingressclasses").named("slipway"));
        QVERIFY(ingressClass.ok());
        QCOMPARE(ingressClass->value("/spec/controller"_json_pointer, std::string()),
                 std::string("slipway.dev/ingress-controller"));
        QCOMPARE(
            ingressClass->value(
                "/metadata/annotations/ingressclass.kubernetes.io~1is-default-class"_json_pointer,
                std::string()),
            std::string("true"));
        // Made once: a second start finds it.
        QVERIFY(ingress::ensureIngressClass(*m_client, "slipway").ok());
    }

    void routesHostsToTheirServices() {
        QVERIFY(create(client::resources::services().in("default"), service("a")));
        QVERIFY(create(client::resources::services().in("default"), service("b")));
        QVERIFY(create(client::resources::services().in("default"), service("empty")));
        QVERIFY(create(client::resources::services().in("default"), service("dead")));
        QVERIFY(create(client::resources::services().in("default"), service("both")));
        QVERIFY(create(kSlices, slice("a-1", "a", m_backendA->port())));
        QVERIFY(create(kSlices, slice("b-1", "b", m_backendB->port())));
        QVERIFY(create(kSlices, slice("empty-1", "empty", m_backendA->port(), false)));
        QVERIFY(create(kSlices, slice("dead-1", "dead", testing::closedPort())));
        // One Service, two slices whose endpoints listen on different ports.
        QVERIFY(create(kSlices, slice("both-1", "both", m_backendA->port())));
        QVERIFY(create(kSlices, slice("both-2", "both", m_backendB->port())));

        // No ingressClassName: DefaultIngressClass admission gives it "slipway".
        const json web = {
            {"apiVersion", "networking.k8s.io/v1"},
            {"kind", "Ingress"},
            {"metadata", {{"name", "web"}, {"namespace", "default"}}},
            {"spec",
             {{"rules",
               json::array({hostRule("a.example.com", "a", {{"number", 80}}),
                            hostRule("b.example.com", "b", {{"name", "http"}}),
                            hostRule("empty.example.com", "empty", {{"number", 80}}),
                            hostRule("missing.example.com", "nosuchservice", {{"number", 80}}),
                            hostRule("dead.example.com", "dead", {{"number", 80}}),
                            hostRule("both.example.com", "both", {{"number", 80}})})}}}};
        QVERIFY(create(kIngresses, web));
        auto stored = m_client->get(kIngresses.named("web"));
        QVERIFY(stored.ok());
        QCOMPARE(stored->value("/spec/ingressClassName"_json_pointer, std::string()),
                 std::string("slipway"));

        QTRY_COMPARE_WITH_TIMEOUT(get("a.example.com").status, 200, 10000);
        auto reply = get("a.example.com", "/hello?x=1");
        QVERIFY2(reply.body.starts_with("backend-a /hello?x=1\n"), reply.body.c_str());
        QVERIFY2(reply.body.find("X-Forwarded-For: 127.0.0.1\n") != std::string::npos,
                 reply.body.c_str());
        QVERIFY(reply.body.find("X-Real-IP: 127.0.0.1\n") != std::string::npos);
        QVERIFY(reply.body.find("X-Forwarded-Proto: http\n") != std::string::npos);
        QVERIFY(reply.body.find("X-Forwarded-Host: a.example.com\n") != std::string::npos);
        QVERIFY(reply.body.find("Host: a.example.com\n") != std::string::npos);
        QTRY_COMPARE_WITH_TIMEOUT(get("B.example.com:8080").status, 200, 10000);
        QVERIFY(get("b.example.com").body.starts_with("backend-b /\n"));

        // Nothing matches: the default backend's 404. No ready endpoint, or no Service: 503.
        // Nobody listening: 502.
        QCOMPARE(get("unknown.example.com").status, 404);
        QCOMPARE(get("empty.example.com").status, 503);
        QCOMPARE(get("missing.example.com").status, 503);
        QCOMPARE(get("dead.example.com").status, 502);

        // Round robin over both slices' endpoints.
        const int beforeA = m_backendA->requests();
        const int beforeB = m_backendB->requests();
        for (int i = 0; i < 6; ++i) {
            QCOMPARE(get("both.example.com").status, 200);
        }
        QCOMPARE(m_backendA->requests() - beforeA, 3);
        QCOMPARE(m_backendB->requests() - beforeB, 3);

        // HEAD: the upstream's head without a body, and the connection stays usable.
        reply = testing::httpRequest(m_proxy->httpPort(), "a.example.com", "/head", false, "HEAD",
                                     {}, 2);
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.body.empty());
        QVERIFY(std::stoi(reply.headers["Content-Length"]) > 0);

        // Keep-alive, a request body, and a chunked response streamed through.
        reply = testing::httpRequest(m_proxy->httpPort(), "a.example.com", "/post", false, "POST",
                                     "payload", 3);
        QCOMPARE(reply.status, 200);
        QVERIFY2(reply.body.find("body: payload\n") != std::string::npos, reply.body.c_str());
        reply = get("a.example.com", "/stream");
        QCOMPARE(reply.status, 200);
        QCOMPARE(QString::fromStdString(reply.body), QString("one,two,three"));
        // Too large a body: 413, as ingress-nginx's 1m proxy-body-size.
        reply = testing::httpRequest(m_proxy->httpPort(), "a.example.com", "/", false, "POST",
                                     std::string(2 * 1024 * 1024, 'x'));
        QVERIFY(reply.status == 413 || reply.status == 0);

        // An upgraded connection (WebSocket) is relayed both ways.
        QCOMPARE(testing::upgradeEcho(m_proxy->httpPort(), "a.example.com", "hello over ws"),
                 std::string("hello over ws"));
        // The upstream times out (2 s here): 504.
        QCOMPARE(get("a.example.com", "/slow").status, 504);

        // An endpoint turning unready leaves the Service without one: 503.
        QVERIFY(m_client
                    ->patch(kSlices.named("b-1"), client::PatchType::Merge,
                            {{"endpoints", json::array({{{"addresses", json::array({"127.0.0.1"})},
                                                         {"conditions", {{"ready", false}}}}})}})
                    .ok());
        QTRY_COMPARE_WITH_TIMEOUT(get("b.example.com").status, 503, 10000);

        // status.loadBalancer reports the node IP.
        QTRY_COMPARE_WITH_TIMEOUT(
            m_client->get(kIngresses.named("web"))
                ->value("/status/loadBalancer/ingress/0/ip"_json_pointer, std::string()),
            std::string("127.0.0.1"), 10000);
    }

    void servesTlsBySni() {
        auto authority = pki::createCertificateAuthority("test CA", std::chrono::hours(24));
        QVERIFY(authority.ok());
        pki::CertificateRequest request;
        request.commonName = "secure.example.com";
        request.dnsNames = {"secure.example.com"};
        request.serverAuth = true;
        auto certificate = pki::issueCertificate(*authority, request);
        QVERIFY(certificate.ok());
        const json secret = {{"apiVersion", "v1"},
                             {"kind", "Secret"},
                             {"type", "kubernetes.io/tls"},
                             {"metadata", {{"name", "secure-tls"}, {"namespace", "default"}}},
                             {"data",
                              {{"tls.crt", pki::base64Encode(certificate->certificatePem)},
                               {"tls.key", pki::base64Encode(certificate->keyPem)}}}};
        QVERIFY(create(client::resources::secrets().in("default"), secret));
        QVERIFY(create(client::resources::services().in("default"), service("a")));
        QVERIFY(create(kSlices, slice("a-1", "a", m_backendA->port())));
        const json secure = {
            {"apiVersion", "networking.k8s.io/v1"},
            {"kind", "Ingress"},
            {"metadata", {{"name", "secure"}, {"namespace", "default"}}},
            {"spec",
             {{"ingressClassName", "slipway"},
              {"tls", json::array({{{"hosts", json::array({"secure.example.com"})},
                                    {"secretName", "secure-tls"}}})},
              {"rules", json::array({hostRule("secure.example.com", "a", {{"number", 80}}),
                                     hostRule("plain.example.com", "a", {{"number", 80}})})}}}};
        QVERIFY(create(kIngresses, secure));

        const auto https = [this](const std::string& host) {
            return testing::httpRequest(m_proxy->httpsPort(), host, "/tls", true);
        };
        QTRY_COMPARE_WITH_TIMEOUT(https("secure.example.com").peerCommonName,
                                  std::string("secure.example.com"), 10000);
        auto reply = https("secure.example.com");
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.body.starts_with("backend-a /tls\n"));
        QVERIFY(reply.body.find("X-Forwarded-Proto: https\n") != std::string::npos);
        // Another name: the default, self-signed certificate; still routed.
        reply = https("plain.example.com");
        QCOMPARE(reply.peerCommonName, std::string("Slipway Ingress Controller Fake Certificate"));
        QCOMPARE(reply.status, 200);
        // Plain HTTP to a host with a certificate is redirected (ingress-nginx's ssl-redirect).
        reply = get("secure.example.com", "/x?y=1");
        QCOMPARE(reply.status, 308);
        QCOMPARE(reply.headers["Location"],
                 "https://secure.example.com:" + std::to_string(m_proxy->httpsPort()) + "/x?y=1");
        QCOMPARE(get("plain.example.com").status, 200);
    }

    void ignoresIngressesOfOtherClasses() {
        QVERIFY(create(client::resources::services().in("default"), service("a")));
        QVERIFY(create(kSlices, slice("a-1", "a", m_backendA->port())));
        json other = {
            {"apiVersion", "networking.k8s.io/v1"},
            {"kind", "Ingress"},
            {"metadata", {{"name", "other"}, {"namespace", "default"}}},
            {"spec",
             {{"ingressClassName", "nginx"},
              {"rules", json::array({hostRule("other.example.com", "a", {{"number", 80}})})}}}};
        QVERIFY(create(kIngresses, other));
        json ours = other;
        ours["metadata"]["name"] = "ours";
        ours["spec"]["ingressClassName"] = "slipway";
        ours["spec"]["rules"] = json::array({hostRule("ours.example.com", "a", {{"number", 80}})});
        QVERIFY(create(kIngresses, ours));
        QTRY_COMPARE_WITH_TIMEOUT(get("ours.example.com").status, 200, 10000);
        QCOMPARE(get("other.example.com").status, 404);
        QVERIFY(!m_client->get(kIngresses.named("other"))
                     ->contains("/status/loadBalancer/ingress"_json_pointer));
    }
};

QTEST_GUILESS_MAIN(TstIngressController)
#include "tst_ingress_controller.moc"
