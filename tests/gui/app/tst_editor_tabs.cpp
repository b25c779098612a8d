// SPDX-License-Identifier: Apache-2.0
// The manifest editor as Studio wires it (EditorTabs: a page, its ApplyService, the clusters)
// against a real slipwayd: the toolbar's Apply creates the objects and the output says so.
#include <QSignalSpy>
#include <QTabWidget>
#include <Qsci/qsciscintilla.h>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/client/https_client.h"
#include "engine/client/resource_ref.h"
#include "gui/app/editor_tabs.h"
#include "gui/models/manifest_editor_model.h"
#include "gui/views/manifest_editor_page.h"

#include "tests/integration/test_support.h"

using namespace slipway;
using nlohmann::json;

class TstEditorTabs : public QObject {
    Q_OBJECT

    testing::SlipwaydServer m_server;

private slots:
    void initTestCase() { QVERIFY(m_server.start()); }

    void applyFromTheToolbarCreatesTheObjects() {
        QTemporaryDir config;
        qputenv("XDG_CONFIG_HOME", config.path().toUtf8());
        QTabWidget tabs;
        tabs.resize(1400, 900);
        gui::EditorTabs editors(&tabs, nullptr);
        const gui::ConnectionTarget target{m_server.kubeconfigPath(), {}, QStringLiteral("test")};
        gui::ManifestEditorPage* page = editors.open({}, &target);  // a new Deployment
        tabs.show();
        QCOMPARE(page->currentTarget(), 0);
        page->editor()->setText(QString::fromStdString(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings  # for the shop\n"
            "data:\n  colour: blue\n"));
        auto* output = page->findChild<QsciScintilla*>(QStringLiteral("manifestOutput"));
        QVERIFY(output != nullptr);

        emit page->dryRunRequested();
        QTRY_VERIFY_WITH_TIMEOUT(output->text().contains(QStringLiteral("(server dry run)")),
                                 30000);
        QVERIFY2(output->text().contains(QStringLiteral("configmap/settings created")),
                 qPrintable(output->text()));
        const auto ref = client::resources::configMaps().in("default").named("settings");
        const auto api = m_server.apiClient();
        QVERIFY(!api->get(ref).ok());

        emit page->applyRequested();
        QTRY_VERIFY_WITH_TIMEOUT(output->text().startsWith(QStringLiteral("Applied to test")),
                                 30000);
        QVERIFY2(output->text().contains(QStringLiteral("configmap/settings created\n")),
                 qPrintable(output->text()));
        const auto created = api->get(ref);
        QVERIFY(created.ok());
        QCOMPARE(created->at("/data/colour"_json_pointer), json("blue"));

        // Changed in the cluster, then a diff from the editor shows it.
        QVERIFY(
            api->patch(ref, client::PatchType::Merge, json{{"data", {{"colour", "red"}}}}).ok());
        emit page->diffRequested();
        QTRY_VERIFY_WITH_TIMEOUT(output->text().startsWith(QStringLiteral("Diff against test")),
                                 30000);
        QVERIFY2(output->text().contains(QStringLiteral("\n-  colour: red\n+  colour: blue\n")),
                 qPrintable(output->text()));
    }
};

QTEST_MAIN(TstEditorTabs)
#include "tst_editor_tabs.moc"
