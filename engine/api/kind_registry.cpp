// SPDX-License-Identifier: Apache-2.0
#include "engine/api/kind_registry.h"

#include <algorithm>
#include <mutex>

namespace slipway::api {

bool ResourceType::hasSubresource(const std::string& name) const {
    return findSubresource(name) != nullptr;
}

const Subresource* ResourceType::findSubresource(const std::string& name) const {
    const auto it = std::find_if(subresources.begin(), subresources.end(),
                                 [&name](const Subresource& sub) { return sub.name == name; });
    return it == subresources.end() ? nullptr : &*it;
}

bool ResourceType::allows(const std::string& verb) const {
    return std::find(verbs.begin(), verbs.end(), verb) != verbs.end();
}

core::Result<void> KindRegistry::add(ResourceType type) {
    std::unique_lock lock(m_mutex);
    for (const auto& existing : m_types) {
        if (existing->group == type.group && existing->version == type.version &&
            (existing->plural == type.plural || existing->kind == type.kind)) {
            return core::Error(
                core::ErrorCode::Conflict,
                "resource " + type.qualifiedResource() + "/" + type.version + " is already served");
        }
    }
    m_types.push_back(std::make_shared<const ResourceType>(std::move(type)));
    return core::success();
}

void KindRegistry::replace(ResourceType type) {
    std::unique_lock lock(m_mutex);
    auto replacement = std::make_shared<const ResourceType>(std::move(type));
    for (auto& existing : m_types) {
        if (existing->group == replacement->group && existing->version == replacement->version &&
            existing->plural == replacement->plural) {
            existing = std::move(replacement);
            return;
        }
    }
    m_types.push_back(std::move(replacement));
}

core::Result<void> KindRegistry::remove(const std::string& group, const std::string& version,
                                        const std::string& plural) {
    std::unique_lock lock(m_mutex);
    const auto it = std::find_if(m_types.begin(), m_types.end(), [&](const auto& type) {
        return type->group == group && type->version == version && type->plural == plural;
    });
    if (it == m_types.end()) {
        return core::Error(core::ErrorCode::NotFound, "resource " + plural + " is not served");
    }
    m_types.erase(it);
    return core::success();
}

std::shared_ptr<const ResourceType> KindRegistry::find(std::string_view group,
                                                       std::string_view version,
                                                       std::string_view plural) const {
    std::shared_lock lock(m_mutex);
    for (const auto& type : m_types) {
        if (type->group == group && type->version == version && type->plural == plural) {
            return type;
        }
    }
    return nullptr;
}

std::shared_ptr<const ResourceType> KindRegistry::findKind(std::string_view group,
                                                           std::string_view version,
                                                           std::string_view kind) const {
    std::shared_lock lock(m_mutex);
    for (const auto& type : m_types) {
        if (type->group == group && type->version == version && type->kind == kind) {
            return type;
        }
    }
    return nullptr;
}

std::vector<GroupVersionInfo> KindRegistry::groupVersions() const {
    std::shared_lock lock(m_mutex);
    std::vector<GroupVersionInfo> result;
    // Core first, as /api comes before /apis; then groups in the order they were registered.
    for (const bool core : {true, false}) {
        for (const auto& type : m_types) {
            if (type->group.empty() != core) {
                continue;
            }
            const bool known = std::any_of(result.begin(), result.end(), [&](const auto& gv) {
                return gv.group == type->group && gv.version == type->version;
            });
            if (!known) {
                // A group's versions stay together, the first registered (preferred) first:
                // discovery lists each group once with all its versions.
                const auto last = std::find_if(result.rbegin(), result.rend(), [&](const auto& gv) {
                    return gv.group == type->group;
                });
                if (last == result.rend()) {
                    result.push_back({type->group, type->version, true});
                } else {
                    result.insert(last.base(), {type->group, type->version, false});
                }
            }
        }
    }
    return result;
}

std::vector<std::shared_ptr<const ResourceType>> KindRegistry::resources(
    std::string_view group, std::string_view version) const {
    std::shared_lock lock(m_mutex);
    std::vector<std::shared_ptr<const ResourceType>> result;
    for (const auto& type : m_types) {
        if (type->group == group && type->version == version) {
            result.push_back(type);
        }
    }
    return result;
}

std::vector<std::shared_ptr<const ResourceType>> KindRegistry::all() const {
    std::shared_lock lock(m_mutex);
    return m_types;
}

}  // namespace slipway::api
