// SPDX-License-Identifier: Apache-2.0
#include "gui/models/manifest_document.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "engine/core/go_format.h"
#include "gui/models/object_details.h"

namespace slipway::gui {

using nlohmann::json;

namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool allDigits(std::string_view s, std::string_view digits) {
    return !s.empty() && s.find_first_not_of(digits) == std::string_view::npos;
}

/// A plain integer as Kubernetes' YAML decoder (go-yaml v2, YAML 1.1) reads it: decimal,
/// 0x hex, 0b binary, a leading 0 for octal (`defaultMode: 0644` is 420); underscores allowed.
std::optional<json> plainInteger(std::string_view text) {
    std::string s;
    for (char c : text) {
        if (c != '_') {
            s += c;
        }
    }
    bool negative = false;
    std::string_view digits = s;
    if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
        negative = digits[0] == '-';
        digits.remove_prefix(1);
    }
    int base = 10;
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        base = 16;
        digits.remove_prefix(2);
        if (!allDigits(digits, "0123456789abcdefABCDEF")) {
            return std::nullopt;
        }
    } else if (digits.size() > 2 && digits[0] == '0' && digits[1] == 'b') {
        base = 2;
        digits.remove_prefix(2);
        if (!allDigits(digits, "01")) {
            return std::nullopt;
        }
    } else if (digits.size() > 1 && digits[0] == '0') {
        base = 8;
        digits.remove_prefix(1);
        if (!allDigits(digits, "01234567")) {
            return std::nullopt;
        }
    } else if (!allDigits(digits, "0123456789")) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    const auto [end, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
    if (ec != std::errc() || end != digits.data() + digits.size()) {
        return std::nullopt;
    }
    return json(negative ? -value : value);
}

std::optional<json> plainFloat(std::string_view s) {
    // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
        ++i;
    }
    const std::size_t mantissa = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0) {
        ++i;
    }
    bool digitsBefore = i > mantissa;
    bool digitsAfter = false;
    if (i < s.size() && s[i] == '.') {
        ++i;
        const std::size_t fraction = i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0) {
            ++i;
        }
        digitsAfter = i > fraction;
    }
    if (!digitsBefore && !digitsAfter) {
        return std::nullopt;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
            ++i;
        }
        const std::size_t exponent = i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0) {
            ++i;
        }
        if (i == exponent) {
            return std::nullopt;
        }
    }
    if (i != s.size()) {
        return std::nullopt;
    }
    try {
        return json(std::stod(std::string(s)));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

/// A plain (unquoted, untagged) scalar resolved as go-yaml v2 does for Kubernetes.
json resolvePlain(const std::string& s) {
    static const char* const kNull[] = {"", "~", "null", "Null", "NULL"};
    static const char* const kTrue[] = {"y",  "Y",  "yes",  "Yes",  "YES", "on",
                                        "On", "ON", "true", "True", "TRUE"};
    static const char* const kFalse[] = {"n",   "N",   "no",    "No",    "NO",   "off",
                                         "Off", "OFF", "false", "False", "FALSE"};
    for (const char* v : kNull) {
        if (s == v) {
            return nullptr;
        }
    }
    for (const char* v : kTrue) {
        if (s == v) {
            return true;
        }
    }
    for (const char* v : kFalse) {
        if (s == v) {
            return false;
        }
    }
    if (auto integer = plainInteger(s)) {
        return *integer;
    }
    if (auto number = plainFloat(s)) {
        return *number;
    }
    return s;
}

json resolveScalar(const YAML::Node& node) {
    const std::string& tag = node.Tag();
    const std::string& value = node.Scalar();
    if (tag == "!" || tag.ends_with(":str")) {
        return value;
    }
    if (tag.ends_with(":int")) {
        if (auto integer = plainInteger(value)) {
            return *integer;
        }
    }
    if (tag.ends_with(":float")) {
        if (auto number = plainFloat(value)) {
            return *number;
        }
    }
    if (tag.ends_with(":bool") || tag.ends_with(":null") || tag == "?") {
        return resolvePlain(value);
    }
    return value;  // any other tag: its text
}

std::string escapePointerToken(const std::string& token) {
    std::string out;
    for (char c : token) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

std::vector<std::string> pointerTokens(const std::string& pointer) {
    std::vector<std::string> tokens;
    if (pointer.empty()) {
        return tokens;
    }
    try {
        json::json_pointer parsed(pointer);
        while (!parsed.empty()) {
            tokens.insert(tokens.begin(), parsed.back());
            parsed.pop_back();
        }
    } catch (const json::exception&) {
        tokens.clear();
    }
    return tokens;
}

std::string parentPointer(const std::string& pointer) {
    const auto slash = pointer.rfind('/');
    return slash == std::string::npos ? std::string() : pointer.substr(0, slash);
}

/// The byte range of the scalar starting at `begin`, when it is on one line and its text can
/// be replaced as a whole: a double- or single-quoted scalar, or a plain one whose text is its
/// value (so not folded over several lines).
std::optional<std::pair<std::size_t, std::size_t>> scalarExtent(const std::string& text,
                                                                std::size_t begin, bool flow,
                                                                const std::string& value) {
    const std::size_t n = text.size();
    if (begin >= n) {
        return std::nullopt;
    }
    const char first = text[begin];
    if (first == '"') {
        for (std::size_t i = begin + 1; i < n; ++i) {
            if (text[i] == '\n') {
                return std::nullopt;
            }
            if (text[i] == '\\') {
                ++i;
            } else if (text[i] == '"') {
                return std::make_pair(begin, i + 1);
            }
        }
        return std::nullopt;
    }
    if (first == '\'') {
        for (std::size_t i = begin + 1; i < n; ++i) {
            if (text[i] == '\n') {
                return std::nullopt;
            }
            if (text[i] == '\'') {
                if (i + 1 < n && text[i + 1] == '\'') {
                    ++i;
                    continue;
                }
                return std::make_pair(begin, i + 1);
            }
        }
        return std::nullopt;
    }
    if (first == '|' || first == '>' || first == '!' || first == '&' || first == '*') {
        return std::nullopt;
    }
    std::size_t end = begin;
    while (end < n && text[end] != '\n' && text[end] != '\r') {
        if (text[end] == '#' && end > begin && isSpace(text[end - 1])) {
            break;
        }
        if (flow && (text[end] == ',' || text[end] == ']' || text[end] == '}')) {
            break;
        }
        ++end;
    }
    while (end > begin && isSpace(text[end - 1])) {
        --end;
    }
    if (text.compare(begin, end - begin, value) != 0) {
        return std::nullopt;  // a plain scalar folded over several lines
    }
    return std::make_pair(begin, end);
}

/// Walks a parsed document into JSON and records every node's place in the text.
struct Walker {
    const std::string& text;
    std::size_t base = 0;  // byte offset of the document in `text`
    int baseLine = 0;
    std::map<std::string, NodeSpan>& spans;

    json walk(const YAML::Node& node, const std::string& pointer, int keyLine, bool flow) {
        const YAML::Mark mark = node.Mark();
        const bool placed = mark.pos >= 0 && mark.line >= 0;
        const std::size_t pos = placed ? base + static_cast<std::size_t>(mark.pos) : 0;
        NodeSpan span;
        span.line = keyLine >= 0 ? keyLine : (placed ? baseLine + mark.line : baseLine);
        json out;
        switch (node.Type()) {
            case YAML::NodeType::Scalar: {
                span.type = NodeSpan::Type::Scalar;
                out = resolveScalar(node);
                if (placed) {
                    if (auto extent = scalarExtent(text, pos, flow, node.Scalar())) {
                        span.editable = true;
                        span.valueBegin = extent->first;
                        span.valueEnd = extent->second;
                    }
                }
                break;
            }
            case YAML::NodeType::Map: {
                span.type = NodeSpan::Type::Map;
                const bool childFlow = flow || node.Style() == YAML::EmitterStyle::Flow;
                span.block = !childFlow;
                out = json::object();
                bool first = true;
                for (auto it = node.begin(); it != node.end(); ++it) {
                    const YAML::Node key = it->first;
                    const YAML::Node value = it->second;
                    const std::string name = key.IsScalar() ? key.Scalar() : YAML::Dump(key);
                    const YAML::Mark keyMark = key.Mark();
                    const int line = keyMark.line >= 0 ? baseLine + keyMark.line : span.line;
                    if (first && keyMark.pos >= 0) {
                        span.firstKey = base + static_cast<std::size_t>(keyMark.pos);
                        span.indent = keyMark.column;
                    } else if (first) {
                        span.block = false;
                    }
                    first = false;
                    out[name] =
                        walk(value, pointer + "/" + escapePointerToken(name), line, childFlow);
                }
                break;
            }
            case YAML::NodeType::Sequence: {
                span.type = NodeSpan::Type::Sequence;
                const bool childFlow = flow || node.Style() == YAML::EmitterStyle::Flow;
                out = json::array();
                std::size_t index = 0;
                for (auto it = node.begin(); it != node.end(); ++it) {
                    const YAML::Node item = *it;
                    out.push_back(
                        walk(item, pointer + "/" + std::to_string(index++), -1, childFlow));
                }
                break;
            }
            case YAML::NodeType::Null:
            case YAML::NodeType::Undefined:
                span.type = NodeSpan::Type::Null;
                out = nullptr;
                // `key: null` or `key: ~` written out can be replaced like any scalar.
                if (placed &&
                    (text.compare(pos, 4, "null") == 0 || text.compare(pos, 1, "~") == 0)) {
                    if (auto extent =
                            scalarExtent(text, pos, flow, text[pos] == '~' ? "~" : "null")) {
                        span.editable = true;
                        span.valueBegin = extent->first;
                        span.valueEnd = extent->second;
                    }
                }
                break;
        }
        spans[pointer] = span;
        return out;
    }
};

/// A document separator line: `---` alone, or followed by blanks or a comment (as
/// Kubernetes' YAML reader splits multi-document files).
bool isSeparator(std::string_view line) {
    if (!line.starts_with("---")) {
        return false;
    }
    line.remove_prefix(3);
    return line.empty() || isSpace(line[0]);
}

std::string spaces(int count) {
    return std::string(static_cast<std::size_t>(std::max(0, count)), ' ');
}

}  // namespace

std::string ManifestPart::title() const {
    if (!object.is_object()) {
        return {};
    }
    std::string title = object.value("kind", std::string());
    const auto name = object.value("/metadata/name"_json_pointer, json());
    if (name.is_string()) {
        title += "/" + name.get<std::string>();
    }
    return title;
}

void ManifestDocument::setText(std::string text) {
    const std::string previous = std::exchange(m_text, std::move(text));
    parse(previous);
}

void ManifestDocument::parse(const std::string& previous) {
    // A keystroke changes one document: the others are taken over from the last parse (moved
    // to where they are now) instead of parsed again. yaml-cpp takes ~13 ms per 1,000 lines.
    std::vector<ManifestPart> old = std::move(m_parts);
    std::vector<bool> taken(old.size(), false);
    m_parts.clear();
    std::vector<std::size_t> lineStarts{0};
    for (std::size_t i = 0; i < m_text.size(); ++i) {
        if (m_text[i] == '\n') {
            lineStarts.push_back(i + 1);
        }
    }
    auto lineOf = [&](std::size_t pos) {
        return static_cast<int>(std::upper_bound(lineStarts.begin(), lineStarts.end(), pos) -
                                lineStarts.begin()) -
               1;
    };
    // Split at separator lines; the text before the first one is a document too.
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
    std::size_t begin = 0;
    for (std::size_t i = 0; i < lineStarts.size(); ++i) {
        const std::size_t start = lineStarts[i];
        if (start > m_text.size()) {
            break;
        }
        const std::size_t stop = i + 1 < lineStarts.size() ? lineStarts[i + 1] : m_text.size();
        if (isSeparator(std::string_view(m_text).substr(start, stop - start))) {
            if (start > begin || !ranges.empty() || start > 0) {
                ranges.emplace_back(begin, start);
            }
            begin = stop;
        }
    }
    ranges.emplace_back(begin, m_text.size());

    for (const auto& [from, to] : ranges) {
        const std::string_view text = std::string_view(m_text).substr(from, to - from);
        const int firstLine = lineOf(from);
        bool reused = false;
        for (std::size_t i = 0; i < old.size() && !reused; ++i) {
            if (taken[i] || old[i].end - old[i].begin != text.size() ||
                std::string_view(previous).substr(old[i].begin, text.size()) != text) {
                continue;
            }
            taken[i] = true;
            reused = true;
            ManifestPart part = std::move(old[i]);
            const auto shift = [delta = static_cast<std::ptrdiff_t>(from) -
                                        static_cast<std::ptrdiff_t>(part.begin)](std::size_t& at) {
                at = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(at) + delta);
            };
            const int lines = firstLine - part.firstLine;
            for (auto& [pointer, span] : part.spans) {
                span.line += lines;
                if (span.editable) {
                    shift(span.valueBegin);
                    shift(span.valueEnd);
                }
                if (span.block) {
                    shift(span.firstKey);
                }
            }
            if (part.error) {
                part.error->line += lines;
            }
            part.begin = from;
            part.end = to;
            part.firstLine = firstLine;
            part.lastLine += lines;
            m_parts.push_back(std::move(part));
        }
        if (reused) {
            continue;
        }
        ManifestPart part;
        part.begin = from;
        part.end = to;
        part.firstLine = firstLine;
        part.lastLine = to > from ? lineOf(to - 1) : part.firstLine;
        const std::string chunk(text);
        try {
            const YAML::Node root = YAML::Load(chunk);
            Walker walker{m_text, from, part.firstLine, part.spans};
            part.object = walker.walk(root, "", -1, false);
        } catch (const YAML::Exception& e) {
            part.object = nullptr;
            part.spans.clear();
            YamlSyntaxError error;
            error.line = part.firstLine + std::max(0, e.mark.line);
            error.column = std::max(0, e.mark.column);
            error.message = e.msg;
            part.error = std::move(error);
        }
        m_parts.push_back(std::move(part));
    }
}

std::vector<json> ManifestDocument::objects() const {
    std::vector<json> result;
    for (const auto& part : m_parts) {
        if (part.object.is_object() && !part.error) {
            result.push_back(part.object);
        }
    }
    return result;
}

int ManifestDocument::partAtLine(int line) const {
    for (std::size_t i = 0; i < m_parts.size(); ++i) {
        if (line <= m_parts[i].lastLine) {
            return static_cast<int>(i);
        }
    }
    return m_parts.empty() ? -1 : static_cast<int>(m_parts.size()) - 1;
}

std::string ManifestDocument::pointerOfField(std::string_view fieldPath) {
    std::string pointer;
    std::string token;
    bool any = false;
    auto flush = [&] {
        if (any) {
            pointer += "/" + escapePointerToken(token);
        }
        token.clear();
        any = false;
    };
    for (std::size_t i = 0; i < fieldPath.size(); ++i) {
        const char c = fieldPath[i];
        if (c == '.') {
            flush();
        } else if (c == '[') {
            flush();
            const auto close = fieldPath.find(']', i);
            if (close == std::string_view::npos) {
                break;
            }
            token = std::string(fieldPath.substr(i + 1, close - i - 1));
            any = true;
            flush();
            i = close;
        } else {
            token += c;
            any = true;
        }
    }
    flush();
    return pointer;
}

int ManifestDocument::lineOfPointer(int part, const std::string& pointer) const {
    if (part < 0 || part >= static_cast<int>(m_parts.size())) {
        return -1;
    }
    const ManifestPart& p = m_parts[static_cast<std::size_t>(part)];
    std::string at = pointer;
    while (true) {
        if (auto it = p.spans.find(at); it != p.spans.end()) {
            return it->second.line;
        }
        if (at.empty()) {
            return p.firstLine;
        }
        at = parentPointer(at);
    }
}

int ManifestDocument::lineOfField(int part, std::string_view fieldPath) const {
    return lineOfPointer(part, pointerOfField(fieldPath));
}

std::string ManifestDocument::yamlScalar(const json& value) {
    if (!value.is_string()) {
        return value.is_null() ? std::string("null") : value.dump();
    }
    const std::string& s = value.get_ref<const std::string&>();
    static constexpr std::string_view kIndicators = "-?:,[]{}#&*!|>'\"%@`";
    const bool plain = !s.empty() && !isSpace(s.front()) && !isSpace(s.back()) &&
                       kIndicators.find(s.front()) == std::string_view::npos &&
                       s.find(": ") == std::string::npos && s.find(" #") == std::string::npos &&
                       s.find_first_of("\n\t\r") == std::string::npos && s.back() != ':' &&
                       resolvePlain(s) == json(s);
    if (plain) {
        return s;
    }
    // YAML's double-quoted escapes include Go's %q ones (\", \\, \n, \t, \r, \xNN).
    return core::goQuote(s);
}

json ManifestDocument::parseYaml(const std::string& text) {
    ManifestDocument document(text);
    return document.parts().empty() ? json() : document.parts().front().object;
}

ManifestDocument::EditResult ManifestDocument::applyEdit(TextEdit edit, bool reemitted) {
    std::string text = m_text;
    text.replace(edit.begin, edit.end - edit.begin, edit.text);
    setText(std::move(text));
    return EditResult{std::move(edit), reemitted};
}

std::optional<ManifestDocument::EditResult> ManifestDocument::reemit(int part, json object) {
    const ManifestPart& p = m_parts[static_cast<std::size_t>(part)];
    std::string yaml = objectYaml(object).toStdString();
    if (!yaml.empty() && yaml.back() != '\n') {
        yaml += '\n';
    }
    return applyEdit(TextEdit{p.begin, p.end, std::move(yaml)}, true);
}

std::optional<ManifestDocument::EditResult> ManifestDocument::setValue(int part,
                                                                       const std::string& pointer,
                                                                       const json& value) {
    if (part < 0 || part >= static_cast<int>(m_parts.size())) {
        return std::nullopt;
    }
    const ManifestPart& p = m_parts[static_cast<std::size_t>(part)];
    if (p.error || !(p.object.is_object() || p.object.is_null())) {
        return std::nullopt;
    }
    json::json_pointer target;
    try {
        target = json::json_pointer(pointer);
    } catch (const json::exception&) {
        return std::nullopt;
    }
    if (p.object.is_object() && p.object.contains(target) && p.object.at(target) == value) {
        return std::nullopt;
    }
    // 1. The scalar is there, on one line: replace its characters.
    if (auto it = p.spans.find(pointer); it != p.spans.end()) {
        if (it->second.editable) {
            return applyEdit(
                TextEdit{it->second.valueBegin, it->second.valueEnd, yamlScalar(value)}, false);
        }
    } else {
        // 2. A new key below a block mapping: insert indented lines before its first key.
        std::string ancestor = pointer;
        std::vector<std::string> missing;
        auto found = p.spans.end();
        while (true) {
            found = p.spans.find(ancestor);
            if (found != p.spans.end() || ancestor.empty()) {
                break;
            }
            missing.insert(missing.begin(), pointerTokens(ancestor).back());
            ancestor = parentPointer(ancestor);
        }
        const bool keysOnly =
            std::none_of(missing.begin() + (missing.empty() ? 0 : 1), missing.end(),
                         [](const std::string& t) { return allDigits(t, "0123456789"); });
        if (found != p.spans.end() && found->second.type == NodeSpan::Type::Map &&
            found->second.block && !missing.empty() && keysOnly) {
            const NodeSpan& map = found->second;
            std::string insert;
            for (std::size_t i = 0; i < missing.size(); ++i) {
                insert += yamlScalar(json(missing[i]));
                if (i + 1 < missing.size()) {
                    insert += ":\n" + spaces(map.indent + 2 * static_cast<int>(i + 1));
                } else {
                    insert += ": " + yamlScalar(value);
                }
            }
            insert += "\n" + spaces(map.indent);
            return applyEdit(TextEdit{map.firstKey, map.firstKey, std::move(insert)}, false);
        }
    }
    // 3. Anything else: the document from its JSON.
    json object = p.object.is_object() ? p.object : json::object();
    try {
        object[target] = value;
    } catch (const json::exception&) {
        return std::nullopt;
    }
    return reemit(part, std::move(object));
}

std::optional<ManifestDocument::EditResult> ManifestDocument::removeValue(
    int part, const std::string& pointer) {
    if (part < 0 || part >= static_cast<int>(m_parts.size()) || pointer.empty()) {
        return std::nullopt;
    }
    const ManifestPart& p = m_parts[static_cast<std::size_t>(part)];
    const auto it = p.spans.find(pointer);
    if (p.error || !p.object.is_object() || it == p.spans.end()) {
        return std::nullopt;
    }
    const auto parent = p.spans.find(parentPointer(pointer));
    const NodeSpan& span = it->second;
    if (parent != p.spans.end() && parent->second.type == NodeSpan::Type::Map &&
        parent->second.block && span.editable) {
        // `key: value` alone on its line: remove the line, unless the key opens the line of a
        // list item ("- name: x") or is the only key of its mapping.
        std::size_t lineStart = m_text.rfind('\n', span.valueBegin);
        lineStart = lineStart == std::string::npos ? 0 : lineStart + 1;
        std::size_t lineEnd = m_text.find('\n', span.valueEnd);
        lineEnd = lineEnd == std::string::npos ? m_text.size() : lineEnd + 1;
        const std::string_view head =
            std::string_view(m_text).substr(lineStart, span.valueBegin - lineStart);
        const auto firstNonBlank = head.find_first_not_of(' ');
        const bool ownLine = firstNonBlank != std::string_view::npos && head[firstNonBlank] != '-';
        // The field goes with every ancestor it is the only key of ("strategy:\n  type: X"
        // loses both lines), up to a block mapping that keeps other keys.
        std::string top = pointer;
        while (!parentPointer(top).empty()) {
            const std::string up = parentPointer(top);
            const auto upSpan = p.spans.find(up);
            const json& upValue = p.object.at(json::json_pointer(up));
            if (upSpan == p.spans.end() || upSpan->second.type != NodeSpan::Type::Map ||
                !upSpan->second.block || upValue.size() > 1) {
                break;
            }
            top = up;
        }
        const json& keeper = p.object.at(json::json_pointer(parentPointer(top)));
        if (top != pointer) {
            // Start at the line of the outermost removed key.
            const int topLine = p.spans.at(top).line;
            std::size_t start = 0;
            for (int line = 0; line < topLine; ++line) {
                start = m_text.find('\n', start) + 1;
            }
            const std::string_view topHead =
                std::string_view(m_text).substr(start, lineStart - start);
            const auto blank = topHead.find_first_not_of(' ');
            if (blank == std::string_view::npos || topHead[blank] == '-') {
                start = std::string::npos;  // a list item's first key: leave it to re-emitting
            }
            lineStart = start;
        }
        const auto keeperSpan = p.spans.find(parentPointer(top));
        if (ownLine && lineStart != std::string::npos && keeper.size() > 1 &&
            keeperSpan != p.spans.end() && keeperSpan->second.block) {
            return applyEdit(TextEdit{lineStart, lineEnd, {}}, false);
        }
    }
    json object = p.object;
    json::json_pointer target(pointer);
    try {
        object.at(target.parent_pointer()).erase(target.back());
    } catch (const json::exception&) {
        return std::nullopt;
    }
    return reemit(part, std::move(object));
}

}  // namespace slipway::gui
