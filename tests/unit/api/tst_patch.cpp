// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/api/patch.h"
#include "engine/api/patch_metadata.h"

using nlohmann::json;
using slipway::api::applyJsonPatch;
using slipway::api::applyMergePatch;
using slipway::api::applyPatch;
using slipway::api::PatchType;
using slipway::core::ErrorCode;

namespace {

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

const json kDeployment = json::parse(R"({
  "apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "web", "annotations": {"deployment.kubernetes.io/revision": "2",
                                               "kubernetes.io/change-cause": "v2"}},
  "spec": {"replicas": 2, "paused": true,
           "selector": {"matchLabels": {"app": "web"}},
           "template": {"metadata": {"labels": {"app": "web", "pod-template-hash": "x"}},
                        "spec": {"containers": [{"name": "web", "image": "nginx:2"}]}}}
})");

}  // namespace

class TstPatch : public QObject {
    Q_OBJECT
private slots:
    // `kubectl rollout undo`: a JSON patch replacing the template and the annotations.
    void appliesRolloutUndoJsonPatch() {
        const std::string patch = R"([
          {"op":"replace","path":"/spec/template","value":{"metadata":{"labels":{"app":"web"}},
            "spec":{"containers":[{"name":"web","image":"nginx:1"}]}}},
          {"op":"replace","path":"/metadata/annotations",
           "value":{"deployment.kubernetes.io/revision":"1"}}
        ])";
        const auto result = applyJsonPatch(kDeployment, json::parse(patch));
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message().c_str());
        QCOMPARE(result->at("spec").at("template").at("spec").at("containers")[0].at("image"),
                 json("nginx:1"));
        QCOMPARE(result->at("metadata").at("annotations"),
                 json::parse(R"({"deployment.kubernetes.io/revision":"1"})"));
        QCOMPARE(result->at("spec").at("replicas"), json(2));
    }

    void appliesEveryJsonPatchOperation() {
        const std::string patch = R"([
          {"op":"test","path":"/spec/replicas","value":2},
          {"op":"add","path":"/metadata/labels","value":{"a":"1"}},
          {"op":"add","path":"/spec/template/spec/containers/-","value":{"name":"side"}},
          {"op":"copy","from":"/metadata/labels","path":"/spec/template/metadata/annotations"},
          {"op":"move","from":"/spec/paused","path":"/spec/wasPaused"},
          {"op":"remove","path":"/metadata/annotations/kubernetes.io~1change-cause"},
          {"op":"replace","path":"/spec/replicas","value":3}
        ])";
        const auto result = applyJsonPatch(kDeployment, json::parse(patch));
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message().c_str());
        QCOMPARE(result->at("metadata").at("labels"), json::parse(R"({"a":"1"})"));
        QCOMPARE(result->at("spec").at("template").at("spec").at("containers").size(),
                 std::size_t(2));
        QCOMPARE(result->at("spec").at("template").at("metadata").at("annotations"),
                 json::parse(R"({"a":"1"})"));
        QVERIFY(!result->at("spec").contains("paused"));
        QCOMPARE(result->at("spec").at("wasPaused"), json(true));
        QVERIFY(!result->at("metadata").at("annotations").contains("kubernetes.io/change-cause"));
        QCOMPARE(result->at("spec").at("replicas"), json(3));
        // The input is never modified.
        QCOMPARE(kDeployment.at("spec").at("replicas"), json(2));
    }

    // Words from evanphx/json-patch, which kube-apiserver uses; codes from kube-apiserver:
    // a patch that does not apply is 422, one that cannot be read is 400.
    void rejectsJsonPatchesLikeKubeApiserver_data() {
        QTest::addColumn<QString>("patch");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        const int invalid = static_cast<int>(ErrorCode::Invalid);
        const int badRequest = static_cast<int>(ErrorCode::BadRequest);
        QTest::newRow("failed test")
            << R"([{"op":"test","path":"/spec/replicas","value":5}])" << invalid
            << "testing value /spec/replicas failed: test failed";
        QTest::newRow("test of a missing field")
            << R"([{"op":"test","path":"/spec/foo","value":5}])" << invalid
            << "testing value /spec/foo failed: test failed";
        QTest::newRow("test below a missing parent")
            << R"([{"op":"test","path":"/spec/foo/bar","value":5}])" << invalid
            << "test operation does not apply: is missing path: /spec/foo/bar: missing value";
        QTest::newRow("replace a missing key")
            << R"([{"op":"replace","path":"/spec/foo","value":1}])" << invalid
            << "replace operation does not apply: doc is missing key: /spec/foo: missing value";
        QTest::newRow("add below a missing parent")
            << R"([{"op":"add","path":"/spec/foo/bar","value":1}])" << invalid
            << "add operation does not apply: doc is missing path: \"/spec/foo/bar\": missing "
               "value";
        QTest::newRow("add below a scalar")
            << R"([{"op":"add","path":"/spec/replicas/x","value":1}])" << invalid
            << "add operation does not apply: doc is missing path: \"/spec/replicas/x\": missing "
               "value";
        QTest::newRow("remove a missing key")
            << R"([{"op":"remove","path":"/spec/foo"}])" << invalid
            << "error in remove for path: '/spec/foo': Unable to remove nonexistent key: foo: "
               "missing value";
        QTest::newRow("move from a missing path")
            << R"([{"op":"move","from":"/spec/nope","path":"/spec/x"}])" << invalid
            << "move operation does not apply: doc is missing from path: /spec/nope: missing value";
        QTest::newRow("move into its own child")
            << R"([{"op":"move","from":"/spec","path":"/spec/inner"}])" << invalid
            << "move operation does not apply: cannot move /spec into its own child /spec/inner";
        QTest::newRow("index out of range")
            << R"([{"op":"add","path":"/spec/template/spec/containers/5","value":{}}])" << invalid
            << "error in add for path: '/spec/template/spec/containers/5': array index 5 is out "
               "of range";
        QTest::newRow("unknown op")
            << R"([{"op":"frob","path":"/a"}])" << invalid << "Unexpected kind: frob";
        QTest::newRow("missing op")
            << R"([{"path":"/a"}])" << invalid << "Unexpected kind: unknown";
        QTest::newRow("missing value") << R"([{"op":"add","path":"/a"}])" << invalid
                                       << "add operation, missing value field: missing value";
        QTest::newRow("bad pointer") << R"([{"op":"add","path":"a","value":1}])" << invalid
                                     << "add operation failed to decode path \"a\": missing value";
        QTest::newRow("whole object replaced by a scalar")
            << R"([{"op":"replace","path":"","value":5}])" << invalid
            << "the patched object must be a JSON object, got number";
        QTest::newRow("not JSON") << "[{" << badRequest << "error decoding patch: ";
        QTest::newRow("not a list") << R"({"op":"add"})" << badRequest
                                    << "error decoding patch: a JSON patch must be a list of "
                                       "operations, got object";
        QTest::newRow("operation not an object")
            << R"([{"op":"test","path":"/a","value":1}, 5])" << badRequest
            << "error decoding patch: each JSON patch "
               "operation must be an object, got number";
    }
    void rejectsJsonPatchesLikeKubeApiserver() {
        QFETCH(QString, patch);
        QFETCH(int, code);
        QFETCH(QString, message);
        const auto result = applyPatch(PatchType::Json, kDeployment, patch.toStdString(), nullptr);
        QVERIFY(!result.ok());
        QCOMPARE(static_cast<int>(result.error().code()), code);
        QVERIFY2(q(result.error().message()).startsWith(message), result.error().message().c_str());
    }

    void limitsJsonPatchOperations() {
        json patch = json::array();
        for (std::size_t i = 0; i <= slipway::api::kMaxJsonPatchOperations; ++i) {
            patch.push_back({{"op", "test"}, {"path", "/kind"}, {"value", "Deployment"}});
        }
        const auto result = applyJsonPatch(kDeployment, patch);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code(), ErrorCode::RequestTooLarge);
        QCOMPARE(q(result.error().message()),
                 QString("The allowed maximum operations in a JSON patch is 10000, got 10001"));
        patch.erase(patch.begin());
        QVERIFY(applyJsonPatch(kDeployment, patch).ok());
    }

    // `kubectl scale` without preconditions sends this merge patch to the scale subresource.
    void appliesMergePatches() {
        const auto scaled = applyMergePatch(kDeployment, json::parse(R"({"spec":{"replicas":5}})"));
        QVERIFY(scaled.ok());
        QCOMPARE(scaled->at("spec").at("replicas"), json(5));
        QCOMPARE(scaled->at("spec").at("paused"), json(true));

        const auto resumed =
            applyMergePatch(kDeployment, json::parse(R"({"spec":{"paused":null}})"));
        QVERIFY(resumed.ok());
        QVERIFY(!resumed->at("spec").contains("paused"));

        // Lists replace whole in a merge patch, unlike a strategic one.
        const auto containers = applyMergePatch(
            kDeployment,
            json::parse(R"({"spec":{"template":{"spec":{"containers":[{"name":"other"}]}}}})"));
        QVERIFY(containers.ok());
        QCOMPARE(containers->at("spec").at("template").at("spec").at("containers"),
                 json::parse(R"([{"name":"other"}])"));

        // Nulls inside a new object do not arrive as fields.
        const auto added =
            applyMergePatch(kDeployment, json::parse(R"({"status":{"a":1,"b":null}})"));
        QVERIFY(added.ok());
        QCOMPARE(added->at("status"), json::parse(R"({"a":1})"));
    }

    void rejectsMalformedMergePatches_data() {
        QTest::addColumn<QString>("patch");
        QTest::addColumn<QString>("message");
        QTest::newRow("not JSON") << "{\"spec\":"
                                  << "error decoding patch: ";
        QTest::newRow("list")
            << "[1]"
            << "error decoding patch: a merge patch must be a JSON object, got array";
        QTest::newRow("null")
            << "null"
            << "error decoding patch: a merge patch must be a JSON object, got null";
        QTest::newRow("scalar")
            << "5"
            << "error decoding patch: a merge patch must be a JSON object, got number";
    }
    void rejectsMalformedMergePatches() {
        QFETCH(QString, patch);
        QFETCH(QString, message);
        const auto result = applyPatch(PatchType::Merge, kDeployment, patch.toStdString(), nullptr);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code(), ErrorCode::BadRequest);
        QVERIFY2(q(result.error().message()).startsWith(message), result.error().message().c_str());
    }

    void readsPatchContentTypes_data() {
        QTest::addColumn<QString>("contentType");
        QTest::addColumn<bool>("builtin");
        QTest::addColumn<int>("type");  // -1: refused
        QTest::newRow("json patch")
            << "application/json-patch+json" << true << static_cast<int>(PatchType::Json);
        QTest::newRow("merge patch")
            << "application/merge-patch+json" << false << static_cast<int>(PatchType::Merge);
        QTest::newRow("strategic with charset")
            << "application/strategic-merge-patch+json; charset=utf-8" << true
            << static_cast<int>(PatchType::StrategicMerge);
        QTest::newRow("strategic for a custom resource")
            << "application/strategic-merge-patch+json" << false << -1;
        QTest::newRow("plain json") << "application/json" << true << -1;
        QTest::newRow("empty") << "" << true << -1;
    }
    void readsPatchContentTypes() {
        QFETCH(QString, contentType);
        QFETCH(bool, builtin);
        QFETCH(int, type);
        const auto parsed =
            slipway::api::patchTypeFromContentType(contentType.toStdString(), builtin);
        if (type < 0) {
            QVERIFY(!parsed.ok());
            QCOMPARE(parsed.error(), slipway::api::unsupportedPatchMediaType(builtin));
        } else {
            QVERIFY(parsed.ok());
            QCOMPARE(static_cast<int>(*parsed), type);
        }
    }

    void explainsUnsupportedMediaTypes() {
        QCOMPARE(q(slipway::api::unsupportedPatchMediaType(false).message()),
                 QString("the body of the request was in an unknown format - accepted media "
                         "types include: application/json-patch+json, "
                         "application/merge-patch+json"));
        QCOMPARE(q(slipway::api::unsupportedPatchMediaType(true).message()),
                 QString("the body of the request was in an unknown format - accepted media "
                         "types include: application/json-patch+json, "
                         "application/merge-patch+json, application/strategic-merge-patch+json"));
    }

    void dispatchesByPatchType() {
        const auto meta = slipway::api::builtinPatchMetadata("apps", "Deployment");
        const std::string strategic =
            R"({"spec":{"template":{"spec":{"containers":[{"name":"side","image":"b"}]}}}})";
        const auto merged =
            applyPatch(PatchType::StrategicMerge, kDeployment, strategic, meta.get());
        QVERIFY(merged.ok());
        QCOMPARE(merged->at("spec").at("template").at("spec").at("containers").size(),
                 std::size_t(2));
        const auto replaced = applyPatch(PatchType::Merge, kDeployment, strategic, meta.get());
        QVERIFY(replaced.ok());
        QCOMPARE(replaced->at("spec").at("template").at("spec").at("containers").size(),
                 std::size_t(1));
        // A kind without patch metadata (a custom resource) refuses strategic merge patch.
        const auto refused = applyPatch(PatchType::StrategicMerge, kDeployment, strategic, nullptr);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error(), slipway::api::unsupportedPatchMediaType(false));
        QVERIFY(applyPatch(PatchType::Json, kDeployment, "[]", nullptr).ok());
    }
};

QTEST_GUILESS_MAIN(TstPatch)
#include "tst_patch.moc"
