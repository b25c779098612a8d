// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace slipway::client {

/// The settings of client-go's DefaultControllerRateLimiter.
struct RateLimiterOptions {
    /// Per-key exponential backoff: the n-th retry of a key waits baseDelay · 2^(n-1), at most
    /// maxDelay: 5 ms, 10 ms, 20 ms, … reaching 1000 s after about 18 failures.
    std::chrono::milliseconds baseDelay{5};
    std::chrono::milliseconds maxDelay = std::chrono::seconds(1000);
    /// Overall token bucket shared by every key: `burst` retries at once, then `qps` per
    /// second, so a storm of failing keys cannot hammer the API server (10 qps, burst 100).
    double qps = 10.0;
    std::size_t burst = 100;
};

/// How long a failed key waits before it is retried: the larger of its own exponential
/// backoff and the delay the shared token bucket imposes (client-go's MaxOfRateLimiter of an
/// ItemExponentialFailureRateLimiter and a BucketRateLimiter). Thread-safe.
class RateLimiter {
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    using Clock = std::function<TimePoint()>;

    /// `clock` defaults to std::chrono::steady_clock; tests pass their own.
    explicit RateLimiter(RateLimiterOptions options = {}, Clock clock = {});

    /// Records one more failure of `key` and returns how long to wait before retrying it.
    std::chrono::nanoseconds when(const std::string& key);
    /// Forgets the failures of `key` (it succeeded): its next failure starts at baseDelay.
    void forget(const std::string& key);
    /// Failures recorded for `key` since it was last forgotten.
    int numRequeues(const std::string& key) const;

private:
    const RateLimiterOptions m_options;
    Clock m_clock;
    mutable std::mutex m_mutex;
    std::map<std::string, int, std::less<>> m_failures;
    double m_tokens;
    TimePoint m_lastRefill;
};

}  // namespace slipway::client
