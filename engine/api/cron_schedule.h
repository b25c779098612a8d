// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/core/result.h"

namespace slipway::api {

/// A CronJob schedule, parsed as kube-apiserver and the CronJob controller parse it
/// (github.com/robfig/cron/v3 ParseStandard): five fields "minute hour day-of-month month
/// day-of-week" with '*', '?', lists, ranges, steps and the names jan..dec and sun..sat, or a
/// descriptor (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <d>).
/// As in cron, when both day fields are restricted a day matching either one fires.
class CronSchedule {
public:
    /// Parses `spec`. Failures are ErrorCode::Invalid with robfig/cron's words, which
    /// kube-apiserver passes on ("expected exactly 5 fields, found 1: [foo]", "end of range (60)
    /// above maximum (59): 60", "unrecognized descriptor: @often"). A "TZ=" or "CRON_TZ="
    /// prefix is accepted here; CronJob validation forbids it separately.
    static core::Result<CronSchedule> parse(std::string_view spec);

    /// The first activation strictly after `after`, evaluated in UTC; nothing when none comes
    /// within five years (a 30 February).
    std::optional<std::chrono::system_clock::time_point> next(
        std::chrono::system_clock::time_point after) const;

private:
    std::uint64_t m_minutes = 0;
    std::uint64_t m_hours = 0;
    std::uint64_t m_daysOfMonth = 0;
    std::uint64_t m_months = 0;
    std::uint64_t m_daysOfWeek = 0;
    bool m_anyDayOfMonth = false;  // the field was '*' or '?'
    bool m_anyDayOfWeek = false;
    std::chrono::seconds m_every{0};  // @every: a constant delay instead of fields
};

}  // namespace slipway::api
