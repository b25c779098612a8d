// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/core/field_selector.h"

using slipway::core::ErrorCode;
using slipway::core::FieldRequirement;
using slipway::core::FieldSelector;

namespace {

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

const nlohmann::json kPod = nlohmann::json::parse(R"({
  "apiVersion": "v1", "kind": "Pod",
  "metadata": {"name": "web", "namespace": "default", "generation": 3},
  "spec": {"nodeName": "node-1", "restartPolicy": "Always", "hostNetwork": false},
  "status": {"phase": "Running", "podIP": "10.0.0.5"}
})");

const nlohmann::json kEvent = nlohmann::json::parse(R"({
  "kind": "Event",
  "metadata": {"name": "web.17a", "namespace": "default"},
  "involvedObject": {"kind": "Deployment", "name": "web", "namespace": "default",
                     "uid": "0b8e-4c"},
  "reason": "ScalingReplicaSet"
})");

}  // namespace

class TstFieldSelector : public QObject {
    Q_OBJECT
private slots:
    void parsesToCanonicalString_data() {
        QTest::addColumn<QString>("selector");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("empty") << ""
                               << "";
        QTest::newRow("one term") << "metadata.name=web"
                                  << "metadata.name=web";
        QTest::newRow("two terms") << "metadata.name=web,status.phase!=Running"
                                   << "metadata.name=web,status.phase!=Running";
        QTest::newRow("sorted like Kubernetes") << "b=1,a=2"
                                                << "a=2,b=1";
        QTest::newRow("double equals is equals") << "a==b"
                                                 << "a=b";
        QTest::newRow("empty terms skipped") << "a=b,,c=d,"
                                             << "a=b,c=d";
        QTest::newRow("empty value") << "spec.nodeName="
                                     << "spec.nodeName=";
        QTest::newRow("escaped comma") << "a=x\\,y"
                                       << "a=x\\,y";
        QTest::newRow("escaped equals and backslash") << "a=\\=\\\\"
                                                      << "a=\\=\\\\";
        QTest::newRow("informer list") << "metadata.name=d1"
                                       << "metadata.name=d1";
    }
    void parsesToCanonicalString() {
        QFETCH(QString, selector);
        QFETCH(QString, canonical);
        const auto parsed = FieldSelector::parse(selector.toStdString());
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message().c_str());
        QCOMPARE(q(parsed->toString()), canonical);
        QCOMPARE(parsed->empty(), canonical.isEmpty());
    }

    void unescapesValues() {
        const auto parsed = FieldSelector::parse("a=x\\,y\\=z\\\\,b!=c");
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->requirements().size(), std::size_t(2));
        const auto& first = parsed->requirements()[0];
        QCOMPARE(q(first.field), QString("a"));
        QVERIFY(first.op == FieldRequirement::Operator::Equals);
        QCOMPARE(q(first.value), QString("x,y=z\\"));
        const auto& second = parsed->requirements()[1];
        QCOMPARE(q(second.field), QString("b"));
        QVERIFY(second.op == FieldRequirement::Operator::NotEquals);
        QCOMPARE(q(second.value), QString("c"));
    }

    void keepsWhitespaceLikeKubernetes() {
        // Kubernetes does not trim: the field is "a " and the value " b".
        const auto parsed = FieldSelector::parse("a = b");
        QVERIFY(parsed.ok());
        QCOMPARE(q(parsed->requirements()[0].field), QString("a "));
        QCOMPARE(q(parsed->requirements()[0].value), QString(" b"));
    }

    void rejectsLikeKubeApiserver_data() {
        QTest::addColumn<QString>("selector");
        QTest::addColumn<QString>("message");
        QTest::newRow("no operator")
            << "metadata.name"
            << "invalid selector: 'metadata.name'; can't understand 'metadata.name'";
        QTest::newRow("no operator in second term")
            << "a=b,c"
            << "invalid selector: 'a=b,c'; can't understand 'c'";
        QTest::newRow("unescaped equals")
            << "a=b=c"
            << "invalid field selector: unescaped character in value: 61";
        QTest::newRow("bad escape") << "a=\\x"
                                    << "invalid field selector: invalid escape sequence: \\x";
        QTest::newRow("trailing backslash")
            << "a=x\\"
            << "invalid field selector: invalid escape sequence: \\";
    }
    void rejectsLikeKubeApiserver() {
        QFETCH(QString, selector);
        QFETCH(QString, message);
        const auto parsed = FieldSelector::parse(selector.toStdString());
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code(), ErrorCode::BadRequest);
        QCOMPARE(q(parsed.error().message()), message);
    }

    void matchesObjects_data() {
        QTest::addColumn<QString>("selector");
        QTest::addColumn<bool>("pod");
        QTest::addColumn<bool>("event");
        QTest::newRow("everything") << "" << true << true;
        QTest::newRow("name") << "metadata.name=web" << true << false;
        QTest::newRow("name and namespace")
            << "metadata.name=web,metadata.namespace=default" << true << false;
        QTest::newRow("node name") << "spec.nodeName=node-1" << true << false;
        QTest::newRow("phase not running") << "status.phase!=Running" << false << true;
        QTest::newRow("unscheduled pods: missing compares as empty")
            << "spec.nodeName=" << false << true;
        QTest::newRow("describe's event query")
            << "involvedObject.kind=Deployment,involvedObject.uid=0b8e-4c,"
               "involvedObject.name=web,involvedObject.namespace=default"
            << false << true;
        QTest::newRow("boolean field") << "spec.hostNetwork=false" << true << false;
        QTest::newRow("integer field") << "metadata.generation=3" << true << false;
        QTest::newRow("object compares as empty") << "spec=" << true << true;
    }
    void matchesObjects() {
        QFETCH(QString, selector);
        QFETCH(bool, pod);
        QFETCH(bool, event);
        const auto parsed = FieldSelector::parse(selector.toStdString());
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->matches(kPod), pod);
        QCOMPARE(parsed->matches(kEvent), event);
    }

    void matchesWithCustomLookup() {
        // A node without spec.unschedulable is schedulable: Kubernetes compares "false".
        const auto parsed = FieldSelector::parse("spec.unschedulable=false");
        QVERIFY(parsed.ok());
        const nlohmann::json node = {{"kind", "Node"}, {"spec", nlohmann::json::object()}};
        QVERIFY(!parsed->matches(node));
        QVERIFY(parsed->matches([&](std::string_view field) {
            auto value = slipway::core::fieldValue(node, field);
            return field == "spec.unschedulable" && value.empty() ? std::string("false") : value;
        }));
    }

    void readsFieldValues() {
        using slipway::core::fieldValue;
        QCOMPARE(q(fieldValue(kPod, "status.podIP")), QString("10.0.0.5"));
        QCOMPARE(q(fieldValue(kPod, "spec.hostNetwork")), QString("false"));
        QCOMPARE(q(fieldValue(kPod, "metadata.generation")), QString("3"));
        QCOMPARE(q(fieldValue(kPod, "spec.missing")), QString());
        QCOMPARE(q(fieldValue(kPod, "status.phase.deeper")), QString());
        QCOMPARE(q(fieldValue(kPod, "metadata")), QString());
        QCOMPARE(q(fieldValue(nlohmann::json(), "a")), QString());
    }

    void checksSupportedFields() {
        const auto parsed = FieldSelector::parse("metadata.name=web,spec.bogus=x");
        QVERIFY(parsed.ok());
        const auto podFields = [](std::string_view field) {
            return field == "metadata.name" || field == "metadata.namespace" ||
                   field == "spec.nodeName" || field == "status.phase";
        };
        const auto checked = parsed->checkSupported(podFields);
        QVERIFY(!checked.ok());
        QCOMPARE(checked.error().code(), ErrorCode::BadRequest);
        QCOMPARE(q(checked.error().message()), QString("field label not supported: spec.bogus"));
        QVERIFY(FieldSelector::parse("spec.nodeName=a")->checkSupported(podFields).ok());
    }

    void reportsExactMatch() {
        const auto parsed = FieldSelector::parse("metadata.namespace!=x,metadata.name==web");
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->requiresExactMatch("metadata.name"), std::optional<std::string>("web"));
        QCOMPARE(parsed->requiresExactMatch("metadata.namespace"), std::optional<std::string>());
        QCOMPARE(parsed->requiresExactMatch("spec.nodeName"), std::optional<std::string>());
    }
};

QTEST_GUILESS_MAIN(TstFieldSelector)
#include "tst_field_selector.moc"
