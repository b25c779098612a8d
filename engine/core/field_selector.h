// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/result.h"

namespace slipway::core {

/// One term of a field selector: `field=value` or `field!=value`.
struct FieldRequirement {
    enum class Operator {
        Equals,     ///< `=` and `==` (Kubernetes does not tell them apart)
        NotEquals,  ///< `!=`
    };

    std::string field;
    Operator op = Operator::Equals;
    std::string value;  ///< unescaped

    friend bool operator==(const FieldRequirement&, const FieldRequirement&) = default;
};

/// The value of a dotted field path in an object, as a field selector compares it:
/// strings as they are, booleans "true"/"false", integers in decimal; a missing field, null,
/// an object or a list give the empty string.
std::string fieldValue(const nlohmann::json& object, std::string_view dottedPath);

/// A Kubernetes field selector (`?fieldSelector=metadata.name=web,status.phase!=Running`):
/// an AND of equality terms on dotted field paths.
class FieldSelector {
public:
    /// Looks a field up for matches(): returns its value as a selector compares it.
    using FieldLookup = std::function<std::string(std::string_view field)>;

    /// The selector that matches everything (what an empty string parses to).
    FieldSelector() = default;

    /// Parses the Kubernetes syntax: terms separated by ',', each `field=value`, `field==value`
    /// or `field!=value`. In values, `\,`, `\=` and `\\` stand for ',', '=' and '\'. Nothing is
    /// trimmed. Terms are kept sorted, as Kubernetes does. Failures are ErrorCode::BadRequest
    /// with apimachinery's words (`invalid selector: 'x'; can't understand 'x'`).
    static Result<FieldSelector> parse(std::string_view selector);

    /// True when the selector does not restrict anything.
    bool empty() const { return m_requirements.empty(); }

    const std::vector<FieldRequirement>& requirements() const { return m_requirements; }

    /// The value a `field=value` (or `==`) term requires, if there is one: lets a list of
    /// `metadata.name=web` become a single lookup.
    std::optional<std::string> requiresExactMatch(std::string_view field) const;

    /// Fails with ErrorCode::BadRequest `field label not supported: <field>` for the first term
    /// whose field `isSupported` rejects: kube-apiserver supports a fixed set per kind
    /// (metadata.name and metadata.namespace everywhere, spec.nodeName for pods, ...).
    Result<void> checkSupported(
        const std::function<bool(std::string_view field)>& isSupported) const;

    /// True when every term holds for `object`, reading fields with fieldValue().
    bool matches(const nlohmann::json& object) const;
    /// The same with the caller's own field lookup, for fields whose value Kubernetes defaults
    /// (a node's `spec.unschedulable` is "false" when absent).
    bool matches(const FieldLookup& lookup) const;

    /// The canonical string, values escaped: "metadata.name=web,status.phase!=Running".
    std::string toString() const;

    friend bool operator==(const FieldSelector&, const FieldSelector&) = default;

private:
    std::vector<FieldRequirement> m_requirements;
};

}  // namespace slipway::core
