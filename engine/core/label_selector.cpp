// SPDX-License-Identifier: Apache-2.0
#include "engine/core/label_selector.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <set>

#include "engine/core/go_format.h"

namespace slipway::core {

namespace {

constexpr std::size_t kQualifiedNameMaxLength = 63;
constexpr std::size_t kLabelValueMaxLength = 63;
constexpr std::size_t kDns1123SubdomainMaxLength = 253;

constexpr std::string_view kQualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
constexpr std::string_view kQualifiedNameErrMsg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character";
constexpr std::string_view kLabelValueFmt = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
constexpr std::string_view kLabelValueErrMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character";
constexpr std::string_view kDns1123SubdomainFmt =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
constexpr std::string_view kDns1123SubdomainErrMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character";

bool isAsciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool isLowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9], written out: the regexp is tiny and std::regex is
// slow and locale-dependent.
bool matchesQualifiedName(std::string_view s) {
    if (s.empty() || !isAsciiAlnum(s.front()) || !isAsciiAlnum(s.back())) {
        return false;
    }
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return isAsciiAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

// [a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*
bool matchesDns1123Subdomain(std::string_view s) {
    if (s.empty()) {
        return false;
    }
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = s.find('.', start);
        const std::string_view label =
            s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || !isLowerAlnum(label.front()) || !isLowerAlnum(label.back())) {
            return false;
        }
        if (!std::all_of(label.begin(), label.end(),
                         [](char c) { return isLowerAlnum(c) || c == '-'; })) {
            return false;
        }
        if (dot == std::string_view::npos) {
            return true;
        }
        start = dot + 1;
    }
}

// apimachinery's RegexError, including its double space before "or".
std::string regexError(std::string_view msg, std::string_view fmt,
                       std::initializer_list<std::string_view> examples) {
    std::string out(msg);
    out += " (e.g. ";
    bool first = true;
    for (const auto example : examples) {
        if (!first) {
            out += " or ";
        }
        first = false;
        out.append("'").append(example).append("', ");
    }
    out.append("regex used for validation is '").append(fmt).append("')");
    return out;
}

std::string maxLenError(std::size_t length) {
    return "must be no more than " + std::to_string(length) + " characters";
}

std::vector<std::string> dns1123SubdomainErrors(std::string_view value) {
    std::vector<std::string> errors;
    if (value.size() > kDns1123SubdomainMaxLength) {
        errors.push_back(maxLenError(kDns1123SubdomainMaxLength));
    }
    if (!matchesDns1123Subdomain(value)) {
        errors.push_back(
            regexError(kDns1123SubdomainErrMsg, kDns1123SubdomainFmt, {"example.com"}));
    }
    return errors;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) {
            out += separator;
        }
        out += parts[i];
    }
    return out;
}

// Go's %#v of a []string, as field.Invalid prints a values list.
std::string goStringSlice(const std::vector<std::string>& values) {
    std::string out = "[]string{";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) {
            out += ", ";
        }
        out += goQuote(values[i]);
    }
    out += "}";
    return out;
}

std::string invalidValue(std::string_view path, std::string_view renderedValue,
                         std::string_view detail) {
    std::string out(path);
    out.append(": Invalid value: ").append(renderedValue);
    if (!detail.empty()) {
        out.append(": ").append(detail);
    }
    return out;
}

// utilerrors.Aggregate's Error(): one message as is, several (deduplicated) in brackets.
std::string aggregate(const std::vector<std::string>& messages) {
    std::vector<std::string> unique;
    for (const auto& message : messages) {
        if (std::find(unique.begin(), unique.end(), message) == unique.end()) {
            unique.push_back(message);
        }
    }
    if (unique.size() == 1) {
        return unique.front();
    }
    return "[" + join(unique, ", ") + "]";
}

std::optional<std::int64_t> parseInt64(std::string_view s) {
    // strconv.ParseInt accepts an explicit '+', from_chars does not.
    if (!s.empty() && s.front() == '+') {
        s.remove_prefix(1);
        if (!s.empty() && s.front() == '-') {
            return std::nullopt;
        }
    }
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
        return std::nullopt;
    }
    return value;
}

// ---- The string syntax: a lexer and a recursive-descent parser shaped like apimachinery's ----

enum class Token {
    EndOfString,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
};

struct ScannedItem {
    Token token;
    std::string literal;
};

bool isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool isSpecialSymbol(char c) {
    switch (c) {
        case '=':
        case '!':
        case '(':
        case ')':
        case ',':
        case '>':
        case '<':
            return true;
        default:
            return false;
    }
}

std::optional<Token> symbolToken(std::string_view s) {
    if (s == ")") {
        return Token::ClosedPar;
    }
    if (s == ",") {
        return Token::Comma;
    }
    if (s == "!") {
        return Token::DoesNotExist;
    }
    if (s == "==") {
        return Token::DoubleEquals;
    }
    if (s == "=") {
        return Token::Equals;
    }
    if (s == ">") {
        return Token::GreaterThan;
    }
    if (s == "<") {
        return Token::LessThan;
    }
    if (s == "!=") {
        return Token::NotEquals;
    }
    if (s == "(") {
        return Token::OpenPar;
    }
    return std::nullopt;
}

std::vector<ScannedItem> scan(std::string_view input) {
    std::vector<ScannedItem> items;
    std::size_t pos = 0;
    while (true) {
        while (pos < input.size() && isWhitespace(input[pos])) {
            ++pos;
        }
        if (pos >= input.size()) {
            items.push_back({Token::EndOfString, ""});
            return items;
        }
        if (isSpecialSymbol(input[pos])) {
            // Longest run of symbols that still forms a token ("!=" rather than "!" then "=").
            // Every single symbol is a token, so this always produces one.
            std::size_t length = 1;
            while (pos + length < input.size() && isSpecialSymbol(input[pos + length]) &&
                   symbolToken(input.substr(pos, length + 1))) {
                ++length;
            }
            const std::string_view symbol = input.substr(pos, length);
            items.push_back({*symbolToken(symbol), std::string(symbol)});
            pos += length;
            continue;
        }
        const std::size_t start = pos;
        while (pos < input.size() && !isSpecialSymbol(input[pos]) && !isWhitespace(input[pos])) {
            ++pos;
        }
        std::string word(input.substr(start, pos - start));
        Token token = Token::Identifier;
        if (word == "in") {
            token = Token::In;
        } else if (word == "notin") {
            token = Token::NotIn;
        }
        items.push_back({token, std::move(word)});
    }
}

// Where 'in' and 'notin' are read: as operators after a key, as plain words everywhere else
// ("x in (in)" selects the value "in").
enum class Context { KeyAndOperator, Values };

class SelectorParser {
public:
    explicit SelectorParser(std::string_view input) : m_items(scan(input)) {}

    Result<std::vector<LabelRequirement>> parse() {
        std::vector<LabelRequirement> requirements;
        while (true) {
            const auto& [token, literal] = lookahead(Context::Values);
            switch (token) {
                case Token::Identifier:
                case Token::DoesNotExist: {
                    auto requirement = parseRequirement();
                    if (!requirement) {
                        return Error(ErrorCode::BadRequest, "unable to parse requirement: " +
                                                                requirement.error().message());
                    }
                    requirements.push_back(std::move(requirement).value());
                    const auto [next, nextLiteral] = consume(Context::Values);
                    if (next == Token::EndOfString) {
                        return requirements;
                    }
                    if (next != Token::Comma) {
                        return Error(
                            ErrorCode::BadRequest,
                            "found '" + nextLiteral + "', expected: ',' or 'end of string'");
                    }
                    const auto [after, afterLiteral] = lookahead(Context::Values);
                    if (after != Token::Identifier && after != Token::DoesNotExist) {
                        return Error(
                            ErrorCode::BadRequest,
                            "found '" + afterLiteral + "', expected: identifier after ','");
                    }
                    break;
                }
                case Token::EndOfString:
                    return requirements;
                default:
                    return Error(
                        ErrorCode::BadRequest,
                        "found '" + literal + "', expected: !, identifier, or 'end of string'");
            }
        }
    }

private:
    using Operator = LabelRequirement::Operator;

    static ScannedItem inContext(ScannedItem item, Context context) {
        if (context == Context::Values && (item.token == Token::In || item.token == Token::NotIn)) {
            item.token = Token::Identifier;
        }
        return item;
    }

    ScannedItem lookahead(Context context) const { return inContext(m_items[m_position], context); }

    ScannedItem consume(Context context) {
        // The lexer always ends with EndOfString; never walk past it.
        const std::size_t index = m_position;
        if (m_position + 1 < m_items.size()) {
            ++m_position;
        }
        return inContext(m_items[index], context);
    }

    // Errors from here are wrapped by parse() into "unable to parse requirement: ...".
    Result<LabelRequirement> parseRequirement() {
        auto item = consume(Context::Values);
        const bool negated = item.token == Token::DoesNotExist;
        if (negated) {
            item = consume(Context::Values);
        }
        if (item.token != Token::Identifier) {
            return Error(ErrorCode::BadRequest,
                         "found '" + item.literal + "', expected: identifier");
        }
        if (const auto errors = qualifiedNameErrors(item.literal); !errors.empty()) {
            // The parser validates keys with a nil field path, hence "<nil>".
            return Error(ErrorCode::BadRequest,
                         invalidValue("<nil>", goQuote(item.literal), join(errors, "; ")));
        }
        std::string key = std::move(item.literal);
        const Token next = lookahead(Context::Values).token;
        if (negated || next == Token::EndOfString || next == Token::Comma) {
            // "!key" takes no operator; whatever follows it is the caller's problem
            // ("found '=', expected: ',' or 'end of string'"), as in Kubernetes.
            return LabelRequirement::create(
                std::move(key), negated ? Operator::DoesNotExist : Operator::Exists, {});
        }

        std::optional<Operator> op;
        const auto [opToken, opLiteral] = consume(Context::KeyAndOperator);
        switch (opToken) {
            case Token::In:
                op = Operator::In;
                break;
            case Token::NotIn:
                op = Operator::NotIn;
                break;
            case Token::Equals:
                op = Operator::Equals;
                break;
            case Token::DoubleEquals:
                op = Operator::DoubleEquals;
                break;
            case Token::NotEquals:
                op = Operator::NotEquals;
                break;
            case Token::GreaterThan:
                op = Operator::GreaterThan;
                break;
            case Token::LessThan:
                op = Operator::LessThan;
                break;
            default:
                return Error(ErrorCode::BadRequest,
                             "found '" + opLiteral + "', expected: in, notin, =, ==, !=, gt, lt");
        }

        std::set<std::string> values;
        if (*op == Operator::In || *op == Operator::NotIn) {
            auto parsed = parseValues();
            if (!parsed) {
                return parsed.error();
            }
            values = std::move(parsed).value();
        } else {
            auto parsed = parseExactValue();
            if (!parsed) {
                return parsed.error();
            }
            values.insert(std::move(parsed).value());
        }
        // Kubernetes hands NewRequirement a sorted, de-duplicated list.
        return LabelRequirement::create(std::move(key), *op,
                                        std::vector<std::string>(values.begin(), values.end()));
    }

    Result<std::set<std::string>> parseValues() {
        const auto [open, openLiteral] = consume(Context::Values);
        if (open != Token::OpenPar) {
            return Error(ErrorCode::BadRequest, "found '" + openLiteral + "' expected: '('");
        }
        const auto [first, firstLiteral] = lookahead(Context::Values);
        switch (first) {
            case Token::Identifier:
            case Token::Comma: {
                auto values = parseIdentifiersList();
                if (!values) {
                    return values;
                }
                if (consume(Context::Values).token != Token::ClosedPar) {
                    // apimachinery reports the first token inside the parentheses here.
                    return Error(ErrorCode::BadRequest,
                                 "found '" + firstLiteral + "', expected: ')'");
                }
                return values;
            }
            case Token::ClosedPar:
                consume(Context::Values);
                return std::set<std::string>{""};  // "()" selects the empty value
            default:
                return Error(ErrorCode::BadRequest,
                             "found '" + firstLiteral + "', expected: ',', ')' or identifier");
        }
    }

    // A comma-separated list of possibly empty values: "(a,,b)" holds "a", "" and "b".
    Result<std::set<std::string>> parseIdentifiersList() {
        std::set<std::string> values;
        while (true) {
            const auto [token, literal] = consume(Context::Values);
            switch (token) {
                case Token::Identifier: {
                    values.insert(literal);
                    const auto [next, nextLiteral] = lookahead(Context::Values);
                    if (next == Token::Comma) {
                        continue;
                    }
                    if (next == Token::ClosedPar) {
                        return values;
                    }
                    return Error(ErrorCode::BadRequest,
                                 "found '" + nextLiteral + "', expected: ',' or ')'");
                }
                case Token::Comma: {
                    if (values.empty()) {
                        values.insert("");  // "(,"
                    }
                    const Token next = lookahead(Context::Values).token;
                    if (next == Token::ClosedPar || next == Token::Comma) {
                        values.insert("");  // ",)" and ",,"
                    }
                    if (next == Token::ClosedPar) {
                        return values;
                    }
                    break;
                }
                default:
                    return Error(ErrorCode::BadRequest,
                                 "found '" + literal + "', expected: ',', or identifier");
            }
        }
    }

    Result<std::string> parseExactValue() {
        const Token next = lookahead(Context::Values).token;
        if (next == Token::EndOfString || next == Token::Comma) {
            return std::string();  // "a=" selects the empty value
        }
        auto [token, literal] = consume(Context::Values);
        if (token == Token::Identifier) {
            return std::move(literal);
        }
        return Error(ErrorCode::BadRequest, "found '" + literal + "', expected: identifier");
    }

    std::vector<ScannedItem> m_items;
    std::size_t m_position = 0;
};

}  // namespace

std::vector<std::string> qualifiedNameErrors(std::string_view value) {
    std::vector<std::string> errors;
    std::string_view name = value;
    const std::size_t slash = value.find('/');
    if (slash != std::string_view::npos) {
        if (value.find('/', slash + 1) != std::string_view::npos) {
            return {"a qualified name " +
                    regexError(kQualifiedNameErrMsg, kQualifiedNameFmt,
                               {"MyName", "my.name", "123-abc"}) +
                    " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"};
        }
        const std::string_view prefix = value.substr(0, slash);
        name = value.substr(slash + 1);
        if (prefix.empty()) {
            errors.emplace_back("prefix part must be non-empty");
        } else {
            for (auto& message : dns1123SubdomainErrors(prefix)) {
                errors.push_back("prefix part " + message);
            }
        }
    }
    if (name.empty()) {
        errors.emplace_back("name part must be non-empty");
    } else if (name.size() > kQualifiedNameMaxLength) {
        errors.push_back("name part " + maxLenError(kQualifiedNameMaxLength));
    }
    if (!matchesQualifiedName(name)) {
        errors.push_back("name part " + regexError(kQualifiedNameErrMsg, kQualifiedNameFmt,
                                                   {"MyName", "my.name", "123-abc"}));
    }
    return errors;
}

std::vector<std::string> labelValueErrors(std::string_view value) {
    std::vector<std::string> errors;
    if (value.size() > kLabelValueMaxLength) {
        errors.push_back(maxLenError(kLabelValueMaxLength));
    }
    if (!value.empty() && !matchesQualifiedName(value)) {
        errors.push_back(
            regexError(kLabelValueErrMsg, kLabelValueFmt, {"MyValue", "my_value", "12345"}));
    }
    return errors;
}

Result<LabelRequirement> LabelRequirement::create(std::string key, Operator op,
                                                  std::vector<std::string> values) {
    // Field paths as NewRequirement builds them from a nil root path: "key", "values",
    // "values[0]", "values[0][<key>]".
    std::vector<std::string> errors;
    if (const auto keyErrors = qualifiedNameErrors(key); !keyErrors.empty()) {
        errors.push_back(invalidValue("key", goQuote(key), join(keyErrors, "; ")));
    }
    switch (op) {
        case Operator::In:
        case Operator::NotIn:
            if (values.empty()) {
                errors.push_back(invalidValue("values", goStringSlice(values),
                                              "for 'in', 'notin' operators, values set can't "
                                              "be empty"));
            }
            break;
        case Operator::Equals:
        case Operator::DoubleEquals:
        case Operator::NotEquals:
            if (values.size() != 1) {
                errors.push_back(invalidValue("values", goStringSlice(values),
                                              "exact-match compatibility requires one single "
                                              "value"));
            }
            break;
        case Operator::Exists:
        case Operator::DoesNotExist:
            if (!values.empty()) {
                errors.push_back(invalidValue("values", goStringSlice(values),
                                              "values set must be empty for exists and does "
                                              "not exist"));
            }
            break;
        case Operator::GreaterThan:
        case Operator::LessThan:
            if (values.size() != 1) {
                errors.push_back(invalidValue("values", goStringSlice(values),
                                              "for 'Gt', 'Lt' operators, exactly one value is "
                                              "required"));
            }
            for (std::size_t i = 0; i < values.size(); ++i) {
                if (!parseInt64(values[i])) {
                    errors.push_back(invalidValue("values[" + std::to_string(i) + "]",
                                                  goQuote(values[i]),
                                                  "for 'Gt', 'Lt' operators, the value must be "
                                                  "an integer"));
                }
            }
            break;
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (const auto valueErrors = labelValueErrors(values[i]); !valueErrors.empty()) {
            errors.push_back(invalidValue("values[" + std::to_string(i) + "][" + key + "]",
                                          goQuote(values[i]), join(valueErrors, "; ")));
        }
    }
    if (!errors.empty()) {
        return Error(ErrorCode::Invalid, aggregate(errors));
    }
    return LabelRequirement(std::move(key), op, std::move(values));
}

template <typename Lookup>
bool LabelRequirement::matchesLookup(const Lookup& lookup) const {
    const std::optional<std::string_view> value = lookup(m_key);
    const auto hasValue = [&](std::string_view v) {
        return std::find(m_values.begin(), m_values.end(), v) != m_values.end();
    };
    switch (m_op) {
        case Operator::In:
        case Operator::Equals:
        case Operator::DoubleEquals:
            return value && hasValue(*value);
        case Operator::NotIn:
        case Operator::NotEquals:
            // An object without the key is "not equal": `env!=prod` selects unlabelled objects.
            return !value || !hasValue(*value);
        case Operator::Exists:
            return value.has_value();
        case Operator::DoesNotExist:
            return !value.has_value();
        case Operator::GreaterThan:
        case Operator::LessThan: {
            if (!value || m_values.size() != 1) {
                return false;
            }
            const auto actual = parseInt64(*value);
            const auto bound = parseInt64(m_values.front());
            if (!actual || !bound) {
                return false;
            }
            return m_op == Operator::GreaterThan ? *actual > *bound : *actual < *bound;
        }
    }
    return false;
}

bool LabelRequirement::matches(const Labels& labels) const {
    return matchesLookup([&](const std::string& key) -> std::optional<std::string_view> {
        const auto it = labels.find(key);
        if (it == labels.end()) {
            return std::nullopt;
        }
        return std::string_view(it->second);
    });
}

std::string LabelRequirement::toString() const {
    std::string out;
    if (m_op == Operator::DoesNotExist) {
        out += '!';
    }
    out += m_key;
    switch (m_op) {
        case Operator::Equals:
            out += '=';
            break;
        case Operator::DoubleEquals:
            out += "==";
            break;
        case Operator::NotEquals:
            out += "!=";
            break;
        case Operator::In:
            out += " in ";
            break;
        case Operator::NotIn:
            out += " notin ";
            break;
        case Operator::GreaterThan:
            out += '>';
            break;
        case Operator::LessThan:
            out += '<';
            break;
        case Operator::Exists:
        case Operator::DoesNotExist:
            return out;
    }
    const bool set = m_op == Operator::In || m_op == Operator::NotIn;
    if (set) {
        out += '(';
    }
    std::vector<std::string> sorted = m_values;
    std::sort(sorted.begin(), sorted.end());
    out += join(sorted, ",");
    if (set) {
        out += ')';
    }
    return out;
}

LabelSelector LabelSelector::nothing() {
    LabelSelector selector;
    selector.m_nothing = true;
    return selector;
}

void LabelSelector::sortRequirements() {
    std::stable_sort(
        m_requirements.begin(), m_requirements.end(),
        [](const LabelRequirement& a, const LabelRequirement& b) { return a.key() < b.key(); });
}

Result<LabelSelector> LabelSelector::parse(std::string_view selector) {
    SelectorParser parser(selector);
    auto requirements = parser.parse();
    if (!requirements) {
        return requirements.error();
    }
    LabelSelector result;
    result.m_requirements = std::move(requirements).value();
    result.sortRequirements();
    return result;
}

Result<LabelSelector> LabelSelector::fromJson(const nlohmann::json& labelSelector) {
    using Operator = LabelRequirement::Operator;
    if (labelSelector.is_null()) {
        return nothing();
    }
    if (!labelSelector.is_object()) {
        return Error(ErrorCode::Invalid, "a label selector must be an object, got " +
                                             std::string(labelSelector.type_name()));
    }
    LabelSelector result;
    if (const auto it = labelSelector.find("matchLabels"); it != labelSelector.end()) {
        if (!it->is_null() && !it->is_object()) {
            return Error(ErrorCode::Invalid, "matchLabels must be an object of strings");
        }
        if (it->is_object()) {
            for (const auto& [key, value] : it->items()) {
                if (!value.is_string()) {
                    return Error(ErrorCode::Invalid, "matchLabels[" + key +
                                                         "] must be a string, got " +
                                                         std::string(value.type_name()));
                }
                auto requirement =
                    LabelRequirement::create(key, Operator::Equals, {value.get<std::string>()});
                if (!requirement) {
                    return requirement.error();
                }
                result.m_requirements.push_back(std::move(requirement).value());
            }
        }
    }
    if (const auto it = labelSelector.find("matchExpressions"); it != labelSelector.end()) {
        if (!it->is_null() && !it->is_array()) {
            return Error(ErrorCode::Invalid, "matchExpressions must be a list");
        }
        if (it->is_array()) {
            for (const auto& expression : *it) {
                if (!expression.is_object()) {
                    return Error(ErrorCode::Invalid, "matchExpressions entries must be objects");
                }
                const std::string key = expression.value("key", std::string());
                const auto opIt = expression.find("operator");
                const std::string opName = opIt != expression.end() && opIt->is_string()
                                               ? opIt->get<std::string>()
                                               : std::string();
                Operator op;
                if (opName == "In") {
                    op = Operator::In;
                } else if (opName == "NotIn") {
                    op = Operator::NotIn;
                } else if (opName == "Exists") {
                    op = Operator::Exists;
                } else if (opName == "DoesNotExist") {
                    op = Operator::DoesNotExist;
                } else {
                    return Error(ErrorCode::Invalid,
                                 goQuote(opName) + " is not a valid label selector operator");
                }
                std::vector<std::string> values;
                if (const auto valuesIt = expression.find("values");
                    valuesIt != expression.end() && !valuesIt->is_null()) {
                    if (!valuesIt->is_array()) {
                        return Error(ErrorCode::Invalid,
                                     "matchExpressions values must be a list of strings");
                    }
                    for (const auto& value : *valuesIt) {
                        if (!value.is_string()) {
                            return Error(ErrorCode::Invalid,
                                         "matchExpressions values must be a list of strings");
                        }
                        values.push_back(value.get<std::string>());
                    }
                }
                auto requirement = LabelRequirement::create(key, op, std::move(values));
                if (!requirement) {
                    return requirement.error();
                }
                result.m_requirements.push_back(std::move(requirement).value());
            }
        }
    }
    result.sortRequirements();
    return result;
}

LabelSelector LabelSelector::fromSet(const Labels& set) {
    LabelSelector result;
    for (const auto& [key, value] : set) {
        result.m_requirements.push_back(
            LabelRequirement(key, LabelRequirement::Operator::Equals, {value}));
    }
    return result;  // std::map iterates in key order already
}

bool LabelSelector::matches(const Labels& labels) const {
    if (m_nothing) {
        return false;
    }
    return std::all_of(m_requirements.begin(), m_requirements.end(),
                       [&](const LabelRequirement& r) { return r.matches(labels); });
}

bool LabelSelector::matches(const nlohmann::json& labels) const {
    if (m_nothing) {
        return false;
    }
    const auto lookup = [&](const std::string& key) -> std::optional<std::string_view> {
        if (!labels.is_object()) {
            return std::nullopt;
        }
        const auto it = labels.find(key);
        if (it == labels.end() || it->is_null()) {
            return std::nullopt;
        }
        if (!it->is_string()) {
            // Labels are strings by validation; anything else is present but equals no value.
            return std::string_view();
        }
        return std::string_view(it->get_ref<const std::string&>());
    };
    return std::all_of(m_requirements.begin(), m_requirements.end(),
                       [&](const LabelRequirement& r) { return r.matchesLookup(lookup); });
}

std::string LabelSelector::toString() const {
    std::string out;
    for (std::size_t i = 0; i < m_requirements.size(); ++i) {
        if (i > 0) {
            out += ',';
        }
        out += m_requirements[i].toString();
    }
    return out;
}

}  // namespace slipway::core
