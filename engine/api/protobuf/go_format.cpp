// SPDX-License-Identifier: Apache-2.0
#include "engine/api/protobuf/go_format.h"

namespace slipway::api::detail {

namespace {

// Go's fmtFrac: writes the fraction of v/10^precision before `end` ("" when it is zero, no
// trailing zeros otherwise) and returns v/10^precision.
std::uint64_t prependFraction(std::string& out, std::uint64_t v, int precision) {
    std::string digits;
    bool print = false;
    for (int i = 0; i < precision; ++i) {
        const auto digit = static_cast<char>('0' + v % 10);
        print = print || digit != '0';
        if (print) {
            digits.insert(digits.begin(), digit);
        }
        v /= 10;
    }
    if (print) {
        out.insert(0, "." + digits);
    }
    return v;
}

void prependInt(std::string& out, std::uint64_t v) {
    out.insert(0, std::to_string(v));
}

// Zero-padded to `width` digits, with a leading '-' for negatives: Go's appendInt.
std::string paddedInt(std::int64_t value, int width) {
    std::string digits = std::to_string(value < 0 ? -static_cast<std::uint64_t>(value)
                                                  : static_cast<std::uint64_t>(value));
    if (digits.size() < static_cast<std::size_t>(width)) {
        digits.insert(0, static_cast<std::size_t>(width) - digits.size(), '0');
    }
    return value < 0 ? "-" + digits : digits;
}

struct CivilDate {
    std::int64_t year;
    unsigned month;
    unsigned day;
};

// Howard Hinnant's civil_from_days: the proleptic Gregorian date of a day count from
// 1970-01-01, valid over the whole int64 range Go's time.Time can hold.
CivilDate civilFromDays(std::int64_t days) {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto dayOfEra = static_cast<std::uint64_t>(days - era * 146097);
    const std::uint64_t yearOfEra =
        (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const std::uint64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const std::uint64_t monthIndex = (5 * dayOfYear + 2) / 153;
    const auto day = static_cast<unsigned>(dayOfYear - (153 * monthIndex + 2) / 5 + 1);
    const auto month = static_cast<unsigned>(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
    const std::int64_t year = static_cast<std::int64_t>(yearOfEra) + era * 400 + (month <= 2);
    return {year, month, day};
}

// Floor division and modulo, so that times before 1970 land on the right day.
std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

bool isContinuation(unsigned char c) {
    return c >= 0x80 && c <= 0xBF;
}

// Length of the valid UTF-8 sequence at `text[i]`, or 0: Go's utf8.DecodeRuneInString rules
// (no overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t validSequenceLength(std::string_view text, std::size_t i) {
    const auto at = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    const unsigned char c = at(0);
    const std::size_t left = text.size() - i;
    if (c < 0x80) {
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        return left >= 2 && isContinuation(at(1)) ? 2 : 0;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (left < 3) {
            return 0;
        }
        const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
        const unsigned char hi = c == 0xED ? 0x9F : 0xBF;
        return at(1) >= lo && at(1) <= hi && isContinuation(at(2)) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (left < 4) {
            return 0;
        }
        const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
        const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
        return at(1) >= lo && at(1) <= hi && isContinuation(at(2)) && isContinuation(at(3)) ? 4 : 0;
    }
    return 0;
}

}  // namespace

std::string formatGoDuration(std::int64_t nanoseconds) {
    // Go's time.Duration.String, step by step.
    constexpr std::uint64_t kMicrosecond = 1000;
    constexpr std::uint64_t kMillisecond = 1000 * kMicrosecond;
    constexpr std::uint64_t kSecond = 1000 * kMillisecond;
    const bool negative = nanoseconds < 0;
    std::uint64_t u = negative ? -static_cast<std::uint64_t>(nanoseconds)
                               : static_cast<std::uint64_t>(nanoseconds);
    std::string out;
    if (u < kSecond) {
        // Below a second the unit shrinks: "1.2ms", "15µs", "7ns".
        if (u == 0) {
            return "0s";
        }
        int precision = 0;
        if (u < kMicrosecond) {
            out = "ns";
        } else if (u < kMillisecond) {
            precision = 3;
            out = "\xC2\xB5s";  // U+00B5 MICRO SIGN, as Go writes it
        } else {
            precision = 6;
            out = "ms";
        }
        u = prependFraction(out, u, precision);
        prependInt(out, u);
    } else {
        out = "s";
        u = prependFraction(out, u, 9);
        prependInt(out, u % 60);
        u /= 60;
        if (u > 0) {
            out.insert(0, "m");
            prependInt(out, u % 60);
            u /= 60;
            if (u > 0) {
                out.insert(0, "h");
                prependInt(out, u);
            }
        }
    }
    return negative ? "-" + out : out;
}

std::string formatRfc3339(std::int64_t seconds, std::int32_t nanos, int fractionDigits) {
    constexpr std::int64_t kSecondsPerDay = 86400;
    const std::int64_t days = floorDiv(seconds, kSecondsPerDay);
    const std::int64_t secondOfDay = seconds - days * kSecondsPerDay;
    const CivilDate date = civilFromDays(days);
    std::string out = paddedInt(date.year, 4) + "-" + paddedInt(date.month, 2) + "-" +
                      paddedInt(date.day, 2) + "T" + paddedInt(secondOfDay / 3600, 2) + ":" +
                      paddedInt(secondOfDay / 60 % 60, 2) + ":" + paddedInt(secondOfDay % 60, 2);
    if (fractionDigits > 0) {
        std::string fraction = paddedInt(nanos < 0 ? 0 : nanos, 9);
        out += "." + fraction.substr(0, static_cast<std::size_t>(fractionDigits));
    }
    return out + "Z";
}

std::string base64Encode(std::string_view bytes) {
    static constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    const auto byteAt = [&](std::size_t k) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k]));
    };
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t n = byteAt(i) << 16 | byteAt(i + 1) << 8 | byteAt(i + 2);
        out += kAlphabet[n >> 18 & 63];
        out += kAlphabet[n >> 12 & 63];
        out += kAlphabet[n >> 6 & 63];
        out += kAlphabet[n & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        const std::uint32_t n = byteAt(i) << 16 | (rest == 2 ? byteAt(i + 1) << 8 : 0);
        out += kAlphabet[n >> 18 & 63];
        out += kAlphabet[n >> 12 & 63];
        out += rest == 2 ? kAlphabet[n >> 6 & 63] : '=';
        out += '=';
    }
    return out;
}

std::string toValidUtf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t length = validSequenceLength(text, i);
        if (length == 0) {
            // One U+FFFD per bad byte, as encoding/json does.
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(text.substr(i, length));
            i += length;
        }
    }
    return out;
}

}  // namespace slipway::api::detail
