// SPDX-License-Identifier: Apache-2.0
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/apiserver/object_codec.h"

using namespace slipway;
using nlohmann::json;

class TstObjectCodec : public QObject {
    Q_OBJECT
private slots:
    void splicingEqualsDecoding_data() {
        QTest::addColumn<QString>("stored");
        QTest::newRow("pod")
            << "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":"
               "\"d\"},\"spec\":{\"containers\":[{\"name\":\"c\"}]}}";
        QTest::newRow("empty metadata")
            << "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{}}";
        // A member before metadata whose value holds a "metadata" object and a tricky string.
        QTest::newRow("nested decoy") << "{\"alpha\":{\"metadata\":{\"x\":1}},\"beta\":"
                                         "\"\\\"metadata\\\":{\",\"metadata\":{\"name\":\"n\"}}";
        QTest::newRow("escapes in strings") << "{\"data\":{\"k\":\"a\\\\\\\"b}{[]\"},\"metadata\":{"
                                               "\"name\":\"n\",\"labels\":{\"a\":\"b\"}}}";
        QTest::newRow("whitespace") << "{ \"metadata\" : { \"name\" : \"n\" } }";
    }

    void splicingEqualsDecoding() {
        QFETCH(QString, stored);
        const store::KeyValue kv{"/registry/x", stored.toStdString(), 40, 42};
        std::string out;
        QVERIFY(apiserver::appendWithResourceVersion(out, kv));
        const auto spliced = json::parse(out);
        const auto decoded = apiserver::decodeObject(kv);
        QVERIFY(decoded);
        QCOMPARE(spliced, *decoded);
        QCOMPARE(spliced.at("metadata").at("resourceVersion"), json("42"));
    }

    void noTopLevelMetadataIsRefused() {
        std::string out = "unchanged";
        const store::KeyValue kv{"/registry/x", "{\"spec\":{\"metadata\":{}}}", 7, 7};
        QVERIFY(!apiserver::appendWithResourceVersion(out, kv));
        QCOMPARE(out, std::string("unchanged"));
    }
};

QTEST_GUILESS_MAIN(TstObjectCodec)
#include "tst_object_codec.moc"
