// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "engine/client/informer.h"

namespace slipway::client {

/// client-go's SharedInformerFactory: one Informer per collection, shared by every controller
/// that asks for it, so that the pods are listed, watched and cached once however many
/// controllers read them. Controllers ask for their informers in their constructors, add their
/// handlers and indexes, and the owner starts the factory once every controller exists.
///
/// Informers asked for after start() are started at once. Thread-safe; the Client must outlive
/// the factory.
class SharedInformers {
public:
    explicit SharedInformers(const Client& client, std::chrono::milliseconds defaultResync =
                                                       std::chrono::milliseconds(0));
    /// Stops every informer.
    ~SharedInformers();
    SharedInformers(const SharedInformers&) = delete;
    SharedInformers& operator=(const SharedInformers&) = delete;

    /// The informer of `resource` across all namespaces (its nameSpace and name are ignored),
    /// created on first use. The reference stays valid for the factory's lifetime.
    Informer& informerFor(const ResourceRef& resource);
    /// The same with options of its own (a resync period, a transform). The options of the first
    /// caller win: a collection has one informer.
    Informer& informerFor(const InformerOptions& options);

    /// Starts every informer not yet started. Idempotent.
    void start();
    /// Stops every informer. Idempotent.
    void stop();
    /// True once every informer created so far has synced, at most `timeout` after the call.
    bool waitForSync(std::chrono::milliseconds timeout) const;

    const Client& client() const { return m_client; }

private:
    static std::string keyOf(const ResourceRef& resource);

    const Client& m_client;
    const std::chrono::milliseconds m_defaultResync;
    mutable std::mutex m_mutex;
    std::map<std::string, std::unique_ptr<Informer>> m_informers;
    bool m_started = false;
};

}  // namespace slipway::client
