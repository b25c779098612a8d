// SPDX-License-Identifier: Apache-2.0
#include "engine/api/strategic_merge_patch.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slipway::api {

namespace {

using core::Error;
using core::ErrorCode;
using core::Result;
using json = nlohmann::json;

// The directive vocabulary, as apimachinery's strategicpatch spells it.
constexpr std::string_view kDirectiveMarker = "$patch";
constexpr std::string_view kReplaceDirective = "replace";
constexpr std::string_view kDeleteDirective = "delete";
constexpr std::string_view kMergeDirective = "merge";
constexpr std::string_view kRetainKeysDirective = "$retainKeys";
constexpr std::string_view kSetElementOrderPrefix = "$setElementOrder";
constexpr std::string_view kDeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";

Error badRequest(std::string message) {
    return Error(ErrorCode::BadRequest, std::move(message));
}

Error noMergeKey(const json& element, std::string_view mergeKey) {
    return badRequest("map: " + element.dump() +
                      " does not contain declared merge key: " + std::string(mergeKey));
}

Error badPatchType(const json& directive, const json& map) {
    const std::string name =
        directive.is_string() ? directive.get<std::string>() : directive.dump();
    return badRequest("unknown patch type: " + name + " in map: " + map.dump());
}

Error badRetainKeys() {
    return badRequest("invalid patch format of retainKeys");
}
Error badSetElementOrder() {
    return badRequest("invalid patch format of setElementOrder list");
}
Error badPrimitiveList() {
    return badRequest("invalid patch format of primitive list");
}

bool isDirective(const json& value, std::string_view directive) {
    return value.is_string() && value.get_ref<const std::string&>() == directive;
}

// "$setElementOrder/containers" → "containers". The prefix must be followed by '/' exactly.
std::optional<std::string> directiveField(std::string_view key, std::string_view prefix) {
    const auto slash = key.find('/');
    if (slash == std::string_view::npos || key.substr(0, slash) != prefix) {
        return std::nullopt;
    }
    return std::string(key.substr(slash + 1));
}

// Content that goes into the result without being merged (a new field, a replaced list, a new
// list element) loses what only a patch may carry: directive keys, null values in maps, and
// maps marked `$patch` (in a list such an element is an instruction, not an element; as a
// field value `$patch: replace` keeps its content). kube-apiserver gets the same effect by
// decoding the result into Go structs; the store here keeps JSON.
std::optional<json> cleaned(const json& value, bool listElement = false) {
    if (value.is_object()) {
        if (const auto it = value.find(kDirectiveMarker); it != value.end()) {
            if (listElement || !isDirective(*it, kReplaceDirective)) {
                return std::nullopt;
            }
        }
        json out = json::object();
        for (const auto& [key, child] : value.items()) {
            if (child.is_null() || key.starts_with('$')) {
                continue;
            }
            if (auto kept = cleaned(child)) {
                out[key] = std::move(*kept);
            }
        }
        return out;
    }
    if (value.is_array()) {
        json out = json::array();
        for (const auto& element : value) {
            if (auto kept = cleaned(element, true)) {
                out.push_back(std::move(*kept));
            }
        }
        return out;
    }
    return value;
}

// Sets `map[key]` to the cleaned `value`, or removes the key when nothing is left of it.
void assignCleaned(json& map, const std::string& key, const json& value) {
    if (auto kept = cleaned(value)) {
        map[key] = std::move(*kept);
    } else {
        map.erase(key);
    }
}

// The JSON type of a list element, as Go's reflect.TypeOf tells them apart.
enum class ElementKind { Null, Object, Array, String, Boolean, Integer, Float };

ElementKind kindOf(const json& value) {
    switch (value.type()) {
        case json::value_t::object:
            return ElementKind::Object;
        case json::value_t::array:
            return ElementKind::Array;
        case json::value_t::string:
            return ElementKind::String;
        case json::value_t::boolean:
            return ElementKind::Boolean;
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
            return ElementKind::Integer;
        case json::value_t::number_float:
            return ElementKind::Float;
        default:
            return ElementKind::Null;
    }
}

// The common element kind of two lists; none when both are empty.
Result<std::optional<ElementKind>> elementKind(const json& a, const json& b) {
    std::optional<ElementKind> kind;
    for (const json* list : {&a, &b}) {
        for (const auto& element : *list) {
            const ElementKind current = kindOf(element);
            if (!kind) {
                if (current == ElementKind::Array) {
                    return Error(ErrorCode::Invalid, "lists of lists are not supported");
                }
                kind = current;
            } else if (*kind != current) {
                return badRequest("list element types are not identical: " + a.dump() + ", " +
                                  b.dump());
            }
        }
    }
    return kind;
}

// How two list elements are identified: by the merge key for objects, by value for scalars.
struct Identity {
    std::string mergeKey;
    bool byKey = false;

    // Go compares the merge key values, a missing key reading as nil.
    json keyOf(const json& element) const {
        if (!byKey) {
            return element;
        }
        if (!element.is_object()) {
            return nullptr;
        }
        const auto it = element.find(mergeKey);
        return it == element.end() ? json() : *it;
    }
    bool same(const json& a, const json& b) const { return keyOf(a) == keyOf(b); }
};

// Position of `item` in `list`, or -1.
std::ptrdiff_t indexOf(const json& list, const json& item, const Identity& identity) {
    const json key = identity.keyOf(item);
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (identity.keyOf(list[i]) == key) {
            return static_cast<std::ptrdiff_t>(i);
        }
    }
    return -1;
}

Result<void> requireMergeKeys(const json& list, const Identity& identity) {
    if (!identity.byKey) {
        return core::success();
    }
    for (const auto& element : list) {
        if (!element.is_object()) {
            return badRequest("expected a map in list, but received " +
                              std::string(element.type_name()) + ": " + element.dump());
        }
        if (!element.contains(identity.mergeKey)) {
            return noMergeKey(element, identity.mergeKey);
        }
    }
    return core::success();
}

// Splits `list` into the elements found in `by` and the others, each in list order.
Result<std::pair<json, json>> partition(const json& list, const json& by,
                                        const Identity& identity) {
    if (auto checked = requireMergeKeys(list, identity); !checked) {
        return checked.error();
    }
    json present = json::array();
    json absent = json::array();
    for (const auto& element : list) {
        (indexOf(by, element, identity) >= 0 ? present : absent).push_back(element);
    }
    return std::pair{std::move(present), std::move(absent)};
}

// Sorts `list` by position in `order`, stably. Deletion markers go last, as in apimachinery;
// elements missing from `order` (only possible with inconsistent input) go first.
Result<json> sortByOrder(json list, const json& order, const Identity& identity) {
    json deletions = json::array();
    if (identity.byKey) {
        if (auto checked = requireMergeKeys(list, identity); !checked) {
            return checked.error();
        }
        if (auto checked = requireMergeKeys(order, identity); !checked) {
            return checked.error();
        }
        json kept = json::array();
        for (auto& element : list) {
            const auto marker = element.find(kDirectiveMarker);
            const bool deletion = marker != element.end() && isDirective(*marker, kDeleteDirective);
            (deletion ? deletions : kept).push_back(std::move(element));
        }
        list = std::move(kept);
    }
    std::vector<std::pair<std::ptrdiff_t, json>> keyed;
    keyed.reserve(list.size());
    for (auto& element : list) {
        keyed.emplace_back(indexOf(order, element, identity), std::move(element));
    }
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    json sorted = json::array();
    for (auto& [position, element] : keyed) {
        sorted.push_back(std::move(element));
    }
    for (auto& deletion : deletions) {
        sorted.push_back(std::move(deletion));
    }
    return sorted;
}

// Interleaves the server-only elements into the patch elements, keeping the relative order
// of each. A server-only element goes before the next patch element only when both are in the
// original list and it came first there; otherwise the patch element goes first. So elements
// new to the list lead, and an untouched element stays next to the neighbours it had.
json interleave(const json& serverOnly, const json& patched, const json& serverOrder,
                const Identity& identity) {
    json out = json::array();
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < serverOnly.size() || j < patched.size()) {
        if (i >= serverOnly.size()) {
            out.push_back(patched[j++]);
        } else if (j >= patched.size()) {
            out.push_back(serverOnly[i++]);
        } else {
            const auto left = indexOf(serverOrder, serverOnly[i], identity);
            const auto right = indexOf(serverOrder, patched[j], identity);
            if (left >= 0 && right >= 0 && left < right) {
                out.push_back(serverOnly[i++]);
            } else {
                out.push_back(patched[j++]);
            }
        }
    }
    return out;
}

// Orders `merged`: the elements named in `patchOrder` in that order, the rest in
// `serverOrder`'s order, interleaved (apimachinery's normalizeElementOrder).
Result<json> enforceOrder(const json& merged, const json& patchOrder, const json& serverOrder,
                          const Identity& identity) {
    auto parts = partition(merged, patchOrder, identity);
    if (!parts) {
        return parts.error();
    }
    auto patched = sortByOrder(std::move(parts->first), patchOrder, identity);
    if (!patched) {
        return patched.error();
    }
    auto serverOnly = sortByOrder(std::move(parts->second), serverOrder, identity);
    if (!serverOnly) {
        return serverOnly.error();
    }
    return interleave(*serverOnly, *patched, serverOrder, identity);
}

class StrategicMerger {
public:
    Result<json> mergeMap(json original, const json& patch, const PatchMetadata* schema);

private:
    // `rewrittenOriginal`, when given, receives the original list as apimachinery leaves it
    // for its caller (see the comment in mergeList).
    Result<json> mergeList(json original, const json& patch, const PatchField* field,
                           std::string_view fieldName, bool deleteList,
                           json* rewrittenOriginal = nullptr);
    Result<void> applySetElementOrder(json& original, json& patch, const PatchMetadata* schema);
    Result<void> checkOrderAgainstPatch(const json& patchList, const json& order,
                                        const std::string& mergeKey);
};

Result<void> applyRetainKeys(json& original, json& patch) {
    const auto it = patch.find(kRetainKeysDirective);
    if (it == patch.end()) {
        return core::success();
    }
    const json retain = *it;
    patch.erase(it);
    if (!retain.is_array()) {
        return badRetainKeys();
    }
    const auto retained = [&](const std::string& key) {
        return std::any_of(retain.begin(), retain.end(), [&](const json& entry) {
            return entry.is_string() && entry.get_ref<const std::string&>() == key;
        });
    };
    // Every field the patch sets must be retained, or the patch contradicts itself.
    for (const auto& [key, value] : patch.items()) {
        if (value.is_null() || key.starts_with('$')) {
            continue;
        }
        if (!retained(key)) {
            return badRetainKeys();
        }
    }
    for (auto field = original.begin(); field != original.end();) {
        if (retained(field.key())) {
            ++field;
        } else {
            field = original.erase(field);
        }
    }
    return core::success();
}

// The rule apimachinery checks before using a $setElementOrder list: the patch list's elements
// (deletions aside) appear in the order list, in the same relative order.
Result<void> StrategicMerger::checkOrderAgainstPatch(const json& patchList, const json& order,
                                                     const std::string& mergeKey) {
    if (order.empty() || patchList.empty()) {
        return core::success();
    }
    const Identity identity{mergeKey, !mergeKey.empty()};
    json candidates = json::array();
    for (const auto& element : patchList) {
        if (identity.byKey) {
            if (!element.is_object()) {
                return badSetElementOrder();
            }
            if (const auto marker = element.find(kDirectiveMarker);
                marker != element.end() && isDirective(*marker, kDeleteDirective)) {
                continue;
            }
        }
        candidates.push_back(element);
    }
    std::size_t patchIndex = 0;
    std::size_t orderIndex = 0;
    while (patchIndex < candidates.size() && orderIndex < order.size()) {
        const json& element = candidates[patchIndex];
        if (element.is_object() && element.contains(kDirectiveMarker)) {
            ++patchIndex;
            continue;
        }
        if (identity.byKey) {
            if (!element.contains(mergeKey)) {
                return noMergeKey(element, mergeKey);
            }
            if (!order[orderIndex].is_object() || !order[orderIndex].contains(mergeKey)) {
                return noMergeKey(order[orderIndex], mergeKey);
            }
        }
        if (identity.same(element, order[orderIndex])) {
            ++patchIndex;
        }
        ++orderIndex;
    }
    if (patchIndex < candidates.size()) {
        return badRequest("the order in patch list " + patchList.dump() +
                          " doesn't match $setElementOrder list " + order.dump());
    }
    return core::success();
}

// Handles every `$setElementOrder/<field>` of `patch`: merges the field's list (if the patch
// has one) and puts the result in the requested order. Consumes the directive and the list.
Result<void> StrategicMerger::applySetElementOrder(json& original, json& patch,
                                                   const PatchMetadata* schema) {
    std::vector<std::string> directives;
    for (const auto& [key, value] : patch.items()) {
        if (key.starts_with(kSetElementOrderPrefix)) {
            directives.push_back(key);
        }
    }
    for (const auto& directive : directives) {
        const json order = patch.at(directive);
        patch.erase(directive);
        if (!order.is_array()) {
            return badSetElementOrder();
        }
        const auto fieldName = directiveField(directive, kSetElementOrderPrefix);
        if (!fieldName) {
            return badSetElementOrder();
        }
        const PatchField* field = schema != nullptr ? schema->find(*fieldName) : nullptr;
        const std::string mergeKey = field != nullptr ? field->mergeKey : std::string();

        const auto originalIt = original.find(*fieldName);
        const auto patchIt = patch.find(*fieldName);
        const bool inOriginal = originalIt != original.end() && !originalIt->is_null();
        const bool inPatch = patchIt != patch.end();
        if (inOriginal && !originalIt->is_array()) {
            return badRequest("expected a list for " + *fieldName + ", but the object has " +
                              std::string(originalIt->type_name()));
        }
        if (inPatch && !patchIt->is_array()) {
            return badRequest("expected a list for " + *fieldName + ", but the patch has " +
                              std::string(patchIt->type_name()));
        }
        if (inPatch) {
            if (auto checked = checkOrderAgainstPatch(*patchIt, order, mergeKey); !checked) {
                return checked;
            }
        }

        json serverOrder = inOriginal ? *originalIt : json::array();
        json merged;
        if (inOriginal && inPatch) {
            if (field != nullptr && field->merge) {
                auto result =
                    mergeList(*originalIt, *patchIt, field, *fieldName, false, &serverOrder);
                if (!result) {
                    return result.error();
                }
                merged = std::move(result).value();
            } else {
                merged = *cleaned(*patchIt);
            }
        } else if (inOriginal) {
            merged = *originalIt;
        } else if (inPatch) {
            merged = *cleaned(*patchIt);
        } else {
            continue;
        }

        const bool objects =
            std::any_of(merged.begin(), merged.end(), [](const json& e) { return e.is_object(); });
        const Identity identity{mergeKey, objects && !mergeKey.empty()};
        auto ordered = enforceOrder(merged, order, serverOrder, identity);
        if (!ordered) {
            return ordered.error();
        }
        original[*fieldName] = std::move(ordered).value();
        patch.erase(*fieldName);
    }
    return core::success();
}

Result<json> StrategicMerger::mergeMap(json original, const json& patchIn,
                                       const PatchMetadata* schema) {
    if (const auto marker = patchIn.find(kDirectiveMarker); marker != patchIn.end()) {
        if (isDirective(*marker, kReplaceDirective)) {
            return *cleaned(patchIn);
        }
        if (isDirective(*marker, kDeleteDirective)) {
            // apimachinery leaves an empty map, not an absent field.
            return json::object();
        }
        // `$patch: merge` is only meaningful in lists, and even there Kubernetes refuses it.
        return badPatchType(*marker, patchIn);
    }
    if (!original.is_object()) {
        original = json::object();
    }
    json patch = patchIn;
    if (auto retained = applyRetainKeys(original, patch); !retained) {
        return retained.error();
    }
    if (auto ordered = applySetElementOrder(original, patch, schema); !ordered) {
        return ordered.error();
    }

    for (const auto& [patchKey, patchValue] : patch.items()) {
        std::string key = patchKey;
        bool deleteList = false;
        if (patchKey.starts_with(kDeleteFromPrimitiveListPrefix)) {
            auto field = directiveField(patchKey, kDeleteFromPrimitiveListPrefix);
            if (!field) {
                return badPrimitiveList();
            }
            key = std::move(*field);
            deleteList = true;
        } else if (patchKey.starts_with('$')) {
            continue;  // an unknown directive
        }

        if (patchValue.is_null()) {
            original.erase(key);
            continue;
        }
        const auto existing = original.find(key);
        if (existing == original.end()) {
            // Deleting from a list the object does not have changes nothing.
            if (!deleteList) {
                assignCleaned(original, key, patchValue);
            }
            continue;
        }
        const PatchField* field = schema != nullptr ? schema->find(key) : nullptr;
        if (existing->is_object() && patchValue.is_object()) {
            if (field != nullptr && field->replace) {
                assignCleaned(original, key, patchValue);
                continue;
            }
            auto merged = mergeMap(std::move(*existing), patchValue,
                                   field != nullptr ? field->schema.get() : nullptr);
            if (!merged) {
                return merged.error();
            }
            original[key] = std::move(merged).value();
        } else if (existing->is_array() && patchValue.is_array()) {
            if ((field != nullptr && field->merge) || deleteList) {
                auto merged = mergeList(std::move(*existing), patchValue, field, key, deleteList);
                if (!merged) {
                    return merged.error();
                }
                original[key] = std::move(merged).value();
            } else {
                assignCleaned(original, key, patchValue);
            }
        } else if (!deleteList) {
            // Scalars, or a change of type: the patch value replaces.
            assignCleaned(original, key, patchValue);
        }
    }
    return original;
}

Result<json> StrategicMerger::mergeList(json original, const json& patch, const PatchField* field,
                                        std::string_view fieldName, bool deleteList,
                                        json* rewrittenOriginal) {
    if (rewrittenOriginal != nullptr) {
        *rewrittenOriginal = original;
    }
    if (original.empty() && patch.empty()) {
        return original;
    }
    auto kind = elementKind(original, patch);
    if (!kind) {
        return kind.error();
    }
    const std::string mergeKey = field != nullptr ? field->mergeKey : std::string();
    const PatchMetadata* elementSchema = field != nullptr ? field->schema.get() : nullptr;

    if (*kind != ElementKind::Object) {
        const Identity identity{std::string(), false};
        if (deleteList) {
            json kept = json::array();
            for (auto& element : original) {
                if (indexOf(patch, element, identity) < 0) {
                    kept.push_back(std::move(element));
                }
            }
            return kept;
        }
        // An ordered set: the original's values, then the patch's new ones, then ordering.
        json merged = json::array();
        for (const json* list : {static_cast<const json*>(&original), &patch}) {
            for (const auto& element : *list) {
                if (indexOf(merged, element, identity) < 0) {
                    merged.push_back(element);
                }
            }
        }
        return enforceOrder(merged, patch, original, identity);
    }

    if (mergeKey.empty()) {
        return badRequest("cannot merge lists without merge key for " + std::string(fieldName));
    }
    const Identity identity{mergeKey, true};

    // apimachinery deletes and appends elements in place, in the Go slice it was handed, and
    // its caller then orders by `$setElementOrder` reading the original through that slice:
    // deleted elements are gone (the tail shifted left, its last slots keeping stale copies)
    // and the first new elements sit in the freed slots. Kubernetes' tests ("add map and
    // delete map from merging list") pin the resulting order down, so `slots` replays it.
    std::vector<json> slots(original.begin(), original.end());
    std::size_t length = slots.size();
    bool reallocated = false;
    const auto matches = [&](const json& existing, const json& key) {
        return existing.is_object() && existing.contains(mergeKey) && existing.at(mergeKey) == key;
    };

    // Elements carrying `$patch` act on the list rather than being part of it.
    json elements = json::array();
    bool replace = false;
    for (const auto& element : patch) {
        const auto marker = element.find(kDirectiveMarker);
        if (marker == element.end()) {
            elements.push_back(element);
            continue;
        }
        if (isDirective(*marker, kDeleteDirective)) {
            const auto key = element.find(mergeKey);
            if (key == element.end()) {
                return noMergeKey(element, mergeKey);
            }
            // Every element with that key goes.
            for (std::size_t i = 0; i < length;) {
                if (matches(slots[i], *key)) {
                    // Copy, not move: the vacated last slot keeps its old value, as in Go.
                    std::copy(slots.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                              slots.begin() + static_cast<std::ptrdiff_t>(length),
                              slots.begin() + static_cast<std::ptrdiff_t>(i));
                    --length;
                } else {
                    ++i;
                }
            }
        } else if (isDirective(*marker, kReplaceDirective)) {
            replace = true;  // keep going: later `$patch` elements are dropped too
        } else if (isDirective(*marker, kMergeDirective)) {
            return badRequest("merging lists cannot yet be specified in the patch");
        } else {
            return badPatchType(*marker, element);
        }
    }
    original = json::array();
    for (std::size_t i = 0; i < length; ++i) {
        original.push_back(slots[i]);
    }
    if (replace) {
        if (rewrittenOriginal != nullptr) {
            *rewrittenOriginal = json(slots);
        }
        return *cleaned(elements);
    }

    json merged = original;
    for (const auto& element : elements) {
        const auto key = element.find(mergeKey);
        if (key == element.end()) {
            return noMergeKey(element, mergeKey);
        }
        const auto match = std::find_if(merged.begin(), merged.end(), [&](const json& existing) {
            return matches(existing, *key);
        });
        if (match != merged.end()) {
            auto result = mergeMap(std::move(*match), element, elementSchema);
            if (!result) {
                return result.error();
            }
            *match = std::move(result).value();
        } else if (auto kept = cleaned(element, true)) {
            if (!reallocated && length < slots.size()) {
                slots[length++] = *kept;
            } else {
                reallocated = true;
            }
            merged.push_back(std::move(*kept));
        }
    }
    if (rewrittenOriginal != nullptr) {
        *rewrittenOriginal = json(slots);
    }
    return enforceOrder(merged, elements, original, identity);
}

}  // namespace

Result<json> applyStrategicMergePatch(const json& object, const json& patch,
                                      const PatchMetadata& metadata) {
    if (!patch.is_object()) {
        return badRequest(
            "error decoding patch: a strategic merge patch must be a JSON object, "
            "got " +
            std::string(patch.type_name()));
    }
    StrategicMerger merger;
    return merger.mergeMap(object, patch, &metadata);
}

}  // namespace slipway::api
