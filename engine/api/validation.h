// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/api/resource_type.h"

namespace slipway::api {

/// A field path as apimachinery's field.Path prints it: "spec.containers[0].ports[1].protocol",
/// "data[key.name]", "spec.resources.requests[cpu]".
class FieldPath {
public:
    FieldPath() = default;
    explicit FieldPath(std::string root) : m_path(std::move(root)) {}

    FieldPath child(std::string_view name) const;
    FieldPath index(std::size_t i) const;
    FieldPath key(std::string_view key) const;

    const std::string& str() const { return m_path; }

private:
    std::string m_path;
};

/// Constructors of field errors worded exactly as apimachinery's field.Error.ErrorBody():
/// the cause message never contains the field; the Status message prefixes it.
namespace field {

/// "Required value" or "Required value: <detail>" (FieldValueRequired).
FieldCause required(const FieldPath& path, std::string_view detail = {});
/// "Forbidden: <detail>" (FieldValueForbidden).
FieldCause forbidden(const FieldPath& path, std::string_view detail);
/// "Invalid value: <value>: <detail>" (FieldValueInvalid); the value is rendered as Go's %v/%q
/// would (goValue).
FieldCause invalid(const FieldPath& path, const nlohmann::json& value, std::string_view detail);
/// The same with a value already rendered in Go syntax ("map[string]string{\"app\":\"web\"}").
FieldCause invalidRendered(const FieldPath& path, std::string_view renderedValue,
                           std::string_view detail);
/// "Unsupported value: \"x\": supported values: \"a\", \"b\"" (FieldValueNotSupported), values in
/// the order given (kube-apiserver sorts some lists and not others).
FieldCause notSupported(const FieldPath& path, const nlohmann::json& value,
                        const std::vector<std::string>& supported);
/// "Duplicate value: <value>" (FieldValueDuplicate).
FieldCause duplicate(const FieldPath& path, const nlohmann::json& value);
/// The same with a pre-rendered value.
FieldCause duplicateRendered(const FieldPath& path, std::string_view renderedValue);
/// "Not found: <value>" (FieldValueNotFound).
FieldCause notFound(const FieldPath& path, const nlohmann::json& value);
/// "Too long: may not be more than N bytes" (FieldValueTooLong).
FieldCause tooLong(const FieldPath& path, std::int64_t maxBytes);
/// "Too many: N: must have at most M items" (FieldValueTooMany).
FieldCause tooMany(const FieldPath& path, std::int64_t actual, std::int64_t max);

}  // namespace field

/// A JSON value printed as Go's fmt prints a field error's bad value: strings quoted (%q),
/// numbers and booleans bare, null as "null", string lists as []string{"a", "b"}, string maps
/// as map[string]string{"k":"v"}; anything else as compact JSON.
std::string goValue(const nlohmann::json& value);
/// A string quoted as Go's strconv.Quote does.
std::string goQuote(std::string_view text);

// apimachinery's string checks (k8s.io/apimachinery/pkg/util/validation): each returns the
// messages kube-apiserver gives, empty when the value is valid.

/// DNS-1123 label: at most 63 characters of [a-z0-9-], alphanumeric at both ends.
std::vector<std::string> isDns1123Label(std::string_view value);
/// DNS-1123 subdomain: at most 253 characters, dot-separated labels.
std::vector<std::string> isDns1123Subdomain(std::string_view value);
/// DNS-1035 label (Service names): like a DNS-1123 label but starting with a letter.
std::vector<std::string> isDns1035Label(std::string_view value);
/// A wildcard subdomain "*.example.com" (Ingress hosts).
std::vector<std::string> isWildcardDns1123Subdomain(std::string_view value);
/// A qualified name (label and annotation keys): [prefix/]name.
std::vector<std::string> isQualifiedName(std::string_view value);
/// A label value: at most 63 characters, may be empty.
std::vector<std::string> isValidLabelValue(std::string_view value);
/// A port number 1..65535.
std::vector<std::string> isValidPortNum(std::int64_t port);
/// An IANA_SVC_NAME (named container and service ports).
std::vector<std::string> isValidPortName(std::string_view value);
/// A ConfigMap or Secret key: [-._a-zA-Z0-9]+, at most 253 characters, not "." or "..*".
std::vector<std::string> isConfigMapKey(std::string_view value);
/// A percent string such as "25%".
std::vector<std::string> isValidPercent(std::string_view value);
/// An environment variable name (1.32's relaxed rule: printable ASCII other than '=').
std::vector<std::string> isEnvVarName(std::string_view value);
/// A name usable as a URL path segment (RBAC object names): not "." or "..", no '/' or '%'.
std::vector<std::string> isValidPathSegmentName(std::string_view value);
/// An IPv4 or IPv6 address.
bool isValidIp(std::string_view value);
/// A CIDR such as "10.244.0.0/24" or "fd00::/64".
bool isValidCidr(std::string_view value);

/// How a kind's metadata.name is checked (apimachinery's NameIsDNSSubdomain and friends).
enum class NameRule {
    Dns1123Subdomain,  ///< most kinds
    Dns1123Label,      ///< Namespace
    Dns1035Label,      ///< Service
    PathSegment,       ///< RBAC roles and bindings
};
/// The rule kube-apiserver applies to the names of `type`.
NameRule nameRule(const ResourceType& type);
/// The messages for `name` under `rule`; `prefix` for generateName (a trailing '-' is allowed).
std::vector<std::string> nameErrors(NameRule rule, std::string_view name, bool prefix = false);

/// The generic ObjectMeta rules kube-apiserver applies to every object on create and update
/// (ValidateObjectMetaAccessor): name or generateName required, name and generateName valid for
/// the kind, namespace required (namespaced kinds) or forbidden (cluster-scoped ones) and a
/// valid DNS-1123 label, generation ≥ 0, label keys and values valid, annotation keys valid
/// and annotations ≤ 256 KiB in total, ownerReferences complete, finalizers qualified names.
FieldCauses validateObjectMeta(const nlohmann::json& object, const ResourceType& type);
/// The extra rules of an update (ValidateObjectMetaUpdate): name, namespace, uid and
/// creationTimestamp may not change ("field is immutable").
FieldCauses validateObjectMetaUpdate(const nlohmann::json& object, const nlohmann::json& old);

/// Validates a metav1.LabelSelector (matchLabels, matchExpressions) at `path`.
FieldCauses validateLabelSelector(const nlohmann::json& selector, const FieldPath& path);
/// Validates a label map (keys qualified names, values label values) at `path`.
FieldCauses validateLabels(const nlohmann::json& labels, const FieldPath& path);

/// The 422 Status kube-apiserver answers an invalid object with:
/// {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
///  "message":"Deployment.apps \"web\" is invalid: <field>: <cause>","reason":"Invalid",
///  "details":{"name":"web","group":"apps","kind":"Deployment","causes":[...]},"code":422}.
/// Several causes are joined as "[a, b]", repeated messages once, as apimachinery does.
nlohmann::json invalidStatus(const ResourceType& type, const std::string& name,
                             const FieldCauses& causes);
/// The message alone: "Deployment.apps \"web\" is invalid: ...".
std::string invalidMessage(const ResourceType& type, const std::string& name,
                           const FieldCauses& causes);

/// The validator of a built-in kind (ResourceType::validator), or an empty function for kinds
/// with no rules beyond ObjectMeta.
std::function<FieldCauses(const nlohmann::json& object, const nlohmann::json* old)>
builtinValidator(std::string_view group, std::string_view kind);

}  // namespace slipway::api
