// SPDX-License-Identifier: Apache-2.0
#include <string>
#include <vector>

#include <QtTest>

#include "engine/api/field_validation.h"

using nlohmann::json;
using slipway::api::FieldValidation;
using slipway::api::FieldValidator;
using slipway::api::UnknownFieldPruner;
using slipway::core::ErrorCode;

namespace {

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

QStringList list(const std::vector<std::string>& values) {
    QStringList out;
    for (const auto& value : values) {
        out << q(value);
    }
    return out;
}

json ref(const std::string& name) {
    return {{"allOf", json::array({{{"$ref", "#/components/schemas/" + name}}})}};
}

// A small world in the shape BuiltinSchemas generates: an object with a nested object by
// reference, a list of objects, a map of objects, an int-or-string, a free-form object and
// one that preserves unknown fields (as custom resources declare).
const json& components() {
    static const json kComponents = {
        {"Thing",
         {{"type", "object"},
          {"properties",
           {{"apiVersion", {{"type", "string"}}},
            {"kind", {{"type", "string"}}},
            {"metadata", ref("Meta")},
            {"spec", ref("Spec")}}}}},
        {"Meta",
         {{"type", "object"},
          {"properties",
           {{"name", {{"type", "string"}}},
            {"labels", {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}}}}}}},
        {"Spec",
         {{"type", "object"},
          {"properties",
           {{"items", {{"type", "array"}, {"items", ref("Item")}}},
            {"byName", {{"type", "object"}, {"additionalProperties", ref("Item")}}},
            {"port", ref("IntOrString")},
            {"raw", ref("Raw")},
            {"open", {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}}}}}}},
        {"Item",
         {{"type", "object"},
          {"properties", {{"name", {{"type", "string"}}}, {"size", {{"type", "integer"}}}}}}},
        {"IntOrString", {{"x-kubernetes-int-or-string", true}, {"format", "int-or-string"}}},
        {"Raw", {{"type", "object"}}},
    };
    return kComponents;
}

const json& thing() {
    return components()["Thing"];
}

}  // namespace

class TstFieldValidation : public QObject {
    Q_OBJECT

private slots:
    void parsesTheDirective() {
        QCOMPARE(*slipway::api::parseFieldValidation("", "CreateOptions"), FieldValidation::Warn);
        QCOMPARE(*slipway::api::parseFieldValidation("Warn", "CreateOptions"),
                 FieldValidation::Warn);
        QCOMPARE(*slipway::api::parseFieldValidation("Strict", "CreateOptions"),
                 FieldValidation::Strict);
        QCOMPARE(*slipway::api::parseFieldValidation("Ignore", "CreateOptions"),
                 FieldValidation::Ignore);
        const auto bad = slipway::api::parseFieldValidation("strict", "PatchOptions");
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code(), ErrorCode::Invalid);
        QCOMPARE(q(bad.error().message()),
                 QStringLiteral("PatchOptions.meta.k8s.io \"\" is invalid: fieldValidation: "
                                "Unsupported value: \"strict\": supported values: \"\", "
                                "\"Ignore\", \"Strict\", \"Warn\""));
    }

    void prunesUnknownFieldsWithTheirPaths() {
        json object = {{"apiVersion", "v1"},
                       {"kind", "Thing"},
                       {"bogus", 1},
                       {"metadata", {{"name", "a"}, {"nickname", "b"}, {"labels", {{"x", "y"}}}}},
                       {"spec",
                        {{"items", {{{"name", "one"}}, {{"name", "two"}, {"colour", "red"}}}},
                         {"byName", {{"first", {{"size", 1}, {"weight", 2}}}}},
                         {"port", "http"},
                         {"raw", {{"anything", {{"goes", true}}}}},
                         {"open", {{"free", {{"form", 1}}}}}}}};
        const auto unknown = UnknownFieldPruner(components()).prune(object, thing());
        QCOMPARE(list(unknown), (QStringList{
                                    "bogus",
                                    "metadata.nickname",
                                    "spec.byName.first.weight",
                                    "spec.items[1].colour",
                                }));
        const json expected = {{"apiVersion", "v1"},
                               {"kind", "Thing"},
                               {"metadata", {{"name", "a"}, {"labels", {{"x", "y"}}}}},
                               {"spec",
                                {{"items", {{{"name", "one"}}, {{"name", "two"}}}},
                                 {"byName", {{"first", {{"size", 1}}}}},
                                 {"port", "http"},
                                 {"raw", {{"anything", {{"goes", true}}}}},
                                 {"open", {{"free", {{"form", 1}}}}}}}};
        QCOMPARE(q(object.dump()), q(expected.dump()));
    }

    void keepsAKnownObjectUntouched() {
        json object = {{"metadata", {{"name", "a"}}}, {"spec", {{"port", 80}, {"items", nullptr}}}};
        const json before = object;
        QVERIFY(UnknownFieldPruner(components()).prune(object, thing()).empty());
        QCOMPARE(object, before);
    }

    void findsDuplicateFieldsInDocumentOrder() {
        const auto duplicates = slipway::api::findDuplicateFields(
            R"({"metadata":{"name":"a","labels":{"x":"1","x":"2"},"name":"b"},)"
            R"("spec":{"items":[{"name":"n"},{"name":"n","size":1,"size":2}]},"kind":"A","kind":"B"})");
        QCOMPARE(list(duplicates), (QStringList{
                                       "duplicate field \"metadata.labels.x\"",
                                       "duplicate field \"metadata.name\"",
                                       "duplicate field \"spec.items[1].size\"",
                                       "duplicate field \"kind\"",
                                   }));
        QVERIFY(
            slipway::api::findDuplicateFields(R"({"a":[{"b":1},{"b":2}],"c":{"b":3}})").empty());
        QVERIFY(slipway::api::findDuplicateFields("not json").empty());
    }

    void strictRefusesWithKubernetesWords() {
        FieldValidator validator(FieldValidation::Strict, &thing(), components());
        // Reported in the order of the text, whatever the kind of problem.
        const std::string body =
            R"({"spec":{"foo":1},"metadata":{"name":"a","name":"b"},"zebra":1,"apiVersion":"v1"})";
        json object = json::parse(body);
        const auto checked = validator.checkObject(body, object);
        QVERIFY(!checked.ok());
        QCOMPARE(checked.error().code(), ErrorCode::BadRequest);
        QCOMPARE(q(checked.error().message()),
                 QStringLiteral("strict decoding error: unknown field \"spec.foo\", duplicate "
                                "field \"metadata.name\", unknown field \"zebra\""));
        QVERIFY(validator.warnings().empty());
    }

    void strictPatchIsAnInvalidPatch() {
        // A strategic merge patch is shown as Go prints the map it decodes to.
        FieldValidator validator(FieldValidation::Strict, &thing(), components());
        const std::string patch = R"({"spec":{"foo":1,"items":[{"name":"a"}],"port":null}})";
        json patched = {{"spec", {{"foo", 1}, {"items", {{{"name", "a"}}}}}}};
        auto checked =
            validator.checkPatch(patch, slipway::api::PatchType::StrategicMerge, patched);
        QVERIFY(!checked.ok());
        QCOMPARE(checked.error().code(), ErrorCode::Invalid);
        QCOMPARE(q(checked.error().message()),
                 QStringLiteral(" \"\" is invalid: patch: Invalid value: "
                                "\"map[spec:map[foo:1 items:[map[name:a]] port:<nil>]]\": strict "
                                "decoding error: unknown field \"spec.foo\""));
        // A merge patch: the patched object, unknown fields and all.
        patched = {{"spec", {{"foo", 1}}}};
        checked =
            validator.checkPatch(R"({"spec":{"foo":1}})", slipway::api::PatchType::Merge, patched);
        QCOMPARE(q(checked.error().message()),
                 QStringLiteral(" \"\" is invalid: patch: Invalid value: "
                                "\"{\\\"spec\\\":{\\\"foo\\\":1}}\": strict decoding error: "
                                "unknown field \"spec.foo\""));
        QCOMPARE(q(patched.dump()), q(R"({"spec":{}})"));
        // A JSON patch's own duplicates are named as such.
        patched = {{"spec", json::object()}};
        checked = validator.checkPatch(R"([{"op":"add","op":"add","path":"/spec","value":{}}])",
                                       slipway::api::PatchType::Json, patched);
        QCOMPARE(q(checked.error().message()),
                 QStringLiteral(" \"\" is invalid: patch: Invalid value: \"{\\\"spec\\\":{}}\": "
                                "strict decoding error: json patch duplicate field \"[0].op\""));
    }

    void warnAcceptsPrunesAndReports() {
        FieldValidator validator(FieldValidation::Warn, &thing(), components());
        const std::string body = R"({"kind":"Thing","kind":"Thing","spec":{"foo":1,"port":8}})";
        json object = json::parse(body);
        QVERIFY(validator.checkObject(body, object).ok());
        QCOMPARE(list(validator.warnings()),
                 (QStringList{"duplicate field \"kind\"", "unknown field \"spec.foo\""}));
        QCOMPARE(q(object.dump()), q(R"({"kind":"Thing","spec":{"port":8}})"));
    }

    void ignorePrunesSilently() {
        FieldValidator validator(FieldValidation::Ignore, &thing(), components());
        const std::string body = R"({"kind":"Thing","kind":"Thing","spec":{"foo":1}})";
        json object = json::parse(body);
        QVERIFY(validator.checkObject(body, object).ok());
        QVERIFY(validator.warnings().empty());
        QCOMPARE(q(object.dump()), q(R"({"kind":"Thing","spec":{}})"));
    }

    void withoutASchemaOnlyDuplicatesCount() {
        // A custom resource without a schema: every field is its own business.
        FieldValidator validator(FieldValidation::Strict, nullptr, components());
        std::string body = R"({"spec":{"anything":1}})";
        json object = json::parse(body);
        QVERIFY(validator.checkObject(body, object).ok());
        QCOMPARE(q(object.dump()), q(body));
        body = R"({"spec":{"a":1,"a":2}})";
        object = json::parse(body);
        const auto checked = validator.checkObject(body, object);
        QVERIFY(!checked.ok());
        QCOMPARE(q(checked.error().message()),
                 QStringLiteral("strict decoding error: duplicate field \"spec.a\""));
    }

    void warningHeaderQuotesTheMessage() {
        QCOMPARE(q(slipway::api::warningHeaderValue("unknown field \"spec.foo\"")),
                 QStringLiteral("299 - \"unknown field \\\"spec.foo\\\"\""));
    }
};

QTEST_GUILESS_MAIN(TstFieldValidation)
#include "tst_field_validation.moc"
