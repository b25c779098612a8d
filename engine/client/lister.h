// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/client/indexer.h"

namespace slipway::client {

/// A read-only view of an informer's cache: what a controller's sync(key) reads instead of the
/// API server. Cheap to copy; thread-safe. Objects come back shared and immutable: copy one
/// before changing it.
class Lister {
public:
    Lister() : m_indexer(std::make_shared<Indexer>()) {}
    explicit Lister(std::shared_ptr<const Indexer> indexer) : m_indexer(std::move(indexer)) {}

    /// The object, or null when it is not (or no longer) cached: for a controller, done.
    ObjectPtr get(std::string_view nameSpace, std::string_view name) const {
        return m_indexer->get(nameSpace, name);
    }
    ObjectPtr getByKey(std::string_view key) const { return m_indexer->get(key); }
    /// Every cached object, in key order.
    std::vector<ObjectPtr> list() const { return m_indexer->list(); }
    /// The objects of a namespace ("" = all) that `selector` selects.
    std::vector<ObjectPtr> list(std::string_view nameSpace,
                                const core::LabelSelector& selector = {}) const {
        return m_indexer->list(nameSpace, selector);
    }
    /// The objects a custom index (Informer::addIndex) files under `value`.
    std::vector<ObjectPtr> byIndex(std::string_view index, std::string_view value) const {
        return m_indexer->byIndex(index, value);
    }
    std::vector<std::string> keys() const { return m_indexer->keys(); }
    std::size_t size() const { return m_indexer->size(); }

private:
    std::shared_ptr<const Indexer> m_indexer;
};

}  // namespace slipway::client
