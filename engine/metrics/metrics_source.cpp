// SPDX-License-Identifier: Apache-2.0
#include "engine/metrics/metrics_source.h"

namespace slipway::metrics {
namespace {

template <typename T>
void append(std::vector<T>& all, std::vector<T> more) {
    all.insert(all.end(), std::make_move_iterator(more.begin()),
               std::make_move_iterator(more.end()));
}

}  // namespace

std::vector<NodeUsage> CompositeMetricsSource::nodeUsage() const {
    std::vector<NodeUsage> all;
    for (const auto* source : m_sources) {
        append(all, source->nodeUsage());
    }
    return all;
}

std::optional<NodeUsage> CompositeMetricsSource::nodeUsage(std::string_view name) const {
    for (const auto* source : m_sources) {
        if (auto usage = source->nodeUsage(name)) {
            return usage;
        }
    }
    return std::nullopt;
}

std::vector<PodUsage> CompositeMetricsSource::podUsage(std::string_view nameSpace,
                                                       const core::LabelSelector& selector) const {
    std::vector<PodUsage> all;
    for (const auto* source : m_sources) {
        append(all, source->podUsage(nameSpace, selector));
    }
    return all;
}

std::optional<PodUsage> CompositeMetricsSource::podUsage(std::string_view nameSpace,
                                                         std::string_view name) const {
    for (const auto* source : m_sources) {
        if (auto usage = source->podUsage(nameSpace, name)) {
            return usage;
        }
    }
    return std::nullopt;
}

}  // namespace slipway::metrics
