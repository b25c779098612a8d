// SPDX-License-Identifier: Apache-2.0
// Figures for docs/BENCHMARKS.md: what the OpenAPI schemas cost at start-up (time and heap)
// and what field validation adds to a write. Prints figures; asserts only that the operations
// succeeded.
#include <chrono>
#include <cstdio>

#include <QtTest>
#include <malloc.h>

#include "engine/api/field_validation.h"
#include "engine/api/kind_registry.h"
#include "engine/api/protobuf/builtin_schemas.h"
#include "engine/apiserver/openapi.h"

using namespace slipway;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

namespace {

double ms(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

// Heap bytes in use, so that memory freed by earlier steps does not count.
double heapMiB() {
    return static_cast<double>(mallinfo2().uordblks) / (1024.0 * 1024.0);
}

// A Deployment as kubectl apply sends it: 822 bytes.
const char* const kDeployment =
    R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default",)"
    R"("labels":{"app":"web"},"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"}},)"
    R"("spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"strategy":{"type":"RollingUpdate",)"
    R"("rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},"template":{"metadata":{"labels":)"
    R"({"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.25","ports":[{"containerPort":)"
    R"(80,"protocol":"TCP"}],"env":[{"name":"A","value":"1"},{"name":"B","valueFrom":{"fieldRef":)"
    R"({"fieldPath":"metadata.name"}}}],"resources":{"limits":{"cpu":"500m","memory":"128Mi"}},)"
    R"("volumeMounts":[{"name":"data","mountPath":"/data"}],"livenessProbe":{"httpGet":{"path":"/",)"
    R"("port":80},"periodSeconds":10}}],"volumes":[{"name":"data","emptyDir":{}}]}}}})";

}  // namespace

class BenchSchemas : public QObject {
    Q_OBJECT

private slots:
    void startUpCost() {
        const auto registry = api::KindRegistry::withBuiltinKinds();
        const double heapBefore = heapMiB();
        auto start = Clock::now();
        auto schemas = api::BuiltinSchemas::instance();
        QVERIFY(schemas.ok());
        const double generated = ms(Clock::now() - start);
        const double heapSchemas = heapMiB();
        start = Clock::now();
        const apiserver::OpenApi openApi(*registry);
        const double documents = ms(Clock::now() - start);
        const double heapDocuments = heapMiB();
        std::size_t bytes = 0;
        for (const auto& gv : registry->groupVersions()) {
            const std::string path = gv.group.empty() ? "/openapi/v3/api/" + gv.version
                                                      : "/openapi/v3/apis/" + gv.toString();
            const auto response = openApi.handle(apiserver::HttpRequest("GET", path));
            QCOMPARE(response.status, 200);
            bytes += response.body.size();
        }
        std::printf(
            "BENCH schemas: %zu generated in %.1f ms (descriptor pool included), heap "
            "+%.2f MiB\n",
            (*schemas)->components().size(), generated, heapSchemas - heapBefore);
        std::printf(
            "BENCH openapi v3: %zu group-version documents, %zu bytes, built in %.1f ms, "
            "heap +%.2f MiB\n",
            registry->groupVersions().size(), bytes, documents, heapDocuments - heapSchemas);
    }

    void validationPerWrite() {
        const auto* schemas = *api::BuiltinSchemas::instance();
        const json* deployment = schemas->kindSchema("apps", "v1", "Deployment");
        const std::string_view name = schemas->kindSchemaName("apps", "v1", "Deployment");
        QVERIFY(deployment != nullptr);
        const std::string body = kDeployment;
        constexpr int kRounds = 20000;
        auto start = Clock::now();
        for (int i = 0; i < kRounds; ++i) {
            json object = json::parse(body);
            QVERIFY(object.is_object());
        }
        const double parse = ms(Clock::now() - start) * 1000.0 / kRounds;
        start = Clock::now();
        for (int i = 0; i < kRounds; ++i) {
            json object = json::parse(body);
            api::FieldValidator validator(api::FieldValidation::Strict, deployment,
                                          schemas->components(), name);
            QVERIFY(validator.checkObject(body, object).ok());
        }
        const double validated = ms(Clock::now() - start) * 1000.0 / kRounds;
        // The schema walk alone, without and with the type check it carries.
        const api::UnknownFieldPruner pruner(schemas->components());
        const json parsed = json::parse(body);
        start = Clock::now();
        for (int i = 0; i < kRounds; ++i) {
            json object = parsed;
            QVERIFY(pruner.prune(object, *deployment).empty());
        }
        const double pruned = ms(Clock::now() - start) * 1000.0 / kRounds;
        start = Clock::now();
        for (int i = 0; i < kRounds; ++i) {
            json object = parsed;
            QVERIFY(pruner.decode(object, *deployment, name, api::DecodeSource::Json)
                        .mismatches.empty());
        }
        const double typed = ms(Clock::now() - start) * 1000.0 / kRounds;
        start = Clock::now();
        for (int i = 0; i < kRounds; ++i) {
            json object = parsed;
        }
        const double copied = ms(Clock::now() - start) * 1000.0 / kRounds;
        std::printf(
            "BENCH field validation: %zu-byte Deployment, parse %.1f us, parse + Strict "
            "validation (with types) %.1f us\n",
            body.size(), parse, validated);
        std::printf(
            "BENCH schema walk: prune only %.2f us, prune + type check %.2f us (copy of the "
            "object %.2f us included in both)\n",
            pruned, typed, copied);
    }
};

QTEST_GUILESS_MAIN(BenchSchemas)
#include "bench_schemas.moc"
