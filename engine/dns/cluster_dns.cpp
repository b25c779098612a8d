// SPDX-License-Identifier: Apache-2.0
#include "engine/dns/cluster_dns.h"

#include <spdlog/spdlog.h>

namespace slipway::dns {
namespace {

client::InformerOptions podOptions() {
    client::InformerOptions options(client::resources::pods());
    options.transform = &ClusterRecords::podTransform;
    return options;
}

}  // namespace

ClusterDns::ClusterDns(const client::Client& client, ClusterDnsOptions options)
    : m_client(client),
      m_options(std::move(options)),
      m_services(client, client::InformerOptions(client::resources::services())),
      m_endpointSlices(client, client::InformerOptions(client::ResourceRef{"discovery.k8s.io", "v1",
                                                                           "endpointslices"})),
      m_pods(client, podOptions()),
      m_records({m_services.lister(), m_endpointSlices.lister(), m_pods.lister()},
                m_options.records),
      m_server(&m_records, m_options.server) {
    ClusterRecords::addIndexes(m_services, m_endpointSlices, m_pods);
}

ClusterDns::~ClusterDns() {
    stop();
}

core::Result<void> ClusterDns::start(std::chrono::milliseconds syncTimeout) {
    m_services.start();
    m_endpointSlices.start();
    m_pods.start();
    if (!m_services.waitForSync(syncTimeout) || !m_endpointSlices.waitForSync(syncTimeout) ||
        !m_pods.waitForSync(syncTimeout)) {
        spdlog::warn("cluster dns: caches not synced after {} ms", syncTimeout.count());
    }
    if (auto started = m_server.start(); !started) {
        return started.error();
    }
    for (const auto& address : m_server.localAddresses()) {
        spdlog::info("cluster dns: listening on {} (udp, tcp) for {}", address.str(),
                     m_options.records.domain);
    }
    if (m_options.publish) {
        DnsPublication publication;
        publication.clusterIp = m_options.clusterIp;
        publication.addresses = m_server.localAddresses();
        if (auto published = publishClusterDns(m_client, publication); !published) {
            spdlog::warn("cluster dns: {}", published.error().message());
        }
        m_publisher = std::thread([this, publication] {
            std::unique_lock lock(m_mutex);
            while (
                !m_wake.wait_for(lock, m_options.republishPeriod, [this] { return m_stopping; })) {
                lock.unlock();
                if (auto published = publishClusterDns(m_client, publication); !published) {
                    spdlog::warn("cluster dns: {}", published.error().message());
                }
                lock.lock();
            }
        });
    }
    return core::success();
}

void ClusterDns::stop() {
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_publisher.joinable()) {
        m_publisher.join();
    }
    m_server.stop();
    m_pods.stop();
    m_endpointSlices.stop();
    m_services.stop();
}

}  // namespace slipway::dns
