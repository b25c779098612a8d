// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "engine/client/client.h"
#include "engine/client/informer.h"
#include "engine/core/result.h"
#include "engine/dns/cluster_records.h"
#include "engine/dns/dns_publisher.h"
#include "engine/dns/dns_server.h"

namespace slipway::dns {

/// Options of the node's cluster DNS.
struct ClusterDnsOptions {
    ClusterRecordsOptions records;
    DnsServerOptions server;
    /// Publish kube-system/kube-dns (Service, Endpoints, EndpointSlice) once listening, and
    /// again every `republishPeriod` (a deleted or edited Service comes back; an API server
    /// not ready at start is tried again).
    bool publish = true;
    std::chrono::milliseconds republishPeriod = std::chrono::seconds(30);
    std::string clusterIp = "10.96.0.10";
};

/// The cluster DNS of a node: informers of Services, EndpointSlices and Pods through the Client,
/// ClusterRecords on their caches, a DnsServer, and the kube-dns Service that points pods at it.
/// The Client must outlive it.
class ClusterDns {
public:
    ClusterDns(const client::Client& client, ClusterDnsOptions options);
    /// Stops it.
    ~ClusterDns();
    ClusterDns(const ClusterDns&) = delete;
    ClusterDns& operator=(const ClusterDns&) = delete;

    /// Starts the informers, waits for their first lists (at most `syncTimeout`), listens, and
    /// publishes the Service. Fails when a listen address cannot be bound.
    core::Result<void> start(std::chrono::milliseconds syncTimeout = std::chrono::seconds(10));
    /// Stops the server and the informers. Idempotent.
    void stop();

    const ClusterRecords& records() const { return m_records; }
    const DnsServer& server() const { return m_server; }

private:
    const client::Client& m_client;
    const ClusterDnsOptions m_options;
    client::Informer m_services;
    client::Informer m_endpointSlices;
    client::Informer m_pods;
    ClusterRecords m_records;
    DnsServer m_server;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_publisher;
};

}  // namespace slipway::dns
