// SPDX-License-Identifier: Apache-2.0
#include "engine/core/field_selector.h"

#include <algorithm>

namespace slipway::core {

namespace {

// Splits on commas that are not escaped; the escapes stay for unescapeValue().
std::vector<std::string_view> splitTerms(std::string_view selector) {
    std::vector<std::string_view> terms;
    if (selector.empty()) {
        return terms;
    }
    std::size_t start = 0;
    bool escaped = false;
    for (std::size_t i = 0; i < selector.size(); ++i) {
        if (escaped) {
            escaped = false;
        } else if (selector[i] == '\\') {
            escaped = true;
        } else if (selector[i] == ',') {
            terms.push_back(selector.substr(start, i - start));
            start = i + 1;
        }
    }
    terms.push_back(selector.substr(start));
    return terms;
}

struct SplitTerm {
    std::string_view field;
    FieldRequirement::Operator op;
    std::string_view value;
};

// The first operator from the left wins; at one position "!=" and "==" are tried before "=".
std::optional<SplitTerm> splitTerm(std::string_view term) {
    for (std::size_t i = 0; i < term.size(); ++i) {
        const std::string_view rest = term.substr(i);
        if (rest.starts_with("!=")) {
            return SplitTerm{term.substr(0, i), FieldRequirement::Operator::NotEquals,
                             rest.substr(2)};
        }
        if (rest.starts_with("==")) {
            return SplitTerm{term.substr(0, i), FieldRequirement::Operator::Equals, rest.substr(2)};
        }
        if (rest.starts_with("=")) {
            return SplitTerm{term.substr(0, i), FieldRequirement::Operator::Equals, rest.substr(1)};
        }
    }
    return std::nullopt;
}

Result<std::string> unescapeValue(std::string_view value) {
    if (value.find_first_of("\\,=") == std::string_view::npos) {
        return std::string(value);
    }
    std::string out;
    out.reserve(value.size());
    bool escaped = false;
    for (const char c : value) {
        if (escaped) {
            if (c != '\\' && c != ',' && c != '=') {
                return Error(
                    ErrorCode::BadRequest,
                    std::string("invalid field selector: invalid escape sequence: \\") + c);
            }
            out += c;
            escaped = false;
            continue;
        }
        if (c == '\\') {
            escaped = true;
        } else if (c == ',' || c == '=') {
            // apimachinery prints the rune's code point here ("... in value: 61" for '=').
            return Error(ErrorCode::BadRequest,
                         "invalid field selector: unescaped character in value: " +
                             std::to_string(static_cast<int>(c)));
        } else {
            out += c;
        }
    }
    if (escaped) {
        return Error(ErrorCode::BadRequest, "invalid field selector: invalid escape sequence: \\");
    }
    return out;
}

std::string escapeValue(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\' || c == ',' || c == '=') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

}  // namespace

std::string fieldValue(const nlohmann::json& object, std::string_view dottedPath) {
    const nlohmann::json* current = &object;
    std::size_t start = 0;
    while (true) {
        if (!current->is_object()) {
            return {};
        }
        const std::size_t dot = dottedPath.find('.', start);
        const std::string_view name = dottedPath.substr(
            start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        const auto it = current->find(name);
        if (it == current->end()) {
            return {};
        }
        current = &*it;
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    switch (current->type()) {
        case nlohmann::json::value_t::string:
            return current->get<std::string>();
        case nlohmann::json::value_t::boolean:
            return current->get<bool>() ? "true" : "false";
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
        case nlohmann::json::value_t::number_float:
            return current->dump();
        default:
            return {};
    }
}

Result<FieldSelector> FieldSelector::parse(std::string_view selector) {
    std::vector<std::string_view> terms = splitTerms(selector);
    // Kubernetes sorts the raw terms before reading them; the order is part of toString().
    std::sort(terms.begin(), terms.end());
    FieldSelector result;
    for (const auto term : terms) {
        if (term.empty()) {
            continue;
        }
        const auto split = splitTerm(term);
        if (!split) {
            return Error(ErrorCode::BadRequest, "invalid selector: '" + std::string(selector) +
                                                    "'; can't understand '" + std::string(term) +
                                                    "'");
        }
        auto value = unescapeValue(split->value);
        if (!value) {
            return value.error();
        }
        result.m_requirements.push_back(
            {std::string(split->field), split->op, std::move(value).value()});
    }
    return result;
}

std::optional<std::string> FieldSelector::requiresExactMatch(std::string_view field) const {
    for (const auto& requirement : m_requirements) {
        if (requirement.field == field && requirement.op == FieldRequirement::Operator::Equals) {
            return requirement.value;
        }
    }
    return std::nullopt;
}

Result<void> FieldSelector::checkSupported(
    const std::function<bool(std::string_view field)>& isSupported) const {
    for (const auto& requirement : m_requirements) {
        if (!isSupported(requirement.field)) {
            return Error(ErrorCode::BadRequest, "field label not supported: " + requirement.field);
        }
    }
    return success();
}

bool FieldSelector::matches(const nlohmann::json& object) const {
    return matches([&](std::string_view field) { return fieldValue(object, field); });
}

bool FieldSelector::matches(const FieldLookup& lookup) const {
    return std::all_of(
        m_requirements.begin(), m_requirements.end(), [&](const FieldRequirement& requirement) {
            const bool equal = lookup(requirement.field) == requirement.value;
            return requirement.op == FieldRequirement::Operator::Equals ? equal : !equal;
        });
}

std::string FieldSelector::toString() const {
    std::string out;
    for (std::size_t i = 0; i < m_requirements.size(); ++i) {
        if (i > 0) {
            out += ',';
        }
        const auto& requirement = m_requirements[i];
        out += requirement.field;
        out += requirement.op == FieldRequirement::Operator::Equals ? "=" : "!=";
        out += escapeValue(requirement.value);
    }
    return out;
}

}  // namespace slipway::core
