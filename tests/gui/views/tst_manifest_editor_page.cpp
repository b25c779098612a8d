// SPDX-License-Identifier: Apache-2.0
// The manifest editor page on the offscreen platform: the QScintilla editor and the form stay
// in step both ways, problems are marked on their lines and listed, the preview draws what
// applying creates.
#include <QApplication>
#include <QPalette>
#include <QSignalSpy>
#include <QTableView>
#include <QTreeWidget>
#include <Qsci/qscilexeryaml.h>
#include <Qsci/qsciscintilla.h>
#include <QtTest>

#include "gui/models/manifest_editor_model.h"
#include "gui/models/manifest_form_model.h"
#include "gui/models/topology_model.h"
#include "gui/views/manifest_editor_page.h"

using namespace slipway::gui;

namespace {

const char* const kManifest =
    "# web\n"                   // 0
    "apiVersion: apps/v1\n"     // 1
    "kind: Deployment\n"        // 2
    "metadata:\n"               // 3
    "  name: web\n"             // 4
    "spec:\n"                   // 5
    "  replicas: 2  # two\n"    // 6
    "  selector:\n"             // 7
    "    matchLabels:\n"        // 8
    "      app: web\n"          // 9
    "  template:\n"             // 10
    "    metadata:\n"           // 11
    "      labels:\n"           // 12
    "        app: web\n"        // 13
    "    spec:\n"               // 14
    "      containers:\n"       // 15
    "        - name: web\n"     // 16
    "          image: nginx\n"  // 17
    "---\n"                     // 18
    "apiVersion: v1\n"          // 19
    "kind: Service\n"           // 20
    "metadata:\n"               // 21
    "  name: web\n"             // 22
    "spec:\n"                   // 23
    "  selector:\n"             // 24
    "    app: web\n"            // 25
    "  ports:\n"                // 26
    "    - port: 80\n";         // 27

}  // namespace

class TstManifestEditorPage : public QObject {
    Q_OBJECT

private slots:
    void editorAndFormStayInStep() {
        ManifestEditorPage page;
        page.resize(1400, 900);
        page.show();
        page.model()->setValidationDelay(std::chrono::milliseconds(10));
        page.editor()->setText(QString::fromUtf8(kManifest));
        QCOMPARE(page.model()->text(), QString::fromUtf8(kManifest));
        ManifestFormModel* form = page.model()->form();
        QCOMPARE(form->kind(), QStringLiteral("Deployment"));

        // Form → editor: the edit lands in the QScintilla text, comment kept, undoable.
        const QModelIndex replicas = form->index(form->rowOf("/spec/replicas"), 1);
        QVERIFY(form->setData(replicas, 4));
        QCOMPARE(page.editor()->text(6), QStringLiteral("  replicas: 4  # two\n"));
        QCOMPARE(page.editor()->text(), page.model()->text());
        page.editor()->undo();
        QCOMPARE(page.editor()->text(6), QStringLiteral("  replicas: 2  # two\n"));
        QCOMPARE(form->data(replicas).toInt(), 2);

        // Editor → form: typing in the editor changes the form's value.
        page.editor()->setSelection(17, 17, 17, 22);
        page.editor()->replaceSelectedText(QStringLiteral("httpd"));
        QCOMPARE(form->data(form->index(form->rowOf("/spec/template/spec/containers/0/image"), 1))
                     .toString(),
                 QStringLiteral("httpd"));

        // The cursor in the second document shows the Service in the form.
        page.editor()->setCursorPosition(22, 2);
        QTRY_COMPARE_WITH_TIMEOUT(form->kind(), QStringLiteral("Service"), 5000);
    }

    void problemsAreMarkedOnTheirLines() {
        ManifestEditorPage page;
        page.resize(1400, 900);
        page.show();
        page.model()->setValidationDelay(std::chrono::milliseconds(10));
        QSignalSpy validated(page.model(), &ManifestEditorModel::diagnosticsChanged);
        QString text = QString::fromUtf8(kManifest);
        text.replace(QStringLiteral("  name: web\nspec:\n  replicas"),
                     QStringLiteral("  name: Web\nspec:\n  replicas"));
        page.editor()->setText(text);
        QVERIFY(validated.wait(10000));
        QTreeWidget* problems = page.problemsView();
        QCOMPARE(problems->topLevelItemCount(), 1);
        QCOMPARE(problems->topLevelItem(0)->text(0), QStringLiteral("5"));  // 1-based
        QVERIFY(problems->topLevelItem(0)->text(2).startsWith(QStringLiteral("metadata.name:")));
        QVERIFY(page.editor()->markersAtLine(4) != 0);
        QCOMPARE(page.editor()->markersAtLine(6), 0u);

        // Fixed: the marker and the problem go.
        page.editor()->setSelection(4, 8, 4, 11);
        page.editor()->replaceSelectedText(QStringLiteral("web"));
        QVERIFY(validated.wait(10000));
        QCOMPARE(problems->topLevelItemCount(), 0);
        QCOMPARE(page.editor()->markersAtLine(4), 0u);
    }

    void keyboardShortcutsReachTheCluster() {
        ManifestEditorPage page;
        page.resize(1400, 900);
        page.show();
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        page.setTargets({QStringLiteral("dev")}, 0);
        page.editor()->setText(QString::fromUtf8(kManifest));
        page.editor()->setFocus();
        QSignalSpy apply(&page, &ManifestEditorPage::applyRequested);
        QSignalSpy dryRun(&page, &ManifestEditorPage::dryRunRequested);
        QSignalSpy diff(&page, &ManifestEditorPage::diffRequested);
        page.model()->validateNow();
        QSignalSpy validated(page.model(), &ManifestEditorModel::diagnosticsChanged);
        QVERIFY(validated.wait(10000));
        QTest::keyClick(page.editor(), Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(apply.count(), 1);
        QTest::keyClick(page.editor(), Qt::Key_Return, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(dryRun.count(), 1);
        QTest::keyClick(page.editor(), Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(diff.count(), 1);
        // The text is as it was: the keys did not reach the editor as typing.
        QCOMPARE(page.editor()->text(), QString::fromUtf8(kManifest));
        // Without a cluster there is nothing to apply to.
        page.setTargets({}, -1);
        QTest::keyClick(page.editor(), Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(apply.count(), 1);
    }

    void followsADarkPalette() {
        const QPalette original = QApplication::palette();
        QPalette dark = original;
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
        QApplication::setPalette(dark);
        {
            ManifestEditorPage page;
            QCOMPARE(page.editor()->lexer()->paper(QsciLexerYAML::Default),
                     QColor(0x1e, 0x1e, 0x1e));
            QCOMPARE(page.editor()->lexer()->color(QsciLexerYAML::Default),
                     QColor(0xee, 0xee, 0xee));
        }
        QApplication::setPalette(original);
        ManifestEditorPage light;
        QVERIFY(light.editor()->lexer()->paper(QsciLexerYAML::Default).lightness() > 128);
    }

    void previewShowsWhatApplyCreates() {
        ManifestEditorPage page;
        page.resize(1400, 900);
        page.show();
        page.editor()->setText(QString::fromUtf8(kManifest));
        TopologyModel* preview = page.previewModel();
        // Deployment → ReplicaSet → 2 pods, and the Service routing to them.
        QTRY_COMPARE_WITH_TIMEOUT(preview->verticesOfKind(VertexKind::Pod).size(), 2, 5000);
        const QString deployment = TopologyModel::vertexId(
            VertexKind::Deployment, QStringLiteral("default"), QStringLiteral("web"));
        QCOMPARE(preview->targetsOf(deployment).size(), 1);
        const QString service = TopologyModel::vertexId(
            VertexKind::Service, QStringLiteral("default"), QStringLiteral("web"));
        QTRY_COMPARE_WITH_TIMEOUT(preview->targetsOf(service, TopologyEdge::Kind::Routes).size(), 2,
                                  5000);
    }
};

QTEST_MAIN(TstManifestEditorPage)
#include "tst_manifest_editor_page.moc"
