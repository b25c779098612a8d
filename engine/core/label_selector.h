// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/result.h"

namespace slipway::core {

/// Labels of one object (`metadata.labels`).
using Labels = std::map<std::string, std::string>;

/// Why `value` is not a Kubernetes qualified name (a label key, an annotation key): an optional
/// DNS-subdomain prefix and '/', then a name of at most 63 characters of [A-Za-z0-9._-] that
/// starts and ends alphanumeric. Empty when valid; otherwise apimachinery's exact sentences
/// (IsQualifiedName), so messages match what kube-apiserver says.
std::vector<std::string> qualifiedNameErrors(std::string_view value);

/// Why `value` is not a valid label value (at most 63 characters, may be empty). Empty when
/// valid; otherwise apimachinery's sentences (IsValidLabelValue).
std::vector<std::string> labelValueErrors(std::string_view value);

/// One requirement of a label selector: a key, an operator and (for most operators) values.
/// Always valid once constructed: create() applies Kubernetes' NewRequirement rules.
class LabelRequirement {
public:
    enum class Operator {
        Equals,        ///< `key=value`
        DoubleEquals,  ///< `key==value` (kept apart so toString() gives back what was parsed)
        NotEquals,     ///< `key!=value`; also matches objects without the key
        In,            ///< `key in (a,b)`
        NotIn,         ///< `key notin (a,b)`; also matches objects without the key
        Exists,        ///< `key`
        DoesNotExist,  ///< `!key`
        GreaterThan,   ///< `key>5` (integers; only in the string syntax)
        LessThan,      ///< `key<5`
    };

    /// Validates like Kubernetes' labels.NewRequirement: the key is a qualified name; In/NotIn
    /// need at least one value, the equality operators exactly one, Exists/DoesNotExist none,
    /// Gt/Lt one integer; every value is a valid label value. Fails with ErrorCode::Invalid and
    /// apimachinery's field-error wording (`values: Invalid value: ...`).
    static Result<LabelRequirement> create(std::string key, Operator op,
                                           std::vector<std::string> values);

    const std::string& key() const { return m_key; }
    Operator op() const { return m_op; }
    /// The values as given (the string parser hands them over sorted and without duplicates).
    const std::vector<std::string>& values() const { return m_values; }

    bool matches(const Labels& labels) const;
    /// Kubernetes' canonical spelling: `a=b`, `a!=b`, `a in (x,y)` (values sorted), `!a`.
    std::string toString() const;

    friend bool operator==(const LabelRequirement&, const LabelRequirement&) = default;

private:
    LabelRequirement(std::string key, Operator op, std::vector<std::string> values)
        : m_key(std::move(key)), m_op(op), m_values(std::move(values)) {}

    template <typename Lookup>
    bool matchesLookup(const Lookup& lookup) const;

    friend class LabelSelector;

    std::string m_key;
    Operator m_op;
    std::vector<std::string> m_values;
};

/// A Kubernetes label selector: an AND of requirements. Built from the string syntax of
/// `?labelSelector=` (parse) or from a metav1.LabelSelector object (fromJson); matches the
/// labels of an object and prints itself as Kubernetes does (Scale.status.selector "app=d1").
class LabelSelector {
public:
    /// The selector that matches everything (what an empty string parses to).
    LabelSelector() = default;

    /// Matches every object.
    static LabelSelector everything() { return {}; }
    /// Matches no object: what Kubernetes makes of a null metav1.LabelSelector.
    static LabelSelector nothing();

    /// Parses the string syntax: `a=b`, `a==b`, `a!=b`, `env in (prod,qa)`, `tier notin (web)`,
    /// `partition`, `!partition`, `n>3`, joined by ',' (AND), whitespace tolerant. Requirements
    /// are sorted by key, as kube-apiserver does. Failures are ErrorCode::BadRequest worded like
    /// kube-apiserver's (`unable to parse requirement: found 'b', expected: in, notin, =, ==,
    /// !=, gt, lt`).
    static Result<LabelSelector> parse(std::string_view selector);

    /// Builds from a metav1.LabelSelector: `{"matchLabels":{...},"matchExpressions":[{"key":..,
    /// "operator":"In|NotIn|Exists|DoesNotExist","values":[...]}]}`. `null` gives nothing(),
    /// `{}` everything(). Failures are ErrorCode::Invalid (an operator Kubernetes does not know,
    /// In/NotIn without values, Exists/DoesNotExist with values, bad keys or values).
    static Result<LabelSelector> fromJson(const nlohmann::json& labelSelector);

    /// A selector requiring every label of `set` (what a Service's or RC's `selector` map means).
    /// Not validated: the object holding the map has been validated already.
    static LabelSelector fromSet(const Labels& set);

    /// True when every requirement holds for `labels`.
    bool matches(const Labels& labels) const;
    /// The same for a flat JSON object such as `metadata.labels`; null or absent means no labels.
    bool matches(const nlohmann::json& labels) const;

    /// True for the selector that does not restrict anything (not for nothing()).
    bool empty() const { return !m_nothing && m_requirements.empty(); }
    /// True for nothing().
    bool matchesNothing() const { return m_nothing; }

    const std::vector<LabelRequirement>& requirements() const { return m_requirements; }

    /// Kubernetes' canonical string: requirements joined by ',' ("app=d1,tier in (db,web)").
    /// Empty for everything() and nothing().
    std::string toString() const;

    friend bool operator==(const LabelSelector&, const LabelSelector&) = default;

private:
    void sortRequirements();

    std::vector<LabelRequirement> m_requirements;
    bool m_nothing = false;
};

}  // namespace slipway::core
