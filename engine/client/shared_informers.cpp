// SPDX-License-Identifier: Apache-2.0
#include "engine/client/shared_informers.h"

#include <vector>

namespace slipway::client {

SharedInformers::SharedInformers(const Client& client, std::chrono::milliseconds defaultResync)
    : m_client(client), m_defaultResync(defaultResync) {}

SharedInformers::~SharedInformers() {
    stop();
}

std::string SharedInformers::keyOf(const ResourceRef& resource) {
    return resource.group + "/" + resource.version + "/" + resource.resource;
}

Informer& SharedInformers::informerFor(const ResourceRef& resource) {
    InformerOptions options(resource);
    options.resyncPeriod = m_defaultResync;
    return informerFor(options);
}

Informer& SharedInformers::informerFor(const InformerOptions& options) {
    const std::scoped_lock lock(m_mutex);
    auto& slot = m_informers[keyOf(options.resource)];
    if (!slot) {
        InformerOptions shared = options;
        shared.resource.nameSpace.clear();
        shared.resource.name.clear();
        shared.resource.subresource.clear();
        slot = std::make_unique<Informer>(m_client, std::move(shared));
        if (m_started) {
            slot->start();
        }
    }
    return *slot;
}

void SharedInformers::start() {
    const std::scoped_lock lock(m_mutex);
    if (m_started) {
        return;
    }
    m_started = true;
    for (auto& [key, informer] : m_informers) {
        informer->start();
    }
}

void SharedInformers::stop() {
    std::vector<Informer*> informers;
    {
        const std::scoped_lock lock(m_mutex);
        for (auto& [key, informer] : m_informers) {
            informers.push_back(informer.get());
        }
    }
    for (auto* informer : informers) {
        informer->stop();
    }
}

bool SharedInformers::waitForSync(std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::vector<const Informer*> informers;
    {
        const std::scoped_lock lock(m_mutex);
        for (const auto& [key, informer] : m_informers) {
            informers.push_back(informer.get());
        }
    }
    for (const auto* informer : informers) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (!informer->waitForSync(std::max(left, std::chrono::milliseconds(0)))) {
            return false;
        }
    }
    return true;
}

}  // namespace slipway::client
