// SPDX-License-Identifier: Apache-2.0
#include "engine/api/validation.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>
#include <utility>

#include <arpa/inet.h>

#include "engine/api/json_fields.h"
#include "engine/api/kind_validation.h"
#include "engine/core/go_format.h"
#include "engine/core/label_selector.h"

namespace slipway::api {

using nlohmann::json;

FieldPath FieldPath::child(std::string_view name) const {
    if (m_path.empty()) {
        return FieldPath(std::string(name));
    }
    return FieldPath(m_path + "." + std::string(name));
}

FieldPath FieldPath::index(std::size_t i) const {
    return FieldPath(m_path + "[" + std::to_string(i) + "]");
}

FieldPath FieldPath::key(std::string_view key) const {
    return FieldPath(m_path + "[" + std::string(key) + "]");
}

namespace field {
namespace {

FieldCause make(const char* reason, std::string message, const FieldPath& path) {
    return FieldCause{reason, std::move(message), path.str()};
}

std::string withDetail(std::string body, std::string_view detail) {
    if (!detail.empty()) {
        body += ": ";
        body += detail;
    }
    return body;
}

}  // namespace

FieldCause required(const FieldPath& path, std::string_view detail) {
    return make("FieldValueRequired", withDetail("Required value", detail), path);
}

FieldCause forbidden(const FieldPath& path, std::string_view detail) {
    return make("FieldValueForbidden", withDetail("Forbidden", detail), path);
}

FieldCause invalid(const FieldPath& path, const json& value, std::string_view detail) {
    return invalidRendered(path, goValue(value), detail);
}

FieldCause invalidRendered(const FieldPath& path, std::string_view renderedValue,
                           std::string_view detail) {
    return make("FieldValueInvalid",
                withDetail("Invalid value: " + std::string(renderedValue), detail), path);
}

FieldCause notSupported(const FieldPath& path, const json& value,
                        const std::vector<std::string>& supported) {
    std::string detail;
    if (!supported.empty()) {
        detail = "supported values: ";
        for (std::size_t i = 0; i < supported.size(); ++i) {
            if (i > 0) {
                detail += ", ";
            }
            detail += goQuote(supported[i]);
        }
    }
    return make("FieldValueNotSupported",
                withDetail("Unsupported value: " + goValue(value), detail), path);
}

FieldCause duplicate(const FieldPath& path, const json& value) {
    return duplicateRendered(path, goValue(value));
}

FieldCause duplicateRendered(const FieldPath& path, std::string_view renderedValue) {
    return make("FieldValueDuplicate", "Duplicate value: " + std::string(renderedValue), path);
}

FieldCause notFound(const FieldPath& path, const json& value) {
    return make("FieldValueNotFound", "Not found: " + goValue(value), path);
}

FieldCause tooLong(const FieldPath& path, std::int64_t maxBytes) {
    return make("FieldValueTooLong",
                "Too long: may not be more than " + std::to_string(maxBytes) +
                    (maxBytes == 1 ? " byte" : " bytes"),
                path);
}

FieldCause tooMany(const FieldPath& path, std::int64_t actual, std::int64_t max) {
    return make("FieldValueTooMany",
                "Too many: " + std::to_string(actual) + ": must have at most " +
                    std::to_string(max) + (max == 1 ? " item" : " items"),
                path);
}

}  // namespace field

std::string goQuote(std::string_view text) {
    return core::goQuote(text);
}

std::string goValue(const json& value) {
    if (value.is_null()) {
        return "null";
    }
    if (value.is_string()) {
        return goQuote(value.get_ref<const std::string&>());
    }
    if (value.is_boolean() || value.is_number()) {
        return value.dump();
    }
    if (value.is_array()) {
        const bool strings = std::all_of(value.begin(), value.end(),
                                         [](const json& element) { return element.is_string(); });
        if (strings) {
            std::string out = "[]string{";
            bool first = true;
            for (const auto& element : value) {
                if (!first) {
                    out += ", ";
                }
                first = false;
                out += goQuote(element.get_ref<const std::string&>());
            }
            return out + "}";
        }
    }
    if (value.is_object()) {
        const bool strings = std::all_of(value.begin(), value.end(),
                                         [](const json& element) { return element.is_string(); });
        if (strings) {
            // nlohmann::json keeps object keys sorted, as Go's fmt sorts map keys.
            std::string out = "map[string]string{";
            bool first = true;
            for (const auto& [key, element] : value.items()) {
                if (!first) {
                    out += ", ";
                }
                first = false;
                out += goQuote(key) + ":" + goQuote(element.get_ref<const std::string&>());
            }
            return out + "}";
        }
    }
    return value.dump();
}

namespace {

constexpr std::size_t kDns1123LabelMaxLength = 63;
constexpr std::size_t kDns1123SubdomainMaxLength = 253;

bool isLowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

// [a-z0-9]([-a-z0-9]*[a-z0-9])?
bool matchesLabel(std::string_view value) {
    if (value.empty() || !isLowerAlnum(value.front()) || !isLowerAlnum(value.back())) {
        return false;
    }
    return std::all_of(value.begin(), value.end(),
                       [](char c) { return isLowerAlnum(c) || c == '-'; });
}

// [a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*
bool matchesSubdomain(std::string_view value) {
    if (value.empty()) {
        return false;
    }
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = value.find('.', start);
        const std::string_view part = value.substr(
            start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (!matchesLabel(part)) {
            return false;
        }
        if (dot == std::string_view::npos) {
            return true;
        }
        start = dot + 1;
    }
}

std::string maxLenError(std::size_t length) {
    return "must be no more than " + std::to_string(length) + " characters";
}

// apimachinery's RegexError: "msg (e.g. 'a',  or 'b', regex used for validation is 'fmt')".
std::string regexError(std::string_view message, std::string_view format,
                       std::initializer_list<std::string_view> examples) {
    std::string text(message);
    if (examples.size() == 0) {
        return text + " (regex used for validation is '" + std::string(format) + "')";
    }
    text += " (e.g. ";
    bool first = true;
    for (const auto example : examples) {
        if (!first) {
            text += " or ";
        }
        first = false;
        text += "'" + std::string(example) + "', ";
    }
    return text + "regex used for validation is '" + std::string(format) + "')";
}

constexpr std::string_view kDns1123LabelMessage =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character";
constexpr std::string_view kDns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
constexpr std::string_view kDns1123SubdomainMessage =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character";
constexpr std::string_view kDns1123SubdomainFormat =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
constexpr std::string_view kDns1035LabelMessage =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character";
constexpr std::string_view kDns1035LabelFormat = "[a-z]([-a-z0-9]*[a-z0-9])?";

}  // namespace

std::vector<std::string> isDns1123Label(std::string_view value) {
    std::vector<std::string> errors;
    if (value.size() > kDns1123LabelMaxLength) {
        errors.push_back(maxLenError(kDns1123LabelMaxLength));
    }
    if (!matchesLabel(value)) {
        if (matchesSubdomain(value)) {
            // A valid subdomain but not a label: the length is checked, so it is the dots.
            errors.emplace_back("must not contain dots");
        } else {
            errors.push_back(
                regexError(kDns1123LabelMessage, kDns1123LabelFormat, {"my-name", "123-abc"}));
        }
    }
    return errors;
}

std::vector<std::string> isDns1123Subdomain(std::string_view value) {
    std::vector<std::string> errors;
    if (value.size() > kDns1123SubdomainMaxLength) {
        errors.push_back(maxLenError(kDns1123SubdomainMaxLength));
    }
    if (!matchesSubdomain(value)) {
        errors.push_back(
            regexError(kDns1123SubdomainMessage, kDns1123SubdomainFormat, {"example.com"}));
    }
    return errors;
}

std::vector<std::string> isDns1035Label(std::string_view value) {
    std::vector<std::string> errors;
    if (value.size() > kDns1123LabelMaxLength) {
        errors.push_back(maxLenError(kDns1123LabelMaxLength));
    }
    if (!matchesLabel(value) || !(value.front() >= 'a' && value.front() <= 'z')) {
        errors.push_back(
            regexError(kDns1035LabelMessage, kDns1035LabelFormat, {"my-name", "abc-123"}));
    }
    return errors;
}

std::vector<std::string> isWildcardDns1123Subdomain(std::string_view value) {
    std::vector<std::string> errors;
    if (value.size() > kDns1123SubdomainMaxLength) {
        errors.push_back(maxLenError(kDns1123SubdomainMaxLength));
    }
    if (value.size() < 3 || value.substr(0, 2) != "*." || !matchesSubdomain(value.substr(2))) {
        errors.push_back(regexError(
            "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS "
            "subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and "
            "end with an alphanumeric character",
            "\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*",
            {"*.example.com"}));
    }
    return errors;
}

std::vector<std::string> isQualifiedName(std::string_view value) {
    return core::qualifiedNameErrors(value);
}

std::vector<std::string> isValidLabelValue(std::string_view value) {
    return core::labelValueErrors(value);
}

std::vector<std::string> isValidPortNum(std::int64_t port) {
    if (port >= 1 && port <= 65535) {
        return {};
    }
    return {"must be between 1 and 65535, inclusive"};
}

std::vector<std::string> isValidPortName(std::string_view value) {
    std::vector<std::string> errors;
    if (value.size() > 15) {
        errors.push_back(maxLenError(15));
    }
    const bool charset = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || isDigit(c) || c == '-';
    });
    if (!charset) {
        errors.emplace_back(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if (std::none_of(value.begin(), value.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
        errors.emplace_back("must contain at least one letter (a-z)");
    }
    if (value.find("--") != std::string_view::npos) {
        errors.emplace_back("must not contain consecutive hyphens");
    }
    if (!value.empty() && (value.front() == '-' || value.back() == '-')) {
        errors.emplace_back("must not begin or end with a hyphen");
    }
    return errors;
}

std::vector<std::string> isConfigMapKey(std::string_view value) {
    std::vector<std::string> errors;
    if (value.size() > kDns1123SubdomainMaxLength) {
        errors.push_back(maxLenError(kDns1123SubdomainMaxLength));
    }
    const bool charset = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
        return isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_';
    });
    if (!charset) {
        errors.push_back(regexError(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            "[-._a-zA-Z0-9]+", {"key.name", "KEY_NAME", "key-name"}));
    }
    if (value == ".") {
        errors.emplace_back("must not be '.'");
    } else if (value == "..") {
        errors.emplace_back("must not be '..'");
    } else if (value.substr(0, 2) == "..") {
        errors.emplace_back("must not start with '..'");
    }
    return errors;
}

std::vector<std::string> isValidPercent(std::string_view value) {
    const bool valid = value.size() >= 2 && value.back() == '%' &&
                       std::all_of(value.begin(), value.end() - 1, isDigit);
    if (valid) {
        return {};
    }
    return {regexError("a valid percent string must be a numeric string followed by an ending '%'",
                       "[0-9]+%", {"1%", "93%"})};
}

std::vector<std::string> isEnvVarName(std::string_view value) {
    std::vector<std::string> errors;
    if (value.empty()) {
        errors.emplace_back("environment variable name must be non-empty");
    }
    for (const char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte > 0x7e || c == '=') {
            errors.emplace_back(
                "a valid environment variable name must consist only of printable ASCII "
                "characters other than '='");
            break;
        }
    }
    return errors;
}

std::vector<std::string> isValidPathSegmentName(std::string_view value) {
    for (const std::string_view banned : {".", ".."}) {
        if (value == banned) {
            return {"may not be '" + std::string(banned) + "'"};
        }
    }
    std::vector<std::string> errors;
    for (const std::string_view banned : {"/", "%"}) {
        if (value.find(banned) != std::string_view::npos) {
            errors.push_back("may not contain '" + std::string(banned) + "'");
        }
    }
    return errors;
}

bool isValidIp(std::string_view value) {
    const std::string text(value);
    std::array<unsigned char, 16> buffer{};
    return inet_pton(AF_INET, text.c_str(), buffer.data()) == 1 ||
           inet_pton(AF_INET6, text.c_str(), buffer.data()) == 1;
}

bool isValidCidr(std::string_view value) {
    const auto slash = value.find('/');
    if (slash == std::string_view::npos || slash + 1 >= value.size()) {
        return false;
    }
    const std::string address(value.substr(0, slash));
    const std::string_view prefix = value.substr(slash + 1);
    if (prefix.size() > 3 || !std::all_of(prefix.begin(), prefix.end(), isDigit)) {
        return false;
    }
    const int bits = std::stoi(std::string(prefix));
    std::array<unsigned char, 16> buffer{};
    if (inet_pton(AF_INET, address.c_str(), buffer.data()) == 1) {
        return bits <= 32;
    }
    return inet_pton(AF_INET6, address.c_str(), buffer.data()) == 1 && bits <= 128;
}

NameRule nameRule(const ResourceType& type) {
    if (type.group.empty() && type.kind == "Namespace") {
        return NameRule::Dns1123Label;
    }
    if (type.group.empty() && type.kind == "Service") {
        return NameRule::Dns1035Label;
    }
    if (type.group == "rbac.authorization.k8s.io") {
        return NameRule::PathSegment;
    }
    return NameRule::Dns1123Subdomain;
}

std::vector<std::string> nameErrors(NameRule rule, std::string_view name, bool prefix) {
    std::string masked(name);
    // generateName may end in '-': apimachinery masks it before checking (maskTrailingDash).
    if (prefix && masked.size() > 1 && masked.back() == '-') {
        masked = masked.substr(0, masked.size() - 2) + "a";
    }
    switch (rule) {
        case NameRule::Dns1123Label:
            return isDns1123Label(masked);
        case NameRule::Dns1035Label:
            return isDns1035Label(masked);
        case NameRule::PathSegment:
            return isValidPathSegmentName(masked);
        case NameRule::Dns1123Subdomain:
            break;
    }
    return isDns1123Subdomain(masked);
}

FieldCauses validateLabels(const json& labels, const FieldPath& path) {
    FieldCauses causes;
    if (!labels.is_object()) {
        return causes;
    }
    for (const auto& [key, value] : labels.items()) {
        for (const auto& message : isQualifiedName(key)) {
            causes.push_back(field::invalid(path, key, message));
        }
        if (!value.is_string()) {
            causes.push_back(FieldCause{"FieldValueTypeInvalid",
                                        "Invalid value: " + goValue(value) + ": must be a string",
                                        path.str()});
            continue;
        }
        for (const auto& message : isValidLabelValue(value.get_ref<const std::string&>())) {
            causes.push_back(field::invalid(path, value, message));
        }
    }
    return causes;
}

FieldCauses validateLabelSelector(const json& selector, const FieldPath& path) {
    FieldCauses causes;
    if (!selector.is_object()) {
        return causes;
    }
    if (const json* matchLabels = detail::member(selector, "matchLabels")) {
        auto more = validateLabels(*matchLabels, path.child("matchLabels"));
        causes.insert(causes.end(), more.begin(), more.end());
    }
    const json& expressions = detail::arrayAt(selector, {"matchExpressions"});
    for (std::size_t i = 0; i < expressions.size(); ++i) {
        const json& expression = expressions[i];
        const FieldPath at = path.child("matchExpressions").index(i);
        const std::string op = detail::stringAt(expression, {"operator"});
        const json& values = detail::arrayAt(expression, {"values"});
        if (op == "In" || op == "NotIn") {
            if (values.empty()) {
                causes.push_back(field::required(
                    at.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
            }
        } else if (op == "Exists" || op == "DoesNotExist") {
            if (!values.empty()) {
                causes.push_back(field::forbidden(
                    at.child("values"),
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
            }
        } else {
            causes.push_back(
                field::invalid(at.child("operator"), op, "not a valid selector operator"));
        }
        const std::string key = detail::stringAt(expression, {"key"});
        for (const auto& message : isQualifiedName(key)) {
            causes.push_back(field::invalid(at.child("key"), key, message));
        }
        for (std::size_t v = 0; v < values.size(); ++v) {
            for (const auto& message : isValidLabelValue(detail::asString(values[v]))) {
                causes.push_back(field::invalid(at.child("values").index(v), values[v], message));
            }
        }
    }
    return causes;
}

FieldCauses validateObjectMeta(const json& object, const ResourceType& type) {
    FieldCauses causes;
    const FieldPath path("metadata");
    const json& metadata = detail::objectAt(object, {"metadata"});
    const NameRule rule = nameRule(type);

    const std::string generateName = detail::stringAt(metadata, {"generateName"});
    if (!generateName.empty()) {
        for (const auto& message : nameErrors(rule, generateName, true)) {
            causes.push_back(field::invalid(path.child("generateName"), generateName, message));
        }
    }
    const std::string name = detail::stringAt(metadata, {"name"});
    if (name.empty()) {
        causes.push_back(field::required(path.child("name"), "name or generateName is required"));
    } else {
        for (const auto& message : nameErrors(rule, name, false)) {
            causes.push_back(field::invalid(path.child("name"), name, message));
        }
    }

    const std::string nameSpace = detail::stringAt(metadata, {"namespace"});
    if (type.namespaced) {
        if (nameSpace.empty()) {
            causes.push_back(field::required(path.child("namespace")));
        } else {
            for (const auto& message : isDns1123Label(nameSpace)) {
                causes.push_back(field::invalid(path.child("namespace"), nameSpace, message));
            }
        }
    } else if (!nameSpace.empty()) {
        causes.push_back(field::forbidden(path.child("namespace"), "not allowed on this type"));
    }

    if (const auto generation = detail::optionalIntAt(metadata, {"generation"});
        generation && *generation < 0) {
        causes.push_back(field::invalid(path.child("generation"), *generation,
                                        "must be greater than or equal to 0"));
    }

    if (const json* labels = detail::member(metadata, "labels")) {
        auto more = validateLabels(*labels, path.child("labels"));
        causes.insert(causes.end(), more.begin(), more.end());
    }

    if (const json* annotations = detail::member(metadata, "annotations")) {
        detail::append(causes,
                       detail::validateAnnotations(*annotations, path.child("annotations")));
    }

    const json& owners = detail::arrayAt(metadata, {"ownerReferences"});
    std::string controllerName;
    for (const auto& owner : owners) {
        const FieldPath at = path.child("ownerReferences");
        const std::string apiVersion = detail::stringAt(owner, {"apiVersion"});
        const auto slash = apiVersion.find('/');
        const std::string version = slash == std::string::npos
                                        ? apiVersion
                                        : (apiVersion.find('/', slash + 1) == std::string::npos
                                               ? apiVersion.substr(slash + 1)
                                               : std::string());
        if (version.empty()) {
            causes.push_back(
                field::invalid(at.child("apiVersion"), apiVersion, "version must not be empty"));
        }
        const std::string kind = detail::stringAt(owner, {"kind"});
        if (kind.empty()) {
            causes.push_back(field::invalid(at.child("kind"), kind, "kind must not be empty"));
        }
        const std::string ownerName = detail::stringAt(owner, {"name"});
        if (ownerName.empty()) {
            causes.push_back(field::invalid(at.child("name"), ownerName, "name must not be empty"));
        }
        const std::string uid = detail::stringAt(owner, {"uid"});
        if (uid.empty()) {
            causes.push_back(field::invalid(at.child("uid"), uid, "uid must not be empty"));
        }
        if (detail::boolAt(owner, {"controller"})) {
            if (!controllerName.empty()) {
                causes.push_back(field::invalid(
                    at, owners,
                    "Only one reference can have Controller set to true. Found \"true\" in "
                    "references for " +
                        controllerName + " and " + ownerName));
            } else {
                controllerName = ownerName;
            }
        }
    }

    const json& finalizers = detail::arrayAt(metadata, {"finalizers"});
    bool orphan = false;
    bool foreground = false;
    for (const auto& finalizer : finalizers) {
        const std::string value = detail::asString(finalizer);
        for (const auto& message : isQualifiedName(value)) {
            causes.push_back(field::invalid(path.child("finalizers"), value, message));
        }
        orphan = orphan || value == "orphan";
        foreground = foreground || value == "foregroundDeletion";
    }
    if (orphan && foreground) {
        causes.push_back(field::invalid(path.child("finalizers"), finalizers,
                                        "finalizer orphan and foregroundDeletion cannot be both "
                                        "set"));
    }
    return causes;
}

FieldCauses validateObjectMetaUpdate(const json& object, const json& old) {
    FieldCauses causes;
    const FieldPath path("metadata");
    const json& metadata = detail::objectAt(object, {"metadata"});
    const json& before = detail::objectAt(old, {"metadata"});
    for (const char* name : {"name", "namespace", "uid", "creationTimestamp"}) {
        const json* now = detail::member(metadata, name);
        const json* then = detail::member(before, name);
        const json nowValue = now != nullptr ? *now : json();
        const json thenValue = then != nullptr ? *then : json();
        if (nowValue != thenValue) {
            causes.push_back(field::invalid(path.child(name), nowValue, "field is immutable"));
        }
    }
    if (detail::has(before, {"deletionTimestamp"})) {
        std::set<std::string> existing;
        for (const auto& finalizer : detail::arrayAt(before, {"finalizers"})) {
            existing.insert(detail::asString(finalizer));
        }
        std::set<std::string> extra;
        for (const auto& finalizer : detail::arrayAt(metadata, {"finalizers"})) {
            if (!existing.contains(detail::asString(finalizer))) {
                extra.insert(detail::asString(finalizer));
            }
        }
        if (!extra.empty()) {
            const json list(std::vector<std::string>(extra.begin(), extra.end()));
            causes.push_back(field::forbidden(
                path.child("finalizers"),
                "no new finalizers can be added if the object is being deleted, found new "
                "finalizers " +
                    goValue(list)));
        }
    }
    return causes;
}

std::string invalidMessage(const ResourceType& type, const std::string& name,
                           const FieldCauses& causes) {
    std::string message = type.qualifiedKind() + " " + goQuote(name) + " is invalid";
    // apimachinery's ErrorList.ToAggregate drops repeated messages; one error prints bare,
    // several as "[a, b]".
    std::vector<std::string> messages;
    std::set<std::string> seen;
    for (const auto& cause : causes) {
        std::string text = cause.field + ": " + cause.message;
        if (seen.insert(text).second) {
            messages.push_back(std::move(text));
        }
    }
    if (messages.empty()) {
        return message;
    }
    message += ": ";
    if (messages.size() == 1) {
        return message + messages.front();
    }
    message += "[";
    for (std::size_t i = 0; i < messages.size(); ++i) {
        if (i > 0) {
            message += ", ";
        }
        message += messages[i];
    }
    return message + "]";
}

json invalidStatus(const ResourceType& type, const std::string& name, const FieldCauses& causes) {
    json details = json::object();
    if (!name.empty()) {
        details["name"] = name;
    }
    if (!type.group.empty()) {
        details["group"] = type.group;
    }
    details["kind"] = type.kind;
    if (!causes.empty()) {
        json list = json::array();
        for (const auto& cause : causes) {
            list.push_back(
                {{"reason", cause.reason}, {"message", cause.message}, {"field", cause.field}});
        }
        details["causes"] = std::move(list);
    }
    return {
        {"kind", "Status"},
        {"apiVersion", "v1"},
        {"metadata", json::object()},
        {"status", "Failure"},
        {"message", invalidMessage(type, name, causes)},
        {"reason", "Invalid"},
        {"details", std::move(details)},
        {"code", 422},
    };
}

}  // namespace slipway::api
