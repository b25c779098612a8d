// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <string_view>

namespace slipway::apiserver {

struct Identity;

/// kube-apiserver's max-in-flight filter (--max-requests-inflight 400,
/// --max-mutating-requests-inflight 200): bounds the requests being answered at once, from the
/// moment one is read until its response is written, so that a burst of clients or slow
/// readers of large lists cannot make the server hold unbounded work and memory. Beyond the
/// bound a request gets 429 TooManyRequests with Retry-After at once.
///
/// Long-running requests (watches, exec, attach, port-forward, proxy, followed logs) are not
/// counted, and neither are system:masters' requests, as in kube-apiserver without priority
/// and fairness. Thread-safe and lock-free.
class RequestLimiter {
public:
    /// Limits of 0 mean unlimited.
    RequestLimiter(int maxReadOnly, int maxMutating)
        : m_maxReadOnly(maxReadOnly), m_maxMutating(maxMutating) {}

    /// How one request is counted.
    enum class Slot { None, ReadOnly, Mutating };

    /// Whether a request may proceed, and the slot it holds until release().
    struct Admission {
        bool admitted = true;
        Slot slot = Slot::None;
    };
    /// Takes a slot for the request, or refuses it when its class is full. Exempt requests are
    /// admitted holding no slot.
    Admission admit(std::string_view method, std::string_view target, const Identity& identity);
    /// Gives back what admit() took.
    void release(Slot slot);

    int inFlightReadOnly() const { return m_readOnly.load(); }
    int inFlightMutating() const { return m_mutating.load(); }

    /// Watches, exec/attach/portforward/proxy and `log?follow=true` stay open for long: they
    /// are bounded by their own timeouts, not by this filter.
    static bool isLongRunning(std::string_view method, std::string_view target);

private:
    const int m_maxReadOnly;
    const int m_maxMutating;
    std::atomic<int> m_readOnly{0};
    std::atomic<int> m_mutating{0};
};

}  // namespace slipway::apiserver
