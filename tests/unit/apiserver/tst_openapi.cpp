// SPDX-License-Identifier: Apache-2.0
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/api/kind_registry.h"
#include "engine/apiserver/openapi.h"

using namespace slipway;
using apiserver::HttpRequest;
using nlohmann::json;

namespace {

std::string header(const apiserver::HttpResponse& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
        if (key == name) {
            return value;
        }
    }
    return {};
}

HttpRequest get(const std::string& target, const std::string& accept = "application/json") {
    HttpRequest request("GET", target);
    request.accept = accept;
    return request;
}

}  // namespace

class TstOpenApi : public QObject {
    Q_OBJECT

    std::unique_ptr<api::KindRegistry> m_registry = api::KindRegistry::withBuiltinKinds();
    apiserver::OpenApi m_openApi{*m_registry};

private slots:
    void indexNamesEveryGroupVersionWithItsHash() {
        const auto response = m_openApi.handle(get("/openapi/v3"));
        QCOMPARE(response.status, 200);
        const json index = json::parse(response.body);
        const std::string url =
            index.at("paths").at("apis/apps/v1").at("serverRelativeURL").get<std::string>();
        QVERIFY2(url.rfind("/openapi/v3/apis/apps/v1?hash=", 0) == 0, url.c_str());
        QVERIFY(index.at("paths").contains("api/v1"));

        // The URL with the hash is immutable; a stale hash moves on to the current one.
        const auto hashed = m_openApi.handle(get(url));
        QCOMPARE(hashed.status, 200);
        QCOMPARE(header(hashed, "Cache-Control"), std::string("public, immutable"));
        const auto plain = m_openApi.handle(get("/openapi/v3/apis/apps/v1"));
        QCOMPARE(plain.body, hashed.body);
        QCOMPARE(header(plain, "Cache-Control"), std::string());
        const auto stale = m_openApi.handle(get("/openapi/v3/apis/apps/v1?hash=0123"));
        QCOMPARE(stale.status, 301);
        QCOMPARE(header(stale, "Location"), url);
        QCOMPARE(header(plain, "ETag"), "\"" + url.substr(url.find('=') + 1) + "\"");
    }

    void groupVersionDocumentHasPathsAndTheClosureOfItsSchemas() {
        const json document = json::parse(m_openApi.handle(get("/openapi/v3/apis/apps/v1")).body);
        const json& patch = document.at("paths")
                                .at("/apis/apps/v1/namespaces/{namespace}/deployments/{name}")
                                .at("patch");
        QCOMPARE(patch.at("x-kubernetes-group-version-kind").at("kind").get<std::string>(),
                 std::string("Deployment"));
        bool fieldValidation = false;
        for (const auto& parameter : patch.at("parameters")) {
            fieldValidation |= parameter.at("name") == "fieldValidation";
        }
        QVERIFY(fieldValidation);
        const json& schemas = document.at("components").at("schemas");
        QVERIFY(schemas.contains("io.k8s.api.apps.v1.Deployment"));
        QVERIFY(schemas.contains("io.k8s.api.apps.v1.DeploymentList"));
        QVERIFY(schemas.contains("io.k8s.api.core.v1.Container"));
        QVERIFY(schemas.contains("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
        // Only what apps/v1 reaches.
        QVERIFY(!schemas.contains("io.k8s.api.batch.v1.Job"));
        QVERIFY(!schemas.contains("io.k8s.api.core.v1.Service"));
        QCOMPARE(m_openApi.handle(get("/openapi/v3/apis/nothing/v1")).status, 404);
    }

    void swaggerTwoIsJsonAndRefusesProtobufOnly() {
        const auto response = m_openApi.handle(get("/openapi/v2", "application/json, */*"));
        QCOMPARE(response.status, 200);
        const json swagger = json::parse(response.body);
        QCOMPARE(swagger.at("swagger").get<std::string>(), std::string("2.0"));
        const json& spec =
            swagger.at("definitions").at("io.k8s.api.apps.v1.RollingUpdateDeployment");
        QCOMPARE(spec.at("properties").at("maxSurge").at("$ref").get<std::string>(),
                 std::string("#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString"));
        const json& intOrString =
            swagger.at("definitions").at("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        QCOMPARE(intOrString.at("type").get<std::string>(), std::string("string"));
        QCOMPARE(intOrString.at("format").get<std::string>(), std::string("int-or-string"));
        QVERIFY(swagger.at("paths").contains("/api/v1/namespaces/{namespace}/pods/{name}"));

        // What client-go sends first; 406 tells it there is no protobuf form.
        const auto protobuf = m_openApi.handle(
            get("/openapi/v2", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"));
        QCOMPARE(protobuf.status, 406);
        QCOMPARE(json::parse(protobuf.body).at("reason").get<std::string>(),
                 std::string("NotAcceptable"));
    }

    void aKindWithoutASchemaGetsAnOpenOne() {
        api::ResourceType widget;
        widget.group = "example.com";
        widget.version = "v1";
        widget.kind = "Widget";
        widget.plural = "widgets";
        widget.singular = "widget";
        widget.verbs = {"get", "list", "create", "update", "patch", "delete"};
        QVERIFY(m_registry->add(widget).ok());
        const json document =
            json::parse(m_openApi.handle(get("/openapi/v3/apis/example.com/v1")).body);
        const json& schema =
            document.at("components").at("schemas").at("io.slipway.example.com.v1.Widget");
        QCOMPARE(schema.at("x-kubernetes-preserve-unknown-fields").get<bool>(), true);
        QCOMPARE(schema.at("x-kubernetes-group-version-kind").at(0).at("kind").get<std::string>(),
                 std::string("Widget"));
        QVERIFY(m_registry->remove("example.com", "v1", "widgets").ok());
        QCOMPARE(m_openApi.handle(get("/openapi/v3/apis/example.com/v1")).status, 404);
    }
};

QTEST_GUILESS_MAIN(TstOpenApi)
#include "tst_openapi.moc"
