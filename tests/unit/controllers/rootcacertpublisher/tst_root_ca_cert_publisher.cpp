// SPDX-License-Identifier: Apache-2.0
// The root-CA publisher keeps kube-root-ca.crt in every namespace, through a real in-process
// API server.
#include <QtTest>

#include "engine/controllers/rootcacertpublisher/root_ca_cert_publisher.h"

#include "../controller_test_support.h"

using namespace slipway;
using nlohmann::json;

namespace {

const std::string kCa = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";

json namespaceJson(const std::string& name) {
    return {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}};
}

}  // namespace

class TstRootCaCertPublisher : public QObject {
    Q_OBJECT

    std::optional<json> rootCa(const client::Client& client, const std::string& ns) {
        auto got = client.get(client::resources::configMaps().in(ns).named("kube-root-ca.crt"));
        return got ? std::optional<json>(*got) : std::nullopt;
    }

private slots:
    void everyNamespaceGetsTheClusterCa() {
        testing::ControllerHarness harness;
        harness.context->options.rootCaPem = kCa;
        QVERIFY(
            harness.client->create(client::resources::namespaces(), namespaceJson("before")).ok());
        controllers::RootCaCertPublisher publisher(*harness.context);
        QVERIFY(harness.start());
        publisher.run(1);

        // Namespaces that existed and namespaces made later.
        QVERIFY(
            harness.client->create(client::resources::namespaces(), namespaceJson("after")).ok());
        for (const std::string ns : {"before", "after"}) {
            QTRY_VERIFY_WITH_TIMEOUT(rootCa(*harness.client, ns).has_value(), 10000);
            const json configMap = *rootCa(*harness.client, ns);
            QCOMPARE(configMap["data"].value("ca.crt", ""), kCa);
            QVERIFY(configMap["metadata"]["annotations"]
                        .value("kubernetes.io/description", "")
                        .starts_with("Contains a CA bundle"));
        }

        // An edited bundle is put back; a deleted one comes back.
        json edited = *rootCa(*harness.client, "after");
        edited["data"]["ca.crt"] = "tampered";
        edited["data"]["extra"] = "x";
        QVERIFY(harness.client
                    ->update(client::resources::configMaps().in("after").named("kube-root-ca.crt"),
                             edited)
                    .ok());
        QTRY_COMPARE_WITH_TIMEOUT(rootCa(*harness.client, "after")->at("data"),
                                  json({{"ca.crt", kCa}}), 10000);
        QVERIFY(harness.client
                    ->remove(client::resources::configMaps().in("before").named("kube-root-ca.crt"))
                    .ok());
        QTRY_VERIFY_WITH_TIMEOUT(rootCa(*harness.client, "before").has_value(), 10000);
        harness.informers->stop();
    }
};

QTEST_GUILESS_MAIN(TstRootCaCertPublisher)
#include "tst_root_ca_cert_publisher.moc"
