// SPDX-License-Identifier: Apache-2.0
#include "engine/api/field_validation.h"

#include <algorithm>
#include <limits>
#include <map>
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
/// seen twice in one object. nlohmann's DOM parser keeps the last value silently, as Go's
/// encoding/json does, so the DOM cannot tell; kube-apiserver's strict decoder reports them.
class KeyScanner : public json::json_sax_t {
public:
    /// With `recordPositions`, position() knows every key; without, only duplicates count.
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
        const std::size_t position = m_keys++;
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
    /// Where a path's key first appears among all keys; past the end when it does not.
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

std::vector<std::string> UnknownFieldPruner::prune(json& object, const json& schema) const {
    std::vector<std::string> out;
    walk(object, schema, std::string(), out);
    return out;
}

const json& UnknownFieldPruner::resolve(const json& schema) const {
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
        current = &*found;
    }
    return *current;
}

void UnknownFieldPruner::walk(json& value, const json& schema, const std::string& path,
                              std::vector<std::string>& out) const {
    const json& resolved = resolve(schema);
    if (!resolved.is_object() || resolved.value("x-kubernetes-preserve-unknown-fields", false)) {
        return;
    }
    if (value.is_object()) {
        const auto properties = resolved.find("properties");
        const auto additional = resolved.find("additionalProperties");
        if (properties != resolved.end() && properties->is_object()) {
            for (auto it = value.begin(); it != value.end();) {
                const auto field = properties->find(it.key());
                if (field == properties->end()) {
                    out.push_back(childPath(path, it.key()));
                    it = value.erase(it);
                } else {
                    walk(it.value(), *field, childPath(path, it.key()), out);
                    ++it;
                }
            }
        } else if (additional != resolved.end() && additional->is_object()) {
            for (auto& [key, inner] : value.items()) {
                walk(inner, *additional, childPath(path, key), out);
            }
        }
    } else if (value.is_array()) {
        const auto items = resolved.find("items");
        if (items == resolved.end()) {
            return;
        }
        for (std::size_t i = 0; i < value.size(); ++i) {
            walk(value[i], *items, path + "[" + std::to_string(i) + "]", out);
        }
    }
}

std::vector<std::string> findDuplicateFields(std::string_view body) {
    const KeyScanner keys = scan(body, false);
    std::vector<std::string> found;
    for (const auto& [position, keyPath] : keys.duplicates()) {
        found.push_back(quoted("duplicate field ", keyPath));
    }
    return found;
}

core::Result<void> FieldValidator::check(std::string_view body, json& object,
                                         const PatchType* patch) {
    // For a JSON or merge patch kube-apiserver reports the patched object as it was before
    // decoding dropped anything.
    const bool reportsPatched = patch != nullptr && *patch != PatchType::StrategicMerge &&
                                m_directive == FieldValidation::Strict;
    const std::string patched = reportsPatched ? object.dump() : std::string();
    // Unknown fields go whatever the directive: kube-apiserver decodes into Go types that
    // have no place for them.
    std::vector<std::string> unknown;
    if (m_schema != nullptr) {
        unknown = m_pruner.prune(object, *m_schema);
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
        // kube-apiserver reports it as an invalid "patch" of no kind and no name.
        std::string value = patched;
        if (*patch == PatchType::StrategicMerge) {
            const json document = json::parse(body, nullptr, false);
            value = goFormat(document.is_discarded() ? json(std::string(body)) : document);
        }
        return core::Error(core::ErrorCode::Invalid,
                           " \"\" is invalid: patch: Invalid value: " + json(value).dump() + ": " +
                               strictDecodingMessage(found));
    }
    return core::Error(core::ErrorCode::BadRequest, strictDecodingMessage(found));
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
