// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/label_selector.h"

namespace slipway::client {

/// A cached object. Shared and immutable: copy it before changing anything (STYLE.md).
using ObjectPtr = std::shared_ptr<const nlohmann::json>;

/// What an index files an object under: zero or more values ("node-1" for a pod's
/// spec.nodeName).
using IndexFunction = std::function<std::vector<std::string>(const nlohmann::json& object)>;

/// An object's cache key, as client-go's MetaNamespaceKeyFunc: "namespace/name", or "name" for
/// cluster-scoped objects. Empty if the object has no name.
std::string objectKey(const nlohmann::json& object);
/// metadata.`field` of an object when it is a string ("name", "uid", "resourceVersion"), or "".
std::string metadataString(const nlohmann::json& object, const char* field);

/// The namespace and name of a key ("" namespace for a cluster-scoped key).
struct KeyParts {
    std::string nameSpace;
    std::string name;
};
KeyParts splitObjectKey(std::string_view key);

/// The informer's cache, in the shape of client-go's thread-safe Indexer: objects by key,
/// indexed by namespace and by any index added, read under a shared lock by many controller
/// threads at once while the informer writes.
class Indexer {
public:
    Indexer() = default;
    Indexer(const Indexer&) = delete;
    Indexer& operator=(const Indexer&) = delete;

    /// Adds an index (rebuilt over what is cached). Replaces an index of the same name.
    void addIndex(const std::string& name, IndexFunction function);

    /// Inserts or replaces the object under its key; returns the object it replaced (null if
    /// new). Objects without a name are ignored (null is returned).
    ObjectPtr upsert(ObjectPtr object);
    /// Removes the object under `key`; returns it (null if absent).
    ObjectPtr erase(std::string_view key);
    /// Replaces the whole contents; returns the previous contents by key.
    std::map<std::string, ObjectPtr, std::less<>> replace(const std::vector<ObjectPtr>& objects);

    ObjectPtr get(std::string_view key) const;
    ObjectPtr get(std::string_view nameSpace, std::string_view name) const;
    /// Every object, in key order.
    std::vector<ObjectPtr> list() const;
    /// The objects of one namespace ("" = all) whose labels `selector` matches, in key order.
    std::vector<ObjectPtr> list(std::string_view nameSpace,
                                const core::LabelSelector& selector) const;
    /// The objects an index files under `value`; empty for an unknown index.
    std::vector<ObjectPtr> byIndex(std::string_view index, std::string_view value) const;
    std::vector<std::string> keys() const;
    std::size_t size() const;

private:
    struct Index {
        IndexFunction function;
        std::map<std::string, std::set<std::string>, std::less<>> entries;
    };

    void indexLocked(const std::string& key, const nlohmann::json& object);
    void unindexLocked(const std::string& key, const nlohmann::json& object);
    static bool matches(const nlohmann::json& object, const core::LabelSelector& selector);

    mutable std::shared_mutex m_mutex;
    std::map<std::string, ObjectPtr, std::less<>> m_objects;
    std::map<std::string, std::set<std::string>, std::less<>> m_byNamespace;
    std::map<std::string, Index, std::less<>> m_indices;
};

}  // namespace slipway::client
