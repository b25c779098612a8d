// SPDX-License-Identifier: Apache-2.0
#include "engine/client/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace slipway::client {

RateLimiter::RateLimiter(RateLimiterOptions options, Clock clock)
    : m_options(options), m_clock(std::move(clock)) {
    if (!m_clock) {
        m_clock = [] { return std::chrono::steady_clock::now(); };
    }
    m_tokens = static_cast<double>(m_options.burst);
    m_lastRefill = m_clock();
}

std::chrono::nanoseconds RateLimiter::when(const std::string& key) {
    std::lock_guard lock(m_mutex);
    const auto now = m_clock();

    // Per key: 5 ms · 2^failures, computed in floating point so that 2^64 cannot overflow, and
    // capped: the 19th failure would be 5 ms · 2^18 = 1311 s, so it and later ones wait 1000 s.
    const int failures = m_failures[key]++;
    const double base = std::chrono::duration<double, std::nano>(m_options.baseDelay).count();
    const double cap = std::chrono::duration<double, std::nano>(m_options.maxDelay).count();
    const double exponential = std::min(cap, base * std::pow(2.0, failures));

    // Shared bucket, as golang.org/x/time/rate reserves: take a token now, possibly one not
    // yet refilled, and wait until it would have been. Burst 100 at 10 qps: the 101st retry
    // within an instant waits 100 ms, the 110th a second.
    double bucketWait = 0.0;
    if (m_options.qps > 0.0) {
        const double elapsed = std::chrono::duration<double>(now - m_lastRefill).count();
        m_tokens =
            std::min(static_cast<double>(m_options.burst), m_tokens + elapsed * m_options.qps);
        m_lastRefill = now;
        m_tokens -= 1.0;
        if (m_tokens < 0.0) {
            bucketWait = -m_tokens / m_options.qps * 1e9;
        }
    }
    return std::chrono::nanoseconds(static_cast<std::int64_t>(std::max(exponential, bucketWait)));
}

void RateLimiter::forget(const std::string& key) {
    std::lock_guard lock(m_mutex);
    m_failures.erase(key);
}

int RateLimiter::numRequeues(const std::string& key) const {
    std::lock_guard lock(m_mutex);
    const auto it = m_failures.find(key);
    return it == m_failures.end() ? 0 : it->second;
}

}  // namespace slipway::client
