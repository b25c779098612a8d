// SPDX-License-Identifier: Apache-2.0
// After kube's component-helpers/auth/rbac/validation (policy_comparator.go) and
// pkg/registry/rbac/validation (policy_compact.go): the same algorithm, our types.
#include "engine/auth/rule_coverage.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "engine/core/go_format.h"

namespace slipway::auth {
namespace {

bool has(const std::vector<std::string>& values, const std::string& wanted) {
    return std::find(values.begin(), values.end(), wanted) != values.end();
}

/// Every value of `wanted` is in `values` (a broken-down rule has at most one).
bool hasAll(const std::vector<std::string>& values, const std::vector<std::string>& wanted) {
    return std::all_of(wanted.begin(), wanted.end(),
                       [&values](const std::string& value) { return has(values, value); });
}

bool nonResourceUrlCovers(const std::string& owner, const std::string& path) {
    if (owner == path) {
        return true;
    }
    if (owner.empty() || owner.back() != '*') {
        return false;
    }
    // Go's strings.TrimRight(owner, "*"): every trailing star goes.
    const auto prefixLength = owner.find_last_not_of('*') + 1;
    return path.compare(0, prefixLength, owner, 0, prefixLength) == 0;
}

bool ruleCovers(const PolicyRule& owner, const PolicyRule& subrule) {
    const bool verbs = has(owner.verbs, "*") || hasAll(owner.verbs, subrule.verbs);
    const bool groups = has(owner.apiGroups, "*") || hasAll(owner.apiGroups, subrule.apiGroups);
    const bool resources = has(owner.resources, "*") || hasAll(owner.resources, subrule.resources);
    const bool urls = std::all_of(
        subrule.nonResourceURLs.begin(), subrule.nonResourceURLs.end(),
        [&owner](const std::string& path) {
            return std::any_of(
                owner.nonResourceURLs.begin(), owner.nonResourceURLs.end(),
                [&path](const std::string& url) { return nonResourceUrlCovers(url, path); });
        });
    // A rule for every name of a resource is covered only by one for every name.
    const bool names =
        owner.resourceNames.empty() ||
        (!subrule.resourceNames.empty() && hasAll(owner.resourceNames, subrule.resourceNames));
    return verbs && groups && resources && urls && names;
}

using core::goQuote;

/// Go's %q of a []string: ["a" "b"].
std::string goQuote(const std::vector<std::string>& values) {
    std::string quoted = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        quoted += (i > 0 ? " " : "") + goQuote(values[i]);
    }
    return quoted + "]";
}

}  // namespace

std::vector<PolicyRule> breakdownRule(const PolicyRule& rule) {
    std::vector<PolicyRule> subrules;
    for (const auto& group : rule.apiGroups) {
        for (const auto& resource : rule.resources) {
            for (const auto& verb : rule.verbs) {
                if (rule.resourceNames.empty()) {
                    subrules.push_back({{verb}, {group}, {resource}, {}, {}});
                    continue;
                }
                for (const auto& name : rule.resourceNames) {
                    subrules.push_back({{verb}, {group}, {resource}, {name}, {}});
                }
            }
        }
    }
    for (const auto& url : rule.nonResourceURLs) {
        for (const auto& verb : rule.verbs) {
            subrules.push_back({{verb}, {}, {}, {}, {url}});
        }
    }
    return subrules;
}

std::vector<PolicyRule> uncoveredRules(const std::vector<PolicyRule>& owner,
                                       const std::vector<PolicyRule>& servant) {
    // Broken down to single tuples, each one is covered by one owner rule or by none.
    std::vector<PolicyRule> uncovered;
    for (const auto& rule : servant) {
        for (auto& subrule : breakdownRule(rule)) {
            const bool covered = std::any_of(
                owner.begin(), owner.end(),
                [&subrule](const PolicyRule& ownerRule) { return ruleCovers(ownerRule, subrule); });
            if (!covered) {
                uncovered.push_back(std::move(subrule));
            }
        }
    }
    return uncovered;
}

std::vector<PolicyRule> compactRules(const std::vector<PolicyRule>& rules) {
    std::vector<PolicyRule> compacted;
    // group, resource, whether a name is given, the name → the merged rule.
    std::map<std::tuple<std::string, std::string, bool, std::string>, PolicyRule> simple;
    for (const auto& rule : rules) {
        const bool isSimple = rule.apiGroups.size() == 1 && rule.resources.size() == 1 &&
                              rule.resourceNames.size() <= 1 && rule.nonResourceURLs.empty();
        if (!isSimple) {
            compacted.push_back(rule);
            continue;
        }
        const bool named = !rule.resourceNames.empty();
        const auto key = std::make_tuple(rule.apiGroups.front(), rule.resources.front(), named,
                                         named ? rule.resourceNames.front() : std::string());
        const auto [it, inserted] = simple.try_emplace(key, rule);
        if (!inserted) {
            it->second.verbs.insert(it->second.verbs.end(), rule.verbs.begin(), rule.verbs.end());
        }
    }
    for (auto& [key, rule] : simple) {
        compacted.push_back(std::move(rule));
    }
    return compacted;
}

std::string compactString(const PolicyRule& rule) {
    std::vector<std::string> parts;
    if (!rule.apiGroups.empty()) {
        parts.push_back("APIGroups:" + goQuote(rule.apiGroups));
    }
    if (!rule.resources.empty()) {
        parts.push_back("Resources:" + goQuote(rule.resources));
    }
    if (!rule.nonResourceURLs.empty()) {
        parts.push_back("NonResourceURLs:" + goQuote(rule.nonResourceURLs));
    }
    if (!rule.resourceNames.empty()) {
        parts.push_back("ResourceNames:" + goQuote(rule.resourceNames));
    }
    if (!rule.verbs.empty()) {
        parts.push_back("Verbs:" + goQuote(rule.verbs));
    }
    std::string text = "{";
    for (std::size_t i = 0; i < parts.size(); ++i) {
        text += (i > 0 ? ", " : "") + parts[i];
    }
    return text + "}";
}

std::vector<PolicyRule> fullAuthority() {
    return {{{"*"}, {"*"}, {"*"}, {}, {}}, {{"*"}, {}, {}, {}, {"*"}}};
}

}  // namespace slipway::auth
