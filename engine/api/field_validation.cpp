// SPDX-License-Identifier: Apache-2.0
#include "engine/api/field_validation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>

namespace slipway::api {

using nlohmann::json;

namespace {

constexpr std::string_view kRefPrefix = "#/components/schemas/";

std::string childPath(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}

std::string quoted(std::string_view prefix, const std::string& path) {
    return std::string(prefix) + "\"" + path + "\"";
}

/// Reads a JSON body as SAX events, numbering its keys in document order, and notes each key
/// seen twice in one object. Positions are 2k+1 for the k-th key and 2k for an array element
/// that begins after k keys, so an element sorts before the key that follows it. nlohmann's DOM
/// parser keeps the last value silently, as Go's encoding/json does, so the DOM cannot tell;
/// kube-apiserver's strict decoder reports them.
class KeyScanner : public json::json_sax_t {
public:
    /// With `recordPositions`, position() knows every key and array element; without, only
    /// duplicates count.
    explicit KeyScanner(bool recordPositions) : m_recordPositions(recordPositions) {}

    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, const string_t&) override { return value(); }
    bool string(string_t&) override { return value(); }
    bool binary(binary_t&) override { return value(); }
    bool start_object(std::size_t) override {
        value();
        m_frames.push_back(Frame{true, {}, {}, 0, path()});
        return true;
    }
    bool key(string_t& name) override {
        Frame& frame = m_frames.back();
        const std::size_t position = 2 * m_keys++ + 1;
        const bool duplicate = !frame.keys.insert(name).second;
        if (duplicate || m_recordPositions) {
            std::string keyPath = childPath(frame.path, name);
            if (duplicate) {
                m_duplicates.emplace_back(position, keyPath);
            }
            if (m_recordPositions) {
                m_firstSeen.emplace(std::move(keyPath), position);
            }
        }
        frame.key = name;
        return true;
    }
    bool end_object() override {
        m_frames.pop_back();
        return true;
    }
    bool start_array(std::size_t) override {
        value();
        m_frames.push_back(Frame{false, {}, {}, 0, path()});
        return true;
    }
    bool end_array() override {
        m_frames.pop_back();
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
        return false;
    }

    /// The paths of the keys seen again, with their positions among all keys.
    const std::vector<std::pair<std::size_t, std::string>>& duplicates() const {
        return m_duplicates;
    }
    /// Where a path's key or array element first appears; past the end when it does not.
    std::size_t position(const std::string& keyPath) const {
        const auto it = m_firstSeen.find(keyPath);
        return it == m_firstSeen.end() ? std::numeric_limits<std::size_t>::max() : it->second;
    }

private:
    struct Frame {
        bool object = true;
        std::set<std::string> keys;
        std::string key;       ///< in an object: the key whose value comes next
        std::size_t next = 0;  ///< in an array: the index of the next element
        std::string path;      ///< where this object or array is
    };

    // A value begins: in an array it takes the next index.
    bool value() {
        if (!m_frames.empty() && !m_frames.back().object) {
            m_current = m_frames.back().next++;
            if (m_recordPositions) {
                m_firstSeen.emplace(path(), 2 * m_keys);
            }
        }
        return true;
    }

    // The path of the value that has just begun.
    std::string path() const {
        if (m_frames.empty()) {
            return {};
        }
        const Frame& frame = m_frames.back();
        return frame.object ? childPath(frame.path, frame.key)
                            : frame.path + "[" + std::to_string(m_current) + "]";
    }

    std::vector<Frame> m_frames;
    bool m_recordPositions = false;
    std::size_t m_current = 0;
    std::size_t m_keys = 0;
    std::vector<std::pair<std::size_t, std::string>> m_duplicates;
    std::map<std::string, std::size_t> m_firstSeen;
};

/// A JSON value as Go's fmt prints the map[string]interface{} it decodes to: maps with their
/// keys sorted, `map[a:1 b:[x y]]`, strings bare, null as <nil>.
std::string goFormat(const json& value) {
    std::string out;
    switch (value.type()) {
        case json::value_t::object: {
            out = "map[";
            bool first = true;
            for (const auto& [key, inner] : value.items()) {
                out += (first ? "" : " ") + key + ":" + goFormat(inner);
                first = false;
            }
            return out + "]";
        }
        case json::value_t::array: {
            out = "[";
            for (std::size_t i = 0; i < value.size(); ++i) {
                out += (i == 0 ? "" : " ") + goFormat(value[i]);
            }
            return out + "]";
        }
        case json::value_t::string:
            return value.get<std::string>();
        case json::value_t::null:
            return "<nil>";
        default:
            return value.dump();
    }
}

/// What a schema decodes into, as far as the JSON types it takes go.
enum class Shape {
    Any,
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Map,
    Struct,
    IntOrString,
    Quantity
};

Shape shapeOf(const json& resolved) {
    if (resolved.value("x-kubernetes-preserve-unknown-fields", false)) {
        return Shape::Any;
    }
    if (resolved.value("x-kubernetes-int-or-string", false)) {
        // Quantity is int-or-string too in OpenAPI, but takes any number and has no format.
        return resolved.value("format", "") == "int-or-string" ? Shape::IntOrString
                                                               : Shape::Quantity;
    }
    const std::string type = resolved.value("type", "");
    if (type == "string") {
        return Shape::String;
    }
    if (type == "integer") {
        return Shape::Integer;
    }
    if (type == "number") {
        return Shape::Number;
    }
    if (type == "boolean") {
        return Shape::Boolean;
    }
    if (type == "array") {
        return Shape::Array;
    }
    if (type == "object") {
        if (resolved.contains("properties")) {
            return Shape::Struct;
        }
        const auto additional = resolved.find("additionalProperties");
        if (additional != resolved.end() && additional->is_object()) {
            return Shape::Map;
        }
    }
    return Shape::Any;  // RawExtension, FieldsV1, or no type at all
}

/// The Go type of a string, integer, number or boolean schema.
std::string scalarGoType(const json& resolved) {
    const std::string type = resolved.value("type", "");
    const std::string format = resolved.value("format", "");
    if (type == "integer") {
        return format == "int32" ? "int32" : "int64";
    }
    if (type == "number") {
        return format == "float" ? "float32" : "float64";
    }
    if (type == "boolean") {
        return "bool";
    }
    return format == "byte" ? "[]uint8" : "string";
}

/// "io.k8s.api.core.v1.PodSpec" → "v1.PodSpec", as Go prints a type: package and name.
std::string qualifiedGoName(std::string_view schemaName) {
    const auto last = schemaName.rfind('.');
    if (last == std::string_view::npos || last == 0) {
        return std::string(schemaName);
    }
    const auto package = schemaName.rfind('.', last - 1);
    return std::string(schemaName.substr(package == std::string_view::npos ? 0 : package + 1));
}

/// "io.k8s.api.core.v1.PodSpec" → "PodSpec", as Go names the struct a field belongs to.
std::string_view shortGoName(std::string_view schemaName) {
    const auto last = schemaName.rfind('.');
    return last == std::string_view::npos ? schemaName : schemaName.substr(last + 1);
}

/// A JSON value's type as Go's decoder names it ("object", "number"), or with `unstructured`
/// the kind of what runtime's unstructured map holds for it ("map", "int64").
std::string typeName(const json& value, bool unstructured) {
    switch (value.type()) {
        case json::value_t::object:
            return unstructured ? "map" : "object";
        case json::value_t::array:
            return unstructured ? "slice" : "array";
        case json::value_t::boolean:
            return "bool";
        case json::value_t::string:
            return "string";
        case json::value_t::number_float:
            return unstructured ? "float64" : "number";
        default:
            return unstructured ? "int64" : "number";
    }
}

/// True for a JSON integer within int32 (or int64): Go refuses 1.5, 1.0 and 3000000000 for
/// an int32.
bool fitsInteger(const json& value, bool int32) {
    const std::int64_t high =
        int32 ? std::numeric_limits<std::int32_t>::max() : std::numeric_limits<std::int64_t>::max();
    const std::int64_t low =
        int32 ? std::numeric_limits<std::int32_t>::min() : std::numeric_limits<std::int64_t>::min();
    if (value.is_number_unsigned()) {
        return value.get<std::uint64_t>() <= static_cast<std::uint64_t>(high);
    }
    if (value.is_number_integer()) {
        const auto number = value.get<std::int64_t>();
        return number >= low && number <= high;
    }
    return false;
}

bool isWholeFloat(const json& value) {
    if (!value.is_number_float()) {
        return false;
    }
    const double number = value.get<double>();
    return std::isfinite(number) && number == std::trunc(number);
}

/// Go's path of a field in its errors: the struct fields from the root, dotted.
std::string goPath(const std::vector<std::string_view>& fields) {
    std::string path;
    for (const auto field : fields) {
        path += (path.empty() ? "" : ".") + std::string(field);
    }
    return path;
}

bool isInt32(Shape shape, const json& resolved) {
    return shape == Shape::IntOrString || resolved.value("format", "") == "int32";
}

/// True when the JSON type of `value` is one a schema of `shape` takes as it is: for an
/// integer, a JSON integer within its range; null is for the caller.
bool takes(Shape shape, const json& resolved, const json& value) {
    switch (shape) {
        case Shape::Any:
            return true;
        case Shape::Struct:
        case Shape::Map:
            return value.is_object();
        case Shape::Array:
            return value.is_array();
        case Shape::Quantity:
            return value.is_string() || value.is_number();
        case Shape::Number:
            return value.is_number();
        case Shape::Boolean:
            return value.is_boolean();
        case Shape::String:
            return value.is_string();
        case Shape::IntOrString:
            return value.is_string() || fitsInteger(value, true);
        case Shape::Integer:
            return fitsInteger(value, isInt32(shape, resolved));
    }
    return false;
}

/// What resource.Quantity answers for a value that is not one.
constexpr std::string_view kQuantityFormat =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

KeyScanner scan(std::string_view body, bool recordPositions) {
    KeyScanner scanner(recordPositions);
    json::sax_parse(body.begin(), body.end(), &scanner);
    return scanner;
}

}  // namespace

core::Result<FieldValidation> parseFieldValidation(std::string_view value,
                                                   std::string_view optionsKind) {
    if (value.empty() || value == "Warn") {
        return FieldValidation::Warn;
    }
    if (value == "Strict") {
        return FieldValidation::Strict;
    }
    if (value == "Ignore") {
        return FieldValidation::Ignore;
    }
    return core::Error(core::ErrorCode::Invalid,
                       std::string(optionsKind) +
                           ".meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"" +
                           std::string(value) +
                           "\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"");
}

struct UnknownFieldPruner::Walk {
    bool checkTypes = false;
    DecodeSource source = DecodeSource::Json;
    Decoded found;
    // The struct fields from the root to the value being walked: Go's path in its errors,
    // joined only when one is needed.
    std::vector<std::string_view> fields;
    // The unknown fields, removed once the walk is over and found no type to refuse.
    std::vector<std::pair<json*, std::string>> unknown;
};

std::vector<std::string> UnknownFieldPruner::prune(json& object, const json& schema) const {
    Walk out;
    walk(object, schema, {}, std::string(), {}, out);
    for (const auto& [parent, key] : out.unknown) {
        parent->erase(key);
    }
    return std::move(out.found.unknown);
}

UnknownFieldPruner::Decoded UnknownFieldPruner::decode(json& object, const json& schema,
                                                       std::string_view schemaName,
                                                       DecodeSource source) const {
    Walk out;
    out.checkTypes = true;
    out.source = source;
    walk(object, schema, schemaName, std::string(), shortGoName(schemaName), out);
    if (out.found.mismatches.empty()) {
        for (const auto& [parent, key] : out.unknown) {
            parent->erase(key);
        }
    }
    return std::move(out.found);
}

const json& UnknownFieldPruner::resolve(const json& schema, std::string_view* name) const {
    const json* current = &schema;
    // A chain of references ends within the number of schemas; the bound guards a cycle.
    for (std::size_t hops = 0; hops <= m_components.size(); ++hops) {
        const auto allOf = current->find("allOf");
        if (allOf != current->end() && allOf->is_array() && allOf->size() == 1) {
            current = &allOf->front();
            continue;
        }
        const auto ref = current->find("$ref");
        if (ref == current->end() || !ref->is_string()) {
            return *current;
        }
        const std::string& target = ref->get_ref<const std::string&>();
        if (target.rfind(kRefPrefix, 0) != 0) {
            return *current;
        }
        const auto found = m_components.find(target.substr(kRefPrefix.size()));
        if (found == m_components.end()) {
            return *current;
        }
        if (name != nullptr) {
            *name = std::string_view(target).substr(kRefPrefix.size());
        }
        current = &*found;
    }
    return *current;
}

std::string UnknownFieldPruner::goType(const json& schema) const {
    std::string_view name;
    const json& resolved = resolve(schema, &name);
    switch (shapeOf(resolved)) {
        case Shape::Array:
            return "[]" + goType(resolved.value("items", json::object()));
        case Shape::Map:
            return "map[string]" + goType(resolved["additionalProperties"]);
        case Shape::Any:
            return name.empty() ? "interface {}" : qualifiedGoName(name);
        case Shape::Struct:
        case Shape::IntOrString:
        case Shape::Quantity:
            return qualifiedGoName(name);
        default:
            // Time, Duration: Go types of their own whose JSON is a string.
            return name.empty() ? scalarGoType(resolved) : qualifiedGoName(name);
    }
}

void UnknownFieldPruner::walk(json& value, const json& schema, std::string_view name,
                              const std::string& path, std::string_view structName,
                              Walk& out) const {
    const json& resolved = resolve(schema, &name);
    // null decodes as the zero value of any Go type.
    if (!resolved.is_object() || value.is_null()) {
        return;
    }
    if (out.checkTypes) {
        std::string refused = out.source == DecodeSource::Json
                                  ? jsonRefusal(value, resolved, name, structName, out.fields)
                                  : unstructuredRefusal(value, resolved, name);
        if (!refused.empty()) {
            out.found.mismatches.push_back(TypeMismatch{path, std::move(refused)});
            return;
        }
    }
    if (resolved.value("x-kubernetes-preserve-unknown-fields", false)) {
        return;
    }
    if (value.is_object()) {
        const auto properties = resolved.find("properties");
        const auto additional = resolved.find("additionalProperties");
        if (properties != resolved.end() && properties->is_object()) {
            // Go names the innermost struct a field belongs to, and its path from the root.
            const std::string_view owner = name.empty() ? structName : shortGoName(name);
            for (auto& [key, inner] : value.items()) {
                const auto property = properties->find(key);
                if (property == properties->end()) {
                    out.found.unknown.push_back(childPath(path, key));
                    out.unknown.emplace_back(&value, key);
                } else {
                    out.fields.push_back(key);
                    walk(inner, *property, {}, childPath(path, key), owner, out);
                    out.fields.pop_back();
                }
            }
        } else if (additional != resolved.end() && additional->is_object()) {
            // A map's keys are no fields: Go's path stops at the map.
            for (auto& [key, inner] : value.items()) {
                walk(inner, *additional, {}, childPath(path, key), structName, out);
            }
        }
    } else if (value.is_array()) {
        const auto items = resolved.find("items");
        if (items == resolved.end()) {
            return;
        }
        for (std::size_t i = 0; i < value.size(); ++i) {
            walk(value[i], *items, {}, path + "[" + std::to_string(i) + "]", structName, out);
        }
    }
}

std::string UnknownFieldPruner::jsonRefusal(const json& value, const json& resolved,
                                            std::string_view name, std::string_view structName,
                                            const std::vector<std::string_view>& fields) const {
    const Shape shape = shapeOf(resolved);
    if (takes(shape, resolved, value)) {
        return {};
    }
    if (shape == Shape::Quantity) {
        // Quantity parses whatever it is given as a quantity, and says so.
        return std::string(kQuantityFormat);
    }
    std::string goValue = typeName(value, false);
    std::string type;
    if (shape == Shape::Integer || shape == Shape::IntOrString) {
        // Anything but a string IntOrString decodes into its int32. Go names a number that
        // does not fit: "number 1.5".
        type = isInt32(shape, resolved) ? "int32" : "int64";
        if (value.is_number()) {
            goValue = "number " + value.dump();
        }
    } else if (shape == Shape::Struct) {
        type = qualifiedGoName(name);
    } else if (shape == Shape::Map || shape == Shape::Array) {
        type = goType(resolved);
    } else {
        type = scalarGoType(resolved);
    }
    return "json: cannot unmarshal " + goValue + " into Go struct field " +
           std::string(structName) + "." + goPath(fields) + " of type " + type;
}

std::string UnknownFieldPruner::unstructuredRefusal(const json& value, const json& resolved,
                                                    std::string_view name) const {
    const Shape shape = shapeOf(resolved);
    // The converter hands IntOrString its value as JSON, where a whole float64 is an integer;
    // Go converts floats to integers when whole, and integers to floats.
    const bool wholeNumber = isWholeFloat(value) || value.is_number_integer();
    if (takes(shape, resolved, value) ||
        ((shape == Shape::Integer || shape == Shape::Number) && wholeNumber) ||
        (shape == Shape::IntOrString && isWholeFloat(value) &&
         std::fabs(value.get<double>()) <= std::numeric_limits<std::int32_t>::max())) {
        return {};
    }
    const std::string kind = typeName(value, true);
    switch (shape) {
        case Shape::Struct:
            return "cannot restore struct from: " + kind;
        case Shape::Map:
            return "cannot restore map from " + kind;
        case Shape::Array:
            return "cannot restore slice from " + kind;
        case Shape::Quantity:
            return std::string(kQuantityFormat);
        case Shape::IntOrString:
            return "json: cannot unmarshal " +
                   (value.is_number() ? "number " + value.dump() : typeName(value, false)) +
                   " into Go value of type int32";
        default:
            break;
    }
    if (!name.empty()) {
        // Time and Duration unmarshal the JSON of the value into a string.
        return "json: cannot unmarshal " + typeName(value, false) + " into Go value of type string";
    }
    const std::string type = scalarGoType(resolved);
    if (resolved.value("format", "") == "byte") {
        return "cannot restore slice from " + kind;
    }
    // Go converts an integer to a string, but not as JSON would: the converter says so.
    if ((value.is_number_float() && shape == Shape::Integer) ||
        (value.is_number_integer() && shape == Shape::String)) {
        return "cannot convert " + kind + " to " + type;
    }
    return "unrecognized type: " + type;
}

std::vector<std::string> findDuplicateFields(std::string_view body) {
    const KeyScanner keys = scan(body, false);
    std::vector<std::string> found;
    for (const auto& [position, keyPath] : keys.duplicates()) {
        found.push_back(quoted("duplicate field ", keyPath));
    }
    return found;
}

namespace {

/// The value kube-apiserver shows for a refused patch: the patch as Go prints the map it
/// decodes to for a strategic merge patch, the patched object for the others.
std::string refusedPatchValue(std::string_view patch, PatchType type, std::string patched) {
    if (type != PatchType::StrategicMerge) {
        return patched;
    }
    const json document = json::parse(patch, nullptr, false);
    return goFormat(document.is_discarded() ? json(std::string(patch)) : document);
}

/// A refused patch, as kube-apiserver reports it: an invalid "patch" of no kind and no name.
core::Error invalidPatch(const std::string& value, const std::string& message) {
    return core::Error(core::ErrorCode::Invalid, " \"\" is invalid: patch: Invalid value: " +
                                                     json(value).dump() + ": " + message);
}

std::string stringField(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// kube-apiserver reads apiVersion and kind before anything else, into strings of a struct of
/// its own; a body whose are not strings is refused before its type is known:
/// `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind;
/// json parse error: json: cannot unmarshal number into Go struct field .kind of type string
/// ({"apiVersion":"v1","kind":5,"me ...)`.
std::optional<core::Error> unreadableKind(std::string_view body, const json& object,
                                          std::string_view schemaName) {
    for (const char* key : {"apiVersion", "kind"}) {
        const auto it = object.find(key);
        if (it == object.end() || it->is_string() || it->is_null()) {
            continue;
        }
        // The body as kube-apiserver summarises it: its first 30 bytes.
        constexpr std::size_t kSummary = 30;
        const std::string summary = body.size() > kSummary
                                        ? std::string(body.substr(0, kSummary)) + " ..."
                                        : std::string(body);
        return core::Error(core::ErrorCode::BadRequest,
                           "the object provided is unrecognized (must be of type " +
                               std::string(shortGoName(schemaName)) +
                               "): couldn't get version/kind; json parse error: json: cannot "
                               "unmarshal " +
                               typeName(*it, false) + " into Go struct field ." + key +
                               " of type string (" + summary + ")");
    }
    return std::nullopt;
}

/// `ConfigMap in version "v1" cannot be handled as a ConfigMap: ` for an object of the kind
/// `schemaName` names, with the group-version-kind its body gives.
std::string cannotBeHandled(const json& object, std::string_view schemaName) {
    const std::string_view into = shortGoName(schemaName);
    std::string kind = stringField(object, "kind");
    if (kind.empty()) {
        kind = std::string(into);
    }
    std::string version = stringField(object, "apiVersion");
    if (version.empty()) {
        // "io.k8s.api.core.v1.ConfigMap": the package before the name is the version.
        const auto dot = schemaName.rfind('.');
        version =
            std::string(shortGoName(schemaName.substr(0, dot == std::string_view::npos ? 0 : dot)));
    } else if (const auto slash = version.rfind('/'); slash != std::string::npos) {
        version = version.substr(slash + 1);
    }
    return kind + " in version \"" + version + "\" cannot be handled as a " + std::string(into) +
           ": ";
}

}  // namespace

core::Result<void> FieldValidator::check(std::string_view body, json& object,
                                         const PatchType* patch) {
    // For a JSON or merge patch kube-apiserver reports the patched object as it was before
    // decoding dropped anything.
    const bool reportsPatched = patch != nullptr && *patch != PatchType::StrategicMerge &&
                                m_directive == FieldValidation::Strict;
    const std::string patched = reportsPatched ? object.dump() : std::string();
    // Unknown fields go whatever the directive: kube-apiserver decodes into Go types that
    // have no place for them. A value of the wrong type fails the decoding itself.
    std::vector<std::string> unknown;
    if (m_schema != nullptr) {
        const DecodeSource source = patch != nullptr && *patch == PatchType::StrategicMerge
                                        ? DecodeSource::Unstructured
                                        : DecodeSource::Json;
        auto decoded = m_pruner.decode(object, *m_schema, m_schemaName, source);
        if (!decoded.mismatches.empty()) {
            return typeMismatch(body, object, patch, decoded.mismatches);
        }
        unknown = std::move(decoded.unknown);
    }
    if (m_directive == FieldValidation::Ignore) {
        return core::success();
    }
    // kube-apiserver's decoder reports both kinds as it meets them: in document order.
    // Positions only matter when there is something to sort.
    const KeyScanner keys = scan(body, !unknown.empty());
    std::vector<std::pair<std::size_t, std::string>> problems;
    for (const auto& keyPath : unknown) {
        problems.emplace_back(keys.position(keyPath), quoted("unknown field ", keyPath));
    }
    // kube-apiserver decodes a JSON patch's operations strictly too, and says so.
    const char* duplicate = patch != nullptr && *patch == PatchType::Json
                                ? "json patch duplicate field "
                                : "duplicate field ";
    for (const auto& [position, keyPath] : keys.duplicates()) {
        problems.emplace_back(position, quoted(duplicate, keyPath));
    }
    std::stable_sort(problems.begin(), problems.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> found;
    for (auto& problem : problems) {
        found.push_back(std::move(problem.second));
    }
    if (found.empty()) {
        return core::success();
    }
    if (m_directive == FieldValidation::Warn) {
        m_warnings.insert(m_warnings.end(), found.begin(), found.end());
        return core::success();
    }
    if (patch != nullptr) {
        return invalidPatch(refusedPatchValue(body, *patch, patched), strictDecodingMessage(found));
    }
    return core::Error(core::ErrorCode::BadRequest, strictDecodingMessage(found));
}

core::Error FieldValidator::typeMismatch(std::string_view body, const json& object,
                                         const PatchType* patch,
                                         const std::vector<TypeMismatch>& mismatches) const {
    if (patch != nullptr) {
        // The patched object is decoded from Go's encoding of it, whose keys are sorted as
        // the walk meets them: the first mismatch is the decoder's.
        return invalidPatch(
            refusedPatchValue(body, *patch,
                              *patch == PatchType::StrategicMerge ? std::string() : object.dump()),
            mismatches.front().message);
    }
    if (auto unreadable = unreadableKind(body, object, m_schemaName)) {
        return std::move(*unreadable);
    }
    // Go's decoder stops at the first in the body's text.
    const TypeMismatch* first = &mismatches.front();
    if (mismatches.size() > 1) {
        const KeyScanner keys = scan(body, true);
        for (const auto& mismatch : mismatches) {
            if (keys.position(mismatch.path) < keys.position(first->path)) {
                first = &mismatch;
            }
        }
    }
    return core::Error(core::ErrorCode::BadRequest,
                       cannotBeHandled(object, m_schemaName) + first->message);
}

std::string strictDecodingMessage(const std::vector<std::string>& problems) {
    std::string message = "strict decoding error: ";
    for (std::size_t i = 0; i < problems.size(); ++i) {
        if (i != 0) {
            message += ", ";
        }
        message += problems[i];
    }
    return message;
}

std::string warningHeaderValue(std::string_view message) {
    std::string value = "299 - \"";
    for (const char c : message) {
        if (c == '"' || c == '\\') {
            value += '\\';
        }
        value += c;
    }
    value += '"';
    return value;
}

}  // namespace slipway::api
