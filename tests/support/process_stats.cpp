// SPDX-License-Identifier: Apache-2.0
#include "tests/support/process_stats.h"

#include <fstream>
#include <iterator>
#include <sstream>

#include <unistd.h>

namespace slipway::testing {

double cpuSeconds(long long pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    const std::string text((std::istreambuf_iterator<char>(stat)),
                           std::istreambuf_iterator<char>());
    // The fields after the command name, which is in parentheses and may hold spaces.
    const auto close = text.rfind(')');
    if (close == std::string::npos) {
        return 0;
    }
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    unsigned long long ticks = 0;
    for (int i = 3; fields >> field; ++i) {
        if (i == 14 || i == 15) {  // utime, stime
            ticks += std::stoull(field);
        }
        if (i == 15) {
            break;
        }
    }
    return static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

long rssKiB(long long pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stol(line.substr(6));
        }
    }
    return -1;
}

std::string loadAverage() {
    std::ifstream loadavg("/proc/loadavg");
    std::string first;
    loadavg >> first;
    return first;
}

}  // namespace slipway::testing
