// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/api/kind_registry.h"
#include "engine/apiextensions/crd_validation.h"

using nlohmann::json;
using slipway::api::FieldCauses;
namespace apiextensions = slipway::apiextensions;

namespace {

json widgetCrd() {
    return json::parse(R"({
      "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
      "metadata": {"name": "widgets.example.com"},
      "spec": {"group": "example.com", "scope": "Namespaced",
               "names": {"plural": "widgets", "kind": "Widget", "shortNames": ["wd"]},
               "versions": [{"name": "v1", "served": true, "storage": true,
                             "schema": {"openAPIV3Schema": {"type": "object",
                               "properties": {"spec": {"type": "object",
                                 "properties": {"size": {"type": "integer"}}}}}}}]}})");
}

// "field | message" per cause, to compare whole answers.
QStringList describe(const FieldCauses& causes) {
    QStringList lines;
    for (const auto& cause : causes) {
        lines << QString::fromStdString(cause.field + " | " + cause.message);
    }
    return lines;
}

FieldCauses validate(json crd, const json* old = nullptr) {
    apiextensions::defaultCustomResourceDefinition(crd);
    return apiextensions::validateCustomResourceDefinition(crd, old);
}

}  // namespace

class TstCrdValidation : public QObject {
    Q_OBJECT

private slots:
    void defaultingFillsSingularListKindAndStoredVersions() {
        json crd = widgetCrd();
        apiextensions::defaultCustomResourceDefinition(crd);
        QCOMPARE(crd["spec"]["names"]["singular"], json("widget"));
        QCOMPARE(crd["spec"]["names"]["listKind"], json("WidgetList"));
        QCOMPARE(crd["spec"]["conversion"], json({{"strategy", "None"}}));
        QCOMPARE(crd["status"]["storedVersions"], json::array({"v1"}));
    }

    void aValidDefinitionHasNoCauses() {
        const auto causes = validate(widgetCrd());
        QVERIFY2(causes.empty(), qPrintable(describe(causes).join('\n')));
    }

    void kubeWordsEachMistake_data() {
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("group without a dot")
            << "/spec/group"
            << R"("example")"
            << R"(spec.group | Invalid value: "example": should be a domain with at least one dot)";
        QTest::newRow("name not plural.group")
            << "/metadata/name"
            << R"("gadgets.example.com")"
            << R"(metadata.name | Invalid value: "gadgets.example.com": must be spec.names.plural+"."+spec.group)";
        QTest::newRow("bad scope")
            << "/spec/scope"
            << R"("Global")"
            << R"(spec.scope | Unsupported value: "Global": supported values: "Cluster", "Namespaced")";
        QTest::newRow("no versions")
            << "/spec/versions"
            << "[]"
            << "spec.versions | Invalid value: null: must have exactly one version marked as "
               "storage version";
        QTest::newRow("kind equals listKind")
            << "/spec/names/listKind"
            << R"("Widget")"
            << R"(spec.names.listKind | Invalid value: "Widget": kind and listKind may not be the same)";
        QTest::newRow("missing schema")
            << "/spec/versions/0/schema"
            << "null"
            << "spec.versions[0].schema.openAPIV3Schema | Required value: schemas are required";
        QTest::newRow("property without type")
            << "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/size"
            << R"({"minimum": 1})"
            << "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[size].type | "
               "Required value: must not be empty for specified object fields";
        QTest::newRow("root not an object")
            << "/spec/versions/0/schema/openAPIV3Schema/type"
            << R"("string")"
            << R"(spec.versions[0].schema.openAPIV3Schema.type | Invalid value: "string": must be object at the root)";
        QTest::newRow("bad plural")
            << "/spec/names/plural"
            << R"("Widgets")"
            << "spec.names.plural | Invalid value: \"Widgets\": a DNS-1035 label must consist of "
               "lower case alphanumeric characters or '-', start with an alphabetic character, "
               "and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex "
               "used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    }

    void kubeWordsEachMistake() {
        QFETCH(QString, pointer);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        json crd = widgetCrd();
        crd[json::json_pointer(pointer.toStdString())] = json::parse(value.toStdString());
        if (pointer == QLatin1String("/spec/names/plural")) {
            crd["metadata"]["name"] = "Widgets.example.com";
        }
        if (pointer == QLatin1String("/spec/group")) {
            crd["metadata"]["name"] = "widgets.example";
        }
        const auto causes = describe(validate(crd));
        QVERIFY2(causes.contains(expected), qPrintable(causes.join('\n')));
    }

    void exactlyOneStorageVersion() {
        json crd = widgetCrd();
        json second = crd["spec"]["versions"][0];
        second["name"] = "v2";
        crd["spec"]["versions"].push_back(second);
        const auto causes = describe(validate(crd));
        QCOMPARE(causes.size(), 1);
        QVERIFY(causes[0].startsWith("spec.versions | Invalid value: [{"));
        QVERIFY(causes[0].endsWith("must have exactly one version marked as storage version"));
    }

    void requiredNames() {
        json crd = widgetCrd();
        crd["spec"]["names"] = json::object();
        crd["metadata"]["name"] = ".example.com";
        const auto causes = describe(validate(crd));
        for (const char* name : {"plural", "singular", "kind", "listKind"}) {
            const QString expected = QStringLiteral("spec.names.%1 | Required value").arg(name);
            QVERIFY2(causes.contains(expected), qPrintable(causes.join('\n')));
        }
    }

    void groupAndPluralAreImmutable() {
        json old = widgetCrd();
        apiextensions::defaultCustomResourceDefinition(old);
        json crd = old;
        crd["spec"]["group"] = "example.org";
        crd["metadata"]["name"] = "widgets.example.org";
        const auto causes = describe(validate(crd, &old));
        QVERIFY2(
            causes.contains(R"(spec.group | Invalid value: "example.org": field is immutable)"),
            qPrintable(causes.join('\n')));
    }

    void scopeIsImmutableOnceEstablished() {
        json old = widgetCrd();
        apiextensions::defaultCustomResourceDefinition(old);
        json crd = old;
        crd["spec"]["scope"] = "Cluster";
        QVERIFY(validate(crd, &old).empty());
        apiextensions::setCondition(old, "Established", "True", "InitialNamesAccepted",
                                    "the initial names have been accepted",
                                    std::chrono::system_clock::now());
        const auto causes = describe(validate(crd, &old));
        QVERIFY2(causes.contains(R"(spec.scope | Invalid value: "Cluster": field is immutable)"),
                 qPrintable(causes.join('\n')));
    }

    void deletionAddsTheCleanupFinalizerOnce() {
        json crd = widgetCrd();
        const auto now = std::chrono::system_clock::now();
        apiextensions::prepareCustomResourceDefinitionForDelete(crd, now);
        apiextensions::prepareCustomResourceDefinitionForDelete(crd, now);
        QCOMPARE(crd["metadata"]["finalizers"],
                 json::array({"customresourcecleanup.apiextensions.k8s.io"}));
        const json* terminating = apiextensions::findCondition(crd, "Terminating");
        QVERIFY(terminating != nullptr);
        QCOMPARE((*terminating)["reason"], json("InstanceDeletionPending"));
        QCOMPARE((*terminating)["status"], json("True"));
    }

    void conditionsKeepTheirTransitionTime() {
        json crd = widgetCrd();
        const auto then = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
        apiextensions::setCondition(crd, "Established", "True", "A", "a", then);
        apiextensions::setCondition(crd, "Established", "True", "B", "b",
                                    then + std::chrono::hours(1));
        QCOMPARE(crd["status"]["conditions"].size(), std::size_t(1));
        QCOMPARE(crd["status"]["conditions"][0]["lastTransitionTime"],
                 json("2023-11-14T22:13:20Z"));
        QCOMPARE(crd["status"]["conditions"][0]["reason"], json("B"));
        apiextensions::setCondition(crd, "Established", "False", "C", "c",
                                    then + std::chrono::hours(1));
        QCOMPARE(crd["status"]["conditions"][0]["lastTransitionTime"],
                 json("2023-11-14T23:13:20Z"));
    }

    void theStrategyIsInstalledOnTheKind() {
        auto registry = slipway::api::KindRegistry::withBuiltinKinds();
        const auto before = registry->groupVersions();
        apiextensions::installCustomResourceDefinitionStrategy(*registry);
        const auto type = registry->find("apiextensions.k8s.io", "v1", "customresourcedefinitions");
        QVERIFY(type && type->validator && type->defaulter && type->prepareForDelete);
        QCOMPARE(registry->groupVersions().size(), before.size());
        json invalid = widgetCrd();
        invalid["spec"]["group"] = "example";
        QVERIFY(!type->validator(invalid, nullptr).empty());
    }
};

QTEST_GUILESS_MAIN(TstCrdValidation)
#include "tst_crd_validation.moc"
