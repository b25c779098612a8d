// SPDX-License-Identifier: Apache-2.0
#include "engine/api/patch.h"

#include <optional>
#include <string>

#include "engine/api/patch_metadata.h"
#include "engine/api/strategic_merge_patch.h"

namespace slipway::api {

namespace {

using core::Error;
using core::ErrorCode;
using core::Result;
using json = nlohmann::json;

// nlohmann's what() starts with "[json.exception.parse_error.101] "; users need the rest.
std::string withoutExceptionId(const json::exception& e) {
    std::string_view what = e.what();
    if (what.starts_with("[json.exception.")) {
        if (const auto end = what.find("] "); end != std::string_view::npos) {
            what.remove_prefix(end + 2);
        }
    }
    return std::string(what);
}

// json-patch's error words (evanphx/json-patch, which kube-apiserver uses): "<what>: missing
// value", "testing value /a failed: test failed".
Error notApplicable(std::string message) {
    return Error(ErrorCode::Invalid, std::move(message) + ": missing value");
}

std::optional<json::json_pointer> toPointer(const std::string& path) {
    try {
        return json::json_pointer(path);
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

bool contains(const json& document, const json::json_pointer& pointer) {
    try {
        return document.contains(pointer);
    } catch (const json::exception&) {
        return false;  // an array index too large to represent
    }
}

// Checks what nlohmann::json::patch does not (or asserts on): the target's parent must be an
// object or a list, and the other pointers must resolve. Wording follows json-patch.
Result<void> checkOperation(const json& document, const std::string& op,
                            const json::json_pointer& path, const std::string& pathText,
                            const json& operation) {
    const auto needsValue = op == "add" || op == "replace" || op == "test";
    if (needsValue && !operation.contains("value")) {
        return notApplicable(op + " operation, missing value field");
    }
    if (op == "move" || op == "copy") {
        const auto from = operation.find("from");
        if (from == operation.end() || !from->is_string()) {
            return notApplicable(op + " operation failed to decode from");
        }
        const auto fromPointer = toPointer(from->get<std::string>());
        if (!fromPointer || !contains(document, *fromPointer)) {
            return notApplicable(op + " operation does not apply: doc is missing from path: " +
                                 from->get<std::string>());
        }
        if (op == "move" && fromPointer->to_string() != pathText &&
            pathText.starts_with(fromPointer->to_string() + "/")) {
            return Error(ErrorCode::Invalid, "move operation does not apply: cannot move " +
                                                 fromPointer->to_string() + " into its own child " +
                                                 pathText);
        }
    }
    if (path.empty()) {
        return core::success();  // the whole document
    }
    const json::json_pointer parent = path.parent_pointer();
    const bool parentIsContainer = contains(document, parent) && (document.at(parent).is_object() ||
                                                                  document.at(parent).is_array());
    if (!parentIsContainer) {
        if (op == "test") {
            return notApplicable("test operation does not apply: is missing path: " + pathText);
        }
        if (op == "replace") {
            return notApplicable("replace operation does not apply: doc is missing path: " +
                                 pathText);
        }
        return notApplicable(op + " operation does not apply: doc is missing path: \"" + pathText +
                             "\"");
    }
    const bool adds = op == "add" || op == "move" || op == "copy";
    if (!adds && !contains(document, path)) {
        if (op == "test") {
            return core::success();  // compared below: a missing value only equals null
        }
        if (op == "replace") {
            return notApplicable("replace operation does not apply: doc is missing key: " +
                                 pathText);
        }
        return notApplicable("error in remove for path: '" + pathText +
                             "': Unable to remove nonexistent key: " + path.back());
    }
    return core::success();
}

Result<void> applyOperation(json& document, const json& operation) {
    if (!operation.is_object()) {
        return Error(ErrorCode::BadRequest,
                     "error decoding patch: each JSON patch operation must be an object, got " +
                         std::string(operation.type_name()));
    }
    const auto opIt = operation.find("op");
    const std::string op =
        opIt != operation.end() && opIt->is_string() ? opIt->get<std::string>() : "unknown";
    if (op != "add" && op != "remove" && op != "replace" && op != "move" && op != "copy" &&
        op != "test") {
        return Error(ErrorCode::Invalid, "Unexpected kind: " + op);
    }
    const auto pathIt = operation.find("path");
    if (pathIt == operation.end() || !pathIt->is_string()) {
        return notApplicable(op + " operation failed to decode path");
    }
    const std::string pathText = pathIt->get<std::string>();
    const auto path = toPointer(pathText);
    if (!path) {
        return notApplicable(op + " operation failed to decode path \"" + pathText + "\"");
    }
    if (auto checked = checkOperation(document, op, *path, pathText, operation); !checked) {
        return checked;
    }
    if (op == "test") {
        const json actual = contains(document, *path) ? document.at(*path) : json();
        if (actual != operation.at("value")) {
            return Error(ErrorCode::Invalid, "testing value " + pathText + " failed: test failed");
        }
        return core::success();
    }
    try {
        document.patch_inplace(json::array({operation}));
    } catch (const json::exception& e) {
        // What is left: array indexes out of range or not numbers.
        return Error(ErrorCode::Invalid,
                     "error in " + op + " for path: '" + pathText + "': " + withoutExceptionId(e));
    }
    return core::success();
}

}  // namespace

std::vector<std::string_view> acceptedPatchContentTypes(bool strategicMergePatchSupported) {
    std::vector<std::string_view> types{kJsonPatchContentType, kMergePatchContentType};
    if (strategicMergePatchSupported) {
        types.push_back(kStrategicMergePatchContentType);
    }
    return types;
}

core::Error unsupportedPatchMediaType(bool strategicMergePatchSupported) {
    std::string message =
        "the body of the request was in an unknown format - accepted media types include: ";
    const auto types = acceptedPatchContentTypes(strategicMergePatchSupported);
    for (std::size_t i = 0; i < types.size(); ++i) {
        if (i > 0) {
            message += ", ";
        }
        message += types[i];
    }
    return Error(ErrorCode::UnsupportedMediaType, std::move(message));
}

Result<PatchType> patchTypeFromContentType(std::string_view contentType,
                                           bool strategicMergePatchSupported) {
    // kube-apiserver cuts at the first ';' and compares the rest exactly.
    if (const auto semicolon = contentType.find(';'); semicolon != std::string_view::npos) {
        contentType = contentType.substr(0, semicolon);
    }
    if (contentType == kJsonPatchContentType) {
        return PatchType::Json;
    }
    if (contentType == kMergePatchContentType) {
        return PatchType::Merge;
    }
    if (contentType == kStrategicMergePatchContentType && strategicMergePatchSupported) {
        return PatchType::StrategicMerge;
    }
    return unsupportedPatchMediaType(strategicMergePatchSupported);
}

Result<json> parsePatchBody(std::string_view body) {
    try {
        return json::parse(body);
    } catch (const json::parse_error& e) {
        return Error(ErrorCode::BadRequest, "error decoding patch: " + withoutExceptionId(e));
    }
}

Result<json> applyJsonPatch(const json& object, const json& patch) {
    if (!patch.is_array()) {
        return Error(ErrorCode::BadRequest,
                     "error decoding patch: a JSON patch must be a list of operations, got " +
                         std::string(patch.type_name()));
    }
    if (patch.size() > kMaxJsonPatchOperations) {
        return Error(ErrorCode::RequestTooLarge,
                     "The allowed maximum operations in a JSON patch is " +
                         std::to_string(kMaxJsonPatchOperations) + ", got " +
                         std::to_string(patch.size()));
    }
    // Every operation must be an object before any is applied: a malformed patch is a bad
    // request, not a partial change.
    for (const auto& operation : patch) {
        if (!operation.is_object()) {
            return Error(ErrorCode::BadRequest,
                         "error decoding patch: each JSON patch operation must be an object, "
                         "got " +
                             std::string(operation.type_name()));
        }
    }
    json result = object;
    for (const auto& operation : patch) {
        if (auto applied = applyOperation(result, operation); !applied) {
            return applied.error();
        }
    }
    if (object.is_object() && !result.is_object()) {
        return Error(ErrorCode::Invalid, "the patched object must be a JSON object, got " +
                                             std::string(result.type_name()));
    }
    return result;
}

Result<json> applyMergePatch(const json& object, const json& patch) {
    if (!patch.is_object()) {
        return Error(ErrorCode::BadRequest,
                     "error decoding patch: a merge patch must be a JSON object, got " +
                         std::string(patch.type_name()));
    }
    json result = object;
    result.merge_patch(patch);
    return result;
}

Result<json> applyPatch(PatchType type, const json& object, std::string_view body,
                        const PatchMetadata* metadata) {
    if (type == PatchType::StrategicMerge && metadata == nullptr) {
        return unsupportedPatchMediaType(false);
    }
    auto patch = parsePatchBody(body);
    if (!patch) {
        return patch.error();
    }
    switch (type) {
        case PatchType::Json:
            return applyJsonPatch(object, *patch);
        case PatchType::Merge:
            return applyMergePatch(object, *patch);
        case PatchType::StrategicMerge:
            return applyStrategicMergePatch(object, *patch, *metadata);
    }
    return Error(ErrorCode::Internal, "unknown patch type");
}

}  // namespace slipway::api
