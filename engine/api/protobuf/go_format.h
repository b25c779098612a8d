// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// The text forms Go's encoding/json gives the values kube-apiserver and client-go hold, so that
// a protobuf body decodes to the very JSON the client would have sent. No protobuf types here:
// the unit tests use these directly.
namespace slipway::api::detail {

/// time.Duration.String(): "0s", "1.5s", "1h0m0s", "100ms", "1µs", "-2m3s".
std::string formatGoDuration(std::int64_t nanoseconds);

/// A Unix time in UTC as RFC 3339 ("2024-01-02T03:04:05Z"), with `fractionDigits` digits of
/// `nanos` ("...05.123456Z" for metav1.MicroTime's 6); nanos are truncated, as Go formats them.
/// Years before 0 or after 9999 are written as Go writes them (at least four digits, a sign).
std::string formatRfc3339(std::int64_t seconds, std::int32_t nanos, int fractionDigits);

/// Go's time.Time{}.Unix(): the zero time.Time that metav1.Time encodes as JSON null.
inline constexpr std::int64_t kGoZeroTimeUnixSeconds = -62135596800;

/// base64.StdEncoding, which encoding/json uses for []byte.
std::string base64Encode(std::string_view bytes);

/// `text` with every invalid UTF-8 sequence replaced by U+FFFD, as encoding/json writes Go
/// strings (which may hold any bytes) so that the JSON stays valid.
std::string toValidUtf8(std::string_view text);

}  // namespace slipway::api::detail
