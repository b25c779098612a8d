// SPDX-License-Identifier: Apache-2.0
// Whether one set of RBAC rules covers another, and how the missing rules are written.
#include <QtTest>

#include "engine/auth/rule_coverage.h"

using namespace slipway;
using auth::PolicyRule;

namespace {

PolicyRule rule(std::vector<std::string> verbs, std::vector<std::string> groups,
                std::vector<std::string> resources, std::vector<std::string> names = {}) {
    return {std::move(verbs), std::move(groups), std::move(resources), std::move(names), {}};
}

PolicyRule urls(std::vector<std::string> verbs, std::vector<std::string> paths) {
    return {std::move(verbs), {}, {}, {}, std::move(paths)};
}

std::vector<std::string> described(const std::vector<PolicyRule>& rules) {
    std::vector<std::string> texts;
    for (const auto& each : rules) {
        texts.push_back(auth::compactString(each));
    }
    std::sort(texts.begin(), texts.end());
    return texts;
}

}  // namespace

class TstRuleCoverage : public QObject {
    Q_OBJECT

private slots:
    void breakdownGivesOneTuplePerRule() {
        // 2 verbs × 2 resources × 1 group × 2 names = 8, plus 1 verb × 1 URL... none here.
        const auto parts =
            auth::breakdownRule(rule({"get", "list"}, {""}, {"pods", "secrets"}, {"a", "b"}));
        QCOMPARE(parts.size(), std::size_t{8});
        QCOMPARE(auth::compactString(parts.front()),
                 std::string("{APIGroups:[\"\"], Resources:[\"pods\"], ResourceNames:[\"a\"], "
                             "Verbs:[\"get\"]}"));
        QCOMPARE(auth::breakdownRule(urls({"get", "post"}, {"/healthz"})).size(), std::size_t{2});
        // A rule without groups grants nothing, so it needs nothing.
        QVERIFY(auth::breakdownRule(rule({"get"}, {}, {"pods"})).empty());
    }

    void ownerRulesCoverWhatTheyGrant() {
        const std::vector<PolicyRule> owner = {
            rule({"get", "list", "watch"}, {""}, {"pods", "configmaps"}),
            rule({"*"}, {"apps"}, {"deployments"}),
            rule({"get"}, {""}, {"secrets"}, {"mine"}),
            urls({"get"}, {"/healthz", "/apis/*"}),
        };
        QVERIFY(auth::uncoveredRules(owner, {rule({"get", "watch"}, {""}, {"pods"})}).empty());
        QVERIFY(auth::uncoveredRules(owner, {rule({"delete", "patch"}, {"apps"}, {"deployments"})})
                    .empty());
        QVERIFY(auth::uncoveredRules(owner, {rule({"get"}, {""}, {"secrets"}, {"mine"})}).empty());
        QVERIFY(
            auth::uncoveredRules(owner, {urls({"get"}, {"/apis/apps/v1", "/healthz"})}).empty());

        // Not held: another verb, every secret when only one is held, a URL outside the prefix.
        QCOMPARE(described(auth::uncoveredRules(owner, {rule({"get", "delete"}, {""}, {"pods"})})),
                 std::vector<std::string>{
                     "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}"});
        QCOMPARE(auth::uncoveredRules(owner, {rule({"get"}, {""}, {"secrets"})}).size(),
                 std::size_t{1});
        QCOMPARE(auth::uncoveredRules(owner, {urls({"get"}, {"/api"})}).size(), std::size_t{1});
        // A wildcard in the servant is only covered by a wildcard.
        QCOMPARE(auth::uncoveredRules(owner, {rule({"get"}, {""}, {"*"})}).size(), std::size_t{1});
        QVERIFY(auth::uncoveredRules(auth::fullAuthority(),
                                     {rule({"*"}, {"*"}, {"*"}), urls({"*"}, {"*"})})
                    .empty());
    }

    void missingRulesAreCompactedByResource() {
        const auto missing = auth::uncoveredRules(
            {}, {rule({"get", "list"}, {""}, {"pods"}), rule({"create"}, {"apps"}, {"deployments"}),
                 rule({"get", "update"}, {""}, {"secrets"}, {"a"}), urls({"get"}, {"/metrics"})});
        QCOMPARE(missing.size(), std::size_t{6});
        QCOMPARE(described(auth::compactRules(missing)),
                 (std::vector<std::string>{
                     "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\" \"list\"]}",
                     "{APIGroups:[\"\"], Resources:[\"secrets\"], ResourceNames:[\"a\"], "
                     "Verbs:[\"get\" \"update\"]}",
                     "{APIGroups:[\"apps\"], Resources:[\"deployments\"], Verbs:[\"create\"]}",
                     "{NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}"}));
    }

    void compactStringQuotesAsGo() {
        QCOMPARE(auth::compactString(rule({"get"}, {"x\"y"}, {"a\\b"})),
                 std::string("{APIGroups:[\"x\\\"y\"], Resources:[\"a\\\\b\"], Verbs:[\"get\"]}"));
        QCOMPARE(auth::compactString(PolicyRule{}), std::string("{}"));
    }
};

QTEST_GUILESS_MAIN(TstRuleCoverage)
#include "tst_rule_coverage.moc"
