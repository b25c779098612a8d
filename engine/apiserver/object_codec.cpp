// SPDX-License-Identifier: Apache-2.0
#include "engine/apiserver/object_codec.h"

#include <array>
#include <cctype>
#include <mutex>
#include <optional>
#include <random>
#include <string_view>

#include "engine/core/timestamp.h"

namespace slipway::apiserver {
namespace {

std::mt19937_64& randomEngine() {
    // One engine per thread, seeded from the OS: UIDs must not repeat across restarts.
    thread_local std::mt19937_64 engine([] {
        std::random_device device;
        std::seed_seq seed{device(), device(), device(), device()};
        return std::mt19937_64(seed);
    }());
    return engine;
}

}  // namespace

std::string storageKey(const api::ResourceType& type, std::string_view nameSpace,
                       std::string_view name) {
    return storagePrefix(type, type.namespaced ? nameSpace : std::string_view()) +
           std::string(name);
}

std::string storagePrefix(const api::ResourceType& type, std::string_view nameSpace) {
    std::string key = "/registry/";
    key += type.group.empty() ? "core" : type.group;
    key += '/';
    key += type.plural;
    key += '/';
    if (type.namespaced && !nameSpace.empty()) {
        key += nameSpace;
        key += '/';
    }
    return key;
}

core::Result<nlohmann::json> decodeObject(const store::KeyValue& kv) {
    auto object = nlohmann::json::parse(kv.value, nullptr, false);
    if (object.is_discarded() || !object.is_object()) {
        return core::Error(core::ErrorCode::Internal, "stored object " + kv.key + " is corrupt");
    }
    object["metadata"]["resourceVersion"] = std::to_string(kv.modRevision);
    return object;
}

namespace {

/// The offset of the '{' that opens the value of the top-level member `key` of the JSON
/// object `text`, if that value is an object. A linear scan: strings are skipped with their
/// escapes, nesting is counted, and only keys directly inside the outermost object compare.
std::optional<std::size_t> topLevelObjectMember(std::string_view text, std::string_view key) {
    int depth = 0;
    bool expectKey = false;
    const std::size_t size = text.size();
    for (std::size_t i = 0; i < size; ++i) {
        const char c = text[i];
        if (c == '"') {
            std::size_t end = i + 1;
            while (end < size && text[end] != '"') {
                end += text[end] == '\\' ? std::size_t{2} : std::size_t{1};
            }
            if (end >= size) {
                return std::nullopt;
            }
            if (depth == 1 && expectKey) {
                expectKey = false;
                std::size_t next = end + 1;
                while (next < size && std::isspace(static_cast<unsigned char>(text[next]))) {
                    ++next;
                }
                if (next < size && text[next] == ':') {
                    ++next;
                    while (next < size && std::isspace(static_cast<unsigned char>(text[next]))) {
                        ++next;
                    }
                    if (text.substr(i + 1, end - i - 1) == key && next < size &&
                        text[next] == '{') {
                        return next;
                    }
                }
            }
            i = end;
        } else if (c == '{' || c == '[') {
            ++depth;
            expectKey = depth == 1 && c == '{';
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (c == ',' && depth == 1) {
            expectKey = true;
        }
    }
    return std::nullopt;
}

}  // namespace

bool appendWithResourceVersion(std::string& out, const store::KeyValue& kv) {
    const std::string_view text = kv.value;
    const auto open = topLevelObjectMember(text, "metadata");
    if (!open) {
        return false;
    }
    std::size_t rest = *open + 1;
    while (rest < text.size() && std::isspace(static_cast<unsigned char>(text[rest]))) {
        ++rest;
    }
    const bool empty = rest < text.size() && text[rest] == '}';
    out.append(text.substr(0, *open + 1));
    out.append("\"resourceVersion\":\"");
    out.append(std::to_string(kv.modRevision));
    out.append(empty ? "\"" : "\",");
    out.append(text.substr(*open + 1));
    return true;
}

std::string encodeObject(const nlohmann::json& object) {
    if (object.contains("metadata") && object["metadata"].contains("resourceVersion")) {
        nlohmann::json copy = object;
        copy["metadata"].erase("resourceVersion");
        return copy.dump();
    }
    return object.dump();
}

core::Result<nlohmann::json> parseObjectBody(std::string_view body) {
    if (body.empty()) {
        return core::Error(core::ErrorCode::BadRequest, "the request body is empty");
    }
    try {
        auto object = nlohmann::json::parse(body);
        if (!object.is_object()) {
            return core::Error(core::ErrorCode::BadRequest,
                               "the body of the request is not a JSON object");
        }
        return object;
    } catch (const nlohmann::json::parse_error& e) {
        return core::Error(
            core::ErrorCode::BadRequest,
            std::string("the body of the request was in an unknown format: ") + e.what());
    }
}

std::string rfc3339(std::chrono::system_clock::time_point time) {
    return core::formatTimestamp(time);
}

std::string newUid() {
    std::uniform_int_distribution<std::uint64_t> distribution;
    std::uint64_t high = distribution(randomEngine());
    std::uint64_t low = distribution(randomEngine());
    high = (high & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
    low = (low & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;    // variant 10
    std::array<char, 37> text{};
    std::snprintf(text.data(), text.size(), "%08x-%04x-%04x-%04x-%012llx",
                  static_cast<unsigned>(high >> 32), static_cast<unsigned>((high >> 16) & 0xffff),
                  static_cast<unsigned>(high & 0xffff), static_cast<unsigned>(low >> 48),
                  static_cast<unsigned long long>(low & 0xffffffffffffULL));
    return std::string(text.data(), 36);
}

std::string randomNameSuffix() {
    static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    std::uniform_int_distribution<std::size_t> distribution(0, kAlphabet.size() - 1);
    std::string suffix;
    for (int i = 0; i < 5; ++i) {
        suffix.push_back(kAlphabet[distribution(randomEngine())]);
    }
    return suffix;
}

core::Result<nlohmann::json> decodeObject(const store::KeyValue& kv,
                                          const api::ResourceType& type) {
    auto object = decodeObject(kv);
    if (!object || !type.fromStorage) {
        return object;
    }
    return type.fromStorage(std::move(*object));
}

std::string encodeObject(const nlohmann::json& object, const api::ResourceType& type) {
    return type.toStorage ? encodeObject(type.toStorage(object)) : encodeObject(object);
}

}  // namespace slipway::apiserver
