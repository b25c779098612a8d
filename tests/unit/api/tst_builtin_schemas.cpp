// SPDX-License-Identifier: Apache-2.0
#include <string>

#include <QtTest>

#include "engine/api/protobuf/builtin_schemas.h"

using nlohmann::json;
using slipway::api::BuiltinSchemas;

namespace {

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

const json& components() {
    return (*BuiltinSchemas::instance())->components();
}

const json& schema(const std::string& name) {
    static const json kMissing;
    const auto it = components().find(name);
    return it == components().end() ? kMissing : *it;
}

json field(const std::string& type, const std::string& name) {
    return schema(type).value("/properties"_json_pointer, json::object()).value(name, json());
}

json ref(const std::string& name) {
    return {{"allOf", json::array({{{"$ref", "#/components/schemas/" + name}}})}};
}

}  // namespace

class TstBuiltinSchemas : public QObject {
    Q_OBJECT

private slots:
    void generates() {
        auto schemas = BuiltinSchemas::instance();
        QVERIFY2(schemas.ok(), schemas.ok() ? "" : schemas.error().message().c_str());
        // Every message of the transcription but the map entries.
        QVERIFY(components().size() > 400);
    }

    void scalarFieldsHaveJsonNamesTypesAndFormats() {
        const std::string spec = "io.k8s.api.apps.v1.DeploymentSpec";
        QCOMPARE(q(field(spec, "replicas").dump()), q(R"({"format":"int32","type":"integer"})"));
        QCOMPARE(q(field(spec, "paused").dump()), q(R"({"type":"boolean"})"));
        QCOMPARE(q(field("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "generation").dump()),
                 q(R"({"format":"int64","type":"integer"})"));
        QCOMPARE(
            q(field("io.k8s.api.core.v1.Secret", "data").dump()),
            q(R"({"additionalProperties":{"format":"byte","type":"string"},"type":"object"})"));
        QCOMPARE(q(schema(spec).value("type", "")), QStringLiteral("object"));
    }

    void nestedMessagesAreReferencesByKubernetesNames() {
        QCOMPARE(field("io.k8s.api.apps.v1.Deployment", "metadata"),
                 ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
        QCOMPARE(field("io.k8s.api.apps.v1.DeploymentSpec", "template"),
                 ref("io.k8s.api.core.v1.PodTemplateSpec"));
        QVERIFY(components().contains("io.k8s.api.core.v1.PodTemplateSpec"));
    }

    void arraysAndMaps() {
        const json containers = field("io.k8s.api.core.v1.PodSpec", "containers");
        QCOMPARE(q(containers.value("type", "")), QStringLiteral("array"));
        QCOMPARE(containers["items"], ref("io.k8s.api.core.v1.Container"));
        QCOMPARE(q(field("io.k8s.api.core.v1.Container", "args").dump()),
                 q(R"({"items":{"type":"string"},"type":"array"})"));
        QCOMPARE(q(field("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "labels").dump()),
                 q(R"({"additionalProperties":{"type":"string"},"type":"object"})"));
        // map<string, Quantity>
        QCOMPARE(field("io.k8s.api.core.v1.ResourceRequirements", "limits")["additionalProperties"],
                 ref("io.k8s.apimachinery.pkg.api.resource.Quantity"));
    }

    void kubernetesSpecialTypes() {
        const json intOrString = schema("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        QCOMPARE(intOrString.value("x-kubernetes-int-or-string", false), true);
        QCOMPARE(q(intOrString.value("format", "")), QStringLiteral("int-or-string"));
        QCOMPARE(field("io.k8s.api.apps.v1.RollingUpdateDeployment", "maxSurge"),
                 ref("io.k8s.apimachinery.pkg.util.intstr.IntOrString"));
        QCOMPARE(q(schema("io.k8s.apimachinery.pkg.apis.meta.v1.Time").dump()),
                 q(R"({"format":"date-time","type":"string"})"));
        QCOMPARE(q(schema("io.k8s.apimachinery.pkg.apis.meta.v1.Duration").dump()),
                 q(R"({"type":"string"})"));
        QCOMPARE(schema("io.k8s.apimachinery.pkg.api.resource.Quantity")
                     .value("x-kubernetes-int-or-string", false),
                 true);
        QCOMPARE(q(schema("io.k8s.apimachinery.pkg.runtime.RawExtension").dump()),
                 q(R"({"type":"object"})"));
        // A Go slice type wrapped in a message: its JSON is the array.
        QCOMPARE(q(schema("io.k8s.api.authentication.v1.ExtraValue").dump()),
                 q(R"({"items":{"type":"string"},"type":"array"})"));
    }

    void inlineFieldsAreMerged() {
        // Volume embeds VolumeSource `json:",inline"`.
        const json volume = schema("io.k8s.api.core.v1.Volume");
        QVERIFY(volume["properties"].contains("name"));
        QCOMPARE(volume["properties"]["emptyDir"], ref("io.k8s.api.core.v1.EmptyDirVolumeSource"));
        QVERIFY(!volume["properties"].contains("volumeSource"));
    }

    void objectsHaveTypeMetaAndGroupVersionKind() {
        const json deployment = schema("io.k8s.api.apps.v1.Deployment");
        QCOMPARE(q(deployment["properties"]["apiVersion"].dump()), q(R"({"type":"string"})"));
        QCOMPARE(q(deployment["properties"]["kind"].dump()), q(R"({"type":"string"})"));
        QCOMPARE(q(deployment["x-kubernetes-group-version-kind"].dump()),
                 q(R"([{"group":"apps","kind":"Deployment","version":"v1"}])"));
        QCOMPARE(q(schema("io.k8s.api.core.v1.Pod")["x-kubernetes-group-version-kind"].dump()),
                 q(R"([{"group":"","kind":"Pod","version":"v1"}])"));
        QVERIFY(!schema("io.k8s.api.apps.v1.DeploymentSpec")
                     .contains("x-kubernetes-group-version-kind"));
        QVERIFY(!schema("io.k8s.api.apps.v1.DeploymentSpec")["properties"].contains("kind"));

        const auto* schemas = *BuiltinSchemas::instance();
        QCOMPARE(q(std::string(schemas->kindSchemaName("apps", "v1", "Deployment"))),
                 QStringLiteral("io.k8s.api.apps.v1.Deployment"));
        QCOMPARE(schemas->kindSchema("", "v1", "Service"), &schema("io.k8s.api.core.v1.Service"));
        QVERIFY(schemas->kindSchema("example.com", "v1", "Widget") == nullptr);
    }

    void patchMetadataBecomesExtensions() {
        const json containers = field("io.k8s.api.core.v1.PodSpec", "containers");
        QCOMPARE(q(containers.value("x-kubernetes-patch-strategy", "")), QStringLiteral("merge"));
        QCOMPARE(q(containers.value("x-kubernetes-patch-merge-key", "")), QStringLiteral("name"));
        QCOMPARE(q(containers.value("x-kubernetes-list-type", "")), QStringLiteral("map"));
        QCOMPARE(q(containers["x-kubernetes-list-map-keys"].dump()), q(R"(["name"])"));
        const json volumes = field("io.k8s.api.core.v1.PodSpec", "volumes");
        QCOMPARE(q(volumes.value("x-kubernetes-patch-strategy", "")),
                 QStringLiteral("merge,retainKeys"));
        QCOMPARE(q(field("io.k8s.api.core.v1.Container", "ports")
                       .value("x-kubernetes-patch-merge-key", "")),
                 QStringLiteral("containerPort"));
        QCOMPARE(q(field("io.k8s.api.apps.v1.DeploymentSpec", "strategy")
                       .value("x-kubernetes-patch-strategy", "")),
                 QStringLiteral("retainKeys"));
        const json finalizers =
            field("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "finalizers");
        QCOMPARE(q(finalizers.value("x-kubernetes-list-type", "")), QStringLiteral("set"));
        // Lists without tags are replaced whole and carry nothing.
        QVERIFY(
            !field("io.k8s.api.core.v1.Container", "args").contains("x-kubernetes-patch-strategy"));
    }

    void closureFollowsReferences() {
        const auto names =
            (*BuiltinSchemas::instance())->closure({"io.k8s.api.apps.v1.Deployment"});
        const auto has = [&](const char* name) {
            return std::find(names.begin(), names.end(), name) != names.end();
        };
        QVERIFY(has("io.k8s.api.apps.v1.Deployment"));
        QVERIFY(has("io.k8s.api.core.v1.Container"));
        QVERIFY(has("io.k8s.apimachinery.pkg.util.intstr.IntOrString"));
        QVERIFY(!has("io.k8s.api.batch.v1.Job"));
    }
};

QTEST_GUILESS_MAIN(TstBuiltinSchemas)
#include "tst_builtin_schemas.moc"
