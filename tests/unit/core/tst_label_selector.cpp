// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/core/label_selector.h"

using slipway::core::ErrorCode;
using slipway::core::LabelRequirement;
using slipway::core::Labels;
using slipway::core::LabelSelector;

namespace {

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

Labels labelsFrom(const QString& json) {
    Labels labels;
    const auto object = nlohmann::json::parse(json.toStdString());
    for (const auto& [key, value] : object.items()) {
        labels[key] = value.get<std::string>();
    }
    return labels;
}

// apimachinery's RegexError texts, spelled out once.
const QString kNameRegexDetail =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const QString kValueRegexDetail =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

}  // namespace

class TstLabelSelector : public QObject {
    Q_OBJECT
private slots:
    // Parsing then printing gives Kubernetes' canonical form: requirements sorted by key,
    // set values sorted and de-duplicated, whitespace gone, the operator spelled as written.
    void parsesToCanonicalString_data() {
        QTest::addColumn<QString>("selector");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("empty") << ""
                               << "";
        QTest::newRow("only spaces") << "  \t "
                                     << "";
        QTest::newRow("equality") << "app=d1"
                                  << "app=d1";
        QTest::newRow("sorted by key") << "y=b,x=a"
                                       << "x=a,y=b";
        QTest::newRow("double equals kept") << "a==b"
                                            << "a==b";
        QTest::newRow("not equals with spaces") << "  a  !=  b  "
                                                << "a!=b";
        QTest::newRow("in, values sorted") << "env in (qa, prod)"
                                           << "env in (prod,qa)";
        QTest::newRow("notin") << "tier notin (web)"
                               << "tier notin (web)";
        QTest::newRow("exists") << "partition"
                                << "partition";
        QTest::newRow("does not exist") << "!partition"
                                        << "!partition";
        QTest::newRow("apimachinery example") << "x in (foo,,baz),y,z notin ()"
                                              << "x in (,baz,foo),y,z notin ()";
        QTest::newRow("duplicate values") << "x in (b,a,b)"
                                          << "x in (a,b)";
        QTest::newRow("empty value") << "a="
                                     << "a=";
        QTest::newRow("empty value then more") << "a=,b=c"
                                               << "a=,b=c";
        QTest::newRow("prefixed key") << "example.com/app=web"
                                      << "example.com/app=web";
        QTest::newRow("keyword as value") << "x in (in,notin)"
                                          << "x in (in,notin)";
        QTest::newRow("keyword as key") << "in"
                                        << "in";
        QTest::newRow("greater than") << "n>3"
                                      << "n>3";
        QTest::newRow("less than") << "n < 3"
                                   << "n<3";
        QTest::newRow("same key keeps order") << "a=b,a!=c"
                                              << "a=b,a!=c";
        QTest::newRow("mixed") << "tier notin (web),!canary,app=d1,env in (prod)"
                               << "app=d1,!canary,env in (prod),tier notin (web)";
    }
    void parsesToCanonicalString() {
        QFETCH(QString, selector);
        QFETCH(QString, canonical);
        const auto parsed = LabelSelector::parse(selector.toStdString());
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message().c_str());
        QCOMPARE(q(parsed->toString()), canonical);
        // The canonical form parses back to the same selector.
        const auto reparsed = LabelSelector::parse(parsed->toString());
        QVERIFY(reparsed.ok());
        QVERIFY(*reparsed == *parsed);
    }

    void matchesLabels_data() {
        QTest::addColumn<QString>("selector");
        QTest::addColumn<QString>("labels");
        QTest::addColumn<bool>("expected");
        QTest::newRow("empty selects all") << ""
                                           << R"({"a":"b"})" << true;
        QTest::newRow("equals hit") << "app=d1"
                                    << R"({"app":"d1","x":"y"})" << true;
        QTest::newRow("equals miss") << "app=d1"
                                     << R"({"app":"d2"})" << false;
        QTest::newRow("equals needs the key") << "app=d1"
                                              << "{}" << false;
        QTest::newRow("not equals hit") << "env!=prod"
                                        << R"({"env":"qa"})" << true;
        QTest::newRow("not equals miss") << "env!=prod"
                                         << R"({"env":"prod"})" << false;
        QTest::newRow("not equals without the key") << "env!=prod"
                                                    << "{}" << true;
        QTest::newRow("in hit") << "env in (prod,qa)"
                                << R"({"env":"qa"})" << true;
        QTest::newRow("in miss") << "env in (prod,qa)"
                                 << R"({"env":"dev"})" << false;
        QTest::newRow("in without the key") << "env in (prod,qa)"
                                            << "{}" << false;
        QTest::newRow("notin hit") << "tier notin (web)"
                                   << R"({"tier":"db"})" << true;
        QTest::newRow("notin miss") << "tier notin (web)"
                                    << R"({"tier":"web"})" << false;
        QTest::newRow("notin without the key") << "tier notin (web)"
                                               << "{}" << true;
        QTest::newRow("exists with empty value") << "partition"
                                                 << R"({"partition":""})" << true;
        QTest::newRow("exists miss") << "partition"
                                     << R"({"other":""})" << false;
        QTest::newRow("does not exist hit") << "!partition"
                                            << "{}" << true;
        QTest::newRow("does not exist miss") << "!partition"
                                             << R"({"partition":"a"})" << false;
        QTest::newRow("empty value hit") << "a="
                                         << R"({"a":""})" << true;
        QTest::newRow("empty value needs the key") << "a="
                                                   << "{}" << false;
        QTest::newRow("in with empty value") << "a in ()"
                                             << R"({"a":""})" << true;
        QTest::newRow("and: all hold") << "a=b,c=d"
                                       << R"({"a":"b","c":"d"})" << true;
        QTest::newRow("and: one fails") << "a=b,c=d"
                                        << R"({"a":"b"})" << false;
        QTest::newRow("gt hit") << "n>3"
                                << R"({"n":"5"})" << true;
        QTest::newRow("gt equal") << "n>3"
                                  << R"({"n":"3"})" << false;
        QTest::newRow("gt not a number") << "n>3"
                                         << R"({"n":"x"})" << false;
        QTest::newRow("gt without the key") << "n>3"
                                            << "{}" << false;
        QTest::newRow("lt hit") << "n<3"
                                << R"({"n":"-1"})" << true;
    }
    void matchesLabels() {
        QFETCH(QString, selector);
        QFETCH(QString, labels);
        QFETCH(bool, expected);
        const auto parsed = LabelSelector::parse(selector.toStdString());
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->matches(labelsFrom(labels)), expected);
        // The JSON overload reads metadata.labels directly and must agree.
        QCOMPARE(parsed->matches(nlohmann::json::parse(labels.toStdString())), expected);
    }

    void jsonLabelsMayBeAbsent() {
        const auto selector = LabelSelector::parse("env!=prod,!canary");
        QVERIFY(selector.ok());
        QVERIFY(selector->matches(nlohmann::json()));  // no metadata.labels at all
        QVERIFY(!LabelSelector::parse("app")->matches(nlohmann::json()));
    }

    // The messages kube-apiserver answers with, word for word.
    void rejectsLikeKubeApiserver_data() {
        QTest::addColumn<QString>("selector");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing operator")
            << "a b"
            << "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt";
        QTest::newRow("junk after value") << "a=b c"
                                          << "found 'c', expected: ',' or 'end of string'";
        QTest::newRow("trailing comma") << "a=b,"
                                        << "found '', expected: identifier after ','";
        QTest::newRow("double comma") << "a=b,,c=d"
                                      << "found ',', expected: identifier after ','";
        QTest::newRow("starts with operator")
            << "=a"
            << "found '=', expected: !, identifier, or 'end of string'";
        QTest::newRow("bang without key")
            << "!"
            << "unable to parse requirement: found '', expected: identifier";
        QTest::newRow("negation takes no operator")
            << "!a=b"
            << "found '=', expected: ',' or 'end of string'";
        QTest::newRow("in without parentheses")
            << "x in a"
            << "unable to parse requirement: found 'a' expected: '('";
        QTest::newRow("values without comma")
            << "x in (a b)"
            << "unable to parse requirement: found 'b', expected: ',' or ')'";
        QTest::newRow("unclosed values")
            << "x in (a"
            << "unable to parse requirement: found '', expected: ',' or ')'";
        QTest::newRow("operator inside values")
            << "x in (=)"
            << "unable to parse requirement: found '=', expected: ',', ')' or identifier";
        QTest::newRow("operator as value")
            << "a=("
            << "unable to parse requirement: found '(', expected: identifier";
        QTest::newRow("bad key")
            << "-a=b"
            << "unable to parse requirement: <nil>: Invalid value: \"-a\": name part " +
                   kNameRegexDetail;
        QTest::newRow("key too long")
            << QString(64, 'k') + "=b"
            << "unable to parse requirement: <nil>: Invalid value: \"" + QString(64, 'k') +
                   "\": name part must be no more than 63 characters";
        QTest::newRow("bad value")
            << "a=-b"
            << "unable to parse requirement: values[0][a]: Invalid value: \"-b\": " +
                   kValueRegexDetail;
        QTest::newRow("value too long")
            << "a=" + QString(64, 'v')
            << "unable to parse requirement: values[0][a]: Invalid value: \"" + QString(64, 'v') +
                   "\": must be no more than 63 characters";
        QTest::newRow("gt needs an integer")
            << "n>x"
            << "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' "
               "operators, the value must be an integer";
    }
    void rejectsLikeKubeApiserver() {
        QFETCH(QString, selector);
        QFETCH(QString, message);
        const auto parsed = LabelSelector::parse(selector.toStdString());
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code(), ErrorCode::BadRequest);
        QCOMPARE(q(parsed.error().message()), message);
    }

    void validatesKeysLikeApimachinery() {
        QVERIFY(slipway::core::qualifiedNameErrors("app.kubernetes.io/name").empty());
        QVERIFY(slipway::core::qualifiedNameErrors("A_b.c-9").empty());
        QVERIFY(slipway::core::qualifiedNameErrors(std::string(63, 'a')).empty());

        const auto upperPrefix = slipway::core::qualifiedNameErrors("Example.com/app");
        QCOMPARE(upperPrefix.size(), std::size_t(1));
        QCOMPARE(q(upperPrefix.front()),
                 QString("prefix part a lowercase RFC 1123 subdomain must consist of lower case "
                         "alphanumeric characters, '-' or '.', and must start and end with an "
                         "alphanumeric character (e.g. 'example.com', regex used for validation "
                         "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));

        const auto emptyParts = slipway::core::qualifiedNameErrors("/");
        QCOMPARE(emptyParts.size(), std::size_t(3));
        QCOMPARE(q(emptyParts[0]), QString("prefix part must be non-empty"));
        QCOMPARE(q(emptyParts[1]), QString("name part must be non-empty"));

        const auto twoSlashes = slipway::core::qualifiedNameErrors("a/b/c");
        QCOMPARE(twoSlashes.size(), std::size_t(1));
        QVERIFY(twoSlashes.front().starts_with("a qualified name must consist of"));
        QVERIFY(twoSlashes.front().ends_with(
            " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"));

        QVERIFY(slipway::core::labelValueErrors("").empty());
        QVERIFY(!slipway::core::labelValueErrors("a b").empty());
        QVERIFY(!slipway::core::labelValueErrors("é").empty());
    }

    // metav1.LabelSelector objects, as Deployments, ReplicaSets and Jobs carry them.
    void buildsFromLabelSelectorJson_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("scale selector") << R"({"matchLabels":{"app":"d1"}})"
                                        << "app=d1";
        QTest::newRow("labels and expressions")
            << R"({"matchLabels":{"b":"2","a":"1"},"matchExpressions":[
                   {"key":"a","operator":"Exists"},
                   {"key":"env","operator":"NotIn","values":["qa","dev"]}]})"
            << "a=1,a,b=2,env notin (dev,qa)";
        QTest::newRow("does not exist with null values")
            << R"({"matchExpressions":[{"key":"x","operator":"DoesNotExist","values":null}]})"
            << "!x";
        QTest::newRow("in keeps duplicates out of the string")
            << R"({"matchExpressions":[{"key":"x","operator":"In","values":["b","a"]}]})"
            << "x in (a,b)";
        QTest::newRow("empty object") << "{}"
                                      << "";
        QTest::newRow("empty lists") << R"({"matchLabels":{},"matchExpressions":[]})"
                                     << "";
    }
    void buildsFromLabelSelectorJson() {
        QFETCH(QString, json);
        QFETCH(QString, canonical);
        const auto selector = LabelSelector::fromJson(nlohmann::json::parse(json.toStdString()));
        QVERIFY2(selector.ok(), selector.ok() ? "" : selector.error().message().c_str());
        QCOMPARE(q(selector->toString()), canonical);
        QCOMPARE(selector->empty(), canonical.isEmpty());
    }

    void jsonSelectorMatchesLikeParsedOne() {
        const auto fromJson = LabelSelector::fromJson(nlohmann::json::parse(
            R"({"matchLabels":{"app":"web"},"matchExpressions":[
                {"key":"tier","operator":"In","values":["fe","be"]},
                {"key":"canary","operator":"DoesNotExist"}]})"));
        QVERIFY(fromJson.ok());
        const auto parsed = LabelSelector::parse("app=web,tier in (fe,be),!canary");
        QVERIFY(parsed.ok());
        QCOMPARE(q(fromJson->toString()), q(parsed->toString()));
        for (const auto* labels : {R"({"app":"web","tier":"fe"})", R"({"app":"web","tier":"db"})",
                                   R"({"app":"web","tier":"be","canary":"1"})", R"({})"}) {
            const auto json = nlohmann::json::parse(labels);
            QCOMPARE(fromJson->matches(json), parsed->matches(json));
        }
        QVERIFY(fromJson->matches(nlohmann::json::parse(R"({"app":"web","tier":"be"})")));
    }

    void nullSelectorMatchesNothing() {
        const auto nothing = LabelSelector::fromJson(nullptr);
        QVERIFY(nothing.ok());
        QVERIFY(nothing->matchesNothing());
        QVERIFY(!nothing->empty());
        QVERIFY(!nothing->matches(Labels{}));
        QVERIFY(!nothing->matches(Labels{{"a", "b"}}));
        const auto everything = LabelSelector::fromJson(nlohmann::json::object());
        QVERIFY(everything.ok());
        QVERIFY(everything->empty());
        QVERIFY(everything->matches(Labels{}));
    }

    void rejectsInvalidLabelSelectorJson_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("in without values")
            << R"({"matchExpressions":[{"key":"a","operator":"In"}]})"
            << "values: Invalid value: []string{}: for 'in', 'notin' operators, values set "
               "can't be empty";
        QTest::newRow("notin with empty list")
            << R"({"matchExpressions":[{"key":"a","operator":"NotIn","values":[]}]})"
            << "values: Invalid value: []string{}: for 'in', 'notin' operators, values set "
               "can't be empty";
        QTest::newRow("exists with values")
            << R"({"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]})"
            << "values: Invalid value: []string{\"x\"}: values set must be empty for exists "
               "and does not exist";
        QTest::newRow("unknown operator")
            << R"({"matchExpressions":[{"key":"a","operator":"Equals","values":["x"]}]})"
            << "\"Equals\" is not a valid label selector operator";
        QTest::newRow("bad key") << R"({"matchLabels":{"a b":"c"}})"
                                 << "key: Invalid value: \"a b\": name part " + kNameRegexDetail;
        QTest::newRow("two errors aggregated")
            << R"({"matchExpressions":[{"key":"-a","operator":"In"}]})"
            << "[key: Invalid value: \"-a\": name part " + kNameRegexDetail +
                   ", values: Invalid value: []string{}: for 'in', 'notin' operators, values "
                   "set can't be empty]";
        QTest::newRow("not an object") << "[]"
                                       << "a label selector must be an object, got array";
    }
    void rejectsInvalidLabelSelectorJson() {
        QFETCH(QString, json);
        QFETCH(QString, message);
        const auto selector = LabelSelector::fromJson(nlohmann::json::parse(json.toStdString()));
        QVERIFY(!selector.ok());
        QCOMPARE(selector.error().code(), ErrorCode::Invalid);
        QCOMPARE(q(selector.error().message()), message);
    }

    void buildsFromSet() {
        const auto selector = LabelSelector::fromSet({{"tier", "web"}, {"app", "d1"}});
        QCOMPARE(q(selector.toString()), QString("app=d1,tier=web"));
        QVERIFY(selector.matches(Labels{{"app", "d1"}, {"tier", "web"}, {"x", "y"}}));
        QVERIFY(!selector.matches(Labels{{"app", "d1"}}));
        QVERIFY(LabelSelector::fromSet({}).empty());
    }

    void requirementsAreExposed() {
        const auto selector = LabelSelector::parse("env in (qa,prod),app=web");
        QVERIFY(selector.ok());
        QCOMPARE(selector->requirements().size(), std::size_t(2));
        const auto& first = selector->requirements()[0];
        QCOMPARE(q(first.key()), QString("app"));
        QVERIFY(first.op() == LabelRequirement::Operator::Equals);
        const auto& second = selector->requirements()[1];
        QVERIFY(second.op() == LabelRequirement::Operator::In);
        QCOMPARE(second.values(), (std::vector<std::string>{"prod", "qa"}));
    }
};

QTEST_GUILESS_MAIN(TstLabelSelector)
#include "tst_label_selector.moc"
