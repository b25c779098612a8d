// SPDX-License-Identifier: Apache-2.0
// The Service default/kubernetes and its Endpoints and EndpointSlice, kept by
// KubernetesServiceReconciler through an in-process API server.
#include <QTemporaryDir>
#include <QtTest>

#include "engine/proxy/kubernetes_service.h"

#include "../client/test_server.h"

using namespace slipway;
using nlohmann::json;

class TstKubernetesService : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;

    client::ResourceRef named(client::ResourceRef ref) {
        return ref.in("default").named("kubernetes");
    }

private slots:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<testing::TestServer>(m_dir->path().toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();
    }

    void cleanup() {
        m_client.reset();
        m_server.reset();
        m_dir.reset();
    }

    void theServiceAndItsEndpointsNameTheApiServer() {
        proxy::KubernetesServiceReconciler reconciler(*m_client, {"192.168.213.2", 6443});
        auto done = reconciler.reconcile();
        QVERIFY2(done.ok(), done ? "" : done.error().message().c_str());
        auto service = m_client->get(named(client::resources::services()));
        QVERIFY(service.ok());
        QCOMPARE((*service)["spec"].value("clusterIP", ""), std::string("10.96.0.1"));
        QCOMPARE((*service)["spec"]["ports"][0].value("name", ""), std::string("https"));
        QCOMPARE((*service)["spec"]["ports"][0].value("port", 0), 443);
        QCOMPARE((*service)["spec"]["ports"][0].value("targetPort", 0), 6443);
        QCOMPARE((*service)["metadata"]["labels"].value("component", ""), std::string("apiserver"));
        auto endpoints = m_client->get(named(client::resources::endpoints()));
        QVERIFY(endpoints.ok());
        QCOMPARE((*endpoints)["subsets"][0]["addresses"][0].value("ip", ""),
                 std::string("192.168.213.2"));
        QCOMPARE((*endpoints)["subsets"][0]["ports"][0].value("port", 0), 6443);
        auto slice =
            m_client->get(named(client::ResourceRef("discovery.k8s.io", "v1", "endpointslices")));
        QVERIFY(slice.ok());
        QCOMPARE((*slice)["metadata"]["labels"].value("kubernetes.io/service-name", ""),
                 std::string("kubernetes"));
        QCOMPARE((*slice)["endpoints"][0]["addresses"][0], json("192.168.213.2"));

        // Idempotent; a second reconciler on another port corrects the objects.
        QVERIFY(reconciler.reconcile().ok());
        proxy::KubernetesServiceReconciler moved(*m_client, {"192.168.213.2", 7443});
        QVERIFY(moved.reconcile().ok());
        QCOMPARE(m_client->get(named(client::resources::endpoints()))
                     ->value("/subsets/0/ports/0/port"_json_pointer, 0),
                 7443);
        QCOMPARE(m_client->get(named(client::resources::services()))
                     ->value("/spec/ports/0/targetPort"_json_pointer, 0),
                 7443);
    }

    void aDeletedServiceComesBack() {
        proxy::KubernetesServiceReconciler::Options options{"192.168.213.2", 6443};
        options.interval = std::chrono::milliseconds(50);
        proxy::KubernetesServiceReconciler reconciler(*m_client, options);
        reconciler.start();
        QTRY_VERIFY_WITH_TIMEOUT(m_client->get(named(client::resources::services())).ok(), 5000);
        QVERIFY(m_client->remove(named(client::resources::services())).ok());
        QTRY_VERIFY_WITH_TIMEOUT(m_client->get(named(client::resources::services())).ok(), 5000);
        // 10.96.0.1 was given back on deletion and taken again.
        QCOMPARE(m_client->get(named(client::resources::services()))
                     ->value("/spec/clusterIP"_json_pointer, std::string()),
                 std::string("10.96.0.1"));
        reconciler.stop();
    }
};

QTEST_GUILESS_MAIN(TstKubernetesService)
#include "tst_kubernetes_service.moc"
