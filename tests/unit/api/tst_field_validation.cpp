// SPDX-License-Identifier: Apache-2.0
#include <string>
#include <vector>

#include <QtTest>

#include "engine/api/field_validation.h"
#include "engine/api/protobuf/builtin_schemas.h"

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
            {"open", {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}}},
            {"replicas", {{"type", "integer"}, {"format", "int32"}}},
            {"ratio", {{"type", "number"}, {"format", "double"}}},
            {"enabled", {{"type", "boolean"}}},
            {"limit", ref("Quantity")},
            {"created", ref("Time")}}}}},
        {"Item",
         {{"type", "object"},
          {"properties", {{"name", {{"type", "string"}}}, {"size", {{"type", "integer"}}}}}}},
        {"IntOrString", {{"x-kubernetes-int-or-string", true}, {"format", "int-or-string"}}},
        {"Raw", {{"type", "object"}}},
        {"Quantity",
         {{"oneOf", json::array({{{"type", "string"}}, {{"type", "number"}}})},
          {"x-kubernetes-int-or-string", true}}},
        {"Time", {{"type", "string"}, {"format", "date-time"}}},
    };
    return kComponents;
}

const json& thing() {
    return components()["Thing"];
}

// The message a create of `body` gets (empty when accepted), however fieldValidation is set.
std::string refusal(const std::string& body) {
    json object = json::parse(body);
    FieldValidator validator(FieldValidation::Ignore, &thing(), components(), "Thing");
    const auto checked = validator.checkObject(body, object);
    if (checked.ok()) {
        return {};
    }
    if (checked.error().code() != ErrorCode::BadRequest) {
        return "not a BadRequest: " + checked.error().message();
    }
    return checked.error().message();
}

// The same with a real built-in kind.
std::string builtinRefusal(const std::string& group, const std::string& version,
                           const std::string& kind, const std::string& body) {
    const auto* schemas = *slipway::api::BuiltinSchemas::instance();
    json object = json::parse(body);
    FieldValidator validator(FieldValidation::Strict, schemas->kindSchema(group, version, kind),
                             schemas->components(), schemas->kindSchemaName(group, version, kind));
    const auto checked = validator.checkObject(body, object);
    return checked.ok() ? std::string() : checked.error().message();
}

constexpr const char* kCannot =
    "Thing in version \"v1\" cannot be handled as a Thing: "
    "json: cannot unmarshal ";

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

    void refusesAValueOfTheWrongType_data() {
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("message");
        const auto row = [](const char* name, const char* body, const std::string& message) {
            QTest::newRow(name) << QString::fromUtf8(body)
                                << (message.empty() ? QString() : q(kCannot + message));
        };
        row("string for int32", R"({"apiVersion":"v1","spec":{"replicas":"3"}})",
            "string into Go struct field Spec.spec.replicas of type int32");
        row("fraction for int32", R"({"apiVersion":"v1","spec":{"replicas":1.5}})",
            "number 1.5 into Go struct field Spec.spec.replicas of type int32");
        row("whole float for int32", R"({"apiVersion":"v1","spec":{"replicas":2.0}})",
            "number 2.0 into Go struct field Spec.spec.replicas of type int32");
        row("int32 overflow", R"({"apiVersion":"v1","spec":{"replicas":3000000000}})",
            "number 3000000000 into Go struct field Spec.spec.replicas of type int32");
        row("int64 is wide", R"({"apiVersion":"v1","spec":{"items":[{"size":3000000000}]}})", "");
        row("bool in an array element",
            R"({"apiVersion":"v1","spec":{"items":[{"size":1},{"size":true}]}})",
            "bool into Go struct field Item.spec.items.size of type int64");
        row("string for bool", R"({"apiVersion":"v1","spec":{"enabled":"yes"}})",
            "string into Go struct field Spec.spec.enabled of type bool");
        row("string for number", R"({"apiVersion":"v1","spec":{"ratio":"x"}})",
            "string into Go struct field Spec.spec.ratio of type float64");
        row("integer for number", R"({"apiVersion":"v1","spec":{"ratio":2}})", "");
        row("number for string", R"({"apiVersion":"v1","metadata":{"name":5}})",
            "number into Go struct field Meta.metadata.name of type string");
        row("number in a map of strings", R"({"apiVersion":"v1","metadata":{"labels":{"a":5}}})",
            "number into Go struct field Meta.metadata.labels of type string");
        row("array for a map", R"({"apiVersion":"v1","metadata":{"labels":["a"]}})",
            "array into Go struct field Meta.metadata.labels of type map[string]string");
        row("object for a list", R"({"apiVersion":"v1","spec":{"items":{"a":1}}})",
            "object into Go struct field Spec.spec.items of type []Item");
        row("string for a struct", R"({"apiVersion":"v1","spec":"x"})",
            "string into Go struct field Thing.spec of type Spec");
        row("string for a struct in a list", R"({"apiVersion":"v1","spec":{"items":["x"]}})",
            "string into Go struct field Spec.spec.items of type Item");
        row("wrong type in a map of structs",
            R"({"apiVersion":"v1","spec":{"byName":{"a":{"size":"1"}}}})",
            "string into Go struct field Item.spec.byName.size of type int64");
        row("object for int-or-string", R"({"apiVersion":"v1","spec":{"port":{}}})",
            "object into Go struct field Spec.spec.port of type int32");
        row("fraction for int-or-string", R"({"apiVersion":"v1","spec":{"port":1.5}})",
            "number 1.5 into Go struct field Spec.spec.port of type int32");
        row("int-or-string takes a string", R"({"apiVersion":"v1","spec":{"port":"http"}})", "");
        row("int-or-string takes an int", R"({"apiVersion":"v1","spec":{"port":80}})", "");
        row("quantity takes a string", R"({"apiVersion":"v1","spec":{"limit":"1Gi"}})", "");
        row("quantity takes a number", R"({"apiVersion":"v1","spec":{"limit":0.5}})", "");
        row("number for a time", R"({"apiVersion":"v1","spec":{"created":5}})",
            "number into Go struct field Spec.spec.created of type string");
        row("null anywhere",
            R"({"apiVersion":null,"metadata":{"name":null,"labels":{"a":null}},"spec":)"
            R"({"items":[null,{"size":null}],"replicas":null,"port":null,"limit":null,)"
            R"("enabled":null,"byName":null}})",
            "");
        row("anything raw or preserved",
            R"({"apiVersion":"v1","spec":{"raw":[1,{"a":"b"}],"open":{"x":[true]}}})", "");
        row("an unknown field has no type", R"({"apiVersion":"v1","spec":{"bogus":{"a":1}}})", "");
        // Go's decoder stops at the first in the text; the walk meets metadata first.
        row("first in the text", R"({"apiVersion":"v1","spec":{"replicas":"x"},"metadata":5})",
            "string into Go struct field Spec.spec.replicas of type int32");
        row("first in the text, within a list",
            R"({"apiVersion":"v1","spec":{"items":[{"size":"a"},"x"]}})",
            "string into Go struct field Item.spec.items.size of type int64");
    }

    void refusesAValueOfTheWrongType() {
        QFETCH(QString, body);
        QFETCH(QString, message);
        QCOMPARE(q(refusal(body.toStdString())), message);
    }

    void quantityRefusesWhatItCannotParse() {
        const std::string message = refusal(R"({"apiVersion":"v1","spec":{"limit":true}})");
        QCOMPARE(q(message), QStringLiteral("Thing in version \"v1\" cannot be handled as a Thing: "
                                            "quantities must match the regular expression "
                                            "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"));
    }

    void kindThatIsNoStringCannotBeRead() {
        QCOMPARE(q(refusal(R"({"apiVersion":"v1","kind":5,"metadata":{"name":"x"}})")),
                 QStringLiteral("the object provided is unrecognized (must be of type Thing): "
                                "couldn't get version/kind; json parse error: json: cannot "
                                "unmarshal number into Go struct field .kind of type string "
                                "({\"apiVersion\":\"v1\",\"kind\":5,\"m ...)"));
    }

    void refusedObjectIsLeftAsItCame() {
        const std::string body = R"({"apiVersion":"v1","bogus":1,"spec":{"replicas":"x"}})";
        json object = json::parse(body);
        FieldValidator validator(FieldValidation::Warn, &thing(), components(), "Thing");
        QVERIFY(!validator.checkObject(body, object).ok());
        QCOMPARE(object, json::parse(body));
        QVERIFY(validator.warnings().empty());
    }

    void patchedObjectOfTheWrongTypeIsAnInvalidPatch() {
        // JSON and merge patches: the patched object is decoded from JSON.
        json patched = json::parse(R"({"apiVersion":"v1","spec":{"replicas":"x"}})");
        FieldValidator merge(FieldValidation::Ignore, &thing(), components(), "Thing");
        auto checked = merge.checkPatch(R"({"spec":{"replicas":"x"}})",
                                        slipway::api::PatchType::Merge, patched);
        QVERIFY(!checked.ok());
        QCOMPARE(checked.error().code(), ErrorCode::Invalid);
        QCOMPARE(
            q(checked.error().message()),
            QStringLiteral(
                " \"\" is invalid: patch: Invalid value: "
                "\"{\\\"apiVersion\\\":\\\"v1\\\",\\\"spec\\\":{\\\"replicas\\\":\\\"x\\\"}}\": "
                "json: cannot unmarshal string into Go struct field "
                "Spec.spec.replicas of type int32"));
    }

    void strategicMergeUsesTheConvertersWords_data() {
        QTest::addColumn<QString>("patched");
        QTest::addColumn<QString>("message");
        QTest::newRow("string for a list") << R"({"spec":{"items":"x"}})"
                                           << "cannot restore slice from string";
        QTest::newRow("list for a struct") << R"({"spec":[1]})"
                                           << "cannot restore struct from: slice";
        QTest::newRow("number for a map") << R"({"metadata":{"labels":1.5}})"
                                          << "cannot restore map from float64";
        QTest::newRow("int for a string") << R"({"metadata":{"labels":{"a":5}}})"
                                          << "cannot convert int64 to string";
        QTest::newRow("fraction for int32") << R"({"spec":{"replicas":1.5}})"
                                            << "cannot convert float64 to int32";
        QTest::newRow("whole float for int32") << R"({"spec":{"replicas":2.0}})"
                                               << "";
        QTest::newRow("string for bool") << R"({"spec":{"enabled":"x"}})"
                                         << "unrecognized type: bool";
        QTest::newRow("object for int-or-string")
            << R"({"spec":{"port":{}}})"
            << "json: cannot unmarshal object into Go value of type int32";
        QTest::newRow("number for a time")
            << R"({"spec":{"created":1}})"
            << "json: cannot unmarshal number into Go value of type string";
    }

    void strategicMergeUsesTheConvertersWords() {
        QFETCH(QString, patched);
        QFETCH(QString, message);
        json object = json::parse(patched.toStdString());
        FieldValidator validator(FieldValidation::Strict, &thing(), components(), "Thing");
        const auto checked = validator.checkPatch(R"({"spec":{"a":1}})",
                                                  slipway::api::PatchType::StrategicMerge, object);
        if (message.isEmpty()) {
            QVERIFY(checked.ok());
            return;
        }
        QVERIFY(!checked.ok());
        QCOMPARE(checked.error().code(), ErrorCode::Invalid);
        QCOMPARE(q(checked.error().message()),
                 " \"\" is invalid: patch: Invalid value: \"map[spec:map[a:1]]\": " + message);
    }

    void builtinKindsNameTheirGoTypes() {
        QCOMPARE(q(builtinRefusal("", "v1", "ConfigMap",
                                  R"({"apiVersion":"v1","kind":"ConfigMap","metadata":)"
                                  R"({"name":"x","ownerReferences":{"a":1}},"data":{"k":5}})")),
                 QStringLiteral("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: "
                                "json: cannot unmarshal object into Go struct field "
                                "ObjectMeta.metadata.ownerReferences of type "
                                "[]v1.OwnerReference"));
        QCOMPARE(q(builtinRefusal("", "v1", "ConfigMap",
                                  R"({"apiVersion":"v1","kind":"ConfigMap","data":{"k":5}})")),
                 QStringLiteral("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: "
                                "json: cannot unmarshal number into Go struct field "
                                "ConfigMap.data of type string"));
        QCOMPARE(q(builtinRefusal("apps", "v1", "Deployment",
                                  R"({"apiVersion":"apps/v1","kind":"Deployment","spec":)"
                                  R"({"template":{"spec":{"containers":[{"name":"a","ports":)"
                                  R"([{"containerPort":"80"}]}]}}}})")),
                 QStringLiteral("Deployment in version \"v1\" cannot be handled as a Deployment: "
                                "json: cannot unmarshal string into Go struct field "
                                "ContainerPort.spec.template.spec.containers.ports.containerPort "
                                "of type int32"));
        QCOMPARE(q(builtinRefusal("apps", "v1", "Deployment", R"({"spec":{"template":"x"}})")),
                 QStringLiteral("Deployment in version \"v1\" cannot be handled as a Deployment: "
                                "json: cannot unmarshal string into Go struct field "
                                "DeploymentSpec.spec.template of type v1.PodTemplateSpec"));
        QCOMPARE(q(builtinRefusal("", "v1", "Pod",
                                  R"({"spec":{"containers":[{"name":"a","resources":)"
                                  R"({"limits":{"cpu":"1","memory":1}},"ports":[{"containerPort":)"
                                  R"(80}],"livenessProbe":{"httpGet":{"port":"http"}}}]}})")),
                 QString());
    }

    void warningHeaderQuotesTheMessage() {
        QCOMPARE(q(slipway::api::warningHeaderValue("unknown field \"spec.foo\"")),
                 QStringLiteral("299 - \"unknown field \\\"spec.foo\\\"\""));
    }
};

QTEST_GUILESS_MAIN(TstFieldValidation)
#include "tst_field_validation.moc"
