// SPDX-License-Identifier: Apache-2.0
#include "engine/metrics/metrics_source.h"

namespace slipway::metrics {

std::vector<NodeUsage> CompositeMetricsSource::nodeUsage(std::string_view name) const {
    std::vector<NodeUsage> all;
    for (const auto* source : m_sources) {
        auto usage = source->nodeUsage(name);
        all.insert(all.end(), std::make_move_iterator(usage.begin()),
                   std::make_move_iterator(usage.end()));
    }
    return all;
}

std::vector<PodUsage> CompositeMetricsSource::podUsage(std::string_view nameSpace,
                                                       std::string_view name) const {
    std::vector<PodUsage> all;
    for (const auto* source : m_sources) {
        auto usage = source->podUsage(nameSpace, name);
        all.insert(all.end(), std::make_move_iterator(usage.begin()),
                   std::make_move_iterator(usage.end()));
    }
    return all;
}

}  // namespace slipway::metrics
