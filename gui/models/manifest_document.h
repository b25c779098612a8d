// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace slipway::gui {

/// A change of a manifest's text: bytes [begin, end) of the UTF-8 text become `text`. Editors
/// apply it in place (QScintilla positions are UTF-8 byte offsets), which keeps their undo
/// history, their cursor and everything outside the range, comments included.
struct TextEdit {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::string text;
};

/// A YAML syntax error of one document, at a 0-based line and column of the whole text.
struct YamlSyntaxError {
    int line = 0;
    int column = 0;
    std::string message;
};

/// Where one node of a document is in the text.
struct NodeSpan {
    enum class Type { Scalar, Map, Sequence, Null };
    Type type = Type::Null;
    /// 0-based line of the field: its key's line for a mapping value, else the value's line.
    int line = 0;
    /// Byte offsets of a scalar's text (quotes included); valid only when `editable`.
    std::size_t valueBegin = 0;
    std::size_t valueEnd = 0;
    /// A single-line scalar (plain or quoted) whose text can be replaced in place.
    bool editable = false;
    /// A block (indented) mapping; `firstKey` is the offset of its first key, `indent` that
    /// key's column: where a new key can be inserted without touching anything else.
    bool block = false;
    std::size_t firstKey = 0;
    int indent = 0;
};

/// One document of a multi-document YAML file (documents separated by `---` lines).
struct ManifestPart {
    std::size_t begin = 0;  ///< byte offset of the document's first character
    std::size_t end = 0;    ///< byte offset past its last character (the next `---` line)
    int firstLine = 0;      ///< 0-based
    int lastLine = 0;       ///< 0-based, inclusive
    /// The document as JSON (YAML 1.1 scalars resolved as Kubernetes' YAML decoder does);
    /// null for an empty document or one with a syntax error.
    nlohmann::json object;
    std::optional<YamlSyntaxError> error;
    /// JSON pointer ("/spec/replicas", "" for the root) → where the node is.
    std::map<std::string, NodeSpan> spans;

    /// "Deployment/web", "Service" or "" (empty document).
    std::string title() const;
};

/// A manifest file as text plus its parsed documents, edited through the text so that what the
/// user wrote (comments, key order, quoting, blank lines) survives edits made elsewhere (a
/// form): setValue() replaces only the characters of the changed scalar, or inserts one
/// indented line for a new key. Only when neither is possible (the parent is a flow mapping
/// `{...}`, a block scalar `|`, a new list element) is the one document re-emitted from its
/// JSON, which drops that document's comments, as any yaml-cpp round trip does.
///
/// No Qt: it is the pure core of ManifestEditorModel, and it is tested on its own.
class ManifestDocument {
public:
    ManifestDocument() = default;
    explicit ManifestDocument(std::string text) { setText(std::move(text)); }

    /// Replaces the text and parses it again.
    void setText(std::string text);
    const std::string& text() const { return m_text; }

    const std::vector<ManifestPart>& parts() const { return m_parts; }
    /// The objects of every non-empty, well-formed document, in order.
    std::vector<nlohmann::json> objects() const;
    /// The document `line` (0-based) is in; -1 when there is none.
    int partAtLine(int line) const;

    /// The 0-based line of the field `fieldPath` of document `part`, as apimachinery prints
    /// field paths ("spec.template.spec.containers[0].image", "data[key.name]"); a field that
    /// is not in the text (a default, a missing required field) maps to its nearest ancestor
    /// that is. -1 for a bad index.
    int lineOfField(int part, std::string_view fieldPath) const;
    /// The same for a JSON pointer ("/spec/replicas").
    int lineOfPointer(int part, const std::string& pointer) const;

    struct EditResult {
        TextEdit edit;
        /// The document had to be re-emitted from its JSON: its comments are gone.
        bool reemitted = false;
    };

    /// Sets the scalar at `pointer` ("/spec/replicas") of document `part` to `value` (a JSON
    /// string, number, boolean or null) by editing the text as described above, then parses
    /// again. Returns the edit made, or nothing when `part` is not a well-formed object or the
    /// value is already there.
    std::optional<EditResult> setValue(int part, const std::string& pointer,
                                       const nlohmann::json& value);
    /// Removes the field at `pointer` (a `key: value` line of a block mapping in place,
    /// otherwise by re-emitting the document). Nothing when it is not there.
    std::optional<EditResult> removeValue(int part, const std::string& pointer);

    /// A field path of apimachinery's form as a JSON pointer:
    /// "spec.containers[0].image" → "/spec/containers/0/image", "data[a.b]" → "/data/a.b".
    static std::string pointerOfField(std::string_view fieldPath);
    /// `value` as a YAML scalar that reads back as the same JSON value: plain when that is safe,
    /// double-quoted otherwise ("1.25", "true", "", "a: b").
    static std::string yamlScalar(const nlohmann::json& value);
    /// The JSON of a YAML text (first document only); throws nothing, null when it is not
    /// YAML. For tests and templates.
    static nlohmann::json parseYaml(const std::string& text);

private:
    /// Parses m_text; documents whose text is unchanged from `previous` are reused.
    void parse(const std::string& previous);
    EditResult applyEdit(TextEdit edit, bool reemitted);
    std::optional<EditResult> reemit(int part, nlohmann::json object);

    std::string m_text;
    std::vector<ManifestPart> m_parts;
};

}  // namespace slipway::gui
