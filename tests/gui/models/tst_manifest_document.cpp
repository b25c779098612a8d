// SPDX-License-Identifier: Apache-2.0
// The manifest editor's models without widgets: multi-document parsing, form edits that keep
// comments, text edits that reach the form, validation with slipwayd's rules placed on lines,
// templates, the unified diff and the apply preview.
#include <algorithm>

#include <QSignalSpy>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "gui/models/manifest_diff.h"
#include "gui/models/manifest_document.h"
#include "gui/models/manifest_editor_model.h"
#include "gui/models/manifest_form_model.h"
#include "gui/models/manifest_preview.h"
#include "gui/models/manifest_templates.h"
#include "gui/models/manifest_validator.h"

using namespace slipway::gui;
using nlohmann::json;

namespace {

// Line numbers (0-based) are noted on the right.
const char* const kDeploymentAndService =
    "# the web tier\n"                        // 0
    "apiVersion: apps/v1\n"                   // 1
    "kind: Deployment\n"                      // 2
    "metadata:\n"                             // 3
    "  name: web  # public name\n"            // 4
    "spec:\n"                                 // 5
    "  replicas: 2  # two is enough\n"        // 6
    "  selector:\n"                           // 7
    "    matchLabels:\n"                      // 8
    "      app: web\n"                        // 9
    "  template:\n"                           // 10
    "    metadata:\n"                         // 11
    "      labels:\n"                         // 12
    "        app: web\n"                      // 13
    "    spec:\n"                             // 14
    "      containers:\n"                     // 15
    "        - name: web\n"                   // 16
    "          image: \"nginx:1.25\"\n"       // 17
    "---\n"                                   // 18
    "apiVersion: v1\n"                        // 19
    "kind: Service\n"                         // 20
    "metadata:\n"                             // 21
    "  name: web\n"                           // 22
    "spec:\n"                                 // 23
    "  selector: {app: web}  # flow style\n"  // 24
    "  ports:\n"                              // 25
    "    - port: 80\n"                        // 26
    "      targetPort: 8080\n";               // 27

bool hasDiagnostic(const std::vector<ManifestDiagnostic>& diagnostics, const std::string& field,
                   const std::string& messagePart, int line) {
    return std::any_of(diagnostics.begin(), diagnostics.end(), [&](const ManifestDiagnostic& d) {
        return d.field == field && d.message.find(messagePart) != std::string::npos &&
               d.line == line;
    });
}

QString describe(const std::vector<ManifestDiagnostic>& diagnostics) {
    QStringList lines;
    for (const auto& d : diagnostics) {
        lines << QStringLiteral("%1: %2").arg(d.line).arg(QString::fromStdString(d.text()));
    }
    return lines.join(QLatin1Char('\n'));
}

}  // namespace

class TstManifestDocument : public QObject {
    Q_OBJECT

private slots:
    void parsesMultipleDocuments() {
        const ManifestDocument document(kDeploymentAndService);
        QCOMPARE(document.parts().size(), std::size_t{2});
        const auto& deployment = document.parts()[0];
        QVERIFY(!deployment.error);
        QCOMPARE(deployment.title(), std::string("Deployment/web"));
        QCOMPARE(deployment.object.at("/spec/replicas"_json_pointer), json(2));
        QCOMPARE(deployment.object.at("/spec/template/spec/containers/0/image"_json_pointer),
                 json("nginx:1.25"));
        QCOMPARE(deployment.firstLine, 0);
        QCOMPARE(deployment.lastLine, 17);
        const auto& service = document.parts()[1];
        QCOMPARE(service.title(), std::string("Service/web"));
        QCOMPARE(service.firstLine, 19);
        QCOMPARE(service.object.at("/spec/ports/0/targetPort"_json_pointer), json(8080));
        QCOMPARE(service.object.at("/spec/selector/app"_json_pointer), json("web"));
        QCOMPARE(document.objects().size(), std::size_t{2});
        QCOMPARE(document.partAtLine(6), 0);
        QCOMPARE(document.partAtLine(18), 1);
        QCOMPARE(document.partAtLine(27), 1);
        // Field paths as apimachinery prints them, to lines; a missing field to its parent.
        QCOMPARE(document.lineOfField(0, "spec.template.spec.containers[0].image"), 17);
        QCOMPARE(document.lineOfField(0, "spec.replicas"), 6);
        QCOMPARE(document.lineOfField(0, "spec.strategy.type"), 5);
        QCOMPARE(document.lineOfField(1, "spec.ports[0].targetPort"), 27);
        QCOMPARE(ManifestDocument::pointerOfField("data[a.b]"), std::string("/data/a.b"));
    }

    void unchangedDocumentsMoveWithTheText() {
        // An edit of the first document shifts the second, which is not parsed again: its
        // lines and byte ranges must follow.
        ManifestDocument document(kDeploymentAndService);
        QCOMPARE(document.lineOfField(1, "spec.ports[0].targetPort"), 27);
        std::string text = document.text();
        text.insert(text.find("spec:\n  replicas"), "  annotations:\n    a: b\n");
        document.setText(text);
        QCOMPARE(document.parts()[1].firstLine, 21);
        QCOMPARE(document.lineOfField(1, "spec.ports[0].targetPort"), 29);
        QVERIFY(document.setValue(1, "/spec/ports/0/targetPort", json(9090)));
        QVERIFY(document.text().find("      targetPort: 9090\n") != std::string::npos);
        QCOMPARE(document.parts()[1].object.at("/spec/ports/0/targetPort"_json_pointer),
                 json(9090));
        QCOMPARE(document.parts()[0].object.at("/metadata/annotations/a"_json_pointer), json("b"));
    }

    void resolvesScalarsAsKubernetes() {
        const json object = ManifestDocument::parseYaml(
            "a: 0644\nb: \"0644\"\nc: yes\nd: 1.5\ne: ~\nf: 0x1F\ng: '12'\nh: v1.2\n");
        QCOMPARE(object.at("a"), json(420));
        QCOMPARE(object.at("b"), json("0644"));
        QCOMPARE(object.at("c"), json(true));
        QCOMPARE(object.at("d"), json(1.5));
        QVERIFY(object.at("e").is_null());
        QCOMPARE(object.at("f"), json(31));
        QCOMPARE(object.at("g"), json("12"));
        QCOMPARE(object.at("h"), json("v1.2"));
        QCOMPARE(ManifestDocument::yamlScalar(json("1.25")), std::string("\"1.25\""));
        QCOMPARE(ManifestDocument::yamlScalar(json("nginx:1.26")), std::string("nginx:1.26"));
        QCOMPARE(ManifestDocument::yamlScalar(json("on")), std::string("\"on\""));
        QCOMPARE(ManifestDocument::yamlScalar(json(3)), std::string("3"));
    }

    void formEditReplacesOnlyTheScalar() {
        ManifestEditorModel model;
        model.setText(QString::fromUtf8(kDeploymentAndService));
        QSignalSpy edits(&model, &ManifestEditorModel::textEdited);
        ManifestFormModel* form = model.form();
        QCOMPARE(form->kind(), QStringLiteral("Deployment"));
        const int replicas = form->rowOf("/spec/replicas");
        QVERIFY(replicas >= 0);
        QCOMPARE(form->data(form->index(replicas, 1)).toInt(), 2);
        QVERIFY(form->setData(form->index(replicas, 1), 5));
        QCOMPARE(edits.count(), 1);
        const std::string text = model.document().text();
        // The comments on the line and everywhere else survive; only "2" became "5".
        QVERIFY(text.find("  replicas: 5  # two is enough\n") != std::string::npos);
        QVERIFY(text.find("# the web tier\n") != std::string::npos);
        QVERIFY(text.find("name: web  # public name") != std::string::npos);
        QVERIFY(text.find("selector: {app: web}  # flow style") != std::string::npos);
        const auto edit = edits.constFirst().at(0).value<TextEdit>();
        QCOMPARE(edit.text, std::string("5"));
        QCOMPARE(edit.end - edit.begin, std::size_t{1});
        QVERIFY(model.isModified());

        // A quoted value keeps being a string; a tag that would read as a number is quoted.
        const int image = form->rowOf("/spec/template/spec/containers/0/image");
        QVERIFY(form->setData(form->index(image, 1), QStringLiteral("nginx:1.26")));
        QVERIFY(model.document().text().find("image: nginx:1.26\n") != std::string::npos);

        // A field that is not there yet: one indented line, comments still there.
        const int strategy = form->rowOf("/spec/strategy/type");
        QVERIFY(form->setData(form->index(strategy, 1), QStringLiteral("Recreate")));
        const std::string withStrategy = model.document().text();
        QVERIFY2(
            withStrategy.find("spec:\n  strategy:\n    type: Recreate\n  replicas: 5  # two") !=
                std::string::npos,
            withStrategy.c_str());
        QCOMPARE(model.document().parts()[0].object.at("/spec/strategy/type"_json_pointer),
                 json("Recreate"));
        QVERIFY(withStrategy.find("# the web tier") != std::string::npos);

        // Clearing a field removes its line.
        QVERIFY(form->setData(form->index(form->rowOf("/spec/strategy/type"), 1), QString()));
        QVERIFY(!model.document().parts()[0].object.contains("/spec/strategy"_json_pointer));
        QVERIFY2(model.document().text().find("spec:\n  replicas: 5  # two is enough\n") !=
                     std::string::npos,
                 model.document().text().c_str());
        QVERIFY(model.document().text().find("# the web tier") != std::string::npos);

        // The Service's form edits its document, also inside a flow mapping.
        model.setCurrentLine(22);
        QCOMPARE(form->kind(), QStringLiteral("Service"));
        QVERIFY(form->setData(form->index(form->rowOf("/spec/selector/app"), 1),
                              QStringLiteral("api")));
        QVERIFY(model.document().text().find("selector: {app: api}  # flow style") !=
                std::string::npos);
        QCOMPARE(model.document().parts()[0].object.at("/spec/replicas"_json_pointer), json(5));
    }

    void textEditReachesTheForm() {
        ManifestEditorModel model;
        model.setText(QString::fromUtf8(kDeploymentAndService));
        ManifestFormModel* form = model.form();
        QSignalSpy changed(form, &QAbstractItemModel::dataChanged);
        QString text = QString::fromUtf8(kDeploymentAndService);
        text.replace(QStringLiteral("replicas: 2"), QStringLiteral("replicas: 7"));
        text.replace(QStringLiteral("\"nginx:1.25\""), QStringLiteral("nginx:1.27"));
        model.setText(text);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(form->data(form->index(form->rowOf("/spec/replicas"), 1)).toInt(), 7);
        QCOMPARE(form->data(form->index(form->rowOf("/spec/template/spec/containers/0/image"), 1))
                     .toString(),
                 QStringLiteral("nginx:1.27"));
        // The kind changes: the form's rows do.
        text.replace(QStringLiteral("kind: Deployment"), QStringLiteral("kind: Job"));
        model.setText(text);
        QCOMPARE(form->kind(), QStringLiteral("Job"));
        QVERIFY(form->rowOf("/spec/backoffLimit") >= 0);
        QCOMPARE(form->rowOf("/spec/replicas"), -1);
    }

    void validationMarksLines() {
        ManifestEditorModel model;
        model.setValidationDelay(std::chrono::milliseconds(10));
        QSignalSpy validated(&model, &ManifestEditorModel::diagnosticsChanged);
        model.setText(QString::fromUtf8(kDeploymentAndService));
        QVERIFY(validated.wait(10000));
        QVERIFY2(model.diagnostics().empty(), qPrintable(describe(model.diagnostics())));

        // A bad name, and a Deployment without a selector, in one text.
        QString text = QString::fromUtf8(kDeploymentAndService);
        text.replace(QStringLiteral("  name: web  # public name"),
                     QStringLiteral("  name: Web_1  # public name"));
        text.replace(QStringLiteral("  selector:\n    matchLabels:\n      app: web\n"), QString());
        model.setText(text);
        QVERIFY(validated.wait(10000));
        const auto& diagnostics = model.diagnostics();
        QVERIFY2(hasDiagnostic(diagnostics, "metadata.name",
                               "Invalid value: \"Web_1\": a lowercase RFC 1123 subdomain", 4),
                 qPrintable(describe(diagnostics)));
        // The missing selector is placed on its parent, spec (line 5).
        QVERIFY2(hasDiagnostic(diagnostics, "spec.selector", "Required value", 5),
                 qPrintable(describe(diagnostics)));
        QVERIFY(std::all_of(diagnostics.begin(), diagnostics.end(),
                            [](const auto& d) { return d.part == 0; }));

        // An unknown field, as kubectl's strict validation refuses it.
        text = QString::fromUtf8(kDeploymentAndService);
        text.replace(QStringLiteral("      targetPort: 8080\n"),
                     QStringLiteral("      targetPort: 8080\n      tragetPort: 1\n"));
        model.setText(text);
        QVERIFY(validated.wait(10000));
        QVERIFY2(
            hasDiagnostic(model.diagnostics(), "spec.ports[0].tragetPort", "unknown field", 28),
            qPrintable(describe(model.diagnostics())));

        // A YAML syntax error: on its line, and the other document is still checked.
        text = QString::fromUtf8(kDeploymentAndService);
        text.replace(QStringLiteral("  name: web\nspec:\n  selector"),
                     QStringLiteral("  name: [web\nspec:\n  selector"));
        model.setText(text);
        QVERIFY(validated.wait(10000));
        const auto& syntax = model.diagnostics();
        QVERIFY2(std::any_of(syntax.begin(), syntax.end(),
                             [](const auto& d) {
                                 return d.part == 1 && d.field.empty() && d.line >= 22 &&
                                        d.line <= 24;
                             }),
                 qPrintable(describe(syntax)));
        QVERIFY(model.document().parts()[1].error.has_value());
        QVERIFY(!model.document().parts()[0].error.has_value());
    }

    void templatesValidateClean() {
        for (const std::string& kind : manifestTemplateKinds()) {
            const ManifestDocument document(manifestTemplate(kind, "demo"));
            QCOMPARE(document.parts().size(), std::size_t{1});
            QCOMPARE(document.parts()[0].object.value("kind", std::string()), kind);
            const auto diagnostics = validateManifest(document);
            QVERIFY2(diagnostics.empty(), qPrintable(QString::fromStdString(kind) +
                                                     QStringLiteral(": ") + describe(diagnostics)));
            QVERIFY(!ManifestFormModel::fieldsFor(document.parts()[0].object).empty());
        }
        ManifestEditorModel model;
        model.newFromTemplate(QStringLiteral("Deployment"), QStringLiteral("shop"));
        QVERIFY(model.isModified());
        QVERIFY(model.filePath().isEmpty());
        QCOMPARE(model.document().parts()[0].title(), std::string("Deployment/shop"));
    }

    void savesAndLoadsFiles() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("SlipwayTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_manifest_document"));
        qputenv("XDG_CONFIG_HOME", dir.filePath(QStringLiteral("config")).toUtf8());
        const QString path = dir.filePath(QStringLiteral("web.yaml"));
        ManifestEditorModel model;
        model.setText(QString::fromUtf8(kDeploymentAndService));
        QVERIFY(model.isModified());
        QSignalSpy saved(&model, &ManifestEditorModel::fileSaved);
        model.save(path);
        QVERIFY(saved.wait(5000));
        QVERIFY(!model.isModified());
        QCOMPARE(ManifestEditorModel::recentFiles().value(0), QFileInfo(path).absoluteFilePath());

        ManifestEditorModel other;
        QSignalSpy loaded(&other, &ManifestEditorModel::fileLoaded);
        QSignalSpy reset(&other, &ManifestEditorModel::textReset);
        other.load(path);
        QVERIFY(loaded.wait(5000));
        QCOMPARE(reset.count(), 1);
        QCOMPARE(other.document().text(), std::string(kDeploymentAndService));
        QVERIFY(!other.isModified());
        QSignalSpy failed(&other, &ManifestEditorModel::fileFailed);
        other.load(dir.filePath(QStringLiteral("missing.yaml")));
        QVERIFY(failed.wait(5000));
    }

    void secretDataIsEditedDecoded() {
        ManifestEditorModel model;
        model.setText(
            QStringLiteral("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n"
                           "data:\n  password: aHVudGVyMg==  # base64\n"));
        ManifestFormModel* form = model.form();
        const QModelIndex password = form->index(form->rowOf("/data/password"), 1);
        QCOMPARE(form->data(password).toString(), QStringLiteral("hunter2"));
        QVERIFY(form->setData(password, QStringLiteral("s3cret")));
        QVERIFY(model.document().text().find("  password: czNjcmV0  # base64\n") !=
                std::string::npos);
    }

    void diffIsUnified() {
        const std::string from = "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\ni: 9\n";
        std::string to = from;
        to.replace(to.find("e: 5"), 4, "e: 50");
        const std::string diff = unifiedDiff(from, to, "live", "manifest");
        QCOMPARE(diff, std::string("--- live\n+++ manifest\n@@ -2,7 +2,7 @@\n b: 2\n c: 3\n d: 4\n"
                                   "-e: 5\n+e: 50\n f: 6\n g: 7\n h: 8\n"));
        QVERIFY(unifiedDiff(from, from, "a", "b").empty());
    }

    void previewDrawsWhatApplyCreates() {
        const ManifestDocument document(kDeploymentAndService);
        ManifestPreview preview;
        const ResourceEvents events = preview.update(document.objects());
        int pods = 0;
        int replicaSets = 0;
        for (const auto& event : events) {
            pods += event.kind == ResourceKind::Pod ? 1 : 0;
            replicaSets += event.kind == ResourceKind::ReplicaSet ? 1 : 0;
            QCOMPARE(event.type, ResourceEvent::Type::Added);
        }
        QCOMPARE(pods, 2);
        QCOMPARE(replicaSets, 1);
        // Three replicas: one pod more, nothing else removed.
        QString text = QString::fromUtf8(kDeploymentAndService);
        text.replace(QStringLiteral("replicas: 2"), QStringLiteral("replicas: 3"));
        const auto next = preview.update(ManifestDocument(text.toStdString()).objects());
        QCOMPARE(std::count_if(next.begin(), next.end(),
                               [](const auto& e) {
                                   return e.type == ResourceEvent::Type::Added &&
                                          e.kind == ResourceKind::Pod;
                               }),
                 1);
        QCOMPARE(
            std::count_if(next.begin(), next.end(),
                          [](const auto& e) { return e.type == ResourceEvent::Type::Deleted; }),
            0);
    }
};

QTEST_GUILESS_MAIN(TstManifestDocument)
#include "tst_manifest_document.moc"
