// SPDX-License-Identifier: Apache-2.0
#include "engine/core/quantity.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <optional>

namespace slipway::core {

namespace {

// GCC and Clang provide 128-bit integers; `__extension__` keeps -Wpedantic quiet about them.
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

constexpr std::string_view kFormatWrong =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
constexpr std::string_view kSuffixWrong = "unable to parse quantity's suffix";

constexpr Int128 kNanoPerUnit = 1'000'000'000;
constexpr Int128 kNanoPerMilli = 1'000'000;
constexpr Int128 kInt128Max = static_cast<Int128>(~static_cast<UInt128>(0) >> 1);
constexpr Int128 kInt128Min = -kInt128Max - 1;
constexpr int kMaxNanoDigits = 37;  // any 37-digit number fits in 127 bits

Int128 pow10(int exponent) {
    Int128 value = 1;
    for (int i = 0; i < exponent; ++i) {
        value *= 10;
    }
    return value;
}

// parse() accepts up to 10^27 units, i.e. 10^36 nano-units; sums of thousands of those still fit.
const Int128 kMaxParsedNano = pow10(36);
// Kubernetes caps BinarySI quantities at the largest int64 (maxAllowed).
const Int128 kMaxBinaryNano =
    static_cast<Int128>(std::numeric_limits<std::int64_t>::max()) * kNanoPerUnit;

struct Suffix {
    int base = 10;
    int exponent = 0;
    Quantity::Format format = Quantity::Format::DecimalSI;
};

std::optional<Suffix> interpretSuffix(std::string_view suffix) {
    using Format = Quantity::Format;
    static constexpr std::pair<std::string_view, int> kDecimal[] = {
        {"", 0},  {"n", -9}, {"u", -6}, {"m", -3}, {"k", 3},
        {"M", 6}, {"G", 9},  {"T", 12}, {"P", 15}, {"E", 18},
    };
    static constexpr std::pair<std::string_view, int> kBinary[] = {
        {"Ki", 10}, {"Mi", 20}, {"Gi", 30}, {"Ti", 40}, {"Pi", 50}, {"Ei", 60},
    };
    for (const auto& [text, exponent] : kDecimal) {
        if (suffix == text) {
            return Suffix{10, exponent, Format::DecimalSI};
        }
    }
    for (const auto& [text, exponent] : kBinary) {
        if (suffix == text) {
            return Suffix{2, exponent, Format::BinarySI};
        }
    }
    if (suffix.size() > 1 && (suffix.front() == 'e' || suffix.front() == 'E')) {
        std::string_view digits = suffix.substr(1);
        // strconv.ParseInt takes an explicit '+'; from_chars does not.
        if (digits.front() == '+') {
            digits.remove_prefix(1);
            if (digits.empty() || digits.front() == '-') {
                return std::nullopt;
            }
        }
        int exponent = 0;
        const auto [end, ec] =
            std::from_chars(digits.data(), digits.data() + digits.size(), exponent);
        if (ec != std::errc() || end != digits.data() + digits.size()) {
            return std::nullopt;
        }
        return Suffix{10, exponent, Format::DecimalExponent};
    }
    return std::nullopt;
}

// The pieces of "<sign><num>.<denom><suffix>", split as apimachinery's parseQuantityString
// splits them, quirks included: leading zeros are dropped from num, an empty num is "0" (so "."
// and "Ki" are zero), and a lone sign is zero too.
struct Pieces {
    bool positive = true;
    std::string_view num;
    std::string_view denom;
    std::string_view suffix;
};

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

std::optional<Pieces> splitQuantity(std::string_view s) {
    Pieces pieces;
    std::size_t pos = 0;
    const std::size_t end = s.size();
    if (pos < end && (s[0] == '-' || s[0] == '+')) {
        pieces.positive = s[0] == '+';
        ++pos;
    }
    while (pos < end && s[pos] == '0') {
        ++pos;
    }
    if (pos >= end) {
        pieces.num = "0";
        return pieces;
    }
    std::size_t i = pos;
    while (i < end && isDigit(s[i])) {
        ++i;
    }
    pieces.num = s.substr(pos, i - pos);
    pos = i;
    if (pieces.num.empty()) {
        pieces.num = "0";
    }
    if (pos < end && s[pos] == '.') {
        ++pos;
        i = pos;
        while (i < end && isDigit(s[i])) {
            ++i;
        }
        pieces.denom = s.substr(pos, i - pos);
        pos = i;
    }
    const std::size_t suffixStart = pos;
    while (pos < end && std::string_view("eEinumkKMGTP").find(s[pos]) != std::string_view::npos) {
        ++pos;
    }
    if (pos < end && (s[pos] == '-' || s[pos] == '+')) {
        ++pos;
    }
    while (pos < end && isDigit(s[pos])) {
        ++pos;
    }
    if (pos < end) {
        return std::nullopt;
    }
    pieces.suffix = s.substr(suffixStart);
    return pieces;
}

// A non-negative decimal number as a digit string, most significant first, no leading zeros.
void multiplyDigits(std::string& digits, unsigned factor) {
    unsigned carry = 0;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        const unsigned product = static_cast<unsigned>(*it - '0') * factor + carry;
        *it = static_cast<char>('0' + product % 10);
        carry = product / 10;
    }
    while (carry > 0) {
        digits.insert(digits.begin(), static_cast<char>('0' + carry % 10));
        carry /= 10;
    }
}

Int128 digitsToInt(std::string_view digits) {
    Int128 value = 0;
    for (const char c : digits) {
        value = value * 10 + (c - '0');
    }
    return value;
}

std::string toDecimal(Int128 value) {
    if (value == 0) {
        return "0";
    }
    const bool negative = value < 0;
    UInt128 magnitude =
        negative ? static_cast<UInt128>(-(value + 1)) + 1 : static_cast<UInt128>(value);
    std::string out;
    while (magnitude > 0) {
        out += static_cast<char>('0' + static_cast<int>(magnitude % 10));
        magnitude /= 10;
    }
    if (negative) {
        out += '-';
    }
    std::reverse(out.begin(), out.end());
    return out;
}

// Would Kubernetes keep `text` as written? Its fast path keeps the original string for values
// that are already canonical by a cheap test (no trailing "000", a scale that is a multiple of
// three; for BinarySI a number not divisible by 8), without normalising sign or leading zeros.
bool kubernetesKeepsText(const Pieces& pieces, const Suffix& suffix) {
    const auto numLength = static_cast<int>(pieces.num.size());
    const auto denomLength = static_cast<int>(pieces.denom.size());
    if (suffix.format == Quantity::Format::BinarySI) {
        if (denomLength != 0) {
            return false;
        }
        // 15 - len(num) - exponent*3/10 - 1: the digits that are certain to fit in an int64.
        if (14 - numLength - suffix.exponent * 3 / 10 < 0) {
            return false;
        }
        return (digitsToInt(pieces.num) & 7) != 0;
    }
    if (18 - (numLength + denomLength) < 0) {
        return false;
    }
    const int scale = suffix.exponent - denomLength;
    if (scale < -9 || scale % 3 != 0) {
        return false;
    }
    const std::string shifted = std::string(pieces.num) + std::string(pieces.denom);
    return !shifted.ends_with("000") && shifted.front() != '0';
}

std::string_view decimalSuffix(int exponent) {
    switch (exponent) {
        case -9:
            return "n";
        case -6:
            return "u";
        case -3:
            return "m";
        case 3:
            return "k";
        case 6:
            return "M";
        case 9:
            return "G";
        case 12:
            return "T";
        case 15:
            return "P";
        case 18:
            return "E";
        default:
            return "";
    }
}

std::string_view binarySuffix(int power) {
    static constexpr std::string_view kSuffixes[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    return kSuffixes[power];
}

Int128 saturatingAdd(Int128 a, Int128 b) {
    Int128 sum = 0;
    if (__builtin_add_overflow(a, b, &sum)) {
        return b > 0 ? kInt128Max : kInt128Min;
    }
    return sum;
}

// Divides rounding away from zero, then clamps to int64: Kubernetes' ScaledValue rounds up.
std::int64_t roundedUp(Int128 nano, Int128 divisor) {
    Int128 quotient = nano / divisor;
    if (nano % divisor != 0) {
        quotient += nano > 0 ? 1 : -1;
    }
    constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
    constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
    return static_cast<std::int64_t>(std::clamp<Int128>(quotient, kMin, kMax));
}

}  // namespace

Result<Quantity> Quantity::parse(std::string_view text) {
    if (text.empty()) {
        return Error(ErrorCode::BadRequest, std::string(kFormatWrong));
    }
    if (text == "0") {
        Quantity zero;
        zero.m_text = "0";
        return zero;
    }
    const auto pieces = splitQuantity(text);
    if (!pieces) {
        return Error(ErrorCode::BadRequest, std::string(kFormatWrong));
    }
    const auto suffix = interpretSuffix(pieces->suffix);
    if (!suffix) {
        return Error(ErrorCode::BadRequest, std::string(kSuffixWrong));
    }

    // The exact amount in nano-units: num.denom × base^exponent, rounded up (away from zero)
    // to whole nano-units. Worked on digit strings so that any input length is exact.
    std::string digits = std::string(pieces->num) + std::string(pieces->denom);
    digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
    if (suffix->base == 2) {
        for (int i = 0; i < suffix->exponent / 10 && !digits.empty(); ++i) {
            multiplyDigits(digits, 1024);
        }
    }
    const long long shift = static_cast<long long>(suffix->base == 10 ? suffix->exponent : 0) -
                            static_cast<long long>(pieces->denom.size()) + 9;
    bool tooLarge = false;
    Int128 nano = 0;
    if (!digits.empty()) {
        if (shift >= 0) {
            if (static_cast<long long>(digits.size()) + shift > kMaxNanoDigits) {
                tooLarge = true;
            } else {
                nano = digitsToInt(digits) * pow10(static_cast<int>(shift));
            }
        } else {
            const auto drop = static_cast<std::size_t>(-shift);
            const std::string_view all(digits);
            const std::string_view head =
                drop >= all.size() ? std::string_view() : all.substr(0, all.size() - drop);
            const std::string_view tail = drop >= all.size() ? all : all.substr(all.size() - drop);
            const bool fraction = tail.find_first_not_of('0') != std::string_view::npos;
            if (head.size() > static_cast<std::size_t>(kMaxNanoDigits)) {
                tooLarge = true;
            } else {
                nano = digitsToInt(head) + (fraction ? 1 : 0);
            }
        }
    }

    Format format = suffix->format;
    if (format == Format::BinarySI) {
        if (tooLarge || nano > kMaxBinaryNano) {
            nano = kMaxBinaryNano;
            tooLarge = false;
        }
        // "0.000000000001Ki" is 2n: a BinarySI amount below one unit prints in DecimalSI.
        if (nano > 0 && nano < kNanoPerUnit) {
            format = Format::DecimalSI;
        }
    }
    if (tooLarge || nano > kMaxParsedNano) {
        return Error(ErrorCode::BadRequest, "quantity is too large: " + std::string(text) +
                                                " (the largest supported magnitude is 1e27)");
    }

    Quantity quantity(pieces->positive ? nano : -nano, format);
    if (kubernetesKeepsText(*pieces, *suffix)) {
        quantity.m_text = std::string(text);
    }
    return quantity;
}

Result<Quantity> Quantity::fromJson(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::null:
            return Quantity();
        case nlohmann::json::value_t::string: {
            // Kubernetes trims surrounding whitespace inside the JSON string.
            std::string_view text = value.get_ref<const std::string&>();
            const auto first = text.find_first_not_of(" \t\r\n");
            if (first == std::string_view::npos) {
                return parse("");
            }
            text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
            return parse(text);
        }
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
        case nlohmann::json::value_t::number_float:
            return parse(value.dump());
        default:
            return Error(ErrorCode::BadRequest, std::string(kFormatWrong));
    }
}

Quantity Quantity::fromValue(std::int64_t value, Format format) {
    return Quantity(static_cast<Nano>(value) * kNanoPerUnit, format);
}

Quantity Quantity::fromMilli(std::int64_t milli, Format format) {
    return Quantity(static_cast<Nano>(milli) * kNanoPerMilli, format);
}

std::int64_t Quantity::value() const {
    return roundedUp(m_nano, kNanoPerUnit);
}

std::int64_t Quantity::milliValue() const {
    return roundedUp(m_nano, kNanoPerMilli);
}

std::string Quantity::toString() const {
    if (!m_text.empty()) {
        return m_text;
    }
    if (m_nano == 0) {
        return "0";
    }
    const bool negative = m_nano < 0;
    // |m_nano| fits: parse() and the saturating arithmetic never produce the int128 minimum
    // except by saturation, where one nano-unit of difference is immaterial.
    const Int128 magnitude = negative ? -std::max(m_nano, -kInt128Max) : m_nano;
    const std::string sign = negative ? "-" : "";

    Format format = m_format;
    if (format == Format::BinarySI &&
        (magnitude < 1024 * kNanoPerUnit || magnitude % kNanoPerUnit != 0)) {
        // Small or fractional binary amounts read better in decimal: 5 bytes, 500m.
        format = Format::DecimalSI;
    }
    if (format == Format::BinarySI) {
        Int128 units = magnitude / kNanoPerUnit;
        int power = 0;
        while (power < 6 && units % 1024 == 0) {
            units /= 1024;
            ++power;
        }
        return sign + toDecimal(units) + std::string(binarySuffix(power));
    }

    // Decimal: strip factors of ten, then step the exponent down to a multiple of three.
    Int128 mantissa = magnitude;
    int exponent = -9;
    while (mantissa % 10 == 0) {
        mantissa /= 10;
        ++exponent;
    }
    while (exponent % 3 != 0) {
        mantissa *= 10;
        --exponent;
    }
    if (format == Format::DecimalExponent) {
        return sign + toDecimal(mantissa) +
               (exponent == 0 ? std::string() : "e" + std::to_string(exponent));
    }
    // DecimalSI has no suffix above E (10^18); Kubernetes would drop the suffix altogether,
    // which misprints the amount, so keep E and a longer number instead.
    while (exponent > 18) {
        mantissa *= 1000;
        exponent -= 3;
    }
    return sign + toDecimal(mantissa) + std::string(decimalSuffix(exponent));
}

Quantity& Quantity::operator+=(const Quantity& other) {
    if (m_nano == 0) {
        m_format = other.m_format;
    }
    m_nano = saturatingAdd(m_nano, other.m_nano);
    m_text.clear();
    return *this;
}

Quantity& Quantity::operator-=(const Quantity& other) {
    if (m_nano == 0) {
        m_format = other.m_format;
    }
    m_nano = saturatingAdd(m_nano, other.m_nano == kInt128Min ? kInt128Max : -other.m_nano);
    m_text.clear();
    return *this;
}

Quantity Quantity::operator-() const {
    return Quantity(m_nano == kInt128Min ? kInt128Max : -m_nano, m_format);
}

}  // namespace slipway::core
