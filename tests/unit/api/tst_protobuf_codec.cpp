// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <string>
#include <string_view>

#include <QtTest>

#include "engine/api/protobuf/go_format.h"
#include "engine/api/protobuf/protobuf_codec.h"

using nlohmann::json;
using slipway::api::decodeProtobufObject;
using slipway::api::isProtobufContentType;
using slipway::core::ErrorCode;

namespace {

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

/// A file of tests/data/protobuf: "namespace.pb", "namespace.json".
QString protobufData(const QString& file) {
    return QStringLiteral(SLIPWAY_TEST_DATA_DIR "/protobuf/") + file;
}

std::string readTestFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    const QByteArray bytes = file.readAll();
    return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

// A few lines of protobuf wire format, to build the bodies kubectl never sends: unknown
// fields, wrong wire types, truncated messages. Field numbers are Kubernetes'.
std::string varint(std::uint64_t value) {
    std::string out;
    while (value >= 0x80) {
        out += static_cast<char>((value & 0x7F) | 0x80);
        value >>= 7;
    }
    out += static_cast<char>(value);
    return out;
}

std::string varintField(int number, std::uint64_t value) {
    return varint(static_cast<std::uint64_t>(number) << 3) + varint(value);
}

std::string bytesField(int number, std::string_view bytes) {
    return varint(static_cast<std::uint64_t>(number) << 3 | 2) + varint(bytes.size()) +
           std::string(bytes);
}

std::string envelope(std::string_view apiVersion, std::string_view kind, std::string_view raw,
                     const std::string& extra = {}) {
    const std::string typeMeta = bytesField(1, apiVersion) + bytesField(2, kind);
    return std::string("k8s\0", 4) + bytesField(1, typeMeta) + bytesField(2, raw) + extra;
}

// ObjectMeta{name = 1}.
std::string metadata(std::string_view name) {
    return bytesField(1, bytesField(1, name));
}

// The JSON a decode produced, or the error, for failure messages.
std::string describe(const slipway::core::Result<json>& result) {
    return result.ok() ? result->dump() : "error: " + result.error().message();
}

}  // namespace

class TstProtobufCodec : public QObject {
    Q_OBJECT
private slots:
    void recognisesTheProtobufContentType() {
        QVERIFY(isProtobufContentType("application/vnd.kubernetes.protobuf"));
        QVERIFY(isProtobufContentType("Application/VND.Kubernetes.Protobuf"));
        QVERIFY(isProtobufContentType("application/vnd.kubernetes.protobuf; charset=utf-8"));
        QVERIFY(isProtobufContentType(" application/vnd.kubernetes.protobuf ;stream=watch"));
        QVERIFY(!isProtobufContentType("application/json"));
        QVERIFY(!isProtobufContentType("application/vnd.kubernetes.protobuf+json"));
        QVERIFY(!isProtobufContentType(""));
    }

    // Bodies kubectl 1.32 sent (captured on loopback), each next to the JSON kubectl prints for
    // the same command with --dry-run=client -o json, or, for commands without --dry-run, the
    // JSON encoding/json writes for the object kubectl builds (see tests/data/protobuf/README.md).
    // `nullCollections`: lists or maps without omitempty that were nil, JSON null; protobuf
    // cannot tell nil from empty, so they are absent from the decoded object.
    void decodesWhatKubectlSends_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("nullCollections");
        const QStringList none;
        for (const char* name : {"namespace",
                                 "configmap",
                                 "secret_generic",
                                 "secret_tls",
                                 "secret_docker_registry",
                                 "deployment",
                                 "deployment_multi",
                                 "deployment_zero",
                                 "service_clusterip",
                                 "service_headless",
                                 "service_nodeport",
                                 "service_loadbalancer",
                                 "service_externalname",
                                 "job",
                                 "job_from_cronjob",
                                 "cronjob",
                                 "serviceaccount",
                                 "role",
                                 "role_subresource",
                                 "rolebinding",
                                 "clusterrole",
                                 "clusterrolebinding",
                                 "ingress",
                                 "quota",
                                 "pdb_min",
                                 "pdb_max",
                                 "priorityclass",
                                 "priorityclass_default",
                                 "autoscale",
                                 "token",
                                 "can_i",
                                 "whoami",
                                 "pod_debug_copy"}) {
            QTest::newRow(name) << QString::fromLatin1(name) << none;
        }
        QTest::newRow("clusterrole_aggregation")
            << QStringLiteral("clusterrole_aggregation") << QStringList{QStringLiteral("rules")};
        QTest::newRow("token_bound")
            << QStringLiteral("token_bound") << QStringList{QStringLiteral("spec/audiences")};
    }

    void decodesWhatKubectlSends() {
        QFETCH(QString, name);
        QFETCH(QStringList, nullCollections);
        const std::string body = readTestFile(protobufData(name + QStringLiteral(".pb")));
        const std::string expectedText = readTestFile(protobufData(name + QStringLiteral(".json")));
        QVERIFY2(body.size() > 4 && !expectedText.empty(), qPrintable(name));
        json expected = json::parse(expectedText);
        for (const QString& path : nullCollections) {
            const json::json_pointer pointer("/" + path.toStdString());
            QVERIFY2(expected.contains(pointer) && expected.at(pointer).is_null(),
                     qPrintable(path));
            expected.at(pointer.parent_pointer()).erase(pointer.back());
        }

        const auto decoded = decodeProtobufObject(body);
        QVERIFY2(decoded.ok(), describe(decoded).c_str());
        if (*decoded != expected) {
            const json difference = json::diff(expected, *decoded);
            QFAIL(qPrintable(q("decoded differs from kubectl's JSON: " + difference.dump())));
        }
    }

    // What decides omitempty: a non-pointer field with omitempty loses its zero value, a field
    // without omitempty keeps it, and a pointer field keeps whatever was set.
    void appliesOmitEmptyAsEncodingJsonDoes() {
        // Container{name = "", image = "", stdin = false}; PodSpec{nodeName = "",
        // hostNetwork = false, automountServiceAccountToken = false}.
        const std::string container = bytesField(1, "") + bytesField(2, "") + varintField(16, 0);
        const std::string spec =
            bytesField(2, container) + bytesField(10, "") + varintField(11, 0) + varintField(21, 0);
        const auto decoded = decodeProtobufObject(envelope("v1", "Pod", bytesField(2, spec)));
        QVERIFY2(decoded.ok(), describe(decoded).c_str());
        QCOMPARE(*decoded, json::parse(R"({"apiVersion":"v1","kind":"Pod",
            "spec":{"containers":[{"name":""}],"automountServiceAccountToken":false}})"));
    }

    // metav1.Time: whole seconds, UTC, null for the zero time; MicroTime keeps microseconds.
    void decodesTimesAsKubeApiserverWrites() {
        const std::string time = varintField(1, 1704164645) + varintField(2, 999);
        const std::string microTime = varintField(1, 1704164645) + varintField(2, 123456789);
        const std::string epoch = varintField(1, 0);
        const std::string goZero = varintField(1, static_cast<std::uint64_t>(-62135596800LL));
        const std::string event = bytesField(1, bytesField(1, "e") + bytesField(8, "")) +
                                  bytesField(6, time) + bytesField(7, epoch) +
                                  bytesField(10, microTime) + bytesField(11, bytesField(2, goZero));
        const auto decoded = decodeProtobufObject(envelope("v1", "Event", event));
        QVERIFY2(decoded.ok(), describe(decoded).c_str());
        QCOMPARE(decoded->at("metadata"), json::parse(R"({"name":"e","creationTimestamp":null})"));
        QCOMPARE(decoded->at("firstTimestamp"), json("2024-01-02T03:04:05Z"));
        QCOMPARE(decoded->at("lastTimestamp"), json("1970-01-01T00:00:00Z"));
        QCOMPARE(decoded->at("eventTime"), json("2024-01-02T03:04:05.123456Z"));
        QCOMPARE(decoded->at("series").at("lastObservedTime"), json(nullptr));
    }

    void decodesIntOrString() {
        const std::string asInt = varintField(1, 0) + varintField(2, 2) + bytesField(3, "");
        const std::string asString = varintField(1, 1) + varintField(2, 0) + bytesField(3, "25%");
        const std::string pdb = bytesField(2, bytesField(1, asInt) + bytesField(3, asString));
        const auto decoded =
            decodeProtobufObject(envelope("policy/v1", "PodDisruptionBudget", pdb));
        QVERIFY2(decoded.ok(), describe(decoded).c_str());
        QCOMPARE(decoded->at("spec"), json::parse(R"({"minAvailable":2,"maxUnavailable":"25%"})"));

        const std::string impossible = bytesField(2, bytesField(1, varintField(1, 7)));
        const auto rejected =
            decodeProtobufObject(envelope("policy/v1", "PodDisruptionBudget", impossible));
        QVERIFY(!rejected.ok());
        QCOMPARE(rejected.error().code(), ErrorCode::BadRequest);
        QVERIFY2(rejected.error().message().find("spec.minAvailable") != std::string::npos,
                 rejected.error().message().c_str());
    }

    // ControllerRevision.data is a RawExtension: JSON bytes that stay JSON.
    void decodesRawExtensionsAsEmbeddedJson() {
        const std::string revision = metadata("r1") +
                                     bytesField(2, bytesField(1, R"({"spec":{"replicas":2}})")) +
                                     varintField(3, 4);
        const auto decoded =
            decodeProtobufObject(envelope("apps/v1", "ControllerRevision", revision));
        QVERIFY2(decoded.ok(), describe(decoded).c_str());
        QCOMPARE(decoded->at("data"), json::parse(R"({"spec":{"replicas":2}})"));
        QCOMPARE(decoded->at("revision"), json(4));

        const std::string notJson = metadata("r2") + bytesField(2, bytesField(1, "\x0a\x01x"));
        const auto rejected =
            decodeProtobufObject(envelope("apps/v1", "ControllerRevision", notJson));
        QVERIFY(!rejected.ok());
        QCOMPARE(rejected.error().code(), ErrorCode::BadRequest);
    }

    // Typed clients send DeleteOptions in protobuf too, under the group of the resource.
    void decodesDeleteOptions() {
        const std::string options = varintField(1, 0) + bytesField(2, bytesField(1, "u-1")) +
                                    bytesField(4, "Foreground") + bytesField(5, "All");
        for (const char* apiVersion : {"v1", "apps/v1", "meta.k8s.io/v1"}) {
            const auto decoded =
                decodeProtobufObject(envelope(apiVersion, "DeleteOptions", options));
            QVERIFY2(decoded.ok(), describe(decoded).c_str());
            QCOMPARE(*decoded, json::parse(R"({"kind":"DeleteOptions","apiVersion":")" +
                                           std::string(apiVersion) + R"(",
                "gracePeriodSeconds":0,"preconditions":{"uid":"u-1"},
                "propagationPolicy":"Foreground","dryRun":["All"]})"));
        }
    }

    // Go strings may hold any bytes; encoding/json writes each bad byte as U+FFFD.
    void replacesInvalidUtf8LikeEncodingJson() {
        const std::string label = bytesField(1, "k") + bytesField(2,
                                                                  "a\xff"
                                                                  "b\xe2\x82");
        const std::string meta = bytesField(1, "n") + bytesField(11, label);
        const auto decoded = decodeProtobufObject(envelope("v1", "Namespace", bytesField(1, meta)));
        QVERIFY2(decoded.ok(), describe(decoded).c_str());
        QCOMPARE(decoded->at("metadata").at("labels").at("k"), json("a\xEF\xBF\xBD"
                                                                    "b\xEF\xBF\xBD\xEF\xBF\xBD"));
    }

    void rejectsWhatIsNotProtobuf_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("words");
        QTest::newRow("json") << QByteArray(R"({"kind":"Namespace"})")
                              << QStringLiteral("expected prefix [107 56 115 0]");
        QTest::newRow("short") << QByteArray("k8s") << QStringLiteral("expected prefix");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("empty data");
        QTest::newRow("magic only") << QByteArray("k8s\0", 4) << QStringLiteral("empty body");
    }

    void rejectsWhatIsNotProtobuf() {
        QFETCH(QByteArray, body);
        QFETCH(QString, words);
        const auto result = decodeProtobufObject(
            std::string_view(body.constData(), static_cast<std::size_t>(body.size())));
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code(), ErrorCode::BadRequest);
        QVERIFY2(q(result.error().message()).contains(words), result.error().message().c_str());
    }

    void rejectsTruncatedBodies() {
        const std::string body = readTestFile(protobufData(QStringLiteral("deployment.pb")));
        QVERIFY(body.size() > 40);
        // kubectl's envelope ends with contentEncoding and contentType, both "" (4 bytes), which
        // may go; any longer cut ends the envelope's raw early.
        for (std::size_t cut = 5; cut < 40; ++cut) {
            const auto result = decodeProtobufObject(body.substr(0, body.size() - cut));
            QVERIFY2(!result.ok(), qPrintable(QString::number(cut)));
            QCOMPARE(result.error().code(), ErrorCode::BadRequest);
        }
        // An intact envelope whose object says it is longer than it is.
        const std::string truncatedObject = bytesField(1, "abc").substr(0, 3);
        const auto result = decodeProtobufObject(envelope("v1", "Namespace", truncatedObject));
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code(), ErrorCode::BadRequest);
        QVERIFY2(q(result.error().message()).contains("malformed or truncated"),
                 result.error().message().c_str());
    }

    // A field the schema does not know is data the client meant to send: refuse the body
    // rather than store the object without it.
    void rejectsUnknownFields_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("words");
        const auto row = [](const char* name, const std::string& body, const char* words) {
            QTest::newRow(name) << QByteArray(body.data(), static_cast<int>(body.size()))
                                << QString::fromLatin1(words);
        };
        row("top level", envelope("v1", "Namespace", metadata("n") + varintField(99, 1)),
            "unknown field number 99 (wire type varint) in the object "
            "(k8s.io.api.core.v1.Namespace)");
        const std::string container = bytesField(1, "app") + bytesField(1999, "x");
        row("deep inside",
            envelope("apps/v1", "Deployment",
                     bytesField(2, bytesField(3, bytesField(2, bytesField(2, container))))),
            "unknown field number 1999 (wire type length-delimited) in "
            "spec.template.spec.containers[0] (k8s.io.api.core.v1.Container)");
        row("in a map entry",
            envelope("v1", "ConfigMap",
                     bytesField(2, bytesField(1, "k") + bytesField(2, "v") + varintField(3, 1))),
            "unknown field number 3");
        row("inside a quantity",
            envelope("v1", "ResourceQuota",
                     bytesField(2, bytesField(1, bytesField(1, "cpu") +
                                                     bytesField(2, bytesField(1, "1") +
                                                                       varintField(2, 5))))),
            "unknown field number 2 (wire type varint) in spec.hard[\"cpu\"]");
        row("wrong wire type", envelope("v1", "Namespace", varintField(1, 5)),
            "field metadata (number 1) in the object (k8s.io.api.core.v1.Namespace) has wire "
            "type varint");
        row("in the envelope", envelope("v1", "Namespace", metadata("n"), varintField(9, 1)),
            "unknown field number 9 in the protobuf envelope");
    }

    void rejectsUnknownFields() {
        QFETCH(QByteArray, body);
        QFETCH(QString, words);
        const auto result = decodeProtobufObject(
            std::string_view(body.constData(), static_cast<std::size_t>(body.size())));
        QVERIFY2(!result.ok(), describe(result).c_str());
        QCOMPARE(result.error().code(), ErrorCode::BadRequest);
        QVERIFY2(q(result.error().message()).contains(words), result.error().message().c_str());
    }

    void rejectsKindsWithoutSchema_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("words");
        const auto row = [](const char* name, const std::string& body, ErrorCode code,
                            const char* words) {
            QTest::newRow(name) << QByteArray(body.data(), static_cast<int>(body.size()))
                                << static_cast<int>(code) << QString::fromLatin1(words);
        };
        row("unknown kind", envelope("v1", "Frobnicator", metadata("f")), ErrorCode::BadRequest,
            R"(no kind "Frobnicator" is registered for version "v1")");
        row("not an object", envelope("v1", "PodSpec", ""), ErrorCode::BadRequest,
            R"(no kind "PodSpec")");
        row("a list", envelope("apps/v1", "DeploymentList", ""), ErrorCode::BadRequest,
            R"(no kind "DeploymentList")");
        row("kind in another group", envelope("apps/v1", "Pod", ""), ErrorCode::BadRequest,
            R"(no kind "Pod" is registered for version "apps/v1")");
        row("custom resource", envelope("example.test/v1", "Widget", metadata("w")),
            ErrorCode::UnsupportedMediaType, "example.test/v1 has no protobuf schema");
        row("no kind", envelope("v1", "", metadata("n")), ErrorCode::BadRequest,
            "Object 'Kind' is missing");
        row("no apiVersion", envelope("", "Namespace", metadata("n")), ErrorCode::BadRequest,
            "Object 'apiVersion' is missing");
        row("compressed", envelope("v1", "Namespace", metadata("n"), bytesField(3, "gzip")),
            ErrorCode::UnsupportedMediaType, R"(protobuf content encoding "gzip")");
        row("json inside", envelope("v1", "Namespace", "{}", bytesField(4, "application/json")),
            ErrorCode::UnsupportedMediaType, R"(envelope holding "application/json")");
    }

    void rejectsKindsWithoutSchema() {
        QFETCH(QByteArray, body);
        QFETCH(int, code);
        QFETCH(QString, words);
        const auto result = decodeProtobufObject(
            std::string_view(body.constData(), static_cast<std::size_t>(body.size())));
        QVERIFY2(!result.ok(), describe(result).c_str());
        QCOMPARE(static_cast<int>(result.error().code()), code);
        QVERIFY2(q(result.error().message()).contains(words), result.error().message().c_str());
    }

    // Expected strings from Go's time.Duration.String.
    void formatsGoDurations_data() {
        QTest::addColumn<qint64>("nanoseconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << qint64(0) << QStringLiteral("0s");
        QTest::newRow("1ns") << qint64(1) << QStringLiteral("1ns");
        QTest::newRow("1.1µs") << qint64(1100) << QStringLiteral("1.1µs");
        QTest::newRow("2.2ms") << qint64(2200000) << QStringLiteral("2.2ms");
        QTest::newRow("1.5s") << qint64(1500000000) << QStringLiteral("1.5s");
        QTest::newRow("1m0s") << qint64(60000000000) << QStringLiteral("1m0s");
        QTest::newRow("1h0m0s") << qint64(3600000000000) << QStringLiteral("1h0m0s");
        QTest::newRow("1h1m1.001s") << qint64(3661001000000) << QStringLiteral("1h1m1.001s");
        QTest::newRow("-90s") << qint64(-90000000000) << QStringLiteral("-1m30s");
        QTest::newRow("min") << std::numeric_limits<qint64>::min()
                             << QStringLiteral("-2562047h47m16.854775808s");
    }

    void formatsGoDurations() {
        QFETCH(qint64, nanoseconds);
        QFETCH(QString, text);
        QCOMPARE(q(slipway::api::detail::formatGoDuration(nanoseconds)), text);
    }

    void formatsRfc3339() {
        using slipway::api::detail::formatRfc3339;
        QCOMPARE(q(formatRfc3339(0, 0, 0)), QStringLiteral("1970-01-01T00:00:00Z"));
        QCOMPARE(q(formatRfc3339(-1, 0, 0)), QStringLiteral("1969-12-31T23:59:59Z"));
        QCOMPARE(q(formatRfc3339(951782400, 0, 0)), QStringLiteral("2000-02-29T00:00:00Z"));
        QCOMPARE(q(formatRfc3339(253402300799, 0, 0)), QStringLiteral("9999-12-31T23:59:59Z"));
        QCOMPARE(q(formatRfc3339(slipway::api::detail::kGoZeroTimeUnixSeconds, 0, 0)),
                 QStringLiteral("0001-01-01T00:00:00Z"));
        QCOMPARE(q(formatRfc3339(1704164645, 5000, 6)),
                 QStringLiteral("2024-01-02T03:04:05.000005Z"));
        QCOMPARE(q(formatRfc3339(1704164645, 999999999, 6)),
                 QStringLiteral("2024-01-02T03:04:05.999999Z"));
    }

    void encodesBase64LikeGo() {
        using slipway::api::detail::base64Encode;
        QCOMPARE(q(base64Encode("")), QString());
        QCOMPARE(q(base64Encode("f")), QStringLiteral("Zg=="));
        QCOMPARE(q(base64Encode("fo")), QStringLiteral("Zm8="));
        QCOMPARE(q(base64Encode("foo")), QStringLiteral("Zm9v"));
        QCOMPARE(q(base64Encode(std::string("\x00\xff\xfe", 3))), QStringLiteral("AP/+"));
    }
};

QTEST_GUILESS_MAIN(TstProtobufCodec)
#include "tst_protobuf_codec.moc"
