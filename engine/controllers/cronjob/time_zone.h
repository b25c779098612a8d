// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/result.h"

namespace slipway::controllers::cronjob {

/// An IANA time zone read from the system's zoneinfo database (TZif files, as Go's
/// time.LoadLocation reads them), for CronJob's spec.timeZone: the UTC offset at any instant.
/// "UTC" and "Etc/UTC" need no database.
class TimeZone {
public:
    /// Loads `name` ("Europe/Berlin") from `directory`. Errors: NotFound ("unknown time zone
    /// Europe/Nowhere", Go's words) or Invalid for a malformed file.
    static core::Result<TimeZone> load(const std::string& name,
                                       const std::string& directory = "/usr/share/zoneinfo");
    static TimeZone utc();

    /// The offset from UTC in effect at `instant`.
    std::chrono::seconds offsetAt(std::chrono::system_clock::time_point instant) const;
    const std::string& name() const { return m_name; }

private:
    std::string m_name;
    std::vector<std::int64_t> m_transitions;  ///< seconds since the epoch, ascending
    std::vector<std::int32_t> m_offsets;      ///< the offset from each transition on
    std::int32_t m_initialOffset = 0;         ///< before the first transition
};

}  // namespace slipway::controllers::cronjob
