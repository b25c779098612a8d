// SPDX-License-Identifier: Apache-2.0
// The ingress routing table as a pure function of Ingresses, Services, EndpointSlices and
// Secrets.
#include <QtTest>

#include "engine/ingress/routing_table.h"
#include "engine/pki/certificates.h"

using namespace slipway;
using ingress::PathType;
using ingress::RoutingInput;
using ingress::RoutingTable;
using nlohmann::json;

namespace {

std::shared_ptr<const json> shared(json object) {
    return std::make_shared<const json>(std::move(object));
}

json serviceBackend(const std::string& service, const json& port) {
    return {{"service", {{"name", service}, {"port", port}}}};
}

json pathOf(const std::string& path, const std::string& type, const json& backend) {
    return {{"path", path}, {"pathType", type}, {"backend", backend}};
}

json ingressObject(const std::string& name, const json& spec,
                   const std::string& created = "2026-01-01T00:00:00Z",
                   const std::string& nameSpace = "default") {
    return {
        {"apiVersion", "networking.k8s.io/v1"},
        {"kind", "Ingress"},
        {"metadata", {{"name", name}, {"namespace", nameSpace}, {"creationTimestamp", created}}},
        {"spec", spec}};
}

json rule(const std::string& host, const json& paths) {
    json rule = {{"http", {{"paths", paths}}}};
    if (!host.empty()) {
        rule["host"] = host;
    }
    return rule;
}

/// A Service with one port per (name, port) pair.
json service(const std::string& name, const json& ports, const std::string& nameSpace = "default") {
    return {{"apiVersion", "v1"},
            {"kind", "Service"},
            {"metadata", {{"name", name}, {"namespace", nameSpace}}},
            {"spec", {{"ports", ports}}}};
}

json endpointSlice(const std::string& name, const std::string& service, const json& ports,
                   const json& endpoints, const std::string& nameSpace = "default") {
    return {{"apiVersion", "discovery.k8s.io/v1"},
            {"kind", "EndpointSlice"},
            {"metadata",
             {{"name", name},
              {"namespace", nameSpace},
              {"labels", {{"kubernetes.io/service-name", service}}}}},
            {"addressType", "IPv4"},
            {"ports", ports},
            {"endpoints", endpoints}};
}

json endpoint(const std::string& address, std::optional<bool> ready = std::nullopt) {
    json endpoint = {{"addresses", json::array({address})}};
    if (ready) {
        endpoint["conditions"] = {{"ready", *ready}};
    }
    return endpoint;
}

/// Which service a request goes to ("" for none).
std::string serviceFor(const RoutingTable& table, const std::string& host,
                       const std::string& path) {
    const auto match = table.match(host, path);
    return match.backend ? match.backend->service() : std::string();
}

}  // namespace

class TstRoutingTable : public QObject {
    Q_OBJECT

private slots:
    void prefixMatchesElementWise() {
        QVERIFY(ingress::pathMatches(PathType::Prefix, "/", "/anything"));
        QVERIFY(ingress::pathMatches(PathType::Prefix, "/foo", "/foo"));
        QVERIFY(ingress::pathMatches(PathType::Prefix, "/foo", "/foo/"));
        QVERIFY(ingress::pathMatches(PathType::Prefix, "/foo", "/foo/bar"));
        QVERIFY(!ingress::pathMatches(PathType::Prefix, "/foo", "/foobar"));
        QVERIFY(ingress::pathMatches(PathType::Prefix, "/foo/", "/foo"));
        QVERIFY(ingress::pathMatches(PathType::Prefix, "/aaa/bbb", "/aaa/bbb/ccc"));
        QVERIFY(!ingress::pathMatches(PathType::Prefix, "/aaa/bbb", "/aaa/bbbxyz"));
        QVERIFY(!ingress::pathMatches(PathType::Prefix, "/aaa/bbb", "/aaa"));
        QVERIFY(ingress::pathMatches(PathType::ImplementationSpecific, "/foo", "/foo/x"));
        QVERIFY(ingress::pathMatches(PathType::Exact, "/foo", "/foo"));
        QVERIFY(!ingress::pathMatches(PathType::Exact, "/foo", "/foo/"));
        QVERIFY(!ingress::pathMatches(PathType::Exact, "/foo", "/FOO"));
    }

    void hostsMatchExactlyOrOneWildcardLabel() {
        QVERIFY(ingress::hostMatches("a.example.com", "a.example.com"));
        QVERIFY(ingress::hostMatches("*.example.com", "a.example.com"));
        QVERIFY(!ingress::hostMatches("*.example.com", "example.com"));
        QVERIFY(!ingress::hostMatches("*.example.com", "a.b.example.com"));
        QCOMPARE(ingress::normalizeHost("A.Example.COM:8080"), std::string("a.example.com"));
        QCOMPARE(ingress::normalizeHost("[::1]:80"), std::string("::1"));
        QCOMPARE(ingress::normalizeHost("example.com."), std::string("example.com"));
    }

    void routesByHostAndLongestPath() {
        const json spec = {
            {"rules",
             json::array(
                 {rule("a.example.com",
                       json::array(
                           {pathOf("/", "Prefix", serviceBackend("root", {{"number", 80}})),
                            pathOf("/api", "Prefix", serviceBackend("api", {{"number", 80}})),
                            pathOf("/api/v2", "Exact", serviceBackend("v2", {{"number", 80}}))})),
                  rule("*.example.com",
                       json::array(
                           {pathOf("/", "Prefix", serviceBackend("wild", {{"number", 80}}))})),
                  rule("", json::array({pathOf("/any", "Prefix",
                                               serviceBackend("any", {{"number", 80}}))}))})}};
        RoutingInput input;
        input.ingresses.push_back(shared(ingressObject("web", spec)));
        const auto table = RoutingTable::build(input);

        QCOMPARE(serviceFor(*table, "a.example.com", "/"), std::string("root"));
        QCOMPARE(serviceFor(*table, "a.example.com:80", "/index.html?x=1"), std::string("root"));
        QCOMPARE(serviceFor(*table, "a.example.com", "/api"), std::string("api"));
        QCOMPARE(serviceFor(*table, "a.example.com", "/api/users"), std::string("api"));
        QCOMPARE(serviceFor(*table, "a.example.com", "/apix"), std::string("root"));
        QCOMPARE(serviceFor(*table, "a.example.com", "/api/v2"), std::string("v2"));
        QCOMPARE(serviceFor(*table, "a.example.com", "/api/v2/x"), std::string("api"));
        QCOMPARE(serviceFor(*table, "B.example.com", "/x"), std::string("wild"));
        // Neither host: the host-less rule; a host that matches keeps to its own rules.
        QCOMPARE(serviceFor(*table, "other.org", "/any/thing"), std::string("any"));
        QCOMPARE(serviceFor(*table, "other.org", "/else"), std::string());
        QCOMPARE(serviceFor(*table, "b.example.com", "/any"), std::string("wild"));
        QCOMPARE(serviceFor(*table, "x.b.example.com", "/any"), std::string("any"));
        QCOMPARE(table->match("a.example.com", "/api").ingress, std::string("default/web"));
    }

    void exactBeatsPrefixOfTheSameLength() {
        const json spec = {
            {"rules",
             json::array({rule(
                 "h", json::array(
                          {pathOf("/p", "Prefix", serviceBackend("prefix", {{"number", 1}})),
                           pathOf("/p", "Exact", serviceBackend("exact", {{"number", 1}}))}))})}};
        RoutingInput input;
        input.ingresses.push_back(shared(ingressObject("i", spec)));
        const auto table = RoutingTable::build(input);
        QCOMPARE(serviceFor(*table, "h", "/p"), std::string("exact"));
        QCOMPARE(serviceFor(*table, "h", "/p/q"), std::string("prefix"));
    }

    void defaultBackends() {
        // The older Ingress's defaultBackend is the catch-all; a host whose paths do not match
        // goes to its own Ingress's defaultBackend.
        const json older = {
            {"defaultBackend", serviceBackend("fallback", {{"number", 80}})},
            {"rules", json::array({rule(
                          "a", json::array({pathOf("/x", "Exact",
                                                   serviceBackend("ax", {{"number", 80}}))}))})}};
        const json newer = {
            {"defaultBackend", serviceBackend("newer", {{"number", 80}})},
            {"rules", json::array({rule(
                          "b", json::array({pathOf("/x", "Exact",
                                                   serviceBackend("bx", {{"number", 80}}))}))})}};
        RoutingInput input;
        input.ingresses.push_back(shared(ingressObject("new", newer, "2026-02-01T00:00:00Z")));
        input.ingresses.push_back(shared(ingressObject("old", older, "2026-01-01T00:00:00Z")));
        const auto table = RoutingTable::build(input);
        QCOMPARE(serviceFor(*table, "unknown", "/"), std::string("fallback"));
        QCOMPARE(serviceFor(*table, "a", "/y"), std::string("fallback"));
        QCOMPARE(serviceFor(*table, "b", "/y"), std::string("newer"));
        QCOMPARE(serviceFor(*table, "b", "/x"), std::string("bx"));

        // Without any defaultBackend nothing matches: 404 is the proxy's.
        RoutingInput bare;
        bare.ingresses.push_back(shared(ingressObject(
            "bare", {{"rules",
                      json::array({rule(
                          "a", json::array({pathOf(
                                   "/x", "Exact", serviceBackend("ax", {{"number", 80}}))}))})}})));
        QCOMPARE(serviceFor(*RoutingTable::build(bare), "a", "/y"), std::string());
        QCOMPARE(serviceFor(*RoutingTable::build(bare), "zzz", "/x"), std::string());
    }

    void olderIngressWinsAConflict() {
        const auto spec = [](const std::string& service) {
            return json{
                {"rules",
                 json::array({rule(
                     "h", json::array({pathOf("/", "Prefix",
                                              serviceBackend(service, {{"number", 80}}))}))})}};
        };
        RoutingInput input;
        input.ingresses.push_back(
            shared(ingressObject("b", spec("second"), "2026-03-01T00:00:00Z")));
        input.ingresses.push_back(
            shared(ingressObject("a", spec("first"), "2026-01-01T00:00:00Z")));
        QCOMPARE(serviceFor(*RoutingTable::build(input), "h", "/"), std::string("first"));
    }

    void resolvesReadyEndpointsAndTargetPorts() {
        const json spec = {
            {"rules",
             json::array({rule(
                 "h",
                 json::array(
                     {pathOf("/num", "Prefix", serviceBackend("web", {{"number", 80}})),
                      pathOf("/name", "Prefix", serviceBackend("web", {{"name", "metrics"}})),
                      pathOf("/none", "Prefix", serviceBackend("missing", {{"number", 80}})),
                      pathOf("/badport", "Prefix", serviceBackend("web", {{"number", 81}}))}))})}};
        RoutingInput input;
        input.ingresses.push_back(shared(ingressObject("i", spec)));
        input.services.push_back(shared(service(
            "web", json::array({{{"name", "http"}, {"port", 80}, {"targetPort", 8080}},
                                {{"name", "metrics"}, {"port", 9090}, {"targetPort", "m"}}}))));
        input.endpointSlices.push_back(shared(
            endpointSlice("web-1", "web",
                          json::array({{{"name", "http"}, {"port", 8080}, {"protocol", "TCP"}},
                                       {{"name", "metrics"}, {"port", 9100}, {"protocol", "TCP"}}}),
                          json::array({endpoint("10.244.0.5"), endpoint("10.244.0.6", true),
                                       endpoint("10.244.0.7", false)}))));
        input.endpointSlices.push_back(shared(endpointSlice(
            "web-2", "web", json::array({{{"name", "http"}, {"port", 8080}}}),
            json::array({endpoint("10.244.0.4", true), endpoint("10.244.0.5", true)}))));
        // Another namespace's slice of a Service with the same name does not count.
        input.endpointSlices.push_back(
            shared(endpointSlice("web-x", "web", json::array({{{"name", "http"}, {"port", 8080}}}),
                                 json::array({endpoint("10.244.9.9")}), "other")));
        const auto table = RoutingTable::build(input);

        const auto numbered = table->match("h", "/num").backend;
        QVERIFY(numbered);
        const std::vector<ingress::Upstream> expected = {
            {"10.244.0.4", 8080}, {"10.244.0.5", 8080}, {"10.244.0.6", 8080}};
        QCOMPARE(numbered->upstreams(), expected);
        QCOMPARE(numbered->describe(), std::string("default/web:80"));

        const auto named = table->match("h", "/name").backend;
        QVERIFY(named);
        const std::vector<ingress::Upstream> metrics = {{"10.244.0.5", 9100}, {"10.244.0.6", 9100}};
        QCOMPARE(named->upstreams(), metrics);

        // Routed, but nothing to send to: the proxy answers 503.
        QVERIFY(table->match("h", "/none").backend);
        QVERIFY(table->match("h", "/none").backend->upstreams().empty());
        QVERIFY(table->match("h", "/badport").backend->upstreams().empty());
    }

    void balancesRoundRobin() {
        ingress::Backend backend("default", "web", "80",
                                 {{"10.0.0.1", 80}, {"10.0.0.2", 80}, {"10.0.0.3", 80}});
        std::map<std::string, int> counts;
        for (int i = 0; i < 9; ++i) {
            counts[backend.pick()->address]++;
        }
        QCOMPARE(counts.size(), std::size_t(3));
        for (const auto& [address, count] : counts) {
            QCOMPARE(count, 3);
        }
        QVERIFY(!ingress::Backend("default", "none", "80", {}).pick());
    }

    void certificatesBySniName() {
        const std::string certificate = pki::base64Encode("CERT-A");
        const std::string key = pki::base64Encode("KEY-A");
        const json secretA = {{"apiVersion", "v1"},
                              {"kind", "Secret"},
                              {"type", "kubernetes.io/tls"},
                              {"metadata", {{"name", "a-tls"}, {"namespace", "default"}}},
                              {"data", {{"tls.crt", certificate}, {"tls.key", key}}}};
        const json secretWild = {
            {"apiVersion", "v1"},
            {"kind", "Secret"},
            {"type", "kubernetes.io/tls"},
            {"metadata", {{"name", "wild-tls"}, {"namespace", "default"}}},
            {"data",
             {{"tls.crt", pki::base64Encode("CERT-W")}, {"tls.key", pki::base64Encode("KEY-W")}}}};
        const json spec = {
            {"tls",
             json::array(
                 {{{"hosts", json::array({"a.example.com"})}, {"secretName", "a-tls"}},
                  {{"hosts", json::array({"*.example.com"})}, {"secretName", "wild-tls"}},
                  {{"hosts", json::array({"gone.example.org"})}, {"secretName", "missing"}}})},
            {"rules",
             json::array({rule(
                 "a.example.com",
                 json::array({pathOf("/", "Prefix", serviceBackend("a", {{"number", 80}}))}))})}};
        RoutingInput input;
        input.ingresses.push_back(shared(ingressObject("i", spec)));
        input.secrets.push_back(shared(secretA));
        input.secrets.push_back(shared(secretWild));
        const auto table = RoutingTable::build(input);
        QVERIFY(table->certificateFor("a.example.com"));
        QCOMPARE(table->certificateFor("a.example.com")->certificatePem, std::string("CERT-A"));
        QCOMPARE(table->certificateFor("A.EXAMPLE.COM")->keyPem, std::string("KEY-A"));
        QCOMPARE(table->certificateFor("b.example.com")->certificatePem, std::string("CERT-W"));
        QCOMPARE(table->certificateFor("b.example.com")->secret, std::string("default/wild-tls"));
        QVERIFY(!table->certificateFor("gone.example.org"));
        QVERIFY(!table->certificateFor("example.com"));
        QVERIFY(table->hasTls("a.example.com"));
        QVERIFY(table->redirectsToHttps("a.example.com"));
        QVERIFY(!table->redirectsToHttps("gone.example.org"));

        // tls without hosts covers the Ingress's rule hosts.
        json hostless = spec;
        hostless["tls"] = json::array({{{"secretName", "a-tls"}}});
        RoutingInput second;
        second.ingresses.push_back(shared(ingressObject("i", hostless)));
        second.secrets.push_back(shared(secretA));
        QVERIFY(RoutingTable::build(second)->certificateFor("a.example.com"));

        // ssl-redirect "false": the certificate serves, plain HTTP is not redirected.
        json noRedirect = ingressObject("i", hostless);
        noRedirect["metadata"]["annotations"] = {
            {"nginx.ingress.kubernetes.io/ssl-redirect", "false"}};
        RoutingInput third;
        third.ingresses.push_back(shared(noRedirect));
        third.secrets.push_back(shared(secretA));
        QVERIFY(RoutingTable::build(third)->hasTls("a.example.com"));
        QVERIFY(!RoutingTable::build(third)->redirectsToHttps("a.example.com"));
    }

    void classSelection() {
        json withClass = ingressObject("i", json::object());
        withClass["spec"]["ingressClassName"] = "slipway";
        QVERIFY(ingress::servesIngress(withClass, "slipway", false));
        withClass["spec"]["ingressClassName"] = "nginx";
        QVERIFY(!ingress::servesIngress(withClass, "slipway", true));

        json legacy = ingressObject("i", json::object());
        legacy["metadata"]["annotations"] = {{"kubernetes.io/ingress.class", "slipway"}};
        QVERIFY(ingress::servesIngress(legacy, "slipway", false));
        legacy["metadata"]["annotations"] = {{"kubernetes.io/ingress.class", "nginx"}};
        QVERIFY(!ingress::servesIngress(legacy, "slipway", true));

        const json classless = ingressObject("i", json::object());
        QVERIFY(ingress::servesIngress(classless, "slipway", true));
        QVERIFY(!ingress::servesIngress(classless, "slipway", false));
    }
};

QTEST_GUILESS_MAIN(TstRoutingTable)
#include "tst_routing_table.moc"
