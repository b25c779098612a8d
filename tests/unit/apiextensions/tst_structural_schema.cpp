// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/apiextensions/structural_schema.h"

using nlohmann::json;
using slipway::api::FieldCauses;
using slipway::apiextensions::StructuralSchema;
using slipway::apiextensions::validateStructuralSchema;

namespace {

const StructuralSchema& widgetSchema() {
    static const StructuralSchema schema(json::parse(R"({
      "type": "object",
      "properties": {
        "spec": {"type": "object", "required": ["size"],
          "properties": {
            "size": {"type": "integer", "minimum": 1, "maximum": 10},
            "color": {"type": "string", "enum": ["red", "blue"], "default": "red"},
            "name": {"type": "string", "pattern": "^[a-z]+$"},
            "note": {"type": "string", "nullable": true},
            "port": {"x-kubernetes-int-or-string": true},
            "options": {"type": "object", "default": {},
                        "properties": {"verbose": {"type": "boolean", "default": false}}},
            "tags": {"type": "array", "items": {"type": "string"}},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}},
        "status": {"type": "object", "properties": {"ready": {"type": "integer"}}}}})"));
    return schema;
}

QStringList describe(const FieldCauses& causes) {
    QStringList lines;
    for (const auto& cause : causes) {
        lines << QString::fromStdString(cause.field + " | " + cause.reason + " | " + cause.message);
    }
    return lines;
}

json widget(json spec) {
    return {{"apiVersion", "example.com/v1"},
            {"kind", "Widget"},
            {"metadata", {{"name", "w"}, {"namespace", "default"}}},
            {"spec", std::move(spec)}};
}

}  // namespace

class TstStructuralSchema : public QObject {
    Q_OBJECT

private slots:
    void pruningDropsUnknownFieldsOnly() {
        json object = widget({{"size", 2},
                              {"unknown", 1},
                              {"labels", {{"a", "b"}}},
                              {"tags", {"x"}},
                              {"extra", {{"anything", {{"goes", true}}}}}});
        object["topLevel"] = "dropped";
        object["metadata"]["bogus"] = "dropped";
        const auto pruned = widgetSchema().prune(object);
        QCOMPARE(pruned, (std::vector<std::string>{"metadata.bogus", "spec.unknown", "topLevel"}));
        QVERIFY(!object.contains("topLevel"));
        QVERIFY(!object["metadata"].contains("bogus"));
        QCOMPARE(object["metadata"]["name"], json("w"));
        QCOMPARE(object["apiVersion"], json("example.com/v1"));
        QVERIFY(!object["spec"].contains("unknown"));
        QCOMPARE(object["spec"]["labels"], json({{"a", "b"}}));
        QCOMPARE(object["spec"]["extra"]["anything"]["goes"], json(true));
    }

    void defaultsApplyOutsideIn() {
        json object = widget({{"size", 2}});
        widgetSchema().applyDefaults(object);
        QCOMPARE(object["spec"]["color"], json("red"));
        // The defaulted object gets its own properties' defaults.
        QCOMPARE(object["spec"]["options"], json({{"verbose", false}}));
        json blue = widget({{"size", 2}, {"color", "blue"}});
        widgetSchema().applyDefaults(blue);
        QCOMPARE(blue["spec"]["color"], json("blue"));
    }

    void aValidObjectPasses() {
        const auto causes = widgetSchema().validate(
            widget({{"size", 10}, {"name", "abc"}, {"note", nullptr}, {"port", "http"}}));
        QVERIFY2(causes.empty(), qPrintable(describe(causes).join('\n')));
        QVERIFY(widgetSchema().validate(widget({{"size", 1}, {"port", 8080}})).empty());
    }

    void eachRuleIsWordedAsKube_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("expected");
        QTest::newRow("type") << R"({"size": "big"})"
                              << "spec.size | FieldValueTypeInvalid | Invalid value: \"string\": "
                                 "spec.size in body must be of type integer: \"string\"";
        QTest::newRow("required") << R"({"color": "red"})"
                                  << "spec.size | FieldValueRequired | Required value";
        QTest::newRow("enum") << R"({"size": 1, "color": "pink"})"
                              << "spec.color | FieldValueNotSupported | Unsupported value: "
                                 "\"pink\": supported values: \"red\", \"blue\"";
        QTest::newRow("minimum") << R"({"size": 0})"
                                 << "spec.size | FieldValueInvalid | Invalid value: 0: spec.size "
                                    "in body should be greater than or equal to 1";
        QTest::newRow("maximum") << R"({"size": 11})"
                                 << "spec.size | FieldValueInvalid | Invalid value: 11: spec.size "
                                    "in body should be less than or equal to 10";
        QTest::newRow("pattern") << R"({"size": 1, "name": "ABC"})"
                                 << "spec.name | FieldValueInvalid | Invalid value: \"ABC\": "
                                    "spec.name in body should match '^[a-z]+$'";
        QTest::newRow("not nullable") << R"({"size": 1, "name": null})"
                                      << "spec.name | FieldValueTypeInvalid | Invalid value: "
                                         "\"null\": spec.name in body must be of type string: "
                                         "\"null\"";
        QTest::newRow("items") << R"({"size": 1, "tags": ["a", 2]})"
                               << "spec.tags[1] | FieldValueTypeInvalid | Invalid value: "
                                  "\"integer\": spec.tags[1] in body must be of type string: "
                                  "\"integer\"";
        QTest::newRow("additionalProperties")
            << R"({"size": 1, "labels": {"a": 1}})"
            << "spec.labels[a] | FieldValueTypeInvalid | Invalid value: \"integer\": "
               "spec.labels[a] in body must be of type string: \"integer\"";
        QTest::newRow("int-or-string") << R"({"size": 1, "port": true})"
                                       << "spec.port | FieldValueTypeInvalid | Invalid value: "
                                          "\"boolean\": spec.port in body must be of type "
                                          "integer or string: \"boolean\"";
    }

    void eachRuleIsWordedAsKube() {
        QFETCH(QString, spec);
        QFETCH(QString, expected);
        const auto causes =
            describe(widgetSchema().validate(widget(json::parse(spec.toStdString()))));
        QVERIFY2(causes.contains(expected), qPrintable(causes.join('\n')));
    }

    void withoutSchemaEverythingIsKept() {
        const StructuralSchema none{json()};
        json object = widget({{"anything", 1}});
        none.prune(object);
        none.applyDefaults(object);
        QCOMPARE(object["spec"]["anything"], json(1));
        QVERIFY(none.validate(object).empty());
    }

    void structuralRules() {
        const auto causes =
            describe(validateStructuralSchema(json::parse(R"({"type": "object", "properties": {
                "metadata": {"type": "object"},
                "a": {"properties": {"b": {"type": "string"}}},
                "c": {"type": "array", "uniqueItems": true, "items": {"type": "string"}},
                "d": {"type": "object", "properties": {"x": {"type": "string"}},
                      "additionalProperties": {"type": "string"}},
                "e": {"x-kubernetes-preserve-unknown-fields": true}}})"),
                                              slipway::api::FieldPath("schema")));
        QCOMPARE(causes.size(), 3);
        QVERIFY2(causes.contains("schema.properties[a].type | FieldValueRequired | Required value: "
                                 "must not be empty for specified object fields"),
                 qPrintable(causes.join('\n')));
        QVERIFY(
            causes.contains("schema.properties[c].uniqueItems | FieldValueForbidden | "
                            "Forbidden: uniqueItems cannot be set to true since the runtime "
                            "complexity becomes quadratic"));
        QVERIFY(
            causes.contains("schema.properties[d].additionalProperties | FieldValueForbidden | "
                            "Forbidden: additionalProperties and properties are mutual "
                            "exclusive"));
    }
};

QTEST_GUILESS_MAIN(TstStructuralSchema)
#include "tst_structural_schema.moc"
