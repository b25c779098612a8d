// SPDX-License-Identifier: Apache-2.0
// The service account controller against an in-process API server.
#include <QTemporaryDir>
#include <QtTest>

#include "engine/controllers/serviceaccount/service_accounts_controller.h"

#include "../../client/test_server.h"

using namespace slipway;

class TstServiceAccountsController : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;

    bool hasServiceAccount(const std::string& nameSpace, const std::string& name) {
        return m_client->get(client::resources::serviceAccounts().in(nameSpace).named(name)).ok();
    }

private slots:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();  // a fresh store for every test
        m_server = std::make_unique<testing::TestServer>(m_dir->path().toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();
    }

    void cleanup() {
        m_client.reset();
        m_server.reset();
        m_dir.reset();
    }

    void createsDefaultInEveryActiveNamespace() {
        controllers::ServiceAccountsController controller(*m_client);
        controller.start();
        for (const char* ns : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
            QTRY_VERIFY2_WITH_TIMEOUT(hasServiceAccount(ns, "default"), ns, 5000);
        }
        const nlohmann::json team = {
            {"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "team"}}}};
        QVERIFY(m_client->create(client::resources::namespaces(), team).ok());
        QTRY_VERIFY_WITH_TIMEOUT(hasServiceAccount("team", "default"), 5000);

        // Deleted, it is created again.
        QVERIFY(m_client->remove(client::resources::serviceAccounts().in("team").named("default"))
                    .ok());
        QTRY_VERIFY_WITH_TIMEOUT(hasServiceAccount("team", "default"), 5000);
        controller.stop();
    }

    void terminatingOrMissingNamespacesAreLeftAlone() {
        controllers::ServiceAccountsController controller(*m_client);
        // sync() before start(): the listers are empty, so every namespace counts as gone.
        QVERIFY(controller.sync("default").ok());
        QVERIFY(!hasServiceAccount("default", "default"));
        QVERIFY(controller.sync("nonexistent").ok());
    }
};

QTEST_GUILESS_MAIN(TstServiceAccountsController)
#include "tst_service_accounts_controller.moc"
