// SPDX-License-Identifier: Apache-2.0
#include "engine/api/cron_schedule.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "engine/core/duration.h"

namespace slipway::api {
namespace {

struct Bounds {
    unsigned min;
    unsigned max;
    const std::array<std::string_view, 12>* names;  // names[i] is value min + i
};

constexpr std::array<std::string_view, 12> kMonthNames = {"jan", "feb", "mar", "apr", "may", "jun",
                                                          "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 12> kDayNames = {"sun", "mon", "tue", "wed", "thu", "fri",
                                                        "sat", "",    "",    "",    "",    ""};

constexpr Bounds kMinutes{0, 59, nullptr};
constexpr Bounds kHours{0, 23, nullptr};
constexpr Bounds kDaysOfMonth{1, 31, nullptr};
constexpr Bounds kMonths{1, 12, &kMonthNames};
constexpr Bounds kDaysOfWeek{0, 6, &kDayNames};

core::Error invalid(std::string message) {
    return core::Error(core::ErrorCode::Invalid, std::move(message));
}

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const auto pos = text.find(separator, start);
        parts.emplace_back(text.substr(start, pos == std::string_view::npos ? pos : pos - start));
        if (pos == std::string_view::npos) {
            return parts;
        }
        start = pos + 1;
    }
}

// Go's strconv.Atoi followed by robfig's negative check.
core::Result<unsigned> parseInt(const std::string& expr) {
    std::size_t i = 0;
    bool negative = false;
    if (i < expr.size() && (expr[i] == '+' || expr[i] == '-')) {
        negative = expr[i] == '-';
        ++i;
    }
    if (i == expr.size() || !std::all_of(expr.begin() + static_cast<std::ptrdiff_t>(i), expr.end(),
                                         [](char c) { return c >= '0' && c <= '9'; })) {
        return invalid("failed to parse int from " + expr + ": strconv.Atoi: parsing \"" + expr +
                       "\": invalid syntax");
    }
    if (expr.size() - i > 18) {
        return invalid("failed to parse int from " + expr + ": strconv.Atoi: parsing \"" + expr +
                       "\": value out of range");
    }
    const long long value = std::stoll(expr.substr(i));
    if (negative && value != 0) {
        return invalid("negative number (-" + std::to_string(value) + ") not allowed: " + expr);
    }
    if (value > 0xffffffffLL) {
        return invalid("end of range (" + std::to_string(value) + ") above maximum: " + expr);
    }
    return static_cast<unsigned>(value);
}

core::Result<unsigned> parseIntOrName(const std::string& expr, const Bounds& bounds) {
    if (bounds.names != nullptr) {
        std::string lower = expr;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        for (std::size_t i = 0; i < bounds.names->size(); ++i) {
            if (!(*bounds.names)[i].empty() && (*bounds.names)[i] == lower) {
                return static_cast<unsigned>(bounds.min + i);
            }
        }
    }
    return parseInt(expr);
}

constexpr std::uint64_t kStarBit = std::uint64_t{1} << 63;

core::Result<std::uint64_t> parseRange(const std::string& expr, const Bounds& bounds) {
    const auto rangeAndStep = split(expr, '/');
    const auto lowAndHigh = split(rangeAndStep[0], '-');
    const bool single = lowAndHigh.size() == 1;
    unsigned start = 0;
    unsigned end = 0;
    unsigned step = 1;
    std::uint64_t extra = 0;
    if (lowAndHigh[0] == "*" || lowAndHigh[0] == "?") {
        start = bounds.min;
        end = bounds.max;
        extra = kStarBit;
    } else {
        auto low = parseIntOrName(lowAndHigh[0], bounds);
        if (!low) {
            return low.error();
        }
        start = *low;
        if (lowAndHigh.size() == 1) {
            end = start;
        } else if (lowAndHigh.size() == 2) {
            auto high = parseIntOrName(lowAndHigh[1], bounds);
            if (!high) {
                return high.error();
            }
            end = *high;
        } else {
            return invalid("too many hyphens: " + expr);
        }
    }
    if (rangeAndStep.size() == 2) {
        auto parsed = parseInt(rangeAndStep[1]);
        if (!parsed) {
            return parsed.error();
        }
        step = *parsed;
        // "N/step" means "N-max/step".
        if (single) {
            end = bounds.max;
        }
        if (step > 1) {
            extra = 0;
        }
    } else if (rangeAndStep.size() > 2) {
        return invalid("too many slashes: " + expr);
    }
    if (start < bounds.min) {
        return invalid("beginning of range (" + std::to_string(start) + ") below minimum (" +
                       std::to_string(bounds.min) + "): " + expr);
    }
    if (end > bounds.max) {
        return invalid("end of range (" + std::to_string(end) + ") above maximum (" +
                       std::to_string(bounds.max) + "): " + expr);
    }
    if (start > end) {
        return invalid("beginning of range (" + std::to_string(start) + ") beyond end of range (" +
                       std::to_string(end) + "): " + expr);
    }
    if (step == 0) {
        return invalid("step of range should be a positive number: " + expr);
    }
    std::uint64_t bits = 0;
    for (unsigned value = start; value <= end; value += step) {
        bits |= std::uint64_t{1} << value;
    }
    return bits | extra;
}

core::Result<std::uint64_t> parseField(const std::string& text, const Bounds& bounds) {
    std::uint64_t bits = 0;
    for (const auto& expr : split(text, ',')) {
        if (expr.empty()) {
            continue;  // strings.FieldsFunc drops empty pieces
        }
        auto bit = parseRange(expr, bounds);
        if (!bit) {
            return bit.error();
        }
        bits |= *bit;
    }
    return bits;
}

// Go's time.ParseDuration for the units a schedule would use.
core::Result<std::chrono::seconds> parseGoDuration(std::string_view text) {
    auto parsed = core::parseGoDuration(text);
    if (!parsed) {
        return invalid(parsed.error().message());
    }
    return std::chrono::duration_cast<std::chrono::seconds>(*parsed);
}

}  // namespace

core::Result<CronSchedule> CronSchedule::parse(std::string_view spec) {
    if (spec.empty()) {
        return invalid("empty spec string");
    }
    std::string text(spec);
    if (text.rfind("TZ=", 0) == 0 || text.rfind("CRON_TZ=", 0) == 0) {
        const auto space = text.find(' ');
        if (space == std::string::npos) {
            return invalid("provided bad location " + text.substr(text.find('=') + 1) +
                           ": unknown time zone " + text.substr(text.find('=') + 1));
        }
        text = text.substr(space + 1);
        text.erase(0, text.find_first_not_of(" \t"));
    }
    CronSchedule schedule;
    if (!text.empty() && text.front() == '@') {
        std::string fields;
        if (text == "@yearly" || text == "@annually") {
            fields = "0 0 1 1 *";
        } else if (text == "@monthly") {
            fields = "0 0 1 * *";
        } else if (text == "@weekly") {
            fields = "0 0 * * 0";
        } else if (text == "@daily" || text == "@midnight") {
            fields = "0 0 * * *";
        } else if (text == "@hourly") {
            fields = "0 * * * *";
        } else if (text.rfind("@every ", 0) == 0) {
            auto every = parseGoDuration(std::string_view(text).substr(7));
            if (!every) {
                return invalid("failed to parse duration " + text + ": " + every.error().message());
            }
            // robfig/cron rounds to whole seconds with a one-second minimum.
            schedule.m_every = std::max(*every, std::chrono::seconds(1));
            return schedule;
        } else {
            return invalid("unrecognized descriptor: " + text);
        }
        return parse(fields);
    }
    std::vector<std::string> fields;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto start = text.find_first_not_of(" \t\n\r\v\f", pos);
        if (start == std::string::npos) {
            break;
        }
        const auto end = text.find_first_of(" \t\n\r\v\f", start);
        fields.push_back(text.substr(start, end == std::string::npos ? end : end - start));
        pos = end == std::string::npos ? text.size() : end;
    }
    if (fields.size() != 5) {
        std::string list = "[";
        for (std::size_t i = 0; i < fields.size(); ++i) {
            list += (i > 0 ? " " : "") + fields[i];
        }
        return invalid("expected exactly 5 fields, found " + std::to_string(fields.size()) + ": " +
                       list + "]");
    }
    const Bounds* bounds[] = {&kMinutes, &kHours, &kDaysOfMonth, &kMonths, &kDaysOfWeek};
    std::uint64_t* targets[] = {&schedule.m_minutes, &schedule.m_hours, &schedule.m_daysOfMonth,
                                &schedule.m_months, &schedule.m_daysOfWeek};
    for (std::size_t i = 0; i < 5; ++i) {
        auto bits = parseField(fields[i], *bounds[i]);
        if (!bits) {
            return bits.error();
        }
        *targets[i] = *bits;
    }
    schedule.m_anyDayOfMonth = (schedule.m_daysOfMonth & kStarBit) != 0;
    schedule.m_anyDayOfWeek = (schedule.m_daysOfWeek & kStarBit) != 0;
    return schedule;
}

std::optional<std::chrono::system_clock::time_point> CronSchedule::next(
    std::chrono::system_clock::time_point after) const {
    using namespace std::chrono;
    if (m_every.count() > 0) {
        return time_point_cast<system_clock::duration>(floor<seconds>(after) + m_every);
    }
    const auto bit = [](std::uint64_t set, unsigned value) {
        return (set & (std::uint64_t{1} << value)) != 0;
    };
    // Start at the next whole minute and skip forward field by field, as robfig/cron does.
    sys_time<minutes> t = floor<minutes>(after) + minutes(1);
    const sys_time<minutes> limit = t + hours(24 * 366 * 5);
    while (t < limit) {
        const sys_days today = floor<days>(t);
        const year_month_day date(today);
        if (!bit(m_months, static_cast<unsigned>(date.month()))) {
            const year_month_day firstOfNext =
                year_month_day(date.year(), date.month(), std::chrono::day(1)) + months(1);
            t = sys_days(firstOfNext);
            continue;
        }
        const unsigned dayOfMonth = static_cast<unsigned>(date.day());
        const unsigned dayOfWeek = weekday(today).c_encoding();
        const bool domMatch = bit(m_daysOfMonth, dayOfMonth);
        const bool dowMatch = bit(m_daysOfWeek, dayOfWeek);
        const bool dayMatch =
            (m_anyDayOfMonth || m_anyDayOfWeek) ? (domMatch && dowMatch) : (domMatch || dowMatch);
        if (!dayMatch) {
            t = today + days(1);
            continue;
        }
        const auto sinceMidnight = t - today;
        const auto hour = static_cast<unsigned>(duration_cast<hours>(sinceMidnight).count());
        if (!bit(m_hours, hour)) {
            t = today + hours(hour + 1);
            continue;
        }
        const auto minute =
            static_cast<unsigned>(duration_cast<minutes>(sinceMidnight - hours(hour)).count());
        if (!bit(m_minutes, minute)) {
            t += minutes(1);
            continue;
        }
        return time_point_cast<system_clock::duration>(t);
    }
    return std::nullopt;
}

}  // namespace slipway::api
