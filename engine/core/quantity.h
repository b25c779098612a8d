// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/core/result.h"

namespace slipway::core {

/// A Kubernetes resource.Quantity: "100m", "0.5", "1Gi", "512Mi", "1e3", "1.5k".
///
/// The amount is held exactly as a signed 128-bit count of nano-units (10^-9), the finest
/// precision Kubernetes keeps: finer input is rounded up (away from zero) to 1n as Kubernetes
/// does. The representable range is ±1.7·10^29 units; parse() accepts at most ±10^27 units
/// (10^9 E) so that any realistic sum stays exact, and arithmetic saturates at the range ends
/// instead of wrapping. Kubernetes itself has no upper bound for decimal quantities; BinarySI
/// quantities are capped at 2^63-1 as Kubernetes caps them.
///
/// Like Kubernetes, a quantity remembers the format it was written in (BinarySI for Ki..Ei,
/// DecimalExponent for e/E, DecimalSI otherwise) and prints itself canonically in that format:
/// "1000m" → "1", "0.5" → "500m", "1024Mi" → "1Gi", "1536Mi" stays "1536Mi", "1e3" stays "1e3"
/// (a DecimalExponent quantity keeps its exponent form). Where Kubernetes keeps the text as
/// written (values already canonical: "100m", "1Gi", and quirks such as "+1" or "1.500"),
/// toString() returns the text as written too, so objects round-trip byte for byte.
class Quantity {
public:
    /// The three ways Kubernetes writes a quantity.
    enum class Format {
        DecimalExponent,  ///< 12e6
        BinarySI,         ///< 12Mi (12·2^20)
        DecimalSI,        ///< 12M (12·10^6)
    };

    /// Zero.
    Quantity() = default;

    /// Parses the Kubernetes syntax. Failures are ErrorCode::BadRequest with apimachinery's
    /// messages: "quantities must match the regular expression
    /// '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", "unable to parse quantity's suffix",
    /// or (beyond the range above) "quantity is too large".
    static Result<Quantity> parse(std::string_view text);

    /// Reads a quantity from JSON: a string, or a number (Kubernetes accepts both).
    static Result<Quantity> fromJson(const nlohmann::json& value);

    /// `value` whole units ("3" → 3 cores, 3 bytes).
    static Quantity fromValue(std::int64_t value, Format format = Format::DecimalSI);
    /// `milli` thousandths of a unit (250 → "250m").
    static Quantity fromMilli(std::int64_t milli, Format format = Format::DecimalSI);

    /// The amount in whole units, rounded up (away from zero) as Kubernetes' Value() does:
    /// "100m" → 1, "1Ki" → 1024. Saturates at the int64 range.
    std::int64_t value() const;
    /// The amount in thousandths, rounded up (away from zero): "0.1" → 100, "1n" → 1.
    /// Saturates at the int64 range.
    std::int64_t milliValue() const;

    Format format() const { return m_format; }
    bool isZero() const { return m_nano == 0; }
    /// -1, 0 or 1.
    int sign() const { return m_nano < 0 ? -1 : (m_nano > 0 ? 1 : 0); }

    /// The text Kubernetes serialises this quantity as.
    std::string toString() const;
    /// toString() as a JSON string.
    nlohmann::json toJson() const { return toString(); }

    /// Exact sum and difference. Like Kubernetes, adding to (or subtracting from) a zero
    /// quantity takes the other operand's format; otherwise the left operand's format stays.
    Quantity& operator+=(const Quantity& other);
    Quantity& operator-=(const Quantity& other);
    friend Quantity operator+(Quantity a, const Quantity& b) { return a += b; }
    friend Quantity operator-(Quantity a, const Quantity& b) { return a -= b; }
    Quantity operator-() const;

    /// Compares amounts only: "1Gi" == "1073741824", "1000m" == "1".
    friend bool operator==(const Quantity& a, const Quantity& b) { return a.m_nano == b.m_nano; }
    friend std::strong_ordering operator<=>(const Quantity& a, const Quantity& b) {
        return a.m_nano <=> b.m_nano;
    }

private:
    // GCC and Clang both provide a 128-bit integer; `__extension__` keeps -Wpedantic quiet.
    __extension__ typedef __int128 Nano;

    Quantity(Nano nano, Format format) : m_nano(nano), m_format(format) {}

    Nano m_nano = 0;
    Format m_format = Format::DecimalSI;
    // The text as parsed, when Kubernetes would print it back unchanged; cleared by arithmetic.
    std::string m_text;
};

}  // namespace slipway::core
