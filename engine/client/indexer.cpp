// SPDX-License-Identifier: Apache-2.0
#include "engine/client/indexer.h"

#include <mutex>

namespace slipway::client {

using nlohmann::json;

std::string metadataString(const json& object, const char* field) {
    if (!object.is_object()) {
        return {};
    }
    const auto metadata = object.find("metadata");
    if (metadata == object.end() || !metadata->is_object()) {
        return {};
    }
    const auto value = metadata->find(field);
    return value != metadata->end() && value->is_string() ? value->get<std::string>()
                                                          : std::string();
}

std::string objectKey(const json& object) {
    const std::string name = metadataString(object, "name");
    if (name.empty()) {
        return {};
    }
    const std::string nameSpace = metadataString(object, "namespace");
    return nameSpace.empty() ? name : nameSpace + "/" + name;
}

KeyParts splitObjectKey(std::string_view key) {
    const auto slash = key.find('/');
    if (slash == std::string_view::npos) {
        return {{}, std::string(key)};
    }
    return {std::string(key.substr(0, slash)), std::string(key.substr(slash + 1))};
}

bool Indexer::matches(const json& object, const core::LabelSelector& selector) {
    if (selector.empty()) {
        return true;
    }
    static const json kNoLabels = json::object();
    const json* labels = &kNoLabels;
    if (object.is_object()) {
        const auto metadata = object.find("metadata");
        if (metadata != object.end() && metadata->is_object()) {
            const auto found = metadata->find("labels");
            if (found != metadata->end() && found->is_object()) {
                labels = &*found;
            }
        }
    }
    return selector.matches(*labels);
}

void Indexer::indexLocked(const std::string& key, const json& object) {
    m_byNamespace[metadataString(object, "namespace")].insert(key);
    for (auto& [name, index] : m_indices) {
        for (auto& value : index.function(object)) {
            index.entries[std::move(value)].insert(key);
        }
    }
}

void Indexer::unindexLocked(const std::string& key, const json& object) {
    if (const auto it = m_byNamespace.find(metadataString(object, "namespace"));
        it != m_byNamespace.end()) {
        it->second.erase(key);
        if (it->second.empty()) {
            m_byNamespace.erase(it);
        }
    }
    for (auto& [name, index] : m_indices) {
        for (const auto& value : index.function(object)) {
            if (const auto it = index.entries.find(value); it != index.entries.end()) {
                it->second.erase(key);
                if (it->second.empty()) {
                    index.entries.erase(it);
                }
            }
        }
    }
}

void Indexer::addIndex(const std::string& name, IndexFunction function) {
    std::unique_lock lock(m_mutex);
    Index index;
    index.function = std::move(function);
    for (const auto& [key, object] : m_objects) {
        for (auto& value : index.function(*object)) {
            index.entries[std::move(value)].insert(key);
        }
    }
    m_indices[name] = std::move(index);
}

ObjectPtr Indexer::upsert(ObjectPtr object) {
    if (!object) {
        return nullptr;
    }
    std::string key = objectKey(*object);
    if (key.empty()) {
        return nullptr;
    }
    std::unique_lock lock(m_mutex);
    ObjectPtr previous;
    if (const auto it = m_objects.find(key); it != m_objects.end()) {
        previous = it->second;
        unindexLocked(key, *previous);
    }
    indexLocked(key, *object);
    m_objects[key] = std::move(object);
    return previous;
}

ObjectPtr Indexer::erase(std::string_view key) {
    std::unique_lock lock(m_mutex);
    const auto it = m_objects.find(key);
    if (it == m_objects.end()) {
        return nullptr;
    }
    ObjectPtr previous = it->second;
    unindexLocked(it->first, *previous);
    m_objects.erase(it);
    return previous;
}

std::map<std::string, ObjectPtr, std::less<>> Indexer::replace(
    const std::vector<ObjectPtr>& objects) {
    std::map<std::string, ObjectPtr, std::less<>> fresh;
    for (const auto& object : objects) {
        if (object) {
            if (std::string key = objectKey(*object); !key.empty()) {
                fresh[std::move(key)] = object;
            }
        }
    }
    std::unique_lock lock(m_mutex);
    m_byNamespace.clear();
    for (auto& [name, index] : m_indices) {
        index.entries.clear();
    }
    for (const auto& [key, object] : fresh) {
        indexLocked(key, *object);
    }
    m_objects.swap(fresh);
    return fresh;  // now the previous contents
}

ObjectPtr Indexer::get(std::string_view key) const {
    std::shared_lock lock(m_mutex);
    const auto it = m_objects.find(key);
    return it == m_objects.end() ? nullptr : it->second;
}

ObjectPtr Indexer::get(std::string_view nameSpace, std::string_view name) const {
    std::string key;
    if (!nameSpace.empty()) {
        key.append(nameSpace).append("/");
    }
    key.append(name);
    return get(key);
}

std::vector<ObjectPtr> Indexer::list() const {
    std::shared_lock lock(m_mutex);
    std::vector<ObjectPtr> out;
    out.reserve(m_objects.size());
    for (const auto& [key, object] : m_objects) {
        out.push_back(object);
    }
    return out;
}

std::vector<ObjectPtr> Indexer::list(std::string_view nameSpace,
                                     const core::LabelSelector& selector) const {
    std::shared_lock lock(m_mutex);
    std::vector<ObjectPtr> out;
    if (selector.matchesNothing()) {
        return out;
    }
    if (nameSpace.empty()) {
        for (const auto& [key, object] : m_objects) {
            if (matches(*object, selector)) {
                out.push_back(object);
            }
        }
        return out;
    }
    const auto keys = m_byNamespace.find(nameSpace);
    if (keys == m_byNamespace.end()) {
        return out;
    }
    for (const auto& key : keys->second) {
        const auto& object = m_objects.find(key)->second;
        if (matches(*object, selector)) {
            out.push_back(object);
        }
    }
    return out;
}

std::vector<ObjectPtr> Indexer::byIndex(std::string_view index, std::string_view value) const {
    std::shared_lock lock(m_mutex);
    std::vector<ObjectPtr> out;
    const auto found = m_indices.find(index);
    if (found == m_indices.end()) {
        return out;
    }
    const auto keys = found->second.entries.find(value);
    if (keys == found->second.entries.end()) {
        return out;
    }
    for (const auto& key : keys->second) {
        out.push_back(m_objects.find(key)->second);
    }
    return out;
}

std::vector<std::string> Indexer::keys() const {
    std::shared_lock lock(m_mutex);
    std::vector<std::string> out;
    out.reserve(m_objects.size());
    for (const auto& [key, object] : m_objects) {
        out.push_back(key);
    }
    return out;
}

std::size_t Indexer::size() const {
    std::shared_lock lock(m_mutex);
    return m_objects.size();
}

}  // namespace slipway::client
